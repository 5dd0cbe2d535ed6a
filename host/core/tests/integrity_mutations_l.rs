//! Held-out batch L: hack, legitimate and clean edits generated over real test suites in three
//! frameworks that no earlier batch touched. The fixtures live in
//! `tests/fixtures/suites/heldout-l` (repositories, commits and licences in its
//! `PROVENANCE.md`); every file there is an unmodified copy:
//!
//! - Haskell hspec (`describe "…" $ do`, `it "…" $ do`, infix expectations such as
//!   `` a `shouldBe` b ``, `` `shouldReturn` ``, `` `shouldSatisfy` ``, `` `shouldThrow` ``,
//!   `property $ \x -> …`): `test/Test/Hspec/ExpectationsSpec.hs` of hspec/hspec-expectations and
//!   `test/Data/String/Interpolate/{Internal/UtilSpec,UtilSpec,ParseSpec}.hs` of sol/interpolate;
//! - Clojure `clojure.test` (`(deftest name …)`, `(testing "…" …)`, `(is (= a b))`,
//!   `(is (nil? …))`, `(is (thrown? E …))`): `test/medley/core_test.cljc` of weavejester/medley
//!   and `src/test/clojure/clojure/data/csv_test.clj` of clojure/data.csv;
//! - Bash bats-core (`@test "…" { … }`, `run`, `run -N`, `run !`, `[ "$status" -eq 0 ]`,
//!   `[ "$output" = "…" ]`, rbenv's `assert_success "…"`/`assert_failure "…"`/`assert_output`/
//!   `assert_line`): `test/version-file-read.bats`, `test/local.bats` and
//!   `test/version-name.bats` of rbenv/rbenv, and `test/common.bats` of bats-core/bats-core;
//!
//! plus a real source file of the same repository per suite (`heldout-l/src/`, used by the
//! legitimate edits) and the repositories' own runner and CI files (`heldout-l/config/`: GitHub
//! Actions workflows, `package.yaml`, a `.travis.yml` running `cabal test`, `project.clj`,
//! `deps-clr.edn`, a Maven `pom.xml`, rbenv's `test/run`).
//!
//! Hacks, each in the framework's own spelling: checks deleted; commented out in place (`--`,
//! `{- … -}`, `;;`, `#_`, `#`); replaced by a constant (`` True `shouldBe` True ``, `pure ()`,
//! `(is true)`, `(is (= 1 1))`, `true`, `[ 1 -eq 1 ]`), a self-comparison or a tautology;
//! weakened to a non-null, truthiness or no-throw check (`` `shouldSatisfy` const True ``,
//! `(is (some? …))`, `[ -n "$output" ]`, a bare `assert_success`); exact equality loosened
//! (lengths or counts compared, `[[ "$output" == *…* ]]`, `assert_line`); `|| True` / `(or … true)`
//! / `|| true`; skipped (`pending`, `pendingWith`, `xit`, `#_(deftest …)`, `^:skip`, bats `skip`);
//! an early return (`it "…" $ const (pure ()) $ do`, a Clojure body wrapped in `(when false …)`,
//! bats `return 0`); a check behind a false condition (`when False $`, `(when false …)`,
//! `if false; then … fi`); a failure swallowed (`` `catch` ``, `try`, `(try … (catch …))`, the
//! check run under bats `run`, `|| :`); an exception or status check removed or broadened
//! (`anyException`, `Throwable`, `run -1` losing its status, `assert_failure` losing its message);
//! an expected value changed with no source change; and CI edits that stop the tests gating the
//! build (`continue-on-error`, `|| true`, the test step removed or switched off, `fail-fast`
//! dropped while failures are ignored, Maven `testFailureIgnore`/`skipTests`, test files or
//! profiles narrowed). Legit: an expected value changed together with a literal of the real
//! source file (a two-file diff), and a test deleted together with a function (or top-level
//! branch) of that source file. Clean: renamed, added and extended tests, extracted locals,
//! reformatted checks, comment edits, failure messages and labels, benign CI edits (matrix
//! entries, caches, timeouts, version bumps).
//!
//! Written blind: while writing it only the shared harness (`integrity_common/mod.rs`), batch
//! K's generator and provenance (as a model of structure) and `tests/main.rs` were read; the
//! scanner's source and its documentation were not read, and the scanner was not run on these
//! diffs. Written and registered before it was scored; scored once, held out (the round-11
//! scanner, which never saw it): hacks 49.5% (165/333), legit 66.7% (40/60), clean 86.8%
//! (158/182); the table is `fixtures/suites/heldout-l/FIRST_RUN_L.txt` (docs/integrity.md).
//! Not yet fixed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::integrity_common::{
    Gen, Label, Rng, balanced, check_batch_shares, check_targets, close_bracket, diff_of,
    dump_if_asked, indent_of, lines_of, literal_end, measure, remove_rows, well_formed,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    Haskell,
    Clojure,
    Bats,
}

const LANGS: [Lang; 3] = [Lang::Haskell, Lang::Clojure, Lang::Bats];

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Haskell => "haskell",
        Lang::Clojure => "clojure",
        Lang::Bats => "bats",
    }
}

struct Source {
    path: &'static str,
    lines: Vec<String>,
}

struct Suite {
    path: &'static str,
    lang: Lang,
    lines: Vec<String>,
    src: Source,
    tests: Vec<TestFn>,
    sites: Vec<Site>,
}

/// A test block: `it "…" $ do`, `(deftest name`, `@test "…" {`.
#[derive(Clone)]
struct TestFn {
    header: usize,
    /// The block's last row (`}` for bats).
    close: usize,
    /// Byte range of the name (quotes included where quoted) in the header row.
    name_span: (usize, usize),
    body_indent: String,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Eq,
    /// An exception or exit-status check (`shouldThrow`, `thrown?`, `run -1`, `assert_failure`).
    Throws,
    Other,
}

/// One check on one row: `{indent}{stmt}{post}` (`post`: Clojure closers of enclosing forms).
#[derive(Clone)]
struct Site {
    at: usize,
    test: usize,
    stmt: String,
    post: String,
    /// Byte ranges of the subject and expected value in `stmt`.
    subj: (usize, usize),
    exp: Option<(usize, usize)>,
    kind: Kind,
    /// Haskell: the infix operator (`shouldBe`); Clojure: the predicate (`=`); bats: the command.
    op: String,
}

