//! The L2/L3 capabilities — `worktree`, `command`, `maker`, `merge` — over strive-worktree,
//! strive-makers and the constraint core.
//!
//! Guarantees (each holds whatever the plugin does, because the host enforces it here):
//! - **Confinement.** Worktrees are made off the base commit recorded when the run started, one
//!   fresh branch each (`loop/<id>/<stamp>`), never reusing or deleting an existing branch.
//!   Paths are confined with cap-std: `..`, absolute paths and symlinks leading out are
//!   `invalid`.
//! - **Scanned before use.** Before a command runs in a worktree, and before a commit, the host
//!   stages the worktree and integrity-scans its diff against the base. Tampering with the
//!   verifier (deleted or skipped tests, weakened assertions, disabled harness) is `blocked`,
//!   recorded, and ends the run `escalated`: every later maker call is refused, so there is no
//!   retry. An unparseable diff is treated as tampering (fail closed).
//! - **Verified commits only.** `commit` is refused unless the loop's own `test_command` passed
//!   in that worktree after its last change; the committed tree is exactly the scanned one.
//! - **No untrusted text reaches a maker unscanned or unmarked.** `maker.complete`
//!   injection-scans the plugin's prompt (task, reflections, test output) and every file of the
//!   worktree snapshot sent with it; a flagged text is `blocked` before any network I/O and ends
//!   the run `escalated`. What passes is sent as data blocks framed by the run's random tag,
//!   with a system paragraph saying marked data is never instructions
//!   (`strive_core::injection::spotlight`).
//! - **Every chat turn is a checked call.** `maker.chat` applies the same rules per turn — scan
//!   and mark every `user` and `tool` message, reserve the worst case before sending — caps
//!   the turns at `maker.max_turns`, and withholds a flagged tool result from the model
//!   ([`chat`]).
//! - **Budgets for the whole run.** Iterations (one per worktree), tokens and cost (from the
//!   provider's usage fields, reserved before any I/O), and wall clock are charged to one
//!   ledger; a call the remaining budget cannot cover is `budget-exceeded` and nothing is sent.
//! - **Merges by compare-and-swap only.** `merge.request-merge` passes the allowlist gate
//!   (default deny, deletions, binaries, mode changes) and the integrity scan, then
//!   fast-forwards `base_ref` only if it still points at the commit recorded at run start. If
//!   the base moved, nothing changes and the decision says "propose instead".
//!
//! Mechanics: [`FixContext`] lives in the run's [`crate::host::CallState`]; each interface module
//! ([`worktree`], [`command`], [`maker`], [`merge`]) is a set of functions over it returning
//! the WIT `host-error` on refusal. [`FixContext::finish`] removes the worktrees (keeping only
//! branches that hold a commit) and returns what happened as a [`FixOutcome`] for the host's
//! judgement.

pub mod chat;
pub mod command;
pub mod connector;
pub mod context;
pub mod maker;
pub mod merge;
pub mod worktree;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use strive_core::allowlist::AllowPolicy;
use strive_core::budget::{Budget, Ledger, Refusal, SharedLedger};
use strive_makers::{LedgerGate, Maker};
use strive_worktree::{Oid, RunLimits, Worktree};

use crate::bindings::v0_1::HostError;
use crate::bindings::v0_1::strive::loops as wit;

/// Default size of the worktree snapshot sent with a maker request (the earlier tool's 20 KB).
pub const DEFAULT_SNAPSHOT_BYTES: usize = 20_000;
/// Default timeout of one command (the test command included) when the spec sets none.
pub const DEFAULT_COMMAND_TIMEOUT: Duration = Duration::from_secs(600);
/// Cap on captured command output, per stream.
pub const COMMAND_OUTPUT_CAP: usize = 64 * 1024;

/// What the person configured for an assisted run (built from the loop spec by the host).
pub struct FixSettings {
    pub repo: PathBuf,
    pub loop_id: String,
    /// The branch to propose against and, at L3, to fast-forward.
    pub base_ref: String,
    /// The verifier: a commit needs this command to have passed in the worktree.
    pub test_command: String,
    /// `None` when the spec names no maker: `maker.complete` then fails with a clear message.
    pub maker: Option<Box<dyn Maker>>,
    pub budget: Budget,
    /// The L3 merge policy; `None` means nothing is ever merged.
    pub allowlist: Option<AllowPolicy>,
    /// Where worktrees are created (default: the system temporary directory).
    pub worktree_parent: Option<PathBuf>,
    pub snapshot_bytes: usize,
    pub command_timeout: Duration,
    /// The OS sandbox every command of the run (tests, command makers) runs in.
    pub sandbox: strive_worktree::SandboxPolicy,
    /// Host variables whose values are secrets (the maker's key): kept out of commands'
    /// environments and redacted from their output.
    pub secret_env: Vec<String>,
    /// The most `maker.chat` turns the run may take (`maker.max_turns`; the host owns the cap).
    pub max_turns: u32,
}

