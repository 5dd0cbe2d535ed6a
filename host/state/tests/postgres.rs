//! The PostgreSQL backend against a real server. Needs `STRIVE_TEST_PG_URL` (start one with
//! `scripts/pg-test-server.sh`); without it these tests are skipped loudly, except under CI
//! (`CI` set), where a missing server is a failure.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Duration;
use serde_json::{Value, json};
use strive_state::file::FileStore;
use strive_state::lease::{Completion, LeaseQueue, LoopEntry};
use strive_state::postgres::{MIGRATIONS, PgStore, migrate_from_file, scratch_database};
use strive_state::{Store, StoreError};

/// A fresh database for one test, or `None` (skip) when no server is configured locally.
fn scratch(name: &str) -> Option<String> {
    let Ok(url) = std::env::var("STRIVE_TEST_PG_URL") else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "STRIVE_TEST_PG_URL is not set under CI: start PostgreSQL with scripts/pg-test-server.sh"
            );
        }
        eprintln!(
            "\n!!! SKIPPED {name}: STRIVE_TEST_PG_URL is not set. Run \
             `export STRIVE_TEST_PG_URL=$(bash scripts/pg-test-server.sh)` to test the PostgreSQL backend. !!!\n"
        );
        return None;
    };
    Some(scratch_database(&url, &format!("strive_t_state_{name}")).expect("scratch database"))
}

fn entry(id: &str, cadence: Option<&str>) -> LoopEntry {
    LoopEntry {
        loop_id: id.into(),
        spec: json!({"id": id, "kind": "k"}),
        priority: 100,
        cadence: cadence.map(str::to_string),
        enabled: true,
        stop_after: None,
        first_due: None,
    }
}

#[test]
fn migrations_apply_once_even_when_many_connect_together() {
    let Some(url) = scratch("migrations") else {
        return;
    };
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                PgStore::connect(&url).map(|s| s.applied_migrations().unwrap())
            })
        })
        .collect();
    let expected: Vec<i32> = MIGRATIONS.iter().map(|m| m.0).collect();
    for h in handles {
        assert_eq!(h.join().unwrap().unwrap(), expected);
    }
    // And again, on an already migrated database.
    assert_eq!(
        PgStore::connect(&url)
            .unwrap()
            .applied_migrations()
            .unwrap(),
        expected
    );
}

