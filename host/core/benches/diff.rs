//! Diff scan throughput on a generated ~10 MB diff shaped like the earlier tool's benchmark
//! input (inventory §8): 200 files of 300 replaced lines each, every tenth file a Python test
//! file, a context line every 50 lines. Target: at least 200 MB/s for the integrity scan.
//!
//! Run: `cargo bench -p strive-core --bench diff`.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use strive_core::allowlist::{AllowPolicy, evaluate};
use strive_core::integrity::{scan, scan_diff};
use strive_core::patch::Patch;

/// Build the benchmark diff (deterministic; about 10 MB).
fn generate() -> String {
    let mut out = String::with_capacity(11 << 20);
    for f in 0..200 {
        let path = if f % 10 == 0 {
            format!("tests/test_mod{f}.py")
        } else {
            format!("src/pkg{}/mod{f}.py", f % 7)
        };
        out.push_str(&format!(
            "diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n"
        ));
        // 300 removed + 300 added + 6 context lines on each side.
        out.push_str("@@ -1,306 +1,306 @@\n");
        for i in 0..300 {
            out.push_str(&format!(
                "-    value_{i} = compute_something(alpha={i}, beta='{f}')  # old implementation line\n"
            ));
            out.push_str(&format!(
                "+    value_{i} = compute_something_else(alpha={i}, beta='{f}')  # new implementation line\n"
            ));
            if i % 50 == 0 {
                out.push_str(&format!(
                    "     context line {i} unchanged in the middle of the hunk for realism\n"
                ));
            }
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let diff = generate();
    let patch = Patch::parse(&diff).expect("generated diff parses");
    let policy = AllowPolicy::new(&["**"], &[], 1_000, 1_000_000).expect("policy");
    let mut g = c.benchmark_group("diff_10mb");
    g.throughput(Throughput::Bytes(diff.len() as u64));
    g.sample_size(10);
    g.bench_function("parse+scan (scan-diff)", |b| {
        b.iter(|| black_box(scan_diff(black_box(&diff)).expect("scan")))
    });
    g.bench_function("parse only", |b| {
        b.iter(|| black_box(Patch::parse(black_box(&diff)).expect("parse")))
    });
    g.bench_function("scan of parsed patch", |b| {
        b.iter(|| black_box(scan(black_box(&patch))))
    });
    g.bench_function("allowlist gate of parsed patch", |b| {
        b.iter(|| black_box(evaluate(black_box(&patch), &policy)))
    });
    g.finish();
}

criterion_group!(diff_benches, benches);
criterion_main!(diff_benches);
