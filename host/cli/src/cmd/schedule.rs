//! `strive schedule DIR`: one scheduler tick (for cron and CI). The wiring it shares with
//! `daemon` and `worker` (backend, specs, runner) is in [`crate::wiring`].

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::Utc;

use strive_core::exit;
use strive_scheduler::spec::parse_instant;
use strive_scheduler::tick::TickReport;

use super::io::print_json;
use crate::ui::{self, esc, paint};
use crate::wiring::{Backend, load_specs, loop_runner_for};

/// Run one scheduler tick over the loop specs in DIR.
///
/// Every due loop runs once, in priority order; the others are listed with the reason they
/// did not run.
///
/// A loop runs when it is not paused, not halted, not past its `stop_after`, and its cadence
/// (`30m`, `1h`, `1d`, `weekly`, or a cron expression such as `0 3 * * 1-5`, UTC) makes it due
/// at NOW compared with the scheduler's own record of its previous run. Loops of phase L2/L3
/// take a writer lock on their target repository (one writer per repository, across
/// processes). A stall (the same error or escalation three times in a row) halts a loop and
/// notifies once; `strive resume LOOP` lifts the halt.
///
/// A malformed or invalid spec file is reported on stderr and skipped; a failing run is
/// recorded as `error`; the tick goes on either way.
///
/// Exit codes: 0 the tick completed (even if some loops failed or some specs were skipped —
/// read the report), 1 DIR holds no valid spec, 64 usage (unreadable DIR, bad --now, state
/// that cannot be opened).
///
/// Examples:
///   strive schedule loops/
///   strive schedule loops/ --now 2026-11-24T09:00:00Z --json
///   strive schedule loops/ --state postgres://strive@db.internal/strive
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Directory of loop specs (`*.json`), or a single spec file.
    pub dir: PathBuf,
    /// Scheduler state: a state.json path or a postgres:// URL (default: the project's
    /// `.loop-state/state.json`). Loops with their own `state_file` keep their section and run
    /// log there, relative to the project root (file backend only).
    #[arg(long, value_name = "PATH|URL")]
    pub state: Option<String>,
    /// The tick's clock (RFC 3339, e.g. 2026-11-24T09:00:00Z); default: now.
    #[arg(long)]
    pub now: Option<String>,
    /// Print the tick report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> i32 {
    let now = match args.now.as_deref().map(parse_instant).transpose() {
        Ok(now) => now.unwrap_or_else(Utc::now),
        Err(e) => {
            eprintln!("error: --now: {e}");
            return exit::USAGE;
        }
    };
    let (project, state) = crate::project::for_verb(args.state.as_deref(), Some(&args.dir), true);
    let backend = match Backend::open(&state.location, &project) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let loaded = match load_specs(&args.dir) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if loaded.specs.is_empty() {
        eprintln!("error: no valid loop spec in {}", args.dir.display());
        return 1;
    }
    let runner = loop_runner_for(&project);
    let report = backend.tick(runner.as_ref(), &loaded, now, &AtomicBool::new(false));
    if args.json {
        let mut value = serde_json::to_value(&report).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.insert("project".into(), project.json(Some(&state), true));
        }
        print_json(&value);
    } else {
        print_report(&report);
    }
    exit::OK
}

/// Print a tick report for people.
pub(crate) fn print_report(report: &TickReport) {
    for item in &report.items {
        if item.ran {
            let result = item.result.as_deref().unwrap_or("?");
            let result = paint(ui::result_tone(result), &esc(result));
            let halted = if item.halted {
                " ⚠ halted (stall)"
            } else {
                ""
            };
            let bell = if item.notifications.is_empty() {
                ""
            } else {
                " 🔔"
            };
            let note = if item.reason.is_empty() {
                String::new()
            } else {
                format!(" — {}", esc(&item.reason))
            };
            outln!("  • {}: {result}{note}{halted}{bell}", esc(&item.loop_id));
        } else {
            outln!("  - {}: {}", esc(&item.loop_id), esc(&item.reason));
        }
    }
    let notes: Vec<_> = report.notifications().collect();
    outln!(
        "[tick {}] ran {} of {} loop(s), {} notification(s)",
        report.now,
        report.ran(),
        report.items.len(),
        notes.len()
    );
    for n in notes {
        outln!(
            "  🔔 #{} {} {}: {}",
            n.seq,
            esc(&n.kind),
            esc(&n.loop_id),
            esc(&n.note)
        );
    }
}
