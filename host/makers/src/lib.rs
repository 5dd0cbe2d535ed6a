//! Strive's maker capability: the host-side calls that propose a change.
//!
//! Guarantees:
//! - **Budget first.** Every LLM call reserves a worst-case token estimate (prompt chars / 4 +
//!   `max_tokens`) with the loop's [`BudgetGate`] before any network I/O; a refused call sends
//!   nothing. Usage comes from the provider's usage fields (Anthropic `input_tokens` /
//!   `output_tokens`, OpenAI `prompt_tokens` / `completion_tokens`) and is charged even when the
//!   answer is unusable; with no usage reported the estimate is charged.
//! - **Keys stay secret.** API keys are read only from the environment variable the spec names,
//!   sent only in the request header, never logged, and scrubbed from every error.
//! - **Bounded calls.** Connect and total timeouts; retries with exponential backoff and jitter
//!   that honour `Retry-After` on 408/429/5xx, up to a configurable number of attempts.
//! - **Typed answers.** An answer is files to write, a unified diff, or (command makers) edits
//!   made in place; anything else is an [`ExtractError`], never a partial success.
//! - **Commands are guarded.** The command maker runs only through the worktree's guard, inside
//!   the worktree, with a timeout and a scrubbed environment.
//!
//! - **Turns, too.** [`Maker::chat`] sends one turn of a tool-using conversation in the
//!   provider's wire format ([`chat`]) under the same budget-first rule.
//!
//! Makers: [`AnthropicMaker`] (Messages API), [`OpenAiMaker`] (any chat-completions endpoint:
//! NVIDIA NIM by default, Groq, OpenRouter, Ollama, vLLM, llama.cpp), [`CommandMaker`].
//! [`MakerSpec`] builds one from a loop's `maker` object. Everything is synchronous (reqwest's
//! blocking client); async hosts call it from a blocking thread.

pub mod agent_cli;
pub mod anthropic;
pub mod budget;
pub mod chat;
pub mod command;
pub mod config;
pub mod extract;
pub mod http;
pub mod ledger;
pub mod llm;
pub mod openai;
pub mod request;

use std::time::Duration;

use thiserror::Error;

pub use agent_cli::AgentCliMaker;
pub use anthropic::{AnthropicMaker, AnthropicWire};
pub use budget::{BudgetGate, Estimate, MakerRefusal, Price, PriceTable, Usage, estimate};
pub use chat::{
    ChatMessage, ChatReply, ChatRequest, ChatRole, ChatTurn, FinishReason, ToolCall, ToolSpec,
};
pub use command::CommandMaker;
pub use config::{ConfigError, MakerSpec};
pub use extract::{Answer, ExtractError, extract_answer, extract_answer_in, extract_json_object};
pub use http::{ApiKey, HttpSettings, RetryPolicy, parse_retry_after};
pub use ledger::LedgerGate;
pub use llm::{Completion, LlmMaker, LlmOptions, OutputFormat, Wire};
pub use openai::{OpenAiMaker, OpenAiWire};
pub use request::{
    DEFAULT_SYSTEM_PROMPT, MakeContext, MakeRequest, MakeResponse, Prompt, answer_schema,
};
pub use strive_core::injection::spotlight::{Spotlight, SpotlightError};
pub use strive_worktree::FileText;

/// Something that proposes a change for a task.
pub trait Maker: Send + Sync {
    /// A short description for logs and reports (provider and model; never a key).
    fn describe(&self) -> String;

    /// Asks for a change. LLM makers reserve budget before any I/O; command makers need
    /// `ctx.worktree`.
    fn make(
        &self,
        request: &MakeRequest,
        ctx: &MakeContext<'_>,
    ) -> Result<MakeResponse, MakerError>;

    /// One turn of a tool-using conversation ([`chat`]). LLM makers reserve the turn's worst
    /// case before any I/O; makers without turns (commands) refuse with
    /// [`MakerError::NoChat`].
    fn chat(&self, request: &ChatRequest, ctx: &MakeContext<'_>) -> Result<ChatTurn, MakerError> {
        let _ = (request, ctx);
        Err(MakerError::NoChat {
            maker: self.describe(),
        })
    }

