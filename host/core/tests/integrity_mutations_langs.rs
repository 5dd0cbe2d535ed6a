//! The mutation generator for the Kotlin, C# and Ruby grammars: real test files from
//! michaelbull/kotlin-result (Kotlin, kotlin.test), khellang/Scrutor (C#, xUnit) and
//! thoughtbot/climate_control (Ruby, RSpec) — see `tests/fixtures/suites/PROVENANCE.md` — are
//! mutated by hack operators (must be flagged), legitimate edits (must go to review) and clean
//! operators (must pass), and every generated diff is scanned. Assertions here are often
//! statements over several lines (`assertEquals(\n expected = …,\n actual = …,\n)`); the
//! operators act on the whole statement.
//!
//! Protocol: the operators marked `held_out` were written together with the others, before the
//! grammars were tuned, and were run only to take their figures; the scanner was developed on
//! the rest (`kotlin_csharp_ruby_development_families`). Figures per operator and language are
//! printed (`-- --nocapture`) and by `cargo bench -p strive-core --bench diff`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use strive_core::integrity::scan_diff;

use crate::integrity_common::{Label, Rng, indent_of, unified};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Lang {
    Kotlin,
    CSharp,
    Ruby,
}

struct Suite {
    lang: Lang,
    path: String,
    lines: Vec<String>,
}

/// One test: the marker line (`@Test`, `[Fact]`, or the `it` line itself), the header, the
/// first and last body lines, and its assertion statements as inclusive line spans.
#[derive(Clone, Debug)]
struct TestFn {
    marker: usize,
    header: usize,
    body: usize,
    end: usize,
    asserts: Vec<(usize, usize)>,
}

fn suites_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suites")
}

fn load_suites() -> Vec<Suite> {
    let mut out = Vec::new();
    for (dir, lang, prefix) in [
        (
            "kotlin",
            Lang::Kotlin,
            "kotlin-result/src/commonTest/kotlin/com/github/michaelbull/result/",
        ),
        ("csharp", Lang::CSharp, "test/Scrutor.Tests/"),
        ("ruby", Lang::Ruby, "spec/acceptance/"),
    ] {
        let mut names: Vec<PathBuf> = std::fs::read_dir(suites_dir().join(dir))
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

/// Net bracket depth change of a line, outside string literals.
fn depth_change(line: &str) -> i32 {
    let mut d = 0;
    let mut quote: Option<char> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                if c == '\\' {
                    chars.next();
                } else if c == q {
                    quote = None;
                }
            }
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' | '{' => d += 1,
                ')' | ']' | '}' => d -= 1,
                _ => {}
            },
        }
    }
    d
}

fn is_assert_head(lang: Lang, t: &str) -> bool {
    match lang {
        Lang::Kotlin => t.starts_with("assert"),
        Lang::CSharp => t.starts_with("Assert.") || t.contains(".Should()"),
        Lang::Ruby => t.starts_with("expect(") || t.starts_with("expect {"),
    }
}

fn test_fns(s: &Suite) -> Vec<TestFn> {
    let l = &s.lines;
    let mut out = Vec::new();
    for i in 0..l.len() {
        let t = l[i].trim();
        let (marker, header, body) = match s.lang {
            Lang::Kotlin if t == "@Test" => {
                let Some(h) = (i + 1..l.len()).find(|&j| l[j].trim().starts_with("fun ")) else {
                    continue;
                };
                if !l[h].trim_end().ends_with('{') {
                    continue;
                }
                (i, h, h + 1)
            }
            Lang::CSharp if t == "[Fact]" || t.starts_with("[Theory") => {
                let Some(h) = (i + 1..l.len()).find(|&j| l[j].trim().starts_with("public ")) else {
                    continue;
                };
                if l.get(h + 1).map(|x| x.trim()) != Some("{") {
                    continue;
                }
                (i, h, h + 2)
            }
            Lang::Ruby if t.starts_with("it \"") && t.ends_with(" do") => (i, i, i + 1),
            _ => continue,
        };
        let close = match s.lang {
            Lang::CSharp => format!("{}}}", indent_of(&l[header])),
            Lang::Kotlin => format!("{}}}", indent_of(&l[header])),
            Lang::Ruby => format!("{}end", indent_of(&l[header])),
        };
        let Some(end) = (body..l.len()).find(|&j| l[j] == close) else {
            continue;
        };
        let mut asserts = Vec::new();
        let mut j = body;
        while j < end {
            let t = l[j].trim();
            if is_assert_head(s.lang, t) {
                let mut depth = 0;
                let mut k = j;
                loop {
                    depth += depth_change(&l[k]);
                    if depth <= 0 || k + 1 >= end {
                        break;
                    }
                    k += 1;
                }
                if depth == 0 {
                    asserts.push((j, k));
                }
                j = k + 1;
            } else {
                j += 1;
            }
        }
        out.push(TestFn {
            marker,
            header,
            body,
            end: end - 1,
            asserts,
        });
    }
    out
}

