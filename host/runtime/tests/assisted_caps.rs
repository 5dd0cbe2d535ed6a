//! The L2/L3 capabilities called directly (no plugin): confinement, the verified-commit rule,
//! the guard, the iteration cap and the wall clock, on a real repository.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use strive_core::budget::Budget;
use strive_runtime::bindings::v0_1::HostError;
use strive_runtime::caps::{self, FixContext, FixSettings};

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
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
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

fn context(root: &Path, budget: Budget) -> FixContext {
    let repo = root.join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("calc.sh"), "echo $(( $1 - $2 ))\n").unwrap();
    std::fs::write(repo.join("test.sh"), "test \"$(sh calc.sh 2 2)\" = 4\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "init"]);
    std::fs::create_dir(root.join("wt")).unwrap();
    FixContext::start(FixSettings {
        repo,
        loop_id: "calc".into(),
        base_ref: "main".into(),
        test_command: "sh test.sh".into(),
        maker: None,
        budget,
        allowlist: None,
        worktree_parent: Some(root.join("wt")),
        snapshot_bytes: caps::DEFAULT_SNAPSHOT_BYTES,
        command_timeout: Duration::from_secs(20),
        sandbox: Default::default(),
        secret_env: Vec::new(),
        max_turns: strive_vocab::DEFAULT_MAX_TURNS,
    })
    .unwrap()
}

fn budget(iterations: u64) -> Budget {
    Budget {
        max_iterations: Some(iterations),
        ..Budget::default()
    }
}

#[test]
fn writes_outside_the_worktree_are_invalid() {
    let tmp = tempfile::tempdir().unwrap();
    let mut fix = context(tmp.path(), budget(3));
    let h = caps::worktree::create(&mut fix, "main").unwrap();
    let wt_root = tmp.path().join("wt");
    for path in [
        "../escape.txt",
        "../../escape.txt",
        "/tmp/escape.txt",
        ".git/config",
        "a/../../escape.txt",
    ] {
        let got = caps::worktree::write_file(&mut fix, &h, path, b"x");
        assert!(matches!(got, Err(HostError::Invalid(_))), "{path}: {got:?}");
    }
    // A symlink planted in the worktree that points out is not followed.
    let tree_dir = std::fs::read_dir(&wt_root)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("wt");
    std::os::unix::fs::symlink(tmp.path(), tree_dir.join("out")).unwrap();
    let got = caps::worktree::write_file(&mut fix, &h, "out/escape.txt", b"x");
    assert!(matches!(got, Err(HostError::Invalid(_))), "{got:?}");
    assert!(!tmp.path().join("escape.txt").exists());
    caps::worktree::write_file(&mut fix, &h, "lib/new.sh", b"echo ok\n").unwrap();
    assert_eq!(
        caps::worktree::read_file(&mut fix, &h, "lib/new.sh").unwrap(),
        b"echo ok\n"
    );
    assert!(matches!(
        caps::worktree::create(&mut fix, "other-branch"),
        Err(HostError::Invalid(_))
    ));
}

#[test]
fn only_a_tree_that_passed_the_test_command_is_committed() {
    let tmp = tempfile::tempdir().unwrap();
    let mut fix = context(tmp.path(), budget(3));
    let h = caps::worktree::create(&mut fix, "main").unwrap();
    caps::worktree::write_file(&mut fix, &h, "calc.sh", b"echo $(( $1 * $2 + 1 ))\n").unwrap();
    assert!(matches!(
        caps::worktree::commit(&mut fix, &h, "x"),
        Err(HostError::Invalid(_))
    ));
    let out = caps::command::run(&mut fix, &h, "sh test.sh", 0).unwrap();
    assert_ne!(out.exit_code, 0);
    assert!(matches!(
        caps::worktree::commit(&mut fix, &h, "x"),
        Err(HostError::Invalid(_))
    ));
    caps::worktree::write_file(&mut fix, &h, "calc.sh", b"echo $(( $1 + $2 ))\n").unwrap();
    assert_eq!(
        caps::command::run(&mut fix, &h, "sh test.sh", 0)
            .unwrap()
            .exit_code,
        0
    );
    // A change after the pass needs another pass.
    caps::worktree::write_file(&mut fix, &h, "notes.txt", b"n\n").unwrap();
    assert!(matches!(
        caps::worktree::commit(&mut fix, &h, "x"),
        Err(HostError::Invalid(_))
    ));
    assert_eq!(
        caps::command::run(&mut fix, &h, "sh test.sh", 0)
            .unwrap()
            .exit_code,
        0
    );
    let sha = caps::worktree::commit(&mut fix, &h, "loop(calc): add").unwrap();
    let outcome = fix.finish();
    assert_eq!(outcome.commit.as_deref(), Some(sha.as_str()));
    assert_eq!(outcome.branch.as_deref(), Some(h.as_str()));
    assert_eq!(outcome.reflections.len(), 1, "{:?}", outcome.reflections);
    assert!(outcome.reflections[0].starts_with("attempt 1: tests failed (exit 1)"));
}

#[test]
fn tampering_blocks_the_command_and_every_later_call() {
    let tmp = tempfile::tempdir().unwrap();
    let mut fix = context(tmp.path(), budget(3));
    let h = caps::worktree::create(&mut fix, "main").unwrap();
    caps::worktree::write_file(&mut fix, &h, "test.sh", b"exit 0\n").unwrap();
    let got = caps::command::run(&mut fix, &h, "sh test.sh", 0);
    assert!(
        matches!(&got, Err(HostError::Blocked(b)) if b.rule == "integrity"),
        "{got:?}"
    );
    assert!(matches!(
        caps::worktree::create(&mut fix, "main"),
        Err(HostError::Blocked(_))
    ));
    assert!(fix.finish().tampering.is_some());
}

#[test]
fn the_guard_blocks_commands_and_the_iteration_cap_refuses_worktrees() {
    let tmp = tempfile::tempdir().unwrap();
    let mut fix = context(tmp.path(), budget(1));
    let h = caps::worktree::create(&mut fix, "main").unwrap();
    let got = caps::command::run(&mut fix, &h, "git push --force origin main", 0);
    assert!(matches!(got, Err(HostError::Blocked(_))), "{got:?}");
    let got = caps::worktree::create(&mut fix, "main");
    assert!(
        matches!(&got, Err(HostError::BudgetExceeded(b)) if b.axis == "iterations"),
        "{got:?}"
    );
    let outcome = fix.finish();
    assert_eq!(outcome.attempts, 1);
    assert!(
        outcome.branch.is_none(),
        "an uncommitted attempt keeps no branch"
    );
}

#[test]
fn a_spent_wall_clock_refuses_calls_and_bounds_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let mut fix = context(
        tmp.path(),
        Budget {
            wall_clock_secs: Some(1),
            ..budget(3)
        },
    );
    let h = caps::worktree::create(&mut fix, "main").unwrap();
    let out = caps::command::run(&mut fix, &h, "sleep 5", 0).unwrap();
    assert!(
        out.timed_out,
        "the command is killed at the run's remaining wall clock"
    );
    std::thread::sleep(Duration::from_millis(200));
    let got = caps::command::run(&mut fix, &h, "true", 0);
    assert!(
        matches!(&got, Err(HostError::BudgetExceeded(b)) if b.axis == "wall-clock"),
        "{got:?}"
    );
}
