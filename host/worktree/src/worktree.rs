//! One attempt's git worktree: creation on a fresh branch, confined files, guarded commands,
//! stage-and-diff, reset, commit and cleanup.
//!
//! Guarantees:
//! - The branch is new: creation never overwrites or deletes an existing branch. Names are
//!   `loop/<id>/<UTC timestamp>`, with `-2`, `-3`, … appended when taken.
//! - The worktree lives in a private temporary directory of its own (mode 0700), next to a
//!   private `HOME` for commands; nothing is written outside it except git's own metadata
//!   (the branch and `.git/worktrees/<name>` in the target repository).
//! - File access is confined ([`ConfinedDir`]); commands run only through the guard
//!   ([`crate::exec`]).
//! - Cleanup removes the directory and git's worktree record; it deletes only the branch this
//!   worktree created, and only when asked.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use git2::build::CheckoutBuilder;
use git2::{
    ApplyLocation, BranchType, Diff, DiffFormat, DiffOptions, ErrorCode, IndexAddOption, Oid,
    Reference, Repository, ResetType, Signature, WorktreeAddOptions, WorktreePruneOptions,
};
use thiserror::Error;

use crate::exec::{CommandOutput, EnvPolicy, RunError, RunLimits, Secrets, run_guarded};
use crate::fs::{ConfinedDir, FileText};
use crate::guard::CommandGuard;
use crate::path::PathError;
use crate::sandbox::{Confinement, SandboxPolicy};

/// The identity of commits made by the host.
pub const COMMIT_NAME: &str = "strive";
/// The e-mail of commits made by the host.
pub const COMMIT_EMAIL: &str = "strive@localhost";

const MAX_BRANCH_SUFFIX: u32 = 1000;

