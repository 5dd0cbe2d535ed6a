//! Commit classification for triage: every commit lands in `high`, `watch` or `noise`, with the
//! reasons that put it there.
//!
//! Guarantees:
//! - **Words, not substrings.** Messages are split into words before matching, so "prefix",
//!   "debug", "fixture", "suffix" and "bugle" never count as fixes or bugs; CVE and GHSA ids
//!   are matched as whole identifiers.
//! - **Security wins.** A security word or advisory id makes a commit `high` whatever else it
//!   is (a bot's lock-file bump that mentions a CVE is `high`, not noise).
//! - **Noise must be harmless.** Merges, formatting, typo-only doc edits and bot dependency
//!   bumps are `noise` only when nothing in the change itself is risky.
//! - Pure: no I/O, no allocation beyond the result; the same input always gives the same output.
//!
//! Mechanics: the header is parsed as a conventional commit (`type(scope)!: subject`, footer
//! `BREAKING CHANGE:`), reverts are recognised (`Revert "…"`, `revert:`, "This reverts commit"),
//! and the changed files are read for risky paths (auth, crypto, secrets, migrations, CI
//! config, container files, lock files, ownership/permission files), large deletions and
//! binary additions.

use std::fmt;

/// Triage priority of one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bucket {
    /// Needs a person's attention soon: fixes, security, reverts, breaking or risky changes.
    High,
    /// Worth a look: ordinary feature and refactoring work.
    Watch,
    /// Safe to skip: merges, formatting, typo-only docs, bot dependency bumps.
    Noise,
}

impl Bucket {
    /// The name used in reports and state (`high`, `watch`, `noise`).
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::High => "high",
            Bucket::Watch => "watch",
            Bucket::Noise => "noise",
        }
    }
}

impl fmt::Display for Bucket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a file changed in the commit (relative to its first parent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeStatus {
    Added,
    Modified,
    Deleted,
    Renamed,
}

/// One changed file, as the host's diff summary reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    /// Path in the new tree (old path for deletions), `/`-separated.
    pub path: String,
    pub status: ChangeStatus,
    pub added_lines: u64,
    pub deleted_lines: u64,
    /// Binary content (no line counts).
    pub binary: bool,
    /// Line count of the file before the change, when known (for "deletes most of a file").
    pub old_lines: Option<u64>,
}

/// What the classifier reads about one commit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitInfo {
    /// The full message: subject line, blank line, body, footers.
    pub message: String,
    /// Author as `Name <email>` (or either part alone).
    pub author: String,
    /// Number of parents (2 or more is a merge).
    pub parent_count: u32,
    pub files: Vec<FileChange>,
}

/// The verdict: a bucket and the reasons for it, most important first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub bucket: Bucket,
    pub reasons: Vec<String>,
}

/// A parsed conventional-commit header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header<'a> {
    /// The type, lower-cased as written (`fix`, `feat`, `chore`, …).
    pub kind: String,
    pub scope: Option<&'a str>,
    /// `!` after the type/scope.
    pub breaking: bool,
    pub subject: &'a str,
}

/// Parse `type(scope)!: subject`; `None` when the line is not a conventional header.
pub fn parse_header(line: &str) -> Option<Header<'_>> {
    let colon = line.find(':')?;
    let (head, rest) = (&line[..colon], &line[colon + 1..]);
    let subject = rest.strip_prefix(' ').unwrap_or(rest).trim();
    let (head, breaking) = match head.strip_suffix('!') {
        Some(h) => (h, true),
        None => (head, false),
    };
    let (kind, scope) = match head.find('(') {
        Some(open) => {
            let scope = head[open + 1..].strip_suffix(')')?;
            if scope.contains(['(', ')']) {
                return None;
            }
            (&head[..open], Some(scope))
        }
        None => (head, None),
    };
    let valid_kind = !kind.is_empty()
        && kind.len() <= 20
        && kind
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !valid_kind || subject.is_empty() {
        return None;
    }
    Some(Header {
        kind: kind.to_ascii_lowercase(),
        scope,
        breaking,
        subject,
    })
}

