//! `strive report LOOP`: print a kept triage report again — the latest, one run's, or a digest
//! of every run since a date — as text, Markdown or JSON.
//!
//! Guarantees: read-only. Reports come from the run log (every accepted run keeps its report
//! document in its row), so a clean run never hides yesterday's report: without `--run` the
//! newest run that reported something is printed, and newer clean runs are named above it.
//! Human output is escaped ([`strive_runtime::triage_report`]). Exit 0 printed; 64 for an
//! unreadable store, an unknown loop, a `--run` id the log does not hold, or a bad `--since`.

use std::path::Path;

use serde_json::Value;
use strive_core::exit;
use strive_runtime::triage_report::{self, digest, render_markdown, render_text};

use super::io::print_json;
use crate::project::Project;
use crate::ui::esc;

/// How a report is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// For a terminal: high and watch lines with reasons, noise as counts.
    Text,
    /// Sections per category, links to the forge (from the remote URL): paste into an issue.
    Markdown,
    /// The report document, for scripts.
    Json,
}

/// Print a loop's kept report again: the newest, one run's (--run), or a digest (--since, --digest).
///
/// Every accepted run keeps its report in the run log, with each finding's category, reasons,
/// author, line counts and PR/issue references; clean runs do not replace it. Without --run or
/// --since the newest run that reported something is printed (newer clean runs are named
/// first). --since DATE (YYYY-MM-DD, or `7 days ago`) merges every run since then into one
/// report, a commit listed once; --digest is --since "7 days ago". Markdown links each short
/// SHA, pull request and issue to the forge of the repository's `origin` remote (GitHub,
/// GitLab, Gitea/Forgejo/Codeberg; plain hosts get no links).
///
/// Exit codes: 0 printed, 64 unknown loop or run, unreadable store, or a --since that is not a date.
///
/// Examples:
///   strive report self-triage
///   strive report self-triage --format markdown > triage.md
///   strive report self-triage --run 20260101T070000Z-1a2b3c4d --format json
///   strive report self-triage --digest --format markdown
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop id.
    #[arg(value_name = "LOOP")]
    loop_id: String,
    /// This run's report (run ids are in `strive log` and `strive run --json`).
    #[arg(long, value_name = "ID", conflicts_with_all = ["since", "digest"])]
    run: Option<String>,
    /// Every run since DATE, merged (YYYY-MM-DD or `N days ago`).
    #[arg(long, value_name = "DATE", conflicts_with = "digest")]
    since: Option<String>,
    /// The last seven days, merged (same as --since "7 days ago").
    #[arg(long)]
    digest: bool,
    /// text, markdown or json.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// State to read: a state.json path or a postgres:// URL (default: the project's).
    #[arg(long, value_name = "PATH|URL")]
    state: Option<String>,
}

/// `YYYY-MM-DD` or `N day(s)/week(s) ago` → the `YYYY-MM-DDTHH:MM:SSZ` stamp it starts at.
pub fn since_stamp(expr: &str, now_unix: i64) -> Option<String> {
    let e = expr.trim().to_ascii_lowercase();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(&e, "%Y-%m-%d") {
        return Some(format!("{}T00:00:00Z", d.format("%Y-%m-%d")));
    }
    let mut it = e.split_whitespace();
    let n: i64 = it.next()?.parse().ok()?;
    let unit = it.next()?;
    if !matches!(it.next(), None | Some("ago")) || it.next().is_some() || n < 0 {
        return None;
    }
    let secs = match unit.trim_end_matches('s') {
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        _ => return None,
    };
    Some(strive_runtime::records::utc_stamp(
        now_unix.checked_sub(n.checked_mul(secs)?)?,
    ))
}

pub fn print(doc: &Value, format: Format) {
    match format {
        Format::Json => print_json(doc),
        Format::Text => out!("{}", render_text(doc)),
        Format::Markdown => out!("{}", render_markdown(doc)),
    }
}

