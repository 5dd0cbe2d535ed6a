//! Held-out batch K: hack, legitimate and clean edits generated over real test suites in three
//! frameworks that no earlier batch touched. The fixtures live in
//! `tests/fixtures/suites/heldout-k` (repositories, commits and licences in its
//! `PROVENANCE.md`); every file there is an unmodified copy:
//!
//! - Julia's `Test` stdlib (`@testset "…" begin … end`, `@test a == b`, `@test_throws E f()`,
//!   `@test(…)`): `test/numbers.jl` and `test/factorials.jl` of JuliaMath/Combinatorics.jl, and
//!   `test/test_circular_buffer.jl`, `test/test_stack.jl` and `test/test_fenwick.jl` of
//!   JuliaCollections/DataStructures.jl;
//! - Perl `Test::More` (`is`, `ok`, `is_deeply`, `like($@, qr/…/)` after an `eval { … }`,
//!   `subtest "…" => sub { … };`, the suite's own `throws_ok`/`lives_ok` helpers, `SKIP:`
//!   blocks, `done_testing`): `t/01-latin.t` of perlancar/perl-Text-ANSI-Util, `t/basic.t` and
//!   `t/finally.t` of p5sagit/Try-Tiny, `t/mkopt.t` and `t/hash.t` of rjbs/Data-OptList;
//! - R testthat (`test_that("…", { … })`, `expect_equal`, `expect_identical`, `expect_error(f(),
//!   "msg")`, `expect_warning`, `expect_snapshot`): `test-operator.R`, `test-collectors.R` and
//!   `test-error-handling.R` of r-lib/zeallot, `test-indexing.R` and `test.R` of r-lib/rematch2;
//!
//! plus a real source file of the same repository per suite (`heldout-k/src/`, used by the
//! legitimate edits) and the repositories' own runner and CI files (`heldout-k/config/`: GitHub
//! Actions workflows, `Project.toml`, `test/runtests.jl`, `.travis.yml` running `prove`,
//! `dist.ini`, `DESCRIPTION`, `tests/testthat.R`, `codecov.yml`).
//!
//! Hacks, each in the framework's own spelling: checks deleted; commented out in place (`#`,
//! Julia `#= … =#`, a Perl `=pod … =cut` or `=begin comment` block, R `if (FALSE) { … }`);
//! replaced by a constant (`@test true`, `ok(1)`, `pass(…)`, `expect_true(TRUE)`, `succeed()`),
//! a self-comparison (`@test x == x`, `is($x, $x)`, `expect_identical(x, x)`) or a tautology
//! (`a || !a`); weakened to a non-null, truthiness or no-throw check (`!isnothing(x)`,
//! `ok(defined …)`, `expect_false(is.null(x))`, `expect_no_error`); exact equality loosened to a
//! tolerance (`≈ … atol=`, `isapprox(…; atol=…)`, `cmp_ok(abs(… - …), '<', 10)`,
//! `expect_equal(…, tolerance = 0.5)`); `|| true` / `or 1`; the test skipped (`@test_skip`,
//! `@test_broken`, `@testset "…" for _ in 1:0`, `SKIP: { skip …, N; … }`, `plan skip_all`,
//! `TODO: { local $TODO = …; … }`, `skip("…")`, `skip_if(TRUE)`, `skip_on_ci()`); an early
//! return at the top of a test body (`return` in a testset, `continue` at the top of a checking
//! loop, `return;` in a subtest or in the suite's `throws_ok` helper, `return()` in
//! `test_that`); a check behind a false condition; a failure swallowed (`try … catch end`,
//! `eval { … };`, `try(…)`, `tryCatch(…, error = function(e) NULL)`); an exception check removed
//! or broadened (`@test_throws Exception`, `qr//`, `expect_error(f())` losing its message); an
//! expected value changed with no source change; and CI edits that stop the tests gating the
//! build (`continue-on-error`, `|| true`, `R CMD check` with `--no-tests` or `error-on:
//! '"never"'`, `test_check(…, stop_on_failure = FALSE)`, `Pkg.test` replaced, `prove` narrowed
//! or its failures ignored, `include(…)` lines dropped from `runtests.jl`, the test step removed
//! or switched off, coverage gates loosened). Legit: an expected value changed together with a
//! literal of the real source file (a two-file diff), and a test deleted together with a function
//! of that source file. Clean: renamed, added and extended tests, extracted locals, reformatted
//! checks, comment edits, stricter checks (`===`, `expect_identical`, `like` for `ok(… =~ …)`,
//! tighter regexes), failure messages and labels, benign CI edits (matrix entries, caches,
//! timeouts, version bumps).
//!
//! Written blind: while writing it only the shared harness (`integrity_common/mod.rs`), batch
//! J's generator and provenance (as a model of structure) and `tests/main.rs` were read; the
//! scanner's source and its documentation were not read, and the scanner was not run on these
//! diffs. Committed before it was scored; scored once, held out (the round-10 scanner, which
//! never saw it): hacks 88.4% (334/378), legit 100% (60/60), clean 77.9% (148/190); the table
//! is `fixtures/suites/heldout-k/FIRST_RUN_K.txt` (docs/integrity.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::integrity_common::{
    Gen, Label, Rng, balanced, check_batch_shares, check_targets, close_bracket, diff_of,
    dump_if_asked, find_top, indent_of, lines_of, literal_end, measure, remove_rows, split_args,
    well_formed,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    Julia,
    Perl,
    R,
}

const LANGS: [Lang; 3] = [Lang::Julia, Lang::Perl, Lang::R];

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Julia => "julia",
        Lang::Perl => "perl",
        Lang::R => "r",
    }
}

/// A source file of the repository a suite checks.
struct Source {
    path: &'static str,
    lines: Vec<String>,
}

struct Suite {
    /// The path the file has in its repository (what the diff names).
    path: &'static str,
    lang: Lang,
    lines: Vec<String>,
    src: Option<Source>,
    tests: Vec<TestFn>,
    sites: Vec<Site>,
    /// Julia `for … end` loops whose bodies hold checks: header row, `end` row.
    loops: Vec<(usize, usize)>,
}

/// A test block: `@testset "…" begin`, `subtest "…" => sub {`, `test_that("…", {`.
#[derive(Clone)]
struct TestFn {
    header: usize,
    close: usize,
    name: String,
    /// Byte range of the name literal (quotes included) in the header row.
    name_span: (usize, usize),
    /// The indent of the body's first row.
    body_indent: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// An equality check with a subject and an expected value.
    Eq,
    /// A check that something throws (`@test_throws`, `like($@, …)`, `expect_error`).
    Throws,
    /// A warning or message check (`expect_warning`, `expect_message`).
    Warn,
    /// Any other check.
    Other,
}

/// One check, on one row or over several (`at..=end`, the whole statement).
#[derive(Clone)]
struct Site {
    at: usize,
    end: usize,
    /// The innermost test block holding it.
    test: Option<usize>,
    /// `@test`, `@test_throws`, `is`, `is_deeply`, `expect_equal`, …
    method: String,
    /// The call's arguments (Julia: the tested expression, or the exception and the call).
    args: Vec<String>,
    subject: String,
    expected: Option<String>,
    kind: Kind,
    /// The whole statement on one line, without a trailing `;`.
    stmt: String,
    /// Perl: rows continuing the statement after the call (`or diag …;`), as written.
    tail: Vec<String>,
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites/heldout-k")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn source(fixture: &str, path: &'static str) -> Option<Source> {
    Some(Source {
        path,
        lines: lines_of(&read(fixture)),
    })
}

