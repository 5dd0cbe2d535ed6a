//! propose-change: a Strive loop kind in Rust that changes its target (phases L2 and L3).
//!
//! Reads `config.change = {path, append}` from the loop spec, appends the text to the file in a
//! private worktree off `target.base_ref` (default `main`), runs the spec's `test_command` there,
//! and commits. At L2 the commit stays on its `loop/...` branch for review; at L3 the plugin asks
//! the host's merge gate, which fast-forwards the base only inside the spec's allowlist.
//!
//! The host does the checking, not this code: it commits only a tree that passed the spec's own
//! `test_command`, scans every diff for verifier tampering, confines paths to the worktree, runs
//! the command in the OS sandbox, and merges only through the allowlist gate. The outcome
//! returned here is a claim; `proposed` and `merged` count only if the host's records agree.

wit_bindgen::generate!({
    path: "wit",
    world: "loop-kind",
    // The strive:loops interfaces come from wit/deps; generate bindings for them too.
    generate_all,
});

use serde_json::Value;
use strive::loops::types::{HostError, Outcome, Phase};
use strive::loops::{command, log, merge, worktree};

const NAME: &str = "propose-change";
const VERSION: &str = "0.1.0";
/// Lines of a failing test's output carried into the escalation note.
const TAIL_LINES: usize = 8;

/// A non-empty string, if `v` is one.
fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// What the spec asks for.
pub struct Change {
    pub path: String,
    pub append: String,
    pub test_command: String,
    pub base_ref: String,
}

/// Reads the loop spec (JSON). Errors name the field to fix. The same rules as the Python and
/// JS examples.
pub fn read_change(config_json: &str) -> Result<Change, String> {
    let spec: Value =
        serde_json::from_str(config_json).map_err(|e| format!("loop spec is not JSON: {e}"))?;
    let change = spec.get("config").and_then(|c| c.get("change"));
    let path = text(change.and_then(|c| c.get("path"))).ok_or(
        "`config.change.path` is required: the file to append to, relative to the repository root",
    )?;
    let append = text(change.and_then(|c| c.get("append")))
        .ok_or("`config.change.append` is required: the text to append (non-empty)")?;
    let test_command = text(spec.get("test_command"))
        .filter(|s| !s.trim().is_empty())
        .ok_or("`test_command` is required: the command whose exit 0 proves the change")?;
    let base_ref = text(spec.get("target").and_then(|t| t.get("base_ref"))).unwrap_or("main");
    Ok(Change {
        path: path.into(),
        append: append.into(),
        test_command: test_command.into(),
        base_ref: base_ref.into(),
    })
}

/// The last [`TAIL_LINES`] non-empty lines of stdout then stderr.
pub fn output_tail(stdout: &str, stderr: &str) -> String {
    let lines: Vec<&str> = stdout
        .split('\n')
        .chain(stderr.split('\n'))
        .filter(|l| !l.is_empty())
        .collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}

struct ProposeChange;

impl Guest for ProposeChange {
    fn describe() -> KindInfo {
        KindInfo {
            name: NAME.into(),
            version: VERSION.into(),
            summary: "appends text to a file, proves it with the test command, proposes or merges"
                .into(),
        }
    }

    fn run(ctx: RunContext) -> RunResult {
        let change = match read_change(&ctx.config_json) {
            Ok(change) => change,
            Err(why) => return result(Outcome::Error, why),
        };
        match propose(&ctx, &change) {
            Ok(result) => result,
            // A host refusal (denied, blocked, invalid path, budget...) is a value: report it.
            Err(refusal) => result(
                Outcome::Error,
                format!("host refused: {}", refusal_text(&refusal)),
            ),
        }
    }
}

fn result(outcome: Outcome, note: impl Into<String>) -> RunResult {
    RunResult {
        outcome,
        note: note.into(),
    }
}

/// A host refusal in words (the host's own reason, never a debug dump).
fn refusal_text(e: &HostError) -> String {
    match e {
        HostError::Denied(d) => format!("`{}` denied: {}", d.capability, d.reason),
        HostError::BudgetExceeded(b) => format!(
            "budget {} exceeded (cap {}, spent {}, asked {})",
            b.axis, b.cap, b.spent, b.requested
        ),
        HostError::Blocked(b) => format!("blocked by {}: {}", b.rule, b.reason),
        HostError::Invalid(m) => format!("invalid request: {m}"),
        HostError::Failed(m) => format!("host call failed: {m}"),
    }
}

fn propose(ctx: &RunContext, change: &Change) -> Result<RunResult, HostError> {
    // A fresh branch off the base; the host picks its name (the handle).
    let handle = worktree::create(&change.base_ref, "")?;
    // A file that does not exist yet starts empty; any other read refusal ends the run.
    let exists = worktree::list_files(&handle, "")?.contains(&change.path);
    let mut contents = if exists {
        worktree::read_file(&handle, &change.path)?
    } else {
        Vec::new()
    };
    contents.extend_from_slice(change.append.as_bytes());
    worktree::write_file(&handle, &change.path, &contents)?;

    // The host marks the tree verified only when this is the spec's test_command and it exits 0.
    let out = command::run(&handle, &change.test_command, 0)?;
    if out.exit_code != 0 || out.timed_out {
        let exit = if out.timed_out {
            "timed out".to_string()
        } else {
            format!("exit {}", out.exit_code)
        };
        return Ok(result(
            Outcome::Escalated,
            format!(
                "test command `{}` failed ({exit}) after appending to {}; output tail:\n{}",
                change.test_command,
                change.path,
                output_tail(&out.stdout, &out.stderr)
            ),
        ));
    }

    let commit = worktree::commit(&handle, &format!("{NAME}: append to {}", change.path))?;
    let short = &commit[..commit.len().min(12)];
    log::emit(log::Level::Info, &format!("committed {short} on {handle}"))?;
    if ctx.phase != Phase::L3 {
        return Ok(result(
            Outcome::Proposed,
            format!(
                "tests pass; branch {handle} ({short}) appends to {}, left for review",
                change.path
            ),
        ));
    }
    let decision = merge::request_merge(&handle)?;
    Ok(if decision.merged {
        result(Outcome::Merged, decision.reason)
    } else {
        result(
            Outcome::Proposed,
            format!(
                "tests pass; branch {handle} ({short}) proposed: {}",
                decision.reason
            ),
        )
    })
}

export!(ProposeChange);