/// Lower-cased alphanumeric words of `text`, in order.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn has_any(words: &[String], set: &[&str]) -> Option<String> {
    words.iter().find(|w| set.contains(&w.as_str())).cloned()
}

fn has_phrase(words: &[String], phrases: &[&[&str]]) -> Option<String> {
    phrases.iter().find_map(|p| {
        words
            .windows(p.len())
            .any(|win| win.iter().zip(p.iter()).all(|(a, b)| a == b))
            .then(|| p.join(" "))
    })
}

const SECURITY_WORDS: &[&str] = &[
    "security",
    "insecure",
    "vuln",
    "vulns",
    "vulnerability",
    "vulnerabilities",
    "vulnerable",
    "exploit",
    "exploits",
    "exploitable",
    "xss",
    "csrf",
    "xsrf",
    "rce",
    "ssrf",
    "sqli",
    "xxe",
    "injection",
    "cve",
    "ghsa",
    "cwe",
];

const SECURITY_PHRASES: &[&[&str]] = &[
    &["buffer", "overflow"],
    &["heap", "overflow"],
    &["integer", "overflow"],
    &["use", "after", "free"],
    &["double", "free"],
    &["privilege", "escalation"],
    &["path", "traversal"],
    &["directory", "traversal"],
    &["auth", "bypass"],
    &["authentication", "bypass"],
    &["denial", "of", "service"],
    &["remote", "code", "execution"],
    &["arbitrary", "code"],
    &["timing", "attack"],
    &["open", "redirect"],
    &["leaked", "secret"],
    &["leaked", "token"],
];

/// Words that mark a fix of real behaviour whatever else the message says.
const STRONG_FIX_WORDS: &[&str] = &[
    "bug",
    "bugs",
    "bugfix",
    "bugfixes",
    "hotfix",
    "hotfixes",
    "regression",
    "regressions",
    "regressed",
    "incident",
    "incidents",
    "crash",
    "crashes",
    "crashed",
    "crashing",
    "outage",
    "panic",
    "panics",
    "deadlock",
    "segfault",
];

const FIX_WORDS: &[&str] = &["fix", "fixes", "fixed", "fixing"];

/// Objects of a "fix" that make it cosmetic.
const TRIVIAL_WORDS: &[&str] = &[
    "typo",
    "typos",
    "spelling",
    "misspelling",
    "misspelled",
    "grammar",
    "wording",
    "punctuation",
    "whitespace",
    "indentation",
    "formatting",
    "format",
    "reformat",
    "reformatted",
    "fmt",
    "rustfmt",
    "gofmt",
    "prettier",
    "black",
    "lint",
    "lints",
    "linter",
    "linting",
    "clippy",
    "eslint",
];

const FORMAT_KINDS: &[&str] = &["style", "fmt", "format", "lint"];

const BOT_NAMES: &[&str] = &[
    "dependabot",
    "renovate",
    "greenkeeper",
    "snyk-bot",
    "pre-commit-ci",
    "github-actions",
    "pyup-bot",
    "mergify",
];

const LOCK_FILES: &[&str] = &[
    "cargo.lock",
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lockb",
    "poetry.lock",
    "pipfile.lock",
    "uv.lock",
    "pdm.lock",
    "gemfile.lock",
    "go.sum",
    "composer.lock",
    "flake.lock",
    "mix.lock",
    "pubspec.lock",
    "packages.lock.json",
    "podfile.lock",
];

const MANIFEST_FILES: &[&str] = &[
    "cargo.toml",
    "package.json",
    "go.mod",
    "pyproject.toml",
    "pipfile",
    "setup.py",
    "setup.cfg",
    "gemfile",
    "composer.json",
    "pom.xml",
    "build.gradle",
    "build.gradle.kts",
    "libs.versions.toml",
    "directory.packages.props",
    "pubspec.yaml",
    "mix.exs",
    "flake.nix",
    ".pre-commit-config.yaml",
];

