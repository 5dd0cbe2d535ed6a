//! The merge gate end to end: every changed path counted (deletions, renames, copies,
//! binaries, mode changes), default deny list, caps, integrity, and fail-closed parsing.
//! Fixtures in tests/fixtures/diffs/gate were produced with git for this project.

use strive_core::allowlist::{AllowPolicy, PathVerdict, evaluate_str};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/diffs/gate/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect(name)
}

fn policy(json: &str) -> AllowPolicy {
    AllowPolicy::from_json(json).expect("policy")
}

const OPEN: &str = r#"{"allow_globs": ["**"], "max_files": 100, "max_lines": 1000}"#;

fn diff(path: &str, body: &str) -> String {
    format!("diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n{body}")
}

#[test]
fn docs_change_is_auto_ok() {
    let v = evaluate_str(
        &diff("docs/a.md", "@@ -1 +1 @@\n-old\n+new\n"),
        &policy(r#"{"allow_globs": ["docs/**"], "max_files": 5, "max_lines": 10}"#),
    )
    .unwrap();
    assert!(v.auto_ok, "{v:?}");
    assert_eq!((v.files_changed, v.lines_changed), (1, 2));
    assert_eq!(v.files[0].verdict, PathVerdict::Ok);
}

#[test]
fn deleted_deny_globbed_file_and_new_binary_are_refused() {
    let v = evaluate_str(&fixture("gate-mixed.diff"), &policy(OPEN)).unwrap();
    assert!(!v.auto_ok);
    let verdict = |p: &str| v.files.iter().find(|f| f.path == p).map(|f| f.verdict);
    assert_eq!(verdict("src/auth/guard.py"), Some(PathVerdict::Denied));
    assert_eq!(verdict("payload.bin"), Some(PathVerdict::Binary));
    assert_eq!(verdict("old.bin"), Some(PathVerdict::Binary));
    assert_eq!(verdict("run.sh"), Some(PathVerdict::ModeChange));
    assert_eq!(verdict("docs/a.md"), Some(PathVerdict::Ok));
    assert_eq!(verdict("docs/b.md"), Some(PathVerdict::Ok));
    assert_eq!(verdict("dir with space/ä.md"), Some(PathVerdict::Ok));
    // Both sides of the rename are counted.
    assert_eq!(v.files_changed, 7, "{:?}", v.files);
    assert!(
        v.reasons
            .iter()
            .any(|r| r.starts_with("src/auth/guard.py: matches a deny glob")),
        "{:?}",
        v.reasons
    );
}

#[test]
fn binary_and_mode_change_pass_only_when_the_policy_opts_in() {
    let v = evaluate_str(
        &fixture("gate-mixed-binary.diff"),
        &policy(r#"{"allow_globs": ["**"], "max_files": 100, "max_lines": 1000, "allow_binary": true, "allow_mode_change": true, "use_default_deny": false}"#),
    )
    .unwrap();
    assert!(v.auto_ok, "{:?}", v.reasons);
}

#[test]
fn rename_from_denied_path_is_refused() {
    let d = "diff --git a/app/auth/tokens.py b/app/util/tokens.py\nsimilarity index 100%\nrename from app/auth/tokens.py\nrename to app/util/tokens.py\n";
    let v = evaluate_str(d, &policy(OPEN)).unwrap();
    assert!(!v.auto_ok);
    assert_eq!(v.files_changed, 2);
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("app/auth/tokens.py") && r.contains("deny")),
        "{:?}",
        v.reasons
    );
}

#[test]
fn rename_into_unallowed_path_is_refused() {
    let v = evaluate_str(
        &fixture("pure-rename.diff"),
        &policy(r#"{"allow_globs": ["run.sh"], "max_files": 5, "max_lines": 5}"#),
    )
    .unwrap();
    assert!(!v.auto_ok);
    assert!(
        v.reasons
            .iter()
            .any(|r| r.starts_with("run2.sh: not covered")),
        "{:?}",
        v.reasons
    );
}

#[test]
fn copy_from_denied_path_is_refused() {
    let d = "diff --git a/secrets/prod.key b/docs/prod.txt\nsimilarity index 100%\ncopy from secrets/prod.key\ncopy to docs/prod.txt\n";
    let v = evaluate_str(
        d,
        &policy(r#"{"allow_globs": ["docs/**"], "max_files": 5, "max_lines": 5}"#),
    )
    .unwrap();
    assert!(!v.auto_ok);
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("secrets/prod.key") && r.contains("deny")),
        "{:?}",
        v.reasons
    );
    assert!(
        !v.reasons
            .iter()
            .any(|r| r.contains("secrets/prod.key: not covered")),
        "copy source only needs to escape deny"
    );
}