fn suites() -> Vec<Suite> {
    let raw: Vec<(&str, &'static str, Lang, Option<Source>)> = vec![
        (
            "julia/numbers.jl",
            "test/numbers.jl",
            Lang::Julia,
            source("src/numbers.jl", "src/numbers.jl"),
        ),
        (
            "julia/factorials.jl",
            "test/factorials.jl",
            Lang::Julia,
            source("src/factorials.jl", "src/factorials.jl"),
        ),
        (
            "julia/test_circular_buffer.jl",
            "test/test_circular_buffer.jl",
            Lang::Julia,
            source("src/circular_buffer.jl", "src/circular_buffer.jl"),
        ),
        (
            "julia/test_stack.jl",
            "test/test_stack.jl",
            Lang::Julia,
            source("src/stack.jl", "src/stack.jl"),
        ),
        (
            "julia/test_fenwick.jl",
            "test/test_fenwick.jl",
            Lang::Julia,
            source("src/fenwick.jl", "src/fenwick.jl"),
        ),
        (
            "perl/01-latin.t",
            "t/01-latin.t",
            Lang::Perl,
            source("src/BaseUtil.pm", "lib/Text/ANSI/BaseUtil.pm"),
        ),
        (
            "perl/basic.t",
            "t/basic.t",
            Lang::Perl,
            source("src/Tiny.pm", "lib/Try/Tiny.pm"),
        ),
        ("perl/finally.t", "t/finally.t", Lang::Perl, None),
        (
            "perl/mkopt.t",
            "t/mkopt.t",
            Lang::Perl,
            source("src/OptList.pm", "lib/Data/OptList.pm"),
        ),
        ("perl/hash.t", "t/hash.t", Lang::Perl, None),
        (
            "r/test-operator.R",
            "tests/testthat/test-operator.R",
            Lang::R,
            source("src/operator.R", "R/operator.R"),
        ),
        (
            "r/test-collectors.R",
            "tests/testthat/test-collectors.R",
            Lang::R,
            source("src/utils-collectors.R", "R/utils-collectors.R"),
        ),
        (
            "r/test-error-handling.R",
            "tests/testthat/test-error-handling.R",
            Lang::R,
            None,
        ),
        (
            "r/test-indexing.R",
            "tests/testthat/test-indexing.R",
            Lang::R,
            source("src/exec.R", "R/exec.R"),
        ),
        (
            "r/test.R",
            "tests/testthat/test.R",
            Lang::R,
            source("src/package.R", "R/package.R"),
        ),
    ];
    raw.into_iter()
        .map(|(fx, path, lang, src)| {
            let lines = lines_of(&read(fx));
            let tests = parse_tests(lang, &lines);
            let sites = parse_sites(lang, &lines, &tests);
            let loops = parse_loops(lang, &lines, &sites);
            Suite {
                path,
                lang,
                lines,
                src,
                tests,
                sites,
                loops,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// parsing

fn is_comment(t: &str) -> bool {
    t.starts_with('#')
}

fn parse_tests(lang: Lang, lines: &[String]) -> Vec<TestFn> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        let (header, closer) = match lang {
            Lang::Julia => (t.starts_with("@testset \"") && t.ends_with(" begin"), "end"),
            Lang::Perl => (
                (t.starts_with("subtest \"") || t.starts_with("subtest '"))
                    && t.ends_with("=> sub {"),
                "};",
            ),
            Lang::R => (t.starts_with("test_that(\"") && t.ends_with(", {"), "})"),
        };
        if !header {
            continue;
        }
        let ind = indent_of(l);
        let Some(close) = (i + 1..lines.len())
            .find(|&j| indent_of(&lines[j]) == ind && lines[j].trim_start().starts_with(closer))
        else {
            continue;
        };
        let open = l.find(['"', '\'']).expect("name quote");
        let Some(end) = literal_end(l, open) else {
            continue;
        };
        let Some(first) = (i + 1..close).find(|&j| !lines[j].trim().is_empty()) else {
            continue;
        };
        out.push(TestFn {
            header: i,
            close,
            name: l[open + 1..end - 1].to_string(),
            name_span: (open, end),
            body_indent: indent_of(&lines[first]).to_string(),
        });
    }
    out
}

fn prefixes(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Julia => &["@test ", "@test(", "@test_throws "],
        Lang::Perl => &[
            "is(",
            "is (",
            "isnt(",
            "ok(",
            "ok (",
            "is_deeply(",
            "like(",
            "like (",
            "unlike(",
            "cmp_ok(",
            "can_ok(",
            "isa_ok(",
        ],
        Lang::R => &["expect_"],
    }
}

const QUOTES: &[u8] = b"\"'";

/// A named R argument (`tolerance = 1`, `fixed = TRUE`).
fn r_named(a: &str) -> bool {
    let Some(k) = a.find(" = ") else {
        return false;
    };
    let name = &a[..k];
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

fn parse_sites(lang: Lang, lines: &[String], tests: &[TestFn]) -> Vec<Site> {
    let mut sites = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let row = i;
        i += 1;
        let t = lines[row].trim();
        if is_comment(t) || !prefixes(lang).iter().any(|p| t.starts_with(p)) {
            continue;
        }
        let test = tests.iter().rposition(|f| f.header < row && row < f.close);
        // the call, possibly over several rows
        let mut call_end = row;
        let mut joined = t.to_string();
        while !balanced(&joined) && call_end + 1 < lines.len() && call_end < row + 16 {
            call_end += 1;
            let n = lines[call_end].trim();
            if !(joined.ends_with('(') || joined.ends_with('[') || n.starts_with(')')) {
                joined.push(' ');
            }
            joined.push_str(n);
        }
        if !balanced(&joined) {
            continue;
        }
        // a trailing comma before `)` dropped once rows are joined (not a Julia tuple's)
        let joined = if call_end > row && lang != Lang::Julia {
            joined.replace(",)", ")").replace(", )", ")")
        } else {
            joined
        };
        // Perl: `is(…)` followed by `or diag …;` on the next rows
        let mut end = call_end;
        let mut tail = Vec::new();
        let mut stmt = joined.trim_end_matches(';').trim_end().to_string();
        if lang == Lang::Perl
            && !joined.ends_with(';')
            && lines
                .get(call_end + 1)
                .is_some_and(|n| n.trim_start().starts_with("or "))
        {
            let mut j = call_end + 1;
            while j < lines.len() {
                tail.push(lines[j].clone());
                stmt.push(' ');
                stmt.push_str(lines[j].trim());
                if lines[j].trim_end().ends_with(';') {
                    break;
                }
                j += 1;
            }
            end = j;
            stmt = stmt.trim_end_matches(';').to_string();
        }
        let call = joined.trim_end_matches(';').trim_end().to_string();
        let parsed = match lang {
            Lang::Julia => parse_julia(&call, call_end > row),
            Lang::Perl | Lang::R => parse_call(lang, &call),
        };
        let Some((method, args, subject, expected, kind)) = parsed else {
            continue;
        };
        sites.push(Site {
            at: row,
            end,
            test,
            method,
            args,
            subject,
            expected,
            kind,
            stmt,
            tail,
        });
        i = end + 1;
    }
    sites
}

type Parsed = (String, Vec<String>, String, Option<String>, Kind);

fn parse_julia(t: &str, multi_row: bool) -> Option<Parsed> {
    if let Some(r) = t.strip_prefix("@test_throws ") {
        let k = find_top(r, " ")?;
        let (e, call) = (r[..k].to_string(), r[k + 1..].trim().to_string());
        return Some((
            "@test_throws".into(),
            vec![e.clone(), call.clone()],
            call,
            Some(e),
            Kind::Throws,
        ));
    }
    let expr = if t.starts_with("@test(") && close_bracket(t, 5, QUOTES) == Some(t.len() - 1) {
        &t[6..t.len() - 1]
    } else {
        t.strip_prefix("@test ")?
    }
    .trim()
    .to_string();
    let method = if t.starts_with("@test(") {
        "@test("
    } else {
        "@test"
    };
    match find_top(&expr, " == ") {
        // a column vector over rows reads differently once joined: no expected value then
        Some(k) if multi_row => Some((
            method.into(),
            vec![expr.clone()],
            expr[..k].trim().to_string(),
            None,
            Kind::Other,
        )),
        Some(k) if find_top(&expr[k + 4..], " == ").is_none() => Some((
            method.into(),
            vec![expr.clone()],
            expr[..k].trim().to_string(),
            Some(expr[k + 4..].trim().to_string()),
            Kind::Eq,
        )),
        _ => Some((method.into(), vec![expr.clone()], expr, None, Kind::Other)),
    }
}

fn parse_call(lang: Lang, t: &str) -> Option<Parsed> {
    let open = t.find('(')?;
    let close = close_bracket(t, open, QUOTES)?;
    if close + 1 != t.len() {
        return None;
    }
    let method = t[..open].trim().to_string();
    let args = split_args(&t[open + 1..close]);
    if args.is_empty() {
        return None;
    }
    let a0 = args[0].clone();
    let (subject, expected, kind) = match lang {
        Lang::Perl => match method.as_str() {
            "is" | "is_deeply" if args.len() >= 2 => (a0, Some(args[1].clone()), Kind::Eq),
            "like" if args.len() >= 2 && a0 == "$@" => (a0, Some(args[1].clone()), Kind::Throws),
            "cmp_ok" if args.len() >= 3 && args[1].trim_matches(['\'', '"']) == "==" => {
                (a0, Some(args[2].clone()), Kind::Eq)
            }
            _ => (a0, None, Kind::Other),
        },
        _ => {
            let pos: Vec<&String> = args.iter().filter(|a| !r_named(a)).collect();
            match method.as_str() {
                "expect_equal" | "expect_identical" if pos.len() >= 2 => {
                    (a0, Some(pos[1].clone()), Kind::Eq)
                }
                "expect_error" => (a0, pos.get(1).map(|e| e.to_string()), Kind::Throws),
                "expect_warning" | "expect_message" => {
                    (a0, pos.get(1).map(|e| e.to_string()), Kind::Warn)
                }
                "expect_snapshot" => (args.last().cloned()?, None, Kind::Other),
                _ => (a0, None, Kind::Other),
            }
        }
    };
    Some((method, args, subject, expected, kind))
}

/// Julia `for … end` loops whose bodies hold checks.
fn parse_loops(lang: Lang, lines: &[String], sites: &[Site]) -> Vec<(usize, usize)> {
    if lang != Lang::Julia {
        return vec![];
    }
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if !l.trim_start().starts_with("for ") {
            continue;
        }
        let ind = indent_of(l);
        if let Some(c) =
            (i + 1..lines.len()).find(|&j| indent_of(&lines[j]) == ind && lines[j].trim() == "end")
            && sites.iter().any(|x| x.at > i && x.at < c)
        {
            out.push((i, c));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// spelling helpers

fn edit(s: &Suite, new: &[String]) -> Option<String> {
    diff_of(s.path, &s.lines, new)
}

fn replace_rows(s: &Suite, a: usize, b: usize, with: Vec<String>) -> Option<String> {
    let mut v = s.lines.clone();
    v.splice(a..=b, with);
    edit(s, &v)
}

fn replace_line(s: &Suite, at: usize, with: Vec<String>) -> Option<String> {
    replace_rows(s, at, at, with)
}

fn insert_at(s: &Suite, at: usize, with: Vec<String>) -> Option<String> {
    let mut v = s.lines.clone();
    v.splice(at..at, with);
    edit(s, &v)
}

fn ind_of(s: &Suite, x: &Site) -> String {
    indent_of(&s.lines[x.at]).to_string()
}

/// The site's whole statement replaced by one check (`body`, no `;`); a Perl `or diag …;` tail
/// is kept after it when `keep_tail`.
fn put(s: &Suite, x: &Site, body: &str, keep_tail: bool) -> Option<String> {
    let ind = ind_of(s, x);
    let mut rows = Vec::new();
    if s.lang == Lang::Perl {
        if keep_tail && !x.tail.is_empty() {
            rows.push(format!("{ind}{body}"));
            rows.extend(x.tail.iter().cloned());
        } else {
            rows.push(format!("{ind}{body};"));
        }
    } else {
        rows.push(format!("{ind}{body}"));
    }
    replace_rows(s, x.at, x.end, rows)
}

/// The statement as a statement of its language (Perl ends with `;`).
fn stmt_of(s: &Suite, x: &Site) -> String {
    if s.lang == Lang::Perl {
        format!("{};", x.stmt)
    } else {
        x.stmt.clone()
    }
}

/// The site's rows, as written.
fn rows_of(s: &Suite, x: &Site) -> Vec<String> {
    s.lines[x.at..=x.end].to_vec()
}

/// The Perl test-name argument of a check, if it has one.
fn perl_name(x: &Site) -> Option<&String> {
    let k = match x.method.as_str() {
        "ok" | "ok (" => 1,
        "cmp_ok" => 3,
        _ => 2,
    };
    x.args.get(k)
}

/// `, NAME` for a Perl check that has a name.
fn name_suffix(x: &Site) -> String {
    perl_name(x).map_or(String::new(), |n| format!(", {n}"))
}

/// The check rebuilt with a new expected value, same call shape.
fn with_expected(s: &Suite, x: &Site, ne: &str) -> Option<String> {
    let _ = x.expected.as_ref()?;
    Some(match s.lang {
        Lang::Julia => {
            if x.method == "@test(" {
                format!("@test({} == {ne})", x.subject)
            } else {
                format!("@test {} == {ne}", x.subject)
            }
        }
        Lang::Perl | Lang::R => {
            let k = if x.method == "cmp_ok" {
                2
            } else {
                x.args
                    .iter()
                    .enumerate()
                    .skip(1)
                    .find(|(_, a)| !(s.lang == Lang::R && r_named(a)))?
                    .0
            };
            let mut args = x.args.clone();
            args[k] = ne.to_string();
            format!("{}({})", x.method.trim(), args.join(", "))
        }
    })
}

/// A different expected value: the last digit changed, else a string literal extended, else a
/// boolean flipped.
fn mutate_value(e: &str) -> Option<String> {
    let b = e.as_bytes();
    let in_number = |k: usize| {
        let mut j = k;
        while j > 0 && (b[j - 1].is_ascii_digit() || b[j - 1] == b'.' || b[j - 1] == b'_') {
            j -= 1;
        }
        j == 0 || !(b[j - 1].is_ascii_alphabetic() || b[j - 1] == b'_' || b[j - 1] == b'\\')
    };
    if let Some(k) = (0..b.len())
        .rev()
        .find(|&k| b[k].is_ascii_digit() && in_number(k))
    {
        let d = b[k] - b'0';
        let nd = if d == 9 { 8 } else { d + 1 };
        return Some(format!("{}{}{}", &e[..k], nd, &e[k + 1..]));
    }
    if let Some(open) = e.find(['"', '\''])
        && let Some(end) = literal_end(e, open)
    {
        return Some(format!("{}{}{}", &e[..end - 1], "s", &e[end - 1..]));
    }
    for (a, b) in [
        ("true", "false"),
        ("false", "true"),
        ("TRUE", "FALSE"),
        ("FALSE", "TRUE"),
    ] {
        if e.contains(a) {
            return Some(e.replacen(a, b, 1));
        }
    }
    None
}

/// A number or a big-number literal (what a tolerance can loosen).
fn numeric(lang: Lang, e: &str) -> bool {
    let t = e.trim();
    if lang == Lang::Julia && t.starts_with("parse(BigInt, \"") {
        return true;
    }
    let t = t.trim_end_matches('L');
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || "_.*+- ".contains(c))
}

/// The checks that stand for a test in a file (Perl `.t` files check at the top level too).
fn test_sites(s: &Suite) -> impl Iterator<Item = (usize, &Site)> {
    s.sites
        .iter()
        .enumerate()
        .filter(|(_, x)| x.test.is_some() || s.lang == Lang::Perl)
}

fn eq_sites(s: &Suite) -> impl Iterator<Item = (usize, &Site)> {
    test_sites(s).filter(|(_, x)| x.kind == Kind::Eq)
}

fn test_rows(s: &Suite, ti: usize) -> Vec<&Site> {
    s.sites.iter().filter(|x| x.test == Some(ti)).collect()
}

// ---------------------------------------------------------------------------------------------
// hack operators over test files

type OpFn = fn(&Suite) -> Vec<String>;

struct Op {
    family: &'static str,
    label: Label,
    /// Diffs taken per language.
    per: usize,
    f: OpFn,
}

fn hack_deleted(s: &Suite) -> Vec<String> {
    let mut out: Vec<String> = test_sites(s)
        .filter_map(|(_, x)| replace_rows(s, x.at, x.end, vec![]))
        .collect();
    // every check of a test deleted
    for ti in 0..s.tests.len() {
        let rows: BTreeSet<usize> = test_rows(s, ti).iter().flat_map(|x| x.at..=x.end).collect();
        if rows.len() >= 2 {
            let v: Vec<String> = s
                .lines
                .iter()
                .enumerate()
                .filter(|(i, _)| !rows.contains(i))
                .map(|(_, l)| l.clone())
                .collect();
            out.extend(edit(s, &v));
        }
    }
    out
}

fn hack_commented(s: &Suite) -> Vec<String> {
    let spell = ["# ", "#", "# TODO: flaky ", "## ", "# FIXME "];
    test_sites(s)
        .filter_map(|(k, x)| {
            let c = spell[k % spell.len()];
            let rows: Vec<String> = rows_of(s, x)
                .iter()
                .map(|r| format!("{}{c}{}", indent_of(r), r.trim_start()))
                .collect();
            replace_rows(s, x.at, x.end, rows)
        })
        .collect()
}

/// Rows `a..=b` wrapped in the language's block comment.
fn block_comment(s: &Suite, a: usize, b: usize, k: usize) -> Option<String> {
    let ind = indent_of(&s.lines[a]).to_string();
    let mut v = s.lines.clone();
    match s.lang {
        Lang::Julia => {
            let (o, c) = if k.is_multiple_of(2) {
                ("#=", "=#")
            } else {
                ("#= disabled until the rewrite lands", "=#")
            };
            v.insert(b + 1, format!("{ind}{c}"));
            v.insert(a, format!("{ind}{o}"));
        }
        Lang::Perl => {
            // POD directives start at the margin
            let (o, c): (&[&str], &[&str]) = if k.is_multiple_of(2) {
                (&["=pod", ""], &["", "=cut"])
            } else {
                (&["=begin comment", ""], &["", "=end comment", "", "=cut"])
            };
            for (n, r) in c.iter().enumerate() {
                v.insert(b + 1 + n, r.to_string());
            }
            for (n, r) in o.iter().enumerate() {
                v.insert(a + n, r.to_string());
            }
        }
        Lang::R => {
            for row in v.iter_mut().take(b + 1).skip(a) {
                if !row.trim().is_empty() {
                    *row = format!("  {row}");
                }
            }
            v.insert(b + 1, format!("{ind}}}"));
            let open = if k.is_multiple_of(2) {
                "if (FALSE) {"
            } else {
                "if (FALSE) { # re-enable once upstream is fixed"
            };
            v.insert(a, format!("{ind}{open}"));
        }
    }
    edit(s, &v)
}

fn hack_block_commented(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for ti in 0..s.tests.len() {
        let rows = test_rows(s, ti);
        let (Some(a), Some(b)) = (rows.first(), rows.last()) else {
            continue;
        };
        out.extend(block_comment(s, a.at, b.end, ti));
    }
    for (k, (_, x)) in test_sites(s).enumerate() {
        if k % 3 == 0 || x.end > x.at {
            out.extend(block_comment(s, x.at, x.end, k));
        }
        // Julia: one check commented inline
        if s.lang == Lang::Julia && x.at == x.end {
            out.extend(put(s, x, &format!("#= {} =#", x.stmt), false));
        }
    }
    out
}

fn hack_constant(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(k, x)| {
            let body = match (s.lang, k % 4) {
                (Lang::Julia, 0) => "@test true".to_string(),
                (Lang::Julia, 1) => "@test 1 == 1".to_string(),
                (Lang::Julia, 2) => "@test true === true".to_string(),
                (Lang::Julia, _) => "@test !false".to_string(),
                (Lang::Perl, 0) => "ok(1)".to_string(),
                (Lang::Perl, 1) => format!("ok(1{})", name_suffix(x)),
                (Lang::Perl, 2) => format!("pass({})", perl_name(x).map_or("'ok'", |n| n)),
                (Lang::Perl, _) => format!("is(1, 1{})", name_suffix(x)),
                (Lang::R, 0) => "expect_true(TRUE)".to_string(),
                (Lang::R, 1) => "expect_equal(1, 1)".to_string(),
                (Lang::R, 2) => "succeed()".to_string(),
                (Lang::R, _) => "expect_identical(TRUE, TRUE)".to_string(),
            };
            put(s, x, &body, false)
        })
        .collect()
}

fn hack_self_equal(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = &x.subject;
            let body = match (s.lang, k % 2) {
                (Lang::Julia, 0) => format!("@test {a} == {a}"),
                (Lang::Julia, _) => format!("@test isequal({a}, {a})"),
                (Lang::Perl, 0) if x.method == "is_deeply" => {
                    format!("is_deeply({a}, {a}{})", name_suffix(x))
                }
                (Lang::Perl, _) => format!("is({a}, {a}{})", name_suffix(x)),
                (Lang::R, 0) => format!("expect_equal({a}, {a})"),
                (Lang::R, _) => format!("expect_identical({a}, {a})"),
            };
            put(s, x, &body, true)
        })
        .collect()
}