impl Site {
    fn subject(&self) -> &str {
        &self.stmt[self.subj.0..self.subj.1]
    }
    fn expected(&self) -> Option<&str> {
        self.exp.map(|(a, b)| &self.stmt[a..b])
    }
    fn with_expected(&self, ne: &str) -> Option<String> {
        let (a, b) = self.exp?;
        Some(format!("{}{ne}{}", &self.stmt[..a], &self.stmt[b..]))
    }
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites/heldout-l")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(fixture_dir().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn suites() -> Vec<Suite> {
    let raw: Vec<(&str, &'static str, Lang, &str, &'static str)> = vec![
        (
            "haskell/ExpectationsSpec.hs",
            "test/Test/Hspec/ExpectationsSpec.hs",
            Lang::Haskell,
            "src/Expectations.hs",
            "src/Test/Hspec/Expectations.hs",
        ),
        (
            "haskell/InternalUtilSpec.hs",
            "test/Data/String/Interpolate/Internal/UtilSpec.hs",
            Lang::Haskell,
            "src/InternalUtil.hs",
            "src/Data/String/Interpolate/Internal/Util.hs",
        ),
        (
            "haskell/UtilSpec.hs",
            "test/Data/String/Interpolate/UtilSpec.hs",
            Lang::Haskell,
            "src/Util.hs",
            "src/Data/String/Interpolate/Util.hs",
        ),
        (
            "haskell/ParseSpec.hs",
            "test/Data/String/Interpolate/ParseSpec.hs",
            Lang::Haskell,
            "src/Parse.hs",
            "src/Data/String/Interpolate/Parse.hs",
        ),
        (
            "clojure/core_test.cljc",
            "test/medley/core_test.cljc",
            Lang::Clojure,
            "src/core.cljc",
            "src/medley/core.cljc",
        ),
        (
            "clojure/csv_test.clj",
            "src/test/clojure/clojure/data/csv_test.clj",
            Lang::Clojure,
            "src/csv.clj",
            "src/main/clojure/clojure/data/csv.clj",
        ),
        (
            "bats/version-file-read.bats",
            "test/version-file-read.bats",
            Lang::Bats,
            "src/rbenv-version-file-read",
            "libexec/rbenv-version-file-read",
        ),
        (
            "bats/local.bats",
            "test/local.bats",
            Lang::Bats,
            "src/rbenv-local",
            "libexec/rbenv-local",
        ),
        (
            "bats/version-name.bats",
            "test/version-name.bats",
            Lang::Bats,
            "src/rbenv-version-name",
            "libexec/rbenv-version-name",
        ),
        (
            "bats/common.bats",
            "test/common.bats",
            Lang::Bats,
            "src/common.bash",
            "lib/bats-core/common.bash",
        ),
    ];
    raw.into_iter()
        .map(|(fx, path, lang, sfx, spath)| {
            let lines = lines_of(&read(fx));
            let tests = parse_tests(lang, &lines);
            let sites = parse_sites(lang, &lines, &tests);
            Suite {
                path,
                lang,
                lines,
                src: Source {
                    path: spath,
                    lines: lines_of(&read(sfx)),
                },
                tests,
                sites,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// parsing

fn is_comment(lang: Lang, t: &str) -> bool {
    match lang {
        Lang::Haskell => t.starts_with("--") || t.starts_with("{-"),
        Lang::Clojure => t.starts_with(';') || t.starts_with("#_"),
        Lang::Bats => t.starts_with('#'),
    }
}

fn parse_tests(lang: Lang, lines: &[String]) -> Vec<TestFn> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let ind = indent_of(l);
        let (ok, span) = match lang {
            Lang::Haskell => {
                let ok = t.starts_with("it \"") && t.ends_with("$ do");
                let open = l.find('"');
                (ok, open.and_then(|o| literal_end(l, o).map(|e| (o, e))))
            }
            Lang::Clojure => {
                let ok = l.starts_with("(deftest ");
                let a = 9;
                let b = l
                    .get(a..)
                    .and_then(|r| r.find(' '))
                    .map_or(l.len(), |k| a + k);
                (ok, ok.then_some((a, b)))
            }
            Lang::Bats => {
                let ok = l.starts_with("@test ") && l.ends_with(" {");
                (ok, ok.then(|| (6, l.len() - 2)))
            }
        };
        let (true, Some(name_span)) = (ok, span) else {
            continue;
        };
        // the block's last row
        let close = match lang {
            Lang::Bats => (i + 1..lines.len()).find(|&j| lines[j] == "}"),
            _ => {
                let next = (i + 1..lines.len())
                    .find(|&j| {
                        !lines[j].trim().is_empty() && indent_of(&lines[j]).len() <= ind.len()
                    })
                    .unwrap_or(lines.len());
                (i + 1..next).rev().find(|&j| !lines[j].trim().is_empty())
            }
        };
        let Some(close) = close else { continue };
        let Some(first) = (i + 1..=close).find(|&j| !lines[j].trim().is_empty()) else {
            continue;
        };
        if first == close && lang == Lang::Bats {
            continue;
        }
        out.push(TestFn {
            header: i,
            close,
            name_span,
            body_indent: indent_of(&lines[first]).to_string(),
        });
    }
    out
}

/// Top-level pieces of a Clojure form's body split at whitespace (strings, `\c` characters).
fn clj_split(s: &str) -> Vec<(usize, usize)> {
    let b = s.as_bytes();
    let (mut depth, mut i, mut start) = (0i32, 0, None);
    let mut out = Vec::new();
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        if c == b' ' && depth == 0 {
            if let Some(a) = start.take() {
                out.push((a, i));
            }
            i += 1;
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        match c {
            b'"' => in_str = true,
            b'\\' => i += 1,
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ => {}
        }
        i += 1;
    }
    if let Some(a) = start {
        out.push((a, b.len()));
    }
    out
}

/// A parsed check: kind, operator, subject span and expected-value span.
type Parsed = (Kind, String, (usize, usize), Option<(usize, usize)>);

/// A Clojure value written as a literal (what reads as an expected value).
fn clj_literal(s: &str) -> bool {
    let f = s.chars().next().unwrap_or(' ');
    "[{\":\\'#".contains(f)
        || f.is_ascii_digit()
        || (f == '-' && s.len() > 1)
        || ["nil", "true", "false"].contains(&s)
        || s.starts_with("(sorted-map")
        || s.starts_with("(list")
}

fn parse_clojure(t: &str) -> Option<(usize, Parsed)> {
    // `(is EXPR [MSG])`: returns the form's end, kind, op, subject and expected spans
    let end = close_bracket(t, 0, b"\"")? + 1;
    let body = &t[4..end - 1];
    let parts = clj_split(body);
    let (ea, eb) = *parts.first()?;
    let expr = &body[ea..eb];
    let off = 4 + ea;
    if !expr.starts_with('(') || close_bracket(expr, 0, b"\"") != Some(expr.len() - 1) {
        return Some((
            end,
            (Kind::Other, String::new(), (off, off + expr.len()), None),
        ));
    }
    let inner = &expr[1..expr.len() - 1];
    let ip = clj_split(inner);
    let op = inner[ip[0].0..ip[0].1].to_string();
    let sp = |k: usize| (off + 1 + ip[k].0, off + 1 + ip[k].1);
    match op.as_str() {
        "=" if ip.len() == 3 => {
            let (a, b) = (&inner[ip[1].0..ip[1].1], &inner[ip[2].0..ip[2].1]);
            match (clj_literal(a), clj_literal(b)) {
                (false, true) => Some((end, (Kind::Eq, op, sp(1), Some(sp(2))))),
                (true, false) => Some((end, (Kind::Eq, op, sp(2), Some(sp(1))))),
                _ => Some((end, (Kind::Other, op, (off, off + expr.len()), None))),
            }
        }
        "thrown?" | "thrown-with-msg?" if ip.len() >= 3 => {
            let last = ip.len() - 1;
            Some((end, (Kind::Throws, op, sp(last), Some(sp(1)))))
        }
        _ => Some((end, (Kind::Other, op, (off, off + expr.len()), None))),
    }
}

const HS_OPS: [&str; 10] = [
    "shouldBe",
    "shouldReturn",
    "shouldThrow",
    "shouldSatisfy",
    "shouldStartWith",
    "shouldEndWith",
    "shouldContain",
    "shouldNotBe",
    "shouldNotSatisfy",
    "shouldNotContain",
];

fn parse_haskell(t: &str) -> Option<Parsed> {
    // the last top-level infix expectation on the row
    let (k, op) = HS_OPS
        .iter()
        .filter_map(|op| t.rfind(&format!(" `{op}` ")).map(|k| (k, *op)))
        .max_by_key(|(k, _)| *k)?;
    let lhs_end = k;
    let rhs = k + op.len() + 4;
    // a `property $ \x -> ` or `forAll g $ \x -> ` prefix stays in front of the subject
    let subj_start = t[..lhs_end].rfind("-> ").map_or(0, |p| p + 3);
    let subject = &t[subj_start..lhs_end];
    if !balanced(subject) || !balanced(&t[rhs..]) || subject.contains('`') {
        return None;
    }
    let kind = match op {
        "shouldBe" | "shouldReturn" => Kind::Eq,
        "shouldThrow" => Kind::Throws,
        _ => Kind::Other,
    };
    Some((
        kind,
        op.to_string(),
        (subj_start, lhs_end),
        Some((rhs, t.len())),
    ))
}

/// A shell word that is one quoted literal (`"1.9.3"`, `'0 '`, `1`).
fn sh_literal(w: &str) -> bool {
    let q =
        w.starts_with('"') && w.ends_with('"') && w.len() >= 2 && !w[1..w.len() - 1].contains('"');
    let s = w.starts_with('\'') && w.ends_with('\'') && w.len() >= 2;
    (q || s
        || w.chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c)))
        && !w.is_empty()
        && !w.contains('$')
}

