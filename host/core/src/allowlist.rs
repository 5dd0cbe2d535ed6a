//! The L3 merge gate: may this diff be merged without a person looking at it?
//!
//! Guarantees:
//! - **Every changed path is judged.** Deletions, additions, both sides of a rename, both sides
//!   of a copy, binary files and mode-only changes each name a path that must be covered by an
//!   allow glob and by no deny glob. A change the gate cannot see does not exist: the diff is
//!   parsed by [`crate::patch`], and an unparseable diff is an error, never "ok".
//! - **Deny wins.** The default deny list ([`DEFAULT_DENY`]) applies unless the policy sets
//!   `"use_default_deny": false`; deny globs match case-insensitively (so `Auth/` cannot dodge
//!   `**/auth/**` on a case-insensitive checkout), allow globs case-sensitively.
//! - **Globs are globs.** `*` and `?` never cross `/` (globset with `literal_separator`), so
//!   `**/docs/**` does not match `src/notdocs/x` and `**/auth/**` does not match
//!   `docs/oauth/x.md`.
//! - **Binary files and mode changes are refused** unless the policy opts in with
//!   `allow_binary` / `allow_mode_change`; new symlinks and submodules always need a person.
//! - **Caps and integrity.** More files than `max_files` or more changed lines than
//!   `max_lines`, or any integrity finding ([`crate::integrity`]), refuses auto-merge.
//! - **Policies are strict.** Missing required fields, unknown fields (a typo such as
//!   `deny_glob`), wrong types and invalid globs are a [`PolicyError`] naming the field.
//!
//! Mechanics: [`AllowPolicy::from_json`] compiles the globs once; [`evaluate`] walks the parsed
//! [`Patch`], records a verdict per path and collects every reason, then runs the integrity
//! scan on the same parsed patch.

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::integrity;
use crate::patch::{FilePatch, FileStatus, Patch, PatchError};

/// Paths no unattended loop may change without review, applied unless a policy sets
/// `"use_default_deny": false`.
pub const DEFAULT_DENY: &[&str] = &[
    "**/auth/**",
    "**/payments/**",
    "**/billing/**",
    "**/secrets/**",
    "**/credentials/**",
    "**/migrations/**",
    ".github/workflows/**",
    ".github/actions/**",
    ".gitlab-ci.yml",
    "**/*.env",
    "**/.env*",
    "**/*.pem",
    "**/*.key",
    "**/Dockerfile*",
    "**/terraform/**",
    "**/k8s/**",
];

/// Why a policy could not be used.
#[derive(Debug, Error)]
pub enum PolicyError {
    #[error(
        "invalid allowlist policy: {0}. Expected JSON like {{\"allow_globs\": [\"docs/**\"], \"max_files\": 10, \"max_lines\": 200}}"
    )]
    Json(String),
    #[error("invalid allowlist policy: field `{field}`: glob `{glob}` is not valid: {reason}")]
    Glob {
        field: &'static str,
        glob: String,
        reason: String,
    },
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct PolicySpec {
    allow_globs: Vec<String>,
    #[serde(default)]
    deny_globs: Vec<String>,
    max_files: usize,
    max_lines: usize,
    #[serde(default = "yes")]
    use_default_deny: bool,
    #[serde(default)]
    allow_binary: bool,
    #[serde(default)]
    allow_mode_change: bool,
}

fn yes() -> bool {
    true
}

/// A compiled merge-gate policy.
#[derive(Debug, Clone)]
pub struct AllowPolicy {
    spec: PolicySpec,
    allow: GlobSet,
    deny: GlobSet,
    /// Deny globs in match order, for naming the glob that matched.
    deny_list: Vec<String>,
}

impl AllowPolicy {
    /// Parse and compile a policy from its JSON text.
    pub fn from_json(text: &str) -> Result<AllowPolicy, PolicyError> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| PolicyError::Json(e.to_string()))?;
        check_field_types(&value).map_err(PolicyError::Json)?;
        let spec: PolicySpec =
            serde_json::from_value(value).map_err(|e| PolicyError::Json(e.to_string()))?;
        Self::compile(spec)
    }

    /// Build a policy in code. `deny` is added to the default deny list.
    pub fn new(
        allow: &[&str],
        deny: &[&str],
        max_files: usize,
        max_lines: usize,
    ) -> Result<AllowPolicy, PolicyError> {
        Self::compile(PolicySpec {
            allow_globs: allow.iter().map(|s| s.to_string()).collect(),
            deny_globs: deny.iter().map(|s| s.to_string()).collect(),
            max_files,
            max_lines,
            use_default_deny: true,
            allow_binary: false,
            allow_mode_change: false,
        })
    }

    fn compile(spec: PolicySpec) -> Result<AllowPolicy, PolicyError> {
        let allow = build_set("allow_globs", &spec.allow_globs, false)?;
        let mut deny_list: Vec<String> = spec.deny_globs.clone();
        if spec.use_default_deny {
            deny_list.extend(DEFAULT_DENY.iter().map(|s| s.to_string()));
        }
        let deny = build_set("deny_globs", &deny_list, true)?;
        Ok(AllowPolicy {
            spec,
            allow,
            deny,
            deny_list,
        })
    }

    /// The first deny glob matching `path`, if any.
    fn denied_by(&self, path: &str) -> Option<&str> {
        self.deny
            .matches(path)
            .first()
            .map(|&i| self.deny_list[i].as_str())
    }

    fn allowed(&self, path: &str) -> bool {
        self.allow.is_match(path)
    }
}

