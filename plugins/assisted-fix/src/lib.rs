//! `assisted-fix`: a maker proposes a change in a private worktree, the loop's test command
//! proves it, failures feed the next attempt (Reflexion); L2 leaves a branch for review, L3
//! asks the host's merge gate.
//!
//! Guarantees (the plugin's side; the host enforces the rest, see the host's `caps` module):
//! - Every attempt starts from a fresh worktree off the loop's base, so a failed attempt leaves
//!   nothing behind and an earlier proposal is never touched.
//! - A refusal that means "stop" ends the run `escalated` at once with the host's reason:
//!   prompt injection, verifier tampering, a write outside the worktree, a budget refusal,
//!   disagreeing self-consistency samples. Only test failures and unusable maker answers are
//!   retried, each with its reason carried into the next prompt.
//! - The plugin never declares success on its own: it claims `proposed` only after the host
//!   committed a tree that passed the test command, and `merged` only when the host's merge
//!   gate fast-forwarded the base.
//!
//! Mechanics per attempt: `worktree.create` (one iteration of the budget) → `maker.complete`
//! × `consistency.samples` → write the answer's files → `worktree.diff` (scanned by the host)
//! → `command.run(test_command)` → pass: `worktree.commit` (+ `merge.request-merge` at L3);
//! fail: reflection. The loop ends when the host refuses the next worktree (iteration cap).
//!
//! Agent mode (`maker.mode: "agent"`, see `docs/agents.md`): instead of `maker.complete`, a loop
//! of `maker.chat` turns whose tool calls are host calls (`turns`), ending on the model's final
//! answer, the turn cap or the budget; then the same verification. The reflection carries the
//! failing test output and the model's last message.

pub mod agent;
pub mod plan;
pub mod turns;

use agent::Mode;
use plan::{FixConfig, Proposal};
use strive_sdk::maker::MakerRequest;
use strive_sdk::{
    BudgetRefusal, Error, HostError, KindInfo, LoopKind, Outcome, Phase, RunContext, RunResult,
    command, describe_host_error, log, maker, merge, worktree,
};
use turns::{Ended, Transcript};

pub struct AssistedFix;

fn escalated(note: impl Into<String>) -> Result<RunResult, Error> {
    Ok(RunResult {
        outcome: Outcome::Escalated,
        note: note.into(),
    })
}

/// What one attempt came to.
enum Step {
    /// Tests pass: the worktree is ready to commit.
    Passed,
    /// Try again, having learned this.
    Retry(String),
    /// Stop the run.
    Stop(RunResult),
}

/// Asks the maker `samples` times; samples must agree. In-place edits cannot be compared, so a
/// maker that edits in place is asked once.
fn propose(cfg: &FixConfig, prompt: &str, attempt: u32) -> Result<Result<Proposal, Step>, Error> {
    let mut samples = Vec::new();
    for _ in 0..cfg.samples {
        let request = MakerRequest {
            system: String::new(),
            prompt: prompt.to_string(),
            schema_json: None,
            max_tokens: 0,
        };
        let response = match maker::complete(&request) {
            Ok(r) => r,
            Err(HostError::Failed(reason)) => {
                return Ok(Err(Step::Retry(format!(
                    "attempt {attempt}: the maker gave no usable answer: {reason}"
                ))));
            }
            Err(HostError::BudgetExceeded(b)) => {
                return Ok(Err(Step::Stop(RunResult {
                    outcome: Outcome::Escalated,
                    note: format!(
                        "budget exhausted on {} after {} attempt(s): cap {}, spent {}, the next maker call needs ~{} — no request sent",
                        b.axis,
                        attempt - 1,
                        b.cap,
                        b.spent,
                        b.requested
                    ),
                })));
            }
            Err(e) => {
                return Ok(Err(Step::Stop(RunResult {
                    outcome: Outcome::Escalated,
                    note: describe_host_error(&e),
                })));
            }
        };
        match plan::proposal(&response.text) {
            Ok(Proposal::EditedInPlace) => return Ok(Ok(Proposal::EditedInPlace)),
            Ok(p) => samples.push(p),
            Err(reason) => return Err(Error::msg(reason)),
        }
    }
    match plan::agree(samples) {
        Ok(p) => Ok(Ok(p)),
        Err(note) => Ok(Err(Step::Stop(RunResult {
            outcome: Outcome::Escalated,
            note,
        }))),
    }
}

