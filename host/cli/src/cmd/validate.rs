//! `strive validate SPEC...`: check loop specs against the schema and the semantic rules.

use serde::Serialize;
use strive_core::exit;
use strive_spec::{Checks, Problem};

use super::io;

/// Check loop specs (loop.json) against schemas/loop.schema.json and the rules the schema
/// cannot express (phase vs kind, custom kinds, connector scopes, duplicate refs).
///
/// Every problem is printed as `error: FILE: /json/path: what is wrong — how to fix it`.
/// Exit 0 when every spec is valid, 64 otherwise (or when a file cannot be read).
///
/// Examples:
///   strive validate loops/nightly-triage.json
///   strive validate loops/*.json
///   strive validate --json loops/fix.json | jq '.specs[].problems'
///   cat loop.json | strive validate -
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Spec files to check (`-` reads standard input).
    #[arg(required = true, value_name = "SPEC")]
    specs: Vec<String>,
    /// Print one JSON object: {"valid", "specs": [{"path", "valid", "id", "kind", "phase", "problems"}]}.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct SpecReport {
    path: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    phase: Option<String>,
    problems: Vec<Problem>,
}

/// The checks every verb applies when it loads a spec.
pub fn checks() -> Checks<'static> {
    // TODO(plugins): pass `kind_installed` from the plugin registry.
    Checks {
        cadence: Some(&strive_scheduler::spec::check_cadence),
        stop_after: Some(&strive_scheduler::spec::check_stop_after),
        ..Checks::default()
    }
}

/// Load a spec for a report (`cost`, `audit`): the typed spec plus its validation problems.
/// A spec too broken to read as a loop spec at all is reported and becomes exit 64.
pub fn load_for_report(path: &str) -> Result<(strive_spec::LoopSpec, Vec<Problem>), i32> {
    let text = io::read_text(Some(path))?;
    let raw: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {path}: (top level): not valid JSON ({e}) — fix the JSON syntax");
            return Err(exit::USAGE);
        }
    };
    let problems = strive_spec::validate(&raw, &checks())
        .err()
        .unwrap_or_default();
    match serde_json::from_value(raw) {
        Ok(spec) => Ok((spec, problems)),
        Err(e) => {
            for p in &problems {
                eprintln!("error: {path}: {p}");
            }
            if problems.is_empty() {
                eprintln!("error: {path}: not a loop spec ({e}) — see docs/loop-spec.md");
            }
            Err(exit::USAGE)
        }
    }
}

pub fn run(args: Args) -> i32 {
    let mut reports = Vec::new();
    for path in &args.specs {
        let origin = if path == "-" {
            "<stdin>"
        } else {
            path.as_str()
        };
        let report = match io::read_text(Some(path)) {
            Err(_) => SpecReport {
                path: origin.to_string(),
                valid: false,
                id: None,
                kind: None,
                phase: None,
                problems: vec![Problem {
                    pointer: String::new(),
                    message: "cannot read the file".into(),
                    fix: "check the path and that it is UTF-8 text".into(),
                }],
            },
            Ok(text) => match strive_spec::parse(&text, origin, &checks()) {
                Ok((spec, _)) => SpecReport {
                    path: origin.to_string(),
                    valid: true,
                    id: Some(spec.id),
                    kind: Some(spec.kind),
                    phase: Some(spec.phase.to_string()),
                    problems: Vec::new(),
                },
                Err(e) => {
                    if !args.json {
                        eprintln!("{e}");
                    }
                    SpecReport {
                        path: origin.to_string(),
                        valid: false,
                        id: None,
                        kind: None,
                        phase: None,
                        problems: e.problems,
                    }
                }
            },
        };
        if !args.json && report.valid {
            outln!(
                "ok: {} ({} {} {})",
                report.path,
                report.id.as_deref().unwrap_or(""),
                report.kind.as_deref().unwrap_or(""),
                report.phase.as_deref().unwrap_or("")
            );
        }
        reports.push(report);
    }
    let valid = reports.iter().all(|r| r.valid);
    if args.json {
        io::print_json(&serde_json::json!({"valid": valid, "specs": reports}));
    }
    if valid { exit::OK } else { exit::USAGE }
}
