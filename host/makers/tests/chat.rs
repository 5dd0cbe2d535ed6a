//! `Maker::chat` against a real server on loopback, in both wire formats: the request bodies
//! (tools, echoed calls, tool results), the parsed turns, budget-first refusals and the
//! command maker's refusal.

use crate::common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use strive_makers::{
    AnthropicMaker, ApiKey, ChatMessage, ChatRequest, CommandMaker, FinishReason, LlmOptions,
    MakeContext, Maker, MakerError, OpenAiMaker, ToolCall, ToolSpec,
};

fn tools() -> Vec<ToolSpec> {
    vec![
        ToolSpec {
            name: "read_file".into(),
            description: "Read a file of the worktree.".into(),
            parameters: json!({"type": "object", "properties": {"path": {"type": "string"}},
                "required": ["path"]}),
        },
        ToolSpec {
            name: "run_tests".into(),
            description: "Run the loop's test command.".into(),
            parameters: json!({"type": "object", "properties": {}}),
        },
    ]
}

/// A conversation two turns in: the task, the model's read, its result, then a test run.
fn conversation() -> ChatRequest {
    ChatRequest {
        system: "You fix bugs.".into(),
        messages: vec![
            ChatMessage::user("Make the failing test pass."),
            ChatMessage::assistant(
                "Reading the module first.",
                vec![ToolCall {
                    id: "call_a".into(),
                    name: "read_file".into(),
                    arguments: r#"{"path":"calc.py"}"#.into(),
                }],
            ),
            ChatMessage::tool("call_a", "def add(a, b):\n    return a - b\n"),
            ChatMessage::assistant(
                "",
                vec![
                    ToolCall {
                        id: "call_b".into(),
                        name: "run_tests".into(),
                        arguments: "{}".into(),
                    },
                    ToolCall {
                        id: "call_c".into(),
                        name: "read_file".into(),
                        arguments: r#"{"path":"test_calc.py"}"#.into(),
                    },
                ],
            ),
            ChatMessage::tool("call_b", "1 failed: assert add(2, 2) == 4"),
            ChatMessage::tool("call_c", "def test_add(): assert add(2, 2) == 4\n"),
        ],
        tools: tools(),
        max_tokens: 0,
    }
}

fn options(base: String, key_env: &str, max_tokens: u32) -> LlmOptions {
    let mut opts = LlmOptions::new(base, "chat-model", Some(ApiKey::from_env(key_env).unwrap()));
    opts.http = fast_retries(2);
    opts.max_tokens = max_tokens;
    opts
}

fn ctx(budget: &CountingBudget) -> MakeContext<'_> {
    MakeContext {
        budget,
        worktree: None,
        deadline: None,
    }
}

#[test]
fn openai_tools_calls_and_results_go_out_and_a_tool_turn_comes_back() {
    let key = key_var("CHAT_OPENAI", "sk-chat-oa");
    let server = ScriptedServer::start(vec![Reply::json(
        200,
        json!({"choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": null, "tool_calls": [
                {"id": "call_d", "type": "function", "function": {"name": "read_file",
                    "arguments": "{\"path\": \"calc.py\"}"}},
                // Ollama sends arguments as an object and may omit the id.
                {"type": "function", "function": {"name": "run_tests", "arguments": {}}}
            ]}}],
            "usage": {"prompt_tokens": 310, "completion_tokens": 22}}),
    )]);
    let budget = CountingBudget::new(100_000);
    let maker = OpenAiMaker::new(options(format!("{}/v1", server.base), &key, 700)).unwrap();
    let mut request = conversation();
    request.max_tokens = 5000; // above the configured 700: the host's cap wins
    let turn = maker.chat(&request, &ctx(&budget)).unwrap();
    assert_eq!(turn.finish, FinishReason::ToolCalls);
    assert_eq!(turn.content, "");
    assert_eq!(
        turn.tool_calls,
        vec![
            ToolCall {
                id: "call_d".into(),
                name: "read_file".into(),
                arguments: "{\"path\": \"calc.py\"}".into()
            },
            ToolCall {
                id: "call_1".into(),
                name: "run_tests".into(),
                arguments: "{}".into()
            },
        ]
    );
    assert_eq!(
        (turn.usage.input_tokens, turn.usage.output_tokens),
        (310, 22)
    );
    assert_eq!(budget.charges(), vec![turn.usage]);

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let body = &seen[0].body;
    assert_eq!(seen[0].url, "/v1/chat/completions");
    assert_eq!(seen[0].header("authorization"), Some("Bearer sk-chat-oa"));
    assert_eq!(body["max_tokens"], 700);
    assert_eq!(
        body["tools"][0],
        json!({"type": "function", "function": {"name": "read_file",
            "description": "Read a file of the worktree.",
            "parameters": tools()[0].parameters}})
    );
    let messages = body["messages"].as_array().unwrap();
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    assert_eq!(
        roles,
        [
            "system",
            "user",
            "assistant",
            "tool",
            "assistant",
            "tool",
            "tool"
        ]
    );
    assert_eq!(messages[0]["content"], "You fix bugs.");
    assert_eq!(
        messages[2]["tool_calls"][0],
        json!({"id": "call_a", "type": "function",
            "function": {"name": "read_file", "arguments": "{\"path\":\"calc.py\"}"}})
    );
    assert_eq!(messages[3]["tool_call_id"], "call_a");
    assert_eq!(messages[3]["content"], "def add(a, b):\n    return a - b\n");
    // An assistant turn that only called tools echoes null content, as OpenAI sends it.
    assert_eq!(messages[4]["content"], Value::Null);
    assert_eq!(messages[4]["tool_calls"].as_array().unwrap().len(), 2);
    assert_eq!(messages[6]["tool_call_id"], "call_c");
    // The reservation covered the whole body plus the capped output.
    let reserved = budget.reservations()[0].tokens;
    assert_eq!(
        reserved,
        (serde_json::to_string(body).unwrap().chars().count() as u64).div_ceil(4) + 700
    );
}

