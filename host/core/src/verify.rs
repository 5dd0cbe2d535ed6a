//! Grounded verification: do the commit ids an agent cites exist in the repository, as commits?
//!
//! Guarantees:
//! - **Never "grounded" without proof.** A claim is grounded only if it is 4 or more hex digits
//!   (any case), names exactly one object in the repository's object store, that object is itself
//!   a commit (an annotated tag that points to a commit is *not*), and the claim is a
//!   case-insensitive prefix of that object's full id. References are never consulted, so a branch
//!   named like a commit id cannot stand in for one.
//! - **Unverifiable is not fabricated.** A missing path, a directory that is not a repository, a
//!   repository whose objects cannot be read, a shallow clone that lacks the object, or a
//!   repository format the verifier cannot read yields `unverifiable` (exit 4), never
//!   `fabricated`: the verifier only calls a claim false when it could look and did not find it.
//! - **Malformed claims are fabricated** (empty, non-hex, shorter than 4 or longer than the
//!   repository's id length), with a detail saying why.
//! - **Batched.** The repository is opened once per batch and every claim is looked up in-process
//!   with libgit2 (no child process). Repeated claims are checked and reported once.
//!
//! Two verbs share one lookup:
//! - [`Verifier::grounded`] — `grounded` / `fabricated` / `unverifiable` per claim.
//! - [`Verifier::isomorphic`] — computes two predicates independently and demands they agree:
//!   the *literal* predicate ("the claim, resolved and peeled like `git cat-file -e
//!   <claim>^{commit}`, reaches a commit") and the *isomorphic* one ("the full object id the claim
//!   resolves to is a commit, and the claim is a true prefix of it"). Both true: `consistent`.
//!   Both false: `fabricated`. Disagreement (an annotated tag, a reference shadowing a short id)
//!   or an ambiguous prefix: `gap`.
//!
//! Exit codes of a batch ([`GroundedReport::exit_code`], [`IsoReport::exit_code`]), highest
//! precedence first: any `unverifiable` → 4; any `gap` → 8; any `fabricated` → 3; else 0.
//! Unverifiable ranks first because the batch's answer is then incomplete and the environment must
//! be fixed before any verdict in it is acted on; a gap ranks above fabricated because it is
//! the signature of a claim built to pass one reading of the check (tag ids, shadowing refs,
//! short ambiguous ids) and needs a human, whereas a fabricated claim is a plain falsehood the
//! loop can reject by itself. This keeps the earlier tool's order (4 before 8, 4 before 3), and
//! unlike it a fabricated claim never exits 0 from the isomorphic check.
//!
//! SHA-256 repositories: libgit2 1.9 (git2 0.21) reads them only behind its ABI-changing
//! `unstable-sha256` feature, which would change `git2::Oid` for every crate in the workspace,
//! and it does not read reftable ref storage at all. So when libgit2 cannot open a repository
//! whose config declares `extensions.*` (`objectformat = sha256`, `refstorage = reftable`, ...),
//! the verifier asks the installed `git` instead: one `git cat-file --batch-check` process per
//! batch answers for all claims, never one process per claim. Parent directories are not searched in either backend.

mod claim;
mod git_cli;
mod layout;
mod libgit2;

use std::collections::HashSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::exit;

/// The hash function of a repository's object ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ObjectFormat {
    /// 40 hex digits.
    Sha1,
    /// 64 hex digits.
    Sha256,
}

impl ObjectFormat {
    /// Hex digits in a full object id.
    pub fn hex_len(self) -> usize {
        match self {
            ObjectFormat::Sha1 => 40,
            ObjectFormat::Sha256 => 64,
        }
    }
}

/// Grounded verdict on one claim. JSON: `{"verdict": "grounded"}` or
/// `{"verdict": "fabricated"|"unverifiable", "detail": "..."}` (the earlier tool's shape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    Grounded,
    Fabricated { detail: String },
    Unverifiable { detail: String },
}

/// One claim and its grounded verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundedClaim {
    /// The claim exactly as given.
    pub sha: String,
    pub verdict: Verdict,
}

/// The grounded verdicts on a batch of claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroundedReport {
    /// True iff there is at least one claim and every claim is grounded.
    pub valid: bool,
    /// One entry per distinct claim, in first-seen order.
    pub claims: Vec<GroundedClaim>,
    /// The claims by verdict (the shape of the earlier `loopengine verify`).
    pub grounded: Vec<String>,
    pub fabricated: Vec<String>,
    pub unverifiable: Vec<String>,
    /// The repository's object format, when the repository could be opened.
    pub object_format: Option<ObjectFormat>,
}