/// Why a path is risky, strongest first. `None` for ordinary files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathRisk {
    Secrets,
    Auth,
    Crypto,
    Permissions,
    Migrations,
    CiConfig,
    Container,
    LockFile,
}

impl PathRisk {
    fn label(self) -> &'static str {
        match self {
            PathRisk::Secrets => "secrets",
            PathRisk::Auth => "auth",
            PathRisk::Crypto => "crypto",
            PathRisk::Permissions => "permissions",
            PathRisk::Migrations => "migrations",
            PathRisk::CiConfig => "CI config",
            PathRisk::Container => "container build",
            PathRisk::LockFile => "lock file",
        }
    }
}

/// Classify a path by what it controls.
pub fn path_risk(path: &str) -> Option<PathRisk> {
    let lower = path.to_lowercase();
    let segments: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
    let file = *segments.last()?;
    let tokens: Vec<&str> = segments
        .iter()
        .flat_map(|s| s.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|t| !t.is_empty())
        .collect();
    let token_in = |set: &[&str]| tokens.iter().any(|t| set.contains(t));

    let secret_file = file == ".env"
        || file.starts_with(".env.")
        || file.starts_with("id_rsa")
        || file.starts_with("id_ed25519")
        || [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".kdbx"]
            .iter()
            .any(|ext| file.ends_with(ext))
        || token_in(&["secret", "secrets", "credential", "credentials", "htpasswd"]);
    if secret_file {
        return Some(PathRisk::Secrets);
    }
    if token_in(&[
        "auth",
        "authn",
        "authz",
        "authentication",
        "authorization",
        "authorize",
        "oauth",
        "oauth2",
        "oidc",
        "saml",
        "sso",
        "login",
        "logout",
        "session",
        "sessions",
        "password",
        "passwords",
        "passwd",
        "jwt",
    ]) {
        return Some(PathRisk::Auth);
    }
    if token_in(&[
        "crypto",
        "cryptography",
        "tls",
        "ssl",
        "x509",
        "cert",
        "certs",
        "certificate",
        "certificates",
        "cipher",
        "encrypt",
        "encryption",
        "decrypt",
        "hmac",
        "keystore",
        "signing",
    ]) {
        return Some(PathRisk::Crypto);
    }
    if file == "codeowners"
        || file == "sudoers"
        || token_in(&[
            "permission",
            "permissions",
            "acl",
            "acls",
            "rbac",
            "sudoers",
        ])
    {
        return Some(PathRisk::Permissions);
    }
    if token_in(&[
        "migration",
        "migrations",
        "migrate",
        "alembic",
        "flyway",
        "liquibase",
    ]) {
        return Some(PathRisk::Migrations);
    }
    let ci = lower.starts_with(".github/workflows/")
        || lower.starts_with(".github/actions/")
        || lower.starts_with(".circleci/")
        || lower.starts_with(".buildkite/")
        || lower.starts_with(".ci/")
        || matches!(
            file,
            ".gitlab-ci.yml"
                | ".travis.yml"
                | "jenkinsfile"
                | "azure-pipelines.yml"
                | "bitbucket-pipelines.yml"
                | "appveyor.yml"
                | ".drone.yml"
        );
    if ci {
        return Some(PathRisk::CiConfig);
    }
    if file == "dockerfile"
        || file.starts_with("dockerfile.")
        || file.ends_with(".dockerfile")
        || file == "containerfile"
        || file.starts_with("docker-compose")
        || file.starts_with("compose.y")
    {
        return Some(PathRisk::Container);
    }
    if LOCK_FILES.contains(&file) {
        return Some(PathRisk::LockFile);
    }
    None
}

fn is_dependency_file(path: &str) -> bool {
    let lower = path.to_lowercase();
    let file = lower.rsplit('/').next().unwrap_or("");
    LOCK_FILES.contains(&file)
        || MANIFEST_FILES.contains(&file)
        || (file.starts_with("requirements") && file.ends_with(".txt"))
        || file.ends_with(".csproj")
        || lower.starts_with(".github/workflows/")
}

