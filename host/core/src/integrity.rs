//! Diff integrity: does a change weaken the checks that judge it?
//!
//! Guarantees:
//! - **Fail closed.** A diff that cannot be parsed is an error ([`scan_diff`] returns
//!   [`PatchError`]), never a clean report. Only an empty diff is clean, and the report says so
//!   in `note`.
//! - **Every file entry is judged**, including deletions, renames, binary files and entries
//!   with no hunks: deleting or renaming a test file out of the suite is a finding even when
//!   its lines do not look like tests.
//! - **Per file and line, with a rule id.** Each [`Finding`] names its [`Rule`], the file, the
//!   line number on the side it was found (`new` for added lines, `old` for removed ones) and
//!   the trimmed line text.
//! - **Additions of tests pass.** New tests, new assertions, stronger assertions and pure
//!   renames that leave every assertion intact produce no finding.
//!
//! Mechanics: the diff is parsed once into a [`Patch`] (see [`crate::patch`]). Each path is
//! classified by real runner conventions ([`paths`]: test file, oracle data, CI pipeline,
//! harness, test-selection config). Added lines go through the line rules ([`rules`]: skip,
//! focus, todo and module-level markers, special-casing under test, harness exits, CI
//! exit-code masking, deselection config); a marker that was already on a removed line of the
//! same file is not news. Removed lines in test code are compared with the added lines that
//! replace them ([`assertions`]): a removed test or assertion with no counterpart, an
//! assertion replaced by a weaker one (equality to membership, a wider tolerance, a value
//! check to a definedness check), and changed expected literals are findings.

mod assertions;
pub mod paths;
mod rules;
pub mod syntax;

use std::collections::HashMap;

use serde::Serialize;

use crate::patch::{FilePatch, FileStatus, Hunk, Line, LineKind, Patch, PatchError};
use assertions::{Strength, TestDef};
use paths::{FileClass, classify};
use syntax::{Grammar, State};

/// What a finding is about. The id (`test.skip-marker`, …) is stable and documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Rule {
    #[serde(rename = "test.deleted-file")]
    TestDeletedFile,
    #[serde(rename = "test.removed")]
    TestRemoved,
    #[serde(rename = "test.skip-marker")]
    TestSkipMarker,
    #[serde(rename = "test.focus-only")]
    TestFocusOnly,
    #[serde(rename = "test.todo")]
    TestTodo,
    #[serde(rename = "test.module-skip")]
    TestModuleSkip,
    #[serde(rename = "assert.removed")]
    AssertRemoved,
    #[serde(rename = "assert.weakened")]
    AssertWeakened,
    #[serde(rename = "assert.modified")]
    AssertModified,
    #[serde(rename = "oracle.edited")]
    OracleEdited,
    #[serde(rename = "config.deselect")]
    ConfigDeselect,
    #[serde(rename = "ci.mask-exit")]
    CiMaskExit,
    #[serde(rename = "ci.edited")]
    CiEdited,
    #[serde(rename = "test.special-case")]
    TestSpecialCase,
    #[serde(rename = "harness.early-exit")]
    HarnessEarlyExit,
    #[serde(rename = "assert.tautology")]
    AssertTautology,
    #[serde(rename = "assert.unreachable")]
    AssertUnreachable,
    #[serde(rename = "assert.commented-out")]
    AssertCommentedOut,
    #[serde(rename = "assert.exception-broadened")]
    AssertExceptionBroadened,
    #[serde(rename = "test.unparseable")]
    TestUnparseable,
    #[serde(rename = "test.retry")]
    TestRetry,
    #[serde(rename = "config.retry")]
    ConfigRetry,
    #[serde(rename = "config.coverage-lowered")]
    ConfigCoverageLowered,
    #[serde(rename = "config.strictness-lowered")]
    ConfigStrictnessLowered,
}

impl Rule {
    /// The stable rule id.
    pub fn id(self) -> &'static str {
        match self {
            Rule::TestDeletedFile => "test.deleted-file",
            Rule::TestRemoved => "test.removed",
            Rule::TestSkipMarker => "test.skip-marker",
            Rule::TestFocusOnly => "test.focus-only",
            Rule::TestTodo => "test.todo",
            Rule::TestModuleSkip => "test.module-skip",
            Rule::AssertRemoved => "assert.removed",
            Rule::AssertWeakened => "assert.weakened",
            Rule::AssertModified => "assert.modified",
            Rule::OracleEdited => "oracle.edited",
            Rule::ConfigDeselect => "config.deselect",
            Rule::CiMaskExit => "ci.mask-exit",
            Rule::CiEdited => "ci.edited",
            Rule::TestSpecialCase => "test.special-case",
            Rule::HarnessEarlyExit => "harness.early-exit",
            Rule::AssertTautology => "assert.tautology",
            Rule::AssertUnreachable => "assert.unreachable",
            Rule::AssertCommentedOut => "assert.commented-out",
            Rule::AssertExceptionBroadened => "assert.exception-broadened",
            Rule::TestUnparseable => "test.unparseable",
            Rule::TestRetry => "test.retry",
            Rule::ConfigRetry => "config.retry",
            Rule::ConfigCoverageLowered => "config.coverage-lowered",
            Rule::ConfigStrictnessLowered => "config.strictness-lowered",
        }
    }

    /// The earlier loopguard's `issue` name for this kind of finding.
    pub fn legacy_issue(self) -> &'static str {
        match self {
            Rule::TestDeletedFile | Rule::TestRemoved => "test_removed",
            Rule::TestSkipMarker
            | Rule::TestFocusOnly
            | Rule::TestTodo
            | Rule::TestModuleSkip
            | Rule::ConfigDeselect
            | Rule::TestRetry
            | Rule::ConfigRetry => "test_disabled",
            Rule::AssertRemoved
            | Rule::AssertWeakened
            | Rule::AssertModified
            | Rule::AssertTautology
            | Rule::AssertUnreachable
            | Rule::AssertCommentedOut
            | Rule::AssertExceptionBroadened => "assertion_removed",
            Rule::OracleEdited
            | Rule::TestUnparseable
            | Rule::ConfigCoverageLowered
            | Rule::ConfigStrictnessLowered
            | Rule::CiMaskExit
            | Rule::CiEdited
            | Rule::TestSpecialCase
            | Rule::HarnessEarlyExit => "eval_file_tampered",
        }
    }
}

/// Which side of the diff a line number refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// An added line; `line` is its number in the new file.
    New,
    /// A removed line; `line` is its number in the old file.
    Old,
    /// The whole file (deleted, renamed, binary); `line` is absent.
    File,
}

/// One reason the diff is not clean.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub rule: Rule,
    /// The earlier tool's name for this kind of finding (kept for compatibility).
    pub issue: &'static str,
    pub file: String,
    pub line: Option<u32>,
    pub side: Side,
    /// The line, trimmed (empty for whole-file findings).
    pub text: String,
    pub message: String,
    /// The check (assertion, expected value, setting) before the change; absent when the
    /// change added it or the finding is about the whole file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    /// The check after the change; absent when it was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl Finding {
    /// Record the check before and after the change (each trimmed to a readable length).
    fn change(mut self, before: Option<&str>, after: Option<&str>) -> Finding {
        self.before = before.map(clip);
        self.after = after.map(clip);
        self
    }
}

fn clip(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(MAX_TEXT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// The scan's verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub clean: bool,
    pub findings: Vec<Finding>,
    pub files_scanned: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Parse `diff` and scan it. Unparseable input is an error, never a clean report.
pub fn scan_diff(diff: &str) -> Result<Report, PatchError> {
    Ok(scan(&Patch::parse(diff)?))
}

/// Scan an already parsed diff.
pub fn scan(patch: &Patch<'_>) -> Report {
    let mut findings = Vec::new();
    for file in &patch.files {
        scan_file(file, &mut findings);
    }
    Report {
        clean: findings.is_empty(),
        files_scanned: patch.files.len(),
        note: patch
            .is_empty()
            .then(|| "empty diff: no file changes to scan".to_string()),
        findings,
    }
}

const MAX_TEXT: usize = 240;

fn finding(rule: Rule, file: &str, line: Option<&Line<'_>>, message: impl Into<String>) -> Finding {
    let (number, side, text) = match line {
        Some(l) if l.kind == LineKind::Removed => (l.old_lineno, Side::Old, l.text.trim()),
        Some(l) => (l.new_lineno, Side::New, l.text.trim()),
        None => (None, Side::File, ""),
    };
    let text = clip(text);
    Finding {
        rule,
        issue: rule.legacy_issue(),
        file: file.to_string(),
        line: number,
        side,
        text,
        message: message.into(),
        before: None,
        after: None,
    }
}

/// A CI edit that cannot hide a failure, so it needs no review: in every hunk the changed lines
/// pair up in order as a step or job renamed (`name:`), a YAML list that only gained entries
/// (a matrix extended; not an `exclude`/`ignore`/`skip` list), or a command that only gained
/// stricter flags (`-race`, `--locked`, …) or lost logging flags (`-X`, `--verbose`); an added
/// line with no counterpart may only set `timeout-minutes` (a timed-out job fails). Anything
/// else, or anything unclear, stays a review finding.
fn benign_ci_edit(file: &FilePatch<'_>) -> bool {
    fn kv(l: &str) -> Option<(&str, &str)> {
        let t = l.trim().trim_start_matches("- ").trim();
        let (k, v) = t.split_once(':')?;
        let k = k.trim();
        (!k.is_empty()
            && k.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_')))
        .then_some((k, v.trim()))
    }
    fn flow_list(v: &str) -> Option<Vec<String>> {
        let inner = v.strip_prefix('[')?.strip_suffix(']')?;
        Some(syntax::split_top_args(inner))
    }
    let pair_ok = |r: &str, a: &str| -> bool {
        let (Some((rk, rv)), Some((ak, av))) = (kv(r), kv(a)) else {
            // Two command lines of a script: only output flags may change, or the shell
            // options grow stricter (`set -e` → `set -euo pipefail`).
            return kv(r).is_none()
                && kv(a).is_none()
                && (only_output_flags_changed(r.trim(), a.trim())
                    || shell_options_stricter(r.trim(), a.trim())
                    || shell_list_extended(r.trim(), a.trim())
                    || shell_version_bumped(r.trim(), a.trim()));
        };
        if rk != ak || r.trim().starts_with("- ") != a.trim().starts_with("- ") {
            return false;
        }
        // a job's or step's timeout: a run past it fails, so no value hides a failure
        if rk == "name" || rk == "timeout-minutes" {
            return true;
        }
        let lower = rk.to_ascii_lowercase();
        if excusing_key(&lower) {
            return false;
        }
        // `uses: owner/action@v3` → `@v4`: the same action or reusable workflow at a newer
        // release
        if rk == "uses"
            && let (Some((rp, rref)), Some((ap, aref))) = (rv.split_once('@'), av.split_once('@'))
        {
            return rp == ap && version_like(rref) && version_like(aref);
        }
        // a flow list, also one written as a quoted string (`"[\"6.0\", \"6.1\"]"`)
        let unquote = |v: &str| -> String {
            v.strip_prefix('"')
                .and_then(|x| x.strip_suffix('"'))
                .map_or_else(|| v.to_string(), |x| x.replace("\\\"", "\""))
        };
        if let (Some(old), Some(new)) = (flow_list(&unquote(rv)), flow_list(&unquote(av))) {
            return new.len() > old.len() && old.iter().all(|x| new.contains(x));
        }
        if rk == "run" || only_output_flags_changed(rv, av) {
            return only_output_flags_changed(rv, av);
        }
        // A runtime version bumped (`java-version: '17'` → `'21'`).
        lower.ends_with("version") && version_like(rv) && version_like(av)
    };
    file.hunks.iter().all(|h| {
        let changed: Vec<&Line<'_>> = h
            .lines
            .iter()
            .filter(|l| l.kind != LineKind::Context && !l.text.trim().is_empty())
            .collect();
        let removed: Vec<&str> = changed
            .iter()
            .filter(|l| l.kind == LineKind::Removed)
            .map(|l| l.text.as_ref())
            .collect();
        let (paired, extra): (Vec<&str>, Vec<&str>) = {
            let added: Vec<&str> = changed
                .iter()
                .filter(|l| l.kind == LineKind::Added)
                .map(|l| l.text.as_ref())
                .collect();
            if added.len() < removed.len() {
                return false;
            }
            // removed lines pair with the first added lines; the rest stand alone
            let mut extra = Vec::new();
            let mut paired = Vec::new();
            let mut ai = added.into_iter();
            for r in &removed {
                let Some(a) = ai.by_ref().find(|a| {
                    if kv(a).map(|x| x.0) == kv(r).map(|x| x.0) {
                        true
                    } else {
                        extra.push(*a);
                        false
                    }
                }) else {
                    return false;
                };
                paired.push(a);
            }
            extra.extend(ai);
            (paired, extra)
        };
        removed.iter().zip(&paired).all(|(r, a)| pair_ok(r, a))
            && extra.iter().all(|a| {
                kv(a).is_some_and(|(k, v)| k == "timeout-minutes" && !v.is_empty())
                    || list_entry_added(h, a)
                    || env_entry_added(h, a)
                    || block_item_added(h, a)
            })
    }) && !file.hunks.is_empty()
}

/// A shell or CI environment assignment whose value only moved to another version
/// (`- LUAROCKS_BASE=luarocks-2.0.9` → `luarocks-2.4.4`): the words differ only where both are
/// versions, under a name that does not excuse anything.
fn shell_version_bumped(old: &str, new: &str) -> bool {
    let split = |l: &str| -> Option<(String, String)> {
        let l = l.trim_start_matches("- ").trim();
        let (name, value) = l.split_once('=')?;
        let name = name.trim();
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then(|| (name.to_ascii_lowercase(), value.trim().to_string()))
    };
    let (Some((rn, rv)), Some((an, av))) = (split(old), split(new)) else {
        return false;
    };
    if rn != an
        || excusing_key(&rn)
        || rv == av
        || [&rv, &av]
            .iter()
            .any(|v| v.contains(['$', '`', ';', '|', '&']))
    {
        return false;
    }
    // strip the common prefix (`luarocks-`); what is left must be versions on both sides
    let common = rv
        .chars()
        .zip(av.chars())
        .take_while(|(a, b)| a == b)
        .count();
    let cut = rv[..common]
        .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or(0, |i| i + 1);
    version_like(&rv[cut..]) && version_like(&av[cut..])
}

/// A shell variable holding a list of plain values (a build matrix: `STD="c++17 c++20"`) that
/// only gained values, under a name that does not exclude, skip or ignore anything.
fn shell_list_extended(old: &str, new: &str) -> bool {
    let split = |l: &str| -> Option<(String, Vec<String>)> {
        let (name, value) = l.split_once('=')?;
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let value = value.trim().trim_matches(['"', '\'']);
        if value.contains(['$', '`', ';', '|', '&', '(', ')']) {
            return None;
        }
        Some((
            name.to_ascii_uppercase(),
            value.split_whitespace().map(str::to_string).collect(),
        ))
    };
    let (Some((rn, rv)), Some((an, av))) = (split(old), split(new)) else {
        return false;
    };
    rn == an
        && ![
            "EXCLUDE", "SKIP", "IGNORE", "ALLOW", "FILTER", "ONLY", "ARGS", "OPTS", "FLAGS",
        ]
        .iter()
        .any(|w| rn.contains(w))
        && av.len() > rv.len()
        && rv.iter().all(|v| av.contains(v))
}

/// A CI key (lower case) that could excuse tests: a word of it (split at `-`/`_`) is `if`, or
/// begins with `exclude`, `ignore`, `skip`, `allow` or `continue` (`continue-on-error`,
/// `allow_failures`, `exclude`; not `linux_swift_versions`).
fn excusing_key(key: &str) -> bool {
    key.split(['-', '_', '.']).any(|w| {
        w == "if"
            || ["exclude", "ignore", "skip", "allow", "continue"]
                .iter()
                .any(|p| w.starts_with(p))
    })
}

/// `set` lines where the new one keeps every option of the old one and only adds `-e`, `-u`,
/// `-x` or `-o pipefail`/`errexit`/`nounset` (no `+` option, nothing else on the line).
fn shell_options_stricter(old: &str, new: &str) -> bool {
    fn options(line: &str) -> Option<Vec<String>> {
        let mut words = line.split_whitespace();
        if words.next()? != "set" {
            return None;
        }
        let mut out = Vec::new();
        let mut named = false;
        for w in words {
            if named {
                out.push(format!("o:{w}"));
                named = false;
            } else if let Some(letters) = w.strip_prefix('-') {
                for c in letters.chars() {
                    if c == 'o' {
                        named = true;
                    } else {
                        out.push(c.to_string());
                    }
                }
            } else {
                return None;
            }
        }
        (!named).then_some(out)
    }
    let (Some(o), Some(n)) = (options(old), options(new)) else {
        return false;
    };
    let allowed = ["e", "u", "x", "o:pipefail", "o:errexit", "o:nounset"];
    o.iter().all(|x| n.contains(x))
        && n.iter()
            .all(|x| o.contains(x) || allowed.contains(&x.as_str()))
        && n.len() > o.len()
}

/// A version (`3.12`, `'17'`, `pypy-3.11`, `3.15-dev`, `8.0.x`).
fn version_like(v: &str) -> bool {
    let v = v.trim_matches(['"', '\'']);
    let digits = v.trim_start_matches(|c: char| c.is_ascii_alphabetic() || c == '-');
    digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Width of a line's leading whitespace.
fn indentation(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The index of `added` (a line of `hunk`, by identity) and its indentation.
fn place_in_hunk(hunk: &Hunk<'_>, added: &str) -> Option<(usize, usize)> {
    let pos = hunk
        .lines
        .iter()
        .position(|l| std::ptr::eq(&*l.text, added))?;
    Some((pos, indentation(added)))
}

/// An added `KEY: value` in an `env:`/`environment:`/`variables:` block whose name has nothing
/// to do with which tests run or how failures count (`PYTHONUNBUFFERED: "1"`, `TZ: UTC`).
fn env_entry_added(hunk: &Hunk<'_>, added: &str) -> bool {
    let t = added.trim();
    let Some((k, v)) = t.split_once(':') else {
        return false;
    };
    let k = k.trim();
    if k.is_empty()
        || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        || v.trim().is_empty()
        || ["$", "`", "|", ";", "&"].iter().any(|c| v.contains(c))
    {
        return false;
    }
    let upper = k.to_ascii_uppercase();
    const TOUCHES_TESTS: &[&str] = &[
        "OPT", "ARG", "FLAG", "SKIP", "IGNORE", "FILTER", "EXCLUDE", "SELECT", "RETR", "RERUN",
        "ALLOW", "CONTINUE", "COV", "TEST", "CI", "FAIL", "STRICT", "ERROR", "WARN", "MARK",
        "ONLY", "FOCUS", "UPDATE", "SNAPSHOT", "INSTA", "GOLDEN", "ACCEPT", "DEBUG", "NODE_ENV",
    ];
    // how many tests run at once or how a failure is printed changes nothing they decide
    const HARMLESS: &[&str] = &[
        "PARALLEL",
        "JOBS",
        "OUTPUT_ON_FAILURE",
        "COLOR",
        "COLOUR",
        "PROGRESS",
    ];
    if TOUCHES_TESTS.iter().any(|w| upper.contains(w))
        && !HARMLESS.iter().any(|w| upper.contains(w))
    {
        return false;
    }
    let Some((pos, at)) = place_in_hunk(hunk, added) else {
        return false;
    };
    for l in hunk.lines[..pos].iter().rev() {
        if l.kind == LineKind::Removed || l.text.trim().is_empty() || indentation(&l.text) >= at {
            continue;
        }
        let key = l.text.trim().trim_start_matches("- ");
        return matches!(key, "env:" | "environment:" | "variables:");
    }
    // The block's key is above the hunk: git names it in the hunk header when it is a
    // top-level key.
    at > 0
        && matches!(
            hunk.section.as_str(),
            "env:" | "environment:" | "variables:"
        )
}

/// A line of a whole YAML list item the change adds that cannot hide a failure: a row of a
/// matrix `include:` list whose keys are plain axis values (`- os: ubuntu-24.04` / `std: 26`),
/// or a step under `steps:` that only restores a cache or sets up a toolchain
/// (`uses: actions/cache@v4`, `actions/setup-node@v4`, with only `with:` settings). A key
/// that could excuse a failure (`continue-on-error`, `experimental`, `allow…`, `if`) or a
/// value with shell syntax keeps the edit a review finding.
fn block_item_added(hunk: &Hunk<'_>, added: &str) -> bool {
    let Some((pos, _)) = place_in_hunk(hunk, added) else {
        return false;
    };
    let lines = &hunk.lines;
    // the item's first line: the nearest `- ` line at or above, with every line between added
    let mut start = pos;
    loop {
        let l = &lines[start];
        if l.kind != LineKind::Added {
            return false;
        }
        if l.text.trim_start().starts_with("- ") {
            break;
        }
        if start == 0 {
            return false;
        }
        start -= 1;
    }
    let item_at = indentation(&lines[start].text);
    if indentation(added) < item_at || (start != pos && indentation(added) <= item_at) {
        return false;
    }
    // the item's lines: down to the next line at the item's indentation or less
    let item: Vec<&str> = std::iter::once(&*lines[start].text)
        .chain(
            lines[start + 1..]
                .iter()
                .take_while(|l| l.text.trim().is_empty() || indentation(&l.text) > item_at)
                .map(|l| &*l.text),
        )
        .filter(|t| !t.trim().is_empty())
        .collect();
    let all_added = lines[start..start + item.len()]
        .iter()
        .all(|l| l.kind == LineKind::Added || l.text.trim().is_empty());
    let parent = lines[..start]
        .iter()
        .rev()
        .find(|l| {
            l.kind != LineKind::Removed
                && !l.text.trim().is_empty()
                && indentation(&l.text) < item_at
        })
        .map(|l| {
            l.text
                .trim()
                .trim_start_matches("- ")
                .trim_end_matches(':')
                .to_string()
        });
    let pairs: Option<Vec<(String, String)>> = item
        .iter()
        .map(|t| {
            let t = t.trim().trim_start_matches("- ");
            let (k, v) = t.split_once(':')?;
            Some((k.trim().to_ascii_lowercase(), v.trim().to_string()))
        })
        .collect();
    let Some(pairs) = pairs else {
        return false;
    };
    let risky_key = |k: &str| {
        [
            "continue",
            "experimental",
            "allow",
            "fail",
            "if",
            "skip",
            "ignore",
            "exclude",
            "optional",
            "run",
            "env",
            "shell",
        ]
        .iter()
        .any(|w| k.contains(w))
    };
    // Above the hunk, the list's key is not shown; a neighbouring item that runs or uses
    // something says the list is `steps:` (a matrix row's list stays unknown: it could be
    // `exclude:`).
    let parent = parent.or_else(|| {
        let sibling_step = lines.iter().any(|l| {
            l.kind == LineKind::Context
                && indentation(&l.text) >= item_at
                && indentation(&l.text) <= item_at + 2
                && ["run:", "uses:", "- run:", "- uses:"]
                    .iter()
                    .any(|k| l.text.trim_start().starts_with(k))
        });
        sibling_step.then(|| "steps".to_string())
    });
    // a value may name a workflow expression (`key: apt-${{ matrix.cxx }}`), not shell syntax
    let plain_value = |v: &str| {
        let mut v = v.to_string();
        while let Some(at) = v.find("${{") {
            match v[at..].find("}}") {
                Some(end) => v.replace_range(at..at + end + 2, ""),
                None => return false,
            }
        }
        !["$", "`", "|", ";", "&", ">"].iter().any(|c| v.contains(c))
    };
    if !all_added || pairs.iter().any(|(k, v)| risky_key(k) || !plain_value(v)) {
        return false;
    }
    match parent.as_deref() {
        Some("include") => true,
        Some("steps") => {
            static SETUP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
                regex::Regex::new(
                    r"^[\w.-]+/(?:cache(?:/restore)?|setup-[\w-]+|[\w-]*-cache)@[\w.-]+$",
                )
                .expect("setup action regex")
            });
            pairs.iter().any(|(k, _)| k == "uses")
                && pairs.iter().all(|(k, v)| match k.as_str() {
                    "uses" => SETUP.is_match(v),
                    "name" | "id" | "with" => true,
                    // settings of the action under `with:`
                    _ => true,
                })
        }
        _ => false,
    }
}

/// An added YAML block-list entry (`- 3.12`) that extends a list of plain values (a matrix
/// axis, a branch list) whose key does not exclude, ignore, skip or allow anything.
fn list_entry_added(hunk: &Hunk<'_>, added: &str) -> bool {
    fn item(l: &str) -> Option<&str> {
        let t = l.trim_start();
        // a bare version on its own line: a row of a block scalar (`dotnet-version: |`)
        if version_like(t.trim()) && !t.contains(' ') {
            return Some(t.trim());
        }
        t.strip_prefix("- ").map(str::trim).filter(|v| {
            !v.is_empty()
                && !v.contains(':')
                && !v.contains(' ')
                && !["|", ";", "&", "`", "$"].iter().any(|c| v.contains(c))
        })
    }
    if item(added).is_none() {
        return false;
    }
    let Some((pos, at)) = place_in_hunk(hunk, added) else {
        return false;
    };
    let mut versions = item(added).is_some_and(version_like);
    let mut neighbours = 0;
    // The key the list belongs to: the nearest line above with less indentation. When the
    // hunk does not show it, only a list of versions passes (fail closed otherwise).
    for l in hunk.lines[..pos].iter().rev() {
        if l.kind == LineKind::Removed || l.text.trim().is_empty() {
            continue;
        }
        if indentation(&l.text) == at && item(&l.text).is_some() {
            versions &= item(&l.text).is_some_and(version_like);
            neighbours += 1;
            continue;
        }
        if indentation(&l.text) < at {
            let key = l.text.trim().trim_start_matches("- ");
            let bare = !added.trim_start().starts_with("- ");
            let key = if bare {
                // a block scalar of versions: only under a `…version(s): |` key
                let versions_key = |k: &str| {
                    let k = k.to_ascii_lowercase();
                    let k = k.trim_end_matches(':');
                    k.ends_with("version") || k.ends_with("versions")
                };
                match key.strip_suffix('|').map(str::trim_end) {
                    Some(k) if versions_key(k) => k,
                    _ => return false,
                }
            } else {
                key
            };
            let Some(k) = key.strip_suffix(':') else {
                return false;
            };
            let k = k.to_ascii_lowercase();
            return !excusing_key(&k);
        }
        return false;
    }
    versions && neighbours >= 2
}

/// A command line whose only change is in flags that cannot hide a failure: it gained
/// stricter flags (`-race`, `--locked`, …) or added or dropped flags that only change how much
/// it prints (`-ntp`, `--quiet`, `--verbosity=minimal`, `-X`). Same program, no new shell
/// operators, at least one change.
fn only_output_flags_changed(old: &str, new: &str) -> bool {
    const STRICTER: &[&str] = &[
        "-race",
        "--locked",
        "--frozen",
        "-count=1",
        "-failfast",
        "--strict",
        "-Werror",
        "--no-fail-fast",
        "--strict-markers",
        "-shuffle=on",
    ];
    const OUTPUT: &[&str] = &[
        "-X",
        "-v",
        "-vv",
        "-vvv",
        "--verbose",
        "--debug",
        "-x",
        "-q",
        "-qq",
        "--quiet",
        "-B",
        "--batch-mode",
        "-ntp",
        "--no-transfer-progress",
        "--no-progress",
        "--color",
        "--no-color",
        "--ansi",
        "--no-ansi",
        "-e",
        "--errors",
        "--info",
        "--stacktrace",
        "--nologo",
        "--trace",
        "--output-on-failure",
    ];
    // output flags that take their value as the next word
    // (worker counts change how fast the suite runs, not which tests run)
    const VALUE_OUTPUT: &[&str] = &[
        "--reporter",
        "-R",
        "--logger",
        "--format",
        "--verbosity",
        "-n",
        "--numprocesses",
        "-j",
        "--jobs",
        "--test-threads",
        "--maxWorkers",
        // a test that runs past a timeout fails: adding or changing one hides nothing
        "--timeout",
    ];
    const OUTPUT_PREFIXES: &[&str] = &[
        "--reporter=",
        "-R=",
        "--format=",
        "--verbosity=",
        "-verbosity:",
        "--color=",
        "--colour=",
        "--console=",
        "--progress=",
        "--log-level=",
        "--loglevel=",
        "-n=",
        "--numprocesses=",
        "-j=",
        "--jobs=",
        "--test-threads=",
        "--maxWorkers=",
        "--logger=",
        "-v:",
        "--timeout=",
    ];
    let output = |t: &str| OUTPUT.contains(&t) || OUTPUT_PREFIXES.iter().any(|p| t.starts_with(p));
    let shell = ["|", ";", "&&", "`", "$("];
    if shell.iter().any(|c| new.contains(c) && !old.contains(c)) {
        return false;
    }
    // `--reporter dot` is one flag with its value, like `--reporter=dot`
    let words = |t: &str| -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        // tox `{posargs:-n auto}`: the defaults are words of the command like the others
        let t = t
            .replace("{posargs:", " ")
            .replace("{posargs}", " ")
            .replace('}', " ");
        // a command inside a quoted string: its closing quote is not part of the last flag
        let mut it = t
            .split_whitespace()
            .map(|w| w.trim_end_matches(['"', '\'']))
            .filter(|w| !w.is_empty())
            .peekable();
        while let Some(w) = it.next() {
            if VALUE_OUTPUT.contains(&w)
                && let Some(v) = it.next()
            {
                out.push(format!("{w}={v}"));
            } else {
                out.push(w.to_string());
            }
        }
        out
    };
    let (rt, at) = (words(old), words(new));
    let rt: Vec<&str> = rt.iter().map(String::as_str).collect();
    let at: Vec<&str> = at.iter().map(String::as_str).collect();
    let gained: Vec<&str> = at.iter().copied().filter(|t| !rt.contains(t)).collect();
    let lost: Vec<&str> = rt.iter().copied().filter(|t| !at.contains(t)).collect();
    rt.first() == at.first()
        && gained.iter().all(|t| STRICTER.contains(t) || output(t))
        && lost.iter().all(|t| output(t))
        && gained.len() + lost.len() > 0
}

/// The exception types a handler line catches: Java/C# `catch (X | Y e)`, Kotlin `catch (e:
/// X)`, Python `except (X, Y) as e:`, Ruby `rescue X, Y => e`.
fn caught_types(line: &str) -> Option<Vec<String>> {
    static CATCH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r"\bcatch\s*\(\s*(?:final\s+)?(?P<j>[\w.]+(?:\s*\|\s*[\w.]+)*)\s+\w+\s*\)",
            r"|\bcatch\s*\(\s*\w+\s*:\s*(?P<k>[\w.]+)\s*\)",
            r"|^\s*except\s+\(?(?P<p>[\w., ]+?)\)?(?:\s+as\s+\w+)?\s*:",
            r"|^\s*rescue\s+(?P<r>[\w:]+(?:\s*,\s*[\w:]+)*)(?:\s*=>\s*\w+)?\s*$"
        ))
        .expect("catch regex")
    });
    let c = CATCH.captures(line)?;
    let list = ["j", "k", "p", "r"]
        .iter()
        .find_map(|n| c.name(n))?
        .as_str();
    Some(
        list.split(['|', ','])
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
    )
}

