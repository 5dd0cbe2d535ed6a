//! Git reads bounded by the run's deadline, even when libgit2 itself does not return.
//!
//! Guarantees:
//! - **The deadline holds.** Every read runs on the run's own reader thread; the caller waits at
//!   most until the deadline. libgit2 can spin without end on a corrupt object (a truncated
//!   loose object loops in its inflate); such a read ends the call with `failed` naming the
//!   repository and `git fsck` at the deadline, not when the process is killed.
//! - **A hung repository is quarantined.** The thread stuck in libgit2 cannot be stopped; it is
//!   abandoned, and every later read of that repository in this process fails at once with the
//!   same reason instead of leaving another thread behind. Restart the process after repairing
//!   the repository.
//! - One reader thread per run, one repository handle: reads cost a channel round trip.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use git2::Repository;

use crate::bindings::v0_1::HostError;

type Job = Box<dyn FnOnce(&Repository) + Send>;

/// Repositories whose reads hung in this process.
fn quarantine() -> &'static Mutex<HashSet<PathBuf>> {
    static HUNG: OnceLock<Mutex<HashSet<PathBuf>>> = OnceLock::new();
    HUNG.get_or_init(Default::default)
}

fn hung_reason(path: &Path) -> HostError {
    HostError::Failed(format!(
        "git read of {} did not finish before the run's deadline; the repository may be corrupt (check it with `git fsck`); reads of it in this process now fail at once — restart after repairing it",
        path.display()
    ))
}

/// The run's git reader: a thread owning the repository handle.
pub struct GitReader {
    path: PathBuf,
    jobs: Option<mpsc::Sender<Job>>,
}

impl GitReader {
    /// Open `path` on a new reader thread (the open is bounded by `deadline` too).
    pub fn open(path: &Path, deadline: Instant) -> Result<GitReader, HostError> {
        if quarantine()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .contains(path)
        {
            return Err(hung_reason(path));
        }
        let (jobs, inbox) = mpsc::channel::<Job>();
        let (opened_tx, opened) = mpsc::sync_channel::<Result<(), String>>(1);
        let thread_path = path.to_path_buf();
        std::thread::Builder::new()
            .name("strive-git".into())
            .spawn(move || {
                let repo = match super::open(&thread_path) {
                    Ok(repo) => {
                        let _ = opened_tx.send(Ok(()));
                        repo
                    }
                    Err(e) => {
                        let _ = opened_tx.send(Err(e.message().to_string()));
                        return;
                    }
                };
                while let Ok(job) = inbox.recv() {
                    job(&repo);
                }
            })
            .map_err(|e| HostError::Failed(format!("cannot start the git reader: {e}")))?;
        let mut reader = GitReader {
            path: path.to_path_buf(),
            jobs: Some(jobs),
        };
        match opened.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(Ok(())) => Ok(reader),
            Ok(Err(message)) => Err(HostError::Failed(format!(
                "target {} is not a readable git repository: {message}",
                path.display()
            ))),
            Err(_) => Err(reader.hang()),
        }
    }

    /// Run `read` against the repository, waiting at most until `deadline`.
    pub fn read<T: Send + 'static>(
        &mut self,
        deadline: Instant,
        read: impl FnOnce(&Repository) -> Result<T, HostError> + Send + 'static,
    ) -> Result<T, HostError> {
        let Some(jobs) = &self.jobs else {
            return Err(hung_reason(&self.path));
        };
        let (done, answer) = mpsc::sync_channel(1);
        let job: Job = Box::new(move |repo| {
            let _ = done.send(read(repo));
        });
        if jobs.send(job).is_err() {
            return Err(HostError::Failed(format!(
                "the git reader of {} stopped",
                self.path.display()
            )));
        }
        match answer.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(self.hang()),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(HostError::Failed(format!(
                "the git reader of {} stopped during a read",
                self.path.display()
            ))),
        }
    }

    /// Abandon the reader thread and quarantine the repository.
    fn hang(&mut self) -> HostError {
        self.jobs = None;
        quarantine()
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(self.path.clone());
        hung_reason(&self.path)
    }
}

/// One bounded read of `path` outside a run's reader (the host's citation check).
pub fn read_once<T: Send + 'static>(
    path: &Path,
    deadline: Instant,
    read: impl FnOnce(&Repository) -> Result<T, HostError> + Send + 'static,
) -> Result<T, HostError> {
    GitReader::open(path, deadline)?.read(deadline, read)
}
