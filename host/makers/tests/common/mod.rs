//! A scripted HTTP server on loopback and a counting budget, shared by the maker tests.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use strive_makers::{BudgetGate, Estimate, MakerRefusal, Usage};

/// One scripted reply.
#[derive(Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn json(status: u16, body: serde_json::Value) -> Self {
        Self {
            status,
            headers: vec![],
            body: body.to_string(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// A request the server received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
    pub at: Instant,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Answers requests from a script, in order; records every request. Unscripted requests get 599.
pub struct ScriptedServer {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl ScriptedServer {
    pub fn start(script: Vec<Reply>) -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind loopback"));
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut script: VecDeque<Reply> = script.into();
        let (srv, log) = (Arc::clone(&server), Arc::clone(&seen));
        let thread = std::thread::spawn(move || {
            for mut request in srv.incoming_requests() {
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                log.lock().unwrap().push(Seen {
                    method: request.method().to_string(),
                    url: request.url().to_owned(),
                    headers: request
                        .headers()
                        .iter()
                        .map(|h| (h.field.to_string(), h.value.to_string()))
                        .collect(),
                    body: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
                    at: Instant::now(),
                });
                let reply = script.pop_front().unwrap_or_else(|| Reply {
                    status: 599,
                    headers: vec![],
                    body: "unscripted".into(),
                });
                let mut response =
                    tiny_http::Response::from_string(reply.body).with_status_code(reply.status);
                response.add_header(
                    tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap(),
                );
                for (k, v) in reply.headers {
                    response.add_header(tiny_http::Header::from_bytes(k, v).unwrap());
                }
                let _ = request.respond(response);
            }
        });
        Self {
            base,
            seen,
            server,
            thread: Some(thread),
        }
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for ScriptedServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A token budget that records reservations and charges.
pub struct CountingBudget {
    pub state: Mutex<(u64, Vec<Estimate>, Vec<Usage>)>,
}

impl CountingBudget {
    pub fn new(tokens: u64) -> Self {
        Self {
            state: Mutex::new((tokens, vec![], vec![])),
        }
    }
    pub fn remaining(&self) -> u64 {
        self.state.lock().unwrap().0
    }
    pub fn charges(&self) -> Vec<Usage> {
        self.state.lock().unwrap().2.clone()
    }
    pub fn reservations(&self) -> Vec<Estimate> {
        self.state.lock().unwrap().1.clone()
    }
}

impl BudgetGate for CountingBudget {
    fn reserve(&self, estimate: &Estimate) -> Result<(), MakerRefusal> {
        let mut s = self.state.lock().unwrap();
        s.1.push(*estimate);
        if estimate.tokens > s.0 {
            return Err(MakerRefusal {
                requested_tokens: estimate.tokens,
                reason: format!("{} tokens left", s.0),
            });
        }
        Ok(())
    }
    fn charge(&self, usage: &Usage) {
        let mut s = self.state.lock().unwrap();
        s.0 = s.0.saturating_sub(usage.total_tokens());
        s.2.push(*usage);
    }
}

/// Sets an environment variable unique to one test and returns its name.
pub fn key_var(name: &str, value: &str) -> String {
    let var = format!("STRIVE_TEST_KEY_{name}");
    // SAFETY: each test uses its own variable name, set before any thread reads it.
    unsafe { std::env::set_var(&var, value) };
    var
}

pub fn fast_retries(max_attempts: u32) -> strive_makers::HttpSettings {
    strive_makers::HttpSettings {
        connect_timeout: Duration::from_secs(2),
        timeout: Duration::from_secs(10),
        retry: strive_makers::RetryPolicy {
            max_attempts,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(5),
        },
    }
}

pub fn openai_reply(content: &str) -> Reply {
    Reply::json(
        200,
        serde_json::json!({
            "id": "cmpl-1", "object": "chat.completion",
            "choices": [{"index": 0, "finish_reason": "stop",
                "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}
        }),
    )
}

pub fn anthropic_reply(text: &str) -> Reply {
    Reply::json(
        200,
        serde_json::json!({
            "id": "msg_1", "type": "message", "role": "assistant", "stop_reason": "end_turn",
            "content": [{"type": "text", "text": text}],
            "usage": {"input_tokens": 200, "output_tokens": 40,
                "cache_read_input_tokens": 10}
        }),
    )
}