/// A handler in test code whose exception type became a catch-all (`catch (ValidationException
/// e)` → `catch (Exception e)`): a check that an error of one kind happened now passes on any
/// error.
fn scan_catch_types(file: &FilePatch<'_>, path: &str, out: &mut Vec<Finding>) {
    for hunk in &file.hunks {
        let of = |kind: LineKind| -> Vec<(&Line<'_>, Vec<String>)> {
            hunk.lines
                .iter()
                .filter(|l| l.kind == kind)
                .filter_map(|l| Some((l, caught_types(&l.text)?)))
                .collect()
        };
        let (old, new) = (of(LineKind::Removed), of(LineKind::Added));
        let broad = |ts: &[String]| ts.iter().any(|t| syntax::is_broad_exception(t));
        let old_broad = old.iter().filter(|(_, t)| broad(t)).count();
        let new_broad = new.iter().filter(|(_, t)| broad(t)).count();
        if new_broad > old_broad
            && let Some((o, ot)) = old.iter().find(|(_, t)| !broad(t))
            && let Some((n, nt)) = new.iter().find(|(_, t)| broad(t))
        {
            out.push(
                finding(
                    Rule::AssertExceptionBroadened,
                    path,
                    Some(n),
                    format!(
                        "caught exception broadened from {} to {}: any error now takes the expected path",
                        ot.join(" | "),
                        nt.join(" | ")
                    ),
                )
                .change(Some(o.text.trim()), Some(n.text.trim())),
            );
        }
    }
}

fn scan_file(file: &FilePatch<'_>, out: &mut Vec<Finding>) {
    let path = file.path();
    let class = classify(path);
    let old_class = file.old_path.as_deref().map(classify);

    match file.status {
        FileStatus::Deleted => {
            if class.test {
                out.push(finding(
                    Rule::TestDeletedFile,
                    path,
                    None,
                    "test file deleted",
                ));
            } else if class.oracle {
                out.push(finding(
                    Rule::OracleEdited,
                    path,
                    None,
                    "expected-output / fixture file deleted",
                ));
            } else if class.ci {
                out.push(finding(
                    Rule::CiEdited,
                    path,
                    None,
                    "CI pipeline file deleted",
                ));
            }
            return;
        }
        FileStatus::Renamed => {
            if let Some(old) = old_class {
                if old.test && !class.test {
                    out.push(finding(
                        Rule::TestDeletedFile,
                        path,
                        None,
                        format!(
                            "test file renamed out of the test suite (from {})",
                            file.old_path.as_deref().unwrap_or("")
                        ),
                    ));
                } else if old.oracle && !class.oracle {
                    out.push(finding(
                        Rule::OracleEdited,
                        path,
                        None,
                        "expected-output file moved away from its tests",
                    ));
                } else if old.ci && !class.ci {
                    out.push(finding(
                        Rule::CiEdited,
                        path,
                        None,
                        "CI pipeline file moved out of CI",
                    ));
                }
            }
        }
        _ => {}
    }
    if file.binary && (class.oracle || class.test) && file.status != FileStatus::Added {
        out.push(finding(
            Rule::OracleEdited,
            path,
            None,
            "binary test data / expected output changed",
        ));
    }

    let changed = |l: &&Line<'_>| {
        l.kind != LineKind::Context
            && !l.text.trim().is_empty()
            && !class.lang.is_comment(l.text.trim_start())
    };
    if class.ci
        && !benign_ci_edit(file)
        && let Some(first) = file.lines().find(changed)
    {
        out.push(finding(
            Rule::CiEdited,
            path,
            Some(first),
            "CI pipeline definition changed; review what now runs and what may fail",
        ));
    }
    // A script line that only changed output flags (`--reporter spec` → `--reporter dot`)
    // pairs with its removed or added counterpart and is no news.
    let output_only = |l: &Line<'_>| {
        let other = if l.kind == LineKind::Added {
            LineKind::Removed
        } else {
            LineKind::Added
        };
        file.lines().any(|o| {
            o.kind == other
                && if other == LineKind::Added {
                    only_output_flags_changed(&l.text, &o.text)
                } else {
                    only_output_flags_changed(&o.text, &l.text)
                }
        })
    };
    if class.package_json
        && let Some(first) = file
            .lines()
            .filter(changed)
            .find(|l| is_script_entry(&l.text) && !output_only(l))
    {
        out.push(finding(
            Rule::CiEdited,
            path,
            Some(first),
            "a package.json test/check script changed; review what now runs",
        ));
    }

    // XML runner configuration (`phpunit.xml`, `pom.xml`) holds settings, not commands: its
    // rules say what changed.
    if class.test_config && !class.package_json && !class.ci && !path.ends_with(".xml") {
        let removed_test_cmd = file.lines().filter(changed).find(|l| {
            l.kind == LineKind::Removed
                && rules::RUNS_TESTS.is_match(&l.text)
                && !file.lines().any(|a| {
                    a.kind == LineKind::Added
                        && (a.text.trim() == l.text.trim()
                            || only_output_flags_changed(&l.text, &a.text))
                })
        });
        if let Some(l) = removed_test_cmd {
            out.push(finding(
                Rule::CiEdited,
                path,
                Some(l),
                "a command that runs tests or checks was removed or rewritten",
            ));
        }
        test_registration_removed(file, path, out);
    }

    scan_marker_lines(file, path, &class, out);
    if class.test {
        scan_catch_types(file, path, out);
        suite_narrowed(file, path, out);
    }

    if (class.oracle || class.table) && file.status != FileStatus::Added {
        for hunk in &file.hunks {
            let changed = |l: &&Line<'_>| {
                !class.table || {
                    let t = l.text.trim_start();
                    t.starts_with('|') && t.bytes().any(|b| b.is_ascii_digit())
                }
            };
            let removed: Vec<&Line<'_>> = hunk
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Removed)
                .filter(changed)
                .collect();
            let Some(first) = removed.first() else {
                continue;
            };
            let added: Vec<&str> = hunk
                .lines
                .iter()
                .filter(|l| l.kind == LineKind::Added)
                .map(|l| l.text.trim())
                .take(removed.len().min(3))
                .collect();
            let before: Vec<&str> = removed.iter().take(3).map(|l| l.text.trim()).collect();
            let message = if class.table {
                "expected figures in a test/benchmark table changed"
            } else if added.is_empty() {
                "expected output / test data removed"
            } else {
                "expected output / test data changed"
            };
            out.push(
                finding(Rule::OracleEdited, path, Some(first), message).change(
                    Some(&before.join("\n")),
                    (!added.is_empty()).then(|| added.join("\n")).as_deref(),
                ),
            );
        }
    }
    if class.test_config || class.ci || class.coverage_config {
        coverage_thresholds(file, path, out);
        coverage_exclusions(file, path, out);
        strictness_lowered(file, path, out);
    }
    if class.test && class.lang.is_code() {
        compare_test_code(
            file,
            path,
            &class,
            true,
            &file.hunks.iter().collect::<Vec<_>>(),
            out,
        );
    } else if class.lang == paths::Lang::Rust {
        // Unit tests inside shipped Rust source: judge only the hunks git places in a test module.
        let test_hunks: Vec<&Hunk<'_>> = file
            .hunks
            .iter()
            .filter(|h| {
                h.section.contains("mod test")
                    || h.lines
                        .iter()
                        .any(|l| l.text.trim_start().starts_with("#[test]"))
            })
            .collect();
        if !test_hunks.is_empty() {
            compare_test_code(file, path, &class, false, &test_hunks, out);
        }
    }
}

/// Build files that declare the test suite (CMake, Meson, SwiftPM, Mix): a removed or
/// commented-out test registration (`enable_testing()`, `add_test(…)`, `cxx_test(…)`,
/// `gtest_discover_tests(…)`, `.testTarget(`, Meson `test('…')`) that no live added line
/// brings back, and a `test` task aliased to steps that do not run tests
/// (`aliases: [test: ["compile"]]`). Either way those tests stop building or running.
fn test_registration_removed(file: &FilePatch<'_>, path: &str, out: &mut Vec<Finding>) {
    static REGISTERS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r#"^\s*(?:enable_testing\s*\(|add_test\s*\(|[a-z_]*_test\s*\(|(?:gtest|catch|doctest)_(?:discover|add)_tests\s*\("#,
            r#"|\.testTarget\s*\(|test\s*\(\s*['"]|add_subdirectory\s*\(\s*['"]?tests?\b)"#
        ))
        .expect("test registration regex")
    });
    static TEST_ALIAS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?:^|[\s\[,])["']?test["']?:\s*\[([^\]]*)\]"#)
            .expect("test alias regex")
    });
    let lang = classify(path).lang;
    let live = |l: &Line<'_>| {
        let t = l.text.trim_start();
        !t.is_empty() && !t.starts_with('#') && !lang.is_comment(t)
    };
    for l in removed_for_good(file, &REGISTERS, live) {
        out.push(
            finding(
                Rule::ConfigDeselect,
                path,
                Some(l),
                "a test registration was removed or commented out: those tests no longer build or run",
            )
            .change(Some(&l.text), None),
        );
    }
    for l in file
        .lines()
        .filter(|l| l.kind == LineKind::Added && live(l))
    {
        if let Some(c) = TEST_ALIAS.captures(&l.text)
            && !c[1].contains("test")
        {
            out.push(
                finding(
                    Rule::ConfigDeselect,
                    path,
                    Some(l),
                    "the `test` task is aliased to steps that do not run the tests",
                )
                .change(None, Some(&l.text)),
            );
        }
    }
}

