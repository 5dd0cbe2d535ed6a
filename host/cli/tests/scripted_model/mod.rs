//! A scripted, tool-calling model on loopback for the agent-mode end-to-end tests.
//!
//! It answers OpenAI chat-completions (`POST …/chat/completions`, `tools` / `tool_calls`) and
//! Anthropic Messages (`POST …/messages`, `tool_use` blocks) from one script of turns, in the
//! wire format of the request it got, records every request body, and reports usage from the
//! sizes it saw (input: request bytes / 4; output: answer bytes / 4, at least 1). In chatty mode
//! every answer is as long as the request's `max_tokens` allows, plus one harmless tool call,
//! forever, so only the host's budget can stop the conversation. Past the end of the script it
//! answers 599.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use serde_json::{Value, json};

/// One scripted model turn.
#[derive(Debug, Clone)]
pub enum Turn {
    /// Tool calls `(name, arguments)`, with optional text before them.
    Tools(String, Vec<(String, Value)>),
    /// A final answer: text, no tool calls.
    Final(String),
}

/// A turn calling one tool.
pub fn call(name: &str, args: Value) -> Turn {
    Turn::Tools(String::new(), vec![(name.into(), args)])
}

/// A final answer.
pub fn final_answer(text: &str) -> Turn {
    Turn::Final(text.into())
}

/// A request the model received.
#[derive(Debug, Clone)]
pub struct Request {
    pub url: String,
    pub body: Value,
    /// The raw body text (what went over the wire).
    pub raw: String,
}

impl Request {
    /// Whether this request used the Anthropic Messages format.
    pub fn is_anthropic(&self) -> bool {
        self.url.ends_with("/messages")
    }

    /// Every tool result text the request carries, oldest first, in either wire format.
    pub fn tool_results(&self) -> Vec<String> {
        let mut out = Vec::new();
        for m in self.body["messages"].as_array().into_iter().flatten() {
            if m["role"] == "tool" {
                out.push(text_of(&m["content"]));
            }
            if let Some(blocks) = m["content"].as_array() {
                for b in blocks.iter().filter(|b| b["type"] == "tool_result") {
                    out.push(text_of(&b["content"]));
                }
            }
        }
        out
    }

    /// The names of the tools the request offers.
    pub fn tool_names(&self) -> Vec<String> {
        self.body["tools"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| {
                t["function"]["name"]
                    .as_str()
                    .or_else(|| t["name"].as_str())
                    .map(str::to_string)
            })
            .collect()
    }
}

/// Text of a content field: a string, or the text of its blocks.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(blocks) => blocks
            .iter()
            .filter_map(|b| b["text"].as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    }
}

struct Script {
    turns: VecDeque<Turn>,
    chatty: bool,
    served: usize,
}