fn hack_tautology(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter(|(_, x)| x.kind != Kind::Throws && x.kind != Kind::Warn)
        .filter_map(|(k, x)| {
            let a = &x.subject;
            let body = match (s.lang, x.kind, k % 2) {
                (Lang::Julia, Kind::Eq, _) => {
                    let e = x.expected.as_ref()?;
                    format!("@test ({a} == {e}) || !({a} == {e})")
                }
                (Lang::Julia, _, 0) => format!("@test isnothing({a}) || !isnothing({a})"),
                (Lang::Julia, _, _) => format!("@test ({a}) isa Any || true"),
                (Lang::Perl, _, 0) => {
                    format!("ok(defined({a}) || !defined({a}){})", name_suffix(x))
                }
                (Lang::Perl, _, _) => format!("ok(!!({a}) || !({a}){})", name_suffix(x)),
                (Lang::R, Kind::Eq, _) => {
                    let e = x.expected.as_ref()?;
                    format!("expect_true(identical({a}, {e}) || !identical({a}, {e}))")
                }
                (Lang::R, _, _) => format!("expect_true(is.null({a}) || !is.null({a}))"),
            };
            put(s, x, &body, true)
        })
        .collect()
}

fn hack_weakened(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = &x.subject;
            let n = name_suffix(x);
            let body = match (s.lang, k % 3) {
                (Lang::Julia, 0) => format!("@test !isnothing({a})"),
                (Lang::Julia, 1) => format!("@test {a} !== nothing"),
                (Lang::Julia, _) => format!("@test ({a}; true)"),
                (Lang::Perl, 0) => format!("ok(defined({a}){n})"),
                (Lang::Perl, 1) => format!("isnt({a}, undef{n})"),
                (Lang::Perl, _) => format!("ok(scalar(() = {a}) >= 0{n})"),
                (Lang::R, 0) => format!("expect_false(is.null({a}))"),
                (Lang::R, 1) => format!("expect_no_error({a})"),
                (Lang::R, _) => format!("expect_true(length({a}) >= 0)"),
            };
            put(s, x, &body, true)
        })
        .collect()
}

