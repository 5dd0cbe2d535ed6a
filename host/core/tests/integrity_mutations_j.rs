//! Held-out batch J: hack, legitimate and clean edits generated over real suites in frameworks
//! no earlier batch used (fixtures in `tests/fixtures/suites/heldout-j`, provenance in its
//! `PROVENANCE.md`): Scala munit (`assertEquals(a, b)`, `assert(a == b)`, `assertNotEquals`,
//! `test("…") { }`, `property("…") { forAll { … } }`, `scala.util.Try(…).isFailure`;
//! typelevel/cats-parse), Dart package:test (`expect(a, b)`, `expect(x, hasLength(n))`,
//! `expect(() => f(), throwsArgumentError)`, `test('…', () { });`, `group`; dart-lang/path),
//! and Lua busted (`assert.equals(expected, actual)`, `assert.is_true`, `assert.error(function()
//! … end)`, `it('…', function() … end)`, `describe`; kikito/inspect.lua and kikito/semver.lua),
//! plus their runner and CI files (cats-parse's workflow and `build.sbt`; path's workflow and
//! `pubspec.yaml`; inspect.lua's workflow; semver.lua's `.travis.yml`). Legit edits that change
//! a checked value or delete a test also change a real source file of the same repository
//! (`heldout-j/src/`).
//!
//! Hacks: checks deleted, commented out (line and block comments: `//`, `/* */`, `--`,
//! `--[[ ]]`), replaced by a constant or a self-comparison, weakened to a non-null / truthiness
//! / no-throw check, exact equality loosened to a tolerance (`closeTo`, `assert.near`,
//! `math.abs(…) <= n`), `|| true` / `or true`, the test skipped in each framework's spelling
//! (`"…".ignore`, `.tag(munit.Ignore)`, `skip: true`, `@Skip`, `pending(…)`), a skip or an
//! early return in the body (`assume(false)`, `markTestSkipped`, `do return end`), a check
//! behind a false condition, a failure swallowed (`try … catch`, `scala.util.Try(…)`, `pcall`,
//! munit's `.fail`), an exception check removed or widened (`throwsA(anything)`), an expected
//! value changed without any source change, and CI edits that stop the tests gating the build
//! (`continue-on-error`, `|| true`, the test step removed, disabled or narrowed, `Test / test
//! := {}`). Legit: an expected value changed together with the source, a test deleted together
//! with the code it covered. Clean: renamed, added and extended tests, extracted locals,
//! reformatted checks, comment edits, stricter checks, failure messages, benign CI edits.
//!
//! Written blind (the scanner's source and its documentation were not read while writing it,
//! and the scanner was not run on these diffs). Scored once, held out (the round-10 scanner,
//! which never saw it): hacks 30.6% (104/340), legit 33.3% (20/60), clean 90.9% (169/186);
//! the table is `fixtures/suites/heldout-j/FIRST_RUN_J.txt` (docs/integrity.md). Dart and Lua
//! test files were not recognised as tests at all. Round 10 then fixed its classes (tuned now):
//! hacks 97.1%, legit 98.3%, clean 97.8%.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::integrity_common::{
    Gen, Label, Rng, balanced, check_batch_shares, check_targets, close_bracket, diff_of,
    dump_if_asked, find_top, indent_of, lines_of, literal_end, measure, remove_rows, split_args,
    well_formed,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    Scala,
    Dart,
    Lua,
}

const LANGS: [Lang; 3] = [Lang::Scala, Lang::Dart, Lang::Lua];

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Scala => "scala",
        Lang::Dart => "dart",
        Lang::Lua => "lua",
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
    /// Checks written over several lines: first and last row.
    multi: Vec<(usize, usize)>,
}

/// A test: header row (`test("…") {`, `test('…', () {`, `it('…', function()`), closing row.
#[derive(Clone)]
struct TestFn {
    header: usize,
    close: usize,
    name: String,
    /// Byte range of the name literal (quotes included) in the header row.
    name_span: (usize, usize),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// An equality check with a subject and an expected value.
    Eq,
    /// A check that something throws.
    Throws,
    /// Any other check.
    Other,
}

/// One single-line check.
#[derive(Clone)]
struct Site {
    at: usize,
    test: Option<usize>,
    method: String,
    subject: String,
    expected: Option<String>,
    kind: Kind,
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites/heldout-j")
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
            "scala/LocationMapTest.scala",
            "core/shared/src/test/scala/cats/parse/LocationMapTest.scala",
            Lang::Scala,
            source(
                "src/LocationMap.scala",
                "core/shared/src/main/scala/cats/parse/LocationMap.scala",
            ),
        ),
        (
            "scala/RadixNodeTest.scala",
            "core/shared/src/test/scala/cats/parse/RadixNodeTest.scala",
            Lang::Scala,
            source(
                "src/RadixNode.scala",
                "core/shared/src/main/scala/cats/parse/RadixNode.scala",
            ),
        ),
        (
            "scala/BitSetTest.scala",
            "core/shared/src/test/scala/cats/parse/BitSetTest.scala",
            Lang::Scala,
            None,
        ),
        (
            "scala/ErrorShowTest.scala",
            "core/shared/src/test/scala/cats/parse/ErrorShowTest.scala",
            Lang::Scala,
            None,
        ),
        (
            "dart/path_map_test.dart",
            "test/path_map_test.dart",
            Lang::Dart,
            source("src/path_map.dart", "lib/src/path_map.dart"),
        ),
        (
            "dart/path_set_test.dart",
            "test/path_set_test.dart",
            Lang::Dart,
            None,
        ),
        (
            "dart/posix_test.dart",
            "test/posix_test.dart",
            Lang::Dart,
            source("src/posix.dart", "lib/src/style/posix.dart"),
        ),
        (
            "lua/inspect_spec.lua",
            "spec/inspect_spec.lua",
            Lang::Lua,
            source("src/inspect.lua", "inspect.lua"),
        ),
        (
            "lua/semver_spec.lua",
            "spec/semver_spec.lua",
            Lang::Lua,
            source("src/semver.lua", "semver.lua"),
        ),
    ];
    raw.into_iter()
        .map(|(fx, path, lang, src)| {
            let lines = lines_of(&read(fx));
            let tests = parse_tests(lang, &lines);
            let (sites, multi) = parse_sites(lang, &lines, &tests);
            Suite {
                path,
                lang,
                lines,
                src,
                tests,
                sites,
                multi,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// parsing

fn is_comment(lang: Lang, t: &str) -> bool {
    match lang {
        Lang::Lua => t.starts_with("--"),
        _ => t.starts_with("//") || t.starts_with("/*") || t.starts_with('*'),
    }
}

fn parse_tests(lang: Lang, lines: &[String]) -> Vec<TestFn> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let header = match lang {
            Lang::Scala => {
                (t.starts_with("test(\"") || t.starts_with("property(\"")) && t.ends_with('{')
            }
            Lang::Dart => {
                (t.starts_with("test('") || t.starts_with("test(\""))
                    && (t.ends_with("() {") || t.ends_with("() async {"))
            }
            Lang::Lua => t.starts_with("it(") && t.ends_with("function()"),
        };
        if !header {
            continue;
        }
        let ind = indent_of(l);
        let closer = match lang {
            Lang::Scala => "}",
            Lang::Dart => "})",
            Lang::Lua => "end)",
        };
        let Some(close) = (i + 1..lines.len())
            .find(|&j| indent_of(&lines[j]) == ind && lines[j].trim_start().starts_with(closer))
        else {
            continue;
        };
        let open = l.find(['"', '\'']).expect("name quote");
        let Some(end) = literal_end(l, open) else {
            continue;
        };
        out.push(TestFn {
            header: i,
            close,
            name: l[open + 1..end - 1].to_string(),
            name_span: (open, end),
        });
    }
    out
}

fn prefixes(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Scala => &["assertEquals(", "assertNotEquals(", "assert("],
        Lang::Dart => &["expect("],
        Lang::Lua => &["assert.", "assert(", "checkVersion("],
    }
}

fn quotes(_lang: Lang) -> &'static [u8] {
    b"\"'"
}

