//! Every integration test of `strive`, linked into one test binary: each `tests/*.rs` file
//! is a module here (one link instead of one per file — less disk and build time in CI).
//! A new test file must be added to this list; `autotests = false` in Cargo.toml.

mod assisted_common;
mod pty_support;
mod scripted_model;
mod serve_support;

mod agent_cli_e2e;
mod agent_e2e;
mod assisted_e2e;
mod assisted_spotlight;
mod authoring_verbs;
mod crash_consistency;
mod diffgate_cli;
mod eval_e2e;
mod guard_cli;
mod newcomer;
mod plugin_kits;
mod plugin_registry;
mod run_triage;
mod sandbox_e2e;
mod schedule_cli;
mod serve_api;
mod serve_page;
mod spec_agreement;
mod triage_report;
mod verify_cli;
mod worker_cli;
