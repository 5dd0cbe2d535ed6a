//! Every integration test of `strive-runtime`, linked into one test binary: each `tests/*.rs` file
//! is a module here (one link instead of one per file — less disk and build time in CI).
//! A new test file must be added to this list; `autotests = false` in Cargo.toml.

mod common;

mod assisted_caps;
mod cache;
mod chat;
mod context;
mod gitread;
mod hostile;
mod triage;
mod vocabulary;
