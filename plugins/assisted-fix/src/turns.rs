//! Agent mode's turn loop: `maker.chat` turns whose tool calls become host calls
//! (`worktree.*`, `command.run`), with the transcript kept through the `context` capability.
//!
//! Guarantees (the plugin's side; the host gates every call — capability, grant, phase, budget,
//! guard, sandbox, injection scan, audit):
//! - Every tool a model calls is one or two host calls; nothing is read, written or run any
//!   other way. A guard refusal goes back to the model as a tool error carrying the rule, its
//!   reason and the safer alternative; a refusal that must end the run (verifier tampering, a
//!   write outside the worktree, a budget, a denial) ends it at once.
//! - The attempt ends on the model's final answer (a turn without tool calls), on the turn cap,
//!   or on the host's `budget-exceeded` — never with a request the host refused to send.
//! - The model never decides the outcome: the caller re-runs the test command afterwards.

use strive_sdk::context::{self, EntryKind};
use strive_sdk::maker::{ChatMessage, ChatRequest, ChatRole, ToolSpec};
use strive_sdk::{
    BudgetRefusal, Error, HostError, Outcome, RunResult, command, describe_host_error, log, maker,
    worktree,
};

use crate::agent::{self, Call, ToolError};
use crate::plan::FixConfig;

/// Why an attempt's turns ended.
#[derive(Debug, Clone)]
pub enum Ended {
    /// The model answered without tool calls.
    Final,
    /// The attempt used its turns (`maker.max_turns`).
    TurnCap,
    /// The host refused the next turn (tokens, cost, wall clock or the run's turn cap).
    Budget(BudgetRefusal),
    /// The provider failed (the host's `failed`).
    MakerFailed(String),
}

impl Ended {
    /// For reflections: "its final answer", "the turn cap (24)" …
    pub fn describe(&self, turns: u32) -> String {
        match self {
            Ended::Final => "its final answer".into(),
            Ended::TurnCap => format!("the turn cap ({turns} turns)"),
            Ended::Budget(b) => format!("the {} budget", b.axis),
            Ended::MakerFailed(r) => format!("a maker failure ({r})"),
        }
    }
}

/// What the turns of one attempt came to.
pub struct Turns {
    pub ended: Ended,
    pub turns: u32,
    pub tool_calls: u32,
    /// The model's last non-empty message.
    pub last_message: String,
}

/// The run's transcript in the host's `context`; recording stops quietly if the host refuses
/// (a manifest without `context`, its byte cap) and compaction then falls back to eliding old
/// tool results in place.
pub struct Transcript {
    enabled: bool,
}

impl Transcript {
    /// Starts the run's transcript with the task.
    pub fn start(task: &str) -> Self {
        let mut t = Transcript { enabled: true };
        t.append(EntryKind::Instruction, task);
        t
    }

    fn append(&mut self, kind: EntryKind, text: &str) {
        if self.enabled && !text.trim().is_empty() && context::append(kind, text).is_err() {
            self.enabled = false;
        }
    }

    /// Keeps the messages under `threshold` estimated tokens: the host folds the transcript
    /// (`context.compact`) and the conversation restarts from its `view`; without `context`
    /// old tool results are elided.
    fn fit(&mut self, messages: &mut Vec<ChatMessage>, threshold: u64) {
        if estimate(messages) <= threshold {
            return;
        }
        if self.enabled {
            let half = threshold / 2;
            let view = context::compact(half, 8).and_then(|_| context::view(half));
            match view {
                Ok(view) => {
                    let _ = log::info(&format!(
                        "agent: transcript past {threshold} tokens; compacted through context"
                    ));
                    *messages = vec![user(format!(
                        "{view}\n\nThe conversation so far was compacted by the host (above: the task, \
                         what earlier attempts taught, and your recent steps). Continue the task; \
                         re-read any file you need with read_file."
                    ))];
                    return;
                }
                Err(_) => self.enabled = false,
            }
        }
        elide_old_tool_results(messages, 4);
    }
}

