//! File-backend costs: one section update (lock + read + atomic rewrite + fsync) as the state
//! grows, and a whole-tick batch update.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::json;
use strive_state::{FileStore, Store};

fn seeded(n: usize) -> (tempfile::TempDir, FileStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("state.json"));
    store
        .update_many(&mut |all| {
            for i in 0..n {
                all.insert(
                    format!("loop-{i}"),
                    json!({"last_result": "clean", "cursors": {"main": "0123456789abcdef0123456789abcdef01234567"}}),
                );
            }
            Ok(())
        })
        .unwrap();
    (dir, store)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("file_store");
    g.sample_size(20);
    for n in [1usize, 100, 10_000] {
        let (_dir, store) = seeded(n);
        g.bench_with_input(BenchmarkId::new("update_section", n), &n, |b, _| {
            b.iter(|| {
                store
                    .update_section("loop-0", &mut |_| Ok(Some(json!({"last_result": "found"}))))
                    .unwrap()
            })
        });
        g.bench_with_input(BenchmarkId::new("read_section", n), &n, |b, _| {
            b.iter(|| store.read_section("loop-0").unwrap())
        });
        g.bench_with_input(BenchmarkId::new("update_many_all", n), &n, |b, _| {
            b.iter(|| {
                store
                    .update_many(&mut |all| {
                        for v in all.values_mut() {
                            v["last_result"] = json!("clean");
                        }
                        Ok(())
                    })
                    .unwrap()
            })
        });
    }
    let (_dir, store) = seeded(1);
    g.bench_function("append_runlog", |b| {
        b.iter(|| {
            store
                .append_runlog(
                    &json!({"ts": "2026-01-01T00:00:00Z", "loop": "loop-0", "result": "clean"}),
                )
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
