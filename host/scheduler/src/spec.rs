//! Loading loop specs for scheduling.
//!
//! Guarantees:
//! - One unreadable, malformed or invalid spec never stops the others: it becomes a
//!   [`SpecProblem`] that names the file and what to fix, and loading goes on.
//! - Two specs with the same `id` are both refused (neither may silently shadow the other).
//! - The scheduler reads only the fields it needs (`id`, `kind`, `phase`, `cadence`,
//!   `priority`, `paused`, `stop_after`, `state_file`, `target.repo`); the whole document is kept
//!   in [`ScheduledSpec::document`] for the runner, and a caller-supplied validator (the loop-spec
//!   schema) may refuse it first.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::cadence::Cadence;
use strive_vocab::Phase;

/// Default `priority` of a loop (lower runs first).
pub const DEFAULT_PRIORITY: i64 = 100;

/// A loop spec as the scheduler sees it.
#[derive(Clone, Debug)]
pub struct ScheduledSpec {
    pub id: String,
    pub kind: String,
    /// `L0`..`L3`; empty when absent.
    pub phase: Option<Phase>,
    /// `None`: no cadence, the loop runs only when started by hand (`strive run`).
    pub cadence: Option<Cadence>,
    pub priority: i64,
    pub paused: bool,
    /// After this instant the loop no longer runs.
    pub stop_after: Option<DateTime<Utc>>,
    pub state_file: Option<String>,
    /// `target.repo`, resolved against the spec file's directory when relative.
    pub target_repo: Option<String>,
    /// The file it came from (empty for specs built in memory).
    pub path: PathBuf,
    /// The full spec document, for the runner.
    pub document: Value,
}

impl ScheduledSpec {
    /// Whether this loop writes to its target repository (phase L2 adds a worktree and
    /// commits, L3 merges), so that only one such run may touch a repository at a time.
    pub fn writes_target(&self) -> bool {
        self.phase.is_some_and(Phase::writes_target)
    }

    /// Build from a spec document. `Err` says which field is wrong and how.
    pub fn from_document(document: Value, path: &Path) -> Result<Self, String> {
        let obj = document
            .as_object()
            .ok_or("a loop spec must be a JSON object")?;
        let text = |key: &str| -> Result<Option<String>, String> {
            match obj.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(format!("`{key}` must be a string, found {other}")),
            }
        };
        let id = text("id")?.ok_or("missing `id` (a string naming the loop)")?;
        if id.trim().is_empty() || id.contains("::") || id.chars().any(char::is_control) {
            return Err(format!(
                "`id` {id:?} must be non-empty and contain neither \"::\" (reserved for scheduler records) nor control characters"
            ));
        }
        let kind = text("kind")?.ok_or("missing `kind`")?;
        let phase = match text("phase")? {
            None => None,
            Some(p) => Some(p.parse::<Phase>().map_err(|e| format!("`phase`: {e}"))?),
        };
        let cadence = match text("cadence")? {
            None => None,
            Some(c) => Some(
                c.parse::<Cadence>()
                    .map_err(|e| format!("`cadence`: {e}"))?,
            ),
        };
        let priority = match obj.get("priority") {
            None | Some(Value::Null) => DEFAULT_PRIORITY,
            Some(v) => v.as_i64().ok_or_else(|| {
                format!("`priority` must be an integer (lower runs first), found {v}")
            })?,
        };
        let paused = match obj.get("paused") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(v) => return Err(format!("`paused` must be true or false, found {v}")),
        };
        let stop_after = match text("stop_after")? {
            None => None,
            Some(s) => Some(parse_instant(&s).map_err(|e| format!("`stop_after`: {e}"))?),
        };
        let target_repo = match obj.get("target") {
            None | Some(Value::Null) => None,
            Some(Value::Object(t)) => match t.get("repo") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(v) => return Err(format!("`target.repo` must be a string, found {v}")),
            },
            Some(v) => return Err(format!("`target` must be an object, found {v}")),
        };
        // A relative `target.repo` is relative to the spec file, as everywhere else in Strive.
        let target_repo = target_repo.map(|repo| {
            let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
            match dir {
                Some(dir) if Path::new(&repo).is_relative() => {
                    dir.join(&repo).display().to_string()
                }
                _ => repo,
            }
        });
        Ok(ScheduledSpec {
            id,
            kind,
            phase,
            cadence,
            priority,
            paused,
            stop_after,
            state_file: text("state_file")?,
            target_repo,
            path: path.to_path_buf(),
            document,
        })
    }
}

/// Check a cadence string (for the loop-spec validator's `cadence` hook).
pub fn check_cadence(text: &str) -> Result<(), String> {
    text.parse::<Cadence>()
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// Check a `stop_after` value (for the loop-spec validator's `stop_after` hook).
pub fn check_stop_after(text: &str) -> Result<(), String> {
    parse_instant(text).map(|_| ())
}

/// Parse an RFC 3339 instant (`2026-11-24T09:00:00Z`, any offset) into UTC.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("{text:?} is not an RFC 3339 time like 2026-11-24T09:00:00Z ({e})"))
}

