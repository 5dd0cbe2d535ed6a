//! Guard latency over the labelled corpus: prints per-command p50/p99/max (measured over
//! several passes), then lets criterion time a full pass over the corpus.
//! Target: p99 under 50 µs per command, in-process.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use strive_core::guard::Guard;

#[path = "../tests/common/mod.rs"]
mod common;

fn commands() -> Vec<String> {
    common::read_cases(include_str!("../tests/fixtures/commands.tsv"))
        .into_iter()
        .map(|c| c.command)
        .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

fn per_command_latency(c: &mut Criterion) {
    let guard = Guard::default();
    let cmds = commands();
    // warm-up (regex compilation, parser caches)
    for cmd in &cmds {
        black_box(guard.check(cmd));
    }
    let mut samples = Vec::with_capacity(cmds.len() * 20);
    for _ in 0..20 {
        for cmd in &cmds {
            let start = Instant::now();
            black_box(guard.check(black_box(cmd)));
            samples.push(start.elapsed());
        }
    }
    samples.sort();
    println!(
        "guard per-command latency over {} corpus commands x 20: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        cmds.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1e6,
        percentile(&samples, 0.99).as_secs_f64() * 1e6,
        samples.last().map_or(0.0, |d| d.as_secs_f64() * 1e6),
    );
    c.bench_function("guard/corpus-pass", |b| {
        b.iter(|| {
            for cmd in &cmds {
                black_box(guard.check(black_box(cmd)));
            }
        })
    });
    c.bench_function("guard/typical-command", |b| {
        b.iter(|| black_box(guard.check(black_box("cargo test -p strive-core 2>&1 | tail -20"))))
    });
}

criterion_group!(benches, per_command_latency);
criterion_main!(benches);