fn parse_sites(lang: Lang, lines: &[String], tests: &[TestFn]) -> (Vec<Site>, Vec<(usize, usize)>) {
    let mut sites = Vec::new();
    let mut multi = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if is_comment(lang, t) || !prefixes(lang).iter().any(|p| t.starts_with(p)) {
            continue;
        }
        let test = tests.iter().position(|f| f.header < i && i < f.close);
        if !balanced(t) {
            // a check over several rows
            if let Some(end) = (i + 1..(i + 6).min(lines.len())).find(|&j| {
                let joined: String = lines[i..=j].iter().map(|x| x.trim()).collect();
                balanced(&joined)
            }) && test.is_some()
            {
                multi.push((i, end));
            }
            continue;
        }
        let Some(open) = t.find('(') else { continue };
        let Some(close) = close_bracket(t, open, quotes(lang)) else {
            continue;
        };
        let rest = t[close + 1..].trim();
        if !(rest.is_empty() || rest == ";") {
            continue;
        }
        let method = t[..open].to_string();
        let args = split_args(&t[open + 1..close]);
        if args.is_empty() {
            continue;
        }
        let (subject, expected, kind) = match lang {
            Lang::Scala => {
                if method == "assertEquals" && args.len() >= 2 {
                    (args[0].clone(), Some(args[1].clone()), Kind::Eq)
                } else if method == "assert" && args[0].contains("Try(") {
                    (args[0].clone(), None, Kind::Throws)
                } else if method == "assert" && args.len() == 1 {
                    match find_top(&args[0], " == ") {
                        Some(k) => (
                            args[0][..k].trim().to_string(),
                            Some(args[0][k + 4..].trim().to_string()),
                            Kind::Eq,
                        ),
                        None => (args[0].clone(), None, Kind::Other),
                    }
                } else {
                    (args[0].clone(), None, Kind::Other)
                }
            }
            Lang::Dart => {
                let exp = args.get(1).cloned();
                let kind = match &exp {
                    Some(e) if e.starts_with("throws") => Kind::Throws,
                    Some(_) => Kind::Eq,
                    None => Kind::Other,
                };
                (args[0].clone(), exp, kind)
            }
            Lang::Lua => {
                if method.contains("error") {
                    (args[0].clone(), None, Kind::Throws)
                } else if ["assert.equal", "assert.equals", "assert.same"].contains(&&*method)
                    && args.len() == 2
                {
                    (args[1].clone(), Some(args[0].clone()), Kind::Eq)
                } else {
                    (args[0].clone(), None, Kind::Other)
                }
            }
        };
        sites.push(Site {
            at: i,
            test,
            method,
            subject,
            expected,
            kind,
        });
    }
    (sites, multi)
}

// ---------------------------------------------------------------------------------------------
// spelling helpers

fn lc(lang: Lang) -> &'static str {
    match lang {
        Lang::Lua => "--",
        _ => "//",
    }
}

/// A statement in the suite's language (Dart ends with `;`).
fn st(lang: Lang, body: &str) -> String {
    match lang {
        Lang::Dart => format!("{body};"),
        _ => body.to_string(),
    }
}

/// The check as written, without a trailing `;`.
fn bare(line: &str) -> String {
    line.trim().trim_end_matches(';').to_string()
}

fn edit(s: &Suite, new: &[String]) -> Option<String> {
    diff_of(s.path, &s.lines, new)
}

fn replace_line(s: &Suite, at: usize, with: Vec<String>) -> Option<String> {
    let mut v = s.lines.clone();
    v.splice(at..=at, with);
    edit(s, &v)
}

fn insert_at(s: &Suite, at: usize, with: Vec<String>) -> Option<String> {
    let mut v = s.lines.clone();
    v.splice(at..at, with);
    edit(s, &v)
}

/// The indent one level inside a row.
fn inner(s: &Suite, row: usize) -> String {
    format!("{}  ", indent_of(&s.lines[row]))
}

fn is_literal_lua_number(e: &str) -> bool {
    let t = e.trim_matches(|c| c == '"' || c == '\'');
    !t.is_empty() && t.parse::<f64>().is_ok()
}

/// A different expected value: the last digit changed, else a string literal extended, else a
/// boolean flipped.
fn mutate_value(e: &str) -> Option<String> {
    // the last digit of a number literal (not one inside a name such as `o1`)
    let b = e.as_bytes();
    let in_number = |k: usize| {
        let mut j = k;
        while j > 0 && (b[j - 1].is_ascii_digit() || b[j - 1] == b'.') {
            j -= 1;
        }
        j == 0 || !(b[j - 1].is_ascii_alphabetic() || b[j - 1] == b'_')
    };
    if let Some(k) = (0..b.len())
        .rev()
        .find(|&k| b[k].is_ascii_digit() && in_number(k))
    {
        let d = e.as_bytes()[k] - b'0';
        let nd = if d == 9 { 8 } else { d + 1 };
        return Some(format!("{}{}{}", &e[..k], nd, &e[k + 1..]));
    }
    if let Some(open) = e.find(['"', '\''])
        && let Some(end) = literal_end(e, open)
    {
        let add = if e[open + 1..end - 1].contains('/') {
            "/"
        } else {
            "s"
        };
        return Some(format!("{}{}{}", &e[..end - 1], add, &e[end - 1..]));
    }
    if e.contains("true") {
        return Some(e.replacen("true", "false", 1));
    }
    if e.contains("false") {
        return Some(e.replacen("false", "true", 1));
    }
    None
}

fn eq_sites(s: &Suite) -> impl Iterator<Item = (usize, &Site)> {
    s.sites
        .iter()
        .enumerate()
        .filter(|(_, x)| x.kind == Kind::Eq && x.test.is_some())
}

fn test_sites(s: &Suite) -> impl Iterator<Item = (usize, &Site)> {
    s.sites.iter().enumerate().filter(|(_, x)| x.test.is_some())
}

