//! End-to-end triage figures (`cargo bench -p strive --bench triage_e2e`): the `strive run`
//! process, start to exit, over the generated 2,000-commit history, against git's own
//! `git log --stat` (the yardstick, target ≤ 3×) and `git log -p --stat` (what triage
//! reads: every commit's patch) over the same window.
//! - **cold**: a fresh state store each time (the whole window is read, classified, reported,
//!   its state, run-log row and audit log written), printed as `--json` (every finding, its
//!   citation check and the report document, ~1 MB) and as the text summary a maintainer reads;
//! - **warm**: the same store again, no new commits.
//!
//! The plugin cache is warmed once first (a real install precompiles at `plugin add`; the
//! built-in kind precompiles on its first run). Medians; the machine is noisy, read ±10%.

use std::path::Path;
use std::process::Command;

#[path = "../../runtime/benches/support/history.rs"]
mod history;
use history::{COMMITS, build_repo, time};

const STRIVE: &str = env!("CARGO_BIN_EXE_strive");

/// One `strive run` (with `--json` when `json`: the whole run, findings and report document,
/// for scripts; without it the maintainer's text summary).
fn strive_run_as(spec: &Path, state: &Path, home: &Path, json: bool) {
    let out = Command::new(STRIVE)
        .arg("run")
        .args(json.then_some("--json"))
        .arg("--state")
        .arg(state)
        .arg(spec)
        .env("STRIVE_HOME", home)
        .env("HOME", home)
        .output()
        .expect("strive runs");
    assert!(
        out.status.success(),
        "strive run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    if json {
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("--json output");
        assert!(
            matches!(report["result"].as_str(), Some("found" | "clean")),
            "{report}"
        );
    }
}

fn strive_run(spec: &Path, state: &Path, home: &Path) {
    strive_run_as(spec, state, home, true)
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    build_repo(&repo);
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let spec = tmp.path().join("bench.json");
    std::fs::write(
        &spec,
        serde_json::json!({"id": "bench", "kind": "git-commit-triage", "phase": "L1",
            "target": {"repo": repo, "refs": ["main"], "first_run": {"since": "2 days ago", "from": "now"}},
            "budget": {}})
        .to_string(),
    )
    .unwrap();
    // Warm the precompiled-component cache once.
    strive_run(&spec, &tmp.path().join("warmup.json"), &home);

    let mut n = 0;
    let cold = time(5, || {
        n += 1;
        strive_run(&spec, &tmp.path().join(format!("cold-{n}.json")), &home);
    });
    let cold_text = time(5, || {
        n += 1;
        strive_run_as(
            &spec,
            &tmp.path().join(format!("cold-{n}.json")),
            &home,
            false,
        );
    });
    let warm_state = tmp.path().join("warm.json");
    strive_run(&spec, &warm_state, &home);
    let warm = time(5, || strive_run(&spec, &warm_state, &home));
    let git_log = |extra: &[&str]| {
        time(5, || {
            let out = Command::new("git")
                .args(["log", "main", "--since=2 days ago"])
                .args(extra)
                .current_dir(&repo)
                .output()
                .unwrap();
            assert!(out.status.success());
        })
    };
    let stat = git_log(&["--stat"]);
    let patch = git_log(&["-p", "--stat"]);

    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!("strive end-to-end triage figures (medians, process start to exit)");
    println!(
        "  strive run, cold, {COMMITS}-commit window   {:>9.1} ms",
        ms(cold)
    );
    println!(
        "  strive run, cold, text summary          {:>9.1} ms",
        ms(cold_text)
    );
    println!(
        "  strive run, warm, no new commits        {:>9.1} ms",
        ms(warm)
    );
    println!(
        "  git log --stat, same window             {:>9.1} ms  (cold run = {:.1}× with --json, {:.1}× text; target ≤ 3×)",
        ms(stat),
        cold.as_secs_f64() / stat.as_secs_f64(),
        cold_text.as_secs_f64() / stat.as_secs_f64()
    );
    println!(
        "  git log -p --stat, same window          {:>9.1} ms  (cold run = {:.1}×)",
        ms(patch),
        cold.as_secs_f64() / patch.as_secs_f64()
    );
}
