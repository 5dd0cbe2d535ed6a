//! What the HTTP makers share: options, the budget-first call flow, and charging.

use reqwest::blocking::Client;
use reqwest::header::HeaderMap;
use serde_json::Value;

use crate::budget::{BudgetGate, Price, Usage, estimate};
use crate::extract::extract_answer;
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
    /// Ask for JSON output (`response_format` / `output_config`); dropped once on HTTP 400.
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

/// A wire format: how to build the body and read the reply.
pub trait Wire: Default + Send + Sync {
    /// How [`Maker::describe`] names the provider kind.
    const LABEL: &'static str;
    fn url(&self, base: &str) -> String;
    fn headers(&self, key: Option<&ApiKey>) -> Result<HeaderMap, MakerError>;
    /// The body for `request` rendered as `prompt` (see [`MakeRequest::render`]).
    fn body(
        &self,
        opts: &LlmOptions,
        request: &MakeRequest,
        prompt: &Prompt,
        json_mode: bool,
    ) -> Value;
    fn parse(&self, reply: &Value) -> Result<Completion, String>;
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

    /// Reserve, send (dropping JSON mode once on HTTP 400), charge, extract.
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
        let send = |json_mode: bool| -> Result<Reply, MakerError> {
            let body = self.wire.body(opts, request, &prompt, json_mode);
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
        let mut reply = send(opts.json_mode)?;
        if opts.json_mode && reply.status.as_u16() == 400 {
            tracing::debug!(model = %opts.model, "HTTP 400 with JSON mode; retrying without it");
            reply = send(false)?;
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
        match extract_answer(&completion.text) {
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

fn estimated_usage(est: &crate::budget::Estimate) -> Usage {
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
