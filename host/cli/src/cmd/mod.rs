//! One module per verb. Each exposes `Args` (clap) and `run(args) -> i32` (an exit code from
//! `strive_core::exit`). Shared plumbing lives in [`io`].

pub mod audit;
pub mod audit_log;
pub mod budget;
pub mod check_allowlist;
pub mod completions;
pub mod connector;
pub mod cost;
pub mod daemon;
pub mod eval;
pub mod guard;
pub mod init;
pub mod io;
pub mod log;
pub mod plugin;
pub mod report;
pub mod resume;
pub mod run;
pub mod sandbox;
pub mod scan_diff;
pub mod scan_injection;
pub mod schedule;
pub mod serve;
pub mod show;
pub mod state;
pub mod status;
pub mod validate;
pub mod verify;
pub mod worker;
