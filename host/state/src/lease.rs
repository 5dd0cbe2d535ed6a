//! A work queue of due loops that workers claim by lease (served by the PostgreSQL backend).
//!
//! Guarantees every implementation gives:
//! - **One holder.** A due loop is claimed by at most one worker at a time; a claim returns a
//!   lease with a fencing `token`, and every later call on the lease (heartbeat, complete,
//!   release) succeeds only while that token is still the loop's current lease.
//! - **Each due slot completes once.** A slot is the instant the loop became due; completion is
//!   recorded under a unique (loop, slot) key, so a slot is never completed twice even when a
//!   stale worker returns after its lease was taken over.
//! - **Crashed workers are replaced.** A lease that is not heartbeaten expires; the loop becomes
//!   claimable again for the same slot, by any worker.
//! - **One clock.** Due-ness and lease expiry are judged by the queue's own clock ([`now`]), so
//!   workers on machines with skewed clocks agree.
//!
//! - **Late workers write nothing.** The store a run writes through ([`LeaseQueue::run_store`])
//!   checks the lease's token in the same transaction as every write of the run's results
//!   (section, run log, audit lines, scheduler history, inbox); a worker whose lease was taken
//!   over gets [`StoreError::LeaseLost`] and nothing of its run is written.
//! - **A run's results and its slot's completion commit together.** The run store's
//!   [`Store::commit_run`] also completes the slot (and the [`SlotFinish`] writes) in that one
//!   transaction, so a crash leaves either nothing or everything of the run.
//!
//! [`now`]: LeaseQueue::now

use chrono::{DateTime, Utc};
use serde_json::Value;

use std::sync::Arc;

use crate::{Store, StoreError};

/// A loop as synchronised from a spec directory into the queue.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopEntry {
    pub loop_id: String,
    /// The full spec document; workers run what is stored here.
    pub spec: Value,
    /// Lower runs first.
    pub priority: i64,
    /// The cadence as written (`None`: never due by itself).
    pub cadence: Option<String>,
    /// `false` for paused loops.
    pub enabled: bool,
    pub stop_after: Option<DateTime<Utc>>,
    /// When a newly added loop (or one whose cadence changed) is first due.
    pub first_due: Option<DateTime<Utc>>,
}

/// What a sync changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub added: usize,
    pub updated: usize,
    /// Loops not in the synced set that were disabled (only with `prune`).
    pub disabled: usize,
}

/// A claimed slot of one loop.
#[derive(Clone, Debug)]
pub struct Lease {
    pub loop_id: String,
    /// The due instant this run serves.
    pub slot: DateTime<Utc>,
    /// Fencing token: proves this lease is still the current one.
    pub token: i64,
    pub worker_id: String,
    /// 1 for the first claim of a slot, 2+ when taken over after a lease expired.
    pub attempt: i32,
    pub expires_at: DateTime<Utc>,
    pub cadence: Option<String>,
    pub spec: Value,
}

/// How the end of a run was recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Completion {
    /// The slot is recorded as done and the loop's next due time is set.
    Recorded,
    /// The lease had expired and another worker took the slot over; nothing was recorded.
    LeaseLost,
}

/// How a worker finishes a slot, inside the transaction that completes it.
pub trait SlotFinish: Send + Sync {
    /// The loop's next due time, given the queue's clock when the slot completes.
    fn next_due(&self, finished: DateTime<Utc>) -> Option<DateTime<Utc>>;
    /// Writes that commit with the slot (scheduler history, inbox); `store` writes into the
    /// completing transaction. An `Err` rolls the whole completion back.
    fn record(&self, store: &dyn Store, result: &str, note: &str) -> Result<(), StoreError>;
}

/// A [`SlotFinish`] with a fixed next due time and no extra writes.
pub struct NextDue(pub Option<DateTime<Utc>>);

impl SlotFinish for NextDue {
    fn next_due(&self, _finished: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.0
    }
    fn record(&self, _store: &dyn Store, _result: &str, _note: &str) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The store one leased run writes through (see the module docs).
pub trait RunStore: Store {
    /// `Some` once [`Store::commit_run`] completed the slot (or found the lease lost).
    fn finished(&self) -> Option<Completion>;
}

/// The lease interface workers use. See the module docs for the guarantees.
pub trait LeaseQueue: Send + Sync {
    /// The queue's clock.
    fn now(&self) -> Result<DateTime<Utc>, StoreError>;
    /// Insert or update `entries`. A new loop is due at its `first_due` (default: now); a loop
    /// whose cadence changed becomes due at its `first_due` too. With `prune`, loops absent from
    /// `entries` are disabled.
    fn sync_loops(&self, entries: &[LoopEntry], prune: bool) -> Result<SyncReport, StoreError>;
    /// Claim the most urgent due loop (lowest priority, then earliest due) that no live lease
    /// holds, for `lease_secs` seconds. `None` when nothing is claimable now.
    fn claim(&self, worker_id: &str, lease_secs: u32) -> Result<Option<Lease>, StoreError>;
    /// Extend the lease by `lease_secs` from now. `false`: the lease is lost (expired and taken
    /// over, or released); stop working on it.
    fn heartbeat(&self, lease: &Lease, lease_secs: u32) -> Result<bool, StoreError>;
    /// Record the slot as done with its result and set the loop's next due time (`None`: not
    /// due again until its cadence changes).
    fn complete(
        &self,
        lease: &Lease,
        result: &str,
        note: &str,
        next_due: Option<DateTime<Utc>>,
    ) -> Result<Completion, StoreError> {
        self.finish_slot(lease, result, note, &NextDue(next_due))
    }
    /// [`complete`](Self::complete) with `finish`'s writes in the same transaction, after
    /// checking the lease there. Idempotent: completing a slot already completed under the
    /// same lease (a retry after a lost acknowledgement) reports `Recorded` and writes nothing.
    fn finish_slot(
        &self,
        lease: &Lease,
        result: &str,
        note: &str,
        finish: &dyn SlotFinish,
    ) -> Result<Completion, StoreError>;
    /// The store a run under `lease` reads and writes: reads see the shared store; every write
    /// is fenced by the lease; its `commit_run` completes the slot with `finish` in the same
    /// transaction.
    fn run_store(&self, lease: &Lease, finish: Arc<dyn SlotFinish>) -> Arc<dyn RunStore>;
    /// Hand the slot back unrun. No worker may claim the loop for `retry_after_secs` (0: at
    /// once, e.g. on shutdown; more when its target repository is busy).
    fn release(&self, lease: &Lease, retry_after_secs: u32) -> Result<(), StoreError>;
    /// How many loops are due or held by a live lease (0 means idle).
    fn outstanding(&self) -> Result<usize, StoreError>;
}
