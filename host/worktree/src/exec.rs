//! Running a guarded shell command inside a worktree, in the OS sandbox.
//!
//! Guarantees:
//! - The guard sees the command first; a blocked command is never spawned.
//! - The command runs inside the sandbox of [`crate::sandbox`] (unless the spec opted out with
//!   `sandbox.mode: "off"`): writes only in the worktree and a private `HOME`/`TMPDIR`, no view
//!   of host processes, no network by default, resource limits. If the sandbox cannot be set
//!   up, the command is not run ([`RunError::Sandbox`]).
//! - The child starts in its own process group with a scrubbed environment: only `PATH`, `LANG`,
//!   `HOME` (a private directory outside the worktree), `TMPDIR` (the same), toolchain
//!   locations, and the names the host explicitly allows — never a variable whose value is a
//!   known secret.
//! - Known secret values (the host's key and token variables) are redacted from the captured
//!   output before anyone sees it: the stored result, the reflection sent to a maker, the audit.
//! - At the timeout the whole process group is killed (SIGKILL), so grandchildren die too; the
//!   group is also killed when the command exits, so no stray process keeps running.
//! - Captured output is capped: past `output_cap` bytes per stream only the head and the tail are
//!   kept, and [`CommandOutput::truncated`] says so.

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use thiserror::Error;
use wait_timeout::ChildExt;

use crate::guard::{Blocked, CommandGuard};
use crate::sandbox::{Confinement, SandboxError, confine_command};

/// Limits for one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunLimits {
    /// Wall-clock limit; at expiry the process group is killed.
    pub timeout: Duration,
    /// Bytes kept per stream (head and tail halves once exceeded).
    pub output_cap: usize,
}

impl Default for RunLimits {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(300),
            output_cap: 64 * 1024,
        }
    }
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Exited with this code.
    Code(i32),
    /// Killed by this signal (not by us).
    Signal(i32),
    /// Killed by us at the timeout.
    TimedOut,
}

/// What a command printed and how it ended.
#[derive(Debug, Clone)]
pub struct CommandOutput {
    pub exit: Exit,
    pub stdout: String,
    pub stderr: String,
    /// True when either stream exceeded the cap and its middle was dropped.
    pub truncated: bool,
    pub elapsed: Duration,
}

impl CommandOutput {
    /// True only for exit code 0.
    pub fn success(&self) -> bool {
        self.exit == Exit::Code(0)
    }

    /// The last `n` lines of stdout and stderr together (for reflections and reports).
    pub fn tail_lines(&self, n: usize) -> String {
        let joined = format!("{}{}", self.stdout, self.stderr);
        let lines: Vec<&str> = joined.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }
}

/// Why a command could not be run to an outcome.
#[derive(Debug, Error)]
pub enum RunError {
    #[error(transparent)]
    Blocked(#[from] Blocked),
    #[error("could not start the command in {dir}: {source}")]
    Spawn {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("waiting for the command failed: {0}")]
    Wait(#[source] std::io::Error),
    #[error(transparent)]
    Sandbox(#[from] SandboxError),
}

/// Which host environment variables reach commands, where `HOME` points, and which values are
/// secrets to keep out of the environment and out of captured output.
#[derive(Debug, Clone)]
pub struct EnvPolicy {
    /// `HOME` and `TMPDIR` for commands: a private directory outside the worktree.
    pub home: PathBuf,
    /// Extra variable names copied from the host environment when set there.
    pub allow: Vec<String>,
    /// Secret values: never passed in the environment, redacted from output.
    pub secrets: Secrets,
}

/// Known secret values and the variable each came from.
#[derive(Clone, Default)]
pub struct Secrets {
    values: Vec<(String, String)>,
}

impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.values.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Secrets").field("names", &names).finish()
    }
}

/// Shorter values are too likely to occur by chance to be redacted safely.
const MIN_SECRET_LEN: usize = 8;

/// A host variable name that by its shape holds a credential.
pub fn looks_secret(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"]
        .iter()
        .any(|w| upper.contains(w))
}

impl Secrets {
    /// The values of the named host variables plus every host variable whose name looks like a
    /// credential ([`looks_secret`]).
    pub fn from_host_env<I, S>(named: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut secrets = Self::default();
        for name in named {
            if let Ok(v) = std::env::var(name.as_ref()) {
                secrets.add(name.as_ref(), v);
            }
        }
        for (name, value) in std::env::vars() {
            if looks_secret(&name) {
                secrets.add(&name, value);
            }
        }
        secrets
    }

