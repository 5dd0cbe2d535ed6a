//! Where a repository keeps its shared files (config, objects, `shallow`), found without
//! libgit2 and without searching parent directories, for repositories libgit2 refuses.

use std::path::{Path, PathBuf};

use super::ObjectFormat;

pub(super) struct Layout {
    common_dir: PathBuf,
}

impl Layout {
    /// Look where git would at `path` alone: `path/.git` (a directory, or a `gitdir:` file for
    /// worktrees and submodules, followed to its common directory), else `path` itself (bare).
    /// `None` if there is no config file there.
    pub(super) fn find(path: &Path) -> Option<Layout> {
        let dot_git = path.join(".git");
        let git_dir = if dot_git.is_dir() {
            dot_git
        } else if dot_git.is_file() {
            let link = std::fs::read_to_string(&dot_git).ok()?;
            let target = link.lines().find_map(|l| l.strip_prefix("gitdir:"))?;
            path.join(target.trim())
        } else {
            path.to_path_buf()
        };
        let common_dir = match std::fs::read_to_string(git_dir.join("commondir")) {
            Ok(relative) => git_dir.join(relative.trim()),
            Err(_) => git_dir,
        };
        common_dir
            .join("config")
            .is_file()
            .then_some(Layout { common_dir })
    }

    fn config(&self) -> Option<git2::Config> {
        git2::Config::open(&self.common_dir.join("config")).ok()
    }

    /// Does the config declare any `extensions.*`?
    pub(super) fn has_extensions(&self) -> bool {
        self.config().is_some_and(|config| {
            config
                .entries(Some("^extensions\\."))
                .is_ok_and(|mut entries| entries.next().is_some())
        })
    }

    /// `extensions.objectformat`: absent means SHA-1.
    pub(super) fn object_format(&self) -> Result<ObjectFormat, String> {
        let declared = self
            .config()
            .and_then(|config| config.get_string("extensions.objectformat").ok());
        match declared.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("sha1") => Ok(ObjectFormat::Sha1),
            Some("sha256") => Ok(ObjectFormat::Sha256),
            Some(other) => Err(format!(
                "the repository at '{}' uses object format '{other}', which this verifier does not know",
                self.common_dir.display()
            )),
        }
    }

    /// Is this a shallow clone (git keeps the boundary in `<common dir>/shallow`)?
    pub(super) fn is_shallow(&self) -> bool {
        self.common_dir.join("shallow").is_file()
    }
}
