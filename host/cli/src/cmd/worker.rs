//! `strive worker --state postgres://… DIR`: claim due loops by lease and run them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use strive_core::exit;
use strive_scheduler::lock::PgLocks;
use strive_scheduler::worker::{self, Worker, WorkerConfig};
use strive_state::postgres::{PgStore, is_postgres_url, redact_url};

use super::daemon::shutdown_flag;
use super::io::print_json;
use crate::wiring::{load_specs, loop_runner};

/// Claim due loops from a shared PostgreSQL queue by lease and run them.
///
/// Start any number of workers on any number of machines against one database.
///
/// On start the worker applies missing schema migrations and syncs the specs in DIR into the
/// `loops` table (new loops are due at once; a changed cadence makes a loop due at once).
/// It then claims the most urgent due loop (`FOR UPDATE SKIP LOCKED`), holds a lease that it
/// heartbeats every third of --lease-secs, and runs the loop exactly as `strive run` does
/// (the spec stored in the database; a relative `target.repo` was made absolute at sync). The
/// run's section, run-log row and audit log commit in one transaction with the slot's
/// completion, its scheduler history and inbox, after the lease is checked in that
/// transaction: each due slot has exactly one recorded result, and a worker that lost its lease
/// writes nothing. A worker that dies stops heartbeating: its lease expires and another worker
/// takes the slot over. Loops of phase L2/L3 also take a writer lock on their target
/// repository; a busy repository hands the loop back for 30 s.
///
/// The database may restart or be unreachable for a while: every call reconnects and retries
/// with backoff, and the worker itself waits (0.5 s doubling to 30 s) and carries on; it never
/// exits on a transient database error.
///
/// On SIGTERM/SIGINT the run in flight finishes and is recorded, then the worker exits 0.
///
/// Exit codes: 0 stopped (signal or --until-idle) and every claimed loop could run; 1 some
/// claimed loop could not run at all (an infrastructure error, e.g. an unknown kind or an
/// unreadable state section: see its line) or the queue failed in a way a retry cannot fix;
/// 64 usage (not a postgres:// URL, unreadable DIR, database unreachable at start).
///
/// Examples:
///   strive worker --state postgres://strive@db.internal/strive loops/
///   strive worker --state "$STRIVE_DB" loops/ --until-idle --worker-id ci-1 --lease-secs 300
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Directory of loop specs (`*.json`) to sync into the queue before working.
    pub dir: PathBuf,
    /// The shared database: postgres://user[:password]@host[:port]/db.
    #[arg(long)]
    pub state: String,
    /// Exit when nothing is due and no lease is live (for CI and batch runs).
    #[arg(long)]
    pub until_idle: bool,
    /// Lease length in seconds; a dead worker's loop is taken over after at most this long.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u32).range(3..))]
    pub lease_secs: u32,
    /// This worker's name in leases and run records (default: host name and process id).
    #[arg(long)]
    pub worker_id: Option<String>,
    /// Seconds to wait between claims when nothing is due.
    #[arg(long, default_value_t = 5)]
    pub poll_secs: u64,
    /// Disable loops in the database whose spec is no longer in DIR.
    #[arg(long)]
    pub prune: bool,
    /// Skip syncing DIR (work on what the database already holds).
    #[arg(long)]
    pub no_sync: bool,
    /// Print one JSON line per claimed slot instead of text.
    #[arg(long)]
    pub json: bool,
}

fn default_worker_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "worker".into());
    format!("{host}-{}", std::process::id())
}

pub fn run(args: Args) -> i32 {
    if !is_postgres_url(&args.state) {
        eprintln!(
            "error: --state {:?}: workers share a PostgreSQL queue; give a postgres:// URL \
             (use `strive schedule`/`strive daemon` for the file backend)",
            args.state
        );
        return exit::USAGE;
    }
    let progress =
        crate::ui::Progress::start("connecting to PostgreSQL, applying schema migrations");
    let store = PgStore::connect(&args.state);
    progress.done();
    let store = match store {
        Ok(s) => Arc::new(s),
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    // Within a run, ride out an outage for as long as the lease may still hold.
    store.set_retry_window(Duration::from_secs(u64::from(args.lease_secs.max(30))));
    if !args.no_sync {
        let loaded = match load_specs(&args.dir) {
            Ok(l) => l,
            Err(code) => return code,
        };
        match worker::sync(store.as_ref(), &loaded.specs, args.prune) {
            Ok(r) => eprintln!(
                "synced {} loop(s) into {}: {} added, {} updated, {} disabled",
                loaded.specs.len(),
                redact_url(&args.state),
                r.added,
                r.updated,
                r.disabled
            ),
            Err(e) => {
                eprintln!("error: {e}");
                return 1;
            }
        }
    }
    let stop = match shutdown_flag() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let runner = loop_runner();
    let locks = PgLocks::new(Arc::clone(&store));
    let w = Worker {
        queue: store.clone(),
        store,
        runner: runner.as_ref(),
        locks: &locks,
        config: WorkerConfig {
            worker_id: args.worker_id.unwrap_or_else(default_worker_id),
            lease_secs: args.lease_secs,
            until_idle: args.until_idle,
            poll: Duration::from_secs(args.poll_secs),
        },
    };
    let json = args.json;
    let mut infra = 0usize;
    let outcome = w.run(&stop, &mut |run| {
        if run.infra {
            infra += 1;
        }
        if json {
            print_json(run);
        } else {
            let result = run.result.as_deref().unwrap_or("-");
            println!(
                "  • {} [{}] slot {} attempt {}: {result} — {}",
                run.loop_id, run.status, run.slot, run.attempt, run.note
            );
        }
    });
    match outcome {
        Ok(n) if infra > 0 => {
            eprintln!(
                "error: worker {}: stopped after {n} slot(s); {infra} of them could not run (infrastructure error, see above)",
                w.config.worker_id
            );
            1
        }
        Ok(n) => {
            eprintln!("worker {}: stopped after {n} slot(s)", w.config.worker_id);
            exit::OK
        }
        Err(e) => {
            eprintln!("error: worker {}: {e}", w.config.worker_id);
            1
        }
    }
}
