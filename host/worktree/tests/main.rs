//! The worktree crate's integration tests, linked into one binary.

mod sandbox;
mod worktree;
