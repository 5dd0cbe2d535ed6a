//! Crash consistency of the embedded state store under `kill -9`, the way an operator meets it:
//! real `strive run` processes over a real git repository, each killed at a random moment of its
//! run. Afterwards, and after one clean run:
//! - no torn file: `state.json` and every run-log line parse;
//! - no section without its run-log row: the section's `last_run_id` is in the run log;
//! - no lost row: every run that finished (printed its JSON result) has its row;
//! - no temp file is left beside the state, and every file there is private (0600).
//!
//! `STRIVE_CRASH_KILLS` sets the number of killed runs (default 1,000).

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

fn commit(repo: &git2::Repository, dir: &Path, i: usize) {
    std::fs::write(dir.join("file.txt"), format!("{i}\n")).unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("file.txt")).unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Ada", "ada@example.com").unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let subject = if i.is_multiple_of(3) {
        "fix: a crash in the parser"
    } else {
        "feat: more"
    };
    repo.commit(
        Some("HEAD"),
        &sig,
        &sig,
        &format!("{subject} {i}"),
        &tree,
        &parents,
    )
    .unwrap();
}

fn run(spec: &Path, state: &Path, cache: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_strive"))
        .args([
            "run",
            spec.to_str().unwrap(),
            "--json",
            "--state",
            state.to_str().unwrap(),
        ])
        .env("STRIVE_CACHE_DIR", cache)
        .env("STRIVE_HOME", cache.join("home"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The run id a finished run printed, if it finished.
fn finished(child: std::process::Child) -> Option<String> {
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).ok()?;
    v["run_id"].as_str().map(str::to_owned)
}

#[test]
fn kill_9_at_random_moments_never_tears_loses_or_orphans_a_record() {
    let kills: usize = std::env::var("STRIVE_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let tmp = tempfile::tempdir().unwrap();
    let repo_dir = tmp.path().join("repo");
    let repo = git2::Repository::init_opts(
        &repo_dir,
        git2::RepositoryInitOptions::new().initial_head("main"),
    )
    .unwrap();
    for i in 0..40 {
        commit(&repo, &repo_dir, i);
    }
    let spec = tmp.path().join("loop.json");
    std::fs::write(
        &spec,
        serde_json::json!({
            "id": "crashy", "kind": "git-commit-triage", "phase": "L1",
            "target": {"repo": repo_dir.to_str().unwrap(), "refs": ["main"], "first_run_since": "10 years ago"},
            "budget": {"max_iterations": 1, "wall_clock_secs": 60}
        })
        .to_string(),
    )
    .unwrap();
    let state_dir = tmp.path().join(".loop-state");
    let state = state_dir.join("state.json");
    let cache = tmp.path().join("cache");

    // One clean run warms the component cache; a second measures how long a warm run takes.
    let mut expected: HashSet<String> = HashSet::new();
    expected.extend(finished(run(&spec, &state, &cache)));
    let started = Instant::now();
    expected.extend(finished(run(&spec, &state, &cache)));
    let span = started.elapsed().max(Duration::from_millis(20));
    assert_eq!(expected.len(), 2, "clean runs finish");

    let mut seed: u64 = 0x5eed_cafe;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut killed = 0;
    let mut attempts: usize = 0;
    while killed < kills {
        attempts += 1;
        if attempts.is_multiple_of(25) {
            // New commits now and then, so runs have work to write.
            commit(&repo, &repo_dir, 100 + attempts);
        }
        let mut child = run(&spec, &state, &cache);
        // Kill anywhere from 30% into a typical run to just past its end, where the writes are.
        let span_us = span.as_micros() as u64;
        let delay = Duration::from_micros(span_us * 3 / 10 + next() % (span_us * 8 / 10).max(1));
        std::thread::sleep(delay);
        let was_running = child.try_wait().unwrap().is_none();
        if was_running {
            let _ = child.kill();
            killed += 1;
        }
        if let Some(run_id) = finished(child) {
            expected.insert(run_id);
        }
        assert!(
            attempts < kills * 20,
            "runs finish before they can be killed: widen the window"
        );
    }
    // A clean run after the crashes: repairs what a kill left and must itself be recorded.
    let last = finished(run(&spec, &state, &cache)).expect("a run after the crashes finishes");
    expected.insert(last.clone());

    let text = std::fs::read_to_string(&state).unwrap();
    let doc: Value = serde_json::from_str(&text).expect("state.json is never torn");
    let runlog = std::fs::read_to_string(state_dir.join("state.runlog.jsonl")).unwrap();
    let mut logged: HashSet<String> = HashSet::new();
    for (i, line) in runlog.lines().enumerate() {
        let row: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("run-log line {} is torn ({e}): {line:?}", i + 1));
        if let Some(id) = row["run_id"].as_str() {
            logged.insert(id.to_string());
        }
    }
    let missing: Vec<&String> = expected.difference(&logged).collect();
    assert!(
        missing.is_empty(),
        "finished runs without a run-log row: {missing:?}"
    );
    let section_run = doc["loops"]["crashy"]["last_run_id"]
        .as_str()
        .or_else(|| doc["crashy"]["last_run_id"].as_str())
        .expect("the loop's section names its last run");
    assert!(
        logged.contains(section_run),
        "the section's run {section_run} has no run-log row"
    );
    assert_eq!(section_run, last);
    use std::os::unix::fs::PermissionsExt;
    for entry in walk(&state_dir) {
        let name = entry.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !name.contains(".tmp") && !name.starts_with(".tmp"),
            "temp file left behind: {}",
            entry.display()
        );
        if entry.is_file() && !name.ends_with(".lock") {
            let mode = std::fs::metadata(&entry).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{} is {mode:o}", entry.display());
        }
    }
    eprintln!(
        "crash consistency: {killed} runs killed in {attempts} attempts (a warm run takes {span:?}); {} finished runs all recorded",
        expected.len()
    );
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p);
        }
    }
    out
}
