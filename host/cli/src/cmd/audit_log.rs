//! `strive audit-log verify|show RUN_ID`: check or print a run's hash-chained audit log.
//!
//! Guarantees: `verify` recomputes every row's hash and link and compares the tail with the
//! run-log row; it exits 0 only for an intact chain, 5 (tampering) naming the first row that
//! does not verify, 64 if the log cannot be read. A run with no audit rows at all is reported as
//! tampering when the run log says it had some.

use strive_core::exit;

use super::io::print_json;
use crate::ui::esc;

/// Verify or print the audit log of one run (every host call the plugin made).
///
/// Examples:
///   strive audit-log verify 20261124T214501Z-1a2b3c4d
///   strive audit-log show 20261124T214501Z-1a2b3c4d --state /tmp/state.json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Recompute the chain; exit 0 intact, 5 tampered.
    Verify(Target),
    /// Print the rows (JSONL).
    Show(Target),
}

#[derive(clap::Args)]
struct Target {
    /// The run id (`run_id` in `strive run --json` and in the run log).
    run_id: String,
    /// State whose audit logs to read: a state.json path or a postgres:// URL (default: the
    /// project's `.loop-state/state.json`).
    #[arg(long, value_name = "PATH|URL")]
    state: Option<String>,
    /// JSON output (verify).
    #[arg(long)]
    json: bool,
}

fn open(t: &Target) -> Result<Box<dyn strive_state::Store>, i32> {
    let (_, state) = crate::project::for_verb(t.state.as_deref(), None, false);
    super::io::open_store(std::path::Path::new(&state.location))
}

pub fn run(args: Args) -> i32 {
    match args.action {
        Action::Verify(t) => {
            let store = match open(&t) {
                Ok(store) => store,
                Err(code) => return code,
            };
            let report = match strive_runtime::records::verify_audit(store.as_ref(), &t.run_id) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("error: {e}");
                    return exit::USAGE;
                }
            };
            if t.json {
                print_json(&report);
            } else if report.ok {
                outln!(
                    "ok: {} rows, chain intact (head {})",
                    report.rows,
                    esc(&report.head)
                );
            } else {
                outln!(
                    "TAMPERED: row {} (counting from 1) — {}",
                    report.first_bad_row.unwrap_or(0),
                    esc(report.problem.as_deref().unwrap_or("chain broken"))
                );
            }
            if report.ok { exit::OK } else { exit::TAMPERING }
        }
        Action::Show(t) => {
            let store = match open(&t) {
                Ok(store) => store,
                Err(code) => return code,
            };
            match store.read_audit(&t.run_id) {
                Ok(lines) => {
                    for line in lines {
                        outln!("{}", esc(&line));
                    }
                    exit::OK
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    exit::USAGE
                }
            }
        }
    }
}
