//! `strive resume LOOP`: lift a halt.

use strive_core::exit;
use strive_scheduler::record::{self, Resumed};
use strive_state::file::DEFAULT_STATE_PATH;

/// Lift the halt of a loop stopped after a stall.
///
/// A stall is the same error or escalation three times in a row. Resuming forgets the loop's
/// history, so it needs a new full stall to halt again. Fix the cause first: the next due
/// tick runs it.
///
/// Exit codes: 0 lifted, or the loop was not halted (a note says so); 64 the store has no
/// scheduler record of LOOP (a typo?) or cannot be opened.
///
/// Examples:
///   strive resume nightly-triage
///   strive resume nightly-triage --state postgres://strive@db.internal/strive
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop id.
    pub loop_id: String,
    /// Scheduler state: a state.json path or a postgres:// URL.
    #[arg(long, default_value = DEFAULT_STATE_PATH)]
    pub state: String,
}

pub fn run(args: Args) -> i32 {
    let store = match strive_state::open(&args.state) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    match record::resume(store.as_ref(), &args.loop_id) {
        Ok(Resumed::Lifted(halt)) => {
            println!(
                "resumed {}: lifted the {} halt from {} ({})",
                args.loop_id, halt.kind, halt.since, halt.detail
            );
            exit::OK
        }
        Ok(Resumed::NotHalted) => {
            println!("{} is not halted; nothing to do", args.loop_id);
            exit::OK
        }
        Ok(Resumed::Unknown) => {
            eprintln!(
                "error: {} has no scheduler record in {} — check the loop id and --state",
                args.loop_id,
                store.describe()
            );
            exit::USAGE
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
    }
}
