//! A seeded mutation generator over real test suites: hack operators (each class of test
//! weakening, in several spellings), legitimate test edits (which must go to review) and clean
//! operators (renames, refactors that keep assertions, added tests and assertions, message
//! changes, new expectations), applied to the real files in `tests/fixtures/suites` (see its
//! PROVENANCE.md). Every generated diff is scanned; figures per operator family are printed
//! (`cargo test -p strive-core --test integration integrity_mutations -- --nocapture`).
//!
//! Families marked `held_out` were written with the others but kept out of development: the
//! scanner was not tuned on them, and their figures are reported separately
//! (`held_out_families`).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use strive_core::integrity::scan_diff;

use crate::integrity_common::{Label, Rng, added_file, balanced, indent_of, unified};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Py,
    Rs,
    Ts,
    Go,
    Java,
}

struct Suite {
    lang: Lang,
    /// Path the file has in the generated diff (its place in the original repository).
    path: String,
    text: String,
}

/// One test function of a suite: the line of its header, its body's first line and indent,
/// and the single-line assertion sites in it (for Go: the `if` line of an `if … { t.Error }`).
#[derive(Debug, Clone)]
struct TestFn {
    header: usize,
    /// Line of the marker/attribute/decorator above the header (`#[test]`, `@Test`), else the header.
    marker: usize,
    body: usize,
    indent: String,
    end: usize,
    asserts: Vec<usize>,
}

struct Gen {
    family: String,
    label: Label,
    /// 0: development; 1: held out (batch A); 2: held out, written after batch A was measured
    /// and run only to take its figures (batch B).
    held_out: u8,
    diff: String,
}

// ---------------------------------------------------------------------------------------
// Deterministic randomness (SplitMix64), so the generated set is the same on every run.

// ---------------------------------------------------------------------------------------
// Suites and their structure.

fn suites_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites")
}

fn load_suites() -> Vec<Suite> {
    let mut out = Vec::new();
    for (dir, lang, prefix) in [
        ("python", Lang::Py, "tests/test_itsdangerous/"),
        ("rust", Lang::Rs, "tests/"),
        ("ts", Lang::Ts, "tests/"),
        ("go", Lang::Go, ""),
        ("java", Lang::Java, "src/test/java/org/semver4j/internal/"),
    ] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(suites_dir().join(dir))
            .expect("suite dir")
            .map(|e| e.expect("entry").path())
            .collect();
        names.sort();
        for p in names {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            out.push(Suite {
                lang,
                path: format!("{prefix}{name}"),
                text: std::fs::read_to_string(&p).expect("suite file"),
            });
        }
    }
    out
}

fn is_assert_site(lang: Lang, lines: &[&str], i: usize) -> bool {
    let t = lines[i].trim();
    match lang {
        Lang::Py => t.starts_with("assert ") && balanced(t) && !t.ends_with('\\'),
        Lang::Rs => t.starts_with("assert") && t.ends_with(");") && balanced(t),
        Lang::Ts => t.starts_with("expect(") && balanced(t) && !t.ends_with('{'),
        Lang::Java => t.starts_with("assert") && t.ends_with(");") && balanced(t),
        Lang::Go => {
            t.starts_with("if ")
                && t.ends_with('{')
                && !t.contains(":=")
                && lines.get(i + 1).is_some_and(|n| {
                    n.trim().starts_with("t.Error") || n.trim().starts_with("t.Fatal")
                })
                && lines.get(i + 2).is_some_and(|n| n.trim() == "}")
        }
    }
}

fn test_fns(s: &Suite) -> Vec<TestFn> {
    let lines: Vec<&str> = s.text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        let header = match s.lang {
            Lang::Py => t.starts_with("def test_") && t.ends_with(':'),
            Lang::Rs => {
                t.starts_with("fn ")
                    && t.ends_with('{')
                    && i > 0
                    && lines[i - 1].trim() == "#[test]"
            }
            Lang::Ts => {
                (t.starts_with("it('") || t.starts_with("test('") || t.starts_with("it(\""))
                    && t.ends_with("=> {")
            }
            Lang::Go => t.starts_with("func Test") && t.ends_with('{'),
            Lang::Java => {
                t.starts_with("void ")
                    && t.ends_with('{')
                    && lines[..i].iter().rev().take(3).any(|p| {
                        p.trim().starts_with("@Test") || p.trim().starts_with("@ParameterizedTest")
                    })
            }
        };
        if !header {
            continue;
        }
        let ind = indent_of(l).len();
        let mut end = i + 1;
        while end < lines.len() {
            let e = lines[end];
            let done = match s.lang {
                Lang::Py => !e.trim().is_empty() && indent_of(e).len() <= ind,
                _ => indent_of(e).len() == ind && e.trim().starts_with('}'),
            };
            if done {
                break;
            }
            end += 1;
        }
        if end >= lines.len() && s.lang != Lang::Py {
            continue;
        }
        let body = i + 1;
        if body >= end || lines[body].trim().is_empty() {
            continue;
        }
        let marker = match s.lang {
            Lang::Rs => i - 1,
            Lang::Java => (i.saturating_sub(3)..i)
                .find(|&k| lines[k].trim().starts_with('@'))
                .unwrap_or(i),
            _ => i,
        };
        let asserts = (body..end)
            .filter(|&k| {
                is_assert_site(s.lang, &lines, k) && indent_of(lines[k]) == indent_of(lines[body])
            })
            .collect();
        out.push(TestFn {
            header: i,
            marker,
            body,
            indent: indent_of(lines[body]).to_string(),
            end,
            asserts,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Diffs.

fn replace_lines(text: &str, at: usize, count: usize, with: &[String]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines.splice(at..at + count, with.iter().cloned());
    lines.join("\n") + "\n"
}

fn line(text: &str, i: usize) -> &str {
    text.lines().nth(i).unwrap_or("")
}

// ---------------------------------------------------------------------------------------
// Expression surgery on one assertion line.

/// Python `assert COND[, msg]` → COND.
fn py_cond(t: &str) -> Option<String> {
    let rest = t.trim().strip_prefix("assert ")?;
    Some(split_top(rest).first()?.clone())
}

fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for c in s.chars() {
        if let Some(q) = quote {
            cur.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' | '\'' | '`' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// `name!(args);` / `name(args);` → (name, args).
fn call_args(t: &str) -> Option<(String, Vec<String>)> {
    let t = t.trim().trim_end_matches(';');
    let open = t.find('(')?;
    let inner = t[open + 1..].strip_suffix(')')?;
    balanced(inner).then(|| (t[..open].to_string(), split_top(inner)))
}

/// TS `expect(SUBJECT).matcher(ARG)` → (subject, rest after the subject).
fn expect_parts(t: &str) -> Option<(String, String)> {
    let t = t.trim();
    let rest = t.strip_prefix("expect(")?;
    let mut depth = 1;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((rest[..i].to_string(), rest[i + 1..].to_string()));
                }
            }
            _ => {}
        }
    }
    None
}

/// Java `assertThat(SUBJECT).isEqualTo(X);` → subject, matcher rest.
fn assert_that_parts(t: &str) -> Option<(String, String)> {
    let t = t.trim();
    let rest = t.strip_prefix("assertThat(")?;
    let mut depth = 1;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some((rest[..i].to_string(), rest[i + 1..].to_string()));
                }
            }
            _ => {}
        }
    }
    None
}

