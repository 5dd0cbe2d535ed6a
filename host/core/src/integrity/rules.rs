//! Line rules: patterns over one added line, each bound to the file classes it applies to.
//! A line is first screened by one Aho-Corasick pass over every rule's trigger words, so the
//! regexes run only on the few lines that could match.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use aho_corasick::{AhoCorasick, MatchKind};
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
    matches!(
        c.lang,
        Lang::C
            | Lang::Swift
            | Lang::Php
            | Lang::Elixir
            | Lang::Dart
            | Lang::Lua
            | Lang::Haskell
            | Lang::R
            | Lang::Perl
            | Lang::Lisp
            | Lang::Ml
            | Lang::Zig
            | Lang::Julia
    ) && c.test
}
fn source_not_test(c: &FileClass) -> bool {
    c.lang.is_code() && !c.test && !c.test_config && !c.ci
}
fn js_source(c: &FileClass) -> bool {
    source_not_test(c) && c.lang == Lang::Js
}
fn py_source(c: &FileClass) -> bool {
    source_not_test(c) && c.lang == Lang::Python
}
fn rust_source(c: &FileClass) -> bool {
    source_not_test(c) && c.lang == Lang::Rust
}
fn go_source(c: &FileClass) -> bool {
    source_not_test(c) && c.lang == Lang::Go
}
fn ruby_source(c: &FileClass) -> bool {
    source_not_test(c) && c.lang == Lang::Ruby
}
fn harness(c: &FileClass) -> bool {
    (c.test || c.harness) && c.lang.is_code()
}
fn ci_file(c: &FileClass) -> bool {
    c.ci
}
fn build_script(c: &FileClass) -> bool {
    !c.ci && (c.test_config || (c.lang == Lang::Shell && (c.test || c.harness)))
}
fn selection(c: &FileClass) -> bool {
    c.ci || c.test_config || c.harness
}

const BUILD_MASK_MSG: &str = "a test command's exit code is masked";

