//! One scheduler tick over a set of specs, and the run path shared with lease workers.
//!
//! Guarantees:
//! - Loops are considered in `priority` order (lower first; ties keep file order).
//! - A loop runs only when it is not paused, not halted, not past its `stop_after`, has a
//!   cadence that makes it due at the injected `now`, and — if it writes its target repository
//!   — holds that repository's writer lock. Every loop not run gets a reason.
//! - A runner that fails or panics becomes an `error` result for that loop; the tick goes on.
//!   A store that cannot record a result is reported for that loop; the tick goes on.
//! - Results `found`, `proposed`, `merged`, `escalated`, `error` notify the inbox; a stall halts
//!   the loop and notifies `halted` once (see [`crate::record`]).
//! - A stop request (daemon shutdown) lets the run in flight finish and starts no other.
//! - Schedulers sharing a store never both run one due loop: a run is claimed by stamping the
//!   loop's `last_run` under the store's lock after re-checking that it is still due. A run
//!   that dies with its process is not retried before the loop is due again (at most once).

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use strive_state::Store;

use crate::inbox::{self, Notification};
use crate::lock::{WriterGuard, WriterLocks};
use crate::record::{self, SchedRecord};
use crate::spec::{ScheduledSpec, SpecProblem};

/// What a runner reports for one run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RunOutcome {
    /// `clean`, `found`, `proposed`, `merged`, `escalated` or `error` (a loop kind may report
    /// others; only the listed ones notify).
    pub result: String,
    pub note: String,
    /// The loop could not run at all (the runner failed or panicked): an infrastructure
    /// failure, not a result the loop produced.
    #[serde(skip)]
    pub infra: bool,
}

impl RunOutcome {
    pub fn new(result: impl Into<String>, note: impl Into<String>) -> Self {
        RunOutcome {
            result: result.into(),
            note: note.into(),
            infra: false,
        }
    }

    fn infra(note: String) -> Self {
        RunOutcome {
            infra: true,
            ..RunOutcome::new("error", note)
        }
    }
}

/// What a runner is given.
pub struct RunContext<'a> {
    /// The scheduler's clock for this run (the tick's `now`, or a worker's slot start).
    pub now: DateTime<Utc>,
    /// Where the loop keeps its section and run log.
    pub store: &'a dyn Store,
    /// Set when this run's result can no longer be recorded (a worker lost its lease to
    /// another): a runner should stop as soon as it safely can. Shutdown does not set it —
    /// runs in flight finish.
    pub cancel: &'a AtomicBool,
}

/// Runs one loop (the same code path as `strive run`). `Err` is an infrastructure failure
/// (the loop could not run at all); it is recorded as result `error`.
pub trait LoopRunner: Send + Sync {
    fn run(&self, spec: &ScheduledSpec, ctx: &RunContext<'_>) -> Result<RunOutcome, String>;
}

/// Run a loop, turning an `Err` or a panic into an `error` outcome.
pub fn run_guarded(
    runner: &dyn LoopRunner,
    spec: &ScheduledSpec,
    ctx: &RunContext<'_>,
) -> RunOutcome {
    match catch_unwind(AssertUnwindSafe(|| runner.run(spec, ctx))) {
        Ok(Ok(outcome)) => outcome,
        Ok(Err(e)) => RunOutcome::infra(format!("infra error: {e}")),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            RunOutcome::infra(format!("runner panicked: {msg}"))
        }
    }
}

/// What happened to one loop in a tick.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TickItem {
    #[serde(rename = "loop")]
    pub loop_id: String,
    pub priority: i64,
    pub ran: bool,
    /// The run's result (when it ran).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
    /// The run's note, or why the loop did not run.
    pub reason: String,
    /// Set when this run halted the loop.
    pub halted: bool,
    /// Notifications this item added to the inbox.
    pub notifications: Vec<Notification>,
}