fn is_doc_file(path: &str) -> bool {
    let lower = path.to_lowercase();
    let file = lower.rsplit('/').next().unwrap_or("");
    lower.starts_with("docs/")
        || lower.starts_with("doc/")
        || lower.contains("/docs/")
        || [".md", ".rst", ".adoc", ".txt", ".markdown"]
            .iter()
            .any(|e| file.ends_with(e))
        || file.starts_with("readme")
        || file.starts_with("changelog")
}

/// Deletion of more than this many lines in one commit counts as large.
pub const LARGE_DELETION_LINES: u64 = 500;
/// Deleting more than this share (percent) of a file's lines counts as large.
pub const LARGE_DELETION_PERCENT: u64 = 60;
/// Files shorter than this are not judged by share (a 3-line edit of a 4-line file is normal).
const SHARE_MIN_LINES: u64 = 50;

/// Describe a large deletion in `files`, if any.
fn large_deletion(files: &[FileChange]) -> Option<String> {
    let deleted: u64 = files.iter().map(|f| f.deleted_lines).sum();
    let added: u64 = files.iter().map(|f| f.added_lines).sum();
    if deleted > LARGE_DELETION_LINES && deleted > added.saturating_mul(2) {
        return Some(format!("deletes {deleted} lines (adds {added})"));
    }
    files.iter().find_map(|f| {
        let old = f.old_lines?;
        let replaced = f.added_lines.saturating_mul(2) >= f.deleted_lines;
        (old >= SHARE_MIN_LINES
            && !replaced
            && f.deleted_lines.saturating_mul(100) > old.saturating_mul(LARGE_DELETION_PERCENT))
        .then(|| format!("deletes {} of {} lines of {}", f.deleted_lines, old, f.path))
    })
}