/// One attempt's worktree and what the host knows about it.
pub(crate) struct Attempt {
    pub handle: String,
    pub tree: Option<Worktree>,
    /// Changed since the last scan (files written, a patch applied, a command maker ran).
    pub dirty: bool,
    /// The diff against the base at the last scan (what a commit would hold).
    pub scanned_diff: Option<String>,
    /// The test command passed after the last change.
    pub verified: bool,
    pub commit: Option<Oid>,
    /// Paths the maker wrote by name (`worktree.write-file`, a patch answer): an ignored file
    /// among them is proposed; other ignored files (test artefacts) are scanned, not proposed.
    pub written: std::collections::BTreeSet<String>,
    /// The index in [`FixOutcome::reflections`] of this attempt's reflection, if it has one
    /// (each attempt keeps one: its latest failure).
    pub reflection: Option<usize>,
}

impl Attempt {
    /// A fresh attempt's record for `tree`.
    pub(crate) fn new(handle: String, tree: Worktree) -> Attempt {
        Attempt {
            handle,
            tree: Some(tree),
            dirty: false,
            scanned_diff: None,
            verified: false,
            commit: None,
            written: Default::default(),
            reflection: None,
        }
    }

    /// Records that the maker wrote `path` by name.
    pub(crate) fn wrote(&mut self, path: &str) {
        let clean: Vec<&str> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .collect();
        self.written.insert(clean.join("/"));
    }
}

/// The result of an L3 merge request that fast-forwarded the base.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MergeRecord {
    pub base_ref: String,
    pub old: String,
    pub new: String,
    pub files: usize,
    pub lines: usize,
}

/// What the L2/L3 capabilities did during one run; the host judges the run from this.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FixOutcome {
    /// Worktrees created (one per attempt).
    pub attempts: u32,
    /// Maker calls that reached the provider (or ran the command maker), chat turns included.
    pub maker_calls: u32,
    /// `maker.chat` turns sent (capped by `maker.max_turns`).
    pub chat_turns: u32,
    /// Tool results withheld from the model as prompt injections: `<call id>: <reason>`, once
    /// per call.
    pub withheld: Vec<String>,
    /// The proposal branch and commit, if a verified tree was committed.
    pub branch: Option<String>,
    pub commit: Option<String>,
    pub merged: Option<MergeRecord>,
    /// Why the last merge request was declined (L3 falls back to proposing).
    pub merge_declined: Option<String>,
    /// Verifier tampering found by the integrity scan (ends the run escalated).
    pub tampering: Option<String>,
    /// Prompt injection found before a maker call (ends the run escalated).
    pub injection: Option<String>,
    /// The first budget refusal of the run.
    pub budget: Option<String>,
    /// Why attempts failed, oldest first, as the host saw them (test failures, unusable answers).
    pub reflections: Vec<String>,
    pub tokens_spent: u64,
    pub cost_micro_usd: u64,
}

/// The host's side of an assisted run. See the module docs.
pub struct FixContext {
    pub(crate) settings: FixSettings,
    /// `base_ref` as of the start of the run: worktrees start here and the L3 fast-forward
    /// compares against it.
    pub(crate) base_oid: Oid,
    pub(crate) started: Instant,
    pub(crate) ledger: SharedLedger,
    pub(crate) gate: LedgerGate,
    pub(crate) guard: Arc<strive_core::guard::Guard>,
    pub(crate) attempts: Vec<Attempt>,
    pub(crate) outcome: FixOutcome,
    /// The run's data marker: one random tag for every maker request of the run (redrawn when
    /// an untrusted text holds it).
    pub(crate) spotlight: strive_core::injection::spotlight::Spotlight,
    /// Injection verdicts of chat messages already scanned (keyed by the full text, so no
    /// collision can pass a flagged text as clean): a conversation re-sent every turn is
    /// scanned once per message.
    pub(crate) scanned: std::collections::HashMap<String, Option<String>>,
    /// Audit rows of the maker's own tool calls (an agent CLI's hook spool), waiting for the
    /// host to append them to the run's audit log after the maker call.
    pub(crate) tool_rows: Vec<strive_makers::agent_cli::ToolCallRow>,
}

