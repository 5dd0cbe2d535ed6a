//! `strive run SPEC`: run a loop once, judged by the host, and record it.
//!
//! Guarantees: the result printed and the exit code are the host's verdict, not the plugin's
//! claim (every cited SHA verified; one fabricated or gap citation ⇒ `error`, prior cursors
//! kept). Exit 0 for `clean`/`found`, 1 for `error`/`escalated`, 64 for a spec that cannot be
//! read or is invalid, or an unknown `--grant`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use strive_core::exit;
use strive_runtime::Capability;
use strive_runtime::loops::{RunOptions, run_spec};
use strive_runtime::run::{RunReport, RunResultKind};

use super::io::print_json;

/// Run a loop spec once, in its sandboxed plugin, and record the host's verdict.
///
/// The spec's `kind` picks the plugin: the built-in `git-commit-triage` (L1, report-only) or
/// `assisted-fix` (L2 proposes a branch, L3 may fast-forward inside the allowlist), or an
/// installed plugin (`strive plugin add`). The state section and a run-log row are written to the
/// state store (default: the spec's `state_file`, else `.loop-state/state.json`, relative to the
/// current directory; `--state postgres://…` uses PostgreSQL); every host call goes to a
/// hash-chained audit log (`strive audit-log verify RUN_ID`). A relative `target.repo` is resolved
/// against the directory of the spec file. A loop that writes its target (phase L2/L3,
/// `assisted-fix`) first takes the repository's writer lock, the one the scheduler and workers
/// take: while another run writes that repository, nothing is run and the exit is 1. Exit 0 for
/// clean, found, proposed and merged; 1 for escalated and error; 64 for an invalid spec.
///
/// Examples:
///   strive run loops/self-triage.json
///   strive run loops/self-triage.json --json
///   strive run my-loop.json --state /tmp/state.json --grant git.read --grant report --grant state
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop spec (loop.json).
    spec: PathBuf,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    json: bool,
    /// State to read and write: a state.json path (overrides the spec's `state_file`) or a
    /// PostgreSQL URL (postgres://…).
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
    /// Grant only these capabilities (repeatable; narrows the phase's defaults, never widens).
    /// Names: log, state, git.read, verify, report, escalation, worktree, command, maker,
    /// connector.read, connector.write, merge.
    #[arg(long = "grant", value_name = "CAP")]
    grants: Vec<String>,
}

pub fn run(args: Args) -> i32 {
    // A custom kind is valid when an installed plugin serves it (`strive plugin add`).
    let registry =
        strive_runtime::registry::Registry::new(strive_runtime::registry::Registry::default_home());
    let installed = |kind: &str| {
        registry
            .find(kind)
            .ok()
            .flatten()
            .is_some_and(|e| e.kind == kind)
    };
    let checks = strive_spec::Checks {
        kind_installed: Some(&installed),
        ..Default::default()
    };
    let loaded = match strive_spec::load(&args.spec, &checks) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return exit::USAGE;
        }
    };
    let grants = if args.grants.is_empty() {
        None
    } else {
        let mut set = BTreeSet::new();
        for g in &args.grants {
            match Capability::parse(g) {
                Some(c) => {
                    set.insert(c);
                }
                None => {
                    let known: Vec<&str> = strive_runtime::capability::TABLE
                        .iter()
                        .map(|r| r.name)
                        .collect();
                    eprintln!(
                        "error: --grant {g}: unknown capability; known: {}",
                        known.join(", ")
                    );
                    return exit::USAGE;
                }
            }
        }
        Some(set)
    };
    let state_path = args
        .state
        .clone()
        .unwrap_or_else(|| PathBuf::from(loaded.spec.state_file()));
    // The collision guard the scheduler uses: one writing run per repository at a time.
    let _writer = match writer_lock(&loaded, &state_path) {
        Ok(guard) => guard,
        Err(why) => {
            eprintln!("error: {}: {why}; nothing was run", args.spec.display());
            return 1;
        }
    };
    if loaded.spec.kind == strive_spec::model::KIND_ASSISTED_FIX {
        return super::run_assisted::run(&loaded, &args.spec, &state_path, grants, args.json);
    }
    let store = match super::io::open_store(&state_path) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let opts = RunOptions {
        grants,
        ..RunOptions::default()
    };
    let done = match run_spec(&loaded, store.as_ref(), &opts) {
        Ok(done) => done,
        Err(e) => {
            eprintln!("error: {}: {e}", args.spec.display());
            return exit::USAGE;
        }
    };
    let report = &done.report;
    if args.json {
        print_json(&serde_json::json!({
            "run_id": report.run_id,
            "loop": report.loop_id,
            "result": report.result.as_str(),
            "note": report.note,
            "high": report.count("high"),
            "watch": report.count("watch"),
            "findings": report.findings,
            "citations": report.citations,
            "claimed": report.claimed,
            "failure": report.failure,
            "host_calls": report.host_calls,
            "fuel_used": report.fuel_used,
            "wall_ms": report.wall_ms,
            "state": state_path.display().to_string(),
        }));
    } else {
        print_human(report);
    }
    match report.result {
        RunResultKind::Clean
        | RunResultKind::Found
        | RunResultKind::Proposed
        | RunResultKind::Merged => exit::OK,
        RunResultKind::Error | RunResultKind::Escalated => 1,
    }
}

