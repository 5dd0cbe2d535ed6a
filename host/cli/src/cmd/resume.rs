//! `strive resume LOOP`: lift a halt.

use crate::ui::esc;
use strive_core::exit;
use strive_scheduler::record::{self, Resumed};

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
    /// Scheduler state: a state.json path or a postgres:// URL (default: the project's).
    #[arg(long, value_name = "PATH|URL")]
    pub state: Option<String>,
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
    match record::resume(store.as_ref(), &args.loop_id) {
        Ok(Resumed::Lifted(halt)) => {
            outln!(
                "resumed {}: lifted the {} halt from {} ({})",
                esc(&args.loop_id),
                esc(&halt.kind),
                esc(&halt.since),
                esc(&halt.detail)
            );
            exit::OK
        }
        Ok(Resumed::NotHalted) => {
            outln!("{} is not halted; nothing to do", esc(&args.loop_id));
            exit::OK
        }
        Ok(Resumed::Unknown) => {
            eprintln!(
                "error: {} has no scheduler record in {} — check the loop id (`strive status`) and --state",
                esc(&args.loop_id),
                esc(&store.describe())
            );
            exit::USAGE
        }
        Err(e) => {
            eprintln!("error: {e}");
            exit::USAGE
        }
    }
}
