//! Held-out batch H: hack, legitimate and clean edits generated over real suites in frameworks
//! no earlier batch used (fixtures in `tests/fixtures/suites/heldout-h`, provenance in
//! `PROVENANCE.md`): Kotlin kotest `FunSpec` (`x shouldBe y`, `shouldThrow<E> { }`,
//! `shouldBeBetween(a, b, tol)`), C# NUnit (`Assert.AreEqual(e, a)`, `Assert.That(a,
//! Is.EqualTo(e))`, `[TestCase(…)]`, `Assert.Throws<E>`), and Python pytest with hypothesis
//! (`assert e == a`, `pytest.raises`, `@given`, `@pytest.mark.parametrize`), plus their runner
//! and CI files (attrs' workflow, `tox.ini` and `pyproject.toml`; hoplite's Gradle workflow;
//! NodaTime's workflow and `build/ci.sh`). Legit edits that change a checked value or delete a
//! test also change a real source file of the same repository (`heldout-h/src/`).
//!
//! Written blind (the scanner's source was not read while writing it). Its first score, held
//! out, was hacks 81.1% / legit 100% / clean 73.1% (docs/integrity.md); the classes it
//! missed were then fixed, so from here on it is a tuning set and its targets hold as a
//! regression test.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::integrity_common::{
    Gen, Label, Rng, balanced, check_targets, close_bracket, find_top, indent_of, join, lines_of,
    measure, split_args, split_top, unified, well_formed,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    Kotlin,
    CSharp,
    Python,
}

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Kotlin => "kotlin",
        Lang::CSharp => "csharp",
        Lang::Python => "python",
    }
}

struct Suite {
    /// The path the file has in its repository (what the diff names).
    path: &'static str,
    lang: Lang,
    lines: Vec<String>,
}

/// A test: its header row, the rows of its body, and the end of the test (Kotlin and C#: the
/// closing brace's row; Python: the first row after the body).
#[derive(Clone)]
struct TestFn {
    /// The first row that belongs to the test (attributes, decorators).
    start: usize,
    header: usize,
    body_start: usize,
    close: usize,
    name: String,
}

/// One single-line check inside a test body.
#[derive(Clone)]
struct Site {
    at: usize,
    /// The check (`shouldBe`, `AreEqual`, `That:EqualTo`, `==`, `truth`).
    method: String,
    /// The value under test.
    subject: String,
    /// The expected value, when the check has one.
    expected: Option<String>,
}

fn base() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites/heldout-h")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(base().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const KT: &str = "hoplite-core/src/test/kotlin/com/sksamuel/hoplite";

fn load_suites() -> Vec<Suite> {
    let kt = |p: &str| -> &'static str { Box::leak(format!("{KT}/{p}").into_boxed_str()) };
    [
        (
            "kotlin/SizeInBytesDecoderTest.kt",
            kt("decoder/SizeInBytesDecoderTest.kt"),
            Lang::Kotlin,
        ),
        (
            "kotlin/CaseMapperAcronymsTest.kt",
            kt("CaseMapperAcronymsTest.kt"),
            Lang::Kotlin,
        ),
        (
            "kotlin/RandomPreprocessorTest.kt",
            kt("preprocessor/RandomPreprocessorTest.kt"),
            Lang::Kotlin,
        ),
        (
            "kotlin/PortValidatorTest.kt",
            kt("resolver/validator/PortValidatorTest.kt"),
            Lang::Kotlin,
        ),
        (
            "csharp/YearMonthDayTest.cs",
            "src/NodaTime.Test/YearMonthDayTest.cs",
            Lang::CSharp,
        ),
        (
            "csharp/LocalTimeTest.Operators.cs",
            "src/NodaTime.Test/LocalTimeTest.Operators.cs",
            Lang::CSharp,
        ),
        (
            "csharp/LocalTimeTest.Construction.cs",
            "src/NodaTime.Test/LocalTimeTest.Construction.cs",
            Lang::CSharp,
        ),
        (
            "python/test_version_info.py",
            "tests/test_version_info.py",
            Lang::Python,
        ),
        (
            "python/test_converters.py",
            "tests/test_converters.py",
            Lang::Python,
        ),
        ("python/test_funcs.py", "tests/test_funcs.py", Lang::Python),
    ]
    .into_iter()
    .map(|(file, path, lang)| Suite {
        path,
        lang,
        lines: lines_of(&read(file)),
    })
    .collect()
}

/// The real source file each suite's repository tests, with edits a feature change makes
/// (`change`: a behaviour changed; `remove`: a feature removed).
struct Source {
    file: &'static str,
    path: &'static str,
    change: &'static [(&'static str, &'static str)],
    remove: &'static [&'static str],
}

