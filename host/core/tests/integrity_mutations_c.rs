//! Held-out batch C of the mutation generator: new real suites (python-humanize/humanize:
//! pytest with `parametrize` tables; Masterminds/semver: Go table-driven tests; unjs/ufo:
//! vitest with generated `test(…)` calls over tables; mitsuhiko/similar: insta snapshots; the
//! runner and CI configuration of all four — see `tests/fixtures/suites/PROVENANCE.md`) and
//! operator spellings not used by the earlier batches, for every class of test weakening:
//! tautologies (`assert (cond, "msg")`, `expect([x]).toBeTruthy()`, `assert 1 or …`,
//! `not p or p`, the expected value compared with itself, `x if False else True`), assertions
//! commented out in place (no space, `TODO:` prefix, inline `/* … */`), assertions made
//! unreachable (a closure that is never called, `return None` / `if not False: return` at the
//! top, a loop over an empty sequence, `if None:`), skips (`pytest.skip()`, `skipif(True)`,
//! `test.runIf(false)`, `t.SkipNow()`, `xfail`, `test.fails`), failures downgraded to logs
//! (`t.Errorf` → `t.Logf`, `assert` → `warnings.warn`), exact checks turned into substring or
//! tolerance checks, swallowed failures (`contextlib.suppress(AssertionError)`, a `catch` that
//! logs), flipped expected values in parametrize / struct / object tables and in JSON and
//! snapshot oracles, and runner/CI settings (tox `ignore_outcome` and `-` prefix, doctest
//! collection dropped, warnings no longer errors, `--ignore-glob`, `testpaths` narrowed,
//! `continue-on-error: ${{ true }}`, `if: ${{ false }}`, `|| exit 0`, `go test -skip`, GitLab
//! `when: manual` / `rules: when: never` / `allow_failure: exit_codes`, a package.json test
//! script that no longer runs the tests, Make `-` prefix and `cargo test --no-run`, nextest
//! retry tables and overrides, a jest negative threshold widened).
//!
//! Protocol: every family here was written before the scanner saw any of it, and run once
//! untuned to take the first-run figures (docs/integrity.md, "held-out batch C"); the scanner
//! was then fixed by class and the test asserts the targets. Figures per operator and language
//! are printed with `-- --nocapture` and by `cargo bench -p strive-core --bench diff`.

use std::path::{Path, PathBuf};

use crate::integrity_common as common;
use crate::integrity_common::{
    Gen, Label, Rng, added_file, balanced, indent_of, join, lines_of, splice, unified,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lang {
    Py,
    Ts,
    Go,
}

struct Suite {
    lang: Lang,
    path: String,
    lines: Vec<String>,
}

/// One test: the first decorator line (or the header), the header, the first and last body
/// lines, and its assertion statements as inclusive line spans.
#[derive(Clone, Debug)]
struct TestFn {
    marker: usize,
    header: usize,
    body: usize,
    end: usize,
    sites: Vec<(usize, usize)>,
}

fn base() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites/heldout-c")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(base().join(rel)).expect("batch C fixture")
}

fn load_suites() -> Vec<Suite> {
    let mut out = Vec::new();
    for (dir, lang, prefix) in [
        ("python", Lang::Py, "tests/"),
        ("go", Lang::Go, ""),
        ("ts", Lang::Ts, "test/"),
    ] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(base().join(dir))
            .expect("suite dir")
            .map(|e| e.expect("entry").path())
            .collect();
        names.sort();
        for p in names {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&p).expect("suite file");
            out.push(Suite {
                lang,
                path: format!("{prefix}{name}"),
                lines: text.lines().map(str::to_string).collect(),
            });
        }
    }
    out
}

/// Split at the first top-level occurrence of `sep` (outside brackets and strings).
fn split_once_top<'a>(s: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let b = s.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut i = 0;
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
            i += 1;
            continue;
        }
        match c {
            b'"' | b'\'' | b'`' => quote = Some(c),
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth -= 1,
            _ => {
                if depth == 0 && s[i..].starts_with(sep) {
                    return Some((s[..i].trim(), s[i + sep.len()..].trim()));
                }
            }
        }
        i += 1;
    }
    None
}