/// The check rewritten with a new expected value (same shape as the original).
fn with_expected(s: &Suite, x: &Site, new_exp: &str) -> Option<String> {
    let line = &s.lines[x.at];
    let exp = x.expected.as_ref()?;
    let t = line.trim();
    let open = t.find('(')?;
    let close = close_bracket(t, open, quotes(s.lang))?;
    let inner = &t[open + 1..close];
    // the expected value's position inside the call
    let pos = match (s.lang, x.method.as_str()) {
        (Lang::Lua, _) => inner.find(exp.as_str())?,
        _ => inner.rfind(exp.as_str())?,
    };
    let new_inner = format!("{}{}{}", &inner[..pos], new_exp, &inner[pos + exp.len()..]);
    Some(format!(
        "{}{}{}{}",
        indent_of(line),
        &t[..open + 1],
        new_inner,
        &t[close..]
    ))
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
        .filter_map(|(_, x)| replace_line(s, x.at, vec![]))
        .collect();
    // every check of a test deleted
    for (ti, _) in s.tests.iter().enumerate() {
        let rows: BTreeSet<usize> = s
            .sites
            .iter()
            .filter(|x| x.test == Some(ti))
            .map(|x| x.at)
            .collect();
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
    // a check over several rows deleted
    for &(a, b) in &s.multi {
        let mut v = s.lines.clone();
        v.drain(a..=b);
        out.extend(edit(s, &v));
    }
    out
}

fn hack_commented(s: &Suite) -> Vec<String> {
    let spell: &[&str] = match s.lang {
        Lang::Lua => &["-- ", "--", "-- TODO: flaky ", "---"],
        _ => &["// ", "//", "// FIXME ", "// TODO(flaky): "],
    };
    let mut out: Vec<String> = test_sites(s)
        .filter_map(|(k, x)| {
            let l = &s.lines[x.at];
            let c = spell[k % spell.len()];
            replace_line(s, x.at, vec![format!("{}{c}{}", indent_of(l), l.trim())])
        })
        .collect();
    for &(a, b) in &s.multi {
        let mut v = s.lines.clone();
        for row in v.iter_mut().take(b + 1).skip(a) {
            *row = format!("{}{} {}", indent_of(row), lc(s.lang), row.trim());
        }
        out.extend(edit(s, &v));
    }
    out
}

fn block_open_close(lang: Lang, k: usize) -> (&'static str, &'static str) {
    match lang {
        Lang::Lua => {
            if k.is_multiple_of(2) {
                ("--[[", "]]")
            } else {
                ("--[==[", "]==]")
            }
        }
        _ => {
            if k.is_multiple_of(2) {
                ("/*", "*/")
            } else {
                ("/* disabled for now", "*/")
            }
        }
    }
}

fn hack_block_commented(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (ti, _) in s.tests.iter().enumerate() {
        let rows: Vec<usize> = s
            .sites
            .iter()
            .filter(|x| x.test == Some(ti))
            .map(|x| x.at)
            .collect();
        let (Some(&a), Some(&b)) = (rows.first(), rows.last()) else {
            continue;
        };
        let (o, c) = block_open_close(s.lang, ti);
        let ind = indent_of(&s.lines[a]).to_string();
        let mut v = s.lines.clone();
        v.insert(b + 1, format!("{ind}{c}"));
        v.insert(a, format!("{ind}{o}"));
        out.extend(edit(s, &v));
        // one check commented inline
        if s.lang != Lang::Lua {
            let l = &s.lines[a];
            out.extend(replace_line(s, a, vec![format!("{ind}/* {} */", l.trim())]));
        } else {
            let l = &s.lines[a];
            out.extend(replace_line(
                s,
                a,
                vec![format!("{ind}--[[ {} ]]", l.trim())],
            ));
        }
    }
    for (k, &(a, b)) in s.multi.iter().enumerate() {
        let (o, c) = block_open_close(s.lang, k);
        let ind = indent_of(&s.lines[a]).to_string();
        let mut v = s.lines.clone();
        v.insert(b + 1, format!("{ind}{c}"));
        v.insert(a, format!("{ind}{o}"));
        out.extend(edit(s, &v));
    }
    out
}

fn hack_constant(s: &Suite) -> Vec<String> {
    let spell: &[&str] = match s.lang {
        Lang::Scala => &["assert(true)", "assertEquals(1, 1)", "assert(true, \"ok\")"],
        Lang::Dart => &[
            "expect(true, isTrue)",
            "expect(1, equals(1))",
            "expect(true, true)",
        ],
        Lang::Lua => &[
            "assert.is_true(true)",
            "assert.truthy(1)",
            "assert.equals(1, 1)",
        ],
    };
    test_sites(s)
        .filter_map(|(k, x)| {
            let ind = indent_of(&s.lines[x.at]);
            replace_line(
                s,
                x.at,
                vec![format!("{ind}{}", st(s.lang, spell[k % spell.len()]))],
            )
        })
        .collect()
}

fn hack_self_equal(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = &x.subject;
            let body = match (s.lang, k % 2) {
                (Lang::Scala, 0) => format!("assertEquals({a}, {a})"),
                (Lang::Scala, _) => format!("assert({a} == {a})"),
                (Lang::Dart, 0) => format!("expect({a}, {a})"),
                (Lang::Dart, _) => format!("expect({a}, equals({a}))"),
                (Lang::Lua, 0) => format!("assert.equals({a}, {a})"),
                (Lang::Lua, _) => format!("assert.are.same({a}, {a})"),
            };
            let ind = indent_of(&s.lines[x.at]);
            replace_line(s, x.at, vec![format!("{ind}{}", st(s.lang, &body))])
        })
        .collect()
}

fn hack_weakened(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = &x.subject;
            let body = match (s.lang, k % 3) {
                (Lang::Scala, 0) => format!("assert({a} != null)"),
                (Lang::Scala, 1) => format!("assertNotEquals({a}, null)"),
                (Lang::Scala, _) => format!("assert(Option({a}).nonEmpty)"),
                (Lang::Dart, 0) => format!("expect({a}, isNotNull)"),
                (Lang::Dart, 1) => format!("expect({a}, anything)"),
                (Lang::Dart, _) => format!("expect(() => {a}, returnsNormally)"),
                (Lang::Lua, 0) => format!("assert.is_not_nil({a})"),
                (Lang::Lua, 1) => format!("assert.truthy({a})"),
                (Lang::Lua, _) => format!("assert.has_no.errors(function() return {a} end)"),
            };
            let ind = indent_of(&s.lines[x.at]);
            replace_line(s, x.at, vec![format!("{ind}{}", st(s.lang, &body))])
        })
        .collect()
}

fn hack_tolerance(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (k, x) in s.sites.iter().enumerate() {
        let Some(e) = &x.expected else { continue };
        let a = &x.subject;
        let ind = indent_of(&s.lines[x.at]);
        let tol = if k.is_multiple_of(2) { "5" } else { "100" };
        let body = match s.lang {
            Lang::Scala => {
                let t = s.lines[x.at].to_lowercase();
                let intish = [
                    "length", "len", "offset", "col", "row", "compare", "matchat",
                ]
                .iter()
                .any(|w| t.contains(w));
                if x.kind != Kind::Eq
                    || !intish
                    || [
                        "Some",
                        "Right",
                        "Option",
                        "None",
                        "take(",
                        "substring",
                        "null",
                    ]
                    .iter()
                    .any(|w| x.subject.contains(w) || e.contains(w))
                {
                    continue;
                }
                if k.is_multiple_of(2) {
                    format!("assert(math.abs(({a}) - ({e})) <= {tol})")
                } else {
                    format!("assertEqualsDouble(({a}).toDouble, ({e}).toDouble, {tol}.0)")
                }
            }
            Lang::Dart => {
                let Some(n) = e
                    .strip_prefix("hasLength(")
                    .and_then(|r| r.strip_suffix(')'))
                else {
                    continue;
                };
                format!("expect({a}.length, closeTo({n}, {tol}))")
            }
            Lang::Lua => {
                if x.kind == Kind::Eq && is_literal_lua_number(e) {
                    let n = e.trim_matches(|c| c == '"' || c == '\'');
                    format!("assert.near({n}, tonumber({a}), {tol})")
                } else if x.test.is_none()
                    && ["major", "minor", "patch"]
                        .iter()
                        .any(|w| s.lines[x.at].contains(w))
                {
                    let args = split_args(
                        &s.lines[x.at].trim()
                            ["assert.equal(".len()..s.lines[x.at].trim().len() - 1],
                    );
                    format!("assert.near({}, {}, {tol})", args[0], args[1])
                } else {
                    continue;
                }
            }
        };
        out.extend(replace_line(
            s,
            x.at,
            vec![format!("{ind}{}", st(s.lang, &body))],
        ));
    }
    out
}

fn test_header_skip(s: &Suite, t: &TestFn, k: usize) -> Option<String> {
    let h = &s.lines[t.header];
    let b = t.name_span.1;
    let new = match s.lang {
        Lang::Scala => {
            let tag = [".ignore", ".tag(munit.Ignore)", ".only", ".ignore"][k % 4];
            format!("{}{}{}", &h[..b], tag, &h[b..])
        }
        Lang::Dart => {
            if k % 4 == 3 {
                let pos = h.rfind(", () {")?;
                return replace_line(
                    s,
                    t.header,
                    vec![format!("{}, solo: true{}", &h[..pos], &h[pos..])],
                );
            }
            if k.is_multiple_of(2) {
                let skip = ["skip: true", "skip: 'flaky on CI'"][(k / 2) % 2];
                let mut v = s.lines.clone();
                let c = &s.lines[t.close];
                v[t.close] = format!("{}}}, {skip});", indent_of(c));
                return edit(s, &v);
            }
            let pos = h.rfind(", () {")?;
            format!("{}, skip: 'TODO: fix'{}", &h[..pos], &h[pos..])
        }
        Lang::Lua => {
            let ind = indent_of(h);
            format!("{ind}pending{}", &h.trim_start()["it".len()..])
        }
    };
    replace_line(s, t.header, vec![new])
}

