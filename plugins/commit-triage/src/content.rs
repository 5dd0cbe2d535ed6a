//! What a change's lines say, whatever its message claims: secret-like additions, `unsafe`
//! added, public API items removed or re-declared, and what an edited changelog says.
//!
//! Guarantees: rules work on classes of input (token shapes, declaration syntax of Rust,
//! Python, JavaScript/TypeScript and Go, changelog conventions), never on listed lines; every
//! finding names the file it is in; pure and total.

use crate::diff::FileDiff;

/// A secret-like string in an added line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretHit {
    pub path: String,
    /// What it looks like (`AWS access key id`, `private key block`, …).
    pub kind: &'static str,
}

fn is_alnum_run(s: &str, min: usize, extra: &[char]) -> bool {
    s.chars().count() >= min
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || extra.contains(&c))
}

/// Tokens of a line: runs of characters that may appear in a credential.
fn tokens(line: &str) -> impl Iterator<Item = &str> {
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .filter(|t| t.len() >= 16)
}

/// Placeholder values that are not secrets (`${VAR}`, `<token>`, `changeme`, `xxxx`, …).
fn placeholder(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    v.contains("${")
        || v.contains("{{")
        || v.starts_with('<')
        || v.starts_with('$')
        || v.starts_with('%')
        || v.contains("xxxx")
        || v.contains("****")
        || [
            "changeme",
            "example",
            "dummy",
            "placeholder",
            "your",
            "redacted",
            "secret",
            "password",
            "token",
            "none",
            "null",
            "test",
        ]
        .iter()
        .any(|p| v.contains(p))
        || v.chars().collect::<std::collections::BTreeSet<_>>().len() < 5
}

/// Does the value look random enough to be a credential (letters and digits mixed)?
fn credential_like(value: &str) -> bool {
    let letters = value.chars().filter(char::is_ascii_alphabetic).count();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    value.len() >= 12 && letters >= 4 && digits >= 2 && !placeholder(value)
}

/// The shape of credential `token` has, if any.
fn token_kind(token: &str) -> Option<&'static str> {
    let t = token.trim_matches(|c: char| "=./-".contains(c));
    let tail = |prefix: &str| t.strip_prefix(prefix);
    if let Some(rest) = tail("AKIA").or_else(|| tail("ASIA"))
        && rest.len() == 16
        && rest
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return Some("AWS access key id");
    }
    for p in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        if let Some(rest) = tail(p)
            && rest.len() >= 36
            && is_alnum_run(rest, 36, &[])
        {
            return Some("GitHub token");
        }
    }
    if let Some(rest) = tail("github_pat_")
        && is_alnum_run(rest, 22, &['_'])
    {
        return Some("GitHub token");
    }
    for p in ["xoxb-", "xoxa-", "xoxp-", "xoxr-", "xoxs-"] {
        if let Some(rest) = tail(p)
            && is_alnum_run(rest, 10, &['-'])
        {
            return Some("Slack token");
        }
    }
    if let Some(rest) = tail("sk_live_").or_else(|| tail("rk_live_"))
        && is_alnum_run(rest, 16, &[])
    {
        return Some("Stripe live key");
    }
    if let Some(rest) = tail("AIza")
        && rest.len() == 35
        && is_alnum_run(rest, 35, &['_', '-'])
    {
        return Some("Google API key");
    }
    if let Some(rest) = tail("glpat-")
        && is_alnum_run(rest, 20, &['_', '-'])
    {
        return Some("GitLab token");
    }
    None
}

const SECRET_NAMES: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "secret",
    "secret_key",
    "client_secret",
    "api_key",
    "apikey",
    "access_key",
    "access_token",
    "auth_token",
    "private_key",
    "token",
];

