//! Behaviour of the file backend under concurrency, crashes and corruption.
//!
//! Process tests re-run this test binary as a worker (`worker_entry`, active only when
//! `STRIVE_STATE_WORKER` is set), so real processes contend for the lock.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde_json::{Value, json};
use strive_state::file::FileStore;
use strive_state::{Store, StoreError};

/// Increment `counter` in section `loop_id` (read-modify-write: loses updates without a lock).
fn bump(store: &FileStore, loop_id: &str) {
    store
        .update_section(loop_id, &mut |old| {
            let mut sec = old.unwrap_or_else(|| json!({}));
            let n = sec.get("counter").and_then(Value::as_u64).unwrap_or(0);
            sec["counter"] = json!(n + 1);
            Ok(Some(sec))
        })
        .unwrap();
}

fn counter(store: &FileStore, loop_id: &str) -> u64 {
    store.read_section(loop_id).unwrap().unwrap()["counter"]
        .as_u64()
        .unwrap()
}

/// Worker mode: bump `STRIVE_STATE_LOOP` `STRIVE_STATE_N` times (or forever if N is 0).
#[test]
fn worker_entry() {
    let Ok(path) = std::env::var("STRIVE_STATE_WORKER") else {
        return;
    };
    let loop_id = std::env::var("STRIVE_STATE_LOOP").unwrap();
    let n: u64 = std::env::var("STRIVE_STATE_N").unwrap().parse().unwrap();
    let store = FileStore::new(path);
    let mut i = 0;
    while n == 0 || i < n {
        bump(&store, &loop_id);
        store
            .append_runlog(&json!({"ts": i, "loop": loop_id, "result": "clean"}))
            .unwrap();
        i += 1;
    }
}

/// The libtest name of test `f` in this module (tests/main.rs links every file as a module).
fn test_name(f: &str) -> String {
    match module_path!().split_once("::") {
        Some((_, module)) => format!("{module}::{f}"),
        None => f.to_string(),
    }
}

fn spawn_worker(path: &Path, loop_id: &str, n: u64) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            &test_name("worker_entry"),
            "--nocapture",
            "--test-threads=1",
        ])
        .env("STRIVE_STATE_WORKER", path)
        .env("STRIVE_STATE_LOOP", loop_id)
        .env("STRIVE_STATE_N", n.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn missing_file_reads_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("nested/state.json"));
    assert_eq!(store.read_section("x").unwrap(), None);
    assert!(store.all_sections().unwrap().is_empty());
    assert!(store.read_runlog(None).unwrap().is_empty());
    assert!(store.read_audit("run-1").unwrap().is_empty());
}

#[test]
fn earlier_layout_is_read_and_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    std::fs::write(
        &path,
        r#"{"version": 1, "loops": {"t": {"phase": "L1", "cursors": {"main": "abc"}}}}"#,
    )
    .unwrap();
    let store = FileStore::new(&path);
    assert_eq!(
        store.read_section("t").unwrap().unwrap()["cursors"]["main"],
        "abc"
    );
    bump(&store, "u");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["loops"]["t"]["phase"], "L1");
    assert_eq!(doc["loops"]["u"]["counter"], 1);
}

#[test]
fn update_can_delete_a_section() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    bump(&store, "a");
    bump(&store, "b");
    store.update_section("a", &mut |_| Ok(None)).unwrap();
    let all = store.all_sections().unwrap();
    assert_eq!(all.keys().collect::<Vec<_>>(), ["b"]);
}

#[test]
fn a_failing_update_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    bump(&store, "a");
    let err = store
        .update_section("a", &mut |_| Err(StoreError::Other("no".into())))
        .unwrap_err();
    assert!(err.to_string().contains("no"));
    assert_eq!(counter(&store, "a"), 1);
}

#[test]
fn corrupt_state_is_reported_and_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let garbage = "{\"version\": 1, \"loops\": {\"a\": tru";
    std::fs::write(&path, garbage).unwrap();
    let store = FileStore::new(&path);
    let err = store.read_section("a").unwrap_err().to_string();
    assert!(err.contains("state.json"), "{err}");
    assert!(err.contains("not valid JSON"), "{err}");
    let err = store
        .update_section("b", &mut |_| Ok(Some(json!({}))))
        .unwrap_err()
        .to_string();
    assert!(err.contains("left untouched"), "{err}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), garbage);

    std::fs::write(&path, r#"{"version": 1, "loops": [1]}"#).unwrap();
    let err = store.all_sections().unwrap_err().to_string();
    assert!(err.contains("\"loops\" is an array"), "{err}");
}

#[test]
fn notes_survive_another_writers_update() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    // A person (or `strive notes add`) records a note.
    store
        .update_section("triage", &mut |old| {
            let mut sec = old.unwrap_or_else(|| json!({}));
            sec["notes"] = json!(["ignore the vendored dir"]);
            Ok(Some(sec))
        })
        .unwrap();
    // The next run updates only the keys it owns.
    let other = FileStore::new(dir.path().join("state.json"));
    other
        .update_section("triage", &mut |old| {
            let mut sec = old.unwrap_or_else(|| json!({}));
            sec["last_result"] = json!("clean");
            sec["cursors"] = json!({"main": "0123"});
            Ok(Some(sec))
        })
        .unwrap();
    let sec = store.read_section("triage").unwrap().unwrap();
    assert_eq!(sec["notes"], json!(["ignore the vendored dir"]));
    assert_eq!(sec["last_result"], "clean");
}