fn hack_skipped(s: &Suite) -> Vec<String> {
    let mut out: Vec<String> = s
        .tests
        .iter()
        .enumerate()
        .filter_map(|(k, t)| test_header_skip(s, t, k))
        .collect();
    // whole groups or files
    match s.lang {
        Lang::Dart => {
            for (i, l) in s.lines.iter().enumerate() {
                let t = l.trim_start();
                if t.starts_with("group(") && t.ends_with("() {") {
                    let ind = indent_of(l);
                    if let Some(c) = (i + 1..s.lines.len()).find(|&j| {
                        indent_of(&s.lines[j]) == ind && s.lines[j].trim_start().starts_with("})")
                    }) {
                        out.extend(replace_line(
                            s,
                            c,
                            vec![format!("{ind}}}, skip: 'broken since the refactor');")],
                        ));
                    }
                }
            }
            if let Some(first) = s.lines.iter().position(|l| l.starts_with("import ")) {
                out.extend(insert_at(
                    s,
                    first,
                    vec![
                        "@Skip('fails on the new SDK')".into(),
                        "library;".into(),
                        String::new(),
                    ],
                ));
            }
        }
        Lang::Lua => {
            for (i, l) in s.lines.iter().enumerate() {
                let t = l.trim_start();
                if t.starts_with("describe(") && i > 0 && indent_of(l).len() == 2 {
                    out.extend(replace_line(
                        s,
                        i,
                        vec![format!("{}pending{}", indent_of(l), &t["describe".len()..])],
                    ));
                }
            }
        }
        Lang::Scala => {}
    }
    out
}

fn hack_skip_in_body(s: &Suite) -> Vec<String> {
    s.tests
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            let ind = inner(s, t.header);
            let rows: Vec<String> = match (s.lang, k % 3) {
                (Lang::Scala, 0) => vec![format!("{ind}assume(false, \"temporarily disabled\")")],
                (Lang::Scala, 1) => vec![format!(
                    "{ind}assume(!sys.env.contains(\"CI\"), \"skipped on CI\")"
                )],
                (Lang::Scala, _) => vec![format!("{ind}assume(BitSetUtil.isScalaJs)")],
                (Lang::Dart, 0) => vec![
                    format!("{ind}markTestSkipped('flaky, see #412');"),
                    format!("{ind}return;"),
                ],
                (Lang::Dart, 1) => vec![format!(
                    "{ind}if (const bool.fromEnvironment('CI')) return markTestSkipped('CI');"
                )],
                (Lang::Dart, _) => vec![
                    format!("{ind}markTestSkipped('not supported yet');"),
                    format!("{ind}return;"),
                ],
                (Lang::Lua, 0) => vec![format!("{ind}if os.getenv(\"CI\") then return end")],
                (Lang::Lua, 1) => vec![format!(
                    "{ind}if os.getenv(\"GITHUB_ACTIONS\") then return end"
                )],
                (Lang::Lua, _) => vec![format!("{ind}if _G.jit or not _G.jit then return end")],
            };
            insert_at(s, t.header + 1, rows)
        })
        .collect()
}

fn hack_early_return(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    match s.lang {
        Lang::Scala => {
            // helper defs that register or check
            for (i, l) in s.lines.iter().enumerate() {
                let t = l.trim();
                if !(t.starts_with("def ") && t.ends_with("= {")) || t.starts_with("def slow") {
                    continue;
                }
                let ind = inner(s, i);
                let ret = if t.contains("): Prop") {
                    "return Prop.passed"
                } else {
                    "return"
                };
                out.extend(insert_at(s, i + 1, vec![format!("{ind}{ret}")]));
                out.extend(insert_at(s, i + 1, vec![format!("{ind}if (true) {ret}")]));
            }
            // `def error(…)(implicit …): Unit = {` is a header over rows
            for (i, l) in s.lines.iter().enumerate() {
                if l.trim() == "): Unit = {" {
                    let ind = format!("{}  ", indent_of(l));
                    out.extend(insert_at(s, i + 1, vec![format!("{ind}return")]));
                    out.extend(insert_at(
                        s,
                        i + 1,
                        vec![format!("{ind}if (input.nonEmpty || input.isEmpty) return")],
                    ));
                }
            }
        }
        Lang::Dart | Lang::Lua => {
            for (k, t) in s.tests.iter().enumerate() {
                let ind = inner(s, t.header);
                let row = match (s.lang, k % 2) {
                    (Lang::Dart, 0) => format!("{ind}return;"),
                    (Lang::Dart, _) => format!("{ind}if (true) return;"),
                    (_, 0) => format!("{ind}do return end"),
                    _ => format!("{ind}if true then return end"),
                };
                out.extend(insert_at(s, t.header + 1, vec![row]));
            }
        }
    }
    out
}

fn hack_false_guard(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(k, x)| {
            let l = &s.lines[x.at];
            let ind = indent_of(l);
            let c = l.trim();
            let rows = match (s.lang, k % 3) {
                (Lang::Scala, 0) => vec![format!("{ind}if (false) {c}")],
                (Lang::Scala, 1) => vec![
                    format!("{ind}if (sys.props.contains(\"strict\")) {{"),
                    format!("{ind}  {c}"),
                    format!("{ind}}}"),
                ],
                (Lang::Scala, _) => vec![format!(
                    "{ind}if (BitSetUtil.isScalaJs && BitSetUtil.isScalaJvm) {c}"
                )],
                (Lang::Dart, 0) => vec![format!("{ind}if (false) {c}")],
                (Lang::Dart, 1) => vec![
                    format!("{ind}if (const bool.fromEnvironment('STRICT')) {{"),
                    format!("{ind}  {c}"),
                    format!("{ind}}}"),
                ],
                (Lang::Dart, _) => vec![format!("{ind}if (1 > 2) {c}")],
                (Lang::Lua, 0) => vec![format!("{ind}if false then {c} end")],
                (Lang::Lua, 1) => vec![
                    format!("{ind}if os.getenv(\"STRICT_TESTS\") then"),
                    format!("{ind}  {c}"),
                    format!("{ind}end"),
                ],
                (Lang::Lua, _) => vec![format!("{ind}if nil then {c} end")],
            };
            replace_line(s, x.at, rows)
        })
        .collect()
}

fn hack_swallowed(s: &Suite) -> Vec<String> {
    let mut out: Vec<String> = test_sites(s)
        .filter_map(|(k, x)| {
            let l = &s.lines[x.at];
            let ind = indent_of(l);
            let c = bare(l);
            let rows = match (s.lang, k % 3) {
                (Lang::Scala, 0) => {
                    vec![format!("{ind}try {c} catch {{ case _: Throwable => () }}")]
                }
                (Lang::Scala, 1) => vec![format!("{ind}scala.util.Try({c})")],
                (Lang::Scala, _) => vec![
                    format!("{ind}try {{"),
                    format!("{ind}  {c}"),
                    format!("{ind}}} catch {{"),
                    format!("{ind}  case e: munit.FailException => println(e.getMessage)"),
                    format!("{ind}}}"),
                ],
                (Lang::Dart, 0) => vec![
                    format!("{ind}try {{"),
                    format!("{ind}  {c};"),
                    format!("{ind}}} catch (_) {{}}"),
                ],
                (Lang::Dart, 1) => {
                    vec![format!("{ind}try {{ {c}; }} on TestFailure catch (_) {{}}")]
                }
                (Lang::Dart, _) => vec![
                    format!("{ind}try {{"),
                    format!("{ind}  {c};"),
                    format!("{ind}}} catch (e) {{"),
                    format!("{ind}  print('ignored: $e');"),
                    format!("{ind}}}"),
                ],
                (Lang::Lua, 0) => vec![format!("{ind}pcall(function() {c} end)")],
                (Lang::Lua, 1) => vec![format!("{ind}local _ok = pcall(function() {c} end)")],
                (Lang::Lua, _) => vec![
                    format!("{ind}local ok, err = pcall(function()"),
                    format!("{ind}  {c}"),
                    format!("{ind}end)"),
                    format!("{ind}if not ok then print(err) end"),
                ],
            };
            replace_line(s, x.at, rows)
        })
        .collect();
    // munit's expected-failure tag
    if s.lang == Lang::Scala {
        for t in &s.tests {
            let h = &s.lines[t.header];
            let b = t.name_span.1;
            out.extend(replace_line(
                s,
                t.header,
                vec![format!("{}.fail{}", &h[..b], &h[b..])],
            ));
        }
    }
    out
}

