//! The HTTP makers against a real server on loopback speaking the OpenAI and Anthropic wire
//! formats with scripted answers.

use crate::common;

use std::time::Duration;

use common::*;
use serde_json::{Value, json};
use strive_makers::{
    Answer, AnthropicMaker, ApiKey, ExtractError, FileText, LlmOptions, MakeContext, MakeRequest,
    Maker, MakerError, MakerSpec, OpenAiMaker, Price,
};

const ANSWER: &str =
    r#"{"files": [{"path": "src/lib.rs", "content": "pub fn two() -> u8 { 2 }\n"}]}"#;

fn request() -> MakeRequest {
    MakeRequest::new("Make two() return 2.")
        .with_files(vec![FileText {
            path: "src/lib.rs".into(),
            content: "pub fn two() -> u8 { 3 }\n".into(),
        }])
        .with_reflections(vec!["attempt 1: tests failed (exit 1): expected 2".into()])
}

fn want_files() -> Answer {
    Answer::Files(vec![FileText {
        path: "src/lib.rs".into(),
        content: "pub fn two() -> u8 { 2 }\n".into(),
    }])
}

fn openai(server: &ScriptedServer, key_env: &str, attempts: u32) -> OpenAiMaker {
    let mut opts = LlmOptions::new(
        format!("{}/v1", server.base),
        "test-model",
        Some(ApiKey::from_env(key_env).unwrap()),
    );
    opts.http = fast_retries(attempts);
    opts.max_tokens = 1000;
    OpenAiMaker::new(opts).unwrap()
}

fn anthropic(server: &ScriptedServer, key_env: &str) -> AnthropicMaker {
    let mut opts = LlmOptions::new(
        &server.base,
        "claude-test",
        Some(ApiKey::from_env(key_env).unwrap()),
    );
    opts.http = fast_retries(3);
    opts.max_tokens = 1000;
    opts.price = Some(Price {
        input: 3.0,
        output: 15.0,
    });
    AnthropicMaker::new(opts).unwrap()
}

fn ctx(budget: &CountingBudget) -> MakeContext<'_> {
    MakeContext {
        budget,
        worktree: None,
        deadline: None,
    }
}

#[test]
fn openai_wire_format_answer_and_usage() {
    let key = key_var("OPENAI_WIRE", "sk-wire-0001");
    let server = ScriptedServer::start(vec![openai_reply(&format!(
        "Sure.\n```json\n{ANSWER}\n```"
    ))]);
    let budget = CountingBudget::new(100_000);
    let resp = openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap();
    assert_eq!(resp.answer, want_files());
    assert_eq!(
        (resp.usage.input_tokens, resp.usage.output_tokens),
        (120, 30)
    );
    assert!(!resp.usage.estimated);
    assert_eq!(budget.charges(), vec![resp.usage]);
    assert_eq!(budget.remaining(), 100_000 - 150);

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(r.header("authorization"), Some("Bearer sk-wire-0001"));
    assert_eq!(r.body["model"], "test-model");
    assert_eq!(r.body["max_tokens"], 1000);
    assert_eq!(
        r.body["response_format"],
        json!({"type": "json_schema", "json_schema": {
            "name": "strive_answer", "schema": strive_makers::answer_schema(), "strict": false}})
    );
    assert_eq!(r.body["messages"][0]["role"], "system");
    let user = r.body["messages"][1]["content"].as_str().unwrap();
    let system = r.body["messages"][0]["content"].as_str().unwrap();
    let tag = data_tag(system);
    assert!(
        user.starts_with(&format!(
            "TASK (a marked `task` block; what to change):\n<<<data-{tag} task>>>\nMake two() return 2.\n<<<end-{tag}>>>\n"
        )),
        "{user}"
    );
    assert!(user.contains(&format!(
        "<<<data-{tag} file \"src/lib.rs\">>>\npub fn two() -> u8 {{ 3 }}\n<<<end-{tag}>>>\n"
    )));
    assert!(user.contains(&format!(
        "<<<data-{tag} test-output>>>\n- attempt 1: tests failed"
    )));
}

