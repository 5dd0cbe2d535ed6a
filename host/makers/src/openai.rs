//! OpenAI-compatible chat completions (`POST {base}/chat/completions`, Bearer key): NVIDIA NIM,
//! Groq, OpenRouter, Ollama, vLLM, llama.cpp server, OpenAI.
//!
//! JSON mode sends `response_format: {"type": "json_object"}`; servers that reject it with
//! HTTP 400 are asked once more without it. Usage: `usage.prompt_tokens` /
//! `usage.completion_tokens`.

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue};
use serde_json::{Value, json};

use crate::MakerError;
use crate::http::ApiKey;
use crate::llm::{Completion, LlmMaker, LlmOptions, Wire, count};
use crate::request::{MakeRequest, Prompt};

/// A maker over any OpenAI-compatible chat-completions endpoint.
pub type OpenAiMaker = LlmMaker<OpenAiWire>;

/// The openai-compatible wire format (see the module docs).
#[derive(Debug, Default)]
pub struct OpenAiWire;

impl Wire for OpenAiWire {
    const LABEL: &'static str = "openai-compatible";

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
        _request: &MakeRequest,
        prompt: &Prompt,
        json_mode: bool,
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
        if json_mode {
            body["response_format"] = json!({"type": "json_object"});
        }
        body
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
        let usage = reply.get("usage").and_then(|u| {
            Some((
                count(u.get("prompt_tokens")?)?,
                count(u.get("completion_tokens")?)?,
            ))
        });
        Ok(Completion {
            text,
            usage,
            truncated: choice.get("finish_reason").and_then(Value::as_str) == Some("length"),
        })
    }
}
