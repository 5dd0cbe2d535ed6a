//! The typed loop spec. Built only from a document that passed [`crate::validate`], so the
//! types here can be plain; defaults are applied through the accessor methods, never by
//! rewriting what the person wrote.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Kind name of the built-in report-only triage loop.
pub const KIND_TRIAGE: &str = "git-commit-triage";
/// Kind name of the built-in fix-proposing loop.
pub const KIND_ASSISTED_FIX: &str = "assisted-fix";
/// The loop kinds compiled into `strive`.
pub const BUILTIN_KINDS: &[&str] = &[KIND_TRIAGE, KIND_ASSISTED_FIX];

/// Defaults applied when a field is absent (kept from the earlier loopengine).
pub mod defaults {
    pub const STATE_FILE: &str = ".loop-state/state.json";
    pub const FIRST_RUN_SINCE: &str = "7 days ago";
    pub const BASE_REF: &str = "main";
    pub const PRIORITY: i64 = 100;
    /// Attempts for triage (one tick per run).
    pub const TRIAGE_MAX_ITERATIONS: u32 = 1;
    /// Attempts for assisted-fix.
    pub const ASSISTED_MAX_ITERATIONS: u32 = 3;
}

/// How far a loop may act (the shared vocabulary's phase).
pub use strive_vocab::Phase;

/// One loop spec (`loop.json`). Field meanings: `docs/loop-spec.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoopSpec {
    pub id: String,
    pub kind: String,
    pub phase: Phase,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plugin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stop_after: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    #[serde(default)]
    pub paused: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_file: Option<String>,
    pub target: Target,
    pub budget: Budget,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test_command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker_command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maker: Option<Maker>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowlist: Option<Allowlist>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub connectors: Vec<Connector>,
    /// The OS sandbox for every process the loop starts (default: on, no network).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox: Option<Sandbox>,
    /// Capabilities the person grants this loop's plugin (`grants`, or its alias `capabilities`).
    #[serde(default, alias = "capabilities", skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// As written; see [`crate::LoadedSpec::repo_path`] for the resolved path.
    pub repo: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_run_since: Option<String>,
    /// The first-run window (string or object; see the schema); the triage kind reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_run: Option<Value>,
    /// At most this many commits per ref and run; the rest of a window continues next run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_run_page: Option<u32>,
    /// Report only the first-parent chain of each ref.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_parent: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_ref: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_iterations: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wall_clock_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_cost_usd: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_host_calls: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Maker {
    /// A maker type of the shared vocabulary ([`strive_vocab::MakerType`]); checked by the
    /// schema's enum and [`Maker::maker_type`].
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_env: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Further provider settings (the earlier schema allowed any).
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allowlist {
    pub allow_globs: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny_globs: Vec<String>,
    pub max_files: u64,
    pub max_lines: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectorScope {
    #[default]
    Read,
    Write,
}

/// One MCP connector (`connectors[]`). Field meanings and the read/write classification:
/// `docs/connectors.md`. Exactly one of `command` (a stdio server the host starts inside the
/// loop's sandbox) and `url` (a Streamable HTTP server) is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connector {
    pub name: String,
    #[serde(default)]
    pub scope: ConnectorScope,
    /// argv of a stdio server, e.g. `["npx", "server"]` (no shell).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Host environment variables passed to a stdio server (nothing else is, beyond PATH,
    /// LANG and a private HOME/TMPDIR).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<String>,
    /// Which of the server's tools the loop may see and call (globs; deny wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tools: Option<ConnectorTools>,
    /// Tools the person declares as writing, whatever the server's annotations say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub write_tools: Vec<String>,
    /// Unannotated tools the person vouches for as read-only (a tool the server marks as
    /// writing or destructive stays a write tool).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_tools: Vec<String>,
    /// Network for a stdio server: `none` (default) or `full` (needs `network_reason`).
    #[serde(default)]
    pub network: SandboxNetwork,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_reason: Option<String>,
    /// Longest one call may take (further bounded by the run's deadline).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_secs: Option<u64>,
}

/// A connector's tool filter: `allow` globs (empty = every tool) and `deny` globs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorTools {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deny: Vec<String>,
}

/// The spec's `sandbox` block. Field meanings: `docs/sandbox.md`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sandbox {
    #[serde(default)]
    pub mode: SandboxMode,
    #[serde(default)]
    pub network: SandboxNetwork,
    /// Why the loop needs the network (required with `network: "full"`; shown by `audit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_reason: Option<String>,
    /// Extra directories commands may read and execute from (absolute, or `~/…`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub read_paths: Vec<String>,
    #[serde(default)]
    pub limits: SandboxLimits,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SandboxMode {
    #[default]
    On,
    Off,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SandboxNetwork {
    #[default]
    None,
    Full,
}

/// Resource limits per sandboxed command; unset fields keep the defaults of `docs/sandbox.md`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SandboxLimits {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_mb: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size_mb: Option<u64>,
}

impl LoopSpec {
    /// One of the kinds compiled into `strive`.
    pub fn is_builtin_kind(&self) -> bool {
        BUILTIN_KINDS.contains(&self.kind.as_str())
    }

    /// The state file as written, or the default.
    pub fn state_file(&self) -> &str {
        self.state_file.as_deref().unwrap_or(defaults::STATE_FILE)
    }

    pub fn priority(&self) -> i64 {
        self.priority.unwrap_or(defaults::PRIORITY)
    }

    /// Attempts per run: the spec's cap, or 3 for assisted-fix and 1 otherwise.
    pub fn max_iterations(&self) -> u32 {
        self.budget
            .max_iterations
            .unwrap_or(if self.kind == KIND_ASSISTED_FIX {
                defaults::ASSISTED_MAX_ITERATIONS
            } else {
                defaults::TRIAGE_MAX_ITERATIONS
            })
    }

    pub fn first_run_since(&self) -> &str {
        self.target
            .first_run_since
            .as_deref()
            .unwrap_or(defaults::FIRST_RUN_SINCE)
    }

    pub fn base_ref(&self) -> &str {
        self.target
            .base_ref
            .as_deref()
            .unwrap_or(defaults::BASE_REF)
    }

    /// A maker is configured (an LLM maker or a maker command).
    pub fn has_maker(&self) -> bool {
        self.maker.is_some() || self.maker_command.is_some()
    }
}

impl Maker {
    /// The model to ask, with the provider default where one exists.
    pub fn model(&self) -> Option<&str> {
        self.model
            .as_deref()
            .or_else(|| self.maker_type().and_then(|t| t.model))
    }

    /// The row of the maker-type table this maker names (`None` only for a spec that was not
    /// validated).
    pub fn maker_type(&self) -> Option<&'static strive_vocab::MakerType> {
        strive_vocab::MakerType::parse(&self.kind)
    }

    /// The environment variable holding the API key, with the provider default.
    pub fn api_key_env(&self) -> Option<&str> {
        self.api_key_env
            .as_deref()
            .or_else(|| self.maker_type().and_then(|t| t.key_env))
    }
}
