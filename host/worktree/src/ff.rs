//! The L3 fast-forward of a base branch by compare-and-swap.
//!
//! Guarantees:
//! - The base branch moves only from `expected_old` to `new_commit`, atomically: libgit2 locks
//!   the ref and writes only if it still holds `expected_old`. If anything landed meanwhile the
//!   outcome is [`FastForward::BaseMoved`] and the branch is untouched — no commit is lost.
//! - Only true fast-forwards: `new_commit` must descend from `expected_old`.
//! - Refused while the base branch is checked out with uncommitted changes (tracked or untracked)
//!   in any worktree of the repository ([`FastForward::BaseCheckedOutDirty`]): moving the ref
//!   under someone's edits would make them look like a revert. When it is checked out clean, the
//!   checkout is brought along with a *safe* checkout (never overwriting a file changed since);
//!   [`CheckoutSync`] says how that went.

use std::path::{Path, PathBuf};

use git2::build::CheckoutBuilder;
use git2::{ErrorCode, Oid, Repository, StatusOptions};
use thiserror::Error;

use crate::worktree::branch_ref;

/// What happened to the base ref.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FastForward {
    /// The ref now points at the new commit.
    Merged {
        old: Oid,
        new: Oid,
        checkout: CheckoutSync,
    },
    /// The ref no longer points at `expected`; it was left alone. Propose instead.
    BaseMoved { expected: Oid, current: Oid },
    /// The base branch is checked out with uncommitted changes in `worktree`; nothing changed.
    BaseCheckedOutDirty { worktree: PathBuf },
}

/// The state of a checkout of the base branch after the ref moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckoutSync {
    /// The base branch is not checked out anywhere.
    NotCheckedOut,
    /// The checkout at this path now matches the new commit.
    Updated(PathBuf),
    /// A file changed after the dirtiness check; the checkout at this path was left as it was
    /// (`git checkout -- .` there, or `git stash`, brings it to the new commit).
    LeftBehind { worktree: PathBuf, reason: String },
}

/// Errors that are not a normal outcome.
#[derive(Debug, Error)]
pub enum FastForwardError {
    #[error("cannot open git repository {path}: {source}")]
    OpenRepo {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },
    #[error("`{0}` is not a local branch: only `refs/heads/*` can be fast-forwarded")]
    NotABranch(String),
    #[error("{new} does not descend from {old}: not a fast-forward (propose the branch instead)")]
    NotFastForward { old: Oid, new: Oid },
    #[error("git {op} failed: {source}")]
    Git {
        op: &'static str,
        #[source]
        source: git2::Error,
    },
}

fn git(op: &'static str) -> impl FnOnce(git2::Error) -> FastForwardError {
    move |source| FastForwardError::Git { op, source }
}

/// Moves branch `base_ref` of `repo` from `expected_old` to `new_commit` if, and only if, it
/// still points at `expected_old`.
pub fn fast_forward(
    repo: &Path,
    base_ref: &str,
    expected_old: Oid,
    new_commit: Oid,
) -> Result<FastForward, FastForwardError> {
    let repository = Repository::open(repo).map_err(|source| FastForwardError::OpenRepo {
        path: repo.to_owned(),
        source,
    })?;
    let full = branch_ref(&repository, base_ref)
        .and_then(|r| r.name().ok().map(str::to_owned))
        .ok_or_else(|| FastForwardError::NotABranch(base_ref.to_owned()))?;
    repository
        .find_commit(new_commit)
        .map_err(git("find new commit"))?;
    if new_commit != expected_old
        && !repository
            .graph_descendant_of(new_commit, expected_old)
            .map_err(git("merge-base"))?
    {
        return Err(FastForwardError::NotFastForward {
            old: expected_old,
            new: new_commit,
        });
    }

    let checkouts = checkouts_of(&repository, &full)?;
    for wt in &checkouts {
        if is_dirty(wt)? {
            return Ok(FastForward::BaseCheckedOutDirty {
                worktree: workdir(wt),
            });
        }
    }

    let message = format!("strive: fast-forward {full} to {new_commit}");
    match repository.reference_matching(&full, new_commit, true, expected_old, &message) {
        Ok(_) => {}
        Err(e) if matches!(e.code(), ErrorCode::Modified | ErrorCode::Locked) => {
            let current = repository.refname_to_id(&full).map_err(git("read ref"))?;
            return Ok(FastForward::BaseMoved {
                expected: expected_old,
                current,
            });
        }
        Err(source) => {
            return Err(FastForwardError::Git {
                op: "update-ref",
                source,
            });
        }
    }

    let checkout = match checkouts.first() {
        None => CheckoutSync::NotCheckedOut,
        Some(wt) => sync_checkout(wt, expected_old, new_commit),
    };
    Ok(FastForward::Merged {
        old: expected_old,
        new: new_commit,
        checkout,
    })
}