fn test_fns(s: &Suite) -> Vec<TestFn> {
    let l = &s.lines;
    let mut out = Vec::new();
    for i in 0..l.len() {
        let t = l[i].trim();
        let ind = indent_of(&l[i]).len();
        let (header, body, end) = match s.lang {
            Lang::Py => {
                if !t.starts_with("def test_") {
                    continue;
                }
                let Some(sig_end) = (i..l.len()).find(|&k| l[k].trim_end().ends_with(':')) else {
                    continue;
                };
                let body = sig_end + 1;
                let mut end = body;
                while end + 1 < l.len()
                    && (l[end + 1].trim().is_empty() || indent_of(&l[end + 1]).len() > ind)
                {
                    end += 1;
                }
                while end > body && l[end].trim().is_empty() {
                    end -= 1;
                }
                (i, body, end)
            }
            Lang::Ts => {
                if !((t.starts_with("test(") || t.starts_with("it(")) && t.ends_with("=> {")) {
                    continue;
                }
                let Some(end) = (i + 1..l.len()).find(|&k| {
                    indent_of(&l[k]).len() == ind && l[k].trim_start().starts_with("})")
                }) else {
                    continue;
                };
                (i, i + 1, end - 1)
            }
            Lang::Go => {
                if !(t.starts_with("func Test") && t.ends_with('{')) {
                    continue;
                }
                let Some(end) = (i + 1..l.len()).find(|&k| l[k] == "}") else {
                    continue;
                };
                (i, i + 1, end - 1)
            }
        };
        // Decorators above a Python test (a parametrize table spans many lines).
        let mut marker = header;
        if s.lang == Lang::Py {
            let mut k = header;
            while k > 0 {
                let p = l[k - 1].trim();
                if p.starts_with('@') {
                    k -= 1;
                    marker = k;
                } else if p == ")" {
                    match (0..k - 1).rev().find(|&j| {
                        l[j].trim_start().starts_with('@')
                            && indent_of(&l[j]).len() == indent_of(&l[k - 1]).len()
                    }) {
                        Some(j) => {
                            k = j;
                            marker = j;
                        }
                        None => break,
                    }
                } else {
                    break;
                }
            }
        }
        let mut sites = Vec::new();
        for k in body..=end {
            let t = l[k].trim();
            match s.lang {
                Lang::Py if t.starts_with("assert ") && balanced(t) => sites.push((k, k)),
                Lang::Ts if t.starts_with("expect(") && balanced(t) => sites.push((k, k)),
                Lang::Go => {
                    let next = l.get(k + 1).map(|n| n.trim()).unwrap_or("");
                    if t.starts_with("if ")
                        && t.ends_with('{')
                        && !t.contains(":=")
                        && (next.starts_with("t.Error") || next.starts_with("t.Fatal"))
                    {
                        let ind = indent_of(&l[k]).len();
                        if let Some(close) = (k + 1..=end)
                            .find(|&j| indent_of(&l[j]).len() == ind && l[j].trim() == "}")
                        {
                            sites.push((k, close));
                        }
                    }
                }
                _ => {}
            }
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

/// Table rows: a parametrize tuple, a Go struct literal, a TS object literal or object entry.
fn table_rows(s: &Suite) -> Vec<usize> {
    (0..s.lines.len())
        .filter(|&k| {
            let t = s.lines[k].trim();
            let t = t.split(" //").next().unwrap_or(t).trim();
            balanced(t)
                && t.contains(['"', '\''])
                && match s.lang {
                    Lang::Py => t.starts_with('(') && t.ends_with("),"),
                    Lang::Go => t.starts_with('{') && t.ends_with("},"),
                    Lang::Ts => {
                        (t.starts_with('{') && t.ends_with("},") && t.contains("out:"))
                            || (t.starts_with('"') && t.ends_with(',') && t.contains("\": "))
                    }
                }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The pieces of one assertion.

/// Python `assert COND[, msg]` → COND.
fn py_cond(t: &str) -> Option<String> {
    let rest = t.trim().strip_prefix("assert ")?;
    Some(match split_once_top(rest, ",") {
        Some((c, _)) => c.to_string(),
        None => rest.trim().to_string(),
    })
}

/// TS `expect(S).matcher(A);` → (S, matcher, A).
fn ts_parts(t: &str) -> Option<(String, String, String)> {
    let t = t.trim().trim_end_matches(';');
    let rest = t.strip_prefix("expect(")?;
    let mut depth = 1;
    let mut close = None;
    for (i, c) in rest.char_indices() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let subj = rest[..close].to_string();
    let after = rest[close + 1..].strip_prefix('.')?;
    let open = after.find('(')?;
    let matcher = after[..open].to_string();
    let arg = after[open + 1..].strip_suffix(')')?.to_string();
    (balanced(&subj) && balanced(&arg) && !matcher.contains('.') && !matcher.contains(' '))
        .then_some((subj, matcher, arg))
}

/// A boolean expression that is true when the check passes.
fn pass_cond(lang: Lang, t: &str) -> Option<String> {
    match lang {
        Lang::Py => py_cond(t),
        Lang::Ts => {
            let (s, m, a) = ts_parts(t)?;
            match m.as_str() {
                "toBe" | "toEqual" | "toStrictEqual" => Some(format!("{s} === {a}")),
                _ => None,
            }
        }
        Lang::Go => go_cond(t).map(|c| format!("!({c})")),
    }
}

/// Go `if COND {` → COND (the failure condition).
fn go_cond(t: &str) -> Option<String> {
    Some(
        t.trim()
            .strip_prefix("if ")?
            .strip_suffix('{')?
            .trim()
            .to_string(),
    )
}

/// The failure condition for Go.
fn fail_cond(t: &str) -> Option<String> {
    go_cond(t)
}

// ---------------------------------------------------------------------------------------
// Operators on one assertion statement. Each returns the new lines of the file.

type Op = fn(&Suite, &TestFn, (usize, usize)) -> Option<Vec<String>>;

struct Operator {
    family: &'static str,
    label: Label,
    op: Op,
}

fn ind(s: &Suite, at: usize) -> String {
    indent_of(&s.lines[at]).to_string()
}

fn step(s: &Suite) -> &'static str {
    if s.lang == Lang::Go { "\t" } else { "    " }
}

/// Replace the site's first line with `new` (Go: the `if` line; the body stays).
fn set_first(s: &Suite, (a, _): (usize, usize), new: String) -> Option<Vec<String>> {
    Some(splice(&s.lines, a, 1, vec![format!("{}{new}", ind(s, a))]))
}

/// Replace a one-line check (Python, TS) or a whole Go site with `new` lines (indented).
fn set_site(s: &Suite, (a, b): (usize, usize), new: Vec<String>) -> Option<Vec<String>> {
    let i = ind(s, a);
    Some(splice(
        &s.lines,
        a,
        b - a + 1,
        new.into_iter().map(|n| format!("{i}{n}")).collect(),
    ))
}

/// Wrap the site in `open` … `close` (each a line at the site's indent).
fn wrap(s: &Suite, (a, b): (usize, usize), open: &str, close: Option<&str>) -> Option<Vec<String>> {
    let i = ind(s, a);
    let mut v = vec![format!("{i}{open}")];
    for k in a..=b {
        v.push(format!("{}{}", step(s), s.lines[k]));
    }
    if let Some(c) = close {
        v.push(format!("{i}{c}"));
    }
    Some(splice(&s.lines, a, b - a + 1, v))
}

fn insert_top(s: &Suite, f: &TestFn, new: Vec<String>) -> Option<Vec<String>> {
    let i = ind(s, f.body);
    Some(splice(
        &s.lines,
        f.body,
        0,
        new.into_iter().map(|n| format!("{i}{n}")).collect(),
    ))
}

// ---- hacks: tautologies ----

fn op_tuple_assert(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => set_first(s, site, format!("assert ({}, \"must hold\")", py_cond(t)?)),
        Lang::Ts => set_first(
            s,
            site,
            format!("expect([{}]).toBeTruthy();", pass_cond(s.lang, t)?),
        ),
        Lang::Go => set_first(
            s,
            site,
            format!("if ({}) && \"\" != \"\" {{", fail_cond(t)?),
        ),
    }
}

fn op_const_truthy(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => set_first(s, site, "assert \"ok\"".into()),
        Lang::Ts => set_first(s, site, "expect(\"ok\").toBeTruthy();".into()),
        Lang::Go => set_first(s, site, "if !true {".into()),
    }
}

fn op_one_or_prefix(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => set_first(s, site, format!("assert 1 or {}", py_cond(t)?)),
        Lang::Ts => set_first(
            s,
            site,
            format!("expect(!0 || {}).toBe(true);", pass_cond(s.lang, t)?),
        ),
        Lang::Go => set_first(s, site, format!("if 0 == 1 && ({}) {{", fail_cond(t)?)),
    }
}

fn op_not_p_or_p(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            set_first(s, site, format!("assert not ({c}) or ({c})"))
        }
        Lang::Ts => {
            let c = pass_cond(s.lang, t)?;
            set_first(s, site, format!("expect(!({c}) || ({c})).toBeTruthy();"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            set_first(s, site, format!("if !({c}) && ({c}) {{"))
        }
    }
}

fn op_expected_self(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (_, b) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert {b} == {b}"))
        }
        Lang::Ts => {
            let (_, m, a) = ts_parts(t)?;
            set_first(s, site, format!("expect({a}).{m}({a});"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            let (_, b) = split_once_top(&c, " != ")?;
            (b != "nil").then_some(())?;
            set_first(s, site, format!("if {b} != {b} {{"))
        }
    }
}

fn op_ternary_true(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => set_first(
            s,
            site,
            format!("assert ({}) if False else True", py_cond(t)?),
        ),
        Lang::Ts => set_first(
            s,
            site,
            format!(
                "expect(false ? {} : true).toBe(true);",
                pass_cond(s.lang, t)?
            ),
        ),
        Lang::Go => None,
    }
}

// ---- hacks: commented out in place ----

fn op_comment_nospace(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let c = if s.lang == Lang::Py { "#" } else { "//" };
    let v = (a..=b)
        .map(|k| format!("{}{c}{}", ind(s, k), s.lines[k].trim_start()))
        .collect();
    Some(splice(&s.lines, a, b - a + 1, v))
}

fn op_comment_todo(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => Some(splice(
            &s.lines,
            a,
            1,
            vec![format!("{}# TODO(flaky): {}", ind(s, a), s.lines[a].trim())],
        )),
        Lang::Ts => Some(splice(
            &s.lines,
            a,
            1,
            vec![format!("{}/* {} */", ind(s, a), s.lines[a].trim())],
        )),
        Lang::Go => {
            let mut v: Vec<String> = s.lines[a..=b].to_vec();
            v[0] = format!("{}/* {}", ind(s, a), v[0].trim_start());
            let last = v.len() - 1;
            v[last] = format!("{} */", v[last]);
            Some(splice(&s.lines, a, b - a + 1, v))
        }
    }
}

// ---- hacks: unreachable ----

fn op_dead_closure(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => wrap(s, site, "def _deferred():", None),
        Lang::Ts => wrap(s, site, "const _deferred = () => {", Some("};")),
        Lang::Go => wrap(s, site, "_ = func() {", Some("}")),
    }
}

fn op_return_none_top(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => insert_top(s, f, vec!["return None".into()]),
        Lang::Ts => insert_top(s, f, vec!["return;".into()]),
        Lang::Go => insert_top(s, f, vec!["if 1 > 0 { return }".into()]),
    }
}

fn op_if_not_false_return(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => insert_top(s, f, vec!["if not False: return".into()]),
        Lang::Ts => insert_top(s, f, vec!["if (!false) return;".into()]),
        Lang::Go => insert_top(
            s,
            f,
            vec!["if !false {".into(), "\treturn".into(), "}".into()],
        ),
    }
}

fn op_empty_loop(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => wrap(s, site, "for _ in ():", None),
        Lang::Ts => wrap(s, site, "for (const _ of []) {", Some("}")),
        Lang::Go => wrap(s, site, "for range []int{} {", Some("}")),
    }
}

fn op_if_none(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => wrap(s, site, "if None:", None),
        Lang::Ts => wrap(s, site, "if (null) {", Some("}")),
        Lang::Go => wrap(s, site, "if !true {", Some("}")),
    }
}

// ---- hacks: skips ----

/// `test(`/`it(` at the start of the header becomes `with(` (`test.skip`, …).
fn retitle(s: &Suite, f: &TestFn, with: &str) -> Option<Vec<String>> {
    let h = &s.lines[f.header];
    let i = indent_of(h);
    let rest = h.trim_start();
    let rest = rest
        .strip_prefix("test(")
        .or_else(|| rest.strip_prefix("it("))?;
    let with = with.replacen(
        "test",
        if h.trim_start().starts_with("it(") {
            "it"
        } else {
            "test"
        },
        1,
    );
    Some(splice(
        &s.lines,
        f.header,
        1,
        vec![format!("{i}{with}({rest}")],
    ))
}

fn op_skip_call(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => insert_top(s, f, vec!["pytest.skip(\"slow on CI\")".into()]),
        Lang::Ts => retitle(s, f, "test.runIf(false)"),
        Lang::Go => insert_top(s, f, vec!["t.SkipNow()".into()]),
    }
}

fn op_skipif_true(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => Some(splice(
            &s.lines,
            f.header,
            0,
            vec![format!(
                "{}@pytest.mark.skipif(True, reason=\"broken upstream\")",
                ind(s, f.header)
            )],
        )),
        Lang::Ts => retitle(s, f, "test.skipIf(true)"),
        Lang::Go => insert_top(s, f, vec!["t.Skipf(\"skipping %s\", t.Name())".into()]),
    }
}

