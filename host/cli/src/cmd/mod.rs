//! One module per verb. Each exposes `Args` (clap) and `run(args) -> i32` (an exit code from
//! `strive_core::exit`). Shared plumbing lives in [`io`].

pub mod audit_log;
pub mod completions;
pub mod io;
pub mod plugin;
pub mod run;
pub mod show;
