//! The `context` capability driven by a real guest plugin (`plugins/testing/probe`) for 200
//! maker turns against a loopback OpenAI-compatible maker (real HTTP on 127.0.0.1): every prompt
//! the maker receives stays within the view budget, the run stays within its token budget, and
//! after all compactions every note and every `decision:` line is still in the prompt.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use strive_core::budget::Budget;
use strive_makers::{LlmOptions, OpenAiMaker};
use strive_runtime::caps::{self, FixContext, FixSettings};
use strive_runtime::{Capability, Manifest, Phase, Plugin};

use crate::common::{TestRepo, request};

const PROBE_MANIFEST: &str = include_str!("../../../plugins/testing/probe/strive-plugin.toml");

/// A chat-completions server on loopback: answer N carries `decision: turn N ...`; usage is the
/// request's size in tokens (4 bytes each). Returns the base URL and the prompts it saw.
fn loopback_maker() -> (String, Arc<Mutex<Vec<String>>>) {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let url = format!("http://{}/v1", server.server_addr().to_ip().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    std::thread::spawn(move || {
        for mut req in server.incoming_requests() {
            let mut body = String::new();
            let _ = req.as_reader().read_to_string(&mut body);
            let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
            let prompt = v["messages"]
                .as_array()
                .and_then(|m| m.iter().rev().find(|m| m["role"] == "user"))
                .and_then(|m| m["content"].as_str())
                .unwrap_or("")
                .to_string();
            let n = {
                let mut s = log.lock().unwrap();
                s.push(prompt);
                s.len() - 1
            };
            let answer = json!({"files": [{"path": "CHANGELOG.md", "content":
                format!("tidied section {n}\ndecision: turn {n} keeps entry {n} as written\nTODO: re-check entry {n}")}]});
            let reply = json!({
                "id": "c", "object": "chat.completion",
                "choices": [{"index": 0, "finish_reason": "stop",
                    "message": {"role": "assistant", "content": answer.to_string()}}],
                "usage": {"prompt_tokens": body.len() / 4, "completion_tokens": 40,
                    "total_tokens": body.len() / 4 + 40}
            });
            let _ = req.respond(
                tiny_http::Response::from_string(reply.to_string()).with_header(
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap(),
                ),
            );
        }
    });
    (url, seen)
}

fn fix_context(repo: &TestRepo, url: &str, max_tokens: u64) -> FixContext {
    let mut opts = LlmOptions::new(url, "loopback-model", None);
    opts.max_tokens = 64;
    let maker = OpenAiMaker::new(opts).unwrap();
    FixContext::start(FixSettings {
        repo: repo.path(),
        loop_id: "ctx".into(),
        base_ref: "HEAD".into(),
        test_command: "true".into(),
        maker: Some(Box::new(maker)),
        budget: Budget {
            max_tokens: Some(max_tokens),
            ..Budget::default()
        },
        allowlist: None,
        worktree_parent: None,
        snapshot_bytes: caps::DEFAULT_SNAPSHOT_BYTES,
        command_timeout: Duration::from_secs(10),
        sandbox: Default::default(),
        secret_env: Vec::new(),
        max_turns: strive_vocab::DEFAULT_MAX_TURNS,
    })
    .unwrap()
}

struct Turns {
    prompts: Vec<String>,
    note: Value,
    notes_added: Vec<String>,
    tokens_spent: u64,
}

fn drive(threshold: u64) -> Turns {
    let repo = TestRepo::new();
    repo.commit("init", &[("CHANGELOG.md", "# Changes\n")]);
    let (url, seen) = loopback_maker();
    let plugin = Plugin::load(
        &crate::common::guest("probe"),
        Manifest::parse(PROBE_MANIFEST, "probe").unwrap(),
        None,
    )
    .unwrap();
    let grants: BTreeSet<Capability> = ["log", "state", "maker", "context"]
        .iter()
        .map(|c| Capability::parse(c).unwrap())
        .collect();
    let config = json!({"config": {
        "turns": 200, "view_budget": 6000, "threshold": threshold, "keep_recent": 6, "note_every": 10
    }});
    let mut req = request(config, Phase::L2, grants, Some(repo.path()));
    req.limits.wall_ms = 120_000;
    req.limits.host_calls = 10_000;
    let max_tokens = 2_000_000;
    let fix = fix_context(&repo, &url, max_tokens);
    let (report, outcome) = strive_runtime::run::execute_with(&plugin, &req, Some(fix));
    let outcome = outcome.expect("fix outcome");
    assert!(
        report.failure.is_none(),
        "{:?} {}",
        report.failure,
        report.note
    );
    assert!(
        outcome.budget.is_none(),
        "budget refusal: {:?}",
        outcome.budget
    );
    assert!(outcome.tokens_spent <= max_tokens);
    let note: Value = serde_json::from_str(&report.note).unwrap_or(Value::Null);
    eprintln!(
        "threshold {threshold}: {note} tokens_spent={} maker_calls={}",
        outcome.tokens_spent, outcome.maker_calls
    );
    assert!(note.get("context_error").is_none(), "{note}");
    Turns {
        prompts: seen.lock().unwrap().clone(),
        note,
        notes_added: report.notes_added.clone(),
        tokens_spent: outcome.tokens_spent,
    }
}

#[test]
fn two_hundred_turns_stay_in_budget_and_keep_every_note_and_decision() {
    let t = drive(3000);
    assert_eq!(t.prompts.len(), 200, "{}", t.note);
    // Every prompt the maker saw fit the plugin's view budget (6,000 tokens = 24,000 bytes;
    // the host adds its own framing around the plugin's prompt, so allow for that).
    for (i, p) in t.prompts.iter().enumerate() {
        assert!(p.len() <= 24_000 + 4_000, "prompt {i}: {} bytes", p.len());
    }
    assert!(
        t.note["context"]["largest_view_tokens"].as_u64().unwrap() <= 6000,
        "{}",
        t.note
    );
    // The transcript itself stays small: compaction folded the bulky tool outputs away.
    let final_tokens = t.note["context"]["final_tokens"].as_u64().unwrap();
    assert!(final_tokens <= 6000, "{}", t.note);
    assert!(
        t.note["context"]["compactions"].as_u64().unwrap() > 10,
        "{}",
        t.note
    );
    // The last prompt carries every decision of turns 0..198 and every note.
    let last = t.prompts.last().unwrap();
    for n in 0..199 {
        let line = format!("decision: turn {n} keeps entry {n} as written");
        assert!(last.contains(&line), "lost {line:?}");
    }
    assert_eq!(t.notes_added.len(), 20);
    for note in &t.notes_added {
        assert!(last.contains(note.as_str()), "lost note {note:?}");
    }
    // Tool outputs were dropped: only the recent tail's can be there.
    let tool_lines = last.matches(": passed").count();
    assert!(
        tool_lines <= 40 * 6,
        "{tool_lines} tool-output lines in the last prompt"
    );
    // Well under the run's token budget of 2,000,000.
    assert!(t.tokens_spent < 1_200_000, "{}", t.tokens_spent);
}

#[test]
fn without_compaction_the_transcript_grows_and_views_fall_back_to_extracts() {
    // The control: same turns, compaction never triggers (threshold past anything reachable).
    let t = drive(u64::MAX);
    let final_tokens = t.note["context"]["final_tokens"].as_u64().unwrap();
    assert!(
        final_tokens > 40_000,
        "the uncompacted transcript: {}",
        t.note
    );
    let last = t.prompts.last().unwrap();
    assert!(
        last.contains("older entries omitted"),
        "the view had to omit entries"
    );
    // Even so the budgeted view keeps every decision line and note of what it omitted.
    assert!(last.contains("decision: turn 0 keeps entry 0 as written"));
    assert!(last.contains("decision: turn 198 keeps entry 198 as written"));
    for note in &t.notes_added {
        assert!(last.contains(note.as_str()), "lost note {note:?}");
    }
}
