//! `strive validate SPEC...`: check loop specs against the schema and the semantic rules.

use serde::Serialize;
use strive_core::exit;
use strive_spec::Problem;

use super::io;

/// Check loop specs (loop.json) with the same check `run`, `schedule`, `daemon` and `worker` use:
/// schemas/loop.schema.json, the rules the schema cannot express (phase vs kind, custom kinds
/// installed, cadence and stop_after readable, grants and maker types known, connector scopes,
/// duplicate refs), the plugin accepting the phase, and the test_command passing the guard.
/// What it accepts, `strive run` runs.
///
/// Every problem is printed as `error: FILE: /json/path: what is wrong — how to fix it`.
/// What the machine lacks — the target repository, a ref, the maker's key variable — is a
/// `warning:` (the spec is valid; a run would end escalated or in error and say why).
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
    /// Print one JSON object: {"valid", "specs": [{"path", "valid", "id", "kind", "phase", "problems", "warnings"}]}.
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
    /// What the machine lacks for the spec to run well (repository, refs, maker key).
    warnings: Vec<Problem>,
}

/// Load a spec for a report (`cost`, `audit`): the typed spec plus its problems — the one spec
/// check's errors, then its environment warnings. A spec too broken to read as a loop spec at
/// all is reported and becomes exit 64.
pub fn load_for_report(path: &str) -> Result<(strive_spec::LoopSpec, Vec<Problem>), i32> {
    let text = io::read_text(Some(path))?;
    let raw: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {path}: (top level): not valid JSON ({e}) — fix the JSON syntax");
            return Err(exit::USAGE);
        }
    };
    let problems = match check(raw.clone(), path) {
        Ok(checked) => checked.warnings,
        Err(problems) => problems,
    };
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
                warnings: Vec::new(),
            },
            Ok(text) => match parse_and_check(&text, origin) {
                Ok(checked) => {
                    let spec = checked.loaded.spec;
                    if !args.json {
                        for w in &checked.warnings {
                            eprintln!("warning: {origin}: {w}");
                        }
                    }
                    SpecReport {
                        path: origin.to_string(),
                        valid: true,
                        id: Some(spec.id),
                        kind: Some(spec.kind),
                        phase: Some(spec.phase.to_string()),
                        problems: Vec::new(),
                        warnings: checked.warnings,
                    }
                }
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
                        warnings: Vec::new(),
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

/// The one spec check (`crate::spec_check`) for a document read from `path`, with the
/// project's plugin registry.
pub fn check(
    raw: serde_json::Value,
    path: &str,
) -> Result<crate::spec_check::Checked, Vec<Problem>> {
    let file = std::path::Path::new(if path == "-" { "" } else { path });
    let project = crate::project::Project::discover((path != "-").then_some(file));
    let (registry_home, _) = project.registry();
    crate::spec_check::check_document(raw, file, &registry_home)
}

fn parse_and_check(
    text: &str,
    origin: &str,
) -> Result<crate::spec_check::Checked, strive_spec::SpecError> {
    let fail = |problems| strive_spec::SpecError {
        origin: origin.to_string(),
        problems,
    };
    let raw: serde_json::Value =
        serde_json::from_str(text).map_err(|e| fail(vec![Problem::json_syntax(&e)]))?;
    check(raw, origin).map_err(fail)
}