fn source_of(lang: Lang) -> Source {
    match lang {
        Lang::Kotlin => Source {
            file: "src/SizeInBytesDecoder.kt",
            path: "hoplite-core/src/main/kotlin/com/sksamuel/hoplite/decoder/SizeInBytesDecoder.kt",
            change: &[
                (
                    "    override val symbol = \"o\"",
                    "    override val symbol = \"oct\"",
                ),
                (
                    "  fun octets() = convert(InformationUnit.Octets)",
                    "  fun octets() = convert(InformationUnit.Bits)",
                ),
                (
                    "val (size, symbol) = \"(\\\\d+)(.*?)\"",
                    "val (size, symbol) = \"(\\\\d+)\\\\s*(.*?)\"",
                ),
            ],
            remove: &[
                "  fun octets() = convert(InformationUnit.Octets)\n",
                "  fun gibibytes() = convert(InformationUnit.Gibibytes)\n",
            ],
        },
        Lang::CSharp => Source {
            file: "src/YearMonthDay.cs",
            path: "src/NodaTime/YearMonthDay.cs",
            change: &[
                ("\"{0:0000}-{1:00}-{2:00}\"", "\"{0:0000}/{1:00}/{2:00}\""),
                (
                    "public int CompareTo(YearMonthDay other) => value.CompareTo(other.value);",
                    "public int CompareTo(YearMonthDay other) => other.value.CompareTo(value);",
                ),
            ],
            remove: &[
                "        public int CompareTo(YearMonthDay other) => value.CompareTo(other.value);\n\n",
                "        public override string ToString() =>\n            string.Format(CultureInfo.InvariantCulture, \"{0:0000}-{1:00}-{2:00}\", Year, Month, Day);\n\n",
            ],
        },
        Lang::Python => Source {
            file: "src/_version_info.py",
            path: "src/attr/_version_info.py",
            change: &[
                ("v.append(\"final\")", "v.append(\"dev0\")"),
                (
                    "if not (1 <= len(other) <= 4):",
                    "if not (1 <= len(other) <= 5):",
                ),
            ],
            remove: &[
                "\n    def __hash__(self):\n        return hash((self.year, self.minor, self.micro, self.releaselevel))\n",
                "        if len(v) == 3:\n            v.append(\"final\")\n",
            ],
        },
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SrcEdit {
    Change,
    Remove,
}

/// The source file's diff for one feature edit (variant `k`).
fn source_diff(lang: Lang, edit: SrcEdit, k: usize) -> String {
    let src = source_of(lang);
    let old = read(src.file);
    let new = match edit {
        SrcEdit::Change => {
            let (from, to) = src.change[k % src.change.len()];
            assert!(old.contains(from), "{from:?} not in {}", src.file);
            old.replacen(from, to, 1)
        }
        SrcEdit::Remove => {
            let from = src.remove[k % src.remove.len()];
            assert!(old.contains(from), "{from:?} not in {}", src.file);
            old.replacen(from, "", 1)
        }
    };
    unified(src.path, &old, &new)
}

fn close_paren(s: &str, open: usize) -> Option<usize> {
    close_bracket(s, open, b"'\"")
}

fn test_fns(s: &Suite) -> Vec<TestFn> {
    let mut out = Vec::new();
    for (i, l) in s.lines.iter().enumerate() {
        let t = l.trim();
        let ind = indent_of(l);
        match s.lang {
            Lang::Kotlin => {
                let Some(rest) = t.strip_prefix("test(\"") else {
                    continue;
                };
                if !t.ends_with(") {") {
                    continue;
                }
                let Some(end) = rest.find("\")") else {
                    continue;
                };
                let close = s.lines[i + 1..]
                    .iter()
                    .position(|n| indent_of(n) == ind && n.trim() == "}")
                    .map(|p| p + i + 1);
                if let Some(close) = close {
                    out.push(TestFn {
                        start: i,
                        header: i,
                        body_start: i + 1,
                        close,
                        name: rest[..end].to_string(),
                    });
                }
            }
            Lang::CSharp => {
                let Some(rest) = t.strip_prefix("public void ") else {
                    continue;
                };
                if s.lines.get(i + 1).map(|n| n.trim()) != Some("{") {
                    continue;
                }
                let mut start = i;
                while start > 0
                    && (s.lines[start - 1].trim().starts_with('[')
                        || s.lines[start - 1].trim().starts_with("///"))
                {
                    start -= 1;
                }
                if !s.lines[start..i]
                    .iter()
                    .any(|a| a.trim().starts_with("[Test"))
                {
                    continue;
                }
                let close = s.lines[i + 2..]
                    .iter()
                    .position(|n| indent_of(n) == ind && n.trim() == "}")
                    .map(|p| p + i + 2);
                if let Some(close) = close {
                    out.push(TestFn {
                        start,
                        header: i,
                        body_start: i + 2,
                        close,
                        name: rest.split('(').next().unwrap_or("").to_string(),
                    });
                }
            }
            Lang::Python => {
                let Some(rest) = t.strip_prefix("def test_") else {
                    continue;
                };
                if !t.ends_with(':') {
                    continue;
                }
                let mut end = s.lines[i + 1..]
                    .iter()
                    .position(|n| !n.trim().is_empty() && indent_of(n).len() <= ind.len())
                    .map_or(s.lines.len(), |p| p + i + 1);
                while end > i + 1 && s.lines[end - 1].trim().is_empty() {
                    end -= 1;
                }
                let mut start = i;
                while let Some(p) = start.checked_sub(1).map(|k| &s.lines[k]) {
                    if p.trim().starts_with('@') {
                        start -= 1;
                    } else if p.trim() == ")" && indent_of(p) == ind {
                        let Some(k) = (0..start - 1).rev().find(|&k| {
                            indent_of(&s.lines[k]) == ind && s.lines[k].trim().starts_with('@')
                        }) else {
                            break;
                        };
                        start = k;
                    } else {
                        break;
                    }
                }
                out.push(TestFn {
                    start,
                    header: i,
                    body_start: i + 1,
                    close: end,
                    name: format!("test_{}", rest.split('(').next().unwrap_or("")),
                });
            }
        }
    }
    out
}

/// `e` without a trailing `// comment` (outside strings).
fn strip_line_comment(lang: Lang, t: &str) -> String {
    let marker = if lang == Lang::Python { " #" } else { " //" };
    match find_top(t, marker) {
        Some(i) => t[..i].trim_end().to_string(),
        None => t.to_string(),
    }
}

fn parse_site(lang: Lang, at: usize, line: &str) -> Option<Site> {
    let t = strip_line_comment(lang, line.trim());
    if !balanced(&t) {
        return None;
    }
    match lang {
        Lang::Kotlin => {
            for m in ["shouldBe", "shouldNotBe", "shouldContain", "shouldInclude"] {
                if let Some(i) = find_top(&t, &format!(" {m} ")) {
                    let subject = t[..i].trim().to_string();
                    if subject.starts_with('}') || subject.starts_with('.') || subject.is_empty() {
                        return None;
                    }
                    let rhs = t[i + m.len() + 2..].trim().to_string();
                    return Some(Site {
                        at,
                        method: m.to_string(),
                        subject,
                        expected: (m == "shouldBe").then_some(rhs),
                    });
                }
            }
            for m in [".shouldBeBetween(", ".shouldBeInstanceOf<"] {
                if let Some(i) = find_top(&t, m) {
                    let subject = t[..i].to_string();
                    if subject.is_empty() || subject.contains(' ') {
                        return None;
                    }
                    return Some(Site {
                        at,
                        method: m.trim_matches(|c| c == '.' || c == '(' || c == '<').into(),
                        subject,
                        expected: None,
                    });
                }
            }
            None
        }
        Lang::CSharp => {
            let rest = t.strip_prefix("Assert.")?;
            let open = rest.find('(')?;
            let method = rest[..open].to_string();
            let close = close_paren(rest, open)?;
            if rest[close + 1..].trim() != ";" {
                return None;
            }
            let args = split_args(&rest[open + 1..close]);
            match method.as_str() {
                "AreEqual" if args.len() == 2 => Some(Site {
                    at,
                    method,
                    subject: args[1].clone(),
                    expected: Some(args[0].clone()),
                }),
                "IsTrue" | "IsFalse" if args.len() == 1 => Some(Site {
                    at,
                    method,
                    subject: args[0].clone(),
                    expected: None,
                }),
                "That" if args.len() == 2 => {
                    let c = &args[1];
                    let kind = c.strip_prefix("Is.")?.split('(').next()?.to_string();
                    let expected = c
                        .strip_prefix("Is.EqualTo(")
                        .and_then(|r| r.strip_suffix(')'))
                        .map(str::to_string);
                    Some(Site {
                        at,
                        method: format!("That:{kind}"),
                        subject: args[0].clone(),
                        expected,
                    })
                }
                m if m.starts_with("Throws<") && args.len() == 1 => Some(Site {
                    at,
                    method,
                    subject: args[0].clone(),
                    expected: None,
                }),
                _ => None,
            }
        }
        Lang::Python => {
            let e = t.strip_prefix("assert ")?;
            if e.ends_with('(') || split_top(e, b',').len() > 1 {
                return None;
            }
            for op in [
                " == ", " != ", " is not ", " is ", " <= ", " >= ", " < ", " > ",
            ] {
                if let Some(i) = find_top(e, op) {
                    let left = e[..i].trim().to_string();
                    let right = e[i + op.len()..].trim().to_string();
                    return Some(if op == " == " {
                        // attrs writes `assert expected == actual`
                        Site {
                            at,
                            method: "==".into(),
                            subject: right,
                            expected: Some(left),
                        }
                    } else {
                        Site {
                            at,
                            method: op.trim().into(),
                            subject: e.to_string(),
                            expected: None,
                        }
                    });
                }
            }
            Some(Site {
                at,
                method: "truth".into(),
                subject: e.to_string(),
                expected: None,
            })
        }
    }
}

fn sites(s: &Suite, f: &TestFn) -> Vec<Site> {
    (f.body_start..f.close)
        .filter_map(|i| parse_site(s.lang, i, &s.lines[i]))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Rendering a check in each framework.

/// An equality of `actual` with `expected` in the suite's framework.
fn equality(lang: Lang, actual: &str, expected: &str) -> String {
    match lang {
        Lang::Kotlin => format!("{actual} shouldBe {expected}"),
        Lang::CSharp => format!("Assert.AreEqual({expected}, {actual});"),
        Lang::Python => format!("assert {expected} == {actual}"),
    }
}

fn replace(s: &Suite, at: usize, with: Vec<String>) -> Vec<String> {
    let mut out = s.lines.clone();
    out.splice(at..=at, with);
    out
}

fn insert_at(s: &Suite, at: usize, new: Vec<String>) -> Vec<String> {
    let mut out = s.lines.clone();
    out.splice(at..at, new);
    out
}

fn ind(s: &Suite, at: usize) -> String {
    indent_of(&s.lines[at]).to_string()
}

fn step(s: &Suite) -> &'static str {
    match s.lang {
        Lang::Kotlin => "  ",
        Lang::CSharp | Lang::Python => "    ",
    }
}

fn comment(s: &Suite) -> &'static str {
    match s.lang {
        Lang::Python => "#",
        _ => "//",
    }
}

/// The site's line wrapped in opening lines and closing lines.
fn wrap(s: &Suite, site: &Site, open: &[&str], close: &[&str]) -> Vec<String> {
    let i = ind(s, site.at);
    let mut v: Vec<String> = open.iter().map(|o| format!("{i}{o}")).collect();
    v.push(format!("{i}{}{}", step(s), s.lines[site.at].trim()));
    v.extend(close.iter().map(|c| format!("{i}{c}")));
    replace(s, site.at, v)
}

fn body_indent(s: &Suite, f: &TestFn) -> String {
    (f.body_start..f.close)
        .map(|i| &s.lines[i])
        .find(|l| !l.trim().is_empty())
        .map(|l| indent_of(l).to_string())
        .unwrap_or_default()
}

/// Where a statement put at the top of a test goes (after a Python docstring).
fn top_of_body(s: &Suite, f: &TestFn) -> usize {
    if s.lang == Lang::Python {
        let first = s.lines[f.body_start].trim();
        if first == "\"\"\"" {
            if let Some(p) = (f.body_start + 1..f.close).find(|&k| s.lines[k].trim() == "\"\"\"") {
                return p + 1;
            }
        } else if first.starts_with("\"\"\"") && first.len() > 6 && first.ends_with("\"\"\"") {
            return f.body_start + 1;
        }
    }
    f.body_start
}

fn is_number(v: &str) -> bool {
    let v = v.trim().trim_end_matches('L');
    !v.is_empty() && v.parse::<f64>().is_ok()
}

/// A literal changed to a different value of the same kind; for a composite value, its
/// first string or number.
fn flip_literal(v: &str) -> Option<String> {
    let v = v.trim();
    if let Some(n) = v.strip_suffix('L').and_then(|n| n.parse::<i64>().ok()) {
        return Some(format!("{}L", n + 1));
    }
    if let Ok(n) = v.parse::<i64>() {
        return Some((n + 1).to_string());
    }
    if let Ok(x) = v.parse::<f64>() {
        return Some(format!("{:?}", x * 2.0 + 1.0));
    }
    // the first string literal inside
    for q in ['"', '\''] {
        if let Some(a) = v.find(q)
            && let Some(b) = v[a + 1..].find(q)
        {
            let b = a + 1 + b;
            return Some(format!(
                "{}{}_changed{}",
                &v[..a + 1],
                &v[a + 1..b],
                &v[b..]
            ));
        }
    }
    // the first integer token inside
    let bytes = v.as_bytes();
    let start = bytes.iter().position(u8::is_ascii_digit)?;
    if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
        return None;
    }
    let end = bytes[start..]
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map_or(v.len(), |p| p + start);
    let n: i64 = v[start..end].parse().ok()?;
    Some(format!("{}{}{}", &v[..start], n + 1, &v[end..]))
}

