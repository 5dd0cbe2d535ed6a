//! `strive serve` JSON routes over real HTTP on loopback: shapes, empty and populated state,
//! 404/405, fail-closed errors, the audit chain check, the host check and security headers.

use crate::serve_support;

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use serve_support::{Server, header};
use strive_runtime::audit::{AuditEvent, chain, genesis};

const XSS_ID: &str = "<img src=x onerror=alert(1)>";
const XSS_TEXT: &str = "fix: </script><script>alert('pwned')</script>";

/// A state directory with triage, assisted-fix and scheduler sections, an XSS-looking loop id
/// and finding, and a run log of three rows. Returns the state file path.
fn populated(dir: &Path) -> PathBuf {
    let state = dir.join(".loop-state/state.json");
    fs::create_dir_all(state.parent().unwrap()).unwrap();
    let doc = json!({
        "version": 1,
        "loops": {
            "triage": {
                "phase": "L1", "last_run": "2026-11-24T10:00:00Z", "last_result": "found",
                "cursors": {"main": "0123456789abcdef0123456789abcdef01234567"},
                "findings": [
                    {"bucket": "high", "text": "fix: overflow in parser", "sha": "0123456"},
                    {"bucket": "watch", "text": "feat: new flag", "sha": "89abcde"},
                    {"bucket": "noise", "text": "Merge pull request #4", "sha": "fedcba9"}
                ],
                "note": "1 high, 1 watch", "tokens_spent": 0, "notes": ["keep an eye on parser"]
            },
            "triage::sched": {
                "last_run": "2026-11-24T10:00:00Z", "last_result": "found", "runs": 3,
                "history": [{"at": "2026-11-24T10:00:00Z", "result": "found", "note": ""}]
            },
            "fixer": {
                "phase": "L2", "last_result": "proposed", "branch": "loop/fixer-0123456",
                "commit": "89abcdef89abcdef89abcdef89abcdef89abcdef", "attempts": 2,
                "reflections": ["attempt 1: tests failed (exit 1): boom"]
            },
            XSS_ID: {
                "phase": "L1", "last_result": "found",
                "findings": [{"bucket": "high", "text": XSS_TEXT, "sha": "<b>abc</b>"}]
            }
        }
    });
    fs::write(&state, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    let rows = [
        json!({"ts": "2026-11-24T08:00:00Z", "loop": "triage", "result": "clean", "action": "wrote-state", "high": 0, "watch": 0, "note": "no new commits"}),
        json!({"ts": "2026-11-24T09:00:00Z", "loop": "fixer", "result": "proposed", "action": "opened-branch", "attempts": 2, "note": "tests pass"}),
        json!({"ts": "2026-11-24T10:00:00Z", "loop": "triage", "result": "found", "action": "wrote-state", "high": 1, "watch": 1, "note": XSS_TEXT}),
    ];
    let log: String = rows.iter().map(|r| format!("{r}\n")).collect();
    fs::write(dir.join(".loop-state/state.runlog.jsonl"), log).unwrap();
    state
}

/// Write a real hash-chained audit log for `run_id` (as the runtime does) and its run-log
/// row. Returns the audit file.
fn audited_run(state: &Path, run_id: &str, calls: usize) -> PathBuf {
    let events: Vec<AuditEvent> = (0..calls)
        .map(|i| AuditEvent {
            ts_ms: 1_790_000_000_000 + i as u128,
            capability: "git.read",
            function: "log",
            args: format!("ref=main~{i}"),
            decision: "allowed".into(),
            duration_ns: 5_000,
        })
        .collect();
    let (lines, head) = chain(run_id, &events, genesis(run_id), 0);
    let dir = state.parent().unwrap();
    let audit = dir.join("audit").join(format!("{run_id}.jsonl"));
    fs::create_dir_all(audit.parent().unwrap()).unwrap();
    fs::write(&audit, lines.join("\n") + "\n").unwrap();
    let row = json!({"ts": "2026-11-24T11:00:00Z", "loop": "triage", "result": "clean",
                     "run_id": run_id, "audit_rows": lines.len(), "audit_head": head});
    let runlog = dir.join("state.runlog.jsonl");
    let mut log = fs::read_to_string(&runlog).unwrap_or_default();
    log.push_str(&format!("{row}\n"));
    fs::write(runlog, log).unwrap();
    audit
}

fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn empty_state_serves_empty_documents() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing/state.json");
    let server = Server::start(&missing, &[]);
    assert_eq!(server.json("/api/health", 200), json!({"ok": true}));
    // Empty, and said to be missing (the page shows a banner, not a healthy empty project).
    assert_eq!(
        server.json("/api/state", 200),
        json!({"version": 1, "loops": {},
               "store": {"describe": missing.display().to_string(), "exists": false}})
    );
    assert_eq!(server.json("/api/runlog", 200), json!([]));
    assert_eq!(
        server.json("/api/loops/triage", 404),
        json!({"error": "not found"})
    );
    assert_eq!(
        server.json("/api/audit/20261124T000000Z-00", 404),
        json!({"error": "not found"})
    );
    // Serving never creates the state.
    assert!(!dir.path().join("missing").exists());
}

