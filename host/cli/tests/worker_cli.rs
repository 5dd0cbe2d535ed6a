//! `strive worker` end to end: real `strive worker` processes over a real PostgreSQL, real
//! `git-commit-triage` specs over real git repositories, checked through each loop's run log,
//! section, scheduler record and the `runs` table — never through a stub's marks.
//!
//! Needs `STRIVE_TEST_PG_URL` (`scripts/pg-test-server.sh`); without it these tests are skipped
//! loudly, except under CI (`CI` set), where a missing server is a failure. The chaos test
//! starts its own private cluster with the same script (it restarts that server mid-flight), so
//! it also needs the PostgreSQL server binaries the script finds.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use git2::{Repository, Signature, Time};
use serde_json::{Value, json};
use strive_state::Store;
use strive_state::postgres::{PgStore, scratch_database};

fn admin_url(test: &str) -> Option<String> {
    match std::env::var("STRIVE_TEST_PG_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "STRIVE_TEST_PG_URL is not set under CI: start PostgreSQL with scripts/pg-test-server.sh"
            );
            eprintln!(
                "\n!!! SKIPPED {test}: STRIVE_TEST_PG_URL is not set. Run \
                 `export STRIVE_TEST_PG_URL=$(bash scripts/pg-test-server.sh)`. !!!\n"
            );
            None
        }
    }
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// `n` loops, each over its own repository with one commit: even loops get a fix (a `found`
/// triage), odd ones a docs change. Specs name their repository relative to the spec file.
fn fixture(root: &Path, n: usize) -> Vec<String> {
    let loops = root.join("loops");
    std::fs::create_dir_all(&loops).unwrap();
    let sig = Signature::new("Dev", "dev@example.com", &Time::new(now() - 3600, 0)).unwrap();
    (0..n)
        .map(|i| {
            let id = format!("triage-{i:03}");
            let dir = root.join("repos").join(&id);
            let repo = Repository::init(&dir).unwrap();
            let (subject, path) = if i % 2 == 0 {
                (
                    "fix: crash when the parser reads an empty file",
                    "src/parser.rs",
                )
            } else {
                ("docs: explain the configuration file", "docs/config.md")
            };
            std::fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
            std::fs::write(dir.join(path), format!("// {id}\n")).unwrap();
            let mut index = repo.index().unwrap();
            index.add_path(Path::new(path)).unwrap();
            index.write().unwrap();
            let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
            repo.commit(Some("HEAD"), &sig, &sig, subject, &tree, &[])
                .unwrap();
            let spec = json!({
                "id": id, "kind": "git-commit-triage", "phase": "L1", "cadence": "1d",
                "target": {"repo": format!("../repos/{id}"), "refs": ["HEAD"],
                           "first_run_since": "7 days ago"},
                "budget": {"max_iterations": 1, "wall_clock_secs": 60}
            });
            std::fs::write(loops.join(format!("{id}.json")), spec.to_string()).unwrap();
            id
        })
        .collect()
}

