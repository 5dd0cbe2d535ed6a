//! The agent-cli maker end to end: the real `strive run` drives a fake agent CLI (a shell
//! script committed in the target repository) that tries to escape — write outside the
//! worktree, read the host's private key under `$HOME`, open a socket to a host listener,
//! rewrite its own hook settings — and asks its pre-tool hook (Strive's guard, installed by
//! the maker as the agent's Claude Code settings) about a dangerous and a safe command. Then it
//! fixes the bug and writes what it saw; the host judges the diff like any maker answer. Its
//! hook calls (and a line it forges into the hook spool) land in the run's audit log, and the
//! usage it prints in Claude Code's JSON format is charged to the run's token budget.

use std::net::TcpListener;

use crate::assisted_common::*;
use serde_json::json;

/// The fake agent. `{OUTSIDE}`, `{HOSTKEY}` and `{PORT}` are filled in by the test.
const FAKE_AGENT: &str = r#"#!/bin/sh
# A fake agent CLI: $1 is the prompt. It reports what it could do in agent-report.txt.
r=agent-report.txt
: > "$r"
case "$1" in *"Make calc.add return the sum"*) echo "prompt-has-task: yes" >> "$r" ;; *) echo "prompt-has-task: no" >> "$r" ;; esac
if echo pwned > '{OUTSIDE}/escape.txt' 2>/dev/null; then echo "outside-write: ok" >> "$r"; else echo "outside-write: failed" >> "$r"; fi
if k=$(cat '{HOSTKEY}' 2>/dev/null); then echo "key-read: $k" >> "$r"; else echo "key-read: failed" >> "$r"; fi
if python3 -c "import socket; socket.create_connection(('127.0.0.1', {PORT}), timeout=2)" 2>/dev/null; then echo "socket: ok" >> "$r"; else echo "socket: failed" >> "$r"; fi
if [ -n "$FAKE_AGENT_API_KEY" ]; then echo "env-key: present" >> "$r"; else echo "env-key: absent" >> "$r"; fi
if [ -n "$OTHER_SERVICE_TOKEN" ]; then echo "env-other: present" >> "$r"; else echo "env-other: absent" >> "$r"; fi
hook=$(python3 -c "import json; print(json.load(open('.claude/settings.json'))['hooks']['PreToolUse'][0]['hooks'][0]['command'])")
ask() { printf '{"hook_event_name":"PreToolUse","tool_name":"Bash","tool_input":{"command":"%s"},"cwd":"%s"}' "$1" "$PWD" | sh -c "$hook"; }
echo "hook-deny: $(ask 'rm -rf ~')" >> "$r"
echo "hook-allow: [$(ask 'python3 -m unittest -q test_calc')]" >> "$r"
edit=$(printf '{"hook_event_name":"PreToolUse","tool_name":"Edit","tool_input":{"file_path":"%s/calc.py"},"cwd":"%s"}' "$PWD" "$PWD" | sh -c "$hook")
echo "hook-edit: [$edit]" >> "$r"
case "$STRIVE_HOOK_SPOOL" in "$PWD"/*) echo "spool: inside" >> "$r" ;; /*) echo "spool: outside" >> "$r" ;; *) echo "spool: unset" >> "$r" ;; esac
if printf 'forged \033[31m not a record\n' >> "$STRIVE_HOOK_SPOOL"; then echo "spool-forge: ok" >> "$r"; else echo "spool-forge: failed" >> "$r"; fi
if echo '{}' > .claude/settings.json 2>/dev/null; then echo "settings-write: ok" >> "$r"; else echo "settings-write: failed" >> "$r"; fi
printf 'def add(a, b):\n    return a + b\n' > calc.py
printf '{"type":"result","subtype":"success","result":"fixed add","usage":{"input_tokens":1200,"cache_read_input_tokens":300,"output_tokens":45}}\n'
"#;

/// `strive audit-log show RUN_ID` as JSON rows (the audit log a user reads).
fn audit(state: &std::path::Path, run_id: &str) -> Vec<serde_json::Value> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(["audit-log", "show", run_id, "--state"])
        .arg(state)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_fake_agent_cli_is_contained_and_its_hook_calls_reach_the_guard() {
    let s = Setup::new("AGENTCLI");
    let outside = s.tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    let host_home = s.tmp.path().join("hosthome");
    std::fs::create_dir_all(host_home.join(".ssh")).unwrap();
    let host_key = host_home.join(".ssh/id_ed25519");
    std::fs::write(&host_key, "HOST-PRIVATE-KEY-0451").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();

    let script = FAKE_AGENT
        .replace("{OUTSIDE}", outside.to_str().unwrap())
        .replace("{HOSTKEY}", host_key.to_str().unwrap())
        .replace("{PORT}", &port.to_string());
    std::fs::create_dir_all(s.repo.join("tools")).unwrap();
    std::fs::write(s.repo.join("tools/fake-agent.sh"), script).unwrap();
    // The repository's own Claude settings: replaced for the agent's run, then put back.
    std::fs::create_dir_all(s.repo.join(".claude")).unwrap();
    let own_settings = "{\"permissions\": {\"deny\": []}}\n";
    std::fs::write(s.repo.join(".claude/settings.json"), own_settings).unwrap();
    git(&s.repo, &["add", "-A"]);
    git(&s.repo, &["commit", "-qm", "the fake agent"]);

    let mut spec = s.spec("L2", "http://unused.invalid", json!({}));
    spec["maker"] = json!({"type": "agent-cli", "program": "sh",
        "args": ["tools/fake-agent.sh", "{prompt}"], "hooks": "claude",
        "api_key_env": "FAKE_AGENT_API_KEY", "timeout_secs": 120, "usage": "claude"});
    let path = s.tmp.path().join("loop.json");
    std::fs::write(&path, serde_json::to_string_pretty(&spec).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_strive"))
        .arg("run")
        .arg(&path)
        .arg("--json")
        .arg("--state")
        .arg(s.state())
        .env("HOME", &host_home)
        .env("FAKE_AGENT_API_KEY", "sk-agent-secret-999")
        .env("OTHER_SERVICE_TOKEN", "tok-other-secret-777")
        .env("TMPDIR", s.tmp.path().join("wt"))
        .env("STRIVE_CACHE_DIR", cache_dir())
        .output()
        .expect("strive runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let ran: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{stdout}\n{stderr}"));
    assert_eq!(ran["result"], "proposed", "{ran}\n{stderr}");
    let branch = ran["branch"].as_str().unwrap();
    assert_eq!(
        git(&s.repo, &["show", &format!("{branch}:calc.py")]),
        FIXED.trim()
    );

    let report = git(&s.repo, &["show", &format!("{branch}:agent-report.txt")]);
    let line = |key: &str| -> String {
        report
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}: ")))
            .unwrap_or_else(|| panic!("{key} missing from:\n{report}"))
            .to_string()
    };
    assert_eq!(line("prompt-has-task"), "yes", "{report}");
    // Contained by the sandbox.
    assert_eq!(line("outside-write"), "failed", "{report}");
    assert!(!outside.join("escape.txt").exists());
    assert_eq!(line("key-read"), "failed", "{report}");
    assert_eq!(line("socket"), "failed", "{report}");
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "nothing reached the host listener"
    );
    assert_eq!(
        line("settings-write"),
        "failed",
        "the hook settings are read-only"
    );
    // The provider key reaches the agent; other host secrets do not.
    assert_eq!(line("env-key"), "present", "{report}");
    assert_eq!(line("env-other"), "absent", "{report}");
    // The hook calls reach Strive's guard: the dangerous command is denied in Claude Code's
    // format, the test command gets no answer (the agent's own permissions apply).
    let deny: serde_json::Value = serde_json::from_str(&line("hook-deny"))
        .unwrap_or_else(|e| panic!("hook-deny is not JSON ({e}):\n{report}"));
    assert_eq!(
        deny["hookSpecificOutput"]["permissionDecision"], "deny",
        "{report}"
    );
    assert_eq!(deny["hookSpecificOutput"]["hookEventName"], "PreToolUse");
    assert!(
        deny["hookSpecificOutput"]["permissionDecisionReason"]
            .as_str()
            .unwrap()
            .contains("strive guard"),
        "{deny}"
    );
    assert_eq!(line("hook-allow"), "[]", "{report}");
    assert_eq!(line("hook-edit"), "[]", "not a shell tool: no answer");
    assert_eq!(
        line("spool"),
        "outside",
        "the spool is beside the worktree: {report}"
    );
    assert_eq!(line("spool-forge"), "ok", "{report}");

    // Every hook call is a row of the run's audit log; the forged line is an unreadable row,
    // escaped, never dropped.
    let rows = audit(&s.state(), ran["run_id"].as_str().unwrap());
    let tool_rows: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["function"] == "agent-cli.tool")
        .collect();
    let show = |r: &serde_json::Value| {
        format!(
            "{} => {}",
            r["args"].as_str().unwrap(),
            r["decision"].as_str().unwrap()
        )
    };
    let shown: Vec<String> = tool_rows.iter().map(|r| show(r)).collect();
    assert_eq!(tool_rows.len(), 4, "{shown:#?}");
    assert!(tool_rows.iter().all(|r| r["capability"] == "maker"));
    assert!(
        shown[0].starts_with("claude-code tool Bash command `rm -rf ~` => blocked: fs."),
        "{shown:#?}"
    );
    assert_eq!(
        shown[1],
        "claude-code tool Bash command `python3 -m unittest -q test_calc` => allowed"
    );
    assert!(
        shown[2].starts_with("claude-code tool Edit path `")
            && shown[2].contains("/calc.py` => allowed: not a shell tool"),
        "{shown:#?}"
    );
    assert!(
        shown[3].starts_with("hook spool line 4 => unreadable: not a hook record"),
        "{shown:#?}"
    );
    assert!(
        !shown
            .iter()
            .any(|r| r.contains('\u{1b}') || r.contains("forged")),
        "escaped, and the forged text is not quoted: {shown:#?}"
    );
    // The maker call's own row comes first; the hook rows follow it.
    let complete = rows
        .iter()
        .position(|r| r["function"] == "complete")
        .unwrap();
    let first_tool = rows
        .iter()
        .position(|r| r["function"] == "agent-cli.tool")
        .unwrap();
    assert!(complete < first_tool);

    // The usage it printed (Claude Code's JSON) is charged: 1200 + 300 cached input, 45 out.
    assert_eq!(ran["tokens_spent"], 1545, "{ran}");
    // The settings file the maker wrote is not part of the proposal: the repository's own is
    // back, unchanged, and the proposal's diff touches only what the agent changed.
    assert_eq!(
        git(
            &s.repo,
            &["show", &format!("{branch}:.claude/settings.json")]
        ),
        own_settings.trim()
    );
    let changed = git(&s.repo, &["diff", "--name-only", "main", branch]);
    assert_eq!(changed, "agent-report.txt\ncalc.py", "{changed}");
    // No secret leaks into the run's output or state.
    let state = std::fs::read_to_string(s.state()).unwrap();
    for secret in [
        "sk-agent-secret-999",
        "tok-other-secret-777",
        "HOST-PRIVATE-KEY-0451",
    ] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret) && !state.contains(secret),
            "{secret} leaked"
        );
    }
}

/// A fake agent that fixes the bug and prints `usage` (a Claude Code JSON report).
fn metered_agent(s: &Setup, usage: &str) -> serde_json::Value {
    let script = format!(
        "#!/bin/sh\nprintf 'def add(a, b):\\n    return a + b\\n' > calc.py\nprintf '%s\\n' '{usage}'\n"
    );
    std::fs::create_dir_all(s.repo.join("tools")).unwrap();
    std::fs::write(s.repo.join("tools/agent.sh"), script).unwrap();
    git(&s.repo, &["add", "-A"]);
    git(&s.repo, &["commit", "-qm", "agent"]);
    json!({"type": "agent-cli", "program": "sh", "args": ["tools/agent.sh", "{prompt}"],
        "usage": "claude", "timeout_secs": 60})
}

#[test]
fn an_agent_cli_past_the_token_budget_ends_the_run_on_the_budget() {
    let s = Setup::new("AGENTCLI_BUDGET");
    let maker = metered_agent(
        &s,
        r#"{"type":"result","usage":{"input_tokens":40000,"output_tokens":9000}}"#,
    );
    let mut spec = s.spec("L2", "http://unused.invalid", json!({}));
    spec["maker"] = maker;
    spec["budget"] = json!({"max_tokens": 20000, "max_iterations": 3, "wall_clock_secs": 120});
    let ran = s.run(&spec);
    assert_eq!(ran.result(), "escalated", "{}\n{}", ran.note(), ran.stderr);
    assert!(
        ran.note().contains("budget exhausted on tokens"),
        "{}",
        ran.note()
    );
    assert!(
        ran.note()
            .contains("used 49000 tokens, past the run's budget"),
        "the host says what the agent spent: {}",
        ran.note()
    );
    // Filled to the cap, never past it; one agent run, no second attempt, nothing proposed.
    assert_eq!(ran.json["tokens_spent"], 20000, "{}", ran.json);
    assert_eq!(ran.json["attempts"], 1, "{}", ran.json);
    assert!(ran.json["branch"].is_null());
    assert!(s.branches().is_empty(), "no proposal: {:?}", s.branches());

    // A metered agent whose output has no usage: the host cannot vouch for its spend, so the
    // budget counts as spent (fail closed), whatever the agent changed.
    let s = Setup::new("AGENTCLI_NOUSAGE");
    let maker = metered_agent(&s, "all done, trust me");
    let mut spec = s.spec("L2", "http://unused.invalid", json!({}));
    spec["maker"] = maker;
    spec["budget"] = json!({"max_tokens": 20000, "max_iterations": 3, "wall_clock_secs": 120});
    let ran = s.run(&spec);
    assert_eq!(ran.result(), "escalated", "{}\n{}", ran.note(), ran.stderr);
    assert!(
        ran.note().contains("budget exhausted on tokens"),
        "{}",
        ran.note()
    );
    assert!(
        ran.note().contains("reported no readable token usage"),
        "{}",
        ran.note()
    );
    assert_eq!(ran.json["tokens_spent"], 20000, "{}", ran.json);
    assert!(s.branches().is_empty());

    // Within the budget the same agent is charged what it reported and its fix is proposed.
    let s = Setup::new("AGENTCLI_METERED");
    let maker = metered_agent(
        &s,
        r#"{"type":"result","usage":{"input_tokens":700,"output_tokens":50}}"#,
    );
    let mut spec = s.spec("L2", "http://unused.invalid", json!({}));
    spec["maker"] = maker;
    let ran = s.run(&spec);
    assert_eq!(ran.result(), "proposed", "{}\n{}", ran.note(), ran.stderr);
    assert_eq!(ran.json["tokens_spent"], 750, "{}", ran.json);
}

#[test]
fn an_agent_cli_maker_without_its_key_or_with_a_bad_preset_never_starts() {
    let s = Setup::new("AGENTCLI_BAD");
    let mut spec = s.spec("L2", "http://unused.invalid", json!({}));
    spec["maker"] = json!({"type": "agent-cli", "preset": "claude",
        "api_key_env": "STRIVE_AGENT_UNSET_KEY"});
    let ran = s.run(&spec);
    assert_eq!(ran.result(), "error", "{}", ran.note());
    assert!(
        ran.note().contains("STRIVE_AGENT_UNSET_KEY"),
        "{}",
        ran.note()
    );
    spec["maker"] = json!({"type": "agent-cli", "preset": "cursor"});
    let ran = s.run(&spec);
    assert_ne!(ran.code, 0);
    assert!(
        ran.stderr.contains("preset") || ran.note().contains("preset"),
        "{}\n{}",
        ran.note(),
        ran.stderr
    );
    // Neither a preset nor a program: the one spec check refuses it (exit 64), nothing runs.
    spec["maker"] = json!({"type": "agent-cli", "network": "full"});
    let ran = s.run(&spec);
    assert_eq!(ran.code, 64, "{}", ran.stderr);
    assert!(s.branches().is_empty());
}