/// Errors of worktree operations. Each names the operation and, where useful, how to fix it.
#[derive(Debug, Error)]
pub enum WorktreeError {
    #[error("cannot open git repository {path}: {source}")]
    OpenRepo {
        path: PathBuf,
        #[source]
        source: git2::Error,
    },
    #[error("base ref `{base_ref}` does not resolve to a commit in {repo}: {source}")]
    BaseNotFound {
        base_ref: String,
        repo: PathBuf,
        #[source]
        source: git2::Error,
    },
    #[error(
        "loop id `{0}` cannot name a branch: use letters, digits, `.`, `_` and `-` (max 100 chars)"
    )]
    InvalidLoopId(String),
    #[error("no free branch name under `{0}` after {MAX_BRANCH_SUFFIX} tries")]
    BranchNamesExhausted(String),
    #[error("git {op} failed: {source}")]
    Git {
        op: &'static str,
        #[source]
        source: git2::Error,
    },
    #[error("I/O error while {op}: {source}")]
    Io {
        op: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Path(#[from] PathError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error("nothing to commit: the worktree equals its parent commit")]
    NothingToCommit,
    #[error("patch refused: {0}")]
    PatchRefused(String),
}

fn git(op: &'static str) -> impl FnOnce(git2::Error) -> WorktreeError {
    move |source| WorktreeError::Git { op, source }
}

/// Builder for [`Worktree`]: one method per authority granted to the attempt.
pub struct WorktreeBuilder {
    repo: PathBuf,
    base_ref: String,
    loop_id: String,
    parent_dir: Option<PathBuf>,
    env_allow: Vec<String>,
    secret_env: Vec<String>,
    sandbox: SandboxPolicy,
    limits: RunLimits,
}

impl WorktreeBuilder {
    /// The OS sandbox every command of this worktree runs in (default: confined, no network).
    pub fn sandbox(mut self, policy: SandboxPolicy) -> Self {
        self.sandbox = policy;
        self
    }

    /// Host variables whose values are secrets (a maker's key variable, say): never passed to a
    /// command, redacted from its output. Variables whose names look like credentials are
    /// treated so without being named.
    pub fn secret_env<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.secret_env.extend(names.into_iter().map(Into::into));
        self
    }

    /// Where the private temporary directory is created (default: the system temp dir).
    pub fn parent_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.parent_dir = Some(dir.into());
        self
    }

    /// Host environment variable names that commands may see (besides PATH, LANG, HOME, TMPDIR).
    pub fn allow_env<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.env_allow.extend(names.into_iter().map(Into::into));
        self
    }

    /// Default limits for [`Worktree::run`] and [`Worktree::verify`].
    pub fn limits(mut self, limits: RunLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Creates the branch and the worktree; commands go through `guard`.
    pub fn create(self, guard: Arc<dyn CommandGuard>) -> Result<Worktree, WorktreeError> {
        if !valid_loop_id(&self.loop_id) {
            return Err(WorktreeError::InvalidLoopId(self.loop_id));
        }
        let repo = Repository::open(&self.repo).map_err(|source| WorktreeError::OpenRepo {
            path: self.repo.clone(),
            source,
        })?;
        let base = repo
            .revparse_single(&self.base_ref)
            .and_then(|o| o.peel_to_commit())
            .map_err(|source| WorktreeError::BaseNotFound {
                base_ref: self.base_ref.clone(),
                repo: self.repo.clone(),
                source,
            })?;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let stem = format!("loop/{}/{}", self.loop_id, stamp);
        let (branch_name, branch) = create_fresh_branch(&repo, &stem, &base)?;

        let holder = match &self.parent_dir {
            Some(p) => tempfile::Builder::new().prefix("strive-wt-").tempdir_in(p),
            None => tempfile::Builder::new().prefix("strive-wt-").tempdir(),
        }
        .map_err(|source| WorktreeError::Io {
            op: "creating the worktree's temporary directory",
            source,
        })?;
        let home = holder.path().join("home");
        std::fs::create_dir(&home).map_err(|source| WorktreeError::Io {
            op: "creating the commands' HOME",
            source,
        })?;
        let path = holder.path().join("wt");
        let wt_name = branch_name.replace('/', "-");
        let branch_ref = branch.into_reference();
        let mut opts = WorktreeAddOptions::new();
        opts.reference(Some(&branch_ref));
        let added = repo.worktree(&wt_name, &path, Some(&opts));
        if let Err(source) = added {
            // The branch is ours and empty of work: removing it loses nothing.
            let _ = repo
                .find_branch(&branch_name, BranchType::Local)
                .and_then(|mut b| b.delete());
            return Err(WorktreeError::Git {
                op: "worktree add",
                source,
            });
        }
        let files = ConfinedDir::open(&path).map_err(|source| WorktreeError::Io {
            op: "opening the worktree directory",
            source,
        })?;
        // Commands write the worktree's files and their private home, read the repository's
        // git directory (for `git` inside the worktree), and never rewrite the worktree's
        // `.git` link (which would point the host's later commits elsewhere).
        let mut sandbox = Confinement::new(
            &self.sandbox,
            vec![path.clone(), home.clone()],
            vec![repo.commondir().to_path_buf()],
        );
        sandbox.read_only_files.push(path.join(".git"));
        tracing::debug!(branch = %branch_name, path = %path.display(), "worktree created");
        Ok(Worktree {
            repo_path: self.repo,
            base_ref: self.base_ref,
            base_oid: base.id(),
            branch: branch_name,
            wt_name,
            path,
            files,
            env: EnvPolicy {
                home,
                allow: self.env_allow,
                secrets: Secrets::from_host_env(&self.secret_env),
            },
            sandbox,
            limits: self.limits,
            guard,
            holder: Some(holder),
        })
    }
}

