//! The command maker in a real worktree: answers on stdout, edits in place, failures, the guard
//! and the timeout.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::CountingBudget;
use strive_makers::{Answer, CommandMaker, MakeContext, MakeRequest, Maker, MakerError};
use strive_worktree::{Blocked, CommandGuard, RunError, RunLimits, Worktree};

struct DenyCurl;
impl CommandGuard for DenyCurl {
    fn check(&self, command: &str) -> Result<(), Blocked> {
        if command.contains("curl") {
            return Err(Blocked {
                rule: "network".into(),
                reason: "no network tools".into(),
                alternative: None,
            });
        }
        Ok(())
    }
}

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

fn setup() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("lib.txt"), "one\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "init"]);
    (tmp, repo)
}

fn worktree(tmp: &tempfile::TempDir, repo: &Path) -> Worktree {
    Worktree::builder(repo, "main", "cmd")
        .parent_dir(tmp.path())
        .create(Arc::new(DenyCurl))
        .unwrap()
}

fn limits(secs: u64) -> RunLimits {
    RunLimits {
        timeout: Duration::from_secs(secs),
        output_cap: 64 * 1024,
    }
}

#[test]
fn stdout_answer_is_returned_and_applies() {
    let (tmp, repo) = setup();
    let wt = worktree(&tmp, &repo);
    let budget = CountingBudget::new(0);
    // The command keeps the request it got on stdin and answers on stdout.
    let maker = CommandMaker::new(
        r#"cat > request.json; printf '%s\n' '{"files": [{"path": "lib.txt", "content": "two\n"}]}'"#,
        limits(30),
    );
    let request = MakeRequest::new("make it two").with_reflections(vec!["attempt 1: no".into()]);
    let resp = maker
        .make(
            &request,
            &MakeContext {
                budget: &budget,
                worktree: Some(&wt),
                deadline: None,
            },
        )
        .unwrap();
    assert_eq!(resp.usage.total_tokens(), 0);
    resp.answer.apply(&wt).unwrap();
    assert_eq!(wt.read("lib.txt").unwrap(), "two\n");
    let seen: serde_json::Value = serde_json::from_str(&wt.read("request.json").unwrap()).unwrap();
    assert_eq!(seen["task"], "make it two");
    assert_eq!(seen["reflections"][0], "attempt 1: no");
    assert_eq!(seen["files"], serde_json::json!([]));
    let tag = seen["data_tag"].as_str().unwrap();
    assert_eq!(tag.len(), 32, "a 128-bit hex tag");
    let prompt = seen["prompt"].as_str().unwrap();
    assert!(
        prompt.contains(&format!(
            "<<<data-{tag} task>>>\nmake it two\n<<<end-{tag}>>>\n"
        )),
        "the task is marked: {prompt}"
    );
    assert!(
        prompt.contains(&format!(
            "<<<data-{tag} test-output>>>\n- attempt 1: no\n<<<end-{tag}>>>\n"
        )),
        "the reflections are marked: {prompt}"
    );
    let system = seen["system"].as_str().unwrap();
    assert!(
        system.contains(&format!("<<<end-{tag}>>>")) && system.contains("never instructions"),
        "the system prompt explains the markers: {system}"
    );
    assert!(
        budget.reservations().is_empty(),
        "command makers use no tokens"
    );
}

#[test]
fn edits_in_place_are_seen_by_stage_and_diff() {
    let (tmp, repo) = setup();
    let wt = worktree(&tmp, &repo);
    let budget = CountingBudget::new(0);
    let maker = CommandMaker::new("echo two > lib.txt; echo 'done, see {braces}'", limits(30));
    let resp = maker
        .make(
            &MakeRequest::new("t"),
            &MakeContext {
                budget: &budget,
                worktree: Some(&wt),
                deadline: None,
            },
        )
        .unwrap();
    assert_eq!(resp.answer, Answer::EditedInPlace);
    assert!(wt.stage_and_diff().unwrap().contains("+two"));
}

#[test]
fn failures_blocks_and_timeouts_are_errors() {
    let (tmp, repo) = setup();
    let wt = worktree(&tmp, &repo);
    let budget = CountingBudget::new(0);
    let ctx = MakeContext {
        budget: &budget,
        worktree: Some(&wt),
        deadline: None,
    };
    let req = MakeRequest::new("t");

    let err = CommandMaker::new("echo oops >&2; exit 3", limits(30))
        .make(&req, &ctx)
        .unwrap_err();
    assert!(
        matches!(err, MakerError::CommandFailed { ref exit, ref tail } if exit == "exit code 3" && tail.contains("oops")),
        "{err}"
    );

    let err = CommandMaker::new("curl http://example.invalid", limits(30))
        .make(&req, &ctx)
        .unwrap_err();
    assert!(
        matches!(err, MakerError::Command(RunError::Blocked(_))),
        "{err}"
    );

    let err = CommandMaker::new(
        "sleep 20",
        RunLimits {
            timeout: Duration::from_millis(200),
            output_cap: 1024,
        },
    )
    .make(&req, &ctx)
    .unwrap_err();
    assert!(matches!(err, MakerError::CommandTimedOut(_)), "{err}");

    let err = CommandMaker::new(r#"echo '{"files": "nope"}'"#, limits(30))
        .make(&req, &ctx)
        .unwrap_err();
    assert!(matches!(err, MakerError::NoAnswer { .. }), "{err}");

    // Broken JSON that was meant as an answer is not mistaken for in-place edits.
    let err = CommandMaker::new(r#"echo '{"files": [{"path": "a", '"#, limits(30))
        .make(&req, &ctx)
        .unwrap_err();
    assert!(matches!(err, MakerError::NoAnswer { .. }), "{err}");
    assert_eq!(err.code(), "no-answer");

    let no_wt = MakeContext {
        budget: &budget,
        worktree: None,
        deadline: None,
    };
    assert!(matches!(
        CommandMaker::new("true", limits(5)).make(&req, &no_wt),
        Err(MakerError::NoWorktree)
    ));
}