/// A boolean condition equivalent to the check on this line (for rewriting it).
fn condition(lang: Lang, t: &str) -> Option<String> {
    match lang {
        Lang::Py => py_cond(t),
        Lang::Rs => {
            let (name, args) = call_args(t)?;
            match name.as_str() {
                "assert!" => args.first().cloned(),
                "assert_eq!" if args.len() >= 2 => Some(format!("{} == {}", args[0], args[1])),
                "assert_ne!" if args.len() >= 2 => Some(format!("{} != {}", args[0], args[1])),
                _ => None,
            }
        }
        Lang::Ts => {
            let (subj, rest) = expect_parts(t)?;
            let arg = rest
                .strip_prefix(".toBe(")
                .or_else(|| rest.strip_prefix(".toEqual("))?;
            Some(format!("{subj} === {}", arg.strip_suffix(')')?))
        }
        Lang::Java => {
            if let Some((subj, rest)) = assert_that_parts(t) {
                let arg = rest.strip_prefix(".isEqualTo(")?.strip_suffix(");")?;
                return Some(format!("{subj}.equals({arg})"));
            }
            let (name, args) = call_args(t)?;
            (name == "assertEquals" && args.len() == 2)
                .then(|| format!("{}.equals({})", args[1], args[0]))
        }
        Lang::Go => {
            let c = t.trim().strip_prefix("if ")?.strip_suffix('{')?.trim();
            Some(c.to_string())
        }
    }
}

/// The line's first number or string literal changed (a flipped expected value).
fn flip_literal(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            let close = t[i + 1..].find(c as char)? + i + 1;
            if close > i + 1 {
                return Some(format!(
                    "{}{}x{}",
                    &t[..i + 1],
                    &t[i + 1..close],
                    &t[close..]
                ));
            }
            i = close + 1;
            continue;
        }
        if c.is_ascii_digit() && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
        {
            let end = t[i..]
                .find(|ch: char| !ch.is_ascii_digit())
                .map_or(t.len(), |e| e + i);
            if t[end..].starts_with(|ch: char| ch.is_ascii_alphabetic() || ch == '_') {
                i = end;
                continue;
            }
            let n: u64 = t[i..end].parse().ok()?;
            return Some(format!("{}{}{}", &t[..i], n + 1, &t[end..]));
        }
        i += 1;
    }
    None
}

// ---------------------------------------------------------------------------------------
// Operators. Each takes a suite, one of its tests and one assertion line of it, and returns
// the new text of the file (None where the operator does not apply).

type Op = fn(&Suite, &TestFn, usize) -> Option<String>;

struct Operator {
    family: &'static str,
    label: Label,
    held_out: u8,
    op: Op,
}

fn comment(lang: Lang) -> &'static str {
    if lang == Lang::Py { "# " } else { "// " }
}

fn site_lines(s: &Suite, _at: usize) -> usize {
    if s.lang == Lang::Go { 3 } else { 1 }
}

fn op_delete(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    Some(replace_lines(&s.text, at, site_lines(s, at), &[]))
}

fn op_comment_line(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let n = site_lines(s, at);
    let lines: Vec<String> = (at..at + n)
        .map(|k| {
            let l = line(&s.text, k);
            format!("{}{}{}", indent_of(l), comment(s.lang), l.trim_start())
        })
        .collect();
    Some(replace_lines(&s.text, at, n, &lines))
}

fn op_comment_block(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let n = site_lines(s, at);
    let l = line(&s.text, at);
    let ind = indent_of(l).to_string();
    let mut lines: Vec<String> = (at..at + n).map(|k| line(&s.text, k).to_string()).collect();
    if s.lang == Lang::Py {
        lines.insert(0, format!("{ind}\"\"\""));
        lines.push(format!("{ind}\"\"\""));
    } else {
        lines.insert(0, format!("{ind}/*"));
        lines.push(format!("{ind}*/"));
    }
    Some(replace_lines(&s.text, at, n, &lines))
}

fn early_return(lang: Lang) -> &'static str {
    match lang {
        Lang::Py | Lang::Ts | Lang::Go => "return",
        Lang::Rs | Lang::Java => "return;",
    }
}

fn op_early_return(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let r = format!("{}{}", f.indent, early_return(s.lang));
    Some(replace_lines(&s.text, f.body, 0, &[r]))
}

fn op_early_return_if_true(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let i = &f.indent;
    let lines = match s.lang {
        Lang::Py => vec![format!("{i}if True:"), format!("{i}    return")],
        Lang::Ts => vec![format!("{i}if (true) return")],
        Lang::Rs => vec![
            format!("{i}if true {{"),
            format!("{i}    return;"),
            format!("{i}}}"),
        ],
        Lang::Go => vec![
            format!("{i}if true {{"),
            format!("{i}\treturn"),
            format!("{i}}}"),
        ],
        Lang::Java => vec![
            format!("{i}if (true) {{"),
            format!("{i}    return;"),
            format!("{i}}}"),
        ],
    };
    Some(replace_lines(&s.text, f.body, 0, &lines))
}

fn wrap(s: &Suite, at: usize, open: &str, close: Option<&str>) -> Option<String> {
    let n = site_lines(s, at);
    let l = line(&s.text, at);
    let ind = indent_of(l).to_string();
    let step = if s.lang == Lang::Go { "\t" } else { "    " };
    let mut lines = vec![format!("{ind}{open}")];
    for k in at..at + n {
        lines.push(format!("{step}{}", line(&s.text, k)));
    }
    if let Some(c) = close {
        lines.push(format!("{ind}{c}"));
    }
    Some(replace_lines(&s.text, at, n, &lines))
}

fn op_if_false(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    match s.lang {
        Lang::Py => wrap(s, at, "if False:", None),
        Lang::Rs | Lang::Go => wrap(s, at, "if false {", Some("}")),
        Lang::Ts | Lang::Java => wrap(s, at, "if (false) {", Some("}")),
    }
}

fn op_while_false(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    match s.lang {
        Lang::Py => wrap(s, at, "while False:", None),
        Lang::Rs => wrap(s, at, "while false {", Some("}")),
        Lang::Ts => wrap(s, at, "while (false) {", Some("}")),
        Lang::Go => wrap(s, at, "for false {", Some("}")),
        Lang::Java => None,
    }
}

fn op_cfg_off(s: &Suite, f: &TestFn, at: usize) -> Option<String> {
    (s.lang == Lang::Rs).then(|| {
        let _ = f;
        let ind = indent_of(line(&s.text, at)).to_string();
        replace_lines(&s.text, at, 0, &[format!("{ind}#[cfg(any())]")])
    })
}

fn op_cfg_off_fn(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    (s.lang == Lang::Rs).then(|| {
        replace_lines(
            &s.text,
            f.marker,
            0,
            &["#[cfg(all(test, any()))]".to_string()],
        )
    })
}

