//! The report a person reads: a judged run's findings with the facts behind each line, kept in
//! the run log, printed as text or Markdown (or JSON for scripts).
//!
//! Guarantees:
//! - **Cited and verified.** A document is built only from an accepted run's findings, whose
//!   every cited SHA the host grounded; each entry keeps its full SHAs and prints a short one.
//! - **Escaped.** Everything that came from a repository or a plugin (subjects, authors,
//!   reasons, paths, ref names) is escaped before a terminal ([`strive_core::text::escape_line`])
//!   and, in Markdown, its punctuation is backslash-escaped, so a subject cannot move the
//!   cursor, forge a line, open an OSC 8 link or plant a Markdown link. The only links in
//!   Markdown are the ones built here from the remote URL (commit, pull/merge request, issue).
//! - **No credentials.** A remote URL's user and password are dropped before it is stored.
//!
//! Layout ([`document`]): `{version, loop, run_id, ts, result, note, remote: {kind, base}|null,
//! shallow, counts: {high, watch, noise}, entries: [{bucket, category, area, title, reasons,
//! cites, author, added, deleted, files, refs: [{kind, number}]}]}`, entries in severity order,
//! grouped by area (the subject's scope or `area:` prefix) within a category.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use strive_core::text::escape_line;

pub use crate::commit_facts::{CommitFacts, message_refs};
use crate::host::ReportedFinding;

/// Categories in severity order, with their section titles (ids as the triage plugin writes
/// them at the start of a finding's `detail`).
pub const CATEGORIES: &[(&str, &str)] = &[
    ("security", "Security"),
    ("revert", "Reverts"),
    ("breaking", "Breaking changes"),
    ("soundness", "Soundness, crashes and data loss"),
    ("fix", "Fixes"),
    ("divergence", "Diverged refs"),
    ("review", "Needs review"),
    ("ci-build", "CI and build"),
    ("deps", "Dependencies"),
    ("change", "Features and changes"),
    ("docs", "Documentation"),
    ("chore", "Chores, tests and releases"),
    ("other", "Other"),
];

fn rank(category: &str) -> usize {
    CATEGORIES
        .iter()
        .position(|(id, _)| *id == category)
        .unwrap_or(CATEGORIES.len())
}

/// A forge the remote URL names, for links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forge {
    /// `github`, `gitlab`, `gitea` (also Forgejo and Codeberg) or `plain`.
    pub kind: &'static str,
    /// `https://host/owner/repo`, without `.git` or credentials.
    pub base: String,
}

impl Forge {
    pub fn commit_url(&self, sha: &str) -> Option<String> {
        match self.kind {
            "github" | "gitea" => Some(format!("{}/commit/{sha}", self.base)),
            "gitlab" => Some(format!("{}/-/commit/{sha}", self.base)),
            _ => None,
        }
    }

    /// `kind` is `pr` (pull or merge request) or `issue`.
    pub fn ref_url(&self, kind: &str, number: u64) -> Option<String> {
        match (self.kind, kind) {
            ("github", "pr") => Some(format!("{}/pull/{number}", self.base)),
            ("github", _) => Some(format!("{}/issues/{number}", self.base)),
            ("gitlab", "pr") => Some(format!("{}/-/merge_requests/{number}", self.base)),
            ("gitlab", _) => Some(format!("{}/-/issues/{number}", self.base)),
            ("gitea", "pr") => Some(format!("{}/pulls/{number}", self.base)),
            ("gitea", _) => Some(format!("{}/issues/{number}", self.base)),
            _ => None,
        }
    }
}

