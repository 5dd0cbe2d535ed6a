//! `strive scan-diff` and `strive check-allowlist` from the outside: JSON shape, exit codes,
//! fail-closed input handling.

use std::io::Write;
use std::process::{Command, Stdio};

fn strive(args: &[&str], stdin: &[u8]) -> (i32, serde_json::Value, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn strive");
    // The verb may exit before reading stdin (bad policy); a closed pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin);
    let out = child.wait_with_output().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const SKIP: &str = "diff --git a/tests/test_a.py b/tests/test_a.py\n--- a/tests/test_a.py\n+++ b/tests/test_a.py\n@@ -1,2 +1,3 @@\n+@pytest.mark.skip\n def test_a():\n     assert f() == 1\n";
const DOCS: &str =
    "diff --git a/docs/a.md b/docs/a.md\n--- a/docs/a.md\n+++ b/docs/a.md\n@@ -1 +1 @@\n-a\n+b\n";

#[test]
fn scan_diff_exit_codes_and_shape() {
    let (code, json, _) = strive(&["scan-diff"], SKIP.as_bytes());
    assert_eq!(code, 5);
    assert_eq!(json["clean"], false);
    let f = &json["findings"][0];
    assert_eq!(f["rule"], "test.skip-marker");
    assert_eq!(f["issue"], "test_disabled");
    assert_eq!(f["file"], "tests/test_a.py");
    assert_eq!(f["line"], 1);
    assert_eq!(f["side"], "new");
    assert_eq!(json["files_scanned"], 1);

    let (code, json, _) = strive(&["scan-diff", "-"], DOCS.as_bytes());
    assert_eq!((code, &json["clean"]), (0, &serde_json::Value::Bool(true)));

    let (code, json, _) = strive(&["scan-diff"], b"");
    assert_eq!(code, 0);
    assert!(json["note"].as_str().unwrap().contains("empty"));
}

#[test]
fn scan_diff_fails_closed() {
    let (code, _, err) = strive(&["scan-diff"], b"hello, not a diff\n");
    assert_eq!(code, 64, "{err}");
    let mut bad = SKIP.as_bytes().to_vec();
    bad.extend_from_slice(b"+\xff\n");
    let (code, _, err) = strive(&["scan-diff"], &bad);
    assert_eq!(code, 64);
    assert!(err.contains("UTF-8"), "{err}");
    let (code, _, _) = strive(&["scan-diff", "/nonexistent/x.diff"], b"");
    assert_eq!(code, 64);
}

#[test]
fn check_allowlist_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let policy = dir.path().join("p.json");
    std::fs::write(
        &policy,
        r#"{"allow_globs": ["docs/**"], "max_files": 5, "max_lines": 10}"#,
    )
    .unwrap();
    let p = policy.to_str().unwrap();
    let (code, json, _) = strive(&["check-allowlist", p], DOCS.as_bytes());
    assert_eq!(code, 0, "{json}");
    assert_eq!(json["auto_ok"], true);
    assert_eq!(json["files"][0]["verdict"], "ok");
    assert_eq!(json["files"][0]["status"], "modified");

    let (code, json, _) = strive(&["check-allowlist", p, "-"], SKIP.as_bytes());
    assert_eq!(code, 7);
    assert_eq!(json["auto_ok"], false);
    assert!(json["reasons"].as_array().unwrap().len() >= 2);

    let (code, _, _) = strive(&["check-allowlist", p], b"garbage\n");
    assert_eq!(code, 64);

    std::fs::write(
        &policy,
        r#"{"deny_globs": ["x"], "max_files": 1, "max_lines": 1}"#,
    )
    .unwrap();
    let (code, _, err) = strive(&["check-allowlist", p], DOCS.as_bytes());
    assert_eq!(code, 64);
    assert!(err.contains("allow_globs"), "{err}");
}

