//! A test loop kind that exercises host capabilities as its config says, and reports what the
//! host answered in its note (JSON), so end-to-end tests can check what a plugin sees.
//!
//! Config (`config` in the loop spec):
//! - `calls`: `[{"connector", "tool", "args"}]` — one `connector.call-tool` each; the note's
//!   `calls` lists `ok: <text>` or the refusal (`denied: ...`, `blocked: rule: ...`, ...).
//! - `turns`: with `view_budget`, `threshold`, `keep_recent`, `note_every` — that many maker
//!   turns through `context`: view → maker → append answer and a bulky tool output → compact.
//! - `chat`: `{"task", "system", "max_tokens", "results": {tool: text}, "limit"}` — a tool-using
//!   conversation through `maker.chat` in a fresh worktree: `read_file` reads
//!   (`worktree.read-file`), `search` searches (`worktree.search`), any other tool is answered
//!   with `results[tool]`. It ends on a turn without tool calls, a refusal, or `limit` turns.
//!   The note's `chat` lists the turns (finish, tool names, tokens) and the refusal, if any.
//! - `log`: `["line", ...]` — one `log.emit` (info) each, first; the note's `logged` counts them.
//! - `read_state`: a key — one `state.get`; the note's `read_state` is `ok` or the refusal.

use strive_sdk::{
    Error, HostError, KindInfo, LoopKind, Outcome, RunContext, RunResult, connector, context,
    maker, state, worktree,
};

pub struct Probe;

fn refusal(e: &HostError) -> String {
    match e {
        HostError::Denied(d) => format!("denied: {}: {}", d.capability, d.reason),
        HostError::BudgetExceeded(b) => format!("budget-exceeded: {} cap {}", b.axis, b.cap),
        HostError::Blocked(g) => format!("blocked: {}: {}", g.rule, g.reason),
        HostError::Invalid(m) => format!("invalid: {m}"),
        HostError::Failed(m) => format!("failed: {m}"),
    }
}

fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn run_calls(calls: &[serde_json::Value]) -> Vec<String> {
    calls
        .iter()
        .map(|c| {
            let s = |k: &str| c.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
            let args = c.get("args").map(|a| a.to_string()).unwrap_or_default();
            match connector::call_tool(&s("connector"), &s("tool"), &args) {
                Ok(text) => format!("ok: {}", clip(&text, 300)),
                Err(e) => clip(&refusal(&e), 600),
            }
        })
        .collect()
}

