//! Scheduler behaviour over the real file backend, with scripted runners.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use strive_scheduler::lock::{FileLocks, WriterLocks};
use strive_scheduler::record::{self, Resumed};
use strive_scheduler::spec::load_dir;
use strive_scheduler::tick::TickReport;
use strive_scheduler::{LoopRunner, RunContext, RunOutcome, ScheduledSpec, Scheduler, inbox};
use strive_state::Store;
use strive_state::file::FileStore;

type Script = dyn Fn(&str, usize) -> Result<RunOutcome, String> + Send + Sync;

/// A runner that records every call and answers from a script (loop id, nth call of it).
struct ScriptedRunner {
    calls: Mutex<Vec<String>>,
    script: Box<Script>,
}

impl ScriptedRunner {
    fn new(
        script: impl Fn(&str, usize) -> Result<RunOutcome, String> + Send + Sync + 'static,
    ) -> Self {
        ScriptedRunner {
            calls: Mutex::new(Vec::new()),
            script: Box::new(script),
        }
    }
    fn clean() -> Self {
        Self::new(|_, _| Ok(RunOutcome::new("clean", "ok")))
    }
    fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

impl LoopRunner for ScriptedRunner {
    fn run(&self, spec: &ScheduledSpec, ctx: &RunContext<'_>) -> Result<RunOutcome, String> {
        let nth = {
            let mut calls = self.calls.lock().unwrap();
            calls.push(spec.id.clone());
            calls.iter().filter(|c| **c == spec.id).count()
        };
        // Like a runtime: write the loop's own section with a wall-clock timestamp.
        ctx.store
            .update_section(&spec.id, &mut |_| {
                Ok(Some(
                    json!({"last_run": Utc::now().to_rfc3339(), "runs": nth}),
                ))
            })
            .map_err(|e| e.to_string())?;
        (self.script)(&spec.id, nth)
    }
}

struct Fixture {
    dir: tempfile::TempDir,
    store: Arc<dyn Store>,
    locks: FileLocks,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("loops")).unwrap();
        let store: Arc<dyn Store> = Arc::new(FileStore::new(dir.path().join("state/state.json")));
        let locks = FileLocks::new(dir.path().join("locks"));
        Fixture { dir, store, locks }
    }

    fn write_spec(&self, file: &str, spec: Value) {
        std::fs::write(self.dir.path().join("loops").join(file), spec.to_string()).unwrap();
    }

    fn write_raw(&self, file: &str, text: &str) {
        std::fs::write(self.dir.path().join("loops").join(file), text).unwrap();
    }

    fn tick(&self, runner: &ScriptedRunner, now: DateTime<Utc>) -> TickReport {
        let loaded = load_dir(&self.dir.path().join("loops"), None).unwrap();
        let scheduler = Scheduler {
            store: Arc::clone(&self.store),
            runner,
            locks: &self.locks,
            loop_store: None,
        };
        scheduler.tick(
            &loaded.specs,
            &loaded.problems,
            now,
            &AtomicBool::new(false),
        )
    }
}

fn triage(id: &str, cadence: &str) -> Value {
    json!({"id": id, "kind": "git-commit-triage", "phase": "L1", "cadence": cadence,
           "target": {"repo": "/nonexistent/repo", "refs": ["main"]},
           "budget": {"max_iterations": 1}})
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn item<'a>(report: &'a TickReport, id: &str) -> &'a strive_scheduler::tick::TickItem {
    report.items.iter().find(|i| i.loop_id == id).unwrap()
}

#[test]
fn interval_and_cron_due_ness_follow_the_injected_clock() {
    let f = Fixture::new();
    f.write_spec("hourly.json", triage("hourly", "1h"));
    f.write_spec("nightly.json", triage("nightly", "0 3 * * *"));
    f.write_spec("weekly.json", triage("weekly", "weekly"));
    let runner = ScriptedRunner::clean();
    let t0 = at("2026-03-10T10:00:00Z");

    let first = f.tick(&runner, t0);
    assert_eq!(first.ran(), 3, "never-run loops are due at once");

    let half = f.tick(&runner, t0 + Duration::minutes(30));
    assert_eq!(half.ran(), 0);
    assert!(
        item(&half, "hourly")
            .reason
            .contains("not due until 2026-03-10T11:00:00Z")
    );
    assert!(
        item(&half, "nightly")
            .reason
            .contains("2026-03-11T03:00:00Z")
    );

    let hour = f.tick(&runner, t0 + Duration::hours(1));
    assert!(item(&hour, "hourly").ran && !item(&hour, "nightly").ran && !item(&hour, "weekly").ran);

    let night = f.tick(&runner, at("2026-03-11T03:00:00Z"));
    assert!(
        item(&night, "nightly").ran && item(&night, "hourly").ran && !item(&night, "weekly").ran
    );

    let week = f.tick(&runner, t0 + Duration::days(7));
    assert!(item(&week, "weekly").ran);
}

