//! Strive's WebAssembly host: loads loop-kind components and serves them the `strive:loops`
//! host interfaces under declarations, grants, phases and budgets.
//!
//! Guarantees:
//! - **No ambient authority.** A plugin gets no preopened directories, no environment or
//!   arguments, no sockets (`wasi:sockets`/`wasi:http` are not linked), and its stdio is
//!   captured into the run, capped. Every effect is a host call.
//! - **Capabilities are checked twice.** At load time, a component's imports must not exceed its
//!   manifest ([`plugin`]); at call time, each call must be declared, granted by the person and
//!   allowed in the phase ([`capability::Policy`]). Refusals are typed `host-error` values.
//! - **Bounded runs.** Memory (total), wall time, fuel, host calls, output, log and stdio are
//!   capped per run ([`limits`]); a runaway plugin ends as an `error` run and the host lives on.
//! - **The host judges the outcome.** Every cited SHA is checked against the repository; one
//!   fabricated or gap citation makes the run invalid ([`run`]).
//! - **Everything is audited** in a hash-chained per-run log ([`audit`]).
//! - **Precompiled components are authenticated** before they are loaded ([`cache`]).
//!
//! Entry points: [`pipeline::run_spec`] runs a loop spec end to end — the one pipeline for every
//! kind. Underneath: [`plugin::Plugin::load`], [`run::execute_with`], [`verdict::judge`] and
//! [`records::commit`] to persist the judged run through a [`strive_state::Store`].

pub mod bindings;
pub mod builtin;
pub mod cache;
pub mod capability;
pub mod caps;
pub mod citations;
pub mod commit_facts;
pub mod engine;
pub mod gitread;
pub mod host;
pub mod limits;
pub mod manifest;
pub mod observe;
pub mod pipeline;
pub mod plugin;
pub mod records;
pub mod registry;
pub mod report;
pub mod run;
pub mod sandbox;
pub mod state_keys;
pub mod triage_report;
pub mod verdict;

pub use capability::{Capability, Phase, Policy};
pub use manifest::Manifest;
pub use plugin::{LoadError, Plugin};
pub use run::{RunReport, RunRequest, RunResult, execute};
/// The audit chain lives with the state it is stored in (the dashboard checks it without wasmtime).
pub use strive_state::audit;