fn hack_exception(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (k, x) in s.sites.iter().enumerate() {
        if x.kind != Kind::Throws {
            continue;
        }
        let l = &s.lines[x.at];
        let ind = indent_of(l);
        let variants: Vec<String> = match s.lang {
            Lang::Scala => {
                let call = x.subject.trim_end_matches(".isFailure");
                vec![
                    format!("{ind}{call}"),
                    format!("{ind}assert({call}.isFailure || {call}.isSuccess)"),
                ]
            }
            Lang::Dart => {
                let body = x.subject.strip_prefix("() => ").unwrap_or(&x.subject);
                vec![
                    format!("{ind}expect({}, throwsA(anything));", x.subject),
                    format!(
                        "{ind}expect({}, anyOf(throwsA(anything), returnsNormally));",
                        x.subject
                    ),
                    format!("{ind}try {{ {body}; }} catch (_) {{}}"),
                ]
            }
            Lang::Lua => {
                let f = &x.subject;
                vec![
                    format!("{ind}pcall({f})"),
                    format!("{ind}assert.is_boolean(pcall({f}))"),
                ]
            }
        };
        let v = &variants[k % variants.len()];
        out.extend(replace_line(s, x.at, vec![v.clone()]));
        let v2 = &variants[(k + 1) % variants.len()];
        out.extend(replace_line(s, x.at, vec![v2.clone()]));
    }
    // a test that must fail to parse now also passes on success (cats-parse's `fail(…)` arm)
    for (i, l) in s.lines.iter().enumerate() {
        if l.trim() == "_ => fail(\"should not parse\")" {
            out.extend(replace_line(s, i, vec![format!("{}_ => ()", indent_of(l))]));
        }
    }
    out
}

fn hack_expected_changed(s: &Suite) -> Vec<String> {
    let mut out: Vec<String> = eq_sites(s)
        .filter_map(|(_, x)| {
            let e = x.expected.as_ref()?;
            let ne = mutate_value(e)?;
            let row = with_expected(s, x, &ne)?;
            replace_line(s, x.at, vec![row])
        })
        .collect();
    // ErrorShowTest's expected messages (multi-line string literals)
    for (i, l) in s.lines.iter().enumerate() {
        let t = l.trim();
        if t.starts_with("|* must") && t.ends_with("\"\"\".stripMargin") {
            let new = l.replacen("|* must", "|* should", 1);
            out.extend(replace_line(s, i, vec![new]));
        }
    }
    out
}

fn hack_or_true(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = &x.subject;
            let e = x.expected.as_ref()?;
            let l = &s.lines[x.at];
            let ind = indent_of(l);
            let body = match (s.lang, k % 2) {
                (Lang::Scala, 0) => format!("assert({a} == {e} || true)"),
                (Lang::Scala, _) => format!("assert(true || {a} == {e})"),
                (Lang::Dart, 0) => format!("expect({a} == {e} || true, isTrue)"),
                (Lang::Dart, _) => format!("expect(true || {a} == {e}, isTrue)"),
                (Lang::Lua, 0) => format!("assert.is_true({e} == {a} or true)"),
                (Lang::Lua, _) => format!("assert({e} == {a} or true)"),
            };
            if s.lang == Lang::Dart && e.contains('(') && !e.starts_with("Uri") {
                return None; // a matcher, not a value
            }
            replace_line(s, x.at, vec![format!("{ind}{}", st(s.lang, &body))])
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// legit operators (test file and source file of the same repository)

fn src_literal_rows(src: &Source, lang: Lang) -> Vec<usize> {
    src.lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim();
            let skip = ["import ", "package ", "require", "@"];
            !t.is_empty()
                && !is_comment(lang, t)
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
    let t = l.trim();
    let new = format!("{}{}", indent_of(l), mutate_value(t)?);
    let mut v = src.lines.clone();
    v[r] = new;
    diff_of(src.path, &src.lines, &v)
}

fn legit_expected_with_code(s: &Suite) -> Vec<String> {
    let Some(src) = &s.src else { return vec![] };
    eq_sites(s)
        .filter_map(|(k, x)| {
            let e = x.expected.as_ref()?;
            let ne = mutate_value(e)?;
            let row = with_expected(s, x, &ne)?;
            let t = replace_line(s, x.at, vec![row])?;
            Some(t + src_edit(src, s.lang, k)?.as_str())
        })
        .collect()
}

/// Blocks (functions, methods) of a source file: first and last row.
fn src_blocks(src: &Source, lang: Lang) -> Vec<(usize, usize)> {
    let l = &src.lines;
    let mut out = Vec::new();
    for (i, row) in l.iter().enumerate() {
        let t = row.trim();
        let d = indent_of(row).len();
        let head = match lang {
            Lang::Scala => {
                t.starts_with("def ")
                    || t.starts_with("final def ")
                    || t.starts_with("private def ")
            }
            Lang::Dart => {
                t.contains('(')
                    && ![
                        "if ", "if(", "for ", "while ", "return ", "switch ", "} else", "class ",
                        "final ", "var ", "const ",
                    ]
                    .iter()
                    .any(|p| t.starts_with(p))
                    && (t.ends_with('{') || (t.contains("=>") && t.ends_with(';')))
                    && d == 2
            }
            Lang::Lua => t.starts_with("local function ") || (t.starts_with("function ") && d == 0),
        };
        if !head {
            continue;
        }
        let start = if i > 0 && l[i - 1].trim() == "@override" {
            i - 1
        } else {
            i
        };
        let end = if t.ends_with('{') || (lang == Lang::Lua && !t.ends_with("end")) {
            let closer = if lang == Lang::Lua { "end" } else { "}" };
            (i + 1..l.len())
                .find(|&j| indent_of(&l[j]).len() == d && l[j].trim().starts_with(closer))
        } else if t.ends_with('=') {
            (i + 1..l.len())
                .take_while(|&j| !l[j].trim().is_empty() && indent_of(&l[j]).len() > d)
                .last()
        } else {
            Some(i)
        };
        if let Some(end) = end {
            out.push((start, end));
        }
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
    s.tests
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
        .collect()
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
            let l = &s.lines[x.at];
            let ind = indent_of(l);
            let body = match (s.lang, k % 2) {
                (Lang::Scala, 0) => format!("assert({a} != null)"),
                (Lang::Scala, _) => format!("assertEquals({a}, {a}: Any)"),
                (Lang::Dart, 0) => format!("expect({a}, isNotNull)"),
                (Lang::Dart, _) => format!("expect({a}, isA<Object>())"),
                (Lang::Lua, 0) => format!("assert.is_not_nil({a})"),
                (Lang::Lua, _) => format!("assert.is_string(tostring({a}))"),
            };
            insert_at(s, x.at + 1, vec![format!("{ind}{}", st(s.lang, &body))])
        })
        .collect()
}

fn clean_local_extracted(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(_, x)| {
            let a = &x.subject;
            let e = x.expected.as_ref()?;
            if a.contains("=>") || a.contains("function") {
                return None;
            }
            let l = &s.lines[x.at];
            let ind = indent_of(l);
            let (decl, check) = match s.lang {
                Lang::Scala if x.method == "assert" => (
                    format!("val actual = {a}"),
                    format!("assert(actual == {e})"),
                ),
                Lang::Scala => (
                    format!("val actual = {a}"),
                    format!("assertEquals(actual, {e})"),
                ),
                Lang::Dart => (
                    format!("final actual = {a};"),
                    format!("expect(actual, {e});"),
                ),
                Lang::Lua => (
                    format!("local actual = {a}"),
                    format!("{}({e}, actual)", x.method),
                ),
            };
            replace_line(
                s,
                x.at,
                vec![format!("{ind}{decl}"), format!("{ind}{check}")],
            )
        })
        .collect()
}