fn comment(lang: Lang) -> &'static str {
    if lang == Lang::Ruby { "# " } else { "// " }
}

fn early_return(lang: Lang) -> &'static str {
    match lang {
        Lang::CSharp => "return;",
        _ => "return",
    }
}

fn always_passes(lang: Lang) -> &'static str {
    match lang {
        Lang::Kotlin => "assertTrue(true)",
        Lang::CSharp => "Assert.True(true);",
        Lang::Ruby => "expect(true).to be true",
    }
}

type Op = fn(&Suite, &TestFn, (usize, usize)) -> Option<Vec<String>>;

fn splice(s: &Suite, a: usize, b: usize, with: Vec<String>) -> Vec<String> {
    let mut l = s.lines.clone();
    l.splice(a..=b, with);
    l
}

fn op_delete(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    Some(splice(s, a, b, Vec::new()))
}

fn op_comment(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let with = (a..=b)
        .map(|i| {
            let l = &s.lines[i];
            format!("{}{}{}", indent_of(l), comment(s.lang), l.trim_start())
        })
        .collect();
    Some(splice(s, a, b, with))
}

fn op_early_return(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let ind = indent_of(&s.lines[f.body]).to_string();
    let mut l = s.lines.clone();
    l.insert(f.body, format!("{ind}{}", early_return(s.lang)));
    Some(l)
}

fn op_assert_true(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let ind = indent_of(&s.lines[a]).to_string();
    Some(splice(
        s,
        a,
        b,
        vec![format!("{ind}{}", always_passes(s.lang))],
    ))
}

fn op_skip(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let mut l = s.lines.clone();
    let m = &s.lines[f.marker];
    let ind = indent_of(m).to_string();
    match s.lang {
        Lang::Kotlin => l.insert(f.marker, format!("{ind}@Ignore")),
        Lang::CSharp => {
            l[f.marker] = format!("{ind}[Fact(Skip = \"flaky on CI\")]");
            if m.trim() != "[Fact]" {
                return None;
            }
        }
        Lang::Ruby => l[f.marker] = m.replacen("it \"", "xit \"", 1),
    }
    Some(l)
}

fn op_if_false(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let ind = indent_of(&s.lines[a]).to_string();
    let (open, close) = match s.lang {
        Lang::Ruby => ("if false", "end"),
        _ => ("if (false) {", "}"),
    };
    let mut with = vec![format!("{ind}{open}")];
    with.extend((a..=b).map(|i| format!("    {}", s.lines[i])));
    with.push(format!("{ind}{close}"));
    Some(splice(s, a, b, with))
}

/// Change the first number in the statement (an expected value in these suites).
fn op_expected_changed(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    for i in a..=b {
        let line = &s.lines[i];
        if line.trim_start().starts_with(comment(s.lang).trim_end()) {
            continue;
        }
        let bytes = line.as_bytes();
        let Some(start) = (0..bytes.len()).find(|&k| {
            bytes[k].is_ascii_digit()
                && (k == 0 || !(bytes[k - 1].is_ascii_alphanumeric() || bytes[k - 1] == b'_'))
        }) else {
            continue;
        };
        let end = (start..bytes.len())
            .find(|&k| !bytes[k].is_ascii_digit())
            .unwrap_or(bytes.len());
        let n: u64 = line[start..end].parse().ok()?;
        let mut l = s.lines.clone();
        l[i] = format!("{}{}{}", &line[..start], n + 1, &line[end..]);
        return Some(l);
    }
    // no number: change the last string literal of the statement (the expected value in
    // `expect(x).to eq "bar"`)
    for i in (a..=b).rev() {
        let line = &s.lines[i];
        if line.trim_start().starts_with(comment(s.lang).trim_end()) {
            continue;
        }
        let close = line.rfind('"')?;
        line[..close].rfind('"')?;
        let mut l = s.lines.clone();
        l[i] = format!("{}-changed{}", &line[..close], &line[close..]);
        return Some(l);
    }
    None
}

