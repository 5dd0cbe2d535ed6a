//! `strive budget`: normalise budget caps to JSON, and optionally replay spends against them
//! to show which the ledger would grant or refuse. See `strive_core::budget`.

use std::time::Duration;

use serde::Serialize;
use strive_core::budget::{Axis, Budget, Ledger, MicroUsd, Refusal, Spend, Spent};

use super::io;

/// Print a run budget as JSON, or replay spends against it.
///
/// Without --spend prints the normalised budget (absent caps are null):
/// `{"max_tokens","max_iterations","wall_clock_secs","max_cost_usd","max_host_calls"}`.
/// A value that does not parse is a usage error (exit 64), never a silent null.
///
/// With --spend (repeatable, applied in order) prints `{"budget", "steps": [{"spend",
/// "granted", "refusal"?}], "spent", "exhausted"}`. A refused spend records nothing; a
/// refusal is `{"axis", "cap", "spent", "requested"}` in the axis' unit (tokens, micro_usd,
/// iterations, ms, calls). Refusals are data: the exit code is 0.
///
/// Examples:
///
///   strive budget --max-tokens 50000 --max-iterations 3 --wall-clock-secs 600
///
///   strive budget --max-tokens 1000 --max-cost-usd 0.05 \
///       --spend tokens=800,cost-usd=0.01 --spend tokens=300 --spend tokens=200
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Cap on model tokens (prompt + completion) for the run.
    #[arg(long, value_name = "N")]
    max_tokens: Option<u64>,
    /// Cap on iterations (loop ticks, fix attempts).
    #[arg(long, value_name = "N")]
    max_iterations: Option<u64>,
    /// Cap on wall-clock seconds for the run.
    #[arg(long, value_name = "N")]
    wall_clock_secs: Option<u64>,
    /// Cap on maker cost in US dollars, at most 6 decimal places (e.g. 2.50).
    #[arg(long, value_name = "USD")]
    max_cost_usd: Option<MicroUsd>,
    /// Cap on host calls made by the plugin.
    #[arg(long, value_name = "N")]
    max_host_calls: Option<u64>,
    /// A spend to try, e.g. tokens=1200,cost-usd=0.02,iterations=1,host-calls=3.
    #[arg(long, value_name = "SPEC")]
    spend: Vec<Spend>,
    /// Elapsed run time (seconds) at which the spends are tried, for the wall-clock cap.
    #[arg(long, value_name = "SECS", default_value_t = 0, requires = "spend")]
    elapsed_secs: u64,
}

#[derive(Serialize)]
struct Step {
    spend: Spend,
    granted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    refusal: Option<Refusal>,
}

#[derive(Serialize)]
struct Replay {
    budget: Budget,
    steps: Vec<Step>,
    spent: Spent,
    exhausted: Option<Axis>,
}

pub fn run(args: Args) -> i32 {
    let budget = Budget {
        max_tokens: args.max_tokens,
        max_iterations: args.max_iterations,
        wall_clock_secs: args.wall_clock_secs,
        max_cost_usd: args.max_cost_usd,
        max_host_calls: args.max_host_calls,
    };
    if args.spend.is_empty() {
        io::print_json(&budget);
        return strive_core::exit::OK;
    }
    let elapsed = Duration::from_secs(args.elapsed_secs);
    let mut ledger = Ledger::new(budget);
    let steps = args
        .spend
        .into_iter()
        .map(|spend| {
            let refusal = ledger.try_spend(spend, elapsed).err();
            Step {
                spend,
                granted: refusal.is_none(),
                refusal,
            }
        })
        .collect();
    io::print_json(&Replay {
        budget,
        steps,
        spent: ledger.spent,
        exhausted: ledger.exhausted(elapsed),
    });
    strive_core::exit::OK
}