#[test]
fn unknown_routes_are_json_404() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&dir.path().join("state.json"), &[]);
    for path in [
        "/nope",
        "/api",
        "/api/loops",
        "/api/loops/",
        "/api/statex",
        "/index.htm",
    ] {
        assert_eq!(
            server.json(path, 404),
            json!({"error": "not found"}),
            "{path}"
        );
    }
}

#[test]
fn writes_are_405_with_allow() {
    let dir = tempfile::tempdir().unwrap();
    let state = populated(dir.path());
    let before = fs::read(&state).unwrap();
    let server = Server::start(&state, &[]);
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        for path in [
            "/api/state",
            "/api/loops/triage",
            "/api/runlog",
            "/",
            "/api/health",
        ] {
            let response = server.request(method, path);
            assert_eq!(response.status().as_u16(), 405, "{method} {path}");
            let allow = header(&response, "allow");
            assert!(allow.contains("GET"), "{method} {path}: Allow {allow:?}");
            assert!(!allow.contains(method), "{method} {path}: Allow {allow:?}");
            let body: Value = serde_json::from_str(&response.text().unwrap()).unwrap();
            assert!(body["error"].as_str().unwrap().contains("read-only"));
        }
    }
    assert_eq!(fs::read(&state).unwrap(), before, "state untouched");
}

#[test]
fn populated_state_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let state = populated(dir.path());
    let server = Server::start(&state, &[]);

    let on_disk: Value = serde_json::from_slice(&fs::read(&state).unwrap()).unwrap();
    let served = server.json("/api/state", 200);
    assert_eq!(served["loops"], on_disk["loops"]);
    assert_eq!(served["version"], 1);
    assert_eq!(served["store"]["exists"], true);

    let triage = server.json("/api/loops/triage", 200);
    assert_eq!(triage, on_disk["loops"]["triage"]);
    assert_eq!(
        server.json("/api/loops/triage::sched", 200)["runs"],
        json!(3)
    );
    assert_eq!(
        server.json("/api/loops/fixer", 200)["branch"],
        json!("loop/fixer-0123456")
    );

    // The XSS-looking id and text come back as exact JSON data.
    let xss = server.json(&format!("/api/loops/{}", encode(XSS_ID)), 200);
    assert_eq!(xss["findings"][0]["text"], json!(XSS_TEXT));
    let state_doc = server.json("/api/state", 200);
    assert!(state_doc["loops"].get(XSS_ID).is_some());
}

