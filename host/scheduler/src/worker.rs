//! Lease workers: many processes, on many machines, share the due loops of one queue.
//!
//! Guarantees (on top of the [`LeaseQueue`] guarantees):
//! - A worker runs a loop only while it holds that loop's lease, heartbeating every third of
//!   the lease; a worker that dies stops heartbeating and its slot is taken over after expiry.
//! - Everything a run writes goes through the lease's fenced store
//!   ([`LeaseQueue::run_store`]): the run's section, run-log row and audit lines commit in one
//!   transaction with the slot's completion, its scheduler history and its inbox
//!   notifications, after the lease is checked in that transaction. A run whose lease was lost
//!   (taken over) writes nothing and is reported `lease-lost`; each slot has exactly one
//!   recorded result.
//! - A run that could not commit (the loop could not run at all) is completed as `error` with
//!   the reason, through the same fenced transaction.
//! - Paused, halted and stopped loops are not run: their slot is completed as `skipped` with
//!   the reason, so they do not block the queue.
//! - A loop whose target repository is being written elsewhere is handed back for
//!   [`BUSY_RETRY_SECS`] instead of run (the collision guard).
//! - **The database may come and go.** A transient store error (server restarting,
//!   connection lost) never ends the worker: it backs off (doubling from 0.5 s to 30 s) and
//!   carries on; a lease held across the outage is kept if it has not expired, else the slot
//!   is re-claimed by whoever comes first and the late result is fenced off.
//! - On a stop request the run in flight finishes and is recorded; no new lease is taken.
//! - With `until_idle`, the worker exits once nothing is due and no lease is live.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use strive_state::lease::{
    Completion, Lease, LeaseQueue, LoopEntry, RunStore, SlotFinish, SyncReport,
};
use strive_state::{Store, StoreError};

use crate::cadence::Cadence;
use crate::lock::WriterLocks;
use crate::record;
use crate::spec::ScheduledSpec;
use crate::tick::{
    LoopRunner, RunContext, RunOutcome, hold_reason, record_outcome_in, run_guarded, stamp,
};

/// How long a loop whose target is busy waits before it may be claimed again.
pub const BUSY_RETRY_SECS: u32 = 30;

/// Queue entries for `specs` (paused loops are synced disabled).
///
/// The stored document is the spec as written except that a relative `target.repo` is
/// replaced by the absolute path it names from the spec file (workers have no spec file; the
/// path must exist on every worker machine, see docs/scale-out.md).
pub fn entries(specs: &[ScheduledSpec]) -> Vec<LoopEntry> {
    specs
        .iter()
        .map(|s| LoopEntry {
            loop_id: s.id.clone(),
            spec: stored_document(s),
            priority: s.priority,
            cadence: s.cadence.as_ref().map(|c| c.text().to_string()),
            enabled: !s.paused,
            stop_after: s.stop_after,
            first_due: None,
        })
        .collect()
}

/// The document a worker runs: `target.repo` made absolute (see [`entries`]).
pub fn stored_document(spec: &ScheduledSpec) -> serde_json::Value {
    let mut doc = spec.document.clone();
    if let Some(repo) = &spec.target_repo {
        let path = std::path::Path::new(repo);
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
        };
        let absolute = std::fs::canonicalize(&absolute).unwrap_or(absolute);
        if let Some(target) = doc.get_mut("target").and_then(|t| t.as_object_mut()) {
            target.insert(
                "repo".into(),
                serde_json::Value::String(absolute.display().to_string()),
            );
        }
    }
    doc
}

/// Sync specs into the queue.
pub fn sync(
    queue: &dyn LeaseQueue,
    specs: &[ScheduledSpec],
    prune: bool,
) -> Result<SyncReport, String> {
    queue
        .sync_loops(&entries(specs), prune)
        .map_err(|e| format!("cannot sync loops into the queue: {e}"))
}

/// Worker settings.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    pub worker_id: String,
    pub lease_secs: u32,
    pub until_idle: bool,
    /// Pause between claims when nothing is due.
    pub poll: Duration,
}

/// What happened to one claimed slot.
#[derive(Clone, Debug, Serialize)]
pub struct WorkerRun {
    #[serde(rename = "loop")]
    pub loop_id: String,
    pub slot: String,
    pub attempt: i32,
    /// `done`, `skipped`, `deferred` (target busy), `released` (shutdown) or `lease-lost`.
    pub status: String,
    /// The loop could not run at all (its result is an infrastructure `error`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub infra: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    pub note: String,
}

/// A worker over one queue and the store its loops and records live in.
pub struct Worker<'a> {
    pub queue: Arc<dyn LeaseQueue>,
    pub store: Arc<dyn Store>,
    pub runner: &'a dyn LoopRunner,
    pub locks: &'a dyn WriterLocks,
    pub config: WorkerConfig,
}

