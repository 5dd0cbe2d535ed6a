//! Held-out batch E of the mutation generator: three real suites in frameworks no earlier
//! batch covered — Go with testify (`Masterminds/sprig`), Ruby minitest (`ruby/rake`, `def
//! test_…` / `assert_equal` / `assert_raises … do`), Java JUnit 5 (`jhy/jsoup`, `@Test`,
//! `assertThrows`, try/catch oracles) — and their runner/CI configuration (GitHub Actions for
//! all three, rake's `Rakefile` test task); see `tests/fixtures/suites/PROVENANCE.md`.
//!
//! Operators: tautologies (a constant-true assertion, the actual compared with itself,
//! `true || P`, `P || !P`), assertions commented out (line and block comments, `=begin`),
//! early returns, `if false` wraps, skips (unconditional and behind a constant condition,
//! JUnit `@Disabled` / `assumeTrue(false)`), flipped expected values, widened tolerances,
//! broadened exception types, exact checks weakened to non-nil checks, failures swallowed
//! (testify with a throwaway `*testing.T`, `catch (AssertionError)`, `rescue
//! Minitest::Assertion`), and CI/runner settings (`|| true`, `continue-on-error`, test
//! deselection, reruns of failing tests, Maven `-DskipTests` / `testFailureIgnore`, rake's
//! test file list narrowed). Legit review-worthy edits: an assertion deleted, a test deleted,
//! an assertion's subject changed. Clean edits: messages added, tests added, locals extracted,
//! extra assertions, comments, helpers, renamed tests, reformatted calls, respelled
//! assertions (testify `assert.New(t)`, `Assertions.` qualification, Ruby parentheses), CI
//! matrix and logging changes.
//!
//! Protocol: written before the scanner saw any of it and run once untuned to take the
//! first-run figures (docs/integrity.md, "held-out batch E"); the scanner was then fixed by
//! class and the test asserts the targets. Figures per operator with `-- --nocapture`.

use std::path::{Path, PathBuf};

#[allow(unused_imports)] // the tests' helpers are unused in benches/diff.rs
use crate::integrity_common::{
    Gen, Label, Rng, added_file, balanced, check_targets, indent_of, join, lines_of, measure,
    splice, split_top, unified,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Go,
    Rb,
    Java,
}

struct Suite {
    lang: Lang,
    path: String,
    lines: Vec<String>,
}

#[derive(Clone, Debug)]
struct TestFn {
    marker: usize,
    header: usize,
    body: usize,
    end: usize,
    sites: Vec<(usize, usize)>,
}

fn base() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites/heldout-e")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(base().join(rel)).expect("batch E fixture")
}

fn load_suites() -> Vec<Suite> {
    let mut out = Vec::new();
    for (dir, lang, prefix) in [
        ("go", Lang::Go, ""),
        ("ruby", Lang::Rb, "test/"),
        ("java", Lang::Java, "src/test/java/org/jsoup/"),
    ] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(base().join(dir))
            .expect("suite dir")
            .map(|e| e.expect("entry").path())
            .collect();
        names.sort();
        for p in names {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            out.push(Suite {
                lang,
                path: format!("{prefix}{name}"),
                lines: lines_of(&std::fs::read_to_string(&p).expect("suite file")),
            });
        }
    }
    out
}

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Go => "go",
        Lang::Rb => "ruby",
        Lang::Java => "java",
    }
}

fn is_assert_start(lang: Lang, t: &str) -> bool {
    match lang {
        Lang::Go => t.starts_with("assert.") || t.starts_with("require."),
        Lang::Rb => {
            let t = t.strip_prefix("ex = ").unwrap_or(t);
            (t.starts_with("assert") || t.starts_with("refute"))
                && t[6..].starts_with(['_', ' ', '('])
        }
        Lang::Java => {
            let t = t.strip_prefix("Assertions.").unwrap_or(t);
            t.starts_with("assert") && t.contains('(')
        }
    }
}

