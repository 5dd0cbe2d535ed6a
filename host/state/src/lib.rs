//! External state that outlives a run: one JSON section per loop, an append-only run log, and
//! an append-only audit log per run.
//!
//! Guarantees, for every backend behind [`Store`]:
//! - A section update is a read-modify-write under an exclusive lock: two writers never lose
//!   each other's changes, and keys a writer does not touch (a loop's `notes`) survive.
//! - A crash never leaves a torn state file (file backend: temp file, fsync, rename).
//! - Run-log and audit rows are only ever appended.
//!
//! The file backend keeps the earlier loopengine layout: `state.json` holds
//! `{"version": 1, "loops": {<loop id>: section}}`, and `<stem>.runlog.jsonl` sits beside it.

use std::collections::BTreeMap;

use serde_json::Value;

pub mod audit;
pub mod file;
pub mod lease;
mod open;
pub mod postgres;

pub use file::{DEFAULT_STATE_PATH, FileStore};
pub use open::open;

/// Why the store could not do what was asked. Every variant names where and what.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(
        "{path}: state is not valid JSON ({source}); fix or move the file aside — it was left untouched"
    )]
    Corrupt {
        path: String,
        source: serde_json::Error,
    },
    /// The backend could not be reached (connection refused or lost, server restarting): worth
    /// retrying later. PostgreSQL calls already retried with backoff before returning it.
    #[error("{0}")]
    Unavailable(String),
    /// A lease-fenced write was refused: the lease it was made under is no longer the loop's
    /// current one (it expired and another worker took the slot over). Nothing was written.
    #[error("{0}")]
    LeaseLost(String),
    #[error("{0}")]
    Other(String),
}

impl StoreError {
    /// Whether retrying the same call later may succeed ([`StoreError::Unavailable`]).
    pub fn is_transient(&self) -> bool {
        matches!(self, StoreError::Unavailable(_))
    }
}

/// The one interface every state backend serves (files by default, PostgreSQL at scale).
pub trait Store: Send + Sync {
    /// Where this store lives, for messages (a path, or a URL without its password).
    fn describe(&self) -> String;
    /// The section of `loop_id`, if any.
    fn read_section(&self, loop_id: &str) -> Result<Option<Value>, StoreError>;
    /// Atomically replace the section of `loop_id` with what `update` returns (`None` deletes
    /// it), under the store's exclusive lock. Returns the new value.
    fn update_section(
        &self,
        loop_id: &str,
        update: &mut dyn FnMut(Option<Value>) -> Result<Option<Value>, StoreError>,
    ) -> Result<Option<Value>, StoreError>;
    /// Every section, keyed by loop id (scheduler sections are `<id>::sched`).
    fn all_sections(&self) -> Result<BTreeMap<String, Value>, StoreError>;
    /// Append one run-log row (a JSON object with at least `ts`, `loop`, `result`).
    fn append_runlog(&self, row: &Value) -> Result<(), StoreError>;
    /// Run-log rows in append order, optionally only those of one loop.
    fn read_runlog(&self, loop_id: Option<&str>) -> Result<Vec<Value>, StoreError>;
    /// Append one audit-log line (already serialised, hash-chained by the runtime) for a run.
    fn append_audit(&self, run_id: &str, line: &str) -> Result<(), StoreError>;
    /// Every audit-log line of a run, in order.
    fn read_audit(&self, run_id: &str) -> Result<Vec<String>, StoreError>;

    /// Write everything one judged run produced: its audit lines, its section update and its
    /// run-log row. Backends make this as atomic as they can (PostgreSQL: one transaction; a
    /// fenced worker store: one transaction that also checks the lease; files: the audit lines
    /// made durable with one sync before the section, then the row). Returns the new section.
    ///
    /// The default writes the parts in that order through the other methods.
    fn commit_run(&self, run: &mut RunCommit<'_>) -> Result<Option<Value>, StoreError> {
        for line in run.audit {
            self.append_audit(run.run_id, line)?;
        }
        let new = self.update_section(run.loop_id, run.update)?;
        self.append_runlog(run.runlog_row)?;
        Ok(new)
    }
}

/// What one judged run writes (see [`Store::commit_run`]).
pub struct RunCommit<'a> {
    pub loop_id: &'a str,
    pub run_id: &'a str,
    /// The run's audit lines, already chained and serialised, in order.
    pub audit: &'a [String],
    /// The section update (as for [`Store::update_section`]).
    pub update: &'a mut dyn FnMut(Option<Value>) -> Result<Option<Value>, StoreError>,
    /// The run-log row; it records the audit lines' count and head hash and the run id.
    pub runlog_row: &'a Value,
}

/// Set only the given top-level keys of a loop's section (creating it if absent), leaving
/// every other key — a loop's `notes`, another writer's fields — as it was. A key set to
/// `null` is removed. Returns the new section.
///
/// An existing section that is not a JSON object is an error, not silently replaced.
pub fn merge_keys(
    store: &dyn Store,
    loop_id: &str,
    patch: &serde_json::Map<String, Value>,
) -> Result<Value, StoreError> {
    let new = store.update_section(loop_id, &mut |old| {
        let mut section = match old {
            None => serde_json::Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => {
                return Err(StoreError::Other(format!(
                    "section {loop_id:?} is not a JSON object; fix it in {} before updating it",
                    store.describe()
                )));
            }
        };
        for (k, v) in patch {
            if v.is_null() {
                section.remove(k);
            } else {
                section.insert(k.clone(), v.clone());
            }
        }
        Ok(Some(Value::Object(section)))
    })?;
    Ok(new.unwrap_or(Value::Null))
}