impl Worker<'_> {
    /// Claim and run until stopped (or idle with `until_idle`). Calls `report` after every
    /// claimed slot and `warn` for every transient store error it rides out. `Err` when the
    /// queue fails in a way a retry cannot fix.
    pub fn run(
        &self,
        stop: &AtomicBool,
        report: &mut dyn FnMut(&WorkerRun),
    ) -> Result<usize, String> {
        self.run_with(stop, report, &mut |w| eprintln!("warning: {w}"))
    }

    /// [`run`](Self::run) with the warnings handed to `warn`.
    pub fn run_with(
        &self,
        stop: &AtomicBool,
        report: &mut dyn FnMut(&WorkerRun),
        warn: &mut dyn FnMut(&str),
    ) -> Result<usize, String> {
        let mut handled = 0;
        let mut backoff = Backoff::default();
        while !stop.load(Ordering::SeqCst) {
            let step = self.step(stop);
            match step {
                Ok(Step::Ran(run)) => {
                    backoff.reset();
                    report(&run);
                    handled += 1;
                }
                Ok(Step::Idle) => {
                    backoff.reset();
                    sleep_unless_stopped(self.config.poll, stop);
                }
                Ok(Step::Done) => break,
                Err(e) if e.is_transient() => {
                    let pause = backoff.next();
                    warn(&format!(
                        "worker {}: {e}; retrying in {} ms",
                        self.config.worker_id,
                        pause.as_millis()
                    ));
                    sleep_unless_stopped(pause, stop);
                }
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(handled)
    }

    fn step(&self, stop: &AtomicBool) -> Result<Step, StoreError> {
        match self
            .queue
            .claim(&self.config.worker_id, self.config.lease_secs)?
        {
            Some(lease) => self.process(lease, stop).map(Step::Ran),
            None if self.config.until_idle && self.queue.outstanding()? == 0 => Ok(Step::Done),
            None => Ok(Step::Idle),
        }
    }

    fn process(&self, lease: Lease, stop: &AtomicBool) -> Result<WorkerRun, StoreError> {
        let mut run = WorkerRun {
            loop_id: lease.loop_id.clone(),
            slot: stamp(lease.slot),
            attempt: lease.attempt,
            status: String::new(),
            infra: false,
            result: None,
            note: String::new(),
        };
        let cadence: Option<Cadence> = lease.cadence.as_deref().and_then(|c| c.parse().ok());
        let plain = Arc::new(Finish {
            loop_id: lease.loop_id.clone(),
            slot: lease.slot,
            cadence,
            history: false,
        });
        let spec = match ScheduledSpec::from_document(lease.spec.clone(), std::path::Path::new(""))
        {
            Ok(spec) => spec,
            Err(e) => {
                let note = format!("stored spec invalid: {e}");
                return self.finish_unrun(&lease, run, "error", &note, plain.as_ref(), stop);
            }
        };
        let now = self.queue.now()?;
        let held = match record::read(self.store.as_ref(), &spec.id) {
            Ok(record) => hold_reason(&spec, &record, now),
            Err(e) if e.is_transient() => return Err(e),
            Err(e) => Some(format!("error: {e}")),
        };
        if let Some(reason) = held {
            return self.finish_unrun(&lease, run, "skipped", &reason, plain.as_ref(), stop);
        }
        let _writer = if spec.writes_target()
            && let Some(repo) = spec.target_repo.as_deref()
        {
            match self.locks.try_lock(repo) {
                Ok(Some(guard)) => Some(guard),
                busy => {
                    let why = match busy {
                        Err(e) => format!("collision guard unavailable ({e})"),
                        _ => format!("target {repo} is being written by another run"),
                    };
                    self.queue.release(&lease, BUSY_RETRY_SECS)?;
                    run.status = "deferred".into();
                    run.note = format!("{why}; retried in {BUSY_RETRY_SECS}s");
                    return Ok(run);
                }
            }
        } else {
            None
        };

        let finish = Arc::new(Finish {
            history: true,
            ..(*plain).clone()
        });
        let fenced = self.queue.run_store(&lease, finish.clone());
        let outcome = self.run_with_heartbeat(&spec, &lease, fenced.as_ref());
        run.result = Some(outcome.result.clone());
        run.infra = outcome.infra;
        let completion = match fenced.finished() {
            Some(done) => done,
            // The run did not commit (it could not run, or its commit failed): record its
            // error for the slot through the same fence.
            None => self.finish_retrying(
                &lease,
                &outcome.result,
                &outcome.note,
                finish.as_ref(),
                stop,
            )?,
        };
        match completion {
            Completion::Recorded => {
                run.status = "done".into();
                run.note = outcome.note.clone();
            }
            Completion::LeaseLost => {
                // Whatever the run hit (its commit was refused), the slot belongs to another.
                run.infra = false;
                run.status = "lease-lost".into();
                run.note = "the lease expired and another worker took the slot over; this run wrote nothing".into();
            }
        }
        Ok(run)
    }

    /// Complete a slot, riding out transient store errors while the lease may still hold.
    fn finish_retrying(
        &self,
        lease: &Lease,
        result: &str,
        note: &str,
        finish: &dyn SlotFinish,
        stop: &AtomicBool,
    ) -> Result<Completion, StoreError> {
        let mut backoff = Backoff::default();
        loop {
            match self.queue.finish_slot(lease, result, note, finish) {
                Err(e) if e.is_transient() && !stop.load(Ordering::SeqCst) => {
                    eprintln!(
                        "warning: worker {}: completing {} failed ({e}); retrying",
                        self.config.worker_id, lease.loop_id
                    );
                    sleep_unless_stopped(backoff.next(), stop);
                }
                other => return other,
            }
        }
    }

    fn finish_unrun(
        &self,
        lease: &Lease,
        mut run: WorkerRun,
        result: &str,
        note: &str,
        finish: &dyn SlotFinish,
        stop: &AtomicBool,
    ) -> Result<WorkerRun, StoreError> {
        let completion = self.finish_retrying(lease, result, note, finish, stop)?;
        run.status = match completion {
            Completion::Recorded => "skipped".into(),
            Completion::LeaseLost => "lease-lost".into(),
        };
        run.result = Some(result.to_string());
        run.note = note.to_string();
        Ok(run)
    }

    /// Run the loop against `store` while a helper thread keeps the lease alive.
    fn run_with_heartbeat(
        &self,
        spec: &ScheduledSpec,
        lease: &Lease,
        store: &dyn RunStore,
    ) -> RunOutcome {
        let done = (Mutex::new(false), Condvar::new());
        let cancel = AtomicBool::new(false);
        let every = Duration::from_secs(u64::from(self.config.lease_secs.max(3) / 3));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                let (lock, wake) = &done;
                let mut finished = lock.lock().unwrap_or_else(|p| p.into_inner());
                // `finished` is checked before every wait: the run may end before this thread
                // first takes the lock.
                while !*finished {
                    let (guard, timeout) = wake
                        .wait_timeout(finished, every)
                        .unwrap_or_else(|p| p.into_inner());
                    finished = guard;
                    if *finished {
                        return;
                    }
                    if timeout.timed_out() {
                        // Not under the lock: a heartbeat may wait out a database outage.
                        drop(finished);
                        let beat = self.queue.heartbeat(lease, self.config.lease_secs);
                        finished = lock.lock().unwrap_or_else(|p| p.into_inner());
                        match beat {
                            Ok(true) => {}
                            Ok(false) => {
                                eprintln!(
                                    "warning: lease on {} lost while running; its result will be discarded",
                                    lease.loop_id
                                );
                                cancel.store(true, Ordering::SeqCst);
                                return;
                            }
                            Err(e) => eprintln!("warning: heartbeat for {} failed: {e}", lease.loop_id),
                        }
                    }
                }
            });
            let ctx = RunContext {
                now: lease.slot,
                store,
                cancel: &cancel,
            };
            let outcome = run_guarded(self.runner, spec, &ctx);
            let (lock, wake) = &done;
            *lock.lock().unwrap_or_else(|p| p.into_inner()) = true;
            wake.notify_all();
            outcome
        })
    }
}