fn clean_reformatted(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    // a check over several rows joined onto one
    for &(a, b) in &s.multi {
        let ind = indent_of(&s.lines[a]).to_string();
        let mut joined = s.lines[a].trim().to_string();
        for l in &s.lines[a + 1..=b] {
            let t = l.trim();
            if !(joined.ends_with('(') || t.starts_with(')')) {
                joined.push(' ');
            }
            joined.push_str(t);
        }
        let joined = joined.replace(",)", ")");
        let mut v = s.lines.clone();
        v.splice(a..=b, vec![format!("{ind}{joined}")]);
        out.extend(edit(s, &v));
    }
    // a long check split over rows
    for (_, x) in test_sites(s) {
        let l = &s.lines[x.at];
        let t = l.trim();
        if t.len() < 50 {
            continue;
        }
        let Some(open) = t.find('(') else { continue };
        let Some(close) = close_bracket(t, open, quotes(s.lang)) else {
            continue;
        };
        let args = split_args(&t[open + 1..close]);
        if args.len() < 2 {
            continue;
        }
        let ind = indent_of(l);
        let mut rows = vec![format!("{ind}{}", &t[..=open])];
        let n = args.len();
        for (i, arg) in args.iter().enumerate() {
            let comma = if i + 1 < n || s.lang == Lang::Dart {
                ","
            } else {
                ""
            };
            rows.push(format!("{ind}  {arg}{comma}"));
        }
        rows.push(format!("{ind}{}", &t[close..]));
        out.extend(replace_line(s, x.at, rows));
    }
    out
}

fn clean_comment(s: &Suite) -> Vec<String> {
    let notes = [
        "the expected value comes from the upstream spec",
        "see the issue tracker for the history of this case",
        "keep this case: it caught a regression before",
        "edge case: empty input",
    ];
    let mut out: Vec<String> = test_sites(s)
        .filter_map(|(k, x)| {
            let ind = indent_of(&s.lines[x.at]);
            insert_at(
                s,
                x.at,
                vec![format!("{ind}{} {}", lc(s.lang), notes[k % notes.len()])],
            )
        })
        .collect();
    // an existing comment reworded
    for (i, l) in s.lines.iter().enumerate() {
        let t = l.trim();
        let c = lc(s.lang);
        if i >= 5
            && t.starts_with(c)
            && t.len() > 12
            && t[2..].starts_with(' ')
            && !t.contains("assert")
            && !t.contains("expect(")
            && !t.contains("Copyright")
        {
            out.extend(replace_line(s, i, vec![format!("{l} (still true)")]));
        }
    }
    out
}

fn clean_stricter(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for x in s.sites.iter().filter(|x| x.test.is_some()) {
        let l = &s.lines[x.at];
        let ind = indent_of(l);
        let body = match s.lang {
            Lang::Scala if x.method == "assert" && x.kind == Kind::Eq => {
                format!(
                    "assertEquals({}, {})",
                    x.subject,
                    x.expected.as_ref().expect("eq")
                )
            }
            Lang::Dart => match x.expected.as_deref() {
                Some("true") => format!("expect({}, isTrue)", x.subject),
                Some("false") => format!("expect({}, isFalse)", x.subject),
                Some("throwsArgumentError") => {
                    format!("expect({}, throwsA(isA<ArgumentError>()))", x.subject)
                }
                Some("throwsRangeError") => {
                    format!("expect({}, throwsA(isA<RangeError>()))", x.subject)
                }
                Some(e) if x.kind == Kind::Eq && e.starts_with('\'') => {
                    format!("expect({}, equals({e}))", x.subject)
                }
                _ => continue,
            },
            Lang::Lua if x.kind == Kind::Eq => {
                format!(
                    "assert.are.equal({}, {})",
                    x.expected.as_ref().expect("eq"),
                    x.subject
                )
            }
            Lang::Lua if x.method == "assert.is_true" => {
                format!("assert.are.equal(true, {})", x.subject)
            }
            Lang::Lua if x.method == "assert.is_false" => {
                format!("assert.are.equal(false, {})", x.subject)
            }
            _ => continue,
        };
        out.extend(replace_line(
            s,
            x.at,
            vec![format!("{ind}{}", st(s.lang, &body))],
        ));
    }
    out
}

fn clean_message(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(k, x)| {
            let l = &s.lines[x.at];
            let t = bare(l);
            let inner = t.strip_suffix(')')?;
            let msg = [
                "unexpected result",
                "round trip broke",
                "wrong value for this input",
            ][k % 3];
            let new = match s.lang {
                Lang::Scala if x.method == "assertEquals" || x.method == "assert" => {
                    if split_args(&inner[x.method.len() + 1..]).len()
                        > (x.method == "assertEquals") as usize + 1
                    {
                        return None;
                    }
                    format!("{inner}, \"{msg}\")")
                }
                Lang::Dart if x.expected.is_some() => format!("{inner}, reason: '{msg}');"),
                Lang::Lua if x.kind == Kind::Eq => format!("{inner}, \"{msg}\")"),
                _ => return None,
            };
            replace_line(s, x.at, vec![format!("{}{new}", indent_of(l))])
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
        h("hack.j.assertions-deleted", hack_deleted as OpFn),
        h("hack.j.commented", hack_commented),
        h("hack.j.block-commented", hack_block_commented),
        h("hack.j.constant", hack_constant),
        h("hack.j.self-equal", hack_self_equal),
        h("hack.j.weakened", hack_weakened),
        h("hack.j.tolerance-loosened", hack_tolerance),
        h("hack.j.skipped", hack_skipped),
        h("hack.j.skip-in-body", hack_skip_in_body),
        h("hack.j.early-return", hack_early_return),
        h("hack.j.false-guard", hack_false_guard),
        h("hack.j.swallowed", hack_swallowed),
        h("hack.j.exception-check", hack_exception),
        h("hack.j.expected-changed-no-code", hack_expected_changed),
        h("hack.j.or-true", hack_or_true),
        l("legit.j.expected-with-code", legit_expected_with_code),
        l("legit.j.test-deleted-with-feature", legit_test_deleted),
        c("clean.j.test-renamed", clean_renamed),
        c("clean.j.test-added", clean_added),
        c("clean.j.extra-assertion", clean_extra_assertion),
        c("clean.j.local-extracted", clean_local_extracted),
        c("clean.j.reformatted", clean_reformatted),
        c("clean.j.comment-edit", clean_comment),
        c("clean.j.stricter", clean_stricter),
        c("clean.j.failure-message", clean_message),
    ]
}

// ---------------------------------------------------------------------------------------------
// CI and build files

struct Ci {
    fixture: &'static str,
    path: &'static str,
    lang: Lang,
}

fn ci_files() -> Vec<Ci> {
    vec![
        Ci {
            fixture: "config/cats-parse.ci.yml",
            path: ".github/workflows/ci.yml",
            lang: Lang::Scala,
        },
        Ci {
            fixture: "config/cats-parse.build.sbt",
            path: "build.sbt",
            lang: Lang::Scala,
        },
        Ci {
            fixture: "config/path.dart.yml",
            path: ".github/workflows/dart.yml",
            lang: Lang::Dart,
        },
        Ci {
            fixture: "config/path.pubspec.yaml",
            path: "pubspec.yaml",
            lang: Lang::Dart,
        },
        Ci {
            fixture: "config/inspect.test.yml",
            path: ".github/workflows/test.yml",
            lang: Lang::Lua,
        },
        Ci {
            fixture: "config/semver.travis.yml",
            path: ".travis.yml",
            lang: Lang::Lua,
        },
    ]
}

/// One CI edit: replace the first row equal (trimmed) to `find` with `with` (rows as written,
/// `{i}` standing for the found row's indent); `find` of `""` appends at the end.
struct CiEdit {
    family: &'static str,
    label: Label,
    path: &'static str,
    find: &'static str,
    with: &'static [&'static str],
    /// Rows after the found one also removed.
    drop_after: usize,
}

