//! API keys never reach the logs: every tracing event (ours, reqwest's and hyper's, at TRACE)
//! is captured during calls that succeed, retry and fail, and searched for the key.

use crate::common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use serde_json::json;
use strive_makers::{MakeContext, MakeRequest, MakerSpec};

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn keys_are_never_logged() {
    use tracing_subscriber::util::SubscriberInitExt;
    let logs = Buffer::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish()
        .init();

    const SECRET: &str = "sk-never-log-me-4242";
    let key = key_var("LOGS", SECRET);
    let server = ScriptedServer::start(vec![
        Reply::json(429, json!({})).header("Retry-After", "0"),
        openai_reply(r#"{"files": []}"#),
        Reply::json(403, json!({"error": format!("key {SECRET} revoked")})),
    ]);
    let budget = CountingBudget::new(1_000_000);
    for kind in ["openai", "anthropic"] {
        let spec = json!({"type": kind, "base_url": format!("{}/v1", server.base), "model": "m",
            "api_key_env": key, "max_attempts": 2});
        let maker = MakerSpec::from_value(&spec).unwrap().build().unwrap();
        let result = maker.make(
            &MakeRequest::new("t"),
            &MakeContext {
                budget: &budget,
                worktree: None,
                deadline: None,
            },
        );
        if let Err(e) = result {
            tracing::error!(error = %e, debug = ?e, "maker failed");
        }
    }
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("maker request retried"),
        "the capture saw no events:\n{text}"
    );
    assert!(text.contains("maker failed"), "{text}");
    assert!(!text.contains(SECRET), "key found in logs:\n{text}");
    assert_eq!(server.seen().len(), 3);
}
