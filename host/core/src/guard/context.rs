//! Where a command would run: the working directory, the loop's worktree, extra temp
//! directories and the loop phase. The guard uses it to tell deletion inside the worktree
//! (allowed) from deletion anywhere else (blocked).
//!
//! Guarantees:
//! - **Lexical and pure.** Paths are resolved as text (`.` and `..` folded, no filesystem
//!   access), so a check is deterministic and never touches the disk. A path that climbs above
//!   `/`, names `~` without a known home, or depends on a value only known at run time is
//!   "not inside".
//! - **Unknown context is outside.** With no working directory, a relative path is never
//!   inside anything. After a `cd` the guard cannot follow (anything but a literal
//!   subdirectory), the working directory becomes unknown for the rest of the line.
//! - **A root that is not a project never counts.** If the worktree (or, without one, the
//!   working directory) is `/`, a system location, `/home`, `/Users`, the home directory or one
//!   of its parents, nothing is "inside" it.

use serde::{Deserialize, Serialize};

use super::paths::is_system;

/// What the loop is doing when the command runs (not the loop's L0–L3 phase).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    /// Making changes: deletion inside the worktree is allowed.
    #[default]
    Work,
    /// Checking the work (verifiers, review): the worktree is evidence, so deleting inside it
    /// is blocked like deleting anywhere else.
    Verify,
}

/// The context of one check. `Context::default()` knows nothing: relative paths are outside.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Context {
    /// Absolute working directory the command starts in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<String>,
    /// Absolute root of the loop's worktree; deletion must stay strictly inside it. Without
    /// one, the working directory is the root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worktree: Option<String>,
    /// The user's home directory (never a valid root, nor inside one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home: Option<String>,
    /// Extra absolute temp directories (besides `/tmp`, `/var/tmp`, `$TMPDIR`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub temp_dirs: Vec<String>,
    #[serde(default, alias = "phase")]
    pub stage: Stage,
}

impl Context {
    /// A context for a command run in `dir`, which is also the worktree root.
    pub fn in_dir(dir: impl Into<String>) -> Self {
        let dir = dir.into();
        Context {
            cwd: Some(dir.clone()),
            worktree: Some(dir),
            ..Context::default()
        }
    }

    /// The directory deletion must stay strictly inside, if it is a usable project root.
    pub(crate) fn root(&self) -> Option<String> {
        let root = normalize(self.worktree.as_deref().or(self.cwd.as_deref())?)?;
        let lower = root.to_ascii_lowercase();
        // a project may live under /root, /opt or /srv; it may not be the OS itself
        let os_owned = is_system(&root)
            && !["/root/", "/opt/", "/srv/", "/snap/"]
                .iter()
                .any(|p| root.starts_with(p));
        let bad = root == "/"
            || os_owned
            || matches!(lower.as_str(), "/home" | "/users" | "/root")
            || self
                .home
                .as_deref()
                .and_then(normalize)
                .is_some_and(|h| h == root || is_within(&h, &root));
        (!bad).then_some(root)
    }

    /// The starting working directory, normalised.
    pub(crate) fn start_dir(&self) -> Option<String> {
        self.cwd.as_deref().and_then(normalize)
    }

    /// Is the absolute `path` inside one of the extra temp directories?
    pub(crate) fn in_temp_dir(&self, path: &str) -> bool {
        self.temp_dirs
            .iter()
            .filter_map(|d| normalize(d))
            .any(|d| d != "/" && (path == d || is_within(path, &d)))
    }
}

/// Fold `.`, `..` and repeated slashes of an absolute path. `None` for a relative path or one
/// that climbs above `/`.
pub(crate) fn normalize(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(format!("/{}", parts.join("/")))
}

/// Join `rel` onto the absolute directory `dir` and normalise.
pub(crate) fn join(dir: &str, rel: &str) -> Option<String> {
    normalize(&format!("{dir}/{rel}"))
}

/// Is `path` strictly below `dir` (both normalised)?
pub(crate) fn is_within(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    path.len() > dir.len() + 1 && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_is_lexical() {
        assert_eq!(normalize("/a/./b//c/../d").as_deref(), Some("/a/b/d"));
        assert_eq!(normalize("/a/.."), Some("/".into()));
        assert_eq!(normalize("/.."), None);
        assert_eq!(normalize("rel/x"), None);
        assert!(is_within("/w/p/build", "/w/p"));
        assert!(!is_within("/w/p", "/w/p"));
        assert!(!is_within("/w/pp/x", "/w/p"));
    }

    #[test]
    fn roots_that_are_not_projects() {
        assert_eq!(
            Context::in_dir("/work/p").root().as_deref(),
            Some("/work/p")
        );
        for bad in ["/", "/etc", "/home", "/usr/local/x"] {
            assert_eq!(Context::in_dir(bad).root(), None, "{bad}");
        }
        let mut home = Context::in_dir("/home/u");
        home.home = Some("/home/u".into());
        assert_eq!(home.root(), None);
        home.cwd = Some("/home/u/p".into());
        home.worktree = None;
        assert_eq!(home.root().as_deref(), Some("/home/u/p"));
    }
}
