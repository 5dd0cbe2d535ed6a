//! Property tests: the patch parser, the integrity scan and the merge gate never panic on
//! arbitrary input, and never call unparseable input clean.

use proptest::prelude::*;
use strive_core::allowlist::{AllowPolicy, evaluate_str};
use strive_core::integrity::scan_diff;
use strive_core::integrity::syntax::{Grammar, outline};
use strive_core::patch::Patch;

/// Lines that look like pieces of diffs, so the generator reaches deep parser states.
fn diffish_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("diff --git a/tests/test_x.py b/tests/test_x.py".to_string()),
        Just("diff --git a/src/a.rs b/src/a.rs".to_string()),
        Just("--- a/tests/test_x.py".to_string()),
        Just("+++ b/tests/test_x.py".to_string()),
        Just("+++ /dev/null".to_string()),
        Just("--- /dev/null".to_string()),
        Just("new file mode 100644".to_string()),
        Just("deleted file mode 100644".to_string()),
        Just("old mode 100644".to_string()),
        Just("new mode 100755".to_string()),
        Just("rename from a b".to_string()),
        Just("rename to \"c\\303\\244\"".to_string()),
        Just("similarity index 90%".to_string()),
        Just("Binary files a/x and b/x differ".to_string()),
        Just("GIT binary patch".to_string()),
        Just("literal 0".to_string()),
        Just("Only in a: b".to_string()),
        Just("\\ No newline at end of file".to_string()),
        (0u32..5, 0u32..4, 0u32..5, 0u32..4)
            .prop_map(|(a, b, c, d)| format!("@@ -{a},{b} +{c},{d} @@ fn x")),
        "[-+ ][ -~]{0,40}".prop_map(|s| s),
        Just("+@pytest.mark.skip".to_string()),
        Just("-    assert x == 1".to_string()),
        Just("+    assert x in (1, 2)".to_string()),
        Just("+  it.only('x', () => {".to_string()),
        Just("+        run: make test || true".to_string()),
        ".{0,30}".prop_map(|s| s),
    ]
}

fn policy() -> AllowPolicy {
    AllowPolicy::from_json(r#"{"allow_globs": ["**"], "max_files": 50, "max_lines": 500}"#).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let parsed = Patch::parse(&text);
        let scanned = scan_diff(&text);
        let gated = evaluate_str(&text, &policy());
        // Same input, same acceptance everywhere; an error is never reported clean.
        prop_assert_eq!(parsed.is_ok(), scanned.is_ok());
        prop_assert_eq!(parsed.is_ok(), gated.is_ok());
        if let Ok(p) = parsed
            && p.is_empty()
        {
            prop_assert!(text.trim().is_empty());
            prop_assert!(!gated.unwrap().auto_ok);
        }
    }

    #[test]
    fn diff_shaped_text_never_panics(lines in proptest::collection::vec(diffish_line(), 0..40)) {
        let text = lines.join("\n") + "\n";
        if let Ok(report) = scan_diff(&text) {
            prop_assert_eq!(report.clean, report.findings.is_empty());
            // Only the empty diff may scan clean without naming a file.
            if report.files_scanned == 0 {
                prop_assert!(text.trim().is_empty());
            }
        }
        let _ = evaluate_str(&text, &policy());
    }

    #[test]
    fn arbitrary_bytes_lossy_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = scan_diff(&text);
        let _ = evaluate_str(&text, &policy());
    }

    #[test]
    fn arbitrary_policies_never_panic(json in "\\PC{0,200}") {
        let _ = AllowPolicy::from_json(&json);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The parser layer never panics, whatever the bytes, in every grammar; what it cannot
    /// read it counts as errors.
    #[test]
    fn syntax_layer_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        for path in ["t.py", "t.rs", "t.ts", "t.tsx", "t.go", "T.java", "T.kt", "T.cs", "t.rb"] {
            let g = Grammar::for_path(path).expect("grammar");
            let o = outline(g, &text);
            prop_assert!(o.checks.iter().all(|c| c.first_row <= c.last_row));
        }
    }

    /// Code-shaped noise (assertion words, brackets, quotes, comment markers) never panics
    /// the parser layer or the scan of a test file built from it.
    #[test]
    fn code_shaped_text_never_panics(parts in proptest::collection::vec(prop_oneof![
        Just("assert "), Just("assert_eq!("), Just("expect("), Just(").toBe("), Just("assertThat("),
        Just("t.Errorf("), Just("return"), Just("if False:"), Just("if (false) {"), Just("#[cfg(any())]"),
        Just("true || "), Just("!"), Just("not "), Just(" == "), Just("("), Just(")"), Just("{"), Just("}"),
        Just("\""), Just("'"), Just("`"), Just("//"), Just("#"), Just("/*"), Just("*/"), Just("\n"), Just("    "),
        Just("x"), Just("1"), Just(","), Just(";"), Just("pytest.raises("), Just("with "), Just(":"),
        Just(" if "), Just(" else "), Just(" ? "), Just("for _ in ():"), Just("for range []int{} {"),
        Just("contextlib.suppress(AssertionError)"), Just("def _f():"), Just("_ = func() {"),
        Just("const f = () => {"), Just("1 > 0"), Just("["), Just("]"), Just(" and "), Just(" := "),
    ], 0..60)) {
        let text: String = parts.concat();
        for path in ["tests/t_test.py", "tests/t.rs", "src/a.test.ts", "a_test.go", "src/test/java/T.java", "src/test/kotlin/TTest.kt", "tests/TTests.cs", "test/t_test.rb"] {
            let g = Grammar::for_path(path).expect("grammar");
            let _ = outline(g, &text);
            let body: String = text.lines().map(|l| format!("+{l}\n")).collect();
            let n = text.lines().count();
            if n == 0 {
                continue;
            }
            let diff = format!("diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{n} @@\n{body}");
            let report = scan_diff(&diff).expect("well-formed diff");
            prop_assert_eq!(report.clean, report.findings.is_empty());
        }
    }
}

