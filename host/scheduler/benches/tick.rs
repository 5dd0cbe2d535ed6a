//! Scheduler throughput.
//!
//! - `file_tick/10000_loops_none_due`: one tick over 10,000 loops on the file backend when
//!   every loop ran recently (the steady state of a cron-driven `strive schedule`).
//! - `file_tick/200_loops_all_due`: one tick where every loop runs (no-op runner), i.e. the
//!   per-run bookkeeping cost of the file backend (claim + result, each an atomic rewrite).
//! - `load_dir/10000_specs`: reading and parsing 10,000 spec files.
//! - `pg_workers/{1,2,4}`: claimed runs per second with 1, 2 and 4 lease workers on
//!   PostgreSQL (no-op runner; needs `STRIVE_TEST_PG_URL`, skipped without it).
//!
//! Run: `cargo bench -p strive-scheduler --bench tick`.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Map, Value, json};
use strive_scheduler::lock::FileLocks;
use strive_scheduler::record::record_key;
use strive_scheduler::worker::{self, Worker, WorkerConfig};
use strive_scheduler::{LoopRunner, RunContext, RunOutcome, ScheduledSpec, Scheduler};
use strive_state::Store;
use strive_state::file::FileStore;
use strive_state::postgres::{PgStore, scratch_database};

struct NoopRunner;

impl LoopRunner for NoopRunner {
    fn run(&self, _spec: &ScheduledSpec, _ctx: &RunContext<'_>) -> Result<RunOutcome, String> {
        Ok(RunOutcome::new("clean", "no new commits since cursors"))
    }
}

fn spec_doc(prefix: &str, i: usize) -> Value {
    json!({"id": format!("{prefix}{i:05}"), "kind": "git-commit-triage", "phase": "L1",
           "cadence": if i.is_multiple_of(3) { "0 3 * * *" } else { "1h" }, "priority": (i % 7) as i64 * 10,
           "target": {"repo": format!("/srv/repos/r{}", i % 50), "refs": ["main"]}, "budget": {}})
}

fn specs(prefix: &str, n: usize) -> Vec<ScheduledSpec> {
    (0..n)
        .map(|i| ScheduledSpec::from_document(spec_doc(prefix, i), Path::new("")).unwrap())
        .collect()
}

/// Write a state file in which every loop last ran at `last_run`.
fn write_state(path: &Path, specs: &[ScheduledSpec], last_run: &str) {
    let mut loops = Map::new();
    for s in specs {
        loops.insert(
            record_key(&s.id),
            json!({"last_run": last_run, "last_result": "clean", "runs": 1,
                   "history": [{"at": last_run, "result": "clean", "note": ""}]}),
        );
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, json!({"version": 1, "loops": loops}).to_string()).unwrap();
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn file_ticks(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let locks = FileLocks::new(dir.path().join("locks"));
    let runner = NoopRunner;
    let stop = AtomicBool::new(false);
    let mut group = c.benchmark_group("file_tick");
    group.sample_size(10);

    let many = specs("l", 10_000);
    let state = dir.path().join("many/state.json");
    write_state(&state, &many, "2026-01-01T00:30:00Z");
    let store: Arc<dyn Store> = Arc::new(FileStore::new(&state));
    let scheduler = Scheduler {
        store,
        runner: &runner,
        locks: &locks,
        loop_store: None,
    };
    group.throughput(Throughput::Elements(1));
    group.bench_function("10000_loops_none_due", |b| {
        b.iter(|| {
            let report = scheduler.tick(&many, &[], at("2026-01-01T01:00:00Z"), &stop);
            assert_eq!(report.ran(), 0);
        })
    });

    let few = specs("d", 200);
    let state = dir.path().join("few/state.json");
    let store: Arc<dyn Store> = Arc::new(FileStore::new(&state));
    let scheduler = Scheduler {
        store,
        runner: &runner,
        locks: &locks,
        loop_store: None,
    };
    group.throughput(Throughput::Elements(200));
    group.bench_function("200_loops_all_due", |b| {
        b.iter_batched(
            || write_state(&state, &few, "2025-01-01T00:00:00Z"),
            |()| {
                let report = scheduler.tick(&few, &[], at("2026-01-01T01:00:00Z"), &stop);
                assert_eq!(report.ran(), 200);
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();

    let spec_dir = dir.path().join("specs");
    std::fs::create_dir(&spec_dir).unwrap();
    for i in 0..10_000 {
        std::fs::write(
            spec_dir.join(format!("{i:05}.json")),
            spec_doc("s", i).to_string(),
        )
        .unwrap();
    }
    let mut group = c.benchmark_group("load_dir");
    group.sample_size(10);
    group.throughput(Throughput::Elements(10_000));
    group.bench_function("10000_specs", |b| {
        b.iter(|| {
            assert_eq!(
                strive_scheduler::load_dir(&spec_dir, None)
                    .unwrap()
                    .specs
                    .len(),
                10_000
            )
        })
    });
    group.finish();
}

fn pg_workers(c: &mut Criterion) {
    let Ok(admin) = std::env::var("STRIVE_TEST_PG_URL") else {
        eprintln!(
            "\n!!! pg_workers SKIPPED: STRIVE_TEST_PG_URL is not set (scripts/pg-test-server.sh) !!!\n"
        );
        return;
    };
    let url = scratch_database(&admin, "strive_bench_workers").unwrap();
    let queue = PgStore::connect(&url).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let locks = FileLocks::new(dir.path().join("locks"));
    let batch = AtomicUsize::new(0);
    const LOOPS: usize = 400;
    let mut group = c.benchmark_group("pg_workers");
    group.sample_size(10);
    group.throughput(Throughput::Elements(LOOPS as u64));
    for workers in [1usize, 2, 4] {
        group.bench_function(workers.to_string(), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    // A fresh batch of due loops (earlier batches are not due for hours).
                    let prefix = format!("b{}-", batch.fetch_add(1, Ordering::SeqCst));
                    worker::sync(&queue, &specs(&prefix, LOOPS), false).unwrap();
                    let started = Instant::now();
                    let handled: usize = std::thread::scope(|s| {
                        let hs: Vec<_> = (0..workers)
                            .map(|w| {
                                let (url, locks) = (&url, &locks);
                                s.spawn(move || {
                                    let store = Arc::new(PgStore::connect(url).unwrap());
                                    Worker {
                                        queue: store.clone(),
                                        store,
                                        runner: &NoopRunner,
                                        locks,
                                        config: WorkerConfig {
                                            worker_id: format!("bench-{w}"),
                                            lease_secs: 60,
                                            until_idle: true,
                                            poll: Duration::from_millis(20),
                                        },
                                    }
                                    .run(&AtomicBool::new(false), &mut |_| {})
                                    .unwrap()
                                })
                            })
                            .collect();
                        hs.into_iter().map(|h| h.join().unwrap()).sum()
                    });
                    total += started.elapsed();
                    assert_eq!(handled, LOOPS);
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, file_ticks, pg_workers);
criterion_main!(benches);
