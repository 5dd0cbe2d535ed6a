//! Held-out batch F of the mutation generator: three real suites in frameworks no earlier
//! batch covered — Python `unittest.TestCase` style (`simplejson/simplejson`: `self.assertEqual`,
//! `self.assertRaises(E, f, …)`, try/except/else oracles), Java with AssertJ and MockMvc
//! (`spring-projects/spring-petclinic`: `assertThat(x).isEqualTo(y)`, tab-indented), C# xUnit
//! with Shouldly (`jbogard/MediatR`: `x.ShouldBe(y)`, `Should.ThrowAsync<E>`, Allman braces) —
//! a syrupy amber snapshot file as oracle (`syrupy-project/syrupy`), and runner/CI
//! configuration: simplejson's unittest loader and cibuildwheel workflow, syrupy's
//! `[tool.pytest.ini_options]`, petclinic's Maven/Gradle workflows, `build.gradle` and
//! `pom.xml`, MediatR's workflow and `Build.ps1`; see `tests/fixtures/suites/PROVENANCE.md`.
//!
//! Every operator spelling is new (none is used by batches A–E): tautologies (`assertTrue(1)`,
//! `assertThat(true).isTrue()`, `true.ShouldBeTrue()`, `P or True`, literal orderings like
//! `assertThat(1).isLessThan(2)`), the subject overwritten with the expected value right before
//! the check, assertions commented out (`#~`, `//-`, `///`, a `'''` string, a `/*` … `*/` pair
//! on their own lines, C# `#if false`), early returns behind constant comparisons, checks
//! guarded by `if 0:` / `if (1 > 2)` / `if (0 != 0)`, skips (`@unittest.skipUnless(False, …)`,
//! `raise unittest.SkipTest`, `@DisabledIfEnvironmentVariable`, AssertJ `assumeThat(false)`,
//! `[Fact(Skip = …)]`, `Assert.Skip`), flipped expected values (also `hasSize(n)`), widened
//! tolerances (`delta=`, `isCloseTo(…, offset(…))`, Shouldly's tolerance argument), exact checks
//! weakened to non-null or type-only checks, failures swallowed (`except
//! self.failureException`, AssertJ `new SoftAssertions()` never asserted, `catch
//! (ShouldAssertException)`), exception types broadened, snapshot values flipped, and runner/CI
//! settings (loader filter narrowed, `SystemExit(0)`, doctests dropped, syrupy
//! `--snapshot-update`, `--ignore-glob`, coverage `exclude_lines` widened, Maven
//! `--fail-never` / `-Dmaven.test.skip.exec` / `-Dtest=` / failsafe reruns / surefire
//! `testFailureIgnore`, Gradle `-x test` / `assemble` / `ignoreFailures` / test-retry / test
//! excludes, `dotnet test` outside psake's `exec` / `--filter`, a pipe into `tee`,
//! `CIBW_TEST_SKIP`, pwsh `try { } catch { }`). Legit review-worthy edits: an assertion deleted,
//! a test deleted, an assertion's subject changed, a snapshot line removed. Clean edits:
//! messages (`msg=`, AssertJ `.as(…)`, Shouldly's custom message), locals extracted, extra
//! assertions, comments, renamed and added tests, reformatted chains, respelled assertions
//! (operands swapped, BDD `then(…)`, Shouldly → `Assert.Equal`), strengthened checks, new
//! snapshots, and harmless CI/build edits.
//!
//! Protocol: written and committed before the scanner saw any of it, then run once untuned
//! to take the first-run figures (docs/integrity.md, "held-out batch F"; the full per-operator
//! table is `tests/fixtures/suites/heldout-f/FIRST_RUN_F.txt`); the scanner was then fixed by
//! class and the test asserts the targets. Figures per operator with `-- --nocapture`.
//!
//! First run (held out, untuned; 543 diffs): hacks 247/316 (78.2%), legit edits flagged
//! 53/59 (89.8%), clean passed 151/168 (89.9%). Operators below 100% on that run (right/n):
//! hacks — C# `#if false` 0/6, C# `///` 2/6, Java `/*` … `*/` lines 4/6, Python `'''` 9/10,
//! C# `true.ShouldBeTrue()` 3/6, C# `1.ShouldBeLessThan(2)` 2/6, C# `(P || true)` 2/3, C#
//! `if (0 != 0)` 0/6, Java `if (1 > 2)` 4/6, C# `Assert.Skip` 0/6, subject overwritten before
//! the check (Python 0/3, C# 0/1), swallowed (Python `except self.failureException` 1/10, C#
//! `catch (ShouldAssertException)` 0/6), C# `ThrowAsync<Exception>` 0/1 and `NotThrowAsync`
//! 0/1; runner/build — doctests dropped from the loader 0/1, syrupy `--snapshot-update` 0/1,
//! every Gradle `build.gradle` (4) and Maven `pom.xml` (4) edit 0, every psake `Build.ps1` edit
//! (3) 0; legit — C# assertion deleted 3/6, C# subject changed 0/3; clean — C# message added
//! 2/3, Java `then(x)` 0/2, Python operands swapped 0/9, Java strengthened 1/2, Java test added
//! 5/6, CI matrix extended (YAML block list) 1/2, `-ntp` added 0/1, runner verbosity 0/1.
//! Every other operator was 100% on the first run.

use std::path::{Path, PathBuf};

#[allow(unused_imports)] // the tests' helpers are unused in benches/diff.rs
use crate::integrity_common::{
    Gen, Label, Rng, added_file, balanced, check_targets, indent_of, join, lines_of, measure,
    splice, split_top, unified,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    Py,
    Java,
    Cs,
}

struct Suite {
    lang: Lang,
    path: String,
    lines: Vec<String>,
}

#[derive(Clone, Debug)]
struct TestFn {
    /// First line of the test (decorator / annotation / attribute).
    marker: usize,
    /// The `def` / method signature line.
    header: usize,
    /// First line of the body.
    body: usize,
    /// Last line of the test (Java/C#: the closing brace; Python: the last body line).
    end: usize,
    sites: Vec<(usize, usize)>,
}

fn base() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites/heldout-f")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(base().join(rel)).expect("batch F fixture")
}

fn load_suites() -> Vec<Suite> {
    let mut out = Vec::new();
    for (dir, lang, prefix) in [
        ("python", Lang::Py, "simplejson/tests/"),
        (
            "java",
            Lang::Java,
            "src/test/java/org/springframework/samples/petclinic/",
        ),
        ("csharp", Lang::Cs, "test/MediatR.Tests/"),
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
        Lang::Py => "python",
        Lang::Java => "java",
        Lang::Cs => "csharp",
    }
}

