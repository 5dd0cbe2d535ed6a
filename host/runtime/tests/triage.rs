//! commit-triage through the host: results, staged state, invalid runs keeping cursors, notes
//! surviving, and the audit trail written through a real file store.

use crate::common;

use common::*;
use serde_json::json;
use strive_runtime::{Capability, Phase, RunResult, execute, records};
use strive_state::Store;
use strive_state::file::FileStore;

fn spec(refs: &[&str]) -> serde_json::Value {
    json!({"id": "test-loop", "kind": "git-commit-triage", "phase": "L1",
           "target": {"repo": ".", "refs": refs, "first_run_since": "7 days ago"}, "budget": {}})
}

#[test]
fn found_then_clean_and_invalid_runs_keep_cursors() {
    let repo = TestRepo::new();
    let old = repo.commit_at(
        "feat: ancient history",
        &[("old.txt", "x")],
        now() - 30 * 86_400,
    );
    let fix = repo.commit(
        "fix: off-by-one in the pager",
        &[("src/pager.rs", "fn f() {}\n")],
    );
    let state_dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(state_dir.path().join("state.json"));
    let triage = triage();
    let branch = repo.branch();
    let grants = Capability::allowed_in(Phase::L1);

    let mut req = request(
        spec(&[&branch]),
        Phase::L1,
        grants.clone(),
        Some(repo.path()),
    );
    let first = execute(&triage, &req);
    assert_eq!(first.result, RunResult::Found, "{}", first.note);
    let cited: Vec<&str> = first
        .findings
        .iter()
        .flat_map(|f| f.cites.iter().map(String::as_str))
        .collect();
    assert_eq!(
        cited,
        vec![fix.as_str()],
        "the first-run window excludes {old}"
    );
    assert_eq!(first.findings[0].bucket, "high");
    records::commit(&store, &first, None, Phase::L1, now()).unwrap();

    // Second run, nothing new: clean.
    req.run_id = format!("run-{}", rand_suffix());
    req.section = store.read_section("test-loop").unwrap();
    let second = execute(&triage, &req);
    assert_eq!(second.result, RunResult::Clean, "{}", second.note);
    records::commit(&store, &second, None, Phase::L1, now()).unwrap();
    let cursors = store.read_section("test-loop").unwrap().unwrap()["cursors"].clone();
    assert_eq!(cursors[&branch], json!(fix));

    // A run whose report cites a fabricated SHA is invalid: cursors are not moved.
    repo.commit("feat: new work", &[("b.txt", "b")]);
    let hostile = hostile();
    let mut bad = request(
        json!({"attack": "cite", "sha": "0123456789abcdef0123456789abcdef01234567"}),
        Phase::L1,
        grants.clone(),
        Some(repo.path()),
    );
    bad.loop_id = "test-loop".into();
    bad.section = store.read_section("test-loop").unwrap();
    let invalid = execute(&hostile, &bad);
    assert_eq!(invalid.result, RunResult::Error);
    records::commit(&store, &invalid, None, Phase::L1, now()).unwrap();
    let section = store.read_section("test-loop").unwrap().unwrap();
    assert_eq!(section["cursors"], cursors, "prior cursors kept");
    assert_eq!(section["last_result"], "error");
    assert!(
        section["note"]
            .as_str()
            .unwrap()
            .starts_with("invalid run: fabricated SHAs")
    );

    // Every run's audit chain verifies against its run-log row.
    for r in [&first, &second, &invalid] {
        let chain = records::verify_audit(&store, &r.run_id).unwrap();
        assert!(chain.ok, "{:?}", chain);
        assert!(chain.rows >= 3);
    }
    let rows = store.read_runlog(Some("test-loop")).unwrap();
    let results: Vec<&str> = rows.iter().map(|r| r["result"].as_str().unwrap()).collect();
    assert_eq!(results, vec!["found", "clean", "error"]);
}

