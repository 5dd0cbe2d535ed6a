//! Line rules: patterns over one added line, each bound to the file classes it applies to.
//! A line is first screened by one Aho-Corasick pass over every rule's trigger words, so the
//! regexes run only on the few lines that could match.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use regex::Regex;

use super::Rule;
use super::paths::{FileClass, Lang};

/// One pattern over an added line.
pub(super) struct LineRule {
    pub rule: Rule,
    pub message: &'static str,
    applies: fn(&FileClass) -> bool,
    /// At least one of these must occur in the line before the regex runs.
    triggers: &'static [&'static str],
    regex: Regex,
    /// Whether the rule also inspects comment lines (build tags are comments).
    in_comments: bool,
}

fn lang_is(c: &FileClass, l: Lang) -> bool {
    c.lang == l
}
fn py(c: &FileClass) -> bool {
    lang_is(c, Lang::Python)
}
fn py_test(c: &FileClass) -> bool {
    py(c) && c.test
}
fn rust(c: &FileClass) -> bool {
    lang_is(c, Lang::Rust)
}
fn js_test(c: &FileClass) -> bool {
    lang_is(c, Lang::Js) && c.test
}
fn go_test(c: &FileClass) -> bool {
    lang_is(c, Lang::Go) && c.test
}
fn jvm(c: &FileClass) -> bool {
    lang_is(c, Lang::Jvm)
}
fn ruby_test(c: &FileClass) -> bool {
    lang_is(c, Lang::Ruby) && c.test
}
fn csharp(c: &FileClass) -> bool {
    lang_is(c, Lang::CSharp)
}
fn other_test_code(c: &FileClass) -> bool {
    matches!(c.lang, Lang::C | Lang::Swift | Lang::Php | Lang::Elixir) && c.test
}
fn source_not_test(c: &FileClass) -> bool {
    c.lang.is_code() && !c.test && !c.test_config && !c.ci
}
fn harness(c: &FileClass) -> bool {
    (c.test || c.harness) && c.lang.is_code()
}
fn pipeline(c: &FileClass) -> bool {
    c.ci || c.test_config || (c.lang == Lang::Shell && (c.test || c.harness))
}
fn selection(c: &FileClass) -> bool {
    c.ci || c.test_config || c.harness
}

const SKIP_MSG: &str = "test disabled by a skip/ignore marker";

