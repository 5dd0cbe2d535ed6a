//! `strive log [LOOP]`: run-log rows (or the inbox) from whichever backend is in use.

use crate::ui::esc;
use serde_json::Value;
use strive_core::exit;
use strive_scheduler::inbox;

use super::io::print_json;

/// Print run-log rows (or the triage inbox) from files or PostgreSQL.
///
/// Rows are printed oldest first. With --inbox, the scheduler's notifications (found,
/// proposed, merged, escalated, error, halted) instead.
///
/// Exit codes: 0 printed (possibly nothing), 64 the store cannot be opened or read.
///
/// Examples:
///   strive log
///   strive log nightly-triage --json --last 20
///   strive log --inbox --state postgres://strive@db.internal/strive
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Only rows of this loop.
    pub loop_id: Option<String>,
    /// A state.json path or a postgres:// URL (default: the project's).
    #[arg(long, value_name = "PATH|URL")]
    pub state: Option<String>,
    /// Print a JSON array instead of text.
    #[arg(long)]
    pub json: bool,
    /// Print the triage inbox instead of the run log.
    #[arg(long)]
    pub inbox: bool,
    /// Only the last N entries.
    #[arg(long)]
    pub last: Option<usize>,
}

fn tail<T>(mut rows: Vec<T>, last: Option<usize>) -> Vec<T> {
    if let Some(n) = last {
        let cut = rows.len().saturating_sub(n);
        rows.drain(..cut);
    }
    rows
}

fn field<'a>(row: &'a Value, key: &str) -> &'a str {
    row.get(key).and_then(Value::as_str).unwrap_or("-")
}

pub fn run(args: Args) -> i32 {
    let (_, state) = crate::project::for_verb(args.state.as_deref(), None, false);
    let store = match strive_state::open(&state.location) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let loop_id = args.loop_id.as_deref();
    if args.inbox {
        let items = match inbox::list(store.as_ref(), loop_id) {
            Ok(items) => tail(items, args.last),
            Err(e) => {
                eprintln!("error: {e}");
                return exit::USAGE;
            }
        };
        if args.json {
            print_json(&items);
        } else {
            for n in items {
                outln!(
                    "#{} {} {:9} {}: {}",
                    n.seq,
                    esc(&n.at),
                    esc(&n.kind),
                    esc(&n.loop_id),
                    esc(&n.note)
                );
            }
        }
        return exit::OK;
    }
    let rows = match store.read_runlog(loop_id) {
        Ok(rows) => tail(rows, args.last),
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    if args.json {
        print_json(&rows);
    } else {
        for row in rows {
            outln!(
                "{} {} {:9} {} {}",
                esc(field(&row, "ts")),
                esc(field(&row, "loop")),
                esc(field(&row, "result")),
                esc(field(&row, "action")),
                esc(row.get("note").and_then(Value::as_str).unwrap_or(""))
            );
        }
    }
    exit::OK
}