impl GroundedReport {
    /// 4 if any claim is unverifiable, else 3 if any is fabricated, else 0.
    pub fn exit_code(&self) -> i32 {
        if !self.unverifiable.is_empty() {
            exit::UNVERIFIABLE
        } else if !self.fabricated.is_empty() || self.claims.is_empty() {
            exit::FABRICATED
        } else {
            exit::OK
        }
    }
}

/// Isomorphic verdict on one claim. JSON: `{"iso": "consistent"}` or
/// `{"iso": "gap"|"fabricated"|"unverifiable", "detail": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "iso", rename_all = "snake_case")]
pub enum IsoVerdict {
    Consistent,
    Gap { detail: String },
    Fabricated { detail: String },
    Unverifiable { detail: String },
}

/// One claim, the full object id it resolved to (if it resolved to exactly one object), and
/// its isomorphic verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsoClaim {
    pub sha: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oid: Option<String>,
    pub verdict: IsoVerdict,
}

/// The isomorphic verdicts on a batch of claims.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsoReport {
    /// True iff there is at least one claim and every claim is consistent.
    pub consistent: bool,
    /// Some claim is a gap.
    pub gap: bool,
    /// Some claim could not be checked.
    pub unverifiable: bool,
    /// Some claim names no commit.
    pub fabricated: bool,
    pub claims: Vec<IsoClaim>,
    pub object_format: Option<ObjectFormat>,
}

impl IsoReport {
    /// 4 if any claim is unverifiable, else 8 if any is a gap, else 3 if any is fabricated,
    /// else 0.
    pub fn exit_code(&self) -> i32 {
        if self.unverifiable {
            exit::UNVERIFIABLE
        } else if self.gap {
            exit::ISOMORPHIC_GAP
        } else if self.fabricated || self.claims.is_empty() {
            exit::FABRICATED
        } else {
            exit::OK
        }
    }
}

/// Check claims against the repository at `repo` (one batch). See [`Verifier::grounded`].
pub fn verify_grounded<S: AsRef<str>>(repo: &Path, claims: &[S]) -> GroundedReport {
    Verifier::open(repo).grounded(claims)
}

/// Isomorphic check of claims against the repository at `repo`. See [`Verifier::isomorphic`].
pub fn verify_isomorphic<S: AsRef<str>>(repo: &Path, claims: &[S]) -> IsoReport {
    Verifier::open(repo).isomorphic(claims)
}

/// A repository opened once for any number of batches. Opening never fails: a repository that
/// cannot be opened makes every well-formed claim `unverifiable` with the reason.
pub struct Verifier {
    store: Result<Store, String>,
}

enum Store {
    Libgit2(libgit2::Libgit2Store),
    GitCli(git_cli::GitCliStore),
}

/// What the object store says about one well-formed claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Exactly one object's id starts with the claim's digits (or, for the `git` backend, the
    /// revision the claim names resolved to this object).
    Found {
        /// Full object id, lower-case hex.
        oid: String,
        kind: ObjectKind,
        /// The object peels to a commit (`<claim>^{commit}` resolves). Only computed when asked.
        peels_to_commit: bool,
    },
    /// No object's id starts with the claim.
    Missing,
    /// More than one object's id starts with the claim.
    Ambiguous,
    /// The store could not answer for this claim.
    Unreadable(String),
}

/// The type of a git object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ObjectKind {
    Commit,
    Tree,
    Blob,
    Tag,
}

impl ObjectKind {
    fn name(self) -> &'static str {
        match self {
            ObjectKind::Commit => "commit",
            ObjectKind::Tree => "tree",
            ObjectKind::Blob => "blob",
            ObjectKind::Tag => "tag",
        }
    }
}

/// A claim's fate before verdicts: malformed, what the store said, or no store at all.
enum Evidence {
    Malformed(String),
    Looked(Lookup),
    /// The repository could not be opened.
    NoStore(String),
}

impl Verifier {
    /// Open the repository at `repo`: a work tree root, a `.git` directory or a bare
    /// repository. Parent directories are not searched.
    pub fn open(repo: &Path) -> Self {
        Verifier {
            store: open_store(repo),
        }
    }