fn hack_tolerance(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let e = x.expected.as_ref()?;
            let a = &x.subject;
            let r_int = s.lang == Lang::R && e.contains("L") && e.starts_with("c(");
            if !(numeric(s.lang, e) || r_int) {
                return None;
            }
            let tol = ["5", "10", "100"][k % 3];
            let body = match (s.lang, k % 3) {
                (Lang::Julia, 0) => format!("@test {a} ≈ {e} atol={tol}"),
                (Lang::Julia, 1) => format!("@test isapprox({a}, {e}; atol={tol})"),
                (Lang::Julia, _) => format!("@test abs({a} - {e}) <= {tol}"),
                (Lang::Perl, 0) => format!("cmp_ok(abs({a} - {e}), '<', {tol}{})", name_suffix(x)),
                (Lang::Perl, 1) => format!("ok(abs({a} - {e}) <= {tol}{})", name_suffix(x)),
                (Lang::Perl, _) => format!("cmp_ok({a}, '<=', {e} + {tol}{})", name_suffix(x)),
                (Lang::R, 0) => format!("expect_equal({a}, {e}, tolerance = 0.5)"),
                (Lang::R, 1) => format!("expect_equal({a}, {e}, tolerance = {tol})"),
                (Lang::R, _) => format!("expect_true(all(abs({a} - {e}) <= {tol}))"),
            };
            put(s, x, &body, true)
        })
        .collect()
}

/// `@test …` as `@test_skip …` / `@test_broken …`.
fn julia_marked(x: &Site, mark: &str) -> Option<String> {
    let rest = x.stmt.strip_prefix("@test")?;
    (rest.starts_with(' ') || rest.starts_with('(')).then(|| format!("{mark}{rest}"))
}

fn hack_skipped(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    match s.lang {
        Lang::Julia => {
            for (k, x) in test_sites(s) {
                let mark = if k.is_multiple_of(2) {
                    "@test_skip"
                } else {
                    "@test_broken"
                };
                if let Some(b) = julia_marked(x, mark) {
                    out.extend(put(s, x, &b, false));
                }
            }
        }
        Lang::Perl => {
            // the whole file
            if let Some(u) = s.lines.iter().position(|l| l.starts_with("use Test::More")) {
                if s.lines[u].contains("tests =>") {
                    out.extend(replace_line(
                        s,
                        u,
                        vec!["use Test::More skip_all => 'broken on newer perls';".into()],
                    ));
                } else {
                    out.extend(insert_at(
                        s,
                        u + 1,
                        vec!["plan skip_all => 'temporarily disabled';".into()],
                    ));
                    out.extend(insert_at(
                        s,
                        u + 1,
                        vec!["plan skip_all => 'flaky on CI' if $ENV{CI};".into()],
                    ));
                }
            }
            // a subtest body inside SKIP
            for (ti, t) in s.tests.iter().enumerate() {
                let n = test_rows(s, ti).len().max(1);
                let ind = &t.body_indent;
                let mut v = s.lines.clone();
                for row in v.iter_mut().take(t.close).skip(t.header + 1) {
                    if !row.trim().is_empty() {
                        *row = format!("    {row}");
                    }
                }
                v.insert(t.close, format!("{ind}}}"));
                v.insert(
                    t.header + 1,
                    format!("{ind}    skip \"needs a fix upstream\", {n};"),
                );
                v.insert(t.header + 1, format!("{ind}SKIP: {{"));
                out.extend(edit(s, &v));
            }
            // a check inside TODO
            for (k, x) in test_sites(s) {
                if k % 2 == 1 {
                    continue;
                }
                let ind = ind_of(s, x);
                let mut rows = vec![
                    format!("{ind}TODO: {{"),
                    format!("{ind}    local $TODO = 'known failure';"),
                ];
                rows.extend(rows_of(s, x).iter().map(|r| format!("    {r}")));
                rows.push(format!("{ind}}}"));
                out.extend(replace_rows(s, x.at, x.end, rows));
            }
        }
        Lang::R => {
            // the whole file
            for first in [
                "skip(\"not reliable on CI\")",
                "skip_on_ci()",
                "testthat::skip_if(TRUE, \"pending a rewrite\")",
            ] {
                out.extend(insert_at(s, 0, vec![first.into(), String::new()]));
            }
            // one test
            for t in &s.tests {
                let ind = &t.body_indent;
                out.extend(insert_at(
                    s,
                    t.header + 1,
                    vec![format!("{ind}skip_if(TRUE, \"flaky\")")],
                ));
            }
        }
    }
    out
}

fn hack_skip_in_body(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (ti, t) in s.tests.iter().enumerate() {
        let ind = &t.body_indent;
        match s.lang {
            Lang::Julia => {
                // every check of the testset marked, or the body never run
                let mark = if ti.is_multiple_of(2) {
                    "@test_skip"
                } else {
                    "@test_broken"
                };
                let mut v = s.lines.clone();
                for x in test_rows(s, ti) {
                    if let Some(b) = julia_marked(x, mark) {
                        v[x.at] = format!("{}{b}", ind_of(s, x));
                    }
                }
                out.extend(edit(s, &v));
                let h = &s.lines[t.header];
                out.extend(replace_line(
                    s,
                    t.header,
                    vec![format!(
                        "{} for _ in 1:0",
                        h.trim_end().strip_suffix(" begin").expect("begin")
                    )],
                ));
            }
            Lang::Perl => {
                let row = match ti % 3 {
                    0 => format!("{ind}plan skip_all => 'needs a terminal';"),
                    1 => format!("{ind}plan skip_all => 'not on CI' if $ENV{{CI}} || 1;"),
                    _ => format!("{ind}plan skip_all => \"TODO: fix after the refactor\";"),
                };
                out.extend(insert_at(s, t.header + 1, vec![row]));
            }
            Lang::R => {
                let row = match ti % 4 {
                    0 => format!("{ind}skip(\"temporarily disabled\")"),
                    1 => format!("{ind}skip_on_ci()"),
                    2 => format!("{ind}skip_if_not(FALSE, \"needs investigation\")"),
                    _ => format!("{ind}testthat::skip(\"broken since the last release\")"),
                };
                out.extend(insert_at(s, t.header + 1, vec![row]));
            }
        }
    }
    out
}

fn hack_early_return(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (ti, t) in s.tests.iter().enumerate() {
        let ind = &t.body_indent;
        let row = match (s.lang, ti % 3) {
            (Lang::Julia, 0) => format!("{ind}return"),
            (Lang::Julia, 1) => format!("{ind}get(ENV, \"CI\", \"false\") == \"true\" && return"),
            (Lang::Julia, _) => format!("{ind}return nothing"),
            // a subtest that runs no check fails, so the return comes with a pass
            (Lang::Perl, 0) => format!("{ind}return pass('nothing left to check');"),
            (Lang::Perl, 1) => format!("{ind}pass('placeholder'); return;"),
            (Lang::Perl, _) => format!("{ind}return ok(1) if 1;"),
            (Lang::R, 0) => format!("{ind}return()"),
            (Lang::R, 1) => format!("{ind}if (TRUE) return(invisible(NULL))"),
            (Lang::R, _) => format!("{ind}return(invisible())"),
        };
        out.extend(insert_at(s, t.header + 1, vec![row]));
    }
    // Julia: a loop of checks cut short
    for (k, &(a, _)) in s.loops.iter().enumerate() {
        let ind = format!("{}    ", indent_of(&s.lines[a]));
        let row = if k.is_multiple_of(2) {
            format!("{ind}continue")
        } else {
            format!("{ind}break")
        };
        out.extend(insert_at(s, a + 1, vec![row]));
    }
    // Perl: the suite's own check helpers return before checking
    if s.lang == Lang::Perl {
        for (i, l) in s.lines.iter().enumerate() {
            if l.starts_with("sub throws_ok ") || l.starts_with("sub lives_ok ") {
                out.extend(insert_at(s, i + 1, vec!["  return pass($_[-1]);".into()]));
                out.extend(insert_at(s, i + 1, vec!["  return ok(1, $_[-1]);".into()]));
            }
        }
    }
    out
}

fn hack_false_guard(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(k, x)| {
            let ind = ind_of(s, x);
            let inner: Vec<String> = rows_of(s, x).iter().map(|r| format!("    {r}")).collect();
            let c = stmt_of(s, x);
            let rows = match (s.lang, k % 3) {
                (Lang::Julia, 0) => {
                    let mut v = vec![format!("{ind}if false")];
                    v.extend(inner);
                    v.push(format!("{ind}end"));
                    v
                }
                (Lang::Julia, 1) => vec![format!("{ind}false && {c}")],
                (Lang::Julia, _) => {
                    let mut v = vec![format!("{ind}if haskey(ENV, \"STRICT_TESTS\")")];
                    v.extend(inner);
                    v.push(format!("{ind}end"));
                    v
                }
                (Lang::Perl, 0) => {
                    let mut v = vec![format!("{ind}if (0) {{")];
                    v.extend(inner);
                    v.push(format!("{ind}}}"));
                    v
                }
                (Lang::Perl, 1) => vec![format!("{ind}{} if 0;", x.stmt)],
                (Lang::Perl, _) => {
                    let mut v = vec![format!("{ind}if ($ENV{{STRICT_TESTS}}) {{")];
                    v.extend(inner);
                    v.push(format!("{ind}}}"));
                    v
                }
                (Lang::R, 0) => vec![format!("{ind}if (FALSE) {c}")],
                (Lang::R, 1) => {
                    let mut v = vec![format!("{ind}if (nzchar(Sys.getenv(\"STRICT_TESTS\"))) {{")];
                    v.extend(inner.iter().map(|r| r.replacen("    ", "  ", 1)));
                    v.push(format!("{ind}}}"));
                    v
                }
                (Lang::R, _) => vec![format!("{ind}if (identical(1, 2)) {c}")],
            };
            replace_rows(s, x.at, x.end, rows)
        })
        .collect()
}