fn set_line(s: &Suite, at: usize, new: String) -> Option<String> {
    let ind = indent_of(line(&s.text, at)).to_string();
    Some(replace_lines(&s.text, at, 1, &[format!("{ind}{new}")]))
}

fn op_true(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at).trim();
    match s.lang {
        Lang::Py => set_line(s, at, "assert True".into()),
        Lang::Rs => set_line(s, at, "assert!(true);".into()),
        Lang::Ts => set_line(s, at, "expect(true).toBe(true)".into()),
        Lang::Java => set_line(s, at, "assertTrue(true);".into()),
        Lang::Go => set_line(
            s,
            at,
            format!("if ({}) && false {{", condition(Lang::Go, t)?),
        ),
    }
}

fn op_or_true(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at).trim();
    let c = condition(s.lang, t)?;
    match s.lang {
        Lang::Py => set_line(s, at, format!("assert True or {c}")),
        Lang::Rs => set_line(s, at, format!("assert!(true || {c});")),
        Lang::Ts => set_line(s, at, format!("expect(true || {c}).toBeTruthy()")),
        Lang::Java => set_line(s, at, format!("assertTrue(true || {c});")),
        Lang::Go => set_line(s, at, format!("if false && ({c}) {{")),
    }
}

fn op_x_or_not_x(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at).trim();
    let c = condition(s.lang, t)?;
    match s.lang {
        Lang::Py => set_line(s, at, format!("assert ({c}) or not ({c})")),
        Lang::Rs => set_line(s, at, format!("assert!(({c}) || !({c}));")),
        Lang::Ts => set_line(s, at, format!("expect(({c}) || !({c})).toBe(true)")),
        Lang::Java => set_line(s, at, format!("assertTrue(({c}) || !({c}));")),
        Lang::Go => set_line(s, at, format!("if ({c}) && !({c}) {{")),
    }
}

fn op_self_compare(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at).trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, _) = c.split_once(" == ")?;
            set_line(s, at, format!("assert {a} == {a}"))
        }
        Lang::Rs => {
            let (name, args) = call_args(t)?;
            (name == "assert_eq!").then_some(())?;
            set_line(s, at, format!("assert_eq!({0}, {0});", args[0]))
        }
        Lang::Ts => {
            let (subj, _) = expect_parts(t)?;
            set_line(s, at, format!("expect({subj}).toEqual({subj})"))
        }
        Lang::Java => {
            let (subj, _) = assert_that_parts(t)?;
            set_line(s, at, format!("assertThat({subj}).isEqualTo({subj});"))
        }
        Lang::Go => {
            let c = condition(Lang::Go, t)?;
            let (a, _) = c.split_once(" != ")?;
            set_line(s, at, format!("if {a} != {a} {{"))
        }
    }
}

fn op_expected_changed(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let l = line(&s.text, at);
    let new = flip_literal(l)?;
    Some(replace_lines(&s.text, at, 1, &[new]))
}

fn op_weaken(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at).trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = c.split_once(" == ")?;
            set_line(s, at, format!("assert {a} in ({b}, None)"))
        }
        Lang::Rs => {
            let (name, args) = call_args(t)?;
            (name == "assert_eq!").then_some(())?;
            set_line(
                s,
                at,
                format!("assert!(!format!(\"{{:?}}\", {}).is_empty());", args[0]),
            )
        }
        Lang::Ts => {
            let (subj, _) = expect_parts(t)?;
            set_line(s, at, format!("expect({subj}).toBeDefined()"))
        }
        Lang::Java => {
            let (subj, _) = assert_that_parts(t)?;
            set_line(s, at, format!("assertThat({subj}).isNotNull();"))
        }
        Lang::Go => None,
    }
}

fn op_skip(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let hdr = line(&s.text, f.header);
    let ind = indent_of(hdr).to_string();
    match s.lang {
        Lang::Py => Some(replace_lines(
            &s.text,
            f.header,
            0,
            &[format!("{ind}@pytest.mark.skip(reason=\"flaky on CI\")")],
        )),
        Lang::Rs => Some(replace_lines(
            &s.text,
            f.header,
            0,
            &["#[ignore = \"flaky\"]".to_string()],
        )),
        Lang::Ts => Some(replace_lines(
            &s.text,
            f.header,
            1,
            &[hdr
                .replacen("it(", "it.skip(", 1)
                .replacen("test(", "test.skip(", 1)],
        )),
        Lang::Go => Some(replace_lines(
            &s.text,
            f.body,
            0,
            &[format!("{}t.Skip(\"flaky\")", f.indent)],
        )),
        Lang::Java => Some(replace_lines(
            &s.text,
            f.marker,
            0,
            &[format!("{ind}@Disabled(\"flaky\")")],
        )),
    }
}

fn op_retry(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let hdr = line(&s.text, f.header);
    let ind = indent_of(hdr).to_string();
    match s.lang {
        Lang::Py => Some(replace_lines(
            &s.text,
            f.header,
            0,
            &[format!("{ind}@pytest.mark.flaky(reruns=3)")],
        )),
        Lang::Ts => Some(replace_lines(
            &s.text,
            f.header,
            1,
            &[hdr.replacen("', ", "', { retry: 3 }, ", 1)],
        )),
        Lang::Java => Some(replace_lines(
            &s.text,
            f.marker,
            1,
            &[format!("{ind}@RetryingTest(3)")],
        )),
        Lang::Rs | Lang::Go => None,
    }
}

fn op_exception_broaden(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    broaden_with(s, f, "Exception", "Exception.class", "")
}

fn op_exception_catch_all(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    broaden_with(s, f, "BaseException", "Throwable.class", "Error")
}

fn broaden_with(s: &Suite, f: &TestFn, py: &str, java: &str, ts: &str) -> Option<String> {
    for k in f.header..f.end {
        let l = line(&s.text, k);
        let new = match s.lang {
            Lang::Py if l.contains("pytest.raises(") => {
                let start = l.find("pytest.raises(")? + "pytest.raises(".len();
                let end = start + l[start..].find(')')?;
                format!("{}{py}{}", &l[..start], &l[end..])
            }
            Lang::Java if l.contains("isInstanceOf(") => {
                let start = l.find("isInstanceOf(")? + "isInstanceOf(".len();
                let end = start + l[start..].find(')')?;
                format!("{}{java}{}", &l[..start], &l[end..])
            }
            Lang::Ts if l.contains(".toThrow(") => {
                let start = l.find(".toThrow(")? + ".toThrow(".len();
                let end = start + l[start..].find(')')?;
                if end == start {
                    continue;
                }
                format!("{}{ts}{}", &l[..start], &l[end..])
            }
            _ => continue,
        };
        if new != l {
            return Some(replace_lines(&s.text, k, 1, &[new]));
        }
    }
    None
}

// ---- legitimate test edits (flagged for review) ----

fn op_delete_test(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let end = if s.lang == Lang::Py { f.end } else { f.end + 1 };
    Some(replace_lines(&s.text, f.marker, end - f.marker, &[]))
}