fn run_turns(cfg: &serde_json::Value, turns: u64) -> Result<serde_json::Value, HostError> {
    let n = |k: &str, d: u64| cfg.get(k).and_then(|v| v.as_u64()).unwrap_or(d);
    let budget = n("view_budget", 4000);
    let threshold = n("threshold", 3000);
    let keep = n("keep_recent", 6) as u32;
    let note_every = n("note_every", 10).max(1);
    context::append(
        context::EntryKind::Instruction,
        "Keep the changelog tidy, one small step per turn.",
    )?;
    let mut compactions = 0u64;
    let mut largest_view = 0u64;
    for i in 0..turns {
        if i % note_every == 0 {
            state::add_note(&format!("note {i}: the public API stays stable"))?;
        }
        let prompt = context::view(budget)?;
        largest_view = largest_view.max((prompt.len() as u64).div_ceil(4));
        let answer = maker::complete(&maker::MakerRequest {
            system: String::new(),
            prompt,
            schema_json: None,
            max_tokens: 64,
        })?;
        // The host hands back canonical JSON files; the plugin keeps their text.
        let text = serde_json::from_str::<serde_json::Value>(&answer.text)
            .ok()
            .and_then(|v| v.get("files").cloned())
            .and_then(|f| f.as_array().cloned())
            .map(|files| {
                files
                    .iter()
                    .filter_map(|f| f.get("content").and_then(|c| c.as_str()))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or(answer.text);
        context::append(context::EntryKind::Answer, &text)?;
        let output: String = (0..40)
            .map(|k| format!("test {k} of turn {i}: passed\n"))
            .collect();
        context::append(context::EntryKind::ToolOutput, &output)?;
        if context::compact(threshold, keep)?.compacted {
            compactions += 1;
        }
    }
    Ok(serde_json::json!({
        "turns": turns,
        "compactions": compactions,
        "largest_view_tokens": largest_view,
        "final_tokens": context::tokens()?,
    }))
}

fn chat_tools() -> Vec<maker::ToolSpec> {
    let tool = |name: &str, description: &str, parameters: serde_json::Value| maker::ToolSpec {
        name: name.into(),
        description: description.into(),
        parameters_json: parameters.to_string(),
    };
    vec![
        tool(
            "read_file",
            "Read a file of the worktree.",
            serde_json::json!({"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}),
        ),
        tool(
            "search",
            "Search the worktree's text files with a regex.",
            serde_json::json!({"type": "object", "properties": {"pattern": {"type": "string"}, "dir": {"type": "string"}}, "required": ["pattern"]}),
        ),
        tool(
            "fetch_docs",
            "Fetch the project's documentation page.",
            serde_json::json!({"type": "object", "properties": {}}),
        ),
    ]
}

fn run_tool(handle: &str, call: &maker::ToolCall, results: &serde_json::Value) -> String {
    let args: serde_json::Value =
        serde_json::from_str(&call.arguments_json).unwrap_or(serde_json::Value::Null);
    let arg = |k: &str| {
        args.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let answer = match call.name.as_str() {
        "read_file" => worktree::read_file(handle, &arg("path"))
            .map(|b| String::from_utf8_lossy(&b).into_owned()),
        "search" => worktree::search(handle, &arg("dir"), &arg("pattern"), 0).map(|hits| {
            hits.iter()
                .map(|h| format!("{}:{}: {}", h.path, h.line, h.text))
                .collect::<Vec<_>>()
                .join("\n")
        }),
        other => Ok(results
            .get(other)
            .and_then(|v| v.as_str())
            .unwrap_or("unknown tool")
            .to_string()),
    };
    answer.unwrap_or_else(|e| format!("error: {}", refusal(&e)))
}

fn run_chat(cfg: &serde_json::Value) -> serde_json::Value {
    let s = |k: &str| {
        cfg.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    let limit = cfg.get("limit").and_then(|v| v.as_u64()).unwrap_or(50);
    let max_tokens = cfg.get("max_tokens").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
    let results = cfg
        .get("results")
        .cloned()
        .unwrap_or(serde_json::Value::Null);
    let mut turns = Vec::new();
    let handle = match worktree::create("HEAD", "probe") {
        Ok(h) => h,
        Err(e) => return serde_json::json!({"error": refusal(&e)}),
    };
    let mut messages = vec![maker::ChatMessage {
        role: maker::ChatRole::User,
        content: s("task"),
        tool_calls: vec![],
        tool_call_id: None,
    }];
    let mut error = None;
    let mut last = String::new();
    for _ in 0..limit {
        let turn = match maker::chat(&maker::ChatRequest {
            system: s("system"),
            messages: messages.clone(),
            tools: chat_tools(),
            max_tokens,
        }) {
            Ok(t) => t,
            Err(e) => {
                error = Some(clip(&refusal(&e), 600));
                break;
            }
        };
        turns.push(serde_json::json!({
            "turn": turn.turn,
            "finish": format!("{:?}", turn.finish),
            "tools": turn.tool_calls.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
            "tokens": turn.tokens_in + turn.tokens_out,
        }));
        last = turn.content.clone();
        messages.push(maker::ChatMessage {
            role: maker::ChatRole::Assistant,
            content: turn.content.clone(),
            tool_calls: turn.tool_calls.clone(),
            tool_call_id: None,
        });
        if turn.tool_calls.is_empty() {
            break;
        }
        for call in &turn.tool_calls {
            messages.push(maker::ChatMessage {
                role: maker::ChatRole::Tool,
                content: run_tool(&handle, call, &results),
                tool_calls: vec![],
                tool_call_id: Some(call.id.clone()),
            });
        }
    }
    serde_json::json!({"turns": turns, "error": error, "last": clip(&last, 300)})
}

impl LoopKind for Probe {
    fn describe() -> KindInfo {
        KindInfo {
            name: "testing-probe".into(),
            version: "0.1.0".into(),
            summary: "drives host capabilities from its config (tests only)".into(),
        }
    }

    fn run(ctx: &RunContext) -> Result<RunResult, Error> {
        let spec: serde_json::Value =
            serde_json::from_str(&ctx.config_json).unwrap_or(serde_json::Value::Null);
        let cfg = spec
            .get("config")
            .cloned()
            .unwrap_or(serde_json::Value::Null);
        let mut note = serde_json::Map::new();
        if let Some(lines) = cfg.get("log").and_then(|l| l.as_array()) {
            let mut logged = 0u64;
            for line in lines.iter().filter_map(|l| l.as_str()) {
                if strive_sdk::log::info(line).is_ok() {
                    logged += 1;
                }
            }
            note.insert("logged".into(), logged.into());
        }
        if let Some(key) = cfg.get("read_state").and_then(|k| k.as_str()) {
            let answer = match state::get(key) {
                Ok(_) => "ok".to_string(),
                Err(e) => refusal(&e),
            };
            note.insert("read_state".into(), answer.into());
        }
        if let Some(calls) = cfg.get("calls").and_then(|c| c.as_array()) {
            note.insert("calls".into(), run_calls(calls).into());
        }
        if let Some(turns) = cfg.get("turns").and_then(|t| t.as_u64()) {
            match run_turns(&cfg, turns) {
                Ok(v) => note.insert("context".into(), v),
                Err(e) => note.insert("context_error".into(), refusal(&e).into()),
            };
        }
        if let Some(chat) = cfg.get("chat") {
            note.insert("chat".into(), run_chat(chat));
        }
        Ok(RunResult {
            outcome: Outcome::Clean,
            note: serde_json::Value::Object(note).to_string(),
        })
    }
}

strive_sdk::export_loop_kind!(Probe);
