//! Worktree behaviour on real git repositories in temporary directories.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use strive_worktree::{
    Blocked, CheckoutSync, CommandGuard, Exit, FastForward, FastForwardError, PathError, RunError,
    RunLimits, Worktree, WorktreeError, fast_forward,
};

/// Lets everything run: these tests exercise the worktree, not the guard.
pub(crate) struct AllowAll;
impl CommandGuard for AllowAll {
    fn check(&self, _: &str) -> Result<(), Blocked> {
        Ok(())
    }
}

/// Refuses any command containing a word, to show a blocked command never runs.
struct DenyWord(&'static str);
impl CommandGuard for DenyWord {
    fn check(&self, command: &str) -> Result<(), Blocked> {
        if command.contains(self.0) {
            Err(Blocked {
                rule: "test-deny".into(),
                reason: format!("contains {}", self.0),
                alternative: None,
            })
        } else {
            Ok(())
        }
    }
}

pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A repository with one commit on `main`: `lib.txt` and `tests/check.sh`.
pub(crate) fn repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("lib.txt"), "one\n").unwrap();
    std::fs::create_dir(repo.join("tests")).unwrap();
    std::fs::write(repo.join("tests/check.sh"), "grep -q two lib.txt\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "init"]);
    (tmp, repo)
}

fn worktree(tmp: &tempfile::TempDir, repo: &Path) -> Worktree {
    Worktree::builder(repo, "main", "fix-1")
        .parent_dir(tmp.path())
        .create(Arc::new(AllowAll))
        .unwrap()
}

#[test]
fn creates_a_fresh_branch_and_never_overwrites_one() {
    let (tmp, repo) = repo();
    let first = worktree(&tmp, &repo);
    first.write("lib.txt", "two\n").unwrap();
    first.stage_and_diff().unwrap();
    let proposal = first.commit("first proposal").unwrap();
    let first_branch = first.branch().to_owned();
    first.cleanup(true).unwrap();

    // Same loop id, same second: a second branch, the first proposal intact.
    let second = worktree(&tmp, &repo);
    let third = worktree(&tmp, &repo);
    assert!(first_branch.starts_with("loop/fix-1/"));
    assert_ne!(second.branch(), first_branch);
    assert_ne!(third.branch(), second.branch());
    assert_eq!(
        git(&repo, &["rev-parse", &first_branch]),
        proposal.to_string()
    );
    assert_eq!(second.read("lib.txt").unwrap(), "one\n");
}

#[test]
fn invalid_loop_ids_are_refused() {
    let (tmp, repo) = repo();
    for id in ["", "a/b", "../x", "a b", "x.lock", "-x"] {
        let err = Worktree::builder(&repo, "main", id)
            .parent_dir(tmp.path())
            .create(Arc::new(AllowAll))
            .err()
            .unwrap_or_else(|| panic!("{id:?} accepted"));
        assert!(
            matches!(err, WorktreeError::InvalidLoopId(_)),
            "{id:?}: {err}"
        );
    }
}

#[test]
fn unknown_base_ref_is_a_typed_error() {
    let (tmp, repo) = repo();
    let err = Worktree::builder(&repo, "no-such-branch", "x")
        .parent_dir(tmp.path())
        .create(Arc::new(AllowAll))
        .err()
        .unwrap();
    assert!(matches!(err, WorktreeError::BaseNotFound { .. }), "{err}");
}

#[test]
fn sibling_prefix_escape_is_refused() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    // The earlier tool's string-prefix check let `../wtX/…` from `wt` write into sibling `wtX`.
    let sibling = wt.path().parent().unwrap().join("wtX");
    std::fs::create_dir(&sibling).unwrap();
    let err = wt.write("../wtX/pwned.txt", "x").unwrap_err();
    assert!(matches!(err, PathError::ParentComponent(_)), "{err}");
    assert!(!sibling.join("pwned.txt").exists());
    let abs = sibling.join("abs.txt");
    let err = wt.write(abs.to_str().unwrap(), "x").unwrap_err();
    assert!(matches!(err, PathError::Absolute(_)), "{err}");
    assert!(!abs.exists());
    let err = wt.write(".git/config", "x").unwrap_err();
    assert!(matches!(err, PathError::GitMetadata(_)), "{err}");
}

