//! `strive plugin add/list/info/verify/upgrade/remove` through the binary, and every refusal:
//! not a component, undeclared imports, unsupported API, a digest that no longer matches the
//! lock, an interrupted install (nothing left behind), an upgrade whose new capability nobody
//! granted (the old version stays installed and loadable).
//!
//! The component under test is the built-in commit-triage component (built for wasm32-wasip2 by
//! strive-runtime's build script) installed under another id and kind; refusal fixtures are
//! assembled from WebAssembly text with `wat`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::pty_support;

const TRIAGE_IMPORTS: &str = r#""log", "state", "git.read", "verify", "report", "escalation""#;

fn manifest(id: &str, version: &str, api: &str, caps: &str) -> String {
    format!(
        "id = \"{id}\"\nversion = \"{version}\"\nkind = \"copy-triage\"\napi = \"{api}\"\nlicense = \"MIT\"\ncapabilities = [{caps}]\n"
    )
}

struct Env {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    cache: PathBuf,
    work: PathBuf,
}

impl Env {
    fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let cache = tmp.path().join("cache");
        let work = tmp.path().join("work");
        std::fs::create_dir_all(&work).unwrap();
        Env {
            home,
            cache,
            work,
            _tmp: tmp,
        }
    }

    fn strive(&self, args: &[&str]) -> Output {
        self.strive_env(args, &[])
    }

    fn strive_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_strive"));
        cmd.args(args)
            .env("STRIVE_HOME", &self.home)
            .env("STRIVE_CACHE_DIR", &self.cache)
            .env_remove("STRIVE_REGISTRY_FAULT")
            .stdin(std::process::Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    }

    /// Write `wasm` with `strive-plugin.toml` beside it into a fresh directory; returns the path.
    fn plugin(&self, name: &str, wasm: &[u8], manifest: &str) -> String {
        let dir = self.work.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("plugin.wasm"), wasm).unwrap();
        std::fs::write(dir.join("strive-plugin.toml"), manifest).unwrap();
        dir.join("plugin.wasm").display().to_string()
    }

    fn lock(&self) -> Value {
        match std::fs::read_to_string(self.home.join("plugins.lock")) {
            Ok(t) => serde_json::from_str(&t).unwrap(),
            Err(_) => Value::Null,
        }
    }

    fn list(&self) -> Value {
        let out = self.strive(&["plugin", "list", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn triage_wasm() -> Vec<u8> {
    std::fs::read(Path::new(strive_runtime::builtin::GUEST_DIR).join("commit_triage.wasm")).unwrap()
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        if e.path().is_dir() {
            out.extend(files_under(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn add_list_info_verify_remove() {
    let env = Env::new();
    let path = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    let out = env.strive(&["plugin", "add", &path, "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("git.read"),
        "shows the requested capabilities: {}",
        stderr(&out)
    );

    let list = env.list();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let entry = &list[0];
    assert_eq!(entry["id"], "acme.copy");
    assert_eq!(entry["kind"], "copy-triage");
    assert_eq!(entry["api_served"], "0.1.2");
    assert_eq!(entry["source"], path.as_str());
    assert_eq!(
        entry["grants"],
        serde_json::json!(["log", "state", "git.read", "verify", "report", "escalation"])
    );
    // The installed file is the component with its manifest embedded; the digest covers both.
    let installed = std::fs::read(env.home.join(entry["path"].as_str().unwrap())).unwrap();
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&installed));
    assert_eq!(entry["sha256"], digest.as_str());
    // It was precompiled into the cache at install.
    assert!(
        files_under(&env.cache)
            .iter()
            .any(|p| p.extension().is_some_and(|e| e == "cwasm"))
    );

    let info = env.strive(&["plugin", "info", "copy-triage", "--json"]);
    assert_eq!(info.status.code(), Some(0));
    let info: Value = serde_json::from_slice(&info.stdout).unwrap();
    assert_eq!(info["id"], "acme.copy");
    assert_eq!(
        env.strive(&["plugin", "verify", "acme.copy"]).status.code(),
        Some(0)
    );

    // Adding the same id again is refused.
    let again = env.strive(&["plugin", "add", &path, "--yes"]);
    assert_eq!(again.status.code(), Some(64));
    assert!(
        stderr(&again).contains("already installed"),
        "{}",
        stderr(&again)
    );

    let out = env.strive(&["plugin", "remove", "acme.copy"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(env.list().as_array().unwrap().is_empty());
    assert!(
        files_under(&env.home.join("plugins")).is_empty(),
        "the file went with the entry"
    );
    assert_eq!(
        env.strive(&["plugin", "remove", "acme.copy"]).status.code(),
        Some(64)
    );
}

#[test]
fn grants_come_from_the_person() {
    let env = Env::new();
    let path = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    // No terminal, no --yes, no --grant: nothing is installed.
    let out = env.strive(&["plugin", "add", &path]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nobody granted"), "{}", stderr(&out));
    assert_eq!(env.lock(), Value::Null);
    // A grant the manifest does not request is refused.
    let out = env.strive(&["plugin", "add", &path, "--grant", "merge"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("does not request it"),
        "{}",
        stderr(&out)
    );
    // A subset is recorded as that subset.
    let out = env.strive(&["plugin", "add", &path, "--grant", "git.read,report"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        env.list()[0]["grants"],
        serde_json::json!(["git.read", "report"])
    );
}

#[test]
fn refuses_what_is_not_a_component() {
    let env = Env::new();
    let m = manifest("acme.x", "1.0.0", "^0.1", r#""log""#);
    let text = env.plugin("text", b"#!/bin/sh\necho hi\n", &m);
    let out = env.strive(&["plugin", "add", &text, "--yes"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("not a WebAssembly file"),
        "{}",
        stderr(&out)
    );

    let core = env.plugin(
        "core",
        &wat::parse_str("(module (func (export \"run\")))").unwrap(),
        &m,
    );
    let out = env.strive(&["plugin", "add", &core, "--yes"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("core WebAssembly module, not a component"),
        "{}",
        stderr(&out)
    );

    // A component that does not export the loop-kind world.
    let empty = env.plugin("empty", &wat::parse_str("(component)").unwrap(), &m);
    let out = env.strive(&["plugin", "add", &empty, "--yes"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(
        stderr(&out).contains("does not fit the loop-kind world"),
        "{}",
        stderr(&out)
    );

    // No manifest anywhere.
    let bare = env.work.join("bare.wasm");
    std::fs::write(&bare, triage_wasm()).unwrap();
    let out = env.strive(&["plugin", "add", bare.to_str().unwrap(), "--yes"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(stderr(&out).contains("has no manifest"), "{}", stderr(&out));
    assert_eq!(env.lock(), Value::Null);
}

#[test]
fn refuses_undeclared_imports() {
    let env = Env::new();
    let path = env.plugin(
        "few",
        &triage_wasm(),
        &manifest("acme.few", "1.0.0", "^0.1", r#""log", "report""#),
    );
    let out = env.strive(&["plugin", "add", &path, "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    for undeclared in ["strive:loops/git", "strive:loops/state"] {
        assert!(err.contains(undeclared), "lists {undeclared}: {err}");
    }
    assert!(!err.contains("strive:loops/report"), "{err}");

    // Network interfaces are never linked, whatever the manifest says.
    let net =
        wat::parse_str(r#"(component (import "wasi:http/outgoing-handler@0.2.6" (instance)))"#)
            .unwrap();
    let path = env.plugin(
        "net",
        &net,
        &manifest("acme.net", "1.0.0", "^0.1", r#""log""#),
    );
    let out = env.strive(&["plugin", "add", &path, "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("wasi:http/outgoing-handler"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.lock(), Value::Null);
}

#[test]
fn refuses_unsupported_api_versions() {
    let env = Env::new();
    // Declared in the manifest...
    let path = env.plugin(
        "future",
        &triage_wasm(),
        &manifest("acme.future", "1.0.0", "^0.2", TRIAGE_IMPORTS),
    );
    let out = env.strive(&["plugin", "add", &path, "--yes"]);
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("this host supports strive:loops 0.1.x"),
        "{}",
        stderr(&out)
    );
    // ...or only in the component's imports.
    let wasm =
        wat::parse_str(r#"(component (import "strive:loops/log@0.2.0" (instance)))"#).unwrap();
    let path = env.plugin(
        "future-imports",
        &wasm,
        &manifest("acme.future", "1.0.0", "^0.1", r#""log""#),
    );
    let out = env.strive(&["plugin", "add", &path, "--yes"]);
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("strive:loops/log@0.2.0"),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("0.1.x"), "{}", stderr(&out));
    assert_eq!(env.lock(), Value::Null);
}

#[test]
fn refuses_a_file_that_changed_after_install() {
    let env = Env::new();
    let path = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    assert_eq!(
        env.strive(&["plugin", "add", &path, "--yes"]).status.code(),
        Some(0)
    );
    let installed = env.home.join(env.list()[0]["path"].as_str().unwrap());
    let mut bytes = std::fs::read(&installed).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x20; // inside the embedded manifest: still a well-formed component
    std::fs::write(&installed, &bytes).unwrap();
    let out = env.strive(&["plugin", "verify", "acme.copy"]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("plugins.lock records"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_interrupted_install_leaves_nothing_behind() {
    let env = Env::new();
    let v1 = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    assert_eq!(
        env.strive(&["plugin", "add", &v1, "--yes"]).status.code(),
        Some(0)
    );
    let lock_before = env.lock();
    let other = env.plugin(
        "other",
        &triage_wasm(),
        &manifest("acme.other", "1.0.0", "^0.1", TRIAGE_IMPORTS)
            .replace("copy-triage", "other-triage"),
    );
    let v2 = env.plugin(
        "v2",
        &triage_wasm(),
        &manifest("acme.copy", "2.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    // Killed (abort: no cleanup) after staging, and after moving the file into place.
    for point in ["staged", "placed"] {
        let out = env.strive_env(
            &["plugin", "add", &other, "--yes"],
            &[("STRIVE_REGISTRY_FAULT", point)],
        );
        assert!(
            !out.status.success(),
            "{point}: the injected fault must kill the install"
        );
        assert_eq!(env.lock(), lock_before, "{point}: the lock is unchanged");
        let out = env.strive_env(
            &["plugin", "upgrade", "acme.copy", &v2, "--yes"],
            &[("STRIVE_REGISTRY_FAULT", point)],
        );
        assert!(!out.status.success());
        assert_eq!(
            env.lock(),
            lock_before,
            "{point}: an interrupted upgrade keeps the old version"
        );
        assert_eq!(
            env.strive(&["plugin", "verify", "acme.copy"]).status.code(),
            Some(0)
        );
    }
    // The next change sweeps the debris: only files the lock references remain.
    assert_eq!(
        env.strive(&["plugin", "add", &other, "--yes"])
            .status
            .code(),
        Some(0),
    );
    let lock = env.lock();
    let referenced: Vec<PathBuf> = lock["plugins"]
        .as_object()
        .unwrap()
        .values()
        .map(|e| env.home.join(e["path"].as_str().unwrap()))
        .collect();
    let mut on_disk = files_under(&env.home.join("plugins"));
    on_disk.sort();
    let mut expected = referenced.clone();
    expected.sort();
    assert_eq!(on_disk, expected);
    assert!(files_under(&env.home.join("staging")).is_empty());
}

#[test]
fn upgrade_needs_a_grant_for_each_added_capability() {
    let env = Env::new();
    let v1 = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    assert_eq!(
        env.strive(&["plugin", "add", &v1, "--yes"]).status.code(),
        Some(0)
    );
    let before = env.lock();
    let caps = format!(
        r#"{TRIAGE_IMPORTS}, {{ name = "maker", scopes = ["claude"], reason = "asks a model" }}"#
    );
    let v2 = env.plugin(
        "v2",
        &triage_wasm(),
        &manifest("acme.copy", "2.0.0", "^0.1", &caps),
    );

    let out = env.strive(&["plugin", "upgrade", "acme.copy", &v2]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("+maker"),
        "shows the diff: {}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("installed version keeps working"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.lock(), before);
    assert_eq!(
        env.strive(&["plugin", "verify", "acme.copy"]).status.code(),
        Some(0)
    );

    // Granting something else does not grant the added capability.
    let out = env.strive(&["plugin", "upgrade", "acme.copy", &v2, "--grant", "log"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(env.lock(), before);

    let out = env.strive(&["plugin", "upgrade", "acme.copy", &v2, "--grant", "maker"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let entry = &env.list()[0];
    assert_eq!(entry["version"], "2.0.0");
    assert!(
        entry["grants"]
            .as_array()
            .unwrap()
            .contains(&Value::from("maker"))
    );
    assert!(
        entry["grants"]
            .as_array()
            .unwrap()
            .contains(&Value::from("git.read")),
        "kept grants carry over"
    );
    assert_eq!(
        env.strive(&["plugin", "verify", "acme.copy"]).status.code(),
        Some(0)
    );
    assert_eq!(
        files_under(&env.home.join("plugins")).len(),
        1,
        "the old version's file is gone"
    );

    // Upgrading to another plugin's id is refused.
    let other = env.plugin(
        "other",
        &triage_wasm(),
        &manifest("acme.other", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    let out = env.strive(&["plugin", "upgrade", "acme.copy", &other, "--yes"]);
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));
}

/// `strive ARGS` on a real pseudo-terminal (see `pty_support`), as a person runs it.
fn at_terminal(env: &Env, args: &[&str]) -> pty_support::Tty {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_strive"));
    cmd.args(args)
        .env("STRIVE_HOME", &env.home)
        .env("STRIVE_CACHE_DIR", &env.cache)
        .env("TERM", "xterm")
        .env_remove("STRIVE_REGISTRY_FAULT")
        .env_remove("NO_COLOR");
    pty_support::spawn(cmd)
}

/// The six capabilities the triage component requests, in the order the prompt asks.
const ASKED: [&str; 6] = ["log", "state", "git.read", "verify", "report", "escalation"];

#[test]
fn declining_a_requested_capability_at_the_prompt_installs_nothing() {
    let env = Env::new();
    let path = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    let mut tty = at_terminal(&env, &["plugin", "add", &path]);
    // The precompile spinner is on the terminal (it is never on a pipe: see below).
    tty.expect("checking and precompiling the component");
    for cap in ASKED {
        tty.expect(&format!("grant `{cap}`? [y/N] "));
        tty.type_line(if cap == "escalation" { "n" } else { "y" });
    }
    let (code, shown) = tty.finish();
    assert_eq!(code, Some(2), "{shown}");
    assert!(shown.contains("you declined escalation"), "{shown}");
    assert!(shown.contains("nothing was installed"), "{shown}");
    assert!(
        shown.contains("strive plugin add SOURCE --grant CAP,..."),
        "names the way to install with fewer: {shown}"
    );
    assert_eq!(env.lock(), Value::Null, "declining installs nothing");
    assert_eq!(env.list(), serde_json::json!([]), "nothing listed");

    // End of input (Ctrl-D) at the second question counts as "no" for it and the rest.
    let mut tty = at_terminal(&env, &["plugin", "add", &path]);
    tty.expect("grant `log`? [y/N] ");
    tty.type_line("y");
    tty.expect("grant `state`? [y/N] ");
    tty.type_eof();
    let (code, shown) = tty.finish();
    assert_eq!(code, Some(2), "{shown}");
    assert!(
        shown.contains("you declined state, git.read, verify, report, escalation"),
        "{shown}"
    );
    assert_eq!(env.lock(), Value::Null);
}

#[test]
fn granting_at_the_prompt_installs_with_the_grants_and_a_downgrade_is_refused() {
    let env = Env::new();
    let v2 = env.plugin(
        "v2",
        &triage_wasm(),
        &manifest("acme.copy", "2.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    let mut tty = at_terminal(&env, &["plugin", "add", &v2]);
    for cap in ASKED {
        tty.expect(&format!("grant `{cap}`? [y/N] "));
        // Any spelling of yes; anything else is no.
        tty.type_line(if cap == "log" { "yes" } else { "Y" });
    }
    tty.expect("installed acme.copy 2.0.0");
    let (code, shown) = tty.finish();
    assert_eq!(code, Some(0), "{shown}");
    let listed = env.list();
    assert_eq!(listed[0]["id"], "acme.copy", "{listed}");
    assert_eq!(listed[0]["grants"], serde_json::json!(ASKED), "{listed}");

    // An older version at the terminal: refused before any question, nothing changed.
    let v1 = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    let tty = at_terminal(&env, &["plugin", "upgrade", "acme.copy", &v1]);
    let (code, shown) = tty.finish();
    assert_eq!(code, Some(2), "{shown}");
    assert!(
        shown.contains("1.0.0 is older than the installed 2.0.0"),
        "{shown}"
    );
    assert!(shown.contains("--allow-downgrade"), "{shown}");
    assert!(!shown.contains("[y/N]"), "nothing to decide: {shown}");
    assert_eq!(env.list()[0]["version"], "2.0.0", "nothing changed");

    // With --allow-downgrade: the same capabilities carry over, so nothing is asked.
    let tty = at_terminal(
        &env,
        &["plugin", "upgrade", "acme.copy", &v1, "--allow-downgrade"],
    );
    let (code, shown) = tty.finish();
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains("upgraded acme.copy 1.0.0"), "{shown}");
    assert!(!shown.contains("[y/N]"), "{shown}");
    let listed = env.list();
    assert_eq!(listed[0]["version"], "1.0.0");
    assert_eq!(listed[0]["grants"], serde_json::json!(ASKED), "grants kept");
}

#[test]
fn a_piped_plugin_add_shows_no_spinner_and_asks_nothing() {
    let env = Env::new();
    let path = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    let out = env.strive(&["plugin", "add", &path]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "nobody granted: {err}");
    assert!(err.contains("which nobody granted"), "{err}");
    assert!(!err.contains("precompiling"), "no spinner on a pipe: {err}");
    assert!(
        !err.contains("[y/N]"),
        "no question without a terminal: {err}"
    );
    assert_eq!(env.lock(), Value::Null);
}

#[test]
fn grant_widens_and_upgrade_refuses_a_downgrade() {
    let env = Env::new();
    let v2 = env.plugin(
        "v2",
        &triage_wasm(),
        &manifest("acme.copy", "2.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    let out = env.strive(&["plugin", "add", &v2, "--grant", "git.read,report"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("strive plugin grant acme.copy "),
        "the hint names the working command: {}",
        stderr(&out)
    );
    let out = env.strive(&["plugin", "grant", "acme.copy", "log,state"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        env.list()[0]["grants"],
        serde_json::json!(["log", "state", "git.read", "report"])
    );
    let out = env.strive(&["plugin", "grant", "acme.copy", "merge"]);
    assert_eq!(out.status.code(), Some(2), "not declared: {}", stderr(&out));
    let out = env.strive(&["plugin", "grant", "nope", "log"]);
    assert_eq!(out.status.code(), Some(64), "{}", stderr(&out));

    let v1 = env.plugin(
        "v1",
        &triage_wasm(),
        &manifest("acme.copy", "1.0.0", "^0.1", TRIAGE_IMPORTS),
    );
    let out = env.strive(&["plugin", "upgrade", "acme.copy", &v1, "--yes"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("--allow-downgrade"),
        "{}",
        stderr(&out)
    );
    assert_eq!(env.list()[0]["version"], "2.0.0", "nothing changed");
    let out = env.strive(&[
        "plugin",
        "upgrade",
        "acme.copy",
        &v1,
        "--yes",
        "--allow-downgrade",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(env.list()[0]["version"], "1.0.0");
    // No Rust debug text in what a person reads.
    assert!(!stderr(&out).contains("Some("), "{}", stderr(&out));
}
