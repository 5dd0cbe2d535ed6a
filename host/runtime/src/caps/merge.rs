//! `merge`: the L3 gate and the compare-and-swap fast-forward of the base branch.
//!
//! Guarantees: see [`super`]. A merge needs a committed (so verified and scanned) attempt, a
//! configured allowlist, a clean integrity scan and an accepting allowlist gate (the core gate:
//! default deny list, deletions and renames checked on both paths, binaries and mode changes
//! refused unless the policy allows them). Then `base_ref` moves from the commit recorded at run
//! start to the attempt's commit, atomically, or not at all. A declined merge changes nothing;
//! the decision's reason says why and the run ends `proposed` with the branch kept.

use strive_worktree::{FastForward, fast_forward};

use super::{FixContext, MergeRecord, integrity_reason, refuse_after_tampering, tampering};
use crate::bindings::v0_1::HostError;
use crate::bindings::v0_1::strive::loops as wit;

pub fn request(fix: &mut FixContext, handle: &str) -> Result<wit::merge::MergeDecision, HostError> {
    refuse_after_tampering(fix)?;
    let attempt = fix.attempt(handle)?;
    let Some(commit) = attempt.commit else {
        return Err(HostError::Invalid(format!(
            "worktree {handle} has no commit; commit the verified tree first"
        )));
    };
    let diff = attempt.scanned_diff.clone().unwrap_or_default();
    let declined =
        |fix: &mut FixContext, reason: String| -> Result<wit::merge::MergeDecision, HostError> {
            fix.outcome.merge_declined = Some(reason.clone());
            Ok(wit::merge::MergeDecision {
                merged: false,
                reason,
                commit: Some(commit.to_string()),
            })
        };
    if let Err(reason) = integrity_reason(&diff) {
        return Err(tampering(fix, reason));
    }
    let Some(policy) = fix.settings.allowlist.as_ref() else {
        return declined(
            fix,
            "no allowlist in the loop spec: L3 merges nothing without one (branch left for review)"
                .into(),
        );
    };
    let verdict = match strive_core::allowlist::evaluate_str(&diff, policy) {
        Ok(v) => v,
        Err(e) => {
            return declined(
                fix,
                format!("the diff could not be parsed for the allowlist gate: {e}"),
            );
        }
    };
    if !verdict.auto_ok {
        return declined(
            fix,
            format!(
                "outside auto-merge allowlist: [{}]",
                verdict.reasons.join("; ")
            ),
        );
    }
    let base_ref = fix.settings.base_ref.clone();
    match fast_forward(&fix.settings.repo, &base_ref, fix.base_oid, commit) {
        Ok(FastForward::Merged { old, new, .. }) => {
            let record = MergeRecord {
                base_ref: base_ref.clone(),
                old: old.to_string(),
                new: new.to_string(),
                files: verdict.files_changed,
                lines: verdict.lines_changed,
            };
            fix.outcome.merged = Some(record);
            fix.outcome.merge_declined = None;
            Ok(wit::merge::MergeDecision {
                merged: true,
                reason: format!(
                    "auto-merged into {base_ref} (allowlist: {} files, {} lines)",
                    verdict.files_changed, verdict.lines_changed
                ),
                commit: Some(new.to_string()),
            })
        }
        Ok(FastForward::BaseMoved { expected, current }) => declined(
            fix,
            format!(
                "{base_ref} moved during the run ({expected} → {current}); not merged, proposing instead so no commit is lost"
            ),
        ),
        Ok(FastForward::BaseCheckedOutDirty { worktree }) => declined(
            fix,
            format!(
                "{base_ref} is checked out with uncommitted changes in {}; refusing to move it under them",
                worktree.display()
            ),
        ),
        Err(e) => declined(fix, format!("fast-forward refused: {e}")),
    }
}
