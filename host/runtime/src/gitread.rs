//! Read-only git queries (libgit2) in the shapes of the WIT `git` interface.
//!
//! Guarantees: nothing here writes to the repository or its config. A revision that does not
//! resolve, a repository that cannot be read, or an object of the wrong kind is a typed error
//! naming the revision. Revisions starting with `-` are refused (never option-like).

use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Repository, Sort};

use crate::bindings::v0_1::HostError;
use crate::bindings::v0_1::strive::loops::git::{
    ChangeKind, Commit, FileChange, LogQuery, RefInfo,
};

fn failed(msg: String) -> HostError {
    HostError::Failed(msg)
}

/// The commit `rev` peels to.
pub fn resolve(repo: &Repository, rev: &str) -> Result<Oid, HostError> {
    if rev.is_empty() || rev.starts_with('-') || rev.contains('\0') || rev.len() > 1024 {
        return Err(HostError::Invalid(format!(
            "{rev:?} is not a revision (empty, option-like or too long)"
        )));
    }
    let object = repo.revparse_single(rev).map_err(|e| {
        failed(format!(
            "revision {rev:?} does not resolve: {}",
            e.message()
        ))
    })?;
    let commit = object
        .peel_to_commit()
        .map_err(|e| failed(format!("revision {rev:?} is not a commit: {}", e.message())))?;
    Ok(commit.id())
}

/// Commits per `query`, newest first, at most `cap` (the host's limit) or `query.limit`.
pub fn log(repo: &Repository, query: &LogQuery, cap: u64) -> Result<Vec<Commit>, HostError> {
    let tip = resolve(repo, &query.tip)?;
    let mut walk = repo
        .revwalk()
        .map_err(|e| failed(e.message().to_string()))?;
    walk.set_sorting(Sort::TIME)
        .map_err(|e| failed(e.message().to_string()))?;
    walk.push(tip)
        .map_err(|e| failed(e.message().to_string()))?;
    if let Some(since) = &query.since_exclusive {
        // A cursor that no longer exists (history rewritten) is an error, not "everything".
        let base = resolve(repo, since)?;
        walk.hide(base)
            .map_err(|e| failed(e.message().to_string()))?;
    }
    let limit = if query.limit == 0 {
        cap
    } else {
        u64::from(query.limit).min(cap)
    };
    let mut out = Vec::new();
    for oid in walk {
        let oid = oid.map_err(|e| failed(format!("walking {}: {}", query.tip, e.message())))?;
        let commit = repo
            .find_commit(oid)
            .map_err(|e| failed(format!("reading commit {oid}: {}", e.message())))?;
        if let Some(since) = query.since_time
            && commit.committer().when().seconds() < since
        {
            // Time-sorted walk: like `git log --since`, stop at the first older commit.
            break;
        }
        if out.len() as u64 >= limit {
            break;
        }
        let changes = if query.with_changes {
            changes_of(repo, &commit)?
        } else {
            Vec::new()
        };
        out.push(to_wit(&commit, changes));
    }
    Ok(out)
}

fn to_wit(commit: &git2::Commit<'_>, changes: Vec<FileChange>) -> Commit {
    let message = String::from_utf8_lossy(commit.message_bytes());
    let (subject, body) = match message.split_once('\n') {
        Some((s, b)) => (s.trim_end().to_string(), b.trim().to_string()),
        None => (message.trim_end().to_string(), String::new()),
    };
    let author = commit.author();
    Commit {
        sha: commit.id().to_string(),
        parents: commit.parent_ids().map(|p| p.to_string()).collect(),
        author_name: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        author_email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        author_time: author.when().seconds(),
        committer_time: commit.committer().when().seconds(),
        subject,
        body,
        changes,
    }
}

/// Files `sha` changed against its first parent.
pub fn changes(repo: &Repository, sha: &str) -> Result<Vec<FileChange>, HostError> {
    let oid = resolve(repo, sha)?;
    let commit = repo
        .find_commit(oid)
        .map_err(|e| failed(e.message().to_string()))?;
    changes_of(repo, &commit)
}

