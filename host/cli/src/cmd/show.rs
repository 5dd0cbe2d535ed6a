//! `strive show [LOOP]`: a loop's state section (or every section), for people or as JSON.
//!
//! Guarantees: read-only. A loop id the store does not hold is exit 64 naming the loops it
//! does hold (an empty state store holds none); a state file that cannot be read or parsed is
//! exit 64, never shown as empty. Human output escapes every string from the store.

use std::path::Path;

use serde_json::Value;
use strive_core::exit;

use super::io::print_json_pretty;
use crate::project::Project;
use crate::ui::{self, Tone, esc, paint};

/// Show the state a loop keeps between runs: cursors, findings, last result, notes.
///
/// The state store is the project's (the nearest directory upward holding `.strive/` or
/// `.loop-state/`) unless --state names one. Without --json a readable view; with --json
/// the section as stored (every section, keyed by id, when LOOP is omitted).
///
/// Exit codes: 0 shown, 64 an unknown loop id or a state store that cannot be read.
///
/// Examples:
///   strive show self-triage
///   strive show self-triage --json | jq .findings
///   strive show --state /tmp/state.json
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop id; omit to show every loop.
    #[arg(value_name = "LOOP")]
    loop_id: Option<String>,
    /// State to read: a state.json path or a postgres:// URL (default: the project's).
    #[arg(long, value_name = "PATH|URL")]
    state: Option<String>,
    /// Print the section as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> i32 {
    let project = Project::discover(None);
    let state = project.state(args.state.as_deref(), None);
    project.announce(Some(&state), false);
    let store = match super::io::open_store(Path::new(&state.location)) {
        Ok(store) => store,
        Err(code) => return code,
    };
    let all = match store.all_sections() {
        Ok(all) => all,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let Some(id) = &args.loop_id else {
        if args.json {
            print_json_pretty(&all);
        } else if all.is_empty() {
            outln!("no loops in {}", esc(&store.describe()));
        } else {
            for (id, section) in all.iter().filter(|(k, _)| !k.contains("::")) {
                print_section(id, section);
            }
        }
        return exit::OK;
    };
    let Some(section) = all.get(id) else {
        let known: Vec<String> = all
            .keys()
            .filter(|k| !k.contains("::"))
            .map(|k| esc(k).into_owned())
            .collect();
        eprintln!(
            "error: no loop {:?} in {} ({}); check the id with `strive status`",
            esc(id),
            esc(&store.describe()),
            if known.is_empty() {
                "it holds no loops yet".to_string()
            } else {
                format!("it holds: {}", known.join(", "))
            }
        );
        return exit::USAGE;
    };
    if args.json {
        print_json_pretty(section);
    } else {
        print_section(id, section);
    }
    exit::OK
}

/// A readable view of one section: the well-known fields first, then the rest as `key: value`.
fn print_section(id: &str, section: &Value) {
    let text = |k: &str| section.get(k).and_then(Value::as_str).unwrap_or("");
    let result = text("last_result");
    outln!(
        "{}  {}  {}  {}",
        paint(Tone::Bold, &esc(id)),
        esc(text("phase")),
        paint(ui::result_tone(result), &esc(result)),
        esc(text("last_run"))
    );
    if !text("note").is_empty() {
        outln!("  note: {}", esc(text("note")));
    }
    if !text("last_run_id").is_empty() {
        outln!(
            "  run:  {}  (strive audit-log verify {})",
            esc(text("last_run_id")),
            esc(text("last_run_id"))
        );
    }
    if let Some(findings) = section.get("findings").and_then(Value::as_array) {
        outln!("  findings: {}", findings.len());
        for f in findings {
            let field = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("");
            let sha = field("sha");
            outln!(
                "    {:<5} {} ({})",
                esc(field("bucket")),
                esc(field("text")),
                esc(&sha[..sha.len().min(10)])
            );
        }
    }
    if let Some(notes) = section.get("notes").and_then(Value::as_array) {
        outln!("  notes:");
        for n in notes {
            outln!("    - {}", esc(&plain(n)));
        }
    }
    let known = [
        "phase",
        "last_run",
        "last_result",
        "note",
        "last_run_id",
        "findings",
        "notes",
    ];
    if let Some(map) = section.as_object() {
        for (key, value) in map.iter().filter(|(k, _)| !known.contains(&k.as_str())) {
            outln!("  {}: {}", esc(key), esc(&plain(value)));
        }
    }
}

/// A value as one line: strings bare, everything else as compact JSON.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