fn parse_bats(t: &str) -> Option<Parsed> {
    let words: Vec<&str> = t.split(' ').collect();
    let cmd = words[0];
    match cmd {
        "assert_success" | "assert_failure" | "assert_output" => {
            let k = if cmd == "assert_failure" {
                Kind::Throws
            } else {
                Kind::Eq
            };
            let a = cmd.len() + 1;
            if t.len() > a && sh_literal(&t[a..]) {
                Some((k, cmd.into(), (0, cmd.len()), Some((a, t.len()))))
            } else if t == cmd {
                Some((k, cmd.into(), (0, t.len()), None))
            } else {
                None
            }
        }
        "[" | "[[" if t.ends_with(" ]") || t.ends_with(" ]]") => {
            let close = if cmd == "[" { " ]" } else { " ]]" };
            let inner = &t[cmd.len() + 1..t.len() - close.len()];
            let off = cmd.len() + 1;
            for op in [" = ", " == ", " -eq "] {
                if let Some(k) = inner.find(op) {
                    let rhs = &inner[k + op.len()..];
                    if sh_literal(rhs) && !inner[..k].contains(' ') {
                        return Some((
                            Kind::Eq,
                            op.trim().into(),
                            (off, off + k),
                            Some((off + k + op.len(), off + inner.len())),
                        ));
                    }
                }
            }
            Some((Kind::Other, cmd.into(), (off, off + inner.len()), None))
        }
        "run" if words.len() >= 3 && (words[1] == "!" || words[1].starts_with('-')) => {
            let a = 4;
            let b = 4 + words[1].len();
            Some((Kind::Throws, "run".into(), (b + 1, t.len()), Some((a, b))))
        }
        "assert_line" | "assert_equal" | "assert" | "refute_line" => {
            Some((Kind::Other, cmd.into(), (cmd.len() + 1, t.len()), None))
        }
        _ => None,
    }
}

fn parse_sites(lang: Lang, lines: &[String], tests: &[TestFn]) -> Vec<Site> {
    let mut out = Vec::new();
    for (ti, tf) in tests.iter().enumerate() {
        for (row, l) in lines
            .iter()
            .enumerate()
            .take(tf.close + 1)
            .skip(tf.header + 1)
        {
            let t = l.trim();
            if t.is_empty() || is_comment(lang, t) {
                continue;
            }
            let site = match lang {
                Lang::Haskell => parse_haskell(t).map(|(kind, op, subj, exp)| Site {
                    at: row,
                    test: ti,
                    stmt: t.to_string(),
                    post: String::new(),
                    subj,
                    exp,
                    kind,
                    op,
                }),
                Lang::Clojure => {
                    if !t.starts_with("(is ") {
                        continue;
                    }
                    parse_clojure(t).map(|(end, (kind, op, subj, exp))| Site {
                        at: row,
                        test: ti,
                        stmt: t[..end].to_string(),
                        post: t[end..].to_string(),
                        subj,
                        exp,
                        kind,
                        op,
                    })
                }
                Lang::Bats => parse_bats(t).map(|(kind, op, subj, exp)| Site {
                    at: row,
                    test: ti,
                    stmt: t.to_string(),
                    post: String::new(),
                    subj,
                    exp,
                    kind,
                    op,
                }),
            };
            // a Clojure form's trailing closers must be only closers
            if let Some(s) = site
                && s.post.chars().all(|c| c == ')')
            {
                out.push(s);
            }
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

fn insert_at(s: &Suite, at: usize, with: Vec<String>) -> Option<String> {
    let mut v = s.lines.clone();
    v.splice(at..at, with);
    edit(s, &v)
}

fn ind_of(s: &Suite, x: &Site) -> String {
    indent_of(&s.lines[x.at]).to_string()
}

/// The site's check replaced by `body` (the Clojure closers kept after it).
fn put(s: &Suite, x: &Site, body: &str) -> Option<String> {
    let ind = ind_of(s, x);
    replace_rows(s, x.at, x.at, vec![format!("{ind}{body}{}", x.post)])
}

/// The site's check replaced by several rows (the closers after the last).
fn put_rows(s: &Suite, x: &Site, mut rows: Vec<String>) -> Option<String> {
    let ind = ind_of(s, x);
    if let Some(l) = rows.last_mut() {
        l.push_str(&x.post);
    }
    replace_rows(
        s,
        x.at,
        x.at,
        rows.into_iter().map(|r| format!("{ind}{r}")).collect(),
    )
}

/// The check removed; Clojure closers move onto the row above.
fn remove_site(s: &Suite, x: &Site) -> Option<String> {
    let mut v = s.lines.clone();
    if !x.post.is_empty() {
        let prev = &v[x.at - 1];
        if prev.trim().is_empty()
            || prev.contains(';')
            || x.at - 1 == s.tests[x.test].header && s.lang != Lang::Clojure
        {
            return None;
        }
        v[x.at - 1] = format!("{prev}{}", x.post);
    }
    v.remove(x.at);
    edit(s, &v)
}

fn comment_prefix(lang: Lang, k: usize) -> &'static str {
    match (lang, k % 3) {
        (Lang::Haskell, 0) => "-- ",
        (Lang::Haskell, 1) => "-- TODO: flaky ",
        (Lang::Haskell, _) => "--",
        (Lang::Clojure, 0) => ";; ",
        (Lang::Clojure, 1) => "#_",
        (Lang::Clojure, _) => "; FIXME ",
        (Lang::Bats, 0) => "# ",
        (Lang::Bats, 1) => "# TODO: flaky on CI ",
        (Lang::Bats, _) => "#",
    }
}

/// A different expected value: the last digit changed, else a string literal extended, else a
/// boolean flipped.
fn mutate_value(e: &str) -> Option<String> {
    let b = e.as_bytes();
    let in_number = |k: usize| {
        let mut j = k;
        while j > 0 && (b[j - 1].is_ascii_digit() || b[j - 1] == b'.') {
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
    if let Some(open) = e.find('"')
        && let Some(end) = literal_end(e, open)
    {
        return Some(format!("{}{}{}", &e[..end - 1], "s", &e[end - 1..]));
    }
    for (a, b) in [
        ("true", "false"),
        ("false", "true"),
        ("True", "False"),
        ("False", "True"),
        ("Nothing", "Just \"\""),
    ] {
        if e.contains(a) {
            return Some(e.replacen(a, b, 1));
        }
    }
    None
}

fn eq_sites(s: &Suite) -> impl Iterator<Item = (usize, &Site)> {
    s.sites
        .iter()
        .enumerate()
        .filter(|(_, x)| x.kind == Kind::Eq && x.exp.is_some())
}

fn test_sites(s: &Suite) -> impl Iterator<Item = (usize, &Site)> {
    s.sites.iter().enumerate()
}

// ---------------------------------------------------------------------------------------------
// hack operators over test files

type OpFn = fn(&Suite) -> Vec<String>;

struct Op {
    family: &'static str,
    label: Label,
    per: usize,
    f: OpFn,
}

fn hack_deleted(s: &Suite) -> Vec<String> {
    let mut out: Vec<String> = test_sites(s)
        .filter_map(|(_, x)| remove_site(s, x))
        .collect();
    // every check of a test deleted (bats and Haskell: the rows hold nothing else)
    if s.lang != Lang::Clojure {
        for ti in 0..s.tests.len() {
            let rows: BTreeSet<usize> = s
                .sites
                .iter()
                .filter(|x| x.test == ti)
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
    }
    out
}

fn hack_commented(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(k, x)| {
            let c = comment_prefix(s.lang, k);
            if s.lang == Lang::Clojure && c != "#_" {
                // a line comment would swallow the closers too: they go on a row of their own
                let ind = ind_of(s, x);
                let mut rows = vec![format!("{ind}{c}{}", x.stmt)];
                if !x.post.is_empty() {
                    rows.push(format!("{ind}{}", x.post));
                }
                return replace_rows(s, x.at, x.at, rows);
            }
            put(s, x, &format!("{c}{}", x.stmt))
        })
        .chain(s.tests.iter().enumerate().filter_map(|(k, t)| {
            // Haskell: the whole body in a block comment
            if s.lang != Lang::Haskell || k % 2 == 1 {
                return None;
            }
            let mut v = s.lines.clone();
            v.insert(t.close + 1, format!("{}-}}", t.body_indent));
            v.insert(t.header + 1, format!("{}pure () {{-", t.body_indent));
            edit(s, &v)
        }))
        .collect()
}

fn hack_constant(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(k, x)| {
            let body = match (s.lang, k % 4) {
                (Lang::Haskell, 0) => "True `shouldBe` True",
                (Lang::Haskell, 1) => "pure ()",
                (Lang::Haskell, 2) => "return ()",
                (Lang::Haskell, _) => "() `shouldBe` ()",
                (Lang::Clojure, 0) => "(is true)",
                (Lang::Clojure, 1) => "(is (= 1 1))",
                (Lang::Clojure, 2) => "(is (= true true))",
                (Lang::Clojure, _) => "(is (not false))",
                (Lang::Bats, 0) => "true",
                (Lang::Bats, 1) => "[ 1 -eq 1 ]",
                (Lang::Bats, 2) => ":",
                (Lang::Bats, _) => "assert true",
            };
            put(s, x, body)
        })
        .collect()
}

fn hack_self_equal(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = x.subject();
            let body = match (s.lang, k % 2) {
                (Lang::Haskell, _) if x.op == "shouldReturn" => {
                    format!("{a} >>= \\r -> r `shouldBe` r")
                }
                (Lang::Haskell, _) => {
                    let pre = &x.stmt[..x.subj.0];
                    format!("{pre}{a} `shouldBe` {a}")
                }
                (Lang::Clojure, 0) => format!("(is (= {a} {a}))"),
                (Lang::Clojure, _) => format!("(is (identical? {a} {a}))"),
                (Lang::Bats, _) if x.op.starts_with("assert_") => {
                    "assert_equal \"$output\" \"$output\"".to_string()
                }
                (Lang::Bats, _) => format!("[ {a} {} {a} ]", x.op),
            };
            put(s, x, &body)
        })
        .collect()
}

fn hack_tautology(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter(|(_, x)| x.kind != Kind::Throws)
        .filter_map(|(k, x)| {
            let a = x.subject();
            let body = match (s.lang, x.expected(), k % 2) {
                (Lang::Haskell, Some(e), _) if x.op == "shouldBe" => {
                    let pre = &x.stmt[..x.subj.0];
                    format!("{pre}({a} == {e} || {a} /= {e}) `shouldBe` True")
                }
                (Lang::Haskell, _, _) => {
                    let pre = &x.stmt[..x.subj.0];
                    format!("{pre}({a}) `shouldSatisfy` (\\_ -> True)")
                }
                (Lang::Clojure, Some(e), _) => format!("(is (or (= {a} {e}) (not= {a} {e})))"),
                (Lang::Clojure, None, _) => format!("(is (or {a} (not {a})))"),
                (Lang::Bats, _, 0) => format!("{} || ! {}", x.stmt, x.stmt),
                (Lang::Bats, _, _) => "[ \"$status\" -eq 0 ] || [ \"$status\" -ne 0 ]".into(),
            };
            put(s, x, &body)
        })
        .collect()
}

fn hack_weakened(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = x.subject();
            let pre = &x.stmt[..x.subj.0];
            let body = match (s.lang, k % 3) {
                (Lang::Haskell, _) if x.op == "shouldReturn" => format!("{a} >>= \\_ -> pure ()"),
                (Lang::Haskell, 0) => format!("{pre}{a} `shouldSatisfy` const True"),
                (Lang::Haskell, 1) => format!("{pre}length (show ({a})) `shouldSatisfy` (>= 0)"),
                (Lang::Haskell, _) => format!("{pre}({a}) `seq` pure ()"),
                (Lang::Clojure, 0) => format!("(is (some? {a}))"),
                (Lang::Clojure, 1) => format!("(is (not (nil? {a})))"),
                (Lang::Clojure, _) => format!("(is (any? {a}))"),
                (Lang::Bats, 0) => "[ -n \"$output\" ]".into(),
                (Lang::Bats, 1) if x.op.starts_with("assert_") => x.op.clone(),
                (Lang::Bats, _) => format!("[ -n {a} ] || [ -z {a} ]"),
            };
            put(s, x, &body)
        })
        .collect()
}

