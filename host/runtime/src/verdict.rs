//! The host's verdict on a run: one function for every loop kind.
//!
//! Guarantees — the host's records decide; the plugin's claim only chooses among what they allow:
//! - What the host already did always counts: injection or tampering found by the fix context
//!   ⇒ `escalated`; a fast-forward through the merge gate ⇒ `merged` (also when the plugin
//!   failed afterwards).
//! - A host-side escalation (`escalation.escalate`) ⇒ `escalated`.
//! - A claim of `proposed` or `merged` needs a verified commit the host made on a proposal
//!   branch ⇒ `proposed` (`merged` only ever comes from the gate); without one ⇒ `error`
//!   ("invalid run").
//! - A claim of `clean` or `found` after the host committed a verified tree ⇒ `error`: the
//!   branch exists, so the run must say `proposed`.
//! - Otherwise the report is judged by its citations: one fabricated SHA or verification gap ⇒
//!   `error`; a citation that cannot be checked ⇒ `escalated`; else `found` with a high or
//!   watch finding, `clean` without.

use std::path::Path;

use crate::bindings::v0_1::Outcome;
use crate::bindings::v0_1::strive::loops::types::RunResult as Claim;
use crate::caps::FixOutcome;
use crate::citations::{self, CitationVerdict};
use crate::report::{RunReport, RunResult};

/// The verdict on a run whose plugin returned `claim`.
pub fn judge(
    claim: &Claim,
    escalation: Option<&str>,
    fix: Option<&FixOutcome>,
    repo: Option<&Path>,
    report: &mut RunReport,
) -> (RunResult, String) {
    if let Some(done) = fix.and_then(host_outcome) {
        return done;
    }
    if let Some(reason) = escalation {
        return (RunResult::Escalated, reason.to_string());
    }
    match claim.outcome {
        Outcome::Error => (RunResult::Error, claim.note.clone()),
        Outcome::Escalated => (RunResult::Escalated, with_budget(&claim.note, fix)),
        Outcome::Proposed | Outcome::Merged => proposal(claim, fix),
        Outcome::Clean | Outcome::Found => match fix.and_then(|f| f.branch.as_ref()) {
            Some(branch) if fix.is_some_and(|f| f.commit.is_some()) => (
                RunResult::Error,
                format!(
                    "invalid run: the host committed a verified tree on {branch} but the plugin claimed `{}`; a run that leaves a branch claims `proposed`",
                    outcome_name(claim.outcome)
                ),
            ),
            _ => judge_report(claim, repo, report),
        },
    }
}

/// The verdict when the plugin trapped or hit a limit: what the host already did still counts
/// (a merge stays a merge, tampering stays escalated), otherwise `error`.
pub fn judge_failed(fix: Option<&FixOutcome>, reason: &str) -> (RunResult, String) {
    if let Some(fix) = fix {
        if let Some(note) = fix.injection.as_ref().or(fix.tampering.as_ref()) {
            return (RunResult::Escalated, note.clone());
        }
        if let Some(m) = &fix.merged {
            return (
                RunResult::Merged,
                format!(
                    "auto-merged into {}; then the plugin failed: {reason}",
                    m.base_ref
                ),
            );
        }
    }
    (RunResult::Error, format!("plugin failed: {reason}"))
}

/// Injection, tampering or a merge: facts of the host's own records that no claim overrides.
fn host_outcome(fix: &FixOutcome) -> Option<(RunResult, String)> {
    if let Some(note) = fix.injection.as_ref().or(fix.tampering.as_ref()) {
        return Some((RunResult::Escalated, note.clone()));
    }
    fix.merged.as_ref().map(|m| {
        (
            RunResult::Merged,
            format!(
                "auto-merged into {} (allowlist: {} files, {} lines)",
                m.base_ref, m.files, m.lines
            ),
        )
    })
}

fn with_budget(note: &str, fix: Option<&FixOutcome>) -> String {
    match fix.and_then(|f| f.budget.as_ref()) {
        Some(b) if !note.contains(b.as_str()) => format!("{note} ({b})"),
        _ => note.to_string(),
    }
}