/// The forge a remote URL points at: `https://host/o/r(.git)`, `ssh://[user@]host[:port]/o/r`,
/// `user@host:o/r.git`. Local paths and `file://` are `None`; an unknown host is `plain`
/// (no links). The host decides the kind: github.com, gitlab.com or a host named `gitlab.*`,
/// codeberg.org or a host named `gitea.*`/`forgejo.*`.
pub fn forge_of(url: &str) -> Option<Forge> {
    let url = url.trim();
    let (host, path) = if let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .or_else(|| url.strip_prefix("ssh://"))
        .or_else(|| url.strip_prefix("git://"))
    {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?;
        let host = host.split(':').next()?;
        (host.to_string(), path.to_string())
    } else if let Some((left, path)) = url.split_once(':') {
        // scp-like `user@host:path` (no scheme, no slash before the colon).
        if left.contains('/') || left.is_empty() || path.starts_with("//") {
            return None;
        }
        let host = left.rsplit('@').next()?;
        (host.to_string(), path.to_string())
    } else {
        return None;
    };
    let host = host.to_ascii_lowercase();
    let path = path.trim_matches('/').trim_end_matches(".git").to_string();
    let valid = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~/".contains(c))
            && !s.split('/').any(|seg| seg.is_empty() || seg == "..")
    };
    if !valid(&host) || host.contains('/') || !valid(&path) || !path.contains('/') {
        return None;
    }
    let first = host.split('.').next().unwrap_or("");
    let kind = if host == "github.com" || host == "www.github.com" {
        "github"
    } else if host == "gitlab.com" || first == "gitlab" {
        "gitlab"
    } else if host == "codeberg.org" || first == "gitea" || first == "forgejo" {
        "gitea"
    } else {
        "plain"
    };
    Some(Forge {
        kind,
        base: format!("https://{host}/{path}"),
    })
}

/// The area a subject names: the scope of `type(scope): …`, or the `area` of `area: …` /
/// `area/sub: …` when it is not a conventional type. `None` for other subjects.
pub fn subject_area(subject: &str) -> Option<String> {
    const TYPES: &[&str] = &[
        "feat", "feature", "fix", "bugfix", "hotfix", "docs", "doc", "style", "refactor", "perf",
        "test", "tests", "build", "ci", "chore", "revert", "security", "deps", "release",
    ];
    let (head, rest) = subject.split_once(':')?;
    if rest.trim().is_empty() || head.len() > 40 || head.contains(' ') {
        return None;
    }
    let head = head.trim_end_matches('!');
    if let Some((kind, scope)) = head.split_once('(') {
        let scope = scope.strip_suffix(')')?;
        return (!kind.is_empty() && !scope.is_empty() && !scope.contains(['(', ')']))
            .then(|| scope.to_ascii_lowercase());
    }
    let lower = head.to_ascii_lowercase();
    let ok = !lower.is_empty()
        && lower
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_/.".contains(c));
    (ok && !TYPES.contains(&lower.as_str())).then_some(lower)
}

/// A finding's `detail` as `(category, reasons)`: `<category>: r1; r2` when the category is
/// one of [`CATEGORIES`], else `other` with the whole detail as one reason.
pub fn split_detail(detail: &str) -> (String, Vec<String>) {
    if let Some((head, rest)) = detail.split_once(": ")
        && CATEGORIES.iter().any(|(id, _)| *id == head)
    {
        let reasons = rest
            .split("; ")
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect();
        return (head.to_string(), reasons);
    }
    let reasons = if detail.trim().is_empty() {
        Vec::new()
    } else {
        vec![detail.to_string()]
    };
    ("other".into(), reasons)
}

/// What the run was, for the document's header.
pub struct RunMeta<'a> {
    pub loop_id: &'a str,
    pub run_id: &'a str,
    pub ts: &'a str,
    pub result: &'a str,
    pub note: &'a str,
}