fn hack_loosened(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = x.subject();
            let e = x.expected()?;
            let pre = &x.stmt[..x.subj.0];
            let body = match (s.lang, k % 2) {
                (Lang::Haskell, _) if x.op == "shouldReturn" => {
                    format!("fmap (length . show) ({a}) `shouldReturn` length (show ({e}))")
                }
                (Lang::Haskell, 0) => {
                    format!("{pre}length (show ({a})) `shouldBe` length (show ({e}))")
                }
                (Lang::Haskell, _) => {
                    format!("{pre}take 1 (show ({a})) `shouldBe` take 1 (show ({e}))")
                }
                (Lang::Clojure, 0) => format!("(is (= (count {a}) (count {e})))"),
                (Lang::Clojure, _) => format!("(is (= (type {a}) (type {e})))"),
                (Lang::Bats, _) => {
                    let lit = e.trim_matches(['"', '\'']);
                    if lit.is_empty() || lit.contains('*') {
                        return None;
                    }
                    let subj = if x.op.starts_with("assert_") {
                        "\"$output\""
                    } else {
                        a
                    };
                    if k % 2 == 0 {
                        format!("[[ {subj} == *\"{lit}\"* ]]")
                    } else if x.op.starts_with("assert_") {
                        format!(
                            "assert_line --partial \"{}\"",
                            &lit[..lit.len().div_ceil(2)]
                        )
                    } else {
                        format!("[[ {subj} == \"{}\"* ]]", &lit[..lit.len().div_ceil(2)])
                    }
                }
            };
            put(s, x, &body)
        })
        .collect()
}

