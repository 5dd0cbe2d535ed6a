//! `strive cost SPEC`: per-run and per-day token and cost estimate against the budget caps.

use strive_core::exit;
use strive_spec::authoring::estimate_cost;

use super::io;
use crate::ui::esc;

/// Estimate a loop's token use and cost per run and per day, against budget.max_tokens and
/// budget.max_cost_usd.
///
/// Token figures use fixed per-kind assumptions (triage 3,000; assisted-fix 30,000 per
/// attempt; plugin kinds 5,000). USD figures need a price: pass --usd-per-mtok (blended US
/// dollars per million tokens for the spec's model); without it they are null. Loops without
/// an LLM maker cost nothing.
///
/// The cadence may be anything the scheduler accepts: an interval (`30m`, `1d`, `weekly`) or a
/// cron expression (`0 3 * * 1-5`, `@daily`; runs per day is then the mean over four weeks).
///
/// Exit 1 when an estimate exceeds a cap, 0 otherwise, 64 when the spec cannot be read.
///
/// Examples:
///   strive cost loops/nightly-triage.json
///   strive cost loops/fix-parser.json --usd-per-mtok 3.0
///   strive cost --json loops/fix-parser.json | jq .per_day_tokens
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop spec.
    spec: String,
    /// Blended price in USD per million tokens for the spec's maker.
    #[arg(long, value_name = "USD")]
    usd_per_mtok: Option<f64>,
    /// Print JSON: {per_run_tokens, runs_per_day, per_day_tokens, budget_cap_tokens,
    /// within_budget, per_run_cost_usd, per_day_cost_usd, budget_cap_usd, within_cost_budget, notes}.
    #[arg(long)]
    json: bool,
}

/// Mean seconds between runs for any cadence the scheduler accepts: intervals (`30m`, `1d`,
/// `weekly`) exactly, cron expressions (`0 3 * * 1-5`, `@daily`) as the mean gap between their
/// occurrences over four weeks. One parser for both verbs: `strive_scheduler::Cadence`.
fn interval_secs(cadence: &str) -> Result<f64, String> {
    use strive_scheduler::Cadence;
    let parsed: Cadence = cadence.parse().map_err(|e| format!("{e}"))?;
    match parsed {
        Cadence::Interval { secs, .. } => Ok(secs as f64),
        Cadence::Cron { .. } => {
            // A fixed Monday midnight UTC: the estimate does not depend on when it is asked.
            let start = chrono::DateTime::from_timestamp(1_767_571_200, 0)
                .ok_or("cannot build the estimate's start time")?;
            let window = chrono::Duration::days(28);
            let end = start + window;
            let mut at = start;
            let mut count = 0u32;
            while let Some(next) = parsed.next_after(at) {
                if next > end || count >= 100_000 {
                    break;
                }
                count += 1;
                at = next;
            }
            if count == 0 {
                return Err(format!(
                    "cadence \"{cadence}\" fires less than once in four weeks; runs per day unknown"
                ));
            }
            Ok(window.num_seconds() as f64 / f64::from(count))
        }
    }
}

pub fn run(args: Args) -> i32 {
    if let Some(p) = args.usd_per_mtok
        && !(p.is_finite() && p >= 0.0)
    {
        eprintln!("error: --usd-per-mtok {p}: must be a non-negative number of US dollars");
        return exit::USAGE;
    }
    let (spec, problems) = match super::validate::load_for_report(&args.spec) {
        Ok(v) => v,
        Err(code) => return code,
    };
    for p in &problems {
        eprintln!("warning: {}: {p}", args.spec);
    }
    let (interval, note) = match spec.cadence.as_deref().map(interval_secs) {
        None => (None, None),
        Some(Ok(s)) => (Some(s), None),
        Some(Err(e)) => (None, Some(format!("{e}; runs per day unknown"))),
    };
    let est = estimate_cost(&spec, interval, note, args.usd_per_mtok);
    if args.json {
        io::print_json_pretty(&est);
    } else {
        let opt = |v: Option<String>| v.unwrap_or_else(|| "unknown".into());
        outln!("{} [{}]", esc(&spec.id), esc(&spec.kind));
        outln!(
            "  per run: {} tokens, {}",
            est.per_run_tokens,
            opt(est.per_run_cost_usd.map(|c| format!("${c:.2}")))
        );
        outln!(
            "  per day: {} runs, {} tokens, {}",
            opt(est.runs_per_day.map(|r| r.to_string())),
            opt(est.per_day_tokens.map(|t| t.to_string())),
            opt(est.per_day_cost_usd.map(|c| format!("${c:.2}")))
        );
        outln!(
            "  caps: {} tokens, {} per run — {}",
            opt(est.budget_cap_tokens.map(|t| t.to_string())),
            opt(est.budget_cap_usd.map(|c| format!("${c:.2}"))),
            if est.over_budget() {
                "OVER BUDGET"
            } else {
                "within budget"
            }
        );
        for n in &est.notes {
            outln!("  note: {}", esc(n));
        }
    }
    if est.over_budget() { 1 } else { exit::OK }
}

#[cfg(test)]
mod tests {
    use super::interval_secs;

    #[test]
    fn intervals() {
        assert_eq!(interval_secs("30m"), Ok(1_800.0));
        assert_eq!(interval_secs("1d"), Ok(86_400.0));
        assert_eq!(interval_secs(" 2h "), Ok(7_200.0));
        assert_eq!(interval_secs("weekly"), Ok(604_800.0));
        assert_eq!(interval_secs("0 3 * * *"), Ok(86_400.0));
        assert_eq!(interval_secs("@daily"), Ok(86_400.0));
        assert_eq!(interval_secs("@hourly"), Ok(3_600.0));
        // Weekdays at 03:00: 20 runs in four weeks.
        assert_eq!(interval_secs("0 3 * * 1-5"), Ok(28.0 * 86_400.0 / 20.0));
        assert!(interval_secs("d").is_err());
        assert!(interval_secs("5y").is_err());
        assert!(interval_secs("0m").is_err());
    }
}
