//! Fixtures for the assisted-fix end-to-end tests: a real git repository with a failing test, a
//! scripted provider on loopback that speaks the OpenAI and Anthropic wire formats, and a
//! driver for the real `strive` binary.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use serde_json::{Value, json};

/// Runs git in `dir` with a fixed identity; panics with git's stderr on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
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
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The broken implementation every repository starts with.
pub const BROKEN: &str = "def add(a, b):\n    return a - b\n";
/// The fix.
pub const FIXED: &str = "def add(a, b):\n    return a + b\n";
/// A wrong fix (2 + 2 gives 5).
pub const WRONG: &str = "def add(a, b):\n    return a * b + 1\n";
/// The test, as committed.
pub const TEST: &str = "import unittest\n\nfrom calc import add\n\n\nclass TestAdd(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 2), 4)\n\n\nif __name__ == \"__main__\":\n    unittest.main()\n";
pub const TEST_COMMAND: &str = "python3 -m unittest -q test_calc";

/// A repository on `main` (checked out, clean) whose test fails, plus `src/auth/guard.py`.
pub fn failing_repo(root: &Path) -> PathBuf {
    let repo = root.join("repo");
    std::fs::create_dir_all(repo.join("src/auth")).unwrap();
    git(&repo, &["init", "-q"]);
    std::fs::write(repo.join("calc.py"), BROKEN).unwrap();
    std::fs::write(repo.join("test_calc.py"), TEST).unwrap();
    std::fs::write(repo.join("src/auth/guard.py"), "ALLOWED = False\n").unwrap();
    std::fs::write(repo.join(".gitignore"), "__pycache__/\n").unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "init"]);
    repo
}

/// One scripted reply, and something to do before sending it (e.g. commit to the base).
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub before: Option<Box<dyn FnOnce() + Send>>,
}