/// Every worktree (main and linked) whose HEAD is the branch `full`.
fn checkouts_of(repo: &Repository, full: &str) -> Result<Vec<Repository>, FastForwardError> {
    let mut out = Vec::new();
    let mut candidates = Vec::new();
    if !repo.is_bare() {
        candidates.push(Repository::open(repo.path()).map_err(git("open main worktree"))?);
    }
    let names = repo.worktrees().map_err(git("worktree list"))?;
    for name in names.iter().flatten().flatten() {
        if let Ok(wt) = repo.find_worktree(name)
            && let Ok(r) = Repository::open_from_worktree(&wt)
        {
            candidates.push(r);
        }
    }
    for r in candidates {
        let on_branch = r
            .find_reference("HEAD")
            .ok()
            .and_then(|h| h.symbolic_target().ok().flatten().map(|t| t == full))
            .unwrap_or(false);
        if on_branch && !r.is_bare() {
            out.push(r);
        }
    }
    Ok(out)
}

fn is_dirty(repo: &Repository) -> Result<bool, FastForwardError> {
    let mut opts = StatusOptions::new();
    opts.include_untracked(true)
        .include_ignored(false)
        .exclude_submodules(true);
    let statuses = repo.statuses(Some(&mut opts)).map_err(git("status"))?;
    Ok(!statuses.is_empty())
}

fn workdir(repo: &Repository) -> PathBuf {
    repo.workdir().unwrap_or_else(|| repo.path()).to_owned()
}

fn sync_checkout(repo: &Repository, old: Oid, new: Oid) -> CheckoutSync {
    let path = workdir(repo);
    match update_changed_paths(repo, &path, old, new) {
        Ok(()) => CheckoutSync::Updated(path),
        Err(reason) => CheckoutSync::LeftBehind {
            worktree: path,
            reason,
        },
    }
}

/// Brings a clean checkout of `old` to `new`, touching only the paths that differ between the
/// two, and only after checking each still holds its `old` content (so an edit made after the
/// dirtiness check is never overwritten).
fn update_changed_paths(repo: &Repository, root: &Path, old: Oid, new: Oid) -> Result<(), String> {
    let err = |e: git2::Error| e.message().to_owned();
    let old_tree = repo.find_commit(old).and_then(|c| c.tree()).map_err(err)?;
    let new_tree = repo.find_commit(new).and_then(|c| c.tree()).map_err(err)?;
    let diff = repo
        .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), None)
        .map_err(err)?;
    let mut paths = Vec::new();
    for delta in diff.deltas() {
        let before = delta.old_file();
        if let Some(p) = before.path() {
            let on_disk = root.join(p);
            let unchanged = if before.exists() {
                git2::Oid::hash_file(git2::ObjectType::Blob, &on_disk)
                    .is_ok_and(|id| id == before.id())
            } else {
                std::fs::symlink_metadata(&on_disk).is_err()
            };
            if !unchanged {
                return Err(format!("{} changed after the check", p.display()));
            }
            paths.push(p.to_owned());
        }
        if let Some(p) = delta.new_file().path() {
            paths.push(p.to_owned());
        }
    }
    if paths.is_empty() {
        return Ok(());
    }
    let mut opts = CheckoutBuilder::new();
    // Only the verified paths are touched, so removing the ones `new` drops is safe.
    opts.force().remove_untracked(true);
    for p in &paths {
        opts.path(p);
    }
    repo.checkout_tree(new_tree.as_object(), Some(&mut opts))
        .map_err(err)
}