impl FixContext {
    /// Records the base commit and opens the run's ledger. Fails if `base_ref` does not resolve.
    pub fn start(settings: FixSettings) -> Result<Self, String> {
        let repo = git2::Repository::open(&settings.repo).map_err(|e| {
            format!(
                "target {} is not a readable git repository: {}",
                settings.repo.display(),
                e.message()
            )
        })?;
        let base_oid = repo
            .revparse_single(&settings.base_ref)
            .and_then(|o| o.peel_to_commit())
            .map(|c| c.id())
            .map_err(|e| {
                format!(
                    "target.base_ref `{}` does not name a commit in {}: {} (set target.base_ref to an existing branch)",
                    settings.base_ref,
                    settings.repo.display(),
                    e.message()
                )
            })?;
        let spotlight = strive_core::injection::spotlight::Spotlight::new()
            .map_err(|e| format!("infra error: {e}"))?;
        let started = Instant::now();
        let ledger = SharedLedger::new(Ledger::new(settings.budget));
        Ok(FixContext {
            gate: LedgerGate::new(ledger.clone(), started),
            ledger,
            started,
            base_oid,
            guard: Arc::new(strive_core::guard::Guard::default()),
            attempts: Vec::new(),
            outcome: FixOutcome::default(),
            spotlight,
            scanned: std::collections::HashMap::new(),
            tool_rows: Vec::new(),
            settings,
        })
    }

    /// The base commit recorded at the start of the run.
    pub fn base_oid(&self) -> Oid {
        self.base_oid
    }

    pub(crate) fn attempt(&mut self, handle: &str) -> Result<&mut Attempt, HostError> {
        self.attempts
            .iter_mut()
            .find(|a| a.handle == handle)
            .ok_or_else(|| {
                HostError::Invalid(format!(
                    "no worktree `{handle}` in this run; use the handle `worktree.create` returned"
                ))
            })
    }

    /// The latest worktree (the one a maker's snapshot and in-place edits refer to).
    pub(crate) fn current(&mut self) -> Option<&mut Attempt> {
        self.attempts.last_mut()
    }

    /// Refuses once the run's wall clock is spent.
    pub(crate) fn check_clock(&mut self) -> Result<(), HostError> {
        let refusal = self
            .ledger
            .snapshot()
            .check_wall_clock(self.started.elapsed());
        refusal.map_err(|r| self.refuse(r))
    }

    /// Time left on the run's wall clock, if it has one.
    pub(crate) fn remaining(&self) -> Option<Duration> {
        self.settings
            .budget
            .wall_clock_secs
            .map(|s| Duration::from_secs(s).saturating_sub(self.started.elapsed()))
    }

    /// A budget refusal as a `host-error`, remembered for the run's note.
    pub(crate) fn refuse(&mut self, r: Refusal) -> HostError {
        self.note_budget(r.to_string());
        HostError::BudgetExceeded(wit::types::BudgetRefusal {
            axis: r.axis.to_string().replace(' ', "-"),
            cap: r.cap,
            spent: r.spent,
            requested: r.requested,
        })
    }

    /// Records why attempt `handle` failed: one reflection per attempt, its latest failure
    /// replacing an earlier one (an agent that runs the tests five times leaves one).
    pub(crate) fn reflect(&mut self, handle: Option<&str>, text: String) {
        let slot = handle
            .and_then(|h| self.attempts.iter().position(|a| a.handle == h))
            .or_else(|| self.attempts.len().checked_sub(1));
        let existing = slot.and_then(|i| self.attempts[i].reflection);
        match existing {
            Some(r) if r < self.outcome.reflections.len() => self.outcome.reflections[r] = text,
            _ => {
                self.outcome.reflections.push(text);
                if let Some(i) = slot {
                    self.attempts[i].reflection = Some(self.outcome.reflections.len() - 1);
                }
            }
        }
    }

    pub(crate) fn note_budget(&mut self, reason: String) {
        if self.outcome.budget.is_none() {
            self.outcome.budget = Some(reason);
        }
    }

    /// Limits for one command: the requested timeout (0 = the default), never past the run's
    /// remaining wall clock.
    pub(crate) fn command_limits(&self, timeout_ms: u32) -> RunLimits {
        let mut timeout = if timeout_ms == 0 {
            self.settings.command_timeout
        } else {
            Duration::from_millis(u64::from(timeout_ms)).min(self.settings.command_timeout)
        };
        if let Some(left) = self.remaining() {
            timeout = timeout.min(left.max(Duration::from_millis(1)));
        }
        RunLimits {
            timeout,
            output_cap: COMMAND_OUTPUT_CAP,
        }
    }

