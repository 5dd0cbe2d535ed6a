//! `strive eval` end to end: the real binary over the committed task set (real upstream bug
//! fixes), against a scripted OpenAI-compatible model on loopback that answers each task with
//! that task's upstream fix — except a few tasks it deliberately gets wrong in different ways
//! (a wrong edit, a test deleted, no answer at all), which must be reported unsolved.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

fn tasks_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../eval/tasks")
}

/// The committed tasks: (id, task text, fix_patch, test file paths).
fn committed_tasks() -> Vec<Value> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(tasks_dir()).expect("eval/tasks exists") {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let text = std::fs::read_to_string(path.join("task.json")).unwrap();
            out.push(serde_json::from_str(&text).unwrap());
        }
    }
    out.sort_by(|a: &Value, b: &Value| a["id"].as_str().cmp(&b["id"].as_str()));
    out
}

/// How the scripted model treats a task.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Play {
    /// Answers with the upstream fix as a unified diff.
    Fix,
    /// Answers with a patch that changes the code but not the bug (tests still fail).
    Wrong,
    /// Answers with a patch deleting the test file (the integrity scan must stop it).
    Tamper,
    /// Answers with prose and no JSON object.
    Chatter,
}

/// A patch deleting `path` (whose content is `content`).
fn delete_patch(path: &str, content: &str) -> String {
    let lines: Vec<&str> = content.lines().collect();
    let mut patch = format!(
        "diff --git a/{path} b/{path}\ndeleted file mode 100644\n--- a/{path}\n+++ /dev/null\n@@ -1,{} +0,0 @@\n",
        lines.len()
    );
    for l in lines {
        patch.push('-');
        patch.push_str(l);
        patch.push('\n');
    }
    patch
}

/// A patch that appends a harmless comment line to `path` (the bug stays).
fn wrong_patch(path: &str, content: &str, comment: &str) -> String {
    let lines: Vec<&str> = content.lines().collect();
    let n = lines.len();
    let last = lines[n - 1];
    format!(
        "diff --git a/{path} b/{path}\n--- a/{path}\n+++ b/{path}\n@@ -{n},1 +{n},2 @@\n {last}\n+{comment} not the fix\n"
    )
}

