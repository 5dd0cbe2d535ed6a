//! Path-confined file access inside one worktree.
//!
//! Guarantees: every operation goes through a cap-std [`Dir`] opened on the worktree root, so no
//! path — `..`, absolute, or a symlink anywhere along it that points outside — reaches a file
//! outside the root. Paths are first validated by [`confine`] for clear, typed refusals; cap-std
//! is the enforcement underneath (including symlink races). `.git` is never listed, read or
//! written.

use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cap_std::ambient_authority;
use cap_std::fs::Dir;

use crate::path::{PathError, confine};

/// A file's path (relative, `/`-separated) and UTF-8 content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileText {
    pub path: String,
    pub content: String,
}

/// A capability on one directory tree; holds no ambient path authority.
pub struct ConfinedDir {
    dir: Dir,
}

impl ConfinedDir {
    /// Opens `root` (an ambient path chosen by the host, never by a plugin).
    pub fn open(root: &Path) -> io::Result<Self> {
        Ok(Self {
            dir: Dir::open_ambient_dir(root, ambient_authority())?,
        })
    }

    /// Reads a UTF-8 text file.
    pub fn read(&self, path: &str) -> Result<String, PathError> {
        let bytes = self.read_bytes(path)?;
        String::from_utf8(bytes).map_err(|_| PathError::NotText(path.to_owned()))
    }

    /// Reads a file's bytes.
    pub fn read_bytes(&self, path: &str) -> Result<Vec<u8>, PathError> {
        let rel = confine(path)?;
        let meta = self.dir.metadata(&rel).map_err(|e| map_io(path, e))?;
        if !meta.is_file() {
            return Err(PathError::NotAFile(path.to_owned()));
        }
        self.dir.read(&rel).map_err(|e| map_io(path, e))
    }

    /// Size in bytes of a regular file.
    pub fn size(&self, path: &str) -> Result<u64, PathError> {
        let rel = confine(path)?;
        let meta = self.dir.metadata(&rel).map_err(|e| map_io(path, e))?;
        if !meta.is_file() {
            return Err(PathError::NotAFile(path.to_owned()));
        }
        Ok(meta.len())
    }

    /// Writes (creates or truncates) a regular file, creating parent directories.
    pub fn write(&self, path: &str, content: &[u8]) -> Result<(), PathError> {
        let rel = self.check_inside(path)?;
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.dir
                .create_dir_all(parent)
                .map_err(|e| map_io(path, e))?;
        }
        let existing = self.dir.symlink_metadata(&rel).ok();
        if existing.as_ref().is_some_and(|m| m.is_dir()) {
            return Err(PathError::NotAFile(path.to_owned()));
        }
        let before = existing.as_ref().and_then(modified_file);
        let mut file = self.dir.create(&rel).map_err(|e| map_io(path, e))?;
        io::Write::write_all(&mut file, content).map_err(|e| map_io(path, e))?;
        if let Some(before) = before {
            next_whole_second(&file.into_std(), before).map_err(|e| map_io(path, e))?;
        }
        Ok(())
    }

    /// Modification time of an existing regular file (not followed through a symlink).
    pub fn modified(&self, path: &str) -> Option<SystemTime> {
        let rel = confine(path).ok()?;
        modified_file(&self.dir.symlink_metadata(&rel).ok()?)
    }

    /// After something other than [`ConfinedDir::write`] rewrote `path` (a patch), moves its
    /// modification time past `before`'s whole second, as `write` does. A path that is gone (a
    /// patch deleted or renamed it) has nothing to mark.
    pub fn mark_rewritten(&self, path: &str, before: SystemTime) -> Result<(), PathError> {
        let rel = confine(path)?;
        match self
            .dir
            .open_with(&rel, cap_std::fs::OpenOptions::new().write(true))
        {
            Ok(file) => next_whole_second(&file.into_std(), before).map_err(|e| map_io(path, e)),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(map_io(path, e)),
        }
    }

    /// Deletes a file (a symlink itself, never its target).
    pub fn delete(&self, path: &str) -> Result<(), PathError> {
        let rel = confine(path)?;
        self.dir.remove_file(&rel).map_err(|e| map_io(path, e))
    }

    /// Checks that `path` is acceptable and, if it or a parent exists, does not lead out.
    pub fn check_inside(&self, path: &str) -> Result<PathBuf, PathError> {
        let rel = confine(path)?;
        let mut probe = PathBuf::new();
        for part in rel.components() {
            probe.push(part);
            match self.dir.metadata(&probe) {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::NotFound => {
                    // A dangling symlink can still point out: refuse it too.
                    if self.dir.symlink_metadata(&probe).is_ok() {
                        return Err(PathError::Escapes(path.to_owned()));
                    }
                    break;
                }
                Err(e) => return Err(map_io(path, e)),
            }
        }
        Ok(rel)
    }

    /// Every regular file under the root, sorted, `/`-separated; `.git` and symlinks skipped.
    pub fn list(&self) -> Result<Vec<String>, PathError> {
        let mut out = Vec::new();
        walk(&self.dir, "", &mut out)?;
        out.sort();
        Ok(out)
    }
}