fn is_assert_start(lang: Lang, t: &str) -> bool {
    match lang {
        Lang::Py => t.starts_with("self.assert") || t.starts_with("self.fail("),
        Lang::Java => {
            t.starts_with("assertThat(")
                || t.starts_with("assertTrue(")
                || t.starts_with("assertFalse(")
                || (t.starts_with("mockMvc") && !t.contains('='))
        }
        Lang::Cs => {
            !t.starts_with("//")
                && !t.contains(" = ")
                && !t.starts_with("var ")
                && (t.contains(".Should")
                    || t.starts_with("Should.")
                    || t.starts_with("await Should."))
        }
    }
}

fn step(lang: Lang) -> &'static str {
    match lang {
        Lang::Py => "    ",
        Lang::Java => "\t",
        Lang::Cs => "    ",
    }
}

fn test_fns(s: &Suite) -> Vec<TestFn> {
    let l = &s.lines;
    let mut out = Vec::new();
    for i in 0..l.len() {
        let t = l[i].trim();
        let ind = indent_of(&l[i]).to_string();
        let (marker, header, body, end) = match s.lang {
            Lang::Py => {
                if !(t.starts_with("def test_") && t.ends_with(':')) {
                    continue;
                }
                let mut marker = i;
                while marker > 0 && l[marker - 1].trim_start().starts_with('@') {
                    marker -= 1;
                }
                let stop = (i + 1..l.len())
                    .find(|&k| !l[k].trim().is_empty() && indent_of(&l[k]).len() <= ind.len())
                    .unwrap_or(l.len());
                let mut end = stop - 1;
                while end > i && l[end].trim().is_empty() {
                    end -= 1;
                }
                (marker, i, i + 1, end)
            }
            Lang::Java => {
                if t != "@Test" {
                    continue;
                }
                let Some(h) = (i + 1..l.len().min(i + 4))
                    .find(|&k| l[k].contains("void ") && l[k].trim_end().ends_with('{'))
                else {
                    continue;
                };
                let hind = indent_of(&l[h]).to_string();
                let Some(end) = (h + 1..l.len()).find(|&k| l[k] == format!("{hind}}}")) else {
                    continue;
                };
                (i, h, h + 1, end)
            }
            Lang::Cs => {
                if !(t == "[Fact]" || t == "[Theory]") {
                    continue;
                }
                let h = i + 1;
                if h + 1 >= l.len()
                    || !l[h].contains("public ")
                    || l[h].contains("=>")
                    || l[h + 1].trim() != "{"
                {
                    continue;
                }
                let hind = indent_of(&l[h]).to_string();
                let Some(end) = (h + 2..l.len()).find(|&k| l[k] == format!("{hind}}}")) else {
                    continue;
                };
                (i, h, h + 2, end)
            }
        };
        let mut sites = Vec::new();
        let mut k = body;
        while k <= end {
            let t = l[k].trim();
            if is_assert_start(s.lang, t) {
                let mut acc = String::new();
                let stop = (k..=end).find(|&j| {
                    acc.push_str(l[j].trim());
                    acc.push(' ');
                    balanced(&acc) && (s.lang == Lang::Py || l[j].trim_end().ends_with(';'))
                });
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
            header,
            body,
            end,
            sites,
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// One single-line check, taken apart.

#[derive(Clone, Debug)]
struct Check {
    /// Java: the `assertThat(…)` subject; C#: the receiver of `.Should…`; Python: unused.
    subj: String,
    /// Python: `assertEqual`; Java: the matcher (`isEqualTo`) or JUnit call (`assertTrue`,
    /// then `subj` is empty); C#: the Shouldly method.
    name: String,
    args: Vec<String>,
}

fn matching_close(s: &str, open: usize) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
        } else {
            match c {
                b'"' | b'\'' => quote = Some(c),
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

fn parse_check(lang: Lang, t: &str) -> Option<Check> {
    if !balanced(t) || t.contains("//") || t.contains(" # ") {
        return None;
    }
    match lang {
        Lang::Py => {
            let rest = t.strip_prefix("self.")?;
            let (name, _) = rest.split_once('(')?;
            let open = t.find('(')?;
            let close = matching_close(t, open)?;
            (close == t.len() - 1).then_some(())?;
            Some(Check {
                subj: String::new(),
                name: name.into(),
                args: split_top(&t[open + 1..close], b','),
            })
        }
        Lang::Java => {
            let t = t.strip_suffix(';')?;
            if let Some(r) = t.strip_prefix("assertThat(") {
                let _ = r;
                let open = "assertThat".len();
                let close = matching_close(t, open)?;
                let rest = &t[close + 1..];
                let rest = rest.strip_prefix('.')?;
                let (name, _) = rest.split_once('(')?;
                if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return None;
                }
                let o2 = close + 1 + 1 + name.len();
                let c2 = matching_close(t, o2)?;
                (c2 == t.len() - 1).then_some(())?;
                Some(Check {
                    subj: t[open + 1..close].to_string(),
                    name: name.into(),
                    args: split_top(&t[o2 + 1..c2], b',')
                        .into_iter()
                        .filter(|a| !a.is_empty())
                        .collect(),
                })
            } else {
                let (name, _) = t.split_once('(')?;
                if !name.starts_with("assert") {
                    return None;
                }
                let close = matching_close(t, name.len())?;
                (close == t.len() - 1).then_some(())?;
                Some(Check {
                    subj: String::new(),
                    name: name.into(),
                    args: split_top(&t[name.len() + 1..close], b','),
                })
            }
        }
        Lang::Cs => {
            let t = t.strip_suffix(';')?;
            if t.starts_with("await ") || t.starts_with("Should.") {
                return None;
            }
            let at = t.rfind(".Should")?;
            let subj = &t[..at];
            if !balanced(subj) || subj.is_empty() {
                return None;
            }
            let rest = &t[at + 1..];
            let n = rest.find('(')?;
            let name = &rest[..n];
            if !name.chars().all(|c| c.is_ascii_alphanumeric()) {
                return None;
            }
            let open = at + 1 + n;
            let close = matching_close(t, open)?;
            (close == t.len() - 1).then_some(())?;
            Some(Check {
                subj: subj.into(),
                name: name.into(),
                args: split_top(&t[open + 1..close], b',')
                    .into_iter()
                    .filter(|a| !a.is_empty())
                    .collect(),
            })
        }
    }
}

fn render(lang: Lang, c: &Check) -> String {
    let a = c.args.join(", ");
    match lang {
        Lang::Py => format!("self.{}({a})", c.name),
        Lang::Java if c.subj.is_empty() => format!("{}({a});", c.name),
        Lang::Java => format!("assertThat({}).{}({a});", c.subj, c.name),
        Lang::Cs => format!("{}.{}({a});", c.subj, c.name),
    }
}

/// (actual, expected) of an equality check.
fn eq_parts(lang: Lang, c: &Check) -> Option<(String, String)> {
    match lang {
        Lang::Py if c.name == "assertEqual" && c.args.len() == 2 => {
            Some((c.args[0].clone(), c.args[1].clone()))
        }
        Lang::Java if c.name == "isEqualTo" && c.args.len() == 1 && !c.subj.is_empty() => {
            Some((c.subj.clone(), c.args[0].clone()))
        }
        Lang::Cs if c.name == "ShouldBe" && c.args.len() == 1 => {
            Some((c.subj.clone(), c.args[0].clone()))
        }
        _ => None,
    }
}

/// The check as one boolean predicate, when it has one.
fn predicate(lang: Lang, c: &Check) -> Option<String> {
    if let Some((a, e)) = eq_parts(lang, c) {
        return Some(match lang {
            Lang::Py => format!("{a} == {e}"),
            Lang::Java => format!("java.util.Objects.equals({a}, {e})"),
            Lang::Cs => format!("Equals({a}, {e})"),
        });
    }
    match (lang, c.name.as_str()) {
        (Lang::Py, "assertTrue") if c.args.len() == 1 => Some(c.args[0].clone()),
        (Lang::Java, "assertTrue") if c.subj.is_empty() && c.args.len() == 1 => {
            Some(c.args[0].clone())
        }
        (Lang::Java, "isTrue") => Some(c.subj.clone()),
        (Lang::Cs, "ShouldBeTrue") => Some(c.subj.clone()),
        (Lang::Cs, "ShouldBeFalse") => Some(format!("!({})", c.subj)),
        _ => None,
    }
}

fn bool_assert(lang: Lang, p: &str) -> String {
    match lang {
        Lang::Py => format!("self.assertTrue({p})"),
        Lang::Java => format!("assertThat({p}).isTrue();"),
        Lang::Cs => format!("({p}).ShouldBeTrue();"),
    }
}

fn ind(s: &Suite, at: usize) -> String {
    indent_of(&s.lines[at]).to_string()
}

fn single(s: &Suite, (a, b): (usize, usize)) -> Option<Check> {
    (a == b).then_some(())?;
    parse_check(s.lang, s.lines[a].trim())
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

/// The site's lines, each moved one step in, between `open` and `close` lines.
fn wrap(s: &Suite, (a, b): (usize, usize), open: &[&str], close: &[&str]) -> Option<Vec<String>> {
    let i = ind(s, a);
    let st = step(s.lang);
    let mut v: Vec<String> = open.iter().map(|o| format!("{i}{o}")).collect();
    v.extend(s.lines[a..=b].iter().map(|l| format!("{st}{l}")));
    v.extend(close.iter().map(|c| format!("{i}{c}")));
    Some(splice(&s.lines, a, b - a + 1, v))
}

fn insert_top(s: &Suite, f: &TestFn, new: &[&str]) -> Option<Vec<String>> {
    let i = (f.body..=f.end)
        .find(|&k| !s.lines[k].trim().is_empty())
        .map_or_else(|| ind(s, f.header) + step(s.lang), |k| ind(s, k));
    Some(splice(
        &s.lines,
        f.body,
        0,
        new.iter().map(|l| format!("{i}{l}")).collect(),
    ))
}

fn flip_literal(v: &str) -> Option<String> {
    let v = v.trim();
    for q in ['"', '\''] {
        if let Some(inner) = v.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            if inner.contains(q) {
                return None;
            }
            return Some(if inner.is_empty() {
                format!("{q}?{q}")
            } else {
                format!("{q}{inner}?{q}")
            });
        }
    }
    if let Ok(n) = v.parse::<i64>() {
        return Some((n + 2).to_string());
    }
    match v {
        "true" => Some("false".into()),
        "false" => Some("true".into()),
        "True" => Some("False".into()),
        "False" => Some("True".into()),
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
        Lang::Py => "self.assertTrue(1)",
        Lang::Java => "assertThat(true).isTrue();",
        Lang::Cs => "true.ShouldBeTrue();",
    };
    replace_site(s, site, vec![l.into()])
}

fn op_self_compare(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (a, _) = eq_parts(s.lang, &c)?;
    let l = match s.lang {
        Lang::Py => format!("self.assertEqual({a}, {a})"),
        Lang::Java => format!("assertThat({a}).isEqualTo({a});"),
        Lang::Cs => format!("{a}.ShouldBe({a});"),
    };
    replace_site(s, site, vec![l])
}

fn op_or_true(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let p = predicate(s.lang, &single(s, site)?)?;
    let q = match s.lang {
        Lang::Py => format!("{p} or True"),
        _ => format!("{p} || true"),
    };
    replace_site(s, site, vec![bool_assert(s.lang, &q)])
}

fn op_literal_ordering(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let l = match s.lang {
        Lang::Py => "self.assertLess(0, 1)",
        Lang::Java => "assertThat(1).isLessThan(2);",
        Lang::Cs => "1.ShouldBeLessThan(2);",
    };
    replace_site(s, site, vec![l.into()])
}

fn op_subject_overwritten(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (a, e) = eq_parts(s.lang, &c)?;
    if !a.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_') {
        return None;
    }
    let assign = match s.lang {
        Lang::Py => format!("{a} = {e}"),
        _ => format!("{a} = {e};"),
    };
    replace_site(s, site, vec![assign, s.lines[site.0].trim().into()])
}

fn op_commented_line(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let c = match s.lang {
        Lang::Py => "#~ ",
        Lang::Java => "//- ",
        Lang::Cs => "/// ",
    };
    let v = s.lines[a..=b]
        .iter()
        .map(|l| format!("{}{c}{}", indent_of(l), l.trim_start()))
        .collect();
    Some(splice(&s.lines, a, b - a + 1, v))
}

fn op_commented_block(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let i = ind(s, a);
    let (open, close) = match s.lang {
        Lang::Py => ("'''", "'''"),
        Lang::Java => ("/*", "*/"),
        Lang::Cs => ("#if false", "#endif"),
    };
    let mut v = s.lines.clone();
    v.insert(b + 1, format!("{i}{close}"));
    v.insert(a, format!("{i}{open}"));
    Some(v)
}

fn op_early_return(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let l = match s.lang {
        Lang::Py => "return  # not ready yet",
        Lang::Java => "if (1 < 2) { return; }",
        Lang::Cs => "if (1 == 1) return;",
    };
    insert_top(s, f, &[l])
}

fn op_guarded_out(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => wrap(s, site, &["if 0:"], &[]),
        Lang::Java => wrap(s, site, &["if (1 > 2) {"], &["}"]),
        Lang::Cs => wrap(s, site, &["if (0 != 0)", "{"], &["}"]),
    }
}

fn op_skip_marker(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let i = ind(s, f.marker);
    match s.lang {
        Lang::Py => Some(splice(
            &s.lines,
            f.marker,
            0,
            vec![format!("{i}@unittest.skipUnless(False, \"later\")")],
        )),
        Lang::Java => Some(splice(
            &s.lines,
            f.marker,
            0,
            vec![format!(
                "{i}@DisabledIfEnvironmentVariable(named = \"CI\", matches = \"true\")"
            )],
        )),
        Lang::Cs => {
            let t = s.lines[f.marker].trim();
            let attr = t.strip_prefix('[')?.strip_suffix(']')?;
            Some(splice(
                &s.lines,
                f.marker,
                1,
                vec![format!("{i}[{attr}(Skip = \"waiting on a fix\")]")],
            ))
        }
    }
}

fn op_skip_in_body(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let l = match s.lang {
        Lang::Py => "raise unittest.SkipTest(\"later\")",
        Lang::Java => "assumeThat(false).isTrue();",
        Lang::Cs => "Assert.Skip(\"not on CI\");",
    };
    insert_top(s, f, &[l])
}

fn op_expected_flipped(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    let k = match (s.lang, c.name.as_str()) {
        (Lang::Py, "assertEqual") if c.args.len() == 2 => {
            if flip_literal(&c.args[1]).is_some() {
                1
            } else {
                0
            }
        }
        (Lang::Java, "isEqualTo" | "hasSize") if c.args.len() == 1 => 0,
        (Lang::Java, "assertEquals") if c.args.len() == 2 => 0,
        (Lang::Cs, "ShouldBe") if c.args.len() == 1 => 0,
        _ => return None,
    };
    c.args[k] = flip_literal(&c.args[k])?;
    replace_site(s, site, vec![render(s.lang, &c)])
}

fn op_tolerance(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (a, e) = eq_parts(s.lang, &c)?;
    let l = match s.lang {
        Lang::Py => format!("self.assertAlmostEqual({a}, {e}, delta=1e6)"),
        Lang::Java => format!("assertThat({a}).isCloseTo({e}, offset(1e6));"),
        Lang::Cs => format!("{a}.ShouldBe({e}, 1e6);"),
    };
    replace_site(s, site, vec![l])
}

fn op_not_null(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (a, _) = eq_parts(s.lang, &c)?;
    let l = match s.lang {
        Lang::Py => format!("self.assertIsNotNone({a})"),
        Lang::Java => format!("assertThat({a}).isNotNull();"),
        Lang::Cs => format!("{a}.ShouldNotBeNull();"),
    };
    replace_site(s, site, vec![l])
}

fn op_type_only(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (a, _) = eq_parts(s.lang, &c)?;
    let l = match s.lang {
        Lang::Py => format!("self.assertIsInstance({a}, object)"),
        Lang::Java => format!("assertThat({a}).isInstanceOf(Object.class);"),
        Lang::Cs => format!("{a}.ShouldBeAssignableTo<object>();"),
    };
    replace_site(s, site, vec![l])
}

fn op_swallowed(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => wrap(
            s,
            site,
            &["try:"],
            &["except self.failureException:", "    pass"],
        ),
        Lang::Java => {
            let l = s.lines[site.0].trim();
            l.starts_with("assertThat(").then_some(())?;
            let mut v = s.lines.clone();
            v[site.0] = format!("{}new SoftAssertions().{l}", ind(s, site.0));
            Some(v)
        }
        Lang::Cs => wrap(
            s,
            site,
            &["try", "{"],
            &["}", "catch (ShouldAssertException)", "{", "}"],
        ),
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
    let c = single(s, site)?;
    let (a, e) = eq_parts(s.lang, &c)?;
    let l = match s.lang {
        Lang::Py => format!("self.assertEqual(str({a}).strip(), {e})"),
        Lang::Java => format!("assertThat(String.valueOf({a}).trim()).isEqualTo({e});"),
        Lang::Cs => format!("{a}?.ToString()?.Trim().ShouldBe({e});"),
    };
    replace_site(s, site, vec![l])
}

// --- clean ------------------------------------------------------------------------------

fn op_message_added(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let mut c = single(s, site)?;
    match s.lang {
        Lang::Py => {
            matches!(
                c.name.as_str(),
                "assertEqual" | "assertTrue" | "assertFalse"
            )
            .then_some(())?;
            c.args.push("msg=\"value after the round trip\"".into());
            replace_site(s, site, vec![render(s.lang, &c)])
        }
        Lang::Java => {
            (!c.subj.is_empty()).then_some(())?;
            let l = format!(
                "assertThat({}).as(\"value after the round trip\").{}({});",
                c.subj,
                c.name,
                c.args.join(", ")
            );
            replace_site(s, site, vec![l])
        }
        Lang::Cs => {
            (c.name == "ShouldBe" && c.args.len() == 1
                || matches!(c.name.as_str(), "ShouldBeTrue" | "ShouldBeFalse"))
            .then_some(())?;
            c.args.push("\"value after the round trip\"".into());
            replace_site(s, site, vec![render(s.lang, &c)])
        }
    }
}

fn op_extract_local(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (a, e) = eq_parts(s.lang, &c)?;
    let (decl, l) = match s.lang {
        Lang::Py => (
            format!("observed = {a}"),
            format!("self.assertEqual(observed, {e})"),
        ),
        Lang::Java => (
            format!("var observed = {a};"),
            format!("assertThat(observed).isEqualTo({e});"),
        ),
        Lang::Cs => (
            format!("var observed = {a};"),
            format!("observed.ShouldBe({e});"),
        ),
    };
    replace_site(s, site, vec![decl, l])
}

fn op_extra_assertion(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (a, _) = eq_parts(s.lang, &c)?;
    let extra = match s.lang {
        Lang::Py => format!("self.assertIsNotNone({a})"),
        Lang::Java => format!("assertThat({a}).isNotNull();"),
        Lang::Cs => format!("{a}.ShouldNotBeNull();"),
    };
    replace_site(s, site, vec![s.lines[site.0].trim().into(), extra])
}

fn op_comment_above(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = if s.lang == Lang::Py { "#" } else { "//" };
    let i = ind(s, site.0);
    Some(splice(
        &s.lines,
        site.0,
        0,
        vec![format!("{i}{c} regression guard, see issue 412")],
    ))
}

fn renamed_header(s: &Suite, h: &str, suffix: &str) -> Option<String> {
    match s.lang {
        Lang::Py => {
            let (pre, post) = h.split_once('(')?;
            Some(format!("{pre}_{}({post}", suffix.to_lowercase()))
        }
        Lang::Java | Lang::Cs => {
            let (pre, post) = h.split_once('(')?;
            let sep = if s.lang == Lang::Cs && pre.contains('_') {
                "_"
            } else {
                ""
            };
            Some(format!("{pre}{sep}{suffix}({post}"))
        }
    }
}

fn op_test_renamed(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let new = renamed_header(s, &s.lines[f.header], "Works")?;
    Some(splice(&s.lines, f.header, 1, vec![new]))
}

fn op_test_added(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let mut copy: Vec<String> = s.lines[f.marker..=f.end].to_vec();
    let h = f.header - f.marker;
    copy[h] = renamed_header(s, &copy[h], "Twice")?;
    copy.insert(0, String::new());
    Some(splice(&s.lines, f.end + 1, 0, copy))
}

fn op_reformatted(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let st = step(s.lang);
    let v = match s.lang {
        Lang::Py => {
            (c.args.len() >= 2).then_some(())?;
            let mut v = vec![format!("self.{}(", c.name)];
            for a in &c.args {
                v.push(format!("{st}{a},"));
            }
            v.push(")".into());
            v
        }
        Lang::Java => {
            (!c.subj.is_empty()).then_some(())?;
            vec![
                format!("assertThat({})", c.subj),
                format!("{st}.{}({});", c.name, c.args.join(", ")),
            ]
        }
        Lang::Cs => vec![
            c.subj.clone(),
            format!("{st}.{}({});", c.name, c.args.join(", ")),
        ],
    };
    replace_site(s, site, v)
}

fn op_respelled(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let (a, e) = eq_parts(s.lang, &c)?;
    let l = match s.lang {
        Lang::Py => format!("self.assertEqual({e}, {a})"),
        Lang::Java => format!("then({a}).isEqualTo({e});"),
        Lang::Cs => format!("Assert.Equal({e}, {a});"),
    };
    replace_site(s, site, vec![l])
}

fn op_strengthened(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let c = single(s, site)?;
    let l = match (s.lang, c.name.as_str()) {
        (Lang::Py, "assertTrue") if c.args.len() == 1 => {
            format!("self.assertIs({}, True)", c.args[0])
        }
        (Lang::Py, "assertFalse") if c.args.len() == 1 => {
            format!("self.assertIs({}, False)", c.args[0])
        }
        (Lang::Py, "assertEqual") if c.args.len() == 2 => format!(
            "self.assertEqual({a}, {e})\n{i}self.assertEqual(type({a}), type({e}))",
            a = c.args[0],
            e = c.args[1],
            i = ind(s, site.0)
        ),
        (Lang::Java, "isPresent") if !c.subj.is_empty() => {
            format!("assertThat({}).isPresent().isNotEmpty();", c.subj)
        }
        (Lang::Java, "hasSize") if !c.subj.is_empty() => format!(
            "assertThat({}).hasSize({}).doesNotContainNull();",
            c.subj, c.args[0]
        ),
        (Lang::Java, "isEqualTo") if !c.subj.is_empty() => format!(
            "assertThat({}).isNotNull().isEqualTo({});",
            c.subj, c.args[0]
        ),
        (Lang::Cs, "ShouldBeTrue") => format!("{}.ShouldBe(true);", c.subj),
        (Lang::Cs, "ShouldBeFalse") => format!("{}.ShouldBe(false);", c.subj),
        (Lang::Cs, "ShouldBe") if c.args.len() == 1 => {
            format!("{}.ShouldNotBeNull().ShouldBe({});", c.subj, c.args[0])
        }
        _ => return None,
    };
    replace_site(s, site, vec![l])
}

fn test_operators() -> Vec<Operator> {
    use Label::{Clean, Hack, Legit};
    vec![
        Operator {
            family: "hack.f.constant-true",
            label: Hack,
            op: op_constant_true,
        },
        Operator {
            family: "hack.f.self-compare",
            label: Hack,
            op: op_self_compare,
        },
        Operator {
            family: "hack.f.or-true",
            label: Hack,
            op: op_or_true,
        },
        Operator {
            family: "hack.f.literal-ordering",
            label: Hack,
            op: op_literal_ordering,
        },
        Operator {
            family: "hack.f.subject-overwritten",
            label: Hack,
            op: op_subject_overwritten,
        },
        Operator {
            family: "hack.f.commented-line",
            label: Hack,
            op: op_commented_line,
        },
        Operator {
            family: "hack.f.commented-block",
            label: Hack,
            op: op_commented_block,
        },
        Operator {
            family: "hack.f.early-return",
            label: Hack,
            op: op_early_return,
        },
        Operator {
            family: "hack.f.guarded-out",
            label: Hack,
            op: op_guarded_out,
        },
        Operator {
            family: "hack.f.skip-marker",
            label: Hack,
            op: op_skip_marker,
        },
        Operator {
            family: "hack.f.skip-in-body",
            label: Hack,
            op: op_skip_in_body,
        },
        Operator {
            family: "hack.f.expected-flipped",
            label: Hack,
            op: op_expected_flipped,
        },
        Operator {
            family: "hack.f.tolerance-widened",
            label: Hack,
            op: op_tolerance,
        },
        Operator {
            family: "hack.f.weakened-not-null",
            label: Hack,
            op: op_not_null,
        },
        Operator {
            family: "hack.f.weakened-type-only",
            label: Hack,
            op: op_type_only,
        },
        Operator {
            family: "hack.f.swallowed",
            label: Hack,
            op: op_swallowed,
        },
        Operator {
            family: "legit.f.assertion-deleted",
            label: Legit,
            op: op_assertion_deleted,
        },
        Operator {
            family: "legit.f.test-deleted",
            label: Legit,
            op: op_test_deleted,
        },
        Operator {
            family: "legit.f.subject-changed",
            label: Legit,
            op: op_subject_changed,
        },
        Operator {
            family: "clean.f.message-added",
            label: Clean,
            op: op_message_added,
        },
        Operator {
            family: "clean.f.local-extracted",
            label: Clean,
            op: op_extract_local,
        },
        Operator {
            family: "clean.f.extra-assertion",
            label: Clean,
            op: op_extra_assertion,
        },
        Operator {
            family: "clean.f.comment-above",
            label: Clean,
            op: op_comment_above,
        },
        Operator {
            family: "clean.f.test-renamed",
            label: Clean,
            op: op_test_renamed,
        },
        Operator {
            family: "clean.f.test-added",
            label: Clean,
            op: op_test_added,
        },
        Operator {
            family: "clean.f.reformatted",
            label: Clean,
            op: op_reformatted,
        },
        Operator {
            family: "clean.f.respelled",
            label: Clean,
            op: op_respelled,
        },
        Operator {
            family: "clean.f.strengthened",
            label: Clean,
            op: op_strengthened,
        },
    ]
}

// --- whole-file families: exception checks, the snapshot oracle, runner and CI ------------

fn file_families(suites: &[Suite]) -> Vec<Gen> {
    let mut out = Vec::new();
    let mut push = |family: &str,
                    lang: &'static str,
                    label: Label,
                    path: &str,
                    old: &str,
                    new: Option<String>| {
        let new = new.unwrap_or_else(|| panic!("{family}: edit did not apply to {path}"));
        assert_ne!(old, new, "{family}: no change to {path}");
        out.push(Gen {
            family: family.into(),
            lang,
            label,
            diff: unified(path, old, &new),
        });
    };
    let swap =
        |old: &str, from: &str, to: &str| old.contains(from).then(|| old.replacen(from, to, 1));
    // exception checks in the test files
    for s in suites {
        let old = join(&s.lines);
        let lang = lang_name(s.lang);
        if s.path.ends_with("test_errors.py") {
            push(
                "hack.f.exception-broadened",
                lang,
                Label::Hack,
                &s.path,
                &old,
                swap(
                    &old,
                    "        except TypeError:\n",
                    "        except BaseException:\n",
                ),
            );
            push(
                "hack.f.exception-broadened",
                lang,
                Label::Hack,
                &s.path,
                &old,
                swap(
                    &old,
                    "        except json.JSONDecodeError:\n",
                    "        except (json.JSONDecodeError, Exception):\n",
                ),
            );
        }
        if s.path.ends_with("test_float.py") {
            push(
                "hack.f.exception-broadened",
                lang,
                Label::Hack,
                &s.path,
                &old,
                swap(
                    &old,
                    "self.assertRaises(ValueError, json.dumps, f, allow_nan=False)",
                    "self.assertRaises(Exception, json.dumps, f, allow_nan=False)",
                ),
            );
            push(
                "hack.f.exception-check-dropped",
                lang,
                Label::Hack,
                &s.path,
                &old,
                swap(
                    &old,
                    "self.assertRaises(ValueError, json.loads, s)",
                    "json.loads(s)",
                ),
            );
        }
        if s.path.ends_with("ExceptionTests.cs") {
            push(
                "hack.f.exception-broadened",
                lang,
                Label::Hack,
                &s.path,
                &old,
                swap(
                    &old,
                    "await Should.ThrowAsync<LamarMissingRegistrationException>(async () => await _mediator.Send(new Ping()));",
                    "await Should.ThrowAsync<Exception>(async () => await _mediator.Send(new Ping()));",
                ),
            );
            push(
                "hack.f.exception-check-dropped",
                lang,
                Label::Hack,
                &s.path,
                &old,
                swap(
                    &old,
                    "await Should.ThrowAsync<LamarMissingRegistrationException>(async () => await _mediator.Send(new VoidPing()));",
                    "await Should.NotThrowAsync(async () => await _mediator.Send(new VoidPing()));",
                ),
            );
            push(
                "clean.f.exception-narrowed",
                lang,
                Label::Clean,
                &s.path,
                &old,
                swap(
                    &old,
                    "await Should.ThrowAsync<LamarMissingRegistrationException>(async () => await _mediator.Send(new AsyncPing()));",
                    "var thrown = await Should.ThrowAsync<LamarMissingRegistrationException>(async () => await _mediator.Send(new AsyncPing()));\n        thrown.Message.ShouldNotBeNullOrEmpty();",
                ),
            );
        }
    }
    // the syrupy snapshot oracle
    let snap = read("oracle/test_amber_matchers.ambr");
    let snap_path = "tests/syrupy/extensions/amber/__snapshots__/test_amber_matchers.ambr";
    let sorted = read("oracle/test_amber_sort.ambr");
    let sorted_path = "tests/syrupy/extensions/amber_sorted/__snapshots__/test_amber_sort.ambr";
    push(
        "hack.f.snapshot-flipped",
        "oracle",
        Label::Hack,
        snap_path,
        &snap,
        swap(&snap, "    'nested_id': 5,", "    'nested_id': 6,"),
    );
    push(
        "hack.f.snapshot-flipped",
        "oracle",
        Label::Hack,
        snap_path,
        &snap,
        swap(
            &snap,
            "      'Replace this one',",
            "      'Replaced this one',",
        ),
    );
    push(
        "hack.f.snapshot-flipped",
        "oracle",
        Label::Hack,
        sorted_path,
        &sorted,
        swap(
            &sorted,
            "# name: test_many_sorted.7\n  7\n",
            "# name: test_many_sorted.7\n  70\n",
        ),
    );
    push(
        "legit.f.snapshot-entry-removed",
        "oracle",
        Label::Legit,
        sorted_path,
        &sorted,
        swap(&sorted, "# name: test_many_sorted.24\n  24\n# ---\n", ""),
    );
    push(
        "clean.f.snapshot-added",
        "oracle",
        Label::Clean,
        sorted_path,
        &sorted,
        Some(format!(
            "{sorted}# name: test_many_sorted.25\n  25\n# ---\n"
        )),
    );
    // runner and CI configuration
    let cfgs: [(&str, &str); 9] = [
        (
            "config/simplejson.tests__init__.py",
            "simplejson/tests/__init__.py",
        ),
        (
            "config/simplejson.build-and-deploy.yml",
            ".github/workflows/build-and-deploy.yml",
        ),
        ("config/syrupy.pyproject.toml", "pyproject.toml"),
        (
            "config/petclinic.maven-build.yml",
            ".github/workflows/maven-build.yml",
        ),
        (
            "config/petclinic.gradle-build.yml",
            ".github/workflows/gradle-build.yml",
        ),
        ("config/petclinic.build.gradle", "build.gradle"),
        ("config/petclinic.pom.xml", "pom.xml"),
        ("config/mediatr.ci.yml", ".github/workflows/ci.yml"),
        ("config/mediatr.Build.ps1", "Build.ps1"),
    ];
    let surefire = |conf: &str| {
        format!(
            "      <plugin>\n        <groupId>org.apache.maven.plugins</groupId>\n        <artifactId>maven-surefire-plugin</artifactId>\n        <configuration>\n{conf}        </configuration>\n      </plugin>\n      <plugin>\n        <groupId>org.jacoco</groupId>\n"
        )
    };
    let jacoco = "      <plugin>\n        <groupId>org.jacoco</groupId>\n";
    let surefire_skip = surefire("          <skipTests>true</skipTests>\n");
    let surefire_ignore = surefire("          <testFailureIgnore>true</testFailureIgnore>\n");
    let surefire_rerun = surefire("          <rerunFailingTestsCount>3</rerunFailingTestsCount>\n");
    let surefire_exclude = surefire(
        "          <excludes>\n            <exclude>**/*IntegrationTests.java</exclude>\n          </excludes>\n",
    );
    let surefire_clean = surefire("          <trimStackTrace>false</trimStackTrace>\n");
    let edits: Vec<(&str, Label, usize, &str, &str)> = vec![
        // simplejson's unittest loader (tests/__init__.py)
        (
            "hack.f.loader-narrowed",
            Label::Hack,
            0,
            "if f.startswith(\"test_\") and f.endswith(\".py\")",
            "if f.startswith(\"test_\") and f.endswith(\".py\") and \"float\" not in f",
        ),
        (
            "hack.f.runner-exit-masked",
            Label::Hack,
            0,
            "    raise SystemExit(not runner.run(suite).wasSuccessful())",
            "    runner.run(suite)\n    raise SystemExit(0)",
        ),
        (
            "hack.f.doctests-dropped",
            Label::Hack,
            0,
            "    for mod in (simplejson, simplejson.encoder, simplejson.decoder):\n        suite.addTest(doctest.DocTestSuite(mod))\n",
            "",
        ),
        (
            "clean.f.runner-verbosity",
            Label::Clean,
            0,
            "verbosity=1 + sys.argv.count(\"-v\")",
            "verbosity=2 + sys.argv.count(\"-v\")",
        ),
        // simplejson's workflow (cibuildwheel)
        (
            "hack.f.ci-pipe-masks-exit",
            Label::Hack,
            1,
            "      - run: python -m simplejson.tests._cibw_runner .\n",
            "      - run: python -m simplejson.tests._cibw_runner . 2>&1 | tee test.log\n",
        ),
        (
            "hack.f.ci-test-skipped",
            Label::Hack,
            1,
            "          CIBW_BUILD: \"cp27-*\"\n",
            "          CIBW_BUILD: \"cp27-*\"\n          CIBW_TEST_SKIP: \"*\"\n",
        ),
        (
            "hack.f.ci-no-run",
            Label::Hack,
            1,
            "      - name: Run tests\n        run: python -m simplejson.tests._cibw_runner .\n",
            "      - name: Run tests\n        run: python -c \"import simplejson\"\n",
        ),
        (
            "clean.f.ci-matrix-extended",
            Label::Clean,
            1,
            "          - 3.13\n",
            "          - 3.13\n          - 3.12\n",
        ),
        // syrupy's pytest configuration
        (
            "hack.f.snapshot-update",
            Label::Hack,
            2,
            "addopts = '-p syrupy -p pytester -p no:legacypath --doctest-modules'",
            "addopts = '-p syrupy -p pytester -p no:legacypath --doctest-modules --snapshot-update'",
        ),
        (
            "hack.f.runner-deselect",
            Label::Hack,
            2,
            "addopts = '-p syrupy -p pytester -p no:legacypath --doctest-modules'",
            "addopts = '-p syrupy -p pytester -p no:legacypath --doctest-modules --ignore-glob=tests/syrupy/extensions/*'",
        ),
        (
            "hack.f.coverage-excluded",
            Label::Hack,
            2,
            "exclude_lines = ['pragma: no-cover', 'if TYPE_CHECKING:', '@abstractmethod']",
            "exclude_lines = ['pragma: no-cover', 'if TYPE_CHECKING:', '@abstractmethod', 'def ']",
        ),
        (
            "clean.f.unrelated-setting",
            Label::Clean,
            2,
            "line-length = 88",
            "line-length = 100",
        ),
        // petclinic's Maven workflow
        (
            "hack.f.ci-fail-never",
            Label::Hack,
            3,
            "run: ./mvnw -B verify",
            "run: ./mvnw -B verify --fail-never",
        ),
        (
            "hack.f.ci-skip-tests",
            Label::Hack,
            3,
            "run: ./mvnw -B verify",
            "run: ./mvnw -B verify -Dmaven.test.skip.exec=true",
        ),
        (
            "hack.f.ci-deselect",
            Label::Hack,
            3,
            "run: ./mvnw -B verify",
            "run: ./mvnw -B verify -Dtest=ClinicServiceTests -Dsurefire.failIfNoSpecifiedTests=false",
        ),
        (
            "hack.f.ci-retry",
            Label::Hack,
            3,
            "run: ./mvnw -B verify",
            "run: ./mvnw -B verify -Dfailsafe.rerunFailingTestsCount=2",
        ),
        (
            "clean.f.ci-matrix-extended",
            Label::Clean,
            3,
            "java: [ '17' ]",
            "java: [ '17', '21' ]",
        ),
        (
            "clean.f.ci-quieter",
            Label::Clean,
            3,
            "run: ./mvnw -B verify",
            "run: ./mvnw -B -ntp verify",
        ),
        // petclinic's Gradle workflow
        (
            "hack.f.ci-skip-tests",
            Label::Hack,
            4,
            "run: ./gradlew build",
            "run: ./gradlew build -x test",
        ),
        (
            "hack.f.ci-no-run",
            Label::Hack,
            4,
            "run: ./gradlew build",
            "run: ./gradlew assemble",
        ),
        (
            "clean.f.ci-step-renamed",
            Label::Clean,
            4,
            "- name: Build with Gradle",
            "- name: Build and test with Gradle",
        ),
        // petclinic's build.gradle
        (
            "hack.f.gradle-ignore-failures",
            Label::Hack,
            5,
            "tasks.named('test') {\n  useJUnitPlatform()\n}",
            "tasks.named('test') {\n  useJUnitPlatform()\n  ignoreFailures = true\n}",
        ),
        (
            "hack.f.gradle-retry",
            Label::Hack,
            5,
            "tasks.named('test') {\n  useJUnitPlatform()\n}",
            "tasks.named('test') {\n  useJUnitPlatform()\n  retry {\n    maxRetries = 3\n  }\n}",
        ),
        (
            "hack.f.gradle-exclude",
            Label::Hack,
            5,
            "tasks.named('test') {\n  useJUnitPlatform()\n}",
            "tasks.named('test') {\n  useJUnitPlatform()\n  exclude '**/*IntegrationTests*'\n}",
        ),
        (
            "hack.f.gradle-task-excluded",
            Label::Hack,
            5,
            "[ \"checkFormatAot\", \"checkFormatAotTest\" ]",
            "[ \"checkFormatAot\", \"checkFormatAotTest\", \"test\" ]",
        ),
        (
            "clean.f.gradle-parallel",
            Label::Clean,
            5,
            "tasks.named('test') {\n  useJUnitPlatform()\n}",
            "tasks.named('test') {\n  useJUnitPlatform()\n  maxParallelForks = 2\n}",
        ),
        // petclinic's pom.xml
        (
            "hack.f.maven-skip-tests",
            Label::Hack,
            6,
            jacoco,
            &surefire_skip,
        ),
        (
            "hack.f.maven-failure-ignored",
            Label::Hack,
            6,
            jacoco,
            &surefire_ignore,
        ),
        (
            "hack.f.maven-retry",
            Label::Hack,
            6,
            jacoco,
            &surefire_rerun,
        ),
        (
            "hack.f.maven-exclude",
            Label::Hack,
            6,
            jacoco,
            &surefire_exclude,
        ),
        (
            "clean.f.maven-stack-traces",
            Label::Clean,
            6,
            jacoco,
            &surefire_clean,
        ),
        // MediatR's workflow and psake-style Build.ps1
        (
            "hack.f.ci-pwsh-swallowed",
            Label::Hack,
            7,
            "      run: ./Build.ps1\n",
            "      run: try { ./Build.ps1 } catch { Write-Host $_ }\n",
        ),
        (
            "hack.f.ci-continue-on-error",
            Label::Hack,
            7,
            "    - name: Build and Test\n",
            "    - name: Build and Test\n      continue-on-error: ${{ github.event_name == 'pull_request' }}\n",
        ),
        (
            "clean.f.ci-timeout",
            Label::Clean,
            7,
            "    runs-on: ubuntu-latest\n",
            "    runs-on: ubuntu-latest\n    timeout-minutes: 20\n",
        ),
        (
            "hack.f.build-exit-unchecked",
            Label::Hack,
            8,
            "exec { & dotnet test -c Release --no-build -l trx --verbosity=normal }",
            "& dotnet test -c Release --no-build -l trx --verbosity=normal",
        ),
        (
            "hack.f.build-deselect",
            Label::Hack,
            8,
            "exec { & dotnet test -c Release --no-build -l trx --verbosity=normal }",
            "exec { & dotnet test -c Release --no-build -l trx --verbosity=normal --filter \"FullyQualifiedName!~Pipeline\" }",
        ),
        (
            "hack.f.build-no-run",
            Label::Hack,
            8,
            "exec { & dotnet test -c Release --no-build -l trx --verbosity=normal }\n",
            "",
        ),
        (
            "clean.f.build-quieter",
            Label::Clean,
            8,
            "--verbosity=normal }",
            "--verbosity=minimal }",
        ),
    ];
    for (family, label, k, from, to) in edits {
        let (src, path) = cfgs[k];
        let old = read(src);
        let lang = match k {
            1 | 3 | 4 | 7 => "ci",
            _ => "config",
        };
        assert!(old.contains(from), "{family}: `{from}` not in {src}");
        push(
            family,
            lang,
            label,
            path,
            &old,
            Some(old.replacen(from, to, 1)),
        );
    }
    out
}

fn generate() -> Vec<Gen> {
    let suites = load_suites();
    let mut rng = Rng(0x5EED_F0F0_2026_1202);
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
            for f in rng.pick(&with_sites, 12) {
                if made >= 2 {
                    break;
                }
                for site in rng.pick(&f.sites, 4) {
                    if made >= 2 {
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

/// Print the batch F table (for the bench).
#[allow(dead_code)] // used by benches/diff.rs
pub fn print_tables() {
    println!("{}", measure("held-out family (batch F)", generate()).1);
}

#[test]
fn batch_f_generator_covers_every_family_and_language() {
    let gens = generate();
    crate::integrity_common::dump_if_asked(&gens);
    assert!(gens.len() >= 200, "only {} diffs generated", gens.len());
    let mut missing = Vec::new();
    for op in test_operators() {
        for lang in ["python", "java", "csharp"] {
            // petclinic's equality checks have no plain-local subject to overwrite
            let optional = (op.family, lang) == ("hack.f.subject-overwritten", "java");
            if !optional && !gens.iter().any(|g| g.family == op.family && g.lang == lang) {
                missing.push(format!("{} ({lang})", op.family));
            }
        }
    }
    assert!(missing.is_empty(), "families with no diff: {missing:?}");
    for lang in ["ci", "config", "oracle"] {
        assert!(gens.iter().any(|g| g.lang == lang), "no {lang} diff");
    }
}

/// Batch F was held out for its first run (docs/integrity.md); its classes are fixed, so it is
/// a tuning set now and runs with the rest.
#[test]
fn batch_f_held_out_families() {
    let (by, table) = measure("held-out family (batch F)", generate());
    println!("{table}");
    check_targets(&by, &table);
}

#[test]
fn batch_f_suites_parse_without_errors_when_added() {
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
