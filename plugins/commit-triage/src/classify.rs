//! Commit classification for triage: each commit gets a [`Category`] in severity order, the
//! [`Bucket`] that category sits in, and the reasons, deciding reason first.
//!
//! Guarantees:
//! - **The change decides, the message hints.** What the files are (tests, docs, changelog,
//!   CI, dependency manifests, build scripts, security-sensitive paths) and what their lines do
//!   (secret-like additions, `unsafe` added, public items removed, changelog entries) come
//!   first; words in the message only raise a change that touches code. When the message claims
//!   something the change contradicts ("docs: typo" rewriting code, "Merge …" on a one-parent
//!   commit), the change wins and the reasons say so.
//! - **Words, not substrings.** "prefix", "debug", "fixture" never count as fixes; advisory ids
//!   (CVE, GHSA, RUSTSEC, PYSEC) are whole identifiers.
//! - **Verified reverts.** A revert counts as one when the commit it names resolves in the
//!   repository (the glue resolves it through the host); a claim naming nothing found is `watch`.
//! - **Fail closed.** A diff that does not parse, or code changes too large to read, are never
//!   "nothing found": the commit is at least `watch` with the reason.
//! - Pure: no I/O, no clock; the same input always gives the same output.
//!
//! Severity order ([`Category`]): security → revert → breaking → data loss/soundness/crash →
//! fix → review → CI/build → deps → changes (features, refactors) → docs → chores. The first
//! five are `high`; review, CI/build and human dependency changes are `watch`; the rest `noise`.

use std::fmt;

use crate::content;
use crate::diff::{self, FileDiff};

/// Triage priority of one commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bucket {
    /// Needs a person's attention soon: security, reverts, breaking changes, soundness, fixes.
    High,
    /// Worth a look: risky paths or content, disguised changes, CI/build, dependency changes.
    Watch,
    /// For the record: features and refactors, docs, tests, releases, bot bumps, folded merges.
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

/// What a commit is, most severe first (the derived order is the report's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Security,
    Revert,
    Breaking,
    /// Data loss, unsoundness, memory safety, crashes.
    Soundness,
    Fix,
    /// Needs a look for what it touches or hides (risky paths, `unsafe`, API removal, disguise).
    Review,
    CiBuild,
    Deps,
    /// Features, refactors, performance work.
    Change,
    Docs,
    /// Tests only, releases, formatting, empty commits, folded merges.
    Chore,
}

impl Category {
    /// Every category in severity order.
    pub const ALL: [Category; 11] = [
        Category::Security,
        Category::Revert,
        Category::Breaking,
        Category::Soundness,
        Category::Fix,
        Category::Review,
        Category::CiBuild,
        Category::Deps,
        Category::Change,
        Category::Docs,
        Category::Chore,
    ];

    /// Stable id used in findings and JSON (`security`, `ci-build`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Security => "security",
            Category::Revert => "revert",
            Category::Breaking => "breaking",
            Category::Soundness => "soundness",
            Category::Fix => "fix",
            Category::Review => "review",
            Category::CiBuild => "ci-build",
            Category::Deps => "deps",
            Category::Change => "change",
            Category::Docs => "docs",
            Category::Chore => "chore",
        }
    }

    /// Parse [`Category::as_str`].
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// The bucket a category sits in by default.
    pub fn bucket(self) -> Bucket {
        match self {
            Category::Security
            | Category::Revert
            | Category::Breaking
            | Category::Soundness
            | Category::Fix => Bucket::High,
            Category::Review | Category::CiBuild | Category::Deps => Bucket::Watch,
            Category::Change | Category::Docs | Category::Chore => Bucket::Noise,
        }
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
}

/// A hex token of the message that names a commit in the repository (resolved by the host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mentioned {
    /// As written in the message.
    pub token: String,
    /// The full SHA it resolves to.
    pub sha: String,
    /// That commit's subject.
    pub subject: String,
}

/// What the glue knows about a merge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeFacts {
    /// Paths the merge changes against its first parent that none of the commits it brings
    /// in touched: the merge's own changes.
    pub own_paths: Vec<String>,
    /// Every commit the merge brings in is judged in the same report (so the merge folds).
    pub branch_in_report: bool,
    /// How many commits it brings in.
    pub brings: usize,
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
    /// Files changed against the first parent.
    pub files: Vec<FileChange>,
    /// The unified diff against the first parent; `None` when it was not read (too large, or
    /// the host refused it) — then the content rules cannot clear the commit.
    pub diff: Option<String>,
    /// Hex tokens of the message that resolve to commits here.
    pub mentioned: Vec<Mentioned>,
    /// Set for a merge commit.
    pub merge: Option<MergeFacts>,
}