/// A regular file's modification time.
fn modified_file(meta: &cap_std::fs::Metadata) -> Option<SystemTime> {
    meta.is_file()
        .then(|| meta.modified().ok().map(|t| t.into_std()))
        .flatten()
}

/// Makes a rewritten file's modification time fall in a later whole second than `before`.
/// Tools that judge freshness by whole-second mtime and size — Python's bytecode cache, `make`
/// on coarse file systems — would otherwise keep using what they built from the old content
/// when a same-size edit lands within the second the file was last written.
fn next_whole_second(file: &std::fs::File, before: SystemTime) -> io::Result<()> {
    let secs = |t: SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let now = file.metadata()?.modified()?;
    if secs(now) > secs(before) {
        return Ok(());
    }
    file.set_modified(UNIX_EPOCH + Duration::from_secs(secs(before) + 1))
}

fn walk(dir: &Dir, prefix: &str, out: &mut Vec<String>) -> Result<(), PathError> {
    let entries = dir.entries().map_err(|e| map_io(prefix, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| map_io(prefix, e))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.eq_ignore_ascii_case(".git") {
            continue;
        }
        let rel = if prefix.is_empty() {
            name.to_owned()
        } else {
            format!("{prefix}/{name}")
        };
        let kind = entry.file_type().map_err(|e| map_io(&rel, e))?;
        if kind.is_dir() {
            let sub = entry.open_dir().map_err(|e| map_io(&rel, e))?;
            walk(&sub, &rel, out)?;
        } else if kind.is_file() {
            out.push(rel);
        }
    }
    Ok(())
}

/// cap-std reports an escape as `PermissionDenied` without an OS error code; a real EACCES has one.
fn map_io(path: &str, err: io::Error) -> PathError {
    match err.kind() {
        ErrorKind::NotFound => PathError::NotFound(path.to_owned()),
        ErrorKind::PermissionDenied if err.raw_os_error().is_none() => {
            PathError::Escapes(path.to_owned())
        }
        _ => PathError::Io {
            path: path.to_owned(),
            source: err,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_same_size_rewrite_lands_in_a_later_whole_second() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = ConfinedDir::open(tmp.path()).unwrap();
        dir.write("pkg/geometry.py", b"return w + h\n").unwrap();
        let mtime = |p: &str| {
            std::fs::metadata(tmp.path().join(p))
                .unwrap()
                .modified()
                .unwrap()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs()
        };
        let first = mtime("pkg/geometry.py");
        dir.write("pkg/geometry.py", b"return w * h\n").unwrap();
        assert!(mtime("pkg/geometry.py") > first);
        assert_eq!(dir.read("pkg/geometry.py").unwrap(), "return w * h\n");
    }
}
