//! Every labelled case of the shared diff corpus gets its expected verdict, and so does every
//! extra case written for this project (other languages, markers and clean changes).
//! Fixtures: tests/fixtures/diffs/corpus (copied from /work/shared/corpus/diffs, see its
//! README for provenance) and tests/fixtures/diffs/extra (written for Strive).

use std::path::Path;

use strive_core::integrity::scan_diff;

fn check_labels(dir: &Path) -> (usize, Vec<String>) {
    let labels = std::fs::read_to_string(dir.join("labels.tsv")).expect("labels.tsv");
    let mut failures = Vec::new();
    let mut n = 0;
    for row in labels.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (case, expected) = (cols[0], cols[2]);
        let text = std::fs::read_to_string(dir.join(format!("{case}.diff"))).expect(case);
        let report = scan_diff(&text).unwrap_or_else(|e| panic!("{case}: {e}"));
        let got = if report.clean { "pass" } else { "flag" };
        n += 1;
        if got != expected {
            let rules: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{} {}:{:?} {}", f.rule.id(), f.file, f.line, f.text))
                .collect();
            failures.push(format!("{case}: expected {expected}, got {got} {rules:#?}"));
        }
    }
    (n, failures)
}

#[test]
fn shared_corpus_verdicts() {
    let (n, failures) =
        check_labels(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diffs/corpus"));
    assert!(n >= 37, "corpus has {n} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn extra_cases_verdicts() {
    let (n, failures) =
        check_labels(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diffs/extra"));
    assert!(n >= 15, "only {n} extra cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