/// `NAME = "value"` / `NAME: value` / `NAME=value` with a credential-like value.
fn assignment_secret(line: &str) -> bool {
    let Some(pos) = line.find(['=', ':']) else {
        return false;
    };
    let name = line[..pos]
        .trim()
        .trim_start_matches("export ")
        .trim_matches(|c: char| c == '"' || c == '\'')
        .to_ascii_lowercase()
        .replace('-', "_");
    let last = name.rsplit(['.', ' ', '[']).next().unwrap_or("");
    if !SECRET_NAMES.iter().any(|s| {
        last.strip_suffix(s)
            .is_some_and(|r| r.is_empty() || r.ends_with('_'))
    }) {
        return false;
    }
    let value = line[pos + 1..]
        .trim()
        .trim_end_matches([',', ';'])
        .trim_matches(|c: char| c == '"' || c == '\'');
    !value.contains(char::is_whitespace) && credential_like(value)
}

/// Secret-like strings in the added lines of `files` (documentation and test files included:
/// a real key pasted into a README leaks the same).
pub fn secrets(files: &[FileDiff]) -> Vec<SecretHit> {
    let mut out = Vec::new();
    for f in files {
        let mut hit = |kind| {
            if !out
                .iter()
                .any(|h: &SecretHit| h.path == f.path && h.kind == kind)
            {
                out.push(SecretHit {
                    path: f.path.clone(),
                    kind,
                });
            }
        };
        for line in &f.added {
            // The one-byte search first: most lines have no `-` at all.
            if line.contains('-')
                && line.contains("-----BEGIN")
                && line.contains("PRIVATE KEY-----")
            {
                hit("private key block");
                continue;
            }
            if let Some(kind) = tokens(line).find_map(token_kind) {
                hit(kind);
                continue;
            }
            if assignment_secret(line) {
                hit("credential assignment");
            }
        }
    }
    out
}

/// Lines of Rust code (comments dropped).
fn code_lines(lines: &[String]) -> impl Iterator<Item = &str> {
    lines
        .iter()
        .map(|l| l.trim())
        .filter(|l| !(l.starts_with("//") || l.starts_with("/*") || l.starts_with('*')))
}

fn count_word(line: &str, word: &str) -> usize {
    line.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| *w == word)
        .count()
}

/// Net `unsafe` keywords added to Rust files: (path, count) where added exceeds removed.
pub fn unsafe_added(files: &[FileDiff]) -> Vec<(String, usize)> {
    files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .filter_map(|f| {
            let added: usize = code_lines(&f.added).map(|l| count_word(l, "unsafe")).sum();
            let removed: usize = code_lines(&f.removed)
                .map(|l| count_word(l, "unsafe"))
                .sum();
            (added > removed).then(|| (f.path.clone(), added - removed))
        })
        .collect()
}

/// A public declaration on one line: (item name, the line squashed of whitespace).
fn public_item(path: &str, line: &str) -> Option<(String, String)> {
    let t = line.trim_end();
    let ident = |s: &str| -> Option<String> {
        let name: String = s
            .trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
            .collect();
        (!name.is_empty()).then_some(name)
    };
    let squashed = || t.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".rs") {
        // Top-level-ish items only: indentation of at most one level (impl/trait members).
        let indent = t.len() - t.trim_start().len();
        let s = t.trim_start().strip_prefix("pub ")?;
        if indent > 4 {
            return None;
        }
        let s = s
            .trim_start_matches("const fn ")
            .trim_start_matches("async fn ")
            .trim_start_matches("unsafe fn ");
        for kw in [
            "fn ", "struct ", "enum ", "trait ", "type ", "const ", "static ", "mod ",
        ] {
            if let Some(rest) = s.strip_prefix(kw) {
                return ident(rest).map(|n| (n, squashed()));
            }
        }
        if t.trim_start().starts_with("pub const fn ")
            || t.trim_start().starts_with("pub unsafe fn ")
            || t.trim_start().starts_with("pub async fn ")
        {
            let rest = t.trim_start().split(" fn ").nth(1)?;
            return ident(rest).map(|n| (n, squashed()));
        }
        return None;
    }
    if lower.ends_with(".py") {
        for kw in ["def ", "async def ", "class "] {
            if let Some(rest) = t.strip_prefix(kw) {
                return ident(rest)
                    .filter(|n| !n.starts_with('_'))
                    .map(|n| (n, squashed()));
            }
        }
        return None;
    }
    if [".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        let s = t.strip_prefix("export ")?;
        let s = s
            .trim_start_matches("default ")
            .trim_start_matches("declare ")
            .trim_start_matches("async ")
            .trim_start_matches("abstract ");
        for kw in [
            "function* ",
            "function ",
            "class ",
            "const ",
            "let ",
            "var ",
            "interface ",
            "type ",
            "enum ",
        ] {
            if let Some(rest) = s.strip_prefix(kw) {
                return ident(rest).map(|n| (n, squashed()));
            }
        }
        return None;
    }
    if lower.ends_with(".go") {
        let rest = t.strip_prefix("func ")?;
        // Methods: `func (r *T) Name(`.
        let rest = if rest.starts_with('(') {
            rest.split_once(") ")?.1
        } else {
            rest
        };
        return ident(rest)
            .filter(|n| n.chars().next().is_some_and(char::is_uppercase))
            .map(|n| (n, squashed()));
    }
    None
}