/// For a loop that writes its target (phase L2/L3, `assisted-fix`): the repository's writer
/// lock — the machine-wide file lock the scheduler takes, and with `--state postgres://…` the
/// database's advisory lock the workers take. `Err` says why the run must not start.
fn writer_lock(
    loaded: &strive_spec::LoadedSpec,
    state: &std::path::Path,
) -> Result<Vec<strive_scheduler::lock::WriterGuard>, String> {
    use strive_scheduler::lock::{FileLocks, PgLocks, WriterLocks};
    let phase = loaded.spec.phase.as_str();
    let writes =
        matches!(phase, "L2" | "L3") || loaded.spec.kind == strive_spec::model::KIND_ASSISTED_FIX;
    if !writes {
        return Ok(Vec::new());
    }
    let repo = loaded.repo_path().display().to_string();
    let busy = |e: Option<String>| match e {
        Some(e) => format!("collision guard unavailable ({e})"),
        None => format!(
            "target {repo} is being written by another run (collision guard); try again when it finishes"
        ),
    };
    let mut guards = Vec::new();
    let file = FileLocks::new(FileLocks::default_dir());
    match file.try_lock(&repo) {
        Ok(Some(g)) => guards.push(g),
        Ok(None) => return Err(busy(None)),
        Err(e) => return Err(busy(Some(e))),
    }
    let state = state.to_string_lossy();
    if strive_state::postgres::is_postgres_url(&state) {
        let store = strive_state::postgres::PgStore::connect(&state)
            .map_err(|e| busy(Some(e.to_string())))?;
        match PgLocks::new(std::sync::Arc::new(store)).try_lock(&repo) {
            Ok(Some(g)) => guards.push(g),
            Ok(None) => return Err(busy(None)),
            Err(e) => return Err(busy(Some(e))),
        }
    }
    Ok(guards)
}

fn print_human(report: &RunReport) {
    let note = if report.note.is_empty() {
        "ok"
    } else {
        &report.note
    };
    println!(
        "[{}] {}: {} high, {} watch — {note}",
        report.result.as_str(),
        report.loop_id,
        report.count("high"),
        report.count("watch"),
    );
    if !report.result.accepted() {
        return;
    }
    for (bucket, label) in [("high", "HIGH "), ("watch", "watch")] {
        for f in report.findings.iter().filter(|f| f.bucket == bucket) {
            let sha = f.cites.first().map(|s| &s[..s.len().min(10)]).unwrap_or("");
            println!("  {label} {} ({sha})", f.title);
        }
    }
}