#[rustfmt::skip]
static RULES: LazyLock<Vec<LineRule>> = LazyLock::new(|| {
    let r = |rule, message, applies, triggers, re: &str, in_comments| LineRule {
        rule, message, applies, triggers, regex: Regex::new(re).expect("static rule regex"), in_comments,
    };
    vec![
        // ---- module-level skips (checked before per-test markers) ----
        r(Rule::TestModuleSkip, "every test in the module is skipped", py as fn(&FileClass) -> bool,
          &["pytestmark", "allow_module_level", "__test__"],
          r"^pytestmark\s*=.*\b(skip|skipif|xfail)\b|allow_module_level\s*=\s*True|^__test__\s*=\s*False", false),
        r(Rule::TestModuleSkip, "module-level importorskip skips the whole module when the import fails", py_test,
          &["importorskip"], r"^\w*\s*=?\s*pytest\.importorskip\(", false),
        r(Rule::TestModuleSkip, "the test crate/module is compiled out", rust,
          &["#!["], r"^#!\[\s*(cfg\s*\(\s*(any\s*\(\s*\)|all\s*\(\s*any|false|FALSE|not\s*\(\s*test\s*\))|ignore)", false),
        r(Rule::TestModuleSkip, "build constraint excludes the test file", go_test,
          &["go:build", "+build"], r"^//\s*(go:build|\+build)\b.*\b(ignore|never|none|false)\b", true),
        // ---- per-test skip markers ----
        r(Rule::TestSkipMarker, SKIP_MSG, py, &["pytest", "unittest", "skip", "Skip", "xfail", "expectedFailure"],
          r"@pytest\.mark\.(skip|skipif|xfail)\b|\bpytest\.(skip|xfail)\s*\(|@unittest\.(skip|skipIf|skipUnless|expectedFailure)\b|@(skip|skipIf|skipUnless|expectedFailure)\b|\bself\.skipTest\s*\(|raise\s+(unittest\.)?SkipTest\b", false),
        r(Rule::TestSkipMarker, "test disabled by #[ignore]", rust, &["ignore"],
          r"#\[\s*ignore\b|#\[\s*cfg_attr\s*\(.*\bignore\b", false),
        r(Rule::TestSkipMarker, SKIP_MSG, js_test, &["skip", "Skip", "xit", "xtest", "xdescribe", "xcontext", "xspecify", "fails", "failing", "fixme"],
          r"\b(it|test|describe|context|suite|specify|bench|scenario)(\.concurrent)?\.(skip|skipIf|fails|failing|fixme)\b|^\s*x(it|test|describe|context|specify)\s*\(|\bthis\.skip\s*\(\s*\)|\btest\.fixme\s*\(", false),
        r(Rule::TestSkipMarker, SKIP_MSG, go_test, &["Skip"], r"\b\w+\.Skip(f|Now)?\s*\(", false),
        r(Rule::TestSkipMarker, SKIP_MSG, jvm, &["Disabled", "Ignore", "Enabled", "assume", "Assume", "enabled"],
          r"@(Disabled\w*|Ignore|EnabledIf\w*|EnabledOn\w*)\b|\bAssume\.assume\w*\s*\(|\bassume(True|False|That)\s*\(|@Test\s*\(\s*enabled\s*=\s*false", false),
        r(Rule::TestSkipMarker, SKIP_MSG, ruby_test, &["skip", "pending", "xit", "xdescribe", "xcontext", "xspecify", "xscenario"],
          r"^\s*(skip|pending)\b|^\s*x(it|describe|context|specify|scenario|feature)\b|\bskip:\s*(true|['\x22])", false),
        r(Rule::TestSkipMarker, SKIP_MSG, csharp, &["Ignore", "Explicit", "Skip", "Inconclusive"],
          r"\[\s*(\w+\s*,\s*)*(Ignore|Explicit)\b|\bSkip\s*=\s*\x22|\bAssert\.(Ignore|Inconclusive)\s*\(|\bSkip\.(If|Unless)\s*\(", false),
        r(Rule::TestSkipMarker, SKIP_MSG, other_test_code, &["GTEST_SKIP", "DISABLED_", "XCTSkip", "markTest", "@tag", "@moduletag"],
          r"\bGTEST_SKIP\b|\bDISABLED_\w+|\bXCTSkip\w*\b|\bmarkTest(Skipped|Incomplete)\s*\(|@(module)?tag\s+:?skip\b", false),
        // ---- focus and todo ----
        r(Rule::TestFocusOnly, "`.only`/focus runs this test alone and silently drops every other test", js_test,
          &["only", "fit", "fdescribe", "fcontext"],
          r"\b(it|test|describe|context|suite|specify|scenario)(\.concurrent)?\.only\b|^\s*f(it|describe|context)\s*\(", false),
        r(Rule::TestFocusOnly, "focus tag runs this example alone and drops the rest", ruby_test,
          &["fit", "fdescribe", "fcontext", "focus"], r"^\s*f(it|describe|context)\b|\bfocus:\s*true\b|,\s*:focus\b", false),
        r(Rule::TestTodo, "test replaced by a todo placeholder that never runs", js_test,
          &["todo"], r"\b(it|test|describe)\.todo\b", false),
        // ---- special-casing under test in shipped source ----
        r(Rule::TestSpecialCase, "shipped source behaves differently under test", source_not_test,
          &["NODE_ENV", "JEST_WORKER_ID", "VITEST", "BUN_ENV", "import.meta.env", "typeof jest", "typeof vi ", "typeof describe"],
          r#"NODE_ENV\s*[!=]==?\s*['"`]test|['"`]test['"`]\s*[!=]==?\s*process\.env\.NODE_ENV|BUN_ENV\s*[!=]==?\s*['"`]test|process\.env\.(JEST_WORKER_ID|VITEST\w*)\b|import\.meta\.env\.(MODE\s*[!=]==?\s*['"`]test|VITEST|TEST)\b|typeof\s+(jest|vi|describe)\s*[!=]==?"#, false),
        r(Rule::TestSpecialCase, "shipped source behaves differently under test", source_not_test,
          &["PYTEST", "pytest", "unittest", "TESTING"],
          r#"PYTEST_CURRENT_TEST|PYTEST_VERSION|['"](pytest|unittest)['"]\s+(not\s+)?in\s+sys\.modules|sys\.modules\.get\(\s*['"]pytest|sys\.argv\[0\].*\b(pytest|unittest)\b|\bsettings\.TESTING\b|environ\b.*['"](TESTING|TEST_MODE|UNDER_TEST)['"]"#, false),
        r(Rule::TestSpecialCase, "shipped source behaves differently under test", source_not_test,
          &["cfg!", "not(test", "not (test", "cfg(test", "test.v", "testing.Testing", "os.Args", "Rails.env", "RAILS_ENV", "RACK_ENV"],
          r#"\bcfg!\s*\(\s*(test|not\s*\(\s*test)|#\[\s*cfg\s*\(\s*not\s*\(\s*test\s*\)|^\s+#\[\s*cfg\s*\(\s*test\s*\)\s*\]|flag\.Lookup\(\s*"test\.|\btesting\.Testing\(\)|os\.Args\[0\].*\.test\b|Rails\.env\.test\?|ENV\[['"](RAILS_ENV|RACK_ENV)['"]\]\s*==\s*['"]test"#, false),
        // ---- early exits in harness files ----
        r(Rule::HarnessEarlyExit, "the test process exits early, so failures never reach the runner", harness,
          &["exit", "Exit", "halt", "quit"],
          r"\b(os\._exit|sys\.exit|process\.exit|process::exit|os\.Exit|System\.exit|Environment\.Exit|Kernel\.exit!?|Runtime\.getRuntime\(\)\.(exit|halt))\s*\(\s*(0|EXIT_SUCCESS|ExitCode::SUCCESS|None|False|true)?\s*\)|\bos\._exit\s*\(|^\s*(exit|quit)\s*\(\s*0?\s*\)|raise\s+SystemExit\b(\s*\(\s*0?\s*\))?\s*$", false),
        // ---- CI / script exit-code masking ----
        r(Rule::CiMaskExit, "a failing command's exit code is masked", pipeline,
          &["||", "continue-on-error", "if:", "set +e", "allow_failure", "exit", "ignore_errors", "passWithNoTests", "pass-with-no-tests", "no-tests", "\t-"],
          r"\|\|\s*(true|:|exit\s+0|echo\b|/bin/true)|continue-on-error:\s*(true|\$\{\{\s*true)|^\s*-?\s*if:\s*(false|\$\{\{\s*false\s*\}\}|'false'|\x22false\x22)\s*$|\bset\s+\+e\b|\ballow_failure:\s*true|\bignore_errors:\s*true|--exit-zero\b|(^|[;&|]\s*|run:\s*)exit\s+0\b|--passWithNoTests\b|--pass-with-no-tests\b|--no-tests[= ]pass\b|^\t-[a-zA-Z]", false),
        // ---- test selection in config ----
        r(Rule::ConfigDeselect, "test selection changed: some tests no longer run", selection,
          &["addopts", "-k", "deselect", "--ignore", "testpaths", "norecursedirs", "collect_ignore", "python_files", "python_classes", "python_functions", "-m "],
          r#"\baddopts\b.*([\s"'=]-k\b|--deselect|--ignore|[\s"'=]-m\s|--lf\b|--last-failed)|--deselect\b|--ignore(-glob)?[= ]|\btestpaths\b|\bnorecursedirs\b|\bcollect_ignore(_glob)?\b|\bpython_(files|classes|functions)\b|(^|[\s"'=])-k\s+['"]?not\b|(^|[\s"'=])-m\s+['"]not\b"#, false),
        r(Rule::ConfigDeselect, "test selection changed: some tests no longer run", selection,
          &["PathIgnore", "testMatch", "testRegex", "NamePattern", "PathPattern", "exclude", "grep", "invert", "roots", "-t "],
          r#"\b(testPathIgnorePatterns|modulePathIgnorePatterns|testMatch|testRegex|testNamePattern|testPathPattern|roots)\b|--(testPathIgnorePatterns|testNamePattern|testPathPattern|exclude|grep|fgrep|invert)\b|^\s*exclude\s*:|\s-t\s+['"]"#, false),
        r(Rule::ConfigDeselect, "test selection changed: some tests no longer run", selection,
          &["filter", "--skip", "--exact", "autotests", "test =", "test=", "go test", "-run", "-skip", "-short"],
          r#"\bdefault-filter\b|^\s*filter\s*=|(\s|^)(-E|--filter-expr|--filterset)\s|--skip\b|--exact\b|\bautotests\s*=\s*false|^\s*test\s*=\s*false|\bgo\s+test\b.*\s-(run|skip|short)\b"#, false),
    ]
});

static TRIGGERS: LazyLock<(AhoCorasick, Vec<usize>)> = LazyLock::new(|| {
    let mut pats = Vec::new();
    let mut owner = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        for t in rule.triggers {
            pats.push(*t);
            owner.push(i);
        }
    }
    (
        AhoCorasick::new(pats).expect("static trigger set"),
        owner,
    )
});

/// The rules whose pattern matches `line` (an added line of a file of class `class`).
pub(super) fn matching(line: &str, class: &FileClass) -> Vec<&'static LineRule> {
    let (ac, owner) = &*TRIGGERS;
    let mut candidates: u64 = 0;
    for m in ac.find_overlapping_iter(line) {
        candidates |= 1 << owner[m.pattern().as_usize()];
    }
    if candidates == 0 {
        return Vec::new();
    }
    let trimmed = line.trim_start();
    let comment = class.lang.is_comment(trimmed)
        && !(class.lang == Lang::Rust && trimmed.starts_with("#["));
    let mut out: Vec<&'static LineRule> = Vec::new();
    for (i, rule) in RULES.iter().enumerate() {
        if candidates & (1 << i) == 0
            || !(rule.applies)(class)
            || (comment && !rule.in_comments)
            || out.iter().any(|r| r.rule == rule.rule)
        {
            continue;
        }
        // A module-level skip already explains a skip marker on the same line.
        if rule.rule == Rule::TestSkipMarker && out.iter().any(|r| r.rule == Rule::TestModuleSkip)
        {
            continue;
        }
        if rule.regex.is_match(line) {
            out.push(rule);
        }
    }
    out
}

#[cfg(test)]
fn rule_count() -> usize {
    RULES.len()
}

#[cfg(test)]
mod tests {
    use super::super::paths::classify;
    use super::*;

    fn rules_for(path: &str, line: &str) -> Vec<Rule> {
        matching(line, &classify(path))
            .into_iter()
            .map(|r| r.rule)
            .collect()
    }

    #[test]
    fn fits_in_candidate_mask() {
        assert!(rule_count() <= 64);
    }

    #[test]
    fn table() {
        use Rule::*;
        let cases: &[(&str, &str, &[Rule])] = &[
            ("tests/test_a.py", "@pytest.mark.skip(reason='x')", &[TestSkipMarker]),
            ("tests/test_a.py", "@pytest.mark.xfail", &[TestSkipMarker]),
            ("tests/test_a.py", "    self.skipTest('later')", &[TestSkipMarker]),
            ("tests/test_a.py", "pytestmark = pytest.mark.skipif(True, reason='x')", &[TestModuleSkip]),
            ("tests/test_a.py", "pytest.skip('x', allow_module_level=True)", &[TestModuleSkip]),
            ("tests/test_a.py", "# @pytest.mark.skip", &[]),
            ("src/status.py", "STATUS = \"xfail\"", &[]),
            ("tests/a.rs", "#[ignore]", &[TestSkipMarker]),
            ("src/lib.rs", "    #[ignore = \"flaky\"]", &[TestSkipMarker]),
            ("tests/a.rs", "#![cfg(any())]", &[TestModuleSkip]),
            ("src/a.test.ts", "  it.skip('x', () => {", &[TestSkipMarker]),
            ("src/a.test.ts", "xdescribe('x', () => {", &[TestSkipMarker]),
            ("src/a.test.ts", "test.only('x', () => {", &[TestFocusOnly]),
            ("src/a.test.ts", "fit('x', () => {", &[TestFocusOnly]),
            ("src/a.test.ts", "test.todo('x')", &[TestTodo]),
            ("src/a.test.ts", "// it.skip('x')", &[]),
            ("src/a.ts", "it.skip('x')", &[]),
            ("pkg/a_test.go", "\tt.Skip(\"slow\")", &[TestSkipMarker]),
            ("pkg/a_test.go", "//go:build ignore", &[TestModuleSkip]),
            ("src/test/java/FooTest.java", "  @Disabled(\"later\")", &[TestSkipMarker]),
            ("app/src/test/kotlin/FooTest.kt", "@Ignore", &[TestSkipMarker]),
            ("spec/a_spec.rb", "  xit 'works' do", &[TestSkipMarker]),
            ("spec/a_spec.rb", "    skip 'flaky'", &[TestSkipMarker]),
            ("tests/FooTests.cs", "[Fact(Skip = \"flaky\")]", &[TestSkipMarker]),
            ("tests/FooTests.cs", "[Test, Ignore(\"x\")]", &[TestSkipMarker]),
            ("src/rm.ts", "if (process.env.NODE_ENV === 'test') return null;", &[TestSpecialCase]),
            ("src/a.py", "if 'PYTEST_CURRENT_TEST' in os.environ:", &[TestSpecialCase]),
            ("src/a.py", "if \"pytest\" in sys.modules:", &[TestSpecialCase]),
            ("src/a.rs", "    if cfg!(test) { return Ok(()); }", &[TestSpecialCase]),
            ("src/a.rs", "#[cfg(test)]", &[]),
            ("tests/conftest.py", "os._exit(0)", &[HarnessEarlyExit]),
            ("tests/setup.ts", "process.exit(0);", &[HarnessEarlyExit]),
            ("pkg/main_test.go", "\tos.Exit(m.Run())", &[]),
            ("tests/test_a.py", "    sys.exit(unittest.main())", &[]),
            ("src/cli.py", "sys.exit(0)", &[]),
            (".github/workflows/ci.yml", "        run: cargo test || true", &[CiMaskExit]),
            (".github/workflows/ci.yml", "    continue-on-error: true", &[CiMaskExit]),
            (".github/workflows/ci.yml", "    if: false", &[CiMaskExit]),
            ("Makefile", "\tset +e; pytest", &[CiMaskExit]),
            ("package.json", "\"test\": \"jest --passWithNoTests\"", &[CiMaskExit]),
            ("src/a.sh", "make || true", &[]),
            ("pyproject.toml", "addopts = \"-k 'not slow'\"", &[ConfigDeselect]),
            ("pytest.ini", "testpaths = tests/unit", &[ConfigDeselect]),
            ("jest.config.js", "  testPathIgnorePatterns: ['/e2e/'],", &[ConfigDeselect]),
            (".config/nextest.toml", "default-filter = 'not test(slow)'", &[ConfigDeselect]),
            (".github/workflows/ci.yml", "      - run: go test -run 'TestFast' ./...", &[ConfigDeselect]),
            ("pyproject.toml", "    \"python-dotenv>=1.0.1\",", &[]),
        ];
        for (path, line, want) in cases {
            assert_eq!(&rules_for(path, line), want, "{path}: {line}");
        }
    }
}