#[test]
fn symlink_escapes_are_refused_for_read_write_and_answers() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), "secret").unwrap();
    std::os::unix::fs::symlink(&outside, wt.path().join("link")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), wt.path().join("file-link")).unwrap();
    std::os::unix::fs::symlink("../../outside/new.txt", wt.path().join("dangling")).unwrap();

    for err in [
        wt.read("link/secret.txt").unwrap_err(),
        wt.read("file-link").unwrap_err(),
        wt.write("link/planted.txt", "x").unwrap_err(),
        wt.write("file-link", "overwritten").unwrap_err(),
        wt.write("dangling", "x").unwrap_err(),
    ] {
        assert!(matches!(err, PathError::Escapes(_)), "{err}");
    }
    assert!(!outside.join("planted.txt").exists());
    assert!(!outside.join("new.txt").exists());
    assert_eq!(
        std::fs::read_to_string(outside.join("secret.txt")).unwrap(),
        "secret"
    );

    // A maker answer with one bad path writes nothing at all.
    let files = vec![
        strive_worktree::FileText {
            path: "ok.txt".into(),
            content: "fine".into(),
        },
        strive_worktree::FileText {
            path: "link/evil.txt".into(),
            content: "x".into(),
        },
    ];
    assert!(matches!(wt.write_files(&files), Err(PathError::Escapes(_))));
    assert!(!wt.path().join("ok.txt").exists());
    // Listing skips symlinks and `.git`.
    assert_eq!(wt.list().unwrap(), vec!["lib.txt", "tests/check.sh"]);
}

#[test]
fn inside_symlinks_and_nested_writes_work() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    std::os::unix::fs::symlink("tests", wt.path().join("t")).unwrap();
    assert_eq!(wt.read("t/check.sh").unwrap(), "grep -q two lib.txt\n");
    wt.write("src/deep/new.rs", "fn main() {}\n").unwrap();
    assert_eq!(wt.read("src/deep/new.rs").unwrap(), "fn main() {}\n");
    wt.delete("src/deep/new.rs").unwrap();
    assert!(matches!(
        wt.read("src/deep/new.rs"),
        Err(PathError::NotFound(_))
    ));
}

#[test]
fn blocked_command_never_runs() {
    let (tmp, repo) = repo();
    let wt = Worktree::builder(&repo, "main", "g")
        .parent_dir(tmp.path())
        .create(Arc::new(DenyWord("touch")))
        .unwrap();
    let err = wt.run("touch ran.txt").unwrap_err();
    assert!(
        matches!(err, RunError::Blocked(ref b) if b.rule == "test-deny"),
        "{err}"
    );
    assert!(!wt.path().join("ran.txt").exists());
}

#[test]
fn timeout_kills_the_whole_process_group() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    let limits = RunLimits {
        timeout: Duration::from_millis(300),
        output_cap: 4096,
    };
    let started = Instant::now();
    // A grandchild in the background would outlive a kill of `sh` alone.
    let out = wt
        .run_with("(sleep 3; touch survived.txt) & sleep 30", limits, None)
        .unwrap();
    assert_eq!(out.exit, Exit::TimedOut);
    assert!(!out.success());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    std::thread::sleep(Duration::from_millis(3500));
    assert!(
        !wt.path().join("survived.txt").exists(),
        "grandchild survived the timeout"
    );
}

#[test]
fn output_is_capped_head_and_tail() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    let limits = RunLimits {
        timeout: Duration::from_secs(20),
        output_cap: 1000,
    };
    let out = wt
        .run_with(
            "echo FIRST; yes middle | head -c 1000000; echo; echo LAST",
            limits,
            None,
        )
        .unwrap();
    assert!(out.success());
    assert!(out.truncated);
    assert!(out.stdout.len() < 1200, "{}", out.stdout.len());
    assert!(out.stdout.starts_with("FIRST"));
    assert!(out.stdout.trim_end().ends_with("LAST"));
}