/// Find `CVE-YYYY-NNNN…` or `GHSA-xxxx-xxxx-xxxx` identifiers (case-insensitive, whole ids).
pub fn advisory_ids(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let tokens = text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
    for token in tokens {
        let upper = token.trim_matches('-').to_ascii_uppercase();
        let parts: Vec<&str> = upper.split('-').collect();
        let is_cve = parts.len() == 3
            && parts[0] == "CVE"
            && parts[1].len() == 4
            && parts[1].bytes().all(|b| b.is_ascii_digit())
            && parts[2].len() >= 4
            && parts[2].bytes().all(|b| b.is_ascii_digit());
        let is_ghsa = parts.len() == 4
            && parts[0] == "GHSA"
            && parts[1..]
                .iter()
                .all(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if (is_cve || is_ghsa) && !found.contains(&upper) {
            found.push(upper);
        }
    }
    found
}

fn is_bot(author: &str) -> bool {
    let lower = author.to_lowercase();
    lower.contains("[bot]") || BOT_NAMES.iter().any(|b| lower.contains(b))
}

/// Classify one commit. See the module docs for the rules.
pub fn classify(commit: &CommitInfo) -> Classification {
    let message = commit.message.trim();
    let subject = message.lines().next().unwrap_or("").trim();
    let header = parse_header(subject);
    let kind = header.as_ref().map(|h| h.kind.as_str()).unwrap_or("");
    let all_words = words(message);
    let subject_words = words(subject);

    let mut high: Vec<String> = Vec::new();
    let mut watch: Vec<String> = Vec::new();
    let mut noise: Option<String> = None;

    // Security first: it overrides every noise rule.
    let ids = advisory_ids(message);
    if !ids.is_empty() {
        high.push(format!("security advisory {}", ids.join(", ")));
    }
    // A bare "CVE" word counts; inside an advisory id it is already reported.
    let word = has_any(&all_words, SECURITY_WORDS)
        .filter(|w| w != "cve" && w != "ghsa")
        .or_else(|| has_any(&all_words, &["cve", "ghsa"]).filter(|_| ids.is_empty()));
    if let Some(w) = word {
        high.push(format!("security word \"{w}\""));
    }
    if let Some(p) = has_phrase(&all_words, SECURITY_PHRASES) {
        high.push(format!("security issue \"{p}\""));
    }
    if kind == "security" || kind == "sec" {
        high.push("conventional type security".into());
    }

    // Reverts and breaking changes.
    let lower_subject = subject.to_lowercase();
    if kind == "revert"
        || lower_subject.starts_with("revert \"")
        || lower_subject.starts_with("revert '")
        || message.contains("This reverts commit ")
    {
        high.push("reverts an earlier commit".into());
    }
    let breaking_footer = message.lines().any(|l| {
        let l = l.trim_start();
        l.starts_with("BREAKING CHANGE:") || l.starts_with("BREAKING-CHANGE:")
    });
    if header.as_ref().is_some_and(|h| h.breaking) || breaking_footer {
        high.push("breaking change".into());
    }

    // Fixes: strong words always count; a plain "fix" unless it only fixes cosmetics.
    let trivial = has_any(&all_words, TRIVIAL_WORDS);
    if let Some(w) = has_any(&all_words, STRONG_FIX_WORDS) {
        high.push(format!("fix word \"{w}\""));
    } else if kind == "fix" || kind == "hotfix" || kind == "bugfix" {
        if trivial.is_none() {
            high.push(format!("conventional type {kind}"));
        }
    } else if let Some(w) = has_any(&subject_words, FIX_WORDS).filter(|_| trivial.is_none()) {
        high.push(format!("fix word \"{w}\""));
    }

    // What changed. Merges carry their branch's whole diff; the branch's commits are judged
    // on their own, so a merge's files are not read.
    let is_merge = commit.parent_count >= 2
        || [
            "merge pull request",
            "merge branch",
            "merge remote-tracking branch",
            "merge tag",
        ]
        .iter()
        .any(|p| lower_subject.starts_with(p));
    let bot_bump = is_bot(&commit.author)
        && !commit.files.is_empty()
        && commit.files.iter().all(|f| is_dependency_file(&f.path));
    if !is_merge {
        let mut risky_paths = 0;
        for f in &commit.files {
            let Some(risk) = path_risk(&f.path) else {
                continue;
            };
            if bot_bump && matches!(risk, PathRisk::LockFile | PathRisk::CiConfig) {
                continue;
            }
            risky_paths += 1;
            if risky_paths > 3 {
                continue;
            }
            let reason = format!("touches {} path {}", risk.label(), f.path);
            match risk {
                PathRisk::Secrets => high.push(reason),
                PathRisk::Auth | PathRisk::Crypto | PathRisk::Permissions
                    if f.status == ChangeStatus::Deleted =>
                {
                    high.push(reason)
                }
                _ => watch.push(reason),
            }
        }
        if let Some(d) = large_deletion(&commit.files) {
            high.push(format!("large deletion: {d}"));
        }
        if let Some(b) = commit
            .files
            .iter()
            .find(|f| f.binary && f.status == ChangeStatus::Added)
        {
            watch.push(format!("adds binary file {}", b.path));
        }
    }

    // Noise candidates.
    if is_merge {
        noise = Some("merge commit".into());
    } else if bot_bump {
        noise = Some("dependency bump by a bot".into());
    } else if FORMAT_KINDS.contains(&kind)
        || (trivial.is_some() && !commit.files.iter().all(|f| is_doc_file(&f.path)))
    {
        noise = Some("formatting or lint only".into());
    } else if trivial.is_some() && !commit.files.is_empty() {
        noise = Some("typo-only documentation change".into());
    } else if trivial.is_some() {
        noise = Some("cosmetic change".into());
    }

    if !high.is_empty() {
        Classification {
            bucket: Bucket::High,
            reasons: high.into_iter().chain(watch).collect(),
        }
    } else if !watch.is_empty() {
        if let Some(n) = noise {
            watch.push(format!("otherwise {n}"));
        }
        Classification {
            bucket: Bucket::Watch,
            reasons: watch,
        }
    } else if let Some(n) = noise {
        Classification {
            bucket: Bucket::Noise,
            reasons: vec![n],
        }
    } else {
        let reason = if kind.is_empty() {
            "ordinary change".to_string()
        } else {
            format!("conventional type {kind}")
        };
        Classification {
            bucket: Bucket::Watch,
            reasons: vec![reason],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(message: &str) -> CommitInfo {
        CommitInfo {
            message: message.into(),
            author: "Ada Lovelace <ada@example.com>".into(),
            parent_count: 1,
            files: vec![file("src/lib.rs", 10, 2)],
        }
    }

    fn file(path: &str, added: u64, deleted: u64) -> FileChange {
        FileChange {
            path: path.into(),
            status: ChangeStatus::Modified,
            added_lines: added,
            deleted_lines: deleted,
            binary: false,
            old_lines: None,
        }
    }

    fn with_files(message: &str, files: Vec<FileChange>) -> CommitInfo {
        CommitInfo {
            files,
            ..msg(message)
        }
    }

    fn bucket(c: &CommitInfo) -> Bucket {
        classify(c).bucket
    }

    #[test]
    fn message_table() {
        use Bucket::*;
        let table: &[(&str, Bucket)] = &[
            // fixes and incidents
            ("fix(parser): handle empty input", High),
            ("fix: off-by-one in pagination", High),
            ("Fix race in worker shutdown", High),
            ("hotfix: restore login redirect", High),
            ("Fixes #123: null deref when config is missing", High),
            ("Handle regression in date parsing", High),
            ("Mitigate incident 2024-07: queue backlog", High),
            ("Resolve crash on startup with empty cache", High),
            ("bugfix: wrong timezone in reports", High),
            // words that contain a fix/bug substring but are not fixes
            ("Add prefix option to the CLI", Watch),
            ("Improve debug logging for the scheduler", Watch),
            ("Add fixture for the parser tests", Watch),
            ("Support a suffix on generated names", Watch),
            ("feat: bugle call sound effect", Watch),
            ("refactor: rename prefix_len to prefix_length", Watch),
            ("test: more fixtures for debugger", Watch),
            // security
            ("Bump openssl to address CVE-2024-12345", High),
            ("feat: escape HTML to prevent XSS in comments", High),
            ("Add CSRF token to settings form", High),
            ("Patch SQL injection in search endpoint", High),
            ("security: tighten CORS policy", High),
            ("Guard against path traversal in uploads", High),
            ("Fix use-after-free in the arena allocator", High),
            ("Address GHSA-abcd-1234-wxyz in yaml loader", High),
            ("docs: document the vulnerability disclosure process", High),
            // reverts and breaking changes
            ("Revert \"feat: new cache layer\"", High),
            ("revert: feat(api): new pagination", High),
            ("feat(api)!: drop v1 endpoints", High),
            (
                "feat: new config format\n\nBREAKING CHANGE: old keys removed",
                High,
            ),
            // noise
            ("Merge pull request #42 from alice/feature-x", Noise),
            ("Merge branch 'main' into release", Noise),
            ("style: run rustfmt", Noise),
            ("cargo fmt", Noise),
            ("Fix clippy lints", Noise),
            ("chore(fmt): reformat with prettier", Noise),
            // ordinary work
            ("feat: add dark mode", Watch),
            ("refactor: split runner into modules", Watch),
            ("perf: cache compiled globs", Watch),
            ("Update the onboarding guide", Watch),
            ("", Watch),
        ];
        for (message, want) in table {
            let got = classify(&msg(message));
            assert_eq!(got.bucket, *want, "{message:?} → {got:?}");
            assert!(!got.reasons.is_empty(), "{message:?} has no reasons");
        }
    }

    #[test]
    fn header_parsing() {
        let h = parse_header("feat(api)!: drop v1").unwrap();
        assert_eq!(
            (h.kind.as_str(), h.scope, h.breaking, h.subject),
            ("feat", Some("api"), true, "drop v1")
        );
        let h = parse_header("Fix: thing").unwrap();
        assert_eq!(h.kind, "fix");
        assert!(parse_header("no header here").is_none());
        assert!(parse_header("feat(: broken").is_none());
        assert!(parse_header("feat: ").is_none());
        assert!(parse_header("a very long sentence with spaces: x").is_none());
    }

    #[test]
    fn advisory_ids_are_whole_identifiers() {
        assert_eq!(
            advisory_ids("fixes cve-2023-4567 and CVE-2021-44228."),
            ["CVE-2023-4567", "CVE-2021-44228"]
        );
        assert!(advisory_ids("CVE-20-1").is_empty());
        assert!(advisory_ids("XCVE-2023-4567").is_empty());
        assert!(advisory_ids("CVE-2023-45a7").is_empty());
    }

    #[test]
    fn typo_only_docs_are_noise_but_typos_in_code_paths_are_not_hidden() {
        let docs = with_files("docs: fix typo in README", vec![file("README.md", 1, 1)]);
        assert_eq!(bucket(&docs), Bucket::Noise);
        let spelling = with_files(
            "Fix spelling in guide",
            vec![file("docs/guide/install.md", 2, 2)],
        );
        assert_eq!(bucket(&spelling), Bucket::Noise);
        let auth_typo = with_files("fix typo", vec![file("src/auth/login.rs", 1, 1)]);
        assert_eq!(bucket(&auth_typo), Bucket::Watch);
    }

    #[test]
    fn bot_dependency_bumps_are_noise_unless_security() {
        let bump = CommitInfo {
            message: "build(deps): bump serde from 1.0.1 to 1.0.2".into(),
            author: "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>".into(),
            parent_count: 1,
            files: vec![file("Cargo.toml", 1, 1), file("Cargo.lock", 4, 4)],
        };
        assert_eq!(bucket(&bump), Bucket::Noise);
        let renovate = CommitInfo {
            message: "chore(deps): update actions/checkout action to v4".into(),
            author: "renovate <bot@renovateapp.com>".into(),
            files: vec![file(".github/workflows/ci.yml", 1, 1)],
            ..bump.clone()
        };
        assert_eq!(bucket(&renovate), Bucket::Noise);
        let security = CommitInfo {
            message: "build(deps): bump h2 from 0.3.20 to 0.3.26\n\nFixes a security advisory."
                .into(),
            ..bump.clone()
        };
        assert_eq!(bucket(&security), Bucket::High);
        let cve_lock = CommitInfo {
            message: "chore(deps): bump lodash (CVE-2021-23337)".into(),
            files: vec![file("package-lock.json", 20, 20)],
            ..bump.clone()
        };
        assert_eq!(bucket(&cve_lock), Bucket::High);
        // A person bumping a lock file: worth a look, not noise.
        let human = CommitInfo {
            author: "Ada <ada@example.com>".into(),
            ..bump.clone()
        };
        assert_eq!(bucket(&human), Bucket::Watch);
        // A bot touching source code is not a dependency bump.
        let bot_code = CommitInfo {
            files: vec![file("src/main.rs", 3, 1)],
            ..bump
        };
        assert_eq!(bucket(&bot_code), Bucket::Watch);
    }

    #[test]
    fn risky_paths() {
        let cases: &[(&str, Option<PathRisk>)] = &[
            ("src/auth/session.rs", Some(PathRisk::Auth)),
            ("app/controllers/login_controller.rb", Some(PathRisk::Auth)),
            ("lib/crypto/aes.go", Some(PathRisk::Crypto)),
            ("config/tls/server.pem", Some(PathRisk::Secrets)),
            (".env.production", Some(PathRisk::Secrets)),
            ("deploy/secrets.yaml", Some(PathRisk::Secrets)),
            (
                "db/migrations/20240101_add_users.sql",
                Some(PathRisk::Migrations),
            ),
            (".github/workflows/release.yml", Some(PathRisk::CiConfig)),
            (".gitlab-ci.yml", Some(PathRisk::CiConfig)),
            ("Dockerfile", Some(PathRisk::Container)),
            ("docker/Dockerfile.alpine", Some(PathRisk::Container)),
            ("Cargo.lock", Some(PathRisk::LockFile)),
            ("frontend/yarn.lock", Some(PathRisk::LockFile)),
            (".github/CODEOWNERS", Some(PathRisk::Permissions)),
            ("src/author.rs", None),
            ("src/sessionless_cache.rs", None),
            ("README.md", None),
            ("", None),
        ];
        for (path, want) in cases {
            assert_eq!(path_risk(path), *want, "{path}");
        }
    }

    #[test]
    fn changes_are_read() {
        let migration = with_files(
            "feat: add users table",
            vec![file("db/migrations/001_users.sql", 30, 0)],
        );
        let got = classify(&migration);
        assert_eq!(got.bucket, Bucket::Watch);
        assert!(got.reasons[0].contains("migrations"), "{got:?}");

        let secret = with_files("chore: add config", vec![file(".env", 3, 0)]);
        assert_eq!(bucket(&secret), Bucket::High);

        let mut removed = file("src/auth/mfa.rs", 0, 120);
        removed.status = ChangeStatus::Deleted;
        assert_eq!(
            bucket(&with_files("refactor: simplify", vec![removed])),
            Bucket::High
        );

        let big = with_files(
            "chore: remove legacy importer",
            vec![file("src/legacy/importer.rs", 3, 812)],
        );
        let got = classify(&big);
        assert_eq!(got.bucket, Bucket::High);
        assert!(got.reasons[0].contains("812"), "{got:?}");

        // A move of similar size is not a deletion.
        let moved = with_files(
            "refactor: move importer",
            vec![file("src/a.rs", 0, 700), file("src/b.rs", 690, 0)],
        );
        assert_eq!(bucket(&moved), Bucket::Watch);

        let mut gutted = file("src/engine.rs", 5, 180);
        gutted.old_lines = Some(200);
        assert_eq!(
            bucket(&with_files("refactor: trim engine", vec![gutted])),
            Bucket::High
        );
        let mut small = file("src/tiny.rs", 0, 4);
        small.old_lines = Some(5);
        assert_eq!(
            bucket(&with_files("refactor: trim", vec![small])),
            Bucket::Watch
        );

        let mut blob = file("assets/model.bin", 0, 0);
        blob.binary = true;
        blob.status = ChangeStatus::Added;
        let got = classify(&with_files("feat: ship model", vec![blob]));
        assert_eq!(got.bucket, Bucket::Watch);
        assert!(got.reasons[0].contains("binary"), "{got:?}");

        // Formatting that touches auth code is not silently dropped.
        let fmt_auth = with_files("style: rustfmt", vec![file("src/auth/token.rs", 40, 40)]);
        assert_eq!(bucket(&fmt_auth), Bucket::Watch);
    }

    #[test]
    fn merges_are_noise_by_parent_count_too() {
        let mut m = with_files(
            "Integrate feature work",
            vec![file("src/auth/x.rs", 900, 900)],
        );
        m.parent_count = 2;
        assert_eq!(bucket(&m), Bucket::Noise);
    }

    #[test]
    fn never_panics_on_odd_text() {
        for text in [
            "(",
            ")",
            ":",
            "!:",
            "((x)): y",
            "é:ü",
            "\u{0}",
            "fix(\u{1F600})!: 😀",
            "CVE--",
            "-CVE-2020-1234-",
            "GHSA-",
            "\n\n\n",
        ] {
            let _ = classify(&msg(text));
            let _ = parse_header(text);
            let _ = advisory_ids(text);
            let _ = path_risk(text);
        }
    }
}