/// `budget exhausted on tokens after N attempt(s): … — no request sent`.
fn budget_note(b: &BudgetRefusal, attempts: u32) -> String {
    format!(
        "budget exhausted on {} after {attempts} attempt(s): cap {}, spent {}, the next maker call needs ~{} — no request sent",
        b.axis, b.cap, b.spent, b.requested
    )
}

/// Agent mode: the model's turns edit the worktree through tools; then the same host-owned
/// verification as single-shot (diff scanned, the test command, then commit by the caller).
fn agent_attempt(
    cfg: &FixConfig,
    handle: &str,
    n: u32,
    reflections: &[String],
    transcript: &mut Transcript,
) -> Result<Step, Error> {
    let turns = match turns::run_attempt(cfg, handle, n, reflections, transcript)? {
        Ok(t) => t,
        Err(result) => return Ok(Step::Stop(result)),
    };
    let ended = turns.ended.describe(turns.turns);
    let _ = log::info(&format!(
        "attempt {n}: the agent ended on {ended} after {} turn(s) and {} tool call(s)",
        turns.turns, turns.tool_calls
    ));
    let diff = match worktree::diff(handle) {
        Ok(d) => d,
        Err(HostError::Blocked(b)) => return Ok(Step::Stop(blocked(b.reason))),
        Err(e) => return Err(e.into()),
    };
    if diff.trim().is_empty() {
        return Ok(match &turns.ended {
            Ended::Budget(b) => Step::Stop(escalated_result(budget_note(b, n))),
            Ended::MakerFailed(reason) => Step::Retry(format!(
                "attempt {n}: the maker gave no usable answer: {reason}"
            )),
            _ => Step::Retry(agent::reflection(
                &format!("attempt {n}: the agent made no changes"),
                &ended,
                &turns.last_message,
            )),
        });
    }
    let out = match command::run(handle, &cfg.test_command, cfg.test_timeout_ms) {
        Ok(out) => out,
        Err(HostError::Blocked(b)) => {
            return Ok(Step::Stop(blocked(format!("{}: {}", b.rule, b.reason))));
        }
        Err(e) => return Err(e.into()),
    };
    if out.exit_code == 0 && !out.timed_out {
        return Ok(Step::Passed);
    }
    if let Ended::Budget(b) = &turns.ended {
        return Ok(Step::Stop(escalated_result(format!(
            "{}; the tests still fail",
            budget_note(b, n)
        ))));
    }
    let exit = if out.timed_out {
        "timed out".to_string()
    } else {
        format!("exit {}", out.exit_code)
    };
    Ok(Step::Retry(agent::reflection(
        &plan::test_reflection(n, &exit, &out.stdout, &out.stderr),
        &ended,
        &turns.last_message,
    )))
}

fn escalated_result(note: String) -> RunResult {
    RunResult {
        outcome: Outcome::Escalated,
        note,
    }
}

fn attempt(cfg: &FixConfig, handle: &str, n: u32, reflections: &[String]) -> Result<Step, Error> {
    let proposal = match propose(cfg, &plan::prompt(&cfg.task, reflections), n)? {
        Ok(p) => p,
        Err(step) => return Ok(step),
    };
    if let Proposal::Files(files) = &proposal {
        for f in files {
            match worktree::write_file(handle, &f.path, f.content.as_bytes()) {
                Ok(()) => {}
                Err(HostError::Invalid(reason)) => {
                    return Ok(Step::Stop(RunResult {
                        outcome: Outcome::Escalated,
                        note: format!(
                            "the maker tried to write outside the worktree — refused: {reason}"
                        ),
                    }));
                }
                Err(e) => return Err(e.into()),
            }
        }
    }
    let diff = match worktree::diff(handle) {
        Ok(d) => d,
        Err(HostError::Blocked(b)) => return Ok(Step::Stop(blocked(b.reason))),
        Err(e) => return Err(e.into()),
    };
    if diff.trim().is_empty() {
        return Ok(Step::Retry(format!(
            "attempt {n}: the maker produced no changes"
        )));
    }
    let out = match command::run(handle, &cfg.test_command, cfg.test_timeout_ms) {
        Ok(out) => out,
        Err(HostError::Blocked(b)) => {
            return Ok(Step::Stop(blocked(format!("{}: {}", b.rule, b.reason))));
        }
        Err(e) => return Err(e.into()),
    };
    if out.exit_code == 0 && !out.timed_out {
        return Ok(Step::Passed);
    }
    let exit = if out.timed_out {
        "timed out".to_string()
    } else {
        format!("exit {}", out.exit_code)
    };
    Ok(Step::Retry(plan::test_reflection(
        n,
        &exit,
        &out.stdout,
        &out.stderr,
    )))
}

