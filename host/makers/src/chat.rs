//! Tool-using chat turns (`maker.chat`) over the two wire formats.
//!
//! Guarantees:
//! - **Budget first, per turn.** A turn reserves its worst case — the serialized request body's
//!   characters / 4 plus the turn's `max_tokens` — with the loop's [`BudgetGate`] before any
//!   network I/O; a refused turn sends nothing. Usage is charged from the provider's usage
//!   fields, or the estimate when none is reported, also when the answer is unusable.
//! - **The host owns `max_tokens`.** A turn asks for at most the maker's configured
//!   `max_tokens`; a plugin may ask for less, never more (0 = the configured value).
//! - **Typed turns.** A reply is parsed into content, tool calls (id, name, the model's
//!   argument text), a finish reason and usage; a reply with neither `choices[0]` (OpenAI) nor a
//!   `content` array (Anthropic) is [`MakerError::BadResponse`], never an empty turn.
//! - **Bounded calls.** The same HTTP path as single-shot calls: timeouts, retries with
//!   backoff, and the run's wall clock as a deadline over every attempt.
//!
//! Wire formats:
//! - OpenAI chat completions: `tools: [{"type": "function", "function": {name, description,
//!   parameters}}]`; an assistant message echoes `tool_calls: [{id, "type": "function",
//!   "function": {name, arguments}}]`; a tool result is `{"role": "tool", "tool_call_id",
//!   "content"}`. Servers that send `arguments` as an object (Ollama) or omit a call's `id` are
//!   read too (the object is serialized, the id becomes `call_<n>`).
//! - Anthropic Messages: `tools: [{name, description, input_schema}]`; the model's calls are
//!   `tool_use` blocks (`input` is an object; its JSON text is the call's arguments); results go
//!   back as `tool_result` blocks in a `user` message. Consecutive messages that map to the same
//!   role are merged, because the API wants the roles to alternate; an echoed call whose
//!   arguments are not a JSON object is refused before anything is sent (the API accepts only
//!   objects).
//!
//! Marking untrusted text is the caller's job (the host marks every `user` and `tool` message
//! with the run's data marker before building a [`ChatRequest`]).

use serde_json::{Map, Value, json};

use crate::MakerError;
use crate::budget::{BudgetGate, Usage, estimate};
use crate::llm::LlmOptions;

/// Who speaks a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatRole {
    User,
    Assistant,
    Tool,
}

/// A tool the model may call; `parameters` is the JSON Schema of its arguments object.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolSpec {
    pub name: String,
    pub description: String,
    pub parameters: Value,
}

/// A call the model asked for. `arguments` is the model's JSON text, not validated here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCall {
    pub id: String,
    pub name: String,
    pub arguments: String,
}

/// One message of the conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    pub role: ChatRole,
    pub content: String,
    /// Only on assistant messages (echoing an earlier turn).
    pub tool_calls: Vec<ToolCall>,
    /// Only on tool messages: the call this answers.
    pub tool_call_id: Option<String>,
}

impl ChatMessage {
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: ChatRole::User,
            content: content.into(),
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }

    pub fn assistant(content: impl Into<String>, tool_calls: Vec<ToolCall>) -> Self {
        Self {
            role: ChatRole::Assistant,
            content: content.into(),
            tool_calls,
            tool_call_id: None,
        }
    }

    pub fn tool(id: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            role: ChatRole::Tool,
            content: content.into(),
            tool_calls: Vec::new(),
            tool_call_id: Some(id.into()),
        }
    }
}

/// One turn's request. `system` is sent as given (the host has appended its marking paragraph).
#[derive(Debug, Clone, PartialEq)]
pub struct ChatRequest {
    pub system: String,
    pub messages: Vec<ChatMessage>,
    pub tools: Vec<ToolSpec>,
    /// At most the maker's configured `max_tokens`; 0 = that value.
    pub max_tokens: u32,
}

/// Why the model's turn ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinishReason {
    Stop,
    ToolCalls,
    Length,
    Other,
}

/// What a provider answered for one turn, before charging.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatReply {
    pub content: String,
    pub tool_calls: Vec<ToolCall>,
    pub finish: FinishReason,
    /// `(input, output)` tokens when the provider reports them.
    pub usage: Option<(u64, u64)>,
}

/// One model turn and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct ChatTurn {
    pub content: String,
    pub tool_calls: Vec<ToolCall>,
    pub finish: FinishReason,
    pub usage: Usage,
    pub model: String,
}