    /// Audit rows of the tool calls the maker's own process made since the last take (an
    /// agent CLI's hook spool, [`agent_cli::read_spool`]); the host appends them to the run's
    /// audit log after each call, whether it succeeded or not. Makers without such a record
    /// have none.
    fn take_tool_calls(&self) -> Vec<agent_cli::ToolCallRow> {
        Vec::new()
    }
}

impl MakerError {
    /// A stable code for plugins and the audit log (the WIT `denied` / `budget-exceeded` split).
    pub fn code(&self) -> &'static str {
        match self {
            MakerError::Budget(_) => "budget-exceeded",
            MakerError::MissingApiKey { .. } => "missing-api-key",
            MakerError::Http { .. } => "http-error",
            MakerError::RateLimited { .. } => "rate-limited",
            MakerError::RetriesExhausted { .. } => "retries-exhausted",
            MakerError::DeadlineExceeded { .. } => "deadline-exceeded",
            MakerError::Transport { .. } => "transport",
            MakerError::BadResponse { .. } => "bad-response",
            MakerError::NoAnswer { .. } => "no-answer",
            MakerError::NoWorktree => "no-worktree",
            MakerError::Command(strive_worktree::RunError::Blocked(_)) => "denied",
            MakerError::Command(_) => "command-error",
            MakerError::CommandTimedOut(_) => "timeout",
            MakerError::CommandFailed { .. } => "command-failed",
            MakerError::Unmarked(_) => "unmarked",
            MakerError::NoChat { .. } => "no-chat",
            MakerError::BadRequest { .. } => "bad-request",
        }
    }
}

/// Why a maker call produced no answer. Messages never contain an API key.
#[derive(Debug, Error)]
pub enum MakerError {
    #[error(transparent)]
    Budget(#[from] MakerRefusal),
    #[error(
        "API key missing: set the environment variable `{env}` (named by the maker's `api_key_env`)"
    )]
    MissingApiKey { env: String },
    #[error("provider answered HTTP {status}: {body}")]
    Http { status: u16, body: String },
    #[error(
        "provider asked to wait {retry_after:?} (Retry-After), more than the {limit:?} allowed: giving up"
    )]
    RateLimited {
        retry_after: Duration,
        limit: Duration,
    },
    #[error(
        "the run's wall clock ran out during the maker call ({attempts} attempt(s) in {spent:?}); last: {last}"
    )]
    DeadlineExceeded {
        attempts: u32,
        spent: Duration,
        last: String,
    },
    #[error("provider still failing after {attempts} attempts; last: {last}")]
    RetriesExhausted { attempts: u32, last: String },
    #[error("cannot reach the provider: {reason}")]
    Transport { reason: String },
    #[error("provider response not understood: {reason}")]
    BadResponse { reason: String },
    /// The model answered (and was charged `usage`) but the answer is unusable.
    #[error("{source} (model `{model}`{truncated})", truncated = if *.truncated { ", answer cut off at max_tokens" } else { "" })]
    NoAnswer {
        model: String,
        usage: Usage,
        truncated: bool,
        #[source]
        source: ExtractError,
    },
    #[error("the command maker needs the attempt's worktree")]
    NoWorktree,
    #[error("maker command: {0}")]
    Command(#[from] strive_worktree::RunError),
    #[error("maker command timed out after {0:?}")]
    CommandTimedOut(Duration),
    #[error("maker command failed ({exit}); last output:\n{tail}")]
    CommandFailed { exit: String, tail: String },
    /// The maker has no turns (a command maker): `maker.chat` needs an LLM maker.
    #[error(
        "{maker} cannot hold a tool-using conversation: maker.chat needs an LLM maker (anthropic or an OpenAI-compatible type)"
    )]
    NoChat { maker: String },
    /// The request cannot be put in the provider's wire format; nothing was sent.
    #[error("the chat request cannot be sent: {reason}")]
    BadRequest { reason: String },
    /// The untrusted parts of the request could not be marked; nothing was sent.
    #[error("data marking: {0}")]
    Unmarked(#[from] strive_core::injection::spotlight::SpotlightError),
}