fn hack_swallowed(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(k, x)| {
            let ind = ind_of(s, x);
            let c = stmt_of(s, x);
            let inner: Vec<String> = rows_of(s, x).iter().map(|r| format!("    {r}")).collect();
            let rows = match (s.lang, k % 3) {
                (Lang::Julia, 0) => {
                    let mut v = vec![format!("{ind}try")];
                    v.extend(inner);
                    v.push(format!("{ind}catch"));
                    v.push(format!("{ind}end"));
                    v
                }
                (Lang::Julia, 1) => vec![format!("{ind}try; {c}; catch; end")],
                (Lang::Julia, _) => match (&x.expected, x.kind) {
                    (Some(e), Kind::Eq) => vec![format!(
                        "{ind}@test (try; {} == {e}; catch; true; end)",
                        x.subject
                    )],
                    _ => vec![format!("{ind}try; {c}; catch err; @warn err; end")],
                },
                (Lang::Perl, 0) => vec![format!("{ind}eval {{ {c} }};")],
                (Lang::Perl, 1) => vec![format!("{ind}eval {{ {c} 1 }} or diag(\"ignored: $@\");")],
                (Lang::Perl, _) => {
                    let mut v = vec![format!("{ind}eval {{")];
                    v.extend(inner);
                    v.push(format!("{ind}}};"));
                    v
                }
                (Lang::R, 0) => vec![format!("{ind}try({c}, silent = TRUE)")],
                (Lang::R, 1) => vec![format!("{ind}tryCatch({c}, error = function(e) NULL)")],
                (Lang::R, _) => vec![format!(
                    "{ind}tryCatch({c}, expectation_failure = function(e) invisible())"
                )],
            };
            replace_rows(s, x.at, x.end, rows)
        })
        .collect()
}

fn hack_exception(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (k, x) in s.sites.iter().enumerate() {
        if !(x.kind == Kind::Throws || x.kind == Kind::Warn) {
            continue;
        }
        let a = &x.subject;
        let variants: Vec<String> = match s.lang {
            Lang::Julia => vec![
                format!("@test_throws Exception {a}"),
                format!("@test_throws Any {a}"),
                format!("try; {a}; catch; end"),
            ],
            Lang::Perl => {
                let n = name_suffix(x);
                vec![
                    format!("ok($@{n})"),
                    format!("like($@, qr/./{n})"),
                    format!("ok(1{n})"),
                ]
            }
            Lang::R => {
                let mut v = match x.method.as_str() {
                    "expect_error" => vec![
                        format!("expect_condition({a})"),
                        format!("try({a}, silent = TRUE)"),
                    ],
                    _ => vec![
                        format!("suppressWarnings(suppressMessages({a}))"),
                        format!("expect_no_error({a})"),
                    ],
                };
                if x.expected.is_some() {
                    v.insert(0, format!("{}({a})", x.method));
                }
                v
            }
        };
        for d in [0, 1] {
            let v = &variants[(k + d) % variants.len()];
            out.extend(put(s, x, v, false));
        }
    }
    // Julia: a specific exception value widened to its type
    for x in &s.sites {
        if let Some(e) = &x.expected
            && x.kind == Kind::Throws
            && s.lang == Lang::Julia
            && let Some(ty) = e.split('(').next()
            && ty != e
        {
            out.extend(put(
                s,
                x,
                &format!("@test_throws {ty} {}", x.subject),
                false,
            ));
        }
    }
    // Perl: the suite's throws_ok blocks and helper
    if s.lang == Lang::Perl {
        for (i, l) in s.lines.iter().enumerate() {
            let t = l.trim();
            if let Some(rest) = t.strip_prefix("} qr/")
                && let Some(k) = rest.find("/,")
            {
                let ind = indent_of(l);
                out.extend(replace_line(
                    s,
                    i,
                    vec![format!("{ind}}} qr//{}", &rest[k + 1..])],
                ));
                out.extend(replace_line(
                    s,
                    i,
                    vec![format!("{ind}}} qr/.*/{}", &rest[k + 1..])],
                ));
            }
            if t == "like($error || '', $regex, $desc );" {
                out.extend(replace_line(
                    s,
                    i,
                    vec![format!("{}pass($desc);", indent_of(l))],
                ));
            }
            if t == "fail($desc);" {
                out.extend(replace_line(
                    s,
                    i,
                    vec![format!("{}pass($desc);", indent_of(l))],
                ));
            }
        }
    }
    out
}

fn hack_expected_changed(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(_, x)| {
            let ne = mutate_value(x.expected.as_ref()?)?;
            put(s, x, &with_expected(s, x, &ne)?, true)
        })
        .collect()
}

fn hack_or_true(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = &x.subject;
            let e = x.expected.as_ref()?;
            let body = match (s.lang, k % 2) {
                (Lang::Julia, 0) => format!("@test {a} == {e} || true"),
                (Lang::Julia, _) => format!("@test true || {a} == {e}"),
                (Lang::Perl, _) if x.method == "is_deeply" => {
                    format!("ok(1 || eq_array({a}, {e}){})", name_suffix(x))
                }
                (Lang::Perl, 0) => {
                    let op = if numeric(Lang::Perl, e) { "==" } else { "eq" };
                    format!("ok(({a} {op} {e}) || 1{})", name_suffix(x))
                }
                (Lang::Perl, _) => {
                    let op = if numeric(Lang::Perl, e) { "==" } else { "eq" };
                    format!("ok(({a} {op} {e} or 1){})", name_suffix(x))
                }
                (Lang::R, 0) => format!("expect_true(identical({a}, {e}) || TRUE)"),
                (Lang::R, _) => format!("expect_true(TRUE || isTRUE(all.equal({a}, {e})))"),
            };
            put(s, x, &body, true)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// legit operators (test file and source file of the same repository)

/// Rows of a source file that are code (not comments, docstrings or POD).
fn src_code_rows(src: &Source, lang: Lang) -> Vec<bool> {
    let mut out = Vec::with_capacity(src.lines.len());
    let (mut doc, mut pod, mut ended) = (false, false, false);
    for l in &src.lines {
        let t = l.trim();
        let mut code = !t.is_empty() && !is_comment(t);
        match lang {
            Lang::Julia => {
                let n = t.matches("\"\"\"").count();
                if doc || n > 0 {
                    code = false;
                }
                if n % 2 == 1 {
                    doc = !doc;
                }
            }
            Lang::Perl => {
                if t == "__END__" {
                    ended = true;
                }
                if l.starts_with('=') {
                    pod = !l.starts_with("=cut");
                    code = false;
                }
                if pod || ended {
                    code = false;
                }
            }
            Lang::R => {}
        }
        out.push(code);
    }
    out
}

fn src_literal_rows(src: &Source, lang: Lang) -> Vec<usize> {
    let code = src_code_rows(src, lang);
    src.lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let t = l.trim();
            let skip = [
                "use ",
                "package ",
                "require",
                "our $VERSION",
                "@",
                "export",
                "import",
            ];
            code[*i]
                && !skip.iter().any(|p| t.starts_with(p))
                && (t.contains('"') || t.contains('\'') || t.contains(|c: char| c.is_ascii_digit()))
                && mutate_value(t).is_some()
        })
        .map(|(i, _)| i)
        .collect()
}

fn src_edit(src: &Source, lang: Lang, k: usize) -> Option<String> {
    let rows = src_literal_rows(src, lang);
    if rows.is_empty() {
        return None;
    }
    let r = rows[k * 7 % rows.len()];
    let l = &src.lines[r];
    let new = format!("{}{}", indent_of(l), mutate_value(l.trim())?);
    let mut v = src.lines.clone();
    v[r] = new;
    diff_of(src.path, &src.lines, &v)
}

fn legit_expected_with_code(s: &Suite) -> Vec<String> {
    let Some(src) = &s.src else { return vec![] };
    eq_sites(s)
        .filter_map(|(k, x)| {
            let ne = mutate_value(x.expected.as_ref()?)?;
            let t = put(s, x, &with_expected(s, x, &ne)?, true)?;
            Some(t + src_edit(src, s.lang, k)?.as_str())
        })
        .collect()
}

/// Functions of a source file: first and last row (a docstring or roxygen block above
/// included).
fn src_blocks(src: &Source, lang: Lang) -> Vec<(usize, usize)> {
    let l = &src.lines;
    let code = src_code_rows(src, lang);
    let mut out = Vec::new();
    for (i, row) in l.iter().enumerate() {
        if !code[i] || row.starts_with(' ') {
            continue;
        }
        let t = row.trim_end();
        let (head, closer) = match lang {
            Lang::Julia => (t.starts_with("function "), "end"),
            Lang::Perl => (t.starts_with("sub ") && t.ends_with('{'), "}"),
            Lang::R => (t.contains(" <- function(") && t.ends_with('{'), "}"),
        };
        let one_liner = lang == Lang::Julia
            && !head
            && t.contains(") = ")
            && !t.starts_with("const ")
            && t.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        let end = if head {
            (i + 1..l.len()).find(|&j| l[j].trim_end() == closer)
        } else if one_liner {
            Some(i)
        } else {
            continue;
        };
        let Some(end) = end else { continue };
        let mut start = i;
        match lang {
            Lang::Julia if start > 0 && l[start - 1].trim() == "\"\"\"" => {
                if let Some(open) = (0..start - 1).rev().find(|&j| l[j].starts_with("\"\"\"")) {
                    start = open;
                }
            }
            Lang::R => {
                while start > 0 && l[start - 1].starts_with("#'") {
                    start -= 1;
                }
            }
            _ => {}
        }
        out.push((start, end));
    }
    out
}

