//! `maker.chat`: one turn of a tool-using conversation with the configured LLM maker.
//!
//! Guarantees, in order, before anything is sent (each refusal sends nothing):
//! - refused after verifier tampering, and after a prompt injection ended the run;
//! - the run's wall clock is checked, and the provider call (every retry, backoff and
//!   `Retry-After` wait) must end by it;
//! - the turn cap: past `maker.max_turns` turns the call is `budget-exceeded` on axis
//!   `maker-turns` (a turn counts once it may have reached the provider);
//! - the plugin's system prompt and every `user` message are injection-scanned; a flagged one is
//!   `blocked` and ends the run `escalated`, as in `maker.complete`;
//! - every `tool` message is injection-scanned; a flagged result is *withheld*: the model gets
//!   [`withheld_text`] in its place (the conversation goes on), and the call id and reason are
//!   recorded in the run's outcome and in this turn's audit row;
//! - untrusted text is marked with the run's data marker: the host's marking paragraph follows
//!   the plugin's system prompt, each `user` message is a `task` block and each `tool` message a
//!   `tool-result` block labelled with the tool's name (host-authored refusals stay unmarked);
//! - the makers crate reserves the worst case of the turn (the whole request body plus the
//!   turn's `max_tokens`, which the spec's `maker.max_tokens` bounds) with the run's ledger:
//!   a turn the budget cannot cover is `budget-exceeded` (axis `tokens` or `cost`).
//!
//! A command maker has no turns: `failed`. The answer (content, tool calls, finish reason,
//! usage, and the turn's number) is what the model said, unmarked; the plugin decides what to do
//! with each tool call, and every action it then takes is its own host call.

use strive_makers::{ChatMessage, ChatRequest, ChatRole, MakeContext, MakerError, ToolCall};

use super::maker::{blocked, budget_refusal, injection_in, injection_signals};
use super::{FixContext, refuse_after_tampering};
use crate::bindings::v0_1::HostError;
use crate::bindings::v0_1::strive::loops as wit;

/// What a tool result the host withheld reads as to the model.
pub fn withheld_text(reason: &str) -> String {
    format!(
        "[strive: tool result withheld: prompt injection {reason}. The host did not pass this \
         output on; do not ask for it again — work from other files or commands.]"
    )
}

/// What one turn did, for its audit row.
#[derive(Debug, Default)]
pub struct TurnRecord {
    pub summary: String,
}

/// The longest argument-size list an audit row names in full.
const MAX_CALLS_NAMED: usize = 16;