fn valid_loop_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && !id.starts_with(['.', '-'])
        && !id.ends_with(".lock")
        && !id.contains("..")
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Creates `stem`, or `stem-2`, `stem-3`, … — libgit2 creates a branch only if the name is free.
fn create_fresh_branch<'r>(
    repo: &'r Repository,
    stem: &str,
    base: &git2::Commit<'_>,
) -> Result<(String, git2::Branch<'r>), WorktreeError> {
    for n in 1..=MAX_BRANCH_SUFFIX {
        let name = if n == 1 {
            stem.to_owned()
        } else {
            format!("{stem}-{n}")
        };
        match repo.branch(&name, base, false) {
            Ok(branch) => return Ok((name, branch)),
            Err(e) if e.code() == ErrorCode::Exists => continue,
            Err(source) => {
                return Err(WorktreeError::Git {
                    op: "branch create",
                    source,
                });
            }
        }
    }
    Err(WorktreeError::BranchNamesExhausted(stem.to_owned()))
}

/// One attempt's isolated checkout. Dropping it without [`Worktree::cleanup`] removes the
/// directory and keeps the branch.
pub struct Worktree {
    repo_path: PathBuf,
    base_ref: String,
    base_oid: Oid,
    branch: String,
    wt_name: String,
    path: PathBuf,
    files: ConfinedDir,
    env: EnvPolicy,
    sandbox: Confinement,
    limits: RunLimits,
    guard: Arc<dyn CommandGuard>,
    holder: Option<tempfile::TempDir>,
}

impl Worktree {
    /// Starts a worktree for loop `loop_id` in `repo`, off `base_ref` (a branch, tag or SHA).
    pub fn builder(
        repo: impl Into<PathBuf>,
        base_ref: impl Into<String>,
        loop_id: impl Into<String>,
    ) -> WorktreeBuilder {
        WorktreeBuilder {
            repo: repo.into(),
            base_ref: base_ref.into(),
            loop_id: loop_id.into(),
            parent_dir: None,
            env_allow: Vec::new(),
            secret_env: Vec::new(),
            sandbox: SandboxPolicy::default(),
            limits: RunLimits::default(),
        }
    }

    /// The worktree directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
    /// The target repository this worktree belongs to.
    pub fn repo_path(&self) -> &Path {
        &self.repo_path
    }
    /// The fresh branch (short name, e.g. `loop/fix/20260101T000000Z`).
    pub fn branch(&self) -> &str {
        &self.branch
    }
    /// The base ref as given.
    pub fn base_ref(&self) -> &str {
        &self.base_ref
    }
    /// The commit `base_ref` pointed at when the worktree was created: the expected old value
    /// for [`crate::fast_forward`].
    pub fn base_oid(&self) -> Oid {
        self.base_oid
    }
    /// Confined file access to this worktree.
    pub fn files(&self) -> &ConfinedDir {
        &self.files
    }
    /// The default limits for commands.
    pub fn limits(&self) -> RunLimits {
        self.limits
    }

    /// Reads a UTF-8 file (confined).
    pub fn read(&self, path: &str) -> Result<String, PathError> {
        self.files.read(path)
    }
    /// Writes a file (confined).
    pub fn write(&self, path: &str, content: &str) -> Result<(), PathError> {
        self.files.write(path, content.as_bytes())
    }
    /// Deletes a file (confined).
    pub fn delete(&self, path: &str) -> Result<(), PathError> {
        self.files.delete(path)
    }
    /// Lists regular files, sorted, without `.git`.
    pub fn list(&self) -> Result<Vec<String>, PathError> {
        self.files.list()
    }

    /// Lines matching `pattern` in the text files under `dir` ([`crate::search`]).
    pub fn search(
        &self,
        dir: &str,
        pattern: &str,
        limit: usize,
        deadline: Option<std::time::Instant>,
    ) -> Result<Vec<crate::search::SearchHit>, crate::search::SearchError> {
        crate::search::search(&self.path, &self.files, dir, pattern, limit, deadline)
    }

    /// Writes every file of a maker's answer. All paths are validated before the first write, so
    /// a refused path leaves the worktree untouched.
    pub fn write_files(&self, files: &[FileText]) -> Result<(), PathError> {
        for f in files {
            self.files.check_inside(&f.path)?;
        }
        for f in files {
            self.files.write(&f.path, f.content.as_bytes())?;
        }
        Ok(())
    }

