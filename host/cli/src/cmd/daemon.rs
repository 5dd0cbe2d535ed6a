//! `strive daemon DIR`: the scheduler, continuously.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use strive_core::exit;
use strive_scheduler::Cadence;

use super::io::print_json;
use super::schedule::print_report;
use crate::wiring::{Backend, load_specs, loop_runner_for};

/// Run the scheduler continuously (graceful on SIGTERM/SIGINT).
///
/// A tick over DIR every --every; the spec directory is re-read each tick, so added, edited
/// and removed specs take effect without a restart.
///
/// Shutdown is graceful: on SIGTERM or SIGINT the run in flight finishes and is recorded, no
/// new run starts, and the daemon exits 0. A second signal exits at once (130).
///
/// A DIR that cannot be read at start is exit 64 (as `strive schedule` does); one that becomes
/// unreadable later is reported and retried on the next tick.
///
/// Exit codes: 0 after a graceful shutdown, 64 usage (bad --every, unreadable DIR, state that
/// cannot be opened).
///
/// Examples:
///   strive daemon loops/
///   strive daemon loops/ --every 30s --json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Directory of loop specs (`*.json`).
    pub dir: PathBuf,
    /// Scheduler state: a state.json path or a postgres:// URL (default: the project's).
    #[arg(long, value_name = "PATH|URL")]
    pub state: Option<String>,
    /// Time between ticks (an interval: 10s, 1m, ...).
    #[arg(long, default_value = "60s")]
    pub every: String,
    /// Print each tick report as one JSON line.
    #[arg(long)]
    pub json: bool,
}

/// Register SIGTERM/SIGINT: the first sets the returned flag, a second one exits with 130.
pub(crate) fn shutdown_flag() -> Result<Arc<AtomicBool>, String> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .and_then(|_| signal_hook::flag::register(signal, Arc::clone(&stop)))
            .map_err(|e| format!("cannot install the signal handler: {e}"))?;
    }
    Ok(stop)
}

pub fn run(args: Args) -> i32 {
    let every = match args.every.parse::<Cadence>() {
        Ok(Cadence::Interval { secs, .. }) => Duration::from_secs(secs as u64),
        _ => {
            eprintln!(
                "error: --every {:?}: give an interval such as 30s, 1m or 5m",
                args.every
            );
            return exit::USAGE;
        }
    };
    // The directory must be readable now: a typo is a usage error, not a daemon that logs an
    // error every tick forever.
    if let Err(e) = std::fs::metadata(&args.dir) {
        eprintln!(
            "error: {}: cannot read the spec directory ({e}); give the directory of your loop specs, e.g. `strive daemon loops/`",
            args.dir.display()
        );
        return exit::USAGE;
    }
    let (project, state) = crate::project::for_verb(args.state.as_deref(), Some(&args.dir), true);
    let backend = match Backend::open(&state.location, &project) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let stop = match shutdown_flag() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let runner = loop_runner_for(&project);
    crate::ui::info(format_args!(
        "strive daemon: ticking {} every {:?} (state {})",
        args.dir.display(),
        every,
        crate::ui::esc(&backend.store().describe())
    ));
    while !stop.load(Ordering::SeqCst) {
        let started = Instant::now();
        // An unreadable directory is reported and retried next tick, not fatal.
        if let Ok(loaded) = load_specs(&args.dir) {
            let report = backend.tick(runner.as_ref(), &loaded, Utc::now(), &stop);
            if args.json {
                print_json(&report);
            } else {
                print_report(&report);
            }
        }
        while !stop.load(Ordering::SeqCst) && started.elapsed() < every {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    crate::ui::info("strive daemon: stopped (runs in flight finished)");
    exit::OK
}
