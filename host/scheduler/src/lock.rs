//! The collision guard: at most one writing run per target repository at a time, across
//! threads, processes and (with PostgreSQL) machines.
//!
//! Guarantees:
//! - [`WriterLocks::try_lock`] never waits: a repository that another run is writing is
//!   reported as busy, and the scheduler skips (or defers) that loop.
//! - A lock is released when its [`WriterGuard`] drops, and also when the process holding it
//!   dies (an OS file lock, or a PostgreSQL session advisory lock), so a crash never leaves a
//!   repository locked.
//! - A repository is identified by its canonical path (symlinks and `..` resolved; a path that
//!   does not exist is made absolute), so two spellings of one repository share one lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};
use strive_state::postgres::{LOCK_REPO, PgStore};

/// Held while a run writes to a repository.
pub struct WriterGuard {
    /// The repository's canonical key.
    pub key: String,
    release: Option<Box<dyn FnOnce() + Send>>,
}

impl Drop for WriterGuard {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            release();
        }
    }
}

/// A source of writer locks.
pub trait WriterLocks: Send + Sync {
    /// Become the one writer of `repo`; `Ok(None)` when another run holds it. `Err` (the lock
    /// could not be checked) must be treated as busy: the run does not start.
    fn try_lock(&self, repo: &str) -> Result<Option<WriterGuard>, String>;
}

/// The canonical identity of a repository path.
pub fn repo_key(repo: &str) -> String {
    let path = Path::new(repo);
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir()
                .map(|d| d.join(path))
                .unwrap_or_else(|_| path.to_path_buf())
        }
    });
    canonical.to_string_lossy().into_owned()
}

/// OS file locks in one directory (one lock file per repository, named by a hash of its key).
/// Every process on a machine that uses the same directory shares the guard.
#[derive(Clone, Debug)]
pub struct FileLocks {
    dir: PathBuf,
}

impl FileLocks {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FileLocks { dir: dir.into() }
    }

    /// `$STRIVE_LOCK_DIR`, else `<temp dir>/strive-writer-locks`.
    pub fn default_dir() -> PathBuf {
        std::env::var_os("STRIVE_LOCK_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| std::env::temp_dir().join("strive-writer-locks"))
    }

    /// The lock file of a repository key.
    pub fn lock_path(&self, key: &str) -> PathBuf {
        let digest = hex::encode(Sha256::digest(key.as_bytes()));
        self.dir.join(format!("{}.lock", &digest[..32]))
    }
}

impl WriterLocks for FileLocks {
    fn try_lock(&self, repo: &str) -> Result<Option<WriterGuard>, String> {
        let key = repo_key(repo);
        let path = self.lock_path(&key);
        std::fs::create_dir_all(&self.dir)
            .map_err(|e| format!("cannot create lock directory {}: {e}", self.dir.display()))?;
        let file: File = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("cannot open lock file {}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(WriterGuard {
                key,
                // Closing the file releases the lock.
                release: Some(Box::new(move || drop(file))),
            })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
        }
    }
}

/// PostgreSQL session advisory locks, shared by every worker on every machine using the
/// database. The key is the canonical path on the worker's machine, so workers agree when
/// they see repositories at the same path (a shared mount or identical checkouts).
pub struct PgLocks {
    store: Arc<PgStore>,
}

impl PgLocks {
    pub fn new(store: Arc<PgStore>) -> Self {
        PgLocks { store }
    }
}

impl WriterLocks for PgLocks {
    fn try_lock(&self, repo: &str) -> Result<Option<WriterGuard>, String> {
        let key = repo_key(repo);
        if !self
            .store
            .try_lock_key(LOCK_REPO, &key)
            .map_err(|e| e.to_string())?
        {
            return Ok(None);
        }
        let store = Arc::clone(&self.store);
        let unlock_key = key.clone();
        Ok(Some(WriterGuard {
            key,
            release: Some(Box::new(move || {
                if let Err(e) = store.unlock_key(LOCK_REPO, &unlock_key) {
                    eprintln!(
                        "warning: could not release the writer lock of {unlock_key}: {e} (it ends with the connection)"
                    );
                }
            })),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_writer_per_repository_across_spellings() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        let locks = FileLocks::new(dir.path().join("locks"));
        let first = locks
            .try_lock(repo.to_str().unwrap())
            .unwrap()
            .expect("free");
        let other_spelling = format!("{}/../repo", repo.display());
        assert!(locks.try_lock(&other_spelling).unwrap().is_none());
        drop(first);
        assert!(locks.try_lock(&other_spelling).unwrap().is_some());
    }
}