    /// UTF-8 files that git does not ignore, sorted, for a maker's prompt. Files that would push
    /// the total past `max_bytes`, and non-UTF-8 files, are skipped and named in `omitted`.
    pub fn snapshot(&self, max_bytes: usize) -> Result<Snapshot, WorktreeError> {
        let repo = self.open()?;
        let mut snap = Snapshot::default();
        let mut used = 0usize;
        for path in self.files.list()? {
            if repo.is_path_ignored(Path::new(&path)).unwrap_or(true) {
                continue;
            }
            let fits =
                |len: usize| used.saturating_add(len).saturating_add(path.len()) <= max_bytes;
            if !fits(usize::try_from(self.files.size(&path)?).unwrap_or(usize::MAX)) {
                snap.omitted.push(path);
                continue;
            }
            match self.files.read(&path) {
                Ok(content) if fits(content.len()) => {
                    used += content.len() + path.len();
                    snap.files.push(FileText { path, content });
                }
                Ok(_) | Err(PathError::NotText(_)) => snap.omitted.push(path),
                Err(e) => return Err(e.into()),
            }
        }
        Ok(snap)
    }

    /// Runs `command` in the worktree through the guard, with the default limits.
    pub fn run(&self, command: &str) -> Result<CommandOutput, RunError> {
        self.run_with(command, self.limits, None)
    }

    /// Runs `command` with explicit limits and optional standard input.
    pub fn run_with(
        &self,
        command: &str,
        limits: RunLimits,
        stdin: Option<&[u8]>,
    ) -> Result<CommandOutput, RunError> {
        run_guarded(
            &*self.guard,
            &self.path,
            command,
            &self.env,
            &self.sandbox,
            limits,
            stdin,
        )
    }

    /// Runs an external agent program (`argv`, no shell) in the worktree inside the OS sandbox,
    /// after the guard allows `guard_line` (the program and its fixed arguments). `grant` adds,
    /// for this process only, environment variables (a provider key), network access, read
    /// paths (a hook program) and files bind-mounted read-only (its hook settings). The
    /// worktree's secrets are still redacted from the captured output.
    pub fn run_agent(
        &self,
        guard_line: &str,
        argv: &[String],
        grant: &AgentGrant,
        limits: RunLimits,
    ) -> Result<CommandOutput, RunError> {
        self.guard.check_in(guard_line, &self.path)?;
        let mut sandbox = self.sandbox.clone();
        if let Some(network) = &grant.network {
            sandbox.network = network.clone();
        }
        sandbox
            .read
            .extend(grant.read.iter().filter(|p| p.exists()).cloned());
        sandbox
            .read_only_files
            .extend(grant.read_only_files.iter().cloned());
        sandbox.write.extend(grant.write.iter().cloned());
        let mut env = self.env.environment();
        for (k, v) in &grant.env {
            env.retain(|(name, _)| name != k);
            env.push((k.clone(), v.clone()));
        }
        crate::exec::run_confined_env(
            &self.path,
            argv,
            env,
            &self.env.secrets,
            &sandbox,
            limits,
            None,
        )
    }

    /// Runs the test command as the verifier: passes only on exit 0 within the timeout.
    pub fn verify(&self, test_command: &str, limits: RunLimits) -> Result<TestOutcome, RunError> {
        let output = self.run_with(test_command, limits, None)?;
        Ok(TestOutcome {
            passed: output.success(),
            output,
        })
    }

    /// Stages every change — new, modified, deleted, **and files `.gitignore` would hide** — and
    /// returns the unified diff of the worktree against the base commit. Ignored files are
    /// included because whatever is present when the tests run must be scanned and proposed:
    /// otherwise a maker could hide a test-disabling file behind a `.gitignore` entry. Call it
    /// after the maker and before the verifier, so test artefacts are not staged. Binary files
    /// appear as `Binary files a/x and b/x differ`.
    pub fn stage_and_diff(&self) -> Result<String, WorktreeError> {
        Ok(self.stage_and_diff_keeping(&|_| true)?.staged)
    }

