//! Lease workers: many processes, on many machines, share the due loops of one queue.
//!
//! Guarantees (on top of the [`LeaseQueue`] guarantees):
//! - A worker runs a loop only while it holds that loop's lease, heartbeating every third of
//!   the lease; a worker that dies stops heartbeating and its slot is taken over after expiry.
//! - A run whose lease was lost (taken over) has its result discarded, never recorded twice.
//! - Paused, halted and stopped loops are not run: their slot is completed as `skipped` with
//!   the reason, so they do not block the queue.
//! - A loop whose target repository is being written elsewhere is handed back for
//!   [`BUSY_RETRY_SECS`] instead of run (the collision guard).
//! - On a stop request the run in flight finishes and is recorded; no new lease is taken.
//! - With `until_idle`, the worker exits once nothing is due and no lease is live.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use strive_state::Store;
use strive_state::lease::{Completion, Lease, LeaseQueue, LoopEntry, SyncReport};

use crate::cadence::Cadence;
use crate::lock::WriterLocks;
use crate::record;
use crate::spec::ScheduledSpec;
use crate::tick::{
    LoopRunner, RunContext, RunOutcome, hold_reason, record_outcome, run_guarded, stamp,
};

/// How long a loop whose target is busy waits before it may be claimed again.
pub const BUSY_RETRY_SECS: u32 = 30;

/// Queue entries for `specs` (paused loops are synced disabled).
pub fn entries(specs: &[ScheduledSpec]) -> Vec<LoopEntry> {
    specs
        .iter()
        .map(|s| LoopEntry {
            loop_id: s.id.clone(),
            spec: s.document.clone(),
            priority: s.priority,
            cadence: s.cadence.as_ref().map(|c| c.text().to_string()),
            enabled: !s.paused,
            stop_after: s.stop_after,
            first_due: None,
        })
        .collect()
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
    /// claimed slot. `Err` when the queue itself fails.
    pub fn run(
        &self,
        stop: &AtomicBool,
        report: &mut dyn FnMut(&WorkerRun),
    ) -> Result<usize, String> {
        let mut handled = 0;
        while !stop.load(Ordering::SeqCst) {
            let lease = self
                .queue
                .claim(&self.config.worker_id, self.config.lease_secs)
                .map_err(|e| format!("claim failed: {e}"))?;
            match lease {
                Some(lease) => {
                    let run = self.process(lease)?;
                    report(&run);
                    handled += 1;
                }
                None => {
                    if self.config.until_idle
                        && self.queue.outstanding().map_err(|e| e.to_string())? == 0
                    {
                        break;
                    }
                    sleep_unless_stopped(self.config.poll, stop);
                }
            }
        }
        Ok(handled)
    }

    fn process(&self, lease: Lease) -> Result<WorkerRun, String> {
        let mut run = WorkerRun {
            loop_id: lease.loop_id.clone(),
            slot: stamp(lease.slot),
            attempt: lease.attempt,
            status: String::new(),
            result: None,
            note: String::new(),
        };
        let cadence: Option<Cadence> = lease.cadence.as_deref().and_then(|c| c.parse().ok());
        let now = self.queue.now().map_err(|e| e.to_string())?;
        let next_due =
            |now: DateTime<Utc>| cadence.as_ref().and_then(|c| c.next_slot(lease.slot, now));

        let spec = match ScheduledSpec::from_document(lease.spec.clone(), std::path::Path::new(""))
        {
            Ok(spec) => spec,
            Err(e) => {
                return self.finish_unrun(
                    &lease,
                    run,
                    "error",
                    &format!("stored spec invalid: {e}"),
                    next_due(now),
                );
            }
        };
        let held = match record::read(self.store.as_ref(), &spec.id) {
            Ok(record) => hold_reason(&spec, &record, now),
            Err(e) => Some(format!("error: {e}")),
        };
        if let Some(reason) = held {
            return self.finish_unrun(&lease, run, "skipped", &reason, next_due(now));
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
                    self.queue
                        .release(&lease, BUSY_RETRY_SECS)
                        .map_err(|e| format!("release failed: {e}"))?;
                    run.status = "deferred".into();
                    run.note = format!("{why}; retried in {BUSY_RETRY_SECS}s");
                    return Ok(run);
                }
            }
        } else {
            None
        };

        let outcome = self.run_with_heartbeat(&spec, &lease);
        let finished = self.queue.now().map_err(|e| e.to_string())?;
        let completion = self
            .queue
            .complete(&lease, &outcome.result, &outcome.note, next_due(finished))
            .map_err(|e| format!("complete failed: {e}"))?;
        run.result = Some(outcome.result.clone());
        match completion {
            Completion::Recorded => {
                run.status = "done".into();
                run.note = outcome.note.clone();
                if let Err(e) = record_outcome(self.store.as_ref(), &spec, lease.slot, &outcome) {
                    run.note = format!("{} ({e})", outcome.note);
                }
            }
            Completion::LeaseLost => {
                run.status = "lease-lost".into();
                run.note = "the lease expired and another worker took the slot over; this result was discarded".into();
            }
        }
        Ok(run)
    }

    fn finish_unrun(
        &self,
        lease: &Lease,
        mut run: WorkerRun,
        result: &str,
        note: &str,
        next_due: Option<DateTime<Utc>>,
    ) -> Result<WorkerRun, String> {
        let completion = self
            .queue
            .complete(lease, result, note, next_due)
            .map_err(|e| format!("complete failed: {e}"))?;
        run.status = match completion {
            Completion::Recorded => "skipped".into(),
            Completion::LeaseLost => "lease-lost".into(),
        };
        run.result = Some(result.to_string());
        run.note = note.to_string();
        Ok(run)
    }

    /// Run the loop while a helper thread keeps the lease alive.
    fn run_with_heartbeat(&self, spec: &ScheduledSpec, lease: &Lease) -> RunOutcome {
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
                        match self.queue.heartbeat(lease, self.config.lease_secs) {
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
                store: self.store.as_ref(),
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

fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) {
    let step = Duration::from_millis(50);
    let mut left = total;
    while !left.is_zero() && !stop.load(Ordering::SeqCst) {
        let nap = left.min(step);
        std::thread::sleep(nap);
        left -= nap;
    }
}