fn op_expected_failure(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => Some(splice(
            &s.lines,
            f.header,
            0,
            vec![format!(
                "{}@pytest.mark.xfail(reason=\"known issue\")",
                ind(s, f.header)
            )],
        )),
        Lang::Ts => retitle(s, f, "test.fails"),
        Lang::Go => None,
    }
}

// ---- hacks: failure downgraded, weakened, swallowed ----

fn op_failure_to_log(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => set_site(
            s,
            site,
            vec![
                format!("if not ({}):", py_cond(t)?),
                "    warnings.warn(\"mismatch\")".into(),
            ],
        ),
        Lang::Ts => {
            let c = pass_cond(s.lang, t)?;
            set_site(
                s,
                site,
                vec![format!("if (!({c})) console.warn(\"mismatch\");")],
            )
        }
        Lang::Go => {
            let (a, b) = site;
            let mut v = s.lines.clone();
            let k = (a + 1..b).find(|&k| v[k].contains("t.Error") || v[k].contains("t.Fatal"))?;
            v[k] = v[k]
                .replacen("t.Errorf(", "t.Logf(", 1)
                .replacen("t.Fatalf(", "t.Logf(", 1)
                .replacen("t.Error(", "t.Log(", 1)
                .replacen("t.Fatal(", "t.Log(", 1);
            Some(v)
        }
    }
}

fn op_exact_to_contains(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert {b} in str({a})"))
        }
        Lang::Ts => {
            let (subj, m, a) = ts_parts(t)?;
            (m == "toBe").then_some(())?;
            set_first(s, site, format!("expect(String({subj})).toContain({a});"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            let (a, b) = split_once_top(&c, " != ")?;
            (b != "nil").then_some(())?;
            set_first(
                s,
                site,
                format!("if !strings.Contains(fmt.Sprint({a}), fmt.Sprint({b})) {{"),
            )
        }
    }
}

fn op_tolerance(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_first(
                s,
                site,
                format!("assert {a} == pytest.approx({b}, rel=0.5)"),
            )
        }
        Lang::Ts => {
            let (subj, m, a) = ts_parts(t)?;
            (m == "toBe").then_some(())?;
            set_first(s, site, format!("expect({subj}).toBeCloseTo({a}, -3);"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            let (a, b) = split_once_top(&c, " != ")?;
            (a.len() == 1 && b.len() == 1).then_some(())?;
            set_first(s, site, format!("if math.Abs(float64({a}-{b})) > 1 {{"))
        }
    }
}

fn op_suppressed(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => wrap(s, site, "with contextlib.suppress(AssertionError):", None),
        Lang::Ts => wrap(s, site, "try {", Some("} catch (e) { console.log(e); }")),
        Lang::Go => None,
    }
}

// ---- legitimate edits (flagged for review) ----

fn op_via_helper(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_site(s, site, vec![format!("check_same({a}, {b})")])
        }
        Lang::Ts => {
            let (subj, _, a) = ts_parts(t)?;
            set_site(s, site, vec![format!("assertSame({subj}, {a});")])
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            let (a, b) = split_once_top(&c, " != ")?;
            set_site(s, site, vec![format!("assertEqual(t, {a}, {b})")])
        }
    }
}

fn op_version_skip(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => Some(splice(
            &s.lines,
            f.header,
            0,
            vec![format!(
                "{}@pytest.mark.skipif(sys.version_info < (3, 11), reason=\"needs 3.11\")",
                ind(s, f.header)
            )],
        )),
        Lang::Ts => retitle(s, f, "test.skipIf(!!process.env.CI)"),
        Lang::Go => insert_top(
            s,
            f,
            vec![
                "if testing.Short() {".into(),
                "\tt.Skip(\"long table\")".into(),
                "}".into(),
            ],
        ),
    }
}

fn op_subject_changed(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert {a}.strip() == {b}"))
        }
        Lang::Ts => {
            let (subj, m, a) = ts_parts(t)?;
            set_first(s, site, format!("expect(String({subj}).trim()).{m}({a});"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            let (a, b) = split_once_top(&c, " != ")?;
            set_first(s, site, format!("if fmt.Sprint({a}) != fmt.Sprint({b}) {{"))
        }
    }
}

fn op_test_deleted(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let last = if s.lang == Lang::Py { f.end } else { f.end + 1 };
    Some(splice(&s.lines, f.marker, last - f.marker + 1, vec![]))
}

// ---- clean operators (must pass) ----

fn op_param_renamed(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let (from, to) = match s.lang {
        Lang::Py => ("expected", "want"),
        Lang::Go => ("tc", "tt"),
        Lang::Ts => ("t", "tc"),
    };
    let lo = if s.lang == Lang::Ts {
        // the `for (const t of …)` line above the generated test
        f.header.saturating_sub(1)
    } else {
        f.marker
    };
    let mut v = s.lines.clone();
    let mut changed = false;
    for (k, l) in v.iter_mut().enumerate().take(f.end + 1).skip(lo) {
        let n = rename_word(l, from, to);
        if n != *l {
            changed = true;
            *l = n;
        }
        let _ = k;
    }
    changed.then_some(v)
}

fn rename_word(l: &str, from: &str, to: &str) -> String {
    let mut out = String::new();
    let mut rest = l;
    while let Some(pos) = rest.find(from) {
        let before_ok = rest[..pos]
            .chars()
            .last()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '\''));
        let after = &rest[pos + from.len()..];
        let after_ok = after
            .chars()
            .next()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '(' || c == '\''));
        out.push_str(&rest[..pos]);
        out.push_str(if before_ok && after_ok { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

fn op_stronger(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, _) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert {c} and isinstance({a}, str)"))
        }
        Lang::Ts => {
            let (subj, _, _) = ts_parts(t)?;
            let i = ind(s, site.0);
            let mut v = s.lines.clone();
            v.insert(
                site.0 + 1,
                format!("{i}expect(typeof {subj}).toBe(\"string\");"),
            );
            Some(v)
        }
        Lang::Go => {
            let (a, b) = site;
            let mut v = s.lines.clone();
            let k =
                (a + 1..b).find(|&k| v[k].contains("t.Errorf(") || v[k].contains("t.Error("))?;
            v[k] = v[k]
                .replacen("t.Errorf(", "t.Fatalf(", 1)
                .replacen("t.Error(", "t.Fatal(", 1);
            Some(v)
        }
    }
}

fn op_extract_variable(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_site(
                s,
                site,
                vec![format!("result = {a}"), format!("assert result == {b}")],
            )
        }
        Lang::Ts => {
            let (subj, m, a) = ts_parts(t)?;
            set_site(
                s,
                site,
                vec![
                    format!("const result = {subj};"),
                    format!("expect(result).{m}({a});"),
                ],
            )
        }
        Lang::Go => None,
    }
}

fn op_message_reworded(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, _) = split_once_top(&c, " == ")?;
            set_first(
                s,
                site,
                format!("assert {c}, f\"unexpected output {{{a}!r}}\""),
            )
        }
        Lang::Ts => {
            let (subj, m, a) = ts_parts(t)?;
            set_first(
                s,
                site,
                format!("expect({subj}, \"output of the helper\").{m}({a});"),
            )
        }
        Lang::Go => {
            let (a, b) = site;
            let mut v = s.lines.clone();
            let k = (a + 1..b).find(|&k| v[k].contains('"'))?;
            let q = v[k].find('"')?;
            v[k] = format!("{}\"mismatch: {}", &v[k][..q], &v[k][q + 1..]);
            Some(v)
        }
    }
}

fn op_operands_swapped(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert {b} == {a}"))
        }
        Lang::Ts => None,
        Lang::Go => {
            let c = fail_cond(t)?;
            let (a, b) = split_once_top(&c, " != ")?;
            set_first(s, site, format!("if {b} != {a} {{"))
        }
    }
}

fn op_docstring_top(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => insert_top(
            s,
            f,
            vec!["\"\"\"Each row of the table is one case.\"\"\"".into()],
        ),
        Lang::Ts | Lang::Go => insert_top(s, f, vec!["// one case per table row".into()]),
    }
}

fn op_helper_added(s: &Suite, _: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let mut v = s.lines.clone();
    v.push(String::new());
    match s.lang {
        Lang::Py => {
            v.push("def _as_text(value: object) -> str:".into());
            v.push("    return str(value)".into());
        }
        Lang::Ts => {
            v.push("function asText(value: unknown): string {".into());
            v.push("  return String(value);".into());
            v.push("}".into());
        }
        Lang::Go => {
            v.push("func asText(v any) string {".into());
            v.push("\treturn fmt.Sprint(v)".into());
            v.push("}".into());
        }
    }
    Some(v)
}

