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
use crate::project::Project;
use crate::ui::{self, esc, paint};

/// Run a loop spec once, in its sandboxed plugin, and record the host's verdict.
///
/// The spec's `kind` picks the plugin: the built-in `git-commit-triage` (L1, report-only) or
/// `assisted-fix` (L2 proposes a branch, L3 may fast-forward inside the allowlist), or an
/// installed plugin (`strive plugin add`). The state section and a run-log row are written to the
/// project's state store: the project is the nearest directory upward (from here, else from the
/// spec) holding `.strive/` or `.loop-state/`, else the git work tree holding the spec, else
/// the current directory; the
/// spec's relative `state_file` is taken from there (default `.loop-state/state.json`), and
/// `--state` overrides it (`postgres://…` uses PostgreSQL). Installed plugins come from
/// `$STRIVE_HOME`, else the project's `.strive/`. `-v` says which store and registry were used
/// and prints the plugin's log lines. Every host call goes to a hash-chained audit log
/// (`strive audit-log verify RUN_ID`). A relative `target.repo` is resolved against the
/// directory of the spec file. A loop that writes its target (phase L2/L3, `assisted-fix`)
/// first takes the repository's writer lock, the one the scheduler and workers take: while
/// another run writes that repository, nothing is run and the exit is 1. Exit 0 for clean, found, proposed and merged; 1 for escalated
/// and error; 64 for an invalid spec.
///
/// Examples:
///   strive run loops/self-triage.json
///   strive run loops/self-triage.json --json
///   strive run loops/self-triage.json --format markdown > triage.md
///   strive run my-loop.json --state /tmp/state.json --grant git.read --grant report --grant state
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop spec (loop.json).
    spec: PathBuf,
    /// Print one JSON object instead of the human summary (the run, with its report as `report`).
    #[arg(long)]
    json: bool,
    /// How to print the report: text (default), markdown (sections, forge links) or json (the
    /// report document alone; `--json` prints the whole run).
    #[arg(long, value_enum, value_name = "FORMAT", conflicts_with = "json")]
    format: Option<super::report::Format>,
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
    let project = Project::discover(Some(&args.spec));
    let (registry_home, _) = project.registry();
    let registry = strive_runtime::registry::Registry::new(registry_home.clone());
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
    let flag = args.state.as_ref().map(|p| p.display().to_string());
    let state = project.state(flag.as_deref(), loaded.spec.state_file.as_deref());
    project.announce(Some(&state), true);
    let state_path = PathBuf::from(&state.location);
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
        registry_home: Some(registry_home),
        ..RunOptions::default()
    };
    let progress = ui::Progress::start(format!(
        "running {} ({})",
        esc(&loaded.spec.id),
        esc(&loaded.spec.kind)
    ));
    let started = std::time::Instant::now();
    let done = run_spec(&loaded, store.as_ref(), &opts);
    progress.done();
    let done = match done {
        Ok(done) => done,
        Err(e) => {
            eprintln!("error: {}: {}", args.spec.display(), esc(&e.to_string()));
            return exit::USAGE;
        }
    };
    let report = &done.report;
    ui::verbose(format_args!(
        "run {} finished in {:.1}s: {} host call(s), fuel {}",
        report.run_id,
        started.elapsed().as_secs_f64(),
        report.host_calls,
        report.fuel_used
    ));
    print_plugin_log(report);
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
            "report": done.runlog_row.get("report"),
            "state": crate::project::redact(&state.location),
            "project": project.json(Some(&state), true),
        }));
    } else if let Some(format) = args.format.filter(|f| *f != super::report::Format::Text) {
        match done.runlog_row.get("report") {
            Some(doc) => super::report::print(doc, format),
            None => print_human(report, None),
        }
    } else {
        print_human(report, done.runlog_row.get("report"));
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

/// With `-v`, the plugin's `log.emit` lines (escaped) and the host's verdict on its claim.
pub(crate) fn print_plugin_log(report: &RunReport) {
    if ui::verbosity() < 1 {
        return;
    }
    for line in &report.log {
        ui::verbose(format_args!(
            "plugin {}: {}",
            line.level,
            esc(&line.message)
        ));
    }
    if let Some(claimed) = report.claimed
        && claimed != report.result.as_str()
    {
        ui::verbose(format_args!(
            "host verdict {} (the plugin claimed {claimed})",
            report.result.as_str()
        ));
    }
    if let Some(failure) = &report.failure {
        ui::verbose(format_args!("failure: {}", esc(failure)));
    }
}

fn print_human(report: &RunReport, doc: Option<&serde_json::Value>) {
    let note = if report.note.is_empty() {
        "ok".into()
    } else {
        esc(&report.note)
    };
    let result = report.result.as_str();
    outln!(
        "[{}] {}: {} high, {} watch — {note}",
        paint(ui::result_tone(result), result),
        esc(&report.loop_id),
        report.count("high"),
        report.count("watch"),
    );
    if !report.result.accepted() {
        return;
    }
    match doc {
        // The report: severity order, reasons, authors, line counts; every line escaped.
        Some(doc) => {
            let text = strive_runtime::triage_report::render_text(doc);
            for line in text.lines().skip(1) {
                outln!("{line}");
            }
        }
        None => {
            for (bucket, label) in [("high", "HIGH "), ("watch", "watch")] {
                for f in report.findings.iter().filter(|f| f.bucket == bucket) {
                    let sha = f.cites.first().map(|s| &s[..s.len().min(10)]).unwrap_or("");
                    outln!("  {label} {} ({})", esc(&f.title), esc(sha));
                }
            }
        }
    }
}
