//! Lease workers against a real PostgreSQL. Needs `STRIVE_TEST_PG_URL` (start a server with
//! `scripts/pg-test-server.sh`); without it these tests are skipped loudly, except under CI
//! (`CI` set), where a missing server is a failure.
//!
//! The crash test runs a worker in a separate process (this test binary re-executed on the
//! ignored entry point `child_worker_process`) and kills it with SIGKILL mid-run.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;
use strive_scheduler::lock::FileLocks;
use strive_scheduler::worker::{self, Worker, WorkerConfig};
use strive_scheduler::{LoopRunner, RunContext, RunOutcome, ScheduledSpec, record};
use strive_state::lease::LeaseQueue;
use strive_state::postgres::{PgStore, scratch_database};

fn scratch(name: &str) -> Option<String> {
    let Ok(url) = std::env::var("STRIVE_TEST_PG_URL") else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "STRIVE_TEST_PG_URL is not set under CI: start PostgreSQL with scripts/pg-test-server.sh"
            );
        }
        eprintln!(
            "\n!!! SKIPPED {name}: STRIVE_TEST_PG_URL is not set. Run \
             `export STRIVE_TEST_PG_URL=$(bash scripts/pg-test-server.sh)` to test PostgreSQL workers. !!!\n"
        );
        return None;
    };
    Some(scratch_database(&url, &format!("strive_t_sched_{name}")).expect("scratch database"))
}

fn specs(n: usize, slow: Option<&str>) -> Vec<ScheduledSpec> {
    (0..n)
        .map(|i| {
            let id = format!("loop-{i:03}");
            // The slow loop (if any) is claimed last.
            let priority = if slow == Some(id.as_str()) { 1_000 } else { 100 };
            let doc = json!({"id": id, "kind": "git-commit-triage", "phase": "L1", "cadence": "1d",
                "priority": priority, "target": {"repo": "/nonexistent", "refs": ["main"]}, "budget": {}});
            ScheduledSpec::from_document(doc, Path::new("")).unwrap()
        })
        .collect()
}

/// Appends `start <id>` / `done <id>` lines to a file (shared across processes) and counts in
/// memory; hangs on the `slow` loop.
struct MarkingRunner {
    marks: PathBuf,
    slow: Option<String>,
    done: Mutex<HashMap<String, usize>>,
}

impl MarkingRunner {
    fn mark(&self, what: &str) {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.marks)
            .unwrap();
        f.write_all(format!("{what}\n").as_bytes()).unwrap();
        f.sync_all().unwrap();
    }
}

impl LoopRunner for MarkingRunner {
    fn run(&self, spec: &ScheduledSpec, _ctx: &RunContext<'_>) -> Result<RunOutcome, String> {
        self.mark(&format!("start {}", spec.id));
        if self.slow.as_deref() == Some(spec.id.as_str()) {
            std::thread::sleep(Duration::from_secs(120));
        } else {
            std::thread::sleep(Duration::from_millis(2));
        }
        self.mark(&format!("done {}", spec.id));
        *self
            .done
            .lock()
            .unwrap()
            .entry(spec.id.clone())
            .or_default() += 1;
        Ok(RunOutcome::new("clean", "ok"))
    }
}

fn marks(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

fn count(lines: &[String], prefix: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for l in lines {
        if let Some(id) = l.strip_prefix(prefix) {
            *out.entry(id.to_string()).or_default() += 1;
        }
    }
    out
}

fn run_worker(
    url: &str,
    id: &str,
    runner: &MarkingRunner,
    lease_secs: u32,
    locks: &FileLocks,
) -> usize {
    let store = Arc::new(PgStore::connect(url).unwrap());
    let w = Worker {
        queue: store.clone(),
        store,
        runner,
        locks,
        config: WorkerConfig {
            worker_id: id.into(),
            lease_secs,
            until_idle: true,
            poll: Duration::from_millis(100),
        },
    };
    w.run(&AtomicBool::new(false), &mut |_| {}).unwrap()
}

#[test]
fn three_workers_run_three_hundred_due_loops_exactly_once() {
    let Some(url) = scratch("three_workers") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let queue = PgStore::connect(&url).unwrap();
    let report = worker::sync(&queue, &specs(300, None), false).unwrap();
    assert_eq!(report.added, 300);
    let runner = Arc::new(MarkingRunner {
        marks: dir.path().join("marks"),
        slow: None,
        done: Mutex::new(HashMap::new()),
    });
    let locks = FileLocks::new(dir.path().join("locks"));
    let handled: Vec<usize> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..3)
            .map(|w| {
                let (url, runner, locks) = (&url, &runner, &locks);
                s.spawn(move || run_worker(url, &format!("w{w}"), runner, 30, locks))
            })
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(handled.iter().sum::<usize>(), 300);
    assert!(
        handled.iter().all(|&n| n > 0),
        "every worker took part: {handled:?}"
    );
    let done = runner.done.lock().unwrap();
    assert_eq!(done.len(), 300);
    assert!(done.values().all(|&n| n == 1), "a loop ran twice");
    for i in [0, 150, 299] {
        let id = format!("loop-{i:03}");
        assert_eq!(queue.run_counts(&id).unwrap(), (1, 1));
        assert_eq!(record::read(&queue, &id).unwrap().runs, 1);
    }
    assert_eq!(queue.outstanding().unwrap(), 0);
}

