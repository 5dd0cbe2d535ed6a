//! `strive audit SPEC`: score a spec and say the highest phase it is structurally ready for.

use strive_spec::authoring::{AuditInputs, TaskScan, audit};

use super::io;
use crate::ui::esc;

/// Score a loop spec against what an unattended loop needs — trigger, verifier, external
/// state, stop/escalate rule, budget cap, maker, L3 allowlist, task injection scan,
/// connector scopes — and say the highest phase (L0–L3) it is structurally ready for.
///
/// The spec goes through the same check as `validate` and `run`; what the machine lacks (the
/// target repository, a ref, the maker's key) counts against readiness too. The task brief is
/// scanned for prompt injection.
///
/// Exit 1 when the spec declares a higher phase than it is ready for, 0 otherwise, 64 when
/// it cannot be read as a loop spec at all. An invalid spec is audited too (it is ready for
/// L0 only) so the report shows everything that is missing.
///
/// Examples:
///   strive audit loops/nightly-triage.json
///   strive audit --json loops/fix-docs.json | jq .ready_for
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop spec.
    spec: String,
    /// Print JSON: {loop_id, kind, declared_phase, ready_for, score, checks[{name, ok, detail}], suggestions}.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> i32 {
    let (spec, problems) = match super::validate::load_for_report(&args.spec) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let scan = |text: &str| -> Result<TaskScan, String> {
        let report = strive_core::injection::scan(text);
        Ok(if report.flagged {
            TaskScan::Flagged(report.signals.iter().map(|s| s.id.to_string()).collect())
        } else {
            TaskScan::Clean
        })
    };
    let cadence_ok = spec
        .cadence
        .as_deref()
        .map(strive_scheduler::spec::check_cadence);
    let report = audit(
        &spec,
        &AuditInputs {
            problems,
            scan: Some(&scan),
            cadence_ok,
        },
    );
    if args.json {
        io::print_json_pretty(&report);
    } else {
        outln!(
            "{} [{}] — score {}/100",
            esc(&report.loop_id),
            esc(&report.kind),
            report.score
        );
        outln!(
            "  declares {}, structurally ready for {}",
            report.declared_phase,
            report.ready_for
        );
        for c in &report.checks {
            outln!(
                "  [{}] {}: {}",
                if c.ok { "x" } else { " " },
                c.name,
                esc(&c.detail)
            );
        }
        for s in &report.suggestions {
            outln!("  → {}", esc(s));
        }
    }
    if report.overclaims() { 1 } else { 0 }
}
