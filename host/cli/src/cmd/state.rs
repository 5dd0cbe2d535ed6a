//! `strive state migrate`: move a project's state from files to PostgreSQL.

use std::path::PathBuf;

use strive_core::exit;
use strive_state::file::FileStore;
use strive_state::postgres::{MigrationError, PgStore, is_postgres_url, migrate_from_file};

use super::io::print_json;

/// Manage state stores (migrate files to PostgreSQL).
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub action: Action,
}

#[derive(clap::Subcommand)]
pub enum Action {
    Migrate(MigrateArgs),
}

/// Copy a state file's sections, run log and audit logs into PostgreSQL, and verify.
///
/// Every section must be equal and every run-log row and audit line present afterwards.
///
/// Idempotent: running it again copies nothing twice (rows are keyed by their position in the
/// source). The file store is only read; keep it until you have switched every `--state` to the
/// database.
///
/// Exit codes: 0 copied and verified, 1 the verification failed (the message says what
/// differs), 64 usage or a store that cannot be read.
///
/// Example:
///   strive state migrate --from .loop-state/state.json --to postgres://strive@db.internal/strive
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct MigrateArgs {
    /// The state file to copy from.
    #[arg(long)]
    pub from: PathBuf,
    /// The database to copy into (postgres://…).
    #[arg(long)]
    pub to: String,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> i32 {
    match args.action {
        Action::Migrate(args) => migrate(args),
    }
}

fn migrate(args: MigrateArgs) -> i32 {
    if !is_postgres_url(&args.to) {
        eprintln!("error: --to {:?}: give a postgres:// URL", args.to);
        return exit::USAGE;
    }
    if !args.from.is_file() {
        eprintln!("error: --from {}: no such state file", args.from.display());
        return exit::USAGE;
    }
    let progress =
        crate::ui::Progress::start("connecting to PostgreSQL, applying schema migrations");
    let to = PgStore::connect(&args.to);
    progress.done();
    let to = match to {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let from = FileStore::new(&args.from);
    let progress = crate::ui::Progress::start(format!(
        "copying {} to PostgreSQL and verifying every row",
        args.from.display()
    ));
    let migrated = migrate_from_file(&from, &to);
    progress.done();
    match migrated {
        Ok(report) => {
            if args.json {
                print_json(&report);
            } else {
                outln!(
                    "migrated and verified: {} section(s), {} run-log row(s) ({} new), {} audit log(s) with {} line(s) ({} new)",
                    report.sections,
                    report.runlog_rows,
                    report.runlog_rows_inserted,
                    report.audit_runs,
                    report.audit_lines,
                    report.audit_lines_inserted
                );
            }
            exit::OK
        }
        Err(e @ MigrationError::Mismatch(_)) => {
            eprintln!("error: {e}");
            1
        }
        Err(e @ MigrationError::Store(_)) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
    }
}