    /// Like [`Worktree::stage_and_diff`], but an untracked file that `.gitignore` hides is
    /// staged only when `keep_ignored(path)` says so (a file the maker wrote by name); the
    /// others — test artefacts such as `__pycache__` — stay out of the index, and so out of the
    /// proposal, yet are still in [`StagedDiff::present`], the diff of everything present in
    /// the worktree, for the integrity scan. Tracked files are always staged.
    pub fn stage_and_diff_keeping(
        &self,
        keep_ignored: &dyn Fn(&str) -> bool,
    ) -> Result<StagedDiff, WorktreeError> {
        let repo = self.open()?;
        let mut index = repo.index().map_err(git("index"))?;
        let tracked: std::collections::HashSet<Vec<u8>> =
            index.iter().map(|e| e.path.clone()).collect();
        let mut left_out = 0usize;
        let mut decide = |path: &Path, _spec: &[u8]| -> i32 {
            let Some(rel) = path.to_str() else { return 0 };
            if tracked.contains(rel.as_bytes()) {
                return 0;
            }
            // Unknown ignore status counts as not ignored: staged, never hidden.
            if repo.is_path_ignored(path).unwrap_or(false) && !keep_ignored(rel) {
                left_out += 1;
                return 1;
            }
            0
        };
        index
            .add_all(["*"], IndexAddOption::FORCE, Some(&mut decide))
            .map_err(git("add -A"))?;
        index.update_all(["*"], None).map_err(git("add -A"))?;
        index.write().map_err(git("index write"))?;
        let base_tree = repo
            .find_commit(self.base_oid)
            .and_then(|c| c.tree())
            .map_err(git("base tree"))?;
        let staged = repo
            .diff_tree_to_index(
                Some(&base_tree),
                Some(&index),
                Some(&mut DiffOptions::new()),
            )
            .map_err(git("diff"))?;
        let staged = render_patch(&staged)?;
        if left_out == 0 {
            return Ok(StagedDiff {
                present: staged.clone(),
                staged,
            });
        }
        // Everything present: the left-out files added to the in-memory index only (the
        // index on disk, which a commit reads, keeps them out), then re-read from disk.
        index
            .add_all(["*"], IndexAddOption::FORCE, None)
            .map_err(git("add -A --force"))?;
        let present = repo
            .diff_tree_to_index(
                Some(&base_tree),
                Some(&index),
                Some(&mut DiffOptions::new()),
            )
            .map_err(git("diff of the worktree"))?;
        let present = render_patch(&present)?;
        index.read(true).map_err(git("index re-read"))?;
        Ok(StagedDiff { staged, present })
    }

    /// The files a unified diff names (both sides, deduplicated), as worktree-relative paths;
    /// empty for text that is not a diff.
    pub fn patch_paths(patch: &str) -> Vec<String> {
        let Ok(diff) = Diff::from_buffer(patch.as_bytes()) else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for delta in diff.deltas() {
            for file in [delta.old_file(), delta.new_file()] {
                if let Some(p) = file.path().and_then(|p| p.to_str())
                    && !out.iter().any(|o| o == p)
                {
                    out.push(p.to_owned());
                }
            }
        }
        out
    }

    /// A directory `name` in the worktree's private temporary directory, beside the worktree
    /// and the commands' `HOME` (created if missing; mode 0700 like its parent). Commands do
    /// not see it unless a grant names it ([`AgentGrant::write`]).
    pub fn private_dir(&self, name: &str) -> Result<PathBuf, WorktreeError> {
        if name.is_empty()
            || matches!(name, "wt" | "home" | "." | "..")
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        {
            return Err(WorktreeError::Io {
                op: "naming a private directory (letters, digits, `-`, `_`; not wt or home)",
                source: std::io::Error::from(std::io::ErrorKind::InvalidInput),
            });
        }
        let holder = self.path.parent().ok_or_else(|| WorktreeError::Io {
            op: "finding the worktree's private directory",
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        })?;
        let dir = holder.join(name);
        match std::fs::create_dir(&dir) {
            Ok(()) => Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(dir),
            Err(source) => Err(WorktreeError::Io {
                op: "creating a private directory beside the worktree",
                source,
            }),
        }
    }

