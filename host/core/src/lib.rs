//! Strive's constraint core: the checks an unattended loop cannot talk past.
//!
//! Guarantees, for every part of this crate:
//! - **Fail closed.** Input that cannot be read, decoded or parsed is never judged "allow",
//!   "clean", "grounded" or "auto-mergeable"; it yields a blocking verdict or an error.
//! - **Pure and in-process.** No wasmtime, no network, and no child processes except one `git`
//!   per batch for repositories libgit2 cannot open (SHA-256, reftable; see [`verify`]): the host calls these
//!   functions directly, and the `strive` CLI exposes each as a verb with JSON output and the
//!   stable exit codes in [`exit`].
//! - **Rules over meaning.** Commands are parsed as shell, diffs as patches, text is normalised
//!   before it is scanned.
//!
//! Parts: [`guard`] (commands), [`budget`] (ledger), [`verify`] (grounded + isomorphic SHA
//! checks on libgit2), [`integrity`] (diff tampering scan), [`injection`] (prompt-injection
//! scan), [`allowlist`] (L3 merge gate).

pub mod allowlist;
pub mod budget;
pub mod exit;
pub mod guard;
pub mod injection;
pub mod integrity;
pub mod patch;
pub mod text;
pub mod verify;
