//! The OS sandbox under every process Strive starts for a loop.
//!
//! Guarantees (Linux; every one of them or the command does not run):
//! - **Files.** The process may write only beneath the directories in [`Confinement::write`]
//!   (the worktree's files and a private `HOME`/`TMPDIR`), and read/execute only beneath
//!   [`Confinement::read`] (system and toolchain directories, the worktree, the target
//!   repository's git directory for `git` inside the worktree). The worktree's `.git` link and
//!   [`Confinement::read_only_files`] are mounted read-only; well-known secret files under `/etc`
//!   are masked. Enforced by Landlock (the rules are built by the host before the fork) and by a
//!   private mount namespace.
//! - **Processes.** A new PID namespace with its own `/proc`: the host's processes, and their
//!   `environ`, are invisible. The environment is the caller's allowlist only. When the first
//!   process of the sandbox exits or is killed, the kernel kills every process left inside.
//! - **Network.** A new network namespace (loopback only, not the host's) unless the policy says
//!   [`Network::Full`].
//! - **Kernel surface.** A seccomp filter refuses mounts, namespace changes, `ptrace`, module
//!   loading, `bpf`, `io_uring`, keyrings and similar calls; no new privileges; capabilities are
//!   dropped before the command starts.
//! - **Limits.** CPU seconds, data memory, file size and open files by `setrlimit`; the number of
//!   processes by a pids cgroup (or `RLIMIT_NPROC` for a non-root host); wall clock and output
//!   size by the caller ([`crate::exec`]).
//! - **Fail closed.** A kernel feature that is missing (Landlock, user or PID namespaces, a way
//!   to cap processes) is a [`SandboxError::Unavailable`] naming it and the opt-out
//!   (`"sandbox": {"mode": "off"}`); the command is never started unconfined by accident.
//!
//! [`SandboxPolicy`] is what a loop spec configures; [`Confinement`] is the policy resolved for
//! one command (concrete paths). The mechanism lives in `linux.rs`.

use std::path::{Path, PathBuf};

use thiserror::Error;

#[cfg(target_os = "linux")]
mod linux;

/// Whether commands run inside the sandbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SandboxMode {
    /// Confined (the default).
    #[default]
    On,
    /// Unconfined: the explicit opt-out. `strive audit` reports it as a blocker for L3.
    Off,
}

/// What the sandboxed process may reach on the network.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Network {
    /// No network: a private network namespace with only its own loopback (the default).
    #[default]
    None,
    /// The host's network, with the reason the spec gave (shown by `strive audit`).
    Full { reason: String },
}

/// Resource limits for one sandboxed command (and everything it starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SandboxLimits {
    /// CPU seconds per process (`RLIMIT_CPU`).
    pub cpu_secs: u64,
    /// Bytes of data memory per process (`RLIMIT_DATA`).
    pub memory_bytes: u64,
    /// Processes and threads alive at once, across the whole sandbox.
    pub processes: u64,
    /// Largest file a process may write (`RLIMIT_FSIZE`).
    pub file_size_bytes: u64,
    /// Open files per process (`RLIMIT_NOFILE`).
    pub open_files: u64,
}

impl Default for SandboxLimits {
    fn default() -> Self {
        Self {
            cpu_secs: 600,
            memory_bytes: 4 << 30,
            processes: 512,
            file_size_bytes: 512 << 20,
            open_files: 4096,
        }
    }
}

/// A loop's sandbox configuration (from its spec's `sandbox` block).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SandboxPolicy {
    pub mode: SandboxMode,
    pub network: Network,
    /// Extra directories the commands may read and execute from (toolchains, data).
    pub read_paths: Vec<PathBuf>,
    pub limits: SandboxLimits,
}

/// The policy resolved for one command: concrete paths.
#[derive(Debug, Clone)]
pub struct Confinement {
    pub mode: SandboxMode,
    pub network: Network,
    pub limits: SandboxLimits,
    /// Read, write, create and delete beneath these.
    pub write: Vec<PathBuf>,
    /// Read and execute beneath these.
    pub read: Vec<PathBuf>,
    /// Files inside a writable directory that must stay as they are (bind-mounted read-only),
    /// such as a worktree's `.git` link.
    pub read_only_files: Vec<PathBuf>,
}

/// Why a command could not be started in the sandbox.
#[derive(Debug, Error)]
pub enum SandboxError {
    #[error(
        "the OS sandbox cannot start: {feature} is not available on this machine ({detail}); \
         commands are not run unconfined — fix the kernel/cgroup setup, or opt out explicitly \
         with \"sandbox\": {{\"mode\": \"off\"}} in the loop spec (strive audit reports it as an \
         L3 blocker)"
    )]
    Unavailable {
        feature: &'static str,
        detail: String,
    },
    #[error("preparing the sandbox failed while {op}: {source}")]
    Setup {
        op: &'static str,
        #[source]
        source: std::io::Error,
    },
}

