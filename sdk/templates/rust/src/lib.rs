//! conventional-commits: a Strive loop kind in Rust.
//!
//! Counts the commits of the target repository by conventional-commit type (`feat`, `fix`, ...;
//! `other` when the subject has no type) and reports one finding that cites the newest commit.
//! The host checks the citation; the outcome returned here is a claim, not a verdict.

use std::collections::BTreeMap;

wit_bindgen::generate!({
    path: "wit",
    world: "loop-kind",
    // The strive:loops interfaces come from wit/deps; generate bindings for them too.
    generate_all,
});

use strive::loops::types::{HostError, Outcome};
use strive::loops::{git, log, report};

const NAME: &str = "conventional-commits";
const VERSION: &str = "0.1.0";

/// `type(scope)!: subject` → `type` (lowercase); `other` otherwise. The same rule as the
/// Python and JS examples: `^([A-Za-z]+)(\([^()]*\))?!?: `.
pub fn conventional_type(subject: &str) -> String {
    let letters = subject.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 {
        return "other".into();
    }
    let mut rest = &subject[letters..];
    if let Some(scoped) = rest.strip_prefix('(') {
        match scoped.find([')', '(']) {
            Some(end) if scoped.as_bytes()[end] == b')' => rest = &scoped[end + 1..],
            _ => return "other".into(),
        }
    }
    let rest = rest.strip_prefix('!').unwrap_or(rest);
    if rest.starts_with(": ") {
        subject[..letters].to_ascii_lowercase()
    } else {
        "other".into()
    }
}

/// `N commits by type: feat=2, fix=1, other=3`.
pub fn summarize(subjects: &[&str]) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for subject in subjects {
        *counts.entry(conventional_type(subject)).or_default() += 1;
    }
    let parts: Vec<String> = counts.iter().map(|(kind, n)| format!("{kind}={n}")).collect();
    format!("{} commits by type: {}", subjects.len(), parts.join(", "))
}

struct ConventionalCommits;

impl Guest for ConventionalCommits {
    fn describe() -> KindInfo {
        KindInfo {
            name: NAME.into(),
            version: VERSION.into(),
            summary: "counts commits by conventional type".into(),
        }
    }

    fn run(ctx: RunContext) -> RunResult {
        match run(&ctx) {
            Ok(result) => result,
            // A host refusal (denied, budget-exceeded, ...) is a value: report it as the outcome.
            Err(refusal) => RunResult {
                outcome: Outcome::Error,
                note: format!("host refused: {}", refusal_text(&refusal)),
            },
        }
    }
}

/// A host refusal in words (the host's own reason, never a debug dump).
fn refusal_text(e: &HostError) -> String {
    match e {
        HostError::Denied(d) => format!("`{}` denied: {}", d.capability, d.reason),
        HostError::BudgetExceeded(b) => format!(
            "budget {} exceeded (cap {}, spent {}, asked {})",
            b.axis, b.cap, b.spent, b.requested
        ),
        HostError::Blocked(b) => format!("blocked by {}: {}", b.rule, b.reason),
        HostError::Invalid(m) => format!("invalid request: {m}"),
        HostError::Failed(m) => format!("host call failed: {m}"),
    }
}

fn run(_ctx: &RunContext) -> Result<RunResult, HostError> {
    // The host chose the repository; HEAD is its checked-out tip.
    let commits = git::log(&git::LogQuery {
        tip: "HEAD".into(),
        since_exclusive: None,
        since_time: None,
        limit: 0,
        with_changes: false,
    })?;
    let Some(newest) = commits.first() else {
        return Ok(RunResult {
            outcome: Outcome::Clean,
            note: "no commits".into(),
        });
    };
    let subjects: Vec<&str> = commits.iter().map(|c| c.subject.as_str()).collect();
    let title = summarize(&subjects);
    report::add_finding(&report::Finding {
        bucket: report::Bucket::Watch,
        title: title.clone(),
        detail: format!("newest: {}", newest.subject),
        cites: vec![newest.sha.clone()],
        paths: Vec::new(),
    })?;
    log::emit(log::Level::Info, &title)?;
    Ok(RunResult {
        outcome: Outcome::Found,
        note: title,
    })
}

export!(ConventionalCommits);
