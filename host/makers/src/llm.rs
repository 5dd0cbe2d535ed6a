//! What the HTTP makers share: options, the budget-first call flow, and charging.

use reqwest::blocking::Client;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::budget::{BudgetGate, Price, Usage, estimate};
use crate::chat::{ChatReply, ChatRequest, ChatTurn, run_turn, turn_max_tokens};
use crate::extract::extract_answer_in;
use crate::http::{ApiKey, HttpSettings, Reply, client, post_json};
use crate::request::{MakeContext, MakeRequest, MakeResponse, Prompt};
use crate::{Maker, MakerError};

/// Settings of an HTTP maker.
#[derive(Debug, Clone)]
pub struct LlmOptions {
    /// Endpoint base, e.g. `https://integrate.api.nvidia.com/v1` or `https://api.anthropic.com`.
    pub base_url: String,
    pub model: String,
    /// `None` for local servers that need no key.
    pub key: Option<ApiKey>,
    /// Upper bound of the response, in tokens (also part of the budget estimate).
    pub max_tokens: u32,
    pub temperature: Option<f32>,
    /// Price of `model`, when the config has one.
    pub price: Option<Price>,
    pub http: HttpSettings,
    /// Ask for structured output: the answer's JSON Schema first (`response_format` /
    /// `output_config`), then the wire's weaker forms, each dropped on HTTP 400.
    pub json_mode: bool,
}

impl LlmOptions {
    /// Options with the defaults: 8,000 output tokens, temperature 0.2, JSON mode on.
    pub fn new(base_url: impl Into<String>, model: impl Into<String>, key: Option<ApiKey>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            model: model.into(),
            key,
            max_tokens: 8000,
            temperature: Some(0.2),
            price: None,
            http: HttpSettings::default(),
            json_mode: true,
        }
    }
}

/// The text a provider returned, with its usage fields when reported.
pub struct Completion {
    pub text: String,
    pub usage: Option<(u64, u64)>,
    pub truncated: bool,
}

/// How strongly a single-shot request asks for the answer's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// The answer's JSON Schema (OpenAI `response_format: json_schema`, Anthropic
    /// `output_config.format`).
    Schema,
    /// Any JSON object (OpenAI `response_format: json_object`).
    JsonObject,
    /// Nothing beyond the prompt's instructions.
    Plain,
}

/// A wire format: how to build the body and read the reply.
pub trait Wire: Default + Send + Sync {
    /// How [`Maker::describe`] names the provider kind.
    const LABEL: &'static str;
    /// The output formats to try in order with JSON mode on; each HTTP 400 moves to the next.
    const FORMATS: &'static [OutputFormat];
    fn url(&self, base: &str) -> String;
    fn headers(&self, key: Option<&ApiKey>) -> Result<HeaderMap, MakerError>;
    /// The body for `request` rendered as `prompt` (see [`MakeRequest::render`]).
    fn body(
        &self,
        opts: &LlmOptions,
        request: &MakeRequest,
        prompt: &Prompt,
        format: OutputFormat,
    ) -> Value;
    fn parse(&self, reply: &Value) -> Result<Completion, String>;
    /// The body of one chat turn (see [`crate::chat`]), or why it cannot be sent.
    fn chat_body(
        &self,
        opts: &LlmOptions,
        request: &ChatRequest,
        max_tokens: u32,
    ) -> Result<Value, String>;
    fn chat_parse(&self, reply: &Value) -> Result<ChatReply, String>;
}

/// A maker over an HTTP LLM API speaking wire format `W` (see `AnthropicMaker`,
/// `OpenAiMaker`).
pub struct LlmMaker<W> {
    caller: Caller<W>,
}

impl<W: Wire> LlmMaker<W> {
    pub fn new(opts: LlmOptions) -> Result<Self, MakerError> {
        Ok(Self {
            caller: Caller::new(opts, W::default())?,
        })
    }

    pub fn options(&self) -> &LlmOptions {
        &self.caller.opts
    }
}

impl<W: Wire> std::fmt::Debug for LlmMaker<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmMaker")
            .field("wire", &W::LABEL)
            .field("options", &self.caller.opts)
            .finish()
    }
}

impl<W: Wire> Maker for LlmMaker<W> {
    fn describe(&self) -> String {
        format!(
            "{} {} at {}",
            W::LABEL,
            self.caller.opts.model,
            self.caller.opts.base_url
        )
    }

    fn make(
        &self,
        request: &MakeRequest,
        ctx: &MakeContext<'_>,
    ) -> Result<MakeResponse, MakerError> {
        self.caller.call(request, ctx.budget, ctx.deadline)
    }

    fn chat(&self, request: &ChatRequest, ctx: &MakeContext<'_>) -> Result<ChatTurn, MakerError> {
        self.caller.chat(request, ctx.budget, ctx.deadline)
    }
}

pub(crate) struct Caller<W> {
    pub opts: LlmOptions,
    pub wire: W,
    client: Client,
}

impl<W: Wire> Caller<W> {
    pub fn new(opts: LlmOptions, wire: W) -> Result<Self, MakerError> {
        let client = client(&opts.http)?;
        Ok(Self { opts, wire, client })
    }

