//! `strive cost SPEC`: per-run and per-day token and cost estimate against the budget caps.

use strive_core::exit;
use strive_spec::authoring::estimate_cost;

use super::io;

/// Estimate a loop's token use and cost per run and per day, against budget.max_tokens and
/// budget.max_cost_usd.
///
/// Token figures use fixed per-kind assumptions (triage 3,000; assisted-fix 30,000 per
/// attempt; plugin kinds 5,000). USD figures need a price: pass --usd-per-mtok (blended US
/// dollars per million tokens for the spec's model); without it they are null. Loops without
/// an LLM maker cost nothing.
///
/// Exit 1 when an estimate exceeds a cap, 0 otherwise, 64 when the spec cannot be read.
///
/// Examples:
///   strive cost loops/nightly-triage.json
///   strive cost loops/fix-parser.json --usd-per-mtok 3.0
///   strive cost --json loops/fix-parser.json | jq .per_day_tokens
#[derive(clap::Args)]
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

/// Seconds between runs for the interval cadences the earlier tool accepted
/// (`<n>s|m|h|d`), plus `w`, `hourly`, `daily` and `weekly`.
// TODO(scheduler): replace with the scheduler's cadence parser (which also reads cron).
fn interval_secs(cadence: &str) -> Result<f64, String> {
    let c = cadence.trim().to_ascii_lowercase();
    match c.as_str() {
        "hourly" => return Ok(3_600.0),
        "daily" => return Ok(86_400.0),
        "weekly" => return Ok(604_800.0),
        _ => {}
    }
    let split = c.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(c.len());
    let (num, unit) = c.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("cadence \"{cadence}\" is not an interval such as 30m or 1d"))?;
    let unit_secs = match unit.trim() {
        "s" => 1.0,
        "m" => 60.0,
        "h" => 3_600.0,
        "d" => 86_400.0,
        "w" => 604_800.0,
        _ => {
            return Err(format!(
                "cadence \"{cadence}\": unknown unit (use s, m, h, d or w)"
            ));
        }
    };
    if n <= 0.0 {
        return Err(format!(
            "cadence \"{cadence}\": the interval must be longer than zero"
        ));
    }
    Ok(n * unit_secs)
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
        println!("{} [{}]", spec.id, spec.kind);
        println!(
            "  per run: {} tokens, {}",
            est.per_run_tokens,
            opt(est.per_run_cost_usd.map(|c| format!("${c:.2}")))
        );
        println!(
            "  per day: {} runs, {} tokens, {}",
            opt(est.runs_per_day.map(|r| r.to_string())),
            opt(est.per_day_tokens.map(|t| t.to_string())),
            opt(est.per_day_cost_usd.map(|c| format!("${c:.2}")))
        );
        println!(
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
            println!("  note: {n}");
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
        assert!(interval_secs("0 3 * * *").is_err());
        assert!(interval_secs("d").is_err());
        assert!(interval_secs("5y").is_err());
        assert!(interval_secs("0m").is_err());
    }
}
