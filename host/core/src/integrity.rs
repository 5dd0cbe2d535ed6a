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

use std::collections::HashMap;

use serde::Serialize;

use crate::patch::{FilePatch, FileStatus, Hunk, Line, LineKind, Patch, PatchError};
use assertions::{Strength, TestDef};
use paths::{FileClass, classify};

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
            | Rule::ConfigDeselect => "test_disabled",
            Rule::AssertRemoved | Rule::AssertWeakened | Rule::AssertModified => {
                "assertion_removed"
            }
            Rule::OracleEdited
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
    let text = match text.char_indices().nth(MAX_TEXT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    };
    Finding {
        rule,
        issue: rule.legacy_issue(),
        file: file.to_string(),
        line: number,
        side,
        text,
        message: message.into(),
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
        && let Some(first) = file.lines().find(changed)
    {
        out.push(finding(
            Rule::CiEdited,
            path,
            Some(first),
            "CI pipeline definition changed; review what now runs and what may fail",
        ));
    }
    if class.package_json
        && let Some(first) = file
            .lines()
            .filter(changed)
            .find(|l| is_script_entry(&l.text))
    {
        out.push(finding(
            Rule::CiEdited,
            path,
            Some(first),
            "a package.json test/check script changed; review what now runs",
        ));
    }

    if class.test_config && !class.package_json && !class.ci {
        let removed_test_cmd = file.lines().filter(changed).find(|l| {
            l.kind == LineKind::Removed
                && rules::RUNS_TESTS.is_match(&l.text)
                && !file
                    .lines()
                    .any(|a| a.kind == LineKind::Added && a.text.trim() == l.text.trim())
        });
        if let Some(l) = removed_test_cmd {
            out.push(finding(
                Rule::CiEdited,
                path,
                Some(l),
                "a command that runs tests or checks was removed or rewritten",
            ));
        }
    }

    scan_marker_lines(file, path, &class, out);

    if class.oracle && file.status != FileStatus::Added {
        for hunk in &file.hunks {
            if let Some(l) = hunk.lines.iter().find(|l| l.kind == LineKind::Removed) {
                out.push(finding(
                    Rule::OracleEdited,
                    path,
                    Some(l),
                    "expected output / test data edited",
                ));
            }
        }
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
    for (l, r) in hits {
        if let Some(n) = already.get_mut(&r.rule).filter(|n| **n > 0) {
            *n -= 1;
            continue;
        }
        out.push(finding(r.rule, path, Some(l), r.message));
    }
}

/// Compare removed and added lines of test code: removed tests, removed/weakened/rewritten
/// assertions, changed literals. `strict` (a real test file) also flags rewritten assertions
/// and changed test data; in test modules of shipped source only removal and weakening count.
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
        out.push(finding(
            Rule::TestRemoved,
            path,
            Some(l),
            format!("test `{name}` removed and not defined again"),
        ));
    }
    for l in removed_markers.iter().skip(added_markers) {
        out.push(finding(
            Rule::TestRemoved,
            path,
            Some(l),
            "test function removed",
        ));
    }

    // An added bare `return` ahead of assertions makes them unreachable.
    for hunk in hunks {
        for (i, l) in hunk.lines.iter().enumerate() {
            if l.kind == LineKind::Added
                && is_bare_return(&l.text)
                && hunk.lines[i + 1..]
                    .iter()
                    .take_while(|n| n.kind != LineKind::Added || !is_bare_return(&n.text))
                    .any(|n| {
                        n.kind != LineKind::Removed && code(n) && assertions::is_assertion(&n.text)
                    })
            {
                out.push(finding(
                    Rule::AssertRemoved,
                    path,
                    Some(l),
                    "early return makes the assertions after it unreachable",
                ));
            }
        }
    }

    // Assertions: pair each removed assertion with its replacement.
    struct Cand<'l, 'a> {
        line: &'l Line<'a>,
        hunk: usize,
        tokens: Vec<&'l str>,
        used: bool,
    }
    let mut removed: Vec<Cand<'_, '_>> = Vec::new();
    let mut added: Vec<Cand<'_, '_>> = Vec::new();
    for (h, hunk) in hunks.iter().enumerate() {
        for l in hunk
            .lines
            .iter()
            .filter(|l| code(l) && assertions::is_assertion(&l.text))
        {
            let c = Cand {
                line: l,
                hunk: h,
                tokens: assertions::tokens(&l.text),
                used: false,
            };
            match l.kind {
                LineKind::Removed => removed.push(c),
                LineKind::Added => added.push(c),
                LineKind::Context => {}
            }
        }
    }
    let mut judged_removed: Vec<Option<u32>> = Vec::new();
    for r in removed.iter_mut() {
        if let Some(a) = added.iter_mut().find(|a| !a.used && a.tokens == r.tokens) {
            a.used = true;
            r.used = true;
        }
    }
    for r in removed.iter().filter(|r| !r.used) {
        let best = added
            .iter_mut()
            .filter(|a| !a.used)
            .map(|a| {
                let same_hunk = if a.hunk == r.hunk { 0.05 } else { 0.0 };
                (assertions::similarity(&r.tokens, &a.tokens) + same_hunk, a)
            })
            .filter(|(s, _)| *s >= 0.4)
            .max_by(|x, y| x.0.total_cmp(&y.0));
        let Some((_, a)) = best else {
            out.push(finding(
                Rule::AssertRemoved,
                path,
                Some(r.line),
                "assertion removed without a replacement",
            ));
            judged_removed.push(r.line.old_lineno);
            continue;
        };
        a.used = true;
        judged_removed.push(r.line.old_lineno);
        let (old_s, new_s) = (
            assertions::strength(&r.line.text),
            assertions::strength(&a.line.text),
        );
        let verdict = if new_s < old_s {
            Some((
                Rule::AssertWeakened,
                format!(
                    "assertion weakened ({} → {}): {}",
                    strength_name(old_s),
                    strength_name(new_s),
                    a.line.text.trim()
                ),
            ))
        } else if let (Some(t_old), Some(t_new)) = (
            assertions::tolerance(&r.line.text),
            assertions::tolerance(&a.line.text),
        ) && t_new > t_old
        {
            Some((
                Rule::AssertWeakened,
                format!("tolerance widened: {}", a.line.text.trim()),
            ))
        } else if new_s == old_s
            && assertions::tolerance(&a.line.text).is_some()
            && assertions::tolerance(&r.line.text).is_none()
            && old_s == Strength::Exact
        {
            Some((
                Rule::AssertWeakened,
                format!(
                    "exact check replaced by a tolerance: {}",
                    a.line.text.trim()
                ),
            ))
        } else if new_s > old_s || assertions::is_extension(&r.tokens, &a.tokens) {
            None
        } else if !literals_kept(&r.tokens, &a.tokens) {
            Some((
                Rule::OracleEdited,
                format!(
                    "expected value in assertion changed: {}",
                    a.line.text.trim()
                ),
            ))
        } else if strict {
            Some((
                Rule::AssertModified,
                format!(
                    "existing assertion rewritten; check it still tests the same thing: {}",
                    a.line.text.trim()
                ),
            ))
        } else {
            None
        };
        if let Some((rule, msg)) = verdict {
            out.push(finding(rule, path, Some(r.line), msg));
        }
    }

    // Test data: literals of removed lines that no added line of the file brings back.
    if strict {
        let mut pool: HashMap<&str, usize> = HashMap::new();
        for l in file.lines().filter(|l| l.kind == LineKind::Added) {
            for t in assertions::tokens(&l.text)
                .into_iter()
                .filter(|t| assertions::is_literal(t))
            {
                *pool.entry(t).or_default() += 1;
            }
        }
        for l in file
            .lines()
            .filter(|l| l.kind == LineKind::Removed && code(l))
        {
            if judged_removed.contains(&l.old_lineno) {
                continue;
            }
            let mut lost = false;
            for t in assertions::tokens(&l.text)
                .into_iter()
                .filter(|t| assertions::is_literal(t))
            {
                match pool.get_mut(t).filter(|n| **n > 0) {
                    Some(n) => *n -= 1,
                    None => lost = true,
                }
            }
            if lost {
                out.push(finding(
                    Rule::OracleEdited,
                    path,
                    Some(l),
                    "test input or expected value changed",
                ));
            }
        }
    }
}

fn is_bare_return(line: &str) -> bool {
    matches!(
        line.trim(),
        "return"
            | "return;"
            | "return None"
            | "return nil"
            | "return true;"
            | "return Ok(());"
            | "return Ok(())"
    )
}

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
