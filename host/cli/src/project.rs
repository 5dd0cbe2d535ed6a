//! Where a project's state store and plugin registry live, found the way git and cargo find
//! their project — so the answer does not depend on which subdirectory you stand in.
//!
//! Guarantees:
//! - **One root per invocation.** The project root is the nearest directory at or above the
//!   current directory that holds `.strive/` or `.loop-state/`; failing that, the nearest one at
//!   or above the spec (or spec directory) the verb was given; failing that, the top of the git
//!   work tree holding the spec (or the current directory); failing that, the spec's directory
//!   (or the current directory).
//! - **State**: `--state` wins (a path as typed, relative to the current directory, or a
//!   `postgres://` URL); else a spec's own relative `state_file` is taken relative to the project
//!   root (an absolute one as is); else `<root>/.loop-state/state.json`.
//! - **Plugin registry**: `$STRIVE_HOME` when set (a directory holding `plugins.lock`), else
//!   `<root>/.strive`.
//! - **Said out loud**: every verb that touches state or the registry reports which one (and
//!   why) on `-v`, and in its `--json` object where it prints one (see [`Project::json`]).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The directory names that mark a project root.
pub const MARKERS: [&str; 2] = [".strive", ".loop-state"];

/// The state file under a project root.
pub const STATE_FILE: &str = ".loop-state/state.json";

/// A discovered project root and how it was found.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    /// `marker` (holds `.strive/` or `.loop-state/`), `git` (top of a work tree) or `cwd`
    /// (the current directory).
    pub found_by: &'static str,
}

/// Where this verb's state lives and why.
#[derive(Debug, Clone)]
pub struct StateChoice {
    /// A state.json path or a postgres:// URL, ready for `strive_state::open`.
    pub location: String,
    /// `--state`, `spec state_file`, or `project default`.
    pub from: &'static str,
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

fn cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."))
}

fn nearest(start: &Path, holds: impl Fn(&Path) -> bool) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| holds(dir))
        .map(Path::to_path_buf)
}

fn has_marker(dir: &Path) -> bool {
    MARKERS.iter().any(|m| dir.join(m).is_dir())
}

impl Project {
    /// Find the project for a verb given `anchor`: a spec file or spec directory, if any.
    pub fn discover(anchor: Option<&Path>) -> Project {
        let here = absolute(&cwd());
        if let Some(root) = nearest(&here, has_marker) {
            return Project {
                root,
                found_by: "marker",
            };
        }
        let base = anchor.map(|a| {
            let a = absolute(a);
            if a.is_dir() {
                a
            } else {
                a.parent().map(Path::to_path_buf).unwrap_or(a)
            }
        });
        if let Some(base) = &base
            && let Some(root) = nearest(base, has_marker)
        {
            return Project {
                root,
                found_by: "marker",
            };
        }
        let git_top = base
            .as_deref()
            .and_then(|b| nearest(b, |d| d.join(".git").exists()))
            .or_else(|| nearest(&here, |d| d.join(".git").exists()));
        if let Some(root) = git_top {
            return Project {
                root,
                found_by: "git",
            };
        }
        Project {
            root: here,
            found_by: "cwd",
        }
    }

    /// The state store: `--state`, else the spec's `state_file` (relative to the root), else
    /// the project's default.
    pub fn state(&self, flag: Option<&str>, spec_state_file: Option<&str>) -> StateChoice {
        if let Some(flag) = flag {
            return StateChoice {
                location: flag.to_string(),
                from: "--state",
            };
        }
        if let Some(file) = spec_state_file {
            return StateChoice {
                location: self.resolve(file),
                from: "spec state_file",
            };
        }
        StateChoice {
            location: self.root.join(STATE_FILE).display().to_string(),
            from: "project default",
        }
    }

    /// A spec's `state_file` (or any project-relative path): absolute as is, else under the
    /// root. PostgreSQL URLs are returned unchanged.
    pub fn resolve(&self, file: &str) -> String {
        if strive_state::postgres::is_postgres_url(file) || Path::new(file).is_absolute() {
            file.to_string()
        } else {
            self.root.join(file).display().to_string()
        }
    }

    /// The plugin registry home and why: `$STRIVE_HOME`, else `<root>/.strive`.
    pub fn registry(&self) -> (PathBuf, &'static str) {
        match std::env::var_os("STRIVE_HOME").filter(|v| !v.is_empty()) {
            Some(home) => (PathBuf::from(home), "STRIVE_HOME"),
            None => (self.root.join(".strive"), "project"),
        }
    }

    /// Say on `-v` which state store and registry this verb uses.
    pub fn announce(&self, state: Option<&StateChoice>, registry: bool) {
        crate::ui::verbose(format_args!(
            "project root {} (found by {})",
            crate::ui::esc(&self.root.display().to_string()),
            self.found_by
        ));
        if let Some(state) = state {
            crate::ui::verbose(format_args!(
                "state {} (from {})",
                crate::ui::esc(&redact(&state.location)),
                state.from
            ));
        }
        if registry {
            let (home, from) = self.registry();
            crate::ui::verbose(format_args!(
                "plugin registry {} (from {from})",
                crate::ui::esc(&home.display().to_string())
            ));
        }
    }

    /// `{"root", "found_by", "state"?, "registry"?}` for `--json` objects.
    pub fn json(&self, state: Option<&StateChoice>, registry: bool) -> Value {
        let mut v = json!({
            "root": self.root.display().to_string(),
            "found_by": self.found_by,
        });
        if let Some(state) = state {
            v["state"] = json!(redact(&state.location));
            v["state_from"] = json!(state.from);
        }
        if registry {
            let (home, from) = self.registry();
            v["registry"] = json!(home.display().to_string());
            v["registry_from"] = json!(from);
        }
        v
    }
}

/// Discover the project for `anchor`, choose the state store (`--state` as `flag`), and say on
/// `-v` which one (and the registry, when `registry`) this verb uses.
pub fn for_verb(
    flag: Option<&str>,
    anchor: Option<&Path>,
    registry: bool,
) -> (Project, StateChoice) {
    let project = Project::discover(anchor);
    let state = project.state(flag, None);
    project.announce(Some(&state), registry);
    (project, state)
}

/// A location fit to print: a URL's password is never shown.
pub fn redact(location: &str) -> String {
    if strive_state::postgres::is_postgres_url(location) {
        strive_state::postgres::redact_url(location)
    } else {
        location.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_not_printed() {
        assert!(!redact("postgres://u:secret@db:5432/x").contains("secret"));
        assert_eq!(redact("/tmp/state.json"), "/tmp/state.json");
    }

    #[test]
    fn state_precedence() {
        let p = Project {
            root: PathBuf::from("/proj"),
            found_by: "marker",
        };
        assert_eq!(p.state(Some("x.json"), Some("y.json")).location, "x.json");
        assert_eq!(
            p.state(None, Some(".loop-state/state.json")).location,
            "/proj/.loop-state/state.json"
        );
        assert_eq!(p.state(None, Some("/abs/s.json")).location, "/abs/s.json");
        assert_eq!(p.state(None, None).location, "/proj/.loop-state/state.json");
    }
}
