//! `worktree`: one private git worktree per attempt, off the base commit recorded at run start.
//!
//! Guarantees: see [`super`]. The handle a plugin gets is the fresh branch's name. The `base`
//! argument must name the loop's `target.base_ref` (or the commit it pointed at when the run
//! started): a plugin cannot propose against another branch. The `branch` argument is a hint
//! only; the host always picks a fresh `loop/<id>/<stamp>` name so no branch is overwritten.

use strive_core::budget::Spend;
use strive_worktree::{PathError, Worktree};

use super::{Attempt, FixContext, closed, integrity_reason, refuse_after_tampering, tampering};
use crate::bindings::v0_1::HostError;

fn path_error(path: &str, e: PathError) -> HostError {
    HostError::Invalid(format!("path `{path}`: {e}"))
}

/// Creates the next attempt's worktree; charges one iteration.
pub fn create(fix: &mut FixContext, base: &str) -> Result<String, HostError> {
    refuse_after_tampering(fix)?;
    fix.check_clock()?;
    let base_hex = fix.base_oid.to_string();
    let base = base.trim();
    if base != fix.settings.base_ref && base != base_hex {
        return Err(HostError::Invalid(format!(
            "worktrees start from the loop's base `{}` (commit {}), not `{base}`",
            fix.settings.base_ref, base_hex
        )));
    }
    let elapsed = fix.started.elapsed();
    if let Err(r) = fix.ledger.try_spend(Spend::iteration(), elapsed) {
        return Err(fix.refuse(r));
    }
    let mut builder = Worktree::builder(&fix.settings.repo, base_hex, &fix.settings.loop_id)
        .limits(fix.command_limits(0))
        .sandbox(fix.settings.sandbox.clone())
        .secret_env(fix.settings.secret_env.iter().cloned());
    if let Some(parent) = &fix.settings.worktree_parent {
        builder = builder.parent_dir(parent);
    }
    let tree = builder
        .create(fix.guard.clone())
        .map_err(|e| HostError::Failed(format!("creating a worktree: {e}")))?;
    let handle = tree.branch().to_string();
    fix.attempts.push(Attempt::new(handle.clone(), tree));
    fix.outcome.attempts += 1;
    Ok(handle)
}

pub fn read_file(fix: &mut FixContext, handle: &str, path: &str) -> Result<Vec<u8>, HostError> {
    let attempt = fix.attempt(handle)?;
    let tree = attempt.tree.as_ref().ok_or_else(closed)?;
    tree.files()
        .read_bytes(path)
        .map_err(|e| path_error(path, e))
}

pub fn write_file(
    fix: &mut FixContext,
    handle: &str,
    path: &str,
    contents: &[u8],
) -> Result<(), HostError> {
    refuse_after_tampering(fix)?;
    let attempt = fix.attempt(handle)?;
    if attempt.commit.is_some() {
        return Err(HostError::Invalid(format!(
            "worktree {handle} is already committed; create a new worktree for another attempt"
        )));
    }
    let tree = attempt.tree.as_ref().ok_or_else(closed)?;
    tree.files()
        .write(path, contents)
        .map_err(|e| path_error(path, e))?;
    attempt.wrote(path);
    attempt.dirty = true;
    attempt.verified = false;
    Ok(())
}

pub fn list_files(fix: &mut FixContext, handle: &str, dir: &str) -> Result<Vec<String>, HostError> {
    let attempt = fix.attempt(handle)?;
    let tree = attempt.tree.as_ref().ok_or_else(closed)?;
    let files = tree.list().map_err(|e| path_error(dir, e))?;
    let dir = dir.trim_matches('/');
    if dir.is_empty() {
        return Ok(files);
    }
    tree.files()
        .check_inside(dir)
        .map_err(|e| path_error(dir, e))?;
    let prefix = format!("{dir}/");
    Ok(files
        .into_iter()
        .filter(|f| f.starts_with(&prefix))
        .collect())
}

/// Lines matching `pattern` under `dir` (`strive_worktree::search`): `invalid` for a pattern
/// that does not compile or a path outside the worktree; the run's wall clock bounds the walk.
pub fn search(
    fix: &mut FixContext,
    handle: &str,
    dir: &str,
    pattern: &str,
    limit: u32,
) -> Result<Vec<crate::bindings::v0_1::strive::loops::worktree::SearchHit>, HostError> {
    use strive_worktree::SearchError;
    fix.check_clock()?;
    let deadline = fix.remaining().map(|left| std::time::Instant::now() + left);
    let attempt = fix.attempt(handle)?;
    let tree = attempt.tree.as_ref().ok_or_else(closed)?;
    let hits = tree
        .search(dir, pattern, limit as usize, deadline)
        .map_err(|e| match e {
            SearchError::Pattern(why) => HostError::Invalid(format!(
                "pattern `{pattern}` does not compile ({why}); write a Rust regex that matches within one line"
            )),
            SearchError::Path(e) => path_error(dir, e),
            e @ (SearchError::Deadline { .. } | SearchError::Walk(_)) => {
                HostError::Failed(format!("worktree.search: {e}"))
            }
        })?;
    Ok(hits
        .into_iter()
        .map(
            |h| crate::bindings::v0_1::strive::loops::worktree::SearchHit {
                path: h.path,
                line: h.line,
                text: h.text,
            },
        )
        .collect())
}

/// The worktree's diff against the base (staged and integrity-scanned first).
pub fn diff(fix: &mut FixContext, handle: &str) -> Result<String, HostError> {
    super::scan_if_dirty(fix, handle)?;
    Ok(fix
        .attempt(handle)?
        .scanned_diff
        .clone()
        .unwrap_or_default())
}

/// Commits the verified tree on the attempt's branch: the proposal.
pub fn commit(fix: &mut FixContext, handle: &str, message: &str) -> Result<String, HostError> {
    refuse_after_tampering(fix)?;
    super::scan_if_dirty(fix, handle)?;
    let attempt = fix.attempt(handle)?;
    if attempt.commit.is_some() {
        return Err(HostError::Invalid(format!(
            "worktree {handle} is already committed"
        )));
    }
    if !attempt.verified {
        return Err(HostError::Invalid(format!(
            "worktree {handle} has not passed the loop's test command since its last change; \
             run it with command.run first (the host commits only a verified tree)"
        )));
    }
    let diff = attempt.scanned_diff.clone().unwrap_or_default();
    if diff.trim().is_empty() {
        return Err(HostError::Invalid(
            "nothing to commit: the worktree equals its base".into(),
        ));
    }
    // Scanned when staged; scanned again here so a commit never rests on a stale verdict.
    if let Err(reason) = integrity_reason(&diff) {
        return Err(tampering(fix, reason));
    }
    let attempt = fix.attempt(handle)?;
    let tree = attempt.tree.as_ref().ok_or_else(closed)?;
    let message = if message.trim().is_empty() {
        "loop: proposed fix"
    } else {
        message
    };
    let oid = tree
        .commit(message)
        .map_err(|e| HostError::Failed(format!("committing worktree {handle}: {e}")))?;
    attempt.commit = Some(oid);
    let branch = attempt.handle.clone();
    fix.outcome.branch = Some(branch);
    fix.outcome.commit = Some(oid.to_string());
    Ok(oid.to_string())
}