fn test_fns(s: &Suite) -> Vec<TestFn> {
    let l = &s.lines;
    let mut out = Vec::new();
    for i in 0..l.len() {
        let t = l[i].trim();
        let ind = indent_of(&l[i]).to_string();
        let (marker, ok) = match s.lang {
            Lang::Go => (i, t.starts_with("func Test") && t.ends_with('{')),
            Lang::Rb => (i, t.starts_with("def test_")),
            Lang::Java => {
                let prev = (0..i).rev().find(|&k| !l[k].trim().is_empty());
                let annotated =
                    t.starts_with("@Test ") || prev.is_some_and(|k| l[k].trim() == "@Test");
                let m = if t.starts_with("@Test ") {
                    i
                } else {
                    prev.unwrap_or(i)
                };
                (m, annotated && t.contains("void ") && t.ends_with('{'))
            }
        };
        if !ok {
            continue;
        }
        let close = if s.lang == Lang::Rb { "end" } else { "}" };
        let Some(end) = (i + 1..l.len()).find(|&k| l[k] == format!("{ind}{close}")) else {
            continue;
        };
        let mut sites = Vec::new();
        let mut k = i + 1;
        while k < end {
            let t = l[k].trim();
            if is_assert_start(s.lang, t) {
                let block = s.lang == Lang::Rb && t.ends_with(" do");
                let kind = indent_of(&l[k]).to_string();
                let stop = if block {
                    (k + 1..end).find(|&j| l[j] == format!("{kind}end"))
                } else {
                    // balanced, and (Ruby) not continued after a trailing comma
                    let mut acc = String::new();
                    (k..end).find(|&j| {
                        acc.push_str(l[j].trim());
                        acc.push(' ');
                        balanced(&acc) && !l[j].trim_end().ends_with(',')
                    })
                };
                if let Some(b) = stop {
                    sites.push((k, b));
                    k = b + 1;
                    continue;
                }
            }
            k += 1;
        }
        out.push(TestFn {
            marker,
            header: i,
            body: i + 1,
            end,
            sites,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// One single-line assertion call, taken apart.

#[derive(Clone, Debug)]
struct Call {
    /// `assert.` / `require.` / `Assertions.` / "" before the name.
    qual: String,
    name: String,
    args: Vec<String>,
}

fn parse_call(lang: Lang, t: &str) -> Option<Call> {
    if !balanced(t) {
        return None;
    }
    match lang {
        Lang::Go => {
            let (qual, rest) = t.split_once('.')?;
            let (name, inner) = rest.split_once('(')?;
            let inner = inner.strip_suffix(')')?;
            Some(Call {
                qual: format!("{qual}."),
                name: name.into(),
                args: split_top(inner, b','),
            })
        }
        Lang::Java => {
            let (qual, t) = match t.strip_prefix("Assertions.") {
                Some(r) => ("Assertions.", r),
                None => ("", t),
            };
            let (name, inner) = t.split_once('(')?;
            let inner = inner.strip_suffix(");")?;
            if !balanced(inner) || name.contains(' ') {
                return None;
            }
            Some(Call {
                qual: qual.into(),
                name: name.into(),
                args: split_top(inner, b','),
            })
        }
        Lang::Rb => {
            if t.starts_with("ex = ") || t.ends_with(" do") || t.ends_with('{') || t.contains(" # ")
            {
                return None;
            }
            let n = t
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '?'))
                .unwrap_or(t.len());
            let (name, rest) = t.split_at(n);
            let inner = if let Some(r) = rest.strip_prefix('(') {
                let r = r.strip_suffix(')')?;
                balanced(r).then_some(r)?
            } else {
                rest.strip_prefix(' ')?
            };
            let args = split_top(inner, b',');
            if args.iter().any(String::is_empty) {
                return None;
            }
            Some(Call {
                qual: String::new(),
                name: name.into(),
                args,
            })
        }
    }
}

fn render(lang: Lang, c: &Call) -> String {
    let a = c.args.join(", ");
    match lang {
        Lang::Go => format!("{}{}({a})", c.qual, c.name),
        Lang::Java => format!("{}{}({a});", c.qual, c.name),
        Lang::Rb => format!("{} {a}", c.name),
    }
}

/// Index of the expected value and of the actual value of an equality assertion.
fn eq_args(lang: Lang, c: &Call) -> Option<(usize, usize)> {
    match lang {
        Lang::Go if c.name == "Equal" && c.args.len() == 3 => Some((1, 2)),
        Lang::Java if c.name == "assertEquals" && c.args.len() == 2 => Some((0, 1)),
        Lang::Rb if c.name == "assert_equal" && c.args.len() == 2 => Some((0, 1)),
        _ => None,
    }
}

/// The assertion as one boolean predicate, when it has one.
fn predicate(lang: Lang, c: &Call) -> Option<String> {
    if let Some((e, a)) = eq_args(lang, c) {
        let (e, a) = (&c.args[e], &c.args[a]);
        return Some(match lang {
            Lang::Java => format!("java.util.Objects.equals({e}, {a})"),
            _ => format!("{e} == {a}"),
        });
    }
    let arg = |i: usize| c.args.get(i).cloned();
    match (lang, c.name.as_str()) {
        (Lang::Go, "True") => arg(1),
        (Lang::Go, "False") => arg(1).map(|x| format!("!({x})")),
        (Lang::Go, "Nil" | "NoError") => arg(1).map(|x| format!("{x} == nil")),
        (Lang::Java, "assertTrue") => arg(0),
        (Lang::Java, "assertFalse") => arg(0).map(|x| format!("!({x})")),
        (Lang::Rb, "assert") if c.args.len() <= 2 => arg(0),
        (Lang::Rb, "refute") if c.args.len() <= 2 => arg(0).map(|x| format!("!({x})")),
        _ => None,
    }
}

fn bool_assert(lang: Lang, p: &str) -> String {
    match lang {
        Lang::Go => format!("assert.True(t, {p})"),
        Lang::Java => format!("assertTrue({p});"),
        Lang::Rb => format!("assert({p})"),
    }
}

fn ind(s: &Suite, at: usize) -> String {
    indent_of(&s.lines[at]).to_string()
}

fn step(s: &Suite) -> &'static str {
    match s.lang {
        Lang::Go => "\t",
        Lang::Rb => "  ",
        Lang::Java => "    ",
    }
}

fn single(s: &Suite, (a, b): (usize, usize)) -> Option<Call> {
    (a == b).then_some(())?;
    parse_call(s.lang, s.lines[a].trim())
}

fn replace_site(s: &Suite, (a, b): (usize, usize), new: Vec<String>) -> Option<Vec<String>> {
    let i = ind(s, a);
    Some(splice(
        &s.lines,
        a,
        b - a + 1,
        new.into_iter().map(|l| format!("{i}{l}")).collect(),
    ))
}

fn wrap(s: &Suite, (a, b): (usize, usize), open: &str, close: &str) -> Option<Vec<String>> {
    let i = ind(s, a);
    let st = step(s);
    let mut v = vec![format!("{i}{open}")];
    v.extend(s.lines[a..=b].iter().map(|l| format!("{st}{l}")));
    v.push(format!("{i}{close}"));
    Some(splice(&s.lines, a, b - a + 1, v))
}

fn insert_top(s: &Suite, f: &TestFn, new: &[&str]) -> Option<Vec<String>> {
    let i = (f.body..f.end)
        .find(|&k| !s.lines[k].trim().is_empty())
        .map_or_else(|| ind(s, f.header) + step(s), |k| ind(s, k));
    Some(splice(
        &s.lines,
        f.body,
        0,
        new.iter().map(|l| format!("{i}{l}")).collect(),
    ))
}

fn flip_literal(v: &str) -> Option<String> {
    let v = v.trim();
    if let Some(inner) = v.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        return Some(if inner.is_empty() {
            "\" \"".into()
        } else {
            format!("\"{inner}x\"")
        });
    }
    if let Ok(n) = v.parse::<i64>() {
        return Some((n + 1).to_string());
    }
    match v {
        "true" => Some("false".into()),
        "false" => Some("true".into()),
        _ => None,
    }
}

