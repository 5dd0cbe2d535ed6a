//! Anthropic Messages API (`POST {base}/v1/messages`, `x-api-key`, `anthropic-version`).
//!
//! JSON mode asks for structured output (`output_config.format` with the answer schema);
//! a server that rejects it with HTTP 400 is asked once more without it. The answer is the
//! concatenated `text` blocks of `content`. Usage: `usage.input_tokens` (plus cache reads and
//! writes) / `usage.output_tokens`.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

use crate::MakerError;
use crate::http::ApiKey;
use crate::llm::{Completion, LlmMaker, LlmOptions, Wire, count};
use crate::request::{MakeRequest, Prompt};

pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// A maker over the Anthropic Messages API.
pub type AnthropicMaker = LlmMaker<AnthropicWire>;

/// The anthropic wire format (see the module docs).
#[derive(Debug, Default)]
pub struct AnthropicWire;

impl Wire for AnthropicWire {
    const LABEL: &'static str = "anthropic";

    fn url(&self, base: &str) -> String {
        if base.ends_with("/v1") {
            format!("{base}/messages")
        } else {
            format!("{base}/v1/messages")
        }
    }

    fn headers(&self, key: Option<&ApiKey>) -> Result<HeaderMap, MakerError> {
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static("anthropic-version"),
            HeaderValue::from_static(ANTHROPIC_VERSION),
        );
        if let Some(key) = key {
            let mut value =
                HeaderValue::from_str(key.expose()).map_err(|_| MakerError::MissingApiKey {
                    env: format!("{} (holds characters not allowed in a header)", key.env()),
                })?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static("x-api-key"), value);
        }
        Ok(headers)
    }

    fn body(
        &self,
        opts: &LlmOptions,
        request: &MakeRequest,
        prompt: &Prompt,
        json_mode: bool,
    ) -> Value {
        let mut body = json!({
            "model": opts.model,
            "max_tokens": opts.max_tokens,
            "system": prompt.system,
            "messages": [{"role": "user", "content": prompt.user}],
        });
        if let Some(t) = opts.temperature {
            body["temperature"] = json!(t);
        }
        if json_mode {
            body["output_config"] =
                json!({"format": {"type": "json_schema", "schema": request.output_schema}});
        }
        body
    }

    fn parse(&self, reply: &Value) -> Result<Completion, String> {
        let blocks = reply
            .get("content")
            .and_then(Value::as_array)
            .ok_or("no `content` array in the response")?;
        let text = blocks
            .iter()
            .filter(|b| b.get("type").and_then(Value::as_str) == Some("text"))
            .filter_map(|b| b.get("text").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("");
        let usage = reply.get("usage").and_then(|u| {
            let cached = ["cache_creation_input_tokens", "cache_read_input_tokens"]
                .iter()
                .filter_map(|k| u.get(*k).and_then(count))
                .sum::<u64>();
            Some((
                count(u.get("input_tokens")?)? + cached,
                count(u.get("output_tokens")?)?,
            ))
        });
        Ok(Completion {
            text,
            usage,
            truncated: reply.get("stop_reason").and_then(Value::as_str) == Some("max_tokens"),
        })
    }
}
