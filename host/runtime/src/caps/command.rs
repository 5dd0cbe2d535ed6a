//! `command`: a guarded shell command inside an attempt's worktree.
//!
//! Guarantees: see [`super`]. The worktree is staged and integrity-scanned before the command
//! runs (tampering is `blocked` and nothing runs); the command passes the core guard, runs with
//! a scrubbed environment and a private `HOME`, and is killed at its timeout, which never
//! exceeds the run's remaining wall clock. When the command is the loop's `test_command`, the
//! host records the verdict: a pass makes the tree committable, a failure becomes a reflection.

use strive_worktree::{Exit, RunError};

use super::{FixContext, closed, refuse_after_tampering};
use crate::bindings::v0_1::HostError;
use crate::bindings::v0_1::strive::loops as wit;

/// Lines of a failing test's output kept in a reflection (the earlier tool's 8).
pub const REFLECTION_TAIL_LINES: usize = 8;

pub fn run(
    fix: &mut FixContext,
    handle: &str,
    command: &str,
    timeout_ms: u32,
) -> Result<wit::command::CommandOutput, HostError> {
    refuse_after_tampering(fix)?;
    fix.check_clock()?;
    super::scan_if_dirty(fix, handle)?;
    let limits = fix.command_limits(timeout_ms);
    let is_test = command.trim() == fix.settings.test_command.trim();
    let attempt_no = fix
        .attempts
        .iter()
        .position(|a| a.handle == handle)
        .map_or(0, |i| i + 1);
    let attempt = fix.attempt(handle)?;
    let tree = attempt.tree.as_ref().ok_or_else(closed)?;
    let output = tree.run_with(command, limits, None).map_err(|e| match e {
        RunError::Blocked(b) => HostError::Blocked(wit::types::GuardBlock {
            rule: b.rule,
            reason: b.reason,
            alternative: b.alternative,
        }),
        other => HostError::Failed(format!("running `{command}`: {other}")),
    })?;
    if is_test {
        attempt.verified = output.success();
        if !output.success() {
            let reflection = format!(
                "attempt {attempt_no}: tests failed ({}): {}",
                describe_exit(output.exit),
                output.tail_lines(REFLECTION_TAIL_LINES).trim_end()
            );
            fix.reflect(Some(handle), reflection);
        }
    } else {
        // Any other command may have changed files: the next command or commit re-stages and
        // re-scans, and the tree must pass the tests again before it is committed.
        attempt.dirty = true;
        attempt.verified = false;
    }
    let (exit_code, timed_out) = match output.exit {
        Exit::Code(c) => (c, false),
        Exit::Signal(s) => (128 + s, false),
        Exit::TimedOut => (-1, true),
    };
    Ok(wit::command::CommandOutput {
        exit_code,
        stdout: output.stdout,
        stderr: output.stderr,
        timed_out,
    })
}

/// `exit 1`, `signal 9`, `timed out`.
pub fn describe_exit(exit: Exit) -> String {
    match exit {
        Exit::Code(c) => format!("exit {c}"),
        Exit::Signal(s) => format!("signal {s}"),
        Exit::TimedOut => "timed out".into(),
    }
}