/// What a change does to public API items of the languages read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiChange {
    /// (path, item) declared on a removed line and on no added line.
    pub removed: Vec<(String, String)>,
    /// (path, item) re-declared with a different signature.
    pub changed: Vec<(String, String)>,
}

/// Public items removed or re-declared, skipping test files (`is_test` says which).
pub fn api_change(files: &[FileDiff], is_test: impl Fn(&str) -> bool) -> ApiChange {
    use std::collections::BTreeMap;
    let mut out = ApiChange::default();
    let mut added: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in files.iter().filter(|f| !is_test(&f.path)) {
        for l in &f.added {
            if let Some((name, sig)) = public_item(&f.path, l) {
                added.entry(name).or_default().push(sig);
            }
        }
    }
    for f in files.iter().filter(|f| !is_test(&f.path)) {
        for l in &f.removed {
            let Some((name, sig)) = public_item(&f.path, l) else {
                continue;
            };
            match added.get(&name) {
                None => out.removed.push((f.path.clone(), name)),
                Some(sigs) if !sigs.contains(&sig) => out.changed.push((f.path.clone(), name)),
                Some(_) => {}
            }
        }
    }
    out.removed.dedup();
    out.changed.dedup();
    out
}

/// What lines added to a changelog file say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangelogHints {
    pub breaking: bool,
    pub security: bool,
    pub fix: bool,
}