#[test]
fn divergence_is_reported_once_until_it_changes() {
    let repo = TestRepo::new();
    repo.commit("feat: base", &[("a.txt", "a")]);
    let main = repo.branch();
    let base = repo.repo.head().unwrap().peel_to_commit().unwrap();
    repo.repo.branch("release", &base, false).unwrap();
    repo.commit("feat: only on main", &[("b.txt", "b")]);
    let store_dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(store_dir.path().join("state.json"));
    let triage = triage();
    let mut req = request(
        spec(&[&main, "release"]),
        Phase::L1,
        Capability::allowed_in(Phase::L1),
        Some(repo.path()),
    );

    let first = execute(&triage, &req);
    assert_eq!(first.result, RunResult::Found, "{}", first.note);
    assert!(
        first
            .findings
            .iter()
            .any(|f| f.title.contains("ahead of release")),
        "{:?}",
        first.findings
    );
    records::commit(&store, &first, None, Phase::L1, now()).unwrap();

    req.section = store.read_section("test-loop").unwrap();
    req.run_id = format!("run-{}", rand_suffix());
    let second = execute(&triage, &req);
    assert_eq!(
        second.result,
        RunResult::Clean,
        "divergence not repeated: {:?}",
        second.findings
    );
}

#[test]
fn notes_survive_runs() {
    let repo = TestRepo::new();
    repo.commit("feat: base", &[("a.txt", "a")]);
    let store_dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(store_dir.path().join("state.json"));
    store
        .update_section("test-loop", &mut |_| {
            Ok(Some(json!({"notes": ["remember the migration"]})))
        })
        .unwrap();
    let mut req = request(
        spec(&[&repo.branch()]),
        Phase::L1,
        Capability::allowed_in(Phase::L1),
        Some(repo.path()),
    );
    req.section = store.read_section("test-loop").unwrap();
    let r = execute(&triage(), &req);
    records::commit(&store, &r, None, Phase::L1, now()).unwrap();
    let section = store.read_section("test-loop").unwrap().unwrap();
    assert_eq!(section["notes"], json!(["remember the migration"]));
    assert_eq!(section["last_result"], r.result.as_str());
}

#[test]
fn a_plugin_cannot_write_host_owned_keys() {
    let r = execute(
        &hostile(),
        &request(
            json!({"attack": "write-reserved"}),
            Phase::L1,
            Capability::allowed_in(Phase::L1),
            None,
        ),
    );
    assert_eq!(r.result, RunResult::Error);
    assert_eq!(
        r.note.matches("is reserved for the host").count(),
        3,
        "{}",
        r.note
    );
    assert!(!r.note.contains("LEAK"));
}

/// Components built against the older 0.1 patches (the commit-triage guest as built before
/// WIT 0.1.1 added `context`, and before 0.1.2 added `maker.chat`/`worktree.search`; kept as
/// fixtures) still load and run on this 0.1.2 host.
#[test]
fn components_built_against_older_0_1_patches_still_load_and_run() {
    for (file, version) in [
        ("commit_triage-wit-0.1.0.wasm", "0.1.0"),
        ("commit_triage-wit-0.1.1.wasm", "0.1.1"),
    ] {
        older_component_loads_and_runs(file, version);
    }
}

fn older_component_loads_and_runs(file: &str, version: &str) {
    let wasm = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(file),
    )
    .unwrap();
    let imports = String::from_utf8_lossy(&wasm).into_owned();
    assert!(imports.contains(&format!("strive:loops/git@{version}")));
    assert!(!imports.contains("@0.1.2"), "{file} is not an older build");
    let manifest = strive_runtime::builtin::COMMIT_TRIAGE.manifest();
    let old = strive_runtime::Plugin::load(&wasm, manifest, None)
        .unwrap_or_else(|e| panic!("{version} component does not load: {e}"));
    let repo = TestRepo::new();
    let fix = repo.commit(
        "fix: off-by-one in the pager",
        &[("src/pager.rs", "fn f() {}\n")],
    );
    let req = request(
        spec(&[&repo.branch()]),
        Phase::L1,
        Capability::allowed_in(Phase::L1),
        Some(repo.path()),
    );
    let run = execute(&old, &req);
    assert_eq!(run.result, RunResult::Found, "{}", run.note);
    assert_eq!(run.findings[0].cites, vec![fix]);
}