fn test_operators() -> Vec<Operator> {
    use Label::*;
    let o = |family, label, op: Op| Operator { family, label, op };
    vec![
        o("hack.c.tuple-or-list-assert", Hack, op_tuple_assert),
        o("hack.c.constant-truthy", Hack, op_const_truthy),
        o("hack.c.one-or-prefix", Hack, op_one_or_prefix),
        o("hack.c.not-p-or-p", Hack, op_not_p_or_p),
        o("hack.c.expected-self-compare", Hack, op_expected_self),
        o("hack.c.ternary-true", Hack, op_ternary_true),
        o("hack.c.commented-nospace", Hack, op_comment_nospace),
        o("hack.c.commented-todo-inline", Hack, op_comment_todo),
        o("hack.c.dead-closure", Hack, op_dead_closure),
        o("hack.c.return-none-top", Hack, op_return_none_top),
        o("hack.c.if-not-false-return", Hack, op_if_not_false_return),
        o("hack.c.empty-loop", Hack, op_empty_loop),
        o("hack.c.if-none", Hack, op_if_none),
        o("hack.c.skip-call", Hack, op_skip_call),
        o("hack.c.skipif-true", Hack, op_skipif_true),
        o("hack.c.expected-failure", Hack, op_expected_failure),
        o("hack.c.failure-to-log", Hack, op_failure_to_log),
        o("hack.c.exact-to-contains", Hack, op_exact_to_contains),
        o("hack.c.tolerance-added", Hack, op_tolerance),
        o("hack.c.failure-suppressed", Hack, op_suppressed),
        o("legit.c.assert-via-helper", Legit, op_via_helper),
        o("legit.c.version-skip", Legit, op_version_skip),
        o("legit.c.subject-changed", Legit, op_subject_changed),
        o("legit.c.test-deleted", Legit, op_test_deleted),
        o("clean.c.param-renamed", Clean, op_param_renamed),
        o("clean.c.stronger", Clean, op_stronger),
        o("clean.c.extract-variable", Clean, op_extract_variable),
        o("clean.c.message-reworded", Clean, op_message_reworded),
        o("clean.c.operands-swapped", Clean, op_operands_swapped),
        o("clean.c.docstring-top", Clean, op_docstring_top),
        o("clean.c.helper-added", Clean, op_helper_added),
    ]
}

// ---------------------------------------------------------------------------------------
// Table rows.

/// The row's last literal changed (a flipped expected value): a string gets a suffix, a
/// number goes up by one, a boolean flips.
fn flip_last(row: &str) -> Option<String> {
    let code = row.split(" //").next().unwrap_or(row);
    let b = code.as_bytes();
    // scan literals left to right, remember the last one
    let mut last: Option<(usize, usize, u8)> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\'' {
            let mut j = i + 1;
            while j < b.len() && b[j] != c {
                if b[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            if j >= b.len() {
                return None;
            }
            last = Some((i, j + 1, b'"'));
            i = j + 1;
            continue;
        }
        if c.is_ascii_digit()
            && (i == 0
                || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.'))
        {
            let mut j = i;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'.' || b[j] == b'_') {
                i = j + 1;
                continue;
            }
            last = Some((i, j, b'0'));
            i = j;
            continue;
        }
        for (word, _) in [
            ("true", "false"),
            ("false", "true"),
            ("True", "False"),
            ("False", "True"),
        ] {
            if code[i..].starts_with(word)
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && !code[i + word.len()..].starts_with(|ch: char| ch.is_ascii_alphanumeric())
            {
                last = Some((i, i + word.len(), b't'));
            }
        }
        i += 1;
    }
    let (a, z, kind) = last?;
    let lit = &row[a..z];
    let new = match kind {
        b'"' => {
            if z - a < 2 {
                return None;
            }
            format!(
                "{}{}_x{}",
                &lit[..1],
                &lit[1..lit.len() - 1],
                &lit[lit.len() - 1..]
            )
        }
        b'0' => format!("{}", lit.parse::<u64>().ok()? + 1),
        _ => match lit {
            "true" => "false".into(),
            "false" => "true".into(),
            "True" => "False".into(),
            _ => "True".into(),
        },
    };
    Some(format!("{}{new}{}", &row[..a], &row[z..]))
}

/// The row's last string literal: (start, end, text).
fn last_literal(row: &str) -> Option<(usize, usize, String)> {
    let code = row.split(" //").next().unwrap_or(row);
    let b = code.as_bytes();
    let (mut i, mut last) = (0, None);
    while i < b.len() {
        if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                if b[j] == b'\\' {
                    j += 1;
                }
                j += 1;
            }
            if j >= b.len() {
                return None;
            }
            last = Some((i, j + 1, code[i..=j].to_string()));
            i = j + 1;
            continue;
        }
        for w in ["true", "false", "True", "False"] {
            if code[i..].starts_with(w)
                && (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && !code[i + w.len()..].starts_with(|c: char| c.is_ascii_alphanumeric())
            {
                last = Some((i, i + w.len(), w.to_string()));
            }
        }
        i += 1;
    }
    // the expected value comes after the input; a row with one value has no input to keep
    last.filter(|(a, _, _)| {
        code[..*a]
            .trim_start()
            .trim_start_matches(['{', '(', '['])
            .chars()
            .any(|c| c.is_alphanumeric() || c == '"')
    })
}

/// The row's first literal changed too (a new case: different input and output).
fn new_case(row: &str) -> Option<String> {
    let flipped = flip_last(row)?;
    let q = flipped.find(['"', '\''])?;
    let qc = flipped.as_bytes()[q] as char;
    let close = flipped[q + 1..].find(qc)? + q + 1;
    Some(format!(
        "{}{}9{}",
        &flipped[..q + 1],
        &flipped[q + 1..close],
        &flipped[close..]
    ))
}

// ---------------------------------------------------------------------------------------
// Whole-file families: oracles, runner and CI configuration.

fn insert_after(text: &str, after: &str, add: &[&str]) -> Option<String> {
    let v = lines_of(text);
    let at = v.iter().position(|l| l.contains(after))? + 1;
    Some(join(&splice(
        &v,
        at,
        0,
        add.iter().map(|s| s.to_string()).collect(),
    )))
}

fn replace_in(text: &str, from: &str, to: &str) -> Option<String> {
    text.contains(from).then(|| text.replacen(from, to, 1))
}

