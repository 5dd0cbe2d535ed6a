//! What a changed path is, judged by the conventions of real test runners and CI systems:
//! whole path components and file-name patterns, never substrings (`src/circle.py` is not CI,
//! `src/testing_utils.py` is not a test, `docs/spec.md` is not a spec).

/// Source language, from the file extension; decides comment syntax and which markers apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Rust,
    /// JavaScript and TypeScript (any module flavour, JSX/TSX, Vue/Svelte single-file tests).
    Js,
    Go,
    /// Java, Kotlin, Scala, Groovy.
    Jvm,
    Ruby,
    CSharp,
    /// C, C++, Objective-C (GoogleTest, Catch2).
    C,
    Swift,
    Php,
    Elixir,
    Dart,
    /// Lua (busted, luaunit).
    Lua,
    /// Haskell (hspec, HUnit, tasty).
    Haskell,
    /// R (testthat).
    R,
    /// Perl (Test::More `.t` files).
    Perl,
    /// Clojure, Scheme, Racket, Common Lisp.
    Lisp,
    /// OCaml, F# (alcotest, OUnit, Expecto).
    Ml,
    Zig,
    Julia,
    Shell,
    /// YAML, TOML, INI, JSON and other configuration or data.
    Config,
    /// Prose and anything else that is not executed.
    Other,
}

impl Lang {
    fn of(name: &str) -> Lang {
        let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext.to_ascii_lowercase().as_str() {
            "py" | "pyi" => Lang::Python,
            "rs" => Lang::Rust,
            "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" | "vue" | "svelte" => {
                Lang::Js
            }
            "go" => Lang::Go,
            "java" | "kt" | "kts" | "scala" | "groovy" => Lang::Jvm,
            "rb" | "rake" => Lang::Ruby,
            "cs" => Lang::CSharp,
            "c" | "cc" | "cpp" | "cxx" | "h" | "hpp" | "hh" | "m" | "mm" => Lang::C,
            "swift" => Lang::Swift,
            "php" => Lang::Php,
            "ex" | "exs" => Lang::Elixir,
            "dart" => Lang::Dart,
            "lua" => Lang::Lua,
            "hs" | "lhs" => Lang::Haskell,
            "r" => Lang::R,
            "pl" | "pm" | "t" => Lang::Perl,
            "clj" | "cljs" | "cljc" | "scm" | "rkt" | "lisp" | "el" => Lang::Lisp,
            "ml" | "mli" | "fs" | "fsx" => Lang::Ml,
            "zig" => Lang::Zig,
            "jl" => Lang::Julia,
            "sh" | "bash" | "zsh" | "ps1" => Lang::Shell,
            "yml" | "yaml" | "toml" | "ini" | "cfg" | "json" | "jsonc" | "json5" => Lang::Config,
            _ => match name {
                "Makefile" | "makefile" | "GNUmakefile" | "justfile" | "Justfile"
                | "Jenkinsfile" => Lang::Shell,
                "Rakefile" | "Gemfile" => Lang::Ruby,
                _ => Lang::Other,
            },
        }
    }

    /// Code that runs (markers inside it take effect), as opposed to prose or data.
    pub fn is_code(self) -> bool {
        !matches!(self, Lang::Config | Lang::Other)
    }

    /// True when `trimmed` (a left-trimmed line) is a comment in this language.
    pub fn is_comment(self, trimmed: &str) -> bool {
        let hash = || trimmed.starts_with('#');
        let slashes = || {
            trimmed.starts_with("//")
                || trimmed.starts_with("/*")
                || trimmed.starts_with("* ")
                || trimmed == "*"
                || trimmed.starts_with("*/")
        };
        match self {
            Lang::Python | Lang::Ruby | Lang::Shell | Lang::Elixir | Lang::R | Lang::Perl => hash(),
            Lang::Julia => hash() || trimmed.starts_with("#="),
            Lang::Lua | Lang::Haskell => trimmed.starts_with("--") || trimmed.starts_with("{-"),
            Lang::Lisp => trimmed.starts_with(';') || trimmed.starts_with("#_"),
            Lang::Ml => trimmed.starts_with("(*") || trimmed.starts_with("//"),
            Lang::Config => hash() || trimmed.starts_with(';') || trimmed.starts_with("//"),
            Lang::Php => hash() || slashes(),
            Lang::Other => false,
            _ => slashes(),
        }
    }
}