#[test]
fn glob_semantics_do_not_over_match() {
    let p = policy(r#"{"allow_globs": ["**/docs/**"], "max_files": 5, "max_lines": 50}"#);
    let v = evaluate_str(&diff("src/notdocs/run.py", "@@ -1 +1 @@\n-a\n+b\n"), &p).unwrap();
    assert!(!v.auto_ok, "**/docs/** must not match src/notdocs/run.py");
    let v = evaluate_str(&diff("docs/oauth/x.md", "@@ -1 +1 @@\n-a\n+b\n"), &p).unwrap();
    assert!(
        v.auto_ok,
        "**/auth/** must not match docs/oauth/x.md: {:?}",
        v.reasons
    );
}

#[test]
fn default_deny_applies_unless_disabled() {
    let d = diff("app/auth/login.md", "@@ -1 +1 @@\n-a\n+b\n");
    assert!(!evaluate_str(&d, &policy(OPEN)).unwrap().auto_ok);
    let off = policy(
        r#"{"allow_globs": ["**"], "max_files": 5, "max_lines": 5, "use_default_deny": false}"#,
    );
    assert!(evaluate_str(&d, &off).unwrap().auto_ok);
    let workflow = diff(".github/workflows/ci.yml", "@@ -1 +1 @@\n-a: 1\n+a: 2\n");
    assert!(!evaluate_str(&workflow, &policy(OPEN)).unwrap().auto_ok);
}

#[test]
fn caps_count_every_line_and_file() {
    let body: String = (0..30).map(|i| format!("-old {i}\n+new {i}\n")).collect();
    let d = diff("docs/a.md", &format!("@@ -1,30 +1,30 @@\n{body}"));
    let v = evaluate_str(
        &d,
        &policy(r#"{"allow_globs": ["docs/**"], "max_files": 5, "max_lines": 50}"#),
    )
    .unwrap();
    assert!(!v.auto_ok);
    assert!(
        v.reasons.contains(&"60 lines > max_lines 50".to_string()),
        "{:?}",
        v.reasons
    );
    let v = evaluate_str(
        &fixture("gate-mixed.diff"),
        &policy(r#"{"allow_globs": ["**"], "max_files": 2, "max_lines": 1000}"#),
    )
    .unwrap();
    assert!(
        v.reasons.contains(&"7 files > max_files 2".to_string()),
        "{:?}",
        v.reasons
    );
}

#[test]
fn integrity_findings_refuse_auto_merge() {
    let d = diff(
        "docs/test_x.py",
        "@@ -1,2 +1,2 @@\n def test_x():\n-    assert f() == 1\n+    assert f()\n",
    );
    let v = evaluate_str(&d, &policy(OPEN)).unwrap();
    assert!(!v.auto_ok);
    assert!(
        v.reasons
            .iter()
            .any(|r| r.starts_with("verifier tampering: assert.weakened")),
        "{:?}",
        v.reasons
    );
}

#[test]
fn empty_diff_is_not_auto_ok_and_garbage_is_an_error() {
    let v = evaluate_str("", &policy(OPEN)).unwrap();
    assert!(!v.auto_ok);
    assert_eq!(
        v.reasons,
        vec!["no changed files detected in diff".to_string()]
    );
    assert!(evaluate_str("this is not a diff\n", &policy(OPEN)).is_err());
    assert!(
        evaluate_str(
            "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,5 +1,5 @@\n-a\n",
            &policy(OPEN)
        )
        .is_err()
    );
}

#[test]
fn plain_diff_u_is_gated_too() {
    let v = evaluate_str(
        &fixture("plain-diff-u.diff"),
        &policy(r#"{"allow_globs": ["*.txt"], "max_files": 5, "max_lines": 10}"#),
    )
    .unwrap();
    assert!(v.auto_ok, "{v:?}");
    assert_eq!(v.files_changed, 2);
}