type OpFn = fn(&Suite, &TestFn, (usize, usize)) -> Option<Vec<String>>;

struct Operator {
    family: &'static str,
    label: Label,
    op: OpFn,
}

// --- hacks ------------------------------------------------------------------------------

fn op_constant_true(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let l = match s.lang {
        Lang::Go => "assert.True(t, true)",
        Lang::Java => "assertTrue(true);",
        Lang::Rb => "assert true",
    };
    replace_site(s, site, vec![l.into()])
}

fn op_self_compare(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    let (e, a) = eq_args(s.lang, &c)?;
    c.args[e] = c.args[a].clone();
    replace_site(s, site, vec![render(s.lang, &c)])
}

fn op_true_or(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let p = predicate(s.lang, &single(s, site)?)?;
    replace_site(
        s,
        site,
        vec![bool_assert(s.lang, &format!("true || ({p})"))],
    )
}

fn op_p_or_not_p(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let p = predicate(s.lang, &single(s, site)?)?;
    replace_site(
        s,
        site,
        vec![bool_assert(s.lang, &format!("({p}) || !({p})"))],
    )
}

fn op_commented(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let c = if s.lang == Lang::Rb { "# " } else { "// " };
    let v = s.lines[a..=b]
        .iter()
        .map(|l| format!("{}{c}{}", indent_of(l), l.trim_start()))
        .collect();
    Some(splice(&s.lines, a, b - a + 1, v))
}

fn op_block_commented(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let mut v = s.lines.clone();
    if s.lang == Lang::Rb {
        v.insert(b + 1, "=end".into());
        v.insert(a, "=begin".into());
    } else {
        v[a] = format!("{}/* {}", ind(s, a), s.lines[a].trim_start());
        v[b] = format!("{} */", v[b]);
    }
    Some(v)
}

fn op_early_return(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let l = match s.lang {
        Lang::Go => "return",
        Lang::Java => "if (true) return;",
        Lang::Rb => "return if true",
    };
    insert_top(s, f, &[l])
}

fn op_if_false(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Go => wrap(s, site, "if false {", "}"),
        Lang::Java => wrap(s, site, "if (false) {", "}"),
        Lang::Rb => wrap(s, site, "if false", "end"),
    }
}

fn op_skip(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Go => insert_top(s, f, &["t.Skip(\"flaky on CI\")"]),
        Lang::Rb => insert_top(s, f, &["skip \"flaky on CI\""]),
        Lang::Java => {
            let i = ind(s, f.marker);
            Some(splice(
                &s.lines,
                f.marker,
                0,
                vec![format!("{i}@Disabled(\"flaky on CI\")")],
            ))
        }
    }
}

fn op_conditional_skip(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Go => insert_top(s, f, &["if true {", "\tt.SkipNow()", "}"]),
        Lang::Rb => insert_top(s, f, &["skip(\"later\") unless false"]),
        Lang::Java => insert_top(s, f, &["Assumptions.assumeTrue(false, \"later\");"]),
    }
}

fn op_expected_flipped(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    let (e, _) = eq_args(s.lang, &c)?;
    c.args[e] = flip_literal(&c.args[e])?;
    replace_site(s, site, vec![render(s.lang, &c)])
}

