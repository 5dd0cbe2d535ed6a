//! The eval task set: reading `<dir>/<id>/task.json` + `<dir>/<id>/repo/`, making a task's git
//! repository, and judging a proposed branch.
//!
//! Guarantees: a task directory that is unreadable, has no `task.json`, holds invalid JSON, a
//! missing field, an id that differs from its directory name, or a `repo/` with a symlink or a
//! special file is an error naming the file and the fix — never skipped. A branch is judged
//! solved only when its diff against the base is non-empty and integrity-clean and the test
//! command passes on it inside the OS sandbox.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// Where a task's code came from.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// `owner/name` on GitHub.
    pub repo: String,
    /// The commit that fixed the bug (its test and the fixed code are from here).
    pub fix_commit: String,
    /// The fix's parent (the buggy code is from here).
    pub parent_commit: String,
    /// The fix commit's subject line.
    pub subject: String,
    /// Paths in the source repository and where they live in the task's `repo/`.
    pub files: Vec<SourceFile>,
    /// SPDX identifier of the source repository's licence.
    pub license: String,
    /// What was changed from the source to make the task run stand-alone (empty: nothing).
    #[serde(default)]
    pub adapted: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    /// The path in the source repository.
    pub path: String,
    /// The path in the task's `repo/`.
    pub task_path: String,
    /// `buggy` (from the parent) or `test` (from the fix commit) or `support`.
    pub role: String,
}

/// One task (`task.json`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: String,
    pub language: String,
    /// The change request given to the maker.
    pub task: String,
    /// The verifier, run in the repository root.
    pub test_command: String,
    pub source: Source,
    /// The upstream fix as a unified diff against `repo/` (for scripted makers and checks).
    pub fix_patch: String,
    /// The task's directory (filled in when loaded).
    #[serde(skip)]
    pub dir: PathBuf,
}

/// A task id: lowercase ASCII letters, digits and `-`, 1–60 characters, not starting with `-`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 60
        && !id.starts_with('-')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parse one `task.json` text found in directory `dir_name`.
pub fn parse_task(text: &str, dir_name: &str, origin: &str) -> Result<Task, String> {
    let task: Task = serde_json::from_str(text)
        .map_err(|e| format!("{origin}: not a task ({e}); see docs/agents.md for the fields"))?;
    if !valid_id(&task.id) {
        return Err(format!(
            "{origin}: id {:?} is not a task id (lowercase letters, digits and '-', at most 60)",
            task.id
        ));
    }
    if task.id != dir_name {
        return Err(format!(
            "{origin}: id {:?} differs from its directory {dir_name:?}; rename one",
            task.id
        ));
    }
    for (field, value) in [
        ("task", &task.task),
        ("test_command", &task.test_command),
        ("language", &task.language),
        ("fix_patch", &task.fix_patch),
        ("source.license", &task.source.license),
    ] {
        if value.trim().is_empty() {
            return Err(format!("{origin}: `{field}` is empty; fill it in"));
        }
    }
    Ok(task)
}

/// Every task under `dir`, sorted by id.
pub fn load_dir(dir: &Path) -> Result<Vec<Task>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "--tasks {}: cannot read the task set ({e}); run from the repository root or pass --tasks DIR",
            dir.display()
        )
    })?;
    let mut tasks = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("{}: {e}", dir.display()))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        if !kind.is_dir() {
            continue; // README.md, manifest.json
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let file = path.join("task.json");
        let origin = file.display().to_string();
        let text = std::fs::read_to_string(&file).map_err(|e| {
            format!("{origin}: cannot read it ({e}); every task directory needs a task.json")
        })?;
        let mut task = parse_task(&text, &name, &origin)?;
        if !path.join("repo").is_dir() {
            return Err(format!(
                "{}: no repo/ directory; a task's code lives in <id>/repo/",
                path.display()
            ));
        }
        task.dir = path;
        tasks.push(task);
    }
    if tasks.is_empty() {
        return Err(format!(
            "--tasks {}: no task directories (each needs task.json and repo/)",
            dir.display()
        ));
    }
    tasks.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(tasks)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| format!("infra: creating {}: {e}", to.display()))?;
    let entries =
        std::fs::read_dir(from).map_err(|e| format!("reading {}: {e}", from.display()))?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("reading {}: {e}", from.display()))?;
        let src = entry.path();
        let dst = to.join(entry.file_name());
        let kind = entry
            .file_type()
            .map_err(|e| format!("{}: {e}", src.display()))?;
        if kind.is_dir() {
            copy_tree(&src, &dst)?;
        } else if kind.is_file() {
            std::fs::copy(&src, &dst).map_err(|e| format!("copying {}: {e}", src.display()))?;
        } else {
            return Err(format!(
                "{}: a task's repo/ holds only regular files and directories (symlinks and special files are refused)",
                src.display()
            ));
        }
    }
    Ok(())
}