fn user(content: String) -> ChatMessage {
    ChatMessage {
        role: ChatRole::User,
        content,
        tool_calls: Vec::new(),
        tool_call_id: None,
    }
}

/// The host's estimate (1 token per 4 bytes) of what the messages send.
pub fn estimate(messages: &[ChatMessage]) -> u64 {
    messages
        .iter()
        .map(|m| {
            agent::tokens_of(&m.content)
                + m.tool_calls
                    .iter()
                    .map(|c| agent::tokens_of(&c.arguments_json) + agent::tokens_of(&c.name))
                    .sum::<u64>()
        })
        .sum()
}

/// Replaces the content of every tool message but the last `keep` with a short marker (the
/// call/result pairing the providers need stays intact).
pub fn elide_old_tool_results(messages: &mut [ChatMessage], keep: usize) {
    let tools: Vec<usize> = messages
        .iter()
        .enumerate()
        .filter(|(_, m)| m.role == ChatRole::Tool)
        .map(|(i, _)| i)
        .collect();
    for &i in &tools[..tools.len().saturating_sub(keep)] {
        messages[i].content =
            "[older tool result elided to save context; call the tool again if you need it]".into();
    }
}

fn tool_specs() -> Vec<ToolSpec> {
    agent::tools()
        .into_iter()
        .map(|d| ToolSpec {
            name: d.name.into(),
            description: d.description.into(),
            parameters_json: d.parameters.to_string(),
        })
        .collect()
}

/// What one tool call came to.
enum Tool {
    Result(String),
    Error(ToolError),
    Stop(RunResult),
}

fn escalate(note: String) -> Tool {
    Tool::Stop(RunResult {
        outcome: Outcome::Escalated,
        note,
    })
}

/// A host refusal that is not the model's to handle ends the run; the rest are tool errors.
fn host_refusal(tool: &str, e: HostError) -> Tool {
    match e {
        HostError::Failed(m) => Tool::Error(ToolError::new("failed", format!("{tool}: {m}"))),
        HostError::Invalid(m) => Tool::Error(ToolError::new("invalid", format!("{tool}: {m}"))),
        HostError::BudgetExceeded(b) => escalate(format!(
            "budget exhausted on {} during the agent's {tool}: cap {}, spent {}, requested {}",
            b.axis, b.cap, b.spent, b.requested
        )),
        HostError::Blocked(b) => escalate(format!("{}: {}", b.rule, b.reason)),
        e @ HostError::Denied(_) => escalate(describe_host_error(&e)),
    }
}

fn run_command(cfg: &FixConfig, handle: &str, tool: &str, cmd: &str) -> Tool {
    match command::run(handle, cmd, cfg.test_timeout_ms) {
        Ok(out) => Tool::Result(agent::render_output(
            out.exit_code,
            out.timed_out,
            &out.stdout,
            &out.stderr,
        )),
        // Tampering found when the host staged the worktree: no retry, ever.
        Err(HostError::Blocked(b)) if b.rule == "integrity" => escalate(b.reason),
        Err(HostError::Blocked(b)) => {
            let hint = b.alternative.clone().unwrap_or_else(|| {
                "use run_tests for the tests and read_file/search/list_files to inspect files; \
                 the command guard refuses destructive or out-of-worktree commands"
                    .into()
            });
            Tool::Error(
                ToolError::new(
                    "blocked",
                    format!(
                        "{tool}: the host's command guard refused the command; nothing ran (rule {}): {}",
                        b.rule, b.reason
                    ),
                )
                .hint(hint),
            )
        }
        Err(e) => host_refusal(tool, e),
    }
}

fn read_text(handle: &str, path: &str) -> Result<Option<String>, Tool> {
    match worktree::read_file(handle, path) {
        Ok(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            Tool::Error(ToolError::new(
                "not_text",
                format!("{path} is not UTF-8 text; it cannot be read or edited as text"),
            ))
        }),
        Err(HostError::Invalid(m)) if m.contains("does not exist") => Ok(None),
        Err(HostError::Invalid(m)) => Err(Tool::Error(
            ToolError::new("invalid_path", m)
                .hint("give a path relative to the repository root, as list_files prints it"),
        )),
        Err(e) => Err(host_refusal("read_file", e)),
    }
}

