//! OpenAI-compatible chat completions (`POST {base}/chat/completions`, Bearer key): NVIDIA NIM,
//! Groq, OpenRouter, Ollama, vLLM, llama.cpp server, OpenAI.
//!
//! Structured output (JSON mode, on by default) sends the answer's JSON Schema as
//! `response_format: {"type": "json_schema", "json_schema": {"name": "strive_answer", "schema":
//! …, "strict": false}}`; a server that rejects it with HTTP 400 is asked once with
//! `{"type": "json_object"}`, and on a second 400 once more with no `response_format`.
//! `strict` is false because the assisted-fix answer schema is a `oneOf` at the root, which
//! OpenAI's strict mode refuses; constrained decoders (llama.cpp, vLLM) follow the schema
//! either way. Chat turns ([`crate::chat`]) use `tools` / `tool_calls`. Usage:
//! `usage.prompt_tokens` / `usage.completion_tokens`.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::MakerError;
use crate::chat::{self, ChatReply, ChatRequest};
use crate::http::ApiKey;
use crate::llm::{Completion, LlmMaker, LlmOptions, OutputFormat, Wire, count};
use crate::request::{MakeRequest, Prompt};

/// A maker over any OpenAI-compatible chat-completions endpoint.
pub type OpenAiMaker = LlmMaker<OpenAiWire>;

/// The openai-compatible wire format (see the module docs).
#[derive(Debug, Default)]
pub struct OpenAiWire;

impl Wire for OpenAiWire {
    const LABEL: &'static str = "openai-compatible";
    const FORMATS: &'static [OutputFormat] = &[
        OutputFormat::Schema,
        OutputFormat::JsonObject,
        OutputFormat::Plain,
    ];

    fn url(&self, base: &str) -> String {
        format!("{base}/chat/completions")
    }

    fn headers(&self, key: Option<&ApiKey>) -> Result<HeaderMap, MakerError> {
        let mut headers = HeaderMap::new();
        if let Some(key) = key {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", key.expose())).map_err(|_| {
                    MakerError::MissingApiKey {
                        env: format!("{} (holds characters not allowed in a header)", key.env()),
                    }
                })?;
            value.set_sensitive(true);
            headers.insert(AUTHORIZATION, value);
        }
        Ok(headers)
    }

    fn body(
        &self,
        opts: &LlmOptions,
        request: &MakeRequest,
        prompt: &Prompt,
        format: OutputFormat,
    ) -> Value {
        let mut body = json!({
            "model": opts.model,
            "messages": [
                {"role": "system", "content": prompt.system},
                {"role": "user", "content": prompt.user},
            ],
            "max_tokens": opts.max_tokens,
        });
        if let Some(t) = opts.temperature {
            body["temperature"] = json!(t);
        }
        match format {
            OutputFormat::Schema => {
                body["response_format"] = json!({"type": "json_schema", "json_schema": {
                    "name": "strive_answer",
                    "schema": request.output_schema,
                    "strict": false,
                }});
            }
            OutputFormat::JsonObject => {
                body["response_format"] = json!({"type": "json_object"});
            }
            OutputFormat::Plain => {}
        }
        body
    }

    fn chat_body(
        &self,
        opts: &LlmOptions,
        request: &ChatRequest,
        max_tokens: u32,
    ) -> Result<Value, String> {
        Ok(chat::openai_body(opts, request, max_tokens))
    }

    fn chat_parse(&self, reply: &Value) -> Result<ChatReply, String> {
        chat::openai_parse(reply)
    }

    fn parse(&self, reply: &Value) -> Result<Completion, String> {
        let choice = reply
            .pointer("/choices/0")
            .ok_or("no `choices[0]` in the response")?;
        let text = match choice.pointer("/message/content") {
            Some(Value::String(s)) => s.clone(),
            // Some servers send content as parts: [{"type": "text", "text": "..."}].
            Some(Value::Array(parts)) => parts
                .iter()
                .filter_map(|p| p.get("text").and_then(Value::as_str))
                .collect::<Vec<_>>()
                .join(""),
            _ => String::new(),
        };
        // Reasoning servers (vLLM, DeepSeek) may leave `content` empty and put everything in
        // `reasoning_content`: search it, as reasoning, only then.
        let text = match choice
            .pointer("/message/reasoning_content")
            .and_then(Value::as_str)
        {
            Some(r) if text.trim().is_empty() => format!("<think>{r}</think>"),
            _ => text,
        };
        Ok(Completion {
            text,
            usage: usage(reply),
            truncated: choice.get("finish_reason").and_then(Value::as_str) == Some("length"),
        })
    }
}

/// (prompt, completion) tokens of a chat-completions reply.
pub(crate) fn usage(reply: &Value) -> Option<(u64, u64)> {
    let u = reply.get("usage")?;
    Some((
        count(u.get("prompt_tokens")?)?,
        count(u.get("completion_tokens")?)?,
    ))
}