    /// One chat turn: the body, then reserve, send, charge, parse ([`crate::chat`]).
    pub fn chat(
        &self,
        request: &ChatRequest,
        budget: &dyn BudgetGate,
        deadline: Option<std::time::Instant>,
    ) -> Result<ChatTurn, MakerError> {
        let opts = &self.opts;
        let max_tokens = turn_max_tokens(request.max_tokens, opts.max_tokens);
        let body = self
            .wire
            .chat_body(opts, request, max_tokens)
            .map_err(|reason| MakerError::BadRequest { reason })?;
        let key = opts.key.as_ref();
        let url = self.wire.url(&opts.base_url);
        let headers = self.wire.headers(key)?;
        run_turn(
            opts,
            &body,
            max_tokens,
            budget,
            |body| {
                let reply = post_json(
                    &self.client,
                    &url,
                    &headers,
                    body,
                    &opts.http.retry,
                    key,
                    deadline,
                )?;
                if !reply.status.is_success() {
                    return Err(reply.error(key));
                }
                reply.json(key)
            },
            |reply| self.wire.chat_parse(reply),
        )
    }

    /// Reserve, send (weakening the output format on each HTTP 400: schema, then the wire's
    /// JSON mode, then none), charge, extract.
    pub fn call(
        &self,
        request: &MakeRequest,
        budget: &dyn BudgetGate,
        deadline: Option<std::time::Instant>,
    ) -> Result<MakeResponse, MakerError> {
        let opts = &self.opts;
        let prompt = request.render()?;
        let est = estimate(prompt.chars(), opts.max_tokens, opts.price.as_ref());
        budget.reserve(&est)?;

        let key = opts.key.as_ref();
        let url = self.wire.url(&opts.base_url);
        let headers = self.wire.headers(key)?;
        let send = |format: OutputFormat| -> Result<Reply, MakerError> {
            let body = self.wire.body(opts, request, &prompt, format);
            post_json(
                &self.client,
                &url,
                &headers,
                &body,
                &opts.http.retry,
                key,
                deadline,
            )
        };
        let formats: &[OutputFormat] = if opts.json_mode {
            W::FORMATS
        } else {
            &[OutputFormat::Plain]
        };
        let mut reply = send(formats[0])?;
        for format in &formats[1..] {
            if reply.status.as_u16() != 400 {
                break;
            }
            tracing::debug!(model = %opts.model, ?format, "HTTP 400; retrying with a weaker output format");
            reply = send(*format)?;
        }
        if !reply.status.is_success() {
            return Err(reply.error(key));
        }
        let parsed = self
            .wire
            .parse(&reply.json(key)?)
            .map_err(|reason| MakerError::BadResponse { reason });
        let completion = match parsed {
            Ok(c) => c,
            Err(e) => {
                // The provider answered 2xx: assume the reserved tokens were spent.
                budget.charge(&estimated_usage(&est));
                return Err(e);
            }
        };
        let usage = match completion.usage {
            Some((input, output)) => Usage {
                input_tokens: input,
                output_tokens: output,
                cost_usd: opts.price.map(|p| p.cost(input, output)),
                estimated: false,
            },
            None => estimated_usage(&est),
        };
        budget.charge(&usage);
        match extract_answer_in(&completion.text, &request.files) {
            Ok(answer) => Ok(MakeResponse {
                answer,
                usage,
                model: opts.model.clone(),
            }),
            Err(source) => Err(MakerError::NoAnswer {
                model: opts.model.clone(),
                usage,
                truncated: completion.truncated,
                source,
            }),
        }
    }
}

pub(crate) fn estimated_usage(est: &crate::budget::Estimate) -> Usage {
    Usage {
        input_tokens: est.tokens,
        output_tokens: 0,
        cost_usd: est.cost_usd,
        estimated: true,
    }
}

/// Reads a non-negative integer field (providers sometimes send floats like `12.0`).
pub(crate) fn count(v: &Value) -> Option<u64> {
    v.as_u64()
        .or_else(|| v.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::anthropic::AnthropicWire;
    use crate::openai::OpenAiWire;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            "\\PC{0,12}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 48, 6, |inner| {
            let keys = prop_oneof![
                Just("choices".to_owned()),
                Just("message".to_owned()),
                Just("content".to_owned()),
                Just("usage".to_owned()),
                Just("text".to_owned()),
                Just("type".to_owned()),
                Just("prompt_tokens".to_owned()),
                Just("input_tokens".to_owned()),
                Just("output_tokens".to_owned()),
                Just("completion_tokens".to_owned()),
                Just("reasoning_content".to_owned()),
                "[a-z_]{1,8}",
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(keys, inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #[test]
        fn provider_replies_of_any_shape_never_panic(reply in json_value()) {
            let _ = OpenAiWire.parse(&reply);
            let _ = AnthropicWire.parse(&reply);
        }
    }

    #[test]
    fn counts_accept_integers_and_whole_floats_only_when_non_negative() {
        assert_eq!(count(&Value::from(12)), Some(12));
        assert_eq!(count(&serde_json::json!(12.0)), Some(12));
        assert_eq!(count(&serde_json::json!(-1)), None);
        assert_eq!(count(&serde_json::json!("12")), None);
    }
}
