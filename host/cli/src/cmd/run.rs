//! `strive run SPEC`: run a loop once, judged by the host, and record it.
//!
//! Guarantees: the result printed and the exit code are the host's verdict, not the plugin's
//! claim (every cited SHA verified; one fabricated or gap citation ⇒ `error`, prior cursors
//! kept; a proposal needs a verified commit the host made). Every kind goes through the one
//! pipeline (`strive_runtime::pipeline`). Exit 0 for `clean`/`found`/`proposed`/`merged`, 1 for
//! `error`/`escalated`, 64 for a spec that cannot be read or is invalid, or an unknown `--grant`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use strive_core::exit;
use strive_runtime::Capability;
use strive_runtime::observe::Observer;
use strive_runtime::pipeline::{RunOptions, run_spec};
use strive_runtime::run::{RunReport, RunResult};

use super::io::print_json;
use crate::project::Project;
use crate::ui::{self, esc, paint};

/// Run a loop spec once, in its sandboxed plugin, and record the host's verdict.
///
/// The spec's `kind` picks the plugin: the built-in `git-commit-triage` (L1, report-only) or
/// `assisted-fix` (L2 proposes a branch, L3 may fast-forward inside the allowlist), or an
/// installed plugin (`strive plugin add`). Every kind runs through the same pipeline: what it
/// may do follows from the phase, its manifest and the grants, never from its name; a run
/// granted worktree, command, maker or merge gets the host's worktrees, guarded and sandboxed
/// test command, maker, budget and merge gate (it needs a `test_command`).
///
/// The state section and a run-log row are written to the project's state store: the project
/// is the nearest directory upward (from here, else from the spec) holding `.strive/` or
/// `.loop-state/`, else the git work tree holding the spec, else the current directory; the
/// spec's relative `state_file` is taken from there (default `.loop-state/state.json`), and
/// `--state` overrides it (`postgres://…` uses PostgreSQL). Installed plugins come from
/// `$STRIVE_HOME`, else the project's `.strive/`. `-v` says which store and registry were used
/// and prints the plugin's log lines. Every host call goes to a hash-chained audit log
/// (`strive audit-log verify RUN_ID`). A relative `target.repo` is resolved against the
/// directory of the spec file.
///
/// A loop that writes its target (phase L2/L3) first takes the repository's writer lock, the
/// one the scheduler and workers take: while another run writes that repository, nothing is
/// run and the exit is 1.
///
/// Exit 0 for clean, found, proposed and merged; 1 for escalated and error; 64 for an invalid
/// spec.
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
    /// connector.read, connector.write, merge (dash forms such as git-read are aliases).
    #[arg(long = "grant", value_name = "CAP")]
    grants: Vec<String>,
}

pub fn run(args: Args) -> i32 {
    // The one spec check (`crate::spec_check`): what `validate` accepts, this runs.
    let project = Project::discover(Some(&args.spec));
    let (registry_home, _) = project.registry();
    let loaded = match crate::spec_check::load(&args.spec, &registry_home) {
        Ok(checked) => {
            for w in &checked.warnings {
                eprintln!("warning: {}: {w}", args.spec.display());
            }
            checked.loaded
        }
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
    let _writer = match crate::wiring::writer_lock(&loaded, &state_path) {
        Ok(guard) => guard,
        Err(why) => {
            eprintln!("error: {}: {why}; nothing was run", args.spec.display());
            return 1;
        }
    };
    let store = match super::io::open_store(&state_path) {
        Ok(store) => store,
        Err(code) => return code,
    };
    // Maker calls, test commands and precompiles can take many seconds each: the spinner says
    // which one is under way and for how long (on a terminal); `-v` streams log lines and
    // decisions as they happen.
    let progress = ui::Progress::start(format!(
        "running {} ({})",
        esc(&loaded.spec.id),
        esc(&loaded.spec.kind),
    ));
    let opts = RunOptions {
        grants,
        registry_home: Some(registry_home),
        observer: Some(watch(&loaded.spec.id, progress.spinner())),
        ..RunOptions::default()
    };
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
    print_verdict(report);
    let outcome = done.outcome.as_ref();
    if args.json {
        print_json(&RunJson::new(
            &done,
            crate::project::redact(&state.location),
            project.json(Some(&state), true),
        ));
    } else if let Some(format) = args.format.filter(|f| *f != super::report::Format::Text)
        && outcome.is_none()
        && let Some(doc) = done.runlog_row.get("report")
    {
        super::report::print(doc, format);
    } else {
        print_human(report, outcome, done.runlog_row.get("report"));
    }
    match report.result {
        RunResult::Clean | RunResult::Found | RunResult::Proposed | RunResult::Merged => exit::OK,
        RunResult::Error | RunResult::Escalated => 1,
    }
}

/// What a run shows while it happens: the spinner names the work under way (loading the
/// component, each maker call, the test command, the triage's repository reads) with its
/// elapsed time; with `-v` each plugin `log.emit` line and every host decision other than a
/// plain "allowed" (with `-vv` those too) is a `strive:` line on stderr, escaped. The
/// scheduler's runs get the same lines (with a hidden spinner).
pub(crate) fn watch(loop_id: &str, spinner: ui::Spinner) -> Observer {
    use std::sync::Mutex;
    use strive_runtime::observe::{Event, Stage};
    #[derive(Default)]
    struct Seen {
        stage: String,
        maker_calls: u64,
        git_reads: u64,
    }
    let id = esc(loop_id).into_owned();
    let seen = Mutex::new(Seen::default());
    Observer::new(move |event| match event {
        Event::Stage(Stage::Load { kind }) => spinner.restart(format!(
            "{id}: loading the {} component (precompiled on first use)",
            esc(kind)
        )),
        Event::Stage(Stage::Call {
            capability,
            function,
        }) => {
            if !spinner.is_visible() {
                return;
            }
            let Ok(mut seen) = seen.lock() else { return };
            let (stage, message) = match *capability {
                "maker" => {
                    seen.maker_calls += 1;
                    let n = seen.maker_calls;
                    (
                        format!("maker {n}"),
                        format!("{id}: maker call {n} ({function})"),
                    )
                }
                "command" => (
                    "command".to_string(),
                    format!("{id}: running the test command in the sandbox"),
                ),
                "merge" | "worktree" => (
                    format!("{capability}.{function}"),
                    format!("{id}: {capability}.{function}"),
                ),
                "git.read" => {
                    seen.git_reads += 1;
                    (
                        "git.read".to_string(),
                        format!(
                            "{id}: reading the commit window ({} git reads)",
                            seen.git_reads
                        ),
                    )
                }
                _ => return,
            };
            if seen.stage == stage {
                spinner.set_message(message);
            } else {
                seen.stage = stage;
                spinner.restart(message);
            }
        }
        Event::Log { level, message } => {
            spinner.verbose(format_args!("{id}: plugin {level}: {}", esc(message)));
        }
        Event::Decision {
            capability,
            function,
            args,
            decision,
        } => {
            let shown = ui::verbosity() >= 2 || event.is_refusal() || *capability == "host";
            if shown && ui::verbosity() >= 1 {
                spinner.verbose(format_args!(
                    "{id}: host {capability}.{function}({}): {}",
                    esc(args),
                    esc(decision)
                ));
            }
        }
    })
}

/// With `-v`, the host's verdict on the plugin's claim and the failure, once the run is judged
/// (its log lines and decisions were streamed by [`watch`] as they happened).
/// `strive run --json`: the whole run, serialised straight from the run's records (a
/// 2,000-finding report is not copied into a second JSON tree). Keys in alphabetical order; the
/// assisted-fix keys only for a run with a fix context.
#[derive(serde::Serialize)]
struct RunJson<'a> {
    action: Option<&'a serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    branch: Option<Option<&'a str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    chat_turns: Option<u32>,
    citations: &'a [strive_runtime::citations::Check],
    claimed: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    commit: Option<Option<&'a str>>,
    failure: &'a Option<String>,
    findings: &'a [strive_runtime::host::ReportedFinding],
    fuel_used: u64,
    high: usize,
    host_calls: u64,
    #[serde(rename = "loop")]
    loop_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    maker_calls: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merged: Option<&'a Option<strive_runtime::caps::MergeRecord>>,
    note: &'a str,
    project: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    reflections: Option<&'a [String]>,
    report: Option<&'a serde_json::Value>,
    result: &'static str,
    run_id: &'a str,
    state: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens_spent: Option<u64>,
    wall_ms: u64,
    watch: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    withheld: Option<&'a [String]>,
}

