//! Diff scan throughput on generated ~10 MB diffs shaped like the earlier tool's benchmark
//! input (inventory §8): 200 files of 300 replaced lines each, a context line every 50 lines.
//! Three mixes: no test code at all (target: at least 200 MB/s for the integrity scan), every
//! tenth file a Python test file (the earlier tool's shape), and a test-heavy diff where every
//! file is a test file (Python, TypeScript, Rust, Go, Java, Kotlin, C#, Ruby in turn) whose
//! changed lines are assertions, so every hunk goes through the tree-sitter layer (reported,
//! no target).
//!
//! Run: `cargo bench -p strive-core --bench diff`. It first prints the detection figures per
//! mutation operator over the real suites (tests/integrity_mutations*.rs): development
//! families, then the held-out families, each in its own table (batches C and D: per operator
//! and language, over the suites in tests/fixtures/suites/heldout-c).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use strive_core::allowlist::{AllowPolicy, evaluate};
use strive_core::integrity::{scan, scan_diff};
use strive_core::patch::Patch;

// the mutation generators are the test suite's; their tests are not run here
#[path = "../tests/integrity_common/mod.rs"]
mod integrity_common;
#[path = "../tests/integrity_mutations.rs"]
#[allow(dead_code)]
mod integrity_mutations;
#[path = "../tests/integrity_mutations_c.rs"]
#[allow(dead_code)]
mod integrity_mutations_c;
#[path = "../tests/integrity_mutations_e.rs"]
#[allow(dead_code)]
mod integrity_mutations_e;
#[path = "../tests/integrity_mutations_f.rs"]
#[allow(dead_code)]
mod integrity_mutations_f;
#[path = "../tests/integrity_mutations_g.rs"]
#[allow(dead_code)]
mod integrity_mutations_g;
#[path = "../tests/integrity_mutations_langs.rs"]
#[allow(dead_code)]
mod integrity_mutations_langs;

/// Build a benchmark diff (deterministic; about 10 MB). `test_every`: every n-th file is a
/// Python test file (0: none).
fn generate(test_every: usize) -> String {
    let mut out = String::with_capacity(11 << 20);
    for f in 0..200 {
        let path = if test_every > 0 && f % test_every == 0 {
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

/// Every file a test file whose changed lines are assertions (about 10 MB).
fn generate_test_heavy() -> String {
    let mut out = String::with_capacity(11 << 20);
    let kinds = [
        (
            "tests/test_mod{f}.py",
            "    assert compute(alpha={i}, beta='{f}') == {i}",
            "    assert compute(alpha={i}, beta='{f}') == {i}, 'value for {i}'",
        ),
        (
            "src/mod{f}.test.ts",
            "  expect(compute({ alpha: {i}, beta: '{f}' })).toBe({i})",
            "  expect(compute({ alpha: {i}, beta: '{f}' })).toStrictEqual({i})",
        ),
        (
            "tests/mod{f}.rs",
            "    assert_eq!(compute({i}, \"{f}\"), {i});",
            "    assert_eq!(compute({i}, \"{f}\"), {i}, \"value for {i}\");",
        ),
        (
            "pkg/mod{f}_test.go",
            "\tassert.Equal(t, {i}, compute({i}, \"{f}\"))",
            "\trequire.Equal(t, {i}, compute({i}, \"{f}\"))",
        ),
        (
            "src/test/java/Mod{f}Test.java",
            "        assertThat(compute({i}, \"{f}\")).isEqualTo({i});",
            "        assertThat(compute({i}, \"{f}\")).as(\"value for {i}\").isEqualTo({i});",
        ),
        (
            "src/test/kotlin/Mod{f}Test.kt",
            "        assertEquals({i}, compute({i}, \"{f}\"))",
            "        assertEquals({i}, compute({i}, \"{f}\"), \"value for {i}\")",
        ),
        (
            "tests/Mod{f}Tests.cs",
            "        Assert.Equal({i}, Compute({i}, \"{f}\"));",
            "        Assert.Equal({i}, Compute({i}, \"{f}\"), \"value for {i}\");",
        ),
        (
            "spec/mod{f}_spec.rb",
            "    expect(compute({i}, \"{f}\")).to eq({i})",
            "    expect(compute({i}, \"{f}\")).to eq({i}), \"value for {i}\"",
        ),
    ];
    for f in 0..200 {
        let (path, old, new) = kinds[f % kinds.len()];
        let path = path.replace("{f}", &f.to_string());
        out.push_str(&format!(
            "diff --git a/{path} b/{path}\nindex 1111111..2222222 100644\n--- a/{path}\n+++ b/{path}\n"
        ));
        out.push_str("@@ -1,306 +1,306 @@\n");
        for i in 0..300 {
            let fill = |t: &str| {
                t.replace("{i}", &i.to_string())
                    .replace("{f}", &f.to_string())
            };
            out.push_str(&format!("-{}\n", fill(old)));
            out.push_str(&format!("+{}\n", fill(new)));
            if i % 50 == 0 {
                out.push_str(&format!(" {}\n", fill(old).replace("compute", "unchanged")));
            }
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    integrity_mutations::print_tables();
    integrity_mutations_langs::print_tables();
    integrity_mutations_c::print_tables();
    integrity_mutations_e::print_tables();
    integrity_mutations_f::print_tables();
    integrity_mutations_g::print_tables();
    let diff = generate(10);
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

    let no_tests = generate(0);
    let mut g = c.benchmark_group("diff_10mb_no_test_code");
    g.throughput(Throughput::Bytes(no_tests.len() as u64));
    g.sample_size(10);
    g.bench_function("parse+scan (scan-diff)", |b| {
        b.iter(|| black_box(scan_diff(black_box(&no_tests)).expect("scan")))
    });
    g.finish();

    let heavy = generate_test_heavy();
    let mut g = c.benchmark_group("diff_10mb_test_heavy");
    g.throughput(Throughput::Bytes(heavy.len() as u64));
    g.sample_size(10);
    g.bench_function("parse+scan (scan-diff)", |b| {
        b.iter(|| black_box(scan_diff(black_box(&heavy)).expect("scan")))
    });
    g.finish();
}

criterion_group!(diff_benches, benches);
criterion_main!(diff_benches);