/// Removed live lines matching `pattern` that no live added line of the file brings back
/// (compared without whitespace): a registration or suite entry gone, not moved.
fn removed_for_good<'f>(
    file: &'f FilePatch<'_>,
    pattern: &regex::Regex,
    live: impl Fn(&Line<'_>) -> bool,
) -> Vec<&'f Line<'f>> {
    let added: Vec<String> = file
        .lines()
        .filter(|l| l.kind == LineKind::Added && live(l))
        .map(|l| syntax::squash(&l.text))
        .collect();
    file.lines()
        .filter(|l| {
            l.kind == LineKind::Removed
                && live(l)
                && pattern.is_match(&l.text)
                && !added.contains(&syntax::squash(&l.text))
        })
        .collect()
}

/// `"test": "…"`-style entries of package.json that define how tests and checks run.
fn is_script_entry(line: &str) -> bool {
    let t = line.trim();
    let Some(rest) = t.strip_prefix('"') else {
        return false;
    };
    let Some((key, value)) = rest.split_once("\":") else {
        return false;
    };
    let key = key.to_ascii_lowercase();
    let named = [
        "test",
        "check",
        "lint",
        "typecheck",
        "type-check",
        "ci",
        "verify",
        "validate",
        "coverage",
        "e2e",
        "pretest",
        "posttest",
        "precommit",
        "pre-commit",
    ]
    .iter()
    .any(|k| key == *k || key.starts_with(&format!("{k}:")) || key.starts_with(&format!("{k}-")));
    let v = value.to_ascii_lowercase();
    let runs_tests = [
        " test",
        "jest",
        "vitest",
        "mocha",
        "pytest",
        "playwright",
        "cypress",
        "tsc",
        "eslint",
        "biome",
        "knip",
        "node --test",
        "ava",
        "tap ",
    ]
    .iter()
    .any(|tool| v.contains(tool));
    named || runs_tests
}

/// Added lines through the line rules; a marker that a removed line of the same file already
/// carried is a rewrite of an existing marker, not a new one.
fn scan_marker_lines(file: &FilePatch<'_>, path: &str, class: &FileClass, out: &mut Vec<Finding>) {
    let rules = rules::for_class(class);
    let live: Vec<&Hunk<'_>> = file
        .hunks
        .iter()
        .filter(|h| rules.any_trigger(&h.body))
        .collect();
    let mut hits: Vec<(&Line<'_>, &'static rules::LineRule)> = Vec::new();
    for l in live
        .iter()
        .flat_map(|h| &h.lines)
        .filter(|l| l.kind == LineKind::Added)
    {
        for r in rules.matching(&l.text, class) {
            hits.push((l, r));
        }
    }
    if hits.is_empty() {
        return;
    }
    let mut already: HashMap<Rule, usize> = HashMap::new();
    for l in live
        .iter()
        .flat_map(|h| &h.lines)
        .filter(|l| l.kind == LineKind::Removed)
    {
        for r in rules.matching(&l.text, class) {
            *already.entry(r.rule).or_default() += 1;
        }
    }
    // In runner configuration the setting is the value: a changed `testpaths`/`retries` line
    // is news unless the same line was removed (moved or re-indented).
    let removed_lines: Vec<String> = live
        .iter()
        .flat_map(|h| &h.lines)
        .filter(|l| l.kind == LineKind::Removed)
        .map(|l| syntax::squash(&l.text))
        .collect();
    for (l, r) in hits {
        if matches!(r.rule, Rule::ConfigDeselect | Rule::ConfigRetry)
            && !class.test
            && !removed_lines.contains(&syntax::squash(&l.text))
        {
            out.push(finding(r.rule, path, Some(l), r.message).change(None, Some(&l.text)));
            continue;
        }
        if let Some(n) = already.get_mut(&r.rule).filter(|n| **n > 0) {
            *n -= 1;
            continue;
        }
        out.push(finding(r.rule, path, Some(l), r.message).change(None, Some(&l.text)));
    }
}

/// Runner settings that make more things fail or more tests run, removed: doctest
/// collection (`--doctest-modules`, `--doctest-glob`), warnings as errors (`-W error`,
/// `filterwarnings = error`, `-D warnings`), strict markers/config, `xfail_strict`.
fn strictness_lowered(file: &FilePatch<'_>, path: &str, out: &mut Vec<Finding>) {
    static STRICT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"--doctest-modules\b|--doctest-glob\b|--doctest-continue-on-failure\b|--strict-markers\b|--strict-config\b|(?:^|[\s"'=\[,])--strict(?:$|[\s"',\]])|-W\s*["']?error\b|-Werror\b|-D\s*warnings\b|--deny[= ]warnings\b|\bxfail_strict\s*=\s*(?:true|True|1)\b|^\s*filterwarnings\s*=.*["'\[\s]error\b|^\s*["']error(?::[^"']*)?["'],?\s*$"#,
        )
        .expect("strictness regex")
    });
    let grab = |kind: LineKind| -> Vec<(&Line<'_>, Vec<String>)> {
        file.lines()
            .filter(|l| l.kind == kind)
            .map(|l| {
                let hits = STRICT
                    .find_iter(&l.text)
                    .map(|m| {
                        let t = m
                            .as_str()
                            .trim()
                            .trim_matches(['"', '\'', '[', ',', '=', ']']);
                        // `filterwarnings = ["error"]` and a bare `"error"` list entry: one setting
                        if t.contains("filterwarnings") || t.starts_with("error") {
                            "filterwarnings=error".to_string()
                        } else {
                            t.split_whitespace().collect::<String>()
                        }
                    })
                    .collect::<Vec<_>>();
                (l, hits)
            })
            .filter(|(_, h)| !h.is_empty())
            .collect()
    };
    let added: Vec<String> = grab(LineKind::Added)
        .into_iter()
        .flat_map(|(_, h)| h)
        .collect();
    // Settings added that switch a strictness off (`-p no:warnings` drops every warnings
    // filter, `error` included; coverage `omit` leaves code out of the measured total).
    static DISABLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"\bno:(warnings|doctest)\b|^\s*(?:run\.|report\.)?(omit|exclude_lines|exclude_also)\s*=|\bcoveragePathIgnorePatterns\b"#,
        )
        .expect("disable regex")
    });
    let removed_text: Vec<String> = file
        .lines()
        .filter(|l| l.kind == LineKind::Removed)
        .map(|l| syntax::squash(&l.text))
        .collect();
    for l in file.lines().filter(|l| l.kind == LineKind::Added) {
        if let Some(m) = DISABLE.find(&l.text)
            && !removed_text.contains(&syntax::squash(&l.text))
        {
            out.push(
                finding(
                    Rule::ConfigStrictnessLowered,
                    path,
                    Some(l),
                    format!("runner strictness lowered: `{}` switches a check off or leaves code out of coverage", m.as_str().trim()),
                )
                .change(None, Some(&l.text)),
            );
        }
    }
    for (l, hits) in grab(LineKind::Removed) {
        if let Some(gone) = hits.iter().find(|h| !added.contains(h)) {
            out.push(
                finding(
                    Rule::ConfigStrictnessLowered,
                    path,
                    Some(l),
                    format!("runner strictness lowered: `{gone}` no longer applies, so failures or tests it caught now pass unseen"),
                )
                .change(Some(&l.text), replacement(file, l)),
            );
        }
    }
}

/// Coverage thresholds (`fail_under`, `--cov-fail-under`, jest/vitest `coverageThreshold`
/// entries, `--fail-under-lines`, …) lowered or removed.
/// Entries added to a coverage exclusion list (coverage.py `exclude_lines`/`exclude_also`/
/// `omit`, in TOML arrays or INI continuation lines): matching code stops counting, so a
/// coverage floor passes with less of the code tested.
fn coverage_exclusions(file: &FilePatch<'_>, path: &str, out: &mut Vec<Finding>) {
    static KEY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^\s*(exclude_lines|exclude_also|omit|partial_branches)\s*=\s*(\[)?\s*(.*)$",
        )
        .expect("coverage exclusion regex")
    });
    for hunk in &file.hunks {
        let mut open: Option<&str> = None;
        for l in &hunk.lines {
            let t = l.text.trim();
            if let Some(c) = KEY.captures(&l.text) {
                let key = c.get(1).map_or("", |m| m.as_str());
                open = Some(key);
                // `exclude_lines = ["a", "b"]` changed on one line: judged by entry count
                if l.kind == LineKind::Added && c.get(2).is_some() && t.ends_with(']') {
                    let now = syntax::split_top_args(
                        c.get(3).map_or("", |m| m.as_str()).trim_end_matches(']'),
                    )
                    .len();
                    let before = hunk
                        .lines
                        .iter()
                        .filter(|r| r.kind == LineKind::Removed)
                        .find_map(|r| {
                            KEY.captures(&r.text)
                                .filter(|rc| rc.get(1).map(|m| m.as_str()) == Some(key))
                        })
                        .map(|rc| {
                            syntax::split_top_args(
                                rc.get(3).map_or("", |m| m.as_str()).trim_end_matches(']'),
                            )
                            .len()
                        });
                    if before.is_some_and(|b| now > b) {
                        out.push(
                            finding(
                                Rule::ConfigCoverageLowered,
                                path,
                                Some(l),
                                format!(
                                    "coverage `{key}` gained entries: more code stops counting"
                                ),
                            )
                            .change(None, Some(&l.text)),
                        );
                    }
                }
                continue;
            }
            let Some(key) = open else { continue };
            if t.starts_with(']') || (t.ends_with(']') && !t.starts_with(['"', '\''])) {
                open = None;
                continue;
            }
            // an INI block ends at the next `key =` line or section
            if t.starts_with('[') || (t.contains('=') && !t.starts_with(['"', '\''])) {
                open = None;
                continue;
            }
            if l.kind == LineKind::Added && !t.is_empty() && !t.starts_with('#') {
                out.push(
                    finding(
                        Rule::ConfigCoverageLowered,
                        path,
                        Some(l),
                        format!(
                            "coverage `{key}` gained `{}`: matching code stops counting",
                            clip(t.trim_end_matches(','))
                        ),
                    )
                    .change(None, Some(&l.text)),
                );
            }
        }
    }
}

fn coverage_thresholds(file: &FilePatch<'_>, path: &str, out: &mut Vec<Finding>) {
    static THRESHOLD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r#"(?i)\b(fail[_-]under(?:[_-](?:lines|functions|regions|branches|statements))?|cov[_-]fail[_-]under|min(?:imum)?[_-]coverage(?:[_-]by[_-]file)?|coverage[_-]?threshold|branches|functions|lines|statements|perFile|target|threshold)["']?\s*(?:[:=]|\s)\s*["']?(-?\d+(?:\.\d+)?)%?"#,
        )
        .expect("coverage regex")
    });
    let grab = |kind: LineKind| -> Vec<(&Line<'_>, String, f64)> {
        file.lines()
            .filter(|l| l.kind == kind)
            .flat_map(|l| {
                THRESHOLD.captures_iter(&l.text).filter_map(move |c| {
                    let v: f64 = c.get(2)?.as_str().parse().ok()?;
                    Some((l, c[1].to_ascii_lowercase().replace('-', "_"), v))
                })
            })
            .collect()
    };
    let removed = grab(LineKind::Removed);
    if removed.is_empty() {
        return;
    }
    let cov_context = |l: &Line<'_>| {
        let t = l.text.to_ascii_lowercase();
        t.contains("cov") || t.contains("fail_under") || t.contains("fail-under")
    };
    let file_is_cov = file.lines().any(|l| {
        let t = l.text.to_ascii_lowercase();
        t.contains("coverage") || t.contains("thresholds")
    });
    let added = grab(LineKind::Added);
    for (l, key, old) in removed {
        if !(cov_context(l) || file_is_cov) {
            continue;
        }
        match added.iter().find(|(_, k, _)| *k == key) {
            Some((a, _, new)) if new < &old => out.push(
                finding(
                    Rule::ConfigCoverageLowered,
                    path,
                    Some(l),
                    format!("coverage threshold `{key}` lowered from {old} to {new}"),
                )
                .change(Some(&l.text), Some(&a.text)),
            ),
            Some(_) => {}
            None => out.push(
                finding(
                    Rule::ConfigCoverageLowered,
                    path,
                    Some(l),
                    format!("coverage threshold `{key}` ({old}) removed"),
                )
                .change(Some(&l.text), None),
            ),
        }
    }
}

/// One check on one side of the diff: an assertion statement from the syntax tree, or an
/// assertion line where no grammar is available.
struct Unit<'l, 'a> {
    /// The first line of the check, on its side.
    line: &'l Line<'a>,
    /// Old-side line numbers the check spans (old side only).
    old_rows: Vec<u32>,
    hunk: usize,
    text: String,
    key: String,
    tokens: Vec<String>,
    state: State,
    raises: Option<syntax::Raises>,
    test: Option<String>,
    /// Conditions of the branches around it (from the syntax tree; empty otherwise).
    guards: Vec<String>,
    used: bool,
    /// From the syntax tree (keys are normalised statements), not an assertion line.
    ast: bool,
}

impl<'l, 'a> Unit<'l, 'a> {
    fn new(line: &'l Line<'a>, hunk: usize, text: String, key: String) -> Self {
        let tokens = assertions::tokens(&text)
            .into_iter()
            .map(str::to_string)
            .collect();
        let state = match syntax::tautology(&text) {
            Some(r) => State::Tautology(r),
            None => State::Live,
        };
        Unit {
            line,
            old_rows: line.old_lineno.into_iter().collect(),
            hunk,
            raises: syntax::raises_of(&text),
            text,
            key,
            tokens,
            state,
            test: None,
            guards: Vec::new(),
            used: false,
            ast: false,
        }
    }
}

/// The checks of both sides of a file's test hunks, its new-side comments, and any hunk whose
/// new side no longer parses.
struct Sides<'l, 'a> {
    old: Vec<Unit<'l, 'a>>,
    new: Vec<Unit<'l, 'a>>,
    new_comments: Vec<String>,
    unparseable: Vec<(&'l Line<'a>, usize, usize)>,
    /// Added `return`/`raise`/`throw` lines with statements after them.
    dead_exits: Vec<&'l Line<'a>>,
}

/// One side of a hunk as text (context plus that side's changed lines), with the hunk line
/// behind each row. Python is dedented by the hunk's common indentation so a fragment from
/// inside a function parses as statements.
fn side_text<'l, 'a>(
    lines: &'l [Line<'a>],
    old: bool,
    dedent: usize,
    braces: Option<&str>,
) -> (String, Vec<Option<&'l Line<'a>>>) {
    let skip = if old {
        LineKind::Added
    } else {
        LineKind::Removed
    };
    let mut text = String::new();
    let mut rows = Vec::new();
    if braces == Some(BRACES_AFTER_CALL_TAIL) {
        // A fragment that starts inside a call whose head the hunk does not show (`  x = 1,\n)`):
        // leave out the unchanged lines up to the one that closes it, then repair as usual.
        let skip_to = call_tail(lines);
        return side_text(&lines[skip_to..], old, dedent, Some("{"));
    }
    if braces == Some(FROM_DECLARATION) {
        // A fragment that opens with the unchanged end of the previous declaration: start at
        // the first declaration line instead, so the function after it is not read as nested
        // in a block.
        let start = lines
            .iter()
            .position(|l| l.kind != LineKind::Context || declaration_start(&l.text))
            .unwrap_or(0);
        if start == 0 || !declaration_start(&lines[start].text) {
            return side_text(lines, old, dedent, Some("{"));
        }
        return side_text(&lines[start..], old, dedent, Some("{"));
    }
    if let Some((open, close)) = ENCLOSURES.iter().find(|(o, _)| braces == Some(*o)) {
        // A fragment from inside a table (list elements, object entries): read it as the
        // literal it was cut from.
        text.push_str(open);
        text.push('\n');
        rows.push(None);
        // Only the run of row-like lines around the change (the unchanged code around a
        // table is left out); a change that is not all rows is read whole.
        let row_like = |l: &Line<'_>| {
            let t = l.text.trim();
            t.is_empty()
                || (t.ends_with(',') && t.starts_with(['{', '(', '[', '"', '\'', '`']))
                || t.starts_with("//")
        };
        let first = lines.iter().position(|l| l.kind != LineKind::Context);
        let last = lines.iter().rposition(|l| l.kind != LineKind::Context);
        let lines = match (first, last) {
            (Some(a), Some(z)) if lines[a..=z].iter().all(row_like) => {
                let a = (0..a)
                    .rev()
                    .take_while(|&k| row_like(&lines[k]))
                    .last()
                    .unwrap_or(a);
                let z = (z + 1..lines.len())
                    .take_while(|&k| row_like(&lines[k]))
                    .last()
                    .unwrap_or(z);
                &lines[a..=z]
            }
            _ => lines,
        };
        let (body, mut body_rows) = side_text(lines, old, dedent, None);
        text.push_str(&body);
        rows.append(&mut body_rows);
        text.push_str(close);
        text.push('\n');
        rows.push(None);
        return (text, rows);
    }
    if braces == Some(RUBY_BLOCK) {
        // A Ruby fragment: open the `end`-blocks it closes and close the ones it leaves open.
        let (unmatched, left_open) =
            ruby_balance(lines.iter().filter(|l| l.kind != skip).map(|l| &*l.text));
        for _ in 0..unmatched {
            text.push_str("begin\n");
            rows.push(None);
        }
        let (body, mut body_rows) = side_text(lines, old, dedent, None);
        text.push_str(&body);
        rows.append(&mut body_rows);
        for _ in 0..left_open {
            text.push_str("end\n");
            rows.push(None);
        }
        return (text, rows);
    }
    if braces == Some(PYTHON_IN_DOCSTRING) {
        // A Python fragment that starts inside a docstring (its first triple-quote line
        // closes one): reopen the string first.
        let quote = starts_in_docstring(lines);
        let (body, body_rows) = side_text(lines, old, dedent, Some(PYTHON_CALL));
        let Some(quote) = quote else {
            return (body, body_rows);
        };
        text.push_str(quote);
        text.push('\n');
        rows.push(None);
        text.push_str(&body);
        rows.extend(body_rows);
        return (text, rows);
    }
    if let Some(outer) = braces {
        // A fragment cut out of a function: open the blocks it closes and close the ones it
        // leaves open, on lines of their own, so its statements parse as statements.
        let python = outer == PYTHON_CALL;
        let (unmatched, left_open) = bracket_balance(
            lines.iter().filter(|l| l.kind != skip).map(|l| &*l.text),
            python,
        );
        let blocks = unmatched.iter().filter(|o| **o == b'{').count();
        if python && !unmatched.is_empty() {
            // A Python fragment that starts inside a call or literal: reopen it as a call.
            text.push_str(PYTHON_CALL);
            for opener in unmatched.iter().rev() {
                text.push(*opener as char);
            }
            text.push('\n');
            rows.push(None);
        } else if !python && (outer == CALLS_REOPENED_JS || outer == CALLS_REOPENED_GO) {
            // A fragment that closes calls with function arguments (`})` of mocha's `it(…,
            // function () {` or Ginkgo's `It("…", func() {`): reopen each closed bracket as
            // what it most likely was, outermost first.
            let go = outer == CALLS_REOPENED_GO;
            for (k, opener) in unmatched.iter().rev().enumerate() {
                text.push_str(match (opener, go, k) {
                    (b'(', true, 0) => "var _ = __f(",
                    (b'(', _, _) => "__f(",
                    (b'{', true, 0) => "func __f() {",
                    (b'{', true, _) => "func() {",
                    (b'{', false, _) => "() => {",
                    _ => "[",
                });
            }
            text.push('\n');
            rows.push(None);
        } else if !python && blocks > 0 && outer == METHOD_IN_CLASSES {
            // The first block the fragment closes is a method body, the others class bodies
            // (a test method, then the nested test class and the outer one).
            text.push_str(&"class __Fragment {".repeat(blocks - 1));
            text.push_str("void __fragment() {");
            text.push('\n');
            rows.push(None);
        } else if !python && blocks > 0 {
            // Only blocks are reopened: a reopened `(` would turn the block after it into an
            // object literal or a tuple; a stray `)` stays one small error on both sides.
            text.push_str(outer);
            text.push_str(&"{".repeat(blocks - 1));
            text.push('\n');
            rows.push(None);
        }
        let (body, mut body_rows) = side_text(lines, old, dedent, None);
        text.push_str(&body);
        rows.append(&mut body_rows);
        if !left_open.is_empty() {
            for opener in left_open.iter().rev() {
                text.push(match opener {
                    b'{' => '}',
                    b'(' => ')',
                    _ => ']',
                });
            }
            text.push('\n');
            rows.push(None);
        }
        return (text, rows);
    }
    for l in lines.iter().filter(|l| l.kind != skip) {
        let t: &str = &l.text;
        let cut = t
            .char_indices()
            .take_while(|(i, c)| *i < dedent && c.is_whitespace())
            .last()
            .map(|(i, c)| i + c.len_utf8())
            .unwrap_or(0);
        text.push_str(&t[cut..]);
        text.push('\n');
        rows.push(Some(l));
    }
    (text, rows)
}