#[test]
fn a_past_now_is_not_confused_by_runtime_wall_clock_fields() {
    let f = Fixture::new();
    f.write_spec("a.json", triage("a", "1d"));
    let runner = ScriptedRunner::clean();
    // The runner writes `last_run` = the real wall clock into the loop's own section; a tick
    // "in the past" must still judge due-ness by the scheduler's own record.
    let past = at("2020-01-01T00:00:00Z");
    assert_eq!(f.tick(&runner, past).ran(), 1);
    assert_eq!(f.tick(&runner, past + Duration::hours(23)).ran(), 0);
    assert_eq!(f.tick(&runner, past + Duration::days(1)).ran(), 1);
    let record = record::read(f.store.as_ref(), "a").unwrap();
    assert_eq!(record.last_run.as_deref(), Some("2020-01-02T00:00:00Z"));
}

#[test]
fn malformed_specs_are_reported_and_skipped_while_others_run() {
    let f = Fixture::new();
    f.write_raw("broken.json", "{ this is not json");
    f.write_spec("weird-cadence.json", triage("weird", "every full moon"));
    f.write_spec("no-id.json", json!({"kind": "git-commit-triage"}));
    f.write_raw("notes.txt", "not a spec, ignored");
    f.write_spec("good.json", triage("good", "1h"));
    f.write_spec("other.json", triage("other", "30m"));
    let runner = ScriptedRunner::clean();
    let report = f.tick(&runner, at("2026-01-01T00:00:00Z"));
    assert_eq!(report.ran(), 2);
    assert_eq!(report.problems.len(), 3);
    let by_file: HashMap<String, String> = report
        .problems
        .iter()
        .map(|p| {
            (
                Path::new(&p.file)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                p.error.clone(),
            )
        })
        .collect();
    assert!(by_file["broken.json"].contains("not valid JSON"));
    assert!(by_file["weird-cadence.json"].contains("`cadence`"));
    assert!(by_file["no-id.json"].contains("`id`"));
}

#[test]
fn duplicate_ids_are_refused_not_shadowed() {
    let f = Fixture::new();
    f.write_spec("a1.json", triage("same", "1h"));
    f.write_spec("a2.json", triage("same", "1h"));
    let runner = ScriptedRunner::clean();
    let report = f.tick(&runner, at("2026-01-01T00:00:00Z"));
    assert_eq!(report.ran(), 0);
    assert_eq!(report.problems.len(), 2);
}

#[test]
fn failing_and_panicking_runs_are_reported_and_the_tick_goes_on() {
    let f = Fixture::new();
    f.write_spec("a.json", triage("a-panics", "1h"));
    f.write_spec("b.json", triage("b-fails", "1h"));
    f.write_spec("c.json", triage("c-fine", "1h"));
    let runner = ScriptedRunner::new(|id, _| match id {
        "a-panics" => panic!("plugin blew up"),
        "b-fails" => Err("target not reachable".into()),
        _ => Ok(RunOutcome::new("found", "2 high")),
    });
    let report = f.tick(&runner, at("2026-01-01T00:00:00Z"));
    assert_eq!(report.ran(), 3);
    let a = item(&report, "a-panics");
    assert_eq!(a.result.as_deref(), Some("error"));
    assert!(a.reason.contains("runner panicked: plugin blew up"));
    assert!(
        item(&report, "b-fails")
            .reason
            .contains("infra error: target not reachable")
    );
    assert_eq!(item(&report, "c-fine").result.as_deref(), Some("found"));
    let kinds: Vec<String> = inbox::list(f.store.as_ref(), None)
        .unwrap()
        .into_iter()
        .map(|n| format!("{}:{}", n.loop_id, n.kind))
        .collect();
    assert_eq!(kinds, ["a-panics:error", "b-fails:error", "c-fine:found"]);
}