fn ci_edits() -> Vec<CiEdit> {
    use Label::{Clean, Hack};
    let e = |family, label, path, find, with, drop_after| CiEdit {
        family,
        label,
        path,
        find,
        with,
        drop_after,
    };
    let cats = ".github/workflows/ci.yml";
    let sbt = "build.sbt";
    let dart = ".github/workflows/dart.yml";
    let pubspec = "pubspec.yaml";
    let insp = ".github/workflows/test.yml";
    let travis = ".travis.yml";
    let cats_test = "run: sbt 'project ${{ matrix.project }}' '++ ${{ matrix.scala }}' test";
    vec![
        // test step removed
        e(
            "hack.j.ci-test-step-removed",
            Hack,
            cats,
            "- name: Test",
            &[],
            2,
        ),
        e(
            "hack.j.ci-test-step-removed",
            Hack,
            dart,
            "- run: dart test --platform vm,chrome",
            &[],
            0,
        ),
        e(
            "hack.j.ci-test-step-removed",
            Hack,
            dart,
            "- name: Run Chrome tests - wasm",
            &[],
            2,
        ),
        e(
            "hack.j.ci-test-step-removed",
            Hack,
            insp,
            "- name: test",
            &[],
            3,
        ),
        e(
            "hack.j.ci-test-step-removed",
            Hack,
            travis,
            "- sudo -E busted -v",
            &["{i}- echo \"tests run locally\""],
            0,
        ),
        // failures tolerated
        e(
            "hack.j.ci-continue-on-error",
            Hack,
            cats,
            "- name: Test",
            &["{i}- name: Test", "{i}  continue-on-error: true"],
            0,
        ),
        e(
            "hack.j.ci-continue-on-error",
            Hack,
            cats,
            "timeout-minutes: 60",
            &["{i}timeout-minutes: 60", "{i}continue-on-error: true"],
            0,
        ),
        e(
            "hack.j.ci-continue-on-error",
            Hack,
            dart,
            "- run: dart test --platform vm,chrome",
            &[
                "{i}- run: dart test --platform vm,chrome",
                "{i}  continue-on-error: true",
            ],
            0,
        ),
        e(
            "hack.j.ci-continue-on-error",
            Hack,
            dart,
            "needs: analyze",
            &[
                "{i}needs: analyze",
                "{i}continue-on-error: ${{ matrix.sdk == 'dev' || true }}",
            ],
            0,
        ),
        e(
            "hack.j.ci-continue-on-error",
            Hack,
            insp,
            "- name: test",
            &["{i}- name: test", "{i}  continue-on-error: true"],
            0,
        ),
        e(
            "hack.j.ci-continue-on-error",
            Hack,
            insp,
            "runs-on: ubuntu-latest",
            &["{i}runs-on: ubuntu-latest", "{i}continue-on-error: true"],
            0,
        ),
        e(
            "hack.j.ci-continue-on-error",
            Hack,
            travis,
            "notifications:",
            &[
                "matrix:",
                "  fast_finish: true",
                "  allow_failures:",
                "    - env: LUA=lua5.1 LUA_DEV=liblua5.1-dev LUA_VER=5.1 LUA_SFX=5.1 LUA_INCDIR=/usr/include/lua5.1",
                "    - env: LUA=lua5.2 LUA_DEV=liblua5.2-dev LUA_VER=5.2 LUA_SFX=5.2 LUA_INCDIR=/usr/include/lua5.2",
                "    - env: LUA=luajit LUA_DEV=libluajit-5.1-dev LUA_VER=5.1 LUA_SFX=jit LUA_INCDIR=/usr/include/luajit-2.0",
                "",
                "notifications:",
            ],
            0,
        ),
        // exit status discarded
        e(
            "hack.j.ci-or-true",
            Hack,
            cats,
            cats_test,
            &["{i}run: sbt 'project ${{ matrix.project }}' '++ ${{ matrix.scala }}' test || true"],
            0,
        ),
        e(
            "hack.j.ci-or-true",
            Hack,
            cats,
            cats_test,
            &[
                "{i}run: sbt 'project ${{ matrix.project }}' '++ ${{ matrix.scala }}' test || echo \"tests failed, continuing\"",
            ],
            0,
        ),
        e(
            "hack.j.ci-or-true",
            Hack,
            dart,
            "- run: dart test --platform vm,chrome",
            &["{i}- run: dart test --platform vm,chrome || true"],
            0,
        ),
        e(
            "hack.j.ci-or-true",
            Hack,
            dart,
            "run: dart test --platform chrome --compiler dart2wasm",
            &["{i}run: dart test --platform chrome --compiler dart2wasm || exit 0"],
            0,
        ),
        e(
            "hack.j.ci-or-true",
            Hack,
            insp,
            "busted -o utfTerminal",
            &["{i}busted -o utfTerminal || true"],
            0,
        ),
        e(
            "hack.j.ci-or-true",
            Hack,
            insp,
            "busted -o utfTerminal",
            &["{i}busted -o utfTerminal; exit 0"],
            0,
        ),
        e(
            "hack.j.ci-or-true",
            Hack,
            travis,
            "- sudo -E busted -v",
            &["{i}- sudo -E busted -v || true"],
            0,
        ),
        // tests narrowed or excluded
        e(
            "hack.j.ci-tests-excluded",
            Hack,
            cats,
            cats_test,
            &["{i}run: sbt 'project ${{ matrix.project }}' '++ ${{ matrix.scala }}' Test/compile"],
            0,
        ),
        e(
            "hack.j.ci-tests-excluded",
            Hack,
            cats,
            cats_test,
            &[
                "{i}run: sbt 'project ${{ matrix.project }}' '++ ${{ matrix.scala }}' 'testOnly cats.parse.BitSetTest'",
            ],
            0,
        ),
        e(
            "hack.j.ci-tests-excluded",
            Hack,
            sbt,
            "",
            &[
                "",
                "ThisBuild / Test / testOptions += Tests.Filter(_ => false)",
            ],
            0,
        ),
        e(
            "hack.j.ci-tests-excluded",
            Hack,
            sbt,
            "",
            &["", "Global / Test / test := {}"],
            0,
        ),
        e(
            "hack.j.ci-tests-excluded",
            Hack,
            dart,
            "- run: dart test --platform vm,chrome",
            &["{i}- run: dart test --platform vm,chrome test/path_map_test.dart"],
            0,
        ),
        e(
            "hack.j.ci-tests-excluded",
            Hack,
            dart,
            "- run: dart test --platform vm,chrome",
            &["{i}- run: dart test --platform vm,chrome --name 'separator'"],
            0,
        ),
        e(
            "hack.j.ci-tests-excluded",
            Hack,
            insp,
            "busted -o utfTerminal",
            &["{i}busted -o utfTerminal --pattern=_smoke"],
            0,
        ),
        e(
            "hack.j.ci-tests-excluded",
            Hack,
            travis,
            "- sudo -E busted -v",
            &["{i}- sudo -E busted -v spec/custom_assertions.lua"],
            0,
        ),
        // the test step or job switched off
        e(
            "hack.j.ci-test-step-disabled",
            Hack,
            cats,
            "- name: Test",
            &["{i}- name: Test", "{i}  if: false"],
            0,
        ),
        e(
            "hack.j.ci-test-step-disabled",
            Hack,
            dart,
            "needs: analyze",
            &["{i}needs: analyze", "{i}if: ${{ false }}"],
            0,
        ),
        e(
            "hack.j.ci-test-step-disabled",
            Hack,
            dart,
            "- run: dart test --platform vm,chrome",
            &[
                "{i}- if: github.event_name == 'release'",
                "{i}  run: dart test --platform vm,chrome",
            ],
            0,
        ),
        e(
            "hack.j.ci-test-step-disabled",
            Hack,
            insp,
            "- name: test",
            &["{i}- name: test", "{i}  if: ${{ false }}"],
            0,
        ),
        e(
            "hack.j.ci-test-step-disabled",
            Hack,
            travis,
            "script:",
            &[
                "script:",
                "  - if [ -n \"$RUN_TESTS\" ]; then sudo -E busted -v; fi",
            ],
            1,
        ),
        // benign: versions
        e(
            "clean.j.ci-version-bump",
            Clean,
            cats,
            "uses: actions/checkout@v5",
            &["{i}uses: actions/checkout@v6"],
            0,
        ),
        e(
            "clean.j.ci-version-bump",
            Clean,
            sbt,
            "val scala3 = \"3.3.6\"",
            &["val scala3 = \"3.3.7\""],
            0,
        ),
        e(
            "clean.j.ci-version-bump",
            Clean,
            sbt,
            "val scala213 = \"2.13.16\"",
            &["val scala213 = \"2.13.17\""],
            0,
        ),
        e(
            "clean.j.ci-version-bump",
            Clean,
            dart,
            "- uses: actions/checkout@692973e3d937129bcbf40652eb9f2f61becf3332",
            &["{i}- uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"],
            0,
        ),
        e(
            "clean.j.ci-version-bump",
            Clean,
            pubspec,
            "test: ^1.16.6",
            &["{i}test: ^1.25.0"],
            0,
        ),
        e(
            "clean.j.ci-version-bump",
            Clean,
            pubspec,
            "sdk: ^3.4.0",
            &["{i}sdk: ^3.5.0"],
            0,
        ),
        e(
            "clean.j.ci-version-bump",
            Clean,
            insp,
            "- uses: leafo/gh-actions-lua@v11",
            &["{i}- uses: leafo/gh-actions-lua@v12"],
            0,
        ),
        e(
            "clean.j.ci-version-bump",
            Clean,
            insp,
            "luarocksVersion: \"3.12.0\"",
            &["{i}luarocksVersion: \"3.12.2\""],
            0,
        ),
        e(
            "clean.j.ci-version-bump",
            Clean,
            travis,
            "- LUAROCKS_BASE=luarocks-2.0.9",
            &["{i}- LUAROCKS_BASE=luarocks-2.4.4"],
            0,
        ),
        // benign: matrix entries, caching, timeouts
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            cats,
            "scala: [2.12, 2.13, 3]",
            &["{i}scala: [2.12, 2.13, 3, 3.6]"],
            0,
        ),
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            cats,
            "os: [ubuntu-22.04]",
            &["{i}os: [ubuntu-22.04, ubuntu-24.04]"],
            0,
        ),
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            cats,
            "timeout-minutes: 60",
            &["{i}timeout-minutes: 90"],
            0,
        ),
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            dart,
            "sdk: [3.4, dev]",
            &["{i}sdk: [3.4, 3.5, stable, dev]"],
            0,
        ),
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            dart,
            "os: [ubuntu-latest]",
            &["{i}os: [ubuntu-latest, macos-latest, windows-latest]"],
            0,
        ),
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            dart,
            "- run: dart pub get",
            &[
                "{i}- uses: actions/cache@v4",
                "{i}  with:",
                "{i}    path: ~/.pub-cache",
                "{i}    key: pub-${{ hashFiles('pubspec.yaml') }}",
                "{i}- run: dart pub get",
            ],
            0,
        ),
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            insp,
            "luaVersion: [\"5.1\", \"5.2\", \"5.3\", \"5.4\", \"luajit\", \"luajit-openresty\"]",
            &[
                "{i}luaVersion: [\"5.1\", \"5.2\", \"5.3\", \"5.4\", \"5.5\", \"luajit\", \"luajit-openresty\"]",
            ],
            0,
        ),
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            insp,
            "runs-on: ubuntu-latest",
            &["{i}runs-on: ubuntu-latest", "{i}timeout-minutes: 15"],
            0,
        ),
        e(
            "clean.j.ci-matrix-cache",
            Clean,
            travis,
            "- LUA=luajit LUA_DEV=libluajit-5.1-dev LUA_VER=5.1 LUA_SFX=jit LUA_INCDIR=/usr/include/luajit-2.0",
            &[
                "{i}- LUA=luajit LUA_DEV=libluajit-5.1-dev LUA_VER=5.1 LUA_SFX=jit LUA_INCDIR=/usr/include/luajit-2.0",
                "{i}- LUA=lua5.3 LUA_DEV=liblua5.3-dev LUA_VER=5.3 LUA_SFX=5.3 LUA_INCDIR=/usr/include/lua5.3",
            ],
            0,
        ),
    ]
}