fn blocked(reason: String) -> RunResult {
    RunResult {
        outcome: Outcome::Escalated,
        note: reason,
    }
}

/// Commits the verified worktree; at L3 asks the host's merge gate.
fn finish(cfg: &FixConfig, ctx: &RunContext, handle: &str, n: u32) -> Result<RunResult, Error> {
    let commit = match worktree::commit(handle, &plan::commit_message(&cfg.id, &cfg.task)) {
        Ok(sha) => sha,
        Err(HostError::Blocked(b)) => return Ok(blocked(b.reason)),
        Err(e) => return Err(e.into()),
    };
    let short = &commit[..commit.len().min(12)];
    if ctx.phase != Phase::L3 {
        return Ok(RunResult {
            outcome: Outcome::Proposed,
            note: format!(
                "tests pass after {n} attempt(s); branch {handle} ({short}) left for human review (no auto-merge)"
            ),
        });
    }
    let decision = merge::request_merge(handle)?;
    Ok(if decision.merged {
        RunResult {
            outcome: Outcome::Merged,
            note: decision.reason,
        }
    } else {
        RunResult {
            outcome: Outcome::Proposed,
            note: format!(
                "tests pass after {n} attempt(s); branch {handle} ({short}) proposed: {}",
                decision.reason
            ),
        }
    })
}

impl LoopKind for AssistedFix {
    fn describe() -> KindInfo {
        KindInfo {
            name: "assisted-fix".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            summary: "A maker proposes, the test command proves; L2 proposes a branch, L3 merges through the allowlist gate".into(),
        }
    }

    fn run(ctx: &RunContext) -> Result<RunResult, Error> {
        if !matches!(ctx.phase, Phase::L2 | Phase::L3) {
            return Ok(RunResult {
                outcome: Outcome::Error,
                note: "assisted-fix requires phase L2 or L3".into(),
            });
        }
        let cfg = plan::config(&ctx.config_json).map_err(Error::msg)?;
        let mut reflections: Vec<String> = Vec::new();
        let mut transcript = match cfg.agent.mode {
            Mode::Agent => Some(Transcript::start(&cfg.task)),
            Mode::SingleShot => None,
        };
        let mut n = 0u32;
        loop {
            let handle = match worktree::create(&cfg.base_ref, "") {
                Ok(h) => h,
                Err(HostError::BudgetExceeded(b)) if b.axis == "iterations" => {
                    return escalated(format!("no passing fix in {n} attempt(s)"));
                }
                Err(HostError::BudgetExceeded(b)) => {
                    return escalated(format!(
                        "budget exhausted on {} after {n} attempt(s) (cap {}, spent {})",
                        b.axis, b.cap, b.spent
                    ));
                }
                Err(e) => return Err(e.into()),
            };
            n += 1;
            let _ = log::info(&format!("attempt {n} in {handle}"));
            let step = match transcript.as_mut() {
                Some(t) => agent_attempt(&cfg, &handle, n, &reflections, t)?,
                None => attempt(&cfg, &handle, n, &reflections)?,
            };
            match step {
                Step::Passed => return finish(&cfg, ctx, &handle, n),
                Step::Retry(reflection) => {
                    let _ = log::info(&reflection);
                    reflections.push(reflection);
                }
                Step::Stop(result) => return Ok(result),
            }
        }
    }
}

strive_sdk::export_loop_kind!(AssistedFix);
