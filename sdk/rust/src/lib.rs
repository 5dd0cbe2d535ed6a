//! Write a Strive loop kind in Rust.
//!
//! Guarantees: a component built with this crate targets the `strive:loops@0.1.2` world and
//! reaches the world only through the host calls re-exported here; every host call returns
//! `Result<T, HostError>`, so a refusal (`Denied`, `BudgetExceeded`, `Blocked`, `Invalid`,
//! `Failed`) is a value to handle, never a panic. The host checks what the plugin reports: the
//! outcome of [`LoopKind::run`] is a claim, not a verdict.
//!
//! A loop kind is one short file:
//!
//! ```ignore
//! use strive_sdk::{KindInfo, LoopKind, Outcome, RunContext, RunResult, report};
//!
//! struct Hello;
//!
//! impl LoopKind for Hello {
//!     fn describe() -> KindInfo {
//!         KindInfo { name: "hello".into(), version: "0.1.0".into(), summary: "says hello".into() }
//!     }
//!     fn run(ctx: &RunContext) -> Result<RunResult, strive_sdk::Error> {
//!         strive_sdk::log::info(&format!("hello from {}", ctx.loop_id))?;
//!         Ok(RunResult { outcome: Outcome::Clean, note: "nothing to report".into() })
//!     }
//! }
//!
//! strive_sdk::export_loop_kind!(Hello);
//! ```
//!
//! Build with `cargo build --target wasm32-wasip2 --release`; the `.wasm` in
//! `target/wasm32-wasip2/release/` is the component.

extern crate self as strive_sdk;

#[doc(hidden)]
pub use wit_bindgen as __wit_bindgen;

/// The raw bindings generated from `wit/strive-loops-0.1.2`. Prefer the re-exports below.
pub mod bindings {
    wit_bindgen::generate!({
        path: "../../wit/strive-loops-0.1.2",
        world: "strive:loops/loop-kind@0.1.2",
        pub_export_macro: true,
        export_macro_name: "__export_world",
        default_bindings_module: "strive_sdk::bindings",
        runtime_path: "strive_sdk::__wit_bindgen::rt",
    });
}

use core::fmt;

pub use bindings::strive::loops::types::{
    BudgetRefusal, Denial, GuardBlock, HostError, KindInfo, Outcome, Phase, RunContext, RunResult,
};

/// L2: guarded commands in a worktree (`command`).
pub use bindings::strive::loops::command;
/// MCP connectors (`connector.read` / `connector.write`).
pub use bindings::strive::loops::connector;
/// The run's working transcript with compaction (`context`).
pub use bindings::strive::loops::context;
/// Hand-off to a human (`escalation`).
pub use bindings::strive::loops::escalation;
/// Read-only git queries on the loop's target repository (`git.read`).
pub use bindings::strive::loops::git;
/// L2: configured makers (`maker`).
pub use bindings::strive::loops::maker;
/// L3: merge requests through the allowlist gate (`merge`).
pub use bindings::strive::loops::merge;
/// Findings with cited SHAs (`report`).
pub use bindings::strive::loops::report;
/// Advisory SHA verification (`verify`).
pub use bindings::strive::loops::verify;
/// L2: worktree files (`worktree`).
pub use bindings::strive::loops::worktree;

/// What a run can fail with: a host refusal the plugin chose not to handle, or its own error.
#[derive(Debug)]
pub enum Error {
    Host(HostError),
    Plugin(String),
}

impl Error {
    /// A plugin-side error with a message.
    pub fn msg(message: impl Into<String>) -> Self {
        Error::Plugin(message.into())
    }
}

impl From<HostError> for Error {
    fn from(e: HostError) -> Self {
        Error::Host(e)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Host(e) => f.write_str(&describe_host_error(e)),
            Error::Plugin(m) => f.write_str(m),
        }
    }
}

/// One line naming a host refusal: `denied git.read: not granted (...)`.
pub fn describe_host_error(e: &HostError) -> String {
    match e {
        HostError::Denied(d) => format!("denied {}: {}", d.capability, d.reason),
        HostError::BudgetExceeded(b) => format!(
            "budget exceeded on {}: cap {}, spent {}, requested {}",
            b.axis, b.cap, b.spent, b.requested
        ),
        HostError::Blocked(g) => match &g.alternative {
            Some(alt) => format!("blocked by {}: {} (instead: {alt})", g.rule, g.reason),
            None => format!("blocked by {}: {}", g.rule, g.reason),
        },
        HostError::Invalid(m) => format!("invalid request: {m}"),
        HostError::Failed(m) => format!("host failed: {m}"),
    }
}

/// A loop kind: implement this and pass the type to [`export_loop_kind!`].
pub trait LoopKind {
    /// Who this component is (informational; the host trusts the manifest).
    fn describe() -> KindInfo;
    /// One run. `Err` becomes outcome `error` with the error's message as the note.
    fn run(ctx: &RunContext) -> Result<RunResult, Error>;
}

/// Export a [`LoopKind`] implementation as the component's `loop-kind` world.
#[macro_export]
macro_rules! export_loop_kind {
    ($kind:ty) => {
        #[doc(hidden)]
        pub struct __StriveLoopKindExport;

        impl $crate::bindings::Guest for __StriveLoopKindExport {
            fn describe() -> $crate::KindInfo {
                <$kind as $crate::LoopKind>::describe()
            }
            fn run(ctx: $crate::RunContext) -> $crate::RunResult {
                $crate::__into_run_result(<$kind as $crate::LoopKind>::run(&ctx))
            }
        }

        $crate::bindings::__export_world!(__StriveLoopKindExport);
    };
}

#[doc(hidden)]
pub fn __into_run_result(result: Result<RunResult, Error>) -> RunResult {
    result.unwrap_or_else(|e| RunResult {
        outcome: Outcome::Error,
        note: e.to_string(),
    })
}

/// Log lines into the run log (`log`). Each returns the host's refusal, e.g. once the per-run
/// cap is reached.
pub mod log {
    use crate::HostError;
    use crate::bindings::strive::loops::log::{Level, emit};

    pub fn debug(message: &str) -> Result<(), HostError> {
        emit(Level::Debug, message)
    }
    pub fn info(message: &str) -> Result<(), HostError> {
        emit(Level::Info, message)
    }
    pub fn warn(message: &str) -> Result<(), HostError> {
        emit(Level::Warn, message)
    }
    pub fn error(message: &str) -> Result<(), HostError> {
        emit(Level::Error, message)
    }
    pub use crate::bindings::strive::loops::log::{Level as LogLevel, emit as emit_at};
}

/// This loop's own state section (`state`): JSON values under keys, and notes. Writes are
/// staged and committed by the host only when the run is accepted.
pub mod state {
    pub use crate::bindings::strive::loops::state::{add_note, get, notes, set};
}