/// The verdict: category, bucket and reasons (the deciding reason first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classification {
    pub category: Category,
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
    &["prototype", "pollution"],
    &["command", "injection"],
    &["sandbox", "escape"],
    &["request", "smuggling"],
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
    "reformat",
    "reformatted",
    "fmt",
    "rustfmt",
    "gofmt",
    "prettier",
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

/// Find advisory ids — `CVE-YYYY-NNNN…`, `GHSA-xxxx-xxxx-xxxx`, `RUSTSEC-YYYY-NNNN`,
/// `PYSEC-…`, `GO-…` — case-insensitive, whole ids.
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
        // RUSTSEC-2021-0145, PYSEC-2023-74, GO-2022-0617: a database name, a year, a number.
        let is_db = parts.len() == 3
            && ["RUSTSEC", "PYSEC", "GO", "OSV"].contains(&parts[0])
            && parts[1].len() == 4
            && parts[1].bytes().all(|b| b.is_ascii_digit())
            && !parts[2].is_empty()
            && parts[2].bytes().all(|b| b.is_ascii_digit());
        if (is_cve || is_ghsa || is_db) && !found.contains(&upper) {
            found.push(upper);
        }
    }
    found
}

fn is_bot(author: &str) -> bool {
    let lower = author.to_lowercase();
    lower.contains("[bot]") || BOT_NAMES.iter().any(|b| lower.contains(b))
}

/// What a path is, for judging a commit by its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileClass {
    Changelog,
    Docs,
    Test,
    Ci,
    Lockfile,
    Manifest,
    BuildScript,
    /// Everything else: source, configuration, data.
    Code,
}

/// Classify a path by what it is.
pub fn file_class(path: &str) -> FileClass {
    let lower = path.to_lowercase();
    let segments: Vec<&str> = lower.split('/').filter(|s| !s.is_empty()).collect();
    let file = segments.last().copied().unwrap_or("");
    let dirs = &segments[..segments.len().saturating_sub(1)];
    let stem = file.split('.').next().unwrap_or("");
    if [
        "changelog",
        "changes",
        "history",
        "news",
        "releases",
        "release-notes",
    ]
    .contains(&stem)
        || lower.starts_with("changelog/")
        || lower.contains("/changelog/")
        || lower.starts_with("changes/")
    {
        return FileClass::Changelog;
    }
    if LOCK_FILES.contains(&file)
        || file.ends_with(".lock") && dirs.is_empty() && file != "flake.lock"
    {
        return FileClass::Lockfile;
    }
    if MANIFEST_FILES.contains(&file)
        || (file.starts_with("requirements") && file.ends_with(".txt"))
        || file.ends_with(".csproj")
        || file.ends_with(".gemspec")
        || file == "renovate.json"
        || file == "dependabot.yml"
        || file == ".npmrc"
    {
        return FileClass::Manifest;
    }
    let ci = lower.starts_with(".github/workflows/")
        || lower.starts_with(".github/actions/")
        || lower.starts_with(".circleci/")
        || lower.starts_with(".buildkite/")
        || lower.starts_with(".ci/")
        || lower.starts_with("ci/")
        || matches!(
            file,
            ".gitlab-ci.yml"
                | ".travis.yml"
                | "jenkinsfile"
                | "azure-pipelines.yml"
                | "bitbucket-pipelines.yml"
                | "appveyor.yml"
                | ".appveyor.yml"
                | ".drone.yml"
                | ".cirrus.yml"
                | "cross.toml"
        );
    if ci {
        return FileClass::Ci;
    }
    let test_dir = dirs.iter().any(|d| {
        matches!(
            *d,
            "test"
                | "tests"
                | "testing"
                | "spec"
                | "specs"
                | "__tests__"
                | "testdata"
                | "fixtures"
                | "benches"
                | "bench"
                | "benchmarks"
                | "e2e"
        )
    });
    let test_file = stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem == "tests"
        || stem == "test"
        || file.contains(".test.")
        || file.contains(".spec.")
        || file.ends_with("_test.go")
        || file.ends_with("_spec.rb");
    if test_dir || test_file {
        return FileClass::Test;
    }
    let doc_ext = [".md", ".rst", ".adoc", ".markdown", ".txt", ".tpl"]
        .iter()
        .any(|e| file.ends_with(e));
    if lower.starts_with("docs/")
        || lower.starts_with("doc/")
        || lower.contains("/docs/")
        || lower.starts_with("example/")
        || lower.starts_with("examples/")
        || (doc_ext && !file.starts_with("cmakelists"))
        || [
            "readme",
            "license",
            "licence",
            "authors",
            "contributing",
            "code_of_conduct",
            "copying",
            "notice",
            "funding",
        ]
        .iter()
        .any(|p| file.starts_with(p))
        || lower.starts_with(".github/issue_template")
        || file == "pull_request_template.md"
    {
        return FileClass::Docs;
    }
    if matches!(
        file,
        "build.rs"
            | "makefile"
            | "gnumakefile"
            | "cmakelists.txt"
            | "meson.build"
            | "build.sh"
            | "configure"
            | "configure.ac"
            | "justfile"
            | "rollup.config.js"
            | "rollup.config.cjs"
            | "rollup.config.mjs"
            | "webpack.config.js"
            | "vite.config.ts"
            | "tsconfig.json"
            | "rust-toolchain"
            | "rust-toolchain.toml"
            | "build.zig"
            | "dockerfile"
    ) || lower.starts_with(".cargo/")
        || file.ends_with(".mk")
        || file.ends_with(".cmake")
    {
        return FileClass::BuildScript;
    }
    FileClass::Code
}