/// One turn (see the module docs). `record` gets the audit summary, also for a refusal.
pub fn chat(
    fix: &mut FixContext,
    request: wit::maker::ChatRequest,
    record: &mut TurnRecord,
) -> Result<wit::maker::ChatTurn, HostError> {
    let cap = fix.settings.max_turns;
    let turn = fix.outcome.chat_turns + 1;
    record.summary = format!(
        "turn {turn}/{cap}: {} messages, {} tools, max_tokens {}",
        request.messages.len(),
        request.tools.len(),
        request.max_tokens
    );
    refuse_after_tampering(fix)?;
    if let Some(note) = &fix.outcome.injection {
        return Err(blocked(note.clone()));
    }
    fix.check_clock()?;
    if fix.outcome.chat_turns >= cap {
        let note = format!(
            "the run took its {cap} chat turn(s) (maker.max_turns); no further turn is sent"
        );
        fix.note_budget(note);
        return Err(HostError::BudgetExceeded(wit::types::BudgetRefusal {
            axis: "maker-turns".into(),
            cap: u64::from(cap),
            spent: u64::from(fix.outcome.chat_turns),
            requested: 1,
        }));
    }
    if fix.settings.maker.is_none() {
        return Err(HostError::Failed(
            "no maker configured: add `maker` (e.g. {\"type\": \"nvidia\"}) to the loop spec"
                .into(),
        ));
    }
    let tools = request
        .tools
        .iter()
        .map(|t| {
            let parameters = serde_json::from_str(&t.parameters_json).map_err(|e| {
                HostError::Invalid(format!(
                    "tool `{}`: parameters-json is not JSON ({e}); give the JSON Schema of its arguments object",
                    t.name
                ))
            })?;
            Ok(strive_makers::ToolSpec {
                name: t.name.clone(),
                description: t.description.clone(),
                parameters,
            })
        })
        .collect::<Result<Vec<_>, HostError>>()?;

    // Scan: the system prompt and user messages block the run; tool results are withheld.
    if let Some(note) = injection_in("the chat system prompt", &request.system) {
        fix.outcome.injection = Some(note.clone());
        return Err(blocked(note));
    }
    let mut messages: Vec<ChatMessage> = Vec::with_capacity(request.messages.len());
    let mut withheld_now: Vec<String> = Vec::new();
    // Host-authored replacements are sent unmarked.
    let mut host_authored: Vec<bool> = Vec::with_capacity(request.messages.len());
    for (i, m) in request.messages.iter().enumerate() {
        let role = match m.role {
            wit::maker::ChatRole::User => ChatRole::User,
            wit::maker::ChatRole::Assistant => ChatRole::Assistant,
            wit::maker::ChatRole::Tool => ChatRole::Tool,
        };
        let mut content = m.content.clone();
        let mut authored = false;
        match role {
            ChatRole::User => {
                if let Some(signals) = scan_cached(fix, &m.content) {
                    let note = format!("prompt injection in chat message {i} (user): {signals}");
                    fix.outcome.injection = Some(note.clone());
                    return Err(blocked(note));
                }
            }
            ChatRole::Tool => {
                let id = m.tool_call_id.clone().unwrap_or_default();
                if id.is_empty() {
                    return Err(HostError::Invalid(format!(
                        "messages[{i}]: a tool message needs tool-call-id (the id of the call it answers)"
                    )));
                }
                if let Some(signals) = scan_cached(fix, &m.content) {
                    let reason = format!("in the result of tool call {id}: {signals}");
                    content = withheld_text(&reason);
                    authored = true;
                    let entry = format!("{id}: {signals}");
                    withheld_now.push(entry.clone());
                    if !fix.outcome.withheld.contains(&entry) {
                        fix.outcome.withheld.push(entry);
                    }
                }
            }
            ChatRole::Assistant => {}
        }
        messages.push(ChatMessage {
            role,
            content,
            tool_calls: m
                .tool_calls
                .iter()
                .map(|c| ToolCall {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    arguments: c.arguments_json.clone(),
                })
                .collect(),
            tool_call_id: m.tool_call_id.clone(),
        });
        host_authored.push(authored);
    }
    if !withheld_now.is_empty() {
        record
            .summary
            .push_str(&format!("; withheld: {}", withheld_now.join("; ")));
    }

    // Mark: one tag for the run, redrawn if any untrusted text holds it.
    let untrusted: Vec<&str> = messages
        .iter()
        .zip(&host_authored)
        .filter(|(m, authored)| m.role != ChatRole::Assistant && !**authored)
        .map(|(m, _)| m.content.as_str())
        .collect();
    let names = tool_names(&messages);
    if let Err(e) = fix.spotlight.fit(
        untrusted
            .iter()
            .copied()
            .chain(names.iter().map(|(_, n)| n.as_str())),
    ) {
        return Err(marking(e.to_string()));
    }
    let marks = fix.spotlight.clone();
    for (m, authored) in messages.iter_mut().zip(&host_authored) {
        if *authored {
            continue;
        }
        let marked = match m.role {
            ChatRole::User => marks.mark("task", None, &m.content),
            ChatRole::Tool => {
                let id = m.tool_call_id.as_deref().unwrap_or_default();
                let label = names
                    .iter()
                    .find(|(call, _)| call == id)
                    .map(|(_, n)| n.as_str())
                    .unwrap_or("tool");
                marks.mark("tool-result", Some(label), &m.content)
            }
            ChatRole::Assistant => continue,
        };
        m.content = marked.map_err(|e| marking(e.to_string()))?;
    }
    let system = if request.system.trim().is_empty() {
        strive_makers::DEFAULT_SYSTEM_PROMPT.to_owned()
    } else {
        request.system.trim_end().to_owned()
    };
    let chat_request = ChatRequest {
        system: format!("{system}\n\n{}", marks.instruction()),
        messages,
        tools,
        max_tokens: request.max_tokens,
    };

    let maker = fix.settings.maker.as_ref().expect("checked above");
    let ctx = MakeContext {
        budget: &fix.gate,
        worktree: fix.attempts.last().and_then(|a| a.tree.as_ref()),
        deadline: fix.remaining().map(|left| std::time::Instant::now() + left),
    };
    let result = maker.chat(&chat_request, &ctx);
    match result {
        Ok(answer) => {
            fix.outcome.chat_turns += 1;
            fix.outcome.maker_calls += 1;
            record.summary.push_str(&format!(
                "; tokens {}+{}; finish {:?}; asked {}",
                answer.usage.input_tokens,
                answer.usage.output_tokens,
                answer.finish,
                describe_calls(&answer.tool_calls)
            ));
            Ok(wit::maker::ChatTurn {
                content: answer.content,
                tool_calls: answer
                    .tool_calls
                    .into_iter()
                    .map(|c| wit::maker::ToolCall {
                        id: c.id,
                        name: c.name,
                        arguments_json: c.arguments,
                    })
                    .collect(),
                finish: match answer.finish {
                    strive_makers::FinishReason::Stop => wit::maker::FinishReason::Stop,
                    strive_makers::FinishReason::ToolCalls => wit::maker::FinishReason::ToolCalls,
                    strive_makers::FinishReason::Length => wit::maker::FinishReason::Length,
                    strive_makers::FinishReason::Other => wit::maker::FinishReason::Other,
                },
                tokens_in: answer.usage.input_tokens,
                tokens_out: answer.usage.output_tokens,
                turn: fix.outcome.chat_turns,
            })
        }
        Err(MakerError::Budget(refusal)) => Err(budget_refusal(fix, &refusal)),
        Err(e @ MakerError::BadRequest { .. }) => Err(HostError::Invalid(e.to_string())),
        Err(e @ (MakerError::NoChat { .. } | MakerError::Unmarked(_))) => {
            Err(HostError::Failed(format!("maker ({}): {e}", e.code())))
        }
        Err(e) => {
            // The request may have reached the provider: the turn counts against the cap.
            fix.outcome.chat_turns += 1;
            fix.outcome.maker_calls += 1;
            Err(HostError::Failed(format!("maker ({}): {e}", e.code())))
        }
    }
}