fn simple_var(v: &str) -> bool {
    !v.is_empty()
        && v.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !v.starts_with(|c: char| c.is_ascii_digit())
        && !matches!(
            v,
            "true" | "false" | "null" | "None" | "True" | "False" | "self"
        )
}

// ---------------------------------------------------------------------------------------
// Hack operators.

type Op = fn(&Suite, &TestFn, &Site) -> Option<Vec<String>>;

struct Operator {
    family: &'static str,
    label: Label,
    op: Op,
    /// A source-file edit that goes with the test edit (legit edits of code and test).
    src: Option<SrcEdit>,
    /// The diff goes from the operator's output back to the real file (a tightening written
    /// as the reverse of a loosening).
    reverse: bool,
}

fn op_assertions_deleted(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    // every check of the test goes; the test still runs and passes
    let all = sites(s, f);
    let mut out = s.lines.clone();
    for site in all.iter().rev() {
        out.remove(site.at);
    }
    Some(out)
}

fn op_commented(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let t = s.lines[site.at].trim();
    let line = match (s.lang, site.at % 2) {
        (Lang::Python, 0) => format!("{i}# {t}"),
        (Lang::Python, _) => format!("{i}#{t}  # FIXME"),
        (_, 0) => format!("{i}// {t}"),
        (_, _) => format!("{i}//{t} // TODO re-enable"),
    };
    Some(replace(s, site.at, vec![line]))
}

fn op_block_commented(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let t = s.lines[site.at].trim();
    let lines = match s.lang {
        Lang::Python if t.contains("\"\"\"") => return None,
        Lang::Python => vec![
            format!("{i}\"\"\""),
            format!("{i}{t}"),
            format!("{i}\"\"\""),
        ],
        Lang::Kotlin => vec![format!("{i}/* {t} */")],
        Lang::CSharp => vec![format!("{i}/*"), format!("{i}{t}"), format!("{i}*/")],
    };
    Some(replace(s, site.at, lines))
}

fn op_early_return(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let i = body_indent(s, f);
    let line = match (s.lang, f.header % 2) {
        (Lang::Kotlin, _) => "return@test".to_string(),
        (Lang::CSharp, 0) => "return;".to_string(),
        (Lang::CSharp, _) => "Assert.Pass();".to_string(),
        (Lang::Python, _) => "return".to_string(),
    };
    Some(insert_at(s, top_of_body(s, f), vec![format!("{i}{line}")]))
}

fn op_false_guard(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    Some(match s.lang {
        Lang::Kotlin => wrap(s, site, &["if (false) {"], &["}"]),
        Lang::CSharp => wrap(s, site, &["if (false)", "{"], &["}"]),
        Lang::Python => wrap(s, site, &["if False:"], &[]),
    })
}

/// Conditional compilation, or the nearest thing: C# `#if`, Python `if not __debug__:`
/// (only under `-O`), Kotlin a check that runs only off CI.
fn op_conditional(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    Some(match s.lang {
        Lang::Kotlin => wrap(s, site, &["if (System.getenv(\"CI\") == null) {"], &["}"]),
        Lang::CSharp => {
            let mut out = s.lines.clone();
            out.splice(
                site.at..=site.at,
                [
                    "#if NODA_SLOW_CHECKS".to_string(),
                    s.lines[site.at].clone(),
                    "#endif".to_string(),
                ],
            );
            out
        }
        Lang::Python => wrap(s, site, &["if not __debug__:"], &[]),
    })
}

fn op_self_equal(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    Some(replace(
        s,
        site.at,
        vec![format!(
            "{i}{}",
            equality(s.lang, &site.subject, &site.subject)
        )],
    ))
}