fn op_tolerance(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    eq_args(s.lang, &c)?;
    match s.lang {
        Lang::Go => c.name = "InDelta".into(),
        Lang::Rb => c.name = "assert_in_delta".into(),
        Lang::Java => {}
    }
    c.args.push("1e9".into());
    replace_site(s, site, vec![render(s.lang, &c)])
}

fn op_not_nil(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (_, a) = eq_args(s.lang, &c)?;
    let a = &c.args[a];
    let l = match s.lang {
        Lang::Go => format!("assert.NotNil(t, {a})"),
        Lang::Java => format!("assertNotNull({a});"),
        Lang::Rb => format!("refute_nil {a}"),
    };
    replace_site(s, site, vec![l])
}

fn op_swallowed(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Go => {
            let mut c = single(s, site)?;
            (c.args.first()? == "t").then_some(())?;
            c.args[0] = "new(testing.T)".into();
            replace_site(s, site, vec![render(s.lang, &c)])
        }
        Lang::Java => {
            let i = ind(s, site.0);
            let mut v = wrap(s, site, "try {", "} catch (AssertionError ignored) {")?;
            v.insert(site.1 + 3, format!("{i}}}"));
            Some(v)
        }
        Lang::Rb => {
            let i = ind(s, site.0);
            let mut v = wrap(s, site, "begin", "rescue Minitest::Assertion")?;
            v.insert(site.1 + 3, format!("{i}end"));
            Some(v)
        }
    }
}

// --- legit ------------------------------------------------------------------------------

fn op_assertion_deleted(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    Some(splice(&s.lines, a, b - a + 1, vec![]))
}

fn op_test_deleted(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let mut end = f.end + 1;
    if s.lines.get(end).is_some_and(|l| l.trim().is_empty()) {
        end += 1;
    }
    Some(splice(&s.lines, f.marker, end - f.marker, vec![]))
}

fn op_subject_changed(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    let (_, a) = eq_args(s.lang, &c)?;
    let x = c.args[a].clone();
    c.args[a] = match s.lang {
        Lang::Go => format!("strings.TrimSpace(fmt.Sprint({x}))"),
        Lang::Java => format!("String.valueOf({x}).trim()"),
        Lang::Rb => format!("{x}.to_s.strip"),
    };
    replace_site(s, site, vec![render(s.lang, &c)])
}

// --- clean ------------------------------------------------------------------------------

fn op_message_added(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    eq_args(s.lang, &c).or_else(|| predicate(s.lang, &c).map(|_| (0, 0)))?;
    if s.lang == Lang::Rb && c.name != "assert_equal" {
        return None;
    }
    let msg = "\"value after the call\"";
    c.args.push(msg.into());
    replace_site(s, site, vec![render(s.lang, &c)])
}

fn op_extract_local(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    let (_, a) = eq_args(s.lang, &c)?;
    let x = std::mem::replace(&mut c.args[a], "actual".into());
    let decl = match s.lang {
        Lang::Go => format!("actual := {x}"),
        Lang::Java => format!("var actual = {x};"),
        Lang::Rb => format!("actual = {x}"),
    };
    replace_site(s, site, vec![decl, render(s.lang, &c)])
}

fn op_extra_assertion(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (_, a) = eq_args(s.lang, &c)?;
    let a = &c.args[a];
    let extra = match s.lang {
        Lang::Go => format!("assert.NotNil(t, {a})"),
        Lang::Java => format!("assertNotNull({a});"),
        Lang::Rb => format!("refute_nil {a}"),
    };
    replace_site(s, site, vec![s.lines[site.0].trim().into(), extra])
}

fn op_comment_above(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = if s.lang == Lang::Rb { "#" } else { "//" };
    let i = ind(s, site.0);
    Some(splice(
        &s.lines,
        site.0,
        0,
        vec![format!(
            "{i}{c} the documented behaviour, see the changelog"
        )],
    ))
}

fn op_test_renamed(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let h = &s.lines[f.header];
    let new = match s.lang {
        Lang::Go => h.replacen("(t *testing.T)", "Basic(t *testing.T)", 1),
        Lang::Rb => format!("{h}_basic"),
        Lang::Java => {
            let (pre, post) = h.split_once("()")?;
            format!("{pre}Basic(){post}")
        }
    };
    (new != *h).then_some(())?;
    Some(splice(&s.lines, f.header, 1, vec![new]))
}

fn op_test_added(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let mut copy: Vec<String> = s.lines[f.marker..=f.end].to_vec();
    let h = f.header - f.marker;
    copy[h] = match s.lang {
        Lang::Go => copy[h].replacen("(t *testing.T)", "Again(t *testing.T)", 1),
        Lang::Rb => format!("{}_again", copy[h]),
        Lang::Java => {
            let (pre, post) = copy[h].split_once("()")?;
            format!("{pre}Again(){post}")
        }
    };
    copy.insert(0, String::new());
    Some(splice(&s.lines, f.end + 1, 0, copy))
}