    /// Adds one secret value (ignored when too short to redact safely).
    pub fn add(&mut self, name: &str, value: String) {
        if value.len() >= MIN_SECRET_LEN && !self.values.iter().any(|(_, v)| *v == value) {
            self.values.push((name.to_owned(), value));
            // Longest first, so a secret that contains another is replaced whole.
            self.values.sort_by_key(|v| std::cmp::Reverse(v.1.len()));
        }
    }

    /// True when `value` is, or contains, a known secret.
    pub fn contains_in(&self, value: &str) -> bool {
        self.values.iter().any(|(_, v)| value.contains(v.as_str()))
    }

    /// `text` with every known secret value replaced by `[redacted NAME]`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (name, value) in &self.values {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), &format!("[redacted {name}]"));
            }
        }
        out
    }
}

const DEFAULT_PATH: &str = "/usr/local/bin:/usr/bin:/bin";

impl EnvPolicy {
    /// The complete environment a command receives.
    pub fn environment(&self) -> Vec<(String, String)> {
        let home = self.home.to_string_lossy().into_owned();
        let mut env = vec![
            (
                "PATH".to_owned(),
                std::env::var("PATH").unwrap_or_else(|_| DEFAULT_PATH.to_owned()),
            ),
            (
                "LANG".to_owned(),
                std::env::var("LANG").unwrap_or_else(|_| "C.UTF-8".to_owned()),
            ),
            ("HOME".to_owned(), home.clone()),
            ("TMPDIR".to_owned(), home),
        ];
        // Toolchains keep working with a private HOME: rustup's toolchains stay where they are
        // (read-only in the sandbox); cargo gets a private, writable home of its own.
        if let Some(host_home) = crate::sandbox::host_home() {
            let rustup = host_home.join(".rustup");
            if std::env::var_os("RUSTUP_HOME").is_none() && rustup.is_dir() {
                env.push(("RUSTUP_HOME".into(), rustup.to_string_lossy().into_owned()));
            }
        }
        env.push((
            "CARGO_HOME".into(),
            self.home.join(".cargo").to_string_lossy().into_owned(),
        ));
        let names = crate::sandbox::TOOLCHAIN_ENV
            .iter()
            .copied()
            .chain(self.allow.iter().map(String::as_str));
        for name in names {
            if env.iter().any(|(k, _)| k == name) {
                continue;
            }
            if let Ok(value) = std::env::var(name) {
                env.push((name.to_owned(), value));
            }
        }
        env.retain(|(_, v)| !self.secrets.contains_in(v));
        env
    }
}

/// Runs `command` with `sh -c` in `dir` after the guard allows it, inside `sandbox`. `stdin` is
/// written to the child's standard input (then closed); `None` gives it `/dev/null`.
pub fn run_guarded(
    guard: &dyn CommandGuard,
    dir: &Path,
    command: &str,
    env: &EnvPolicy,
    sandbox: &Confinement,
    limits: RunLimits,
    stdin: Option<&[u8]>,
) -> Result<CommandOutput, RunError> {
    guard.check_in(command, dir)?;
    let argv = ["sh".to_owned(), "-c".to_owned(), command.to_owned()];
    run_confined(dir, &argv, env, sandbox, limits, stdin)
}

/// Runs `argv` (no shell, no guard) in `dir` inside `sandbox`, capturing its output. This is
/// the one place Strive starts a process for a loop; [`run_guarded`] adds the guard.
pub fn run_confined(
    dir: &Path,
    argv: &[String],
    env: &EnvPolicy,
    sandbox: &Confinement,
    limits: RunLimits,
    stdin: Option<&[u8]>,
) -> Result<CommandOutput, RunError> {
    run_confined_env(
        dir,
        argv,
        env.environment(),
        &env.secrets,
        sandbox,
        limits,
        stdin,
    )
}

