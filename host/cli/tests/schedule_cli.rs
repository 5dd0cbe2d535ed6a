//! The scheduling verbs through the real binary: `schedule`, `resume`, `log`, `daemon`.
//!
//! The loops name a plugin that is not installed, so every run ends as `error` whatever runtime
//! is wired in; that is what these tests exercise (stall halting, the inbox, exit codes,
//! graceful shutdown).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn strive(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(args)
        .current_dir(dir)
        .env("STRIVE_LOCK_DIR", dir.join("locks"))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A loop that runs and fails every time: its repository does not exist (it escalates).
fn spec(id: &str, cadence: &str) -> Value {
    json!({"id": id, "kind": "git-commit-triage",
           "phase": "L1", "cadence": cadence,
           "target": {"repo": "/nonexistent/repo", "refs": ["main"]},
           "budget": {"max_tokens": 50000, "max_iterations": 1, "wall_clock_secs": 300}})
}

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let loops = dir.path().join("loops");
    std::fs::create_dir(&loops).unwrap();
    std::fs::write(loops.join("a.json"), spec("a", "1h").to_string()).unwrap();
    std::fs::write(loops.join("broken.json"), "{ not json").unwrap();
    let mut bad = spec("bad", "whenever");
    bad["priority"] = json!(1);
    std::fs::write(loops.join("bad.json"), bad.to_string()).unwrap();
    dir
}

#[test]
fn schedule_skips_bad_specs_halts_a_stall_once_and_resume_lifts_it() {
    let dir = setup();
    let d = dir.path();
    for (i, hour) in ["00", "01", "02", "03"].iter().enumerate() {
        let now = format!("2026-01-01T{hour}:00:00Z");
        let (code, out, err) = strive(d, &["schedule", "loops", "--now", &now, "--json"]);
        assert_eq!(
            code, 0,
            "a tick with failing loops and bad specs still completes: {err}"
        );
        assert!(
            err.contains("skipping loops/broken.json: not valid JSON"),
            "{err}"
        );
        assert!(
            err.contains("skipping loops/bad.json") && err.contains("/cadence"),
            "{err}"
        );
        let report: Value = serde_json::from_str(&out).unwrap();
        let item = &report["items"][0];
        assert_eq!(item["loop"], "a");
        assert_eq!(report["problems"].as_array().unwrap().len(), 2);
        if i < 3 {
            assert_eq!(item["ran"], true);
            assert_eq!(item["result"], "escalated");
            assert_eq!(item["halted"], i == 2);
        } else {
            assert_eq!(item["ran"], false);
            assert!(item["reason"].as_str().unwrap().contains("strive resume a"));
            assert!(item["notifications"].as_array().unwrap().is_empty());
        }
    }
    let (code, out, _) = strive(d, &["log", "--inbox", "--json"]);
    assert_eq!(code, 0);
    let inbox: Vec<Value> = serde_json::from_str(&out).unwrap();
    let kinds: Vec<&str> = inbox.iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["escalated", "escalated", "escalated", "halted"]);

    // `strive status`: the halt on the loop's line, how to lift it, the budget, one screen.
    let (code, out, err) = strive(d, &["status", "loops"]);
    assert_eq!(code, 0, "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("a "))
        .unwrap_or_else(|| panic!("no line for loop a:\n{out}"));
    assert!(
        line.contains("escalated") && line.contains(" · halted · ") && line.contains("tokens"),
        "{out}"
    );
    assert!(out.contains("lift with `strive resume a`"), "{out}");

    let (code, out, _) = strive(d, &["resume", "a"]);
    assert_eq!(code, 0);
    assert!(out.contains("lifted the stall halt"));
    let (_, out, _) = strive(d, &["status", "loops"]);
    assert!(!out.contains("halted"), "the halt is lifted: {out}");
    assert_eq!(strive(d, &["resume", "a"]).0, 0);
    let (code, _, err) = strive(d, &["resume", "no-such-loop"]);
    assert_eq!(code, 64);
    assert!(err.contains("no scheduler record"));
    let (_, out, _) = strive(d, &["schedule", "loops", "--now", "2026-01-01T04:00:00Z"]);
    assert!(out.contains("• a: escalated"), "{out}");
}

#[test]
fn schedule_usage_errors_exit_64_and_an_empty_directory_exits_1() {
    let dir = setup();
    let d = dir.path();
    assert_eq!(
        strive(d, &["schedule", "loops", "--now", "yesterday"]).0,
        64
    );
    assert_eq!(strive(d, &["schedule", "missing-dir"]).0, 64);
    std::fs::create_dir(d.join("empty")).unwrap();
    assert_eq!(strive(d, &["schedule", "empty"]).0, 1);
    let (code, _, err) = strive(d, &["worker", "--state", ".loop-state/state.json", "loops"]);
    assert_eq!(code, 64);
    assert!(err.contains("postgres://"));
}

#[test]
fn daemon_stops_gracefully_on_sigterm() {
    let dir = setup();
    let mut child = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(["daemon", "loops", "--every", "1s", "--json"])
        .current_dir(dir.path())
        .env("STRIVE_LOCK_DIR", dir.path().join("locks"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();
    assert_eq!(first["items"][0]["ran"], true);
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "daemon did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}