/// The brackets a fragment of a brace language closes without opening them (in order) and
/// the ones it leaves open (innermost last); strings and `//` comments are skipped.
/// JS/TS and Go fragments that close calls whose last argument is a function.
const CALLS_REOPENED_JS: &str = "{ calls reopened (js)";
const CALLS_REOPENED_GO: &str = "{ calls reopened (go)";

/// Java/C# fragments that close a method and then the classes around it.
const METHOD_IN_CLASSES: &str = "{ a method inside classes";

/// The callee a Python fragment that starts inside brackets is reopened with.
const PYTHON_CALL: &str = "_";

/// The quote of the docstring a Python fragment starts inside: its first triple-quote line is
/// unchanged context holding only the delimiter, and the line before it (if any) does not end
/// a `def`/`class` header (then it would open one).
fn starts_in_docstring(lines: &[Line<'_>]) -> Option<&'static str> {
    let at = lines
        .iter()
        .position(|l| l.text.contains("\"\"\"") || l.text.contains("'''"))?;
    let l = &lines[at];
    if l.kind != LineKind::Context {
        return None;
    }
    let opens = lines[..at]
        .iter()
        .rev()
        .find(|p| !p.text.trim().is_empty())
        .is_some_and(|p| p.text.trim_end().ends_with(':'));
    if opens {
        return None;
    }
    ["\"\"\"", "'''"].into_iter().find(|q| l.text.trim() == *q)
}

/// True when the last triple-quote line of `text` follows a line ending in `:` (it opens a
/// docstring).
fn opens_last_docstring(text: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let Some(at) = lines.iter().rposition(|l| l.contains("\"\"\"")) else {
        return false;
    };
    lines[..at]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.trim_end().ends_with(':'))
}

/// A Python fragment read as starting inside a triple-quoted string.
const PYTHON_IN_DOCSTRING: &str = "\"\"\" a fragment inside a docstring";

/// `def name(args) = expr`: an `=` outside the parameter list that is not part of the
/// method's name (`==`, `[]=`, `name=(v)`) or a default value.
fn endless_def(code: &str) -> bool {
    let b = code.as_bytes();
    let mut depth = 0i32;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' => depth += 1,
            b')' => depth -= 1,
            b'=' if depth == 0 => {
                let next = b.get(i + 1).copied();
                let prev = i.checked_sub(1).map(|j| b[j]);
                if !matches!(next, Some(b'=' | b'(' | b'~' | b'>'))
                    && !matches!(prev, Some(b'=' | b'!' | b'<' | b'>' | b']'))
                {
                    return true;
                }
            }
            _ => {}
        }
    }
    false
}

/// The reading of a brace-language fragment that starts inside a call (see [`call_tail`]).
const BRACES_AFTER_CALL_TAIL: &str = "{ after the call tail";

/// The repair that starts a fragment at its first declaration (see [`side_text`]).
const FROM_DECLARATION: &str = "{ from the first declaration";

/// Literals a fragment of table rows is read inside: (opening line, closing line).
const ENCLOSURES: &[(&str, &str)] = &[(ROWS_LIST, "]"), (ROWS_OBJECT, "})"), (ROWS_GO, "}")];
const ROWS_LIST: &str = "__rows = [";
const ROWS_OBJECT: &str = "__rows = ({";
const ROWS_GO: &str = "var __rows = []any{";

/// A line that starts a function or test declaration at its own indentation.
fn declaration_start(line: &str) -> bool {
    let t = line.trim_start();
    [
        "func ",
        "fn ",
        "pub fn ",
        "async fn ",
        "#[test]",
        "#[",
        "function ",
        "async function ",
        "export function ",
        "def ",
        "async def ",
        "@Test",
        "@",
        "test(",
        "it(",
        "describe(",
        "public ",
        "private ",
        "void ",
        "[Fact",
        "[Test",
        "[Theory",
    ]
    .iter()
    .any(|p| t.starts_with(p))
}

/// How many leading lines of a fragment are the unchanged tail of a call or literal whose
/// opening the fragment does not show: up to and including the last line at which a `)` or `]`
/// closes what was never opened, provided all of them are context lines (0 otherwise).
fn call_tail(lines: &[Line<'_>]) -> usize {
    let mut depth = 0i32;
    let mut cut = 0;
    for (i, l) in lines.iter().enumerate() {
        if l.kind != LineKind::Context {
            break;
        }
        let mut quote: Option<u8> = None;
        let b = l.text.as_bytes();
        let mut k = 0;
        while k < b.len() {
            let c = b[k];
            match quote {
                Some(_) if c == b'\\' => k += 1,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    b'"' | b'\'' | b'`' => quote = Some(c),
                    b'/' if b.get(k + 1) == Some(&b'/') => break,
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => {
                        depth -= 1;
                        if depth < 0 && c != b'}' {
                            cut = i + 1;
                            depth = 0;
                        } else if depth < 0 {
                            depth = 0;
                        }
                    }
                    _ => {}
                },
            }
            k += 1;
        }
    }
    cut
}

/// The repair of a Ruby fragment (blocks closed by `end`, see [`ruby_balance`]).
const RUBY_BLOCK: &str = "begin";

/// How many `end`s a Ruby fragment has without their opening line, and how many blocks it
/// leaves open. Openers are lines that start with a block keyword (`def`, `class`, `module`,
/// `if`, `unless`, `while`, `until`, `case`, `begin`, `for`) or end with `do`/`do |…|`;
/// closers are lines that start with `end`. Modifier forms (`x if y`) do not start a line, so
/// they are not openers.
fn ruby_balance<'t>(lines: impl Iterator<Item = &'t str>) -> (usize, usize) {
    let (mut unmatched, mut open) = (0usize, 0usize);
    for line in lines {
        let t = line.trim();
        let first = t
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        let code = t.split(" #").next().unwrap_or(t).trim_end();
        let opens = matches!(
            first,
            "def"
                | "class"
                | "module"
                | "if"
                | "unless"
                | "while"
                | "until"
                | "case"
                | "begin"
                | "for"
        ) && !(first == "def" && endless_def(code))
            || code.ends_with(" do")
            || code == "do"
            || (code.ends_with('|') && code.contains(" do |"));
        let closes = first == "end";
        if opens && !(closes || code.ends_with(" end") || code.ends_with(";end")) {
            open += 1;
        } else if closes {
            if open > 0 {
                open -= 1;
            } else {
                unmatched += 1;
            }
        }
    }
    (unmatched, open)
}

fn bracket_balance<'t>(lines: impl Iterator<Item = &'t str>, python: bool) -> (Vec<u8>, Vec<u8>) {
    let mut open: Vec<u8> = Vec::new();
    let mut unmatched: Vec<u8> = Vec::new();
    for line in lines {
        let mut quote: Option<u8> = None;
        let b = line.as_bytes();
        // single quotes delimit strings (Dart, Lua, JS, Python…) when they pair up on the
        // line; a lone one is a Rust lifetime or a char escape
        let single = python || b.iter().filter(|&&c| c == b'\'').count() % 2 == 0;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if let Some(q) = quote {
                if c == b'\\' {
                    i += 1;
                } else if c == q {
                    quote = None;
                }
            } else {
                match c {
                    b'"' | b'`' => quote = Some(c),
                    b'\'' if single => quote = Some(c),
                    b'#' if python => break,
                    b'/' if !python && b.get(i + 1) == Some(&b'/') => break,
                    b'{' | b'(' | b'[' => open.push(c),
                    b'}' | b')' | b']' => {
                        let opener = match c {
                            b'}' => b'{',
                            b')' => b'(',
                            _ => b'[',
                        };
                        if open.last() == Some(&opener) {
                            open.pop();
                        } else if open.is_empty() {
                            unmatched.push(opener);
                        } else {
                            // Mismatched nesting: leave the rest of this line alone.
                            break;
                        }
                    }
                    _ => {}
                }
            }
            i += 1;
        }
    }
    (unmatched, open)
}