#[test]
fn anthropic_tool_use_and_tool_result_blocks_alternate_roles() {
    let key = key_var("CHAT_ANT", "sk-chat-ant");
    let server = ScriptedServer::start(vec![Reply::json(
        200,
        json!({"id": "msg_2", "type": "message", "role": "assistant", "stop_reason": "tool_use",
            "content": [
                {"type": "text", "text": "The sign is wrong; editing."},
                {"type": "tool_use", "id": "toolu_9", "name": "edit_file",
                    "input": {"path": "calc.py", "search": "a - b", "replace": "a + b"}}
            ],
            "usage": {"input_tokens": 400, "output_tokens": 35, "cache_read_input_tokens": 100}}),
    )]);
    let budget = CountingBudget::new(100_000);
    let maker = AnthropicMaker::new(options(server.base.clone(), &key, 900)).unwrap();
    let turn = maker.chat(&conversation(), &ctx(&budget)).unwrap();
    assert_eq!(turn.finish, FinishReason::ToolCalls);
    assert_eq!(turn.content, "The sign is wrong; editing.");
    assert_eq!(turn.tool_calls.len(), 1);
    assert_eq!(turn.tool_calls[0].id, "toolu_9");
    assert_eq!(turn.tool_calls[0].name, "edit_file");
    let args: Value = serde_json::from_str(&turn.tool_calls[0].arguments).unwrap();
    assert_eq!(args["replace"], "a + b");
    assert_eq!(
        (turn.usage.input_tokens, turn.usage.output_tokens),
        (500, 35)
    );

    let seen = server.seen();
    let body = &seen[0].body;
    assert_eq!(seen[0].url, "/v1/messages");
    assert_eq!(seen[0].header("x-api-key"), Some("sk-chat-ant"));
    assert_eq!(body["system"], "You fix bugs.");
    assert_eq!(body["max_tokens"], 900);
    assert_eq!(
        body["tools"][0],
        json!({"name": "read_file", "description": "Read a file of the worktree.",
            "input_schema": tools()[0].parameters})
    );
    let messages = body["messages"].as_array().unwrap();
    let roles: Vec<&str> = messages
        .iter()
        .map(|m| m["role"].as_str().unwrap())
        .collect();
    // user, assistant(text + tool_use), user(tool_result), assistant(2 tool_use),
    // user(2 tool_results merged into one message).
    assert_eq!(roles, ["user", "assistant", "user", "assistant", "user"]);
    assert_eq!(
        messages[1]["content"],
        json!([
            {"type": "text", "text": "Reading the module first."},
            {"type": "tool_use", "id": "call_a", "name": "read_file", "input": {"path": "calc.py"}}
        ])
    );
    assert_eq!(
        messages[2]["content"],
        json!([{"type": "tool_result", "tool_use_id": "call_a",
            "content": "def add(a, b):\n    return a - b\n"}])
    );
    // The empty text of a tool-only turn is left out (the API refuses empty text blocks).
    assert_eq!(messages[3]["content"].as_array().unwrap().len(), 2);
    let results: Vec<&str> = messages[4]["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["tool_use_id"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["call_b", "call_c"]);
}

#[test]
fn final_answers_and_cut_off_turns_are_told_apart() {
    let key = key_var("CHAT_FINISH", "sk-finish");
    let server = ScriptedServer::start(vec![
        openai_reply("All tests pass now."),
        Reply::json(
            200,
            json!({"choices": [{"finish_reason": "length",
                "message": {"role": "assistant", "content": "I will now"}}]}),
        ),
    ]);
    let budget = CountingBudget::new(100_000);
    let maker = OpenAiMaker::new(options(format!("{}/v1", server.base), &key, 300)).unwrap();
    let request = ChatRequest {
        system: "s".into(),
        messages: vec![ChatMessage::user("Done?")],
        tools: vec![],
        max_tokens: 100,
    };
    let stop = maker.chat(&request, &ctx(&budget)).unwrap();
    assert_eq!(
        (stop.finish, stop.content.as_str()),
        (FinishReason::Stop, "All tests pass now.")
    );
    assert!(stop.tool_calls.is_empty());
    let cut = maker.chat(&request, &ctx(&budget)).unwrap();
    assert_eq!(cut.finish, FinishReason::Length);
    // No usage reported: the reservation is charged.
    assert!(cut.usage.estimated);
    let seen = server.seen();
    // No tools: no `tools` key (some servers refuse an empty list); the plugin's smaller
    // max_tokens is honoured.
    assert!(seen[0].body.get("tools").is_none());
    assert_eq!(seen[0].body["max_tokens"], 100);
}

#[test]
fn a_turn_the_budget_cannot_cover_sends_nothing() {
    let key = key_var("CHAT_BUDGET", "sk-cb");
    let server = ScriptedServer::start(vec![openai_reply("unused")]);
    let maker = OpenAiMaker::new(options(format!("{}/v1", server.base), &key, 2000)).unwrap();
    let budget = CountingBudget::new(1500);
    let err = maker.chat(&conversation(), &ctx(&budget)).unwrap_err();
    assert!(matches!(err, MakerError::Budget(_)), "{err}");
    assert_eq!(err.code(), "budget-exceeded");
    assert_eq!(server.seen().len(), 0, "a refused turn reached the network");
    assert!(budget.charges().is_empty());
}

#[test]
fn unusable_replies_and_unsendable_requests_are_errors() {
    let key = key_var("CHAT_BAD", "sk-bad");
    let server = ScriptedServer::start(vec![Reply::json(200, json!({"object": "nothing"}))]);
    let budget = CountingBudget::new(100_000);
    let maker = OpenAiMaker::new(options(format!("{}/v1", server.base), &key, 100)).unwrap();
    let err = maker.chat(&conversation(), &ctx(&budget)).unwrap_err();
    assert!(matches!(err, MakerError::BadResponse { .. }), "{err}");
    // A 2xx answer was spent: the estimate is charged.
    assert_eq!(budget.charges().len(), 1);

    // Anthropic takes only object arguments: a broken echo is refused before any I/O.
    let server = ScriptedServer::start(vec![]);
    let maker = AnthropicMaker::new(options(server.base.clone(), &key, 100)).unwrap();
    let mut request = conversation();
    request.messages[1].tool_calls[0].arguments = "[1, 2".into();
    let err = maker.chat(&request, &ctx(&budget)).unwrap_err();
    assert!(matches!(err, MakerError::BadRequest { .. }), "{err}");
    assert!(err.to_string().contains("call_a"), "{err}");
    assert_eq!(server.seen().len(), 0);
}

#[test]
fn a_command_maker_has_no_turns() {
    let maker = CommandMaker::new(
        "true",
        strive_worktree::RunLimits {
            timeout: Duration::from_secs(5),
            ..Default::default()
        },
    );
    let budget = CountingBudget::new(100_000);
    let err = maker.chat(&conversation(), &ctx(&budget)).unwrap_err();
    assert_eq!(err.code(), "no-chat");
    assert!(err.to_string().contains("LLM maker"), "{err}");
}

#[test]
fn retried_turn_attempts_count_against_the_run_wall_clock() {
    let key = key_var("CHAT_DEADLINE", "sk-dl");
    // Every attempt is a retryable 503 asking to wait 1 s: four attempts would take ~3 s.
    let server = ScriptedServer::start(
        (0..4)
            .map(|_| Reply::json(503, json!({"error": "busy"})).header("Retry-After", "1"))
            .collect(),
    );
    let mut opts = options(format!("{}/v1", server.base), &key, 100);
    opts.http = fast_retries(4);
    let maker = OpenAiMaker::new(opts).unwrap();
    let budget = CountingBudget::new(100_000);
    let started = std::time::Instant::now();
    let err = maker
        .chat(
            &conversation(),
            &MakeContext {
                budget: &budget,
                worktree: None,
                deadline: Some(started + Duration::from_millis(1500)),
            },
        )
        .unwrap_err();
    assert!(matches!(err, MakerError::DeadlineExceeded { .. }), "{err}");
    assert!(started.elapsed() < Duration::from_millis(2500));
    // The second wait would pass the deadline: two attempts, not four.
    assert_eq!(server.seen().len(), 2);
}