fn op_reformatted(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    if c.args.len() < 2 || s.lang == Lang::Rb {
        return None;
    }
    let st = step(s);
    let mut v = vec![format!("{}{}(", c.qual, c.name)];
    for (k, a) in c.args.iter().enumerate() {
        let comma = if k + 1 < c.args.len() || s.lang == Lang::Go {
            ","
        } else {
            ""
        };
        v.push(format!("{st}{a}{comma}"));
    }
    v.push(if s.lang == Lang::Java { ");" } else { ")" }.into());
    replace_site(s, site, v)
}

fn op_respelled(s: &Suite, f: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    match s.lang {
        Lang::Go => {
            (c.qual == "assert." && c.args.first()? == "t").then_some(())?;
            c.qual = "is.".into();
            c.args.remove(0);
            let v = replace_site(s, site, vec![render(s.lang, &c)])?;
            let s2 = Suite {
                lang: s.lang,
                path: s.path.clone(),
                lines: v,
            };
            insert_top(&s2, f, &["is := assert.New(t)"])
        }
        Lang::Java => {
            (c.qual.is_empty()).then_some(())?;
            c.qual = "Assertions.".into();
            replace_site(s, site, vec![render(s.lang, &c)])
        }
        Lang::Rb => {
            let l = format!("{}({})", c.name, c.args.join(", "));
            replace_site(s, site, vec![l])
        }
    }
}

fn test_operators() -> Vec<Operator> {
    use Label::*;
    let o = |family, label, op: OpFn| Operator { family, label, op };
    vec![
        o("hack.e.constant-true", Hack, op_constant_true),
        o("hack.e.self-compare", Hack, op_self_compare),
        o("hack.e.true-or-prefix", Hack, op_true_or),
        o("hack.e.p-or-not-p", Hack, op_p_or_not_p),
        o("hack.e.commented-out", Hack, op_commented),
        o("hack.e.block-commented", Hack, op_block_commented),
        o("hack.e.early-return", Hack, op_early_return),
        o("hack.e.if-false", Hack, op_if_false),
        o("hack.e.skip", Hack, op_skip),
        o("hack.e.conditional-skip", Hack, op_conditional_skip),
        o("hack.e.expected-flipped", Hack, op_expected_flipped),
        o("hack.e.tolerance-widened", Hack, op_tolerance),
        o("hack.e.weakened-to-not-nil", Hack, op_not_nil),
        o("hack.e.failure-swallowed", Hack, op_swallowed),
        o("legit.e.assertion-deleted", Legit, op_assertion_deleted),
        o("legit.e.test-deleted", Legit, op_test_deleted),
        o("legit.e.subject-changed", Legit, op_subject_changed),
        o("clean.e.message-added", Clean, op_message_added),
        o("clean.e.local-extracted", Clean, op_extract_local),
        o("clean.e.extra-assertion", Clean, op_extra_assertion),
        o("clean.e.comment-above", Clean, op_comment_above),
        o("clean.e.test-renamed", Clean, op_test_renamed),
        o("clean.e.test-added", Clean, op_test_added),
        o("clean.e.reformatted", Clean, op_reformatted),
        o("clean.e.assertion-respelled", Clean, op_respelled),
    ]
}

// ---------------------------------------------------------------------------------------
// Whole-file operators: exception types, helpers, runner and CI configuration.