/// Build the report document of an accepted run's findings, reading each cited commit's
/// author, message and line counts from the repository at `repo_path` (an unreadable commit
/// keeps its finding, without those facts).
/// The report document of a judged run. `known` holds the facts of commits the run's own
/// host calls read (so a 2,000-commit report does not read its history twice); a cited
/// commit missing there is read from `repo_path`.
pub fn document(
    repo_path: Option<&Path>,
    findings: &[ReportedFinding],
    meta: &RunMeta<'_>,
    known: &std::collections::HashMap<String, CommitFacts>,
) -> Value {
    let repo = repo_path.and_then(|p| crate::gitread::open(p).ok());
    let forge = repo.as_ref().and_then(|r| {
        let remote = r.find_remote("origin").ok()?;
        forge_of(remote.url().ok()?)
    });
    let shallow = repo.as_ref().is_some_and(|r| r.is_shallow());
    let mut entries: Vec<Value> = findings
        .iter()
        .map(|f| {
            let (category, reasons) = if f.detail.starts_with("divergence: ") {
                (
                    "divergence".to_string(),
                    vec![f.detail["divergence: ".len()..].to_string()],
                )
            } else {
                split_detail(&f.detail)
            };
            let mut entry = json!({
                "bucket": f.bucket,
                "category": category,
                "area": subject_area(&f.title),
                "title": f.title,
                "reasons": reasons,
                "cites": f.cites,
            });
            let read;
            let facts = match f.cites.first() {
                Some(sha) => match known.get(sha) {
                    Some(facts) => Some(facts),
                    None => {
                        read = repo.as_ref().and_then(|r| CommitFacts::read(r, sha));
                        read.as_ref()
                    }
                },
                None => None,
            };
            if let Some(facts) = facts {
                entry["author"] = json!(facts.author);
                entry["refs"] = Value::Array(
                    facts
                        .refs
                        .iter()
                        .map(|(kind, number)| json!({"kind": kind, "number": number}))
                        .collect(),
                );
                if let Some((added, deleted, files)) = facts.lines {
                    entry["added"] = json!(added);
                    entry["deleted"] = json!(deleted);
                    entry["files"] = json!(files);
                }
            }
            entry
        })
        .collect();
    // Severity order; within a category, grouped by area (stable: log order inside an area).
    entries.sort_by(|a, b| {
        let key = |e: &Value| {
            (
                rank(e["category"].as_str().unwrap_or("other")),
                e["area"].as_str().map(str::to_string),
            )
        };
        key(a).cmp(&key(b))
    });
    let count = |b: &str| findings.iter().filter(|f| f.bucket == b).count();
    json!({
        "version": 1,
        "loop": meta.loop_id,
        "run_id": meta.run_id,
        "ts": meta.ts,
        "result": meta.result,
        "note": meta.note,
        "remote": forge.map(|f| json!({"kind": f.kind, "base": f.base})),
        "shallow": shallow,
        "counts": {"high": count("high"), "watch": count("watch"), "noise": count("noise")},
        "entries": entries,
    })
}

/// One document covering several runs' documents (oldest first): entries merged, a commit cited
/// by several runs listed once (its latest judgement), counts recomputed.
pub fn digest(loop_id: &str, since: &str, docs: &[Value]) -> Value {
    let mut entries: Vec<Value> = Vec::new();
    for d in docs {
        for e in d["entries"].as_array().into_iter().flatten() {
            let key = e["cites"][0].as_str().unwrap_or_default().to_string();
            entries.retain(|old| old["cites"][0].as_str().unwrap_or_default() != key);
            entries.push(e.clone());
        }
    }
    entries.sort_by_key(|e| rank(e["category"].as_str().unwrap_or("other")));
    let count = |b: &str| entries.iter().filter(|e| e["bucket"] == b).count();
    let runs: Vec<Value> = docs.iter().map(|d| d["run_id"].clone()).collect();
    json!({
        "version": 1,
        "loop": loop_id,
        "digest_since": since,
        "runs": runs,
        "run_id": docs.last().map_or(Value::Null, |d| d["run_id"].clone()),
        "ts": docs.last().map_or(Value::Null, |d| d["ts"].clone()),
        "result": if entries.is_empty() { "clean" } else { "found" },
        "note": format!("digest of {} run(s) since {since}", docs.len()),
        "remote": docs.last().map_or(Value::Null, |d| d["remote"].clone()),
        "shallow": docs.iter().any(|d| d["shallow"] == true),
        "counts": {"high": count("high"), "watch": count("watch"), "noise": count("noise")},
        "entries": entries,
    })
}