#[test]
fn a_stall_halts_once_and_resume_lifts_it() {
    let f = Fixture::new();
    f.write_spec("s.json", triage("stuck", "1h"));
    let runner = ScriptedRunner::new(|_, n| {
        Ok(RunOutcome::new(
            "escalated",
            format!("verifier unreachable after {n}0s"),
        ))
    });
    let t0 = at("2026-01-01T00:00:00Z");
    let mut halted_notices = 0;
    for hour in 0..6 {
        let report = f.tick(&runner, t0 + Duration::hours(hour));
        let it = item(&report, "stuck");
        halted_notices += it
            .notifications
            .iter()
            .filter(|n| n.kind == "halted")
            .count();
        if hour < 3 {
            assert!(it.ran, "hour {hour}");
            assert_eq!(it.halted, hour == 2);
        } else {
            assert!(
                !it.ran && it.reason.starts_with("halted (stall)"),
                "{}",
                it.reason
            );
            assert!(it.reason.contains("strive resume stuck"));
            assert!(
                it.notifications.is_empty(),
                "a halted loop must not notify every tick"
            );
        }
    }
    assert_eq!(halted_notices, 1);
    assert_eq!(runner.calls().len(), 3);
    let inbox = inbox::list(f.store.as_ref(), Some("stuck")).unwrap();
    assert_eq!(inbox.iter().filter(|n| n.kind == "halted").count(), 1);

    assert!(matches!(
        record::resume(f.store.as_ref(), "stuck").unwrap(),
        Resumed::Lifted(_)
    ));
    assert_eq!(
        record::resume(f.store.as_ref(), "stuck").unwrap(),
        Resumed::NotHalted
    );
    assert_eq!(
        record::resume(f.store.as_ref(), "nobody").unwrap(),
        Resumed::Unknown
    );
    let after = f.tick(&runner, t0 + Duration::hours(7));
    assert!(item(&after, "stuck").ran);
    assert!(
        !item(&after, "stuck").halted,
        "resume forgets the history; one more escalation does not re-halt"
    );
}

#[test]
fn found_clean_flip_flop_is_not_an_anomaly() {
    let f = Fixture::new();
    f.write_spec("t.json", triage("triage", "1h"));
    let runner = ScriptedRunner::new(|_, n| {
        Ok(if !n.is_multiple_of(2) {
            RunOutcome::new("found", "1 high")
        } else {
            RunOutcome::new("clean", "no new commits since cursors")
        })
    });
    let t0 = at("2026-01-01T00:00:00Z");
    for hour in 0..12 {
        let report = f.tick(&runner, t0 + Duration::hours(hour));
        assert!(item(&report, "triage").ran && !item(&report, "triage").halted);
    }
    assert!(
        record::read(f.store.as_ref(), "triage")
            .unwrap()
            .halted
            .is_none()
    );
    let notes = inbox::list(f.store.as_ref(), None).unwrap();
    assert_eq!(notes.len(), 6, "only the `found` runs notify");
    assert!(notes.iter().all(|n| n.kind == "found"));
}

#[test]
fn lower_priority_runs_first_and_ties_keep_file_order() {
    let f = Fixture::new();
    let spec = |file: &str, id: &str, priority: Option<i64>| {
        let mut s = triage(id, "1h");
        if let Some(p) = priority {
            s["priority"] = json!(p);
        }
        f.write_spec(file, s);
    };
    spec("1.json", "default-a", None);
    spec("2.json", "urgent", Some(1));
    spec("3.json", "low", Some(500));
    spec("4.json", "default-b", None);
    spec("5.json", "middle", Some(50));
    let runner = ScriptedRunner::clean();
    f.tick(&runner, at("2026-01-01T00:00:00Z"));
    assert_eq!(
        runner.calls(),
        ["urgent", "middle", "default-a", "default-b", "low"]
    );
}

#[test]
fn paused_stopped_and_cadence_less_loops_do_not_run() {
    let f = Fixture::new();
    let mut paused = triage("paused", "1h");
    paused["paused"] = json!(true);
    f.write_spec("p.json", paused);
    let mut stopped = triage("stopped", "1h");
    stopped["stop_after"] = json!("2026-01-01T00:00:00Z");
    f.write_spec("s.json", stopped);
    let mut later = triage("later", "1h");
    later["stop_after"] = json!("2026-06-01T00:00:00+02:00");
    f.write_spec("l.json", later);
    let mut manual = triage("manual", "1h");
    manual.as_object_mut().unwrap().remove("cadence");
    f.write_spec("m.json", manual);
    let runner = ScriptedRunner::clean();
    let report = f.tick(&runner, at("2026-02-01T00:00:00Z"));
    assert_eq!(runner.calls(), ["later"]);
    assert_eq!(item(&report, "paused").reason, "paused");
    assert!(
        item(&report, "stopped")
            .reason
            .contains("stop_after 2026-01-01T00:00:00Z has passed")
    );
    assert!(item(&report, "manual").reason.starts_with("no cadence"));
}

fn writer(id: &str, repo: &Path) -> Value {
    json!({"id": id, "kind": "assisted-fix", "phase": "L2", "cadence": "1h",
           "target": {"repo": repo.to_str().unwrap(), "base_ref": "main"},
           "task": "t", "test_command": "true", "budget": {}})
}