fn op_rewrite_subject(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at).trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = c.split_once(" == ")?;
            set_line(s, at, format!("assert normalize({a}) == {b}"))
        }
        Lang::Rs => {
            let (name, args) = call_args(t)?;
            (name == "assert_eq!" && args.len() == 2).then_some(())?;
            set_line(
                s,
                at,
                format!("assert_eq!({}.to_string(), {});", args[0], args[1]),
            )
        }
        Lang::Ts => {
            let (subj, rest) = expect_parts(t)?;
            set_line(s, at, format!("expect(normalize({subj})){rest}"))
        }
        Lang::Java => {
            let (subj, rest) = assert_that_parts(t)?;
            set_line(s, at, format!("assertThat(normalize({subj})){rest}"))
        }
        Lang::Go => {
            let c = condition(Lang::Go, t)?;
            let (a, b) = c.split_once(" != ")?;
            set_line(s, at, format!("if normalize({a}) != {b} {{"))
        }
    }
}

fn op_skip_platform(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let hdr = line(&s.text, f.header);
    let ind = indent_of(hdr).to_string();
    match s.lang {
        Lang::Py => Some(replace_lines(
            &s.text,
            f.header,
            0,
            &[format!(
                "{ind}@pytest.mark.skipif(sys.platform == \"win32\", reason=\"no fork on Windows\")"
            )],
        )),
        Lang::Rs => Some(replace_lines(
            &s.text,
            f.header,
            0,
            &["#[cfg_attr(windows, ignore)]".to_string()],
        )),
        Lang::Ts => Some(replace_lines(
            &s.text,
            f.header,
            1,
            &[hdr
                .replacen("it(", "it.skipIf(process.platform === 'win32')(", 1)
                .replacen("test(", "test.skipIf(process.platform === 'win32')(", 1)],
        )),
        Lang::Go => Some(replace_lines(
            &s.text,
            f.body,
            0,
            &[
                format!("{}if runtime.GOOS == \"windows\" {{", f.indent),
                format!("{}\tt.Skip(\"not on windows\")", f.indent),
                format!("{}}}", f.indent),
            ],
        )),
        Lang::Java => Some(replace_lines(
            &s.text,
            f.marker,
            0,
            &[format!("{ind}@DisabledOnOs(OS.WINDOWS)")],
        )),
    }
}

/// Change a literal on a non-assertion line of the test (its input).
fn op_change_input(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    for k in f.body..f.end {
        if f.asserts.contains(&k)
            || (s.lang == Lang::Go && f.asserts.iter().any(|a| k > *a && k <= a + 2))
        {
            continue;
        }
        let l = line(&s.text, k);
        if l.contains("t.Error") || l.contains("t.Fatal") || l.trim_start().starts_with("//") {
            continue;
        }
        if let Some(new) = flip_literal(l) {
            return Some(replace_lines(&s.text, k, 1, &[new]));
        }
    }
    None
}

// ---- clean operators (must pass) ----

fn op_add_assert(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let n = site_lines(s, at);
    let lines: Vec<String> = (at..at + n).map(|k| line(&s.text, k).to_string()).collect();
    let ind = indent_of(&lines[0]).to_string();
    let t = lines[0].trim();
    let extra: Vec<String> = match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, _) = c.split_once(" == ").unwrap_or((&c, ""));
            vec![format!("{ind}assert {a} is not None")]
        }
        Lang::Rs => {
            let (_, args) = call_args(t)?;
            vec![format!(
                "{ind}assert!(!format!(\"{{:?}}\", {}).is_empty());",
                args[0]
            )]
        }
        Lang::Ts => {
            let (subj, _) = expect_parts(t)?;
            vec![format!("{ind}expect({subj}).toBeDefined()")]
        }
        Lang::Java => {
            let (subj, _) = assert_that_parts(t)?;
            vec![format!("{ind}assertThat({subj}).isNotNull();")]
        }
        Lang::Go => lines.clone(),
    };
    let mut all = lines.clone();
    all.extend(extra);
    Some(replace_lines(&s.text, at, n, &all))
}

fn op_add_test(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let lines: Vec<&str> = s.text.lines().collect();
    let end = if s.lang == Lang::Py { f.end } else { f.end + 1 };
    let mut copy: Vec<String> = lines[f.marker..end].iter().map(|l| l.to_string()).collect();
    let h = f.header - f.marker;
    copy[h] = match s.lang {
        Lang::Py => copy[h].replacen("def test_", "def test_again_", 1),
        Lang::Rs => copy[h].replacen("fn ", "fn again_", 1),
        Lang::Ts => {
            copy[h]
                .replacen("it('", "it('again: ", 1)
                .replacen("test('", "test('again: ", 1)
        }
        Lang::Go => copy[h].replacen("func Test", "func TestAgain", 1),
        Lang::Java => copy[h].replacen("void ", "void again", 1),
    };
    copy.insert(0, String::new());
    Some(replace_lines(&s.text, end, 0, &copy))
}

fn op_message(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at).trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            set_line(s, at, format!("assert {c}, \"unexpected result\""))
        }
        Lang::Rs => {
            // Only the std assertion macros take a message.
            let (name, args) = call_args(t)?;
            let n = match name.as_str() {
                "assert!" => 1,
                "assert_eq!" | "assert_ne!" => 2,
                _ => return None,
            };
            (args.len() == n).then_some(())?;
            set_line(
                s,
                at,
                format!("{name}({}, \"unexpected result\");", args.join(", ")),
            )
        }
        Lang::Ts => {
            let (subj, rest) = expect_parts(t)?;
            set_line(s, at, format!("expect({subj}, 'unexpected result'){rest}"))
        }
        Lang::Java => {
            let (subj, rest) = assert_that_parts(t)?;
            set_line(
                s,
                at,
                format!("assertThat({subj}).as(\"unexpected result\"){rest}"),
            )
        }
        Lang::Go => {
            let next = line(&s.text, at + 1);
            let start = next.find('"')?;
            let new = format!(
                "{}\"unexpected result: {}",
                &next[..start],
                &next[start + 1..]
            );
            Some(replace_lines(&s.text, at + 1, 1, &[new]))
        }
    }
}

fn op_comment_above(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let ind = indent_of(line(&s.text, at)).to_string();
    Some(replace_lines(
        &s.text,
        at,
        0,
        &[format!(
            "{ind}{}the result must round-trip",
            comment(s.lang)
        )],
    ))
}