#[test]
fn runlog_filters_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&populated(dir.path()), &[]);
    let all = server.json("/api/runlog", 200);
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert_eq!(all[2]["note"], json!(XSS_TEXT));

    let triage = server.json("/api/runlog?loop=triage", 200);
    let results: Vec<&str> = triage
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["result"].as_str().unwrap())
        .collect();
    assert_eq!(results, ["clean", "found"]);

    let last = server.json("/api/runlog?limit=1", 200);
    assert_eq!(last.as_array().unwrap().len(), 1);
    assert_eq!(last[0]["result"], json!("found"));
    assert_eq!(
        server.json("/api/runlog?loop=fixer&limit=5", 200)[0]["attempts"],
        json!(2)
    );
    assert_eq!(server.json("/api/runlog?loop=nobody", 200), json!([]));

    for bad in ["limit=abc", "limit=-1", "limit=1.5"] {
        let error = server.json(&format!("/api/runlog?{bad}"), 400);
        assert!(
            error["error"].as_str().unwrap().contains("limit"),
            "{bad}: {error}"
        );
    }
}

#[test]
fn corrupt_state_and_runlog_fail_closed() {
    let dir = tempfile::tempdir().unwrap();
    let state = populated(dir.path());
    fs::write(&state, "{\"version\": 1, \"loops\": {\"a\": ").unwrap();
    let mut log = fs::read_to_string(dir.path().join(".loop-state/state.runlog.jsonl")).unwrap();
    log.push_str("{torn row\n");
    fs::write(dir.path().join(".loop-state/state.runlog.jsonl"), log).unwrap();

    let server = Server::start(&state, &[]);
    for path in ["/api/state", "/api/loops/triage", "/api/runlog"] {
        let error = server.json(path, 500);
        let message = error["error"].as_str().unwrap();
        assert!(message.contains("state"), "{path}: {message}");
        assert!(error.get("loops").is_none());
    }
    assert!(
        server.json("/api/state", 500)["error"]
            .as_str()
            .unwrap()
            .contains("not valid JSON")
    );
    // Health is about the server, not the data.
    assert_eq!(server.json("/api/health", 200), json!({"ok": true}));
}

#[test]
fn audit_chain_is_verified() {
    let dir = tempfile::tempdir().unwrap();
    let state = populated(dir.path());
    audited_run(&state, "20261124T110000Z-aaaa0001", 4);
    let edited = audited_run(&state, "20261124T110000Z-aaaa0002", 3);
    let cut = audited_run(&state, "20261124T110000Z-aaaa0003", 3);
    let deleted = audited_run(&state, "20261124T110000Z-aaaa0004", 2);

    let text = fs::read_to_string(&edited).unwrap();
    fs::write(&edited, text.replacen("main~1", "main~7", 1)).unwrap();
    let text = fs::read_to_string(&cut).unwrap();
    let kept: Vec<&str> = text.lines().take(2).collect();
    fs::write(&cut, kept.join("\n") + "\n").unwrap();
    fs::remove_file(&deleted).unwrap();

    let server = Server::start(&state, &[]);
    let ok = server.json("/api/audit/20261124T110000Z-aaaa0001", 200);
    assert_eq!(ok["run_id"], json!("20261124T110000Z-aaaa0001"));
    assert_eq!(ok["rows"].as_array().unwrap().len(), 4);
    assert_eq!(ok["rows"][3]["args"], json!("ref=main~3"));
    assert_eq!(ok["chain"]["ok"], json!(true));
    assert_eq!(ok["chain"]["rows"], json!(4));
    assert_eq!(ok["chain"]["first_bad_row"], Value::Null);

    let bad = server.json("/api/audit/20261124T110000Z-aaaa0002", 200);
    assert_eq!(bad["chain"]["ok"], json!(false));
    assert_eq!(bad["chain"]["first_bad_row"], json!(2));

    let short = server.json("/api/audit/20261124T110000Z-aaaa0003", 200);
    assert_eq!(short["chain"]["ok"], json!(false));
    assert!(short["chain"]["problem"].as_str().unwrap().contains("tail"));

    // The whole log removed after the run log recorded it: tampering, not "no such run".
    let gone = server.json("/api/audit/20261124T110000Z-aaaa0004", 200);
    assert_eq!(gone["rows"], json!([]));
    assert_eq!(gone["chain"]["ok"], json!(false));
}