/// A test file whose change leaves it unparseable is flagged, never passed.
#[test]
fn unparseable_test_change_is_flagged() {
    for (path, old, new) in [
        (
            "tests/test_a.py",
            "def test_a():\n    assert f() == 1\n",
            "def test_a():\n    assert f() == 1\n    assert (((\n",
        ),
        (
            "src/a.test.ts",
            "it('a', () => {\n  expect(f()).toBe(1)\n})\n",
            "it('a', () => {\n  expect(f()).toBe(1)\n  expect(((\n})\n",
        ),
        (
            "tests/a.rs",
            "#[test]\nfn a() {\n    assert_eq!(f(), 1);\n}\n",
            "#[test]\nfn a() {\n    assert_eq!(f(), 1);\n    let = = ;\n}\n",
        ),
    ] {
        let mut p = git2::Patch::from_buffers(
            old.as_bytes(),
            Some(std::path::Path::new(path)),
            new.as_bytes(),
            Some(std::path::Path::new(path)),
            None,
        )
        .expect("diff");
        let diff = p
            .to_buf()
            .expect("buf")
            .as_str()
            .expect("utf-8")
            .to_string();
        let report = scan_diff(&diff).expect("scan");
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.rule.id() == "test.unparseable"),
            "{path}: {:#?}",
            report.findings
        );
    }
}

/// Deeply nested input (negations, parentheses, `#[cfg]` predicates, `if` chains) does not
/// exhaust the stack.
#[test]
fn deep_nesting_does_not_overflow() {
    let n = 3_000;
    let cases = [
        (
            "tests/test_a.py",
            format!(
                "def test_a():\n    assert {}x\n    assert {}x{}\n",
                "not ".repeat(n),
                "(".repeat(n),
                ")".repeat(n)
            ),
        ),
        (
            "tests/a.rs",
            format!(
                "#[cfg({}any(){})]\n#[test]\nfn a() {{\n    assert!({}x);\n}}\n",
                "not(".repeat(n),
                ")".repeat(n),
                "!".repeat(n)
            ),
        ),
        (
            "src/a.test.ts",
            format!(
                "it('a', () => {{\n  {}return{}\n  expect(x).toBe(1)\n}})\n",
                "if (true) { ".repeat(500),
                " }".repeat(500)
            ),
        ),
    ];
    for (path, text) in cases {
        let body: String = text.lines().map(|l| format!("+{l}\n")).collect();
        let diff = format!(
            "diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n@@ -0,0 +1,{} @@\n{body}",
            text.lines().count()
        );
        let _ = scan_diff(&diff).expect("scan");
    }
}

/// A unified diff (git's own writer) between two texts, for the corruption properties.
fn git_diff(path: &str, old: &str, new: &str) -> Option<String> {
    let mut p = git2::Patch::from_buffers(
        old.as_bytes(),
        Some(std::path::Path::new(path)),
        new.as_bytes(),
        Some(std::path::Path::new(path)),
        None,
    )
    .ok()?;
    let buf = p.to_buf().ok()?;
    buf.as_str().ok().map(str::to_string)
}