#[test]
fn collision_guard_allows_one_writer_per_repository() {
    let f = Fixture::new();
    let repo = f.dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    let other_repo = f.dir.path().join("other");
    std::fs::create_dir(&other_repo).unwrap();
    f.write_spec("a.json", writer("fix-a", &repo));
    // Same repository, spelled differently.
    f.write_spec("b.json", writer("fix-b", &repo.join("../repo")));
    f.write_spec("c.json", writer("fix-c", &other_repo));
    // A reader of the same repository is never blocked.
    let mut reader = triage("reader", "1h");
    reader["target"]["repo"] = json!(repo.to_str().unwrap());
    f.write_spec("d.json", reader);
    let runner = ScriptedRunner::clean();
    let report = f.tick(&runner, at("2026-01-01T00:00:00Z"));
    assert_eq!(runner.calls(), ["fix-a", "fix-c", "reader"]);
    assert!(
        item(&report, "fix-b")
            .reason
            .contains("already claimed this tick by fix-a")
    );

    // Another process holding the repository's writer lock blocks the next tick's writers.
    let held = f
        .locks
        .try_lock(repo.to_str().unwrap())
        .unwrap()
        .expect("lock is free between runs");
    let report = f.tick(&runner, at("2026-01-01T01:00:00Z"));
    assert!(!item(&report, "fix-a").ran);
    assert!(
        item(&report, "fix-a")
            .reason
            .contains("being written by another run")
    );
    assert!(item(&report, "fix-c").ran);
    drop(held);
    let report = f.tick(&runner, at("2026-01-01T01:00:01Z"));
    assert!(item(&report, "fix-a").ran);
}

#[test]
fn each_spec_state_file_is_honoured_through_the_resolver() {
    let f = Fixture::new();
    let own = f.dir.path().join("own/state.json");
    let mut spec = triage("own-state", "1h");
    spec["state_file"] = json!(own.to_str().unwrap());
    f.write_spec("o.json", spec);
    f.write_spec("d.json", triage("default-state", "1h"));
    let runner = ScriptedRunner::clean();
    let loaded = load_dir(&f.dir.path().join("loops"), None).unwrap();
    let resolver = |spec: &ScheduledSpec| -> Result<Arc<dyn Store>, String> {
        Ok(match &spec.state_file {
            Some(path) => Arc::new(FileStore::new(path)),
            None => Arc::clone(&f.store),
        })
    };
    let scheduler = Scheduler {
        store: Arc::clone(&f.store),
        runner: &runner,
        locks: &f.locks,
        loop_store: Some(&resolver),
    };
    let report = scheduler.tick(
        &loaded.specs,
        &[],
        at("2026-01-01T00:00:00Z"),
        &AtomicBool::new(false),
    );
    assert_eq!(report.ran(), 2);
    let own_store = FileStore::new(&own);
    assert!(own_store.read_section("own-state").unwrap().is_some());
    assert!(f.store.read_section("own-state").unwrap().is_none());
    assert!(f.store.read_section("default-state").unwrap().is_some());
    // The scheduler's own records stay in the scheduler store.
    assert!(f.store.read_section("own-state::sched").unwrap().is_some());
}

#[test]
fn a_stop_request_starts_nothing_new() {
    let f = Fixture::new();
    f.write_spec("a.json", triage("a", "1h"));
    let runner = ScriptedRunner::clean();
    let loaded = load_dir(&f.dir.path().join("loops"), None).unwrap();
    let scheduler = Scheduler {
        store: Arc::clone(&f.store),
        runner: &runner,
        locks: &f.locks,
        loop_store: None,
    };
    let report = scheduler.tick(
        &loaded.specs,
        &[],
        at("2026-01-01T00:00:00Z"),
        &AtomicBool::new(true),
    );
    assert_eq!(report.ran(), 0);
    assert!(report.items[0].reason.contains("shutting down"));
}

#[test]
fn two_schedulers_sharing_a_store_never_both_run_a_loop() {
    let f = Fixture::new();
    for i in 0..30 {
        f.write_spec(&format!("{i:02}.json"), triage(&format!("l{i:02}"), "1h"));
    }
    let runner = ScriptedRunner::clean();
    let now = at("2026-01-01T00:00:00Z");
    let reports: Vec<TickReport> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3).map(|_| s.spawn(|| f.tick(&runner, now))).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(reports.iter().map(TickReport::ran).sum::<usize>(), 30);
    let mut calls = runner.calls();
    calls.sort();
    calls.dedup();
    assert_eq!(calls.len(), 30);
}
