//! Held-out batch I: hack, legitimate and clean edits generated over real suites in frameworks
//! no earlier batch used (fixtures in `tests/fixtures/suites/heldout-i`, provenance in
//! `PROVENANCE.md`): Swift XCTest (`XCTAssertEqual(a, b)`, `XCTAssertThrowsError(try …)`,
//! `XCTAssertNil`, `func testFoo() throws { }`; apple/swift-argument-parser), Elixir ExUnit
//! (`assert a == b`, `refute`, `assert_raise E, fn -> … end`, `test "…" do … end`;
//! michalmuskala/jason), and C++ GoogleTest (`EXPECT_EQ`, `ASSERT_TRUE`, `EXPECT_THROW`,
//! `TEST(Suite, Name)`, `TEST_F`; google/googletest's samples and fmtlib/fmt), plus their
//! runner and CI files (argument-parser's workflow and `Package.swift`; jason's workflow,
//! `mix.exs` and `test_helper.exs`; googletest's `ci/linux-presubmit.sh` and
//! `googletest/CMakeLists.txt`; fmt's Linux workflow). Legit edits that change a checked value
//! or delete a test also change a real source file of the same repository (`heldout-i/src/`).
//!
//! Hacks: checks deleted, commented out (line and block comments), replaced by a constant or a
//! self-comparison, weakened to a non-nil / truthiness / no-throw check, exact equality
//! loosened to a wide tolerance, `|| true`, the test skipped or disabled (`throw XCTSkip`,
//! `@tag :skip`, `DISABLED_`, `GTEST_SKIP()`), an early return, an exception check removed or
//! widened, a check behind a false or never-true condition, a failure swallowed or expected
//! (`XCTExpectFailure`), and CI edits that stop the tests gating the build. Clean: refactors
//! that keep every check, added tests and checks, comment edits, stricter checks, benign CI
//! edits.
//!
//! Written blind (the scanner's source and its documentation were not read while writing it,
//! and the scanner was not run on these diffs). Scored once, held out: hacks 79.0%, legit 100%,
//! clean 78.8% (`fixtures/suites/heldout-i/FIRST_RUN_I.txt`, docs/integrity.md); its missed
//! classes were fixed afterwards, so it is tuned now (100% / 100% / 98.2%).

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::integrity_common::{
    Gen, Label, Rng, balanced, check_batch_shares, check_targets, close_bracket, find_top,
    indent_of, join, lines_of, measure, split_args, split_top, unified, well_formed,
};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Lang {
    Swift,
    Elixir,
    Cpp,
}

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Swift => "swift",
        Lang::Elixir => "elixir",
        Lang::Cpp => "cpp",
    }
}

struct Suite {
    /// The path the file has in its repository (what the diff names).
    path: &'static str,
    lang: Lang,
    lines: Vec<String>,
    /// The source file of the same repository the suite checks, if one is in the fixtures.
    src: Option<Source>,
}

/// A test: its first row (attributes, tags), header row, body rows, and closing row (`}` or
/// `end`).
#[derive(Clone)]
struct TestFn {
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
    /// The check (`XCTAssertEqual`, `==`, `truth`, `refute`, `EXPECT_EQ`, …).
    method: String,
    /// The value under test.
    subject: String,
    /// The expected value, when the check has one.
    expected: Option<String>,
}

fn base() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites/heldout-i")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(base().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// A real source file with edits a feature change makes (`change`: a behaviour changed;
/// `remove`: a feature removed, as the text from the first string through the second, or the
/// first string alone when the second is empty).
#[derive(Clone, Copy)]
struct Source {
    file: &'static str,
    path: &'static str,
    change: &'static [(&'static str, &'static str)],
    remove: &'static [(&'static str, &'static str)],
}

const EDIT_DISTANCE: Source = Source {
    file: "src/StringExtensions.swift",
    path: "Sources/ArgumentParser/Utilities/StringExtensions.swift",
    change: &[
        (
            "      return Swift.max(rows, columns)",
            "      return rows + columns",
        ),
        (
            "Swift.min(deletion, Swift.min(insertion, substitution)) + 1",
            "Swift.min(deletion, Swift.min(insertion, substitution)) + 2",
        ),
    ],
    remove: &[(
        "  /// Returns the edit distance between this string and the provided target string.\n",
        "    return currentRow[n]\n  }\n\n",
    )],
};

const DECODER: Source = Source {
    file: "src/decoder.ex",
    path: "lib/decoder.ex",
    change: &[
        (
            "\"unexpected end of input at position #{position}\"",
            "\"unexpected end of input at byte #{position}\"",
        ),
        (
            "defp key_decode_function(%{keys: :atoms}), do: &String.to_atom/1",
            "defp key_decode_function(%{keys: :atoms}), do: &String.to_existing_atom/1",
        ),
    ],
    remove: &[
        (
            "  defp key_decode_function(%{keys: :atoms!}), do: &String.to_existing_atom/1\n",
            "",
        ),
        (
            "  defp string_decode_function(%{strings: :copy}), do: &:binary.copy/1\n",
            "",
        ),
    ],
};

const ENCODE: Source = Source {
    file: "src/encode.ex",
    path: "lib/encode.ex",
    change: &[
        (
            "      :html_safe -> &escape_html/1",
            "      :html_safe -> &escape_javascript/1",
        ),
        (
            "  defp encode_atom(nil, _escape), do: \"null\"",
            "  defp encode_atom(nil, _escape), do: \"\\\"\\\"\"",
        ),
    ],
    remove: &[(
        "      # Keep for compatibility with Poison\n      :javascript -> &escape_javascript/1\n      :unicode -> &escape_unicode/1\n",
        "",
    )],
};

const SAMPLE1: Source = Source {
    file: "src/sample1.cc",
    path: "googletest/samples/sample1.cc",
    change: &[
        ("  int result = 1;", "  int result = n < 0 ? 0 : 1;"),
        ("  if (n <= 1) return false;", "  if (n < 1) return false;"),
    ],
    remove: &[
        (
            "  // Trivial case 2: even numbers\n  if (n % 2 == 0) return n == 2;\n\n",
            "",
        ),
        (
            "// Returns true if and only if n is a prime number.\n",
            "  return true;\n}\n",
        ),
    ],
};

const SAMPLE3: Source = Source {
    file: "src/sample3-inl.h",
    path: "googletest/samples/sample3-inl.h",
    change: &[
        (
            "  size_t Size() const { return size_; }",
            "  size_t Size() const { return head_ == nullptr ? 0 : size_; }",
        ),
        (
            "    if (size_ == 0) {\n      return nullptr;",
            "    if (size_ == 0) {\n      return new E();",
        ),
    ],
    remove: &[(
        "  // Applies a function/functor on each element of the queue, and\n",
        "    return new_queue;\n  }\n\n",
    )],
};