impl Reply {
    pub fn status(status: u16, body: &str) -> Self {
        Reply {
            status,
            headers: vec![],
            body: body.into(),
            before: None,
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn before(mut self, hook: impl FnOnce() + Send + 'static) -> Self {
        self.before = Some(Box::new(hook));
        self
    }
}

/// The answer object the earlier tool's makers returned.
pub fn files_answer(files: &[(&str, &str)]) -> String {
    json!({"files": files.iter().map(|(p, c)| json!({"path": p, "content": c})).collect::<Vec<_>>()})
        .to_string()
}

/// An OpenAI chat-completions reply carrying `content`, with the given usage.
pub fn openai(content: &str, prompt_tokens: u64, completion_tokens: u64) -> Reply {
    Reply::status(
        200,
        &json!({
            "id": "cmpl-1", "object": "chat.completion",
            "choices": [{"index": 0, "finish_reason": "stop",
                "message": {"role": "assistant", "content": content}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens}
        })
        .to_string(),
    )
}

/// An Anthropic Messages reply carrying `text`.
pub fn anthropic(text: &str) -> Reply {
    Reply::status(
        200,
        &json!({
            "id": "msg_1", "type": "message", "role": "assistant", "stop_reason": "end_turn",
            "content": [{"type": "text", "text": text}],
            "usage": {"input_tokens": 200, "output_tokens": 40}
        })
        .to_string(),
    )
}

/// A request the server received.
#[derive(Debug, Clone)]
pub struct Seen {
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Value,
    pub at: Instant,
}

impl Seen {
    /// The user message, in either wire format.
    pub fn prompt(&self) -> String {
        let messages = self.body["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        messages
            .iter()
            .filter(|m| m["role"] == "user")
            .filter_map(|m| m["content"].as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Answers from a script in order and records every request; unscripted requests get 599.
pub struct Provider {
    pub base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<JoinHandle<()>>,
}

impl Provider {
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
                    url: request.url().to_owned(),
                    headers: request
                        .headers()
                        .iter()
                        .map(|h| (h.field.to_string(), h.value.to_string()))
                        .collect(),
                    body: serde_json::from_str(&body).unwrap_or(Value::Null),
                    at: Instant::now(),
                });
                let mut reply = script
                    .pop_front()
                    .unwrap_or_else(|| Reply::status(599, "unscripted"));
                if let Some(hook) = reply.before.take() {
                    hook();
                }
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
        Provider {
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

impl Drop for Provider {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The result of one `strive run`.
pub struct Ran {
    pub code: i32,
    pub json: Value,
    pub stderr: String,
}

impl Ran {
    pub fn result(&self) -> &str {
        self.json["result"].as_str().unwrap_or("")
    }
    pub fn note(&self) -> &str {
        self.json["note"].as_str().unwrap_or("")
    }
}

/// A temporary directory holding the repository, the spec, the state and the worktrees.
pub struct Setup {
    pub tmp: tempfile::TempDir,
    pub repo: PathBuf,
    pub key_env: String,
}

impl Setup {
    pub fn new(name: &str) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let repo = failing_repo(tmp.path());
        std::fs::create_dir(tmp.path().join("wt")).unwrap();
        Setup {
            tmp,
            repo,
            key_env: format!("STRIVE_E2E_KEY_{name}"),
        }
    }

    pub fn state(&self) -> PathBuf {
        self.tmp.path().join("state/state.json")
    }

    /// A spec for `phase` pointing the maker at `base_url` (OpenAI wire format), merged with
    /// `extra` (top-level keys; `null` removes one).
    pub fn spec(&self, phase: &str, base_url: &str, extra: Value) -> Value {
        let mut spec = json!({
            "id": "fix-add",
            "kind": "assisted-fix",
            "phase": phase,
            "target": {"repo": self.repo.to_str().unwrap(), "base_ref": "main"},
            "budget": {"max_tokens": 100000, "max_iterations": 3, "wall_clock_secs": 120},
            "task": "Make calc.add return the sum of its two arguments.",
            "test_command": TEST_COMMAND,
            "maker": {"type": "openai", "base_url": format!("{base_url}/v1"), "model": "scripted",
                "api_key_env": self.key_env, "max_tokens": 500, "max_attempts": 3},
        });
        for (k, v) in extra.as_object().cloned().unwrap_or_default() {
            if v.is_null() {
                spec.as_object_mut().unwrap().remove(&k);
            } else {
                spec[k] = v;
            }
        }
        spec
    }

    /// Writes `spec` and runs `strive run --json` on it.
    pub fn run(&self, spec: &Value) -> Ran {
        let path = self.tmp.path().join("loop.json");
        std::fs::write(&path, serde_json::to_string_pretty(spec).unwrap()).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_strive"))
            .arg("run")
            .arg(&path)
            .arg("--json")
            .arg("--state")
            .arg(self.state())
            .env(&self.key_env, "sk-e2e-secret")
            .env("TMPDIR", self.tmp.path().join("wt"))
            .env("STRIVE_CACHE_DIR", cache_dir())
            .output()
            .expect("strive runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        // A spec refused before running (exit 64) prints only to stderr.
        let json = if stdout.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(stdout.trim())
                .unwrap_or_else(|e| panic!("strive printed no JSON ({e}):\n{stdout}\n{stderr}"))
        };
        Ran {
            code: out.status.code().unwrap_or(-1),
            json,
            stderr,
        }
    }

    /// The loop's state section.
    pub fn section(&self) -> Value {
        let text = std::fs::read_to_string(self.state()).expect("state file written");
        let state: Value = serde_json::from_str(&text).unwrap();
        let loops = state.get("loops").unwrap_or(&state);
        loops["fix-add"].clone()
    }

    /// Run-log rows (JSONL beside the state file).
    pub fn runlog(&self) -> Vec<Value> {
        let dir = self.state().parent().unwrap().to_path_buf();
        let mut rows = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.to_string_lossy().ends_with("runlog.jsonl") {
                for line in std::fs::read_to_string(path).unwrap().lines() {
                    rows.push(serde_json::from_str(line).unwrap());
                }
            }
        }
        rows
    }

    pub fn main_oid(&self) -> String {
        git(&self.repo, &["rev-parse", "main"])
    }

    pub fn branches(&self) -> Vec<String> {
        git(
            &self.repo,
            &[
                "for-each-ref",
                "--format=%(refname:short)",
                "refs/heads/loop/",
            ],
        )
        .lines()
        .map(str::to_string)
        .collect()
    }
}

/// One precompile cache for every test of the process (compiling the plugin once).
pub fn cache_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("strive-e2e-cache-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}