/// Everything the scan needs to know about one path.
#[derive(Debug, Clone, Copy)]
pub struct FileClass {
    pub lang: Lang,
    /// A test file by its runner's conventions (tests/ dirs, test_*.py, *_test.go, *.spec.ts…).
    pub test: bool,
    /// Expected outputs, snapshots, golden files, fixtures, eval data.
    pub oracle: bool,
    /// A CI pipeline definition (GitHub workflows/actions, GitLab, CircleCI, Jenkins…).
    pub ci: bool,
    /// Runs before or around tests: conftest, setup files, spec helpers, sitecustomize.
    pub harness: bool,
    /// Can select or deselect tests or define how they run (pytest/jest/nextest config,
    /// package.json, Makefile, tox).
    pub test_config: bool,
    /// A `package.json` (its `scripts` define the test and check commands).
    pub package_json: bool,
    /// A coverage configuration file (`.coveragerc`, `codecov.yml`, `.nycrc`, …).
    pub coverage_config: bool,
    /// A markdown/reStructuredText table inside a test or benchmark directory, whose rows are
    /// expected figures.
    pub table: bool,
}

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "__tests__",
    "__test__",
    "spec",
    "specs",
    "e2e",
    "integration-tests",
    "testthat",
    "integration_tests",
    "test-integration",
    "androidTest",
    "testFixtures",
];

const ORACLE_DIRS: &[&str] = &[
    "__snapshots__",
    "snapshots",
    "golden",
    "goldens",
    "testdata",
    "test-data",
    "test_data",
    "fixtures",
    "__fixtures__",
    "expected",
    "expectations",
    "eval",
    "evals",
    "evaluation",
    "evaluations",
    "corpus",
];

const DATA_EXTS: &[&str] = &[
    "json",
    "jsonl",
    "ndjson",
    "yaml",
    "yml",
    "toml",
    "csv",
    "tsv",
    "txt",
    "xml",
    "html",
    "out",
    "snap",
    "golden",
    "expected",
    "responses",
    "diff",
    "patch",
    "bin",
];

/// Classify a repository-relative path.
pub fn classify(path: &str) -> FileClass {
    let components: Vec<&str> = path.split('/').filter(|c| !c.is_empty()).collect();
    let name = components.last().copied().unwrap_or("");
    let dirs = &components[..components.len().saturating_sub(1)];
    let lower = name.to_ascii_lowercase();
    let lang = Lang::of(name);
    let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");

    let in_test_dir = dirs.iter().any(|d| TEST_DIRS.contains(d));
    let test_name = is_test_file_name(name, &lower, lang);
    let in_oracle_dir = dirs.iter().any(|d| ORACLE_DIRS.contains(d));
    let oracle_name = lower.ends_with(".snap")
        || lower.ends_with(".golden")
        || lower.contains(".expected")
        || lower.contains(".approved.")
        || lower.starts_with("expected_")
        || lower.starts_with("expected-")
        || lower.starts_with("golden_")
        || lower.starts_with("golden-");
    let data_file = !lang.is_code() && (DATA_EXTS.contains(&ext) || ext.is_empty());
    let tooling = is_config_name(&lower)
        || lower.starts_with("tsconfig")
        || lower.starts_with("requirements")
        || lower.starts_with(".eslintrc")
        || lower.starts_with(".prettierrc")
        || lower.starts_with("readme")
        || lower.ends_with(".lock");
    let oracle = oracle_name
        || (in_oracle_dir && !tooling && (data_file || in_test_dir || !lang.is_code()))
        || (in_test_dir && data_file && !tooling);

    let ci = is_ci_path(dirs, name, &lower);
    let harness = matches!(
        lower.as_str(),
        "conftest.py"
            | "sitecustomize.py"
            | "usercustomize.py"
            | "spec_helper.rb"
            | "rails_helper.rb"
            | "test_helper.rb"
            | "test_helper.exs"
            | "setuptests.js"
            | "setuptests.ts"
            | "main_test.go"
    ) || lower.starts_with("jest.setup")
        || lower.starts_with("vitest.setup")
        || lower.starts_with("test-setup")
        || lower.starts_with("test_setup")
        || lower.starts_with("testsetup")
        || lower.starts_with("setup-tests")
        || lower.starts_with("setuptests")
        || (in_test_dir && (lower.starts_with("setup") || lower == "__init__.py"))
        || (dirs.last() == Some(&"common") && in_test_dir);
    let test = in_test_dir && lang.is_code() || test_name || harness;
    let package_json = lower == "package.json";
    let test_config = package_json || is_config_name(&lower);

    let coverage_config = matches!(
        lower.as_str(),
        ".coveragerc"
            | "codecov.yml"
            | ".codecov.yml"
            | "codecov.yaml"
            | ".simplecov"
            | "tarpaulin.toml"
            | ".tarpaulin.toml"
            | ".c8rc"
            | ".nycrc"
    ) || lower.starts_with(".nycrc")
        || lower.starts_with(".c8rc");
    let bench_dir = dirs
        .iter()
        .any(|d| matches!(*d, "bench" | "benches" | "benchmark" | "benchmarks"));
    let table = (in_test_dir || bench_dir || in_oracle_dir)
        && matches!(ext, "md" | "markdown" | "rst")
        && !lower.starts_with("readme");
    FileClass {
        lang,
        test,
        oracle,
        ci,
        harness,
        test_config,
        package_json,
        coverage_config,
        table,
    }
}