/// Name the field when a known field has the wrong type (serde alone only says "invalid type").
fn check_field_types(value: &serde_json::Value) -> Result<(), String> {
    let Some(obj) = value.as_object() else {
        return Err("the policy must be a JSON object".into());
    };
    for (field, v) in obj {
        let ok = match field.as_str() {
            "allow_globs" | "deny_globs" => v
                .as_array()
                .is_some_and(|a| a.iter().all(|g| g.is_string())),
            "max_files" | "max_lines" => v.as_u64().is_some(),
            "use_default_deny" | "allow_binary" | "allow_mode_change" => v.is_boolean(),
            _ => continue, // unknown fields are reported by name by serde
        };
        if !ok {
            let want = match field.as_str() {
                "allow_globs" | "deny_globs" => "an array of glob strings",
                "max_files" | "max_lines" => "a non-negative integer",
                _ => "true or false",
            };
            return Err(format!("field `{field}` must be {want}, found {v}"));
        }
    }
    Ok(())
}

fn build_set(
    field: &'static str,
    globs: &[String],
    case_insensitive: bool,
) -> Result<GlobSet, PolicyError> {
    let mut set = GlobSetBuilder::new();
    for g in globs {
        let glob: Glob = GlobBuilder::new(g)
            .literal_separator(true)
            .case_insensitive(case_insensitive)
            .backslash_escape(true)
            .build()
            .map_err(|e| PolicyError::Glob {
                field,
                glob: g.clone(),
                reason: e.kind().to_string(),
            })?;
        set.add(glob);
    }
    set.build().map_err(|e| PolicyError::Glob {
        field,
        glob: globs.join(", "),
        reason: e.to_string(),
    })
}

/// The gate's decision on one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PathVerdict {
    Ok,
    /// Matches a deny glob.
    Denied,
    /// Covered by no allow glob.
    NotAllowed,
    /// Binary content and the policy does not set `allow_binary`.
    Binary,
    /// Mode or file-type change (exec bit, symlink, submodule) not allowed by the policy.
    ModeChange,
}

/// One changed path and what the gate made of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileVerdict {
    pub path: String,
    pub status: FileStatus,
    pub verdict: PathVerdict,
}

/// The gate's answer for a whole diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateVerdict {
    pub auto_ok: bool,
    pub files_changed: usize,
    pub lines_changed: usize,
    /// Every reason auto-merge is refused (empty iff `auto_ok`).
    pub reasons: Vec<String>,
    pub files: Vec<FileVerdict>,
}

/// Parse `diff` and evaluate it. An unparseable diff is an error, never a verdict of "ok".
pub fn evaluate_str(diff: &str, policy: &AllowPolicy) -> Result<GateVerdict, PatchError> {
    Ok(evaluate(&Patch::parse(diff)?, policy))
}

const SYMLINK: u32 = 0o120000;
const SUBMODULE: u32 = 0o160000;

/// Evaluate an already parsed diff against `policy`.
pub fn evaluate(patch: &Patch<'_>, policy: &AllowPolicy) -> GateVerdict {
    let mut reasons = Vec::new();
    let mut files = Vec::new();
    for file in &patch.files {
        for path in file.paths() {
            let verdict = judge_path(file, path, policy, &mut reasons);
            files.push(FileVerdict {
                path: path.to_string(),
                status: file.status,
                verdict,
            });
        }
    }
    let files_changed = files.len();
    let lines_changed = patch.changed_lines();
    if files_changed == 0 {
        reasons.push("no changed files detected in diff".to_string());
    }
    if files_changed > policy.spec.max_files {
        reasons.push(format!(
            "{files_changed} files > max_files {}",
            policy.spec.max_files
        ));
    }
    if lines_changed > policy.spec.max_lines {
        reasons.push(format!(
            "{lines_changed} lines > max_lines {}",
            policy.spec.max_lines
        ));
    }
    let scan = integrity::scan(patch);
    if !scan.clean {
        let listed: Vec<String> = scan
            .findings
            .iter()
            .map(|f| match f.line {
                Some(n) => format!("{} ({}:{n})", f.rule.id(), f.file),
                None => format!("{} ({})", f.rule.id(), f.file),
            })
            .collect();
        reasons.push(format!("verifier tampering: {}", listed.join(", ")));
    }
    GateVerdict {
        auto_ok: reasons.is_empty(),
        files_changed,
        lines_changed,
        reasons,
        files,
    }
}