/// Makes `dest` a git repository on `main` whose one commit holds the task's `repo/`.
pub fn materialise(task: &Task, dest: &Path) -> Result<(), String> {
    copy_tree(&task.dir.join("repo"), dest)?;
    let git = |op: &str, e: git2::Error| {
        format!("infra: git {op} in {}: {}", dest.display(), e.message())
    };
    let mut opts = git2::RepositoryInitOptions::new();
    opts.initial_head("main");
    let repo = git2::Repository::init_opts(dest, &opts).map_err(|e| git("init", e))?;
    let mut index = repo.index().map_err(|e| git("index", e))?;
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .map_err(|e| git("add", e))?;
    index.write().map_err(|e| git("index write", e))?;
    let tree_id = index.write_tree().map_err(|e| git("write-tree", e))?;
    let tree = repo.find_tree(tree_id).map_err(|e| git("tree", e))?;
    let sig = git2::Signature::new(
        "strive eval",
        "eval@strive.invalid",
        &git2::Time::new(1_700_000_000, 0),
    )
    .map_err(|e| git("signature", e))?;
    let message = format!(
        "task {} (from {} {})",
        task.id, task.source.repo, task.source.parent_commit
    );
    repo.commit(Some("HEAD"), &sig, &sig, &message, &tree, &[])
        .map_err(|e| git("commit", e))?;
    Ok(())
}

/// The unified diff between `main` and `branch` in `repo`.
pub fn branch_diff(repo: &Path, branch: &str) -> Result<String, String> {
    let git = |op: &str, e: git2::Error| format!("infra: git {op}: {}", e.message());
    let r = git2::Repository::open(repo).map_err(|e| git("open", e))?;
    let tree_of = |name: &str| {
        r.revparse_single(name)
            .and_then(|o| o.peel_to_commit())
            .and_then(|c| c.tree())
    };
    let base = tree_of("main").map_err(|e| git("main", e))?;
    let head = tree_of(branch).map_err(|e| git(branch, e))?;
    let diff = r
        .diff_tree_to_tree(Some(&base), Some(&head), None)
        .map_err(|e| git("diff", e))?;
    let mut out = Vec::new();
    diff.print(git2::DiffFormat::Patch, |_, _, line| {
        if matches!(line.origin(), '+' | '-' | ' ') {
            out.push(line.origin() as u8);
        }
        out.extend_from_slice(line.content());
        true
    })
    .map_err(|e| git("diff print", e))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `Ok` when `branch` is solved: a non-empty, integrity-clean diff against `main` on which
/// `test_command` passes in a fresh sandboxed worktree. `Err` says why not.
pub fn judge(
    repo: &Path,
    branch: &str,
    test_command: &str,
    sandbox: strive_worktree::SandboxPolicy,
) -> Result<(), String> {
    let diff = branch_diff(repo, branch)?;
    if diff.trim().is_empty() {
        return Err(format!("branch {branch} changes nothing"));
    }
    match strive_core::integrity::scan_diff(&diff) {
        Ok(report) if report.clean => {}
        Ok(report) => {
            let issues: Vec<String> = report
                .findings
                .iter()
                .map(|f| format!("{}: {}", f.file, f.issue))
                .collect();
            return Err(format!("integrity scan: {}", issues.join("; ")));
        }
        Err(e) => return Err(format!("integrity scan: the diff does not parse ({e})")),
    }
    let guard: Arc<dyn strive_worktree::CommandGuard> =
        Arc::new(strive_core::guard::Guard::default());
    let tree = strive_worktree::Worktree::builder(repo, branch, "eval-judge")
        .sandbox(sandbox)
        .create(guard)
        .map_err(|e| format!("infra: a worktree on {branch}: {e}"))?;
    let outcome = tree.verify(test_command, strive_worktree::RunLimits::default());
    let _ = tree.cleanup(false);
    match outcome {
        Ok(t) if t.passed => Ok(()),
        Ok(t) => Err(format!(
            "tests fail on {branch} when eval re-runs them: {}",
            t.output.tail_lines(3).trim()
        )),
        Err(e) => Err(format!("re-running the tests on {branch}: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn doc(id: &str) -> serde_json::Value {
        serde_json::json!({
            "id": id, "language": "python", "task": "fix it", "test_command": "true",
            "source": {"repo": "o/r", "fix_commit": "a", "parent_commit": "b", "subject": "s",
                "files": [{"path": "x.py", "task_path": "x.py", "role": "buggy"}], "license": "MIT"},
            "fix_patch": "diff --git a/x.py b/x.py\n"
        })
    }

    #[test]
    fn a_complete_task_parses_and_a_mismatched_id_does_not() {
        let text = doc("py-one").to_string();
        assert_eq!(parse_task(&text, "py-one", "t").unwrap().id, "py-one");
        assert!(
            parse_task(&text, "py-two", "t")
                .unwrap_err()
                .contains("differs")
        );
        let mut extra = doc("py-one");
        extra["surprise"] = serde_json::json!(1);
        assert!(parse_task(&extra.to_string(), "py-one", "t").is_err());
        let mut empty = doc("py-one");
        empty["test_command"] = serde_json::json!(" ");
        assert!(
            parse_task(&empty.to_string(), "py-one", "t")
                .unwrap_err()
                .contains("test_command")
        );
    }

    proptest! {
        // Any text: parsing never panics, and what parses has a valid id equal to its directory.
        #[test]
        fn parse_never_panics_and_accepts_only_valid_ids(text in ".{0,300}", dir in "[a-zA-Z0-9._-]{0,12}") {
            if let Ok(task) = parse_task(&text, &dir, "t") {
                prop_assert!(valid_id(&task.id));
                prop_assert_eq!(task.id, dir);
            }
        }

        #[test]
        fn ids_round_trip_only_when_valid(id in "[ -~]{0,70}") {
            let parsed = parse_task(&doc(&id).to_string(), &id, "t");
            prop_assert_eq!(parsed.is_ok(), valid_id(&id));
        }
    }
}