/// The report of one tick.
#[derive(Clone, Debug, Serialize)]
pub struct TickReport {
    pub now: String,
    pub items: Vec<TickItem>,
    /// Spec files that could not be scheduled.
    pub problems: Vec<ProblemReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ProblemReport {
    pub file: String,
    pub error: String,
}

impl TickReport {
    pub fn ran(&self) -> usize {
        self.items.iter().filter(|i| i.ran).count()
    }
    pub fn notifications(&self) -> impl Iterator<Item = &Notification> {
        self.items.iter().flat_map(|i| i.notifications.iter())
    }
}

/// Why a loop must not run even when due: paused, halted, or past its `stop_after`.
pub fn hold_reason(
    spec: &ScheduledSpec,
    record: &SchedRecord,
    now: DateTime<Utc>,
) -> Option<String> {
    if spec.paused {
        return Some("paused".into());
    }
    if let Some(halt) = &record.halted {
        return Some(format!(
            "halted ({}) since {}: {} — lift with `strive resume {}`",
            halt.kind, halt.since, halt.detail, spec.id
        ));
    }
    match spec.stop_after {
        Some(stop) if now >= stop => {
            Some(format!("stopped: stop_after {} has passed", stamp(stop)))
        }
        _ => None,
    }
}

/// Why a loop is not run now (held, no cadence, not due), checked before any lock or run.
/// `None`: it may run.
pub fn skip_reason(
    spec: &ScheduledSpec,
    record: &SchedRecord,
    now: DateTime<Utc>,
) -> Option<String> {
    if let Some(reason) = hold_reason(spec, record, now) {
        return Some(reason);
    }
    let Some(cadence) = &spec.cadence else {
        return Some("no cadence: runs only when started by hand (`strive run`)".into());
    };
    // A loop that never ran is due at once.
    let last = record.last_run_at()?;
    match cadence.next_after(last) {
        Some(next) if next <= now => None,
        Some(next) => Some(format!("not due until {} (cadence {cadence})", stamp(next))),
        None => Some(format!("cadence {cadence} has no further occurrence")),
    }
}

/// RFC 3339 in UTC, whole seconds.
pub fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Record a finished run in the scheduler store: history, halting, inbox. Returns whether the
/// run halted the loop and the notifications added.
pub fn record_outcome(
    sched_store: &dyn Store,
    spec: &ScheduledSpec,
    at: DateTime<Utc>,
    outcome: &RunOutcome,
) -> Result<(bool, Vec<Notification>), String> {
    record_outcome_in(sched_store, &spec.id, at, &outcome.result, &outcome.note)
        .map_err(|e| format!("could not record the result: {e}"))
}

/// [`record_outcome`] keeping the store's error (a worker retries transient ones).
pub fn record_outcome_in(
    sched_store: &dyn Store,
    loop_id: &str,
    at: DateTime<Utc>,
    result: &str,
    note: &str,
) -> Result<(bool, Vec<Notification>), strive_state::StoreError> {
    let outcome = RunOutcome::new(result, note);
    let halt = record::update(sched_store, loop_id, |r| {
        r.push_result(at, &outcome.result, &outcome.note)
    })?;
    let mut notes = Vec::new();
    let mut add = |kind: &str, note: &str| -> Result<(), strive_state::StoreError> {
        let n = inbox::notify(sched_store, at, loop_id, kind, note)?;
        notes.push(n);
        Ok(())
    };
    if inbox::notifies(&outcome.result) {
        add(&outcome.result, &outcome.note)?;
    }
    if let Some(halt) = &halt {
        add(
            "halted",
            &format!("{}; lift with `strive resume {loop_id}`", halt.detail),
        )?;
    }
    Ok((halt.is_some(), notes))
}

/// Picks the store a loop keeps its own state in.
pub type StoreResolver<'a> = &'a dyn Fn(&ScheduledSpec) -> Result<Arc<dyn Store>, String>;

/// A scheduler over one scheduler store.
pub struct Scheduler<'a> {
    /// Where the scheduler keeps its records and the inbox.
    pub store: Arc<dyn Store>,
    pub runner: &'a dyn LoopRunner,
    pub locks: &'a dyn WriterLocks,
    /// The store each loop runs against; `None`: the scheduler store.
    pub loop_store: Option<StoreResolver<'a>>,
}