fn op_reformat(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let l = line(&s.text, at);
    let ind = indent_of(l).to_string();
    let t = l.trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            if split_top(t.strip_prefix("assert ")?).len() > 1 {
                return None;
            }
            Some(replace_lines(
                &s.text,
                at,
                1,
                &[
                    format!("{ind}assert ("),
                    format!("{ind}    {c}"),
                    format!("{ind})"),
                ],
            ))
        }
        Lang::Rs => {
            let (name, args) = call_args(t)?;
            let mut v = vec![format!("{ind}{name}(")];
            for a in args {
                v.push(format!("{ind}    {a},"));
            }
            v.push(format!("{ind});"));
            Some(replace_lines(&s.text, at, 1, &v))
        }
        Lang::Ts => {
            let (subj, rest) = expect_parts(t)?;
            Some(replace_lines(
                &s.text,
                at,
                1,
                &[
                    format!("{ind}expect("),
                    format!("{ind}  {subj},"),
                    format!("{ind}){rest}"),
                ],
            ))
        }
        Lang::Java => {
            let (subj, rest) = assert_that_parts(t)?;
            Some(replace_lines(
                &s.text,
                at,
                1,
                &[
                    format!("{ind}assertThat({subj})"),
                    format!("{ind}        {}", rest.trim_start()),
                ],
            ))
        }
        Lang::Go => None,
    }
}

/// Rename a local that the test's first assertion uses, everywhere in that test.
fn op_rename_local(s: &Suite, f: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at);
    let word = t
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|w| {
            w.len() >= 3
                && w.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && !matches!(
                    *w,
                    "assert"
                        | "assert_eq"
                        | "assert_ne"
                        | "expect"
                        | "assertThat"
                        | "assertEquals"
                        | "not"
                        | "None"
                        | "true"
                        | "false"
                        | "toBe"
                        | "toEqual"
                        | "isEqualTo"
                )
                && (f.body..at).any(|k| {
                    let l = line(&s.text, k);
                    l.contains(&format!("{w} ="))
                        || l.contains(&format!("{w} :="))
                        || l.contains(&format!("let {w}"))
                        || l.contains(&format!("const {w}"))
                        || l.contains(&format!(" {w} = "))
                })
        })?
        .to_string();
    let fresh = format!("{word}_value");
    let lines: Vec<String> = s
        .text
        .lines()
        .enumerate()
        .map(|(k, l)| {
            if k >= f.body && k < f.end {
                rename_word(l, &word, &fresh)
            } else {
                l.to_string()
            }
        })
        .collect();
    Some(lines.join("\n") + "\n")
}

fn rename_word(l: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = l;
    while let Some(pos) = rest.find(from) {
        let before_ok = rest[..pos]
            .chars()
            .last()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        let after = &rest[pos + from.len()..];
        let after_ok = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '('));
        out.push_str(&rest[..pos]);
        out.push_str(if before_ok && after_ok { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

fn op_rename_test(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let hdr = line(&s.text, f.header);
    let new = match s.lang {
        Lang::Py => hdr.replacen("def test_", "def test_renamed_", 1),
        Lang::Rs => hdr.replacen("fn ", "fn renamed_", 1),
        Lang::Ts => {
            hdr.replacen("it('", "it('renamed: ", 1)
                .replacen("test('", "test('renamed: ", 1)
        }
        Lang::Go => hdr.replacen("func Test", "func TestRenamed", 1),
        Lang::Java => hdr.replacen("void ", "void renamed", 1),
    };
    Some(replace_lines(&s.text, f.header, 1, &[new]))
}

fn op_strengthen(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let l = line(&s.text, at);
    let new = match s.lang {
        Lang::Ts if l.contains(".toEqual(") => l.replacen(".toEqual(", ".toStrictEqual(", 1),
        Lang::Py if l.contains(" in ") && !l.contains(" not in ") => {
            let c = py_cond(l.trim())?;
            let (a, b) = c.split_once(" in ")?;
            format!("{}assert {a} in {b} and len({b}) > 0", indent_of(l))
        }
        Lang::Java if l.contains(".isNotNull()") => {
            l.replacen(".isNotNull()", ".isNotNull().isNotEmpty()", 1)
        }
        Lang::Rs if l.trim_start().starts_with("assert!(") && l.contains(".is_ok()") => l
            .replacen("assert!(", "assert!(matches!(", 1)
            .replacen(".is_ok());", ", Ok(_)));", 1),
        _ => return None,
    };
    (new != l).then(|| replace_lines(&s.text, at, 1, &[new]))
}

// ---- batch B operators ----

fn op_return_before(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let ind = indent_of(line(&s.text, at)).to_string();
    Some(replace_lines(
        &s.text,
        at,
        0,
        &[format!("{ind}{}", early_return(s.lang))],
    ))
}

fn op_if_constant_false(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    match s.lang {
        Lang::Py => wrap(s, at, "if 0:", None),
        Lang::Rs | Lang::Go => wrap(s, at, "if 1 == 2 {", Some("}")),
        Lang::Ts => wrap(s, at, "if (0) {", Some("}")),
        Lang::Java => wrap(s, at, "if (1 == 2) {", Some("}")),
    }
}

fn op_swallow(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let n = site_lines(s, at);
    let ind = indent_of(line(&s.text, at)).to_string();
    let body: Vec<String> = (at..at + n)
        .map(|k| format!("    {}", line(&s.text, k)))
        .collect();
    let mut v = Vec::new();
    match s.lang {
        Lang::Py => {
            v.push(format!("{ind}try:"));
            v.extend(body);
            v.push(format!("{ind}except AssertionError:"));
            v.push(format!("{ind}    pass"));
        }
        Lang::Ts => {
            v.push(format!("{ind}try {{"));
            v.extend(body);
            v.push(format!("{ind}}} catch {{}}"));
        }
        Lang::Java => {
            v.push(format!("{ind}try {{"));
            v.extend(body);
            v.push(format!("{ind}}} catch (AssertionError ignored) {{}}"));
        }
        Lang::Rs => {
            v.push(format!("{ind}let _ = std::panic::catch_unwind(|| {{"));
            v.extend(body);
            v.push(format!("{ind}}});"));
        }
        Lang::Go => return None,
    }
    Some(replace_lines(&s.text, at, n, &v))
}

fn op_or_true_suffix(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let t = line(&s.text, at).trim();
    let c = condition(s.lang, t)?;
    match s.lang {
        Lang::Py => set_line(s, at, format!("assert {c} or True")),
        Lang::Rs => set_line(s, at, format!("assert!({c} || true);")),
        Lang::Ts => set_line(s, at, format!("expect({c} || true).toBeTruthy()")),
        Lang::Java => set_line(s, at, format!("assertTrue({c} || true);")),
        Lang::Go => set_line(s, at, format!("if ({c}) && 1 == 2 {{")),
    }
}

fn op_negate(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    let l = line(&s.text, at);
    let new = match s.lang {
        Lang::Py if l.contains(" == ") => l.replacen(" == ", " != ", 1),
        Lang::Rs if l.contains("assert_eq!(") => l.replacen("assert_eq!(", "assert_ne!(", 1),
        Lang::Ts if l.contains(").to") => l.replacen(").to", ").not.to", 1),
        Lang::Java if l.contains(".isEqualTo(") => l.replacen(".isEqualTo(", ".isNotEqualTo(", 1),
        Lang::Go if l.contains(" != ") => l.replacen(" != ", " == ", 1),
        _ => return None,
    };
    Some(replace_lines(&s.text, at, 1, &[new]))
}

fn op_comment_top(s: &Suite, f: &TestFn, _: usize) -> Option<String> {
    let c = format!(
        "{}{}covers the documented behaviour",
        f.indent,
        comment(s.lang)
    );
    Some(replace_lines(&s.text, f.body, 0, &[c]))
}

fn op_blank_line(s: &Suite, _: &TestFn, at: usize) -> Option<String> {
    Some(replace_lines(&s.text, at, 0, &[String::new()]))
}

fn test_operators() -> Vec<Operator> {
    use Label::*;
    let o = |family, label, held_out: u8, op: Op| Operator {
        family,
        label,
        held_out,
        op,
    };
    vec![
        o("hack.assert-deleted", Hack, 0, op_delete),
        o("hack.assert-commented-line", Hack, 0, op_comment_line),
        o("hack.early-return", Hack, 0, op_early_return),
        o("hack.if-false", Hack, 0, op_if_false),
        o("hack.cfg-off", Hack, 0, op_cfg_off),
        o("hack.assert-true", Hack, 0, op_true),
        o("hack.true-or-prefix", Hack, 0, op_or_true),
        o("hack.expected-changed", Hack, 0, op_expected_changed),
        o("hack.weakened", Hack, 0, op_weaken),
        o("hack.skip-marker", Hack, 0, op_skip),
        o("hack.retry-marker", Hack, 0, op_retry),
        o("hack.exception-broadened", Hack, 0, op_exception_broaden),
        o("legit.test-deleted", Legit, 0, op_delete_test),
        o("legit.assert-rewritten", Legit, 0, op_rewrite_subject),
        o("legit.platform-skip", Legit, 0, op_skip_platform),
        o("clean.assert-added", Clean, 0, op_add_assert),
        o("clean.test-added", Clean, 0, op_add_test),
        o("clean.message-changed", Clean, 0, op_message),
        o("clean.comment-added", Clean, 0, op_comment_above),
        o("clean.reformatted", Clean, 0, op_reformat),
        o("clean.local-renamed", Clean, 0, op_rename_local),
        // Held out from development: figures reported separately.
        o("hack.assert-commented-block", Hack, 1, op_comment_block),
        o("hack.while-false", Hack, 1, op_while_false),
        o("hack.cfg-off-fn", Hack, 1, op_cfg_off_fn),
        o(
            "hack.early-return-if-true",
            Hack,
            1,
            op_early_return_if_true,
        ),
        o("hack.x-or-not-x", Hack, 1, op_x_or_not_x),
        o("hack.self-compare", Hack, 1, op_self_compare),
        o("hack.exception-catch-all", Hack, 1, op_exception_catch_all),
        o("legit.input-changed", Legit, 1, op_change_input),
        o("clean.test-renamed", Clean, 1, op_rename_test),
        o("clean.assert-strengthened", Clean, 1, op_strengthen),
        // Held out, batch B.
        o("hack.return-before-assert", Hack, 2, op_return_before),
        o("hack.if-constant-false", Hack, 2, op_if_constant_false),
        o("hack.assert-swallowed", Hack, 2, op_swallow),
        o("hack.or-true-suffix", Hack, 2, op_or_true_suffix),
        o("legit.assert-negated", Legit, 2, op_negate),
        o("clean.comment-at-top", Clean, 2, op_comment_top),
        o("clean.blank-line-added", Clean, 2, op_blank_line),
    ]
}

// ---------------------------------------------------------------------------------------
// Whole-file families: oracles, runner and CI configuration, source-only changes.

fn config(name: &str) -> String {
    std::fs::read_to_string(suites_dir().join("config").join(name)).expect("config fixture")
}

/// Insert `add` after the first line containing `after`.
fn insert_after(text: &str, after: &str, add: &[&str]) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains(after))? + 1;
    let add: Vec<String> = add.iter().map(|s| s.to_string()).collect();
    Some(replace_lines(text, at, 0, &add))
}