/// Entry point of the child worker process used by the crash test; does nothing when run
/// directly (it is ignored by default).
#[test]
#[ignore = "entry point for the crash test's child worker process"]
fn child_worker_process() {
    let Ok(url) = std::env::var("STRIVE_CHILD_PG_URL") else {
        return;
    };
    let marks = PathBuf::from(std::env::var("STRIVE_CHILD_MARKS").unwrap());
    let runner = MarkingRunner {
        slow: std::env::var("STRIVE_CHILD_SLOW").ok(),
        done: Mutex::new(HashMap::new()),
        marks: marks.clone(),
    };
    let locks = FileLocks::new(marks.with_extension("locks"));
    run_worker(&url, "doomed", &runner, 2, &locks);
}

#[test]
fn a_killed_workers_loop_is_taken_over_after_lease_expiry_and_nothing_runs_twice() {
    let Some(url) = scratch("killed_worker") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let marks_path = dir.path().join("marks");
    let queue = PgStore::connect(&url).unwrap();
    worker::sync(&queue, &specs(20, Some("loop-007")), false).unwrap();

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            // This file is module `workers` of the one integration-test binary (tests/main.rs).
            &module_path!()
                .split_once("::")
                .map_or("child_worker_process".to_string(), |(_, m)| {
                    format!("{m}::child_worker_process")
                }),
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("STRIVE_CHILD_PG_URL", &url)
        .env("STRIVE_CHILD_MARKS", &marks_path)
        .env("STRIVE_CHILD_SLOW", "loop-007")
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !marks(&marks_path).contains(&"start loop-007".to_string()) {
        assert!(
            Instant::now() < deadline,
            "child never reached the slow loop"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "child worker exited early"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // SIGKILL: no cleanup, no release; the lease must expire by itself.
    child.kill().unwrap();
    child.wait().unwrap();
    let before = marks(&marks_path);
    assert_eq!(
        count(&before, "done ").len(),
        19,
        "the child finished the other loops first"
    );

    let survivor = MarkingRunner {
        marks: marks_path.clone(),
        slow: None,
        done: Mutex::new(HashMap::new()),
    };
    let started = Instant::now();
    let locks = FileLocks::new(dir.path().join("locks"));
    assert_eq!(run_worker(&url, "survivor", &survivor, 30, &locks), 1);
    // It had to wait for the 2 s lease to expire (minus the time since the child's last heartbeat).
    assert!(started.elapsed() < Duration::from_secs(20));

    let all = marks(&marks_path);
    let starts = count(&all, "start ");
    let dones = count(&all, "done ");
    assert_eq!(dones.len(), 20);
    assert!(
        dones.values().all(|&n| n == 1),
        "a loop completed twice: {dones:?}"
    );
    assert_eq!(
        starts["loop-007"], 2,
        "started by the killed worker, then by the survivor"
    );
    assert_eq!(
        *survivor.done.lock().unwrap(),
        HashMap::from([("loop-007".to_string(), 1)])
    );
    assert_eq!(
        queue.run_counts("loop-007").unwrap(),
        (1, 2),
        "one slot, done once, second attempt"
    );
    assert_eq!(queue.run_counts("loop-003").unwrap(), (1, 1));
}

/// Signals the stop flag from inside the first run, as SIGTERM would mid-run.
struct StopDuringRun<'a> {
    stop: &'a AtomicBool,
    runs: Mutex<Vec<String>>,
}

impl LoopRunner for StopDuringRun<'_> {
    fn run(&self, spec: &ScheduledSpec, _ctx: &RunContext<'_>) -> Result<RunOutcome, String> {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200));
        self.runs.lock().unwrap().push(spec.id.clone());
        Ok(RunOutcome::new(
            "found",
            "finished despite the stop request",
        ))
    }
}

