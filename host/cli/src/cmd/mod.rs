//! One module per verb. Each exposes `Args` (clap) and `run(args) -> i32` (an exit code from
//! `strive_core::exit`). Shared plumbing lives in [`io`].

pub mod budget;
pub mod audit;
pub mod completions;
pub mod cost;
pub mod init;
pub mod io;
pub mod run;
pub mod run_assisted;
pub mod verify;
pub mod check_allowlist;
pub mod scan_diff;
pub mod validate;
pub mod scan_injection;