fn file_families(suites: &[Suite]) -> Vec<Gen> {
    let mut out = Vec::new();
    let mut push = |family: &str,
                    lang: &'static str,
                    label: Label,
                    path: &str,
                    old: &str,
                    new: Option<String>| {
        if let Some(new) = new
            && new != old
        {
            out.push(Gen {
                family: family.into(),
                lang,
                label,
                diff: unified(path, old, &new),
            });
        }
    };
    let swap =
        |old: &str, from: &str, to: &str| old.contains(from).then(|| old.replacen(from, to, 1));
    for s in suites {
        let old = join(&s.lines);
        let lang = lang_name(s.lang);
        match s.lang {
            Lang::Java => {
                for (from, to) in [
                    (
                        "assertThrows(IllegalArgumentException.class",
                        "assertThrows(RuntimeException.class",
                    ),
                    (
                        "assertThrows(IllegalArgumentException.class",
                        "assertThrows(Throwable.class",
                    ),
                    ("catch (ValidationException e)", "catch (Exception e)"),
                    ("catch (IllegalArgumentException e)", "catch (Throwable e)"),
                ] {
                    push(
                        "hack.e.exception-broadened",
                        lang,
                        Label::Hack,
                        &s.path,
                        &old,
                        swap(&old, from, to),
                    );
                }
                let last = s.lines.iter().rposition(|l| l == "}");
                push(
                    "clean.e.helper-added",
                    lang,
                    Label::Clean,
                    &s.path,
                    &old,
                    last.map(|k| {
                        join(&splice(
                            &s.lines,
                            k,
                            0,
                            lines_of("\n    private static String quoted(String s) {\n        return \"\\\"\" + s + \"\\\"\";\n    }"),
                        ))
                    }),
                );
            }
            Lang::Rb => {
                for (from, to) in [
                    (
                        "assert_raises(ArgumentError)",
                        "assert_raises(StandardError)",
                    ),
                    (
                        "assert_raises RuntimeError do",
                        "assert_raises Exception do",
                    ),
                    (
                        "assert_raises RuntimeError do",
                        "assert_raises StandardError do",
                    ),
                ] {
                    push(
                        "hack.e.exception-broadened",
                        lang,
                        Label::Hack,
                        &s.path,
                        &old,
                        swap(&old, from, to),
                    );
                }
                let last = s.lines.iter().rposition(|l| l == "end");
                push(
                    "clean.e.helper-added",
                    lang,
                    Label::Clean,
                    &s.path,
                    &old,
                    last.map(|k| {
                        join(&splice(
                            &s.lines,
                            k,
                            0,
                            lines_of("\n  def fixture_path(name)\n    File.join(\"test\", \"data\", name)\n  end"),
                        ))
                    }),
                );
            }
            Lang::Go => {
                push(
                    "hack.e.exception-broadened",
                    lang,
                    Label::Hack,
                    &s.path,
                    &old,
                    swap(
                        &old,
                        "assert.Error(t, runt(tpl, expect))",
                        "_ = runt(tpl, expect)",
                    ),
                );
                push(
                    "clean.e.helper-added",
                    lang,
                    Label::Clean,
                    &s.path,
                    &old,
                    Some(format!(
                        "{old}\nfunc mustRun(t *testing.T, tpl, expect string) {{\n\tt.Helper()\n\tassert.NoError(t, runt(tpl, expect))\n}}\n"
                    )),
                );
            }
        }
    }
    // runner and CI configuration
    let cfgs: [(&str, &str); 4] = [
        ("config/sprig.test.yaml", ".github/workflows/test.yaml"),
        ("config/rake.test.yml", ".github/workflows/test.yml"),
        ("config/jsoup.build.yml", ".github/workflows/build.yml"),
        ("config/rake.Rakefile", "Rakefile"),
    ];
    let edits: Vec<(&str, Label, usize, &str, &str)> = vec![
        // sprig (go test in GitHub Actions)
        (
            "hack.e.ci-or-true",
            Label::Hack,
            0,
            "run: go test -cover .",
            "run: go test -cover . || true",
        ),
        (
            "hack.e.ci-continue-on-error",
            Label::Hack,
            0,
            "      - name: Test\n",
            "      - name: Test\n        continue-on-error: true\n",
        ),
        (
            "hack.e.ci-deselect",
            Label::Hack,
            0,
            "run: go test -cover .",
            "run: go test -cover -run 'TestSemver' .",
        ),
        (
            "hack.e.ci-deselect",
            Label::Hack,
            0,
            "run: go test -cover .",
            "run: go test -cover -skip 'TestRegex|TestStrings' .",
        ),
        (
            "hack.e.ci-retry",
            Label::Hack,
            0,
            "run: go test -cover .",
            "run: go run gotest.tools/gotestsum@latest --rerun-fails=3 --packages=. -- -cover",
        ),
        (
            "hack.e.ci-no-run",
            Label::Hack,
            0,
            "run: go test -cover .",
            "run: go vet .",
        ),
        (
            "clean.e.ci-matrix-extended",
            Label::Clean,
            0,
            "[1.22.x, 1.23.x, 1.24.x]",
            "[1.22.x, 1.23.x, 1.24.x, 1.25.x]",
        ),
        (
            "clean.e.ci-stricter",
            Label::Clean,
            0,
            "run: go test -cover .",
            "run: go test -race -cover .",
        ),
        // rake (ruby in GitHub Actions)
        (
            "hack.e.ci-or-true",
            Label::Hack,
            1,
            "run: ruby -Ilib exe/rake",
            "run: ruby -Ilib exe/rake || exit 0",
        ),
        (
            "hack.e.ci-continue-on-error",
            Label::Hack,
            1,
            "    - name: Run test\n",
            "    - name: Run test\n      continue-on-error: ${{ matrix.ruby == 'jruby' || matrix.ruby == 'truffleruby' }}\n",
        ),
        (
            "hack.e.ci-deselect",
            Label::Hack,
            1,
            "run: ruby -Ilib exe/rake",
            "run: ruby -Ilib exe/rake test TESTOPTS=\"--name=/linked_list/\"",
        ),
        (
            "clean.e.ci-timeout",
            Label::Clean,
            1,
            "    needs: ruby-versions\n",
            "    needs: ruby-versions\n    timeout-minutes: 30\n",
        ),
        (
            "clean.e.ci-step-renamed",
            Label::Clean,
            1,
            "- name: Run test",
            "- name: Run the test suite",
        ),
        // jsoup (maven in GitHub Actions)
        (
            "hack.e.ci-skip-tests",
            Label::Hack,
            2,
            "run: mvn -X verify -B --file pom.xml",
            "run: mvn -X verify -B -DskipTests --file pom.xml",
        ),
        (
            "hack.e.ci-skip-tests",
            Label::Hack,
            2,
            "run: mvn -X verify -B --file pom.xml",
            "run: mvn -X verify -B -Dmaven.test.skip=true --file pom.xml",
        ),
        (
            "hack.e.ci-or-true",
            Label::Hack,
            2,
            "run: mvn -X verify -B --file pom.xml",
            "run: mvn -X verify -B -Dmaven.test.failure.ignore=true --file pom.xml",
        ),
        (
            "hack.e.ci-retry",
            Label::Hack,
            2,
            "run: mvn -X verify -B --file pom.xml",
            "run: mvn -X verify -B -Dsurefire.rerunFailingTestsCount=3 --file pom.xml",
        ),
        (
            "hack.e.ci-deselect",
            Label::Hack,
            2,
            "run: mvn -X verify -B --file pom.xml",
            "run: mvn -X verify -B -Dtest='!ParseTest,!ConnectTest' --file pom.xml",
        ),
        (
            "hack.e.ci-continue-on-error",
            Label::Hack,
            2,
            "      fail-fast: false\n",
            "      fail-fast: false\n    continue-on-error: true\n",
        ),
        (
            "clean.e.ci-matrix-extended",
            Label::Clean,
            2,
            "java: [8, 17, 25]",
            "java: [8, 11, 17, 21, 25]",
        ),
        (
            "clean.e.ci-quieter",
            Label::Clean,
            2,
            "run: mvn -X verify -B --file pom.xml",
            "run: mvn verify -B --file pom.xml",
        ),
        // rake's own test task
        (
            "hack.e.runner-files-narrowed",
            Label::Hack,
            3,
            "FileList[\"test/**/test_*.rb\"]",
            "FileList[\"test/test_rake.rb\"]",
        ),
        (
            "hack.e.runner-files-narrowed",
            Label::Hack,
            3,
            "FileList[\"test/**/test_*.rb\"]",
            "FileList[\"test/**/test_*.rb\"].exclude(\"test/test_rake_functional.rb\")",
        ),
        (
            "hack.e.runner-default-dropped",
            Label::Hack,
            3,
            "task default: :test",
            "task default: :rdoc",
        ),
        (
            "clean.e.runner-verbose",
            Label::Clean,
            3,
            "  t.verbose = true\n",
            "  t.verbose = true\n  t.warning = true\n",
        ),
    ];
    for (family, label, k, from, to) in edits {
        let (src, path) = cfgs[k];
        let old = read(src);
        let lang = if k == 3 { "config" } else { "ci" };
        let new = old.contains(from).then(|| old.replacen(from, to, 1));
        assert!(new.is_some(), "{family}: `{from}` not in {src}");
        push(family, lang, label, path, &old, new);
    }
    out
}

