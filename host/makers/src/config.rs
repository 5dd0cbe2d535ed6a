//! Building a maker from a loop spec's `maker` object (or its `maker_command`).
//!
//! One line of `loop.json` points a loop at a provider:
//! `"maker": {"type": "openai", "base_url": "https://api.groq.com/openai/v1", "model": "…",
//! "api_key_env": "GROQ_API_KEY"}`.
//!
//! Types and their defaults (base URL, key variable, model):
//!
//! | `type` | base URL | key variable | model |
//! |---|---|---|---|
//! | `nvidia` | `https://integrate.api.nvidia.com/v1` | `NVIDIA_API_KEY` | `meta/llama-3.3-70b-instruct` |
//! | `openai` | required | `OPENAI_API_KEY` | required |
//! | `groq` | `https://api.groq.com/openai/v1` | `GROQ_API_KEY` | required |
//! | `openrouter` | `https://openrouter.ai/api/v1` | `OPENROUTER_API_KEY` | required |
//! | `ollama` | `http://localhost:11434/v1` | none | required |
//! | `vllm` | `http://localhost:8000/v1` | none | required |
//! | `llamacpp` | `http://localhost:8080/v1` | none | `default` |
//! | `anthropic` (or the earlier `llm`) | `https://api.anthropic.com` | `ANTHROPIC_API_KEY` | `claude-opus-4-8` |
//! | `command` | — | — | `command` field required |
//!
//! Guarantees: an explicit `api_key_env` is always required to be set (also for local
//! servers); the key is read once, when the maker is built, so a missing key fails before the
//! run starts. Unknown fields are ignored, as in the earlier tool (its schema allowed them).

use std::time::Duration;

use serde::Deserialize;
use serde_json::Value;
use strive_vocab::{MakerProtocol, MakerType};
use strive_worktree::RunLimits;
use thiserror::Error;

use crate::anthropic::AnthropicMaker;
use crate::budget::PriceTable;
use crate::command::CommandMaker;
use crate::http::{ApiKey, HttpSettings};
use crate::llm::LlmOptions;
use crate::openai::OpenAiMaker;
use crate::{Maker, MakerError};

/// The `maker` object of a loop spec.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct MakerSpec {
    #[serde(rename = "type")]
    pub kind: String,
    pub model: Option<String>,
    pub base_url: Option<String>,
    pub api_key_env: Option<String>,
    pub max_tokens: Option<u32>,
    pub temperature: Option<f32>,
    /// Total time of one HTTP request, or of a command maker's run (seconds).
    pub timeout_secs: Option<u64>,
    pub connect_timeout_secs: Option<u64>,
    /// HTTP attempts in all, including the first.
    pub max_attempts: Option<u32>,
    /// Ask for JSON output (default true).
    pub json_mode: Option<bool>,
    /// USD per 1M tokens by model name.
    pub prices: Option<PriceTable>,
    /// The command of a `command` maker.
    pub command: Option<String>,
    /// `agent-cli`: a preset (`claude`, `codex`, `gemini`, `aider`) giving program, args, key
    /// variable and hook style.
    pub preset: Option<String>,
    /// `agent-cli`: the agent's program (overrides the preset's).
    pub program: Option<String>,
    /// `agent-cli`: its arguments; `{prompt}` is replaced by the task prompt (overrides the
    /// preset's).
    pub args: Option<Vec<String>>,
    /// `agent-cli`: `none` (default) or `full` — the network the agent's process gets.
    pub network: Option<String>,
    /// `agent-cli`: `claude`, `gemini` or `none` — which hook settings to write (default: the
    /// preset's, else none).
    pub hooks: Option<String>,
    /// `agent-cli`: `claude`, `codex`, `gemini` or `none` — which JSON usage report the
    /// agent prints, so the host can charge its tokens (default: the preset's, else none).
    pub usage: Option<String>,
}

/// Captured output of one agent-cli run, per stream (its JSON report carries the usage).
pub const AGENT_OUTPUT_CAP: usize = 4 << 20;