#[test]
fn openai_answer_after_think_block_and_as_patch() {
    let key = key_var("OPENAI_THINK", "sk-think");
    let server = ScriptedServer::start(vec![
        openai_reply(&format!(
            "<think>I could answer {{\"files\": 3}} but no.</think>\n{ANSWER}"
        )),
        openai_reply(r#"{"patch": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n"}"#),
    ]);
    let budget = CountingBudget::new(100_000);
    let maker = openai(&server, &key, 1);
    assert_eq!(
        maker.make(&request(), &ctx(&budget)).unwrap().answer,
        want_files()
    );
    assert_eq!(
        maker.make(&request(), &ctx(&budget)).unwrap().answer,
        Answer::Patch("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n".into())
    );
}

#[test]
fn anthropic_wire_format_answer_usage_and_cost() {
    let key = key_var("ANTHROPIC_WIRE", "sk-ant-wire");
    let server = ScriptedServer::start(vec![anthropic_reply(ANSWER)]);
    let budget = CountingBudget::new(100_000);
    let resp = anthropic(&server, &key)
        .make(&request(), &ctx(&budget))
        .unwrap();
    assert_eq!(resp.answer, want_files());
    assert_eq!(
        (resp.usage.input_tokens, resp.usage.output_tokens),
        (210, 40)
    );
    let cost = resp.usage.cost_usd.unwrap();
    assert!(
        (cost - (210.0 * 3.0 + 40.0 * 15.0) / 1e6).abs() < 1e-12,
        "{cost}"
    );
    assert!(budget.reservations()[0].cost_usd.is_some());

    let r = &server.seen()[0];
    assert_eq!(r.url, "/v1/messages");
    assert_eq!(r.header("x-api-key"), Some("sk-ant-wire"));
    assert_eq!(r.header("anthropic-version"), Some("2023-06-01"));
    assert!(r.header("authorization").is_none());
    assert_eq!(r.body["model"], "claude-test");
    assert!(
        r.body["system"]
            .as_str()
            .unwrap()
            .contains("assisted-fix loop")
    );
    assert_eq!(r.body["messages"][0]["role"], "user");
    assert_eq!(r.body["output_config"]["format"]["type"], "json_schema");
    // Anthropic's schema subset has anyOf, not oneOf: the same two closed branches.
    let schema = &r.body["output_config"]["format"]["schema"];
    assert_eq!(schema["anyOf"], strive_makers::answer_schema()["oneOf"]);
    assert!(schema.get("oneOf").is_none());
}

#[test]
fn the_answer_schema_admits_exactly_one_form() {
    let schema = strive_makers::answer_schema();
    let branches = schema["oneOf"].as_array().unwrap();
    let required: Vec<&Value> = branches.iter().map(|b| &b["required"]).collect();
    assert_eq!(required, [&json!(["files"]), &json!(["patch"])]);
    for b in branches {
        assert_eq!(b["additionalProperties"], json!(false));
        assert_eq!(b["type"], "object");
    }
}

#[test]
fn an_answer_with_both_forms_is_taken_when_they_agree_and_refused_when_not() {
    let key = key_var("BOTH_FORMS", "sk-both");
    let patch = "--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1 +1 @@\n-pub fn two() -> u8 { 3 }\n+pub fn two() -> u8 { 2 }\n";
    let agree = json!({"files": [{"path": "src/lib.rs", "content": "pub fn two() -> u8 { 2 }\n"}],
        "patch": patch});
    let disagree = json!({"files": [{"path": "src/lib.rs", "content": "pub fn two() -> u8 { 22 }\n"}],
        "patch": patch});
    let server = ScriptedServer::start(vec![
        openai_reply(&agree.to_string()),
        openai_reply(&disagree.to_string()),
    ]);
    let budget = CountingBudget::new(100_000);
    let maker = openai(&server, &key, 1);
    assert_eq!(
        maker.make(&request(), &ctx(&budget)).unwrap().answer,
        want_files()
    );
    let err = maker.make(&request(), &ctx(&budget)).unwrap_err();
    assert!(
        matches!(
            err,
            MakerError::NoAnswer {
                source: ExtractError::Ambiguous,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn rate_limit_with_retry_after_is_waited_out_then_retried() {
    let key = key_var("RETRY_AFTER", "sk-ra");
    let server = ScriptedServer::start(vec![
        Reply::json(429, json!({"error": "slow down"})).header("Retry-After", "1"),
        openai_reply(ANSWER),
    ]);
    let budget = CountingBudget::new(100_000);
    let resp = openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap();
    assert_eq!(resp.answer, want_files());
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    let gap = seen[1].at - seen[0].at;
    assert!(
        gap >= Duration::from_millis(950),
        "Retry-After: 1 not honoured: {gap:?}"
    );
    assert_eq!(
        budget.reservations().len(),
        1,
        "one reservation per call, not per attempt"
    );
    assert_eq!(budget.charges().len(), 1);
}

#[test]
fn server_errors_back_off_exponentially_then_succeed() {
    let key = key_var("BACKOFF", "sk-bo");
    let server = ScriptedServer::start(vec![
        Reply::json(500, json!({"error": "boom"})),
        Reply::json(503, json!({"error": "busy"})),
        openai_reply(ANSWER),
    ]);
    let budget = CountingBudget::new(100_000);
    openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    // Base 100 ms: the first wait is 50–100 ms, the second 100–200 ms.
    assert!(seen[1].at - seen[0].at >= Duration::from_millis(50));
    assert!(seen[2].at - seen[1].at >= Duration::from_millis(100));
}

#[test]
fn retries_stop_at_max_attempts() {
    let key = key_var("EXHAUST", "sk-ex");
    let server = ScriptedServer::start(vec![Reply::json(502, json!({})); 5]);
    let budget = CountingBudget::new(100_000);
    let err = openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap_err();
    assert!(
        matches!(err, MakerError::RetriesExhausted { attempts: 3, .. }),
        "{err}"
    );
    assert_eq!(server.seen().len(), 3);
    assert!(
        budget.charges().is_empty(),
        "nothing answered, nothing charged"
    );
}

#[test]
fn a_retry_after_beyond_the_limit_gives_up_at_once() {
    let key = key_var("TOO_LONG", "sk-tl");
    let server = ScriptedServer::start(vec![
        Reply::json(429, json!({})).header("Retry-After", "3600"),
        openai_reply(ANSWER),
    ]);
    let budget = CountingBudget::new(100_000);
    let err = openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap_err();
    assert!(matches!(err, MakerError::RateLimited { .. }), "{err}");
    assert_eq!(server.seen().len(), 1);
}

#[test]
fn structured_output_weakens_on_each_http_400_schema_then_json_object_then_none() {
    let key = key_var("JSON400", "sk-400");
    let server = ScriptedServer::start(vec![
        Reply::json(400, json!({"error": "json_schema not supported"})),
        Reply::json(400, json!({"error": "response_format not supported"})),
        openai_reply(ANSWER),
    ]);
    let budget = CountingBudget::new(100_000);
    openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[0].body["response_format"]["type"], "json_schema");
    assert_eq!(
        seen[0].body["response_format"]["json_schema"]["schema"],
        strive_makers::answer_schema()
    );
    assert_eq!(
        seen[1].body["response_format"],
        json!({"type": "json_object"})
    );
    assert!(seen[2].body.get("response_format").is_none());
    // One reservation for the call, one charge: a refused format costs nothing.
    assert_eq!(budget.reservations().len(), 1);
    assert_eq!(budget.charges().len(), 1);

    // A schema accepted at once is the only request; a third 400 is the error.
    let server = ScriptedServer::start(vec![openai_reply(ANSWER)]);
    openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap();
    assert_eq!(server.seen().len(), 1);
    let server = ScriptedServer::start(vec![
        Reply::json(400, json!({"error": "no"})),
        Reply::json(400, json!({"error": "no"})),
        Reply::json(400, json!({"error": "bad request"})),
    ]);
    let err = openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap_err();
    assert!(matches!(err, MakerError::Http { status: 400, .. }), "{err}");
    assert_eq!(server.seen().len(), 3);

    // Anthropic: the schema, then nothing (it has no plain JSON mode).
    let key = key_var("JSON400_ANT", "sk-ant-400");
    let server = ScriptedServer::start(vec![
        Reply::json(
            400,
            json!({"type": "error", "error": {"type": "invalid_request_error"}}),
        ),
        anthropic_reply(ANSWER),
    ]);
    anthropic(&server, &key)
        .make(&request(), &ctx(&budget))
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].body.get("output_config").is_some());
    assert!(seen[1].body.get("output_config").is_none());
}

#[test]
fn client_errors_are_not_retried_and_never_show_the_key() {
    let key = key_var("ECHO", "sk-live-SECRET-777");
    let server = ScriptedServer::start(vec![Reply::json(
        401,
        json!({"error": {"message": "Incorrect API key provided: sk-live-SECRET-777"}}),
    )]);
    let budget = CountingBudget::new(100_000);
    let maker = openai(&server, &key, 3);
    let err = maker.make(&request(), &ctx(&budget)).unwrap_err();
    assert!(matches!(err, MakerError::Http { status: 401, .. }), "{err}");
    assert_eq!(server.seen().len(), 1);
    for text in [
        err.to_string(),
        format!("{err:?}"),
        format!("{maker:?}"),
        maker.describe(),
    ] {
        assert!(!text.contains("SECRET-777"), "key leaked: {text}");
    }
    assert!(err.to_string().contains("[REDACTED]"));
}

#[test]
fn budget_refusal_sends_no_request() {
    let key = key_var("BUDGET", "sk-b");
    let server = ScriptedServer::start(vec![openai_reply(ANSWER)]);
    // The prompt alone is a few hundred tokens and max_tokens is 1000.
    let budget = CountingBudget::new(500);
    let err = openai(&server, &key, 3)
        .make(&request(), &ctx(&budget))
        .unwrap_err();
    match err {
        MakerError::Budget(ref refusal) => {
            assert_eq!(err.code(), "budget-exceeded");
            let expected = (request().prompt_chars().unwrap() as u64).div_ceil(4) + 1000;
            assert_eq!(refusal.requested_tokens, expected);
        }
        other => panic!("expected a budget refusal, got {other}"),
    }
    assert_eq!(
        server.seen().len(),
        0,
        "a refused call must not reach the network"
    );
    assert!(budget.charges().is_empty());
}

#[test]
fn missing_usage_charges_the_estimate_and_bad_answers_still_charge() {
    let key = key_var("NOUSAGE", "sk-nu");
    let no_usage = Reply::json(200, json!({"choices": [{"message": {"content": ANSWER}}]}));
    let cut_off = Reply::json(
        200,
        json!({
            "choices": [{"finish_reason": "length", "message": {"content": "{\"files\": [{\"path\": \"a\", \"con"}}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 1000}
        }),
    );
    let server = ScriptedServer::start(vec![no_usage, cut_off]);
    let budget = CountingBudget::new(1_000_000);
    let maker = openai(&server, &key, 1);
    let resp = maker.make(&request(), &ctx(&budget)).unwrap();
    assert!(resp.usage.estimated);
    assert_eq!(resp.usage.total_tokens(), budget.reservations()[0].tokens);

    let err = maker.make(&request(), &ctx(&budget)).unwrap_err();
    match err {
        MakerError::NoAnswer {
            truncated,
            usage,
            source,
            ..
        } => {
            assert!(truncated);
            assert_eq!(usage.total_tokens(), 1100);
            assert_eq!(source, ExtractError::NoAnswerObject);
        }
        other => panic!("{other}"),
    }
    assert_eq!(budget.charges().len(), 2);
}

#[test]
fn unparseable_provider_body_is_an_error() {
    let key = key_var("GARBAGE", "sk-g");
    let server = ScriptedServer::start(vec![Reply {
        status: 200,
        headers: vec![],
        body: "<html>".into(),
    }]);
    let budget = CountingBudget::new(100_000);
    let err = openai(&server, &key, 1)
        .make(&request(), &ctx(&budget))
        .unwrap_err();
    assert!(matches!(err, MakerError::BadResponse { .. }), "{err}");
}

#[test]
fn connection_refused_is_retried_then_reported() {
    let key = key_var("REFUSED", "sk-r");
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut opts = LlmOptions::new(
        format!("http://127.0.0.1:{port}/v1"),
        "m",
        Some(ApiKey::from_env(&key).unwrap()),
    );
    opts.http = fast_retries(2);
    let budget = CountingBudget::new(100_000);
    let err = OpenAiMaker::new(opts)
        .unwrap()
        .make(&request(), &ctx(&budget))
        .unwrap_err();
    assert!(
        matches!(err, MakerError::RetriesExhausted { attempts: 2, .. }),
        "{err}"
    );
    assert!(!err.to_string().contains("sk-r"));
}

#[test]
fn one_line_of_config_points_at_a_provider() {
    let key = key_var("SPEC", "sk-spec");
    let server = ScriptedServer::start(vec![openai_reply(ANSWER)]);
    let spec = json!({"maker": {"type": "openai", "base_url": format!("{}/openai/v1", server.base),
        "model": "llama-3.3-70b-versatile", "api_key_env": key,
        "prices": {"llama-3.3-70b-versatile": {"input": 0.59, "output": 0.79}}}});
    let maker = MakerSpec::from_loop_spec(&spec)
        .unwrap()
        .unwrap()
        .build()
        .unwrap();
    let budget = CountingBudget::new(100_000);
    let resp = maker.make(&request(), &ctx(&budget)).unwrap();
    assert_eq!(resp.model, "llama-3.3-70b-versatile");
    assert!(resp.usage.cost_usd.is_some());
    assert_eq!(server.seen()[0].url, "/openai/v1/chat/completions");
}

#[test]
fn reasoning_content_is_searched_when_content_is_empty() {
    let key = key_var("REASONING", "sk-rc");
    let server = ScriptedServer::start(vec![Reply::json(
        200,
        json!({
            "choices": [{"message": {"content": "", "reasoning_content": format!("thinking... {ANSWER}")}}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2}
        }),
    )]);
    let budget = CountingBudget::new(100_000);
    let resp = openai(&server, &key, 1)
        .make(&request(), &ctx(&budget))
        .unwrap();
    assert_eq!(resp.answer, want_files());
}

#[test]
fn oversized_responses_are_refused() {
    let key = key_var("HUGE", "sk-h");
    let huge = "x".repeat(strive_makers::http::MAX_RESPONSE_BYTES as usize + 10);
    let server = ScriptedServer::start(vec![Reply {
        status: 200,
        headers: vec![],
        body: huge,
    }]);
    let budget = CountingBudget::new(100_000);
    let err = openai(&server, &key, 1)
        .make(&request(), &ctx(&budget))
        .unwrap_err();
    assert!(matches!(err, MakerError::BadResponse { .. }), "{err}");
    assert_eq!(err.code(), "bad-response");
}

/// A provider that accepts the connection and never answers, with a 10 s request timeout and
/// four attempts: the run's 1 s deadline still ends the whole call in about 1 s, as
/// `DeadlineExceeded` naming the last failure.
#[test]
fn a_hung_provider_cannot_outlast_the_run_deadline() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let held = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = std::sync::Arc::clone(&held);
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            keep.lock().unwrap().push(conn); // read nothing, answer nothing
        }
    });
    let mut opts = LlmOptions::new(&base, "hung-model", None);
    opts.http = fast_retries(4);
    let maker = OpenAiMaker::new(opts).unwrap();
    let budget = CountingBudget::new(100_000);
    let started = std::time::Instant::now();
    let deadline = started + Duration::from_secs(1);
    let err = maker
        .make(
            &request(),
            &MakeContext {
                budget: &budget,
                worktree: None,
                deadline: Some(deadline),
            },
        )
        .unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, MakerError::DeadlineExceeded { .. }), "{err}");
    assert!(err.to_string().contains("wall clock ran out"), "{err}");
    // Bound, not speed: 10 s per attempt × 4 without the deadline.
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

/// The data-marker tag a system prompt names (`<<<end-TAG>>>`).
fn data_tag(system: &str) -> String {
    let at = system
        .find("<<<end-")
        .expect("the system prompt names the marker")
        + 7;
    system[at..].split(">>>").next().unwrap().to_owned()
}