#[test]
fn sections_round_trip_and_concurrent_updates_lose_nothing() {
    let Some(url) = scratch("sections") else {
        return;
    };
    let store = Arc::new(PgStore::connect(&url).unwrap());
    assert_eq!(store.read_section("a").unwrap(), None);
    store
        .update_section("a", &mut |old| {
            assert!(old.is_none());
            Ok(Some(json!({"notes": ["keep"], "n": 0})))
        })
        .unwrap();
    // Eight writers on separate connections each add 1 twenty times.
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let s = PgStore::connect(&url).unwrap();
                for _ in 0..20 {
                    s.update_section("a", &mut |old| {
                        let mut v = old.unwrap();
                        v["n"] = json!(v["n"].as_i64().unwrap() + 1);
                        Ok(Some(v))
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let a = store.read_section("a").unwrap().unwrap();
    assert_eq!(a, json!({"notes": ["keep"], "n": 160}));
    // A failing update changes nothing; `None` deletes.
    let err = store.update_section("a", &mut |_| Err(StoreError::Other("refused".into())));
    assert!(err.is_err());
    assert_eq!(store.read_section("a").unwrap().unwrap()["n"], 160);
    store
        .update_section("b", &mut |_| Ok(Some(json!(1))))
        .unwrap();
    store.update_section("a", &mut |_| Ok(None)).unwrap();
    assert_eq!(
        store.all_sections().unwrap().keys().collect::<Vec<_>>(),
        ["b"]
    );
    assert!(store.describe().starts_with("postgres://"));
}

#[test]
fn run_log_and_audit_log_keep_order() {
    let Some(url) = scratch("logs") else { return };
    let store = PgStore::connect(&url).unwrap();
    for i in 0..5 {
        let id = if i % 2 == 0 { "even" } else { "odd" };
        store
            .append_runlog(&json!({"ts": format!("t{i}"), "loop": id, "result": "clean", "i": i}))
            .unwrap();
    }
    let all: Vec<i64> = store
        .read_runlog(None)
        .unwrap()
        .iter()
        .map(|r| r["i"].as_i64().unwrap())
        .collect();
    assert_eq!(all, [0, 1, 2, 3, 4]);
    let odd: Vec<i64> = store
        .read_runlog(Some("odd"))
        .unwrap()
        .iter()
        .map(|r| r["i"].as_i64().unwrap())
        .collect();
    assert_eq!(odd, [1, 3]);
    store.append_audit("run-1", r#"{"call":"a"}"#).unwrap();
    store.append_audit("run-2", r#"{"call":"x"}"#).unwrap();
    store.append_audit("run-1", r#"{"call":"b"}"#).unwrap();
    assert_eq!(
        store.read_audit("run-1").unwrap(),
        [r#"{"call":"a"}"#, r#"{"call":"b"}"#]
    );
    assert!(store.append_audit("run-1", "two\nlines").is_err());
    assert!(store.read_audit("nothing").unwrap().is_empty());
}

#[test]
fn leases_fence_stale_workers_and_each_slot_completes_once() {
    let Some(url) = scratch("leases") else { return };
    let q = PgStore::connect(&url).unwrap();
    let report = q
        .sync_loops(&[entry("a", Some("1h")), entry("manual", None)], false)
        .unwrap();
    assert_eq!((report.added, report.updated), (2, 0));
    assert_eq!(
        q.sync_loops(&[entry("a", Some("1h"))], false)
            .unwrap()
            .updated,
        1
    );
    assert_eq!(
        q.outstanding().unwrap(),
        1,
        "a loop without cadence is never due"
    );

    let first = q.claim("w1", 1).unwrap().expect("a is due");
    assert_eq!((first.loop_id.as_str(), first.attempt), ("a", 1));
    assert!(
        q.claim("w2", 1).unwrap().is_none(),
        "a live lease is not claimable"
    );
    assert!(q.heartbeat(&first, 1).unwrap());

    // w1 stalls past its lease; w2 takes the same slot over.
    std::thread::sleep(std::time::Duration::from_millis(1_300));
    let second = q
        .claim("w2", 30)
        .unwrap()
        .expect("expired lease is claimable");
    assert_eq!((second.slot, second.attempt), (first.slot, 2));
    assert!(
        !q.heartbeat(&first, 30).unwrap(),
        "the stale lease is fenced off"
    );
    assert_eq!(
        q.complete(&first, "clean", "late", None).unwrap(),
        Completion::LeaseLost
    );
    let next = second.slot + Duration::hours(1);
    assert_eq!(
        q.complete(&second, "found", "ok", Some(next)).unwrap(),
        Completion::Recorded
    );
    // Completing again under the same lease (a retry whose first acknowledgement was lost)
    // is idempotent: reported recorded, written once.
    assert_eq!(
        q.complete(&second, "found", "again", Some(next)).unwrap(),
        Completion::Recorded
    );
    assert_eq!(q.run_counts("a").unwrap(), (1, 2));
    assert!(
        q.claim("w3", 30).unwrap().is_none(),
        "next slot is an hour away"
    );
    assert_eq!(q.outstanding().unwrap(), 0);
}

#[test]
fn released_leases_are_claimable_again_and_priority_orders_claims() {
    let Some(url) = scratch("release") else {
        return;
    };
    let q = PgStore::connect(&url).unwrap();
    let mut urgent = entry("urgent", Some("1d"));
    urgent.priority = 1;
    let mut paused = entry("paused", Some("1d"));
    paused.enabled = false;
    let mut stopped = entry("stopped", Some("1d"));
    stopped.stop_after = Some(chrono::Utc::now() - Duration::days(1));
    q.sync_loops(
        &[entry("normal", Some("1d")), urgent, paused, stopped],
        false,
    )
    .unwrap();
    let lease = q.claim("w", 30).unwrap().unwrap();
    assert_eq!(lease.loop_id, "urgent");
    q.release(&lease, 0).unwrap();
    let again = q.claim("w", 30).unwrap().unwrap();
    assert_eq!((again.loop_id.as_str(), again.attempt), ("urgent", 2));
    q.release(&again, 60).unwrap();
    assert_eq!(q.claim("w", 30).unwrap().unwrap().loop_id, "normal");
    assert!(
        q.claim("w", 30).unwrap().is_none(),
        "deferred, paused and stopped loops are not claimable"
    );
    // Pruning disables loops that left the spec directory.
    assert_eq!(
        q.sync_loops(&[entry("normal", Some("1d"))], true)
            .unwrap()
            .disabled,
        2
    );
}

#[test]
fn concurrent_claims_never_hand_out_a_loop_twice() {
    let Some(url) = scratch("claims") else { return };
    let q = PgStore::connect(&url).unwrap();
    let entries: Vec<_> = (0..120)
        .map(|i| entry(&format!("l{i:03}"), Some("1d")))
        .collect();
    q.sync_loops(&entries, false).unwrap();
    let completed = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..4)
        .map(|w| {
            let (url, completed) = (url.clone(), Arc::clone(&completed));
            std::thread::spawn(move || {
                let q = PgStore::connect(&url).unwrap();
                let mut mine = Vec::new();
                while let Some(lease) = q.claim(&format!("w{w}"), 30).unwrap() {
                    let next = lease.slot + Duration::days(1);
                    assert_eq!(
                        q.complete(&lease, "clean", "", Some(next)).unwrap(),
                        Completion::Recorded
                    );
                    completed.fetch_add(1, Ordering::SeqCst);
                    mine.push(lease.loop_id);
                }
                mine
            })
        })
        .collect();
    let mut all: Vec<String> = handles
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 120);
    assert_eq!(completed.load(Ordering::SeqCst), 120);
}

#[test]
fn migration_from_files_preserves_everything_and_is_idempotent() {
    let Some(url) = scratch("migrate") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let file = FileStore::new(dir.path().join(".loop-state/state.json"));
    let mut sections = Vec::new();
    for i in 0..25 {
        let value: Value = json!({"phase": "L1", "cursors": {"main": format!("{i:040x}")},
            "findings": [{"bucket": "high", "text": format!("fix #{i} ✓"), "sha": "abc"}], "n": i});
        file.update_section(&format!("loop-{i}"), &mut |_| Ok(Some(value.clone())))
            .unwrap();
        file.update_section(&format!("loop-{i}::sched"), &mut |_| {
            Ok(Some(json!({"history": ["found"]})))
        })
        .unwrap();
        sections.push(value);
    }
    for i in 0..240 {
        file.append_runlog(&json!({"ts": format!("2026-01-01T00:{:02}:00Z", i % 60), "loop": format!("loop-{}", i % 25),
            "result": "found", "action": "wrote-state", "i": i})).unwrap();
    }
    // Two identical rows must both survive.
    file.append_runlog(&json!({"ts": "same", "loop": "loop-0", "result": "clean"}))
        .unwrap();
    file.append_runlog(&json!({"ts": "same", "loop": "loop-0", "result": "clean"}))
        .unwrap();
    for run in ["run-a", "run-b"] {
        for j in 0..7 {
            file.append_audit(run, &format!(r#"{{"seq":{j},"run":"{run}"}}"#))
                .unwrap();
        }
    }

    let pg = PgStore::connect(&url).unwrap();
    let report = migrate_from_file(&file, &pg).unwrap();
    assert_eq!(
        (
            report.sections,
            report.runlog_rows,
            report.runlog_rows_inserted
        ),
        (50, 242, 242)
    );
    assert_eq!(
        (
            report.audit_runs,
            report.audit_lines,
            report.audit_lines_inserted
        ),
        (2, 14, 14)
    );
    assert_eq!(pg.all_sections().unwrap(), file.all_sections().unwrap());
    assert_eq!(
        pg.read_runlog(None).unwrap(),
        file.read_runlog(None).unwrap()
    );
    assert_eq!(
        pg.read_runlog(Some("loop-3")).unwrap(),
        file.read_runlog(Some("loop-3")).unwrap()
    );
    assert_eq!(
        pg.read_audit("run-b").unwrap(),
        file.read_audit("run-b").unwrap()
    );

    let again = migrate_from_file(&file, &pg).unwrap();
    assert_eq!(
        (again.runlog_rows_inserted, again.audit_lines_inserted),
        (0, 0)
    );
    assert_eq!(pg.read_runlog(None).unwrap().len(), 242);
}