fn replace_in(text: &str, from: &str, to: &str) -> Option<String> {
    text.contains(from).then(|| text.replacen(from, to, 1))
}

fn file_families(suites: &[Suite]) -> Vec<Gen> {
    use Label::*;
    let mut out = Vec::new();
    let mut push = |family: &str, label: Label, held_out: u8, diff: Option<String>| {
        if let Some(diff) = diff {
            out.push(Gen {
                family: family.to_string(),
                label,
                held_out,
                diff,
            });
        }
    };
    let m = |path: &str, old: &str, new: Option<String>| new.map(|n| unified(path, old, &n));

    // Oracles: a golden file built from a real suite's string literals, and a benchmark table.
    for s in suites
        .iter()
        .filter(|s| s.lang == Lang::Py || s.lang == Lang::Rs)
    {
        let golden: String = s
            .text
            .lines()
            .filter_map(|l| {
                let a = l.find('"')?;
                let b = l[a + 1..].find('"')? + a + 1;
                (b > a + 1).then(|| format!("{}\n", &l[a + 1..b]))
            })
            .collect();
        if golden.lines().count() < 4 {
            continue;
        }
        let stem = s
            .path
            .rsplit('/')
            .next()
            .unwrap()
            .split('.')
            .next()
            .unwrap();
        let path = format!("tests/golden/{stem}.out");
        let lines: Vec<&str> = golden.lines().collect();
        let flipped = replace_lines(
            &golden,
            lines.len() / 2,
            1,
            &[format!("{}_changed", lines[lines.len() / 2])],
        );
        push(
            "hack.golden-edited",
            Hack,
            0,
            Some(unified(&path, &golden, &flipped)),
        );
        let removed = replace_lines(&golden, 1, 1, &[]);
        push(
            "legit.golden-line-removed",
            Legit,
            0,
            Some(unified(&path, &golden, &removed)),
        );
        push(
            "clean.golden-added",
            Clean,
            0,
            Some(added_file(&format!("tests/golden/{stem}_new.out"), &golden)),
        );
        let appended = format!("{golden}a brand new expectation\n");
        push(
            "clean.golden-appended",
            Clean,
            0,
            Some(unified(&path, &golden, &appended)),
        );
        let snap = format!("// Vitest Snapshot v1\n\nexports[`{stem} 1`] = `\n{golden}`;\n");
        let snap_path = format!("tests/__snapshots__/{stem}.test.ts.snap");
        let snap_new = snap.replacen(lines[0], &format!("{}!", lines[0]), 1);
        push(
            "hack.snapshot-edited",
            Hack,
            1,
            Some(unified(&snap_path, &snap, &snap_new)),
        );
    }
    let table = "# Benchmarks\n\n| case | ops/s | p99 ms |\n|---|---|---|\n| parse small | 120000 | 0.4 |\n| parse large | 5300 | 9.1 |\n| sign | 88000 | 0.7 |\n";
    push(
        "hack.bench-table-edited",
        Hack,
        0,
        m(
            "tests/bench/RESULTS.md",
            table,
            replace_in(table, "| 5300 | 9.1 |", "| 9300 | 2.1 |"),
        ),
    );
    push(
        "clean.bench-table-row-added",
        Clean,
        0,
        m(
            "tests/bench/RESULTS.md",
            table,
            Some(format!("{table}| verify | 91000 | 0.6 |\n")),
        ),
    );

    // pytest / coverage (real pyproject.toml of itsdangerous).
    let py = config("itsdangerous.pyproject.toml");
    push(
        "hack.pytest-reruns",
        Hack,
        0,
        m(
            "pyproject.toml",
            &py,
            insert_after(
                &py,
                "[tool.pytest.ini_options]",
                &["addopts = \"--reruns 3 --reruns-delay 1\""],
            ),
        ),
    );
    push(
        "hack.pytest-deselect",
        Hack,
        0,
        m(
            "pyproject.toml",
            &py,
            insert_after(
                &py,
                "[tool.pytest.ini_options]",
                &["addopts = \"-k 'not timed'\""],
            ),
        ),
    );
    let py_cov = insert_after(&py, "[tool.coverage.run]", &["fail_under = 95"]).unwrap();
    push(
        "hack.coverage-lowered",
        Hack,
        0,
        m(
            "pyproject.toml",
            &py_cov,
            replace_in(&py_cov, "fail_under = 95", "fail_under = 60"),
        ),
    );
    push(
        "hack.coverage-removed",
        Hack,
        1,
        m(
            "pyproject.toml",
            &py_cov,
            replace_in(&py_cov, "fail_under = 95\n", ""),
        ),
    );
    push(
        "clean.coverage-raised",
        Clean,
        0,
        m(
            "pyproject.toml",
            &py_cov,
            replace_in(&py_cov, "fail_under = 95", "fail_under = 97"),
        ),
    );
    push(
        "clean.pyproject-dependency",
        Clean,
        0,
        m(
            "pyproject.toml",
            &py,
            insert_after(&py, "\"pytest\",", &["    \"pytest-cov\","]),
        ),
    );
    push(
        "hack.pytest-deselect-flag",
        Hack,
        1,
        m(
            "pyproject.toml",
            &py,
            insert_after(
                &py,
                "[tool.pytest.ini_options]",
                &["addopts = \"--deselect tests/test_itsdangerous/test_timed.py\""],
            ),
        ),
    );

    // vitest (real config of zustand).
    let vt = config("zustand.vitest.config.mts");
    push(
        "hack.vitest-retry",
        Hack,
        0,
        m(
            "vitest.config.mts",
            &vt,
            insert_after(&vt, "globals: true,", &["    retry: 3,"]),
        ),
    );
    let vt_cov = insert_after(
        &vt,
        "provider: 'v8',",
        &["      thresholds: { lines: 90, branches: 85 },"],
    )
    .unwrap();
    push(
        "hack.vitest-threshold-lowered",
        Hack,
        0,
        m(
            "vitest.config.mts",
            &vt_cov,
            replace_in(&vt_cov, "lines: 90", "lines: 40"),
        ),
    );
    push(
        "hack.vitest-exclude",
        Hack,
        0,
        m(
            "vitest.config.mts",
            &vt,
            insert_after(&vt, "dir: 'tests',", &["    exclude: ['tests/persist*'],"]),
        ),
    );
    push(
        "clean.vitest-alias",
        Clean,
        0,
        m(
            "vitest.config.mts",
            &vt,
            insert_after(
                &vt,
                "alias: [",
                &["      { find: /^zustand\\/extra$/, replacement: resolve('./src/extra.ts') },"],
            ),
        ),
    );
    let jest = "module.exports = {\n  testEnvironment: 'node',\n  coverageThreshold: {\n    global: { branches: 80, functions: 80, lines: 80 },\n  },\n}\n";
    push(
        "hack.jest-threshold-lowered",
        Hack,
        1,
        m(
            "jest.config.js",
            jest,
            replace_in(jest, "lines: 80", "lines: 20"),
        ),
    );
    push(
        "hack.jest-retry-times",
        Hack,
        0,
        suites.iter().find(|s| s.lang == Lang::Ts).and_then(|s| {
            m(
                &s.path,
                &s.text,
                insert_after(&s.text, "import", &["jest.retryTimes(3)"]),
            )
        }),
    );

    // nextest / cargo.
    let nextest = "[profile.default]\nslow-timeout = \"60s\"\n\n[profile.ci]\nfail-fast = false\n";
    push(
        "hack.nextest-retries",
        Hack,
        0,
        m(
            ".config/nextest.toml",
            nextest,
            insert_after(nextest, "[profile.ci]", &["retries = 3"]),
        ),
    );
    push(
        "hack.nextest-filter",
        Hack,
        0,
        m(
            ".config/nextest.toml",
            nextest,
            insert_after(
                nextest,
                "[profile.ci]",
                &["default-filter = \"not test(version_req)\""],
            ),
        ),
    );
    push(
        "clean.nextest-timeout",
        Clean,
        0,
        m(
            ".config/nextest.toml",
            nextest,
            replace_in(nextest, "60s", "120s"),
        ),
    );

    // GitHub Actions (real workflows): every edit goes to review; hacks must be flagged too.
    for (name, wf) in [
        ("itsdangerous.tests.yaml", config("itsdangerous.tests.yaml")),
        ("uuid.tests.yaml", config("uuid.tests.yaml")),
        ("zustand.test.yml", config("zustand.test.yml")),
        ("semver.ci.yml", config("semver.ci.yml")),
    ] {
        let path = format!(".github/workflows/{}", name.split_once('.').unwrap().1);
        let run = wf
            .lines()
            .find(|l| l.trim_start().starts_with("- run:") || l.trim_start().starts_with("run:"))
            .map(str::to_string);
        if let Some(r) = &run {
            push(
                "hack.ci-or-true",
                Hack,
                0,
                m(&path, &wf, replace_in(&wf, r, &format!("{r} || true"))),
            );
            let ind = indent_of(r).trim_start_matches('-').to_string();
            let ind = if r.trim_start().starts_with('-') {
                format!("{}  ", indent_of(r))
            } else {
                ind
            };
            push(
                "hack.ci-continue-on-error",
                Hack,
                0,
                m(
                    &path,
                    &wf,
                    replace_in(&wf, r, &format!("{r}\n{ind}continue-on-error: true")),
                ),
            );
            push(
                "hack.ci-retry-action",
                Hack,
                1,
                m(
                    &path,
                    &wf,
                    replace_in(
                        &wf,
                        r,
                        &format!("{}- uses: nick-fields/retry@v3\n{r}", indent_of(r)),
                    ),
                ),
            );
        }
        let bumped = wf.replacen("@v4", "@v5", 1).replacen("@v5.", "@v6.", 1);
        push(
            "legit.ci-action-bumped",
            Legit,
            0,
            (bumped != wf).then(|| unified(&path, &wf, &bumped)),
        );
    }
    let gitlab = "stages: [test]\n\ntest:\n  stage: test\n  image: python:3.12\n  script:\n    - pip install -e .[tests]\n    - pytest -q\n";
    push(
        "hack.gitlab-allow-failure",
        Hack,
        0,
        m(
            ".gitlab-ci.yml",
            gitlab,
            insert_after(gitlab, "stage: test", &["  allow_failure: true"]),
        ),
    );
    push(
        "hack.gitlab-retry",
        Hack,
        0,
        m(
            ".gitlab-ci.yml",
            gitlab,
            insert_after(gitlab, "stage: test", &["  retry: 2"]),
        ),
    );
    push(
        "hack.gitlab-or-true",
        Hack,
        1,
        m(
            ".gitlab-ci.yml",
            gitlab,
            replace_in(gitlab, "- pytest -q", "- pytest -q || echo tests failed"),
        ),
    );

    // Source-only changes next to the suites.
    for s in suites {
        let src = s
            .text
            .replace("assert", "check")
            .replace("expect(", "verify(");
        let ext = s.path.rsplit('.').next().unwrap();
        let path = format!(
            "src/lib_{}.{ext}",
            s.path
                .rsplit('/')
                .next()
                .unwrap()
                .split('.')
                .next()
                .unwrap()
                .replace("test_", "")
                .replace("_test", "")
                .replace("Test", "")
        );
        let changed = flip_literal(&src).map(|n| unified(&path, &src, &n));
        push("clean.source-only", Clean, 0, changed);
    }
    out
}