    /// The repository's object format, if it could be opened.
    pub fn object_format(&self) -> Option<ObjectFormat> {
        match &self.store {
            Ok(Store::Libgit2(_)) => Some(ObjectFormat::Sha1),
            Ok(Store::GitCli(store)) => Some(store.format()),
            Err(_) => None,
        }
    }

    /// Grounded verdict on each distinct claim. An empty batch is not valid (nothing was
    /// proven) and exits 3.
    pub fn grounded<S: AsRef<str>>(&self, claims: &[S]) -> GroundedReport {
        let distinct = distinct(claims);
        let evidence = self.gather(&distinct, false);
        let mut report = GroundedReport {
            valid: false,
            claims: Vec::with_capacity(distinct.len()),
            grounded: Vec::new(),
            fabricated: Vec::new(),
            unverifiable: Vec::new(),
            object_format: self.object_format(),
        };
        for (sha, evidence) in distinct.into_iter().zip(evidence) {
            let verdict = grounded_verdict(sha, evidence);
            match &verdict {
                Verdict::Grounded => report.grounded.push(sha.to_string()),
                Verdict::Fabricated { .. } => report.fabricated.push(sha.to_string()),
                Verdict::Unverifiable { .. } => report.unverifiable.push(sha.to_string()),
            }
            report.claims.push(GroundedClaim {
                sha: sha.to_string(),
                verdict,
            });
        }
        report.valid = !report.claims.is_empty() && report.grounded.len() == report.claims.len();
        report
    }

    /// Isomorphic verdict on each distinct claim. An empty batch is not consistent and exits 3.
    pub fn isomorphic<S: AsRef<str>>(&self, claims: &[S]) -> IsoReport {
        let distinct = distinct(claims);
        let evidence = self.gather(&distinct, true);
        let mut report = IsoReport {
            consistent: false,
            gap: false,
            unverifiable: false,
            fabricated: false,
            claims: Vec::with_capacity(distinct.len()),
            object_format: self.object_format(),
        };
        for (sha, evidence) in distinct.into_iter().zip(evidence) {
            let oid = match &evidence {
                Evidence::Looked(Lookup::Found { oid, .. }) => Some(oid.clone()),
                _ => None,
            };
            let verdict = iso_verdict(sha, evidence);
            match verdict {
                IsoVerdict::Consistent => {}
                IsoVerdict::Gap { .. } => report.gap = true,
                IsoVerdict::Fabricated { .. } => report.fabricated = true,
                IsoVerdict::Unverifiable { .. } => report.unverifiable = true,
            }
            report.claims.push(IsoClaim {
                sha: sha.to_string(),
                oid,
                verdict,
            });
        }
        report.consistent = !report.claims.is_empty()
            && report
                .claims
                .iter()
                .all(|c| c.verdict == IsoVerdict::Consistent);
        report
    }

    fn is_shallow(&self) -> bool {
        match &self.store {
            Ok(Store::Libgit2(store)) => store.is_shallow(),
            Ok(Store::GitCli(store)) => store.is_shallow(),
            Err(_) => false,
        }
    }

    /// Parse every claim, then look the well-formed ones up in one batch.
    fn gather(&self, claims: &[&str], peel: bool) -> Vec<Evidence> {
        let max_hex = self
            .object_format()
            .map_or(ObjectFormat::Sha256.hex_len(), ObjectFormat::hex_len);
        let parsed: Vec<Result<String, String>> =
            claims.iter().map(|c| claim::parse(c, max_hex)).collect();
        let store = match &self.store {
            Ok(store) => store,
            Err(why) => {
                return parsed
                    .into_iter()
                    .map(|p| match p {
                        Ok(_) => Evidence::NoStore(why.clone()),
                        Err(detail) => Evidence::Malformed(detail),
                    })
                    .collect();
            }
        };
        let well_formed: Vec<&str> = parsed.iter().filter_map(|p| p.as_deref().ok()).collect();
        let shallow = self.is_shallow();
        let mut lookups = match store {
            Store::Libgit2(store) => store.lookup_batch(&well_formed, peel),
            Store::GitCli(store) => store.lookup_batch(&well_formed, peel),
        }
        .into_iter()
        .map(|lookup| match lookup {
            // Absent from a shallow clone proves nothing: it may lie beyond the boundary.
            Lookup::Missing if shallow => Lookup::Unreadable(SHALLOW_MISSING.into()),
            other => other,
        });
        parsed
            .into_iter()
            .map(|p| match p {
                Ok(_) => Evidence::Looked(lookups.next().unwrap_or_else(|| {
                    Lookup::Unreadable("the object store returned too few answers".into())
                })),
                Err(detail) => Evidence::Malformed(detail),
            })
            .collect()
    }
}