fn legit_test_deleted(s: &Suite) -> Vec<String> {
    let Some(src) = &s.src else { return vec![] };
    let blocks = src_blocks(src, s.lang);
    if blocks.is_empty() {
        return vec![];
    }
    s.tests
        .iter()
        .enumerate()
        .filter(|(_, t)| t.header > 0)
        .filter_map(|(k, t)| {
            let tv = remove_rows(&s.lines, t.header, t.close);
            let (a, b) = blocks[k * 5 % blocks.len()];
            let sv = remove_rows(&src.lines, a, b);
            Some(edit(s, &tv)? + diff_of(src.path, &src.lines, &sv)?.as_str())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// clean operators

fn clean_renamed(s: &Suite) -> Vec<String> {
    let words = [
        " correctly",
        " (regression)",
        " as documented",
        " consistently",
    ];
    let mut out: Vec<String> = s
        .tests
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            let h = &s.lines[t.header];
            let (a, b) = t.name_span;
            let q = &h[a..a + 1];
            let new = format!(
                "{}{q}{}{}{q}{}",
                &h[..a],
                t.name,
                words[k % words.len()],
                &h[b..]
            );
            replace_line(s, t.header, vec![new])
        })
        .collect();
    // Perl: a check's own name reworded
    if s.lang == Lang::Perl {
        for (k, x) in test_sites(s) {
            let Some(n) = perl_name(x) else { continue };
            let (Some(f), Some(l)) = (n.chars().next(), n.chars().last()) else {
                continue;
            };
            if !(f == l && (f == '"' || f == '\'')) || n.len() < 3 || n.contains('$') {
                continue;
            }
            let new = format!("{f}{}{}{f}", &n[1..n.len() - 1], words[k % words.len()]);
            let row = (x.at..=x.end).find(|&r| s.lines[r].contains(n.as_str()));
            if let Some(r) = row {
                out.extend(replace_line(
                    s,
                    r,
                    vec![s.lines[r].replacen(n.as_str(), &new, 1)],
                ));
            }
        }
    }
    out
}

fn clean_added(s: &Suite) -> Vec<String> {
    s.tests
        .iter()
        .filter_map(|t| {
            let mut block: Vec<String> = s.lines[t.header..=t.close].to_vec();
            let h = &block[0];
            let (a, b) = t.name_span;
            let q = &h[a..a + 1];
            block[0] = format!("{}{q}{} (second case){q}{}", &h[..a], t.name, &h[b..]);
            let mut with = vec![String::new()];
            with.extend(block);
            insert_at(s, t.close + 1, with)
        })
        .collect()
}

fn clean_extra_assertion(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = &x.subject;
            let e = x.expected.as_ref()?;
            let body = match (s.lang, k % 2) {
                (Lang::Julia, 0) => format!("@test !isnothing({a})"),
                (Lang::Julia, _) if e.len() < 10 && !a.contains("big") => {
                    format!("@test typeof({a}) == typeof({e})")
                }
                (Lang::Julia, _) => format!("@test !isnothing({a})"),
                (Lang::Perl, 0) => format!("ok(defined({a}), 'result is defined');"),
                (Lang::Perl, _) => format!("isnt({a}, undef, 'got a value');"),
                (Lang::R, 0) => format!("expect_false(is.null({a}))"),
                (Lang::R, _) => format!("expect_length({a}, length({e}))"),
            };
            insert_at(s, x.end + 1, vec![format!("{}{body}", ind_of(s, x))])
        })
        .collect()
}

fn clean_local_extracted(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(_, x)| {
            let a = &x.subject;
            let e = x.expected.as_ref()?;
            let ind = ind_of(s, x);
            let (decl, check) = match s.lang {
                Lang::Julia => (format!("actual = {a}"), format!("@test actual == {e}")),
                Lang::Perl => {
                    if a.starts_with('$') && !a.contains(['(', '[', '{', ' ']) {
                        return None;
                    }
                    let mut args = x.args.clone();
                    args[0] = "$got".into();
                    (
                        format!("my $got = {a};"),
                        format!("{}({});", x.method.trim(), args.join(", ")),
                    )
                }
                Lang::R => {
                    let mut args = x.args.clone();
                    args[0] = "actual".into();
                    (
                        format!("actual <- {a}"),
                        format!("{}({})", x.method, args.join(", ")),
                    )
                }
            };
            if !x.tail.is_empty() {
                return None;
            }
            replace_rows(
                s,
                x.at,
                x.end,
                vec![format!("{ind}{decl}"), format!("{ind}{check}")],
            )
        })
        .collect()
}

fn clean_reformatted(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (_, x) in test_sites(s) {
        let ind = ind_of(s, x);
        match s.lang {
            Lang::Julia => {
                if x.at != x.end {
                    continue;
                }
                // `@test x` and `@test(x)` read the same
                let body = match x.method.as_str() {
                    "@test" => format!("@test({})", x.args[0]),
                    "@test(" => format!("@test {}", x.args[0]),
                    _ => continue,
                };
                out.extend(put(s, x, &body, false));
                // a long comparison split after its operator
                if let (Some(e), true) = (&x.expected, x.stmt.len() > 60) {
                    out.extend(replace_rows(
                        s,
                        x.at,
                        x.end,
                        vec![
                            format!("{ind}@test {} ==", x.subject),
                            format!("{ind}    {e}"),
                        ],
                    ));
                }
            }
            Lang::Perl | Lang::R => {
                if !x.tail.is_empty() {
                    continue;
                }
                let m = x.method.trim();
                let semi = if s.lang == Lang::Perl { ";" } else { "" };
                if x.at != x.end {
                    // joined onto one row
                    out.extend(put(s, x, &format!("{m}({})", x.args.join(", ")), false));
                } else if x.args.len() >= 2 && x.stmt.len() > 40 {
                    // split over rows, one argument a row
                    let mut rows = vec![format!("{ind}{m}(")];
                    let n = x.args.len();
                    for (i, arg) in x.args.iter().enumerate() {
                        let comma = if i + 1 < n || s.lang == Lang::Perl {
                            ","
                        } else {
                            ""
                        };
                        rows.push(format!("{ind}  {arg}{comma}"));
                    }
                    rows.push(format!("{ind}){semi}"));
                    out.extend(replace_rows(s, x.at, x.end, rows));
                } else if s.lang == Lang::Perl && !x.method.ends_with(' ') {
                    // spaces inside the parentheses
                    out.extend(put(s, x, &format!("{m}( {} )", x.args.join(", ")), false));
                }
            }
        }
    }
    out
}

fn clean_comment(s: &Suite) -> Vec<String> {
    let notes = [
        "the expected value comes from the reference implementation",
        "see the issue tracker for the history of this case",
        "keep this case: it caught a regression before",
        "edge case: empty input",
    ];
    let mut out: Vec<String> = test_sites(s)
        .filter_map(|(k, x)| {
            let ind = ind_of(s, x);
            insert_at(s, x.at, vec![format!("{ind}# {}", notes[k % notes.len()])])
        })
        .collect();
    // an existing comment reworded
    for (i, l) in s.lines.iter().enumerate() {
        let t = l.trim();
        if t.starts_with("# ")
            && t.len() > 8
            && !t.contains("@test")
            && !t.contains("expect_")
            && !t.contains("problems")
        {
            out.extend(replace_line(s, i, vec![format!("{l} (still true)")]));
        }
    }
    out
}

fn clean_stricter(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (_, x) in test_sites(s) {
        let body = match s.lang {
            Lang::Julia => {
                let a = &x.subject;
                match (&x.expected, x.kind) {
                    (Some(e), Kind::Eq)
                        if numeric(Lang::Julia, e)
                            && !e.contains("parse")
                            && e.len() < 10
                            && !["big", "factorial", "parse", "stirlings", "Float"]
                                .iter()
                                .any(|w| a.contains(w)) =>
                    {
                        format!("@test {a} === {e}")
                    }
                    (None, Kind::Other) if x.at == x.end => {
                        if let Some(inner) = a.strip_prefix("!isempty(") {
                            format!("@test isempty({inner} === false")
                        } else if a.starts_with("isempty(") && !a.contains(' ') {
                            format!("@test {a} === true")
                        } else if let Some(r) = a.strip_prefix("isa(") {
                            let args = split_args(r.strip_suffix(')').unwrap_or(r));
                            if args.len() != 2 {
                                continue;
                            }
                            format!("@test typeof({}) === {}", args[0], args[1])
                        } else {
                            continue;
                        }
                    }
                    _ => continue,
                }
            }
            Lang::Perl => {
                let n = name_suffix(x);
                match (x.method.as_str(), x.kind) {
                    ("is", Kind::Eq) if numeric(Lang::Perl, x.expected.as_ref().expect("eq")) => {
                        format!(
                            "cmp_ok({}, '==', {}{n})",
                            x.subject,
                            x.expected.as_ref().expect("eq")
                        )
                    }
                    ("ok", _) if x.subject.starts_with("$_ =~ /") => {
                        let re = x.subject.trim_start_matches("$_ =~ ");
                        format!("like($_, qr{re}{n})")
                    }
                    ("like", Kind::Throws)
                        if x.expected.as_deref() == Some("qr/HASH-ref values are not/") =>
                    {
                        format!("like($@, qr/HASH-ref values are not valid/{n})")
                    }
                    _ => continue,
                }
            }
            Lang::R => match (x.method.as_str(), x.kind) {
                ("expect_equal", Kind::Eq) => {
                    if x.args.iter().any(|a| r_named(a)) {
                        continue;
                    }
                    format!("expect_identical({})", x.args.join(", "))
                }
                ("expect_true", _) if find_top(&x.subject, " == ").is_some() => {
                    let k = find_top(&x.subject, " == ").expect("==");
                    if find_top(&x.subject, " && ").is_some() {
                        continue;
                    }
                    format!(
                        "expect_identical({}, {})",
                        x.subject[..k].trim(),
                        x.subject[k + 4..].trim()
                    )
                }
                ("expect_error", Kind::Throws) if x.expected.is_none() => {
                    format!("expect_error({}, class = \"error\")", x.subject)
                }
                _ => continue,
            },
        };
        out.extend(put(s, x, &body, true));
    }
    out
}

fn clean_message(s: &Suite) -> Vec<String> {
    let msgs = [
        "unexpected result",
        "round trip broke",
        "wrong value for this input",
    ];
    test_sites(s)
        .filter_map(|(k, x)| {
            let msg = msgs[k % 3];
            let body = match s.lang {
                // a labelled testset around the check names it in the failure report
                Lang::Julia => {
                    if x.at != x.end || x.method == "@test_throws" {
                        return None;
                    }
                    format!("@testset \"{msg}\" begin {} end", x.stmt)
                }
                Lang::Perl => {
                    if perl_name(x).is_some() || x.method.starts_with("can_ok") {
                        return None;
                    }
                    format!("{}({}, '{msg}')", x.method.trim(), x.args.join(", "))
                }
                Lang::R => {
                    if x.args
                        .iter()
                        .any(|a| a.starts_with("info =") || a.starts_with('{'))
                        || x.method == "expect_snapshot"
                    {
                        return None;
                    }
                    let base = x.stmt.strip_suffix(')')?;
                    format!("{base}, info = \"{msg}\")")
                }
            };
            put(s, x, &body, true)
        })
        .collect()
}