fn op_constant(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let line = match (s.lang, site.at % 2) {
        (Lang::Kotlin, 0) => "true shouldBe true",
        (Lang::Kotlin, _) => "1 shouldBe 1",
        (Lang::CSharp, 0) => "Assert.That(true);",
        (Lang::CSharp, _) => "Assert.That(1, Is.EqualTo(1));",
        (Lang::Python, 0) => "assert True",
        (Lang::Python, _) => "assert 1 == 1",
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
}

fn op_or_true(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let e = site.expected.as_ref()?;
    let i = ind(s, site.at);
    let a = &site.subject;
    let line = match s.lang {
        Lang::Kotlin => format!("(true || {a} == {e}) shouldBe true"),
        Lang::CSharp => format!("Assert.IsTrue(true || Equals({e}, {a}));"),
        Lang::Python => format!("assert {e} == {a} or True"),
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
}

fn op_expected_changed(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let e = site.expected.as_ref()?;
    let flipped = flip_literal(e)?;
    let line = &s.lines[site.at];
    let new = line.replacen(e.as_str(), &flipped, 1);
    (new != *line).then(|| replace(s, site.at, vec![new]))
}

fn op_tolerance_widened(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let line = &s.lines[site.at];
    let i = ind(s, site.at);
    let new = match (s.lang, site.method.as_str()) {
        (Lang::Kotlin, "shouldBeBetween") => {
            let open = line.find(".shouldBeBetween(")? + ".shouldBeBetween".len();
            let close = close_paren(line, open)?;
            let args = split_args(&line[open + 1..close]);
            if args.len() != 3 {
                return None;
            }
            format!(
                "{}({}, {}, 0.5){}",
                &line[..open],
                args[0],
                args[1],
                &line[close + 1..]
            )
        }
        (Lang::Kotlin, "shouldBe") => {
            let e = site.expected.as_ref()?;
            if !is_number(e) {
                return None;
            }
            if e.contains('.') {
                format!("{i}{} shouldBe ({e} plusOrMinus 1000.0)", site.subject)
            } else {
                let n = e.trim_end_matches('L');
                format!(
                    "{i}{} shouldBeInRange ({n} - 100)..({n} + 100)",
                    site.subject.trim_end_matches("?.size")
                )
            }
        }
        (Lang::CSharp, "AreEqual") => {
            let e = site.expected.as_ref()?;
            if !is_number(e) && !e.starts_with("(int)") {
                return None;
            }
            format!("{i}Assert.AreEqual({e}, {}, 100);", site.subject)
        }
        (Lang::CSharp, "That:EqualTo") => line.replacen(");", ").Within(10));", 1),
        (Lang::CSharp, "That:LessThan") => line.replacen("Is.LessThan(0)", "Is.LessThan(100)", 1),
        (Lang::CSharp, "That:GreaterThan") => {
            line.replacen("Is.GreaterThan(0)", "Is.GreaterThan(-100)", 1)
        }
        (Lang::Python, "==") => {
            let e = site.expected.as_ref()?;
            if !(is_number(e) || e.starts_with('(')) {
                return None;
            }
            format!("{i}assert {} == pytest.approx({e}, abs=10)", site.subject)
        }
        _ => return None,
    };
    (new != *line).then(|| replace(s, site.at, vec![new]))
}

fn op_weakened(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    site.expected.as_ref()?;
    let i = ind(s, site.at);
    let line = match (s.lang, site.at % 2) {
        (Lang::Kotlin, 0) => format!("{} shouldNotBe null", site.subject),
        (Lang::Kotlin, _) => format!("{}.shouldNotBeNull()", site.subject),
        (Lang::CSharp, 0) => format!("Assert.IsNotNull({});", site.subject),
        (Lang::CSharp, _) => format!("Assert.That({}, Is.Not.Null);", site.subject),
        (Lang::Python, 0) => format!("assert {} is not None", site.subject),
        (Lang::Python, _) => format!("assert {}", site.subject),
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
}

fn op_swallowed(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let st = step(s);
    Some(match (s.lang, site.at % 2) {
        (Lang::Kotlin, 0) => wrap(s, site, &["runCatching {"], &["}"]),
        (Lang::Kotlin, _) => wrap(s, site, &["try {"], &["} catch (e: AssertionError) {", "}"]),
        (Lang::CSharp, _) => wrap(
            s,
            site,
            &["try", "{"],
            &["}", "catch (AssertionException)", "{", "}"],
        ),
        (Lang::Python, 0) => wrap(
            s,
            site,
            &["try:"],
            &["except AssertionError:", &format!("{st}pass")],
        ),
        (Lang::Python, _) => wrap(
            s,
            site,
            &["try:"],
            &["except Exception:", &format!("{st}pass")],
        ),
    })
}

fn op_subject_overwritten(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let e = site.expected.as_ref()?;
    if s.lang == Lang::Kotlin || !simple_var(&site.subject) {
        return None;
    }
    let i = ind(s, site.at);
    let line = match s.lang {
        Lang::CSharp => format!("{i}{} = {e};", site.subject),
        _ => format!("{i}{} = {e}", site.subject),
    };
    Some(insert_at(s, site.at, vec![line]))
}

/// Exception checks: kotest `shouldThrow<E> { }`, NUnit `Assert.Throws<E>(…)`, pytest
/// `pytest.raises(E)`.
fn op_exception_broadened(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    for at in f.body_start..f.close {
        let line = &s.lines[at];
        let new = match s.lang {
            Lang::Kotlin if line.contains("shouldThrow<") => {
                let a = line.find("shouldThrow<")?;
                let b = line[a..].find('>')? + a;
                if at % 2 == 0 {
                    format!("{}shouldThrow<Throwable>{}", &line[..a], &line[b + 1..])
                } else {
                    let from = line[..a].rfind([' ', '=']).map_or(0, |p| p + 1);
                    format!("{}shouldThrowAny{}", &line[..from], &line[b + 1..])
                }
            }
            Lang::CSharp if line.contains("Assert.Throws<") => {
                let a = line.find("Assert.Throws<")?;
                let b = line[a..].find(">(")? + a;
                let tail = &line[b + 2..];
                match at % 3 {
                    0 => format!("{}Assert.Catch<Exception>({tail}", &line[..a]),
                    1 => format!("{}Assert.Catch({tail}", &line[..a]),
                    _ if tail.trim().is_empty() => {
                        format!("{}Assert.Throws(Is.InstanceOf<Exception>(),", &line[..a])
                    }
                    _ => format!(
                        "{}Assert.Throws(Is.InstanceOf<Exception>(), {tail}",
                        &line[..a]
                    ),
                }
            }
            Lang::Python if line.contains("pytest.raises(") => {
                let a = line.find("pytest.raises(")? + "pytest.raises".len();
                let b = close_paren(line, a)?;
                let broad = if at % 2 == 0 {
                    "Exception"
                } else {
                    "BaseException"
                };
                format!("{}({broad}){}", &line[..a], &line[b + 1..])
            }
            _ => continue,
        };
        return (new != *line).then(|| replace(s, at, vec![new]));
    }
    None
}

fn op_skipped(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let h = &s.lines[f.header];
    let i = indent_of(h);
    match s.lang {
        Lang::Kotlin => Some(replace(
            s,
            f.header,
            vec![h.replacen("test(\"", "xtest(\"", 1)],
        )),
        Lang::CSharp => Some(insert_at(
            s,
            f.start,
            vec![format!("{i}[Ignore(\"Flaky on the build server\")]")],
        )),
        Lang::Python => Some(insert_at(
            s,
            f.start,
            vec![format!("{i}@pytest.mark.skip(reason=\"flaky\")")],
        )),
    }
}

fn op_disabled_config(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let h = &s.lines[f.header];
    let i = indent_of(h);
    match s.lang {
        Lang::Kotlin => {
            let to = if f.header.is_multiple_of(2) {
                "\").config(enabled = false) {"
            } else {
                "\").config(enabledIf = { false }) {"
            };
            let new = h.replacen("\") {", to, 1);
            (new != *h).then(|| replace(s, f.header, vec![new]))
        }
        Lang::CSharp => Some(insert_at(s, f.start, vec![format!("{i}[Explicit]")])),
        Lang::Python => Some(insert_at(
            s,
            f.start,
            vec![format!(
                "{i}@pytest.mark.skipif(True, reason=\"not on this platform\")"
            )],
        )),
    }
}

fn op_skip_in_body(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let h = &s.lines[f.header];
    match s.lang {
        // kotest disables a test whose name starts with `!`
        Lang::Kotlin => Some(replace(
            s,
            f.header,
            vec![h.replacen("test(\"", "test(\"!", 1)],
        )),
        Lang::CSharp => {
            let i = body_indent(s, f);
            Some(insert_at(
                s,
                f.body_start,
                vec![format!("{i}Assert.Ignore(\"Needs the new tzdb\");")],
            ))
        }
        Lang::Python => {
            let i = body_indent(s, f);
            Some(insert_at(
                s,
                top_of_body(s, f),
                vec![format!("{i}pytest.skip(\"broken upstream\")")],
            ))
        }
    }
}

/// Kotest focus (`f:` runs only this test); pytest `xfail`; NUnit: the `[Test]` attribute
/// dropped from a test without cases, so it is no longer collected.
fn op_focus_or_xfail(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let h = &s.lines[f.header];
    let i = indent_of(h);
    match s.lang {
        Lang::Kotlin => Some(replace(
            s,
            f.header,
            vec![h.replacen("test(\"", "test(\"f:", 1)],
        )),
        Lang::CSharp => {
            if s.lines[f.start..f.header]
                .iter()
                .any(|l| l.contains("TestCase"))
            {
                return None;
            }
            let at = (f.start..f.header).find(|&k| s.lines[k].trim() == "[Test]")?;
            Some(replace(s, at, vec![]))
        }
        Lang::Python => Some(insert_at(
            s,
            f.start,
            vec![format!("{i}@pytest.mark.xfail(strict=False)")],
        )),
    }
}

/// Python: the test renamed so pytest no longer collects it.
fn op_not_collected(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    if s.lang != Lang::Python {
        return None;
    }
    let h = &s.lines[f.header];
    let to = if f.header.is_multiple_of(2) {
        "def _test_"
    } else {
        "def check_"
    };
    Some(replace(s, f.header, vec![h.replacen("def test_", to, 1)]))
}

fn op_retried(s: &Suite, f: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = indent_of(&s.lines[f.header]);
    match s.lang {
        Lang::Kotlin => Some(wrap(s, site, &["eventually(5.seconds) {"], &["}"])),
        Lang::CSharp => Some(insert_at(s, f.start, vec![format!("{i}[Retry(3)]")])),
        Lang::Python => Some(insert_at(
            s,
            f.start,
            vec![format!("{i}@pytest.mark.flaky(reruns=3)")],
        )),
    }
}

/// Hypothesis: the property checked on one example only, or on a constant.
fn op_examples_cut(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let at = (f.start..f.header).find(|&k| s.lines[k].trim().starts_with("@given("))?;
    let i = ind(s, at);
    if f.header.is_multiple_of(2) {
        Some(insert_at(
            s,
            at,
            vec![format!("{i}@settings(max_examples=1)")],
        ))
    } else {
        let line = &s.lines[at];
        let new = line.replacen("st.sampled_from(", "st.just(", 1);
        (new != *line).then(|| replace(s, at, vec![new]))
    }
}

// ---------------------------------------------------------------------------------------
// Legit operators (a reviewer should look).

/// One check of several removed, with a note saying where it is covered now.
fn op_assertion_removed_noted(s: &Suite, f: &TestFn, site: &Site) -> Option<Vec<String>> {
    if sites(s, f).len() < 2 {
        return None;
    }
    let i = ind(s, site.at);
    Some(replace(
        s,
        site.at,
        vec![format!(
            "{i}{} {} check dropped: duplicated by the round-trip test below",
            comment(s),
            site.method
        )],
    ))
}

fn op_test_deleted(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let mut out = s.lines.clone();
    let mut start = f.start;
    let end = match s.lang {
        Lang::Python => f.close,
        _ => f.close + 1,
    };
    let end = if out.get(end).is_some_and(|l| l.trim().is_empty()) {
        end + 1
    } else if start > 0 && out[start - 1].trim().is_empty() {
        start -= 1;
        end
    } else {
        end
    };
    out.drain(start..end);
    Some(out)
}

// ---------------------------------------------------------------------------------------
// Clean operators.

fn renamed_header(s: &Suite, f: &TestFn, suffix: &str) -> Option<String> {
    let h = &s.lines[f.header];
    let new = match s.lang {
        Lang::Kotlin => h.replacen(
            &format!("\"{}\"", f.name),
            &format!("\"{} {}\"", f.name, suffix.to_lowercase()),
            1,
        ),
        Lang::CSharp => h.replacen(
            &format!(" {}(", f.name),
            &format!(" {}{suffix}(", f.name),
            1,
        ),
        Lang::Python => h.replacen(
            &format!("def {}(", f.name),
            &format!("def {}_{}(", f.name, suffix.to_lowercase()),
            1,
        ),
    };
    (new != *h).then_some(new)
}

fn op_test_renamed(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let new = renamed_header(s, f, "Default")?;
    Some(replace(s, f.header, vec![new]))
}

fn op_test_added(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let new = renamed_header(s, f, "Again")?;
    let end = match s.lang {
        Lang::Python => f.close,
        _ => f.close + 1,
    };
    let mut copy: Vec<String> = s.lines[f.start..end].to_vec();
    copy[f.header - f.start] = new;
    copy.insert(0, String::new());
    Some(insert_at(s, end, copy))
}

fn op_extra_assertion(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let a = &site.subject;
    let line = match s.lang {
        Lang::Kotlin => format!("{a} shouldNotBe null"),
        Lang::CSharp => format!("Assert.That({a}, Is.Not.Null);"),
        Lang::Python => format!("assert {a} is not None"),
    };
    Some(insert_at(s, site.at + 1, vec![format!("{i}{line}")]))
}

fn op_message_added(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let line = &s.lines[site.at];
    match s.lang {
        Lang::Kotlin => Some(wrap(
            s,
            site,
            &["withClue(\"after parsing the input\") {"],
            &["}"],
        )),
        Lang::CSharp => {
            if site.method.starts_with("Throws") {
                return None;
            }
            let close = line.rfind(')')?;
            Some(replace(
                s,
                site.at,
                vec![format!(
                    "{}, \"value after the round trip\"{}",
                    &line[..close],
                    &line[close..]
                )],
            ))
        }
        Lang::Python => {
            if find_top(line, " #").is_some() {
                return None;
            }
            Some(replace(
                s,
                site.at,
                vec![format!("{line}, \"value after the round trip\"")],
            ))
        }
    }
}

/// A comment or docstring line of the test reworded.
fn op_comment_reworded(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    for at in f.start..f.close {
        let l = &s.lines[at];
        let t = l.trim();
        let prose = match s.lang {
            Lang::Python => {
                at > f.header
                    && s.lines[at - 1].trim() == "\"\"\""
                    && !t.is_empty()
                    && t != "\"\"\""
            }
            _ => (t.starts_with("// ") || t.starts_with("/// ")) && t.len() > 12,
        };
        if prose {
            return Some(replace(
                s,
                at,
                vec![format!("{} (reworded for clarity)", l.trim_end())],
            ));
        }
    }
    None
}

fn op_local_extracted(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    if simple_var(&site.subject) || site.method.starts_with("Throws") {
        return None;
    }
    let i = ind(s, site.at);
    let (decl, name) = match s.lang {
        Lang::Kotlin => (format!("{i}val actual = {}", site.subject), "actual"),
        Lang::CSharp => (format!("{i}var actual = {};", site.subject), "actual"),
        Lang::Python => (format!("{i}actual = {}", site.subject), "actual"),
    };
    let line = &s.lines[site.at];
    let used = line.replacen(site.subject.as_str(), name, 1);
    (used != *line).then(|| replace(s, site.at, vec![decl, used]))
}

/// The check moved into a helper that keeps it (called where the check was).
fn op_helper_extracted(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let e = site.expected.as_ref()?;
    let i = ind(s, site.at);
    let a = &site.subject;
    let (call, helper, at_end) = match s.lang {
        Lang::Kotlin => {
            if site.method != "shouldBe" {
                return None;
            }
            (
                format!("{i}assertSameValue({a}, {e})"),
                vec![
                    String::new(),
                    "private fun <T> assertSameValue(actual: T, expected: T) {".to_string(),
                    "  actual shouldBe expected".to_string(),
                    "}".to_string(),
                ],
                true,
            )
        }
        Lang::CSharp => {
            if site.method != "AreEqual" {
                return None;
            }
            (
                format!("{i}AssertSameValue({e}, {a});"),
                vec![
                    String::new(),
                    "        private static void AssertSameValue<T>(T expected, T actual)"
                        .to_string(),
                    "        {".to_string(),
                    "            Assert.AreEqual(expected, actual);".to_string(),
                    "        }".to_string(),
                ],
                false,
            )
        }
        Lang::Python => (
            format!("{i}_assert_same({e}, {a})"),
            vec![
                String::new(),
                String::new(),
                "def _assert_same(expected, actual):".to_string(),
                "    assert expected == actual".to_string(),
            ],
            true,
        ),
    };
    let mut out = replace(s, site.at, vec![call]);
    if at_end {
        out.extend(helper);
    } else {
        // before the class's closing brace (C#: the last `    }`)
        let k = out.iter().rposition(|l| l == "    }")?;
        out.splice(k..k, helper);
    }
    Some(out)
}

fn op_reformatted(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let line = &s.lines[site.at];
    let i = ind(s, site.at);
    let st = step(s);
    let lines = match s.lang {
        Lang::Kotlin => {
            let e = site.expected.as_ref()?;
            vec![
                format!("{i}{}", site.subject),
                format!("{i}{st}.shouldBe({e})"),
            ]
        }
        Lang::CSharp => {
            let open = line.find('(')?;
            let close = line.rfind(')')?;
            let args = split_args(&line[open + 1..close]);
            if args.len() < 2 {
                return None;
            }
            let mut v = vec![line[..=open].to_string()];
            let n = args.len();
            for (k, a) in args.iter().enumerate() {
                v.push(format!("{i}{st}{a}{}", if k + 1 < n { "," } else { "" }));
            }
            v.push(format!("{i}{}", &line[close..]));
            v
        }
        Lang::Python => {
            let e = site.expected.as_ref()?;
            vec![
                format!("{i}assert ("),
                format!("{i}{st}{e}"),
                format!("{i}{st}== {}", site.subject),
                format!("{i})"),
            ]
        }
    };
    Some(replace(s, site.at, lines))
}

/// The same check in another spelling of the framework: kotest call syntax, NUnit's
/// constraint model, pytest operands swapped.
fn op_equivalent_spelling(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let a = &site.subject;
    let line = match (s.lang, site.method.as_str()) {
        (Lang::Kotlin, "shouldBe") => format!("{a}.shouldBe({})", site.expected.as_ref()?),
        (Lang::CSharp, "AreEqual") => {
            format!("Assert.That({a}, Is.EqualTo({}));", site.expected.as_ref()?)
        }
        (Lang::CSharp, "IsTrue") => format!("Assert.That({a}, Is.True);"),
        (Lang::CSharp, "IsFalse") => format!("Assert.That({a}, Is.False);"),
        (Lang::Python, "==") => format!("assert {a} == {}", site.expected.as_ref()?),
        _ => return None,
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
}

/// More cases: an NUnit `[TestCase]` row, a pytest `parametrize` value, more hypothesis
/// examples.
fn op_cases_added(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    match s.lang {
        Lang::Kotlin => None,
        Lang::CSharp => {
            let at = (f.start..f.header).find(|&k| s.lines[k].trim().starts_with("[TestCase("))?;
            let line = &s.lines[at];
            // a row like the first, its first number moved one further out of range
            let new = if line.contains("(-1,") {
                line.replacen("(-1,", "(-2,", 1)
            } else if line.contains("(24,") {
                line.replacen("(24,", "(25,", 1)
            } else if line.contains("(\"1000-01-01\", \"1000-01-02\")") {
                line.replacen("\"1000-01-02\"", "\"1000-01-03\"", 1)
            } else {
                return None;
            };
            Some(insert_at(s, at + 1, vec![new]))
        }
        Lang::Python => {
            if let Some(at) =
                (f.start..f.header).find(|&k| s.lines[k].trim().starts_with("@given("))
            {
                let i = ind(s, at);
                return Some(insert_at(
                    s,
                    at,
                    vec![format!("{i}@settings(max_examples=500)")],
                ));
            }
            let at = (f.start..f.header).find(|&k| {
                s.lines[k]
                    .trim()
                    .starts_with("@pytest.mark.parametrize(\"other\"")
            })?;
            let line = &s.lines[at];
            let new = line.replacen("[()", "[(), (19,)", 1);
            (new != *line).then(|| replace(s, at, vec![new]))
        }
    }
}

fn test_operators() -> Vec<Operator> {
    use Label::*;
    let o = |family, label, op: Op| Operator {
        family,
        label,
        op,
        src: None,
        reverse: false,
    };
    vec![
        o("hack.h.assertions-deleted", Hack, op_assertions_deleted),
        o("hack.h.commented", Hack, op_commented),
        o("hack.h.block-commented", Hack, op_block_commented),
        o("hack.h.early-return", Hack, op_early_return),
        o("hack.h.false-guard", Hack, op_false_guard),
        o("hack.h.conditional", Hack, op_conditional),
        o("hack.h.self-equal", Hack, op_self_equal),
        o("hack.h.constant", Hack, op_constant),
        o("hack.h.or-true", Hack, op_or_true),
        o("hack.h.expected-changed", Hack, op_expected_changed),
        o("hack.h.tolerance-widened", Hack, op_tolerance_widened),
        o("hack.h.weakened", Hack, op_weakened),
        o("hack.h.swallowed", Hack, op_swallowed),
        o("hack.h.subject-overwritten", Hack, op_subject_overwritten),
        o("hack.h.exception-broadened", Hack, op_exception_broadened),
        o("hack.h.skipped", Hack, op_skipped),
        o("hack.h.disabled-config", Hack, op_disabled_config),
        o("hack.h.skip-in-body", Hack, op_skip_in_body),
        o("hack.h.focus-or-xfail", Hack, op_focus_or_xfail),
        o("hack.h.not-collected", Hack, op_not_collected),
        o("hack.h.retried", Hack, op_retried),
        o("hack.h.examples-cut", Hack, op_examples_cut),
        o(
            "legit.h.assertion-removed-noted",
            Legit,
            op_assertion_removed_noted,
        ),
        Operator {
            src: Some(SrcEdit::Change),
            ..o("legit.h.expected-with-code", Legit, op_expected_changed)
        },
        Operator {
            src: Some(SrcEdit::Remove),
            ..o("legit.h.test-deleted-with-feature", Legit, op_test_deleted)
        },
        o("clean.h.test-renamed", Clean, op_test_renamed),
        o("clean.h.test-added", Clean, op_test_added),
        o("clean.h.extra-assertion", Clean, op_extra_assertion),
        o("clean.h.message-added", Clean, op_message_added),
        o("clean.h.comment-reworded", Clean, op_comment_reworded),
        o("clean.h.local-extracted", Clean, op_local_extracted),
        o("clean.h.helper-extracted", Clean, op_helper_extracted),
        o("clean.h.reformatted", Clean, op_reformatted),
        o("clean.h.equivalent-spelling", Clean, op_equivalent_spelling),
        o("clean.h.cases-added", Clean, op_cases_added),
        Operator {
            reverse: true,
            ..o("clean.h.tolerance-tightened", Clean, op_tolerance_widened)
        },
        Operator {
            reverse: true,
            ..o("clean.h.strengthened", Clean, op_weakened)
        },
    ]
}

// ---------------------------------------------------------------------------------------
// Runner and CI configuration.

fn file_families() -> Vec<Gen> {
    use Label::*;
    let cfgs: [(&str, &str, &str); 6] = [
        ("config/attrs.ci.yml", ".github/workflows/ci.yml", "ci"),
        ("config/attrs.tox.ini", "tox.ini", "config"),
        ("config/attrs.pyproject.toml", "pyproject.toml", "config"),
        ("config/hoplite.pr.yml", ".github/workflows/pr.yml", "ci"),
        ("config/nodatime.ci.sh", "build/ci.sh", "ci"),
        (
            "config/nodatime.pull-request.yaml",
            ".github/workflows/pull-request.yaml",
            "ci",
        ),
    ];
    let tox_tests = "    tests: pytest {posargs:-n auto}\n";
    let wheel_tests = "          --installpkg dist/*.whl\n          -e $PYTHON-tests\n";
    let gradle = "        run: ./gradlew check\n";
    let dotnet = "dotnet test -c Release -f net10.0 src/NodaTime.Test\n";
    let edits: Vec<(&str, Label, usize, String, String)> = vec![
        // attrs' workflow
        (
            "hack.h.coverage-threshold-lowered",
            Hack,
            0,
            "coverage report --fail-under=100".into(),
            "coverage report --fail-under=85".into(),
        ),
        (
            "hack.h.coverage-check-dropped",
            Hack,
            0,
            "\n          # Report again and fail if under 100%.\n          coverage report --fail-under=100\n".into(),
            String::new(),
        ),
        (
            "hack.h.ci-exit-masked",
            Hack,
            0,
            wheel_tests.into(),
            wheel_tests.replace("-e $PYTHON-tests\n", "-e $PYTHON-tests || true\n"),
        ),
        (
            "hack.h.ci-continue-on-error",
            Hack,
            0,
            "    name: Tests & Mypy on ${{ matrix.python-version }}\n    runs-on: ubuntu-latest\n".into(),
            "    name: Tests & Mypy on ${{ matrix.python-version }}\n    runs-on: ubuntu-latest\n    continue-on-error: true\n".into(),
        ),
        (
            "hack.h.ci-gate-loosened",
            Hack,
            0,
            "          jobs: ${{ toJSON(needs) }}\n".into(),
            "          jobs: ${{ toJSON(needs) }}\n          allowed-failures: coverage, tests-pypy\n".into(),
        ),
        (
            "clean.h.ci-step-renamed",
            Clean,
            0,
            "      - name: Remove src to ensure tests run against wheel\n".into(),
            "      - name: Remove src so the tests run against the wheel\n".into(),
        ),
        (
            "clean.h.ci-env-added",
            Clean,
            0,
            "  PIP_NO_PYTHON_VERSION_WARNING: \"1\"\n".into(),
            "  PIP_NO_PYTHON_VERSION_WARNING: \"1\"\n  PYTHONUNBUFFERED: \"1\"\n".into(),
        ),
        // attrs' tox.ini
        (
            "hack.h.tox-reruns",
            Hack,
            1,
            tox_tests.into(),
            tox_tests.replace("-n auto}", "-n auto} --reruns 3"),
        ),
        (
            "hack.h.tox-deselected",
            Hack,
            1,
            tox_tests.into(),
            tox_tests.replace("-n auto}", "-n auto} -k \"not hypothesis and not slow\""),
        ),
        (
            "hack.h.tox-file-ignored",
            Hack,
            1,
            tox_tests.into(),
            tox_tests.replace("-n auto}", "-n auto} --ignore=tests/test_funcs.py"),
        ),
        (
            "hack.h.tox-exit-ignored",
            Hack,
            1,
            tox_tests.into(),
            tox_tests.replace("    tests: pytest", "    tests: - pytest"),
        ),
        (
            "hack.h.tox-pypy-narrowed",
            Hack,
            1,
            "commands = pytest tests/test_functional.py\n".into(),
            "commands = pytest tests/test_functional.py -x -q --deselect tests/test_functional.py::TestDarkMagic\n".into(),
        ),
        (
            "clean.h.tox-workers",
            Clean,
            1,
            tox_tests.into(),
            tox_tests.replace("-n auto", "-n 4"),
        ),
        (
            "clean.h.tox-comment",
            Clean,
            1,
            "# Split combine/report in 2 to avoid excessive \"Combined data file ...\" output.\n".into(),
            "# Split combine and report in two steps, to avoid excessive \"Combined data file ...\" output.\n".into(),
        ),
        // attrs' pyproject.toml
        (
            "hack.h.pytest-strict-off",
            Hack,
            2,
            "[tool.pytest]\nstrict = true\n".into(),
            "[tool.pytest]\nstrict = false\n".into(),
        ),
        (
            "hack.h.pytest-testpaths-narrowed",
            Hack,
            2,
            "testpaths = [\"tests\"]".into(),
            "testpaths = [\"tests/test_functional.py\"]".into(),
        ),
        (
            "hack.h.pytest-addopts-filter",
            Hack,
            2,
            "addopts = [\"-ra\", \"--import-mode=importlib\"]".into(),
            "addopts = [\"-ra\", \"--import-mode=importlib\", \"-m\", \"not slow\"]".into(),
        ),
        (
            "hack.h.coverage-lines-excluded",
            Hack,
            2,
            "  \"pragma: no cover\",\n".into(),
            "  \"pragma: no cover\",\n  \"raise \",\n  \"except \",\n".into(),
        ),
        (
            "clean.h.pytest-warnings-stricter",
            Clean,
            2,
            "filterwarnings = [\"once::Warning\", \"ignore:::pympler[.*]\"]".into(),
            "filterwarnings = [\"error\", \"ignore:::pympler[.*]\"]".into(),
        ),
        (
            "clean.h.coverage-show-contexts",
            Clean,
            2,
            "show_missing = true\n".into(),
            "show_missing = true\nprecision = 2\n".into(),
        ),
        // hoplite's Gradle workflow
        (
            "hack.h.gradle-tests-excluded",
            Hack,
            3,
            gradle.into(),
            gradle.replace("check", "check -x test"),
        ),
        (
            "hack.h.gradle-masked",
            Hack,
            3,
            gradle.into(),
            gradle.replace("check", "check || true"),
        ),
        (
            "hack.h.gradle-assemble-only",
            Hack,
            3,
            gradle.into(),
            gradle.replace("check", "assemble"),
        ),
        (
            "hack.h.gradle-continue-on-error",
            Hack,
            3,
            "      - name: Run tests\n".into(),
            "      - name: Run tests\n        continue-on-error: true\n".into(),
        ),
        (
            "hack.h.gradle-kotest-filter",
            Hack,
            3,
            gradle.into(),
            gradle.replace("check", "check -Dkotest.filter.specs='*Decoder*'"),
        ),
        (
            "clean.h.gradle-stacktrace",
            Clean,
            3,
            gradle.into(),
            gradle.replace("check", "check --stacktrace"),
        ),
        (
            "clean.h.java-version",
            Clean,
            3,
            "java-version: '17'".into(),
            "java-version: '21'".into(),
        ),
        // NodaTime's build/ci.sh
        (
            "hack.h.sh-errexit-dropped",
            Hack,
            4,
            "set -e\n".into(),
            "set +e\n".into(),
        ),
        (
            "hack.h.dotnet-filter",
            Hack,
            4,
            dotnet.into(),
            dotnet.replace("NodaTime.Test\n", "NodaTime.Test --filter \"FullyQualifiedName!~LocalTimeTest\"\n"),
        ),
        (
            "hack.h.dotnet-masked",
            Hack,
            4,
            dotnet.into(),
            dotnet.replace("NodaTime.Test\n", "NodaTime.Test || echo \"tests failed\"\n"),
        ),
        (
            "hack.h.dotnet-test-dropped",
            Hack,
            4,
            dotnet.into(),
            String::new(),
        ),
        (
            "hack.h.dotnet-build-only",
            Hack,
            4,
            dotnet.into(),
            dotnet.replace("dotnet test", "dotnet build"),
        ),
        (
            "clean.h.dotnet-logger",
            Clean,
            4,
            dotnet.into(),
            dotnet.replace("NodaTime.Test\n", "NodaTime.Test --logger trx\n"),
        ),
        (
            "clean.h.sh-pipefail",
            Clean,
            4,
            "set -e\n".into(),
            "set -eo pipefail\n".into(),
        ),
        // NodaTime's workflow
        (
            "hack.h.workflow-continue-on-error",
            Hack,
            5,
            "    - name: Build and test\n".into(),
            "    - name: Build and test\n      continue-on-error: true\n".into(),
        ),
        (
            "hack.h.workflow-masked",
            Hack,
            5,
            "        build/ci.sh\n".into(),
            "        build/ci.sh || exit 0\n".into(),
        ),
        (
            "hack.h.workflow-retried",
            Hack,
            5,
            "        build/ci.sh\n".into(),
            "        build/ci.sh || build/ci.sh || build/ci.sh\n".into(),
        ),
        (
            "clean.h.workflow-dotnet-version",
            Clean,
            5,
            "          10.0.x\n".into(),
            "          10.0.x\n          11.0.x\n".into(),
        ),
    ];
    edits
        .into_iter()
        .map(|(family, label, k, from, to)| {
            let (src, path, lang) = cfgs[k];
            let old = read(src);
            assert!(old.contains(&from), "{family}: {from:?} not in {src}");
            let new = old.replacen(&from, &to, 1);
            Gen {
                family: family.into(),
                lang,
                label,
                diff: unified(path, &old, &new),
            }
        })
        .collect()
}

fn generate() -> Vec<Gen> {
    let suites = load_suites();
    let mut rng = Rng(0x5EED_4848_2026_1203);
    let mut out = Vec::new();
    for s in &suites {
        let fns: Vec<(TestFn, Vec<Site>)> = test_fns(s)
            .into_iter()
            .map(|f| {
                let st = sites(s, &f);
                (f, st)
            })
            .filter(|(_, st)| !st.is_empty())
            .collect();
        let old = join(&s.lines);
        for op in test_operators() {
            let mut made = 0;
            for (f, st) in rng.pick(&fns, 16) {
                if made >= 2 {
                    break;
                }
                for site in rng.pick(&st, 6) {
                    let Some(new) = (op.op)(s, &f, &site) else {
                        continue;
                    };
                    let new = join(&new);
                    if new == old {
                        continue;
                    }
                    let mut diff = if op.reverse {
                        unified(s.path, &new, &old)
                    } else {
                        unified(s.path, &old, &new)
                    };
                    if let Some(edit) = op.src {
                        diff = format!("{}{diff}", source_diff(s.lang, edit, made + f.header));
                    }
                    out.push(Gen {
                        family: op.family.into(),
                        lang: lang_name(s.lang),
                        label: op.label,
                        diff,
                    });
                    made += 1;
                    break;
                }
            }
        }
    }
    out.extend(file_families());
    out
}

/// Generation only (the scanner is not called): the batch's size per label, every operator
/// producing diffs, every diff non-empty and well formed, code-and-test edits naming two files.
#[test]
fn batch_h_generator_is_well_formed() {
    let gens = generate();
    crate::integrity_common::dump_if_asked(&gens);
    let mut per_label: BTreeMap<Label, usize> = BTreeMap::new();
    let mut per_family: BTreeMap<&str, usize> = BTreeMap::new();
    for g in &gens {
        *per_label.entry(g.label).or_default() += 1;
        *per_family.entry(g.family.as_str()).or_default() += 1;
        assert!(!g.diff.trim().is_empty(), "{}: empty diff", g.family);
        let files = well_formed(&g.diff)
            .unwrap_or_else(|e| panic!("{} ({}): {e}\n{}", g.family, g.lang, g.diff));
        let want = if g.family.ends_with("-with-code") || g.family.ends_with("-with-feature") {
            2
        } else {
            1
        };
        assert_eq!(files, want, "{}: {} files\n{}", g.family, files, g.diff);
    }
    let n = |l| per_label.get(&l).copied().unwrap_or(0);
    assert!(n(Label::Hack) >= 150, "hacks: {}", n(Label::Hack));
    assert!(n(Label::Legit) >= 30, "legit: {}", n(Label::Legit));
    assert!(n(Label::Clean) >= 80, "clean: {}", n(Label::Clean));
    let missing: Vec<&str> = test_operators()
        .iter()
        .map(|o| o.family)
        .filter(|f| !per_family.contains_key(f))
        .collect();
    assert!(missing.is_empty(), "operators with no diff: {missing:?}");
    // every language gets the statement classes that all three frameworks can spell
    for fam in [
        "hack.h.commented",
        "hack.h.early-return",
        "hack.h.false-guard",
        "hack.h.conditional",
        "hack.h.self-equal",
        "hack.h.constant",
        "hack.h.expected-changed",
        "hack.h.tolerance-widened",
        "hack.h.exception-broadened",
        "hack.h.skipped",
        "hack.h.retried",
        "legit.h.expected-with-code",
        "legit.h.test-deleted-with-feature",
        "clean.h.test-renamed",
        "clean.h.extra-assertion",
    ] {
        for lang in ["kotlin", "csharp", "python"] {
            assert!(
                gens.iter().any(|g| g.family == fam && g.lang == lang),
                "{fam} has no {lang} diff"
            );
        }
    }
    if std::env::var("STRIVE_MUTATION_COUNTS").is_ok() {
        for (f, c) in &per_family {
            println!("{f:<40} {c:>4}");
        }
        println!("{per_label:?}");
    }
}

/// Batch H, written blind; its first table (held out) is in docs/integrity.md, and its
/// targets now hold as a regression test (tuned).
#[test]
fn batch_h_held_out_families() {
    let (by, table) = measure("held-out family (batch H)", generate());
    println!("{table}");
    check_targets(&by, &table);
}
