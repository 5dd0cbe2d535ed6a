//! `strive verify`, `strive verify-iso` and `strive budget` as a user runs them: JSON on stdout
//! and the exit-code contract.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

fn strive(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    if let Some(bytes) = stdin {
        pipe.write_all(bytes).unwrap();
    }
    drop(pipe);
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@e")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@e")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A repository with two commits and an annotated tag: (dir, repo path, head, tag).
fn repo() -> (TempDir, String, String, String) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("r");
    std::fs::create_dir(&path).unwrap();
    git(&path, &["init", "-q"]);
    git(&path, &["commit", "-q", "--allow-empty", "-m", "one"]);
    git(&path, &["commit", "-q", "--allow-empty", "-m", "two"]);
    git(&path, &["tag", "-a", "v1", "-m", "v1"]);
    let head = git(&path, &["rev-parse", "HEAD"]);
    let tag = git(&path, &["rev-parse", "v1"]);
    (dir, path.to_str().unwrap().to_string(), head, tag)
}

#[test]
fn verify_exit_codes() {
    let (dir, repo, head, tag) = repo();
    let out = strive(&["verify", &repo, &head[..7], &head.to_uppercase()], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["valid"], true);

    let out = strive(&["verify-sha", &repo, &head, &tag], None);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json(&out)["claims"][1]["verdict"]["verdict"], "fabricated");

    let plain = dir.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    let out = strive(&["verify", plain.to_str().unwrap(), &head], None);
    assert_eq!(out.status.code(), Some(4));
    assert_eq!(
        json(&out)["claims"][0]["verdict"]["verdict"],
        "unverifiable"
    );
}

#[test]
fn verify_iso_exit_codes() {
    let (_dir, repo, head, tag) = repo();
    let out = strive(&["verify-iso", &repo, &head], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["consistent"], true);
    // Fabricated must not exit 0; a gap outranks it.
    let out = strive(&["verify-iso", &repo, &head, "deadbeef"], None);
    assert_eq!(out.status.code(), Some(3));
    let out = strive(&["verify-iso", &repo, "deadbeef", &tag], None);
    assert_eq!(out.status.code(), Some(8));
    assert_eq!(json(&out)["gap"], true);
    let out = strive(&["verify-iso", "/nonexistent/repo", &head], None);
    assert_eq!(out.status.code(), Some(4));
}

#[test]
fn stdin_takes_lists_larger_than_argv() {
    let (_dir, repo, head, _tag) = repo();
    // 60,000 full ids (~2.4 MB) would overflow a typical ARG_MAX as arguments.
    let mut input = format!("{head}\n");
    for i in 0..60_000u64 {
        input.push_str(&format!("{:040x} ", i + 1));
    }
    let out = strive(&["verify", "--stdin", &repo], Some(input.as_bytes()));
    assert_eq!(out.status.code(), Some(3));
    let report = json(&out);
    assert_eq!(report["claims"].as_array().unwrap().len(), 60_001);
    assert_eq!(report["grounded"][0], head.as_str());

    let out = strive(
        &["verify", "--stdin", &repo, &head[..8]],
        Some(head.as_bytes()),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["claims"].as_array().unwrap().len(), 2);
}

#[test]
fn usage_errors_and_unreadable_input_exit_64() {
    let (_dir, repo, _head, _tag) = repo();
    for (args, stdin) in [
        (vec!["verify", repo.as_str()], None),
        (vec!["verify", "--stdin", repo.as_str()], Some(&b" \n"[..])),
        (
            vec!["verify-iso", "--stdin", repo.as_str()],
            Some(&b"\xff\xfe"[..]),
        ),
        (vec!["verify"], None),
        (vec!["budget", "--max-tokens", "lots"], None),
        (vec!["budget", "--max-iterations", "-1"], None),
        (vec!["budget", "--max-cost-usd", "1e3"], None),
        (vec!["budget", "--spend", "tokens"], None),
    ] {
        let out = strive(&args, stdin);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?} printed a verdict");
        assert!(!out.stderr.is_empty(), "{args:?} gave no reason");
    }
}

#[test]
fn budget_prints_the_normalised_budget_and_replays_spends() {
    let out = strive(
        &[
            "budget",
            "--max-tokens",
            "50000",
            "--max-iterations",
            "1",
            "--wall-clock-secs",
            "300",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out),
        serde_json::json!({"max_tokens": 50000, "max_iterations": 1, "wall_clock_secs": 300,
                           "max_cost_usd": null, "max_host_calls": null})
    );
    let out = strive(
        &[
            "budget",
            "--max-tokens",
            "1000",
            "--max-cost-usd",
            "0.05",
            "--spend",
            "tokens=800,cost-usd=0.01",
            "--spend",
            "tokens=300",
            "--spend",
            "tokens=200",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let replay = json(&out);
    assert_eq!(replay["steps"][0]["granted"], true);
    assert_eq!(replay["steps"][1]["granted"], false);
    assert_eq!(
        replay["steps"][1]["refusal"],
        serde_json::json!({"axis": "tokens", "cap": 1000, "spent": 800, "requested": 300})
    );
    assert_eq!(replay["spent"]["tokens"], 1000);
    assert_eq!(replay["spent"]["cost_micro_usd"], 10_000);
    assert_eq!(replay["exhausted"], "tokens");
}