fn is_test_file_name(name: &str, lower: &str, lang: Lang) -> bool {
    let stem = lower.split('.').next().unwrap_or(lower);
    match lang {
        Lang::Python => {
            stem.starts_with("test_")
                || stem.ends_with("_test")
                || stem.ends_with("_tests")
                || lower == "conftest.py"
        }
        Lang::Go => lower.ends_with("_test.go"),
        Lang::Rust => stem.ends_with("_test") || stem.ends_with("_tests"),
        Lang::Js => {
            let parts: Vec<&str> = lower.split('.').collect();
            parts.len() >= 3
                && parts[1..parts.len() - 1]
                    .iter()
                    .any(|p| matches!(*p, "test" | "spec" | "e2e" | "cy" | "unit" | "int"))
        }
        Lang::Ruby => {
            stem.ends_with("_spec") || stem.ends_with("_test") || stem.starts_with("test_")
        }
        Lang::Jvm | Lang::CSharp | Lang::Swift | Lang::Php => {
            let stem_orig = name.split('.').next().unwrap_or(name);
            stem_orig.ends_with("Test")
                || stem_orig.ends_with("Tests")
                || stem_orig.ends_with("Spec")
                || stem_orig.ends_with("Suite")
                || stem_orig.ends_with("IT")
                || stem_orig.starts_with("Test")
        }
        Lang::C => {
            stem.ends_with("_test")
                || stem.ends_with("_unittest")
                || stem.starts_with("test_")
                || stem.ends_with("_tests")
        }
        Lang::Elixir => stem.ends_with("_test"),
        // Perl's `t/*.t`; the long tail by the conventions their runners share
        Lang::Perl => lower.ends_with(".t"),
        Lang::Dart
        | Lang::Lua
        | Lang::Haskell
        | Lang::R
        | Lang::Lisp
        | Lang::Ml
        | Lang::Zig
        | Lang::Julia => {
            let stem_orig = name.split('.').next().unwrap_or(name);
            stem.starts_with("test_")
                || stem.starts_with("test-")
                || stem.ends_with("_test")
                || stem.ends_with("_tests")
                || stem.ends_with("_spec")
                || stem.ends_with("-test")
                || stem.ends_with("-spec")
                || stem == "runtests"
                || stem_orig.ends_with("Spec")
                || stem_orig.ends_with("Test")
                || stem_orig.ends_with("Tests")
        }
        Lang::Shell => stem.starts_with("test_") || stem.ends_with("_test") || stem == "test",
        Lang::Config | Lang::Other => false,
    }
}

fn is_config_name(lower: &str) -> bool {
    matches!(
        lower,
        "pyproject.toml"
            | "setup.cfg"
            | "pytest.ini"
            | "tox.ini"
            | "noxfile.py"
            | "conftest.py"
            | "package.json"
            | "nextest.toml"
            | "cargo.toml"
            | "makefile"
            | "gnumakefile"
            | "justfile"
            | "taskfile.yml"
            | "taskfile.yaml"
            | ".mocharc"
            | "phpunit.xml"
            | "phpunit.xml.dist"
            | ".rspec"
            | "build.gradle"
            | "build.gradle.kts"
            | "pom.xml"
            | "go.test.sh"
            | "rakefile"
            | "cmakelists.txt"
            | "ctesttestfile.cmake"
            | "meson.build"
            | "package.swift"
            | "mix.exs"
            | "build.sbt"
            | "dune"
            | "build.zig"
            | ".busted"
    ) || lower.starts_with("jest.config")
        || lower.starts_with("vitest.config")
        || lower.starts_with("vitest.workspace")
        || lower.starts_with("vite.config")
        || lower.starts_with(".mocharc")
        || lower.starts_with("karma.conf")
        || lower.starts_with("playwright.config")
        || lower.starts_with("cypress.config")
        || lower.starts_with("ava.config")
        || lower.ends_with(".mk")
        || is_build_script_name(lower)
}