#[test]
fn audit_run_ids_cannot_escape_the_audit_directory() {
    let dir = tempfile::tempdir().unwrap();
    let state = populated(dir.path());
    // A file one level up that a traversal would reach.
    fs::write(dir.path().join(".loop-state/secret.jsonl"), "{\"seq\":0}\n").unwrap();
    let server = Server::start(&state, &[]);
    for id in ["../secret", "..%2Fsecret", "%2E%2E%2Fsecret", ".hidden"] {
        let response = server.get(&format!("/api/audit/{id}"));
        let status = response.status().as_u16();
        assert!(
            status == 400 || status == 404,
            "{id}: a client error, not {status}"
        );
        let body = response.text().unwrap();
        assert!(!body.contains("\"seq\""), "{id}: {body}");
    }
}

#[test]
fn every_response_carries_the_security_headers() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&populated(dir.path()), &[]);
    for (method, path) in [
        ("GET", "/"),
        ("GET", "/app.js"),
        ("GET", "/api/state"),
        ("GET", "/api/nope"),
        ("POST", "/api/state"),
    ] {
        let response = server.request(method, path);
        let csp = header(&response, "content-security-policy");
        assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(header(&response, "x-content-type-options"), "nosniff");
        assert_eq!(header(&response, "referrer-policy"), "no-referrer");
    }
    assert_eq!(
        header(&server.get("/api/state"), "cache-control"),
        "no-store"
    );
}

#[test]
fn foreign_host_names_are_refused_unless_remote_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let state = populated(dir.path());
    let request = |host: &str| {
        format!("GET /api/state HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
    };

    let server = Server::start(&state, &[]);
    let rebound = server.raw(&request("attacker.example:8765"));
    assert!(rebound.starts_with("HTTP/1.1 403"), "{rebound}");
    assert!(rebound.contains("--allow-remote"), "{rebound}");
    assert!(!rebound.contains("triage"), "{rebound}");
    let local = server.raw(&request("localhost"));
    assert!(local.starts_with("HTTP/1.1 200"), "{local}");
    let no_host = server.raw("GET /api/health HTTP/1.0\r\n\r\n");
    assert!(
        no_host.starts_with("HTTP/1.0 403") || no_host.starts_with("HTTP/1.1 403"),
        "{no_host}"
    );
    drop(server);

    let open = Server::start(&state, &["--allow-remote"]);
    let remote = open.raw(&request("dashboard.example"));
    assert!(remote.starts_with("HTTP/1.1 200"), "{remote}");
}

#[test]
fn bad_run_ids_are_400_and_changes_arrive_as_events() {
    use std::io::{BufRead, BufReader, Write};
    let dir = tempfile::tempdir().unwrap();
    let state = populated(dir.path());
    let server = Server::start(&state, &[]);
    for id in [".hidden", "a%20b", "x%00y", &"a".repeat(129)] {
        let error = server.json(&format!("/api/audit/{id}"), 400);
        assert!(
            error["error"].as_str().unwrap().contains("not a run id"),
            "{id}: {error}"
        );
    }
    server.json("/api/audit/20261124T000000Z-00", 404);

    // The event stream: a first `change`, then another after the run log grows.
    let addr = server.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /api/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut reader = BufReader::new(stream);
    let mut next_change = || {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(reader.read_line(&mut line).unwrap() > 0, "stream closed");
            if line.starts_with("event: change") {
                return;
            }
        }
    };
    next_change();
    let mut log = fs::OpenOptions::new()
        .append(true)
        .open(dir.path().join(".loop-state/state.runlog.jsonl"))
        .unwrap();
    writeln!(
        log,
        "{}",
        json!({"ts": "2026-11-24T11:00:00Z", "loop": "triage", "result": "clean"})
    )
    .unwrap();
    let started = std::time::Instant::now();
    next_change();
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}