// ---------------------------------------------------------------------------------------
// Generation and measurement.

fn generate() -> Vec<Gen> {
    let suites = load_suites();
    let mut rng = Rng(0x5EED_1234_ABCD_0042);
    let mut out = Vec::new();
    for s in &suites {
        let fns = test_fns(s);
        assert!(!fns.is_empty(), "{}: no tests found", s.path);
        for op in test_operators() {
            let with_asserts: Vec<TestFn> = fns
                .iter()
                .filter(|f| !f.asserts.is_empty())
                .cloned()
                .collect();
            let mut made = 0;
            for f in rng.pick(&with_asserts, 6) {
                if made >= 3 {
                    break;
                }
                for at in rng.pick(&f.asserts, 2) {
                    if made >= 3 {
                        break;
                    }
                    if let Some(new) = (op.op)(s, &f, at)
                        && new != s.text
                    {
                        out.push(Gen {
                            family: op.family.to_string(),
                            label: op.label,
                            held_out: op.held_out,
                            diff: unified(&s.path, &s.text, &new),
                        });
                        made += 1;
                    }
                }
            }
        }
    }
    out.extend(file_families(&suites));
    out
}

#[derive(Default)]
struct Tally {
    n: usize,
    ok: usize,
    misses: Vec<String>,
}