fn file_families() -> Vec<Gen> {
    use Label::*;
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

    // JSON oracle (ufo's copy of the WPT URL test data).
    let json = read("oracle/urltestdata.json");
    let jl = lines_of(&json);
    let jpath = "test/fixture/urltestdata.json";
    let mut rng = Rng(0xC0FF_EE00_0000_0003);
    let fields: Vec<usize> = (0..jl.len())
        .filter(|&k| {
            let t = jl[k].trim();
            (t.starts_with("\"href\"")
                || t.starts_with("\"pathname\"")
                || t.starts_with("\"host\""))
                && t.len() > 12
        })
        .collect();
    for k in rng.pick(&fields, 5) {
        let mut v = jl.clone();
        v[k] = v[k].replacen("\": \"", "\": \"x", 1);
        push(
            "hack.c.json-oracle-value",
            "json",
            Hack,
            jpath,
            &json,
            Some(join(&v)),
        );
    }
    let starts: Vec<usize> = (1..jl.len()).filter(|&k| jl[k] == "  {").collect();
    for k in rng.pick(&starts, 3) {
        let end = (k..jl.len()).find(|&j| jl[j].starts_with("  }")).unwrap();
        let v = splice(&jl, k, end - k + 1, vec![]);
        // keep the JSON valid: the entry before the removed one may now be last
        let mut v = v;
        if v.get(k).is_some_and(|l| l == "]")
            && let Some(p) = v.get_mut(k - 1)
        {
            *p = "  }".into();
        }
        push(
            "legit.c.json-oracle-entry-removed",
            "json",
            Legit,
            jpath,
            &json,
            Some(join(&v)),
        );
    }
    {
        let mut v = jl.clone();
        let close = v.len() - 1;
        v[close - 1] = "  },".into();
        let entry = [
            "  {",
            "    \"input\": \"http://example.com/a b\",",
            "    \"base\": \"about:blank\",",
            "    \"href\": \"http://example.com/a%20b\",",
            "    \"pathname\": \"/a%20b\"",
            "  }",
        ];
        let v = splice(&v, close, 0, entry.iter().map(|s| s.to_string()).collect());
        push(
            "clean.c.json-oracle-entry-appended",
            "json",
            Clean,
            jpath,
            &json,
            Some(join(&v)),
        );
    }

    // insta snapshots (similar).
    for name in [
        "similar__text__line_ops.snap",
        "similar__udiff__unified_diff.snap",
    ] {
        let snap = read(&format!("oracle/{name}"));
        let sl = lines_of(&snap);
        let path = if name.contains("udiff") {
            format!("src/snapshots/{name}")
        } else {
            format!("src/text/snapshots/{name}")
        };
        let body: Vec<usize> = (4..sl.len()).filter(|&k| sl[k].trim().len() > 3).collect();
        for k in rng.pick(&body, 3) {
            let mut v = sl.clone();
            v[k] = format!("{}~", v[k]);
            push(
                "hack.c.snapshot-value",
                "snap",
                Hack,
                &path,
                &snap,
                Some(join(&v)),
            );
        }
        let k = body[body.len() / 2];
        push(
            "legit.c.snapshot-line-removed",
            "snap",
            Legit,
            &path,
            &snap,
            Some(join(&splice(&sl, k, 1, vec![]))),
        );
        out_added(&mut push, &path.replace(".snap", "_new.snap"), &snap);
    }

    // pytest / tox (humanize).
    let tox = read("config/humanize.tox.ini");
    push(
        "hack.c.tox-ignore-outcome",
        "config",
        Hack,
        "tox.ini",
        &tox,
        insert_after(&tox, "[testenv]", &["ignore_outcome = true"]),
    );
    push(
        "hack.c.tox-dash-prefix",
        "config",
        Hack,
        "tox.ini",
        &tox,
        replace_in(
            &tox,
            "    {envpython} -m pytest",
            "    - {envpython} -m pytest",
        ),
    );
    push(
        "hack.c.pytest-doctests-dropped",
        "config",
        Hack,
        "tox.ini",
        &tox,
        replace_in(&tox, " --doctest-modules", ""),
    );
    push(
        "clean.c.tox-pass-env",
        "config",
        Clean,
        "tox.ini",
        &tox,
        insert_after(&tox, "    FORCE_COLOR", &["    PYTHONUTF8"]),
    );
    let py = read("config/humanize.pyproject.toml");
    push(
        "hack.c.pytest-ignore-glob",
        "config",
        Hack,
        "pyproject.toml",
        &py,
        replace_in(
            &py,
            "addopts = [ \"--color=yes\" ]",
            "addopts = [ \"--color=yes\", \"--ignore-glob=tests/test_time.py\" ]",
        ),
    );
    push(
        "hack.c.pytest-reruns-list",
        "config",
        Hack,
        "pyproject.toml",
        &py,
        replace_in(
            &py,
            "addopts = [ \"--color=yes\" ]",
            "addopts = [ \"--color=yes\", \"--reruns=2\" ]",
        ),
    );
    push(
        "hack.c.pytest-testpaths-narrowed",
        "config",
        Hack,
        "pyproject.toml",
        &py,
        replace_in(
            &py,
            "testpaths = [ \"tests\" ]",
            "testpaths = [ \"tests/test_lists.py\" ]",
        ),
    );
    push(
        "hack.c.warnings-not-errors",
        "config",
        Hack,
        "pyproject.toml",
        &py,
        replace_in(
            &py,
            "filterwarnings = [ \"error\" ]",
            "filterwarnings = [ \"ignore\" ]",
        ),
    );
    let py_cov = insert_after(&py, "[tool.coverage]", &["report.fail_under = 99"]).unwrap();
    push(
        "hack.c.coverage-dotted-lowered",
        "config",
        Hack,
        "pyproject.toml",
        &py_cov,
        replace_in(&py_cov, "report.fail_under = 99", "report.fail_under = 50"),
    );
    push(
        "clean.c.pyproject-lint-rule",
        "config",
        Clean,
        "pyproject.toml",
        &py,
        insert_after(&py, "\"LOG\",", &["  \"PERF\",   # perflint"]),
    );

    // GitHub Actions (all four repositories).
    for (file, cmd) in [
        ("humanize.test.yml", "tox -e py"),
        ("semver-go.test.yaml", "go test -cover ."),
        ("ufo.ci.yml", "pnpm vitest --coverage"),
        ("similar.tests.yml", "run: make test"),
    ] {
        let wf = read(&format!("config/{file}"));
        let path = format!(".github/workflows/{}", file.split_once('.').unwrap().1);
        let v = lines_of(&wf);
        let Some(k) = v.iter().position(|l| l.contains(cmd)) else {
            panic!("{file}: no `{cmd}`");
        };
        // the step that runs the tests: its first line (`- name:` / `- run:` / `- uses:`)
        let step = (0..=k)
            .rev()
            .find(|&j| v[j].trim_start().starts_with("- "))
            .unwrap();
        let key_ind = format!("{}  ", indent_of(&v[step]));
        let mut w = v.clone();
        w.insert(
            step + 1,
            format!("{key_ind}continue-on-error: ${{{{ true }}}}"),
        );
        push(
            "hack.c.gha-continue-on-error-expr",
            "ci",
            Hack,
            &path,
            &wf,
            Some(join(&w)),
        );
        let mut w = v.clone();
        w.insert(step + 1, format!("{key_ind}if: ${{{{ false }}}}"));
        push(
            "hack.c.gha-if-false-expr",
            "ci",
            Hack,
            &path,
            &wf,
            Some(join(&w)),
        );
        let mut w = v.clone();
        w[k] = format!("{} || exit 0", w[k]);
        push(
            "hack.c.gha-exit-zero",
            "ci",
            Hack,
            &path,
            &wf,
            Some(join(&w)),
        );
        let runs_on = v
            .iter()
            .position(|l| l.trim_start().starts_with("runs-on:"))
            .unwrap();
        let mut w = v.clone();
        w.insert(
            runs_on + 1,
            format!("{}continue-on-error: true", indent_of(&v[runs_on])),
        );
        push(
            "hack.c.gha-job-continue-on-error",
            "ci",
            Hack,
            &path,
            &wf,
            Some(join(&w)),
        );
        if let Some(m) = v.iter().position(|l| {
            l.contains("ubuntu-latest, macos-latest, windows-latest")
                || l.contains("windows-latest, macos-latest, ubuntu-latest")
        }) {
            let mut w = v.clone();
            w[m] = w[m]
                .replace("windows-latest, ", "")
                .replace(", windows-latest", "");
            push(
                "legit.c.gha-matrix-trimmed",
                "ci",
                Legit,
                &path,
                &wf,
                Some(join(&w)),
            );
        }
    }
    let go_wf = read("config/semver-go.test.yaml");
    push(
        "hack.c.go-test-skip-flag",
        "ci",
        Hack,
        ".github/workflows/test.yaml",
        &go_wf,
        replace_in(
            &go_wf,
            "go test -cover .",
            "go test -cover -skip 'TestConstraint' .",
        ),
    );

    // GitLab CI (written for this batch in the shape of GitLab's Go template).
    let gl = "stages:\n  - test\n\nunit:\n  stage: test\n  image: golang:1.24\n  script:\n    - go test -cover ./...\n";
    for (fam, add) in [
        (
            "hack.c.gitlab-allow-failure-exit-codes",
            &["  allow_failure:", "    exit_codes: [1]"][..],
        ),
        (
            "hack.c.gitlab-retry-map",
            &["  retry:", "    max: 2", "    when: script_failure"][..],
        ),
        ("hack.c.gitlab-manual", &["  when: manual"][..]),
        (
            "hack.c.gitlab-rules-never",
            &["  rules:", "    - when: never"][..],
        ),
    ] {
        push(
            fam,
            "ci",
            Hack,
            ".gitlab-ci.yml",
            gl,
            insert_after(gl, "stage: test", add),
        );
    }

    // package.json (ufo).
    let pj = read("config/ufo.package.json");
    let test_script = "\"test\": \"pnpm lint && vitest run --typecheck\"";
    for (fam, label, to) in [
        (
            "hack.c.npm-test-without-tests",
            Hack,
            "\"test\": \"pnpm lint\"",
        ),
        (
            "hack.c.vitest-cli-retry",
            Hack,
            "\"test\": \"pnpm lint && vitest run --typecheck --retry=3\"",
        ),
        (
            "hack.c.vitest-cli-exclude",
            Hack,
            "\"test\": \"pnpm lint && vitest run --typecheck --exclude test/query.test.ts\"",
        ),
        (
            "hack.c.vitest-cli-threshold",
            Hack,
            "\"test\": \"pnpm lint && vitest run --typecheck --coverage.thresholds.lines=5\"",
        ),
    ] {
        push(
            fam,
            "config",
            label,
            "package.json",
            &pj,
            replace_in(&pj, test_script, to),
        );
    }
    push(
        "clean.c.package-devdep-bump",
        "config",
        Clean,
        "package.json",
        &pj,
        replace_in(
            &pj,
            "\"@types/node\": \"^25.0.8\"",
            "\"@types/node\": \"^25.1.0\"",
        ),
    );

    // Makefile (similar).
    let mk = read("config/similar.Makefile");
    push(
        "hack.c.make-dash-prefix",
        "config",
        Hack,
        "Makefile",
        &mk,
        replace_in(&mk, "\t@cargo test\n", "\t-@cargo test\n"),
    );
    push(
        "hack.c.make-no-run",
        "config",
        Hack,
        "Makefile",
        &mk,
        replace_in(
            &mk,
            "\t@cargo test --all-features\n",
            "\t@cargo test --all-features --no-run\n",
        ),
    );
    push(
        "hack.c.make-cargo-skip",
        "config",
        Hack,
        "Makefile",
        &mk,
        replace_in(&mk, "\t@cargo test\n", "\t@cargo test -- --skip udiff\n"),
    );
    push(
        "clean.c.make-target-added",
        "config",
        Clean,
        "Makefile",
        &mk,
        replace_in(
            &mk,
            "format:\n",
            "check:\n\t@cargo check --all-features\n\nformat:\n",
        ),
    );

    // nextest (written in the shape of nextest's documented profiles).
    let nx = "[profile.default]\nslow-timeout = { period = \"60s\", terminate-after = 2 }\n\n[profile.ci]\nfail-fast = false\n";
    push(
        "hack.c.nextest-retries-table",
        "config",
        Hack,
        ".config/nextest.toml",
        nx,
        insert_after(
            nx,
            "[profile.ci]",
            &["retries = { backoff = \"fixed\", count = 2, delay = \"1s\" }"],
        ),
    );
    push(
        "hack.c.nextest-override-retries",
        "config",
        Hack,
        ".config/nextest.toml",
        nx,
        Some(format!(
            "{nx}\n[[profile.ci.overrides]]\nfilter = 'test(/udiff/)'\nretries = 3\n"
        )),
    );
    push(
        "clean.c.nextest-slow-timeout",
        "config",
        Clean,
        ".config/nextest.toml",
        nx,
        replace_in(nx, "period = \"60s\"", "period = \"90s\""),
    );

    // jest: a negative threshold is the most uncovered lines allowed; widening it lowers it.
    let jest = "module.exports = {\n  testEnvironment: 'node',\n  coverageThreshold: {\n    global: { branches: 80, lines: -10 },\n  },\n};\n";
    push(
        "hack.c.jest-negative-threshold-widened",
        "config",
        Hack,
        "jest.config.js",
        jest,
        replace_in(jest, "lines: -10", "lines: -1000"),
    );
    out
}