/// Is `path` a test file? (Used by the content rules.)
pub fn is_test_path(path: &str) -> bool {
    file_class(path) == FileClass::Test
}

/// Is `path` a changelog?
pub fn is_changelog_path(path: &str) -> bool {
    file_class(path) == FileClass::Changelog
}

/// What the files of a commit are, taken together.
#[derive(Debug, Clone, Default)]
struct Shape {
    changelog: usize,
    docs: usize,
    test: usize,
    ci: usize,
    lock: usize,
    manifest: usize,
    build: usize,
    code: usize,
    code_lines: u64,
    total: usize,
}

/// The class of each judged file, computed once per commit (the rules ask it several times).
struct FileClasses<'a>(std::collections::HashMap<&'a str, FileClass>);

impl<'a> FileClasses<'a> {
    fn of(files: &[&'a FileChange]) -> Self {
        Self(
            files
                .iter()
                .map(|f| (f.path.as_str(), file_class(&f.path)))
                .collect(),
        )
    }
    /// A judged file's class; any other path is classified on the spot.
    fn get(&self, path: &str) -> FileClass {
        self.0
            .get(path)
            .copied()
            .unwrap_or_else(|| file_class(path))
    }
}

impl Shape {
    fn of(files: &[&FileChange], classes: &FileClasses) -> Shape {
        let mut s = Shape {
            total: files.len(),
            ..Shape::default()
        };
        for f in files {
            match classes.get(&f.path) {
                FileClass::Changelog => s.changelog += 1,
                FileClass::Docs => s.docs += 1,
                FileClass::Test => s.test += 1,
                FileClass::Ci => s.ci += 1,
                FileClass::Lockfile => s.lock += 1,
                FileClass::Manifest => s.manifest += 1,
                FileClass::BuildScript => s.build += 1,
                FileClass::Code => {
                    s.code += 1;
                    s.code_lines += f.added_lines + f.deleted_lines;
                }
            }
        }
        s
    }
    fn only(&self, n: usize) -> bool {
        self.total > 0 && n == self.total
    }
    fn docs_only(&self) -> bool {
        self.only(self.docs + self.changelog)
    }
    fn changelog_only(&self) -> bool {
        self.only(self.changelog)
    }
    fn test_only(&self) -> bool {
        self.only(self.test)
    }
    fn deps_only(&self) -> bool {
        self.only(self.lock + self.manifest)
    }
    /// Release-shaped: manifests, lock files and changelog only.
    fn release_shaped(&self) -> bool {
        self.only(self.lock + self.manifest + self.changelog)
    }
    fn ci_build_only(&self) -> bool {
        self.only(self.ci + self.build)
            || self.only(self.ci + self.build + self.lock + self.manifest)
                && self.ci + self.build > 0
    }
    /// Touches source code (or build scripts, which run code).
    fn touches_code(&self) -> bool {
        self.code + self.build > 0
    }
}

const SOUNDNESS_WORDS: &[&str] = &[
    "ub",
    "unsound",
    "unsoundness",
    "soundness",
    "segfault",
    "segfaults",
    "miri",
    "corruption",
    "corrupted",
    "uaf",
];

const SOUNDNESS_PHRASES: &[&[&str]] = &[
    &["undefined", "behavior"],
    &["undefined", "behaviour"],
    &["data", "race"],
    &["data", "loss"],
    &["memory", "leak"],
    &["memory", "safety"],
    &["arithmetic", "overflow"],
    &["stack", "overflow"],
    &["out", "of", "bounds"],
    &["uninitialized", "memory"],
    &["null", "pointer", "dereference"],
    &["leak", "on", "panic"],
];

/// Crash words: count in the subject only (bodies explain panics of every kind).
const CRASH_WORDS: &[&str] = &[
    "crash",
    "crashes",
    "crashed",
    "crashing",
    "panic",
    "panics",
    "panicking",
    "abort",
    "aborts",
    "hang",
    "hangs",
    "leak",
    "leaks",
    "deadlock",
    "deadlocks",
];

/// Security words that also have an everyday meaning: trusted in the subject only.
const AMBIGUOUS_SECURITY_WORDS: &[&str] = &["exploit", "exploits", "exploitable", "injection"];

/// Objects of a "fix" that are not behaviour: the build, CI, tests, warnings, docs.
const NON_BEHAVIOUR_OBJECTS: &[&str] = &[
    "build",
    "ci",
    "test",
    "tests",
    "warning",
    "warnings",
    "compile",
    "compilation",
    "compiler",
    "lint",
    "clippy",
    "docs",
    "doc",
    "typo",
    "typos",
    "changelog",
    "readme",
    "comment",
    "comments",
];

/// Conventional-commit types; any other `word:` prefix is an area (`cli: …`), not a type.
const KNOWN_KINDS: &[&str] = &[
    "feat", "feature", "fix", "bugfix", "hotfix", "docs", "doc", "style", "refactor", "perf",
    "test", "tests", "build", "ci", "chore", "revert", "security", "sec", "deps", "release",
    "i18n", "meta", "fmt", "format", "lint",
];

const FEATURE_KINDS: &[&str] = &["feat", "feature", "perf", "refactor"];
const NON_CODE_SCOPES: &[&str] = &[
    "docs", "doc", "test", "tests", "ci", "build", "deps", "deps-dev", "release", "readme", "typo",
    "lint", "fmt", "style",
];

/// `Name-1.2.3`, `Version 1.2`, `v1.2.3`, `Bump version`, `release 17.3.0`, `Publish 0.6.10`.
fn version_subject(subject: &str) -> bool {
    let lower = subject.to_lowercase();
    let versionish = |w: &str| {
        let w = w.trim_start_matches('v').trim_end_matches(['.', ')', ',']);
        let parts: Vec<&str> = w.split('.').collect();
        parts.len() >= 2
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.chars().next().is_some_and(|c| c.is_ascii_digit()))
    };
    let last_dash = lower.rsplit_once('-').map(|(_, v)| v).unwrap_or("");
    if !lower.contains(' ') && versionish(last_dash) {
        return true;
    }
    let words: Vec<&str> = lower.split_whitespace().collect();
    let has_version = words.iter().any(|w| versionish(w));
    (has_version
        && words
            .iter()
            .any(|w| ["version", "release", "publish", "v"].contains(&w.trim_end_matches(':'))))
        || lower.starts_with("bump version")
        || lower.starts_with("version bump")
        || lower.contains("release ") && has_version
        || (words.len() <= 2 && has_version)
}