/// A command line that runs tests or checks (for rules that only care about those).
pub(super) static RUNS_TESTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(pytest|py\.test|jest|vitest|mocha|ava|tap|cargo\s+(test|nextest)|go\s+test|(npm|yarn|pnpm|bun)\s+(run\s+)?test|bun\s+test|tox|nox|rspec|phpunit|dotnet\s+test|gradle\w*\s+\S*test|mvn\s+\S*test|ctest|make\s+(test|check)|unittest|playwright|cypress|tsc|eslint|check|test)\b|^\t@?(true|:)\s*$")
        .expect("runs-tests regex")
});

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
          r"@pytest\.mark\.(skip|skipif|xfail)\b|\bmarks\s*=\s*[\[(]?\s*pytest\.mark\.(skip|skipif|xfail)\b|\bpytest\.(skip|xfail)\s*\(|@unittest\.(skip|skipIf|skipUnless|expectedFailure)\b|@(skip|skipIf|skipUnless|expectedFailure)\b|\bself\.skipTest\s*\(|raise\s+(unittest\.)?SkipTest\b", false),
        r(Rule::TestSkipMarker, "test disabled by #[ignore]", rust, &["ignore"],
          r"#\[\s*ignore\b|#\[\s*cfg_attr\s*\(.*\bignore\b", false),
        r(Rule::TestSkipMarker, SKIP_MSG, js_test, &["skip", "Skip", "xit", "xtest", "xdescribe", "xcontext", "xspecify", "fails", "failing", "fixme", "runIf"],
          r"\b(it|test|describe|context|suite|specify|bench|scenario)(\.concurrent)?\.(skip|skipIf|runIf|fails|failing|fixme)\b|^\s*x(it|test|describe|context|specify)\s*\(|\bthis\.skip\s*\(\s*\)|\btest\.fixme\s*\(", false),
        r(Rule::TestSkipMarker, SKIP_MSG, go_test, &["Skip", "XIt", "PIt", "XDescribe", "PDescribe", "XContext", "PContext", "XEntry", "PEntry", "XWhen", "PWhen", "Pending"],
          r"\b\w+\.Skip(f|Now)?\s*\(|^\s*Skip\s*\(|^\s*[XP](It|Describe|Context|When|Specify|Entry|DescribeTable)\s*\(|^\s*(It|Describe|Context|When|Specify|Entry)\s*\(.*,\s*Pending\s*,", false),
        r(Rule::TestFocusOnly, "a focused Ginkgo spec (`FIt`, `FDescribe`, `Focus`) runs alone and silently drops every other spec", go_test,
          &["FIt", "FDescribe", "FContext", "FWhen", "FSpecify", "FEntry", "FDescribeTable", "Focus"],
          r"^\s*F(It|Describe|Context|When|Specify|Entry|DescribeTable)\s*\(|^\s*(It|Describe|Context|When|Specify|Entry)\s*\(.*,\s*Focus\s*,", false),
        r(Rule::TestSkipMarker, SKIP_MSG, jvm, &["Disabled", "Ignore", "Enabled", "assume", "Assume", "enabled"],
          r"@(Disabled\w*|Ignore|EnabledIf\w*|EnabledOn\w*)\b|\bAssume\.assume\w*\s*\(|\bassume(True|False|That)\s*\(|@Test\s*\(\s*enabled\s*=\s*false", false),
        // Kotest: `xtest(…)`/`xcontext(…)`…, a test name starting with `!`, `.config(enabled =
        // false)` or an `enabledIf`/`enabledOrReasonIf` condition.
        r(Rule::TestSkipMarker, SKIP_MSG, jvm, &["xtest", "xit", "xcontext", "xdescribe", "xshould", "xexpect", "xscenario", "xfeature", "xgiven", "xwhen", "xthen", "xand", "\"!", "enabled"],
          r#"^\s*x(test|it|context|describe|should|expect|scenario|feature|given|when|then|and|property)\s*\(|^\s*(?:(?:test|it|context|describe|should|expect|scenario|feature|given|when|then|and)\s*\(\s*)?"![^"]*"\s*\)?.*\{\s*$|\.config\s*\(.*\benabled\s*=\s*false\b|\.config\s*\(.*\benabled(If|OrReasonIf)\s*="#, false),
        r(Rule::TestFocusOnly, "a focused Kotest test (`f:` name prefix, `fcontext`/`fdescribe`…) runs alone and silently drops every other test", jvm,
          &["\"f:", "fcontext", "fdescribe", "fshould", "fexpect", "fscenario", "ffeature", "fgiven"],
          r#"^\s*(?:(?:test|it|context|describe|should|expect|scenario|feature|given|when|then|and)\s*\(\s*)?"f:[^"]*"\s*\)?.*\{\s*$|^\s*f(context|describe|should|expect|scenario|feature|given)\s*\("#, false),
        r(Rule::TestSkipMarker, SKIP_MSG, ruby_test, &["skip", "pending", "xit", "xdescribe", "xcontext", "xspecify", "xscenario"],
          r"^\s*(skip|pending)\b|^\s*x(it|describe|context|specify|scenario|feature)\b|\bskip:\s*(true|['\x22])", false),
        r(Rule::TestSkipMarker, SKIP_MSG, csharp, &["Ignore", "Explicit", "Skip", "Inconclusive"],
          r"\[\s*(\w+\s*,\s*)*(Ignore|Explicit)\b|\bSkip\s*=\s*\x22|\bAssert\.(Ignore|Inconclusive|Skip|SkipWhen|SkipUnless)\s*\(|\bSkip\.(If|Unless)\s*\(", false),
        r(Rule::TestSkipMarker, SKIP_MSG, other_test_code, &["GTEST_SKIP", "DISABLED_", "XCTSkip", "markTest", "@tag", "@moduletag"],
          r"\bGTEST_SKIP\b|\bDISABLED_\w+|\bXCTSkip\w*\b|\bmarkTest(Skipped|Incomplete)\s*\(|@(module)?tag\s+:?skip\b", false),
        // Scala munit / ScalaTest: `test("a".ignore)`, `.tag(Ignore)`, `ignore("a")`, `assume(false)`,
        // `cancel()`, `pending`; munit `.fail` expects the test to fail
        r(Rule::TestSkipMarker, SKIP_MSG, jvm, &[".ignore", "Ignore", "ignore(", "assume", "cancel", "pending", ".fail", ".flaky"],
          r#""\s*\.(ignore|fail|flaky|pending)\b|\.tag\s*\(\s*(munit\.)?Ignore\b|^\s*ignore\s*\(\s*"|\bassume\s*\(\s*false\b|\bcancel\s*\(|^\s*pending\s*(\(|$)"#, false),
        r(Rule::TestFocusOnly, "`.only` runs this test alone and silently drops every other test", jvm,
          &[".only"], r#""\s*\.only\b"#, false),
        // the long tail: Dart `skip:`/`@Skip`/`solo:`, busted and hspec `pending`, hspec `xit`,
        // testthat `skip_*()`, Test::More `SKIP:`/`skip_all`/`TODO`, Julia `@test_skip`/`@test_broken`,
        // Zig `error.SkipZigTest`, alcotest `` `Skip ``
        r(Rule::TestSkipMarker, SKIP_MSG, other_test_code,
          &["skip", "Skip", "pending", "xit", "xdescribe", "xcontext", "SKIP", "TODO", "test_broken", "solo"],
          r#"\bskip\s*:\s*(true|['"])|@Skip\b|\bsolo\s*:\s*true\b|^\s*pending\s*[\(\s"']|^\s*x(it|describe|context|specify)\b|\bpendingWith\b|^\s*skip(_if\w*|_on_\w+|_unless\w*)?\s*\(|\bplan\s+skip_all\b|^\s*SKIP\s*:\s*\{|^\s*TODO\s*:\s*\{|\blocal\s+\$TODO\b|@test_(skip|broken)\b|\berror\.SkipZigTest\b|`Skip\b"#, false),
        // a test that returns early, or assumes, when the environment says it runs on CI
        r(Rule::TestSkipMarker, "test returns early or is assumed away when an environment variable is set (CI): it is skipped there", harness,
          &["getenv", "env", "ENV", "environ", "Platform.environment"],
          r#"^\s*if\b.*\b(getenv|env|ENV|environ|environment)\b.*\breturn\b|\b(getenv|env|ENV|environ|environment)\b.*(&&|\|\||\band\b|\bor\b)\s*return\b|\bassume\w*\s*\(.*\b(getenv|env|ENV|environ|environment)\b"#, false),
        // ---- failures expected or intercepted: the checks inside can fail without failing the test ----
        r(Rule::AssertTautology, "test failures are expected or intercepted (`XCTExpectFailure`, gtest's `ScopedFakeTestPartResultReporter`): the checks it covers can no longer fail the test", other_test_code,
          &["XCTExpectFailure", "ScopedFakeTestPartResultReporter"],
          r"\bXCTExpectFailure\s*\(|\bScopedFakeTestPartResultReporter\b", false),
        // ---- focus and todo ----
        r(Rule::TestFocusOnly, "`.only`/focus runs this test alone and silently drops every other test", js_test,
          &["only", "fit", "fdescribe", "fcontext"],
          r"\b(it|test|describe|context|suite|specify|scenario)(\.concurrent)?\.only\b|^\s*f(it|describe|context)\s*\(", false),
        r(Rule::TestFocusOnly, "focus tag runs this example alone and drops the rest", ruby_test,
          &["fit", "fdescribe", "fcontext", "focus"], r"^\s*f(it|describe|context)\b|\bfocus:\s*true\b|,\s*:focus\b", false),
        r(Rule::TestTodo, "test replaced by a todo placeholder that never runs", js_test,
          &["todo"], r"\b(it|test|describe)\.todo\b", false),
        // ---- retries and flaky markers: a failing test is run again until it passes ----
        r(Rule::TestRetry, "test retried until it passes: a real failure can hide behind a flaky pass", harness,
          &["flaky", "Flaky", "retry", "Retry", "retries", "rerun", "Rerun", "RetryingTest", "RepeatedIfExceptionsTest"],
          r"@pytest\.mark\.flaky\b|@flaky\b|\bjest\.retryTimes\s*\(|\bthis\.retries\s*\(\s*[1-9]|\b(retry|retries)\s*:\s*[1-9]|@(RetryingTest|RepeatedIfExceptionsTest|Flaky|Retry|FlakyTest)\b|\.configure\(\s*\{[^}]*\bretries\s*:|#\[\s*(flaky|retry)\b|@retry\s*\(|\bRetry\s*\(\s*[1-9]|@rerun\b|\breruns\s*=\s*[1-9]", false),
        r(Rule::TestRetry, "checks retried until they pass (Kotest `eventually`/`retry`, `.config(retries = …)`): a real failure can hide behind a flaky pass", jvm,
          &["eventually", "retry", "retries"],
          r"^\s*(eventually|retry)\s*\(|\.config\s*\(.*\bretries\s*=\s*[1-9]", false),
        r(Rule::ConfigRetry, "runner retries failing tests: a real failure can hide behind a flaky pass", selection,
          &["rerun", "retries", "retry", "flaky", "Retry", "retryTimes", "maxRetries", "rerunFailingTestsCount"],
          r#"--reruns\b|\breruns\s*=\s*[1-9]|-p\s+rerunfailures|\b(retries|retry)\s*[:=]\s*["']?[1-9]|\bretries\s*=\s*\{[^}]*\bcount\s*=\s*[1-9]|--retries[= ]\s*[1-9]|--rerun-fails\b|--rerun\b|\bretryTimes\b|nick-fields/retry|wretry\.action|\bflaky\b|^\s*-?\s*retry\s*:\s*$|\bmax_retries\s*[:=]\s*[1-9]|--flaky-test-retries|\bFLAKY_RETRIES\b|\bmaxRetries\s*(=|\(|\.set\s*\()\s*[1-9]|<rerunFailingTestsCount>\s*[1-9]|\brerunFailingTestsCount=[1-9]|^\s*retry\s*\{"#, false),
        // ---- property tests cut down to (almost) one example ----
        r(Rule::AssertWeakened, "property test cut down to a handful of examples or a single constant input (hypothesis `max_examples` below 10, a strategy replaced by `just(…)`)", py,
          &["max_examples", "just("],
          r"\bmax_examples\s*=\s*[0-9]\b|^\s*@given\(\s*(?:\w+\s*=\s*)?(?:st\.|strategies\.|hypothesis\.strategies\.)?just\(", false),
        // ---- special-casing under test in shipped source ----
        r(Rule::TestSpecialCase, "shipped source behaves differently under test", js_source,
          &["NODE_ENV", "JEST_WORKER_ID", "VITEST", "BUN_ENV", "import.meta.env", "typeof jest", "typeof vi ", "typeof describe"],
          r#"NODE_ENV\s*[!=]==?\s*['"`]test|['"`]test['"`]\s*[!=]==?\s*process\.env\.NODE_ENV|BUN_ENV\s*[!=]==?\s*['"`]test|process\.env\.(JEST_WORKER_ID|VITEST\w*)\b|import\.meta\.env\.(MODE\s*[!=]==?\s*['"`]test|VITEST|TEST)\b|typeof\s+(jest|vi|describe)\s*[!=]==?"#, false),
        r(Rule::TestSpecialCase, "shipped source behaves differently under test", py_source,
          &["PYTEST", "pytest", "unittest", "TESTING", "TEST_MODE", "UNDER_TEST"],
          r#"PYTEST_CURRENT_TEST|PYTEST_VERSION|['"](pytest|unittest)['"]\s+(not\s+)?in\s+sys\.modules|sys\.modules\.get\(\s*['"]pytest|sys\.argv\[0\].*\b(pytest|unittest)\b|\bsettings\.TESTING\b|environ\b.*['"](TESTING|TEST_MODE|UNDER_TEST)['"]"#, false),
        r(Rule::TestSpecialCase, "shipped source behaves differently under test", rust_source,
          &["cfg!", "not(test", "not (test", "cfg(test"],
          r#"\bcfg!\s*\(\s*(test|not\s*\(\s*test)|#\[\s*cfg\s*\(\s*not\s*\(\s*test\s*\)|^\s+#\[\s*cfg\s*\(\s*test\s*\)\s*\]"#, false),
        r(Rule::TestSpecialCase, "shipped source behaves differently under test", go_source,
          &["test.", "testing.Testing", "os.Args"],
          r#"flag\.Lookup\(\s*"test\.|\btesting\.Testing\(\)|os\.Args\[0\].*\.test\b"#, false),
        r(Rule::TestSpecialCase, "shipped source behaves differently under test", ruby_source,
          &["Rails.env", "RAILS_ENV", "RACK_ENV"],
          r#"Rails\.env\.test\?|ENV\[['"](RAILS_ENV|RACK_ENV)['"]\]\s*==\s*['"]test"#, false),
        // ---- early exits in harness files ----
        r(Rule::HarnessEarlyExit, "the test process exits early, so failures never reach the runner", harness,
          &["exit", "Exit", "halt", "quit"],
          r"\b(os\._exit|sys\.exit|process\.exit|process::exit|os\.Exit|System\.exit|Environment\.Exit|Kernel\.exit!?|Runtime\.getRuntime\(\)\.(exit|halt))\s*\(\s*(0|EXIT_SUCCESS|ExitCode::SUCCESS|None|False|true)?\s*\)|\bos\._exit\s*\(|^\s*(exit|quit)\s*\(\s*0?\s*\)|raise\s+SystemExit\b(\s*\(\s*0?\s*\))?\s*$", false),
        // ---- CI / script exit-code masking ----
        r(Rule::CiMaskExit, "a failing command's exit code is masked", ci_file,
          &["||", "continue-on-error", "if:", "set +e", "allow_failure", "exit", "ignore_errors", "passWithNoTests", "pass-with-no-tests", "no-tests"],
          r"\|\|\s*(true|:|exit\s+0|echo\b|/bin/true)|continue-on-error:\s*(true|\$\{\{\s*true)|^\s*-?\s*if:\s*(false|\$\{\{\s*false\s*\}\}|'false'|\x22false\x22)\s*$|\bset\s+\+e\b|\ballow_failure:\s*true|\bignore_errors:\s*true|--exit-zero\b|(^\s*|[;&|]\s*|run:\s*)exit\s+0\b|--passWithNoTests\b|--pass-with-no-tests\b|--no-tests[= ]pass\b", false),
        // Build scripts mask plenty of harmless commands (`-rm -f x`, `docker rm x || true`);
        // only a line that runs tests or checks counts there.
        r(Rule::CiMaskExit, BUILD_MASK_MSG, build_script,
          &["||", "set +e", "exit", "passWithNoTests", "pass-with-no-tests", "no-tests", "\t-", "\ttrue", "\t@true", "\t:" ],
          r"(\|\|\s*(true|:|exit\s+0|echo\b|/bin/true)|\bset\s+\+e\b|(^\s*|[;&|]\s*)exit\s+0\b|^\t-\S).*|--passWithNoTests\b|--pass-with-no-tests\b|--no-tests[= ]pass\b|^\t@?(true|:)\s*$", false),
        r(Rule::CiMaskExit, "runner configuration ignores failures or an empty run (tox `ignore_outcome`/`ignore_errors`, jest `passWithNoTests`, Gradle `ignoreFailures`, Maven `testFailureIgnore`)", build_script,
          &["ignore_outcome", "ignore_errors", "passWithNoTests", "ignoreFailures", "testFailureIgnore", "failure.ignore"],
          r"^\s*ignore_(outcome|errors)\s*=\s*(true|True|1)\b|\bpassWithNoTests\s*:\s*true\b|\bignoreFailures\s*(=|\.set\s*\()\s*true\b|<testFailureIgnore>\s*true|\bmaven\.test\.failure\.ignore\s*(=|>)\s*true", false),
        // ---- test selection in config ----
        r(Rule::ConfigDeselect, "test selection changed: some tests no longer run", selection,
          &["addopts", "-k", "deselect", "--ignore", "testpaths", "norecursedirs", "collect_ignore", "python_files", "python_classes", "python_functions", "-m ", "--co"],
          r#"\baddopts\b.*([\s"'=]-k\b|--deselect|--ignore|[\s"'=]-m(\s|["'],)|--lf\b|--last-failed)|--deselect\b|--ignore(-glob)?[= ]|\btestpaths\b|\bnorecursedirs\b|\bcollect_ignore(_glob)?\b|\bpython_(files|classes|functions)\b|--collect-only\b|(^|[\s"'=,\[])--co\b|(^|[\s"'=])-k\s+['"]?not\b|(^|[\s"'=])-m\s+['"]not\b"#, false),
        r(Rule::ConfigDeselect, "test selection changed: some tests no longer run", selection,
          &["PathIgnore", "testMatch", "testRegex", "NamePattern", "PathPattern", "exclude", "grep", "invert", "roots"],
          r#"\b(testPathIgnorePatterns|modulePathIgnorePatterns|testMatch|testRegex|testNamePattern|testPathPattern|roots)\b|--(testPathIgnorePatterns|testNamePattern|testPathPattern|exclude|grep|fgrep|invert)\b|^\s*exclude\s*:"#, false),
        r(Rule::ConfigDeselect, "harness hook drops collected tests or rewrites their outcome", harness,
          &["items", "ignore_collect", "outcome", "passed"],
          r#"\bitems\s*\[\s*:\s*\]\s*=|\bitems\.clear\(\)|def\s+pytest_ignore_collect\b|\.outcome\s*=\s*['"]passed|\boutcome\.force_result\b"#, false),
        r(Rule::ConfigDeselect, "test selection changed: some tests no longer run", selection,
          &["filter", "--skip", "--exact", "autotests", "test =", "test=", "go test", "-run", "-skip", "-short"],
          r#"\bdefault-filter\b|^\s*filter\s*=|(\s|^)(-E|--filter-expr|--filterset)\s|--skip\b|--exact\b|\bautotests\s*=\s*false|^\s*test\s*=\s*false|\bgo\s+test\b.*\s-(run|skip|short)\b"#, false),
        r(Rule::ConfigDeselect, "test selection changed: some tests no longer run (Maven/Gradle/dotnet)", selection,
          &["skipTests", "test.skip", "<skip>", "<exclude>", "excludeTestsMatching", "exclude", "excludedTaskNames", "--filter"],
          r#"<skipTests>\s*true|<maven\.test\.skip>\s*true|<skip>\s*true\s*</skip>|-DskipTests\b|-Dmaven\.test\.skip=true|^\s*<exclude>|\bexcludeTestsMatching\b|^\s*exclude\s*\(?\s*['"]|\bexcludedTaskNames\b.*['"]:?test['"]|\bdotnet\s+test\b.*\s--filter\b"#, false),
        r(Rule::ConfigDeselect, "test selection changed: some tests no longer run (ExUnit `exclude:`/`only:`, Mix `test_paths`/`test_pattern`)", selection,
          &["exclude:", "only:", "test_paths", "test_pattern", "test_ignore_filters"],
          r#"\bExUnit\.(start|configure)\s*\(.*\b(exclude|only)\s*:|\btest_(paths|pattern|ignore_filters)\s*:"#, false),
        r(Rule::ConfigDeselect, "sbt test task emptied or its tests filtered out (`Test / test := {}`, `Tests.Filter(_ => false)`, `Test / skip := true`)", selection,
          &["Test", "Tests.Filter", "Tests.Exclude"],
          r#"\bTest\s*/\s*(test|testOnly|executeTests)\s*:=|\bTest\s*/\s*skip\s*:=\s*true|\bTests\.(Filter|Exclude)\s*\(|\btestOptions\b.*-(l|n)\b"#, false),
        r(Rule::CiMaskExit, "a test is marked as expected to fail or disabled (CTest `WILL_FAIL`/`DISABLED`): its failure no longer fails the run", selection,
          &["WILL_FAIL", "DISABLED"], r"\b(WILL_FAIL|DISABLED)\s+(TRUE|ON|YES|1)\b", false),
        r(Rule::ConfigStrictnessLowered, "pytest strict mode turned off (unknown markers, config keys and xfail passes no longer fail the run)", selection,
          &["strict"], r#"^\s*(strict|strict_markers|strict_config|xfail_strict|strict_parametrization_ids)\s*=\s*["']?(false|False|0)\b"#, false),
        r(Rule::ConfigStrictnessLowered, "PHPUnit no longer fails on risky tests, warnings, deprecations, notices or empty runs", selection,
          &["failOn", "beStrict"], r#"\b(failOn\w+|beStrictAbout\w+)\s*=\s*"false""#, false),
        r(Rule::ConfigDeselect, "PHPUnit test suite changed: some tests no longer run", selection,
          &["<directory", "<file", "<exclude", "<testsuite", "<group"], r#"^\s*<(directory|file|exclude|testsuite)\b|^\s*<groups>|<exclude>\s*<group>|^\s*<group>"#, false),
        r(Rule::ConfigStrictnessLowered, "snapshots or golden files are rewritten from the current output on every run, so their checks always pass", selection,
          &["snapshot-update", "update-snapshot", "updateSnapshot", "INSTA_", "UPDATE_", "--accept", "-update", "-u"],
          r#"--snapshot-update\b|--update-snapshots?\b|--updateSnapshot\b|\b(jest|vitest)\b.*\s-u\b|\bINSTA_UPDATE\s*[=:]\s*["']?(always|new|unseen)|\bINSTA_FORCE_PASS\b|\bUPDATE_(SNAPSHOTS?|GOLDEN|GOLDENS|EXPECT)\s*[=:]\s*["']?(1|true|yes)\b|\bcargo\s+insta\s+test\b.*--accept\b|\bgo\s+test\b.*\s-update\b"#, false),
    ]
});

/// The trigger automaton for the rules that apply to one class of file. Files of the same
/// class share it (built once, cached), and a small per-class set keeps the automaton compact
/// and lets its SIMD prefilter skip most bytes.
pub(super) struct ClassRules {
    /// Leftmost-first: the only kind whose SIMD (Teddy) prefilter aho-corasick enables, used
    /// for the yes/no gate.
    gate: Option<AhoCorasick>,
    /// Standard semantics, for collecting every (overlapping) trigger of a line.
    ac: Option<AhoCorasick>,
    /// Pattern index → rule index.
    owner: Vec<usize>,
}

static BY_CLASS: LazyLock<Mutex<HashMap<u64, Arc<ClassRules>>>> = LazyLock::new(Default::default);

/// The rules (and their trigger automaton) that apply to files of `class`.
pub(super) fn for_class(class: &FileClass) -> Arc<ClassRules> {
    let mask = RULES
        .iter()
        .enumerate()
        .filter(|(_, r)| (r.applies)(class))
        .fold(0u64, |m, (i, _)| m | 1 << i);
    let mut cache = BY_CLASS.lock().unwrap_or_else(|e| e.into_inner());
    cache
        .entry(mask)
        .or_insert_with(|| {
            let mut pats = Vec::new();
            let mut owner = Vec::new();
            for (i, rule) in RULES.iter().enumerate().filter(|(i, _)| mask & 1 << i != 0) {
                for t in rule.triggers {
                    pats.push(*t);
                    owner.push(i);
                }
            }
            let (gate, ac) = if pats.is_empty() {
                (None, None)
            } else {
                let gate = AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(&pats)
                    .expect("static trigger set");
                (
                    Some(gate),
                    Some(AhoCorasick::new(&pats).expect("static trigger set")),
                )
            };
            Arc::new(ClassRules { gate, ac, owner })
        })
        .clone()
}

impl ClassRules {
    /// Whether any rule could match anywhere in `text` (e.g. a whole hunk body): one pass, so
    /// hunks without a single trigger word skip the per-line work.
    pub(super) fn any_trigger(&self, text: &str) -> bool {
        self.gate.as_ref().is_some_and(|ac| ac.is_match(text))
    }

    /// The rules whose pattern matches `line` (an added or removed line of a file of `class`).
    pub(super) fn matching(&self, line: &str, class: &FileClass) -> Vec<&'static LineRule> {
        let (Some(gate), Some(ac)) = (&self.gate, &self.ac) else {
            return Vec::new();
        };
        if !gate.is_match(line) {
            return Vec::new();
        }
        let mut candidates: u64 = 0;
        for m in ac.find_overlapping_iter(line) {
            candidates |= 1 << self.owner[m.pattern().as_usize()];
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
                || (comment && !rule.in_comments)
                || out.iter().any(|r| r.rule == rule.rule)
            {
                continue;
            }
            // A module-level skip already explains a skip marker on the same line.
            if rule.rule == Rule::TestSkipMarker
                && out.iter().any(|r| r.rule == Rule::TestModuleSkip)
            {
                continue;
            }
            if rule.regex.is_match(line)
                && (rule.message != BUILD_MASK_MSG || RUNS_TESTS.is_match(line))
            {
                out.push(rule);
            }
        }
        out
    }
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
        let class = classify(path);
        for_class(&class)
            .matching(line, &class)
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
            (
                "tests/test_a.py",
                "@pytest.mark.skip(reason='x')",
                &[TestSkipMarker],
            ),
            ("tests/test_a.py", "@pytest.mark.xfail", &[TestSkipMarker]),
            (
                "tests/test_a.py",
                "    self.skipTest('later')",
                &[TestSkipMarker],
            ),
            (
                "tests/test_a.py",
                "pytestmark = pytest.mark.skipif(True, reason='x')",
                &[TestModuleSkip],
            ),
            (
                "tests/test_a.py",
                "pytest.skip('x', allow_module_level=True)",
                &[TestModuleSkip],
            ),
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
            (
                "src/test/java/FooTest.java",
                "  @Disabled(\"later\")",
                &[TestSkipMarker],
            ),
            (
                "app/src/test/kotlin/FooTest.kt",
                "@Ignore",
                &[TestSkipMarker],
            ),
            ("spec/a_spec.rb", "  xit 'works' do", &[TestSkipMarker]),
            ("spec/a_spec.rb", "    skip 'flaky'", &[TestSkipMarker]),
            (
                "tests/FooTests.cs",
                "[Fact(Skip = \"flaky\")]",
                &[TestSkipMarker],
            ),
            (
                "tests/FooTests.cs",
                "[Test, Ignore(\"x\")]",
                &[TestSkipMarker],
            ),
            (
                "tests/FooTests.cs",
                "        Assert.Skip(\"not on CI\");",
                &[TestSkipMarker],
            ),
            ("build.gradle", "  ignoreFailures = true", &[CiMaskExit]),
            ("build.gradle", "    maxRetries = 3", &[ConfigRetry]),
            (
                "build.gradle",
                "  exclude '**/*IntegrationTests*'",
                &[ConfigDeselect],
            ),
            ("build.gradle", "  exclude group: 'org.junit'", &[]),
            (
                "build.gradle",
                "gradle.startParameter.excludedTaskNames += [ \"checkFormat\", \"test\" ]",
                &[ConfigDeselect],
            ),
            (
                "pom.xml",
                "          <skipTests>true</skipTests>",
                &[ConfigDeselect],
            ),
            (
                "phpunit.xml",
                "         failOnRisky=\"false\"",
                &[ConfigStrictnessLowered],
            ),
            (
                "phpunit.xml",
                "            <directory>tests/Unit</directory>",
                &[ConfigDeselect],
            ),
            ("pkg/a_test.go", "\t\tSkip(\"flaky\")", &[TestSkipMarker]),
            (
                "pkg/a_test.go",
                "\tXIt(\"works\", func() {",
                &[TestSkipMarker],
            ),
            (
                "pkg/a_test.go",
                "\tIt(\"works\", Pending, func() {",
                &[TestSkipMarker],
            ),
            (
                "pkg/a_test.go",
                "\tFIt(\"works\", func() {",
                &[TestFocusOnly],
            ),
            ("pkg/a_test.go", "\tIt(\"works\", func() {", &[]),
            (
                "pom.xml",
                "          <testFailureIgnore>true</testFailureIgnore>",
                &[CiMaskExit],
            ),
            (
                "pom.xml",
                "          <rerunFailingTestsCount>3</rerunFailingTestsCount>",
                &[ConfigRetry],
            ),
            (
                "pom.xml",
                "            <exclude>**/*IT.java</exclude>",
                &[ConfigDeselect],
            ),
            (
                "pyproject.toml",
                "addopts = '--doctest-modules --snapshot-update'",
                &[ConfigStrictnessLowered],
            ),
            (
                "package.json",
                "    \"test\": \"jest -u\",",
                &[ConfigStrictnessLowered],
            ),
            (
                "src/rm.ts",
                "if (process.env.NODE_ENV === 'test') return null;",
                &[TestSpecialCase],
            ),
            (
                "src/a.py",
                "if 'PYTEST_CURRENT_TEST' in os.environ:",
                &[TestSpecialCase],
            ),
            (
                "src/a.py",
                "if \"pytest\" in sys.modules:",
                &[TestSpecialCase],
            ),
            (
                "src/a.rs",
                "    if cfg!(test) { return Ok(()); }",
                &[TestSpecialCase],
            ),
            ("src/a.rs", "#[cfg(test)]", &[]),
            ("tests/conftest.py", "os._exit(0)", &[HarnessEarlyExit]),
            ("tests/setup.ts", "process.exit(0);", &[HarnessEarlyExit]),
            ("pkg/main_test.go", "\tos.Exit(m.Run())", &[]),
            ("tests/test_a.py", "    sys.exit(unittest.main())", &[]),
            ("src/cli.py", "sys.exit(0)", &[]),
            (
                ".github/workflows/ci.yml",
                "        run: cargo test || true",
                &[CiMaskExit],
            ),
            (
                ".github/workflows/ci.yml",
                "    continue-on-error: true",
                &[CiMaskExit],
            ),
            (".github/workflows/ci.yml", "    if: false", &[CiMaskExit]),
            ("Makefile", "\tset +e; pytest", &[CiMaskExit]),
            (
                "package.json",
                "\"test\": \"jest --passWithNoTests\"",
                &[CiMaskExit],
            ),
            ("src/a.sh", "make || true", &[]),
            ("Makefile", "\t-rm -f build/*.o", &[]),
            ("Makefile", "\tdocker rm old || true", &[]),
            ("Makefile", "\tpytest -q || true", &[CiMaskExit]),
            ("Makefile", "\t-pytest -q", &[CiMaskExit]),
            ("Makefile", "\t@true", &[CiMaskExit]),
            ("Makefile", "\tdocker build -t \"img\" .", &[]),
            ("tests/conftest.py", "    items[:] = []", &[ConfigDeselect]),
            (
                "tests/conftest.py",
                "    rep.outcome = 'passed'",
                &[ConfigDeselect],
            ),
            (
                "pyproject.toml",
                "addopts = \"-k 'not slow'\"",
                &[ConfigDeselect],
            ),
            ("pytest.ini", "testpaths = tests/unit", &[ConfigDeselect]),
            (
                "jest.config.js",
                "  testPathIgnorePatterns: ['/e2e/'],",
                &[ConfigDeselect],
            ),
            (
                ".config/nextest.toml",
                "default-filter = 'not test(slow)'",
                &[ConfigDeselect],
            ),
            (
                ".github/workflows/ci.yml",
                "      - run: go test -run 'TestFast' ./...",
                &[ConfigDeselect],
            ),
            ("pyproject.toml", "    \"python-dotenv>=1.0.1\",", &[]),
        ];
        for (path, line, want) in cases {
            assert_eq!(&rules_for(path, line), want, "{path}: {line}");
        }
    }
}