/// A `strive worker` process whose stdout lines are collected as they come.
struct WorkerProc {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

fn spawn_worker(root: &Path, url: &str, id: &str, lease_secs: u32) -> WorkerProc {
    let lease = lease_secs.to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args([
            "worker",
            "--state",
            url,
            "loops",
            "--until-idle",
            "--json",
            "--poll-secs",
            "1",
            "--worker-id",
            id,
            "--lease-secs",
            &lease,
        ])
        .current_dir(root)
        .env("STRIVE_CACHE_DIR", root.join("cache"))
        .env("STRIVE_HOME", root.join("home"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let stdout = child.stdout.take().unwrap();
    let sink = Arc::clone(&lines);
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    WorkerProc {
        child,
        lines,
        reader: Some(reader),
    }
}

impl WorkerProc {
    /// Wait for exit (at most `limit`); the exit code and the JSON lines it printed.
    fn finish(mut self, limit: Duration) -> (Option<i32>, Vec<Value>) {
        let deadline = Instant::now() + limit;
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("a worker did not finish within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if let Some(r) = self.reader.take() {
            r.join().unwrap();
        }
        let runs = self
            .lines
            .lock()
            .unwrap()
            .iter()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}")))
            .collect();
        (status.code(), runs)
    }

    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([&format!("-{sig}"), &self.child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{sig}");
    }
}

/// Every loop has exactly one run-log row — `found` with a high finding for a fix, `clean` for a
/// docs-only change (triage files it as noise) — matching its section, its scheduler record and
/// its single `done` slot.
fn assert_each_loop_recorded_once(store: &PgStore, ids: &[String]) {
    for (i, id) in ids.iter().enumerate() {
        let rows = store.read_runlog(Some(id)).unwrap();
        assert_eq!(rows.len(), 1, "{id}: run-log rows {rows:?}");
        let fix = i % 2 == 0;
        let want = if fix { "found" } else { "clean" };
        assert_eq!(rows[0]["result"], want, "{id}: {}", rows[0]);
        assert_eq!(rows[0]["high"], u64::from(fix), "{id}: {}", rows[0]);
        assert_eq!(rows[0]["watch"], 0, "{id}: {}", rows[0]);
        let section = store.read_section(id).unwrap().expect("section written");
        assert_eq!(section["last_result"], want, "{id}");
        assert_eq!(section["last_run_id"], rows[0]["run_id"], "{id}");
        let audit = store
            .read_audit(rows[0]["run_id"].as_str().unwrap())
            .unwrap();
        assert_eq!(
            audit.len() as u64,
            rows[0]["audit_rows"].as_u64().unwrap(),
            "{id}: audit lines"
        );
        let sched = strive_scheduler::record::read(store, id).unwrap();
        assert_eq!(sched.runs, 1, "{id}: scheduler history");
        let (done, _attempts) = store.run_counts(id).unwrap();
        assert_eq!(done, 1, "{id}: done slots");
    }
    let inbox = strive_scheduler::inbox::list(store, None).unwrap();
    assert_eq!(
        inbox.len(),
        ids.len().div_ceil(2),
        "one `found` notification per loop that found something, none for a clean run"
    );
}

/// Three worker processes, 300 real triage loops: each loop's run log shows exactly one row.
#[test]
fn three_workers_run_real_triage_loops_and_record_each_exactly_once() {
    let Some(admin) = admin_url("three_workers_run_real_triage_loops") else {
        return;
    };
    let url = scratch_database(&admin, "strive_cli_workers_real").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ids = fixture(dir.path(), 300);
    let workers: Vec<WorkerProc> = (0..3)
        .map(|w| spawn_worker(dir.path(), &url, &format!("w{w}"), 30))
        .collect();
    let mut handled = Vec::new();
    for w in workers {
        let (code, runs) = w.finish(Duration::from_secs(300));
        assert_eq!(code, Some(0), "worker exit code; its slots: {runs:?}");
        for r in &runs {
            assert_eq!(r["status"], "done", "{r}");
            assert!(r.get("infra").is_none(), "{r}");
        }
        handled.push(runs.len());
    }
    assert_eq!(handled.iter().sum::<usize>(), ids.len(), "{handled:?}");
    let store = PgStore::connect(&url).unwrap();
    assert_each_loop_recorded_once(&store, &ids);
    // The stored spec names its repository absolutely (workers have no spec file).
    let rows = store.read_runlog(Some(&ids[0])).unwrap();
    let verify = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args([
            "audit-log",
            "verify",
            rows[0]["run_id"].as_str().unwrap(),
            "--state",
            &url,
        ])
        .output()
        .unwrap();
    assert_eq!(verify.status.code(), Some(0), "{verify:?}");
}

/// A loop whose records cannot be written (its stored section is not a JSON object) cannot
/// complete: its slot is recorded as an infrastructure `error` (with the reason) and the worker
/// exits 1, not 0. (A spec whose kind nothing serves never gets this far: the one spec check
/// refuses it at sync, as `validate` does.)
#[test]
fn a_loop_that_cannot_run_makes_the_worker_exit_nonzero() {
    let Some(admin) = admin_url("a_loop_that_cannot_run") else {
        return;
    };
    let url = scratch_database(&admin, "strive_cli_workers_infra").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ids = fixture(dir.path(), 1);
    let spec = json!({"id": "ghost", "kind": "git-commit-triage",
        "phase": "L1", "cadence": "1d", "target": {"repo": format!("../repos/{}", ids[0]), "refs": ["HEAD"]},
        "budget": {"max_iterations": 1, "wall_clock_secs": 60}});
    std::fs::write(dir.path().join("loops/ghost.json"), spec.to_string()).unwrap();
    PgStore::connect(&url)
        .unwrap()
        .update_section("ghost", &mut |_| Ok(Some(json!(["not", "an", "object"]))))
        .unwrap();
    let (code, runs) = spawn_worker(dir.path(), &url, "w", 30).finish(Duration::from_secs(120));
    assert_eq!(code, Some(1), "{runs:?}");
    let ghost = runs.iter().find(|r| r["loop"] == "ghost").unwrap();
    assert_eq!(ghost["result"], "error");
    assert_eq!(ghost["infra"], true);
    assert!(
        ghost["note"]
            .as_str()
            .unwrap()
            .contains("not a JSON object"),
        "{ghost}"
    );
    let store = PgStore::connect(&url).unwrap();
    assert_eq!(
        store.run_counts("ghost").unwrap().0,
        1,
        "the slot completed"
    );
    let real = runs.iter().find(|r| r["loop"] == ids[0].as_str()).unwrap();
    assert_eq!(real["result"], "found");
}

/// A private PostgreSQL cluster started (and restarted) with scripts/pg-test-server.sh.
struct PrivateServer {
    dir: PathBuf,
    port: u16,
}

impl PrivateServer {
    fn script() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/pg-test-server.sh")
    }

    fn run(&self, arg: Option<&str>) -> String {
        let out = Command::new("bash")
            .arg(Self::script())
            .args(arg)
            .env("STRIVE_PG_DIR", &self.dir)
            .env("STRIVE_PG_PORT", self.port.to_string())
            .stderr(Stdio::inherit())
            .output()
            .unwrap();
        assert!(out.status.success(), "pg-test-server.sh {arg:?} failed");
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }

    fn start() -> (PrivateServer, String) {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // Not under a tempdir: as root the cluster runs as another user, who must reach it.
        let server = PrivateServer {
            dir: std::env::temp_dir().join(format!("strive-pg-chaos-{}", std::process::id())),
            port,
        };
        let url = server.run(None);
        (server, url)
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = self.run(Some("stop"));
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The database restarted mid-flight, one worker SIGKILLed while it holds a lease, one
/// SIGSTOPped while it holds a lease until well past it: still exactly one recorded result per
/// slot, the late worker writes nothing, and no surviving worker exits on the outage.
#[test]
fn workers_survive_a_database_restart_a_kill_and_a_stop_past_the_lease() {
    if admin_url("workers_survive_a_database_restart").is_none() {
        return;
    }
    let (server, url) = PrivateServer::start();
    let dir = tempfile::tempdir().unwrap();
    let ids = fixture(dir.path(), 300);
    let store = PgStore::connect(&url).unwrap();
    let lease_secs = 3;
    let survivor = spawn_worker(dir.path(), &url, "survivor", lease_secs);
    let doomed = spawn_worker(dir.path(), &url, "doomed", lease_secs);
    let sleeper = spawn_worker(dir.path(), &url, "sleeper", lease_secs);

    // Catch `name` stopped while it holds a live lease, and return that loop. The lease is
    // read twice, 200 ms apart, so that a commit the worker sent just before it stopped has
    // landed (it would clear the lease).
    let holding = |name: &str| -> Option<String> {
        let held = store.live_leases().unwrap();
        held.into_iter()
            .find(|(_, owner)| owner == name)
            .map(|(l, _)| l)
    };
    let catch_holding = |w: &WorkerProc, name: &str| -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            assert!(Instant::now() < deadline, "{name} never held a lease");
            w.signal("STOP");
            if let Some(loop_id) = holding(name) {
                std::thread::sleep(Duration::from_millis(200));
                if holding(name).as_deref() == Some(loop_id.as_str()) {
                    return loop_id;
                }
            }
            w.signal("CONT");
            std::thread::sleep(Duration::from_millis(5));
        }
    };
    let killed_on = catch_holding(&doomed, "doomed");
    doomed.signal("KILL");
    let slept_on = catch_holding(&sleeper, "sleeper");
    // The database goes away while the sleeper is stopped and the survivor works.
    server.run(Some("stop"));
    std::thread::sleep(Duration::from_secs(2));
    server.run(None);
    // Well past the sleeper's lease: the survivor takes its slot over.
    let deadline = Instant::now() + Duration::from_secs(60);
    while store.run_counts(&slept_on).unwrap().0 == 0 {
        assert!(Instant::now() < deadline, "{slept_on} was never taken over");
        std::thread::sleep(Duration::from_millis(100));
    }
    sleeper.signal("CONT");

    let (code, survivor_runs) = survivor.finish(Duration::from_secs(300));
    assert_eq!(code, Some(0), "the survivor rode out the outage");
    let (code, sleeper_runs) = sleeper.finish(Duration::from_secs(300));
    assert_eq!(
        code,
        Some(0),
        "the sleeper rode out the outage and its lost lease: {sleeper_runs:?}"
    );
    let (_, doomed_runs) = doomed.finish(Duration::from_secs(10));

    let late = sleeper_runs
        .iter()
        .find(|r| r["loop"] == slept_on.as_str())
        .expect("the sleeper reports the slot it lost");
    assert_eq!(late["status"], "lease-lost", "{late}");
    assert_eq!(
        store.run_counts(&slept_on).unwrap(),
        (1, 2),
        "one slot, done once, on the second attempt"
    );
    assert!(store.run_counts(&killed_on).unwrap().1 >= 2, "taken over");
    assert!(
        !doomed_runs.iter().any(|r| r["loop"] == killed_on.as_str()),
        "the killed worker never finished its slot"
    );
    let done: usize = [&survivor_runs, &sleeper_runs, &doomed_runs]
        .iter()
        .flat_map(|runs| runs.iter())
        .filter(|r| r["status"] == "done")
        .count();
    assert_eq!(done, ids.len(), "every slot reported done exactly once");
    assert_each_loop_recorded_once(&store, &ids);
    drop(server);
}