/// Breaking markers: `type!:` on the subject or a body line, a `BREAKING CHANGE:` footer, a
/// subject starting with `BREAKING`, or `[breaking change]`.
fn breaking_marker(message: &str) -> Option<&'static str> {
    let subject = message.lines().next().unwrap_or("");
    if parse_header(subject).is_some_and(|h| h.breaking) {
        return Some("the subject marks it breaking (`!`)");
    }
    let upper = subject.trim().to_ascii_uppercase();
    if upper.starts_with("BREAKING")
        || upper.contains("[BREAKING CHANGE]")
        || upper.contains("[BREAKING]")
    {
        return Some("the subject says BREAKING");
    }
    for line in message.lines().skip(1) {
        let l = line.trim_start().trim_start_matches(['*', '-', ' ']);
        if l.starts_with("BREAKING CHANGE") || l.starts_with("BREAKING-CHANGE") {
            return Some("a BREAKING CHANGE footer");
        }
        if parse_header(l).is_some_and(|h| h.breaking && h.kind.len() <= 10) {
            return Some("a body line marks a change breaking (`!`)");
        }
    }
    None
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(10)]
}

/// The commit a revert names: `This reverts commit X` or `revert(s|ing) X` in prose, resolved.
fn reverted<'a>(message: &str, mentioned: &'a [Mentioned]) -> Option<&'a Mentioned> {
    let lower = message.to_lowercase();
    mentioned.iter().find(|m| {
        let t = m.token.to_lowercase();
        [
            "reverts commit ",
            "revert commit ",
            "reverts ",
            "reverting ",
            "revert of ",
            "reverted ",
        ]
        .iter()
        .any(|p| lower.contains(&format!("{p}{t}")))
    })
}