    /// Applies a unified diff to the worktree. Refused before any change: paths that fail
    /// confinement, symlinks and submodules.
    pub fn apply_patch(&self, patch: &str) -> Result<(), WorktreeError> {
        let diff = Diff::from_buffer(patch.as_bytes())
            .map_err(|e| WorktreeError::PatchRefused(format!("not a unified diff: {e}")))?;
        if diff.deltas().len() == 0 {
            return Err(WorktreeError::PatchRefused(
                "the patch changes no file".into(),
            ));
        }
        for delta in diff.deltas() {
            // Deltas parsed from a patch carry no EXISTS flag: check both sides unconditionally.
            for file in [delta.old_file(), delta.new_file()] {
                if matches!(file.mode(), git2::FileMode::Link | git2::FileMode::Commit) {
                    return Err(WorktreeError::PatchRefused(
                        "symlinks and submodules may not be created by a patch".into(),
                    ));
                }
                let Some(path) = file.path() else { continue };
                let path = path.to_str().ok_or_else(|| {
                    WorktreeError::PatchRefused("a path in the patch is not UTF-8".into())
                })?;
                self.files.check_inside(path)?;
            }
        }
        let rewritten: Vec<(String, std::time::SystemTime)> = diff
            .deltas()
            .filter_map(|d| d.new_file().path()?.to_str().map(str::to_owned))
            .filter_map(|p| self.files.modified(&p).map(|t| (p, t)))
            .collect();
        let repo = self.open()?;
        repo.apply(&diff, ApplyLocation::WorkDir, None)
            .map_err(|e| WorktreeError::PatchRefused(format!("does not apply: {e}")))?;
        for (path, before) in rewritten {
            self.files.mark_rewritten(&path, before)?;
        }
        Ok(())
    }

    /// Commits the staged index on the worktree's branch with the fixed identity
    /// `strive <strive@localhost>`. Call [`Worktree::stage_and_diff`] first.
    pub fn commit(&self, message: &str) -> Result<Oid, WorktreeError> {
        let repo = self.open()?;
        let mut index = repo.index().map_err(git("index"))?;
        let tree_id = index.write_tree().map_err(git("write-tree"))?;
        let parent = repo
            .head()
            .and_then(|h| h.peel_to_commit())
            .map_err(git("HEAD"))?;
        if parent.tree_id() == tree_id {
            return Err(WorktreeError::NothingToCommit);
        }
        let tree = repo.find_tree(tree_id).map_err(git("find tree"))?;
        let sig = Signature::now(COMMIT_NAME, COMMIT_EMAIL).map_err(git("signature"))?;
        repo.commit(Some("HEAD"), &sig, &sig, message, &tree, &[&parent])
            .map_err(git("commit"))
    }

    /// Returns the worktree and its branch to the base commit: tracked files restored,
    /// untracked and ignored files removed (a clean slate for the next attempt).
    pub fn reset(&self) -> Result<(), WorktreeError> {
        let repo = self.open()?;
        let base = repo
            .find_object(self.base_oid, None)
            .map_err(git("find base"))?;
        let mut checkout = CheckoutBuilder::new();
        checkout.force().remove_untracked(true).remove_ignored(true);
        repo.reset(&base, ResetType::Hard, Some(&mut checkout))
            .map_err(git("reset --hard"))
    }

    /// The commit the worktree's branch points at.
    pub fn head(&self) -> Result<Oid, WorktreeError> {
        let repo = self.open()?;
        repo.refname_to_id("HEAD").map_err(git("HEAD"))
    }

