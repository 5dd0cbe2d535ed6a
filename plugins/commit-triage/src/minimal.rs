//! A small word-based classifier and date-window parser, used until the full triage logic
//! (`classify`/`plan`) is wired in. Words are matched as words, never as substrings: "prefix",
//! "debug" and "fixture" are not fixes.

use strive_sdk::git::{ChangeKind, Commit};
use strive_sdk::report::Bucket;

pub struct Verdict {
    pub bucket: Bucket,
    pub reason: String,
}

const HIGH_TYPES: &[&str] = &["fix", "hotfix", "revert", "security", "sec"];
const HIGH_WORDS: &[&str] = &[
    "fix", "fixes", "fixed", "bug", "bugfix", "hotfix", "revert", "reverts", "security", "vuln",
    "vulnerability", "cve", "incident", "exploit", "crash", "regression",
];
const RISKY_PATH_PARTS: &[&str] = &["auth", "migrations", "migration", ".github", "secrets"];
const LOCK_FILES: &[&str] = &["Cargo.lock", "package-lock.json", "yarn.lock", "poetry.lock", "go.sum"];

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_ascii_lowercase())
}

/// Conventional-commit type of a subject (`fix(parser)!: …` → `fix`).
fn conventional_type(subject: &str) -> Option<String> {
    let head = subject.split_once(':')?.0;
    let ty = head.split(['(', '!']).next()?.trim().to_ascii_lowercase();
    (!ty.is_empty() && ty.chars().all(|c| c.is_ascii_alphabetic())).then_some(ty)
}

pub fn classify(commit: &Commit) -> Verdict {
    let subject = commit.subject.trim();
    let lower = subject.to_ascii_lowercase();
    if commit.parents.len() > 1 || lower.starts_with("merge ") {
        return Verdict { bucket: Bucket::Noise, reason: "merge commit".into() };
    }
    if let Some(ty) = conventional_type(subject) {
        if HIGH_TYPES.contains(&ty.as_str()) {
            return Verdict { bucket: Bucket::High, reason: format!("conventional type `{ty}`") };
        }
        if matches!(ty.as_str(), "style" | "fmt") {
            return Verdict { bucket: Bucket::Noise, reason: format!("conventional type `{ty}`") };
        }
    }
    if let Some(w) = words(subject).find(|w| HIGH_WORDS.contains(&w.as_str())) {
        return Verdict { bucket: Bucket::High, reason: format!("subject word `{w}`") };
    }
    for change in &commit.changes {
        let risky = change.path.split('/').any(|part| RISKY_PATH_PARTS.contains(&part.to_ascii_lowercase().as_str()));
        if risky {
            return Verdict { bucket: Bucket::High, reason: format!("touches risky path {}", change.path) };
        }
        if matches!(change.kind, ChangeKind::Deleted) && change.deletions >= 200 {
            return Verdict { bucket: Bucket::High, reason: format!("deletes {} ({} lines)", change.path, change.deletions) };
        }
    }
    if commit.changes.iter().any(|c| LOCK_FILES.iter().any(|l| c.path.ends_with(l))) {
        return Verdict { bucket: Bucket::Watch, reason: "lock file changed".into() };
    }
    Verdict { bucket: Bucket::Watch, reason: "new commit".into() }
}

/// `"7 days ago"`, `"2 weeks"`, `"36 hours ago"`, `"2024-05-01"` → a unix time; `None` if not
/// understood (the caller refuses the spec rather than guess).
pub fn parse_since(expr: &str, now_unix: i64) -> Option<i64> {
    let expr = expr.trim().to_ascii_lowercase();
    if let Some(days) = parse_date(&expr) {
        return Some(days * 86_400);
    }
    let mut parts = expr.split_whitespace();
    let n: i64 = parts.next()?.parse().ok()?;
    let unit = parts.next()?.trim_end_matches('s');
    match parts.next() {
        None | Some("ago") => {}
        _ => return None,
    }
    if parts.next().is_some() {
        return None;
    }
    let secs = match unit {
        "second" | "sec" => 1,
        "minute" | "min" => 60,
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        "month" => 30 * 86_400,
        "year" => 365 * 86_400,
        _ => return None,
    };
    Some(now_unix - n.checked_mul(secs)?)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date.
fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.split('-');
    let (y, m, d): (i64, i64, i64) = (it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?);
    if it.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(subject: &str) -> Commit {
        Commit {
            sha: "0".repeat(40),
            parents: vec!["1".repeat(40)],
            author_name: String::new(),
            author_email: String::new(),
            author_time: 0,
            committer_time: 0,
            subject: subject.into(),
            body: String::new(),
            changes: Vec::new(),
        }
    }

    #[test]
    fn words_not_substrings() {
        for s in ["add prefix option", "debug output", "new fixture"] {
            assert!(matches!(classify(&commit(s)).bucket, Bucket::Watch), "{s}");
        }
        for s in ["fix(parser): off by one", "Revert \"x\"", "patch CVE-2024-1234", "security: tighten"] {
            assert!(matches!(classify(&commit(s)).bucket, Bucket::High), "{s}");
        }
    }

    #[test]
    fn since_windows() {
        assert_eq!(parse_since("7 days ago", 1_000_000), Some(1_000_000 - 7 * 86_400));
        assert_eq!(parse_since("2 weeks", 2_000_000), Some(2_000_000 - 14 * 86_400));
        assert_eq!(parse_since("1970-01-02", 0), Some(86_400));
        assert_eq!(parse_since("soon", 0), None);
        assert_eq!(parse_since("7 days from now", 0), None);
    }
}
