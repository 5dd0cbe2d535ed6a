//! Worktree-relative path validation, before any file system access.
//!
//! Guarantee: a path accepted by [`confine`] is relative, has no `..` component, no `.git`
//! component (in any letter case), no NUL or backslash, and is not empty. Symlinks are not
//! judged here (that needs the file system): [`crate::fs::ConfinedDir`] refuses those that lead
//! out, via cap-std.

use std::path::PathBuf;

use thiserror::Error;

/// Why a path was refused. Every variant names the offending path.
#[derive(Debug, Error)]
pub enum PathError {
    #[error("empty path: give a file path relative to the worktree root")]
    Empty,
    #[error("absolute path `{0}` refused: give a path relative to the worktree root")]
    Absolute(String),
    #[error("path `{0}` has a `..` component: paths may not climb out of the worktree")]
    ParentComponent(String),
    #[error("path `{0}` touches `.git`: git metadata is off-limits to makers and plugins")]
    GitMetadata(String),
    #[error("path `{0}` contains a NUL or backslash: use plain `/`-separated relative paths")]
    InvalidCharacter(String),
    #[error("path `{0}` leads outside the worktree (through a symlink)")]
    Escapes(String),
    #[error("path `{0}` does not exist in the worktree")]
    NotFound(String),
    #[error("path `{0}` is not valid UTF-8 text")]
    NotText(String),
    #[error("path `{0}` is a directory or special file, not a regular file")]
    NotAFile(String),
    #[error("I/O error on `{path}` in the worktree: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// Validates `path` and returns it normalised (`./` and empty segments dropped).
pub fn confine(path: &str) -> Result<PathBuf, PathError> {
    if path.is_empty() {
        return Err(PathError::Empty);
    }
    if path.contains('\0') || path.contains('\\') {
        return Err(PathError::InvalidCharacter(path.to_owned()));
    }
    if path.starts_with('/') {
        return Err(PathError::Absolute(path.to_owned()));
    }
    let mut out = PathBuf::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(PathError::ParentComponent(path.to_owned())),
            p if p.eq_ignore_ascii_case(".git") => {
                return Err(PathError::GitMetadata(path.to_owned()));
            }
            p => out.push(p),
        }
    }
    if out.as_os_str().is_empty() {
        return Err(PathError::Empty);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn table() {
        let ok = [
            ("a.txt", "a.txt"),
            ("./src//lib.rs", "src/lib.rs"),
            ("a/.gitignore", "a/.gitignore"),
        ];
        for (input, want) in ok {
            assert_eq!(confine(input).unwrap(), PathBuf::from(want), "{input}");
        }
        type IsExpected = fn(&PathError) -> bool;
        let refused: [(&str, IsExpected); 8] = [
            ("", |e| matches!(e, PathError::Empty)),
            ("./", |e| matches!(e, PathError::Empty)),
            ("/etc/passwd", |e| matches!(e, PathError::Absolute(_))),
            ("../wtX/pwned.txt", |e| {
                matches!(e, PathError::ParentComponent(_))
            }),
            ("a/../../b", |e| matches!(e, PathError::ParentComponent(_))),
            (".git/hooks/pre-commit", |e| {
                matches!(e, PathError::GitMetadata(_))
            }),
            ("sub/.GIT/config", |e| {
                matches!(e, PathError::GitMetadata(_))
            }),
            ("a\\..\\b", |e| matches!(e, PathError::InvalidCharacter(_))),
        ];
        for (input, is_expected) in refused {
            let err = confine(input).unwrap_err();
            assert!(is_expected(&err), "{input}: {err}");
        }
    }

    proptest! {
        #[test]
        fn never_panics_and_accepted_paths_stay_inside(s in ".{0,64}") {
            if let Ok(p) = confine(&s) {
                prop_assert!(p.is_relative());
                for c in p.components() {
                    prop_assert!(matches!(c, std::path::Component::Normal(_)));
                    prop_assert!(!c.as_os_str().eq_ignore_ascii_case(".git"));
                }
            }
        }
    }
}