struct Model {
    base: String,
    requests: Arc<Mutex<Vec<String>>>,
    server: Arc<tiny_http::Server>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Model {
    /// Answers each chat-completions request by finding which task's text is in the prompt.
    fn start(answers: Vec<(String, String)>) -> Model {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let base = format!("http://{}/v1", server.server_addr().to_ip().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (srv, seen) = (Arc::clone(&server), Arc::clone(&requests));
        let thread = std::thread::spawn(move || {
            for mut request in srv.incoming_requests() {
                let mut body = String::new();
                let _ = request.as_reader().read_to_string(&mut body);
                let doc: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let prompt: String = doc["messages"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|m| m["role"] == "user")
                    .filter_map(|m| m["content"].as_str())
                    .collect();
                let found = answers
                    .iter()
                    .find(|(task, _)| prompt.contains(task.as_str()));
                seen.lock().unwrap().push(prompt.clone());
                let (status, content) = match found {
                    Some((_, answer)) => (200, answer.clone()),
                    None => (500, "no task matched".to_string()),
                };
                let reply = json!({
                    "id": "c", "object": "chat.completion",
                    "choices": [{"index": 0, "finish_reason": "stop",
                        "message": {"role": "assistant", "content": content}}],
                    "usage": {"prompt_tokens": 1000, "completion_tokens": 100, "total_tokens": 1100}
                });
                let response = tiny_http::Response::from_string(reply.to_string())
                    .with_status_code(status)
                    .with_header(
                        tiny_http::Header::from_bytes("Content-Type", "application/json").unwrap(),
                    );
                let _ = request.respond(response);
            }
        });
        Model {
            base,
            requests,
            server,
            thread: Some(thread),
        }
    }
}

impl Drop for Model {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn eval(args: &[&str], tmp: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_strive"))
        .arg("eval")
        .args(args)
        .env("STRIVE_EVAL_E2E_KEY", "sk-eval-secret")
        .env("TMPDIR", tmp)
        .env("STRIVE_CACHE_DIR", tmp.join("cache"))
        .env("STRIVE_HOME", tmp.join("home"))
        .current_dir(tmp)
        .output()
        .expect("strive runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn eval_runs_the_committed_task_set_and_reports_what_the_scripted_model_earned() {
    let tasks = committed_tasks();
    assert!(tasks.len() >= 20, "at least 20 tasks committed");
    let languages: std::collections::BTreeSet<&str> = tasks
        .iter()
        .filter_map(|t| t["language"].as_str())
        .collect();
    assert!(languages.len() >= 3, "{languages:?}");

    // Deliberate failures, one of each kind, on tasks of different languages.
    let play_of = |id: &str| match id {
        "js-bytes-hex" => Play::Wrong,
        "py-inflection-potato" => Play::Tamper,
        "sh-bible-dirname-root" => Play::Chatter,
        _ => Play::Fix,
    };
    let mut answers = Vec::new();
    for t in &tasks {
        let id = t["id"].as_str().unwrap();
        let buggy = t["source"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["role"] == "buggy")
            .unwrap()["task_path"]
            .as_str()
            .unwrap()
            .to_string();
        let test = t["source"]["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["role"] == "test")
            .unwrap()["task_path"]
            .as_str()
            .unwrap()
            .to_string();
        let repo = tasks_dir().join(id).join("repo");
        let answer = match play_of(id) {
            Play::Fix => json!({"patch": t["fix_patch"]}).to_string(),
            Play::Wrong => {
                let content = std::fs::read_to_string(repo.join(&buggy)).unwrap();
                json!({"patch": wrong_patch(&buggy, &content, "//")}).to_string()
            }
            Play::Tamper => {
                let content = std::fs::read_to_string(repo.join(&test)).unwrap();
                json!({"patch": delete_patch(&test, &content)}).to_string()
            }
            Play::Chatter => "I looked at it and I think it is fine as it is.".to_string(),
        };
        answers.push((t["task"].as_str().unwrap().to_string(), answer));
    }
    let model = Model::start(answers);
    let tmp = tempfile::tempdir().unwrap();
    let maker = json!({"type": "openai", "base_url": model.base, "model": "scripted",
        "api_key_env": "STRIVE_EVAL_E2E_KEY", "max_tokens": 2000, "max_attempts": 1})
    .to_string();
    let tasks_arg = tasks_dir().display().to_string();
    let (code, stdout, stderr) = eval(
        &[
            "--maker",
            &maker,
            "--tasks",
            &tasks_arg,
            "--attempts",
            "1",
            "--format",
            "json",
        ],
        tmp.path(),
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("JSON report ({e}):\n{stdout}\n{stderr}"));
    assert_eq!(report["schema"], "strive-eval/1");
    let rows = report["tasks"].as_array().unwrap();
    assert_eq!(rows.len(), tasks.len());
    for row in rows {
        let id = row["id"].as_str().unwrap();
        let play = play_of(id);
        assert_eq!(
            row["solved"].as_bool(),
            Some(play == Play::Fix),
            "{id} ({play:?}): {row}\n{stderr}"
        );
        match play {
            Play::Fix => {
                assert_eq!(row["result"], "proposed", "{row}");
                assert_eq!(row["why"], "", "{row}");
            }
            Play::Wrong => {
                assert_eq!(row["result"], "escalated", "{row}");
                // The harmless edit leaves the bug: why names what the attempt's check found.
                let why = row["why"].as_str().unwrap();
                assert!(why.contains("not proposed"), "{row}");
                assert!(
                    why.contains("last attempt: attempt 1: tests failed"),
                    "{row}"
                );
            }
            Play::Tamper => {
                assert_eq!(row["result"], "escalated", "{row}");
                assert!(row["note"].as_str().unwrap().contains("tampering"), "{row}");
            }
            Play::Chatter => assert_ne!(row["result"], "proposed", "{row}"),
        }
        // One maker call per attempt, charged as the model reported it.
        assert_eq!(row["maker_calls"], 1, "{row}");
        assert_eq!(row["tokens"], 1100, "{row}");
        assert!(row["tool_calls"].as_u64().unwrap() >= 1, "{row}");
        assert!(row["wall_ms"].as_u64().unwrap() > 0, "{row}");
    }
    let solved = tasks.len() - 3;
    let totals = &report["totals"];
    assert_eq!(totals["tasks"], tasks.len());
    assert_eq!(totals["solved"], solved);
    let rate = totals["solve_rate"].as_f64().unwrap();
    assert!((rate - solved as f64 / tasks.len() as f64).abs() < 1e-9);
    assert_eq!(totals["tokens"], 1100 * tasks.len() as u64);
    assert_eq!(model.requests.lock().unwrap().len(), tasks.len());
    // Progress went to stderr, one line per task at least; the key never appears anywhere.
    assert!(
        stderr.contains(&format!("[{}/{}]", tasks.len(), tasks.len())),
        "{stderr}"
    );
    assert!(!stdout.contains("sk-eval-secret") && !stderr.contains("sk-eval-secret"));
}

#[test]
fn markdown_and_text_reports_and_only_select_tasks() {
    let tasks = committed_tasks();
    let t = tasks.iter().find(|t| t["id"] == "js-ms-negative").unwrap();
    let model = Model::start(vec![(
        t["task"].as_str().unwrap().to_string(),
        json!({"patch": t["fix_patch"]}).to_string(),
    )]);
    let tmp = tempfile::tempdir().unwrap();
    let maker = json!({"type": "openai", "base_url": model.base, "model": "scripted",
        "api_key_env": "STRIVE_EVAL_E2E_KEY", "max_attempts": 1})
    .to_string();
    let tasks_arg = tasks_dir().display().to_string();
    let base = [
        "--maker",
        maker.as_str(),
        "--tasks",
        tasks_arg.as_str(),
        "--only",
        "js-ms-negative",
    ];
    let (code, md, stderr) = eval(&[&base[..], &["--format", "markdown"]].concat(), tmp.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        md.contains("| js-ms-negative | javascript | yes | proposed |"),
        "{md}"
    );
    assert!(md.contains("**1/1**"), "{md}");
    let (code, text, stderr) = eval(&base, tmp.path());
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("solved 1/1 (100.0%)"), "{text}");
    assert_eq!(model.requests.lock().unwrap().len(), 2);
}

#[test]
fn unreadable_task_sets_and_bad_makers_fail_closed_before_any_request() {
    let tmp = tempfile::tempdir().unwrap();
    let model = Model::start(vec![]);
    let maker = json!({"type": "openai", "base_url": model.base, "model": "m",
        "api_key_env": "STRIVE_EVAL_E2E_KEY"})
    .to_string();
    // A task directory whose task.json is not a task.
    let set = tmp.path().join("set");
    std::fs::create_dir_all(set.join("py-broken/repo")).unwrap();
    std::fs::write(set.join("py-broken/task.json"), "{\"id\": \"py-broken\"").unwrap();
    let set_arg = set.display().to_string();
    let (code, _, stderr) = eval(&["--maker", &maker, "--tasks", &set_arg], tmp.path());
    assert_eq!(code, 64, "{stderr}");
    assert!(stderr.contains("py-broken/task.json"), "{stderr}");
    // An unknown --only id.
    let tasks_arg = tasks_dir().display().to_string();
    let (code, _, stderr) = eval(
        &["--maker", &maker, "--tasks", &tasks_arg, "--only", "nope"],
        tmp.path(),
    );
    assert_eq!(code, 64, "{stderr}");
    assert!(stderr.contains("no such task"), "{stderr}");
    // A maker whose key variable is unset fails before any task runs.
    let keyless = json!({"type": "openai", "base_url": model.base, "model": "m",
        "api_key_env": "STRIVE_EVAL_UNSET_KEY"})
    .to_string();
    let (code, _, stderr) = eval(&["--maker", &keyless, "--tasks", &tasks_arg], tmp.path());
    assert_eq!(code, 64, "{stderr}");
    assert!(stderr.contains("STRIVE_EVAL_UNSET_KEY"), "{stderr}");
    assert!(model.requests.lock().unwrap().is_empty());
}