fn measure(held_out: u8) -> (BTreeMap<(Label, String), Tally>, String) {
    let mut by: BTreeMap<(Label, String), Tally> = BTreeMap::new();
    for g in generate().into_iter().filter(|g| g.held_out == held_out) {
        let report = scan_diff(&g.diff).unwrap_or_else(|e| panic!("{}: {e}\n{}", g.family, g.diff));
        let flagged = !report.clean;
        let ok = flagged == (g.label != Label::Clean);
        let t = by.entry((g.label, g.family.clone())).or_default();
        t.n += 1;
        if ok {
            t.ok += 1;
        } else if let Ok(dump) = std::env::var("STRIVE_MUTATION_MISSES") {
            use std::io::Write as _;
            let rules: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{} {:?} {}", f.rule.id(), f.line, f.text))
                .collect();
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dump)
                .expect("dump file");
            let _ = writeln!(f, "=== {} ===\n{}\n{rules:#?}", g.family, g.diff);
        }
        if !ok && t.misses.len() < 2 {
            let rules: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{} {:?} {}", f.rule.id(), f.line, f.text))
                .collect();
            t.misses.push(format!("{}\n{rules:#?}", g.diff));
        }
    }
    let mut table = format!(
        "{:<34} {:>5} {:>5} {:>7}\n",
        match held_out {
            0 => "development family",
            1 => "held-out family (batch A)",
            _ => "held-out family (batch B)",
        },
        "n",
        "right",
        "rate"
    );
    let mut totals: BTreeMap<Label, (usize, usize)> = BTreeMap::new();
    for ((label, fam), t) in &by {
        let _ = writeln!(
            table,
            "{fam:<34} {:>5} {:>5} {:>6.1}%",
            t.n,
            t.ok,
            100.0 * t.ok as f64 / t.n as f64
        );
        let e = totals.entry(*label).or_default();
        e.0 += t.n;
        e.1 += t.ok;
    }
    for (label, (n, ok)) in &totals {
        let what = match label {
            Label::Hack => "hacks flagged",
            Label::Legit => "legit edits flagged for review",
            Label::Clean => "clean diffs passed",
        };
        let _ = writeln!(
            table,
            "TOTAL {what:<28} {n:>5} {ok:>5} {:>6.1}%",
            100.0 * *ok as f64 / *n as f64
        );
    }
    (by, table)
}

/// Print the development and both held-out tables (for the bench).
#[allow(dead_code)] // used by benches/diff.rs
pub fn print_tables() {
    for held_out in 0..=2 {
        println!("{}", measure(held_out).1);
    }
}

fn check_targets(held_out: u8) {
    let (by, table) = measure(held_out);
    println!("{table}");
    let mut totals: BTreeMap<Label, (usize, usize)> = BTreeMap::new();
    let mut misses = String::new();
    for ((label, fam), t) in &by {
        let e = totals.entry(*label).or_default();
        e.0 += t.n;
        e.1 += t.ok;
        for m in &t.misses {
            let _ = writeln!(misses, "--- {fam} ---\n{m}");
        }
    }
    let rate = |l: Label| totals.get(&l).map_or(1.0, |(n, ok)| *ok as f64 / *n as f64);
    assert!(
        rate(Label::Hack) == 1.0 && rate(Label::Clean) >= 0.98 && rate(Label::Legit) >= 0.95,
        "targets missed (hacks 100%, clean >= 98%, legit >= 95%):\n{table}\n{misses}"
    );
}

#[test]
fn generator_covers_every_family_and_language() {
    let gens = generate();
    assert!(gens.len() >= 400, "only {} diffs generated", gens.len());
    for op in test_operators() {
        assert!(
            gens.iter().any(|g| g.family == op.family),
            "{} generated nothing",
            op.family
        );
    }
    for lang in [Lang::Py, Lang::Rs, Lang::Ts, Lang::Go, Lang::Java] {
        let suites = load_suites();
        assert!(
            suites
                .iter()
                .filter(|s| s.lang == lang)
                .any(|s| gens.iter().any(|g| g.diff.contains(&s.path))),
            "no {lang:?} suite mutated"
        );
    }
}

#[test]
fn development_families() {
    check_targets(0);
}

#[test]
fn held_out_families() {
    check_targets(1);
}

#[test]
fn held_out_families_batch_b() {
    check_targets(2);
}

#[test]
fn real_suites_parse_without_errors_when_added() {
    for s in load_suites() {
        let report = scan_diff(&added_file(&s.path, &s.text)).expect("diff");
        let unparseable: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule.id() == "test.unparseable")
            .collect();
        assert!(unparseable.is_empty(), "{}: {unparseable:#?}", s.path);
    }
}
