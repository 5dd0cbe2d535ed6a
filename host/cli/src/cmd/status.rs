//! `strive status [DIR]`: one screen of every loop — phase, last result and when, next due,
//! halted or not, budget spent and left, and the top lines of its last report.
//!
//! Guarantees: read-only. Loops are the union of the specs in DIR and the sections in the
//! state store; a state store that cannot be read is exit 64, never an empty screen. Every
//! string from the store or a spec is escaped before it reaches the terminal. With `--json`
//! the same facts as one object, including which project, state and specs were read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use strive_core::exit;
use strive_scheduler::ScheduledSpec;
use strive_scheduler::record::SchedRecord;
use strive_scheduler::spec::parse_instant;

use crate::project::Project;
use crate::ui::{self, Tone, esc, paint};

/// One screen of every loop: phase, last result and when, next due, halted, budget, report.
///
/// Loops come from the specs in DIR (default: the project's `loops/` directory, when it
/// exists) and from the state store (default: the project's `.loop-state/state.json`; the
/// project is the nearest directory upward holding `.strive/` or `.loop-state/`).
///
/// Exit codes: 0 shown, 64 a state store or DIR that cannot be read.
///
/// Examples:
///   strive status
///   strive status loops/ --json
///   strive status --state /srv/loops/.loop-state/state.json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Directory of loop specs (for cadence, phase and budget caps).
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,
    /// State to read: a state.json path or a postgres:// URL.
    #[arg(long, value_name = "PATH|URL")]
    state: Option<String>,
    /// The clock for "next due" and "ago" (RFC 3339); default: now.
    #[arg(long)]
    now: Option<String>,
    /// Print one JSON object instead of the screen.
    #[arg(long)]
    json: bool,
}

/// What the screen shows of one loop.
#[derive(Default)]
struct Row {
    id: String,
    kind: Option<String>,
    phase: Option<String>,
    cadence: Option<String>,
    paused: bool,
    last_result: Option<String>,
    last_run: Option<String>,
    last_run_id: Option<String>,
    next_due: Option<String>,
    halted: Option<Value>,
    tokens_spent: u64,
    max_tokens: Option<u64>,
    note: String,
    top: Vec<String>,
}