#[test]
fn threads_never_lose_updates() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let threads = 8;
    let per = 25;
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let store = Arc::new(FileStore::new(&path));
            std::thread::spawn(move || {
                for _ in 0..per {
                    bump(&store, &format!("loop-{t}"));
                    bump(&store, "shared");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = FileStore::new(&path);
    for t in 0..threads {
        assert_eq!(counter(&store, &format!("loop-{t}")), per);
    }
    assert_eq!(counter(&store, "shared"), threads * per);
}

#[test]
fn processes_never_lose_updates_or_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let n = 30;
    let ids = ["p0", "p1", "p2", "p3"];
    let children: Vec<_> = ids.iter().map(|id| spawn_worker(&path, id, n)).collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let store = FileStore::new(&path);
    for id in ids {
        assert_eq!(counter(&store, id), n);
        assert_eq!(store.read_runlog(Some(id)).unwrap().len() as u64, n);
    }
    assert_eq!(
        store.read_runlog(None).unwrap().len() as u64,
        n * ids.len() as u64
    );
}

#[test]
fn killed_writer_leaves_a_parseable_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.json");
    let store = FileStore::new(&path);
    // Some bulk so each write takes a moment.
    for i in 0..50 {
        store
            .update_section(&format!("bulk-{i}"), &mut |_| {
                Ok(Some(json!({"notes": ["x".repeat(200)]})))
            })
            .unwrap();
    }
    for round in 0..5 {
        let mut child = spawn_worker(&path, "victim", 0);
        let start = Instant::now();
        // Wait until the worker has written at least once, then kill it mid-loop.
        while store
            .read_section("victim")
            .unwrap()
            .and_then(|s| s["counter"].as_u64())
            .unwrap_or(0)
            <= round
        {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "worker made no progress"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(7 * round));
        child.kill().unwrap();
        child.wait().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: Value = serde_json::from_str(&text).expect("state file torn by a kill");
        let loops = doc["loops"].as_object().unwrap();
        assert!((0..50).all(|i| loops.contains_key(&format!("bulk-{i}"))));
        assert!(loops.contains_key("victim"));
        // Every run-log row is whole JSON, and the lock is free again.
        store.read_runlog(None).unwrap();
        bump(&store, "after");
    }
    assert_eq!(counter(&store, "after"), 5);
}

#[test]
fn audit_lines_append_in_order_and_are_single_lines() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    store.append_audit("r1", r#"{"seq":0}"#).unwrap();
    store.append_audit("r1", r#"{"seq":1}"#).unwrap();
    store.append_audit("r2", r#"{"seq":0}"#).unwrap();
    assert_eq!(
        store.read_audit("r1").unwrap(),
        [r#"{"seq":0}"#, r#"{"seq":1}"#]
    );
    assert!(store.append_audit("r1", "a\nb").is_err());
    assert!(store.append_audit("../r1", "x").is_err());
    assert!(dir.path().join("audit/r2.jsonl").exists());
}

#[test]
fn runlog_rows_must_be_objects_and_bad_lines_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    assert!(store.append_runlog(&json!([1])).is_err());
    store
        .append_runlog(&json!({"ts": "t", "loop": "a", "result": "clean"}))
        .unwrap();
    std::fs::OpenOptions::new()
        .append(true)
        .open(store.runlog_path())
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"{oops\n"))
        .unwrap();
    let err = store.read_runlog(None).unwrap_err().to_string();
    assert!(err.contains("state.runlog.jsonl:2"), "{err}");
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        ".{0,12}".prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn sections_round_trip(id in ".{0,16}", section in json_value()) {
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("state.json"));
        let written = section.clone();
        store.update_section(&id, &mut |_| Ok(Some(written.clone()))).unwrap();
        prop_assert_eq!(store.read_section(&id).unwrap(), Some(section));
    }

    #[test]
    fn arbitrary_state_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        std::fs::write(&path, &bytes).unwrap();
        let store = FileStore::new(&path);
        if store.all_sections().is_err() {
            // Fail closed: an unreadable file is never overwritten.
            prop_assert!(store.update_section("x", &mut |_| Ok(Some(Value::Null))).is_err());
            prop_assert_eq!(std::fs::read(&path).unwrap(), bytes);
        }
    }
}