fn known_types() -> String {
    MakerType::spellings().collect::<Vec<_>>().join(", ")
}

/// A maker spec that cannot be built. Says which field to fix.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("maker spec is not an object with a string `type`: {0}")]
    Shape(String),
    #[error("maker.type `{0}` is unknown: use one of {types}", types = known_types())]
    UnknownType(String),
    #[error("maker.{field} is required for type `{kind}`")]
    Missing { kind: String, field: &'static str },
    #[error("maker.{field} is invalid: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error(transparent)]
    Maker(#[from] MakerError),
}

impl MakerSpec {
    /// Parses a `maker` object.
    pub fn from_value(value: &Value) -> Result<Self, ConfigError> {
        serde_json::from_value(value.clone()).map_err(|e| ConfigError::Shape(e.to_string()))
    }

    /// The maker of a whole loop spec: its `maker` object, else its `maker_command` as a command
    /// maker, else `None`.
    pub fn from_loop_spec(spec: &Value) -> Result<Option<Self>, ConfigError> {
        if let Some(m) = spec.get("maker") {
            return Self::from_value(m).map(Some);
        }
        match spec.get("maker_command") {
            None => Ok(None),
            Some(Value::String(c)) => Ok(Some(Self {
                kind: "command".into(),
                command: Some(c.clone()),
                ..Self::default()
            })),
            Some(_) => Err(ConfigError::Invalid {
                field: "maker_command",
                reason: "must be a string".into(),
            }),
        }
    }

    /// The environment variable holding this maker's API key, if it uses one.
    pub fn key_env(&self) -> Option<&str> {
        if self.kind == "command" {
            return None;
        }
        if MakerType::parse(&self.kind).is_some_and(|t| t.protocol == MakerProtocol::AgentCli) {
            return self.api_key_env.as_deref().or_else(|| {
                self.preset
                    .as_deref()
                    .and_then(crate::agent_cli::Preset::find)
                    .and_then(|p| p.key_env)
            });
        }
        self.api_key_env
            .as_deref()
            .or_else(|| MakerType::parse(&self.kind).and_then(|p| p.key_env))
    }

    /// Builds the maker: reads the API key and checks required fields.
    pub fn build(&self) -> Result<Box<dyn Maker>, ConfigError> {
        let preset = MakerType::parse(&self.kind)
            .ok_or_else(|| ConfigError::UnknownType(self.kind.clone()))?;
        if preset.protocol == MakerProtocol::Command {
            let command = self
                .command
                .clone()
                .filter(|c| !c.trim().is_empty())
                .ok_or(ConfigError::Missing {
                    kind: self.kind.clone(),
                    field: "command",
                })?;
            let limits = RunLimits {
                timeout: Duration::from_secs(self.timeout_secs.unwrap_or(600)),
                ..RunLimits::default()
            };
            return Ok(Box::new(CommandMaker::new(command, limits)));
        }
        if preset.protocol == MakerProtocol::AgentCli {
            return self
                .build_agent_cli()
                .map(|m| Box::new(m) as Box<dyn Maker>);
        }
        let missing = |field| ConfigError::Missing {
            kind: self.kind.clone(),
            field,
        };
        let base_url = self
            .base_url
            .clone()
            .or(preset.base_url.map(str::to_owned))
            .ok_or_else(|| missing("base_url"))?;
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(ConfigError::Invalid {
                field: "base_url",
                reason: format!("`{base_url}` must start with https:// or http://"),
            });
        }
        let model = self
            .model
            .clone()
            .or(preset.model.map(str::to_owned))
            .ok_or_else(|| missing("model"))?;
        let key = match self.api_key_env.as_deref().or(preset.key_env) {
            Some(env) => Some(ApiKey::from_env(env)?),
            None => None,
        };
        let defaults = HttpSettings::default();
        let mut http = HttpSettings {
            connect_timeout: self
                .connect_timeout_secs
                .map_or(defaults.connect_timeout, Duration::from_secs),
            timeout: self
                .timeout_secs
                .map_or(defaults.timeout, Duration::from_secs),
            retry: defaults.retry,
        };
        if let Some(n) = self.max_attempts {
            if n == 0 {
                return Err(ConfigError::Invalid {
                    field: "max_attempts",
                    reason: "must be at least 1".into(),
                });
            }
            http.retry.max_attempts = n;
        }
        let mut opts = LlmOptions::new(base_url, model, key);
        opts.http = http;
        if let Some(n) = self.max_tokens {
            opts.max_tokens = n;
        } else if preset.protocol == MakerProtocol::Anthropic {
            opts.max_tokens = 16000;
        }
        if self.temperature.is_some() {
            opts.temperature = self.temperature;
        }
        if let Some(j) = self.json_mode {
            opts.json_mode = j;
        }
        opts.price = self
            .prices
            .as_ref()
            .and_then(|t| t.get(&opts.model))
            .copied();
        Ok(if preset.protocol == MakerProtocol::Anthropic {
            Box::new(AnthropicMaker::new(opts)?)
        } else {
            Box::new(OpenAiMaker::new(opts)?)
        })
    }
}