#[test]
fn environment_is_scrubbed() {
    let (tmp, repo) = repo();
    // SAFETY: set before any command of this test spawns; the names are unique to this test.
    unsafe {
        std::env::set_var("STRIVE_TEST_SECRET_TOKEN", "hunter2");
        std::env::set_var("STRIVE_TEST_ALLOWED", "visible");
    }
    let wt = Worktree::builder(&repo, "main", "env")
        .parent_dir(tmp.path())
        .allow_env(["STRIVE_TEST_ALLOWED"])
        .create(Arc::new(AllowAll))
        .unwrap();
    let out = wt.run("env").unwrap();
    assert!(out.success());
    assert!(!out.stdout.contains("hunter2"), "{}", out.stdout);
    assert!(!out.stdout.contains("STRIVE_TEST_SECRET_TOKEN"));
    assert!(out.stdout.contains("STRIVE_TEST_ALLOWED=visible"));
    let home = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("HOME="))
        .unwrap();
    assert!(
        !Path::new(home).starts_with(wt.path()),
        "HOME inside the worktree: {home}"
    );
    assert!(Path::new(home).is_dir());
}

#[test]
fn stdin_reaches_the_command() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    let out = wt
        .run_with("cat", RunLimits::default(), Some(b"{\"hello\": 1}"))
        .unwrap();
    assert_eq!(out.stdout, "{\"hello\": 1}");
}

#[test]
fn verifier_passes_only_on_exit_zero_in_time() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    let limits = RunLimits {
        timeout: Duration::from_secs(10),
        output_cap: 4096,
    };
    let v = wt.verify("sh tests/check.sh", limits).unwrap();
    assert!(!v.passed);
    assert_eq!(v.output.exit, Exit::Code(1));
    wt.write("lib.txt", "two\n").unwrap();
    assert!(wt.verify("sh tests/check.sh", limits).unwrap().passed);
    let slow = RunLimits {
        timeout: Duration::from_millis(200),
        output_cap: 4096,
    };
    let v = wt.verify("sleep 5", slow).unwrap();
    assert!(!v.passed);
    assert_eq!(v.output.exit, Exit::TimedOut);
}

#[test]
fn stage_and_diff_shows_adds_edits_deletes_and_binaries() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    wt.write("lib.txt", "two\n").unwrap();
    wt.delete("tests/check.sh").unwrap();
    wt.write("new.md", "hello\n").unwrap();
    wt.files()
        .write("blob.bin", &[0, 159, 146, 150, 0, 1])
        .unwrap();
    let diff = wt.stage_and_diff().unwrap();
    assert!(diff.contains("diff --git a/lib.txt b/lib.txt"), "{diff}");
    assert!(diff.contains("-one\n+two\n"), "{diff}");
    assert!(diff.contains("deleted file mode 100644"), "{diff}");
    assert!(diff.contains("+++ b/new.md"), "{diff}");
    assert!(
        diff.contains("Binary files /dev/null and b/blob.bin differ"),
        "{diff}"
    );
}

#[test]
fn files_hidden_by_gitignore_are_still_staged_and_shown() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    wt.write(".gitignore", "conftest.py\n").unwrap();
    wt.write("conftest.py", "collect_ignore = ['tests']\n")
        .unwrap();
    let diff = wt.stage_and_diff().unwrap();
    assert!(diff.contains("+++ b/conftest.py"), "{diff}");
    assert!(diff.contains("+collect_ignore"), "{diff}");
}