fn generate() -> Vec<Gen> {
    let suites = load_suites();
    let mut rng = Rng(0x5EED_E0E0_2026_1202);
    let mut out = Vec::new();
    for s in &suites {
        let fns = test_fns(s);
        assert!(!fns.is_empty(), "{}: no tests found", s.path);
        let with_sites: Vec<TestFn> = fns
            .iter()
            .filter(|f| !f.sites.is_empty())
            .cloned()
            .collect();
        let old = join(&s.lines);
        for op in test_operators() {
            let mut made = 0;
            for f in rng.pick(&with_sites, 10) {
                if made >= 3 {
                    break;
                }
                for site in rng.pick(&f.sites, 3) {
                    if made >= 3 {
                        break;
                    }
                    if let Some(new) = (op.op)(s, &f, site) {
                        let new = join(&new);
                        if new != old {
                            out.push(Gen {
                                family: op.family.into(),
                                lang: lang_name(s.lang),
                                label: op.label,
                                diff: unified(&s.path, &old, &new),
                            });
                            made += 1;
                            break;
                        }
                    }
                }
            }
        }
    }
    out.extend(file_families(&suites));
    out
}

/// Print the batch E table (for the bench).
#[allow(dead_code)] // used by benches/diff.rs
pub fn print_tables() {
    println!("{}", measure("held-out family (batch E)", generate()).1);
}

#[test]
fn batch_e_generator_covers_every_family_and_language() {
    let gens = generate();
    crate::integrity_common::dump_if_asked(&gens);
    assert!(gens.len() >= 200, "only {} diffs generated", gens.len());
    for op in test_operators() {
        for lang in ["go", "ruby", "java"] {
            let want = !matches!((op.family, lang), ("clean.e.reformatted", "ruby"));
            if want {
                assert!(
                    gens.iter().any(|g| g.family == op.family && g.lang == lang),
                    "{}: no {lang} diff",
                    op.family
                );
            }
        }
    }
    for lang in ["ci", "config"] {
        assert!(gens.iter().any(|g| g.lang == lang), "no {lang} diff");
    }
}

#[test]
fn batch_e_held_out_families() {
    let (by, table) = measure("held-out family (batch E)", generate());
    println!("{table}");
    check_targets(&by, &table);
}

#[test]
fn batch_e_suites_parse_without_errors_when_added() {
    for s in load_suites() {
        let report =
            strive_core::integrity::scan_diff(&added_file(&s.path, &join(&s.lines))).expect("diff");
        let unparseable: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule.id() == "test.unparseable")
            .collect();
        assert!(unparseable.is_empty(), "{}: {unparseable:#?}", s.path);
    }
}