fn execute(cfg: &FixConfig, handle: &str, call: Call) -> Tool {
    match call {
        Call::ListFiles { dir } => match worktree::list_files(handle, &dir) {
            Ok(files) => Tool::Result(agent::render_files(&files)),
            Err(HostError::Invalid(m)) => Tool::Error(ToolError::new("invalid_path", m)),
            Err(e) => host_refusal("list_files", e),
        },
        Call::ReadFile { path, start, end } => match read_text(handle, &path) {
            Ok(Some(text)) => match agent::render_lines(&path, &text, start, end) {
                Ok(s) => Tool::Result(s),
                Err(e) => Tool::Error(e),
            },
            Ok(None) => Tool::Error(
                ToolError::new("not_found", format!("{path} does not exist"))
                    .hint("list the files with list_files"),
            ),
            Err(t) => t,
        },
        Call::Search { pattern, dir } => {
            match worktree::search(handle, &dir, &pattern, agent::SEARCH_MAX_HITS) {
                Ok(hits) => {
                    let hits: Vec<(String, u32, String)> =
                        hits.into_iter().map(|h| (h.path, h.line, h.text)).collect();
                    Tool::Result(agent::render_hits(&hits, agent::SEARCH_MAX_HITS))
                }
                Err(HostError::Invalid(m)) => Tool::Error(
                    ToolError::new("bad_pattern", m)
                        .hint("use Rust regex syntax; escape ( ) [ ] . * + ? with a backslash"),
                ),
                Err(e) => host_refusal("search", e),
            }
        }
        Call::EditFile { path, old, new } => {
            let current = match read_text(handle, &path) {
                Ok(c) => c,
                Err(t) => return t,
            };
            let text = match agent::apply_edit(current.as_deref(), &path, &old, &new) {
                Ok(t) => t,
                Err(e) => return Tool::Error(e),
            };
            match worktree::write_file(handle, &path, text.as_bytes()) {
                Ok(()) => Tool::Result(match current {
                    None => format!("created {path} ({} bytes)\n", text.len()),
                    Some(_) => format!(
                        "edited {path}: replaced {} bytes with {} bytes\n",
                        old.len(),
                        new.len()
                    ),
                }),
                Err(HostError::Invalid(reason)) => escalate(format!(
                    "the maker tried to write outside the worktree — refused: {reason}"
                )),
                Err(e) => host_refusal("edit_file", e),
            }
        }
        Call::RunCommand { command } => run_command(cfg, handle, "run_command", &command),
        Call::RunTests => run_command(cfg, handle, "run_tests", &cfg.test_command),
    }
}

