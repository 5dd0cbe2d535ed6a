//! The host capabilities composed the way assisted-fix uses them: snapshot → maker → apply →
//! verify → reflect → retry → commit → fast-forward, on a real repository, against a loopback
//! provider, under the core guard and the core ledger.

use crate::common;

use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use strive_core::budget::{Budget, Ledger, SharedLedger};
use strive_makers::{
    ApiKey, LedgerGate, LlmOptions, MakeContext, MakeRequest, Maker, MakerError, OpenAiMaker,
};
use strive_worktree::{FastForward, RunLimits, Worktree, fast_forward};

fn git(dir: &Path, args: &[&str]) -> String {
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
        .unwrap();
    assert!(out.status.success(), "git {args:?}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// `calc.sh` adds wrongly; `test.sh` checks that 2 + 2 is 4.
fn failing_repo(root: &Path) -> std::path::PathBuf {
    let repo = root.join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("calc.sh"), "echo $(( $1 - $2 ))\n").unwrap();
    std::fs::write(repo.join("test.sh"), "test \"$(sh calc.sh 2 2)\" = 4\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "init"]);
    git(&repo, &["checkout", "-q", "--detach"]);
    repo
}

fn answer(body: &str) -> String {
    serde_json::json!({"files": [{"path": "calc.sh", "content": body}]}).to_string()
}

#[test]
fn fix_on_the_second_attempt_after_reflection_then_fast_forward() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = failing_repo(tmp.path());
    let key = key_var("FLOW", "sk-flow");
    let server = ScriptedServer::start(vec![
        openai_reply(&answer("echo $(( $1 * $2 + 1 ))\n")),
        openai_reply(&format!(
            "<think>multiply was wrong</think>```json\n{}\n```",
            answer("echo $(( $1 + $2 ))\n")
        )),
    ]);
    let mut opts = LlmOptions::new(
        format!("{}/v1", server.base),
        "m",
        Some(ApiKey::from_env(&key).unwrap()),
    );
    opts.http = fast_retries(2);
    opts.max_tokens = 500;
    let maker = OpenAiMaker::new(opts).unwrap();
    let gate = LedgerGate::new(
        SharedLedger::new(Ledger::new(Budget {
            max_tokens: Some(10_000),
            ..Budget::default()
        })),
        Instant::now(),
    );
    let wt = Worktree::builder(&repo, "main", "calc")
        .parent_dir(tmp.path())
        .create(Arc::new(strive_core::guard::Guard::default()))
        .unwrap();
    let limits = RunLimits {
        timeout: Duration::from_secs(20),
        output_cap: 8192,
    };

    let mut reflections = Vec::new();
    let mut passed = None;
    for attempt in 1..=3 {
        let files = wt.snapshot(20_000).unwrap().files;
        let request = MakeRequest::new("Make calc.sh add its two arguments.")
            .with_files(files)
            .with_reflections(reflections.clone());
        let response = maker
            .make(
                &request,
                &MakeContext {
                    budget: &gate,
                    worktree: Some(&wt),
                    deadline: None,
                },
            )
            .unwrap();
        response.answer.apply(&wt).unwrap();
        let diff = wt.stage_and_diff().unwrap();
        assert!(diff.contains("calc.sh"));
        let verdict = wt.verify("sh test.sh", limits).unwrap();
        if verdict.passed {
            passed = Some(attempt);
            break;
        }
        reflections.push(format!(
            "attempt {attempt}: tests failed ({:?})",
            verdict.output.exit
        ));
        wt.reset().unwrap();
    }
    assert_eq!(passed, Some(2));
    let seen = server.seen();
    let second_prompt = seen[1].body["messages"][1]["content"].as_str().unwrap();
    assert!(
        second_prompt.contains(
            "PRIOR ATTEMPTS FAILED — reflections (a marked `test-output` block):\n<<<data-"
        ) && second_prompt.contains(" test-output>>>\n- attempt 1: tests failed")
    );
    assert_eq!(gate.ledger().snapshot().spent.tokens, 2 * 150);

    let commit = wt.commit("loop(calc): add").unwrap();
    let outcome = fast_forward(wt.repo_path(), wt.base_ref(), wt.base_oid(), commit).unwrap();
    assert!(matches!(outcome, FastForward::Merged { .. }), "{outcome:?}");
    assert_eq!(git(&repo, &["show", "main:calc.sh"]), "echo $(( $1 + $2 ))");
}

#[test]
fn budget_running_out_mid_run_sends_no_further_request() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = failing_repo(tmp.path());
    let key = key_var("FLOW_BUDGET", "sk-fb");
    let server = ScriptedServer::start(vec![
        openai_reply(&answer("echo wrong\n")),
        openai_reply(&answer("echo $(( $1 + $2 ))\n")),
    ]);
    let mut opts = LlmOptions::new(
        format!("{}/v1", server.base),
        "m",
        Some(ApiKey::from_env(&key).unwrap()),
    );
    opts.max_tokens = 400;
    let maker = OpenAiMaker::new(opts).unwrap();
    let wt = Worktree::builder(&repo, "main", "calc")
        .parent_dir(tmp.path())
        .create(Arc::new(strive_core::guard::Guard::default()))
        .unwrap();
    let request =
        MakeRequest::new("Make calc.sh add.").with_files(wt.snapshot(20_000).unwrap().files);
    let estimate = (request.prompt_chars().unwrap() as u64).div_ceil(4) + 400;
    // Room for exactly one call: the first charges 150 tokens, leaving less than an estimate.
    let gate = LedgerGate::new(
        SharedLedger::new(Ledger::new(Budget {
            max_tokens: Some(estimate + 100),
            ..Budget::default()
        })),
        Instant::now(),
    );
    let ctx = MakeContext {
        budget: &gate,
        worktree: Some(&wt),
        deadline: None,
    };
    maker.make(&request, &ctx).unwrap();
    let err = maker.make(&request, &ctx).unwrap_err();
    assert_eq!(err.code(), "budget-exceeded", "{err}");
    assert!(matches!(err, MakerError::Budget(_)));
    assert_eq!(
        server.seen().len(),
        1,
        "the refused call reached the network"
    );
}