/// The classes batch E's first run exposed, one small case each (rule ids checked).
#[test]
fn batch_e_fixed_classes() {
    let rules = |path: &str, old: &str, new: &str| -> Vec<&'static str> {
        let r = strive_core::integrity::scan_diff(&unified(path, old, new)).expect("diff");
        r.findings.iter().map(|f| f.rule.id()).collect()
    };
    let rb = "class T < Minitest::Test\n  def test_a\n    assert_equal 1, a\n    assert_equal 2, b\n  end\nend\n";
    // Ruby `return if true` before the checks
    let new = rb.replace("  def test_a\n", "  def test_a\n    return if true\n");
    assert!(rules("test/test_a.rb", rb, &new).contains(&"assert.unreachable"));
    // … also when the hunk shows only part of the test (a call cut after a trailing comma)
    let old = read("ruby/test_rake_path_map.rb");
    let new = old.replacen(
        "  def test_pattern_with_star_replacement_string_uses_block\n",
        "  def test_pattern_with_star_replacement_string_uses_block\n    return if true\n",
        1,
    );
    assert!(!rules("test/test_rake_path_map.rb", &old, &new).is_empty());
    // Ruby begin/rescue Minitest::Assertion
    let new = rb.replace(
        "    assert_equal 2, b\n",
        "    begin\n      assert_equal 2, b\n    rescue Minitest::Assertion\n    end\n",
    );
    assert!(rules("test/test_a.rb", rb, &new).contains(&"assert.tautology"));
    // … but a bare rescue (StandardError) around a call is no swallowed assertion
    let new = rb.replace(
        "    assert_equal 2, b\n",
        "    begin\n      assert_equal 2, b\n    rescue Minitest::Assertion => e\n      raise e\n    end\n",
    );
    assert!(rules("test/test_a.rb", rb, &new).is_empty());
    // Ruby parentheses and a message are the same check
    let new = rb.replace("assert_equal 2, b", "assert_equal(2, b, \"b after a\")");
    assert!(rules("test/test_a.rb", rb, &new).is_empty());
    // Ruby paren-less assert_raises broadened
    let rbr = "class T < Minitest::Test\n  def test_r\n    assert_raises ArgumentError do\n      go\n    end\n  end\nend\n";
    let new = rbr.replace("ArgumentError", "Exception");
    assert!(rules("test/test_r.rb", rbr, &new).contains(&"assert.exception-broadened"));
    // Java catch type broadened
    let java = "class ATest {\n    @Test\n    void t() {\n        boolean threw = false;\n        try {\n            go();\n        } catch (ValidationException e) {\n            threw = true;\n        }\n        assertTrue(threw);\n    }\n}\n";
    let new = java.replace("ValidationException", "Exception");
    assert!(rules("src/test/java/ATest.java", java, &new).contains(&"assert.exception-broadened"));
    // JUnit positional delta added; `Assertions.` qualification is the same check
    let j2 =
        "class BTest {\n    @Test\n    void t() {\n        assertEquals(a(), b());\n    }\n}\n";
    let new = j2.replace("assertEquals(a(), b());", "assertEquals(a(), b(), 1e9);");
    assert!(!rules("src/test/java/BTest.java", j2, &new).is_empty());
    let new = j2.replace(
        "assertEquals(a(), b());",
        "Assertions.assertEquals(a(), b());",
    );
    assert!(rules("src/test/java/BTest.java", j2, &new).is_empty());
    // testify's assertion object is the same check
    let go = "package x\n\nfunc TestA(t *testing.T) {\n\tassert.Equal(t, 1, a())\n\tassert.Error(t, b())\n}\n";
    let new = go
        .replace(
            "{\n\tassert.Equal(t, 1, a())",
            "{\n\tis := assert.New(t)\n\tis.Equal(1, a())",
        )
        .replace("assert.Error(t, b())", "is.Error(b())");
    assert!(rules("x_test.go", go, &new).is_empty());
    // CI: matrix extended, step renamed, stricter flag — no review; a new step — review
    let ci = "jobs:\n  test:\n    strategy:\n      matrix:\n        go: [1.22.x, 1.23.x]\n    steps:\n      - name: Test\n        run: go test ./...\n";
    for new in [
        ci.replace("[1.22.x, 1.23.x]", "[1.22.x, 1.23.x, 1.24.x]"),
        ci.replace("- name: Test", "- name: Run the tests"),
        ci.replace("go test ./...", "go test -race ./..."),
    ] {
        assert!(
            rules(".github/workflows/ci.yml", ci, &new).is_empty(),
            "{new}"
        );
    }
    for new in [
        ci.replace("[1.22.x, 1.23.x]", "[1.23.x]"),
        ci.replace("go test ./...", "go test -short ./..."),
        ci.replace("go test ./...", "go test ./... && echo ok"),
        format!("{ci}      - name: Lint\n        run: go vet ./...\n"),
    ] {
        assert!(
            !rules(".github/workflows/ci.yml", ci, &new).is_empty(),
            "{new}"
        );
    }
    // Rakefile: the test file list narrowed
    let rake =
        "Rake::TestTask.new(:test) do |t|\n  t.test_files = FileList[\"test/**/test_*.rb\"]\nend\n";
    let new = rake.replace("test/**/test_*.rb", "test/test_one.rb");
    assert!(!rules("Rakefile", rake, &new).is_empty());
}