/// One attempt's turns in worktree `handle`. `Err(result)` ends the run with it.
pub fn run_attempt(
    cfg: &FixConfig,
    handle: &str,
    n: u32,
    reflections: &[String],
    transcript: &mut Transcript,
) -> Result<Result<Turns, RunResult>, Error> {
    let first = agent::first_message(&cfg.task, reflections);
    transcript.append(
        EntryKind::Prompt,
        &match reflections.last() {
            Some(r) => format!("attempt {n} begins; the last attempt taught:\n{r}"),
            None => format!("attempt {n} begins"),
        },
    );
    let tools = tool_specs();
    let mut messages = vec![user(first)];
    let mut out = Turns {
        ended: Ended::TurnCap,
        turns: 0,
        tool_calls: 0,
        last_message: String::new(),
    };
    while out.turns < cfg.agent.turns_per_attempt {
        transcript.fit(&mut messages, cfg.agent.context_tokens);
        let request = ChatRequest {
            system: agent::SYSTEM.into(),
            messages: messages.clone(),
            tools: tools.clone(),
            max_tokens: 0,
        };
        let turn = match maker::chat(&request) {
            Ok(t) => t,
            Err(HostError::BudgetExceeded(b)) => {
                out.ended = Ended::Budget(b);
                return Ok(Ok(out));
            }
            Err(HostError::Failed(reason)) => {
                out.ended = Ended::MakerFailed(reason);
                return Ok(Ok(out));
            }
            Err(e) => {
                return Ok(Err(RunResult {
                    outcome: Outcome::Escalated,
                    note: describe_host_error(&e),
                }));
            }
        };
        out.turns += 1;
        if !turn.content.trim().is_empty() {
            out.last_message = turn.content.clone();
        }
        let mut answer = turn.content.trim().to_string();
        for c in &turn.tool_calls {
            answer.push('\n');
            answer.push_str(&agent::call_line(&c.name, &c.arguments_json));
        }
        transcript.append(EntryKind::Answer, &answer);
        messages.push(ChatMessage {
            role: ChatRole::Assistant,
            content: turn.content.clone(),
            tool_calls: turn.tool_calls.clone(),
            tool_call_id: None,
        });
        if turn.tool_calls.is_empty() {
            out.ended = Ended::Final;
            return Ok(Ok(out));
        }
        for (i, call) in turn.tool_calls.iter().enumerate() {
            out.tool_calls += 1;
            let result = if i >= agent::MAX_CALLS_PER_TURN {
                Tool::Error(ToolError::new(
                    "too_many_calls",
                    format!(
                        "at most {} tool calls are run per turn; this one was not",
                        agent::MAX_CALLS_PER_TURN
                    ),
                ))
            } else {
                match agent::parse_call(&call.name, &call.arguments_json) {
                    Ok(parsed) => execute(cfg, handle, parsed),
                    Err(e) => Tool::Error(e),
                }
            };
            let (content, status) = match result {
                Tool::Result(text) => {
                    let status = format!("ok, {} bytes", text.len());
                    (text, status)
                }
                Tool::Error(e) => {
                    let status = format!("error {}", e.code);
                    (e.render(), status)
                }
                Tool::Stop(result) => {
                    let _ = log::warn(&format!(
                        "agent: {} ended the run: {}",
                        call.name, result.note
                    ));
                    return Ok(Err(result));
                }
            };
            let line = format!(
                "{} → {status}",
                agent::call_line(&call.name, &call.arguments_json)
            );
            let _ = log::info(&format!("agent turn {}: {line}", out.turns));
            transcript.append(EntryKind::ToolOutput, &line);
            messages.push(ChatMessage {
                role: ChatRole::Tool,
                content,
                tool_calls: Vec::new(),
                tool_call_id: Some(call.id.clone()),
            });
        }
    }
    Ok(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use strive_sdk::maker::ToolCall;

    fn msg(role: ChatRole, content: &str) -> ChatMessage {
        ChatMessage {
            role,
            content: content.into(),
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }

    #[test]
    fn eliding_keeps_the_newest_tool_results_and_the_pairing() {
        let mut m = vec![msg(ChatRole::User, "task")];
        for i in 0..6 {
            m.push(ChatMessage {
                tool_calls: vec![ToolCall {
                    id: format!("c{i}"),
                    name: "read_file".into(),
                    arguments_json: "{}".into(),
                }],
                ..msg(ChatRole::Assistant, "")
            });
            m.push(ChatMessage {
                tool_call_id: Some(format!("c{i}")),
                ..msg(ChatRole::Tool, &"x".repeat(4000))
            });
        }
        let before = estimate(&m);
        elide_old_tool_results(&mut m, 2);
        assert!(estimate(&m) < before / 2);
        let tools: Vec<&ChatMessage> = m.iter().filter(|x| x.role == ChatRole::Tool).collect();
        assert_eq!(tools.len(), 6);
        assert!(tools[..4].iter().all(|t| t.content.contains("elided")));
        assert!(tools[4..].iter().all(|t| t.content.len() == 4000));
        assert_eq!(tools[0].tool_call_id.as_deref(), Some("c0"));
    }

    #[test]
    fn endings_read_as_reasons() {
        assert_eq!(Ended::Final.describe(3), "its final answer");
        assert!(Ended::TurnCap.describe(24).contains("24 turns"));
    }
}