fn code_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("    assert f() == 1".to_string()),
        Just("    assert g(x) in (1, 2)".to_string()),
        Just("def test_a():".to_string()),
        Just("    x = compute(3)".to_string()),
        Just("".to_string()),
        "    [a-z]{1,8} = [0-9]{1,3}".prop_map(|s| s),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A diff that cannot be parsed is flagged, never passed: any corruption of a well-formed
    /// diff's hunks (cut short, a count that no longer matches, a line without a ' '/'+'/'-'
    /// prefix, a stray non-diff line) makes the scan refuse it (an error, which the CLI turns
    /// into exit 64) or report findings — never a clean result.
    #[test]
    fn a_corrupted_diff_is_never_clean(
        old in proptest::collection::vec(code_line(), 1..12),
        new in proptest::collection::vec(code_line(), 1..12),
        which in 0usize..4,
        at in any::<prop::sample::Index>(),
        extra in 1u32..4,
        junk in "[A-Za-z#@=][ -~]{0,20}",
    ) {
        let old = old.join("\n") + "\n";
        let new = new.join("\n") + "\n";
        prop_assume!(old != new);
        let Some(diff) = git_diff("tests/test_a.py", &old, &new) else {
            return Ok(());
        };
        let lines: Vec<&str> = diff.lines().collect();
        let first_hunk = lines.iter().position(|l| l.starts_with("@@")).expect("a hunk");
        let body: Vec<usize> = (first_hunk + 1..lines.len())
            .filter(|&i| !lines[i].starts_with("@@") && !lines[i].starts_with('\\'))
            .collect();
        prop_assume!(!body.is_empty());
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        match which {
            // cut short: drop the tail of the last hunk
            0 => out.truncate(body[at.index(body.len())].max(first_hunk + 1)),
            // a count that no longer matches the body
            1 => {
                let h = &out[first_hunk];
                let (range, rest) = h[3..].split_once(" @@").expect("hunk header");
                let (old_r, new_r) = range.split_once(' ').expect("two ranges");
                let bump = |r: &str| -> String {
                    match r.split_once(',') {
                        Some((s, n)) => format!("{s},{}", n.parse::<u32>().unwrap_or(0) + extra),
                        None => format!("{r},{}", 1 + extra),
                    }
                };
                out[first_hunk] = format!("@@ {} {} @@{rest}", bump(old_r), bump(new_r));
            }
            // a body line that lost its prefix
            2 => {
                let i = body[at.index(body.len())];
                out[i] = format!("{junk}{}", out[i].get(1..).unwrap_or(""));
            }
            // a stray line inside the hunk
            _ => out.insert(body[at.index(body.len())], junk.clone()),
        }
        let corrupted = out.join("\n") + "\n";
        match scan_diff(&corrupted) {
            Err(_) => {}
            Ok(report) => prop_assert!(
                !report.clean,
                "corruption {which} scanned clean:\n{corrupted}"
            ),
        }
        prop_assert!(Patch::parse(&corrupted).is_err() || !scan_diff(&corrupted).unwrap().clean);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The expression layer (constant folding with conditional expressions and literal
    /// comparisons, operand ordering, conjunct splitting) never panics on arbitrary text.
    #[test]
    fn expression_helpers_never_panic(text in "\\PC{0,200}") {
        let _ = strive_core::integrity::syntax::fold(&text);
        let _ = strive_core::integrity::syntax::symmetric(&text);
        let _ = strive_core::integrity::syntax::conjuncts(&text);
        let _ = strive_core::integrity::syntax::tautology(&format!("assert {text}"));
    }

    /// `a == b` and `b == a` are one check; a conjunction keeps each of its parts.
    #[test]
    fn equality_is_symmetric_and_conjuncts_keep_parts(
        a in "[a-z_][a-z0-9_.]{0,8}(\\([a-z0-9]{0,4}\\))?",
        b in prop_oneof!["[a-z0-9_]{1,8}", "\"[a-z ]{0,4}\""],
        op in prop_oneof![Just("=="), Just("!=")],
    ) {
        use strive_core::integrity::syntax::{conjuncts, symmetric};
        // Operands are names and literals: a word the expression grammar reads as an operator
        // (`or.x` lexes as `or` `.x`) is not a name.
        const KEYWORDS: &[&str] = &["and", "or", "not", "is", "in", "if", "else", "true", "false"];
        let head = |s: &str| s.split(['.', '(']).next().unwrap_or("").to_string();
        prop_assume!(!KEYWORDS.contains(&head(&a).as_str()) && !KEYWORDS.contains(&head(&b).as_str()));
        prop_assert_eq!(symmetric(&format!("{a} {op} {b}")), symmetric(&format!("{b} {op} {a}")));
        let parts = conjuncts(&strive_core::integrity::syntax::squash(&format!("{a} == {b} and {b} != {a}")));
        prop_assert!(parts.contains(&symmetric(&format!("{b} == {a}"))), "{parts:?}");
    }

    /// A constant condition picks its branch: `x if C else y` and `C ? x : y`.
    #[test]
    fn conditional_expressions_fold_to_their_branch(c in any::<bool>(), x in any::<bool>(), y in any::<bool>()) {
        use strive_core::integrity::syntax::{Fold, fold};
        let py = |v: bool| if v { "True" } else { "False" };
        let js = |v: bool| if v { "true" } else { "false" };
        let want = Fold::Known(if c { x } else { y });
        prop_assert_eq!(fold(&format!("({}) if {} else {}", py(x), py(c), py(y))), want.clone());
        prop_assert_eq!(fold(&format!("{} ? {} : {}", js(c), js(x), js(y))), want);
    }
}