    /// Removes every worktree directory; keeps the branches that hold a commit (proposals) and
    /// deletes the empty branches of failed attempts (they were created by this run and hold
    /// nothing). Returns what happened.
    pub fn finish(mut self) -> FixOutcome {
        for attempt in self.attempts.drain(..) {
            if let Some(tree) = attempt.tree {
                let keep = attempt.commit.is_some();
                if let Err(e) = tree.cleanup(keep) {
                    eprintln!("warning: cleaning up worktree {}: {e}", attempt.handle);
                }
            }
        }
        let spent = self.ledger.snapshot().spent;
        self.outcome.tokens_spent = spent.tokens;
        self.outcome.cost_micro_usd = spent.cost.0;
        self.outcome
    }
}

/// Scans `diff` for verifier tampering. `Err` carries the one-line reason (also for a diff that
/// cannot be parsed: fail closed).
pub(crate) fn integrity_reason(diff: &str) -> Result<(), String> {
    if diff.trim().is_empty() {
        return Ok(());
    }
    match strive_core::integrity::scan_diff(diff) {
        Ok(report) if report.clean => Ok(()),
        Ok(report) => {
            let issues: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{}: {}: {}", f.rule.id(), f.file, f.message))
                .collect();
            Err(format!("[{}]", issues.join("; ")))
        }
        Err(e) => Err(format!(
            "[the diff could not be parsed, so it cannot be shown clean: {e}]"
        )),
    }
}

/// `blocked` for verifier tampering, recorded so the run ends escalated with no retry.
pub(crate) fn tampering(fix: &mut FixContext, reason: String) -> HostError {
    let note = format!("verifier tampering detected {reason} — refusing to retry");
    if fix.outcome.tampering.is_none() {
        fix.outcome.tampering = Some(note.clone());
    }
    HostError::Blocked(wit::types::GuardBlock {
        rule: "integrity".into(),
        reason: note,
        alternative: None,
    })
}

/// Stages the attempt's worktree and scans it if anything changed since the last scan. An
/// ignored file is staged (proposed) only if the maker wrote it by name; every file present —
/// ignored artefacts included — is integrity-scanned.
pub(crate) fn scan_if_dirty(fix: &mut FixContext, handle: &str) -> Result<(), HostError> {
    let attempt = fix.attempt(handle)?;
    if !attempt.dirty && attempt.scanned_diff.is_some() {
        return Ok(());
    }
    let tree = attempt.tree.as_ref().ok_or_else(closed)?;
    let written = &attempt.written;
    let diff = tree
        .stage_and_diff_keeping(&|p| written.contains(p))
        .map_err(|e| HostError::Failed(format!("staging worktree {handle}: {e}")))?;
    attempt.dirty = false;
    attempt.verified = false;
    attempt.scanned_diff = Some(diff.staged.clone());
    let verdict = integrity_reason(&diff.present).and_then(|()| {
        if diff.present == diff.staged {
            Ok(())
        } else {
            integrity_reason(&diff.staged)
        }
    });
    match verdict {
        Ok(()) => Ok(()),
        Err(reason) => Err(tampering(fix, reason)),
    }
}

pub(crate) fn closed() -> HostError {
    HostError::Invalid("this worktree was already removed".into())
}

/// Refused after tampering: the run is over, no further attempts.
pub(crate) fn refuse_after_tampering(fix: &FixContext) -> Result<(), HostError> {
    match &fix.outcome.tampering {
        Some(note) => Err(HostError::Blocked(wit::types::GuardBlock {
            rule: "integrity".into(),
            reason: format!("{note}; this run takes no further attempts"),
            alternative: None,
        })),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrity_reason_is_clean_only_for_clean_or_empty_diffs() {
        assert_eq!(integrity_reason(""), Ok(()));
        let fix = "diff --git a/calc.py b/calc.py\n--- a/calc.py\n+++ b/calc.py\n@@ -1 +1 @@\n-return a - b\n+return a + b\n";
        assert_eq!(integrity_reason(fix), Ok(()));
        let deleted = "diff --git a/tests/test_calc.py b/tests/test_calc.py\ndeleted file mode 100644\n--- a/tests/test_calc.py\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-def test_add():\n-    assert add(2, 2) == 4\n";
        let reason = integrity_reason(deleted).unwrap_err();
        assert!(reason.contains("test_calc.py"), "{reason}");
        assert!(integrity_reason("diff --git garbage\n@@ nonsense").is_err());
    }
}