#[test]
fn ignored_artefacts_stay_out_of_the_index_but_are_still_in_the_scanned_diff() {
    let (tmp, repo) = repo();
    // The repository itself ignores caches and a conftest (a tracked file stays tracked).
    std::fs::write(repo.join(".gitignore"), "__pycache__/\nconftest.py\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "ignore"]);
    let wt = worktree(&tmp, &repo);
    wt.write("lib.txt", "two\n").unwrap();
    wt.write("__pycache__/lib.cpython-312.pyc", "cache\n")
        .unwrap();
    wt.write("conftest.py", "collect_ignore = ['tests']\n")
        .unwrap();
    // The maker wrote conftest.py by name; the cache is a test artefact.
    let got = wt
        .stage_and_diff_keeping(&|p: &str| p == "conftest.py")
        .unwrap();
    assert!(got.staged.contains("+two"), "{}", got.staged);
    assert!(got.staged.contains("+++ b/conftest.py"), "{}", got.staged);
    assert!(!got.staged.contains("__pycache__"), "{}", got.staged);
    // Everything present is still scanned.
    assert!(
        got.present.contains("__pycache__/lib.cpython-312.pyc"),
        "{}",
        got.present
    );
    assert!(got.present.contains("+collect_ignore"), "{}", got.present);
    assert!(got.present.contains("+two"), "{}", got.present);
    let oid = wt.commit("fix").unwrap();
    let files = git(&repo, &["ls-tree", "-r", "--name-only", &oid.to_string()]);
    assert!(!files.contains("__pycache__"), "{files}");
    assert!(files.contains("conftest.py"), "{files}");
    // Nothing left out: the two diffs agree.
    let wt2 = Worktree::builder(&repo, "main", "fix-2")
        .parent_dir(tmp.path())
        .create(Arc::new(AllowAll))
        .unwrap();
    wt2.write("lib.txt", "two\n").unwrap();
    let got = wt2.stage_and_diff_keeping(&|_| false).unwrap();
    assert_eq!(got.staged, got.present);
}

#[test]
fn patch_paths_and_private_dirs() {
    let patch = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1 @@\n-x\n+y\ndiff --git a/old.txt b/new.txt\nsimilarity index 100%\nrename from old.txt\nrename to new.txt\n";
    assert_eq!(
        Worktree::patch_paths(patch),
        vec!["a.py".to_string(), "old.txt".into(), "new.txt".into()]
    );
    assert!(Worktree::patch_paths("not a diff").is_empty());
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    let dir = wt.private_dir("agent-hooks").unwrap();
    assert!(dir.is_dir() && !dir.starts_with(wt.path()));
    assert_eq!(wt.private_dir("agent-hooks").unwrap(), dir);
    for bad in ["", "wt", "home", "..", "a/b"] {
        assert!(wt.private_dir(bad).is_err(), "{bad}");
    }
}

#[test]
fn reset_restores_the_base_and_removes_untracked_files() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    wt.write("lib.txt", "changed\n").unwrap();
    wt.write("junk/new.txt", "x").unwrap();
    wt.stage_and_diff().unwrap();
    wt.reset().unwrap();
    assert_eq!(wt.read("lib.txt").unwrap(), "one\n");
    assert!(!wt.path().join("junk").exists());
    assert_eq!(wt.stage_and_diff().unwrap(), "");
}

#[test]
fn commit_uses_the_fixed_identity_and_refuses_empty_commits() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    wt.stage_and_diff().unwrap();
    assert!(matches!(
        wt.commit("nothing"),
        Err(WorktreeError::NothingToCommit)
    ));
    wt.write("lib.txt", "two\n").unwrap();
    wt.stage_and_diff().unwrap();
    let oid = wt.commit("loop(fix-1): make it two").unwrap();
    assert_eq!(wt.head().unwrap(), oid);
    let author = git(&repo, &["log", "-1", "--format=%an <%ae>", wt.branch()]);
    assert_eq!(author, "strive <strive@localhost>");
    assert_eq!(
        git(&repo, &["rev-parse", "main"]),
        wt.base_oid().to_string()
    );
}

#[test]
fn patches_apply_and_escaping_patches_are_refused() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    let patch =
        "diff --git a/lib.txt b/lib.txt\n--- a/lib.txt\n+++ b/lib.txt\n@@ -1 +1 @@\n-one\n+two\n";
    let mtime_secs = || {
        std::fs::metadata(wt.path().join("lib.txt"))
            .unwrap()
            .modified()
            .unwrap()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
    };
    let before = mtime_secs();
    wt.apply_patch(patch).unwrap();
    assert_eq!(wt.read("lib.txt").unwrap(), "two\n");
    // A same-size change lands in a later whole second (stale bytecode caches see it).
    assert!(mtime_secs() > before);

    let escape = "diff --git a/../wtX/p.txt b/../wtX/p.txt\nnew file mode 100644\n--- /dev/null\n+++ b/../wtX/p.txt\n@@ -0,0 +1 @@\n+x\n";
    let err = wt.apply_patch(escape).unwrap_err();
    assert!(
        matches!(err, WorktreeError::Path(PathError::ParentComponent(_))),
        "{err}"
    );
    assert!(!wt.path().parent().unwrap().join("wtX/p.txt").exists());

    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::os::unix::fs::symlink(&outside, wt.path().join("link")).unwrap();
    let through_link = "diff --git a/link/p.txt b/link/p.txt\nnew file mode 100644\n--- /dev/null\n+++ b/link/p.txt\n@@ -0,0 +1 @@\n+x\n";
    let err = wt.apply_patch(through_link).unwrap_err();
    assert!(
        matches!(err, WorktreeError::Path(PathError::Escapes(_))),
        "{err}"
    );
    assert!(!outside.join("p.txt").exists());

    let symlink = "diff --git a/l b/l\nnew file mode 120000\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+/etc\n\\ No newline at end of file\n";
    let err = wt.apply_patch(symlink).unwrap_err();
    assert!(matches!(err, WorktreeError::PatchRefused(_)), "{err}");
    assert!(wt.apply_patch("not a patch").is_err());
}