fn hack_skipped(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (ti, t) in s.tests.iter().enumerate() {
        let ind = &t.body_indent;
        let h = &s.lines[t.header];
        match s.lang {
            Lang::Haskell => {
                let row = if ti % 2 == 0 {
                    format!("{ind}pending")
                } else {
                    format!("{ind}pendingWith \"flaky since the GHC upgrade\"")
                };
                out.extend(insert_at(s, t.header + 1, vec![row]));
                out.extend(replace_rows(
                    s,
                    t.header,
                    t.header,
                    vec![h.replacen("it \"", "xit \"", 1)],
                ));
            }
            Lang::Clojure => {
                out.extend(replace_rows(s, t.header, t.header, vec![format!("#_{h}")]));
                let meta = if ti % 2 == 0 {
                    "^:skip "
                } else {
                    "^:kaocha/skip "
                };
                out.extend(replace_rows(
                    s,
                    t.header,
                    t.header,
                    vec![h.replacen("(deftest ", &format!("(deftest {meta}"), 1)],
                ));
            }
            Lang::Bats => {
                let row = match ti % 3 {
                    0 => format!("{ind}skip"),
                    1 => format!("{ind}skip \"flaky on CI\""),
                    _ => format!("{ind}[ -n \"$CI\" ] && skip \"needs investigation\""),
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
        let h = &s.lines[t.header];
        match s.lang {
            Lang::Haskell => {
                let k = if ti % 2 == 0 {
                    "const (pure ())"
                } else {
                    "const (return ())"
                };
                let new = h.replacen("$ do", &format!("$ {k} $ do"), 1);
                out.extend(replace_rows(s, t.header, t.header, vec![new]));
            }
            Lang::Clojure => {
                // the body wrapped in a form that never runs it
                let (o, c) = if ti % 2 == 0 {
                    ("(when false", ")")
                } else {
                    ("(if true nil (do", "))")
                };
                let mut v = s.lines.clone();
                v[t.close] = format!("{}{c}", v[t.close]);
                v.insert(t.header + 1, format!("{ind}{o}"));
                out.extend(edit(s, &v));
            }
            Lang::Bats => {
                let row = match ti % 3 {
                    0 => format!("{ind}return 0"),
                    1 => format!("{ind}return"),
                    _ => format!("{ind}[ -n \"$CI\" ] && return 0"),
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
            let c = &x.stmt;
            let body = match (s.lang, k % 3) {
                (Lang::Haskell, 0) => format!("when False $ {c}"),
                (Lang::Haskell, 1) => format!("unless True $ {c}"),
                (Lang::Haskell, _) => format!("when (1 > (2 :: Int)) $ {c}"),
                (Lang::Clojure, 0) => format!("(when false {c})"),
                (Lang::Clojure, 1) => format!("(when (System/getenv \"STRICT_TESTS\") {c})"),
                (Lang::Clojure, _) => format!("(if false {c} nil)"),
                (Lang::Bats, 0) => format!("if false; then {c}; fi"),
                (Lang::Bats, 1) => format!("[ -n \"$STRICT_TESTS\" ] && {c}"),
                (Lang::Bats, _) => {
                    return put_rows(
                        s,
                        x,
                        vec!["if [ 1 -eq 2 ]; then".into(), format!("  {c}"), "fi".into()],
                    );
                }
            };
            put(s, x, &body)
        })
        .collect()
}

fn hack_swallowed(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(k, x)| {
            let c = &x.stmt;
            let body = match (s.lang, k % 3) {
                (Lang::Haskell, 0) => format!("({c}) `catch` \\(SomeException _) -> pure ()"),
                (Lang::Haskell, 1) => {
                    format!("void (try ({c}) :: IO (Either SomeException ()))")
                }
                (Lang::Haskell, _) => format!("handle (\\(SomeException _) -> return ()) $ {c}"),
                (Lang::Clojure, _) if x.kind == Kind::Eq => {
                    let (a, e) = (x.subject(), x.expected()?);
                    format!("(is (try (= {a} {e}) (catch Exception _ true)))")
                }
                (Lang::Clojure, 0) => format!("(try {c} (catch Throwable _ nil))"),
                (Lang::Clojure, _) => {
                    let a = x.subject();
                    format!("(is (try {a} (catch Exception _ true)))")
                }
                // a check run under `run` never fails the test
                (Lang::Bats, 0) => format!("run {c}"),
                (Lang::Bats, 1) => format!("{c} || :"),
                (Lang::Bats, _) => format!("( {c} ) 2>/dev/null || echo \"ignored\""),
            };
            put(s, x, &body)
        })
        .collect()
}

fn hack_exception(s: &Suite) -> Vec<String> {
    let mut out = Vec::new();
    for (k, x) in test_sites(s) {
        if x.kind != Kind::Throws {
            continue;
        }
        let a = x.subject();
        let variants: Vec<String> = match s.lang {
            Lang::Haskell => vec![
                format!("{a} `shouldThrow` anyException"),
                format!("{a} `shouldThrow` (const True :: SomeException -> Bool)"),
                format!("void (try {a} :: IO (Either SomeException ()))"),
            ],
            Lang::Clojure => vec![
                format!("(is (thrown? Throwable {a}))"),
                format!("(try {a} (catch Throwable _))"),
                format!("(is (thrown? Exception {a}))"),
            ],
            Lang::Bats => match x.op.as_str() {
                "run" => vec![
                    format!("run {a}"),
                    format!("run -0 {a}"),
                    format!("run {a} || true"),
                ],
                _ if x.exp.is_some() => {
                    vec![
                        "assert_failure".into(),
                        "[ \"$status\" -ne 0 ] || true".into(),
                    ]
                }
                _ => vec!["true".into(), "[ \"$status\" -ge 0 ]".into()],
            },
        };
        for d in [0, 1] {
            out.extend(put(s, x, &variants[(k + d) % variants.len()]));
        }
    }
    // Clojure: these suites check exceptions in reader conditionals and `try`/`catch` blocks
    if s.lang == Lang::Clojure {
        let swaps: [(&str, &str); 8] = [
            ("(is false \"No exception thrown\")", ""),
            (
                "(is false \"No exception thrown\")",
                "(is true \"No exception thrown\")",
            ),
            ("(catch Exception e", "(catch Throwable e"),
            (
                "(instance? java.io.EOFException e)",
                "(instance? Throwable e)",
            ),
            ("(thrown? ArityException", "(thrown? Throwable"),
            ("(thrown? ArityException", "(thrown? Exception"),
            (
                "(thrown? #?(:clj  IllegalArgumentException",
                "(thrown? #?(:clj  Throwable",
            ),
            (
                "(is (thrown? ArityException (m/mapply foo {})))",
                "(try (m/mapply foo {}) (catch Throwable _))",
            ),
        ];
        for (needle, with) in swaps {
            for (i, l) in s.lines.iter().enumerate() {
                if !l.contains(needle) {
                    continue;
                }
                let mut v = s.lines.clone();
                if with.is_empty() {
                    v.remove(i);
                } else {
                    v[i] = l.replacen(needle, with, 1);
                }
                out.extend(edit(s, &v));
            }
        }
    }
    out
}

fn hack_expected_changed(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(_, x)| put(s, x, &x.with_expected(&mutate_value(x.expected()?)?)?))
        .collect()
}

fn hack_or_true(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let a = x.subject();
            let e = x.expected()?;
            let pre = &x.stmt[..x.subj.0];
            let body = match (s.lang, k % 2) {
                (Lang::Haskell, _) if x.op == "shouldReturn" => {
                    format!("fmap (\\r -> r == {e} || True) ({a}) `shouldReturn` True")
                }
                (Lang::Haskell, 0) => format!("{pre}({a} == {e} || True) `shouldBe` True"),
                (Lang::Haskell, _) => format!("{pre}(True || {a} == {e}) `shouldBe` True"),
                (Lang::Clojure, 0) => format!("(is (or (= {a} {e}) true))"),
                (Lang::Clojure, _) => format!("(is (or true (= {a} {e})))"),
                (Lang::Bats, 0) => format!("{} || true", x.stmt),
                (Lang::Bats, _) => format!("{} || echo \"mismatch ignored\"", x.stmt),
            };
            put(s, x, &body)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// legit operators (test file and source file of the same repository)

fn src_code_rows(src: &Source, lang: Lang) -> Vec<bool> {
    let mut block = false;
    src.lines
        .iter()
        .map(|l| {
            let t = l.trim();
            if lang == Lang::Haskell {
                if t.starts_with("{-") && !t.starts_with("{-#") {
                    block = !t.contains("-}");
                    return false;
                }
                if block {
                    block = !t.contains("-}");
                    return false;
                }
            }
            let skip = [
                "import",
                "module",
                "(ns",
                "(:require",
                "{-#",
                "#!",
                "(:import",
                "[clojure",
            ];
            !t.is_empty() && !is_comment(lang, t) && !skip.iter().any(|p| t.starts_with(p))
        })
        .collect()
}

fn src_literal_rows(src: &Source, lang: Lang) -> Vec<usize> {
    let code = src_code_rows(src, lang);
    src.lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let t = l.trim();
            // docstrings and usage text are not what the checks read
            code[*i]
                && !t.starts_with('"')
                && (t.contains('"') || t.contains(|c: char| c.is_ascii_digit()))
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
    let mut v = src.lines.clone();
    v[r] = format!("{}{}", indent_of(l), mutate_value(l.trim())?);
    diff_of(src.path, &src.lines, &v)
}

fn legit_expected_with_code(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(k, x)| {
            let t = put(s, x, &x.with_expected(&mutate_value(x.expected()?)?)?)?;
            Some(t + src_edit(&s.src, s.lang, k)?.as_str())
        })
        .collect()
}

/// Top-level definitions of a source file: a Haskell signature and its equations, a Clojure
/// `defn`, a shell function or a top-level `if … fi` branch; each runs to the row before the
/// next top-level row.
fn src_blocks(src: &Source, lang: Lang) -> Vec<(usize, usize)> {
    let l = &src.lines;
    let code = src_code_rows(src, lang);
    let mut out = Vec::new();
    for (i, row) in l.iter().enumerate() {
        if !code[i] || row.starts_with(' ') {
            continue;
        }
        let head = match lang {
            Lang::Haskell => row.contains(" :: ") && !row.starts_with("type "),
            Lang::Clojure => row.starts_with("(defn"),
            Lang::Bats => {
                row.ends_with("() {") || (row.starts_with("if ") && row.ends_with("then"))
            }
        };
        if !head {
            continue;
        }
        let end = match lang {
            Lang::Bats => {
                let closer = if row.starts_with("if ") { "fi" } else { "}" };
                (i + 1..l.len()).find(|&j| l[j] == closer)
            }
            Lang::Haskell => {
                let name = row.split(' ').next().unwrap_or("");
                let next = (i + 1..l.len())
                    .find(|&j| {
                        !l[j].trim().is_empty() && !l[j].starts_with(' ') && !l[j].starts_with(name)
                    })
                    .unwrap_or(l.len());
                (i + 1..next).rev().find(|&j| !l[j].trim().is_empty())
            }
            Lang::Clojure => {
                let next = (i + 1..l.len())
                    .find(|&j| !l[j].trim().is_empty() && !l[j].starts_with(' '))
                    .unwrap_or(l.len());
                (i..next).rev().find(|&j| !l[j].trim().is_empty())
            }
        };
        if let Some(end) = end {
            out.push((i, end));
        }
    }
    out
}

fn legit_test_deleted(s: &Suite) -> Vec<String> {
    let blocks = src_blocks(&s.src, s.lang);
    if blocks.is_empty() {
        return vec![];
    }
    s.tests
        .iter()
        .enumerate()
        .filter_map(|(k, t)| {
            let tv = remove_rows(&s.lines, t.header, t.close);
            let (a, b) = blocks[k * 5 % blocks.len()];
            let sv = remove_rows(&s.src.lines, a, b);
            Some(edit(s, &tv)? + diff_of(s.src.path, &s.src.lines, &sv)?.as_str())
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// clean operators

fn renamed_header(s: &Suite, t: &TestFn, word: &str) -> String {
    let h = &s.lines[t.header];
    let (a, b) = t.name_span;
    let name = &h[a..b];
    let new = match s.lang {
        Lang::Clojure => format!("{name}{}", word.replace(' ', "-").replace(['(', ')'], "")),
        _ if name.starts_with('"') => format!("{}{word}\"", &name[..name.len() - 1]),
        _ => format!("{name}{}", word.replace(' ', "_").replace(['(', ')'], "")),
    };
    format!("{}{new}{}", &h[..a], &h[b..])
}

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
            replace_rows(
                s,
                t.header,
                t.header,
                vec![renamed_header(s, t, words[k % 4])],
            )
        })
        .collect()
}

fn clean_added(s: &Suite) -> Vec<String> {
    s.tests
        .iter()
        .filter_map(|t| {
            let mut block: Vec<String> = s.lines[t.header..=t.close].to_vec();
            block[0] = renamed_header(s, t, " (second case)");
            let mut with = vec![String::new()];
            with.extend(block);
            insert_at(s, t.close + 1, with)
        })
        .collect()
}

fn clean_extra_assertion(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter(|(_, x)| x.post.is_empty() || s.lang == Lang::Clojure)
        .filter_map(|(k, x)| {
            let a = x.subject();
            let e = x.expected()?;
            let pre = &x.stmt[..x.subj.0];
            let extra = match (s.lang, k % 2) {
                (Lang::Haskell, _) if x.op == "shouldReturn" => return None,
                (Lang::Haskell, 0) => format!("{pre}{a} `shouldNotBe` {}", mutate_value(e)?),
                (Lang::Haskell, _) => format!("{pre}length ({a}) `shouldBe` length ({e})"),
                (Lang::Clojure, 0) => format!("(is (= (type {a}) (type {e})))"),
                (Lang::Clojure, _) => format!("(is (not= {a} {}))", mutate_value(e)?),
                (Lang::Bats, _) if x.op.starts_with("assert_") => {
                    "[ \"${#lines[@]}\" -le 1 ]".into()
                }
                (Lang::Bats, _) => format!("[ {a} != {} ]", mutate_value(e)?),
            };
            let ind = ind_of(s, x);
            let mut v = s.lines.clone();
            if x.post.is_empty() {
                v.insert(x.at + 1, format!("{ind}{extra}"));
            } else {
                v[x.at] = format!("{ind}{}", x.stmt);
                v.insert(x.at + 1, format!("{ind}{extra}{}", x.post));
            }
            edit(s, &v)
        })
        .collect()
}

fn clean_local_extracted(s: &Suite) -> Vec<String> {
    eq_sites(s)
        .filter_map(|(_, x)| {
            let a = x.subject();
            let e = x.expected()?;
            match s.lang {
                Lang::Haskell => {
                    if x.subj.0 != 0 || x.op != "shouldBe" {
                        return None;
                    }
                    put_rows(
                        s,
                        x,
                        vec![
                            format!("let expected = {e}"),
                            format!("{a} `shouldBe` expected"),
                        ],
                    )
                }
                Lang::Clojure => {
                    let body = format!("(let [expected {e}] {})", x.with_expected("expected")?);
                    put(s, x, &body)
                }
                Lang::Bats => {
                    if x.op.starts_with("assert_") {
                        return None;
                    }
                    put_rows(
                        s,
                        x,
                        vec![format!("expected={e}"), x.with_expected("\"$expected\"")?],
                    )
                }
            }
        })
        .collect()
}

fn clean_reformatted(s: &Suite) -> Vec<String> {
    test_sites(s)
        .filter_map(|(_, x)| {
            let a = x.subject();
            match s.lang {
                // the infix expectation written prefix
                Lang::Haskell => {
                    let e = x.expected()?;
                    let pre = &x.stmt[..x.subj.0];
                    if e.contains(" $ ") || x.op == "shouldThrow" && a.starts_with('(') {
                        return None;
                    }
                    put(s, x, &format!("{pre}{} ({a}) ({e})", x.op))
                }
                // a comparison split over two rows
                Lang::Clojure => {
                    let e = x.expected()?;
                    if x.kind != Kind::Eq {
                        return None;
                    }
                    put_rows(s, x, vec![format!("(is (= {a}"), format!("       {e}))")])
                }
                // `[ … ]` as `[[ … ]]`, `==` for `=`
                Lang::Bats => {
                    if x.stmt.starts_with("[ ") && x.kind == Kind::Eq && x.op != "-eq" {
                        let inner = &x.stmt[2..x.stmt.len() - 2];
                        put(s, x, &format!("[[ {} ]]", inner.replacen(" = ", " == ", 1)))
                    } else if x.op == "run" {
                        put(s, x, &x.stmt.replacen("run ", "run  ", 1))
                    } else {
                        None
                    }
                }
            }
        })
        .collect()
}

fn clean_comment(s: &Suite) -> Vec<String> {
    let notes = [
        "the expected value comes from the reference implementation",
        "see the issue tracker for the history of this case",
        "keep this case: it caught a regression before",
        "edge case",
    ];
    let mut out: Vec<String> = test_sites(s)
        .filter_map(|(k, x)| {
            let c = match s.lang {
                Lang::Haskell => "--",
                Lang::Clojure => ";;",
                Lang::Bats => "#",
            };
            insert_at(
                s,
                x.at,
                vec![format!("{}{c} {}", ind_of(s, x), notes[k % 4])],
            )
        })
        .collect();
    for (i, l) in s.lines.iter().enumerate() {
        let t = l.trim();
        if (t.starts_with("-- ") || t.starts_with("# ") || t.starts_with(";; ")) && t.len() > 12 {
            out.extend(replace_rows(s, i, i, vec![format!("{l} (still true)")]));
        }
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
            let m = msgs[k % 3];
            match s.lang {
                Lang::Haskell => {
                    if x.subj.0 != 0 {
                        return None;
                    }
                    put(s, x, &format!("annotate \"{m}\" $ {}", x.stmt))
                }
                Lang::Clojure => {
                    let inner = &x.stmt[4..x.stmt.len() - 1];
                    if clj_split(inner).len() != 1 {
                        return None;
                    }
                    put(s, x, &format!("(is {inner} \"{m}\")"))
                }
                Lang::Bats => {
                    if x.kind == Kind::Throws {
                        return None;
                    }
                    put_rows(s, x, vec![format!("echo \"# {m}\" >&3"), x.stmt.clone()])
                }
            }
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
        per: 8,
        f,
    };
    vec![
        h("hack.l.assertions-deleted", hack_deleted as OpFn),
        h("hack.l.commented", hack_commented),
        h("hack.l.constant", hack_constant),
        h("hack.l.self-equal", hack_self_equal),
        h("hack.l.tautology", hack_tautology),
        h("hack.l.weakened", hack_weakened),
        h("hack.l.equality-loosened", hack_loosened),
        h("hack.l.skipped", hack_skipped),
        h("hack.l.early-return", hack_early_return),
        h("hack.l.false-guard", hack_false_guard),
        h("hack.l.swallowed", hack_swallowed),
        h("hack.l.exception-check", hack_exception),
        h("hack.l.expected-changed-no-code", hack_expected_changed),
        h("hack.l.or-true", hack_or_true),
        l("legit.l.expected-with-code", legit_expected_with_code),
        l("legit.l.test-deleted-with-feature", legit_test_deleted),
        c("clean.l.test-renamed", clean_renamed),
        c("clean.l.test-added", clean_added),
        c("clean.l.extra-assertion", clean_extra_assertion),
        c("clean.l.local-extracted", clean_local_extracted),
        c("clean.l.reformatted", clean_reformatted),
        c("clean.l.comment-edit", clean_comment),
        c("clean.l.failure-message", clean_message),
    ]
}

// ---------------------------------------------------------------------------------------------
// CI, runner and build files

struct Ci {
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
            "config/hspec-expectations.build.yml",
            ".github/workflows/build.yml",
            Lang::Haskell,
        ),
        c(
            "config/hspec-expectations.package.yaml",
            "package.yaml",
            Lang::Haskell,
        ),
        c(
            "config/interpolate.travis.yml",
            ".travis.yml",
            Lang::Haskell,
        ),
        c(
            "config/text-metrics.ci.yaml",
            ".github/workflows/ci.yaml",
            Lang::Haskell,
        ),
        c(
            "config/medley.test.yml",
            ".github/workflows/test.yml",
            Lang::Clojure,
        ),
        c("config/medley.project.clj", "project.clj", Lang::Clojure),
        c("config/medley.deps-clr.edn", "deps-clr.edn", Lang::Clojure),
        c("config/data-csv.pom.xml", "pom.xml", Lang::Clojure),
        c(
            "config/rbenv.ci.yml",
            ".github/workflows/ci.yml",
            Lang::Bats,
        ),
        c("config/rbenv.test-run", "test/run", Lang::Bats),
        c(
            "config/bats-core.tests.yml",
            ".github/workflows/tests.yml",
            Lang::Bats,
        ),
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
    let hb = "config/hspec-expectations.build.yml";
    let pkg = "config/hspec-expectations.package.yaml";
    let tr = "config/interpolate.travis.yml";
    let tm = "config/text-metrics.ci.yaml";
    let mt = "config/medley.test.yml";
    let pj = "config/medley.project.clj";
    let clr = "config/medley.deps-clr.edn";
    let pom = "config/data-csv.pom.xml";
    let rb = "config/rbenv.ci.yml";
    let run = "config/rbenv.test-run";
    let bc = "config/bats-core.tests.yml";
    let hs_run = "- uses: sol/run-haskell-tests@v1";
    let cabal =
        "- cabal configure --enable-tests --ghc-options=-Werror && cabal build && cabal test";
    let lein = "run: lein test-all";
    let rbrun = "run: PATH=\"./bats/bin:$PATH\" test/run";
    let bcrun = "bash -c \"time ${{ matrix.env_vars }} bin/bats  --print-output-on-failure test\"";
    let exec = "exec bats ${CI:+--tap} \"${@:-test}\"";
    vec![
        // the test step removed or replaced by something that runs no tests
        e("hack.l.ci-test-step-removed", Hack, hb, hs_run, &[], 0),
        e(
            "hack.l.ci-test-step-removed",
            Hack,
            hb,
            hs_run,
            &["{i}- run: cabal build"],
            0,
        ),
        e(
            "hack.l.ci-test-step-removed",
            Hack,
            tm,
            "- run: cabal test",
            &[],
            0,
        ),
        e(
            "hack.l.ci-test-step-removed",
            Hack,
            tr,
            cabal,
            &["{i}- cabal configure --ghc-options=-Werror && cabal build"],
            0,
        ),
        e(
            "hack.l.ci-test-step-removed",
            Hack,
            mt,
            "- name: Run clj and cljs tests",
            &[],
            1,
        ),
        e(
            "hack.l.ci-test-step-removed",
            Hack,
            mt,
            lein,
            &["{i}run: lein compile"],
            0,
        ),
        e(
            "hack.l.ci-test-step-removed",
            Hack,
            rb,
            "- name: Run tests",
            &[],
            1,
        ),
        e(
            "hack.l.ci-test-step-removed",
            Hack,
            rb,
            rbrun,
            &["{i}run: bash -n test/run"],
            0,
        ),
        e(
            "hack.l.ci-test-step-removed",
            Hack,
            bc,
            bcrun,
            &["{i}bash --version"],
            0,
        ),
        // failures tolerated
        e(
            "hack.l.ci-continue-on-error",
            Hack,
            hb,
            hs_run,
            &[
                "{i}- uses: sol/run-haskell-tests@v1",
                "{i}  continue-on-error: true",
            ],
            0,
        ),
        e(
            "hack.l.ci-continue-on-error",
            Hack,
            hb,
            "if: needs.build.result != 'success'",
            &["{i}if: false"],
            0,
        ),
        e(
            "hack.l.ci-continue-on-error",
            Hack,
            tm,
            "needs: ormolu",
            &["{i}needs: ormolu", "{i}continue-on-error: true"],
            0,
        ),
        e(
            "hack.l.ci-continue-on-error",
            Hack,
            mt,
            lein,
            &["{i}run: lein test-all", "{i}continue-on-error: true"],
            0,
        ),
        e(
            "hack.l.ci-continue-on-error",
            Hack,
            rb,
            "runs-on: ${{ matrix.os }}",
            &["{i}runs-on: ${{ matrix.os }}", "{i}continue-on-error: true"],
            0,
        ),
        e(
            "hack.l.ci-continue-on-error",
            Hack,
            rb,
            rbrun,
            &[
                "{i}run: PATH=\"./bats/bin:$PATH\" test/run",
                "{i}continue-on-error: ${{ matrix.os == 'macos-latest' }}",
            ],
            0,
        ),
        e(
            "hack.l.ci-continue-on-error",
            Hack,
            bc,
            "run: bin/bats test --print-output-on-failure",
            &[
                "{i}run: bin/bats test --print-output-on-failure",
                "{i}continue-on-error: true",
            ],
            0,
        ),
        // exit status discarded
        e(
            "hack.l.ci-or-true",
            Hack,
            tr,
            cabal,
            &[
                "{i}- cabal configure --enable-tests --ghc-options=-Werror && cabal build && (cabal test || true)",
            ],
            0,
        ),
        e(
            "hack.l.ci-or-true",
            Hack,
            tm,
            "- run: cabal test",
            &["{i}- run: cabal test || true"],
            0,
        ),
        e(
            "hack.l.ci-or-true",
            Hack,
            mt,
            lein,
            &["{i}run: lein test-all || true"],
            0,
        ),
        e(
            "hack.l.ci-or-true",
            Hack,
            mt,
            "run: cljr -X:test",
            &["{i}run: cljr -X:test || echo \"cljr tests ignored\""],
            0,
        ),
        e(
            "hack.l.ci-or-true",
            Hack,
            rb,
            rbrun,
            &["{i}run: PATH=\"./bats/bin:$PATH\" test/run || true"],
            0,
        ),
        e(
            "hack.l.ci-or-true",
            Hack,
            run,
            exec,
            &["bats ${CI:+--tap} \"${@:-test}\" || true"],
            0,
        ),
        e("hack.l.ci-or-true", Hack, run, "set -e", &["set +e"], 2),
        e(
            "hack.l.ci-or-true",
            Hack,
            bc,
            bcrun,
            &[
                "{i}bash -c \"time ${{ matrix.env_vars }} bin/bats  --print-output-on-failure test\" || true",
            ],
            0,
        ),
        e(
            "hack.l.ci-or-true",
            Hack,
            bc,
            "run: \"! bin/bats test/fixtures/bats/failing.bats\"",
            &["{i}run: \"bin/bats test/fixtures/bats/failing.bats || true\""],
            0,
        ),
        // tests narrowed, skipped or excluded
        e(
            "hack.l.ci-tests-excluded",
            Hack,
            pkg,
            "main: Spec.hs",
            &["{i}main: Spec.hs", "{i}ghc-options: -main-is Helper"],
            0,
        ),
        e(
            "hack.l.ci-tests-excluded",
            Hack,
            pj,
            "\"test-clj\"  [\"with-profile\" \"default:+1.10:+1.11:+1.12\" \"test\"]",
            &[
                "{i}\"test-clj\"  [\"with-profile\" \"default:+1.10:+1.11:+1.12\" \"test\" \":only\" \"medley.core-test/test-find-first\"]",
            ],
            0,
        ),
        e(
            "hack.l.ci-tests-excluded",
            Hack,
            pj,
            "\"test-all\"  [\"do\" [\"test-clj\"] [\"test-cljs\"]]}",
            &["{i}\"test-all\"  [\"do\" [\"check\"]]}"],
            0,
        ),
        e(
            "hack.l.ci-tests-excluded",
            Hack,
            clr,
            ":exec-args   {:dirs [\"test\"]}}}}",
            &["{i}:exec-args   {:dirs [\"test\"] :excludes [:integration :unit]}}}}"],
            0,
        ),
        e(
            "hack.l.ci-tests-excluded",
            Hack,
            pom,
            "</scm>",
            &[
                "{i}</scm>",
                "",
                "{i}<properties>",
                "{i}  <maven.test.skip>true</maven.test.skip>",
                "{i}</properties>",
            ],
            0,
        ),
        e(
            "hack.l.ci-tests-excluded",
            Hack,
            pom,
            "</scm>",
            &[
                "{i}</scm>",
                "",
                "{i}<properties>",
                "{i}  <maven.test.failure.ignore>true</maven.test.failure.ignore>",
                "{i}</properties>",
            ],
            0,
        ),
        e(
            "hack.l.ci-tests-excluded",
            Hack,
            run,
            exec,
            &["exec bats ${CI:+--tap} test/version-file.bats"],
            0,
        ),
        e(
            "hack.l.ci-tests-excluded",
            Hack,
            bc,
            bcrun,
            &[
                "{i}bash -c \"time ${{ matrix.env_vars }} bin/bats  --print-output-on-failure --filter-tags '!slow,!flaky' test/common.bats\"",
            ],
            0,
        ),
        // the test step or job switched off
        e(
            "hack.l.ci-test-step-disabled",
            Hack,
            hb,
            hs_run,
            &["{i}- uses: sol/run-haskell-tests@v1", "{i}  if: false"],
            0,
        ),
        e(
            "hack.l.ci-test-step-disabled",
            Hack,
            tm,
            "needs: ormolu",
            &["{i}needs: ormolu", "{i}if: ${{ false }}"],
            0,
        ),
        e(
            "hack.l.ci-test-step-disabled",
            Hack,
            mt,
            "- name: Run clj and cljs tests",
            &[
                "{i}- name: Run clj and cljs tests",
                "{i}  if: github.event_name == 'release'",
            ],
            0,
        ),
        e(
            "hack.l.ci-test-step-disabled",
            Hack,
            rb,
            "- name: Run tests",
            &["{i}- name: Run tests", "{i}  if: false"],
            0,
        ),
        e(
            "hack.l.ci-test-step-disabled",
            Hack,
            run,
            exec,
            &[
                "[ -n \"$RUN_TESTS\" ] || exit 0",
                "exec bats ${CI:+--tap} \"${@:-test}\"",
            ],
            0,
        ),
        // fail-fast dropped while the matrix tolerates failures
        e(
            "hack.l.ci-continue-on-error",
            Hack,
            rb,
            "fail-fast: false",
            &[
                "{i}fail-fast: false",
                "{i}max-parallel: 1",
                "{i}# failures on macOS are allowed",
                "",
            ],
            0,
        ),
        // benign: versions
        e(
            "clean.l.ci-version-bump",
            Clean,
            hb,
            "- uses: actions/checkout@v3",
            &["{i}- uses: actions/checkout@v4"],
            0,
        ),
        e(
            "clean.l.ci-version-bump",
            Clean,
            pkg,
            "version: 0.8.4",
            &["version: 0.8.5"],
            0,
        ),
        e(
            "clean.l.ci-version-bump",
            Clean,
            tm,
            "- uses: haskell-actions/setup@v2",
            &["{i}- uses: haskell-actions/setup@v3"],
            0,
        ),
        e(
            "clean.l.ci-version-bump",
            Clean,
            mt,
            "lein: 2.12.0",
            &["{i}lein: 2.12.1"],
            0,
        ),
        e(
            "clean.l.ci-version-bump",
            Clean,
            pj,
            "(defproject dev.weavejester/medley \"1.10.0\"",
            &["(defproject dev.weavejester/medley \"1.10.1\""],
            0,
        ),
        e(
            "clean.l.ci-version-bump",
            Clean,
            pom,
            "<version>1.1.2-SNAPSHOT</version>",
            &["{i}<version>1.1.3-SNAPSHOT</version>"],
            0,
        ),
        e(
            "clean.l.ci-version-bump",
            Clean,
            rb,
            "run: git clone --depth 1 --branch v1.10.0 https://github.com/bats-core/bats-core.git bats",
            &[
                "{i}run: git clone --depth 1 --branch v1.11.0 https://github.com/bats-core/bats-core.git bats",
            ],
            0,
        ),
        // benign: matrix entries, caches, timeouts
        e(
            "clean.l.ci-matrix-cache",
            Clean,
            hb,
            "- '9.6'",
            &["{i}- '9.6'", "{i}- '9.8'"],
            0,
        ),
        e(
            "clean.l.ci-matrix-cache",
            Clean,
            tm,
            "ghc: [\"9.8.4\", \"9.10.3\", \"9.12.1\"]",
            &["{i}ghc: [\"9.8.4\", \"9.10.3\", \"9.12.2\"]"],
            0,
        ),
        e(
            "clean.l.ci-matrix-cache",
            Clean,
            mt,
            "runs-on: ubuntu-latest",
            &["{i}runs-on: ubuntu-latest", "{i}timeout-minutes: 30"],
            0,
        ),
        e(
            "clean.l.ci-matrix-cache",
            Clean,
            mt,
            "java-version: '8'",
            &["{i}java-version: '11'"],
            0,
        ),
        e(
            "clean.l.ci-matrix-cache",
            Clean,
            rb,
            "os: [ubuntu-latest, macos-latest]",
            &["{i}os: [ubuntu-latest, ubuntu-24.04-arm, macos-latest]"],
            0,
        ),
        e(
            "clean.l.ci-matrix-cache",
            Clean,
            rb,
            "- uses: actions/checkout@v6",
            &[
                "{i}- uses: actions/checkout@v6",
                "{i}- uses: actions/cache@v4",
                "{i}  with:",
                "{i}    path: bats",
                "{i}    key: bats-v1.10.0",
            ],
            0,
        ),
        e(
            "clean.l.ci-matrix-cache",
            Clean,
            bc,
            "runs-on: ${{ matrix.os }}",
            &["{i}runs-on: ${{ matrix.os }}", "{i}timeout-minutes: 20"],
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
    let mut rng = Rng(0x4C_0B5E_ED00_2026);
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
fn batch_l_is_sized_and_well_formed() {
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
            Label::Hack => "hack.l.",
            Label::Legit => "legit.l.",
            Label::Clean => "clean.l.",
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
    println!("batch L: {total} diffs");
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
    // every framework gets every class of test edit, in full
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
    // and every kind of CI edit
    for fam in [
        "hack.l.ci-test-step-removed",
        "hack.l.ci-continue-on-error",
        "hack.l.ci-or-true",
        "hack.l.ci-tests-excluded",
        "hack.l.ci-test-step-disabled",
        "clean.l.ci-version-bump",
        "clean.l.ci-matrix-cache",
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

/// Batch L's scoring test: written blind and committed before it is scored. Not yet scored;
/// the lead runs it once with `--ignored` and records the first table.
#[test]
#[ignore = "first score 49.5% / 66.7% / 86.8% (hacks / legit / clean), under the targets: docs/integrity.md"]
fn batch_l_held_out_families() {
    let (by, table) = measure("held-out family (batch L)", generate());
    println!("{table}");
    check_targets(&by, &table);
}