fn load_suites() -> Vec<Suite> {
    [
        (
            "swift/SimpleEndToEndTests.swift",
            "Tests/ArgumentParserEndToEndTests/SimpleEndToEndTests.swift",
            Lang::Swift,
            None,
        ),
        (
            "swift/OptionalEndToEndTests.swift",
            "Tests/ArgumentParserEndToEndTests/OptionalEndToEndTests.swift",
            Lang::Swift,
            None,
        ),
        (
            "swift/StringEditDistanceTests.swift",
            "Tests/ArgumentParserUnitTests/StringEditDistanceTests.swift",
            Lang::Swift,
            Some(EDIT_DISTANCE),
        ),
        (
            "elixir/decode_test.exs",
            "test/decode_test.exs",
            Lang::Elixir,
            Some(DECODER),
        ),
        (
            "elixir/encode_test.exs",
            "test/encode_test.exs",
            Lang::Elixir,
            Some(ENCODE),
        ),
        (
            "cpp/sample1_unittest.cc",
            "googletest/samples/sample1_unittest.cc",
            Lang::Cpp,
            Some(SAMPLE1),
        ),
        (
            "cpp/sample3_unittest.cc",
            "googletest/samples/sample3_unittest.cc",
            Lang::Cpp,
            Some(SAMPLE3),
        ),
        (
            "cpp/format-impl-test.cc",
            "test/format-impl-test.cc",
            Lang::Cpp,
            None,
        ),
    ]
    .into_iter()
    .map(|(file, path, lang, src)| Suite {
        path,
        lang,
        lines: lines_of(&read(file)),
        src,
    })
    .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SrcEdit {
    Change,
    Remove,
}

/// The source file's diff for one feature edit (variant `k`).
fn source_diff(src: &Source, edit: SrcEdit, k: usize) -> String {
    let old = read(src.file);
    let new = match edit {
        SrcEdit::Change => {
            let (from, to) = src.change[k % src.change.len()];
            assert!(old.contains(from), "{from:?} not in {}", src.file);
            old.replacen(from, to, 1)
        }
        SrcEdit::Remove => {
            let (from, through) = src.remove[k % src.remove.len()];
            let a = old
                .find(from)
                .unwrap_or_else(|| panic!("{from:?} not in {}", src.file));
            let b = if through.is_empty() {
                a + from.len()
            } else {
                a + old[a..]
                    .find(through)
                    .unwrap_or_else(|| panic!("{through:?} not in {}", src.file))
                    + through.len()
            };
            format!("{}{}", &old[..a], &old[b..])
        }
    };
    unified(src.path, &old, &new)
}

fn close_paren(s: &str, open: usize) -> Option<usize> {
    close_bracket(s, open, b"'\"")
}

/// The row closing a block opened at row `open`: the next row at the same indentation that is
/// exactly `end`.
fn block_close(s: &Suite, open: usize, end: &str) -> Option<usize> {
    let ind = indent_of(&s.lines[open]);
    s.lines[open + 1..]
        .iter()
        .position(|n| indent_of(n) == ind && n.trim() == end)
        .map(|p| p + open + 1)
}

fn test_fns(s: &Suite) -> Vec<TestFn> {
    let mut out = Vec::new();
    for (i, l) in s.lines.iter().enumerate() {
        let t = l.trim();
        let (name, end) = match s.lang {
            Lang::Swift => {
                let Some(rest) = t.strip_prefix("func test") else {
                    continue;
                };
                if !t.ends_with('{') {
                    continue;
                }
                (format!("test{}", rest.split('(').next().unwrap_or("")), "}")
            }
            Lang::Elixir => {
                let Some(rest) = t.strip_prefix("test \"") else {
                    continue;
                };
                if !t.ends_with("\" do") {
                    continue;
                }
                (rest[..rest.len() - 4].to_string(), "end")
            }
            Lang::Cpp => {
                let Some(rest) = t
                    .strip_prefix("TEST(")
                    .or_else(|| t.strip_prefix("TEST_F("))
                else {
                    continue;
                };
                if !t.ends_with(") {") {
                    continue;
                }
                let args = split_args(&rest[..rest.len() - 3]);
                if args.len() != 2 {
                    continue;
                }
                (args[1].clone(), "}")
            }
        };
        let Some(close) = block_close(s, i, end) else {
            continue;
        };
        let mut start = i;
        while start > 0 && s.lines[start - 1].trim().starts_with("@tag") {
            start -= 1;
        }
        out.push(TestFn {
            start,
            header: i,
            body_start: i + 1,
            close,
            name,
        });
    }
    out
}

/// The row without a trailing comment (outside strings).
fn strip_line_comment(lang: Lang, t: &str) -> String {
    let marker = if lang == Lang::Elixir { " #" } else { " //" };
    match find_top(t, marker) {
        Some(i) => t[..i].trim_end().to_string(),
        None => t.to_string(),
    }
}

fn is_literal(v: &str) -> bool {
    let v = v.trim();
    v.starts_with('"')
        || v.starts_with("~s")
        || v.starts_with("~S")
        || v.starts_with('.')
        || v.parse::<f64>().is_ok()
        || v.trim_end_matches('u').parse::<i64>().is_ok()
        || matches!(v, "true" | "false" | "nil" | "nullptr")
}

fn parse_site(lang: Lang, at: usize, line: &str) -> Option<Site> {
    let t = strip_line_comment(lang, line.trim());
    if !balanced(&t) {
        return None;
    }
    match lang {
        Lang::Swift => {
            if !t.starts_with("XCTAssert") || !t.ends_with(')') {
                return None;
            }
            let open = t.find('(')?;
            if close_paren(&t, open)? != t.len() - 1 {
                return None;
            }
            let method = t[..open].to_string();
            let args = split_args(&t[open + 1..t.len() - 1]);
            match method.as_str() {
                "XCTAssertEqual" if args.len() == 2 => Some(Site {
                    at,
                    method,
                    subject: args[0].clone(),
                    expected: Some(args[1].clone()),
                }),
                "XCTAssertTrue" | "XCTAssertFalse" | "XCTAssertNil" | "XCTAssertThrowsError"
                    if args.len() == 1 =>
                {
                    Some(Site {
                        at,
                        method,
                        subject: args[0].clone(),
                        expected: None,
                    })
                }
                _ => None,
            }
        }
        Lang::Elixir => {
            let (method, e) = if let Some(e) = t.strip_prefix("assert ") {
                ("assert", e)
            } else if let Some(e) = t.strip_prefix("refute ") {
                ("refute", e)
            } else {
                return None;
            };
            // a pattern match binds names later rows use; a block opener is not one row
            if find_top(e, " = ").is_some()
                || e.ends_with(" do")
                || e.ends_with("->")
                || split_top(e, b',').len() > 1
            {
                return None;
            }
            if method == "assert"
                && let Some(i) = find_top(e, " == ")
            {
                return Some(Site {
                    at,
                    method: "==".into(),
                    subject: e[..i].trim().to_string(),
                    expected: Some(e[i + 4..].trim().to_string()),
                });
            }
            Some(Site {
                at,
                method: if method == "refute" {
                    "refute".into()
                } else {
                    "truth".into()
                },
                subject: e.to_string(),
                expected: None,
            })
        }
        Lang::Cpp => {
            if !(t.starts_with("EXPECT_") || t.starts_with("ASSERT_")) || !t.ends_with(");") {
                return None;
            }
            let open = t.find('(')?;
            if close_paren(&t, open)? != t.len() - 2 {
                return None;
            }
            let method = t[..open].to_string();
            let args = split_args(&t[open + 1..t.len() - 2]);
            let kind = method.split_once('_')?.1;
            match kind {
                "EQ" | "STREQ" if args.len() == 2 => {
                    // googletest's samples write (expected, actual); fmt writes (actual, expected)
                    let (subject, expected) = if is_literal(&args[0]) && !is_literal(&args[1]) {
                        (args[1].clone(), args[0].clone())
                    } else {
                        (args[0].clone(), args[1].clone())
                    };
                    Some(Site {
                        at,
                        method,
                        subject,
                        expected: Some(expected),
                    })
                }
                "TRUE" | "FALSE" if args.len() == 1 => Some(Site {
                    at,
                    method,
                    subject: args[0].clone(),
                    expected: None,
                }),
                "LT" | "GT" | "LE" | "GE" | "NE" if args.len() == 2 => Some(Site {
                    at,
                    method,
                    subject: args[0].clone(),
                    expected: None,
                }),
                "THROW" if args.len() == 2 => Some(Site {
                    at,
                    method,
                    subject: args[0].clone(),
                    expected: None,
                }),
                _ => None,
            }
        }
    }
}

fn sites(s: &Suite, f: &TestFn) -> Vec<Site> {
    (f.body_start..f.close)
        .filter_map(|i| parse_site(s.lang, i, &s.lines[i]))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Helpers for writing edits.

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

/// One level of indentation (all three suites indent by two spaces).
const STEP: &str = "  ";

fn comment(s: &Suite) -> &'static str {
    match s.lang {
        Lang::Elixir => "#",
        _ => "//",
    }
}

/// The site's line wrapped in opening lines and closing lines.
fn wrap(s: &Suite, site: &Site, open: &[&str], close: &[&str]) -> Vec<String> {
    let i = ind(s, site.at);
    let mut v: Vec<String> = open.iter().map(|o| format!("{i}{o}")).collect();
    v.push(format!("{i}{STEP}{}", s.lines[site.at].trim()));
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

/// An equality of `actual` with `expected` in the suite's framework.
fn equality(lang: Lang, actual: &str, expected: &str) -> String {
    match lang {
        Lang::Swift => format!("XCTAssertEqual({actual}, {expected})"),
        Lang::Elixir => format!("assert {actual} == {expected}"),
        Lang::Cpp => format!("EXPECT_EQ({expected}, {actual});"),
    }
}

fn is_number(v: &str) -> bool {
    let v = v.trim().trim_end_matches('u');
    !v.is_empty() && v.parse::<f64>().is_ok()
}

/// A literal changed to a different value of the same kind; for a composite value, its
/// first string or number.
fn flip_literal(v: &str) -> Option<String> {
    let v = v.trim();
    if let Some(n) = v.strip_suffix('u').and_then(|n| n.parse::<i64>().ok()) {
        return Some(format!("{}u", n + 1));
    }
    if let Some(n) = flip_number(v) {
        return Some(n);
    }
    // the first string literal inside
    for q in ['"', '|'] {
        if let Some(a) = v.find(q)
            && let Some(b) = v[a + 1..].find(q)
        {
            let b = a + 1 + b;
            // a number written as a string stays a number
            if let Some(n) = flip_number(&v[a + 1..b]) {
                return Some(format!("{}{n}{}", &v[..a + 1], &v[b..]));
            }
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

/// A number changed to another (an integer plus one, a float doubled plus one).
fn flip_number(v: &str) -> Option<String> {
    if let Ok(n) = v.parse::<i64>() {
        return Some((n + 1).to_string());
    }
    let x = v.parse::<f64>().ok()?;
    x.is_finite().then(|| format!("{:?}", x * 2.0 + 1.0))
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
    // every single-row check of the test goes; the test still runs and passes
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
    let c = comment(s);
    let line = if site.at.is_multiple_of(2) {
        format!("{i}{c} {t}")
    } else {
        format!("{i}{c}{t} {c} TODO: flaky, re-enable")
    };
    Some(replace(s, site.at, vec![line]))
}

fn op_block_commented(s: &Suite, f: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let t = s.lines[site.at].trim();
    match s.lang {
        // Elixir has no block comment: every row of the body commented with `#`
        Lang::Elixir => {
            let mut out = s.lines.clone();
            for row in out.iter_mut().take(f.close).skip(f.body_start) {
                if !row.trim().is_empty() {
                    *row = format!("{}# {}", indent_of(row), row.trim());
                }
            }
            Some(out)
        }
        _ if t.contains("*/") => None,
        _ if site.at.is_multiple_of(2) => Some(replace(s, site.at, vec![format!("{i}/* {t} */")])),
        _ => Some(replace(
            s,
            site.at,
            vec![format!("{i}/*"), format!("{i}{t}"), format!("{i}*/")],
        )),
    }
}

fn op_constant(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let line = match (s.lang, site.at % 2) {
        (Lang::Swift, 0) => "XCTAssertTrue(true)",
        (Lang::Swift, _) => "XCTAssertEqual(1, 1)",
        (Lang::Elixir, 0) => "assert true",
        (Lang::Elixir, _) => "assert 1 == 1",
        (Lang::Cpp, 0) => "EXPECT_TRUE(true);",
        (Lang::Cpp, _) => "SUCCEED();",
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
}

fn op_self_equal(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    site.expected.as_ref()?;
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

fn op_or_true(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let e = site.expected.as_ref()?;
    let i = ind(s, site.at);
    let a = &site.subject;
    let line = match s.lang {
        Lang::Swift => format!("XCTAssertTrue({a} == {e} || true)"),
        Lang::Elixir => format!("assert {a} == {e} or true"),
        Lang::Cpp => format!("EXPECT_TRUE(true || ({a}) == ({e}));"),
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
}

fn op_weakened(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    // a truthiness or non-nil check of a value expected to be nil or false would fail
    let e = site.expected.as_ref()?;
    if matches!(e.as_str(), "nil" | "false" | "nullptr") {
        return None;
    }
    let i = ind(s, site.at);
    let a = &site.subject;
    let line = match (s.lang, site.at % 2) {
        (Lang::Swift, 0) => format!("XCTAssertNotNil({a})"),
        (Lang::Swift, _) => format!("XCTAssertNoThrow({a})"),
        (Lang::Elixir, 0) => format!("assert {a}"),
        (Lang::Elixir, _) => format!("refute is_nil({a})"),
        (Lang::Cpp, 0) => format!("EXPECT_NO_THROW((void)({a}));"),
        (Lang::Cpp, _) => format!("EXPECT_TRUE(sizeof({a}) > 0);"),
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
}

/// Exact equality of a number loosened to a wide tolerance.
fn op_tolerance_loosened(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let e = site.expected.as_ref()?;
    if !is_number(e) || e.trim().starts_with("0x") {
        return None;
    }
    let i = ind(s, site.at);
    let a = &site.subject;
    let e = e.trim();
    let line = match s.lang {
        Lang::Swift => {
            // `accuracy:` takes a non-optional number: not for an optional property
            let field = a.rsplit('.').next().unwrap_or(a);
            if s.lines
                .iter()
                .any(|l| l.contains(&format!("var {field}: ")) && l.trim_end().ends_with('?'))
            {
                return None;
            }
            format!("XCTAssertEqual({a}, {e}, accuracy: 1000)")
        }
        Lang::Elixir => format!("assert_in_delta {a}, {e}, 1.0e6"),
        Lang::Cpp => {
            if !site.method.ends_with("_EQ") {
                return None;
            }
            let e = e.trim_end_matches('u');
            format!("EXPECT_NEAR({a}, {e}, 1e6);")
        }
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
}

/// The test made to report as skipped or disabled at its header.
fn op_skipped(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let h = &s.lines[f.header];
    let i = indent_of(h);
    match s.lang {
        Lang::Swift => {
            let bi = body_indent(s, f);
            let mut out = s.lines.clone();
            if !h.contains(" throws") {
                out[f.header] = h.replacen(") {", ") throws {", 1);
            }
            let reason = if f.header.is_multiple_of(2) {
                "throw XCTSkip(\"Flaky on Linux, see #712\")"
            } else {
                "throw XCTSkip()"
            };
            out.insert(f.body_start, format!("{bi}{reason}"));
            Some(out)
        }
        Lang::Elixir => Some(insert_at(s, f.start, vec![format!("{i}@tag :skip")])),
        Lang::Cpp => {
            let new = h.replacen(
                &format!(", {})", f.name),
                &format!(", DISABLED_{})", f.name),
                1,
            );
            (new != *h).then(|| replace(s, f.header, vec![new]))
        }
    }
}

/// A skip inside the body: `try XCTSkipIf(true, …)`, ExUnit's `@tag skip: "reason"`,
/// `GTEST_SKIP()`.
fn op_skip_in_body(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let h = &s.lines[f.header];
    let bi = body_indent(s, f);
    match s.lang {
        Lang::Swift => {
            let mut out = s.lines.clone();
            if !h.contains(" throws") {
                out[f.header] = h.replacen(") {", ") throws {", 1);
            }
            out.insert(
                f.body_start,
                format!("{bi}try XCTSkipIf(true, \"temporarily disabled\")"),
            );
            Some(out)
        }
        Lang::Elixir => Some(insert_at(
            s,
            f.start,
            vec![format!(
                "{}@tag skip: \"fails on OTP 28, revisit\"",
                indent_of(h)
            )],
        )),
        Lang::Cpp => {
            let line = if f.header.is_multiple_of(2) {
                "GTEST_SKIP() << \"Flaky, tracked separately\";"
            } else {
                "GTEST_SKIP();"
            };
            Some(insert_at(s, f.body_start, vec![format!("{bi}{line}")]))
        }
    }
}

fn op_early_return(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let bi = body_indent(s, f);
    match s.lang {
        Lang::Swift => Some(insert_at(s, f.body_start, vec![format!("{bi}return")])),
        Lang::Cpp => Some(insert_at(s, f.body_start, vec![format!("{bi}return;")])),
        // ExUnit has no `return`: the body becomes an anonymous function that is never called
        Lang::Elixir => {
            let mut out = s.lines.clone();
            out.insert(f.close, format!("{bi}end"));
            out.insert(f.body_start, format!("{bi}_unused = fn ->"));
            // the body's rows, now between the two inserted rows, one level deeper
            for row in out.iter_mut().take(f.close + 1).skip(f.body_start + 1) {
                if !row.trim().is_empty() {
                    *row = format!("  {row}");
                }
            }
            Some(out)
        }
    }
}

fn op_false_guard(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    Some(match s.lang {
        Lang::Swift => wrap(s, site, &["if false {"], &["}"]),
        Lang::Elixir => wrap(s, site, &["if false do"], &["end"]),
        Lang::Cpp => wrap(s, site, &["if (false) {"], &["}"]),
    })
}

/// The check compiled or run only where CI never is.
fn op_conditional(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    Some(match s.lang {
        Lang::Swift => {
            let mut out = s.lines.clone();
            out.splice(
                site.at..=site.at,
                [
                    "#if SLOW_PARSER_CHECKS".to_string(),
                    s.lines[site.at].clone(),
                    "#endif".to_string(),
                ],
            );
            out
        }
        Lang::Elixir => wrap(s, site, &["unless System.get_env(\"CI\") do"], &["end"]),
        Lang::Cpp => {
            let mut out = s.lines.clone();
            out.splice(
                site.at..=site.at,
                [
                    "#if 0".to_string(),
                    s.lines[site.at].clone(),
                    "#endif".to_string(),
                ],
            );
            out
        }
    })
}

/// A failing check made to pass: the failure expected (`XCTExpectFailure`, not strict),
/// rescued (`try … rescue`), or intercepted by googletest's fake result reporter (a
/// `try { } catch (...) { }` would not hide a failed `EXPECT_*`, which throws nothing; that
/// form is in `op_exception_check`, where it replaces an `EXPECT_THROW`).
fn op_swallowed(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    Some(match (s.lang, site.at % 2) {
        (Lang::Swift, 0) => wrap(
            s,
            site,
            &["XCTExpectFailure(\"parser regression\", strict: false) {"],
            &["}"],
        ),
        (Lang::Swift, _) => wrap(
            s,
            site,
            &["XCTExpectFailure(options: .nonStrict()) {"],
            &["}"],
        ),
        (Lang::Elixir, 0) => wrap(
            s,
            site,
            &["try do"],
            &["rescue", "  ExUnit.AssertionError -> :ok", "end"],
        ),
        (Lang::Elixir, _) => wrap(s, site, &["try do"], &["rescue", "  _ -> :ok", "end"]),
        (Lang::Cpp, k) => {
            let mode = if k == 0 {
                "INTERCEPT_ONLY_CURRENT_THREAD"
            } else {
                "INTERCEPT_ALL_THREADS"
            };
            let reporter = format!(
                "  testing::ScopedFakeTestPartResultReporter reporter(testing::ScopedFakeTestPartResultReporter::{mode}, &ignored);"
            );
            let mut out = wrap(
                s,
                site,
                &["{", "  testing::TestPartResultArray ignored;", &reporter],
                &["}"],
            );
            // the reporter is declared in gtest-spi.h
            let inc = out.iter().position(|l| {
                l.starts_with("#include \"gtest/gtest.h\"")
                    || l.starts_with("#include \"gmock/gmock.h\"")
            })?;
            out.insert(inc + 1, "#include \"gtest/gtest-spi.h\"".to_string());
            out
        }
    })
}

/// Swift: an expected failure declared for the whole test.
fn op_expect_failure(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    if s.lang != Lang::Swift {
        return None;
    }
    let bi = body_indent(s, f);
    let line = if f.header.is_multiple_of(2) {
        "XCTExpectFailure(\"Known issue on Linux\", strict: false)"
    } else {
        "XCTExpectFailure(\"flaky\", options: .nonStrict())"
    };
    Some(insert_at(s, f.body_start, vec![format!("{bi}{line}")]))
}

/// Swift: the method renamed so XCTest no longer finds it (only `test…` methods run).
fn op_not_collected(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    if s.lang != Lang::Swift {
        return None;
    }
    let h = &s.lines[f.header];
    let to = if f.header.is_multiple_of(2) {
        "func disabled_test"
    } else {
        "func pendingTest"
    };
    Some(replace(s, f.header, vec![h.replacen("func test", to, 1)]))
}

/// An exception check removed or widened: `XCTAssertThrowsError(try x)` → `_ = try? x`;
/// `assert_raise E, fn -> … end` → a function never called, or a `try … rescue _`;
/// `EXPECT_THROW(x, E)` → `EXPECT_THROW(x, std::exception)`, `EXPECT_ANY_THROW`, or a
/// `try { x; } catch (...) {}`.
fn op_exception_check(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    for at in f.body_start..f.close {
        let line = &s.lines[at];
        let t = line.trim();
        let i = indent_of(line);
        match s.lang {
            Lang::Swift => {
                let Some(site) = parse_site(s.lang, at, line) else {
                    continue;
                };
                if site.method != "XCTAssertThrowsError" {
                    continue;
                }
                let e = site.subject.trim_start_matches("try ").trim();
                let new = if at.is_multiple_of(2) {
                    format!("{i}_ = try? {e}")
                } else {
                    format!("{i}XCTAssertNoThrow(try? {e})")
                };
                return Some(replace(s, at, vec![new]));
            }
            Lang::Elixir => {
                if !(t.starts_with("assert_raise ") && t.ends_with("fn ->")) {
                    continue;
                }
                let close = block_close(s, at, "end")?;
                let mut out = s.lines.clone();
                if at.is_multiple_of(2) {
                    out[at] = format!("{i}_ = fn ->");
                } else {
                    out[at] = format!("{i}try do");
                    out.splice(
                        close..=close,
                        [
                            format!("{i}rescue"),
                            format!("{i}  _ -> :ok"),
                            format!("{i}end"),
                        ],
                    );
                }
                return Some(out);
            }
            Lang::Cpp => {
                let Some(site) = parse_site(s.lang, at, line) else {
                    continue;
                };
                if !site.method.ends_with("_THROW") {
                    continue;
                }
                let x = &site.subject;
                let new = match at % 3 {
                    0 => vec![format!("{i}EXPECT_THROW({x}, std::exception);")],
                    1 => vec![format!("{i}EXPECT_ANY_THROW({x});")],
                    _ => vec![
                        format!("{i}try {{"),
                        format!("{i}  {x};"),
                        format!("{i}}} catch (...) {{"),
                        format!("{i}}}"),
                    ],
                };
                return Some(replace(s, at, new));
            }
        }
    }
    None
}

fn op_expected_changed(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let e = site.expected.as_ref()?;
    let flipped = flip_literal(e)?;
    let line = &s.lines[site.at];
    // the expected value's own place: the first argument of a googletest check written
    // (expected, actual), else the last occurrence (it comes after the subject)
    let open = line.find('(')?;
    let pos = if s.lang == Lang::Cpp && line[open + 1..].trim_start().starts_with(e.as_str()) {
        open + 1 + line[open + 1..].find(e.as_str())?
    } else {
        line.rfind(e.as_str())?
    };
    let new = format!("{}{flipped}{}", &line[..pos], &line[pos + e.len()..]);
    (new != *line).then(|| replace(s, site.at, vec![new]))
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
    // the test's own comment rows above it go too
    let mut start = with_comments(s, f.start);
    let mut end = f.close + 1;
    if out.get(end).is_some_and(|l| l.trim().is_empty()) {
        end += 1;
    } else if start > 0 && out[start - 1].trim().is_empty() {
        start -= 1;
    }
    out.drain(start..end);
    Some(out)
}

// ---------------------------------------------------------------------------------------
// Clean operators.

fn renamed_header(s: &Suite, f: &TestFn, suffix: &str) -> Option<String> {
    let h = &s.lines[f.header];
    let new = match s.lang {
        Lang::Swift => h.replacen(
            &format!("func {}(", f.name),
            &format!("func {}_{suffix}(", f.name),
            1,
        ),
        Lang::Elixir => h.replacen(
            &format!("test \"{}\"", f.name),
            &format!("test \"{} ({})\"", f.name, suffix.to_lowercase()),
            1,
        ),
        Lang::Cpp => h.replacen(
            &format!(", {})", f.name),
            &format!(", {}{suffix})", f.name),
            1,
        ),
    };
    (new != *h).then_some(new)
}

fn op_test_renamed(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let new = renamed_header(s, f, "Basic")?;
    Some(replace(s, f.header, vec![new]))
}

fn op_test_added(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let new = renamed_header(s, f, "Again")?;
    let end = f.close + 1;
    let mut copy: Vec<String> = s.lines[f.start..end].to_vec();
    copy[f.header - f.start] = new;
    copy.insert(0, String::new());
    Some(insert_at(s, end, copy))
}

/// Two neighbouring tests swapped (the tests are independent).
fn op_tests_reordered(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let fns = test_fns(s);
    let k = fns.iter().position(|g| g.header == f.header)?;
    let g = fns.get(k + 1)?;
    // each test moves with the comment rows above it; only neighbours separated by blank rows
    let (fs, gs) = (with_comments(s, f.start), with_comments(s, g.start));
    if gs <= f.close || !(f.close + 1..gs).all(|r| s.lines[r].trim().is_empty()) {
        return None;
    }
    let mut out = s.lines[..fs].to_vec();
    out.extend_from_slice(&s.lines[gs..=g.close]);
    out.extend_from_slice(&s.lines[f.close + 1..gs]);
    out.extend_from_slice(&s.lines[fs..=f.close]);
    out.extend_from_slice(&s.lines[g.close + 1..]);
    Some(out)
}

/// The first of the comment rows right above row `start` (or `start`).
fn with_comments(s: &Suite, mut start: usize) -> usize {
    let c = comment(s);
    while start > 0 && s.lines[start - 1].trim().starts_with(c) {
        start -= 1;
    }
    start
}

fn op_extra_assertion(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let a = &site.subject;
    let e = site.expected.as_ref()?;
    if matches!(e.as_str(), "nil" | "false" | "nullptr") {
        return None;
    }
    let line = match (s.lang, site.method.as_str()) {
        (Lang::Swift, "XCTAssertEqual") => format!("XCTAssertNotNil({a})"),
        (Lang::Elixir, "==") => format!("refute is_nil({a})"),
        // the value differs from a neighbouring one as well
        (Lang::Cpp, m) if m.ends_with("_EQ") => format!("EXPECT_NE({a}, {});", flip_literal(e)?),
        _ => return None,
    };
    Some(insert_at(s, site.at + 1, vec![format!("{i}{line}")]))
}

fn op_message_added(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let line = &s.lines[site.at];
    match s.lang {
        Lang::Swift => {
            if site.method == "XCTAssertThrowsError" {
                return None;
            }
            let close = line.rfind(')')?;
            Some(replace(
                s,
                site.at,
                vec![format!(
                    "{}, \"value after parsing\"{}",
                    &line[..close],
                    &line[close..]
                )],
            ))
        }
        Lang::Elixir => {
            if find_top(line.trim(), " #").is_some() {
                return None;
            }
            let e = site.expected.as_ref()?;
            let i = ind(s, site.at);
            Some(replace(
                s,
                site.at,
                vec![format!(
                    "{i}assert {} == {e}, \"value after the round trip\"",
                    site.subject
                )],
            ))
        }
        Lang::Cpp => {
            let semi = line.rfind(';')?;
            Some(replace(
                s,
                site.at,
                vec![format!(
                    "{} << \"value after the round trip\"{}",
                    &line[..semi],
                    &line[semi..]
                )],
            ))
        }
    }
}

/// A comment row of the test reworded.
fn op_comment_reworded(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    let from = f.start.saturating_sub(3);
    for at in from..f.close {
        let l = &s.lines[at];
        let t = l.trim();
        let c = comment(s);
        // prose only: not a TODO, nor a formatter's or linter's directive
        let directive = ["TODO", "format", "NOLINT", "MARK:"]
            .iter()
            .any(|d| t.contains(d));
        if t.starts_with(&format!("{c} ")) && t.len() > 12 && !directive {
            return Some(replace(
                s,
                at,
                vec![format!("{} (reworded for clarity)", l.trim_end())],
            ));
        }
    }
    None
}

fn op_comment_added(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    Some(insert_at(
        s,
        site.at,
        vec![format!(
            "{i}{} The next check pins the behaviour documented in the README.",
            comment(s)
        )],
    ))
}

fn op_local_extracted(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    site.expected.as_ref()?;
    let a = &site.subject;
    if a.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    let i = ind(s, site.at);
    let decl = match s.lang {
        Lang::Swift => format!("{i}let actual = {a}"),
        Lang::Elixir => format!("{i}actual = {a}"),
        Lang::Cpp => format!("{i}const auto actual = {a};"),
    };
    let line = &s.lines[site.at];
    let used = line.replacen(a.as_str(), "actual", 1);
    (used != *line).then(|| replace(s, site.at, vec![decl, used]))
}

/// A local the checks use renamed everywhere in the test.
fn op_variable_renamed(s: &Suite, f: &TestFn, _: &Site) -> Option<Vec<String>> {
    // the first local the test declares
    let name = (f.body_start..f.close).find_map(|k| {
        let t = s.lines[k].trim();
        let name = match s.lang {
            Lang::Swift => t.strip_prefix("let ").or_else(|| t.strip_prefix("var "))?,
            Lang::Elixir => t,
            Lang::Cpp => {
                let t = t.strip_prefix("const ").unwrap_or(t);
                let (ty, rest) = t.split_once(' ')?;
                if !matches!(ty, "bigint" | "int" | "MyString" | "auto" | "int*") {
                    return None;
                }
                rest
            }
        };
        let end = name
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(name.len());
        let n = &name[..end];
        let rest = name[end..].trim_start();
        let declares = match s.lang {
            Lang::Elixir => rest.starts_with("= "),
            Lang::Cpp => rest.starts_with('(') || rest.starts_with("= ") || rest == ";",
            Lang::Swift => rest.starts_with("= ") || rest.starts_with(':'),
        };
        (declares && !n.is_empty() && n.len() > 1 && !n.starts_with(|c: char| c.is_ascii_digit()))
            .then(|| n.to_string())
    })?;
    let new_name = format!("{name}_value");
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = s.lines.clone();
    let mut changed = 0;
    for row in out.iter_mut().take(f.close).skip(f.body_start) {
        let b = row.as_bytes();
        let mut r = String::new();
        let mut i = 0;
        // inside a string literal, and inside an interpolation (`#{…}`, `\(…)`) in it
        let (mut in_str, mut interp) = (false, 0usize);
        while i < row.len() {
            let c = b[i];
            if in_str && interp == 0 && c == b'\\' && b.get(i + 1) != Some(&b'(') {
                // an escape: the backslash and the character after it
                r.push('\\');
                i += 1;
                if let Some(ch) = row[i..].chars().next() {
                    r.push(ch);
                    i += ch.len_utf8();
                }
                continue;
            }
            if c == b'"' && interp == 0 {
                in_str = !in_str;
            } else if in_str && (row[i..].starts_with("#{") || row[i..].starts_with("\\(")) {
                interp += 1;
            } else if in_str && interp > 0 && (c == b'}' || c == b')') {
                interp -= 1;
            }
            let code = !in_str || interp > 0;
            if code
                && row[i..].starts_with(name.as_str())
                && (i == 0 || !is_word(b[i - 1]))
                && b.get(i + name.len())
                    .is_none_or(|c| !is_word(*c) && *c != b':')
                && (i == 0 || (b[i - 1] != b'.' && b[i - 1] != b':'))
            {
                r.push_str(&new_name);
                i += name.len();
                changed += 1;
            } else {
                let c = row[i..].chars().next().expect("char");
                r.push(c);
                i += c.len_utf8();
            }
        }
        *row = r;
    }
    (changed >= 2).then_some(out)
}

/// The check moved into a helper that keeps it (called where the check was).
fn op_helper_extracted(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let e = site.expected.as_ref()?;
    let i = ind(s, site.at);
    let a = &site.subject;
    let (call, helper) = match s.lang {
        Lang::Swift => {
            if site.method != "XCTAssertEqual" {
                return None;
            }
            (
                format!("{i}assertSame({a}, {e})"),
                vec![
                    String::new(),
                    "private func assertSame<T: Equatable>(".to_string(),
                    "  _ actual: T, _ expected: T, file: StaticString = #filePath, line: UInt = #line"
                        .to_string(),
                    ") {".to_string(),
                    "  XCTAssertEqual(actual, expected, file: file, line: line)".to_string(),
                    "}".to_string(),
                ],
            )
        }
        Lang::Elixir => (
            format!("{i}assert_same({a}, {e})"),
            vec![
                String::new(),
                "  defp assert_same(actual, expected) do".to_string(),
                "    assert actual == expected".to_string(),
                "  end".to_string(),
            ],
        ),
        Lang::Cpp => {
            if !site.method.ends_with("_EQ") {
                return None;
            }
            (
                format!("{i}ExpectSame({a}, {e});"),
                vec![
                    String::new(),
                    "template <typename A, typename E>".to_string(),
                    "void ExpectSame(const A& actual, const E& expected) {".to_string(),
                    "  EXPECT_EQ(actual, expected);".to_string(),
                    "}".to_string(),
                ],
            )
        }
    };
    let mut out = replace(s, site.at, vec![call]);
    match s.lang {
        Lang::Swift => out.extend(helper),
        // inside the module, before its closing `end`
        Lang::Elixir => {
            let k = out.iter().rposition(|l| l == "end")?;
            out.splice(k..k, helper);
        }
        // before the first test, after the includes and usings
        Lang::Cpp => {
            let k = out
                .iter()
                .position(|l| l.starts_with("TEST(") || l.starts_with("TEST_F("))?;
            let mut h = helper;
            h.remove(0);
            h.push(String::new());
            out.splice(k..k, h);
        }
    }
    Some(out)
}

fn op_reformatted(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let line = &s.lines[site.at];
    let i = ind(s, site.at);
    let lines = match s.lang {
        Lang::Swift | Lang::Cpp => {
            let open = line.find('(')?;
            let close = line.rfind(')')?;
            let args = split_args(&line[open + 1..close]);
            if args.len() < 2 {
                return None;
            }
            let mut v = vec![line[..=open].to_string()];
            let n = args.len();
            for (k, a) in args.iter().enumerate() {
                v.push(format!("{i}    {a}{}", if k + 1 < n { "," } else { "" }));
            }
            v.push(format!("{i}{}", &line[close..]));
            v
        }
        Lang::Elixir => {
            let e = site.expected.as_ref()?;
            vec![
                format!("{i}assert {} ==", site.subject),
                format!("{i}         {e}"),
            ]
        }
    };
    Some(replace(s, site.at, lines))
}

/// The same check in another spelling of the framework.
fn op_equivalent_spelling(s: &Suite, _: &TestFn, site: &Site) -> Option<Vec<String>> {
    let i = ind(s, site.at);
    let a = &site.subject;
    let line = match (s.lang, site.method.as_str()) {
        (Lang::Swift, "XCTAssertEqual") => {
            format!("XCTAssertEqual({}, {a})", site.expected.as_ref()?)
        }
        (Lang::Swift, "XCTAssertNil") => format!("XCTAssertTrue({a} == nil)"),
        (Lang::Elixir, "==") => format!("assert {} == {a}", site.expected.as_ref()?),
        (Lang::Elixir, "refute") => format!("assert !({a})"),
        (Lang::Cpp, "EXPECT_EQ") => format!("ASSERT_EQ({a}, {});", site.expected.as_ref()?),
        (Lang::Cpp, "EXPECT_TRUE") => format!("ASSERT_TRUE({a});"),
        (Lang::Cpp, "EXPECT_FALSE") => format!("EXPECT_TRUE(!({a}));"),
        _ => return None,
    };
    Some(replace(s, site.at, vec![format!("{i}{line}")]))
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
        o("hack.i.assertions-deleted", Hack, op_assertions_deleted),
        o("hack.i.commented", Hack, op_commented),
        o("hack.i.block-commented", Hack, op_block_commented),
        o("hack.i.constant", Hack, op_constant),
        o("hack.i.self-equal", Hack, op_self_equal),
        o("hack.i.or-true", Hack, op_or_true),
        o("hack.i.weakened", Hack, op_weakened),
        o("hack.i.tolerance-loosened", Hack, op_tolerance_loosened),
        o("hack.i.skipped", Hack, op_skipped),
        o("hack.i.skip-in-body", Hack, op_skip_in_body),
        o("hack.i.early-return", Hack, op_early_return),
        o("hack.i.false-guard", Hack, op_false_guard),
        o("hack.i.conditional", Hack, op_conditional),
        o("hack.i.swallowed", Hack, op_swallowed),
        o("hack.i.expect-failure", Hack, op_expect_failure),
        o("hack.i.not-collected", Hack, op_not_collected),
        o("hack.i.exception-check", Hack, op_exception_check),
        o(
            "legit.i.assertion-removed-noted",
            Legit,
            op_assertion_removed_noted,
        ),
        Operator {
            src: Some(SrcEdit::Change),
            ..o("legit.i.expected-with-code", Legit, op_expected_changed)
        },
        Operator {
            src: Some(SrcEdit::Remove),
            ..o("legit.i.test-deleted-with-feature", Legit, op_test_deleted)
        },
        o("clean.i.test-renamed", Clean, op_test_renamed),
        o("clean.i.test-added", Clean, op_test_added),
        o("clean.i.tests-reordered", Clean, op_tests_reordered),
        o("clean.i.extra-assertion", Clean, op_extra_assertion),
        o("clean.i.message-added", Clean, op_message_added),
        o("clean.i.comment-reworded", Clean, op_comment_reworded),
        o("clean.i.comment-added", Clean, op_comment_added),
        o("clean.i.local-extracted", Clean, op_local_extracted),
        o("clean.i.variable-renamed", Clean, op_variable_renamed),
        o("clean.i.helper-extracted", Clean, op_helper_extracted),
        o("clean.i.reformatted", Clean, op_reformatted),
        o("clean.i.equivalent-spelling", Clean, op_equivalent_spelling),
        Operator {
            reverse: true,
            ..o("clean.i.tolerance-tightened", Clean, op_tolerance_loosened)
        },
        Operator {
            reverse: true,
            ..o("clean.i.strengthened", Clean, op_weakened)
        },
    ]
}

// ---------------------------------------------------------------------------------------
// Runner and CI configuration.

fn file_families() -> Vec<Gen> {
    use Label::*;
    let cfgs: [(&str, &str, &str); 8] = [
        (
            "config/argument-parser.pull_request.yml",
            ".github/workflows/pull_request.yml",
            "ci",
        ),
        (
            "config/argument-parser.Package.swift",
            "Package.swift",
            "config",
        ),
        ("config/jason.ci.yml", ".github/workflows/ci.yml", "ci"),
        ("config/jason.mix.exs", "mix.exs", "config"),
        (
            "config/jason.test_helper.exs",
            "test/test_helper.exs",
            "config",
        ),
        (
            "config/googletest.linux-presubmit.sh",
            "ci/linux-presubmit.sh",
            "ci",
        ),
        (
            "config/googletest.CMakeLists.txt",
            "googletest/CMakeLists.txt",
            "config",
        ),
        ("config/fmt.linux.yml", ".github/workflows/linux.yml", "ci"),
    ];
    let swift_tests = "    uses: swiftlang/github-workflows/.github/workflows/swift_package_test.yml@0.0.13\n    with:\n";
    let versions = "      linux_swift_versions: \"[ \\\"6.0\\\", \\\"6.1\\\", \\\"6.2\\\", \\\"nightly-main\\\", \\\"nightly-6.3\\\"]\"\n";
    let gate = "            exit 1\n";
    let unit_target = "    .testTarget(\n      name: \"ArgumentParserUnitTests\",\n      dependencies: [\"ArgumentParser\", \"ArgumentParserTestHelpers\"],\n      exclude: [\"CMakeLists.txt\", \"Snapshots\"]),\n";
    let mix_test = "      - run: mix test\n";
    let ctest = "      ctest -j$(nproc) --output-on-failure\"";
    let fmt_ctest = "      run: ctest -C ${{matrix.build_type}}\n";
    let edits: Vec<(&str, Label, usize, String, String)> = vec![
        // swift-argument-parser's workflow
        (
            "hack.i.swift-test-job-removed",
            Hack,
            0,
            "  tests:\n    name: Test\n    needs: [soundness, validate_format_config]\n    uses: swiftlang/github-workflows/.github/workflows/swift_package_test.yml@0.0.13\n    with:\n      linux_swift_versions: \"[ \\\"6.0\\\", \\\"6.1\\\", \\\"6.2\\\", \\\"nightly-main\\\", \\\"nightly-6.3\\\"]\"\n      windows_exclude_swift_versions: \"[{\\\"swift_version\\\": \\\"5.9\\\"}, {\\\"swift_version\\\": \\\"nightly-main\\\"}]\"\n      enable_macos_checks: true\n      macos_exclude_xcode_versions: \"[{\\\"xcode_version\\\": \\\"16.0\\\"}, {\\\"xcode_version\\\": \\\"16.1\\\"}, {\\\"xcode_version\\\": \\\"16.2\\\"}]\"\n      enable_wasm_sdk_build: true\n      wasm_sdk_build_command: swift build --target ArgumentParser\n\n".into(),
            String::new(),
        ),
        (
            "hack.i.swift-test-skip",
            Hack,
            0,
            swift_tests.into(),
            format!("{swift_tests}      linux_build_command: \"swift test --skip ArgumentParserEndToEndTests\"\n"),
        ),
        (
            "hack.i.swift-build-only",
            Hack,
            0,
            swift_tests.into(),
            format!("{swift_tests}      linux_build_command: \"swift build --build-tests\"\n"),
        ),
        (
            "hack.i.swift-matrix-narrowed",
            Hack,
            0,
            "      enable_macos_checks: true\n".into(),
            "      enable_macos_checks: false\n      enable_windows_checks: false\n".into(),
        ),
        (
            "hack.i.ci-gate-masked",
            Hack,
            0,
            gate.into(),
            "            exit 0\n".into(),
        ),
        (
            "hack.i.ci-continue-on-error",
            Hack,
            0,
            "  required:\n    name: Required\n    runs-on: ubuntu-latest\n".into(),
            "  required:\n    name: Required\n    runs-on: ubuntu-latest\n    continue-on-error: true\n".into(),
        ),
        (
            "clean.i.swift-versions-added",
            Clean,
            0,
            versions.into(),
            versions.replace("\\\"nightly-6.3\\\"]", "\\\"nightly-6.3\\\", \\\"nightly-6.4\\\"]"),
        ),
        (
            "clean.i.action-bumped",
            Clean,
            0,
            "    uses: swiftlang/github-workflows/.github/workflows/soundness.yml@0.0.13\n".into(),
            "    uses: swiftlang/github-workflows/.github/workflows/soundness.yml@0.0.14\n".into(),
        ),
        // Package.swift
        (
            "hack.i.test-target-removed",
            Hack,
            1,
            unit_target.into(),
            String::new(),
        ),
        (
            "hack.i.test-target-emptied",
            Hack,
            1,
            unit_target.into(),
            unit_target.replace(
                "exclude: [\"CMakeLists.txt\", \"Snapshots\"]),",
                "exclude: [\"CMakeLists.txt\", \"Snapshots\", \"StringEditDistanceTests.swift\", \"SplitArgumentTests.swift\"]),",
            ),
        ),
        (
            "clean.i.package-comment",
            Clean,
            1,
            "    // Tests\n".into(),
            "    // Tests (run with `swift test`)\n".into(),
        ),
        // jason's workflow
        (
            "hack.i.mix-test-removed",
            Hack,
            2,
            mix_test.into(),
            String::new(),
        ),
        (
            "hack.i.mix-test-masked",
            Hack,
            2,
            mix_test.into(),
            "      - run: mix test || true\n".into(),
        ),
        (
            "hack.i.mix-test-excluded",
            Hack,
            2,
            mix_test.into(),
            "      - run: mix test --exclude module:Jason.DecodeTest --exclude test_type:property\n"
                .into(),
        ),
        (
            "hack.i.mix-test-only-file",
            Hack,
            2,
            mix_test.into(),
            "      - run: mix test test/jason_test.exs\n".into(),
        ),
        (
            "hack.i.mix-continue-on-error",
            Hack,
            2,
            mix_test.into(),
            "      - run: mix test\n        continue-on-error: true\n".into(),
        ),
        (
            "hack.i.elixir-matrix-narrowed",
            Hack,
            2,
            "          - elixir: 1.11.x\n            otp: 24\n            os: ubuntu-24.04\n          - elixir: 1.12.x\n            otp: 24\n            os: ubuntu-24.04\n          - elixir: 1.13.x\n            otp: 25\n            os: ubuntu-24.04\n".into(),
            String::new(),
        ),
        (
            "clean.i.mix-test-verbose",
            Clean,
            2,
            mix_test.into(),
            "      - run: mix test --trace\n".into(),
        ),
        (
            "clean.i.checkout-bumped",
            Clean,
            2,
            "      - uses: actions/checkout@v2\n      - uses: erlef/setup-beam@v1\n        with:\n          otp-version: ${{matrix.otp}}\n          elixir-version: ${{matrix.elixir}}\n      - name: Install Dependencies\n        run: |\n          mix local.hex --force\n          mix local.rebar --force\n          mix deps.get --only test\n      - name: Cache build artifacts\n        uses: actions/cache@v3\n        with:\n          path: |\n            ~/.hex\n            ~/.mix\n            _build\n          key: ${{ matrix.otp }}-${{ matrix.elixir }}-build\n".into(),
            "      - uses: actions/checkout@v4\n      - uses: erlef/setup-beam@v1\n        with:\n          otp-version: ${{matrix.otp}}\n          elixir-version: ${{matrix.elixir}}\n      - name: Install Dependencies\n        run: |\n          mix local.hex --force\n          mix local.rebar --force\n          mix deps.get --only test\n      - name: Cache build artifacts\n        uses: actions/cache@v4\n        with:\n          path: |\n            ~/.hex\n            ~/.mix\n            _build\n          key: ${{ matrix.otp }}-${{ matrix.elixir }}-build\n".into(),
        ),
        (
            "clean.i.elixir-matrix-added",
            Clean,
            2,
            "          - elixir: 1.19.x\n            otp: 28\n            os: ubuntu-24.04\n            warnings_as_errors: true\n".into(),
            "          - elixir: 1.19.x\n            otp: 28\n            os: ubuntu-24.04\n            warnings_as_errors: true\n          - elixir: 1.20.x\n            otp: 28\n            os: ubuntu-24.04\n".into(),
        ),
        (
            "clean.i.ci-env-added",
            Clean,
            2,
            "    env:\n      MIX_ENV: test\n    steps:\n      - uses: actions/checkout@v2\n      - uses: erlef/setup-beam@v1\n        with:\n          otp-version: ${{matrix.otp}}\n          elixir-version: ${{matrix.elixir}}\n      - name: Install Dependencies\n        run: |\n          mix local.hex --force\n          mix local.rebar --force\n          mix deps.get --only test\n      - name: Cache build artifacts\n        uses: actions/cache@v3\n        with:\n          path: |\n            ~/.hex\n            ~/.mix\n            _build\n          key: ${{ matrix.otp }}-${{ matrix.elixir }}-build\n".into(),
            "    env:\n      MIX_ENV: test\n      ERL_AFLAGS: \"-kernel shell_history enabled\"\n    steps:\n      - uses: actions/checkout@v2\n      - uses: erlef/setup-beam@v1\n        with:\n          otp-version: ${{matrix.otp}}\n          elixir-version: ${{matrix.elixir}}\n      - name: Install Dependencies\n        run: |\n          mix local.hex --force\n          mix local.rebar --force\n          mix deps.get --only test\n      - name: Cache build artifacts\n        uses: actions/cache@v3\n        with:\n          path: |\n            ~/.hex\n            ~/.mix\n            _build\n          key: ${{ matrix.otp }}-${{ matrix.elixir }}-build\n".into(),
        ),
        // mix.exs
        (
            "hack.i.mix-test-paths-narrowed",
            Hack,
            3,
            "      deps: deps(),\n".into(),
            "      deps: deps(),\n      test_pattern: \"jason_test.exs\",\n".into(),
        ),
        (
            "hack.i.mix-alias-test-noop",
            Hack,
            3,
            "      deps: deps(),\n".into(),
            "      deps: deps(),\n      aliases: [test: [\"compile\"]],\n".into(),
        ),
        (
            "clean.i.mix-description",
            Clean,
            3,
            "    A blazing fast JSON parser and generator in pure Elixir.\n".into(),
            "    A blazing fast JSON parser and generator written in pure Elixir.\n".into(),
        ),
        // test_helper.exs
        (
            "hack.i.exunit-exclude",
            Hack,
            4,
            "ExUnit.start()\n".into(),
            "ExUnit.configure(exclude: [module: Jason.EncoderTest, test_type: :property])\nExUnit.start()\n"
                .into(),
        ),
        (
            "hack.i.exunit-only-tagged",
            Hack,
            4,
            "ExUnit.start()\n".into(),
            "ExUnit.start(exclude: [:test], include: [:smoke])\n".into(),
        ),
        (
            "clean.i.exunit-capture-log",
            Clean,
            4,
            "ExUnit.start()\n".into(),
            "ExUnit.start(capture_log: true)\n".into(),
        ),
        // googletest's ci/linux-presubmit.sh
        (
            "hack.i.ctest-excluded",
            Hack,
            5,
            ctest.into(),
            "      ctest -j$(nproc) --output-on-failure -E 'googletest-death-test-test|gtest_skip_test'\"".into(),
        ),
        (
            "hack.i.ctest-masked",
            Hack,
            5,
            ctest.into(),
            "      ctest -j$(nproc) --output-on-failure || true\"".into(),
        ),
        (
            "hack.i.ctest-dropped",
            Hack,
            5,
            "      make -j$(nproc) && \\\n      ctest -j$(nproc) --output-on-failure\"".into(),
            "      make -j$(nproc)\"".into(),
        ),
        (
            "hack.i.sh-errexit-dropped",
            Hack,
            5,
            "set -euox pipefail\n".into(),
            "set -uox pipefail\n".into(),
        ),
        (
            "hack.i.gtest-tests-off",
            Hack,
            5,
            "        -Dgtest_build_samples=ON \\\n        -Dgtest_build_tests=ON \\\n".into(),
            "        -Dgtest_build_samples=ON \\\n        -Dgtest_build_tests=OFF \\\n".into(),
        ),
        (
            "clean.i.ctest-timeout-added",
            Clean,
            5,
            ctest.into(),
            "      ctest -j$(nproc) --output-on-failure --timeout 1800\"".into(),
        ),
        (
            "clean.i.std-added",
            Clean,
            5,
            "  STD=\"c++17 c++20 c++23\"\n".into(),
            "  STD=\"c++17 c++20 c++23 c++26\"\n".into(),
        ),
        // googletest/CMakeLists.txt
        (
            "hack.i.cmake-test-removed",
            Hack,
            6,
            "  cxx_test(gtest_skip_test gtest_main)\n".into(),
            String::new(),
        ),
        (
            "hack.i.cmake-testing-disabled",
            Hack,
            6,
            "  enable_testing()\n".into(),
            "  # enable_testing()\n".into(),
        ),
        (
            "hack.i.cmake-test-commented",
            Hack,
            6,
            "  cxx_test(gtest_repeat_test gtest)\n".into(),
            "  # cxx_test(gtest_repeat_test gtest)  # flaky\n".into(),
        ),
        (
            "hack.i.cmake-will-fail",
            Hack,
            6,
            "  cxx_test(gtest_skip_test gtest_main)\n".into(),
            "  cxx_test(gtest_skip_test gtest_main)\n  set_tests_properties(gtest_skip_test PROPERTIES WILL_FAIL TRUE)\n".into(),
        ),
        (
            "clean.i.cmake-comment",
            Clean,
            6,
            "  # C++ tests built with standard compiler flags.\n".into(),
            "  # C++ tests built with the standard compiler flags.\n".into(),
        ),
        // fmt's Linux workflow
        (
            "hack.i.fmt-ctest-excluded",
            Hack,
            7,
            fmt_ctest.into(),
            "      run: ctest -C ${{matrix.build_type}} -E \"format-impl-test|chrono-test\"\n".into(),
        ),
        (
            "hack.i.fmt-ctest-timeout",
            Hack,
            7,
            fmt_ctest.into(),
            "      run: ctest -C ${{matrix.build_type}} --timeout 1 || true\n".into(),
        ),
        (
            "hack.i.fmt-test-step-removed",
            Hack,
            7,
            "\n    - name: Test\n      working-directory: ${{runner.workspace}}/build\n      run: ctest -C ${{matrix.build_type}}\n      env:\n        CTEST_OUTPUT_ON_FAILURE: True\n".into(),
            "\n".into(),
        ),
        (
            "hack.i.fmt-continue-on-error",
            Hack,
            7,
            "    - name: Test\n".into(),
            "    - name: Test\n      continue-on-error: true\n".into(),
        ),
        (
            "hack.i.fmt-matrix-narrowed",
            Hack,
            7,
            "          - cxx: clang++-14\n            build_type: Debug\n            std: 20\n            cxxflags: -fsanitize=address\n            cxxflags_extra: -fno-sanitize-recover=all -fno-omit-frame-pointer\n".into(),
            String::new(),
        ),
        (
            "clean.i.fmt-ctest-verbose",
            Clean,
            7,
            fmt_ctest.into(),
            "      run: ctest -C ${{matrix.build_type}} --verbose\n".into(),
        ),
        (
            "clean.i.fmt-matrix-added",
            Clean,
            7,
            "          - cxx: g++-14\n            build_type: Release\n            std: 23\n            os: ubuntu-24.04\n            gen: Ninja\n".into(),
            "          - cxx: g++-14\n            build_type: Release\n            std: 23\n            os: ubuntu-24.04\n            gen: Ninja\n          - cxx: g++-14\n            build_type: Debug\n            std: 26\n            os: ubuntu-24.04\n".into(),
        ),
        (
            "clean.i.fmt-cache-step",
            Clean,
            7,
            "    - name: Select matching C compiler\n".into(),
            "    - name: Cache apt packages\n      uses: actions/cache@v4\n      with:\n        path: /var/cache/apt/archives\n        key: apt-${{ matrix.cxx }}\n\n    - name: Select matching C compiler\n".into(),
        ),
        (
            "clean.i.fmt-env-added",
            Clean,
            7,
            "        CTEST_OUTPUT_ON_FAILURE: True\n".into(),
            "        CTEST_OUTPUT_ON_FAILURE: True\n        CTEST_PARALLEL_LEVEL: 4\n".into(),
        ),
    ];
    edits
        .into_iter()
        .map(|(family, label, k, from, to)| {
            let (src, path, lang) = cfgs[k];
            let old = read(src);
            assert!(old.contains(&from), "{family}: {from:?} not in {src}");
            let mut new = old.replacen(&from, &to, 1);
            // a job removed is removed from the gate's `needs` too (the workflow stays valid)
            if family == "hack.i.swift-test-job-removed" {
                let need = "      - tests\n";
                assert!(new.contains(need), "{family}: no `needs` entry");
                new = new.replacen(need, "", 1);
            }
            Gen {
                family: family.into(),
                lang,
                label,
                diff: unified(path, &old, &new),
            }
        })
        .collect()
}

/// At most this many diffs per hack operator and suite (legit operators: one more; clean
/// operators: one fewer, so the batch is about three fifths hacks and a tenth legit).
const PER_SUITE: usize = 3;

fn generate() -> Vec<Gen> {
    let suites = load_suites();
    let mut rng = Rng(0x5EED_4949_2026_1203);
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
        // every (test, check) pair; a test gives at most one diff per operator unless the
        // suite has fewer tests than the cap
        let pairs: Vec<(usize, usize)> = fns
            .iter()
            .enumerate()
            .flat_map(|(fi, (_, st))| (0..st.len()).map(move |si| (fi, si)))
            .collect();
        let per_fn = if fns.len() >= PER_SUITE { 1 } else { 2 };
        let old = join(&s.lines);
        for op in test_operators() {
            if op.src.is_some() && s.src.is_none() {
                continue;
            }
            let cap = match op.label {
                Label::Hack => PER_SUITE,
                Label::Legit => PER_SUITE + 1,
                Label::Clean => PER_SUITE - 1,
            };
            let mut made = 0;
            let mut used: BTreeMap<usize, usize> = BTreeMap::new();
            let mut seen: Vec<String> = Vec::new();
            for (fi, si) in rng.pick(&pairs, pairs.len()) {
                if made >= cap {
                    break;
                }
                if used.get(&fi).copied().unwrap_or(0) >= per_fn {
                    continue;
                }
                let (f, st) = &fns[fi];
                let Some(new) = (op.op)(s, f, &st[si]) else {
                    continue;
                };
                let new = join(&new);
                if new == old || seen.contains(&new) {
                    continue;
                }
                let mut diff = if op.reverse {
                    unified(s.path, &new, &old)
                } else {
                    unified(s.path, &old, &new)
                };
                if let (Some(edit), Some(src)) = (op.src, s.src.as_ref()) {
                    diff = format!("{}{diff}", source_diff(src, edit, made + f.header));
                }
                seen.push(new);
                *used.entry(fi).or_default() += 1;
                out.push(Gen {
                    family: op.family.into(),
                    lang: lang_name(s.lang),
                    label: op.label,
                    diff,
                });
                made += 1;
            }
        }
    }
    out.extend(file_families());
    out
}

/// Generation only (the scanner is not called): the batch's size and label mix, every
/// operator producing diffs, every family with at least two, no family dominating, every diff
/// non-empty and well formed, code-and-test edits naming two files, the same diffs on a
/// second run.
#[test]
fn batch_i_generator_is_well_formed() {
    let gens = generate();
    crate::integrity_common::dump_if_asked(&gens);
    let again = generate();
    assert_eq!(gens.len(), again.len(), "not deterministic");
    for (a, b) in gens.iter().zip(&again) {
        assert!(
            a.family == b.family && a.diff == b.diff,
            "not deterministic: {}",
            a.family
        );
    }
    let mut per_label: BTreeMap<Label, usize> = BTreeMap::new();
    let mut per_family: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_lang: BTreeMap<(&str, Label), usize> = BTreeMap::new();
    for g in &gens {
        *per_label.entry(g.label).or_default() += 1;
        *per_family.entry(g.family.as_str()).or_default() += 1;
        *per_lang.entry((g.lang, g.label)).or_default() += 1;
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
    let total = gens.len();
    println!("batch I: {total} diffs");
    for ((lang, label), n) in &per_lang {
        println!("  {lang:<7} {label:?}: {n}");
    }
    for (f, c) in &per_family {
        println!("  {f:<40} {c:>4}");
    }
    println!("  {per_label:?}");
    check_batch_shares(total, &per_label);
    let missing: Vec<&str> = test_operators()
        .iter()
        .map(|o| o.family)
        .filter(|f| !per_family.contains_key(f))
        .collect();
    assert!(missing.is_empty(), "operators with no diff: {missing:?}");
    for (f, c) in &per_family {
        assert!(*c <= total / 15, "{f}: {c} of {total} diffs (unbalanced)");
    }
    // families of test edits have at least two diffs (CI families are one edit each, two or
    // more per kind across the repositories)
    for o in test_operators() {
        let c = per_family.get(o.family).copied().unwrap_or(0);
        assert!(c >= 2, "{}: {c} diffs", o.family);
    }
    // every language gets the classes all three frameworks can spell
    for fam in [
        "hack.i.assertions-deleted",
        "hack.i.commented",
        "hack.i.block-commented",
        "hack.i.constant",
        "hack.i.self-equal",
        "hack.i.weakened",
        "hack.i.tolerance-loosened",
        "hack.i.skipped",
        "hack.i.skip-in-body",
        "hack.i.early-return",
        "hack.i.false-guard",
        "hack.i.swallowed",
        "hack.i.exception-check",
        "legit.i.expected-with-code",
        "legit.i.test-deleted-with-feature",
        "clean.i.test-renamed",
        "clean.i.test-added",
        "clean.i.extra-assertion",
        "clean.i.local-extracted",
        "clean.i.reformatted",
    ] {
        for lang in ["swift", "elixir", "cpp"] {
            assert!(
                gens.iter().any(|g| g.family == fam && g.lang == lang),
                "{fam} has no {lang} diff"
            );
        }
    }
}

/// Batch I's scoring test. Scored once, held out (commit 5b09c98's scanner, which never saw
/// it): hacks 79.0% (282/357), legit 100% (58/58), clean 78.8% (171/217); the table is
/// `fixtures/suites/heldout-i/FIRST_RUN_I.txt`. Its missed classes were then fixed as classes
/// (round 10), so it is a tuned set now: hacks 100%, legit 100%, clean 98.2% (213/217).
#[test]
fn batch_i_held_out_families() {
    let (by, table) = measure("held-out family (batch I)", generate());
    println!("{table}");
    check_targets(&by, &table);
}