/// Build and test entry scripts by name (`build.ps1`, `test.sh`, `ci.cmd`, `psakefile.ps1`,
/// `build.cake`): the commands in them are the ones CI runs.
fn is_build_script_name(lower: &str) -> bool {
    let Some((stem, ext)) = lower.rsplit_once('.') else {
        return false;
    };
    matches!(lower, "psakefile.ps1" | "build.cake")
        || matches!(ext, "ps1" | "sh" | "bash" | "cmd" | "bat")
            && matches!(
                stem,
                "build"
                    | "test"
                    | "tests"
                    | "ci"
                    | "check"
                    | "run-tests"
                    | "run_tests"
                    | "runtests"
                    | "test-all"
                    | "test_all"
            )
}

fn is_ci_path(dirs: &[&str], name: &str, lower: &str) -> bool {
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    let under = |a: &str, b: &str| dirs.windows(2).any(|w| w[0] == a && w[1] == b);
    (yaml
        && (under(".github", "workflows")
            || under(".github", "actions") && lower.starts_with("action.")))
        || matches!(
            lower,
            ".gitlab-ci.yml"
                | ".travis.yml"
                | "azure-pipelines.yml"
                | "bitbucket-pipelines.yml"
                | "appveyor.yml"
                | ".appveyor.yml"
                | ".drone.yml"
                | "cloudbuild.yaml"
                | "cloudbuild.yml"
                | ".woodpecker.yml"
        )
        || name == "Jenkinsfile"
        || (dirs.first() == Some(&".circleci") && yaml)
        || dirs.first() == Some(&".buildkite")
        || dirs.first() == Some(&".ci")
        || dirs.first() == Some(&".woodpecker")
        || (dirs.len() == 1 && dirs[0] == "ci")
        // the script a pipeline runs: `ci.sh`, `build/ci.sh`, `scripts/ci-test.sh`
        || ((lower == "ci.sh" || lower.starts_with("ci-") || lower.starts_with("ci_"))
            && (lower.ends_with(".sh") || lower.ends_with(".bash") || lower.ends_with(".ps1")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_files_by_convention_not_substring() {
        for p in [
            "tests/test_x.py",
            "pkg/foo_test.go",
            "src/a.test.ts",
            "web/__tests__/a.js",
            "lib/b.spec.js",
            "src/test/java/com/x/FooTest.java",
            "spec/models/user_spec.rb",
            "tests/repro.rs",
            "app/tests/FooTests.cs",
            "apps/e2e/src/suite/tools/use-mcp-tool.test.ts",
        ] {
            assert!(classify(p).test, "{p} should be a test file");
        }
        for p in [
            "src/testing_utils.py",
            "src/circle.py",
            "lib/civic.rs",
            "docs/spec.md",
            "src/evaluate.py",
            "src/latest.ts",
            "app/contest.py",
        ] {
            assert!(!classify(p).test, "{p} should not be a test file");
        }
    }

    #[test]
    fn ci_by_location() {
        assert!(classify(".github/workflows/ci.yml").ci);
        assert!(classify(".gitlab-ci.yml").ci);
        assert!(!classify(".github/ISSUE_TEMPLATE/config.yml").ci);
        assert!(!classify("app/ci_config.go").ci);
        assert!(!classify("src/ci/mod.rs").ci);
    }

    #[test]
    fn build_scripts_select_tests() {
        for p in [
            "Build.ps1",
            "scripts/test.sh",
            "ci.cmd",
            "psakefile.ps1",
            "build.cake",
        ] {
            assert!(classify(p).test_config, "{p}");
        }
        for p in ["deploy.sh", "scripts/release.ps1", "build.py"] {
            assert!(!classify(p).test_config, "{p}");
        }
    }

    #[test]
    fn oracles() {
        assert!(classify("tests/corpus/true_positives/git.toml").oracle);
        assert!(classify("src/__snapshots__/a.test.ts.snap").oracle);
        assert!(classify("testdata/golden/out.txt").oracle);
        assert!(!classify("tests/test_x.py").oracle);
        assert!(!classify("docs/changelog.mdx").oracle);
        assert!(!classify("pyproject.toml").oracle);
    }
}
