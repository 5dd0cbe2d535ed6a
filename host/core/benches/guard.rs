//! Guard latency over the labelled corpus: prints per-command p50/p99/max (measured over
//! several passes, with no context and in a loop worktree), batch throughput, and the
//! per-source figures of the development corpus (see tests/guard_sources.rs for why they are
//! leave-one-source-out), then lets criterion time a full pass over the corpus.
//! Target: p99 under 50 µs per command, in-process.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use strive_core::guard::{Context, Guard};

#[path = "../tests/guard_fixtures/mod.rs"]
#[allow(dead_code)] // the bench times commands only; labels and lines are for the tests
mod guard_fixtures;

// the per-source report is the test suite's (one vocabulary); its tests are not run here
#[path = "../tests/guard_sources.rs"]
#[allow(dead_code)]
mod guard_sources;

fn commands() -> Vec<String> {
    guard_fixtures::read_cases(include_str!("../tests/fixtures/commands.tsv"))
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
    let mut per_command = vec![Vec::with_capacity(20); cmds.len()];
    for _ in 0..20 {
        for (i, cmd) in cmds.iter().enumerate() {
            let start = Instant::now();
            black_box(guard.check(black_box(cmd)));
            let elapsed = start.elapsed();
            samples.push(elapsed);
            per_command[i].push(elapsed);
        }
    }
    samples.sort();
    let mut medians: Vec<(Duration, &str)> = per_command
        .iter_mut()
        .zip(&cmds)
        .map(|(v, c)| {
            v.sort();
            (v[v.len() / 2], c.as_str())
        })
        .collect();
    medians.sort();
    let mut worst: Vec<(Duration, usize)> = per_command
        .iter()
        .enumerate()
        .map(|(i, v)| (*v.last().unwrap_or(&Duration::ZERO), i))
        .collect();
    worst.sort();
    for (d, i) in worst.iter().rev().take(3) {
        let shown: String = cmds[*i].chars().take(70).collect();
        println!(
            "  worst single sample: {:.1} µs  {shown:?}",
            d.as_secs_f64() * 1e6
        );
    }
    for (d, c) in medians.iter().rev().take(5) {
        let shown: String = c.chars().take(70).collect();
        println!(
            "  slowest (median of 20): {:.1} µs  {shown:?}",
            d.as_secs_f64() * 1e6
        );
    }
    println!(
        "guard per-command latency over {} corpus commands x 20: p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs",
        cmds.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1e6,
        percentile(&samples, 0.99).as_secs_f64() * 1e6,
        samples.last().map_or(0.0, |d| d.as_secs_f64() * 1e6),
    );
    let mut wt = Context::in_dir("/work/project");
    wt.home = Some("/home/dev".into());
    let mut in_ctx = Vec::with_capacity(cmds.len() * 20);
    let start = Instant::now();
    for _ in 0..20 {
        for cmd in &cmds {
            let t = Instant::now();
            black_box(guard.check_in(black_box(cmd), &wt));
            in_ctx.push(t.elapsed());
        }
    }
    let total = start.elapsed();
    in_ctx.sort();
    println!(
        "guard in a worktree context: p50 {:.1} µs, p99 {:.1} µs; batch throughput {:.0} commands/s (one thread)",
        percentile(&in_ctx, 0.50).as_secs_f64() * 1e6,
        percentile(&in_ctx, 0.99).as_secs_f64() * 1e6,
        in_ctx.len() as f64 / total.as_secs_f64()
    );
    guard_sources::report("no context", &Context::default());
    guard_sources::report("loop worktree /work/project", &wt);
    guard_sources::leave_one_source_out("no context", &Context::default());
    guard_sources::leave_one_source_out("loop worktree /work/project", &wt);
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