/// Read the added lines of changelog files: a `BREAKING` heading or entry, a security or
/// advisory entry, a `BUG`/`Fix`/`Fixed` entry.
pub fn changelog_hints(files: &[FileDiff], is_changelog: impl Fn(&str) -> bool) -> ChangelogHints {
    let mut h = ChangelogHints::default();
    for f in files.iter().filter(|f| is_changelog(&f.path)) {
        for l in &f.added {
            let t = l
                .trim()
                .trim_start_matches(['*', '-', '#', ' ', '['])
                .trim_start();
            let upper = t.to_ascii_uppercase();
            if upper.starts_with("BREAKING") || upper.contains("BREAKING CHANGE") {
                h.breaking = true;
            }
            if upper.starts_with("SECURITY") || !crate::classify::advisory_ids(t).is_empty() {
                h.security = true;
            }
            if upper.starts_with("BUG")
                || upper.starts_with("FIX ")
                || upper.starts_with("FIXED ")
                || upper.starts_with("FIXES ")
            {
                h.fix = true;
            }
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn file(path: &str, added: &[&str], removed: &[&str]) -> FileDiff {
        FileDiff {
            path: path.into(),
            added: added.iter().map(|s| s.to_string()).collect(),
            removed: removed.iter().map(|s| s.to_string()).collect(),
            ..FileDiff::default()
        }
    }

    #[test]
    fn secret_shapes() {
        let f = file(
            "config/prod.env",
            &[
                "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPL3",
                "DB_PASSWORD=h7Gq2vLp9Xz4Rk1w",
                "-----BEGIN OPENSSH PRIVATE KEY-----",
                "token = \"ghp_abcdefghijklmnopqrstuvwxyz0123456789\"",
            ],
            &[],
        );
        let kinds: Vec<_> = secrets(&[f]).into_iter().map(|h| h.kind).collect();
        assert_eq!(
            kinds,
            [
                "AWS access key id",
                "credential assignment",
                "private key block",
                "GitHub token"
            ]
        );
        let benign = file(
            "src/config.rs",
            &[
                "let password = read_password()?;",
                "PASSWORD=${DB_PASSWORD}",
                "api_key: <your-key-here>",
                "token: changeme123456",
                "secret_key = \"xxxxxxxxxxxxxxxx\"",
                "let x = \"AKIA\";",
            ],
            &["AWS=AKIAIOSFODNN7EXAMPL3"],
        );
        assert!(secrets(&[benign]).is_empty());
    }

    #[test]
    fn unsafe_is_counted_net_of_removals_outside_comments() {
        let f = file(
            "src/lib.rs",
            &[
                "unsafe { ptr.read() }",
                "// unsafe is fine here",
                "let unsafe_count = 1;",
            ],
            &[],
        );
        assert_eq!(unsafe_added(&[f]), [("src/lib.rs".to_string(), 1)]);
        let moved = file("src/lib.rs", &["unsafe { a() }"], &["unsafe { b() }"]);
        assert!(unsafe_added(&[moved]).is_empty());
        assert!(unsafe_added(&[file("README.md", &["unsafe"], &[])]).is_empty());
    }

    #[test]
    fn public_api() {
        let rust = file(
            "src/lib.rs",
            &["pub fn push(&mut self, v: T) -> bool {"],
            &[
                "pub fn push(&mut self, v: T) {",
                "pub struct Old;",
                "    pub(crate) fn private() {}",
                "fn helper() {}",
            ],
        );
        let py = file("pkg/api.py", &[], &["def get(url):", "def _private():"]);
        let ts = file("lib/index.ts", &[], &["export function parse(x: string) {"]);
        let go = file(
            "api.go",
            &[],
            &[
                "func (c *Client) Do(r *Request) error {",
                "func helper() {}",
            ],
        );
        let test = file("tests/api.rs", &[], &["pub fn fixture() {}"]);
        let got = api_change(&[rust, py, ts, go, test], |p| p.starts_with("tests/"));
        let names: Vec<&str> = got.removed.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["Old", "get", "parse", "Do"]);
        assert_eq!(
            got.changed,
            [("src/lib.rs".to_string(), "push".to_string())]
        );
    }

    #[test]
    fn changelog_lines() {
        let f = file(
            "CHANGELOG.md",
            &[
                "**BREAKING CHANGES**",
                "* [BUG #2243](https://x): Fix `--sort`.",
                "* SECURITY: escape paths",
            ],
            &[],
        );
        let h = changelog_hints(&[f], |p| p.starts_with("CHANGELOG"));
        assert_eq!(
            h,
            ChangelogHints {
                breaking: true,
                security: true,
                fix: true
            }
        );
        let feature = file("CHANGELOG.md", &["* [FEATURE #1](x): new flag"], &[]);
        assert_eq!(
            changelog_hints(&[feature], |p| p.starts_with("CHANGELOG")),
            ChangelogHints::default()
        );
    }

    proptest! {
        #[test]
        fn scanners_never_panic(lines in proptest::collection::vec(".{0,60}", 0..6), path in "[a-z/._]{0,12}") {
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            let f = file(&path, &refs, &refs);
            let _ = secrets(std::slice::from_ref(&f));
            let _ = unsafe_added(std::slice::from_ref(&f));
            let _ = api_change(std::slice::from_ref(&f), |_| false);
            let _ = changelog_hints(std::slice::from_ref(&f), |_| true);
        }
    }
}