/// The `max_tokens` a turn asks for: the plugin's request, never above the configured cap.
pub fn turn_max_tokens(requested: u32, configured: u32) -> u32 {
    if requested == 0 {
        configured
    } else {
        requested.min(configured)
    }
}

// ---- OpenAI chat completions ----

/// The chat-completions body of a turn.
pub fn openai_body(opts: &LlmOptions, request: &ChatRequest, max_tokens: u32) -> Value {
    let mut messages = vec![json!({"role": "system", "content": request.system})];
    for m in &request.messages {
        messages.push(match m.role {
            ChatRole::User => json!({"role": "user", "content": m.content}),
            ChatRole::Tool => json!({
                "role": "tool",
                "tool_call_id": m.tool_call_id.clone().unwrap_or_default(),
                "content": m.content,
            }),
            ChatRole::Assistant => {
                let mut msg = json!({"role": "assistant", "content": m.content});
                if !m.tool_calls.is_empty() {
                    msg["tool_calls"] = m
                        .tool_calls
                        .iter()
                        .map(|c| {
                            json!({"id": c.id, "type": "function",
                                "function": {"name": c.name, "arguments": c.arguments}})
                        })
                        .collect();
                    if m.content.is_empty() {
                        msg["content"] = Value::Null;
                    }
                }
                msg
            }
        });
    }
    let mut body = json!({
        "model": opts.model,
        "messages": messages,
        "max_tokens": max_tokens,
    });
    if !request.tools.is_empty() {
        body["tools"] = request
            .tools
            .iter()
            .map(|t| {
                json!({"type": "function", "function": {
                    "name": t.name, "description": t.description, "parameters": t.parameters}})
            })
            .collect();
    }
    if let Some(t) = opts.temperature {
        body["temperature"] = json!(t);
    }
    body
}

/// Reads a chat-completions reply.
pub fn openai_parse(reply: &Value) -> Result<ChatReply, String> {
    let choice = reply
        .pointer("/choices/0")
        .ok_or("no `choices[0]` in the response")?;
    let message = choice.get("message").unwrap_or(&Value::Null);
    let content = match message.get("content") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(parts)) => parts
            .iter()
            .filter_map(|p| p.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(""),
        _ => String::new(),
    };
    let mut tool_calls = Vec::new();
    if let Some(Value::Array(calls)) = message.get("tool_calls") {
        for (i, call) in calls.iter().enumerate() {
            let function = call.get("function").unwrap_or(&Value::Null);
            let name = function
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("tool_calls[{i}] has no function name"))?;
            let arguments = match function.get("arguments") {
                Some(Value::String(s)) => s.clone(),
                None | Some(Value::Null) => "{}".to_owned(),
                Some(other) => other.to_string(),
            };
            let id = call
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map_or_else(|| format!("call_{i}"), str::to_owned);
            tool_calls.push(ToolCall {
                id,
                name: name.to_owned(),
                arguments,
            });
        }
    }
    let finish = match choice.get("finish_reason").and_then(Value::as_str) {
        _ if !tool_calls.is_empty() => FinishReason::ToolCalls,
        Some("stop") => FinishReason::Stop,
        Some("tool_calls" | "function_call") => FinishReason::ToolCalls,
        Some("length") => FinishReason::Length,
        _ => FinishReason::Other,
    };
    let usage = crate::openai::usage(reply);
    Ok(ChatReply {
        content,
        tool_calls,
        finish,
        usage,
    })
}

// ---- Anthropic Messages ----

