//! Property tests: the patch parser, the integrity scan and the merge gate never panic on
//! arbitrary input, and never call unparseable input clean.

use proptest::prelude::*;
use strive_core::allowlist::{AllowPolicy, evaluate_str};
use strive_core::integrity::scan_diff;
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