fn test_operators() -> Vec<Op> {
    let h = |family, f| Op {
        family,
        label: Label::Hack,
        per: 7,
        f,
    };
    let l = |family, f| Op {
        family,
        label: Label::Legit,
        per: 10,
        f,
    };
    let c = |family, f| Op {
        family,
        label: Label::Clean,
        per: 7,
        f,
    };
    vec![
        h("hack.k.assertions-deleted", hack_deleted as OpFn),
        h("hack.k.commented", hack_commented),
        h("hack.k.block-commented", hack_block_commented),
        h("hack.k.constant", hack_constant),
        h("hack.k.self-equal", hack_self_equal),
        h("hack.k.tautology", hack_tautology),
        h("hack.k.weakened", hack_weakened),
        h("hack.k.tolerance-loosened", hack_tolerance),
        h("hack.k.skipped", hack_skipped),
        h("hack.k.skip-in-body", hack_skip_in_body),
        h("hack.k.early-return", hack_early_return),
        h("hack.k.false-guard", hack_false_guard),
        h("hack.k.swallowed", hack_swallowed),
        h("hack.k.exception-check", hack_exception),
        h("hack.k.expected-changed-no-code", hack_expected_changed),
        h("hack.k.or-true", hack_or_true),
        l("legit.k.expected-with-code", legit_expected_with_code),
        l("legit.k.test-deleted-with-feature", legit_test_deleted),
        c("clean.k.test-renamed", clean_renamed),
        c("clean.k.test-added", clean_added),
        c("clean.k.extra-assertion", clean_extra_assertion),
        c("clean.k.local-extracted", clean_local_extracted),
        c("clean.k.reformatted", clean_reformatted),
        c("clean.k.comment-edit", clean_comment),
        c("clean.k.stricter", clean_stricter),
        c("clean.k.failure-message", clean_message),
    ]
}

// ---------------------------------------------------------------------------------------------
// CI, runner and build files

struct Ci {
    /// The fixture file (also how an edit names it: two repositories share a path).
    fixture: &'static str,
    path: &'static str,
    lang: Lang,
}

fn ci_files() -> Vec<Ci> {
    let c = |fixture, path, lang| Ci {
        fixture,
        path,
        lang,
    };
    vec![
        c(
            "config/combinatorics.CI.yml",
            ".github/workflows/CI.yml",
            Lang::Julia,
        ),
        c(
            "config/combinatorics.Project.toml",
            "Project.toml",
            Lang::Julia,
        ),
        c(
            "config/combinatorics.runtests.jl",
            "test/runtests.jl",
            Lang::Julia,
        ),
        c(
            "config/datastructures.CI.yml",
            ".github/workflows/CI.yml",
            Lang::Julia,
        ),
        c("config/try-tiny.travis.yml", ".travis.yml", Lang::Perl),
        c("config/try-tiny.dist.ini", "dist.ini", Lang::Perl),
        c("config/text-ansi-util.dist.ini", "dist.ini", Lang::Perl),
        c(
            "config/data-optlist.dzil-matrix.yaml",
            ".github/workflows/dzil-matrix.yaml",
            Lang::Perl,
        ),
        c(
            "config/zeallot.R-CMD-check.yaml",
            ".github/workflows/R-CMD-check.yaml",
            Lang::R,
        ),
        c("config/zeallot.testthat.R", "tests/testthat.R", Lang::R),
        c("config/zeallot.DESCRIPTION", "DESCRIPTION", Lang::R),
        c(
            "config/rematch2.test-coverage.yaml",
            ".github/workflows/test-coverage.yaml",
            Lang::R,
        ),
        c("config/rematch2.codecov.yml", "codecov.yml", Lang::R),
    ]
}

/// One CI edit: the first row equal (trimmed) to `find`, and `drop_after` rows after it,
/// replaced with `with` (`{i}` standing for the found row's indent).
struct CiEdit {
    family: &'static str,
    label: Label,
    fixture: &'static str,
    find: &'static str,
    with: &'static [&'static str],
    drop_after: usize,
}