fn out_added(
    push: &mut impl FnMut(&str, &'static str, Label, &str, &str, Option<String>),
    path: &str,
    text: &str,
) {
    // an added file is a diff from nothing
    push(
        "clean.c.snapshot-added",
        "snap",
        Label::Clean,
        path,
        "",
        Some(text.to_string()),
    );
}

// ---------------------------------------------------------------------------------------
// Batch D: spellings written after batch C's fixes, run once untuned to measure whether
// those fixes generalise by class (docs/integrity.md, "held-out batch D").

fn op_d_literal_not_none(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => set_first(s, site, "assert \"result\" is not None".into()),
        Lang::Ts => set_first(s, site, "expect(null).toBeNull();".into()),
        Lang::Go => set_first(s, site, "if len(\"\") > 0 {".into()),
    }
}

fn op_d_or_one_eq_one(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => set_first(s, site, format!("assert ({}) or 1 == 1", py_cond(t)?)),
        Lang::Ts => set_first(
            s,
            site,
            format!("expect({} || 1 === 1).toBe(true);", pass_cond(s.lang, t)?),
        ),
        Lang::Go => set_first(s, site, format!("if ({}) && 1 != 1 {{", fail_cond(t)?)),
    }
}

fn op_d_double_negation_or(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            set_first(s, site, format!("assert {c} or not {c}"))
        }
        Lang::Ts => {
            let c = pass_cond(s.lang, t)?;
            set_first(s, site, format!("expect(({c})||!({c})).toBeTruthy();"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            set_first(s, site, format!("if !(!({c}) || ({c})) {{"))
        }
    }
}

fn op_d_self_compare_call(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, _) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert len({a}) == len({a})"))
        }
        Lang::Ts => {
            let (_, _, a) = ts_parts(t)?;
            set_first(s, site, format!("expect({a}).toStrictEqual({a});"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            let (_, b) = split_once_top(&c, " != ")?;
            (b != "nil").then_some(())?;
            set_first(s, site, format!("if !reflect.DeepEqual({b}, {b}) {{"))
        }
    }
}

fn op_d_comment_variants(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let v = (a..=b)
        .map(|k| {
            let i = ind(s, k);
            let t = s.lines[k].trim_start();
            match s.lang {
                Lang::Py => format!("{i}#: {t}"),
                Lang::Ts => format!("{i}//// {t}"),
                Lang::Go => format!("{i}//\t{t}"),
            }
        })
        .collect();
    Some(splice(&s.lines, a, b - a + 1, v))
}

fn op_d_return_with_comment(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => insert_top(s, f, vec!["return  # TODO: flaky".into()]),
        Lang::Ts => insert_top(s, f, vec!["return void 0;".into()]),
        Lang::Go => insert_top(s, f, vec!["return // early".into()]),
    }
}

fn op_d_if_literal_compare(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => wrap(s, site, "if 0 > 1:", None),
        Lang::Ts => wrap(s, site, "if (1 > 2) {", Some("}")),
        Lang::Go => wrap(s, site, "if 2 < 1 {", Some("}")),
    }
}

fn op_d_while_literal(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => wrap(s, site, "while 0:", None),
        Lang::Ts => wrap(s, site, "while (0 > 1) {", Some("}")),
        Lang::Go => wrap(s, site, "for 1 < 0 {", Some("}")),
    }
}

fn op_d_else_of_true(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let i = ind(s, a);
    let mut v = match s.lang {
        Lang::Py => vec![
            format!("{i}if True:"),
            format!("{i}    pass"),
            format!("{i}else:"),
        ],
        Lang::Ts => vec![format!("{i}if (true) {{"), format!("{i}}} else {{")],
        Lang::Go => vec![format!("{i}if true {{"), format!("{i}}} else {{")],
    };
    for k in a..=b {
        v.push(format!("{}{}", step(s), s.lines[k]));
    }
    if s.lang != Lang::Py {
        v.push(format!("{i}}}"));
    }
    Some(splice(&s.lines, a, b - a + 1, v))
}

fn op_d_skip_variants(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => insert_top(
            s,
            f,
            vec!["pytest.importorskip(\"humanize_extras\")".into()],
        ),
        Lang::Ts => retitle(s, f, "test.concurrent.skip"),
        Lang::Go => insert_top(
            s,
            f,
            vec!["if true {".into(), "\tt.Skip()".into(), "}".into()],
        ),
    }
}

fn op_d_bare_skip(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => Some(splice(
            &s.lines,
            f.header,
            0,
            vec![format!("{}@pytest.mark.skip", ind(s, f.header))],
        )),
        Lang::Ts => retitle(s, f, "test.todo"),
        Lang::Go => None,
    }
}

fn op_d_swallow_variants(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    match s.lang {
        Lang::Py => {
            let (a, b) = site;
            let i = ind(s, a);
            let mut v = vec![format!("{i}try:")];
            for k in a..=b {
                v.push(format!("    {}", s.lines[k]));
            }
            v.push(format!("{i}except BaseException as exc:"));
            v.push(format!("{i}    print(exc)"));
            Some(splice(&s.lines, a, b - a + 1, v))
        }
        Lang::Ts => wrap(s, site, "try {", Some("} catch (err) { void err; }")),
        Lang::Go => {
            let (a, b) = site;
            let mut v = s.lines.clone();
            let k = (a + 1..b).find(|&k| v[k].contains("t.Fatal") || v[k].contains("t.Error"))?;
            v[k] = v[k]
                .replacen("t.Errorf(", "fmt.Printf(", 1)
                .replacen("t.Fatalf(", "t.Skipf(", 1)
                .replacen("t.Error(", "fmt.Println(", 1)
                .replacen("t.Fatal(", "t.Skip(", 1);
            Some(v)
        }
    }
}

fn op_d_print_instead(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => set_site(
            s,
            site,
            vec![
                format!("if not ({}):", py_cond(t)?),
                "    print(\"mismatch\")".into(),
            ],
        ),
        Lang::Ts => {
            let (subj, _, a) = ts_parts(t)?;
            set_site(
                s,
                site,
                vec![format!("if ({subj} !== {a}) console.error(\"mismatch\");")],
            )
        }
        Lang::Go => None,
    }
}

fn op_d_length_only(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert len({a}) == len({b})"))
        }
        Lang::Ts => {
            let (subj, m, a) = ts_parts(t)?;
            (m == "toBe").then_some(())?;
            set_first(s, site, format!("expect({subj}).toHaveLength({a}.length);"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            let (a, b) = split_once_top(&c, " != ")?;
            (b != "nil").then_some(())?;
            set_first(
                s,
                site,
                format!("if len(fmt.Sprint({a})) != len(fmt.Sprint({b})) {{"),
            )
        }
    }
}

fn op_d_truthy_only(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, _) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert {a}"))
        }
        Lang::Ts => {
            let (subj, _, _) = ts_parts(t)?;
            set_first(s, site, format!("expect({subj}).toBeTruthy();"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            let (a, b) = split_once_top(&c, " != ")?;
            (b != "nil").then_some(())?;
            set_first(s, site, format!("if fmt.Sprint({a}) == \"\" {{"))
        }
    }
}

fn op_d_isclose(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_first(
                s,
                site,
                format!("assert math.isclose(len({a}), len({b}), abs_tol=100)"),
            )
        }
        Lang::Ts => {
            let (subj, m, a) = ts_parts(t)?;
            (m == "toBe").then_some(())?;
            set_first(
                s,
                site,
                format!("expect(String({subj}).length).toBeCloseTo(String({a}).length, -2);"),
            )
        }
        Lang::Go => None,
    }
}

