//! `strive serve`: the embedded page and its assets, the rule that data never becomes markup,
//! and the command line (loopback-only binds, busy ports, clean shutdown, help).

use crate::serve_support;

use std::fs;
use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use serve_support::{Server, header, strive};

const XSS_ID: &str = "<img src=x onerror=alert(1)>";

fn state_with_xss(dir: &std::path::Path) -> std::path::PathBuf {
    let state = dir.join("state.json");
    let doc = serde_json::json!({"version": 1, "loops": {XSS_ID: {"last_result": "found",
        "findings": [{"bucket": "high", "text": "<script>alert(1)</script>", "sha": "abc1234"}]}}});
    fs::write(&state, doc.to_string()).unwrap();
    state
}

#[test]
fn page_and_assets_are_served_with_their_types() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(&state_with_xss(dir.path()), &[]);
    for path in ["/", "/index.html"] {
        let response = server.get(path);
        assert_eq!(response.status().as_u16(), 200, "{path}");
        assert_eq!(
            header(&response, "content-type"),
            "text/html; charset=utf-8"
        );
        let html = response.text().unwrap();
        assert!(html.contains("<script src=\"app.js\""), "{path}");
        assert!(html.contains("href=\"app.css\""), "{path}");
        // The page is static: store data is never interpolated into it.
        assert!(!html.contains("onerror"), "{path}");
        assert!(!html.contains("alert(1)"), "{path}");
    }
    let js = server.get("/app.js");
    assert_eq!(
        header(&js, "content-type"),
        "text/javascript; charset=utf-8"
    );
    assert_eq!(js.text().unwrap(), strive_dashboard::assets::APP_JS);
    let css = server.get("/app.css");
    assert_eq!(header(&css, "content-type"), "text/css; charset=utf-8");
    assert_eq!(css.text().unwrap(), strive_dashboard::assets::APP_CSS);
}

#[test]
fn the_page_never_turns_data_into_markup() {
    let js = strive_dashboard::assets::APP_JS;
    for sink in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "createContextualFragment",
        "DOMParser",
        "srcdoc",
        "setAttribute(\"on",
        "javascript:",
    ] {
        assert!(!js.contains(sink), "app.js must not use {sink}");
    }
    // Text goes in as text.
    assert!(js.contains("textContent"));
    assert!(js.contains("createTextNode") || js.contains(".append("));

    let html = strive_dashboard::assets::INDEX_HTML;
    // CSP `script-src 'self'` forbids inline script and handlers; the page must not need them.
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains("<style"), "no inline style element");
    for handler in [" onclick=", " onload=", " onerror=", " onchange="] {
        assert!(!html.contains(handler), "no inline {handler}");
    }
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "no CDN"
    );
}

#[test]
fn the_page_covers_every_result_and_section() {
    let js = strive_dashboard::assets::APP_JS;
    let css = strive_dashboard::assets::APP_CSS;
    for result in [
        "clean",
        "found",
        "proposed",
        "merged",
        "escalated",
        "error",
        "halted",
    ] {
        assert!(
            js.contains(&format!("\"{result}\"")),
            "app.js result {result}"
        );
        assert!(
            css.contains(&format!(".pill-{result}")),
            "app.css pill {result}"
        );
    }
    for key in [
        "cursors",
        "findings",
        "branch",
        "commit",
        "attempts",
        "reflections",
        "notes",
        "tokens_spent",
        "budget",
        "history",
        "halted",
        "anomaly",
        "::sched",
        "api/runlog",
        "api/audit/",
        "setInterval",
    ] {
        assert!(js.contains(key), "app.js handles {key}");
    }
}

#[test]
fn non_loopback_bind_is_refused_with_a_reason() {
    let out = strive()
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("refusing to listen on 0.0.0.0"), "{err}");
    assert!(err.contains("no authentication"), "{err}");
    assert!(err.contains("--allow-remote"), "{err}");
    assert!(out.stdout.is_empty());

    let out = strive()
        .args(["serve", "--bind", "dashboard.example"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an IP address"));
}

#[test]
fn busy_port_is_a_clear_error() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = strive()
        .args(["serve", "--port", &port, "--state"])
        .arg(dir.path().join("state.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot listen on 127.0.0.1:"), "{err}");
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn unreachable_postgres_state_is_refused_without_leaking_the_password() {
    let out = strive()
        .args([
            "serve",
            "--port",
            "0",
            "--state",
            "postgres://strive:hunter2secret@127.0.0.1:1/loops",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot open --state"), "{err}");
    assert!(!err.contains("hunter2secret"), "{err}");
    assert!(out.stdout.is_empty(), "no URL line before the store opened");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start(&dir.path().join("state.json"), &[]);
    assert_eq!(server.get("/api/health").status().as_u16(), 200);
    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "strive serve ignored SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}

#[test]
fn help_teaches_the_verb() {
    let out = strive().args(["serve", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--state",
        "--port",
        "--bind",
        "--allow-remote",
        "/api/runlog",
        "Examples:",
        "ssh -L",
    ] {
        assert!(help.contains(needle), "help lacks {needle}:\n{help}");
    }
}

/// The page in headless Chromium (dashboard/tests/browser.mjs): every result kind rendered,
/// untrusted text inert, a new run shown through server-sent events within 2 s, links from runs
/// to their audit view and report. Required when `STRIVE_BROWSER_TESTS` is set (CI's
/// scripts/test.sh installs Chromium and playwright-core); skipped with a notice otherwise.
#[test]
fn the_page_works_in_headless_chromium() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let modules = repo.join("target/browser/node_modules");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let required = std::env::var_os("STRIVE_BROWSER_TESTS").is_some();
    let node = Command::new("node").arg("--version").output();
    let ready = modules.join("playwright-core").is_dir()
        && std::path::Path::new(&chromium).exists()
        && node.is_ok_and(|o| o.status.success());
    if !ready {
        assert!(
            !required,
            "STRIVE_BROWSER_TESTS is set but node, {chromium} or {} is missing (scripts/test.sh installs them)",
            modules.join("playwright-core").display()
        );
        eprintln!(
            "skipping the headless-Chromium test: run scripts/test.sh (or set up node, chromium and target/browser/node_modules/playwright-core)"
        );
        return;
    }
    let out = Command::new("node")
        .arg(repo.join("dashboard/tests/browser.mjs"))
        .env("NODE_PATH", &modules)
        .env("STRIVE_BIN", env!("CARGO_BIN_EXE_strive"))
        .env("CHROMIUM", &chromium)
        .env(
            "STRIVE_SCREENSHOT_DIR",
            repo.join("target/browser/screenshots"),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