#[test]
fn a_stop_request_finishes_the_run_in_flight_and_claims_nothing_more() {
    let Some(url) = scratch("graceful_stop") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(PgStore::connect(&url).unwrap());
    worker::sync(store.as_ref(), &specs(5, None), false).unwrap();
    let stop = AtomicBool::new(false);
    let runner = StopDuringRun {
        stop: &stop,
        runs: Mutex::new(Vec::new()),
    };
    let locks = FileLocks::new(dir.path().join("locks"));
    let w = Worker {
        queue: store.clone(),
        store: store.clone(),
        runner: &runner,
        locks: &locks,
        config: WorkerConfig {
            worker_id: "graceful".into(),
            lease_secs: 30,
            until_idle: false,
            poll: Duration::from_millis(50),
        },
    };
    let mut reported = Vec::new();
    assert_eq!(w.run(&stop, &mut |r| reported.push(r.clone())).unwrap(), 1);
    assert_eq!(reported[0].status, "done");
    let ran = runner.runs.lock().unwrap()[0].clone();
    assert_eq!(
        store.run_counts(&ran).unwrap(),
        (1, 1),
        "the in-flight run was recorded"
    );
    assert_eq!(
        store.outstanding().unwrap(),
        4,
        "nothing else was claimed, no lease left behind"
    );
    assert_eq!(
        strive_scheduler::inbox::list(store.as_ref(), None)
            .unwrap()
            .len(),
        1
    );
}

/// Waits until its run is cancelled (or 30 s pass) and says which happened.
struct WaitForCancel {
    started: AtomicBool,
}

impl LoopRunner for WaitForCancel {
    fn run(&self, _spec: &ScheduledSpec, ctx: &RunContext<'_>) -> Result<RunOutcome, String> {
        self.started
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if ctx.cancel.load(std::sync::atomic::Ordering::SeqCst) {
                return Ok(RunOutcome::new("error", "cancelled"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(RunOutcome::new("clean", "never cancelled"))
    }
}

#[test]
fn a_run_whose_lease_is_lost_is_cancelled_and_its_result_discarded() {
    let Some(url) = scratch("lease_lost") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(PgStore::connect(&url).unwrap());
    worker::sync(store.as_ref(), &specs(1, None), false).unwrap();
    let runner = WaitForCancel {
        started: AtomicBool::new(false),
    };
    let locks = FileLocks::new(dir.path().join("locks"));
    let w = Worker {
        queue: store.clone(),
        store: store.clone(),
        runner: &runner,
        locks: &locks,
        config: WorkerConfig {
            worker_id: "loser".into(),
            lease_secs: 3,
            until_idle: false,
            poll: Duration::from_millis(50),
        },
    };
    let stop = AtomicBool::new(false);
    let mut reported = Vec::new();
    std::thread::scope(|s| {
        s.spawn(|| {
            while !runner.started.load(std::sync::atomic::Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(20));
            }
            // Another party takes the lease over (as after an expiry).
            let mut raw = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            raw.execute("UPDATE loops SET lease_token = -1, lease_owner = 'thief', lease_expires_at = now() + interval '1 hour'", &[])
                .unwrap();
            std::thread::sleep(Duration::from_secs(4));
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
        });
        w.run(&stop, &mut |r| reported.push(r.clone())).unwrap();
    });
    assert_eq!(reported.len(), 1);
    assert_eq!(reported[0].status, "lease-lost");
    assert_eq!(
        reported[0].result.as_deref(),
        Some("error"),
        "the runner saw the cancel"
    );
    assert_eq!(
        store.run_counts("loop-000").unwrap(),
        (0, 1),
        "nothing was recorded as done"
    );
    assert!(
        strive_scheduler::inbox::list(store.as_ref(), None)
            .unwrap()
            .is_empty()
    );
}