/// Judge one path of a file entry, pushing every reason that applies; the returned verdict is
/// the most serious one.
fn judge_path(
    file: &FilePatch<'_>,
    path: &str,
    policy: &AllowPolicy,
    reasons: &mut Vec<String>,
) -> PathVerdict {
    let mut verdict = PathVerdict::Ok;
    let mut set = |v: PathVerdict, reason: String, reasons: &mut Vec<String>| {
        if verdict == PathVerdict::Ok {
            verdict = v;
        }
        reasons.push(reason);
    };
    let side = match (file.status, file.old_path.as_deref() == Some(path)) {
        (FileStatus::Renamed, true) => " (renamed from)",
        (FileStatus::Copied, true) => " (copied from)",
        (FileStatus::Deleted, _) => " (deleted)",
        _ => "",
    };
    if let Some(glob) = policy.denied_by(path) {
        set(
            PathVerdict::Denied,
            format!("{path}: matches a deny glob ({glob}){side}"),
            reasons,
        );
    }
    // The source of a copy is read, not changed: it only has to escape the deny list.
    let copy_source = file.status == FileStatus::Copied && file.old_path.as_deref() == Some(path);
    if !copy_source && !policy.allowed(path) {
        set(
            PathVerdict::NotAllowed,
            format!("{path}: not covered by any allow glob{side}"),
            reasons,
        );
    }
    if file.binary && !policy.spec.allow_binary && !copy_source {
        set(
            PathVerdict::Binary,
            format!(
                "{path}: binary file ({}); binary changes need review (policy allow_binary is false)",
                status_word(file.status)
            ),
            reasons,
        );
    }
    let special_type = |m: u32| m & 0o170000 == SYMLINK || m & 0o170000 == SUBMODULE;
    let is_new_side = file.new_path.as_deref() == Some(path);
    if is_new_side && (special_type(file.new_mode) && file.old_mode != file.new_mode) {
        set(
            PathVerdict::ModeChange,
            format!(
                "{path}: becomes a {} (mode {:o}); needs review",
                if file.new_mode & 0o170000 == SYMLINK {
                    "symlink"
                } else {
                    "submodule"
                },
                file.new_mode
            ),
            reasons,
        );
    } else if is_new_side && file.mode_changed() && !policy.spec.allow_mode_change {
        set(
            PathVerdict::ModeChange,
            format!(
                "{path}: mode changed {:o} -> {:o}; mode changes need review (policy allow_mode_change is false)",
                file.old_mode, file.new_mode
            ),
            reasons,
        );
    }
    verdict
}

fn status_word(s: FileStatus) -> &'static str {
    match s {
        FileStatus::Added => "added",
        FileStatus::Deleted => "deleted",
        FileStatus::Modified => "modified",
        FileStatus::Renamed => "renamed",
        FileStatus::Copied => "copied",
        FileStatus::Typechange => "type changed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob_matches(glob: &str, path: &str) -> bool {
        build_set("allow_globs", &[glob.to_string()], false)
            .unwrap()
            .is_match(path)
    }

    #[test]
    fn globset_semantics() {
        let cases = [
            ("**/docs/**", "docs/a.md", true),
            ("**/docs/**", "site/docs/a/b.md", true),
            ("**/docs/**", "src/notdocs/x", false),
            ("**/auth/**", "docs/oauth/x.md", false),
            ("**/auth/**", "app/auth/login.py", true),
            ("*.md", "README.md", true),
            ("*.md", "docs/a.md", false),
            ("**/*.md", "docs/a.md", true),
            ("docs/*", "docs/a/b.md", false),
            ("src/{a,b}/*.rs", "src/b/x.rs", true),
        ];
        for (g, p, want) in cases {
            assert_eq!(glob_matches(g, p), want, "{g} vs {p}");
        }
    }

    #[test]
    fn policy_errors_name_the_field() {
        let e = AllowPolicy::from_json(r#"{"deny_globs": []}"#).unwrap_err();
        assert!(e.to_string().contains("allow_globs"), "{e}");
        let e = AllowPolicy::from_json(
            r#"{"allow_globs": ["x"], "max_files": 1, "max_lines": 1, "deny_glob": []}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("deny_glob"), "{e}");
        let e =
            AllowPolicy::from_json(r#"{"allow_globs": ["a[b"], "max_files": 1, "max_lines": 1}"#)
                .unwrap_err();
        assert!(
            e.to_string().contains("allow_globs") && e.to_string().contains("a[b"),
            "{e}"
        );
        let e =
            AllowPolicy::from_json(r#"{"allow_globs": ["x"], "max_files": -1, "max_lines": 1}"#)
                .unwrap_err();
        assert!(
            e.to_string().contains("max_files") || e.to_string().contains("invalid value"),
            "{e}"
        );
    }

    #[test]
    fn deny_is_case_insensitive_allow_is_not() {
        let p = AllowPolicy::new(&["**"], &[], 10, 10).unwrap();
        assert_eq!(p.denied_by("app/Auth/login.py"), Some("**/auth/**"));
        let q = AllowPolicy::new(&["docs/**"], &[], 10, 10).unwrap();
        assert!(!q.allowed("Docs/a.md"));
    }
}
