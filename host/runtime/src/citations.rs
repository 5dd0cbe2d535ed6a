//! Checking cited commit SHAs against the target repository: a thin adapter over the constraint
//! core's verifier (`strive_core::verify`), so the host judges citations with exactly the logic
//! of `strive verify-iso`.
//!
//! Guarantees: a citation is `Grounded` only if the core's isomorphic check calls it consistent
//! (a hex prefix naming exactly one object, that object a commit, the claim a true prefix of its
//! id). Nothing is waved through: no such object or malformed → `Fabricated`; an annotated tag,
//! tree or blob, or an ambiguous prefix → `Gap`; an unreadable repository → `Unverifiable`.
//! Verification is batched: one repository handle for all SHAs.

use std::collections::HashMap;
use std::path::Path;

use strive_core::verify::{IsoVerdict, Verifier};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CitationVerdict {
    Grounded,
    Fabricated,
    Unverifiable,
    Gap,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub sha: String,
    pub verdict: CitationVerdict,
    pub detail: String,
    /// The full commit id when grounded.
    pub commit: Option<String>,
}

/// Check `shas` against the repository at `path`, one result per input, in order.
pub fn check_at(path: &Path, shas: &[String]) -> Vec<Check> {
    let report = Verifier::open(path).isomorphic(shas);
    let by_sha: HashMap<&str, _> = report.claims.iter().map(|c| (c.sha.as_str(), c)).collect();
    shas.iter()
        .map(|sha| {
            let Some(claim) = by_sha.get(sha.as_str()) else {
                return Check {
                    sha: sha.clone(),
                    verdict: CitationVerdict::Unverifiable,
                    detail: "the verifier returned no verdict for this claim".into(),
                    commit: None,
                };
            };
            let (verdict, detail, commit) = match &claim.verdict {
                IsoVerdict::Consistent => (
                    CitationVerdict::Grounded,
                    "commit".into(),
                    claim.oid.clone(),
                ),
                IsoVerdict::Gap { detail } => (CitationVerdict::Gap, detail.clone(), None),
                IsoVerdict::Fabricated { detail } => {
                    (CitationVerdict::Fabricated, detail.clone(), None)
                }
                IsoVerdict::Unverifiable { detail } => {
                    (CitationVerdict::Unverifiable, detail.clone(), None)
                }
            };
            Check {
                sha: sha.clone(),
                verdict,
                detail,
                commit,
            }
        })
        .collect()
}