fn forge_in(doc: &Value) -> Option<Forge> {
    let r = doc.get("remote")?;
    let kind = match r["kind"].as_str()? {
        "github" => "github",
        "gitlab" => "gitlab",
        "gitea" => "gitea",
        _ => "plain",
    };
    // Re-derive from the stored base so a tampered document cannot introduce another host's links.
    let base = r["base"].as_str()?;
    forge_of(base).map(|f| Forge { kind, base: f.base })
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(10)]
}

fn stats(e: &Value) -> Option<String> {
    let files = e["files"].as_u64()?;
    Some(format!(
        "+{}/\u{2212}{}, {files} file{}",
        e["added"].as_u64().unwrap_or(0),
        e["deleted"].as_u64().unwrap_or(0),
        if files == 1 { "" } else { "s" }
    ))
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn section_title(category: &str) -> &'static str {
    CATEGORIES
        .iter()
        .find(|(id, _)| *id == category)
        .map_or("Other", |(_, t)| t)
}

fn header_line(doc: &Value) -> String {
    let c = &doc["counts"];
    format!(
        "{}: {} high, {} watch, {} noise — {}",
        escape_line(doc["loop"].as_str().unwrap_or("")),
        c["high"].as_u64().unwrap_or(0),
        c["watch"].as_u64().unwrap_or(0),
        c["noise"].as_u64().unwrap_or(0),
        escape_line(doc["note"].as_str().unwrap_or(""))
    )
}