/// A first window larger than a page is read newest first over several runs: each run reports
/// its new commits and the next page, nothing is reported twice, nothing is left out, and the
/// run after the last page is clean.
#[test]
fn a_window_larger_than_a_page_is_read_over_several_runs_exactly_once() {
    let repo = TestRepo::new();
    let mut all: Vec<String> = (0..25)
        .map(|i| {
            repo.commit(
                &format!("fix: bug number {i}"),
                &[(&format!("src/f{i}.rs"), "fn f() {}\n")],
            )
        })
        .collect();
    let state_dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(state_dir.path().join("state.json"));
    let triage = triage();
    let branch = repo.branch();
    let mut spec = spec(&[&branch]);
    spec["target"]["first_run"] = json!("all");
    spec["target"]["first_run_page"] = json!(10);
    let mut req = request(
        spec,
        Phase::L1,
        Capability::allowed_in(Phase::L1),
        Some(repo.path()),
    );
    let mut reported: Vec<String> = Vec::new();
    let run = |req: &mut strive_runtime::RunRequest, expect: RunResult| {
        req.run_id = format!("run-{}", rand_suffix());
        req.section = store.read_section("test-loop").unwrap();
        let r = execute(&triage, req);
        assert_eq!(r.result, expect, "{}", r.note);
        records::commit(&store, &r, None, Phase::L1, now()).unwrap();
        let cited: Vec<String> = r.findings.iter().flat_map(|f| f.cites.clone()).collect();
        (r.note, cited)
    };

    let (note, cited) = run(&mut req, RunResult::Found);
    assert_eq!(cited.len(), 10, "{note}");
    assert!(note.contains("10 commit(s) read this run"), "{note}");
    assert!(note.contains("the rest continue next run"), "{note}");
    reported.extend(cited);

    // Two new commits land; the second run reports them and the next page.
    for i in 0..2 {
        all.push(repo.commit(
            &format!("fix: late bug {i}"),
            &[(&format!("src/late{i}.rs"), "fn g() {}\n")],
        ));
    }
    let (note, cited) = run(&mut req, RunResult::Found);
    assert_eq!(cited.len(), 12, "{note}");
    assert!(
        note.contains("an earlier window continued from its commit 11"),
        "{note}"
    );
    reported.extend(cited);

    let (note, cited) = run(&mut req, RunResult::Found);
    assert_eq!(cited.len(), 5, "{note}");
    assert!(!note.contains("continue next run"), "{note}");
    reported.extend(cited);
    let section = store.read_section("test-loop").unwrap().unwrap();
    assert_eq!(section["backfill"], json!({}), "the window is done");

    run(&mut req, RunResult::Clean);
    let mut sorted = reported.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), reported.len(), "nothing reported twice");
    let mut expected = all.clone();
    expected.sort();
    assert_eq!(sorted, expected, "every commit reported");
}

/// Noise never crowds out high and watch findings, and more noise than the findings cap is
/// counted in the note, not an error.
#[test]
fn noise_past_the_findings_cap_is_counted_not_fatal() {
    let repo = TestRepo::new();
    for i in 0..5 {
        repo.commit(
            &format!("docs: typo {i}"),
            &[(&format!("docs/page{i}.md"), "words\n")],
        );
    }
    let fix = repo.commit(
        "fix: crash on empty input",
        &[("src/parse.rs", "fn parse() {}\n")],
    );
    let mut req = request(
        spec(&[&repo.branch()]),
        Phase::L1,
        Capability::allowed_in(Phase::L1),
        Some(repo.path()),
    );
    req.limits.findings = 3;
    let r = execute(&triage(), &req);
    assert_eq!(r.result, RunResult::Found, "{}", r.note);
    assert!(
        r.findings
            .iter()
            .any(|f| f.cites == vec![fix.clone()] && f.bucket == "high")
    );
    assert_eq!(r.findings.iter().filter(|f| f.bucket == "noise").count(), 3);
    assert!(
        r.note
            .contains("2 noise finding(s) past the findings cap were counted, not kept"),
        "{}",
        r.note
    );
}