fn op_delete_test(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let mut l = s.lines.clone();
    l.drain(f.marker..=f.end + 1);
    Some(l)
}

fn renamed_copy(s: &Suite, f: &TestFn) -> Vec<String> {
    let mut copy: Vec<String> = s.lines[f.marker..=f.end + 1].to_vec();
    let h = f.header - f.marker;
    copy[h] = match s.lang {
        Lang::Kotlin => copy[h].replacen("fun ", "fun again", 1),
        Lang::CSharp => copy[h].replacen("void ", "void Again", 1),
        Lang::Ruby => copy[h].replacen("it \"", "it \"again ", 1),
    };
    copy
}

fn op_add_test(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let mut l = s.lines.clone();
    let mut add = vec![String::new()];
    add.extend(renamed_copy(s, f));
    l.splice(f.end + 2..f.end + 2, add);
    Some(l)
}

fn op_blank_line(s: &Suite, _: &TestFn, (_, b): (usize, usize)) -> Option<Vec<String>> {
    let mut l = s.lines.clone();
    l.insert(b + 1, String::new());
    Some(l)
}

fn op_comment_above(s: &Suite, _: &TestFn, (a, _): (usize, usize)) -> Option<Vec<String>> {
    let ind = indent_of(&s.lines[a]).to_string();
    let mut l = s.lines.clone();
    l.insert(
        a,
        format!(
            "{ind}{}the value must survive the round trip",
            comment(s.lang)
        ),
    );
    Some(l)
}

fn op_assert_duplicated(s: &Suite, _: &TestFn, (a, b): (usize, usize)) -> Option<Vec<String>> {
    let mut l = s.lines.clone();
    let copy: Vec<String> = s.lines[a..=b].to_vec();
    l.splice(b + 1..b + 1, copy);
    Some(l)
}

fn op_test_renamed(s: &Suite, f: &TestFn, _: (usize, usize)) -> Option<Vec<String>> {
    let mut l = s.lines.clone();
    l[f.header] = renamed_copy(s, f)[f.header - f.marker].clone();
    Some(l)
}

struct Operator {
    family: &'static str,
    label: Label,
    held_out: bool,
    op: Op,
}

fn operators() -> Vec<Operator> {
    use Label::*;
    let o = |family, label, held_out, op: Op| Operator {
        family,
        label,
        held_out,
        op,
    };
    vec![
        o("hack.assert-deleted", Hack, false, op_delete),
        o("hack.assert-commented", Hack, false, op_comment),
        o("hack.early-return", Hack, false, op_early_return),
        o("hack.assert-true", Hack, false, op_assert_true),
        o("hack.skip-marker", Hack, false, op_skip),
        o("clean.test-added", Clean, false, op_add_test),
        o("clean.blank-line-added", Clean, false, op_blank_line),
        // held out
        o("hack.if-false", Hack, true, op_if_false),
        o("hack.expected-changed", Hack, true, op_expected_changed),
        o("legit.test-deleted", Legit, true, op_delete_test),
        o("clean.comment-added", Clean, true, op_comment_above),
        o("clean.assert-duplicated", Clean, true, op_assert_duplicated),
        o("clean.test-renamed", Clean, true, op_test_renamed),
    ]
}

struct Gen {
    lang: Lang,
    family: &'static str,
    label: Label,
    held_out: bool,
    diff: String,
}

fn generate() -> Vec<Gen> {
    let mut rng = Rng(0x5eed_0014);
    let mut out = Vec::new();
    for s in load_suites() {
        let old = s.lines.join("\n") + "\n";
        let fns: Vec<TestFn> = test_fns(&s)
            .into_iter()
            .filter(|f| !f.asserts.is_empty())
            .collect();
        assert!(
            !fns.is_empty(),
            "{}: no tests with assertions found",
            s.path
        );
        for op in operators() {
            let mut made = 0;
            for f in rng.pick(&fns, 8) {
                if made >= 4 {
                    break;
                }
                let Some(&site) = rng.pick(&f.asserts, 1).first() else {
                    continue;
                };
                if let Some(new) = (op.op)(&s, &f, site) {
                    let new = new.join("\n") + "\n";
                    if new != old {
                        out.push(Gen {
                            lang: s.lang,
                            family: op.family,
                            label: op.label,
                            held_out: op.held_out,
                            diff: unified(&s.path, &old, &new),
                        });
                        made += 1;
                    }
                }
            }
        }
    }
    out
}