fn proposal(claim: &Claim, fix: Option<&FixOutcome>) -> (RunResult, String) {
    let Some((fix, branch, commit)) =
        fix.and_then(|f| Some((f, f.branch.as_ref()?, f.commit.as_ref()?)))
    else {
        return (
            RunResult::Error,
            format!(
                "invalid run: the plugin claimed `{}` but committed no verified tree through the host",
                outcome_name(claim.outcome)
            ),
        );
    };
    let mut note = if claim.note.trim().is_empty() {
        format!(
            "tests pass; branch {branch} ({}) left for human review",
            &commit[..commit.len().min(12)]
        )
    } else {
        claim.note.clone()
    };
    if let Some(declined) = &fix.merge_declined
        && !note.contains(declined.as_str())
    {
        note = format!("{note}; not merged: {declined}");
    }
    (RunResult::Proposed, note)
}

/// The longest the host waits for its own citation check after a run (libgit2 can hang on a
/// corrupt object; see [`crate::gitread::bounded`]).
const CITATION_CHECK_LIMIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Check `cited` against `path`, bounded: a check that does not finish makes every citation
/// unverifiable (the run escalates), never grounded.
fn checked_in_time(path: &Path, cited: Vec<String>) -> Vec<citations::Check> {
    let owned = path.to_path_buf();
    let shas = cited.clone();
    let deadline = std::time::Instant::now() + CITATION_CHECK_LIMIT;
    match crate::gitread::bounded::read_once(path, deadline, move |_| {
        Ok(citations::check_at(&owned, &shas))
    }) {
        Ok(checks) => checks,
        Err(e) => cited
            .into_iter()
            .map(|sha| citations::Check {
                sha,
                verdict: CitationVerdict::Unverifiable,
                detail: crate::host::describe(&e),
                commit: None,
            })
            .collect(),
    }
}

/// A report's verdict from its citations (see the module docs).
fn judge_report(claim: &Claim, repo: Option<&Path>, report: &mut RunReport) -> (RunResult, String) {
    // First-seen order, de-duplicated in linear time.
    let mut seen = std::collections::HashSet::new();
    let mut cited: Vec<String> = Vec::new();
    for f in &report.findings {
        for sha in &f.cites {
            if seen.insert(sha.as_str()) {
                cited.push(sha.clone());
            }
        }
    }
    if !cited.is_empty() {
        report.citations = match repo {
            Some(path) => checked_in_time(path, cited),
            None => cited
                .iter()
                .map(|s| citations::Check {
                    sha: s.clone(),
                    verdict: CitationVerdict::Unverifiable,
                    detail: "the loop has no target repository to check citations against".into(),
                    commit: None,
                })
                .collect(),
        };
    }
    let with = |v: CitationVerdict| -> Vec<&citations::Check> {
        report.citations.iter().filter(|c| c.verdict == v).collect()
    };
    let fabricated = with(CitationVerdict::Fabricated);
    let gaps = with(CitationVerdict::Gap);
    if !fabricated.is_empty() || !gaps.is_empty() {
        let mut parts = Vec::new();
        if !fabricated.is_empty() {
            let shas: Vec<&str> = fabricated.iter().map(|c| c.sha.as_str()).collect();
            parts.push(format!("fabricated SHAs [{}]", shas.join(", ")));
        }
        for g in gaps {
            parts.push(format!("verification gap: {}", g.detail));
        }
        return (
            RunResult::Error,
            format!("invalid run: {}", parts.join("; ")),
        );
    }
    let unverifiable = with(CitationVerdict::Unverifiable);
    if let Some(first) = unverifiable.first() {
        return (
            RunResult::Escalated,
            format!(
                "could not verify {} cited SHA(s) — escalate, do not treat as clean: {}",
                unverifiable.len(),
                first.detail
            ),
        );
    }
    let actionable = report.count("high") + report.count("watch");
    let kind = if actionable > 0 {
        RunResult::Found
    } else {
        RunResult::Clean
    };
    let note = if claim.note.trim().is_empty() {
        if actionable > 0 {
            format!("{actionable} finding(s)")
        } else {
            "ok".into()
        }
    } else {
        claim.note.clone()
    };
    (kind, note)
}

/// The word for a claimed outcome (as the run log and messages write it).
pub fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Clean => "clean",
        Outcome::Found => "found",
        Outcome::Proposed => "proposed",
        Outcome::Merged => "merged",
        Outcome::Escalated => "escalated",
        Outcome::Error => "error",
    }
}
