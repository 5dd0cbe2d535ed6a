//! `strive show [LOOP]`: print a loop's state section (or every section) as JSON.
//!
//! Guarantees: read-only. An absent state file or loop prints `{}` (as the earlier tool did); a
//! state file that cannot be read or parsed is an error (exit 64), never shown as empty.

use std::path::PathBuf;

use strive_core::exit;

use super::io::print_json_pretty;

/// Show the state a loop keeps between runs: cursors, findings, last result, notes.
///
/// Examples:
///   strive show self-triage
///   strive show --state /tmp/state.json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop id; omit to show every loop.
    #[arg(value_name = "LOOP")]
    loop_id: Option<String>,
    /// State file (default `.loop-state/state.json`).
    #[arg(long, value_name = "PATH", default_value = ".loop-state/state.json")]
    state: PathBuf,
}

pub fn run(args: Args) -> i32 {
    let store = match super::io::open_store(&args.state) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let shown = match &args.loop_id {
        Some(id) => store
            .read_section(id)
            .map(|s| s.unwrap_or_else(|| serde_json::json!({}))),
        None => store
            .all_sections()
            .map(|all| serde_json::to_value(all).unwrap_or_default()),
    };
    match shown {
        Ok(value) => {
            print_json_pretty(&value);
            exit::OK
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
    }
}