fn changes_of(repo: &Repository, commit: &git2::Commit<'_>) -> Result<Vec<FileChange>, HostError> {
    let err = |e: git2::Error| failed(format!("diffing {}: {}", commit.id(), e.message()));
    let tree = commit.tree().map_err(err)?;
    let parent_tree = match commit.parent(0) {
        Ok(p) => Some(p.tree().map_err(err)?),
        Err(_) => None,
    };
    let mut opts = DiffOptions::new();
    opts.context_lines(0);
    let mut diff = repo
        .diff_tree_to_tree(parent_tree.as_ref(), Some(&tree), Some(&mut opts))
        .map_err(err)?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))
        .map_err(err)?;
    let mut out = Vec::with_capacity(diff.deltas().len());
    for idx in 0..diff.deltas().len() {
        let patch = git2::Patch::from_diff(&diff, idx).map_err(err)?;
        let delta = diff.get_delta(idx).expect("index within deltas");
        let (additions, deletions) = match &patch {
            Some(p) => {
                let (_, a, d) = p.line_stats().map_err(err)?;
                (a as u32, d as u32)
            }
            None => (0, 0),
        };
        let path = |f: git2::DiffFile<'_>| f.path().map(|p| p.to_string_lossy().into_owned());
        let new_path = path(delta.new_file());
        let old_path = path(delta.old_file());
        let kind = match delta.status() {
            Delta::Added => ChangeKind::Added,
            Delta::Deleted => ChangeKind::Deleted,
            Delta::Modified => ChangeKind::Modified,
            Delta::Renamed => ChangeKind::Renamed,
            Delta::Copied => ChangeKind::Copied,
            Delta::Typechange => ChangeKind::TypeChanged,
            _ => ChangeKind::Other,
        };
        let binary = delta.flags().is_binary();
        out.push(FileChange {
            path: new_path
                .clone()
                .or_else(|| old_path.clone())
                .unwrap_or_default(),
            old_path: match kind {
                ChangeKind::Renamed | ChangeKind::Copied => old_path,
                _ => None,
            },
            kind,
            additions,
            deletions,
            binary,
        });
    }
    Ok(out)
}

/// Unified diff between two revisions, refused past `cap` bytes.
pub fn diff(repo: &Repository, from: &str, to: &str, cap: u64) -> Result<String, HostError> {
    let a = repo
        .find_commit(resolve(repo, from)?)
        .and_then(|c| c.tree());
    let b = repo.find_commit(resolve(repo, to)?).and_then(|c| c.tree());
    let (a, b) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Err(failed(e.message().to_string())),
    };
    let diff = repo
        .diff_tree_to_tree(Some(&a), Some(&b), None)
        .map_err(|e| failed(e.message().to_string()))?;
    let mut out = Vec::new();
    let mut over = false;
    diff.print(git2::DiffFormat::Patch, |_, _, line| {
        if matches!(line.origin(), '+' | '-' | ' ') {
            out.push(line.origin() as u8);
        }
        out.extend_from_slice(line.content());
        over = out.len() as u64 > cap;
        !over
    })
    .or_else(|e| {
        if over {
            Ok(())
        } else {
            Err(failed(e.message().to_string()))
        }
    })?;
    if over {
        return Err(HostError::BudgetExceeded(
            crate::bindings::v0_1::strive::loops::types::BudgetRefusal {
                axis: "output-bytes".into(),
                cap,
                spent: 0,
                requested: out.len() as u64,
            },
        ));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Local branches and tags with the commit each peels to (refs that peel to no commit are skipped).
pub fn refs(repo: &Repository) -> Result<Vec<RefInfo>, HostError> {
    let mut out = Vec::new();
    let refs = repo
        .references()
        .map_err(|e| failed(e.message().to_string()))?;
    for r in refs.flatten() {
        let Ok(name) = r.name() else { continue };
        if !(name.starts_with("refs/heads/") || name.starts_with("refs/tags/")) {
            continue;
        }
        if let Ok(commit) = r.peel_to_commit() {
            out.push(RefInfo {
                name: name.to_string(),
                target: commit.id().to_string(),
            });
        }
    }
    Ok(out)
}

/// (ahead, behind): commits `tip` has that `base` lacks, and the reverse.
pub fn ahead_behind(repo: &Repository, base: &str, tip: &str) -> Result<(u32, u32), HostError> {
    let base = resolve(repo, base)?;
    let tip = resolve(repo, tip)?;
    let (ahead, behind) = repo
        .graph_ahead_behind(tip, base)
        .map_err(|e| failed(e.message().to_string()))?;
    Ok((ahead as u32, behind as u32))
}