#[test]
fn merge_keys_sets_only_what_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    let patch = |v: Value| v.as_object().unwrap().clone();
    strive_state::merge_keys(&store, "t", &patch(json!({"notes": ["keep me"], "a": 1}))).unwrap();
    let sec = strive_state::merge_keys(
        &store,
        "t",
        &patch(json!({"a": null, "last_result": "found"})),
    )
    .unwrap();
    assert_eq!(sec, json!({"notes": ["keep me"], "last_result": "found"}));
    store
        .update_section("odd", &mut |_| Ok(Some(json!([1]))))
        .unwrap();
    assert!(strive_state::merge_keys(&store, "odd", &patch(json!({"a": 1}))).is_err());
    assert_eq!(store.read_section("odd").unwrap(), Some(json!([1])));
}

#[test]
fn update_many_is_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    bump(&store, "keep");
    store
        .update_many(&mut |all| {
            for i in 0..100 {
                all.insert(format!("l{i}::sched"), json!({"history": ["clean"]}));
            }
            all.remove("keep");
            Ok(())
        })
        .unwrap();
    let all = store.all_sections().unwrap();
    assert_eq!(all.len(), 100);
    assert!(!all.contains_key("keep"));
    let err = store.update_many(&mut |all| {
        all.clear();
        Err(StoreError::Other("abort".into()))
    });
    assert!(err.is_err());
    assert_eq!(store.all_sections().unwrap().len(), 100);
}

fn commit(store: &FileStore, loop_id: &str, run_id: &str, audit: &[String], value: Value) {
    let row = json!({"ts": "t", "loop": loop_id, "result": "clean", "run_id": run_id});
    store
        .commit_run(&mut strive_state::RunCommit {
            loop_id,
            run_id,
            audit,
            update: &mut |_| Ok(Some(value.clone())),
            runlog_row: &row,
        })
        .unwrap();
}

#[test]
fn a_run_commits_audit_section_and_row_and_a_refused_update_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    let lines: Vec<String> = (0..500).map(|i| format!("{{\"n\":{i}}}")).collect();
    commit(&store, "a", "run-1", &lines, json!({"x": 1}));
    assert_eq!(store.read_audit("run-1").unwrap(), lines);
    assert_eq!(store.read_section("a").unwrap(), Some(json!({"x": 1})));
    assert_eq!(store.read_runlog(Some("a")).unwrap().len(), 1);

    let row = json!({"ts": "t", "loop": "a", "result": "found", "run_id": "run-2"});
    let refused = store.commit_run(&mut strive_state::RunCommit {
        loop_id: "a",
        run_id: "run-2",
        audit: &lines,
        update: &mut |_| Err(StoreError::Other("refused".into())),
        runlog_row: &row,
    });
    assert!(refused.is_err());
    assert!(
        store.read_audit("run-2").unwrap().is_empty(),
        "no audit lines"
    );
    assert_eq!(store.read_runlog(None).unwrap().len(), 1, "no row");
    assert_eq!(store.read_section("a").unwrap(), Some(json!({"x": 1})));
}

/// A row torn by a crash mid-append is skipped by readers and cut off by the next append, so
/// the next row is whole and nothing before the torn line is lost.
#[test]
fn a_torn_last_runlog_line_is_repaired_on_the_next_append() {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    commit(&store, "a", "run-1", &[], json!({"n": 1}));
    let log = store.runlog_path().to_path_buf();
    let mut f = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    std::io::Write::write_all(&mut f, br#"{"ts":"t","loop":"a","res"#).unwrap();
    drop(f);
    assert_eq!(
        store.read_runlog(None).unwrap().len(),
        1,
        "the torn line is not a row"
    );
    commit(&store, "a", "run-2", &[], json!({"n": 2}));
    let rows = store.read_runlog(None).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1]["run_id"], "run-2");
    let text = std::fs::read_to_string(&log).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
}

#[cfg(unix)]
#[test]
fn every_file_is_private_and_crash_temp_files_are_swept() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let leftover = dir.path().join(".state.json-crash1.tmp");
    std::fs::write(&leftover, "half").unwrap();
    let other = dir.path().join(".other.json-keep.tmp");
    std::fs::write(&other, "another store's").unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    commit(&store, "a", "run-1", &["{}".to_string()], json!({"n": 1}));
    assert!(
        !leftover.exists(),
        "this state file's crash leftovers are swept"
    );
    assert!(
        other.exists(),
        "another state file's temp files are left alone"
    );
    for path in [
        store.path().to_path_buf(),
        store.runlog_path().to_path_buf(),
        store.audit_path("run-1").unwrap(),
        dir.path().join("state.json.lock"),
    ] {
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
}