fn git_in(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// A real repository, a real commit, a real `git diff` that weakens one check and turns
/// another into a tautology in a Kotlin test, and a test data file whose expected value
/// changes: the JSON names each finding's file, line, rule and the check before and after.
#[test]
fn scan_diff_names_file_line_rule_and_before_after_from_a_real_git_diff() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git_in(repo, &["init", "-q"]);
    let test_path = "src/test/kotlin/ParserTest.kt";
    std::fs::create_dir_all(repo.join("src/test/kotlin")).unwrap();
    std::fs::create_dir_all(repo.join("tests/golden")).unwrap();
    let before = "import kotlin.test.Test\nimport kotlin.test.assertEquals\nimport kotlin.test.assertTrue\n\nclass ParserTest {\n    @Test\n    fun parsesNumbers() {\n        assertEquals(42, parse(\"42\"))\n        assertTrue(isValid(\"42\"))\n    }\n}\n";
    std::fs::write(repo.join(test_path), before).unwrap();
    std::fs::write(repo.join("tests/golden/parse.expected"), "42\n7\n").unwrap();
    git_in(repo, &["add", "-A"]);
    git_in(repo, &["commit", "-q", "-m", "tests"]);
    let after = before
        .replace(
            "assertEquals(42, parse(\"42\"))",
            "assertTrue(parse(\"42\") > 0)",
        )
        .replace(
            "assertTrue(isValid(\"42\"))",
            "assertTrue(isValid(\"42\") || true)",
        );
    std::fs::write(repo.join(test_path), &after).unwrap();
    std::fs::write(repo.join("tests/golden/parse.expected"), "42\n8\n").unwrap();
    let diff = git_in(repo, &["diff"]);

    let (code, json, err) = strive(&["scan-diff", "-"], diff.as_bytes());
    assert_eq!(code, 5, "{err}\n{json:#}");
    assert_eq!(json["clean"], false);
    assert_eq!(json["files_scanned"], 2);
    let findings = json["findings"].as_array().expect("findings");
    let of = |file: &str| -> Vec<&serde_json::Value> {
        findings.iter().filter(|f| f["file"] == file).collect()
    };
    let kt = of(test_path);
    // the weakened check: exact equality became an ordering check; reported on the old
    // side's line 8, where the stronger check stood
    let weakened = kt
        .iter()
        .find(|f| {
            f["after"]
                .as_str()
                .is_some_and(|a| a.contains("parse(\"42\") > 0"))
        })
        .unwrap_or_else(|| panic!("no finding for the weakened check: {json:#}"));
    assert_eq!(
        (&weakened["rule"], &weakened["line"], &weakened["side"]),
        (
            &serde_json::json!("assert.weakened"),
            &serde_json::json!(8),
            &serde_json::json!("old")
        ),
        "{weakened:#}"
    );
    assert_eq!(
        weakened["before"], "assertEquals(42, parse(\"42\"))",
        "{weakened:#}"
    );
    // the tautology: `|| true`, on new line 9
    let taut = kt
        .iter()
        .find(|f| f["after"].as_str().is_some_and(|a| a.contains("|| true")))
        .unwrap_or_else(|| panic!("no finding for the tautology: {json:#}"));
    assert_eq!(taut["line"], 9, "{taut:#}");
    assert!(
        taut["rule"].as_str().unwrap().starts_with("assert."),
        "{taut:#}"
    );
    assert_eq!(taut["before"], "assertTrue(isValid(\"42\"))", "{taut:#}");
    // the changed expectation in test data keeps the value before and after
    let golden = of("tests/golden/parse.expected");
    let g = golden
        .first()
        .unwrap_or_else(|| panic!("no golden finding: {json:#}"));
    assert_eq!(g["line"], 2, "{g:#}");
    assert_eq!(
        (g["before"].as_str(), g["after"].as_str()),
        (Some("7"), Some("8")),
        "{g:#}"
    );

    // the same repository with only a strengthened check scans clean (exit 0)
    git_in(repo, &["checkout", "-q", "--", "."]);
    let stronger = before.replace(
        "assertTrue(isValid(\"42\"))",
        "assertTrue(isValid(\"42\"))\n        assertEquals(\"42\", show(parse(\"42\")))",
    );
    std::fs::write(repo.join(test_path), stronger).unwrap();
    let diff = git_in(repo, &["diff"]);
    let (code, json, err) = strive(&["scan-diff"], diff.as_bytes());
    assert_eq!(
        (code, &json["clean"]),
        (0, &serde_json::Value::Bool(true)),
        "{err}\n{json:#}"
    );
}