pub fn run(args: Args) -> i32 {
    let now = match args.now.as_deref().map(parse_instant).transpose() {
        Ok(now) => now.unwrap_or_else(Utc::now),
        Err(e) => {
            eprintln!("error: --now: {e}");
            return exit::USAGE;
        }
    };
    let project = Project::discover(args.dir.as_deref());
    let dir = args.dir.clone().or_else(|| {
        let d = project.root.join("loops");
        d.is_dir().then_some(d)
    });
    let state = project.state(args.state.as_deref(), None);
    project.announce(Some(&state), false);
    let specs: Vec<ScheduledSpec> = match &dir {
        None => Vec::new(),
        Some(dir) => match crate::wiring::load_specs(dir) {
            Ok(loaded) => loaded.specs,
            Err(code) => return code,
        },
    };
    let store = match super::io::open_store(Path::new(&state.location)) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let sections = match store.all_sections() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let rows = match rows(&specs, &sections, now) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let inbox = match strive_scheduler::inbox::list(store.as_ref(), None) {
        Ok(items) => items.len(),
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    if args.json {
        let mut project_json = project.json(Some(&state), false);
        project_json["specs"] = json!(dir.as_ref().map(|d| d.display().to_string()));
        super::io::print_json(&json!({
            "project": project_json,
            "now": strive_scheduler::tick::stamp(now),
            "loops": rows.iter().map(row_json).collect::<Vec<_>>(),
            "inbox": inbox,
        }));
        return exit::OK;
    }
    print_screen(&rows, inbox, now, &store.describe());
    exit::OK
}

fn rows(
    specs: &[ScheduledSpec],
    sections: &BTreeMap<String, Value>,
    now: DateTime<Utc>,
) -> Result<Vec<Row>, strive_state::StoreError> {
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    for spec in specs {
        let row = rows.entry(spec.id.clone()).or_default();
        row.id = spec.id.clone();
        row.kind = Some(spec.kind.clone());
        row.phase = spec.phase.map(|p| p.to_string());
        row.cadence = spec.cadence.as_ref().map(|c| c.text().to_string());
        row.paused = spec.paused;
        row.max_tokens = spec
            .document
            .pointer("/budget/max_tokens")
            .and_then(Value::as_u64);
    }
    for (key, section) in sections {
        if key.contains("::") {
            continue;
        }
        let row = rows.entry(key.clone()).or_default();
        row.id = key.clone();
        let text = |k: &str| section.get(k).and_then(Value::as_str).map(str::to_string);
        if row.phase.is_none() {
            row.phase = text("phase");
        }
        row.last_result = text("last_result");
        row.last_run = text("last_run");
        row.last_run_id = text("last_run_id");
        row.note = text("note").unwrap_or_default();
        row.tokens_spent = section
            .get("tokens_spent")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        if let Some(findings) = section.get("findings").and_then(Value::as_array) {
            let mut sorted: Vec<&Value> = findings.iter().collect();
            sorted.sort_by_key(|f| f.get("bucket").and_then(Value::as_str) != Some("high"));
            for f in sorted.into_iter().take(3) {
                let bucket = f.get("bucket").and_then(Value::as_str).unwrap_or("");
                let title = f.get("text").and_then(Value::as_str).unwrap_or("");
                let sha = f.get("sha").and_then(Value::as_str).unwrap_or("");
                let sha = &sha[..sha.len().min(10)];
                row.top.push(format!("{bucket} {title} ({sha})"));
            }
            if findings.len() > 3 {
                row.top.push(format!("… {} more", findings.len() - 3));
            }
        }
    }
    for row in rows.values_mut() {
        let record = SchedRecord::from_section(
            &row.id,
            sections.get(&strive_scheduler::record::record_key(&row.id)),
        )?;
        row.halted = record
            .halted
            .as_ref()
            .map(|h| json!({"kind": h.kind, "detail": h.detail, "since": h.since}));
        let spec = specs.iter().find(|s| s.id == row.id);
        row.next_due = spec.and_then(|s| {
            let cadence = s.cadence.as_ref()?;
            match record.last_run_at() {
                None => Some(strive_scheduler::tick::stamp(now)),
                Some(last) => cadence.next_after(last).map(strive_scheduler::tick::stamp),
            }
        });
        if row.last_result.is_none() {
            row.last_result = record.last_result.clone();
            row.last_run = record.last_run.clone();
        }
    }
    Ok(rows.into_values().collect())
}

fn row_json(row: &Row) -> Value {
    json!({
        "id": row.id,
        "kind": row.kind,
        "phase": row.phase,
        "cadence": row.cadence,
        "paused": row.paused,
        "last_result": row.last_result,
        "last_run": row.last_run,
        "last_run_id": row.last_run_id,
        "next_due": row.next_due,
        "halted": row.halted,
        "tokens_spent": row.tokens_spent,
        "max_tokens": row.max_tokens,
        "tokens_left": row.max_tokens.map(|m| m.saturating_sub(row.tokens_spent)),
        "note": row.note,
        "top": row.top,
    })
}

/// "3h ago", "in 20m", "now".
fn relative(at: &str, now: DateTime<Utc>) -> String {
    let Ok(at) = parse_instant(at).or_else(|_| {
        chrono::NaiveDateTime::parse_from_str(at, "%Y%m%dT%H%M%SZ")
            .map(|t| t.and_utc())
            .map_err(|e| e.to_string())
    }) else {
        return esc(at).into_owned();
    };
    let secs = (at - now).num_seconds();
    let span = |s: i64| {
        let s = s.abs();
        match s {
            0..60 => format!("{s}s"),
            60..3_600 => format!("{}m", s / 60),
            3_600..172_800 => format!("{}h", s / 3_600),
            _ => format!("{}d", s / 86_400),
        }
    };
    match secs {
        -59..=59 if secs <= 0 => "now".to_string(),
        s if s < 0 => format!("{} ago", span(s)),
        s => format!("in {}", span(s)),
    }
}

fn print_screen(rows: &[Row], inbox: usize, now: DateTime<Utc>, described: &str) {
    if rows.is_empty() {
        outln!(
            "no loops yet in {} — run one with `strive run loops/LOOP.json`",
            esc(described)
        );
        return;
    }
    let width = rows.iter().map(|r| r.id.chars().count()).max().unwrap_or(4);
    for row in rows {
        let result = row.last_result.as_deref().unwrap_or("never run");
        let when = row
            .last_run
            .as_deref()
            .map(|t| format!(" {}", relative(t, now)))
            .unwrap_or_default();
        let next = if row.paused {
            "paused".to_string()
        } else if row.halted.is_some() {
            "halted".to_string()
        } else {
            match (&row.next_due, &row.cadence) {
                (Some(due), _) => format!("next {}", relative(due, now)),
                (None, Some(c)) => format!("cadence {}", esc(c)),
                (None, None) => "by hand".to_string(),
            }
        };
        let budget = match row.max_tokens {
            Some(0) | None if row.tokens_spent == 0 => "no tokens".to_string(),
            Some(max) => format!(
                "tokens {} of {max} ({} left)",
                row.tokens_spent,
                max.saturating_sub(row.tokens_spent)
            ),
            None => format!("tokens {} (no cap)", row.tokens_spent),
        };
        outln!(
            "{:<width$}  {:<2}  {}{when} · {next} · {budget}",
            esc(&row.id),
            esc(row.phase.as_deref().unwrap_or("-")),
            paint(ui::result_tone(result), &esc(result)),
        );
        if let Some(h) = &row.halted {
            let detail = h.get("detail").and_then(Value::as_str).unwrap_or("");
            outln!(
                "    {} {} — lift with `strive resume {}`",
                paint(Tone::Bad, "halted:"),
                esc(detail),
                esc(&row.id)
            );
        }
        if !row.note.is_empty() {
            outln!("    {}", paint(Tone::Dim, &esc(&row.note)));
        }
        for line in &row.top {
            outln!("    {}", esc(line));
        }
    }
    if inbox > 0 {
        outln!("inbox: {inbox} notification(s) — see `strive serve`");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_times() {
        let now = parse_instant("2026-11-24T09:00:00Z").unwrap();
        assert_eq!(relative("2026-11-24T06:00:00Z", now), "3h ago");
        assert_eq!(relative("2026-11-24T09:20:00Z", now), "in 20m");
        assert_eq!(relative("20261124T085959Z", now), "now");
        assert_eq!(relative("2026-11-20T09:00:00Z", now), "4d ago");
        assert_eq!(relative("bad\x1b", now), "bad\\x1b");
    }
}
