//! Start-up cost of the OS sandbox per command: `true` run through `run_confined` with the
//! sandbox on versus off (same capture, same process group handling). Target: under 5 ms over an
//! unsandboxed spawn (docs/sandbox.md).

use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use strive_worktree::exec::{EnvPolicy, Secrets, run_confined};
use strive_worktree::sandbox::Confinement;
use strive_worktree::{RunLimits, SandboxMode, SandboxPolicy};

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let work = dir.path().join("wt");
    std::fs::create_dir_all(&home).unwrap();
    std::fs::create_dir_all(&work).unwrap();
    let env = EnvPolicy {
        home: home.clone(),
        allow: Vec::new(),
        secrets: Secrets::default(),
    };
    let limits = RunLimits {
        timeout: Duration::from_secs(10),
        output_cap: 4096,
    };
    let argv = ["/bin/true".to_owned()];
    let on = Confinement::new(
        &SandboxPolicy::default(),
        vec![work.clone(), home.clone()],
        vec![],
    );
    let off = Confinement::new(
        &SandboxPolicy {
            mode: SandboxMode::Off,
            ..SandboxPolicy::default()
        },
        vec![work.clone(), home.clone()],
        vec![],
    );
    let mut group = c.benchmark_group("spawn");
    group.bench_function("unsandboxed", |b| {
        b.iter(|| run_confined(&work, &argv, &env, &off, limits, None).unwrap())
    });
    group.bench_function("sandboxed", |b| {
        b.iter(|| run_confined(&work, &argv, &env, &on, limits, None).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