fn syntax_sides<'l, 'a>(grammar: Grammar, hunks: &[&'l Hunk<'a>]) -> Sides<'l, 'a> {
    let mut sides = Sides {
        old: Vec::new(),
        new: Vec::new(),
        new_comments: Vec::new(),
        unparseable: Vec::new(),
        dead_exits: Vec::new(),
    };
    for (h, hunk) in hunks.iter().enumerate() {
        let dedent = if grammar == Grammar::Python {
            hunk.lines
                .iter()
                .filter(|l| !l.text.trim().is_empty())
                .map(|l| l.text.len() - l.text.trim_start().len())
                .min()
                .unwrap_or(0)
        } else {
            0
        };
        // The outermost block a fragment closes may be a function body or a class body; parse
        // it both ways where that matters and keep the reading with fewer errors.
        let wrappers: &[Option<&str>] = match grammar {
            // A fragment that starts inside a docstring is read that way first: read
            // plainly it often parses clean as one long string.
            Grammar::Python if starts_in_docstring(&hunk.lines).is_some() => {
                &[Some(PYTHON_IN_DOCSTRING), Some(PYTHON_CALL)]
            }
            Grammar::Python => &[Some(PYTHON_CALL)],
            Grammar::Java => &[
                Some("{"),
                Some("class __Fragment {"),
                Some(FROM_DECLARATION),
                Some(METHOD_IN_CLASSES),
            ],
            Grammar::TypeScript | Grammar::Tsx => &[
                Some("{"),
                Some("class __Fragment {"),
                Some(FROM_DECLARATION),
                Some(ROWS_LIST),
                Some(ROWS_OBJECT),
                Some(CALLS_REOPENED_JS),
            ],
            Grammar::Rust => &[Some("{"), Some(FROM_DECLARATION)],
            Grammar::Go => &[
                Some("{"),
                Some(FROM_DECLARATION),
                Some(ROWS_GO),
                Some(CALLS_REOPENED_GO),
            ],
            Grammar::Kotlin => &[
                Some("{"),
                Some("class __Fragment {"),
                Some(BRACES_AFTER_CALL_TAIL),
            ],
            Grammar::CSharp => &[
                Some("{"),
                Some("class __Fragment {"),
                Some(BRACES_AFTER_CALL_TAIL),
                Some(METHOD_IN_CLASSES),
            ],
            Grammar::Ruby => &[Some(RUBY_BLOCK)],
        };
        // The second reading is only tried when the first has errors (parsing dominates cost).
        let mut readings = Vec::new();
        for w in wrappers {
            if readings.iter().any(
                |r: &[(syntax::Outline, Vec<Option<&Line<'_>>>, usize); 2]| {
                    r[0].0.errors + r[1].0.errors == 0
                },
            ) {
                break;
            }
            readings.push([true, false].map(|old| {
                let (text, rows) = side_text(&hunk.lines, old, dedent, *w);
                // Brackets the repair had to close count against the side: an added
                // `assert (((` must not parse clean because the repair closed it.
                let closed = if matches!(rows.last(), Some(None)) {
                    text.trim_end().lines().last().map_or(0, |l| {
                        l.chars().filter(|c| matches!(c, ')' | ']' | '}')).count()
                    })
                } else {
                    0
                };
                let (mut text, mut rows) = (text, rows);
                if grammar == Grammar::Python
                    && text.matches("\"\"\"").count() % 2 == 1
                    && opens_last_docstring(&text)
                {
                    // A docstring the fragment opens (after a `def …:`) and does not show
                    // closed.
                    text.push_str("\n\"\"\"\n");
                    rows.push(None);
                }
                (syntax::outline(grammar, &text), rows, closed)
            }));
        }
        let parsed = readings
            .into_iter()
            .min_by_key(|[o, n]| o.0.errors + n.0.errors);
        let Some(parsed) = parsed else { continue };
        let mut errors = [0usize; 2];
        for (side, (outline, rows, closed)) in parsed.into_iter().enumerate() {
            let old = side == 0;
            errors[side] = outline.errors + closed;
            if !old && errors[1] > errors[0] {
                // The change brought parse errors: find one that touches an added line.
                let hit = outline.error_rows.iter().find_map(|(a, b)| {
                    rows.get(*a..=(*b).min(rows.len().saturating_sub(1)))
                        .and_then(|span| span.iter().flatten().find(|l| l.kind == LineKind::Added))
                        .copied()
                });
                let hit = hit.or_else(|| {
                    (errors[1] - closed <= errors[0])
                        .then(|| {
                            rows.iter()
                                .flatten()
                                .rfind(|l| l.kind == LineKind::Added)
                                .copied()
                        })
                        .flatten()
                });
                if let Some(l) = hit {
                    sides.unparseable.push((l, errors[0], errors[1]));
                }
            }
            if !old {
                sides
                    .new_comments
                    .extend(outline.comments.iter().map(|(_, c)| c.clone()));
            }
            if !old {
                // A bare `return` followed by more code at its own indentation.
                // An `if` whose condition is always true and whose body is only a return
                // (`if true { return }`, `if not False: return`, or the three-line form) is
                // the same exit.
                for (k, l) in rows.iter().enumerate() {
                    let Some(l) = l else { continue };
                    if l.kind != LineKind::Added {
                        continue;
                    }
                    let end = if is_bare_return(&l.text) || guarded_return(&l.text) {
                        k
                    } else if opens_true_if(&l.text) {
                        let next: Vec<(usize, &Line<'_>)> = rows[k + 1..]
                            .iter()
                            .enumerate()
                            .filter_map(|(j, n)| n.map(|n| (k + 1 + j, n)))
                            .filter(|(_, n)| !n.text.trim().is_empty())
                            .take(2)
                            .collect();
                        match next.as_slice() {
                            [(_, r), (c, close)]
                                if r.kind == LineKind::Added
                                    && is_bare_return(&r.text)
                                    && matches!(close.text.trim(), "}" | "end") =>
                            {
                                *c
                            }
                            [(r_at, r), ..]
                                if grammar == Grammar::Python
                                    && r.kind == LineKind::Added
                                    && is_bare_return(&r.text) =>
                            {
                                *r_at
                            }
                            _ => continue,
                        }
                    } else {
                        continue;
                    };
                    let ind = l.text.len() - l.text.trim_start().len();
                    let mut after = rows[end + 1..]
                        .iter()
                        .flatten()
                        .filter(|n| !n.text.trim().is_empty());
                    let mut comments_only = false;
                    let next = after.find(|n| {
                        let c = class_comment(grammar, &n.text);
                        comments_only |= c;
                        !c
                    });
                    let code_follows = next.is_some_and(|n| {
                        n.text.len() - n.text.trim_start().len() == ind
                            && !n.text.trim_start().starts_with(['}', ')', ']'])
                            && n.text.trim() != "end"
                    });
                    // Only comments follow within the hunk: what comes after is not shown,
                    // so the added exit cannot be shown harmless (fail closed).
                    let unseen = next.is_none() && comments_only;
                    if (code_follows || unseen)
                        && !sides.dead_exits.iter().any(|d| std::ptr::eq(*d, *l))
                    {
                        sides.dead_exits.push(l);
                    }
                }
                for row in outline.dead_exits.iter().chain(&outline.dead_attrs) {
                    if let Some(Some(l)) = rows.get(*row)
                        && l.kind == LineKind::Added
                        && !sides.dead_exits.iter().any(|d| std::ptr::eq(*d, *l))
                    {
                        sides.dead_exits.push(l);
                    }
                }
            }
            let covered: Vec<(usize, usize)> = outline
                .checks
                .iter()
                .map(|c| (c.first_row, c.last_row))
                .chain(outline.comments.iter().map(|(r, _)| (*r, *r)))
                .collect();
            // Assertion lines the parser could not place in a statement (inside an error
            // node of a fragment) are still compared, line by line.
            let changed_kind = if old {
                LineKind::Removed
            } else {
                LineKind::Added
            };
            for (k, l) in rows.iter().enumerate() {
                let Some(l) = l else { continue };
                if l.kind == changed_kind
                    && !covered.iter().any(|(a, b)| (*a..=*b).contains(&k))
                    && !class_comment(grammar, &l.text)
                    && assertions::is_assertion(&l.text)
                {
                    let text = syntax::collapse(l.text.trim());
                    let key = syntax::key_of(&text);
                    let mut u = Unit::new(l, h, text, key);
                    u.ast = true;
                    if old {
                        sides.old.push(u)
                    } else {
                        sides.new.push(u)
                    }
                }
            }
            for c in outline.checks {
                let span = rows
                    .get(c.first_row..=c.last_row.min(rows.len().saturating_sub(1)))
                    .unwrap_or(&[]);
                let Some(first) = span.iter().flatten().next().copied() else {
                    continue;
                };
                let mut u = Unit::new(first, h, c.text, c.key);
                u.ast = true;
                u.state = c.state;
                u.raises = c.raises;
                u.test = c.test;
                u.guards = c.guards;
                u.old_rows = span.iter().flatten().filter_map(|l| l.old_lineno).collect();
                if old {
                    sides.old.push(u)
                } else {
                    sides.new.push(u)
                }
            }
        }
    }
    sides
}

fn line_sides<'l, 'a>(hunks: &[&'l Hunk<'a>], code: impl Fn(&Line<'_>) -> bool) -> Sides<'l, 'a> {
    let mut sides = Sides {
        old: Vec::new(),
        new: Vec::new(),
        new_comments: Vec::new(),
        unparseable: Vec::new(),
        dead_exits: Vec::new(),
    };
    for (h, hunk) in hunks.iter().enumerate() {
        for (idx, l) in hunk.lines.iter().enumerate() {
            if l.kind == LineKind::Added && !code(l) {
                sides
                    .new_comments
                    .push(syntax::squash(comment_body(&l.text)));
            }
            if !code(l) || !assertions::is_assertion(&l.text) || l.kind == LineKind::Context {
                continue;
            }
            // A call continued on the next lines of the same side is one statement.
            // So is one whose line ends on a binary operator (`assert f(x) ==` / `  expected`)
            // or whose next line starts with one (`|> parse()`, `&& ok`).
            const OPERATORS: &[&str] = &[
                "==", "!=", "===", "&&", "||", "=~", "<>", "|>", "+", " and", " or",
            ];
            let continues = |text: &str, next: &str| {
                let (text, next) = (text.trim_end(), next.trim_start());
                OPERATORS.iter().any(|o| text.ends_with(o))
                    || ["|>", "&&", "||", "==", "."]
                        .iter()
                        .any(|o| next.starts_with(o))
            };
            let mut text = l.text.trim().to_string();
            let mut open = bracket_balance(std::iter::once(text.as_str()), false).1;
            let mut k = idx + 1;
            while k < hunk.lines.len() && k < idx + 20 {
                let n = &hunk.lines[k];
                if open.is_empty() && (n.kind != l.kind || !continues(&text, &n.text)) {
                    break;
                }
                if n.kind != l.kind && n.kind != LineKind::Context {
                    k += 1;
                    continue;
                }
                k += 1;
                text.push(' ');
                text.push_str(n.text.trim());
                open = bracket_balance(std::iter::once(text.as_str()), false).1;
            }
            let text = syntax::collapse(&text);
            let key = syntax::key_of(&text);
            let u = Unit::new(l, h, text, key);
            if l.kind == LineKind::Removed {
                sides.old.push(u)
            } else {
                sides.new.push(u)
            }
        }
    }
    sides
}

fn class_comment(grammar: Grammar, line: &str) -> bool {
    let t = line.trim_start();
    match grammar {
        Grammar::Python | Grammar::Ruby => t.starts_with('#'),
        _ => t.starts_with("//") || t.starts_with("/*"),
    }
}

/// A comment line without its marker.
fn comment_body(line: &str) -> &str {
    let t = line.trim_start();
    for p in ["//", "#", "/*", "*", "--"] {
        if let Some(rest) = t.strip_prefix(p) {
            return rest;
        }
    }
    t
}

/// Compare the old and new checks of test code (removed, unreachable, tautological, weakened,
/// broadened, rewritten assertions; changed literals), and removed tests. `strict` (a real
/// test file) also flags rewritten assertions and changed test data; in test modules of
/// shipped source only removal and weakening count.
fn compare_test_code(
    file: &FilePatch<'_>,
    path: &str,
    class: &FileClass,
    strict: bool,
    hunks: &[&Hunk<'_>],
    out: &mut Vec<Finding>,
) {
    let code = |l: &Line<'_>| {
        let t = l.text.trim_start();
        !t.is_empty() && !class.lang.is_comment(t)
    };
    // Removed test definitions that are not defined again.
    let mut added_names: Vec<String> = Vec::new();
    let mut added_markers = 0usize;
    let mut removed_named: Vec<(&Line<'_>, String)> = Vec::new();
    let mut removed_markers: Vec<&Line<'_>> = Vec::new();
    for l in hunks.iter().flat_map(|h| &h.lines).filter(|l| code(l)) {
        match (l.kind, assertions::test_def(&l.text)) {
            (LineKind::Added, Some(TestDef::Named(n))) => added_names.push(n),
            (LineKind::Added, Some(TestDef::Marker)) => added_markers += 1,
            (LineKind::Removed, Some(TestDef::Named(n))) => removed_named.push((l, n)),
            (LineKind::Removed, Some(TestDef::Marker)) => removed_markers.push(l),
            _ => {}
        }
    }
    let gone: Vec<&(&Line<'_>, String)> = removed_named
        .iter()
        .filter(|(_, n)| !added_names.contains(n))
        .collect();
    let new_names = added_names
        .iter()
        .filter(|n| !removed_named.iter().any(|(_, r)| r == *n))
        .count();
    for (l, name) in gone.iter().skip(new_names) {
        out.push(
            finding(
                Rule::TestRemoved,
                path,
                Some(l),
                format!("test `{name}` removed and not defined again"),
            )
            .change(Some(&l.text), None),
        );
    }
    for l in removed_markers.iter().skip(added_markers) {
        out.push(
            finding(Rule::TestRemoved, path, Some(l), "test function removed")
                .change(Some(&l.text), None),
        );
    }

    let grammar = Grammar::for_path(path);
    let mut sides = match grammar {
        Some(g) => syntax_sides(g, hunks),
        None => line_sides(hunks, code),
    };
    never_called_helpers(file, &mut sides.new);
    let bindings = Bindings::of(file, code);
    let helpers = Helpers::of(file, code);
    for (l, before, after) in &sides.unparseable {
        out.push(finding(
            Rule::TestUnparseable,
            path,
            Some(l),
            format!(
                "test code no longer parses ({after} syntax errors where the old text had {before}); its checks cannot be compared, review it by hand"
            ),
        ));
    }
    if grammar.is_none() {
        early_returns(hunks, code, path, out);
    }
    let before = out.len();
    let mut line_findings = Vec::new();
    line_level_weakening(hunks, path, &mut line_findings);
    // The syntax reading already judged these lines: keep a line finding only where it did not.
    for f in line_findings {
        if !out[..before]
            .iter()
            .any(|g| g.file == f.file && g.rule == f.rule)
        {
            out.push(f);
        }
    }
    for l in &sides.dead_exits {
        out.push(
            finding(
                Rule::AssertUnreachable,
                path,
                Some(l),
                "an added return skips the rest of the test: the statements after it never run",
            )
            .change(None, Some(&l.text)),
        );
    }

    // Same check on both sides (same key, same state): nothing changed.
    for o in sides.old.iter_mut() {
        if let Some(n) = sides.new.iter_mut().find(|n| {
            !n.used && n.key == o.key && n.state == o.state && newly_guarded(o, n).is_none()
        }) {
            n.used = true;
            o.used = true;
        }
    }
    let renamed = Renames::of(file, code);
    let commented = |o: &Unit<'_, '_>, comments: &[String]| {
        let k = syntax::squash(&o.text);
        let k = k.trim_end_matches(';');
        k.len() >= 6 && comments.iter().any(|c| c.contains(k))
    };
    let mut judged_removed: Vec<u32> = Vec::new();
    for o in sides.old.iter() {
        judged_removed.extend(&o.old_rows);
    }
    for i in 0..sides.old.len() {
        let o = &sides.old[i];
        // A check that could never fail (or never ran) loses nothing when it goes.
        if o.used || matches!(o.state, State::Unreachable(_) | State::Tautology(_)) {
            continue;
        }
        // The same check, now made through a helper the change adds.
        if helpers.explains(o) {
            sides.old[i].used = true;
            continue;
        }
        // The same check, now dead or vacuous.
        let same = sides
            .new
            .iter()
            .position(|n| !n.used && n.key == o.key && n.state != o.state);
        // The same check with its subject moved into a local the change binds.
        let same = same.or_else(|| {
            sides
                .new
                .iter()
                .position(|n| !n.used && bindings.same_check(o, n))
        });
        let best = same.or_else(|| {
            // Near its own position first (same hunk, a few checks either side); the whole
            // file only when that finds nothing and the file has few checks left, so pairing
            // stays linear on large rewrites.
            let row = |l: Option<u32>, start: u32| i64::from(l.unwrap_or(0)) - i64::from(start);
            let orow = row(o.line.old_lineno, hunks[o.hunk].old_start);
            let window = |_: usize, n: &Unit<'_, '_>| {
                n.hunk == o.hunk
                    && (row(n.line.new_lineno, hunks[n.hunk].new_start) - orow).abs() <= 40
            };
            let unused = sides.new.iter().filter(|n| !n.used).count();
            let near = sides
                .new
                .iter()
                .enumerate()
                .any(|(j, n)| !n.used && window(j, n));
            sides
                .new
                .iter()
                .enumerate()
                .filter(|(j, n)| !n.used && (window(*j, n) || (!near && unused <= 64)))
                .map(|(j, n)| {
                    let same_hunk = if n.hunk == o.hunk { 0.05 } else { 0.0 };
                    let same_test = if n.test.is_some() && n.test == o.test {
                        0.05
                    } else {
                        0.0
                    };
                    let a: Vec<&str> = o.tokens.iter().map(String::as_str).collect();
                    let b: Vec<&str> = n.tokens.iter().map(String::as_str).collect();
                    (assertions::similarity(&a, &b) + same_hunk + same_test, j)
                })
                .filter(|(s, _)| *s >= 0.4)
                .max_by(|x, y| x.0.total_cmp(&y.0))
                .map(|(_, j)| j)
                .or_else(|| {
                    // A presence check (`refute is_nil(x)`, `EXPECT_NO_THROW(x)`) replaced in
                    // the same place by an exact check of the same value: judged below.
                    let subject = syntax::definedness_subject(&o.text)?;
                    sides.new.iter().position(|n| {
                        !n.used
                            && n.state == State::Live
                            && n.hunk == o.hunk
                            && syntax::equality(&n.text)
                                .is_some_and(|(_, a, b)| a == subject || b == subject)
                    })
                })
                .or_else(|| {
                    // A vacuous or dead check in the same place replaces it.
                    sides.new.iter().position(|n| {
                        !n.used
                            && n.state != State::Live
                            && n.hunk == o.hunk
                            && (n.test == o.test || n.test.is_none() || o.test.is_none())
                    })
                })
        });
        let Some(j) = best else {
            let (rule, msg) = if commented(o, &sides.new_comments) {
                (Rule::AssertCommentedOut, "assertion commented out")
            } else {
                (
                    Rule::AssertRemoved,
                    "assertion removed without a replacement",
                )
            };
            out.push(finding(rule, path, Some(o.line), msg).change(Some(&o.text), None));
            continue;
        };
        sides.new[j].used = true;
        let (o, n) = (&sides.old[i], &sides.new[j]);
        if let Some((rule, msg)) = judge(o, n, strict, &renamed, &bindings) {
            out.push(finding(rule, path, Some(o.line), msg).change(Some(&o.text), Some(&n.text)));
        }
    }

    // Test data: literals of removed lines that no added line of the file brings back.
    if strict {
        let mut pool: HashMap<&str, usize> = HashMap::new();
        // A commented-out line brings nothing back.
        for l in file
            .lines()
            .filter(|l| l.kind == LineKind::Added && code(l))
        {
            for t in assertions::tokens(&l.text)
                .into_iter()
                .filter(|t| assertions::is_literal(t))
            {
                *pool.entry(t).or_default() += 1;
            }
        }
        let added_code: std::collections::HashSet<String> = file
            .lines()
            .filter(|l| l.kind == LineKind::Added && code(l))
            .map(|l| syntax::squash(&l.text))
            .collect();
        // Removed lines paired with the added lines of the same change block, in order, where
        // the block replaces as many lines as it removes.
        let mut pairs: HashMap<usize, &str> = HashMap::new();
        for h in &file.hunks {
            let mut k = 0;
            while k < h.lines.len() {
                let r0 = k;
                while k < h.lines.len() && h.lines[k].kind == LineKind::Removed {
                    k += 1;
                }
                let a0 = k;
                while k < h.lines.len() && h.lines[k].kind == LineKind::Added {
                    k += 1;
                }
                if a0 - r0 == k - a0 && a0 > r0 {
                    for j in 0..a0 - r0 {
                        let (r, a) = (&h.lines[r0 + j], &h.lines[a0 + j]);
                        if code(a) {
                            pairs.insert(r as *const Line<'_> as usize, &a.text);
                        }
                    }
                }
                if k == r0 {
                    k += 1;
                }
            }
        }
        for l in file
            .lines()
            .filter(|l| l.kind == LineKind::Removed && code(l))
        {
            // A test's own line changes nothing it checks when only its name changed (a
            // rename); anything else on it (`@testset "x" for _ in 1:0`) is still judged.
            let renamed_def = |def: assertions::TestDef| {
                pairs.get(&(l as *const Line<'_> as usize)).is_none_or(|a| {
                    match (def, assertions::test_def(a)) {
                        (
                            assertions::TestDef::Named(old),
                            Some(assertions::TestDef::Named(new)),
                        ) => {
                            syntax::squash(&l.text.replacen(&old, "", 1))
                                == syntax::squash(&a.replacen(&new, "", 1))
                        }
                        (assertions::TestDef::Marker, Some(assertions::TestDef::Marker)) => true,
                        _ => false,
                    }
                })
            };
            if l.old_lineno.is_some_and(|n| judged_removed.contains(&n))
                || assertions::test_def(&l.text).is_some_and(renamed_def)
            {
                continue;
            }
            // Only how much the runner prints changed (`verbosity=1` → `verbosity=2`).
            if pairs
                .get(&(l as *const Line<'_> as usize))
                .is_some_and(|a| output_setting_only(&l.text, a))
            {
                continue;
            }
            // Rows of a table changed in place: a row keeps its values, unless the whole row
            // still exists somewhere (moved, reordered).
            let moved = added_code.contains(&syntax::squash(&l.text));
            let mut lost = !moved
                && pairs
                    .get(&(l as *const Line<'_> as usize))
                    .is_some_and(|a| {
                        let lits = |t: &str| {
                            let mut v: Vec<String> = assertions::tokens(t)
                                .into_iter()
                                .filter(|x| assertions::is_literal(x))
                                .map(|x| renamed.words(x))
                                .collect();
                            v.sort();
                            v
                        };
                        let (mut before, after) = (lits(&l.text), lits(a));
                        before.sort();
                        let mut after = after;
                        after.sort();
                        before != after && !before.is_empty()
                    });
            for t in assertions::tokens(&l.text)
                .into_iter()
                .filter(|t| assertions::is_literal(t))
            {
                let renamed_t = renamed.words(t);
                match pool.get_mut(t).filter(|n| **n > 0) {
                    Some(n) => *n -= 1,
                    None => match pool.get_mut(renamed_t.as_str()).filter(|n| **n > 0) {
                        Some(n) => *n -= 1,
                        None => lost = true,
                    },
                }
            }
            if lost {
                let after = replacement(file, l);
                out.push(
                    finding(
                        Rule::OracleEdited,
                        path,
                        Some(l),
                        "test input or expected value changed",
                    )
                    .change(Some(&l.text), after),
                );
            }
        }
    }
}

/// Two lines that differ only in the value of an output setting (`verbosity=`, `verbose=`,
/// `quiet=`, `color=`, `buffer=`): how much a runner prints, not what it checks.
fn output_setting_only(old: &str, new: &str) -> bool {
    static SETTING: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b(verbosity|verbose|quiet|colou?r|buffer)\s*=\s*[^,)]*")
            .expect("output setting regex")
    });
    old != new
        && SETTING.is_match(old)
        && SETTING.replace_all(old, "${1}=") == SETTING.replace_all(new, "${1}=")
}

/// A line that adds tests to a suite by hand (`suite.addTest(doctest.DocTestSuite(m))`,
/// `loader.loadTestsFromModule(m)`, `suite.addTests(…)`) removed and not put back: those tests
/// no longer run, though no test function changed.
fn suite_narrowed(file: &FilePatch<'_>, path: &str, out: &mut Vec<Finding>) {
    static SUITE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\.addTests?\s*\(|\bDocTestSuite\s*\(|\bDocFileSuite\s*\(|\.loadTestsFrom\w*\s*\(|\bmakeSuite\s*\(",
        )
        .expect("suite regex")
    });
    let live = |l: &Line<'_>| !l.text.trim_start().starts_with('#');
    if let Some(l) = removed_for_good(file, &SUITE, live).into_iter().next() {
        out.push(
            finding(
                Rule::TestRemoved,
                path,
                Some(l),
                "tests are no longer added to the suite that runs them",
            )
            .change(Some(&l.text), None),
        );
    }
}

/// Line-level readings of three weakenings that do not depend on the hunk parsing as a
/// fragment (a hunk that starts inside an `except` or `else` block often does not):
/// - an added `if` whose condition folds to false (or C# `#if false`) opening a block that
///   holds assertions;
/// - an added handler that catches the framework's assertion failure (or everything) right
///   after assertions and does nothing with it;
/// - the checked value overwritten with the expected value on the line before the check
///   (`res = expect` / `assertEqual(res, expect)`).
fn line_level_weakening(hunks: &[&Hunk<'_>], path: &str, out: &mut Vec<Finding>) {
    let indent = |t: &str| t.len() - t.trim_start().len();
    for (h, hunk) in hunks.iter().enumerate() {
        let lines: Vec<&Line<'_>> = hunk
            .lines
            .iter()
            .filter(|l| l.kind != LineKind::Removed && !l.text.trim().is_empty())
            .collect();
        for (k, l) in lines.iter().enumerate() {
            if l.kind != LineKind::Added {
                continue;
            }
            let t = l.text.trim();
            // Assertions moved into a wrapper that catches their failure (`pcall(function()`,
            // `Try {`, `runCatching {`, `catch_unwind(`, `suppress(AssertionError)`) with no
            // later check of what it caught.
            if failure_catching_wrapper(t)
                && let Some(moved) = lines[k + 1..]
                    .iter()
                    .take_while(|n| indent(&n.text) > indent(&l.text) || n.kind == LineKind::Added)
                    .take(12)
                    .find(|n| {
                        n.kind == LineKind::Added
                            && assertions::is_assertion(&n.text)
                            && hunk.lines.iter().any(|r| {
                                r.kind == LineKind::Removed && r.text.trim() == n.text.trim()
                            })
                    })
            {
                // names the wrapper's result is bound to (`local ok, err = pcall(…)`)
                let bound: Vec<&str> = t
                    .split_once('=')
                    .map(|(lhs, _)| {
                        lhs.split([',', ' '])
                            .map(str::trim)
                            .filter(|w| {
                                !w.is_empty()
                                    && !matches!(*w, "local" | "val" | "let" | "var" | "const")
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let checked_after = lines[k + 1..]
                    .iter()
                    .skip_while(|n| !std::ptr::eq(**n, *moved))
                    .skip(1)
                    .take(4)
                    .filter(|n| n.kind == LineKind::Added)
                    .any(|n| {
                        let x = n.text.trim();
                        (assertions::is_assertion(&n.text)
                            && bound.iter().any(|b| syntax::count_word(x, b) > 0))
                            || [
                                "error(",
                                "raise",
                                "throw",
                                ".get",
                                "unwrap",
                                "getOrThrow",
                                "resume_unwind",
                            ]
                            .iter()
                            .any(|w| x.contains(w))
                    });
                if !checked_after {
                    out.push(
                        finding(
                            Rule::AssertTautology,
                            path,
                            Some(l),
                            "assertion moved into a wrapper that catches its failure: the check can no longer fail",
                        )
                        .change(Some(moved.text.trim()), Some(t)),
                    );
                }
            }
            // `if 0:` / `if (1 > 2) {` / `#if false` followed by a deeper assertion.
            if opens_false_if(t) {
                let at = indent(&l.text);
                let dead = lines[k + 1..]
                    .iter()
                    .take_while(|n| {
                        indent(&n.text) > at
                            || (t.starts_with('#') && !n.text.trim().starts_with("#endif"))
                    })
                    .any(|n| assertions::is_assertion(&n.text));
                if dead {
                    out.push(
                        finding(
                            Rule::AssertUnreachable,
                            path,
                            Some(l),
                            "assertion moved under a condition that is always false: it never runs",
                        )
                        .change(None, Some(t)),
                    );
                }
            }
            // An added `if …` around a removed assertion, kept word for word (the fragment
            // reading may not see the condition when the hunk does not parse).
            let opens_if = opened_condition(t).is_some() && !opens_false_if(t);
            if opens_if && let Some(wrapped) = wraps_unchanged_assertion(&lines[k + 1..]) {
                out.push(
                    finding(
                        Rule::AssertUnreachable,
                        path,
                        Some(l),
                        format!(
                            "an unchanged assertion now runs only when `{}`: a condition the change wraps around it",
                            clip(t)
                        ),
                    )
                    .change(Some(wrapped), Some(t)),
                );
            }
            // `/*` … `*/` (or `"""`, `=begin`, …) added around unchanged assertions.
            // (the comment may close in a later hunk of the file)
            let after: Vec<&Line<'_>> = lines[k + 1..]
                .iter()
                .copied()
                .chain(
                    hunks[h + 1..]
                        .iter()
                        .flat_map(|g| &g.lines)
                        .filter(|n| n.kind != LineKind::Removed),
                )
                .collect();
            if let Some(close) = block_comment_opener(t)
                && let Some(wrapped) = after
                    .iter()
                    .take_while(|n| !(n.kind == LineKind::Added && n.text.contains(&close)))
                    .find(|n| n.kind == LineKind::Context && assertions::is_assertion(&n.text))
                && after
                    .iter()
                    .any(|n| n.kind == LineKind::Added && n.text.contains(&close))
            {
                out.push(
                    finding(
                        Rule::AssertCommentedOut,
                        path,
                        Some(l),
                        "a block comment added around assertions: they no longer run",
                    )
                    .change(Some(wrapped.text.trim()), Some(t)),
                );
            }
            // Assertions moved into a closure bound to a name nothing calls.
            if let Some(name) = closure_binding(t) {
                let at = indent(&l.text);
                let body_asserts = lines[k + 1..]
                    .iter()
                    .take_while(|n| indent(&n.text) > at)
                    .any(|n| n.kind == LineKind::Added && assertions::is_assertion(&n.text));
                let uses: usize = hunks
                    .iter()
                    .flat_map(|h| &h.lines)
                    .filter(|n| n.kind != LineKind::Removed)
                    .map(|n| syntax::count_word(&n.text, name))
                    .sum();
                if body_asserts && uses <= 1 {
                    out.push(
                        finding(
                            Rule::AssertUnreachable,
                            path,
                            Some(l),
                            format!("assertions moved into `{name}`, a closure nothing calls: they never run"),
                        )
                        .change(None, Some(t)),
                    );
                }
            }
            if opens_if
                && let Some(next) = lines.get(k + 1)
                && next.kind == LineKind::Added
                && indent(&next.text) > indent(&l.text)
                && assertions::is_assertion(&next.text)
                && hunk
                    .lines
                    .iter()
                    .any(|r| r.kind == LineKind::Removed && r.text.trim() == next.text.trim())
            {
                out.push(
                    finding(
                        Rule::AssertUnreachable,
                        path,
                        Some(l),
                        format!(
                            "assertion now runs only when `{}`: a condition the change adds",
                            clip(t)
                        ),
                    )
                    .change(None, Some(t)),
                );
            }
            // A handler that swallows assertion failures.
            // Elixir's `rescue` / `catch` on their own line take `pattern -> value` clauses.
            // So does Scala's `catch {` with `case e: X => value` clauses.
            let clause = if t == "rescue" || t == "catch" {
                lines
                    .get(k + 1)
                    .and_then(|n| n.text.trim().split_once("->"))
            } else if t.ends_with("catch {") {
                lines.get(k + 1).and_then(|n| {
                    let c = n.text.trim().strip_prefix("case ")?;
                    let (p, v) = c.split_once("=>")?;
                    // `e: munit.FailException` is the type; a bare `e`/`_` catches all
                    Some((p.split_once(':').map_or(p, |(_, ty)| ty), v))
                })
            } else {
                None
            }
            .map(|(p, v)| (p.trim(), v.trim()));
            let clause_swallows = clause.is_some_and(|(pattern, value)| {
                let catch_all = pattern.split(',').all(|w| {
                    !w.trim().is_empty() && w.trim().chars().all(|c| c.is_lowercase() || c == '_')
                });
                let logs_only = value.is_empty()
                    || value.starts_with(':')
                    || [
                        "print", "IO.puts", "Logger.", "log", "()", "nil", "true", "false", "None",
                        "Unit",
                    ]
                    .iter()
                    .any(|p| value.starts_with(p));
                (catch_all || catches_failures(&format!("catch {pattern}")))
                    && logs_only
                    && !["raise", "reraise", "flunk", "throw", "exit", "fail"]
                        .iter()
                        .any(|w| syntax::count_word(value, w) > 0)
            });
            if catches_failures(t) || clause_swallows {
                let body: Vec<&str> = lines[k + 1..]
                    .iter()
                    .map(|n| n.text.trim())
                    .take_while(|n| !n.starts_with("except") && !n.starts_with("catch"))
                    .take(3)
                    .collect();
                // a handler that only logs what it caught discards it too
                let logs = |x: &str| {
                    [
                        "print",
                        "console.",
                        "puts",
                        "IO.puts",
                        "Logger.",
                        "log.",
                        "logger.",
                        "debugPrint",
                        "eprintln!",
                        "println",
                        "warn(",
                    ]
                    .iter()
                    .any(|p| x.starts_with(p))
                };
                let empty_body = clause_swallows
                    || match body.as_slice() {
                        ["pass" | "..." | "continue" | "nil" | "end", ..] => true,
                        ["{", "}", ..] | ["{}", ..] | ["}", ..] => true,
                        [first, "}" | "end", ..] if logs(first) => true,
                        _ => t.ends_with("{}"),
                    };
                let asserts_before = lines[..k]
                    .iter()
                    .rev()
                    .take_while(|n| {
                        !matches!(
                            n.text.trim(),
                            "try:" | "try {" | "try" | "try do" | "do {" | "do" | "begin"
                        )
                    })
                    .any(|n| assertions::is_assertion(&n.text));
                if empty_body && asserts_before {
                    out.push(
                        finding(
                            Rule::AssertTautology,
                            path,
                            Some(l),
                            "assertion failure caught and discarded: the check can no longer fail",
                        )
                        .change(None, Some(t)),
                    );
                }
            }
            // `x = expected` right before a check of `x` against `expected`.
            if let Some((name, value)) = plain_assignment(t)
                && let Some(next) = lines.get(k + 1)
                && let Some((a, b)) = syntax::equality(next.text.trim())
                    .map(|(_, a, b)| (a, b))
                    .or_else(|| two_operands(next.text.trim()))
            {
                let (name, value) = (syntax::squash(name), syntax::squash(value));
                if (a == name && b == value) || (a == value && b == name) {
                    out.push(
                        finding(
                            Rule::AssertTautology,
                            path,
                            Some(l),
                            "the checked value is overwritten with the expected value right before the check",
                        )
                        .change(Some(next.text.trim()), Some(t)),
                    );
                }
            }
        }
    }
}

/// The first two arguments of an assertion call (`assertContainsOnlyInstancesOf(C::class, $x)`),
/// squashed.
fn two_operands(line: &str) -> Option<(String, String)> {
    if !assertions::is_assertion(line) {
        return None;
    }
    let open = line.find('(')?;
    let close = line.rfind(')')?;
    let args = syntax::split_top_args(line.get(open + 1..close)?);
    Some((syntax::squash(args.first()?), syntax::squash(args.get(1)?)))
}

/// The condition a line opens a block on, and whether the block runs when it is false:
/// `if c {`, `if c:`, `if c then`, `if c do`, Ruby's bare `if c`, `unless c do` (negated), and
/// the preprocessor's `#if c`, `#ifdef C`, `#ifndef C` (negated).
fn opened_condition(t: &str) -> Option<(&str, bool)> {
    let t = t.trim();
    for (p, negated) in [("#if ", false), ("#ifdef ", false), ("#ifndef ", true)] {
        if let Some(c) = t.strip_prefix(p) {
            return Some((c.trim(), negated));
        }
    }
    let (rest, negated) = match t.strip_prefix("if") {
        Some(r) => (r, false),
        None => (t.strip_prefix("unless")?, true),
    };
    if !rest.starts_with([' ', '(']) {
        return None;
    }
    let cond = rest
        .strip_suffix('{')
        .or_else(|| rest.strip_suffix(':'))
        .or_else(|| rest.strip_suffix(" then"))
        .or_else(|| rest.strip_suffix(" do"))
        .unwrap_or(rest)
        .trim();
    // a one-line `if c { … }` / `if c, do: …` is a statement, not an opener
    (!cond.is_empty() && !cond.contains(", do:") && !cond.ends_with('}')).then_some((cond, negated))
}

/// The first unchanged assertion an added opener wraps: the lines after it are context lines
/// (assertions among them) up to an added closer (`}`, `end`, `#endif`, `#else`).
fn wraps_unchanged_assertion<'t>(after: &[&'t Line<'_>]) -> Option<&'t str> {
    let mut wrapped = None;
    for n in after {
        let t = n.text.trim();
        match n.kind {
            LineKind::Context if assertions::is_assertion(&n.text) => {
                wrapped = wrapped.or(Some(t));
            }
            LineKind::Context => {}
            _ => {
                let closer = matches!(t, "}" | "end" | "#endif" | "#else" | "fi" | "};")
                    || t.starts_with("#endif")
                    || t.starts_with("} else");
                return wrapped.filter(|_| closer);
            }
        }
    }
    None
}

/// A line that runs what follows inside something that catches its failure: Lua
/// `pcall(function()`/`xpcall(`, Scala `Try {`/`Try(`, Kotlin `runCatching {`, Rust
/// `catch_unwind(`, Python `suppress(AssertionError)`.
fn failure_catching_wrapper(t: &str) -> bool {
    static WRAPPER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"\b(x?pcall\s*\(\s*function\b|(scala\.util\.)?Try\s*[\{(]\s*$|runCatching\s*\{|catch_unwind\s*\(|suppress\s*\(\s*(AssertionError|Exception|BaseException))",
        )
        .expect("failure wrapper regex")
    });
    WRAPPER.is_match(t)
}

/// The closing marker of a block comment (or string used as one) that `t` opens and leaves
/// open: `/*`, `"""`, `'''`, Ruby `=begin`, Lua `--[[` (and `--[==[`), Haskell `{-`, OCaml
/// `(*`, HTML `<!--`.
fn block_comment_opener(t: &str) -> Option<String> {
    // Lua's long brackets carry a level: `--[==[` closes at `]==]`
    if let Some(rest) = t.strip_prefix("--[") {
        let level = rest.chars().take_while(|c| *c == '=').count();
        if rest[level..].starts_with('[') {
            let close = format!("]{}]", "=".repeat(level));
            return (!rest.contains(&close)).then_some(close);
        }
    }
    const PAIRS: &[(&str, &str)] = &[
        ("/*", "*/"),
        ("\"\"\"", "\"\"\""),
        ("'''", "'''"),
        ("=begin", "=end"),
        ("--[[", "]]"),
        ("{-", "-}"),
        ("(*", "*)"),
        ("<!--", "-->"),
        ("#=", "=#"),
    ];
    PAIRS.iter().find_map(|(open, close)| {
        let rest = t.strip_prefix(open)?;
        (!rest.contains(close)
            && rest
                .trim()
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '*'))
        .then(|| close.to_string())
    })
}

/// The name an added line binds an anonymous function to, when the function's body follows
/// on the next lines: `check = fn ->` (Elixir), `let check = {` / `val check = {` (Swift,
/// Kotlin), `auto check = [&]() {` (C++), `const check = () => {`, `check := func() {` (Go),
/// `check = lambda do` / `-> do` (Ruby), `let check = || {` (Rust).
fn closure_binding(t: &str) -> Option<&str> {
    static CLOSURE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(concat!(
            r"^(?:(?:const|let|var|val|auto|final)\s+)*(?:mut\s+)?([A-Za-z_]\w*)\s*(?::[^=]+)?:?=\s*",
            r"(?:fn\b.*->|(?:async\s+)?(?:function\s*\([^)]*\)|\([^)]*\)\s*=>|\w+\s*=>|\|[^|]*\|(?:\s*->\s*\S+)?|func\s*\([^)]*\)|\[[^\]]*\]\s*(?:\([^)]*\))?\s*(?:mutable\s*)?(?:->\s*\S+\s*)?)\s*\{",
            r"|\{\s*(?:\[[^\]]*\]\s*)?(?:\(?[^()]*\)?\s*(?:->\s*\S+\s*)?in)?|(?:proc|lambda|->)\s*(?:\([^)]*\)\s*)?(?:do|\{)(?:\s*\|[^|]*\|)?)\s*$"
        ))
        .expect("closure binding regex")
    });
    CLOSURE
        .captures(t)
        .map(|c| c.get(1).map_or("", |m| m.as_str()))
        .filter(|n| !n.is_empty())
}

/// An `if` opening a block on a condition that folds to false: `if 0:`, `if (1 > 2) {`,
/// `if False:`, `if false do`, `unless true do`, C# `#if false`.
fn opens_false_if(t: &str) -> bool {
    opened_condition(t).is_some_and(|(c, negated)| syntax::fold(c) == syntax::Fold::Known(negated))
}

/// A handler line that catches assertion failures: unittest's `self.failureException`,
/// `AssertionError` and the frameworks' failure types, or everything.
fn catches_failures(t: &str) -> bool {
    const FAILURES: &[&str] = &[
        "failureException",
        "AssertionError",
        "AssertionFailedError",
        "ShouldAssertException",
        "ExpectationFailedException",
        "XunitException",
        "AssertionException",
        "AssertFailedException",
        "ComparisonFailure",
        "Throwable",
        "BaseException",
        "Minitest::Assertion",
        "ExpectationNotMetError",
        "FailException",
        "TestFailedException",
    ];
    let handler = t.starts_with("except")
        || t.starts_with("catch")
        || t.starts_with("} catch")
        || t.starts_with("rescue ");
    handler
        && (matches!(
            t,
            "except:"
                | "catch {"
                | "} catch {"
                | "catch (...) {"
                | "} catch (...) {"
                | "catch (...)"
        ) || untyped_catch(t)
            || FAILURES.iter().any(|f| {
                t.match_indices(f).any(|(i, _)| {
                    !t[i + f.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
                })
            }))
}

/// A handler that names no type: JavaScript/Dart `catch (e) {`, `} catch (_) {}`, Dart
/// `on Object catch (e)` — it catches every failure, assertion errors included.
fn untyped_catch(t: &str) -> bool {
    static UNTYPED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^(\}\s*)?(on\s+(Object|Exception|Error|dynamic)\s+)?catch\s*\(\s*\w+\s*(,\s*\w+\s*)?\)\s*\{")
            .expect("untyped catch regex")
    });
    UNTYPED.is_match(t)
}

/// `name = value` (optionally `name = value;`), not a comparison, declaration or augmented
/// assignment.
fn plain_assignment(t: &str) -> Option<(&str, &str)> {
    let t = t.trim_end_matches(';').trim_end();
    let (name, value) = t.split_once(" = ")?;
    let name = name.trim();
    let value = value.trim();
    (!name.is_empty()
        && !value.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '$')))
    .then_some((name, value))
}

/// The added line that most likely replaced a removed one: the first added line of its hunk
/// after it.
fn replacement<'f>(file: &'f FilePatch<'_>, removed: &Line<'_>) -> Option<&'f str> {
    file.hunks.iter().find_map(|h| {
        let pos = h
            .lines
            .iter()
            .position(|l| l.kind == LineKind::Removed && l.old_lineno == removed.old_lineno)?;
        h.lines[pos..]
            .iter()
            .find(|l| l.kind == LineKind::Added)
            .map(|l| &*l.text)
    })
}

/// Line-based fallback: an added bare `return` ahead of assertions makes them unreachable.
fn early_returns(
    hunks: &[&Hunk<'_>],
    code: impl Fn(&Line<'_>) -> bool,
    path: &str,
    out: &mut Vec<Finding>,
) {
    for hunk in hunks {
        for (i, l) in hunk.lines.iter().enumerate() {
            let indent = |t: &str| t.len() - t.trim_start().len();
            // the next statement at the return's own indentation never runs either
            let code_follows = || {
                hunk.lines[i + 1..]
                    .iter()
                    .find(|n| n.kind != LineKind::Removed && code(n))
                    .is_some_and(|n| {
                        indent(&n.text) == indent(&l.text)
                            && !n.text.trim_start().starts_with(['}', ')', ']'])
                            && n.text.trim() != "end"
                    })
            };
            // an unconditional `return value` skips the statements after it
            if l.kind == LineKind::Added && valued_return(&l.text) && code_follows() {
                out.push(
                    finding(
                        Rule::AssertUnreachable,
                        path,
                        Some(l),
                        "early return makes the statements after it unreachable",
                    )
                    .change(None, Some(&l.text)),
                );
                continue;
            }
            if l.kind == LineKind::Added
                && (is_bare_return(&l.text) || guarded_return(&l.text))
                && (hunk.lines[i + 1..]
                    .iter()
                    .take_while(|n| n.kind != LineKind::Added || !is_bare_return(&n.text))
                    .any(|n| {
                        n.kind != LineKind::Removed && code(n) && assertions::is_assertion(&n.text)
                    })
                    || code_follows())
            {
                out.push(
                    finding(
                        Rule::AssertUnreachable,
                        path,
                        Some(l),
                        "early return makes the assertions after it unreachable",
                    )
                    .change(None, Some(&l.text)),
                );
            }
        }
    }
}

/// The part of a check key that a strengthened check must keep: the condition of a Python
/// `assert`, the arguments of a plain assertion call, or the whole of a matcher chain.
fn core(key: &str) -> &str {
    if let Some(c) = key.strip_prefix("assert ") {
        return c;
    }
    let Some(open) = key.find('(') else {
        return key;
    };
    let callee = key[..open].trim_end_matches('!');
    let name = callee.rsplit(['.', ':']).next().unwrap_or(callee);
    // Only a plain truth check can be strengthened by extending its condition; an equality
    // or a matcher chain must survive whole (`assert_eq!` → `assert_ne!` is no extension).
    if !matches!(
        name,
        "assert" | "debug_assert" | "assertTrue" | "assert_true" | "ok" | "True"
    ) || key[open..].contains(").")
    {
        return key;
    }
    key[open + 1..]
        .strip_suffix(')')
        .or_else(|| key[open + 1..].strip_suffix(");"))
        .unwrap_or(&key[open..])
}

/// `needle` occurs in `hay` not glued to a longer identifier on either side.
fn contains_whole(hay: &str, needle: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    hay.match_indices(needle).any(|(i, _)| {
        let before = hay[..i].chars().last();
        let after = hay[i + needle.len()..].chars().next();
        let glued_before = before.is_some_and(ident) && needle.starts_with(ident);
        let glued_after = after.is_some_and(ident) && needle.ends_with(ident);
        !(glued_before || glued_after)
    })
}

/// Tokens of a line, each with whether it is a plain name (not `.field`, not a call), the only
/// kind a rename may change.
fn rename_tokens(line: &str) -> Vec<(&str, bool)> {
    assertions::tokens(line)
        .into_iter()
        .map(|t| {
            let at = t.as_ptr() as usize - line.as_ptr() as usize;
            let before = line[..at].trim_end().chars().last();
            let rest = line[at + t.len()..].trim_start();
            // C++ direct initialisation (`bigint n(42);`) declares a name, not a call
            let declared = {
                let head = line[..at].trim();
                !head.is_empty()
                    && head.chars().all(|c| {
                        c.is_alphanumeric()
                            || matches!(c, '_' | ':' | '<' | '>' | '&' | '*' | ' ' | ',')
                    })
                    && !matches!(
                        head.rsplit(' ').next(),
                        Some("return" | "new" | "throw" | "else" | "co_return" | "delete")
                    )
                    && head.starts_with(|c: char| c.is_alphabetic())
                    && !line[..at].ends_with(['.', ':'])
            };
            let plain = t.starts_with(|c: char| c.is_alphabetic() || c == '_')
                && before != Some('.')
                && (!rest.starts_with('(') || declared)
                && (!rest.starts_with('!') || rest.starts_with("!="));
            (t, plain)
        })
        .collect()
}

/// Identifiers renamed consistently across a file's changed lines: every removed code line,
/// with the renames applied, is one of the added lines, and each new name is fresh (absent
/// from the old side). A check rewritten only by such renames checks the same thing.
struct Renames {
    map: HashMap<String, String>,
}

impl Renames {
    fn of(file: &FilePatch<'_>, code: impl Fn(&Line<'_>) -> bool) -> Renames {
        let mut map: HashMap<String, String> = HashMap::new();
        let removed: Vec<&Line<'_>> = file
            .lines()
            .filter(|l| l.kind == LineKind::Removed && code(l))
            .collect();
        let added: Vec<&Line<'_>> = file
            .lines()
            .filter(|l| l.kind == LineKind::Added && code(l))
            .collect();
        if removed.is_empty() || removed.len() != added.len() {
            return Renames { map };
        }
        let mut strings: Vec<(String, String)> = Vec::new();
        let old_words: std::collections::HashSet<&str> = file
            .lines()
            .filter(|l| l.kind != LineKind::Added)
            .flat_map(|l| assertions::tokens(&l.text))
            .collect();
        for (r, a) in removed.iter().zip(&added) {
            let (rt, at) = (rename_tokens(&r.text), rename_tokens(&a.text));
            if rt.len() != at.len() {
                return Renames {
                    map: HashMap::new(),
                };
            }
            for ((x, xp), (y, yp)) in rt.iter().zip(&at) {
                if x == y {
                    continue;
                }
                if x.starts_with(['"', '\'', '`']) && y.starts_with(['"', '\'', '`']) {
                    // A string naming the renamed identifiers (pytest's argnames, a template
                    // title): checked once the renames are known.
                    strings.push((x.to_string(), y.to_string()));
                    continue;
                }
                if !xp || !yp || old_words.contains(y) {
                    return Renames {
                        map: HashMap::new(),
                    };
                }
                match map.get(*x) {
                    Some(prev) if prev != y => {
                        return Renames {
                            map: HashMap::new(),
                        };
                    }
                    _ => {
                        map.insert(x.to_string(), y.to_string());
                    }
                }
            }
        }
        // A rename touches a definition and its uses: more than one changed line.
        map.retain(|old, _| {
            removed
                .iter()
                .filter(|l| assertions::tokens(&l.text).contains(&old.as_str()))
                .count()
                >= 2
        });
        let out = Renames { map };
        if strings.iter().any(|(x, y)| out.words(x) != *y) {
            return Renames {
                map: HashMap::new(),
            };
        }
        out
    }

    /// `text` with the renamed identifiers in it replaced (whole words not after a `.`).
    fn words(&self, text: &str) -> String {
        if self.map.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let b = text.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c.is_ascii_alphabetic() || c == b'_' {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let w = &text[start..i];
                let after_dot = start > 0 && b[start - 1] == b'.';
                match self.map.get(w).filter(|_| !after_dot) {
                    Some(n) => out.push_str(n),
                    None => out.push_str(w),
                }
                continue;
            }
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }

    fn explains(&self, old: &[&str], new: &[&str]) -> bool {
        !self.map.is_empty()
            && old.len() == new.len()
            && old
                .iter()
                .zip(new)
                .all(|(x, y)| x == y || self.map.get(*x).is_some_and(|m| m == y))
            && old.iter().zip(new).any(|(x, y)| x != y)
    }
}

/// Strength of a check; a Go `if cond { t.Error… }` is as strong as its condition (it fails
/// when `cond` holds: `got != want` pins the value down, `got == bad` only excludes one).
fn unit_strength(u: &Unit<'_, '_>) -> Strength {
    if let Some(rest) = u.key.strip_prefix("if")
        && let Some((cond, _)) = rest.split_once('→')
    {
        return if cond.contains("!=") || (cond.starts_with('!') && cond.contains("Equal")) {
            Strength::Exact
        } else if cond.contains("==") || cond.contains('<') || cond.contains('>') {
            Strength::Loose
        } else {
            Strength::Truthy
        };
    }
    assertions::strength(&u.text)
}

/// Locals bound once by the change on each side (`r = f(x)`, `const r = f(x);`, `r := f(x)`,
/// `let r = f(x);`, `val r = f(x)`, C-style `const auto r = f(x);` / `int r = f(x);`): a check
/// that uses one is compared with its value put back in.
struct Bindings {
    old: HashMap<String, String>,
    new: HashMap<String, String>,
}

impl Bindings {
    fn of(file: &FilePatch<'_>, code: impl Fn(&Line<'_>) -> bool) -> Bindings {
        static BIND: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(
                r"^\s*(?:(?:const|let|var|val|auto|final|constexpr)\s+)*(?:mut\s+)?(?:[A-Za-z_][\w:]*(?:<[^=]*?>)?[\s*&]+(?:const\s+)?)??\$?([A-Za-z_]\w*)\s*(?::\s*[^=]+?)?\s*(?::=|=)\s*([^=].*?);?\s*$",
            )
            .expect("binding regex")
        });
        let side = |kind: LineKind| {
            let mut seen: HashMap<String, Option<String>> = HashMap::new();
            for l in file.lines().filter(|l| l.kind == kind && code(l)) {
                // `a, b = x, y` (Python) / `a, b := x, y` (Go): one binding per name
                if let Some((names, values)) = l
                    .text
                    .split_once(":=")
                    .or_else(|| l.text.split_once(" = "))
                    .filter(|(n, _)| n.contains(','))
                {
                    let names: Vec<&str> = names.split(',').map(str::trim).collect();
                    let values = syntax::split_top_args(values.trim().trim_end_matches(';'));
                    if names.len() == values.len()
                        && names.iter().all(|n| {
                            !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_')
                        })
                    {
                        for (n, v) in names.iter().zip(values) {
                            seen.entry(n.to_string())
                                .and_modify(|x| *x = None)
                                .or_insert(Some(v));
                        }
                    }
                    continue;
                }
                if let Some(c) = BIND.captures(&l.text) {
                    let expr = c[2].trim().to_string();
                    seen.entry(c[1].to_string())
                        .and_modify(|v| *v = None)
                        .or_insert(Some(expr));
                }
            }
            seen.into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect::<HashMap<_, _>>()
        };
        Bindings {
            old: side(LineKind::Removed),
            new: side(LineKind::Added),
        }
    }

    fn inline(map: &HashMap<String, String>, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let b = text.as_bytes();
        let mut i = 0;
        let mut quote: Option<u8> = None;
        while i < b.len() {
            let c = b[i];
            if let Some(q) = quote {
                if c == b'\\' && i + 1 < b.len() {
                    // the escaped character is copied by the next step, whatever its width
                    out.push('\\');
                    i += 1;
                    let ch = text[i..].chars().next().unwrap_or(' ');
                    out.push(ch);
                    i += ch.len_utf8();
                    continue;
                }
                if c == q {
                    quote = None;
                }
            } else if matches!(c, b'"' | b'\'' | b'`') {
                quote = Some(c);
            } else if c.is_ascii_alphabetic() || c == b'_' {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                let w = &text[start..i];
                // a member (`x.name`, PHP `$x->name`) is not the local `name`
                let after_dot = start > 0 && b[start - 1] == b'.'
                    || start > 1 && b[start - 1] == b'>' && b[start - 2] == b'-';
                let bound = map.get(w).filter(|_| !after_dot);
                // PHP's `$name`: the sigil belongs to the name being replaced
                if bound.is_some() && out.ends_with('$') {
                    out.pop();
                }
                match bound {
                    Some(e) if top_level_operator(e) => {
                        out.push('(');
                        out.push_str(e);
                        out.push(')');
                    }
                    Some(e) => out.push_str(e),
                    None => out.push_str(w),
                }
                continue;
            }
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
        out
    }

    fn same_check(&self, o: &Unit<'_, '_>, n: &Unit<'_, '_>) -> bool {
        if (self.old.is_empty() && self.new.is_empty()) || o.key.contains('→') {
            return false;
        }
        let a = syntax::key_of(&syntax::collapse(&Self::inline(&self.old, &o.text)));
        let b = syntax::key_of(&syntax::collapse(&Self::inline(&self.new, &n.text)));
        a == b && (a != o.key || b != n.key)
    }
}

/// An operator outside brackets and strings (`a + b`, `x or y`): such a value is put back in
/// parentheses.
/// Assertion helpers the change adds (`def _assert_same(a, b): assert a == b`), with the
/// added calls to them: a check moved into a helper is the helper's body with the call's
/// arguments put in for its parameters.
struct Helpers {
    /// The inlined check of every added call to an added helper.
    calls: Vec<String>,
}

impl Helpers {
    fn of(file: &FilePatch<'_>, code: impl Fn(&Line<'_>) -> bool) -> Helpers {
        static DEF: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(concat!(
                r"^(\s*)(?:(?:private|public|internal|protected|static|async|override|suspend|inline|final|open|fileprivate)\s+)*",
                r"(?:defp?\s+|fun\s+(?:<[^>]*>\s*)?|func\s+|function\s+|fn\s+|(?:void|[A-Z]\w*(?:<[^>]*>)?)\s+)",
                r"(\w+)\s*(?:<[^>]*>)?\s*\(([^()]*)\)\s*(?:->\s*[^:{]+|:\s*[\w<>?., ]+)?\s*(?:[:{]|\s+do)?\s*$",
            ))
            .expect("helper definition regex")
        });
        let added: Vec<&Line<'_>> = file
            .lines()
            .filter(|l| l.kind == LineKind::Added && code(l))
            .collect();
        // name → (parameters with whether each has a default, body checks)
        type Def = (String, Vec<(String, bool)>, Vec<String>);
        let mut defs: Vec<Def> = Vec::new();
        for k in 0..added.len() {
            // a signature continued over several lines is read as one
            let mut header = added[k].text.to_string();
            let mut last = k;
            while header.matches('(').count() > header.matches(')').count()
                && last + 1 < added.len()
                && last < k + 6
            {
                last += 1;
                header.push(' ');
                header.push_str(added[last].text.trim());
            }
            let Some(c) = DEF.captures(&header) else {
                continue;
            };
            let indent = c[1].len();
            let mut params: Vec<(String, bool)> = c[3]
                .split(',')
                .map(|p| {
                    let (p, default) = match p.split_once('=') {
                        Some((p, _)) => (p.trim(), true),
                        None => (p.trim(), false),
                    };
                    // `name: Type`, Swift `_ name: Type`, C-style `const T& name`
                    let name = match p.split_once(':') {
                        Some((n, _)) => n.split_whitespace().last().unwrap_or(""),
                        None => p.split_whitespace().last().unwrap_or(""),
                    };
                    (name.trim_start_matches(['*', '&']).to_string(), default)
                })
                .filter(|(p, _)| !p.is_empty())
                .collect();
            if params
                .first()
                .is_some_and(|(p, _)| p == "self" || p == "cls")
            {
                params.remove(0);
            }
            let mut body = Vec::new();
            let mut only_checks = true;
            for b in &added[last + 1..] {
                let t = b.text.trim();
                let ind = b.text.len() - b.text.trim_start().len();
                if t == "{" {
                    continue;
                }
                if ind <= indent {
                    break;
                }
                if assertions::is_assertion(&b.text) {
                    body.push(syntax::collapse(t));
                } else {
                    only_checks = false;
                }
            }
            if only_checks && !body.is_empty() && !params.is_empty() {
                defs.push((c[2].to_string(), params, body));
            }
        }
        let mut calls = Vec::new();
        for l in &added {
            let t = l.text.trim();
            let t = t
                .strip_prefix("self.")
                .or_else(|| t.strip_prefix("this."))
                .unwrap_or(t);
            let Some((callee, args, rest)) = syntax::split_call(t) else {
                continue;
            };
            if !rest.trim().trim_end_matches(';').is_empty() {
                continue;
            }
            for (name, params, body) in &defs {
                let required = params.iter().filter(|(_, d)| !d).count();
                if callee != name || args.len() < required || args.len() > params.len() {
                    continue;
                }
                for check in body {
                    let mut text = check.clone();
                    for (i, (p, _)) in params.iter().enumerate() {
                        text = syntax::replace_word(&text, p, &format!("\u{1}{i}\u{1}"));
                    }
                    for (i, a) in args.iter().enumerate() {
                        text = text.replace(&format!("\u{1}{i}\u{1}"), a.trim());
                    }
                    // a defaulted parameter the call leaves out is passed on unchanged
                    // (`file: file, line: line`): not part of the check
                    if args.len() < params.len()
                        && let Some((c_callee, c_args, c_rest)) = syntax::split_call(&text)
                    {
                        let kept: Vec<&str> = c_args
                            .iter()
                            .map(|a| a.trim())
                            .filter(|a| {
                                !(args.len()..params.len()).any(|i| {
                                    let mark = format!("\u{1}{i}\u{1}");
                                    a.ends_with(&mark)
                                })
                            })
                            .collect();
                        text = format!("{c_callee}({}){c_rest}", kept.join(", "));
                    }
                    calls.push(text);
                }
            }
        }
        Helpers { calls }
    }

    /// True when an added helper call performs `o`'s check.
    fn explains(&self, o: &Unit<'_, '_>) -> bool {
        let eq = syntax::equality(&o.text);
        self.calls
            .iter()
            .any(|c| syntax::key_of(c) == o.key || (eq.is_some() && syntax::equality(c) == eq))
    }
}

