//! The loop spec's `sandbox` block resolved into the worktree crate's [`SandboxPolicy`].
//!
//! Guarantees: an absent block is the default policy (confined, no network); `~/` in
//! `read_paths` is the host user's home; nothing here widens the policy beyond what the spec
//! says. The mechanism and its guarantees: `strive_worktree::sandbox`.

use std::path::PathBuf;

use strive_spec::model::{self, LoopSpec};
use strive_worktree::{Network, SandboxLimits, SandboxMode, SandboxPolicy, sandbox::host_home};

/// The sandbox policy a spec asks for.
pub fn policy_of(spec: &LoopSpec) -> SandboxPolicy {
    match &spec.sandbox {
        Some(block) => policy_of_block(block),
        None => SandboxPolicy::default(),
    }
}

/// The sandbox policy one `sandbox` block asks for.
pub fn policy_of_block(block: &model::Sandbox) -> SandboxPolicy {
    let defaults = SandboxLimits::default();
    let mb = |v: Option<u64>, default: u64| v.map_or(default, |mb| mb.saturating_mul(1 << 20));
    SandboxPolicy {
        mode: match block.mode {
            model::SandboxMode::On => SandboxMode::On,
            model::SandboxMode::Off => SandboxMode::Off,
        },
        network: match block.network {
            model::SandboxNetwork::None => Network::None,
            model::SandboxNetwork::Full => Network::Full {
                reason: block.network_reason.clone().unwrap_or_default(),
            },
        },
        read_paths: block.read_paths.iter().map(|p| expand_home(p)).collect(),
        limits: SandboxLimits {
            cpu_secs: block.limits.cpu_secs.unwrap_or(defaults.cpu_secs),
            memory_bytes: mb(block.limits.memory_mb, defaults.memory_bytes),
            processes: block.limits.processes.unwrap_or(defaults.processes),
            file_size_bytes: mb(block.limits.file_size_mb, defaults.file_size_bytes),
            open_files: defaults.open_files,
        },
    }
}

fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), host_home()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}