/// The Messages body of a turn, or why the conversation cannot be sent in this format.
pub fn anthropic_body(
    opts: &LlmOptions,
    request: &ChatRequest,
    max_tokens: u32,
) -> Result<Value, String> {
    let mut messages: Vec<(&'static str, Vec<Value>)> = Vec::new();
    for (i, m) in request.messages.iter().enumerate() {
        let (role, blocks) = match m.role {
            ChatRole::User => ("user", text_block(&m.content).into_iter().collect()),
            ChatRole::Tool => {
                let id = m
                    .tool_call_id
                    .clone()
                    .filter(|id| !id.is_empty())
                    .ok_or_else(|| format!("messages[{i}]: a tool message needs tool-call-id"))?;
                (
                    "user",
                    vec![json!({"type": "tool_result", "tool_use_id": id, "content": m.content})],
                )
            }
            ChatRole::Assistant => {
                let mut blocks: Vec<Value> = text_block(&m.content).into_iter().collect();
                for c in &m.tool_calls {
                    let input: Value = match serde_json::from_str(&c.arguments) {
                        Ok(Value::Object(o)) => Value::Object(o),
                        _ => {
                            return Err(format!(
                                "messages[{i}]: tool call `{}` ({}) has arguments that are not a JSON object",
                                c.name, c.id
                            ));
                        }
                    };
                    blocks.push(
                        json!({"type": "tool_use", "id": c.id, "name": c.name, "input": input}),
                    );
                }
                ("assistant", blocks)
            }
        };
        if blocks.is_empty() {
            continue;
        }
        match messages.last_mut() {
            Some((last, existing)) if *last == role => existing.extend(blocks),
            _ => messages.push((role, blocks)),
        }
    }
    let messages: Vec<Value> = messages
        .into_iter()
        .map(|(role, content)| json!({"role": role, "content": content}))
        .collect();
    let mut body = json!({
        "model": opts.model,
        "max_tokens": max_tokens,
        "system": request.system,
        "messages": messages,
    });
    if !request.tools.is_empty() {
        body["tools"] = request
            .tools
            .iter()
            .map(|t| json!({"name": t.name, "description": t.description, "input_schema": t.parameters}))
            .collect();
    }
    if let Some(t) = opts.temperature {
        body["temperature"] = json!(t);
    }
    Ok(body)
}

fn text_block(text: &str) -> Option<Value> {
    // The API refuses empty text blocks.
    (!text.is_empty()).then(|| json!({"type": "text", "text": text}))
}

/// Reads a Messages reply.
pub fn anthropic_parse(reply: &Value) -> Result<ChatReply, String> {
    let blocks = reply
        .get("content")
        .and_then(Value::as_array)
        .ok_or("no `content` array in the response")?;
    let mut content = String::new();
    let mut tool_calls = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        match block.get("type").and_then(Value::as_str) {
            Some("text") => {
                if let Some(t) = block.get("text").and_then(Value::as_str) {
                    content.push_str(t);
                }
            }
            Some("tool_use") => {
                let field = |k: &str| {
                    block
                        .get(k)
                        .and_then(Value::as_str)
                        .filter(|s| !s.is_empty())
                        .ok_or_else(|| format!("content[{i}] (tool_use) has no `{k}`"))
                };
                let input = block
                    .get("input")
                    .cloned()
                    .unwrap_or(Value::Object(Map::new()));
                tool_calls.push(ToolCall {
                    id: field("id")?.to_owned(),
                    name: field("name")?.to_owned(),
                    arguments: input.to_string(),
                });
            }
            _ => {}
        }
    }
    let finish = match reply.get("stop_reason").and_then(Value::as_str) {
        _ if !tool_calls.is_empty() => FinishReason::ToolCalls,
        Some("end_turn" | "stop_sequence") => FinishReason::Stop,
        Some("tool_use") => FinishReason::ToolCalls,
        Some("max_tokens") => FinishReason::Length,
        _ => FinishReason::Other,
    };
    let usage = crate::anthropic::usage(reply);
    Ok(ChatReply {
        content,
        tool_calls,
        finish,
        usage,
    })
}