impl MakerSpec {
    /// An `agent-cli` maker: the preset's program, args, key variable and hooks, each
    /// overridable; the key is read now (a missing key fails before the run).
    pub fn build_agent_cli(&self) -> Result<crate::agent_cli::AgentCliMaker, ConfigError> {
        use crate::agent_cli::{AgentCliMaker, HookStyle, PROMPT_PLACEHOLDER, Preset, UsageStyle};
        let preset = match self.preset.as_deref() {
            None => None,
            Some(name) => Some(Preset::find(name).ok_or_else(|| ConfigError::Invalid {
                field: "preset",
                reason: format!("`{name}` is not a preset; use one of {}", Preset::names()),
            })?),
        };
        let program = self
            .program
            .clone()
            .or_else(|| preset.map(|p| p.program.to_owned()))
            .filter(|p| !p.trim().is_empty())
            .ok_or(ConfigError::Missing {
                kind: self.kind.clone(),
                field: "program",
            })?;
        let args = match (&self.args, preset) {
            (Some(args), _) => args.clone(),
            (None, Some(p)) => p.args.iter().map(|a| (*a).to_owned()).collect(),
            (None, None) => vec![PROMPT_PLACEHOLDER.to_owned()],
        };
        let network = match self.network.as_deref().map(str::trim) {
            None | Some("none") => false,
            Some("full") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    field: "network",
                    reason: format!(
                        "`{other}` is not a network setting; use \"none\" (default) or \"full\" (the sandbox has no per-host allowlist yet)"
                    ),
                });
            }
        };
        let hooks = match self.hooks.as_deref().map(str::trim) {
            None => preset.map_or(HookStyle::None, |p| p.hooks),
            Some("claude") | Some("claude-code") => HookStyle::Claude,
            Some("gemini") => HookStyle::Gemini,
            Some("none") => HookStyle::None,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    field: "hooks",
                    reason: format!("`{other}` is not a hook style; use claude, gemini or none"),
                });
            }
        };
        let usage = match self.usage.as_deref().map(str::trim) {
            None => preset.map_or(UsageStyle::None, |p| p.usage),
            Some("claude") | Some("claude-code") => UsageStyle::Claude,
            Some("codex") => UsageStyle::Codex,
            Some("gemini") => UsageStyle::Gemini,
            Some("none") => UsageStyle::None,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    field: "usage",
                    reason: format!(
                        "`{other}` is not a usage report; use claude, codex, gemini or none (unmetered)"
                    ),
                });
            }
        };
        let key = match self.key_env() {
            Some(env) => Some(ApiKey::from_env(env)?),
            None => None,
        };
        Ok(AgentCliMaker {
            program,
            args,
            key,
            network,
            hooks,
            hook_exe: std::env::current_exe().ok(),
            limits: RunLimits {
                timeout: Duration::from_secs(self.timeout_secs.unwrap_or(1800)),
                // Room for the agent's JSON report (its usage is at the end).
                output_cap: AGENT_OUTPUT_CAP,
            },
            usage,
            tool_calls: Default::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn build(v: Value) -> Result<Box<dyn Maker>, ConfigError> {
        MakerSpec::from_value(&v)?.build()
    }

    #[test]
    fn presets_and_required_fields() {
        // SAFETY: variable names used by this test only.
        unsafe {
            std::env::set_var("STRIVE_CFG_TEST_GROQ", "gsk-test");
        }
        let m = build(
            json!({"type": "openai", "base_url": "https://api.groq.com/openai/v1/",
            "model": "llama-3.3-70b-versatile", "api_key_env": "STRIVE_CFG_TEST_GROQ"}),
        )
        .unwrap();
        assert_eq!(
            m.describe(),
            "openai-compatible llama-3.3-70b-versatile at https://api.groq.com/openai/v1"
        );
        let m = build(json!({"type": "ollama", "model": "qwen2.5-coder"})).unwrap();
        assert!(m.describe().contains("http://localhost:11434/v1"));
        let m = build(json!({"type": "command", "command": "./fix.sh"})).unwrap();
        assert_eq!(m.describe(), "command `./fix.sh`");

        let err = build(json!({"type": "openai", "model": "m"}))
            .err()
            .unwrap();
        assert!(
            matches!(
                err,
                ConfigError::Missing {
                    field: "base_url",
                    ..
                }
            ),
            "{err}"
        );
        let err = build(json!({"type": "groq", "api_key_env": "STRIVE_CFG_TEST_GROQ"}))
            .err()
            .unwrap();
        assert!(
            matches!(err, ConfigError::Missing { field: "model", .. }),
            "{err}"
        );
        let err = build(json!({"type": "nvidia", "api_key_env": "STRIVE_CFG_TEST_UNSET"}))
            .err()
            .unwrap();
        assert!(err.to_string().contains("STRIVE_CFG_TEST_UNSET"), "{err}");
        let err = build(json!({"type": "gpt"})).err().unwrap();
        assert!(matches!(err, ConfigError::UnknownType(_)), "{err}");
        let err = build(json!({"type": "command"})).err().unwrap();
        assert!(
            matches!(
                err,
                ConfigError::Missing {
                    field: "command",
                    ..
                }
            ),
            "{err}"
        );
        let err = build(json!({"type": "vllm", "model": "m", "base_url": "file:///x"}))
            .err()
            .unwrap();
        assert!(
            matches!(
                err,
                ConfigError::Invalid {
                    field: "base_url",
                    ..
                }
            ),
            "{err}"
        );
        let err = build(json!({"model": "m"})).err().unwrap();
        assert!(matches!(err, ConfigError::Shape(_)), "{err}");
    }

    #[test]
    fn loop_spec_maker_or_maker_command() {
        let spec = json!({"maker_command": "python fix.py"});
        let m = MakerSpec::from_loop_spec(&spec).unwrap().unwrap();
        assert_eq!(
            (m.kind.as_str(), m.command.as_deref()),
            ("command", Some("python fix.py"))
        );
        let spec = json!({"maker": {"type": "nvidia"}, "maker_command": "x"});
        assert_eq!(
            MakerSpec::from_loop_spec(&spec).unwrap().unwrap().kind,
            "nvidia"
        );
        assert!(MakerSpec::from_loop_spec(&json!({})).unwrap().is_none());
        assert!(MakerSpec::from_loop_spec(&json!({"maker_command": 3})).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_json_text_parses_or_errors_without_panic(text in "\\PC{0,120}") {
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                let _ = MakerSpec::from_value(&v);
                let _ = MakerSpec::from_loop_spec(&v);
            }
        }
    }

    #[test]
    fn price_of_the_configured_model_is_picked() {
        let spec = MakerSpec::from_value(&json!({"type": "vllm", "model": "m",
            "prices": {"m": {"input": 0.5, "output": 1.5}, "other": {"input": 9.0, "output": 9.0}}}))
        .unwrap();
        assert_eq!(spec.prices.as_ref().unwrap()["m"].output, 1.5);
        assert!(spec.build().is_ok());
    }
}
