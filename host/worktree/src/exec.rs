//! Running a guarded shell command inside a worktree.
//!
//! Guarantees:
//! - The guard sees the command first; a blocked command is never spawned.
//! - The child starts in its own process group with a scrubbed environment: only `PATH`, `LANG`,
//!   `HOME` (a private directory outside the worktree), `TMPDIR` (the same), and the names the
//!   host explicitly allows. Secrets in the host's environment are not inherited.
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
    #[error("could not start `sh -c` in {dir}: {source}")]
    Spawn {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("waiting for the command failed: {0}")]
    Wait(#[source] std::io::Error),
}

/// Which host environment variables reach commands, and where `HOME` points.
#[derive(Debug, Clone)]
pub struct EnvPolicy {
    /// `HOME` and `TMPDIR` for commands: a private directory outside the worktree.
    pub home: PathBuf,
    /// Extra variable names copied from the host environment when set there.
    pub allow: Vec<String>,
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
        for name in &self.allow {
            if env.iter().any(|(k, _)| k == name) {
                continue;
            }
            if let Ok(value) = std::env::var(name) {
                env.push((name.clone(), value));
            }
        }
        env
    }
}

/// Runs `command` with `sh -c` in `dir` after the guard allows it. `stdin` is written to the
/// child's standard input (then closed); `None` gives it `/dev/null`.
pub fn run_guarded(
    guard: &dyn CommandGuard,
    dir: &Path,
    command: &str,
    env: &EnvPolicy,
    limits: RunLimits,
    stdin: Option<&[u8]>,
) -> Result<CommandOutput, RunError> {
    guard.check_in(command, dir)?;
    let started = Instant::now();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(command)
        .current_dir(dir)
        .env_clear()
        .envs(env.environment())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
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
        stdout,
        stderr,
        truncated: t1 || t2,
        elapsed: started.elapsed(),
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