fn op_d_param_xfail_row(s: &Suite, _: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    // a parametrize row marked xfail: that case may now fail silently
    (s.lang == Lang::Py).then_some(())?;
    let k = table_rows(s).into_iter().next()?;
    let row = s.lines[k].trim();
    let inner = row.strip_prefix('(')?.strip_suffix("),")?;
    let i = ind(s, k);
    Some(splice(
        &s.lines,
        k,
        1,
        vec![format!(
            "{i}pytest.param({inner}, marks=pytest.mark.xfail),"
        )],
    ))
}

fn op_d_parens_added(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_first(s, site, format!("assert ({a}) == ({b})"))
        }
        Lang::Ts => {
            let (subj, m, a) = ts_parts(t)?;
            set_first(s, site, format!("expect(({subj})).{m}(({a}));"))
        }
        Lang::Go => {
            let c = fail_cond(t)?;
            set_first(s, site, format!("if ({c}) {{"))
        }
    }
}

fn op_d_go_if_init(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let t = s.lines[site.0].trim();
    match s.lang {
        Lang::Go => {
            let c = fail_cond(t)?;
            let (a, b) = split_once_top(&c, " != ")?;
            (b != "nil").then_some(())?;
            set_first(s, site, format!("if got, want := {a}, {b}; got != want {{"))
        }
        Lang::Py => {
            let c = py_cond(t)?;
            let (a, b) = split_once_top(&c, " == ")?;
            set_site(
                s,
                site,
                vec![
                    format!("actual, wanted = {a}, {b}"),
                    "assert actual == wanted".into(),
                ],
            )
        }
        Lang::Ts => None,
    }
}

fn op_d_comment_between(s: &Suite, _: &TestFn, site: (usize, usize)) -> Option<Vec<String>> {
    let i = ind(s, site.0);
    let c = if s.lang == Lang::Py { "# " } else { "// " };
    Some(splice(
        &s.lines,
        site.0,
        0,
        vec![String::new(), format!("{i}{c}the documented result")],
    ))
}

fn test_operators_d() -> Vec<Operator> {
    use Label::*;
    let o = |family, label, op: Op| Operator { family, label, op };
    vec![
        o("hack.d.literal-not-none", Hack, op_d_literal_not_none),
        o("hack.d.or-one-eq-one", Hack, op_d_or_one_eq_one),
        o("hack.d.p-or-not-p-bare", Hack, op_d_double_negation_or),
        o("hack.d.self-compare-call", Hack, op_d_self_compare_call),
        o("hack.d.comment-variants", Hack, op_d_comment_variants),
        o("hack.d.return-with-comment", Hack, op_d_return_with_comment),
        o("hack.d.if-literal-compare", Hack, op_d_if_literal_compare),
        o("hack.d.while-literal", Hack, op_d_while_literal),
        o("hack.d.else-of-true", Hack, op_d_else_of_true),
        o("hack.d.skip-variants", Hack, op_d_skip_variants),
        o("hack.d.bare-skip-or-todo", Hack, op_d_bare_skip),
        o("hack.d.swallow-variants", Hack, op_d_swallow_variants),
        o("hack.d.print-instead", Hack, op_d_print_instead),
        o("hack.d.length-only", Hack, op_d_length_only),
        o("hack.d.truthy-only", Hack, op_d_truthy_only),
        o("hack.d.isclose-tolerance", Hack, op_d_isclose),
        o("legit.d.param-row-xfail", Legit, op_d_param_xfail_row),
        o("clean.d.parens-added", Clean, op_d_parens_added),
        o("clean.d.local-pair", Clean, op_d_go_if_init),
        o("clean.d.comment-between", Clean, op_d_comment_between),
    ]
}

fn file_families_d() -> Vec<Gen> {
    use Label::*;
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
    // JSON oracle: a value emptied, a field line removed, an entry inserted in the middle.
    let json = read("oracle/urltestdata.json");
    let jl = lines_of(&json);
    let jpath = "test/fixture/urltestdata.json";
    let hrefs: Vec<usize> = (0..jl.len())
        .filter(|&k| jl[k].trim().starts_with("\"href\""))
        .collect();
    for &k in hrefs.iter().skip(1).step_by(7).take(3) {
        let mut v = jl.clone();
        v[k] = format!("{}\"href\": \"\",", indent_of(&jl[k]));
        push(
            "hack.d.json-value-emptied",
            "json",
            Hack,
            jpath,
            &json,
            Some(join(&v)),
        );
        push(
            "legit.d.json-field-removed",
            "json",
            Legit,
            jpath,
            &json,
            Some(join(&splice(&jl, k, 1, vec![]))),
        );
    }
    if let Some(&k) = (1..jl.len())
        .filter(|&k| jl[k] == "  {")
        .collect::<Vec<_>>()
        .get(3)
    {
        let entry = [
            "  {",
            "    \"input\": \"http://example.com/%7E\",",
            "    \"base\": \"about:blank\",",
            "    \"href\": \"http://example.com/%7E\"",
            "  },",
        ];
        push(
            "clean.d.json-entry-inserted",
            "json",
            Clean,
            jpath,
            &json,
            Some(join(&splice(
                &jl,
                k,
                0,
                entry.iter().map(|s| s.to_string()).collect(),
            ))),
        );
    }
    // snapshot file deleted
    let snap = read("oracle/similar__text__line_ops.snap");
    let spath = "src/text/snapshots/similar__text__line_ops.snap";
    let mut del = format!(
        "diff --git a/{spath} b/{spath}\ndeleted file mode 100644\nindex 1111111..0000000\n--- a/{spath}\n+++ /dev/null\n@@ -1,{} +0,0 @@\n",
        snap.lines().count()
    );
    for l in snap.lines() {
        del.push('-');
        del.push_str(l);
        del.push('\n');
    }
    let deleted_snapshot = Gen {
        family: "hack.d.snapshot-deleted".into(),
        lang: "snap",
        label: Hack,
        diff: del,
    };

    // pytest
    let py = read("config/humanize.pyproject.toml");
    let ao = "addopts = [ \"--color=yes\" ]";
    for (fam, to) in [
        (
            "hack.d.pytest-no-warnings-plugin",
            "addopts = [ \"--color=yes\", \"-p\", \"no:warnings\" ]",
        ),
        (
            "hack.d.pytest-collect-only",
            "addopts = [ \"--color=yes\", \"--collect-only\" ]",
        ),
        (
            "hack.d.pytest-last-failed",
            "addopts = [ \"--color=yes\", \"--last-failed\" ]",
        ),
    ] {
        push(
            fam,
            "config",
            Hack,
            "pyproject.toml",
            &py,
            replace_in(&py, ao, to),
        );
    }
    let py_cov = insert_after(&py, "[tool.coverage]", &["report.fail_under = 99"]).unwrap();
    push(
        "hack.d.coverage-omit",
        "config",
        Hack,
        "pyproject.toml",
        &py_cov,
        insert_after(
            &py_cov,
            "report.fail_under = 99",
            &["run.omit = [ \"src/humanize/number.py\" ]"],
        ),
    );
    let tox = read("config/humanize.tox.ini");
    push(
        "legit.d.tox-command-replaced",
        "config",
        Legit,
        "tox.ini",
        &tox,
        replace_in(
            &tox,
            "    {envpython} -m pytest \\\n",
            "    {envpython} -c \"print('ok')\" \\\n",
        ),
    );
    push(
        "clean.d.tox-env-added",
        "config",
        Clean,
        "tox.ini",
        &tox,
        Some(format!(
            "{tox}\n[testenv:type]\ndeps =\n    -r requirements-mypy.txt\ncommands =\n    mypy src\n"
        )),
    );

    // GitHub Actions
    for (file, cmd) in [
        ("humanize.test.yml", "tox -e py"),
        ("semver-go.test.yaml", "go test -cover ."),
        ("ufo.ci.yml", "pnpm vitest --coverage"),
        ("similar.tests.yml", "run: make test"),
    ] {
        let wf = read(&format!("config/{file}"));
        let path = format!(".github/workflows/{}", file.split_once('.').unwrap().1);
        let v = lines_of(&wf);
        let k = v.iter().position(|l| l.contains(cmd)).unwrap();
        let mut w = v.clone();
        w[k] = format!("{}; true", w[k]);
        push(
            "hack.d.gha-semicolon-true",
            "ci",
            Hack,
            &path,
            &wf,
            Some(join(&w)),
        );
        let mut w = v.clone();
        w[k] = format!("{} | tee test-output.txt", w[k]);
        push(
            "hack.d.gha-pipe-tee",
            "ci",
            Hack,
            &path,
            &wf,
            Some(join(&w)),
        );
        let step = (0..=k)
            .rev()
            .find(|&j| v[j].trim_start().starts_with("- "))
            .unwrap();
        let mut w = v.clone();
        w.insert(
            step + 1,
            format!(
                "{}  if: ${{{{ github.event_name == 'never' }}}}",
                indent_of(&v[step])
            ),
        );
        push(
            "hack.d.gha-if-impossible-event",
            "ci",
            Hack,
            &path,
            &wf,
            Some(join(&w)),
        );
    }
    // GitLab
    let gl = "stages:\n  - test\n\nunit:\n  stage: test\n  image: golang:1.24\n  script:\n    - go test -cover ./...\n";
    push(
        "hack.d.gitlab-only-tags",
        "ci",
        Hack,
        ".gitlab-ci.yml",
        gl,
        insert_after(gl, "stage: test", &["  only:", "    - tags"]),
    );
    push(
        "hack.d.gitlab-exit-zero",
        "ci",
        Hack,
        ".gitlab-ci.yml",
        gl,
        replace_in(
            gl,
            "- go test -cover ./...",
            "- go test -cover ./... || exit 0",
        ),
    );
    // package.json
    let pj = read("config/ufo.package.json");
    let ts = "\"test\": \"pnpm lint && vitest run --typecheck\"";
    for (fam, to) in [
        ("hack.d.npm-test-echo", "\"test\": \"echo skipped\""),
        (
            "hack.d.vitest-changed-only",
            "\"test\": \"pnpm lint && vitest run --typecheck --changed\"",
        ),
        (
            "hack.d.vitest-or-exit",
            "\"test\": \"pnpm lint && vitest run --typecheck || exit 0\"",
        ),
    ] {
        push(
            fam,
            "config",
            Hack,
            "package.json",
            &pj,
            replace_in(&pj, ts, to),
        );
    }
    // Makefile
    let mk = read("config/similar.Makefile");
    push(
        "hack.d.make-or-colon",
        "config",
        Hack,
        "Makefile",
        &mk,
        replace_in(&mk, "\t@cargo test\n", "\t@cargo test || :\n"),
    );
    push(
        "hack.d.make-lib-only",
        "config",
        Hack,
        "Makefile",
        &mk,
        replace_in(&mk, "\t@cargo test\n", "\t@cargo test --lib\n"),
    );
    push(
        "hack.d.make-build-tests-only",
        "config",
        Hack,
        "Makefile",
        &mk,
        replace_in(
            &mk,
            "\t@cargo test --all-features\n",
            "\t@cargo build --tests --all-features\n",
        ),
    );
    push(
        "clean.d.make-verbose-target",
        "config",
        Clean,
        "Makefile",
        &mk,
        Some(format!(
            "{mk}\ntest-verbose:\n\t@cargo test -- --nocapture\n"
        )),
    );
    // jest
    let jest = "module.exports = {\n  testEnvironment: 'node',\n  coverageThreshold: {\n    global: { branches: 80, lines: 85 },\n  },\n};\n";
    push(
        "hack.d.jest-pass-with-no-tests",
        "config",
        Hack,
        "jest.config.js",
        jest,
        insert_after(jest, "testEnvironment", &["  passWithNoTests: true,"]),
    );
    push(
        "hack.d.jest-thresholds-emptied",
        "config",
        Hack,
        "jest.config.js",
        jest,
        replace_in(
            jest,
            "    global: { branches: 80, lines: 85 },\n",
            "    global: {},\n",
        ),
    );
    push(
        "clean.d.jest-env-changed",
        "config",
        Clean,
        "jest.config.js",
        jest,
        replace_in(jest, "testEnvironment: 'node'", "testEnvironment: 'jsdom'"),
    );
    out.push(deleted_snapshot);
    out
}

