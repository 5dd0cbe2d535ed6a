//! Runtime figures in one run (a bench binary, `cargo bench -p strive-runtime --bench runtime`):
//! 1. cold triage of a 2,000-commit window in process (file changes and each commit's diff read,
//!    every commit classified) vs `git log`, `git log --numstat` and `git log -p --numstat` over
//!    the same window, with the host calls it made (the end-to-end figure, process start to exit,
//!    is the CLI's bench: `cargo bench -p strive --bench triage_e2e`);
//! 2. a warm run with no new commits;
//! 3. load from the precompiled cache + instantiate + first host call (target < 1 ms);
//! 4. host-call overhead with a small string (target < 1 µs).
//!
//! Medians of several repetitions; the machine is noisy, read them as ±10%.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde_json::json;
use strive_runtime::cache::ComponentCache;
use strive_runtime::limits::RunLimits;
use strive_runtime::{Capability, Manifest, Phase, Plugin, RunRequest, RunResult, execute};

#[path = "support/history.rs"]
mod history;
use history::{COMMITS, build_repo, now, time};

const HOSTILE_MANIFEST: &str = include_str!("../../../plugins/testing/hostile/strive-plugin.toml");

fn request(
    config: serde_json::Value,
    repo: Option<&Path>,
    grants: &BTreeSet<Capability>,
    section: Option<serde_json::Value>,
) -> RunRequest {
    RunRequest {
        loop_id: "bench".into(),
        run_id: "bench".into(),
        phase: Phase::L1,
        config_json: config.to_string(),
        now_unix: now(),
        repo: repo.map(Path::to_path_buf),
        grants: grants.clone(),
        limits: RunLimits {
            host_calls: 2_000_000,
            ..RunLimits::default()
        },
        section,
    }
}

fn main() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    build_repo(&repo);
    let grants = Capability::allowed_in(Phase::L1);
    let cache = ComponentCache::new(tmp.path().join("cache"));
    let b = &strive_runtime::builtin::COMMIT_TRIAGE;
    let triage = Plugin::load(b.wasm, b.manifest(), Some(&cache)).unwrap();
    let spec = json!({"id": "bench", "kind": "git-commit-triage", "phase": "L1",
        "target": {"repo": ".", "refs": ["main"], "first_run_since": "2 days ago"}, "budget": {}});

    // 1. Cold triage (no state) vs git log over the same window.
    let mut last = None;
    let cold = time(5, || {
        let r = execute(&triage, &request(spec.clone(), Some(&repo), &grants, None));
        assert_eq!(r.result, RunResult::Found, "{}", r.note);
        assert_eq!(r.findings.len(), COMMITS);
        last = Some(r);
    });
    let git_log = |extra: &[&str]| {
        time(5, || {
            let out = Command::new("git")
                .args([
                    "log",
                    "main",
                    "--since=2 days ago",
                    "--format=%H%x1f%h%x1f%ad%x1f%s",
                    "--date=short",
                ])
                .args(extra)
                .current_dir(&repo)
                .output()
                .unwrap();
            assert!(out.status.success());
        })
    };
    let plain = git_log(&[]);
    let numstat = git_log(&["--numstat"]);
    // Triage reads each commit's diff too: the like-for-like comparison.
    let patches = git_log(&["-p", "--numstat"]);

    // 2. Warm run: state from the cold run, no new commits.
    let r = last.unwrap();
    let log_call = Duration::from_nanos(
        r.audit
            .iter()
            .filter(|e| e.function == "log-page")
            .map(|e| e.duration_ns)
            .sum(),
    );
    let per_function = |name: &str| {
        let calls: Vec<u64> = r
            .audit
            .iter()
            .filter(|e| e.function == name)
            .map(|e| e.duration_ns)
            .collect();
        (calls.len(), Duration::from_nanos(calls.iter().sum()))
    };
    let git_calls = {
        let calls: Vec<u64> = r
            .audit
            .iter()
            .filter(|e| e.capability == "git.read" && e.function != "log-page")
            .map(|e| e.duration_ns)
            .collect();
        (calls.len(), Duration::from_nanos(calls.iter().sum()))
    };
    let findings_calls = per_function("add-finding");
    let section =
        json!({"cursors": r.staged.get("cursors").cloned().unwrap(), "divergence_reported": null});
    let warm = time(20, || {
        let r = execute(
            &triage,
            &request(spec.clone(), Some(&repo), &grants, Some(section.clone())),
        );
        assert_eq!(r.result, RunResult::Clean, "{}", r.note);
    });

    // 3. From the precompiled cache to the first host call.
    let manifest = Manifest::parse(HOSTILE_MANIFEST, "hostile").unwrap();
    let wasm =
        std::fs::read(Path::new(strive_runtime::builtin::GUEST_DIR).join("hostile.wasm")).unwrap();
    let warmup = Plugin::load(&wasm, manifest.clone(), Some(&cache)).unwrap();
    let ping_req = request(json!({"attack": "ping"}), None, &grants, None);
    let load_and_ping = time(30, || {
        let p = Plugin::load(&wasm, manifest.clone(), Some(&cache)).unwrap();
        assert_eq!(p.cache, strive_runtime::cache::CacheOutcome::Hit);
        execute(&p, &ping_req)
    });
    let instantiate_and_ping = time(200, || execute(&warmup, &ping_req));

    // 4. Host-call overhead: (n calls − 0 calls) / n.
    let n = 200_000u64;
    let many = time(5, || {
        execute(
            &warmup,
            &request(json!({"attack": "calls", "n": n}), None, &grants, None),
        )
    });
    let none = time(5, || {
        execute(
            &warmup,
            &request(json!({"attack": "calls", "n": 0}), None, &grants, None),
        )
    });
    let per_call = (many.saturating_sub(none)).as_nanos() as f64 / n as f64;

    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("strive-runtime figures (medians)");
    println!(
        "  cold triage, {COMMITS}-commit window       {:>9.1} ms",
        ms(cold)
    );
    println!(
        "    of which git.log-page (commits, changes, patches) {:>6.1} ms",
        ms(log_call)
    );
    println!(
        "    of which {:>5} other git host calls   {:>9.1} ms",
        git_calls.0,
        ms(git_calls.1)
    );
    println!(
        "    of which {:>5} add-finding calls      {:>9.1} ms",
        findings_calls.0,
        ms(findings_calls.1)
    );
    println!(
        "  git log, same window                   {:>9.1} ms  (triage = {:.1}×)",
        ms(plain),
        cold.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "  git log --numstat, same window         {:>9.1} ms  (triage = {:.1}×)",
        ms(numstat),
        cold.as_secs_f64() / numstat.as_secs_f64()
    );
    println!(
        "  git log -p --numstat, same window      {:>9.1} ms  (triage = {:.1}×)",
        ms(patches),
        cold.as_secs_f64() / patches.as_secs_f64()
    );
    println!(
        "  warm run, no new commits               {:>9.3} ms",
        ms(warm)
    );
    println!(
        "  cache load + instantiate + 1 host call {:>9.3} ms",
        ms(load_and_ping)
    );
    println!(
        "  instantiate + 1 host call (loaded)     {:>9.3} ms",
        ms(instantiate_and_ping)
    );
    println!(
        "  host call, small string                {:>9.0} ns",
        per_call
    );
}