enum Step {
    Ran(WorkerRun),
    Idle,
    Done,
}

/// How a worker finishes a slot: the next due time from the cadence, and (for a run) the
/// scheduler history and inbox notifications, all in the completing transaction.
#[derive(Clone)]
struct Finish {
    loop_id: String,
    slot: DateTime<Utc>,
    cadence: Option<Cadence>,
    /// Record history and notify (runs); skipped slots do not.
    history: bool,
}

impl SlotFinish for Finish {
    fn next_due(&self, finished: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.cadence
            .as_ref()
            .and_then(|c| c.next_slot(self.slot, finished))
    }
    fn record(&self, store: &dyn Store, result: &str, note: &str) -> Result<(), StoreError> {
        if self.history {
            record_outcome_in(store, &self.loop_id, self.slot, result, note)?;
        }
        Ok(())
    }
}

/// Exponential backoff: 0.5 s doubling to 30 s.
#[derive(Default)]
struct Backoff {
    next: Option<Duration>,
}

impl Backoff {
    fn next(&mut self) -> Duration {
        let pause = self.next.unwrap_or(Duration::from_millis(500));
        self.next = Some((pause * 2).min(Duration::from_secs(30)));
        pause
    }
    fn reset(&mut self) {
        self.next = None;
    }
}

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(50);
    let mut left = total;
    while !left.is_zero() && !stop.load(Ordering::SeqCst) {
        let nap = left.min(step);
        std::thread::sleep(nap);
        left -= nap;
    }
}