fn open_store(repo: &Path) -> Result<Store, String> {
    match libgit2::Libgit2Store::open(repo) {
        Ok(store) => Ok(Store::Libgit2(store)),
        Err(libgit2::OpenError::UnsupportedExtension(layout)) => {
            git_cli::GitCliStore::open(repo, &layout).map(Store::GitCli)
        }
        Err(libgit2::OpenError::Other(why)) => Err(why),
    }
}

/// Claims in first-seen order, each once.
fn distinct<S: AsRef<str>>(claims: &[S]) -> Vec<&str> {
    let mut seen = HashSet::with_capacity(claims.len());
    claims
        .iter()
        .map(AsRef::as_ref)
        .filter(|c| seen.insert(*c))
        .collect()
}

const SHALLOW_MISSING: &str = "the repository is a shallow clone and has no object starting with this claim; it may lie beyond the shallow boundary (deepen the clone, e.g. `git fetch --unshallow`, and verify again)";

fn missing_detail(sha: &str) -> String {
    format!(
        "no object in the repository has an id starting with '{}'",
        claim::shown(sha)
    )
}

fn ambiguous_detail(sha: &str) -> String {
    format!(
        "'{}' is ambiguous: more than one object id starts with it; cite more hex digits",
        claim::shown(sha)
    )
}

/// The claim names an object whose full id does not start with it: only possible when the
/// `git` backend resolved the digits as a reference name.
fn not_prefix_detail(sha: &str, oid: &str) -> String {
    format!(
        "'{}' resolved to {oid}, which does not start with it (a reference named like an object id?); cite the full commit id",
        claim::shown(sha)
    )
}

fn is_prefix(claim: &str, oid: &str) -> bool {
    !claim.is_empty() && claim.len() <= oid.len() && oid[..claim.len()].eq_ignore_ascii_case(claim)
}

fn grounded_verdict(sha: &str, evidence: Evidence) -> Verdict {
    let fabricated = |detail| Verdict::Fabricated { detail };
    match evidence {
        Evidence::Malformed(detail) => fabricated(detail),
        Evidence::NoStore(detail) | Evidence::Looked(Lookup::Unreadable(detail)) => {
            Verdict::Unverifiable { detail }
        }
        Evidence::Looked(Lookup::Missing) => fabricated(missing_detail(sha)),
        Evidence::Looked(Lookup::Ambiguous) => fabricated(ambiguous_detail(sha)),
        Evidence::Looked(Lookup::Found { oid, .. }) if !is_prefix(sha, &oid) => {
            fabricated(not_prefix_detail(sha, &oid))
        }
        Evidence::Looked(Lookup::Found {
            kind: ObjectKind::Commit,
            ..
        }) => Verdict::Grounded,
        Evidence::Looked(Lookup::Found { oid, kind, .. }) => fabricated(format!(
            "'{}' is a {}, not a commit (object {oid})",
            claim::shown(sha),
            kind.name()
        )),
    }
}