fn top_level_operator(e: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for c in e.chars() {
        if let Some(q) = quote {
            if c == q && prev != '\\' {
                quote = None;
            }
            prev = c;
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '+' | '-' | '*' | '/' | '%' | '<' | '>' | '=' | '&' | '|' | '^' | '?' | ':' | ','
                if depth == 0 =>
            {
                return true;
            }
            ' ' if depth == 0 => {
                let rest = e.split_at(e.find(' ').unwrap_or(0)).1;
                if [" and ", " or ", " if ", " not ", " in ", " is "]
                    .iter()
                    .any(|w| rest.contains(w))
                {
                    return true;
                }
            }
            _ => {}
        }
        prev = c;
    }
    false
}

/// Checks inside a function this change adds and nothing in the diff calls (a helper that
/// only the change could call, since it is new): they never run.
fn never_called_helpers(file: &FilePatch<'_>, new: &mut [Unit<'_, '_>]) {
    let lines: Vec<&Line<'_>> = file.lines().collect();
    let defines = |t: &str, name: &str| {
        let t = t.trim_start();
        ["def ", "async def ", "function ", "fn ", "func ", "pub fn "]
            .iter()
            .any(|p| {
                t.strip_prefix(p)
                    .and_then(|r| r.strip_prefix(name))
                    .is_some_and(|r| r.trim_start().starts_with(['(', '<']))
            })
    };
    for u in new.iter_mut() {
        let Some(name) = u.test.as_deref() else {
            continue;
        };
        if u.state != State::Live
            || name.is_empty()
            || name.to_ascii_lowercase().starts_with("test")
            || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let Some(at) = lines
            .iter()
            .position(|l| l.kind == LineKind::Added && defines(&l.text, name))
        else {
            continue;
        };
        let decorated = lines[..at]
            .iter()
            .rev()
            .find(|l| l.kind != LineKind::Removed && !l.text.trim().is_empty())
            .is_some_and(|l| l.text.trim_start().starts_with(['@', '#', '[']));
        let existed = lines
            .iter()
            .any(|l| l.kind == LineKind::Removed && defines(&l.text, name));
        let uses = lines
            .iter()
            .filter(|l| l.kind != LineKind::Removed)
            .map(|l| syntax::count_word(&l.text, name))
            .sum::<usize>();
        if !decorated && !existed && uses <= 1 {
            u.state = State::Unreachable("inside a function this change adds and never calls");
        }
    }
}