/// A spec file that could not be scheduled, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpecProblem {
    pub path: PathBuf,
    pub error: String,
}

/// What [`load_dir`] found.
#[derive(Debug, Default)]
pub struct LoadedSpecs {
    pub specs: Vec<ScheduledSpec>,
    pub problems: Vec<SpecProblem>,
}

/// Checks a whole spec document read from a file (the CLI passes the one spec check) before
/// scheduling.
pub type Validator<'a> = &'a dyn Fn(&Value, &Path) -> Result<(), String>;

/// Load every `*.json` file directly inside `dir` (or the single file `dir` names), in file-name
/// order. `Err` only when `dir` itself cannot be read.
pub fn load_dir(dir: &Path, validate: Option<Validator<'_>>) -> Result<LoadedSpecs, String> {
    let mut files: Vec<PathBuf> = if dir.is_file() {
        vec![dir.to_path_buf()]
    } else {
        std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read spec directory {}: {e}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json") && p.is_file())
            .collect()
    };
    files.sort();
    let mut loaded = LoadedSpecs::default();
    for path in files {
        match load_file(&path, validate) {
            Ok(spec) => loaded.specs.push(spec),
            Err(error) => loaded.problems.push(SpecProblem { path, error }),
        }
    }
    refuse_duplicate_ids(&mut loaded);
    Ok(loaded)
}

fn load_file(path: &Path, validate: Option<Validator<'_>>) -> Result<ScheduledSpec, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    let document: Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("not valid JSON: {e}"))?;
    if let Some(validate) = validate {
        validate(&document, path).map_err(|e| format!("invalid loop spec: {e}"))?;
    }
    ScheduledSpec::from_document(document, path).map_err(|e| format!("invalid loop spec: {e}"))
}

fn refuse_duplicate_ids(loaded: &mut LoadedSpecs) {
    let mut files_by_id: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for spec in &loaded.specs {
        files_by_id
            .entry(spec.id.clone())
            .or_default()
            .push(spec.path.clone());
    }
    let specs = std::mem::take(&mut loaded.specs);
    for spec in specs {
        let files = &files_by_id[&spec.id];
        if files.len() > 1 {
            let others: Vec<String> = files
                .iter()
                .filter(|p| **p != spec.path)
                .map(|p| p.display().to_string())
                .collect();
            loaded.problems.push(SpecProblem {
                error: format!(
                    "duplicate loop id {:?} (also in {}); give each loop its own id",
                    spec.id,
                    others.join(", ")
                ),
                path: spec.path,
            });
        } else {
            loaded.specs.push(spec);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(doc: Value) -> Result<ScheduledSpec, String> {
        ScheduledSpec::from_document(doc, Path::new("x.json"))
    }

    #[test]
    fn reads_scheduler_fields_with_defaults() {
        let s = spec(
            json!({"id": "a", "kind": "git-commit-triage", "phase": "L1",
            "target": {"repo": "/r", "refs": ["main"]}, "budget": {}}),
        )
        .unwrap();
        assert_eq!(s.priority, DEFAULT_PRIORITY);
        assert!(!s.paused && s.cadence.is_none() && s.stop_after.is_none());
        assert_eq!(s.target_repo.as_deref(), Some("/r"));
        assert!(!s.writes_target());
    }

    #[test]
    fn relative_repos_resolve_against_the_spec_file() {
        let doc = json!({"id": "a", "kind": "k", "target": {"repo": "../repo"}});
        let s = ScheduledSpec::from_document(doc.clone(), Path::new("/srv/loops/a.json")).unwrap();
        assert_eq!(s.target_repo.as_deref(), Some("/srv/loops/../repo"));
        let s = ScheduledSpec::from_document(doc, Path::new("")).unwrap();
        assert_eq!(s.target_repo.as_deref(), Some("../repo"));
    }

    #[test]
    fn field_errors_name_the_field() {
        for (doc, field) in [
            (json!({"kind": "k"}), "`id`"),
            (json!({"id": "a::b", "kind": "k"}), "`id`"),
            (
                json!({"id": "a", "kind": "k", "cadence": "sometimes"}),
                "`cadence`",
            ),
            (
                json!({"id": "a", "kind": "k", "priority": "high"}),
                "`priority`",
            ),
            (
                json!({"id": "a", "kind": "k", "stop_after": "tomorrow"}),
                "`stop_after`",
            ),
            (json!({"id": "a", "kind": "k", "paused": "yes"}), "`paused`"),
            (json!([1]), "JSON object"),
        ] {
            let err = spec(doc).unwrap_err();
            assert!(err.contains(field), "{err}");
        }
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_json_never_panics(text in "\\PC{0,200}") {
            if let Ok(doc) = serde_json::from_str::<Value>(&text) {
                let _ = spec(doc);
            }
        }
    }
}