impl Scheduler<'_> {
    /// One tick at `now` over `specs` (already loaded; `problems` are reported as given).
    pub fn tick(
        &self,
        specs: &[ScheduledSpec],
        problems: &[SpecProblem],
        now: DateTime<Utc>,
        stop: &AtomicBool,
    ) -> TickReport {
        let mut ordered: Vec<&ScheduledSpec> = specs.iter().collect();
        ordered.sort_by_key(|s| s.priority); // stable: ties keep file order
        let mut claimed: BTreeMap<String, String> = BTreeMap::new();
        // One read of every record up front keeps a tick linear in the number of loops; each
        // loop that looks due is re-checked under the store's lock before it runs.
        let snapshot = self.store.all_sections().map_err(|e| e.to_string());
        let items = ordered
            .into_iter()
            .map(|spec| {
                let record = snapshot.as_ref().map_err(Clone::clone).and_then(|all| {
                    SchedRecord::from_section(&spec.id, all.get(&record::record_key(&spec.id)))
                        .map_err(|e| e.to_string())
                });
                self.consider(spec, record, now, stop, &mut claimed)
            })
            .collect();
        TickReport {
            now: stamp(now),
            items,
            problems: problems
                .iter()
                .map(|p| ProblemReport {
                    file: p.path.display().to_string(),
                    error: p.error.clone(),
                })
                .collect(),
        }
    }

    fn consider(
        &self,
        spec: &ScheduledSpec,
        record: Result<SchedRecord, String>,
        now: DateTime<Utc>,
        stop: &AtomicBool,
        claimed: &mut BTreeMap<String, String>,
    ) -> TickItem {
        let skipped = |reason: String| TickItem {
            loop_id: spec.id.clone(),
            priority: spec.priority,
            ran: false,
            result: None,
            reason,
            halted: false,
            notifications: Vec::new(),
        };
        if stop.load(Ordering::SeqCst) {
            return skipped("not started: shutting down".into());
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => return skipped(format!("error: {e}")),
        };
        if let Some(reason) = skip_reason(spec, &record, now) {
            return skipped(reason);
        }
        let _writer: Option<WriterGuard> = match self.writer_lock(spec, claimed) {
            Ok(guard) => guard,
            Err(reason) => return skipped(reason),
        };
        // Claim the run: re-check under the store's lock and stamp `last_run`, so that two
        // schedulers sharing a store never both run the same due loop.
        let claim = record::update(self.store.as_ref(), &spec.id, |fresh| {
            let reason = skip_reason(spec, fresh, now);
            if reason.is_none() {
                fresh.last_run = Some(stamp(now));
            }
            reason
        });
        match claim {
            Ok(None) => {}
            Ok(Some(reason)) => return skipped(reason),
            Err(e) => return skipped(format!("error: cannot claim the run: {e}")),
        }
        let loop_store = match self.loop_store {
            Some(resolve) => match resolve(spec) {
                Ok(s) => s,
                Err(e) => return skipped(format!("error: cannot open the loop's state: {e}")),
            },
            None => Arc::clone(&self.store),
        };
        let never_cancelled = AtomicBool::new(false);
        let ctx = RunContext {
            now,
            store: loop_store.as_ref(),
            cancel: &never_cancelled,
        };
        let outcome = run_guarded(self.runner, spec, &ctx);
        match record_outcome(self.store.as_ref(), spec, now, &outcome) {
            Ok((halted, notifications)) => TickItem {
                loop_id: spec.id.clone(),
                priority: spec.priority,
                ran: true,
                result: Some(outcome.result),
                reason: outcome.note,
                halted,
                notifications,
            },
            Err(e) => TickItem {
                loop_id: spec.id.clone(),
                priority: spec.priority,
                ran: true,
                result: Some(outcome.result),
                reason: format!("{} (and {e})", outcome.note),
                halted: false,
                notifications: Vec::new(),
            },
        }
    }

    /// For a loop that writes its target: the repository's writer lock, unless another loop
    /// of this tick already claimed it or another process holds it.
    fn writer_lock(
        &self,
        spec: &ScheduledSpec,
        claimed: &mut BTreeMap<String, String>,
    ) -> Result<Option<WriterGuard>, String> {
        if !spec.writes_target() {
            return Ok(None);
        }
        let Some(repo) = spec.target_repo.as_deref() else {
            return Ok(None);
        };
        let key = crate::lock::repo_key(repo);
        if let Some(other) = claimed.get(&key) {
            return Err(format!(
                "target {repo} already claimed this tick by {other}"
            ));
        }
        match self.locks.try_lock(repo) {
            Ok(Some(guard)) => {
                claimed.insert(key, spec.id.clone());
                Ok(Some(guard))
            }
            Ok(None) => Err(format!(
                "target {repo} is being written by another run (collision guard); retried next tick"
            )),
            Err(e) => Err(format!("collision guard unavailable ({e}); not run")),
        }
    }
}