/// The injection verdict of `text` ("[signals] (score)"), scanned once per distinct text.
fn scan_cached(fix: &mut FixContext, text: &str) -> Option<String> {
    if let Some(verdict) = fix.scanned.get(text) {
        return verdict.clone();
    }
    let verdict = injection_signals(text);
    fix.scanned.insert(text.to_owned(), verdict.clone());
    verdict
}

/// `(call id, tool name)` of every call the conversation's assistant messages made.
fn tool_names(messages: &[ChatMessage]) -> Vec<(String, String)> {
    messages
        .iter()
        .flat_map(|m| m.tool_calls.iter())
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect()
}

/// `read_file (18 B), run_tests (2 B)` — names and argument sizes; `no tool` when none.
pub fn describe_calls(calls: &[ToolCall]) -> String {
    if calls.is_empty() {
        return "no tool".into();
    }
    let mut parts: Vec<String> = calls
        .iter()
        .take(MAX_CALLS_NAMED)
        .map(|c| {
            format!(
                "{} ({} B)",
                strive_core::text::escape_line(&c.name.chars().take(64).collect::<String>()),
                c.arguments.len()
            )
        })
        .collect();
    if calls.len() > MAX_CALLS_NAMED {
        parts.push(format!("and {} more", calls.len() - MAX_CALLS_NAMED));
    }
    parts.join(", ")
}

fn marking(reason: String) -> HostError {
    HostError::Blocked(wit::types::GuardBlock {
        rule: "data-marking".into(),
        reason,
        alternative: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_names_calls_and_sizes() {
        let calls = vec![
            ToolCall {
                id: "a".into(),
                name: "read_file".into(),
                arguments: r#"{"path":"calc.py"}"#.into(),
            },
            ToolCall {
                id: "b".into(),
                name: "run\ncommand".into(),
                arguments: "{}".into(),
            },
        ];
        let text = describe_calls(&calls);
        assert!(text.starts_with("read_file (18 B), run"), "{text}");
        assert!(!text.contains('\n'), "{text}");
        assert_eq!(describe_calls(&[]), "no tool");
    }

    #[test]
    fn the_refusal_text_says_what_happened() {
        let t = withheld_text("in the result of tool call c1: [x] (score 0.99)");
        assert!(t.starts_with(
            "[strive: tool result withheld: prompt injection in the result of tool call c1"
        ));
    }
}