/// Directories every sandboxed command may read and execute from, when they exist.
pub const SYSTEM_READ_PATHS: &[&str] = &[
    "/usr",
    "/bin",
    "/sbin",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/etc",
    "/opt",
    "/nix/store",
    "/snap",
    "/sys/devices/system/cpu",
];

/// Toolchain directories under the host user's home that commands may read (never the whole
/// home: `~/.ssh`, `~/.cargo/credentials.toml`, `~/.config` and the like stay unreadable).
pub const HOME_TOOLCHAIN_PATHS: &[&str] = &[
    ".rustup",
    ".cargo/bin",
    ".cargo/registry",
    ".cargo/git",
    ".pyenv",
    ".nvm",
    ".local/bin",
    ".local/lib",
    ".local/share/pnpm",
    ".bun",
    ".deno",
    ".rbenv",
    ".sdkman",
    "go/pkg/mod",
];

/// Environment variables that point tools at read-only toolchains; passed through when set.
pub const TOOLCHAIN_ENV: &[&str] = &["RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "PYENV_ROOT", "NVM_DIR"];

impl Confinement {
    /// The default confinement for a command whose writable world is `write` (the worktree and
    /// its private home): system and toolchain read paths that exist, plus `extra_read`.
    pub fn new(policy: &SandboxPolicy, write: Vec<PathBuf>, extra_read: Vec<PathBuf>) -> Self {
        let mut read: Vec<PathBuf> = SYSTEM_READ_PATHS.iter().map(PathBuf::from).collect();
        if let Some(home) = host_home() {
            read.extend(HOME_TOOLCHAIN_PATHS.iter().map(|p| home.join(p)));
        }
        for var in ["RUSTUP_HOME", "PYENV_ROOT", "NVM_DIR"] {
            if let Some(v) = std::env::var_os(var) {
                read.push(PathBuf::from(v));
            }
        }
        read.extend(policy.read_paths.iter().cloned());
        read.extend(extra_read);
        read.retain(|p| p.exists());
        read.sort();
        read.dedup();
        Self {
            mode: policy.mode,
            network: policy.network.clone(),
            limits: policy.limits,
            write,
            read,
            read_only_files: Vec::new(),
        }
    }
}

/// The host user's home directory (not the commands' private `HOME`).
pub fn host_home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
}

/// Prepares `cmd` to run inside `confinement` (a no-op for [`SandboxMode::Off`]). Call before
/// `spawn`; keep the returned guard alive until the child has been waited for (it removes the
/// sandbox's cgroup).
pub fn confine_command(
    cmd: &mut std::process::Command,
    confinement: &Confinement,
) -> Result<Option<SandboxGuard>, SandboxError> {
    if confinement.mode == SandboxMode::Off {
        return Ok(None);
    }
    #[cfg(target_os = "linux")]
    {
        linux::prepare(cmd, confinement).map(Some)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = cmd;
        Err(SandboxError::Unavailable {
            feature: "the Linux sandbox",
            detail: format!("this host is {}", std::env::consts::OS),
        })
    }
}

/// Checks that every kernel feature the sandbox needs is present, without running anything.
pub fn probe() -> Result<SandboxReport, SandboxError> {
    #[cfg(target_os = "linux")]
    {
        linux::probe()
    }
    #[cfg(not(target_os = "linux"))]
    {
        Err(SandboxError::Unavailable {
            feature: "the Linux sandbox",
            detail: format!("this host is {}", std::env::consts::OS),
        })
    }
}

/// What the sandbox found on this machine (for `strive sandbox check` and `--json`).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SandboxReport {
    pub landlock_abi: i32,
    /// How the process count is capped: `"pids cgroup"` or `"RLIMIT_NPROC"`.
    pub process_cap: &'static str,
}

/// Resources a running sandbox holds on the host; dropping it releases them.
#[derive(Debug)]
pub struct SandboxGuard {
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    cgroup: Option<PathBuf>,
}

impl Drop for SandboxGuard {
    fn drop(&mut self) {
        if let Some(dir) = self.cgroup.take() {
            remove_cgroup(&dir);
        }
    }
}

/// Removes a sandbox cgroup once its processes are gone (the kernel refuses while any remain,
/// and the last ones are released shortly after the sandbox's init is reaped). The first try is
/// immediate; if the cgroup is still busy, a background thread retries so the caller does not
/// wait.
fn remove_cgroup(dir: &Path) {
    if std::fs::remove_dir(dir).is_ok() || !dir.exists() {
        return;
    }
    let dir = dir.to_path_buf();
    std::thread::spawn(move || {
        for _ in 0..200 {
            std::thread::sleep(std::time::Duration::from_millis(5));
            if std::fs::remove_dir(&dir).is_ok() || !dir.exists() {
                return;
            }
        }
        tracing::warn!(cgroup = %dir.display(), "sandbox cgroup still busy; left in place");
    });
}
