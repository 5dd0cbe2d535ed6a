//! Checking cited commit SHAs against the target repository.
//!
//! Guarantees: a citation is `Grounded` only if it is a hex object id (4–40 digits) that names
//! exactly one object in the repository and that object is a commit. Everything else is
//! classified, never waved through: not hex or no such object → `Fabricated`; an annotated tag,
//! tree or blob, or a prefix naming several objects → `Gap` (the literal "does it peel to a
//! commit" check and the isomorphic "is it exactly a commit" check disagree); an unreadable
//! repository → `Unverifiable`. Verification is batched: one repository handle for all SHAs.

use git2::{ErrorCode, ObjectType, Repository};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Grounded,
    Fabricated,
    Unverifiable,
    Gap,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Check {
    pub sha: String,
    pub verdict: Verdict,
    pub detail: String,
    /// The full commit id when grounded.
    pub commit: Option<String>,
}

/// Check each of `shas` against `repo`, in order.
pub fn check_all(repo: &Repository, shas: &[String]) -> Vec<Check> {
    shas.iter().map(|s| check_one(repo, s)).collect()
}

/// Check `shas` against the repository at `path` (unverifiable if it cannot be opened).
pub fn check_at(path: &std::path::Path, shas: &[String]) -> Vec<Check> {
    match Repository::open(path) {
        Ok(repo) => check_all(&repo, shas),
        Err(e) => shas
            .iter()
            .map(|s| Check {
                sha: s.clone(),
                verdict: Verdict::Unverifiable,
                detail: format!("cannot open repository {}: {}", path.display(), e.message()),
                commit: None,
            })
            .collect(),
    }
}

pub fn check_one(repo: &Repository, sha: &str) -> Check {
    let verdict = |verdict, detail: String, commit| Check {
        sha: sha.to_string(),
        verdict,
        detail,
        commit,
    };
    let trimmed = sha.trim();
    if trimmed.len() < 4 || trimmed.len() > 40 || !trimmed.bytes().all(|b| b.is_ascii_hexdigit()) {
        return verdict(
            Verdict::Fabricated,
            format!("{sha:?} is not a hexadecimal object id of 4 to 40 digits"),
            None,
        );
    }
    match repo.find_object_by_prefix(trimmed, None) {
        Ok(object) => match object.kind() {
            Some(ObjectType::Commit) => verdict(
                Verdict::Grounded,
                "commit".into(),
                Some(object.id().to_string()),
            ),
            Some(ObjectType::Tag) => {
                let peeled = object
                    .peel_to_commit()
                    .map(|c| format!("; cite the commit it points to, {}", c.id()))
                    .unwrap_or_default();
                verdict(
                    Verdict::Gap,
                    format!("{trimmed} is an annotated tag object, not a commit{peeled}"),
                    None,
                )
            }
            other => verdict(
                Verdict::Gap,
                format!(
                    "{trimmed} is a {} object, not a commit",
                    other.map_or("unknown", |k| k.str())
                ),
                None,
            ),
        },
        Err(e) if e.code() == ErrorCode::Ambiguous => verdict(
            Verdict::Gap,
            format!("{trimmed} is an ambiguous prefix (names several objects); cite the full SHA"),
            None,
        ),
        Err(e) if e.code() == ErrorCode::NotFound => verdict(
            Verdict::Fabricated,
            format!("{trimmed} names no object in the repository"),
            None,
        ),
        Err(e) => verdict(
            Verdict::Unverifiable,
            format!("cannot read {trimmed}: {}", e.message()),
            None,
        ),
    }
}