    /// Removes the worktree directory and git's record of it. With `keep_branch` the branch (the
    /// proposal) stays; otherwise the branch this worktree created is deleted.
    pub fn cleanup(mut self, keep_branch: bool) -> Result<(), WorktreeError> {
        self.remove(keep_branch)
    }

    fn remove(&mut self, keep_branch: bool) -> Result<(), WorktreeError> {
        let Some(holder) = self.holder.take() else {
            return Ok(());
        };
        let dir_result = holder.close();
        let repo = Repository::open(&self.repo_path).map_err(|source| WorktreeError::OpenRepo {
            path: self.repo_path.clone(),
            source,
        })?;
        if let Ok(wt) = repo.find_worktree(&self.wt_name) {
            let mut prune = WorktreePruneOptions::new();
            prune.valid(true).working_tree(true);
            wt.prune(Some(&mut prune)).map_err(git("worktree prune"))?;
        }
        if !keep_branch {
            let mut branch = repo
                .find_branch(&self.branch, BranchType::Local)
                .map_err(git("find branch"))?;
            branch.delete().map_err(git("branch delete"))?;
        }
        dir_result.map_err(|source| WorktreeError::Io {
            op: "removing the worktree directory",
            source,
        })
    }

    fn open(&self) -> Result<Repository, WorktreeError> {
        Repository::open(&self.path).map_err(|source| WorktreeError::OpenRepo {
            path: self.path.clone(),
            source,
        })
    }
}

impl Drop for Worktree {
    fn drop(&mut self) {
        if let Err(e) = self.remove(true) {
            tracing::warn!(error = %e, branch = %self.branch, "worktree cleanup on drop failed");
        }
    }
}

/// Files for a maker's prompt.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub files: Vec<FileText>,
    /// Files left out (too large for the remaining budget, or not UTF-8).
    pub omitted: Vec<String>,
}

/// The verifier's judgement of one attempt.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    /// Exit 0 within the timeout; everything else (including a timeout) is a failure.
    pub passed: bool,
    pub output: CommandOutput,
}

/// What one external agent process gets beyond a command's defaults ([`Worktree::run_agent`]).
#[derive(Debug, Clone, Default)]
pub struct AgentGrant {
    /// Variables set for this process only (the provider key the agent needs).
    pub env: Vec<(String, String)>,
    /// Network for this process (`None`: the loop's sandbox setting).
    pub network: Option<crate::sandbox::Network>,
    /// Extra files or directories it may read and execute (a hook program).
    pub read: Vec<PathBuf>,
    /// Files inside the worktree that it must not change (its hook settings).
    pub read_only_files: Vec<PathBuf>,
    /// Extra directories it may write (a private spool its hooks append to).
    pub write: Vec<PathBuf>,
}

/// What [`Worktree::stage_and_diff_keeping`] staged and what the worktree holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedDiff {
    /// The index against the base: what a commit would hold (the proposal).
    pub staged: String,
    /// Everything present in the worktree against the base, ignored files left out of the
    /// index included: what the integrity scan reads. Equal to `staged` when nothing was left
    /// out.
    pub present: String,
}

pub(crate) fn render_patch(diff: &Diff<'_>) -> Result<String, WorktreeError> {
    let mut out = Vec::new();
    diff.print(DiffFormat::Patch, |_, _, line| {
        if matches!(line.origin(), '+' | '-' | ' ') {
            out.push(line.origin() as u8);
        }
        out.extend_from_slice(line.content());
        true
    })
    .map_err(git("diff print"))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// `refs/heads/<name>` for a short or full branch name, if that branch exists.
pub(crate) fn branch_ref<'r>(repo: &'r Repository, name: &str) -> Option<Reference<'r>> {
    let full = if name.starts_with("refs/") {
        name.to_owned()
    } else {
        format!("refs/heads/{name}")
    };
    repo.find_reference(&full)
        .ok()
        .filter(|r| r.name().is_ok_and(|n| n.starts_with("refs/heads/")))
}