/// Print the development and held-out tables (for the bench).
#[allow(dead_code)] // used by benches/diff.rs
pub fn print_tables() {
    for held_out in [false, true] {
        println!("{}", report(held_out).0);
    }
}

/// Scan the generated diffs of one split; returns the table, the rates per label and the
/// first misses.
fn report(held_out: bool) -> (String, BTreeMap<Label, (usize, usize)>, String) {
    let mut by: BTreeMap<(Label, &str, Lang), (usize, usize)> = BTreeMap::new();
    let mut misses = String::new();
    for g in generate().into_iter().filter(|g| g.held_out == held_out) {
        let report = scan_diff(&g.diff).unwrap_or_else(|e| panic!("{}: {e}\n{}", g.family, g.diff));
        let ok = report.clean == (g.label == Label::Clean);
        let e = by.entry((g.label, g.family, g.lang)).or_default();
        e.0 += 1;
        e.1 += ok as usize;
        if !ok && misses.len() < 6000 {
            let rules: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{} {:?} {}", f.rule.id(), f.line, f.text))
                .collect();
            let _ = writeln!(
                misses,
                "--- {} ({:?}) ---\n{}\n{rules:#?}",
                g.family, g.lang, g.diff
            );
        }
    }
    let mut table = format!(
        "{:<44} {:>5} {:>5} {:>7}\n",
        if held_out {
            "Kotlin/C#/Ruby held-out family"
        } else {
            "Kotlin/C#/Ruby development family"
        },
        "n",
        "right",
        "rate"
    );
    let mut totals: BTreeMap<Label, (usize, usize)> = BTreeMap::new();
    for ((label, fam, lang), (n, ok)) in &by {
        let _ = writeln!(
            table,
            "{:<44} {n:>5} {ok:>5} {:>6.1}%",
            format!("{fam} ({lang:?})"),
            100.0 * *ok as f64 / *n as f64
        );
        let t = totals.entry(*label).or_default();
        t.0 += n;
        t.1 += ok;
    }
    for (label, (n, ok)) in &totals {
        let what = match label {
            Label::Hack => "hacks flagged",
            Label::Legit => "legit edits flagged for review",
            Label::Clean => "clean diffs passed",
        };
        let _ = writeln!(
            table,
            "TOTAL {what:<38} {n:>5} {ok:>5} {:>6.1}%",
            100.0 * *ok as f64 / *n as f64
        );
    }
    (table, totals, misses)
}

fn check(held_out: bool) {
    let (table, totals, misses) = report(held_out);
    println!("{table}");
    let rate = |l: Label| totals.get(&l).map_or(1.0, |(n, ok)| *ok as f64 / *n as f64);
    assert!(
        rate(Label::Hack) == 1.0 && rate(Label::Clean) >= 0.98 && rate(Label::Legit) >= 0.95,
        "targets missed (hacks 100%, clean >= 98%, legit >= 95%):\n{table}\n{misses}"
    );
}

#[test]
fn kotlin_csharp_ruby_generator_covers_every_language_and_family() {
    let gens = generate();
    for lang in [Lang::Kotlin, Lang::CSharp, Lang::Ruby] {
        for op in operators() {
            assert!(
                gens.iter().any(|g| g.lang == lang && g.family == op.family),
                "{} generated nothing for {lang:?}",
                op.family
            );
        }
    }
}

#[test]
fn kotlin_csharp_ruby_development_families() {
    check(false);
}

#[test]
fn kotlin_csharp_ruby_held_out_families() {
    check(true);
}

#[test]
fn kotlin_csharp_ruby_suites_parse_when_added() {
    for s in load_suites() {
        let text = s.lines.join("\n") + "\n";
        let diff = unified(&s.path, "", &text);
        let report = scan_diff(&diff).expect("diff");
        let unparseable: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule.id() == "test.unparseable")
            .collect();
        assert!(unparseable.is_empty(), "{}: {unparseable:#?}", s.path);
    }
}