fn revert_claim(subject: &str, message: &str, kind: &str) -> bool {
    let lower = subject.to_lowercase();
    kind == "revert"
        || lower.starts_with("revert \"")
        || lower.starts_with("revert '")
        || lower.starts_with("revert:")
        || message.contains("This reverts commit ")
}

/// Classify one commit. See the module docs for the rules.
pub fn classify(commit: &CommitInfo) -> Classification {
    classify_parsed(commit, commit.diff.as_deref().map(diff::parse))
}

/// [`classify`] with `commit.diff` already parsed (`parsed` is `diff::parse` of it, `None` when
/// there is no diff), so a caller that needs the parse too does it once.
pub fn classify_parsed(
    commit: &CommitInfo,
    parsed: Option<Result<Vec<FileDiff>, diff::Error>>,
) -> Classification {
    let message = commit.message.trim();
    let subject = message.lines().next().unwrap_or("").trim();
    let header = parse_header(subject);
    // `doc:` is `docs:`; `cli:`, `regex:` and other areas are no type at all.
    let kind = match header.as_ref().map(|h| h.kind.as_str()).unwrap_or("") {
        "doc" => "docs",
        "tests" => "test",
        k if KNOWN_KINDS.contains(&k) => k,
        _ => "",
    };
    let scope = header
        .as_ref()
        .and_then(|h| h.scope)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let all_words = words(message);
    let subject_words = words(subject);
    let lower_subject = subject.to_lowercase();
    let bot = is_bot(&commit.author);

    // Which files to judge: a merge is judged by its own changes when its branch is in the
    // report (the branch commits speak for themselves), else by its whole first-parent diff.
    let merge = commit.merge.as_ref().filter(|_| commit.parent_count >= 2);
    let folded = merge.is_some_and(|m| m.branch_in_report);
    let judged: Vec<&FileChange> = match merge {
        Some(m) if m.branch_in_report => commit
            .files
            .iter()
            .filter(|f| m.own_paths.contains(&f.path))
            .collect(),
        _ => commit.files.iter().collect(),
    };
    let classes = FileClasses::of(&judged);
    let shape = Shape::of(&judged, &classes);

    // Content: the diff's lines for the judged files.
    let mut notes: Vec<String> = Vec::new();
    let parsed: Option<Vec<FileDiff>> = match parsed {
        Some(result) => match result {
            Ok(files) => Some(
                files
                    .into_iter()
                    .filter(|f| judged.iter().any(|j| j.path == f.path))
                    .collect(),
            ),
            Err(e) => {
                notes.push(format!(
                    "its diff could not be read ({e}): judged by paths only"
                ));
                None
            }
        },
        None => None,
    };
    let unread_code = parsed.is_none() && shape.code_lines > 0 && !judged.is_empty();
    if commit.diff.is_none() && unread_code {
        notes.push(format!(
            "its diff was not read (a root commit, or past the size cap; {} changed lines of code): content not inspected",
            shape.code_lines
        ));
    }
    let files_diff = parsed.unwrap_or_default();
    let secrets = content::secrets(&files_diff);
    let unsafe_added = content::unsafe_added(&files_diff);
    let api = content::api_change(&files_diff, |p| classes.get(p) == FileClass::Test);
    let changelog =
        content::changelog_hints(&files_diff, |p| classes.get(p) == FileClass::Changelog);

    let mut out = Verdict::default();

    // Merges: folded unless they change something of their own.
    if let Some(m) = merge {
        if m.branch_in_report && judged.is_empty() {
            out.add(
                Category::Chore,
                format!(
                    "merge of {} commit(s) judged on their own; it changes nothing beyond them",
                    m.brings
                ),
            );
            return out.finish();
        }
        if m.branch_in_report {
            let paths: Vec<&str> = judged.iter().take(3).map(|f| f.path.as_str()).collect();
            out.add(
                Category::Review,
                format!(
                    "merge changes {} file(s) that none of its {} branch commit(s) touched: {}",
                    judged.len(),
                    m.brings,
                    paths.join(", ")
                ),
            );
        }
    } else if commit.parent_count < 2
        && [
            "merge pull request",
            "merge branch",
            "merge remote-tracking branch",
            "merge tag",
            "auto merge of",
        ]
        .iter()
        .any(|p| lower_subject.starts_with(p))
    {
        out.add(
            Category::Review,
            "subject says merge but the commit has one parent: judged by its change".into(),
        );
    }

    // Security: content first, then advisories, then words on a change that can carry them.
    for s in secrets.iter().take(3) {
        out.add(
            Category::Security,
            format!("adds what looks like a secret ({}) in {}", s.kind, s.path),
        );
    }
    for f in &judged {
        if path_risk(&f.path) == Some(PathRisk::Secrets) && f.status != ChangeStatus::Deleted {
            out.add(
                Category::Security,
                format!(
                    "{} secret-bearing file {}",
                    if f.status == ChangeStatus::Added {
                        "adds"
                    } else {
                        "changes"
                    },
                    f.path
                ),
            );
        }
    }
    let ids = advisory_ids(message);
    if !ids.is_empty() {
        out.add(
            Category::Security,
            format!("names advisory {}", ids.join(", ")),
        );
    }
    // Words with an everyday meaning too ("exploit a niche", "dependency injection") count in
    // the subject only.
    let sec_word = has_any(&all_words, SECURITY_WORDS)
        .filter(|w| w != "cve" && w != "ghsa")
        .filter(|w| !AMBIGUOUS_SECURITY_WORDS.contains(&w.as_str()))
        .or_else(|| has_any(&subject_words, AMBIGUOUS_SECURITY_WORDS))
        .map(|w| format!("security word \"{w}\""))
        .or_else(|| {
            has_phrase(&all_words, SECURITY_PHRASES).map(|p| format!("security issue \"{p}\""))
        })
        .or_else(|| {
            (kind == "security" || kind == "sec" || scope == "security")
                .then(|| "type or scope security".to_string())
        });
    if let Some(w) = sec_word {
        if shape.docs_only() || shape.test_only() {
            out.add(
                Category::Review,
                format!(
                    "{w} on a change to {} only",
                    if shape.docs_only() {
                        "documentation"
                    } else {
                        "tests"
                    }
                ),
            );
        } else {
            out.add(Category::Security, format!("the message names a {w}"));
        }
    }
    if changelog.security && shape.touches_code() {
        out.add(
            Category::Security,
            "its changelog entry is a security entry".into(),
        );
    }

    // Reverts, verified by the commit they name.
    if let Some(r) = reverted(message, &commit.mentioned) {
        let what = format!("reverts {} \"{}\"", short(&r.sha), r.subject);
        let rwords = words(&r.subject);
        if !advisory_ids(&r.subject).is_empty() || has_any(&rwords, SECURITY_WORDS).is_some() {
            out.add(Category::Security, format!("{what}, a security change"));
        }
        out.add(Category::Revert, what);
    } else if revert_claim(subject, message, kind) {
        out.add(
            Category::Review,
            "says it reverts a commit but names none found in this repository".into(),
        );
    }

    // Breaking.
    if let Some(why) = breaking_marker(message) {
        if shape.docs_only() {
            out.add(
                Category::Docs,
                format!("{why}, but only documentation changes"),
            );
        } else {
            out.add(Category::Breaking, why.into());
        }
    }
    if changelog.breaking && shape.touches_code() {
        out.add(
            Category::Breaking,
            "its changelog entry is under BREAKING".into(),
        );
    }
    for (path, item) in api.removed.iter().take(2) {
        out.add(
            Category::Review,
            format!("removes public item `{item}` from {path}"),
        );
    }
    if api.removed.is_empty() {
        for (path, item) in api.changed.iter().take(1) {
            out.add(
                Category::Review,
                format!("changes the signature of public `{item}` in {path}"),
            );
        }
    }

    // Soundness and crashes: code changes only.
    // Cosmetic words mean cosmetic only when the change could be: not when it also adds tests.
    let adds_tests = judged
        .iter()
        .any(|f| classes.get(&f.path) == FileClass::Test && f.added_lines > 0)
        && shape.code > 0;
    let trivial = has_any(&all_words, TRIVIAL_WORDS)
        .filter(|_| !FEATURE_KINDS.contains(&kind) && !adds_tests);
    let code_change = shape.touches_code() && !shape.test_only();
    let sound = has_any(&all_words, SOUNDNESS_WORDS)
        .or_else(|| has_phrase(&all_words, SOUNDNESS_PHRASES))
        .or_else(|| has_any(&subject_words, CRASH_WORDS));
    if let Some(w) = &sound
        && code_change
    {
        out.add(
            Category::Soundness,
            format!("a code change the message ties to \"{w}\""),
        );
    }
    for (path, n) in unsafe_added.iter().take(2) {
        out.add(Category::Review, format!("adds {n} `unsafe` in {path}"));
    }

    // Fixes: the type or the subject says fix, and the change touches code.
    let fix_kind =
        ["fix", "bugfix", "hotfix"].contains(&kind) && !NON_CODE_SCOPES.contains(&scope.as_str());
    let typed_other = !kind.is_empty() && !fix_kind && kind != "revert";
    let non_behaviour = has_any(&subject_words, NON_BEHAVIOUR_OBJECTS);
    let fix_word = has_any(&subject_words, FIX_WORDS)
        .or_else(|| has_any(&subject_words, STRONG_FIX_WORDS))
        .filter(|_| trivial.is_none() && !typed_other && non_behaviour.is_none());
    let strong_body = has_any(&all_words, &["bug", "bugs", "regression", "regressions"]);
    if (fix_kind || fix_word.is_some()) && trivial.is_none() {
        let said = if fix_kind {
            format!("type {kind}")
        } else {
            format!("\"{}\"", fix_word.clone().unwrap_or_default())
        };
        if code_change {
            out.add(
                Category::Fix,
                format!("a code change whose message says {said}"),
            );
        } else if shape.only(shape.manifest) && fix_kind && !bot {
            out.add(
                Category::Fix,
                format!("a manifest change whose message says {said}"),
            );
        } else if !judged.is_empty() {
            notes.push(format!(
                "the message says {said} but the change {}: judged by the change",
                what_only(&shape)
            ));
        }
    }
    if shape.deps_only() && strong_body.is_some() && !bot {
        out.add(
            Category::Fix,
            format!(
                "a dependency update the message ties to \"{}\"",
                strong_body.clone().unwrap_or_default()
            ),
        );
    }
    if changelog.fix && code_change && !typed_other {
        out.add(Category::Fix, "its changelog entry is a bug fix".into());
    }

    // What the change is, when nothing above decided.
    for f in judged.iter() {
        if let Some(
            risk @ (PathRisk::Auth
            | PathRisk::Crypto
            | PathRisk::Permissions
            | PathRisk::Migrations),
        ) = path_risk(&f.path)
        {
            out.add(
                Category::Review,
                format!("touches {} path {}", risk.label(), f.path),
            );
            break;
        }
    }
    if let Some(b) = judged
        .iter()
        .find(|f| f.binary && f.status == ChangeStatus::Added)
    {
        out.add(Category::Review, format!("adds binary file {}", b.path));
    }
    if let Some(d) = large_deletion(&judged, &classes) {
        out.add(Category::Review, format!("large deletion: {d}"));
    }
    // The message claims something small the change contradicts.
    let kind_docs = kind == "docs";
    let claims_docs =
        ["docs", "style", "chore", "test", "tests", "ci"].contains(&kind) || trivial.is_some();
    if claims_docs && shape.code_lines > DISGUISE_CODE_LINES && !folded {
        out.add(
            Category::Review,
            format!(
                "the message reads as {} but the change rewrites {} line(s) of code in {} file(s): judged by the change",
                if kind.is_empty() { trivial.clone().unwrap_or_default() } else { kind.to_string() },
                shape.code_lines,
                shape.code
            ),
        );
    }
    if (unread_code
        || commit
            .diff
            .as_ref()
            .is_some_and(|_| notes.iter().any(|n| n.contains("could not be read"))))
        && let Some(n) = notes.first()
    {
        out.add(Category::Review, n.clone());
    }
    if shape.ci > 0 && !shape.touches_code() {
        let who = if bot { " by a bot account" } else { "" };
        out.add(Category::CiBuild, format!("changes CI configuration{who}"));
    }
    if shape.build > 0 && shape.code == 0 {
        out.add(Category::CiBuild, "changes build scripts".into());
    }
    if ["ci", "build"].contains(&kind) && !shape.docs_only() && !shape.deps_only() {
        out.add(Category::CiBuild, format!("type {kind}"));
    }
    let release = shape.release_shaped()
        && scope != "deps"
        && !(subject_words.contains(&"from".to_string())
            && subject_words.contains(&"to".to_string()))
        && (version_subject(subject)
            || kind == "release"
            || (kind == "chore" && lower_subject.contains("release")));
    if release && out.best.is_none() {
        out.add(
            Category::Chore,
            "release: version bump and release notes".into(),
        );
    }
    if shape.deps_only() && !release {
        if bot {
            out.add_bucket(
                Category::Deps,
                Bucket::Noise,
                "dependency bump by a bot".into(),
            );
        } else {
            out.add(
                Category::Deps,
                "changes dependency manifests or lock files only".into(),
            );
        }
    }
    if shape.docs_only() {
        out.add(
            Category::Docs,
            if shape.changelog_only() {
                "changelog only".into()
            } else {
                "documentation only".into()
            },
        );
    }
    if shape.test_only() {
        out.add(Category::Chore, "tests only".into());
    }
    if judged.is_empty() {
        out.add(Category::Chore, "changes no files".into());
    }
    if let Some(w) = &trivial
        && shape.code_lines <= DISGUISE_CODE_LINES
    {
        out.add(Category::Chore, format!("cosmetic ({w})"));
    }
    if FORMAT_KINDS.contains(&kind) && shape.code_lines <= DISGUISE_CODE_LINES {
        out.add(Category::Chore, "formatting or lint".into());
    }
    if out.best.is_none() && kind_docs {
        out.add(
            Category::Docs,
            format!(
                "type {kind}, {} line(s) of code (comments and help text)",
                shape.code_lines
            ),
        );
    }
    if out.best.is_none() && ["test", "tests", "style", "chore"].contains(&kind) {
        out.add(Category::Chore, format!("type {kind}"));
    }
    if out.best.is_none() && shape.touches_code() {
        let what = if kind.is_empty() {
            "a code change".to_string()
        } else {
            format!("a code change, type {kind}")
        };
        out.add(Category::Change, what);
    }
    if out.best.is_none() {
        out.add(Category::Chore, "nothing of note".into());
    }
    for n in notes {
        if !out.reasons.contains(&n) {
            out.reasons.push(n);
        }
    }
    out.finish()
}