fn iso_verdict(sha: &str, evidence: Evidence) -> IsoVerdict {
    match evidence {
        Evidence::Malformed(detail) => IsoVerdict::Fabricated { detail },
        Evidence::NoStore(detail) | Evidence::Looked(Lookup::Unreadable(detail)) => {
            IsoVerdict::Unverifiable { detail }
        }
        Evidence::Looked(Lookup::Missing) => IsoVerdict::Fabricated {
            detail: missing_detail(sha),
        },
        Evidence::Looked(Lookup::Ambiguous) => IsoVerdict::Gap {
            detail: ambiguous_detail(sha),
        },
        Evidence::Looked(Lookup::Found {
            oid,
            kind,
            peels_to_commit,
        }) => {
            let literal = peels_to_commit;
            let prefix = is_prefix(sha, &oid);
            let isomorphic = kind == ObjectKind::Commit && prefix;
            match (literal, isomorphic) {
                (true, true) => IsoVerdict::Consistent,
                (false, false) if prefix => IsoVerdict::Fabricated {
                    detail: format!(
                        "'{}' is a {}, not a commit, and does not peel to one (object {oid})",
                        claim::shown(sha),
                        kind.name()
                    ),
                },
                _ => {
                    let why = if !prefix {
                        not_prefix_detail(sha, &oid)
                    } else if literal {
                        format!(
                            "'{}' is a {}, not a commit, although it peels to one (object {oid})",
                            claim::shown(sha),
                            kind.name()
                        )
                    } else {
                        format!(
                            "'{}' is a commit, yet peeling it to a commit failed (object {oid})",
                            claim::shown(sha)
                        )
                    };
                    IsoVerdict::Gap {
                        detail: format!(
                            "predicates disagree (literal={literal}, isomorphic={isomorphic}): {why}"
                        ),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(kind: ObjectKind, peels: bool) -> Evidence {
        Evidence::Looked(Lookup::Found {
            oid: "abcdef0123456789abcdef0123456789abcdef01".into(),
            kind,
            peels_to_commit: peels,
        })
    }

    #[test]
    fn iso_verdict_table() {
        use IsoVerdict as V;
        let kind_of = |v: &IsoVerdict| match v {
            V::Consistent => "consistent",
            V::Gap { .. } => "gap",
            V::Fabricated { .. } => "fabricated",
            V::Unverifiable { .. } => "unverifiable",
        };
        let cases: Vec<(&str, Evidence, &str)> = vec![
            ("abcdef0", found(ObjectKind::Commit, true), "consistent"),
            ("ABCDEF0", found(ObjectKind::Commit, true), "consistent"),
            ("abcdef0", found(ObjectKind::Tag, true), "gap"),
            ("abcdef0", found(ObjectKind::Tag, false), "fabricated"),
            ("abcdef0", found(ObjectKind::Tree, false), "fabricated"),
            // Resolved through a reference to an object the digits do not name.
            ("1234567", found(ObjectKind::Commit, true), "gap"),
            ("1234567", found(ObjectKind::Tree, false), "gap"),
            ("abcd", Evidence::Looked(Lookup::Ambiguous), "gap"),
            ("abcd", Evidence::Looked(Lookup::Missing), "fabricated"),
            (
                "abcd",
                Evidence::Looked(Lookup::Unreadable("io".into())),
                "unverifiable",
            ),
            ("abcd", Evidence::NoStore("gone".into()), "unverifiable"),
            ("xyz", Evidence::Malformed("bad".into()), "fabricated"),
        ];
        for (sha, evidence, want) in cases {
            let got = iso_verdict(sha, evidence);
            assert_eq!(kind_of(&got), want, "{sha}: {got:?}");
        }
    }

    #[test]
    fn grounded_verdict_table() {
        let grounded = |sha, e| matches!(grounded_verdict(sha, e), Verdict::Grounded);
        assert!(grounded("abcdef0", found(ObjectKind::Commit, true)));
        assert!(!grounded("abcdef0", found(ObjectKind::Tag, true)));
        assert!(!grounded("1234567", found(ObjectKind::Commit, true)));
        assert!(matches!(
            grounded_verdict("abcdef0", found(ObjectKind::Tag, true)),
            Verdict::Fabricated { detail } if detail.contains("is a tag, not a commit")
        ));
    }

    #[test]
    fn exit_precedence_is_unverifiable_then_gap_then_fabricated() {
        let report = |gap, unverifiable, fabricated| IsoReport {
            consistent: false,
            gap,
            unverifiable,
            fabricated,
            claims: vec![IsoClaim {
                sha: "x".into(),
                oid: None,
                verdict: IsoVerdict::Consistent,
            }],
            object_format: None,
        };
        assert_eq!(report(true, true, true).exit_code(), exit::UNVERIFIABLE);
        assert_eq!(report(true, false, true).exit_code(), exit::ISOMORPHIC_GAP);
        assert_eq!(report(false, false, true).exit_code(), exit::FABRICATED);
        assert_eq!(report(false, false, false).exit_code(), exit::OK);
    }

    #[test]
    fn prefix_check_is_case_insensitive_and_bounded() {
        assert!(is_prefix("ABCD", "abcdef"));
        assert!(!is_prefix("", "abcdef"));
        assert!(!is_prefix("abcdef0", "abcdef"));
        assert!(!is_prefix("abce", "abcdef"));
    }
}