/// [`run_confined`] with an explicit, complete environment (`vars`); `secrets` are redacted
/// from the captured output.
pub fn run_confined_env(
    dir: &Path,
    argv: &[String],
    vars: Vec<(String, String)>,
    secrets: &Secrets,
    sandbox: &Confinement,
    limits: RunLimits,
    stdin: Option<&[u8]>,
) -> Result<CommandOutput, RunError> {
    let started = Instant::now();
    let (program, args) = argv.split_first().ok_or_else(|| RunError::Spawn {
        dir: dir.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "empty command"),
    })?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .envs(vars)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    // Held until the child is reaped: it owns the sandbox's cgroup.
    let _sandbox = confine_command(&mut cmd, sandbox)?;
    let mut child = cmd.spawn().map_err(|source| RunError::Spawn {
        dir: dir.to_owned(),
        source,
    })?;

    let writer = match (stdin, child.stdin.take()) {
        (Some(bytes), Some(mut pipe)) => {
            let bytes = bytes.to_vec();
            // A child that exits without reading gives EPIPE: not an error for us.
            Some(std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            }))
        }
        _ => None,
    };
    let out = Capture::spawn(child.stdout.take(), limits.output_cap);
    let err = Capture::spawn(child.stderr.take(), limits.output_cap);

    let exit = match child.wait_timeout(limits.timeout) {
        Ok(Some(status)) => {
            kill_group(&child);
            exit_of(status)
        }
        Ok(None) => {
            kill_group(&child);
            let _ = child.wait();
            Exit::TimedOut
        }
        Err(e) => {
            kill_group(&child);
            let _ = child.wait();
            return Err(RunError::Wait(e));
        }
    };
    // A process that left the group may still hold the pipes: wait briefly, then take what we have.
    let grace = Instant::now() + Duration::from_millis(500);
    let (stdout, t1) = out.finish(grace);
    let (stderr, t2) = err.finish(grace);
    if let Some(w) = writer
        && w.is_finished()
    {
        let _ = w.join();
    }
    Ok(CommandOutput {
        exit,
        stdout: secrets.redact(&stdout),
        stderr: secrets.redact(&stderr),
        truncated: t1 || t2,
        elapsed: started.elapsed(),
    })
}

/// A long-lived process started inside the sandbox with piped standard streams (an MCP stdio
/// server): the caller talks to it over `stdin`/`stdout` and may drain `stderr`. Dropping it (or
/// [`ConfinedChild::kill`]) kills its whole process group and reaps it; the sandbox's resources
/// are released after that.
pub struct ConfinedChild {
    child: Child,
    pub stdin: Option<std::process::ChildStdin>,
    pub stdout: Option<std::process::ChildStdout>,
    pub stderr: Option<std::process::ChildStderr>,
    // Dropped after the child is reaped (field order): it owns the sandbox's cgroup.
    _sandbox: Option<crate::sandbox::SandboxGuard>,
}

impl ConfinedChild {
    /// The child's process id (the first process of its sandbox).
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// `Some(exit)` once the process has exited (without blocking).
    pub fn try_exit(&mut self) -> Option<Exit> {
        self.child.try_wait().ok().flatten().map(exit_of)
    }

    /// Kill the process group and reap the child (idempotent).
    pub fn kill(&mut self) {
        kill_group(&self.child);
        let _ = self.child.wait();
    }
}