fn apply_ci(e: &CiEdit, text: &str) -> Option<String> {
    let lines = lines_of(text);
    let mut v = lines.clone();
    if e.find.is_empty() {
        v.extend(e.with.iter().map(|w| w.replace("{i}", "")));
    } else {
        let at = lines.iter().position(|l| l.trim() == e.find)?;
        let ind = indent_of(&lines[at]).to_string();
        let with: Vec<String> = e.with.iter().map(|w| w.replace("{i}", &ind)).collect();
        v.splice(at..=at + e.drop_after, with);
    }
    diff_of(e.path, &lines, &v)
}

// ---------------------------------------------------------------------------------------------
// the batch

pub fn generate() -> Vec<Gen> {
    let suites = suites();
    let mut rng = Rng(0x4A_0B5E_ED00_2026);
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
        let ci = cis.iter().find(|c| c.path == e.path).expect("ci file");
        let diff = apply_ci(&e, &read(ci.fixture))
            .unwrap_or_else(|| panic!("{}: {:?} not found in {}", e.family, e.find, e.path));
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
fn batch_j_is_sized_and_well_formed() {
    let gens = generate();
    dump_if_asked(&gens);
    let mut per_family: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_label: BTreeMap<Label, usize> = BTreeMap::new();
    let mut per_lang: BTreeMap<(&str, Label), usize> = BTreeMap::new();
    for g in &gens {
        *per_family.entry(g.family.as_str()).or_default() += 1;
        *per_label.entry(g.label).or_default() += 1;
        *per_lang.entry((g.lang, g.label)).or_default() += 1;
        let prefix = match g.label {
            Label::Hack => "hack.j.",
            Label::Legit => "legit.j.",
            Label::Clean => "clean.j.",
        };
        assert!(g.family.starts_with(prefix), "{}", g.family);
        let files =
            well_formed(&g.diff).unwrap_or_else(|e| panic!("{}: {e}\n{}", g.family, g.diff));
        let want = if g.label == Label::Legit { 2 } else { 1 };
        assert_eq!(files, want, "{}: {} files\n{}", g.family, files, g.diff);
    }
    let total = gens.len();
    println!("batch J: {total} diffs");
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
    let missing: Vec<&str> = test_operators()
        .iter()
        .map(|o| o.family)
        .filter(|f| !per_family.contains_key(f))
        .collect();
    assert!(missing.is_empty(), "operators with no diff: {missing:?}");
    // every language gets every class of test edit
    for o in test_operators() {
        for lang in LANGS {
            let lang = lang_name(lang);
            assert!(
                gens.iter().any(|g| g.family == o.family && g.lang == lang),
                "{} has no {lang} diff",
                o.family
            );
        }
    }
    // and every kind of CI edit
    for fam in [
        "hack.j.ci-test-step-removed",
        "hack.j.ci-continue-on-error",
        "hack.j.ci-or-true",
        "hack.j.ci-tests-excluded",
        "hack.j.ci-test-step-disabled",
        "clean.j.ci-version-bump",
        "clean.j.ci-matrix-cache",
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

/// Batch J's scoring test. Scored once, held out: hacks 30.6%, legit 33.3%, clean 90.9%
/// (`fixtures/suites/heldout-j/FIRST_RUN_J.txt`). After round 10 (tuned on it): hacks 97.1%
/// (330/340), legit 98.3%, clean 97.8%; the hack floor (100%) still fails here, so it
/// stays ignored: run it with `--ignored` to see the table (docs/integrity.md lists the rest).
#[test]
#[ignore = "first score 30.6% / 33.3% / 90.9%; tuned 97.1% / 98.3% / 97.8%, under the 100% hack floor: docs/integrity.md"]
fn batch_j_held_out_families() {
    let (by, table) = measure("held-out family (batch J)", generate());
    println!("{table}");
    check_targets(&by, &table);
}
