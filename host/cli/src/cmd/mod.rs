//! One module per verb. Each exposes `Args` (clap) and `run(args) -> i32` (an exit code from
//! `strive_core::exit`). Shared plumbing lives in [`io`].

pub mod budget;
pub mod audit;
pub mod check_allowlist;
pub mod completions;
pub mod daemon;
pub mod log;
pub mod resume;
pub mod schedule;
pub mod state;
pub mod worker;
pub mod cost;
pub mod init;
pub mod guard;
pub mod io;
pub mod verify;
pub mod check_allowlist;
pub mod scan_diff;
pub mod validate;
pub mod scan_injection;