pub fn run(args: Args) -> i32 {
    let project = Project::discover(None);
    let state = project.state(args.state.as_deref(), None);
    project.announce(Some(&state), false);
    let store = match super::io::open_store(Path::new(&state.location)) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let rows = match store.read_runlog(Some(&args.loop_id)) {
        Ok(rows) => rows,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    if rows.is_empty() {
        eprintln!(
            "error: no runs of loop {:?} in {}; check the id with `strive status`",
            esc(&args.loop_id),
            esc(&store.describe())
        );
        return exit::USAGE;
    }
    let with_report: Vec<&Value> = rows
        .iter()
        .filter(|r| r.get("report").is_some_and(Value::is_object))
        .collect();

    if let Some(id) = &args.run {
        let Some(row) = rows.iter().find(|r| r["run_id"].as_str() == Some(id)) else {
            eprintln!(
                "error: loop {:?} has no run {:?}; `strive log {}` lists its runs",
                esc(&args.loop_id),
                esc(id),
                esc(&args.loop_id)
            );
            return exit::USAGE;
        };
        let Some(doc) = row.get("report").filter(|d| d.is_object()) else {
            eprintln!(
                "error: run {:?} kept no report (result {}: {}); only accepted runs do",
                esc(id),
                esc(row["result"].as_str().unwrap_or("?")),
                esc(row["note"].as_str().unwrap_or(""))
            );
            return exit::USAGE;
        };
        print(doc, args.format);
        return exit::OK;
    }

    let since = match (&args.since, args.digest) {
        (Some(s), _) => Some(s.clone()),
        (None, true) => Some("7 days ago".to_string()),
        (None, false) => None,
    };
    if let Some(expr) = since {
        let now = chrono::Utc::now().timestamp();
        let Some(stamp) = since_stamp(&expr, now) else {
            eprintln!(
                "error: --since {:?}: use a date such as 2026-01-31 or \"7 days ago\"",
                esc(&expr)
            );
            return exit::USAGE;
        };
        let docs: Vec<Value> = with_report
            .iter()
            .filter(|r| r["ts"].as_str().is_some_and(|ts| ts >= stamp.as_str()))
            .map(|r| r["report"].clone())
            .collect();
        let doc = digest(&args.loop_id, &stamp[..10], &docs);
        print(&doc, args.format);
        return exit::OK;
    }

    // The newest run that reported something; newer runs that found nothing are named first.
    let Some(pos) = with_report.iter().rposition(|r| {
        r["report"]["entries"]
            .as_array()
            .is_some_and(|e| !e.is_empty())
    }) else {
        let last = rows.last().expect("rows is not empty");
        let doc = last.get("report").cloned().unwrap_or_else(|| {
            serde_json::json!({"loop": args.loop_id, "run_id": last["run_id"], "ts": last["ts"],
                "note": last["note"], "counts": {}, "entries": []})
        });
        print(&doc, args.format);
        return exit::OK;
    };
    let doc = &with_report[pos]["report"];
    // The run log is append-only: the rows after this one are the newer runs.
    let at = rows
        .iter()
        .position(|r| r["run_id"] == with_report[pos]["run_id"])
        .unwrap_or(rows.len());
    let newer: Vec<&Value> = rows.iter().skip(at + 1).collect();
    if !newer.is_empty() && args.format != Format::Json {
        let last = newer.last().expect("not empty");
        let line = format!(
            "{} newer run(s) reported nothing new (last: {} at {}, {}: {}); the last report follows",
            newer.len(),
            last["run_id"].as_str().unwrap_or(""),
            last["ts"].as_str().unwrap_or(""),
            last["result"].as_str().unwrap_or(""),
            last["note"].as_str().unwrap_or("")
        );
        match args.format {
            Format::Markdown => outln!("> {}\n", triage_report::md_escape(&line)),
            _ => outln!("{}", esc(&line)),
        }
    }
    print(doc, args.format);
    exit::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_expressions() {
        assert_eq!(
            since_stamp("2026-01-31", 0).unwrap(),
            "2026-01-31T00:00:00Z"
        );
        assert_eq!(
            since_stamp("1 day ago", 86_400).unwrap(),
            "1970-01-01T00:00:00Z"
        );
        assert_eq!(
            since_stamp("2 weeks", 14 * 86_400).unwrap(),
            "1970-01-01T00:00:00Z"
        );
        for bad in ["yesterday", "2026-13-01", "-1 days", "3 fortnights", ""] {
            assert!(since_stamp(bad, 0).is_none(), "{bad}");
        }
    }
}
