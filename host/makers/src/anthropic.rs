//! Anthropic Messages API (`POST {base}/v1/messages`, `x-api-key`, `anthropic-version`).
//!
//! JSON mode asks for structured output (`output_config.format: {"type": "json_schema",
//! "schema": …}`, Anthropic's documented form) with the answer schema; a server that rejects
//! it with HTTP 400 is asked once more without it. Anthropic's schema subset has `anyOf` but
//! not `oneOf`, so every `oneOf` is sent as `anyOf` — the same language for the answer schema,
//! whose two branches are closed objects with different required keys. The answer is the
//! concatenated `text` blocks of `content`. Chat turns ([`crate::chat`]) use `tool_use` /
//! `tool_result` blocks. Usage: `usage.input_tokens` (plus cache reads and
//! writes) / `usage.output_tokens`.

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

use crate::MakerError;
use crate::chat::{self, ChatReply, ChatRequest};
use crate::http::ApiKey;
use crate::llm::{Completion, LlmMaker, LlmOptions, OutputFormat, Wire, count};
use crate::request::{MakeRequest, Prompt};

pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// A maker over the Anthropic Messages API.
pub type AnthropicMaker = LlmMaker<AnthropicWire>;

/// The anthropic wire format (see the module docs).
#[derive(Debug, Default)]
pub struct AnthropicWire;

impl Wire for AnthropicWire {
    const LABEL: &'static str = "anthropic";
    const FORMATS: &'static [OutputFormat] = &[OutputFormat::Schema, OutputFormat::Plain];

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
        format: OutputFormat,
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
        if format == OutputFormat::Schema {
            body["output_config"] = json!({"format": {
                "type": "json_schema",
                "schema": any_of_for_one_of(&request.output_schema),
            }});
        }
        body
    }

    fn chat_body(
        &self,
        opts: &LlmOptions,
        request: &ChatRequest,
        max_tokens: u32,
    ) -> Result<Value, String> {
        chat::anthropic_body(opts, request, max_tokens)
    }

    fn chat_parse(&self, reply: &Value) -> Result<ChatReply, String> {
        chat::anthropic_parse(reply)
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
        Ok(Completion {
            text,
            usage: usage(reply),
            truncated: reply.get("stop_reason").and_then(Value::as_str) == Some("max_tokens"),
        })
    }
}

/// (input, output) tokens of a Messages API reply; cache reads and writes count as input.
pub(crate) fn usage(reply: &Value) -> Option<(u64, u64)> {
    let u = reply.get("usage")?;
    let cached = ["cache_creation_input_tokens", "cache_read_input_tokens"]
        .iter()
        .filter_map(|k| u.get(*k).and_then(count))
        .sum::<u64>();
    Some((
        count(u.get("input_tokens")?)? + cached,
        count(u.get("output_tokens")?)?,
    ))
}

/// `schema` with every `oneOf` keyword renamed `anyOf` (Anthropic's schema subset; see the
/// module docs). Property names are names, not keywords: a property called `oneOf` stays.
pub fn any_of_for_one_of(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| match (k.as_str(), v) {
                    ("properties" | "$defs" | "definitions", Value::Object(named)) => (
                        k.clone(),
                        Value::Object(
                            named
                                .iter()
                                .map(|(name, s)| (name.clone(), any_of_for_one_of(s)))
                                .collect(),
                        ),
                    ),
                    ("oneOf", _) => ("anyOf".to_owned(), any_of_for_one_of(v)),
                    _ => (k.clone(), any_of_for_one_of(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(any_of_for_one_of).collect()),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_of_becomes_any_of_but_property_names_stay() {
        let schema = json!({"oneOf": [{"type": "object", "properties": {
            "oneOf": {"oneOf": [{"type": "string"}, {"type": "null"}]}}}]});
        assert_eq!(
            any_of_for_one_of(&schema),
            json!({"anyOf": [{"type": "object", "properties": {
                "oneOf": {"anyOf": [{"type": "string"}, {"type": "null"}]}}}]})
        );
        let answer = any_of_for_one_of(&crate::request::answer_schema()).to_string();
        assert!(
            answer.contains("anyOf") && !answer.contains("oneOf"),
            "{answer}"
        );
    }
}