/// The report for a terminal: high and watch entries with their reasons, noise as counts per
/// category. Every line escaped.
pub fn render_text(doc: &Value) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "report {} ({}) {}",
        escape_line(doc["run_id"].as_str().unwrap_or("")),
        escape_line(doc["ts"].as_str().unwrap_or("")),
        header_line(doc)
    );
    if doc["shallow"] == true {
        out.push_str("  note: shallow clone — history before the graft is not visible\n");
    }
    let entries: Vec<&Value> = doc["entries"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    for e in entries.iter().filter(|e| e["bucket"] != "noise") {
        let label = if e["bucket"] == "high" {
            "HIGH "
        } else {
            "watch"
        };
        let cites = strs(&e["cites"]);
        let mut line = format!(
            "  {label} {:<10} {} ({})",
            escape_line(e["category"].as_str().unwrap_or("other")),
            escape_line(e["title"].as_str().unwrap_or("")),
            cites
                .iter()
                .map(|s| escape_line(short(s)).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        );
        if let Some(a) = e["author"].as_str() {
            let _ = write!(line, " by {}", escape_line(a));
        }
        if let Some(s) = stats(e) {
            let _ = write!(line, ", {s}");
        }
        out.push_str(&line);
        out.push('\n');
        let reasons = strs(&e["reasons"]);
        if !reasons.is_empty() {
            let _ = writeln!(
                out,
                "        why: {}",
                reasons
                    .iter()
                    .map(|r| escape_line(r).into_owned())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
        }
    }
    let mut noise: Vec<(&str, usize)> = Vec::new();
    for e in entries.iter().filter(|e| e["bucket"] == "noise") {
        let c = e["category"].as_str().unwrap_or("other");
        match noise.iter_mut().find(|(k, _)| *k == c) {
            Some((_, n)) => *n += 1,
            None => noise.push((c, 1)),
        }
    }
    if !noise.is_empty() {
        let parts: Vec<String> = noise
            .iter()
            .map(|(c, n)| format!("{n} {}", section_title(c).to_lowercase()))
            .collect();
        let _ = writeln!(
            out,
            "  noise: {} (--format markdown lists them)",
            escape_line(&parts.join(", "))
        );
    }
    out
}

/// Backslash-escape Markdown punctuation (and escape control characters) in untrusted text,
/// so it renders as the literal text: no links, emphasis, HTML or headings.
pub fn md_escape(text: &str) -> String {
    let line = escape_line(text);
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The report in Markdown: a heading, one section per category in severity order, each line
/// `[short sha](commit link) title — author · +a/−d, N files · #PR links`, reasons beneath.
pub fn render_markdown(doc: &Value) -> String {
    let forge = forge_in(doc);
    let mut out = String::new();
    let title = if doc.get("digest_since").is_some_and(|v| !v.is_null()) {
        format!(
            "Triage digest: {} since {}",
            md_escape(doc["loop"].as_str().unwrap_or("")),
            md_escape(doc["digest_since"].as_str().unwrap_or(""))
        )
    } else {
        format!(
            "Triage: {} — {}",
            md_escape(doc["loop"].as_str().unwrap_or("")),
            md_escape(doc["ts"].as_str().unwrap_or(""))
        )
    };
    let _ = writeln!(out, "# {title}\n");
    let c = &doc["counts"];
    let _ = writeln!(
        out,
        "Run {} · **{} high** · {} watch · {} noise · {}\n",
        md_escape(doc["run_id"].as_str().unwrap_or("")),
        c["high"].as_u64().unwrap_or(0),
        c["watch"].as_u64().unwrap_or(0),
        c["noise"].as_u64().unwrap_or(0),
        md_escape(doc["note"].as_str().unwrap_or(""))
    );
    if doc["shallow"] == true {
        out.push_str("> Shallow clone: history before the graft is not visible.\n\n");
    }
    let entries: Vec<&Value> = doc["entries"]
        .as_array()
        .map(|a| a.iter().collect())
        .unwrap_or_default();
    if entries.is_empty() {
        out.push_str("No new commits.\n");
    }
    for (id, section) in CATEGORIES {
        let here: Vec<&&Value> = entries
            .iter()
            .filter(|e| e["category"].as_str().unwrap_or("other") == *id)
            .collect();
        if here.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {section} ({})\n", here.len());
        for e in here {
            let cites: Vec<String> = strs(&e["cites"])
                .iter()
                .map(|sha| {
                    let valid = sha.len() >= 7 && sha.bytes().all(|b| b.is_ascii_hexdigit());
                    match forge
                        .as_ref()
                        .and_then(|f| f.commit_url(sha))
                        .filter(|_| valid)
                    {
                        Some(url) => format!("[`{}`]({url})", short(sha)),
                        None => format!("`{}`", md_escape(short(sha))),
                    }
                })
                .collect();
            let mut line = format!(
                "- {} {}",
                cites.join(" "),
                md_escape(e["title"].as_str().unwrap_or(""))
            );
            let mut facts = Vec::new();
            if let Some(a) = e["author"].as_str() {
                facts.push(md_escape(a));
            }
            if let Some(s) = stats(e) {
                facts.push(md_escape(&s));
            }
            for r in e["refs"].as_array().into_iter().flatten() {
                let (Some(kind), Some(n)) = (r["kind"].as_str(), r["number"].as_u64()) else {
                    continue;
                };
                let sign = if kind == "pr" && forge.as_ref().is_some_and(|f| f.kind == "gitlab") {
                    "!"
                } else {
                    "#"
                };
                match forge.as_ref().and_then(|f| f.ref_url(kind, n)) {
                    Some(url) => facts.push(format!(
                        "[{}{n}]({url})",
                        if sign == "#" { "\\#" } else { "\\!" }
                    )),
                    None => facts.push(format!("\\{sign}{n}")),
                }
            }
            if !facts.is_empty() {
                let _ = write!(line, " — {}", facts.join(" · "));
            }
            out.push_str(&line);
            out.push('\n');
            let reasons = strs(&e["reasons"]);
            if !reasons.is_empty() {
                let _ = writeln!(
                    out,
                    "  - {}",
                    reasons
                        .iter()
                        .map(|r| md_escape(r))
                        .collect::<Vec<_>>()
                        .join("; ")
                );
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn forges_from_remote_urls() {
        let cases = [
            (
                "https://github.com/BurntSushi/ripgrep.git",
                Some(("github", "https://github.com/BurntSushi/ripgrep")),
            ),
            (
                "git@github.com:tokio-rs/tokio.git",
                Some(("github", "https://github.com/tokio-rs/tokio")),
            ),
            (
                "https://user:s3cret@gitlab.com/group/sub/proj.git",
                Some(("gitlab", "https://gitlab.com/group/sub/proj")),
            ),
            (
                "ssh://git@gitlab.example.org:2222/a/b.git",
                Some(("gitlab", "https://gitlab.example.org/a/b")),
            ),
            (
                "https://codeberg.org/forgejo/forgejo",
                Some(("gitea", "https://codeberg.org/forgejo/forgejo")),
            ),
            (
                "https://gitea.example.com/o/r",
                Some(("gitea", "https://gitea.example.com/o/r")),
            ),
            (
                "https://git.example.com/o/r.git",
                Some(("plain", "https://git.example.com/o/r")),
            ),
            ("/srv/git/repo.git", None),
            ("file:///srv/git/repo.git", None),
            ("../other", None),
            ("https://github.com/o/r\"><script>", None),
            ("https://github.com/../etc", None),
        ];
        for (url, want) in cases {
            let got = forge_of(url).map(|f| (f.kind, f.base));
            assert_eq!(got, want.map(|(k, b)| (k, b.to_string())), "{url}");
        }
        let gl = forge_of("https://gitlab.com/g/p").unwrap();
        assert_eq!(
            gl.commit_url("abc").unwrap(),
            "https://gitlab.com/g/p/-/commit/abc"
        );
        assert_eq!(
            gl.ref_url("pr", 5).unwrap(),
            "https://gitlab.com/g/p/-/merge_requests/5"
        );
        let gt = forge_of("https://codeberg.org/o/r").unwrap();
        assert_eq!(
            gt.ref_url("pr", 5).unwrap(),
            "https://codeberg.org/o/r/pulls/5"
        );
        assert_eq!(forge_of("https://x.org/o/r").unwrap().commit_url("a"), None);
    }

    #[test]
    fn refs_from_messages() {
        assert_eq!(
            message_refs("feat: thing (#123)\n\nFixes #45, closes #46"),
            [("pr", 123), ("issue", 45), ("issue", 46)]
        );
        assert_eq!(message_refs("Merge pull request #7 from a/b"), [("pr", 7)]);
        assert_eq!(message_refs("See merge request !12"), [("pr", 12)]);
        assert!(message_refs("wow! 3 apples #notanumber").is_empty());
    }

    #[test]
    fn areas_from_subjects() {
        assert_eq!(subject_area("fix(parser): x").as_deref(), Some("parser"));
        assert_eq!(subject_area("feat(api)!: x").as_deref(), Some("api"));
        assert_eq!(
            subject_area("ignore/types: add x").as_deref(),
            Some("ignore/types")
        );
        assert_eq!(subject_area("fix: x"), None);
        assert_eq!(subject_area("Merge branch 'a': b"), None);
        assert_eq!(subject_area("no colon"), None);
    }

    #[test]
    fn details_split_into_category_and_reasons() {
        assert_eq!(
            split_detail("security: names advisory CVE-2024-1; touches auth"),
            (
                "security".to_string(),
                vec![
                    "names advisory CVE-2024-1".to_string(),
                    "touches auth".to_string()
                ]
            )
        );
        assert_eq!(split_detail("made up: x").0, "other");
        assert_eq!(split_detail("").1, Vec::<String>::new());
    }

    #[test]
    fn markdown_escapes_untrusted_text() {
        assert_eq!(
            md_escape("[x](http://evil) *b* \u{1b}[2K"),
            "\\[x\\]\\(http\\:\\/\\/evil\\) \\*b\\* \\\\x1b\\[2K"
        );
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in ".{0,80}") {
            let _ = forge_of(&s);
            let _ = message_refs(&s);
            let _ = split_detail(&s);
            let _ = subject_area(&s);
            let _ = md_escape(&s);
        }

        #[test]
        fn forge_bases_are_plain_https(s in "[a-z:/@.]{0,30}") {
            if let Some(f) = forge_of(&s) {
                prop_assert!(f.base.starts_with("https://"));
                prop_assert!(!f.base.contains('@'));
            }
        }
    }
}