#[test]
fn cleanup_removes_the_directory_and_keeps_or_deletes_the_branch() {
    let (tmp, repo) = repo();
    let kept = worktree(&tmp, &repo);
    let (kept_path, kept_branch) = (kept.path().to_owned(), kept.branch().to_owned());
    kept.cleanup(true).unwrap();
    assert!(!kept_path.exists());
    git(&repo, &["rev-parse", "--verify", &kept_branch]);
    assert!(!git(&repo, &["worktree", "list"]).contains(kept_path.to_str().unwrap()));

    let dropped = worktree(&tmp, &repo);
    let (dropped_path, dropped_branch) = (dropped.path().to_owned(), dropped.branch().to_owned());
    dropped.cleanup(false).unwrap();
    assert!(!dropped_path.exists());
    assert!(!git(&repo, &["branch", "--list", &dropped_branch]).contains("loop/"));
    // The earlier proposal survives another worktree's cleanup.
    git(&repo, &["rev-parse", "--verify", &kept_branch]);

    let on_drop = worktree(&tmp, &repo);
    let p = on_drop.path().to_owned();
    drop(on_drop);
    assert!(!p.exists());
}

fn committed_attempt(tmp: &tempfile::TempDir, repo: &Path) -> (Worktree, strive_worktree::Oid) {
    let wt = worktree(tmp, repo);
    wt.write("docs.md", "fixed\n").unwrap();
    wt.stage_and_diff().unwrap();
    let c = wt.commit("fix").unwrap();
    (wt, c)
}

#[test]
fn fast_forward_moves_base_when_it_has_not_moved() {
    let (tmp, repo) = repo();
    // The base branch is not checked out anywhere.
    git(&repo, &["checkout", "-q", "--detach"]);
    let (wt, commit) = committed_attempt(&tmp, &repo);
    let outcome = fast_forward(&repo, "main", wt.base_oid(), commit).unwrap();
    assert_eq!(
        outcome,
        FastForward::Merged {
            old: wt.base_oid(),
            new: commit,
            checkout: CheckoutSync::NotCheckedOut
        }
    );
    assert_eq!(git(&repo, &["rev-parse", "main"]), commit.to_string());
}

#[test]
fn fast_forward_refuses_when_base_moved_and_keeps_the_landed_commit() {
    let (tmp, repo) = repo();
    let (wt, commit) = committed_attempt(&tmp, &repo);
    // Someone lands a commit on main during the run.
    std::fs::write(repo.join("other.txt"), "landed\n").unwrap();
    git(&repo, &["add", "other.txt"]);
    git(&repo, &["commit", "-qm", "landed meanwhile"]);
    let landed = git(&repo, &["rev-parse", "main"]);

    let outcome = fast_forward(&repo, "main", wt.base_oid(), commit).unwrap();
    match outcome {
        FastForward::BaseMoved { expected, current } => {
            assert_eq!(expected, wt.base_oid());
            assert_eq!(current.to_string(), landed);
        }
        other => panic!("expected BaseMoved, got {other:?}"),
    }
    assert_eq!(
        git(&repo, &["rev-parse", "main"]),
        landed,
        "landed commit lost"
    );
    assert_eq!(
        git(&repo, &["rev-parse", wt.branch()]),
        commit.to_string(),
        "proposal lost"
    );
}