/// Code lines a "docs"/"typo"/"style" message may cover before the change contradicts it.
pub const DISGUISE_CODE_LINES: u64 = 40;

fn what_only(shape: &Shape) -> &'static str {
    if shape.docs_only() {
        "changes documentation only"
    } else if shape.test_only() {
        "changes tests only"
    } else if shape.deps_only() {
        "changes dependency files only"
    } else if shape.ci_build_only() {
        "changes CI or build files only"
    } else {
        "changes no code"
    }
}

/// Collects categories and reasons; the most severe category decides.
#[derive(Default)]
struct Verdict {
    best: Option<(Category, Bucket)>,
    reasons: Vec<String>,
}

impl Verdict {
    fn add(&mut self, c: Category, reason: String) {
        self.add_bucket(c, c.bucket(), reason);
    }
    fn add_bucket(&mut self, c: Category, b: Bucket, reason: String) {
        match self.best {
            // The first (or a more severe) category decides; its reason goes first.
            None => {
                self.best = Some((c, b));
                self.reasons.insert(0, reason);
            }
            Some((cur, _)) if c < cur => {
                self.best = Some((c, b));
                self.reasons.insert(0, reason);
            }
            // Less severe categories add their reason after the deciding one, except the
            // low ones (change, docs, chore), which only speak when nothing else did.
            Some((cur, _)) if c >= Category::Change && cur != c => {}
            Some(_) => {
                if !self.reasons.contains(&reason) {
                    self.reasons.push(reason);
                }
            }
        }
    }
    fn finish(self) -> Classification {
        let (category, bucket) = self.best.unwrap_or((Category::Chore, Bucket::Noise));
        let mut reasons = self.reasons;
        reasons.truncate(6);
        Classification {
            category,
            bucket,
            reasons,
        }
    }
}

/// Deletion of more than this many lines in one commit counts as large.
pub const LARGE_DELETION_LINES: u64 = 500;

/// Describe a large deletion of code in `files`, if any (moves and rewrites are not deletions).
fn large_deletion(files: &[&FileChange], classes: &FileClasses) -> Option<String> {
    let code: Vec<&&FileChange> = files
        .iter()
        .filter(|f| classes.get(&f.path) == FileClass::Code)
        .collect();
    let deleted: u64 = code.iter().map(|f| f.deleted_lines).sum();
    let added: u64 = code.iter().map(|f| f.added_lines).sum();
    (deleted > LARGE_DELETION_LINES && deleted > added.saturating_mul(2))
        .then(|| format!("deletes {deleted} lines of code (adds {added})"))
}

#[cfg(test)]
mod tests;