/// The loopback model server.
pub struct ScriptedModel {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    seen: Arc<Mutex<Vec<Request>>>,
    usage: Arc<Mutex<Vec<u64>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl ScriptedModel {
    /// Answers `turns` in order.
    pub fn start(turns: Vec<Turn>) -> Self {
        Self::serve(Script {
            turns: turns.into(),
            chatty: false,
            served: 0,
        })
    }

    /// Answers every request with as much text as its `max_tokens` allows and one
    /// `list_files` call, forever.
    pub fn chatty() -> Self {
        Self::serve(Script {
            turns: VecDeque::new(),
            chatty: true,
            served: 0,
        })
    }

    fn serve(mut script: Script) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind loopback"));
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let usage = Arc::new(Mutex::new(Vec::new()));
        let (srv, log, charged) = (Arc::clone(&server), Arc::clone(&seen), Arc::clone(&usage));
        let thread = std::thread::spawn(move || {
            for mut request in srv.incoming_requests() {
                let mut raw = String::new();
                let _ = request.as_reader().read_to_string(&mut raw);
                let req = Request {
                    url: request.url().to_owned(),
                    body: serde_json::from_str(&raw).unwrap_or(Value::Null),
                    raw,
                };
                let reply = answer(&mut script, &req);
                log.lock().unwrap().push(req);
                let (status, body) = match reply {
                    Some((body, tokens)) => {
                        charged.lock().unwrap().push(tokens);
                        (200, body.to_string())
                    }
                    None => (599, r#"{"error":"unscripted"}"#.to_string()),
                };
                let mut response = tiny_http::Response::from_string(body).with_status_code(status);
                response.add_header(
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap(),
                );
                let _ = request.respond(response);
            }
        });
        ScriptedModel {
            base,
            seen,
            usage,
            server,
            thread: Some(thread),
        }
    }

    /// Every request so far, in order.
    pub fn seen(&self) -> Vec<Request> {
        self.seen.lock().unwrap().clone()
    }

    /// The tokens (input + output) each answered request reported as its usage.
    pub fn usage(&self) -> Vec<u64> {
        self.usage.lock().unwrap().clone()
    }
}

impl Drop for ScriptedModel {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The reply body and the tokens its usage reports.
fn answer(script: &mut Script, req: &Request) -> Option<(Value, u64)> {
    let turn = if script.chatty {
        let max = ["max_tokens", "max_completion_tokens"]
            .iter()
            .find_map(|k| req.body[*k].as_u64())
            .unwrap_or(1000);
        // Four bytes a token, less room for the tool call.
        let bytes = (max.saturating_sub(16) * 4) as usize;
        let text = "I have a great deal to say. ".repeat(bytes / 28);
        Turn::Tools(text, vec![("list_files".into(), json!({}))])
    } else {
        script.turns.pop_front()?
    };
    script.served += 1;
    let n = script.served;
    let tokens_in = (req.raw.len() as u64).div_ceil(4);
    let (text, calls): (&str, &[(String, Value)]) = match &turn {
        Turn::Tools(t, c) => (t, c),
        Turn::Final(t) => (t, &[]),
    };
    let tokens_out = out_tokens(text, calls);
    let body = if req.is_anthropic() {
        anthropic(text, calls, n, tokens_in, tokens_out)
    } else {
        openai(text, calls, n, tokens_in, tokens_out)
    };
    Some((body, tokens_in + tokens_out))
}

fn out_tokens(text: &str, calls: &[(String, Value)]) -> u64 {
    let bytes = text.len()
        + calls
            .iter()
            .map(|(_, a)| a.to_string().len() + 16)
            .sum::<usize>();
    (bytes as u64).div_ceil(4).max(1)
}

fn openai(text: &str, calls: &[(String, Value)], n: usize, tokens_in: u64, out: u64) -> Value {
    let mut message = json!({"role": "assistant", "content": if text.is_empty() { Value::Null } else { json!(text) }});
    if !calls.is_empty() {
        message["tool_calls"] = calls
            .iter()
            .enumerate()
            .map(|(i, (name, args))| {
                json!({"id": format!("call_{n}_{i}"), "type": "function",
                    "function": {"name": name, "arguments": args.to_string()}})
            })
            .collect();
    }
    json!({
        "id": format!("chatcmpl-{n}"), "object": "chat.completion", "model": "scripted",
        "choices": [{"index": 0, "message": message,
            "finish_reason": if calls.is_empty() { "stop" } else { "tool_calls" }}],
        "usage": {"prompt_tokens": tokens_in, "completion_tokens": out, "total_tokens": tokens_in + out}
    })
}

fn anthropic(text: &str, calls: &[(String, Value)], n: usize, tokens_in: u64, out: u64) -> Value {
    let mut content = Vec::new();
    if !text.is_empty() {
        content.push(json!({"type": "text", "text": text}));
    }
    for (i, (name, args)) in calls.iter().enumerate() {
        content.push(
            json!({"type": "tool_use", "id": format!("toolu_{n}_{i}"), "name": name, "input": args}),
        );
    }
    json!({
        "id": format!("msg_{n}"), "type": "message", "role": "assistant", "model": "scripted",
        "content": content,
        "stop_reason": if calls.is_empty() { "end_turn" } else { "tool_use" },
        "usage": {"input_tokens": tokens_in, "output_tokens": out}
    })
}