/// The same check with a stricter matcher (`toEqual` → `toStrictEqual`, `==` → `===`, …).
fn stricter(old: &str, new: &str) -> bool {
    const PAIRS: &[(&str, &str)] = &[
        (".toEqual(", ".toStrictEqual("),
        ("deepEqual(", "deepStrictEqual("),
        (".equal(", ".strictEqual("),
        (" == ", " === "),
        (" != ", " !== "),
        ("assertCountEqual(", "assertListEqual("),
        (".toBeCloseTo(", ".toBe("),
        ("assertAlmostEqual(", "assertEqual("),
        ("assert.Contains(", "assert.Equal("),
        (".contains(", ".isEqualTo("),
    ];
    PAIRS
        .iter()
        .any(|(a, b)| old.contains(a) && old.replacen(a, b, 1) == new)
}

/// How a check changed into its counterpart, if that is a finding.
/// A branch condition around the new check that the old check did not have.
fn newly_guarded<'u>(o: &Unit<'_, '_>, n: &'u Unit<'_, '_>) -> Option<&'u str> {
    n.guards
        .iter()
        .find(|g| !o.guards.contains(g))
        .map(String::as_str)
}

fn judge(
    o: &Unit<'_, '_>,
    n: &Unit<'_, '_>,
    strict: bool,
    renames: &Renames,
    bindings: &Bindings,
) -> Option<(Rule, String)> {
    if let State::Tautology(why) = n.state
        && o.state != n.state
    {
        return Some((
            Rule::AssertTautology,
            format!("assertion replaced by one that always passes: {why}"),
        ));
    }
    if syntax::self_comparison(&n.text) && !syntax::self_comparison(&o.text) {
        return Some((
            Rule::AssertTautology,
            "assertion replaced by a comparison of a value with itself".to_string(),
        ));
    }
    if let State::Unreachable(why) = n.state {
        return Some((
            Rule::AssertUnreachable,
            format!("assertion can no longer run: {why}"),
        ));
    }
    if let Some(cond) = newly_guarded(o, n) {
        return Some((
            Rule::AssertUnreachable,
            format!(
                "assertion now runs only when `{}`: a condition the change adds",
                clip(cond)
            ),
        ));
    }
    if let (Some(a), Some(b)) = (&o.raises, &n.raises)
        && syntax::raises_broadened(a, b)
    {
        return Some((
            Rule::AssertExceptionBroadened,
            "expected exception broadened: a different failure now passes the check".to_string(),
        ));
    }
    if o.raises.is_some() && n.raises.is_none() && o.key != n.key {
        return Some((
            Rule::AssertExceptionBroadened,
            "exception check replaced by one that does not check the exception".to_string(),
        ));
    }
    // A subject moved into a local (`r = f(x)` / `assert r == 1`) is the same check.
    if bindings.same_check(o, n) {
        return None;
    }
    // The same equality, respelled or with its operands swapped (`assertEqual(a, b)` →
    // `assertEqual(b, a)`, `x.ShouldBe(2)` → `Assert.Equal(2, x)`), or kept behind added
    // matchers (`assertThat(x).isNotNull().isEqualTo(y)`).
    if let (Some(a), Some(b)) = (syntax::equality(&o.text), syntax::equality(&n.text)) {
        if a == b {
            return None;
        }
        // The same operands compared less strictly (`assertSame` → `assertEquals`,
        // `strictEqual` → `equal`, `Equal` → `BeEquivalentTo`).
        if (&a.1, &a.2) == (&b.1, &b.2) && b.0 < a.0 {
            return Some((
                Rule::AssertWeakened,
                "equality loosened: the same values are now compared less strictly".to_string(),
            ));
        }
    }
    // The same truth check in another spelling (`Assert.IsFalse(c)` → `Assert.That(c,
    // Is.False)`).
    if let (Some(a), Some(b)) = (syntax::truth_check(&o.text), syntax::truth_check(&n.text))
        && a == b
    {
        return None;
    }
    let (old_s, new_s) = (unit_strength(o), unit_strength(n));
    let ot: Vec<&str> = o.tokens.iter().map(String::as_str).collect();
    let nt: Vec<&str> = n.tokens.iter().map(String::as_str).collect();
    if new_s < old_s {
        return Some((
            Rule::AssertWeakened,
            format!(
                "assertion weakened ({} → {})",
                strength_name(old_s),
                strength_name(new_s)
            ),
        ));
    }
    if let (Some(t_old), Some(t_new)) = (
        assertions::tolerance(&o.text),
        assertions::tolerance(&n.text),
    ) && t_new > t_old
    {
        return Some((Rule::AssertWeakened, "tolerance widened".to_string()));
    }
    if new_s == old_s
        && assertions::tolerance(&n.text).is_some()
        && assertions::tolerance(&o.text).is_none()
        && old_s == Strength::Exact
    {
        return Some((
            Rule::AssertWeakened,
            "exact check replaced by a tolerance".to_string(),
        ));
    }
    let extended = if o.ast && o.key.starts_with("assert ") && n.key.starts_with("assert ") {
        // Strengthened: the old condition is one of the new one's conjuncts (`a == 1` →
        // `a == 1 and b == 2`); wrapping its subject (`f(a) == 1`) is a rewrite.
        let old_core = syntax::symmetric(core(&o.key));
        syntax::conjuncts(core(&n.key)).contains(&old_core)
    } else if core(&o.key) != o.key {
        // A truth check is strengthened only by a new conjunct (`assertTrue(a)` →
        // `assertTrue(a && b)`), not by wrapping its condition (`assert(String(a))`).
        syntax::conjuncts(core(&n.key)).contains(&core(&o.key).to_string())
    } else if o.ast {
        // The old check survives whole inside the new one.
        contains_whole(&n.key, core(&o.key))
    } else {
        // Without a syntax tree: only tokens added after the old arguments (a message, an
        // option) extend a call; a wrapped argument (`(string) $x`) is a rewrite.
        assertions::is_extension(&ot, &nt)
            && match o.key.strip_suffix(')') {
                Some(k) if o.key.contains('(') => n.key.starts_with(k),
                _ => true,
            }
    };
    // An equality whose operands changed is not extended by what else it gained.
    let operands_changed = matches!(
        (syntax::equality(&o.text), syntax::equality(&n.text)),
        (Some(a), Some(b)) if (&a.1, &a.2) != (&b.1, &b.2)
    );
    let extended = extended && !operands_changed;
    if new_s > old_s || extended || renames.explains(&ot, &nt) || stricter(&o.text, &n.text) {
        return None;
    }
    // A tolerance tightened or dropped (the rest of the check kept): stricter.
    if let Some(t_old) = assertions::tolerance(&o.text) {
        let kept = |a: &[&str], b: &[&str]| {
            assertions::is_extension(
                &a.iter()
                    .filter(|t| !assertions::is_literal(t))
                    .copied()
                    .collect::<Vec<_>>(),
                b,
            )
        };
        let tightened = match assertions::tolerance(&n.text) {
            Some(t_new) => t_new < t_old && kept(&ot, &nt) && kept(&nt, &ot),
            // The new tokens are the old ones in order, less the tolerance (its value and the
            // word that names it).
            None => {
                let mut rest = ot.iter();
                let mut dropped = Vec::new();
                let in_order = nt.iter().all(|t| {
                    for r in rest.by_ref() {
                        if r == t {
                            return true;
                        }
                        dropped.push(*r);
                    }
                    false
                });
                dropped.extend(rest);
                in_order
                    && new_s >= old_s
                    && !dropped.is_empty()
                    && dropped.len() <= 3
                    && dropped.iter().all(|t| {
                        assertions::is_literal(t)
                            || matches!(
                                *t,
                                "plusOrMinus"
                                    | "Within"
                                    | "be_within"
                                    | "delta"
                                    | "abs"
                                    | "rel"
                                    | "atol"
                                    | "rtol"
                                    | "eps"
                                    | "epsilon"
                                    | "tol"
                                    | "tolerance"
                                    | "accuracy"
                                    | "places"
                                    | "decimal"
                                    | "precision"
                                    | "="
                            )
                    })
            }
        };
        if tightened {
            return None;
        }
    }
    // Strengthened: a presence check of a value replaced by an exact check of that value
    // (`refute is_nil(x)` → `assert x == "a"`, `EXPECT_NO_THROW(x)` → `EXPECT_EQ(1, x)`).
    if let Some(subject) = syntax::definedness_subject(&o.text)
        && syntax::equality(&n.text).is_some_and(|(_, a, b)| a == subject || b == subject)
    {
        return None;
    }
    if !literals_kept(&ot, &nt) {
        return Some((
            Rule::OracleEdited,
            "expected value in assertion changed".to_string(),
        ));
    }
    strict.then(|| {
        (
            Rule::AssertModified,
            "existing assertion rewritten; check it still tests the same thing".to_string(),
        )
    })
}

