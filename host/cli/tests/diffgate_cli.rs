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