#[test]
fn fast_forward_refuses_a_dirty_checkout_and_updates_a_clean_one() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    wt.write("lib.txt", "two\n").unwrap();
    wt.delete("tests/check.sh").unwrap();
    wt.stage_and_diff().unwrap();
    let commit = wt.commit("fix").unwrap();

    std::fs::write(repo.join("scratch.txt"), "user's work\n").unwrap();
    let outcome = fast_forward(&repo, "main", wt.base_oid(), commit).unwrap();
    assert!(
        matches!(outcome, FastForward::BaseCheckedOutDirty { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        git(&repo, &["rev-parse", "main"]),
        wt.base_oid().to_string()
    );

    std::fs::remove_file(repo.join("scratch.txt")).unwrap();
    let outcome = fast_forward(&repo, "refs/heads/main", wt.base_oid(), commit).unwrap();
    assert!(
        matches!(
            outcome,
            FastForward::Merged {
                checkout: CheckoutSync::Updated(_),
                ..
            }
        ),
        "{outcome:?}"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("lib.txt")).unwrap(),
        "two\n"
    );
    assert!(!repo.join("tests/check.sh").exists());
    assert_eq!(git(&repo, &["status", "--porcelain"]), "");
}

#[test]
fn fast_forward_rejects_non_branches_and_non_fast_forwards() {
    let (tmp, repo) = repo();
    let (wt, commit) = committed_attempt(&tmp, &repo);
    git(&repo, &["tag", "v1"]);
    assert!(matches!(
        fast_forward(&repo, "v1", wt.base_oid(), commit),
        Err(FastForwardError::NotABranch(_))
    ));
    // Going backwards is not a fast-forward.
    assert!(matches!(
        fast_forward(&repo, "main", commit, wt.base_oid()),
        Err(FastForwardError::NotFastForward { .. })
    ));
}

mod patch_parsing {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn arbitrary_patches_never_panic_and_never_write_outside(
            body in "(diff --git a/[a-z./]{1,8} b/[a-z./]{1,8}\n|--- [a-z/.]{1,10}\n|\\+\\+\\+ [a-z/.]{1,10}\n|@@ -[0-9],[0-9] \\+[0-9],[0-9] @@\n|[-+ ][a-z]{0,6}\n|new file mode 100644\n){0,12}"
        ) {
            let (tmp, repo) = repo();
            let wt = worktree(&tmp, &repo);
            let _ = wt.apply_patch(&body);
            let outside: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
            prop_assert_eq!(outside.len(), 2, "{:?}", outside); // `repo` and the worktree holder
        }
    }
}

#[test]
fn the_core_guard_blocks_with_its_rule_id_and_nothing_runs() {
    let (tmp, repo) = repo();
    let wt = Worktree::builder(&repo, "main", "core-guard")
        .parent_dir(tmp.path())
        .create(Arc::new(strive_core::guard::Guard::default()))
        .unwrap();
    let err = wt
        .run("echo hi > marker.txt && git push origin +main")
        .unwrap_err();
    match err {
        RunError::Blocked(b) => assert!(b.rule.starts_with("git."), "{b}"),
        other => panic!("expected a block, got {other}"),
    }
    assert!(!wt.path().join("marker.txt").exists());
    assert!(wt.run("grep -c one lib.txt").unwrap().success());
}

#[test]
fn snapshot_takes_text_files_within_the_budget_and_names_the_rest() {
    let (tmp, repo) = repo();
    let wt = worktree(&tmp, &repo);
    wt.write(".gitignore", "target/\n").unwrap();
    wt.write("target/huge.log", &"x".repeat(10_000)).unwrap();
    wt.write("big.txt", &"y".repeat(5_000)).unwrap();
    wt.files()
        .write("img.png", &[0x89, 0x50, 0xff, 0xfe])
        .unwrap();
    let snap = wt.snapshot(1_000).unwrap();
    let taken: Vec<&str> = snap.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(taken, vec![".gitignore", "lib.txt", "tests/check.sh"]);
    assert_eq!(snap.files[1].content, "one\n");
    assert_eq!(
        snap.omitted,
        vec!["big.txt", "img.png"],
        "ignored files are not even named"
    );
}