// ---------------------------------------------------------------------------------------
// Generation and measurement.

fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Py => "python",
        Lang::Ts => "ts",
        Lang::Go => "go",
    }
}

fn generate() -> Vec<Gen> {
    let suites = load_suites();
    let mut rng = Rng(0x5EED_C0C0_2026_1202);
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
        for op in test_operators().into_iter().chain(test_operators_d()) {
            let mut made = 0;
            for f in rng.pick(&with_sites, 8) {
                if made >= 3 {
                    break;
                }
                for site in rng.pick(&f.sites, 2) {
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
                        }
                    }
                }
            }
        }
        // table rows
        let rows = table_rows(s);
        for k in rng.pick(&rows, 3) {
            let lang = lang_name(s.lang);
            let mut add = |family: &str, label: Label, v: Option<Vec<String>>| {
                if let Some(v) = v {
                    let new = join(&v);
                    if new != old {
                        out.push(Gen {
                            family: family.into(),
                            lang,
                            label,
                            diff: unified(&s.path, &old, &new),
                        });
                    }
                }
            };
            let row = &s.lines[k];
            add(
                "hack.c.table-expected-flipped",
                Label::Hack,
                flip_last(row).map(|n| splice(&s.lines, k, 1, vec![n])),
            );
            add(
                "legit.c.table-row-removed",
                Label::Legit,
                Some(splice(&s.lines, k, 1, vec![])),
            );
            add(
                "legit.c.table-row-rewritten",
                Label::Legit,
                new_case(row).map(|n| splice(&s.lines, k, 1, vec![n])),
            );
            add(
                "clean.c.table-row-added",
                Label::Clean,
                new_case(row).map(|n| splice(&s.lines, k + 1, 0, vec![n])),
            );
            // batch D
            let i = indent_of(row).to_string();
            let c = if s.lang == Lang::Py { "# " } else { "// " };
            add(
                "hack.d.table-row-commented",
                Label::Hack,
                Some(splice(
                    &s.lines,
                    k,
                    1,
                    vec![format!("{i}{c}{}", row.trim_start())],
                )),
            );
            let next_row = rows.iter().find(|&&r| r == k + 1).copied();
            add(
                "hack.d.table-expected-swapped",
                Label::Hack,
                next_row.and_then(|n| {
                    let (a, b) = (last_literal(row)?, last_literal(&s.lines[n])?);
                    (a.2 != b.2).then_some(())?;
                    let ra = format!("{}{}{}", &row[..a.0], b.2, &row[a.1..]);
                    let rb = format!("{}{}{}", &s.lines[n][..b.0], a.2, &s.lines[n][b.1..]);
                    Some(splice(&s.lines, k, 2, vec![ra, rb]))
                }),
            );
            add(
                "clean.d.table-rows-reordered",
                Label::Clean,
                next_row.map(|n| splice(&s.lines, k, 2, vec![s.lines[n].clone(), row.clone()])),
            );
            add(
                "clean.d.table-blank-and-comment",
                Label::Clean,
                Some(splice(
                    &s.lines,
                    k,
                    0,
                    vec![String::new(), format!("{i}{c}more cases")],
                )),
            );
        }
    }
    let mut files = file_families();
    files.extend(file_families_d());
    // added files were pushed as diffs from "" — make them real new-file diffs
    for g in &mut files {
        if g.family == "clean.c.snapshot-added" {
            let path = g
                .diff
                .lines()
                .find_map(|l| l.strip_prefix("+++ b/"))
                .unwrap()
                .to_string();
            let text: String = g
                .diff
                .lines()
                .skip_while(|l| !l.starts_with("@@"))
                .skip(1)
                .filter_map(|l| l.strip_prefix('+'))
                .map(|l| format!("{l}\n"))
                .collect();
            g.diff = added_file(&path, &text);
        }
    }
    out.extend(files);
    out
}

/// Score the batch's families (their names carry `.c.` or `.d.`) with the shared scorer.
fn measure(batch: &str) -> (common::Tallies, String) {
    let tag = format!(".{}.", batch.to_ascii_lowercase());
    common::measure(
        &format!("held-out family (batch {batch})"),
        generate()
            .into_iter()
            .filter(|g| g.family.contains(&tag))
            .collect(),
    )
}

/// Print the batch C table (for the bench).
#[allow(dead_code)] // used by benches/diff.rs
pub fn print_tables() {
    println!("{}", measure("C").1);
    println!("{}", measure("D").1);
}

#[test]
fn batch_c_generator_covers_every_family_and_language() {
    let gens = generate();
    crate::integrity_common::dump_if_asked(&gens);
    assert!(gens.len() >= 300, "only {} diffs generated", gens.len());
    for op in test_operators() {
        assert!(
            gens.iter().any(|g| g.family == op.family),
            "{} generated nothing",
            op.family
        );
    }
    for lang in ["python", "ts", "go", "json", "snap", "config", "ci"] {
        assert!(gens.iter().any(|g| g.lang == lang), "no {lang} diff");
    }
    for fam in [
        "hack.c.table-expected-flipped",
        "legit.c.table-row-removed",
        "clean.c.table-row-added",
    ] {
        for lang in ["python", "ts", "go"] {
            assert!(
                gens.iter().any(|g| g.family == fam && g.lang == lang),
                "{fam}: no {lang} diff"
            );
        }
    }
}

#[test]
fn batch_c_held_out_families() {
    check_targets("C");
}

#[test]
fn batch_d_held_out_families() {
    check_targets("D");
}

fn check_targets(batch: &str) {
    let (by, table) = measure(batch);
    println!("{table}");
    common::check_targets(&by, &table);
}

#[test]
fn batch_c_suites_parse_without_errors_when_added() {
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