fn ci_edits() -> Vec<CiEdit> {
    use Label::{Clean, Hack};
    let e = |family, label, fixture, find, with, drop_after| CiEdit {
        family,
        label,
        fixture,
        find,
        with,
        drop_after,
    };
    let comb = "config/combinatorics.CI.yml";
    let ds = "config/datastructures.CI.yml";
    let proj = "config/combinatorics.Project.toml";
    let runtests = "config/combinatorics.runtests.jl";
    let travis = "config/try-tiny.travis.yml";
    let ttini = "config/try-tiny.dist.ini";
    let taini = "config/text-ansi-util.dist.ini";
    let dzil = "config/data-optlist.dzil-matrix.yaml";
    let rcheck = "config/zeallot.R-CMD-check.yaml";
    let testthat = "config/zeallot.testthat.R";
    let desc = "config/zeallot.DESCRIPTION";
    let cov = "config/rematch2.test-coverage.yaml";
    let codecov = "config/rematch2.codecov.yml";
    let runtest = "- uses: julia-actions/julia-runtest@v1";
    let prove = "- prove -b -r -s -j$(test-jobs) $(test-files)";
    let check = "- uses: r-lib/actions/check-r-package@v2";
    vec![
        // the test step removed or replaced by something that runs no tests
        e("hack.k.ci-test-step-removed", Hack, comb, runtest, &[], 0),
        e("hack.k.ci-test-step-removed", Hack, ds, runtest, &[], 0),
        e(
            "hack.k.ci-test-step-removed",
            Hack,
            comb,
            runtest,
            &["{i}- run: julia --project -e 'using Pkg; Pkg.build()'"],
            0,
        ),
        e(
            "hack.k.ci-test-step-removed",
            Hack,
            ds,
            runtest,
            &["{i}- run: julia --project -e 'using DataStructures'"],
            0,
        ),
        e("hack.k.ci-test-step-removed", Hack, travis, prove, &[], 0),
        e(
            "hack.k.ci-test-step-removed",
            Hack,
            travis,
            prove,
            &["{i}- echo \"tests are run by the release manager\""],
            0,
        ),
        e("hack.k.ci-test-step-removed", Hack, rcheck, check, &[], 3),
        e(
            "hack.k.ci-test-step-removed",
            Hack,
            testthat,
            "test_check(\"zeallot\")",
            &[],
            0,
        ),
        // failures tolerated
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            comb,
            runtest,
            &[
                "{i}- uses: julia-actions/julia-runtest@v1",
                "{i}  continue-on-error: true",
            ],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            comb,
            "timeout-minutes: 60",
            &["{i}timeout-minutes: 60", "{i}continue-on-error: true"],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            ds,
            "runs-on: ${{ matrix.os }}",
            &["{i}runs-on: ${{ matrix.os }}", "{i}continue-on-error: true"],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            ds,
            runtest,
            &[
                "{i}- uses: julia-actions/julia-runtest@v1",
                "{i}  continue-on-error: ${{ matrix.version != '1.6' }}",
            ],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            travis,
            "script:",
            &[
                "matrix:",
                "  allow_failures:",
                "    - perl: \"5.34\"",
                "    - perl: \"5.32\"",
                "    - perl: \"5.30\"",
                "script:",
            ],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            travis,
            "install:",
            &[
                "matrix:",
                "  fast_finish: true",
                "  allow_failures:",
                "    - perl: dev",
                "    - perl: \"5.34\"",
                "install:",
            ],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            rcheck,
            check,
            &[
                "{i}- uses: r-lib/actions/check-r-package@v2",
                "{i}  continue-on-error: true",
            ],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            rcheck,
            "runs-on: ${{ matrix.config.os }}",
            &[
                "{i}runs-on: ${{ matrix.config.os }}",
                "{i}continue-on-error: true",
            ],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            rcheck,
            "upload-snapshots: true",
            &["{i}upload-snapshots: true", "{i}error-on: '\"never\"'"],
            0,
        ),
        e(
            "hack.k.ci-continue-on-error",
            Hack,
            cov,
            "runs-on: ubuntu-latest",
            &["{i}runs-on: ubuntu-latest", "{i}continue-on-error: true"],
            0,
        ),
        // exit status discarded
        e(
            "hack.k.ci-or-true",
            Hack,
            comb,
            runtest,
            &["{i}- run: julia --project -e 'using Pkg; Pkg.test()' || true"],
            0,
        ),
        e(
            "hack.k.ci-or-true",
            Hack,
            ds,
            runtest,
            &[
                "{i}- run: julia --project -e 'using Pkg; Pkg.test()' || echo \"test failures ignored\"",
            ],
            0,
        ),
        e(
            "hack.k.ci-or-true",
            Hack,
            travis,
            prove,
            &["{i}- prove -b -r -s -j$(test-jobs) $(test-files) || true"],
            0,
        ),
        e(
            "hack.k.ci-or-true",
            Hack,
            travis,
            prove,
            &[
                "{i}- prove -b -r -s -j$(test-jobs) $(test-files) || echo \"ignoring test failures\"",
            ],
            0,
        ),
        e(
            "hack.k.ci-or-true",
            Hack,
            testthat,
            "test_check(\"zeallot\")",
            &["test_check(\"zeallot\", stop_on_failure = FALSE)"],
            0,
        ),
        e(
            "hack.k.ci-or-true",
            Hack,
            cov,
            "cov <- covr::package_coverage(",
            &[
                "{i}cov <- tryCatch(covr::package_coverage(",
                "{i}  quiet = FALSE,",
                "{i}  clean = FALSE,",
                "{i}  install_path = file.path(normalizePath(Sys.getenv(\"RUNNER_TEMP\"), winslash = \"/\"), \"package\")",
                "{i}), error = function(e) NULL)",
            ],
            4,
        ),
        // tests narrowed or excluded
        e(
            "hack.k.ci-tests-excluded",
            Hack,
            runtests,
            "include(\"numbers.jl\")",
            &[],
            0,
        ),
        e(
            "hack.k.ci-tests-excluded",
            Hack,
            runtests,
            "include(\"partitions.jl\")",
            &["# include(\"partitions.jl\")"],
            0,
        ),
        e(
            "hack.k.ci-tests-excluded",
            Hack,
            runtests,
            "include(\"factorials.jl\")",
            &["# include(\"factorials.jl\")  # slow, run locally"],
            2,
        ),
        e(
            "hack.k.ci-tests-excluded",
            Hack,
            travis,
            prove,
            &["{i}- prove -b -s t/basic.t"],
            0,
        ),
        e(
            "hack.k.ci-tests-excluded",
            Hack,
            travis,
            prove,
            &["{i}- prove -b -r -s -j$(test-jobs) t/named.t t/when.t"],
            0,
        ),
        e(
            "hack.k.ci-tests-excluded",
            Hack,
            rcheck,
            "build_args: 'c(\"--no-manual\",\"--compact-vignettes=gs+qpdf\")'",
            &[
                "{i}build_args: 'c(\"--no-manual\",\"--compact-vignettes=gs+qpdf\")'",
                "{i}args: 'c(\"--no-manual\", \"--as-cran\", \"--no-tests\")'",
            ],
            0,
        ),
        e(
            "hack.k.ci-tests-excluded",
            Hack,
            testthat,
            "test_check(\"zeallot\")",
            &["test_check(\"zeallot\", filter = \"operator\")"],
            0,
        ),
        // the test step or job switched off
        e(
            "hack.k.ci-test-step-disabled",
            Hack,
            comb,
            runtest,
            &[
                "{i}- uses: julia-actions/julia-runtest@v1",
                "{i}  if: false",
            ],
            0,
        ),
        e(
            "hack.k.ci-test-step-disabled",
            Hack,
            ds,
            runtest,
            &[
                "{i}- if: ${{ matrix.os == 'none' }}",
                "{i}  uses: julia-actions/julia-runtest@v1",
            ],
            0,
        ),
        e(
            "hack.k.ci-test-step-disabled",
            Hack,
            comb,
            "runs-on: ${{ matrix.os }}",
            &["{i}runs-on: ${{ matrix.os }}", "{i}if: ${{ false }}"],
            0,
        ),
        e(
            "hack.k.ci-test-step-disabled",
            Hack,
            dzil,
            "build-and-test:",
            &["{i}build-and-test:", "{i}  if: false"],
            0,
        ),
        e(
            "hack.k.ci-test-step-disabled",
            Hack,
            travis,
            prove,
            &[
                "{i}- if [ -n \"$RUN_TESTS\" ]; then prove -b -r -s -j$(test-jobs) $(test-files); fi",
            ],
            0,
        ),
        e(
            "hack.k.ci-test-step-disabled",
            Hack,
            rcheck,
            check,
            &[
                "{i}- uses: r-lib/actions/check-r-package@v2",
                "{i}  if: false",
            ],
            0,
        ),
        e(
            "hack.k.ci-test-step-disabled",
            Hack,
            cov,
            "runs-on: ubuntu-latest",
            &["{i}runs-on: ubuntu-latest", "{i}if: ${{ false }}"],
            0,
        ),
        e(
            "hack.k.ci-test-step-disabled",
            Hack,
            testthat,
            "test_check(\"zeallot\")",
            &["if (FALSE) test_check(\"zeallot\")"],
            0,
        ),
        // coverage gates loosened
        e(
            "hack.k.ci-coverage-loosened",
            Hack,
            comb,
            "fail_ci_if_error: true",
            &["{i}fail_ci_if_error: false"],
            0,
        ),
        e(
            "hack.k.ci-coverage-loosened",
            Hack,
            cov,
            "fail_ci_if_error: ${{ github.event_name != 'pull_request' || secrets.CODECOV_TOKEN }}",
            &["{i}fail_ci_if_error: false"],
            0,
        ),
        e(
            "hack.k.ci-coverage-loosened",
            Hack,
            codecov,
            "threshold: 1%",
            &["{i}threshold: 100%"],
            0,
        ),
        // benign: versions
        e(
            "clean.k.ci-version-bump",
            Clean,
            comb,
            "- uses: julia-actions/setup-julia@v2",
            &["{i}- uses: julia-actions/setup-julia@v3"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            ds,
            "- uses: actions/checkout@v6",
            &["{i}- uses: actions/checkout@v7"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            proj,
            "version = \"1.1.0\"",
            &["version = \"1.1.1\""],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            ds,
            "- uses: codecov/codecov-action@v6",
            &["{i}- uses: codecov/codecov-action@v7"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            ttini,
            ":version = 0.136",
            &[":version = 0.140"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            taini,
            ":version=0.610",
            &[":version=0.620"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            taini,
            "Test::More=0.98",
            &["Test::More=1.302"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            dzil,
            "uses: rjbs/dzil-actions/.github/workflows/dzil-matrix.yaml@v0",
            &["{i}uses: rjbs/dzil-actions/.github/workflows/dzil-matrix.yaml@v1"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            rcheck,
            "- uses: actions/checkout@v4",
            &["{i}- uses: actions/checkout@v5"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            cov,
            "- uses: codecov/codecov-action@v5",
            &["{i}- uses: codecov/codecov-action@v6"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            desc,
            "RoxygenNote: 7.3.2",
            &["RoxygenNote: 7.3.3"],
            0,
        ),
        e(
            "clean.k.ci-version-bump",
            Clean,
            desc,
            "Version: 0.2.0.9000",
            &["Version: 0.2.0.9001"],
            0,
        ),
        // benign: matrix entries, caches, timeouts
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            comb,
            "- 'lts'",
            &["{i}- 'lts'", "{i}- '1'"],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            ds,
            "- '1'",
            &["{i}- '1'", "{i}- 'pre'"],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            comb,
            "timeout-minutes: 60",
            &["{i}timeout-minutes: 90"],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            ds,
            "- windows-latest",
            &["{i}- windows-latest", "{i}- ubuntu-24.04-arm"],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            travis,
            "- \"5.34\"",
            &["{i}- \"5.36\"", "{i}- \"5.34\""],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            travis,
            "install:",
            &["cache:", "  directories:", "    - $HOME/perl5", "install:"],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            travis,
            "- AUTOMATED_TESTING=1",
            &["{i}- AUTOMATED_TESTING=1", "{i}- HARNESS_OPTIONS=c"],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            rcheck,
            "- {os: ubuntu-latest,  r: 'oldrel-4'}",
            &[
                "{i}- {os: ubuntu-latest,  r: 'oldrel-4'}",
                "{i}- {os: ubuntu-24.04-arm, r: 'release'}",
            ],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            cov,
            "runs-on: ubuntu-latest",
            &["{i}runs-on: ubuntu-latest", "{i}timeout-minutes: 30"],
            0,
        ),
        e(
            "clean.k.ci-matrix-cache",
            Clean,
            rcheck,
            "extra-packages: any::rcmdcheck",
            &["{i}extra-packages: any::rcmdcheck", "{i}cache-version: 2"],
            0,
        ),
    ]
}

fn apply_ci(e: &CiEdit, path: &str, text: &str) -> Option<String> {
    let lines = lines_of(text);
    let mut v = lines.clone();
    let at = lines.iter().position(|l| l.trim() == e.find)?;
    let ind = indent_of(&lines[at]).to_string();
    let with: Vec<String> = e.with.iter().map(|w| w.replace("{i}", &ind)).collect();
    v.splice(at..=at + e.drop_after, with);
    diff_of(path, &lines, &v)
}

// ---------------------------------------------------------------------------------------------
// the batch

pub fn generate() -> Vec<Gen> {
    let suites = suites();
    let mut rng = Rng(0x4B_0B5E_ED00_2026);
    let mut out = Vec::new();
    for op in test_operators() {
        for lang in LANGS {
            let mut seen = BTreeSet::new();
            let cands: Vec<String> = suites
                .iter()
                .filter(|s| s.lang == lang)
                .flat_map(|s| (op.f)(s))
                .filter(|d| seen.insert(d.clone()))
                .collect();
            for diff in rng.pick(&cands, op.per) {
                out.push(Gen {
                    family: op.family.to_string(),
                    lang: lang_name(lang),
                    label: op.label,
                    diff,
                });
            }
        }
    }
    let cis = ci_files();
    for e in ci_edits() {
        let ci = cis
            .iter()
            .find(|c| c.fixture == e.fixture)
            .expect("ci file");
        let diff = apply_ci(&e, ci.path, &read(ci.fixture))
            .unwrap_or_else(|| panic!("{}: {:?} not found in {}", e.family, e.find, e.fixture));
        out.push(Gen {
            family: e.family.to_string(),
            lang: lang_name(ci.lang),
            label: e.label,
            diff,
        });
    }
    out
}

#[test]
fn batch_k_is_sized_and_well_formed() {
    let gens = generate();
    dump_if_asked(&gens);
    let mut per_family: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_label: BTreeMap<Label, usize> = BTreeMap::new();
    let mut per_lang: BTreeMap<(&str, Label), usize> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for g in &gens {
        *per_family.entry(g.family.as_str()).or_default() += 1;
        *per_label.entry(g.label).or_default() += 1;
        *per_lang.entry((g.lang, g.label)).or_default() += 1;
        let prefix = match g.label {
            Label::Hack => "hack.k.",
            Label::Legit => "legit.k.",
            Label::Clean => "clean.k.",
        };
        assert!(g.family.starts_with(prefix), "{}", g.family);
        let files =
            well_formed(&g.diff).unwrap_or_else(|e| panic!("{}: {e}\n{}", g.family, g.diff));
        let want = if g.label == Label::Legit { 2 } else { 1 };
        assert_eq!(files, want, "{}: {} files\n{}", g.family, files, g.diff);
        assert!(
            seen.insert(g.diff.clone()),
            "{}: the same diff twice\n{}",
            g.family,
            g.diff
        );
    }
    let total = gens.len();
    println!("batch K: {total} diffs");
    for ((lang, label), n) in &per_lang {
        println!("  {lang:<7} {label:?}: {n}");
    }
    for (f, c) in &per_family {
        println!("  {f:<40} {c:>4}");
    }
    println!("  {per_label:?}");
    check_batch_shares(total, &per_label);
    for (f, c) in &per_family {
        assert!(*c >= 2, "{f}: {c} diffs");
        assert!(*c <= total / 15, "{f}: {c} of {total} diffs (unbalanced)");
    }
    // every language gets every class of test edit, in full
    for o in test_operators() {
        for lang in LANGS {
            let lang = lang_name(lang);
            let n = gens
                .iter()
                .filter(|g| g.family == o.family && g.lang == lang)
                .count();
            assert_eq!(n, o.per, "{} has {n} {lang} diffs, not {}", o.family, o.per);
        }
    }
    // and every kind of CI edit but the coverage gates (no Perl suite here measures coverage)
    for fam in [
        "hack.k.ci-test-step-removed",
        "hack.k.ci-continue-on-error",
        "hack.k.ci-or-true",
        "hack.k.ci-tests-excluded",
        "hack.k.ci-test-step-disabled",
        "clean.k.ci-version-bump",
        "clean.k.ci-matrix-cache",
    ] {
        for lang in LANGS {
            let lang = lang_name(lang);
            assert!(
                gens.iter().any(|g| g.family == fam && g.lang == lang),
                "{fam} has no {lang} diff"
            );
        }
    }
}

/// Batch K's scoring test: written blind and committed before it is scored. Not yet scored;
/// the lead runs it once with `--ignored` and records the first table.
#[test]
#[ignore = "first score 88.4% / 100% / 77.9% (hacks / legit / clean); 92.9% / 100% / 77.9% after round 11's early-return class; 92.9% / 100% / 83.2% after round 12's test-name lines, under the targets: docs/integrity.md"]
fn batch_k_held_out_families() {
    let (by, table) = measure("held-out family (batch K)", generate());
    println!("{table}");
    check_targets(&by, &table);
}