/// Reserve, send, charge, parse — one turn (see the module docs). `body` is the wire body.
pub(crate) fn run_turn(
    opts: &LlmOptions,
    body: &Value,
    max_tokens: u32,
    budget: &dyn BudgetGate,
    send: impl FnOnce(&Value) -> Result<Value, MakerError>,
    parse: impl FnOnce(&Value) -> Result<ChatReply, String>,
) -> Result<ChatTurn, MakerError> {
    let est = estimate(
        body.to_string().chars().count(),
        max_tokens,
        opts.price.as_ref(),
    );
    budget.reserve(&est)?;
    let reply = send(body)?;
    let parsed = match parse(&reply) {
        Ok(p) => p,
        Err(reason) => {
            // The provider answered 2xx: assume the reserved tokens were spent.
            budget.charge(&crate::llm::estimated_usage(&est));
            return Err(MakerError::BadResponse { reason });
        }
    };
    let usage = match parsed.usage {
        Some((input, output)) => Usage {
            input_tokens: input,
            output_tokens: output,
            cost_usd: opts.price.map(|p| p.cost(input, output)),
            estimated: false,
        },
        None => crate::llm::estimated_usage(&est),
    };
    budget.charge(&usage);
    Ok(ChatTurn {
        content: parsed.content,
        tool_calls: parsed.tool_calls,
        finish: parsed.finish,
        usage,
        model: opts.model.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn opts() -> LlmOptions {
        LlmOptions::new("http://127.0.0.1:9/v1", "m", None)
    }

    fn reply_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "\\PC{0,10}".prop_map(Value::from),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            let keys = prop_oneof![
                Just("choices".to_owned()),
                Just("message".to_owned()),
                Just("content".to_owned()),
                Just("tool_calls".to_owned()),
                Just("function".to_owned()),
                Just("name".to_owned()),
                Just("arguments".to_owned()),
                Just("id".to_owned()),
                Just("type".to_owned()),
                Just("input".to_owned()),
                Just("finish_reason".to_owned()),
                Just("stop_reason".to_owned()),
                Just("usage".to_owned()),
                "[a-z_]{1,8}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(keys, inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn call() -> impl Strategy<Value = ToolCall> {
        (
            "[a-z0-9_]{1,12}",
            "[a-z_]{1,12}",
            prop::collection::btree_map("[a-z]{1,6}", "\\PC{0,12}", 0..3),
        )
            .prop_map(|(id, name, args)| ToolCall {
                id,
                name,
                arguments: serde_json::to_string(&args).unwrap(),
            })
    }

    proptest! {
        #[test]
        fn replies_of_any_shape_never_panic(reply in reply_value()) {
            let _ = openai_parse(&reply);
            let _ = anthropic_parse(&reply);
        }

        /// What a provider says in its own wire format parses back to the same turn.
        #[test]
        fn tool_calls_round_trip_through_both_wire_formats(
            calls in prop::collection::vec(call(), 0..4),
            text in "\\PC{0,40}",
        ) {
            let oa = json!({"choices": [{"finish_reason": if calls.is_empty() { "stop" } else { "tool_calls" },
                "message": {"role": "assistant", "content": text,
                    "tool_calls": calls.iter().map(|c| json!({"id": c.id, "type": "function",
                        "function": {"name": c.name, "arguments": c.arguments}})).collect::<Vec<_>>()}}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 7}});
            let got = openai_parse(&oa).unwrap();
            prop_assert_eq!(&got.tool_calls, &calls);
            prop_assert_eq!(&got.content, &text);
            prop_assert_eq!(got.usage, Some((5, 7)));
            prop_assert_eq!(got.finish, if calls.is_empty() { FinishReason::Stop } else { FinishReason::ToolCalls });

            let mut blocks: Vec<Value> = Vec::new();
            if !text.is_empty() {
                blocks.push(json!({"type": "text", "text": text}));
            }
            for c in &calls {
                let input: Value = serde_json::from_str(&c.arguments).unwrap();
                blocks.push(json!({"type": "tool_use", "id": c.id, "name": c.name, "input": input}));
            }
            let an = json!({"content": blocks, "stop_reason": if calls.is_empty() { "end_turn" } else { "tool_use" },
                "usage": {"input_tokens": 5, "output_tokens": 7}});
            let got = anthropic_parse(&an).unwrap();
            prop_assert_eq!(got.tool_calls.len(), calls.len());
            for (g, c) in got.tool_calls.iter().zip(&calls) {
                prop_assert_eq!(&g.id, &c.id);
                prop_assert_eq!(&g.name, &c.name);
                let a: Value = serde_json::from_str(&g.arguments).unwrap();
                let b: Value = serde_json::from_str(&c.arguments).unwrap();
                prop_assert_eq!(a, b);
            }
            prop_assert_eq!(&got.content, &text);

            // And an echo of the turn is a well-formed next request in both formats.
            let request = ChatRequest {
                system: "s".into(),
                messages: vec![
                    ChatMessage::user("go"),
                    ChatMessage::assistant(text.clone(), calls.clone()),
                ]
                .into_iter()
                .chain(calls.iter().map(|c| ChatMessage::tool(c.id.clone(), "ok")))
                .collect(),
                tools: vec![],
                max_tokens: 10,
            };
            let body = anthropic_body(&opts(), &request, 10).unwrap();
            let roles: Vec<&str> = body["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
            for pair in roles.windows(2) {
                prop_assert_ne!(pair[0], pair[1]);
            }
            let body = openai_body(&opts(), &request, 10);
            prop_assert_eq!(body["messages"].as_array().unwrap().len(), 3 + calls.len());
        }
    }

    #[test]
    fn the_configured_max_tokens_caps_a_turn() {
        assert_eq!(turn_max_tokens(0, 800), 800);
        assert_eq!(turn_max_tokens(100, 800), 100);
        assert_eq!(turn_max_tokens(5000, 800), 800);
    }
}