/// One line that returns when a constant-true condition holds: `if true { return }`,
/// `if (!false) return;`, `if not False: return`.
fn guarded_return(line: &str) -> bool {
    let t = line.trim().trim_end_matches(';').trim_end();
    // Lua's `if true then return end`
    if let Some(c) = t
        .strip_prefix("if ")
        .and_then(|r| r.strip_suffix(" then return end"))
    {
        return syntax::fold(c) == syntax::Fold::Known(true);
    }
    // Ruby's modifier forms: `return if true`, `return unless false`.
    for (kw, want) in [(" if ", true), (" unless ", false)] {
        if let Some((body, cond)) = t.split_once(kw)
            && is_bare_return(body)
        {
            return syntax::fold(cond) == syntax::Fold::Known(want);
        }
    }
    let Some(rest) = t.strip_prefix("if") else {
        return false;
    };
    let (cond, tail) = if let Some(b) = rest.strip_suffix('}') {
        match b.rsplit_once('{') {
            Some((c, body)) => (c, body.trim()),
            None => return false,
        }
    } else if let Some((c, body)) = rest.rsplit_once(':') {
        (c, body.trim())
    } else if let Some(r) = rest.trim_start().strip_prefix('(') {
        let Some(close) = r.rfind(')') else {
            return false;
        };
        (&r[..close], r[close + 1..].trim())
    } else {
        return false;
    };
    (is_bare_return(tail) || valued_return(tail)) && syntax::fold(cond) == syntax::Fold::Known(true)
}

/// A line that opens an `if` block on a constant-true condition (`if !false {`, `if True:`).
fn opens_true_if(line: &str) -> bool {
    let t = line.trim();
    !t.starts_with('#')
        && opened_condition(t)
            .is_some_and(|(c, negated)| syntax::fold(c) == syntax::Fold::Known(!negated))
}

/// `return <value>` on one line (`return Prop.passed`, `return true`, `return 0`).
fn valued_return(line: &str) -> bool {
    let t = line.trim().trim_end_matches(';').trim_end();
    t.strip_prefix("return ").is_some_and(|v| {
        let v = v.trim();
        !v.is_empty()
            && (matches!(syntax::fold(v), syntax::Fold::Known(_))
                || v.chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | ':')))
    })
}

fn is_bare_return(line: &str) -> bool {
    // a trailing line comment does not change what the line does
    let code = line
        .find(" //")
        .or_else(|| line.find(" #"))
        .map_or(line, |at| &line[..at]);
    // a return of nothing or of a check that always passes, after any such checks on the
    // same line: R `return()`, `return(invisible())`, Perl `return pass('…');`,
    // `pass('x'); return;`
    let statements: Vec<&str> = code
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if let Some((last, before)) = statements.split_last()
        && before.iter().all(|s| ALWAYS_PASSES.is_match(s))
        && EMPTY_RETURN.is_match(last)
    {
        return true;
    }
    matches!(
        code.trim(),
        "return"
            | "do return end"
            | "return;"
            | "return None"
            | "return nil"
            | "return true;"
            | "return Ok(());"
            | "return Ok(())"
    )
}

/// `return` of nothing, of an empty or invisible value, or of a check that always passes.
static EMPTY_RETURN: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^return\s*(?:\(\s*(?:invisible\s*\(\s*(?:NULL|TRUE)?\s*\)|NULL|TRUE|1)?\s*\)|\s+(?:nothing|undef|1|0|NULL|TRUE)|\s+(?:pass|ok)\s*\(.*\))?$",
    )
    .expect("empty return pattern compiles")
});

/// A statement that passes whatever the code does (`pass('…')`, `ok(1)`, `succeed()`).
static ALWAYS_PASSES: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^(?:pass\s*\(.*\)|ok\s*\(\s*1\s*(?:,.*)?\)|succeed\s*\(.*\)|@test\s+true)$")
        .expect("always-passes pattern compiles")
});

fn literals_kept(old: &[&str], new: &[&str]) -> bool {
    old.iter()
        .filter(|t| assertions::is_literal(t))
        .all(|t| new.contains(t))
}

fn strength_name(s: Strength) -> &'static str {
    match s {
        Strength::Exact => "exact",
        Strength::Loose => "loose",
        Strength::Truthy => "truthiness",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_returns_in_line_based_languages() {
        for line in [
            "  return()",
            "  return(invisible())",
            "    return pass('nothing left to check');",
            "    pass('placeholder'); return;",
            "return",
        ] {
            assert!(is_bare_return(line), "{line:?}");
        }
        for line in [
            "  return(x + 1)",
            "    return compute($x);",
            "    is($a, 1); return;",
        ] {
            assert!(!is_bare_return(line), "{line:?}");
        }
    }

    #[test]
    fn output_settings_are_not_test_data() {
        assert!(output_setting_only(
            "    runner = unittest.TextTestRunner(verbosity=1 + sys.argv.count(\"-v\"))",
            "    runner = unittest.TextTestRunner(verbosity=2 + sys.argv.count(\"-v\"))",
        ));
        assert!(!output_setting_only(
            "run(verbosity=1, n=2)",
            "run(verbosity=1, n=3)"
        ));
    }

    #[test]
    fn command_flags_that_only_change_output() {
        assert!(only_output_flags_changed(
            "./mvnw -B verify",
            "./mvnw -B -ntp verify"
        ));
        assert!(only_output_flags_changed(
            "exec { & dotnet test --verbosity=normal }",
            "exec { & dotnet test --verbosity=minimal }"
        ));
        assert!(!only_output_flags_changed(
            "./gradlew build",
            "./gradlew build -x test"
        ));
        assert!(!only_output_flags_changed("pytest", "pytest || true"));
        assert!(!only_output_flags_changed("pytest -q", "pytest -q"));
        assert!(only_output_flags_changed(
            "\"test\": \"mocha --reporter spec --check-leaks test/\",",
            "\"test\": \"mocha --reporter dot --check-leaks test/\","
        ));
        assert!(!only_output_flags_changed(
            "\"test\": \"mocha --reporter spec test/ test/acceptance/\",",
            "\"test\": \"mocha --reporter spec test/\","
        ));
    }

    #[test]
    fn constant_false_blocks_and_swallowing_handlers() {
        for t in [
            "if 0:",
            "if (1 > 2) {",
            "if False:",
            "#if false",
            "if (0 != 0)",
        ] {
            assert!(opens_false_if(t), "{t}");
        }
        for t in ["if x:", "if (a > b) {", "#if DEBUG"] {
            assert!(!opens_false_if(t), "{t}");
        }
        for t in [
            "except self.failureException:",
            "catch (ShouldAssertException)",
            "except AssertionError as e:",
            "except:",
            "} catch (\\PHPUnit\\Framework\\ExpectationFailedException) {",
        ] {
            assert!(catches_failures(t), "{t}");
        }
        assert!(!catches_failures("except ValueError:"));
        assert!(!catches_failures("catch (IOException e)"));
        assert_eq!(plain_assignment("res = expect"), Some(("res", "expect")));
        assert_eq!(plain_assignment("if a == b:"), None);
        assert_eq!(
            plain_assignment("$result = $expected;"),
            Some(("$result", "$expected"))
        );
        assert!(opens_false_if("if (1 === 2) {"));
        assert!(opens_false_if("if 2 < 1 {"));
    }

    /// A one-hunk diff of `path`; the hunk's header is recounted from its body.
    fn diff_of(path: &str, hunk: &str) -> String {
        let body = hunk.split_once('\n').map_or("", |(_, b)| b);
        let old = body.lines().filter(|l| !l.starts_with('+')).count();
        let new = body.lines().filter(|l| !l.starts_with('-')).count();
        format!(
            "diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -1,{old} +1,{new} @@\n{body}"
        )
    }

    fn rules_of(path: &str, hunk: &str) -> Vec<&'static str> {
        scan_diff(&diff_of(path, hunk))
            .expect("diff parses")
            .findings
            .iter()
            .map(|f| f.rule.id())
            .collect()
    }

    #[test]
    fn round_10_classes_by_meaning() {
        // Conditions, block comments and closures wrapped around assertions.
        assert_eq!(
            opened_condition("unless System.get_env(\"CI\") do"),
            Some(("System.get_env(\"CI\")", true))
        );
        assert!(opens_false_if("if false do") && opens_false_if("unless true do"));
        assert!(!opens_false_if("if ok do") && !opens_false_if("if x, do: y"));
        assert_eq!(block_comment_opener("/*").as_deref(), Some("*/"));
        assert_eq!(block_comment_opener("--[==[").as_deref(), Some("]==]"));
        assert!(failure_catching_wrapper("local ok, err = pcall(function()"));
        assert!(failure_catching_wrapper("scala.util.Try {"));
        assert!(untyped_catch("} catch (e) {") && untyped_catch("catch (_) {}"));
        assert!(!untyped_catch("} catch (IOException e) {"));
        assert_eq!(block_comment_opener("/* a */"), None);
        assert_eq!(closure_binding("_unused = fn ->"), Some("_unused"));
        assert_eq!(closure_binding("auto check = [&]() {"), Some("check"));
        assert_eq!(closure_binding("let check = {"), Some("check"));
        assert_eq!(closure_binding("check := func() {"), Some("check"));
        assert_eq!(closure_binding("x = compute(1)"), None);
        let swift = "Tests/ATests/ATests.swift";
        let wrapped = "@@ -1,4 +1,6 @@
   func testA() {
+#if SLOW_CHECKS
     XCTAssertEqual(a, 1)
+#endif
   }
";
        assert!(rules_of(swift, wrapped).contains(&"assert.unreachable"));
        let commented = "@@ -1,4 +1,6 @@
   func testA() {
+    /*
     XCTAssertEqual(a, 1)
+    */
   }
";
        assert!(rules_of(swift, commented).contains(&"assert.commented-out"));
        let expected = "@@ -1,3 +1,4 @@
   func testA() {
+    XCTExpectFailure(\"flaky\")
     XCTAssertEqual(a, 1)
   }
";
        assert!(rules_of(swift, expected).contains(&"assert.tautology"));
        let exs = "test/a_test.exs";
        let rescued = "@@ -1,3 +1,7 @@
   test \"a\" do
-    assert f() == 1
+    try do
+      assert f() == 1
+    rescue
+      _ -> :ok
+    end
   end
";
        assert!(rules_of(exs, rescued).contains(&"assert.tautology"));
        let reraised = "@@ -1,3 +1,7 @@
   test \"a\" do
-    assert f() == 1
+    try do
+      assert f() == 1
+    rescue
+      e -> reraise e, __STACKTRACE__
+    end
   end
";
        assert!(!rules_of(exs, reraised).contains(&"assert.tautology"));
        let unused = "@@ -1,3 +1,5 @@
   test \"a\" do
-    assert f() == 1
+    _unused = fn ->
+      assert f() == 1
+    end
   end
";
        assert!(rules_of(exs, unused).contains(&"assert.unreachable"));
        // Strengthened: a presence check replaced by an exact check of the same value.
        assert_eq!(
            syntax::definedness_subject("refute is_nil(f(x))").as_deref(),
            Some("f(x)")
        );
        assert_eq!(syntax::definedness_subject("assert is_nil(f(x))"), None);
        assert_eq!(
            syntax::definedness_subject("EXPECT_NO_THROW((void)(*n));").as_deref(),
            Some("*n")
        );
        let stronger = "@@ -1,3 +1,3 @@
   test \"a\" do
-    refute is_nil(f(x))
+    assert f(x) == \"a\"
   end
";
        assert!(rules_of(exs, stronger).is_empty());
        // Build files that register tests.
        let cmake = "@@ -1,2 +1,2 @@
 if (build_tests)
-  cxx_test(a_test gtest_main)
+  # cxx_test(a_test gtest_main)
";
        assert!(rules_of("CMakeLists.txt", cmake).contains(&"config.deselect"));
        let will_fail = "@@ -1,1 +1,2 @@
 cxx_test(a_test gtest_main)
+set_tests_properties(a_test PROPERTIES WILL_FAIL TRUE)
";
        assert!(!rules_of("CMakeLists.txt", will_fail).is_empty());
        let alias = "@@ -1,1 +1,2 @@
       deps: deps(),
+      aliases: [test: [\"compile\"]],
";
        assert!(rules_of("mix.exs", alias).contains(&"config.deselect"));
        let alias_ok = "@@ -1,1 +1,2 @@
       deps: deps(),
+      aliases: [test: [\"ecto.create --quiet\", \"test\"]],
";
        assert!(rules_of("mix.exs", alias_ok).is_empty());
        // Benign CI: keys are read by word, lists of plain values only grow.
        assert!(
            excusing_key("continue-on-error")
                && excusing_key("allow_failures")
                && excusing_key("if")
        );
        assert!(!excusing_key("linux_swift_versions"));
        assert!(shell_list_extended(
            "STD=\"c++17 c++20\"",
            "STD=\"c++17 c++20 c++23\""
        ));
        assert!(!shell_list_extended("SKIP=\"a\"", "SKIP=\"a b\""));
        assert!(!shell_list_extended(
            "STD=\"c++17 c++20\"",
            "STD=\"c++20 c++23\""
        ));
    }

    #[test]
    fn batch_h_classes_by_meaning() {
        // A check newly wrapped in a condition whose value is unknown.
        let kt = "src/test/kotlin/a/SizeTest.kt";
        let wrapped = "@@ -1,5 +1,7 @@\n class SizeTest : FunSpec({\n   test(\"a\") {\n-    a shouldBe 1\n+    if (System.getenv(\"CI\") == null) {\n+      a shouldBe 1\n+    }\n   }\n })\n";
        assert!(rules_of(kt, wrapped).contains(&"assert.unreachable"));
        // Kotest infix and call spellings are one check; a self-comparison is a tautology.
        let respelled = "@@ -1,5 +1,5 @@\n class SizeTest : FunSpec({\n   test(\"a\") {\n-    a.size shouldBe 1\n+    a.size.shouldBe(1)\n   }\n })\n";
        assert!(rules_of(kt, respelled).is_empty());
        let selfeq = "@@ -1,5 +1,5 @@\n class SizeTest : FunSpec({\n   test(\"a\") {\n-    a.size shouldBe 1\n+    a.size shouldBe a.size\n   }\n })\n";
        assert!(rules_of(kt, selfeq).contains(&"assert.tautology"));
        // Kotest skips and focus.
        for line in [
            "  xtest(\"a\") {",
            "  test(\"!a\") {",
            "  test(\"a\").config(enabled = false) {",
            "  test(\"f:a\") {",
        ] {
            let h = format!(
                "@@ -1,4 +1,4 @@\n class SizeTest : FunSpec({{\n-  test(\"a\") {{\n+{line}\n     a shouldBe 1\n   }}\n"
            );
            assert!(!rules_of(kt, &h).is_empty(), "{line}");
        }
        // A check moved into a helper the change adds: the same check; a helper that checks
        // less is not.
        let py = "tests/test_v.py";
        let helper = "@@ -1,3 +1,6 @@\n def test_v():\n-    assert f(1) == 2\n+    _same(f(1), 2)\n+\n+def _same(a, b):\n+    assert a == b\n";
        assert!(rules_of(py, helper).is_empty());
        let weaker = "@@ -1,3 +1,6 @@\n def test_v():\n-    assert f(1) == 2\n+    _same(f(1), 2)\n+\n+def _same(a, b):\n+    assert a\n";
        assert!(!rules_of(py, weaker).is_empty());
        // A dropped tolerance passes; a dropped tolerance with a changed value does not.
        let cs = "tests/Foo.Test/FooTest.cs";
        let tight = "@@ -1,3 +1,3 @@\n     {\n-        Assert.AreEqual(5, x.Month, 100);\n+        Assert.AreEqual(5, x.Month);\n     }\n";
        assert!(rules_of(cs, tight).is_empty());
        let moved = "@@ -1,3 +1,3 @@\n     {\n-        Assert.AreEqual(5, x.Month, 100);\n+        Assert.AreEqual(100, x.Month);\n     }\n";
        assert!(!rules_of(cs, moved).is_empty());
        // CI: stricter shell options and an unrelated env var pass; errexit off does not.
        let sh = "build/ci.sh";
        assert!(
            rules_of(
                sh,
                "@@ -1,2 +1,2 @@\n #!/bin/bash\n-set -e\n+set -euo pipefail\n"
            )
            .is_empty()
        );
        assert!(!rules_of(sh, "@@ -1,2 +1,2 @@\n #!/bin/bash\n-set -e\n+set +e\n").is_empty());
        let wf = ".github/workflows/ci.yml";
        assert!(
            rules_of(
                wf,
                "@@ -1,2 +1,3 @@\n env:\n   FORCE_COLOR: \"1\"\n+  PYTHONUNBUFFERED: \"1\"\n"
            )
            .is_empty()
        );
        assert!(!rules_of(wf, "@@ -1,2 +1,3 @@\n env:\n   FORCE_COLOR: \"1\"\n+  PYTEST_ADDOPTS: \"-k not slow\"\n").is_empty());
        // Coverage exclusions that gain an entry.
        let cov =
            "@@ -1,3 +1,4 @@\n exclude_lines = [\n   \"pragma: no cover\",\n+  \"raise \",\n ]\n";
        assert!(rules_of("pyproject.toml", cov).contains(&"config.coverage-lowered"));
    }
}