impl<'a> RunJson<'a> {
    fn new(
        done: &'a strive_runtime::pipeline::LoopRun,
        state: String,
        project: serde_json::Value,
    ) -> RunJson<'a> {
        let report = &done.report;
        let o = done.outcome.as_ref();
        RunJson {
            action: done.runlog_row.get("action"),
            attempts: o.map(|o| o.attempts),
            branch: o.map(|o| o.branch.as_deref()),
            chat_turns: o.map(|o| o.chat_turns),
            citations: &report.citations,
            claimed: report.claimed,
            commit: o.map(|o| o.commit.as_deref()),
            failure: &report.failure,
            findings: &report.findings,
            fuel_used: report.fuel_used,
            high: report.count("high"),
            host_calls: report.host_calls,
            loop_id: &report.loop_id,
            maker_calls: o.map(|o| o.maker_calls),
            merged: o.map(|o| &o.merged),
            note: &report.note,
            project,
            reflections: o.map(|o| o.reflections.as_slice()),
            report: done.runlog_row.get("report"),
            result: report.result.as_str(),
            run_id: &report.run_id,
            state,
            tokens_spent: o.map(|o| o.tokens_spent),
            wall_ms: report.wall_ms,
            watch: report.count("watch"),
            withheld: o.map(|o| o.withheld.as_slice()),
        }
    }
}

pub(crate) fn print_verdict(report: &RunReport) {
    if ui::verbosity() < 1 {
        return;
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

fn print_human(
    report: &RunReport,
    outcome: Option<&strive_runtime::caps::FixOutcome>,
    doc: Option<&serde_json::Value>,
) {
    let note = if report.note.is_empty() {
        "ok".into()
    } else {
        esc(&report.note)
    };
    let result = report.result.as_str();
    if let Some(outcome) = outcome {
        outln!(
            "[{}] {}: {} attempt(s) — {note}",
            paint(ui::result_tone(result), result),
            esc(&report.loop_id),
            outcome.attempts,
        );
        if let Some(branch) = &outcome.branch {
            outln!("  branch {}", esc(branch));
        }
        return;
    }
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
    if let Some(doc) = doc {
        // The report: severity order, reasons, authors, line counts; every line escaped.
        let text = strive_runtime::triage_report::render_text(doc);
        // Past its first line (the summary above says it), in one write: a line per `write`
        // made a 2,000-finding report ~25% slower into a pipe.
        let rest: String = text.lines().skip(1).flat_map(|l| [l, "\n"]).collect();
        out!("{rest}");
        return;
    }
    for (bucket, label) in [("high", "HIGH "), ("watch", "watch")] {
        for f in report.findings.iter().filter(|f| f.bucket == bucket) {
            let sha = f.cites.first().map(|s| &s[..s.len().min(10)]).unwrap_or("");
            outln!("  {label} {} ({})", esc(&f.title), esc(sha));
        }
    }
}