impl Drop for ConfinedChild {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Starts `argv` (no shell, no guard) in `dir` inside `sandbox` with piped stdin, stdout and
/// stderr, and returns at once. The same environment, process-group and sandbox set-up as
/// [`run_confined`]; for servers that live as long as a run.
pub fn spawn_confined(
    dir: &Path,
    argv: &[String],
    env: &EnvPolicy,
    sandbox: &Confinement,
) -> Result<ConfinedChild, RunError> {
    let (program, args) = argv.split_first().ok_or_else(|| RunError::Spawn {
        dir: dir.to_owned(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidInput, "empty command"),
    })?;
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(dir)
        .env_clear()
        .envs(env.environment())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let guard = confine_command(&mut cmd, sandbox)?;
    let mut child = cmd.spawn().map_err(|source| RunError::Spawn {
        dir: dir.to_owned(),
        source,
    })?;
    Ok(ConfinedChild {
        stdin: child.stdin.take(),
        stdout: child.stdout.take(),
        stderr: child.stderr.take(),
        child,
        _sandbox: guard,
    })
}

fn exit_of(status: std::process::ExitStatus) -> Exit {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => Exit::Code(code),
        (None, Some(sig)) => Exit::Signal(sig),
        (None, None) => Exit::Signal(0),
    }
}

fn kill_group(child: &Child) {
    let pid = rustix::process::Pid::from_child(child);
    // ESRCH (group already gone) is the normal case after a clean exit.
    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
}

/// Head-and-tail capture of one stream, drained on its own thread so the child never blocks.
struct Capture {
    state: Arc<Mutex<Bounded>>,
    thread: Option<JoinHandle<()>>,
}

struct Bounded {
    head: Vec<u8>,
    tail: VecDeque<u8>,
    half: usize,
    total: usize,
}

impl Bounded {
    fn push(&mut self, chunk: &[u8]) {
        self.total += chunk.len();
        let room = self.half.saturating_sub(self.head.len());
        let (to_head, rest) = chunk.split_at(room.min(chunk.len()));
        self.head.extend_from_slice(to_head);
        self.tail.extend(rest);
        while self.tail.len() > self.half {
            self.tail.pop_front();
        }
    }

    fn render(&self) -> (String, bool) {
        let kept = self.head.len() + self.tail.len();
        let truncated = self.total > kept;
        let mut bytes = self.head.clone();
        if truncated {
            bytes.extend_from_slice(
                format!("\n…[{} bytes omitted]…\n", self.total - kept).as_bytes(),
            );
        }
        bytes.extend(self.tail.iter());
        (String::from_utf8_lossy(&bytes).into_owned(), truncated)
    }
}

impl Capture {
    fn spawn<R: Read + Send + 'static>(pipe: Option<R>, cap: usize) -> Self {
        let state = Arc::new(Mutex::new(Bounded {
            head: Vec::new(),
            tail: VecDeque::new(),
            half: cap.div_ceil(2).max(1),
            total: 0,
        }));
        let thread = pipe.map(|mut pipe| {
            let state = Arc::clone(&state);
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    if let Ok(mut s) = state.lock() {
                        s.push(&buf[..n]);
                    }
                }
            })
        });
        Self { state, thread }
    }

    fn finish(mut self, deadline: Instant) -> (String, bool) {
        if let Some(t) = self.thread.take() {
            while !t.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            if t.is_finished() {
                let _ = t.join();
            }
        }
        match self.state.lock() {
            Ok(s) => s.render(),
            Err(poisoned) => poisoned.into_inner().render(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_keeps_everything_up_to_the_cap() {
        let mut b = Bounded {
            head: vec![],
            tail: VecDeque::new(),
            half: 5,
            total: 0,
        };
        b.push(b"0123456789");
        assert_eq!(b.render(), ("0123456789".to_owned(), false));
    }

    #[test]
    fn bounded_keeps_head_and_tail_past_the_cap() {
        let mut b = Bounded {
            head: vec![],
            tail: VecDeque::new(),
            half: 3,
            total: 0,
        };
        for chunk in [&b"abcd"[..], b"efgh", b"ijkl"] {
            b.push(chunk);
        }
        let (text, truncated) = b.render();
        assert!(truncated);
        assert!(text.starts_with("abc\n"), "{text}");
        assert!(text.ends_with("\njkl"), "{text}");
        assert!(text.contains("[6 bytes omitted]"), "{text}");
    }
}
