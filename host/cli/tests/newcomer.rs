//! A newcomer's first hour, through the `strive` binary on PATH in a fresh HOME: the README's
//! "Everyday use" commands verbatim (from the project root, and from a subdirectory of a fresh
//! project: one state store), a closed stdout, untrusted control characters, colour (on a real
//! pty), unknown ids, a daemon pointed at a directory that does not exist, `-v` streaming a
//! plugin's log lines and the host's decisions as the run goes, and progress that a terminal
//! sees and a pipe never does.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::pty_support;

/// A fresh HOME, a bin directory holding `strive`, and a git project with a few commits.
struct World {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    bin: PathBuf,
    project: PathBuf,
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {:?}", out);
}

impl World {
    fn new() -> World {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        let bin = tmp.path().join("bin");
        let project = tmp.path().join("proj");
        for d in [&home, &bin, &project] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_strive"), bin.join("strive")).unwrap();
        git(&project, &["init", "-q"]);
        World {
            _tmp: tmp,
            home,
            bin,
            project,
        }
    }

    fn commit(&self, file: &str, message: &str) {
        std::fs::write(self.project.join(file), message.as_bytes()).unwrap();
        git(&self.project, &["add", file]);
        git(&self.project, &["commit", "-q", "-m", message]);
    }

    fn sh(&self, line: &str, cwd: &Path) -> Command {
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let mut cmd = Command::new("sh");
        cmd.args(["-c", line])
            .current_dir(cwd)
            .env("HOME", &self.home)
            .env("PATH", path)
            .env("STRIVE_CACHE_DIR", self.home.join("cache"))
            .env_remove("STRIVE_HOME")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        cmd
    }

    fn run(&self, line: &str, cwd: &Path) -> Output {
        self.sh(line, cwd).output().unwrap()
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(out: &Output, line: &str) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{line}\nstdout: {}\nstderr: {}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// The commands of the README's "Everyday use" block, comments removed.
fn readme_everyday_commands() -> Vec<String> {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    let section = readme
        .split("## Everyday use")
        .nth(1)
        .expect("README has an Everyday use section");
    let block = section
        .split("```bash")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("a bash block");
    block
        .lines()
        .map(|l| l.split("  #").next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

/// What each README command must show (two commits: one fix, one feature), by its start.
const README_EXPECTS: &[(&str, &str)] = &[
    ("strive init my-triage", "wrote loops/my-triage.json"),
    (
        "strive validate",
        "ok: loops/my-triage.json (my-triage git-commit-triage L1)",
    ),
    (
        "strive audit loops/",
        "my-triage [git-commit-triage] — score",
    ),
    ("strive run", "[found] my-triage: 1 high, 1 watch"),
    ("strive status", "my-triage  L1  found"),
    ("strive report", "## Fixes (1)"),
    ("strive show", "findings: 2"),
    (
        "strive schedule",
        "my-triage: clean — no new commits since the last run",
    ),
    ("strive log", "\"result\":\"clean\""),
];

/// Run the README's "Everyday use" block verbatim in `cwd`; returns the state file's path as
/// `strive run --json` reports it afterwards.
fn run_readme_block(w: &World, cwd: &Path) -> String {
    let commands = readme_everyday_commands();
    assert!(commands.len() >= 8, "{commands:?}");
    let repo = w.project.display().to_string();
    let mut run_id = String::new();
    let mut verified = false;
    for line in &commands {
        assert!(line.starts_with("strive "), "{line}");
        // The only substitutions: the README's placeholders, and a free port for `serve`.
        let line = line
            .replace("/path/to/repo", &repo)
            .replace("RUN_ID", &run_id);
        if line == "strive serve" {
            let mut child = w
                .sh("exec strive serve --port 0", cwd)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut first = [0u8; 64];
            let n = child.stdout.as_mut().unwrap().read(&mut first).unwrap();
            let url = text(&first[..n]);
            let url = url.lines().next().unwrap_or("").to_string();
            let body = reqwest::blocking::get(format!("{url}api/state"))
                .unwrap()
                .text()
                .unwrap();
            let state: Value = serde_json::from_str(&body).unwrap();
            assert!(state["loops"]["my-triage"].is_object(), "{state}");
            assert_eq!(state["store"]["exists"], true, "{state}");
            let _ = child.kill();
            let _ = child.wait();
            continue;
        }
        let out = w.run(&line, cwd);
        let stdout = ok(&out, &line);
        if let Some((_, needle)) = README_EXPECTS.iter().find(|(p, _)| line.starts_with(p)) {
            assert!(
                stdout.contains(needle),
                "{line}: lacks {needle:?}:\n{stdout}"
            );
        }
        if line.starts_with("strive log my-triage --json") {
            let rows: Value = serde_json::from_str(&stdout).unwrap();
            let rows = rows.as_array().unwrap();
            assert_eq!(rows.len(), 2, "run + schedule: {rows:?}");
            run_id = rows[0]["run_id"].as_str().unwrap().to_string();
        }
        if line.starts_with("strive audit-log verify") {
            assert!(!run_id.is_empty(), "log ran first");
            verified = true;
        }
    }
    assert!(
        verified,
        "the README ran `strive audit-log verify` on a run"
    );
    let out = w.run("strive run loops/my-triage.json --json", cwd);
    let v: Value = serde_json::from_str(&ok(&out, "run --json")).unwrap();
    v["state"].as_str().unwrap().to_string()
}

#[test]
fn readme_commands_work_verbatim_from_a_subdirectory_of_a_fresh_project() {
    let w = World::new();
    // Code, not docs (a docs-only commit is noise): one feature, one fix.
    w.commit("feature", "feat: first feature");
    w.commit("bugfix", "fix: a bug");
    let src = w.project.join("src");
    std::fs::create_dir_all(&src).unwrap();
    // Nothing marks the project yet: the git work tree holding the spec is its root.
    let state = run_readme_block(&w, &src);
    assert_eq!(
        state,
        w.project
            .join(".loop-state/state.json")
            .display()
            .to_string()
    );
    assert!(
        src.join("loops/my-triage.json").is_file(),
        "the spec where typed"
    );
    assert!(
        !src.join(".loop-state").exists(),
        "no store in the subdirectory"
    );
}

#[test]
fn readme_commands_work_verbatim_in_a_fresh_home_and_from_a_subdirectory() {
    let w = World::new();
    // Code, not docs (a docs-only commit is noise): one feature, one fix.
    w.commit("feature", "feat: first feature");
    w.commit("bugfix", "fix: a bug");
    let reported = run_readme_block(&w, &w.project);
    let state = w.project.join(".loop-state/state.json");
    assert!(state.is_file(), "state at the project root");
    assert_eq!(reported, state.display().to_string());

    // From a subdirectory: the same store, no second one.
    let sub = w.project.join("loops");
    let out = w.run("strive -v run my-triage.json --json", &sub);
    let stdout = ok(&out, "run from loops/");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        v["state"],
        state.display().to_string(),
        "the project's store, not loops/.loop-state"
    );
    assert_eq!(v["project"]["root"], w.project.display().to_string());
    assert!(
        text(&out.stderr).contains("strive: state "),
        "-v says which store: {}",
        text(&out.stderr)
    );
    assert!(!sub.join(".loop-state").exists(), "no second store");
    let rows: Value =
        serde_json::from_str(&ok(&w.run("strive log my-triage --json", &sub), "log")).unwrap();
    assert_eq!(
        rows.as_array().unwrap().len(),
        4,
        "run, schedule, run --json, run from loops/: {rows}"
    );
    ok(&w.run("strive show my-triage", &sub), "show from loops/");
    let status: Value = serde_json::from_str(&ok(
        &w.run("strive status --json", &sub),
        "status from loops/",
    ))
    .unwrap();
    assert_eq!(status["loops"][0]["id"], "my-triage", "{status}");
    assert_eq!(status["project"]["state"], state.display().to_string());
}

/// Spawn `line` with stdout a pipe whose reading end is already closed.
fn with_closed_stdout(w: &World, line: &str) -> Output {
    let mut child = w
        .sh(line, &w.project)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_stdout_is_a_quiet_exit() {
    let w = World::new();
    w.commit("a.txt", "feat: one");
    w.commit("b.txt", "fix: two");
    let spec = w.project.join("loop.json");
    ok(
        &w.run(
            &format!("strive init t --repo . --out {}", spec.display()),
            &w.project,
        ),
        "init",
    );
    // `exec`: the exit status is strive's own, not the shell's.
    for line in [
        "exec strive completions zsh",
        "exec strive man",
        "exec strive run loop.json",
        "exec strive status",
        "exec strive --help",
    ] {
        let out = with_closed_stdout(&w, line);
        let err = text(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{line}: {err}");
        assert!(!err.contains("panicked"), "{line}: {err}");
        assert!(!err.contains("Broken pipe"), "{line}: {err}");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{line}: the verb's own code: {err}"
        );
    }
    // The run was recorded even though its summary could not be printed.
    let rows: Value =
        serde_json::from_str(&ok(&w.run("strive log t --json", &w.project), "log")).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 1);
}

#[test]
fn untrusted_control_characters_are_escaped_in_human_output() {
    let w = World::new();
    w.commit("a.txt", "feat: base");
    // ANSI erase, an OSC 8 link, an OSC 0 title, a C1 CSI and a bidi override.
    let evil = "fix: \x1b[2J\x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 \x1b]0;pwned\x07 \u{9b}31m \u{202e}txet";
    w.commit("b.txt", evil);
    let spec = w.project.join("loop.json");
    ok(
        &w.run(
            &format!("strive init t --repo . --out {}", spec.display()),
            &w.project,
        ),
        "init",
    );
    let mut outputs = Vec::new();
    for line in [
        "strive run loop.json",
        "strive show t",
        "strive show",
        "strive status",
        "strive log t",
    ] {
        let out = w.run(line, &w.project);
        let stdout = ok(&out, line);
        outputs.push((line, stdout, text(&out.stderr)));
    }
    for (line, stdout, stderr) in &outputs {
        for (name, s) in [("stdout", stdout), ("stderr", stderr)] {
            assert!(!s.contains('\x1b'), "{line} {name}: raw ESC in {s:?}");
            assert!(!s.contains('\u{9b}'), "{line} {name}: raw CSI in {s:?}");
            assert!(!s.contains('\u{202e}'), "{line} {name}: raw bidi in {s:?}");
            assert!(!s.contains('\x07'), "{line} {name}: raw BEL in {s:?}");
        }
    }
    let all: String = outputs.iter().map(|(_, o, _)| o.as_str()).collect();
    assert!(all.contains("\\x1b[2J"), "shown, escaped: {all}");
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let w = World::new();
    w.commit("a.txt", "feat: one");
    let spec = w.project.join("loop.json");
    ok(
        &w.run(
            &format!("strive init t --repo . --out {}", spec.display()),
            &w.project,
        ),
        "init",
    );
    let always = ok(
        &w.run("strive --color always run loop.json", &w.project),
        "always",
    );
    assert!(always.contains("\x1b["), "{always:?}");
    for line in [
        "strive --color never status",
        "strive status",
        "NO_COLOR=1 strive status",
    ] {
        let out = ok(&w.run(line, &w.project), line);
        assert!(!out.contains('\x1b'), "{line}: {out:?}");
    }
    // On a terminal: colour by default, none with NO_COLOR (through a real pty).
    let (code, tty) = pty_support::spawn(w.sh("strive status", &w.project)).finish();
    assert_eq!(code, Some(0), "{tty}");
    assert!(tty.contains("\x1b["), "a terminal gets colour: {tty:?}");
    let (code, plain) = pty_support::spawn(w.sh("NO_COLOR=1 strive status", &w.project)).finish();
    assert_eq!(code, Some(0), "{plain}");
    assert!(plain.contains('t'), "{plain:?}");
    assert!(
        !plain.contains("\x1b[3"),
        "NO_COLOR on a terminal: {plain:?}"
    );
}

/// Install the test plugin `probe` (plugins/testing/probe) into the project's registry and
/// write `loops/chatty.json`: a loop of its kind granted only `log`, whose plugin logs `lines`
/// and then asks for its state (which the host refuses).
fn chatty_loop(w: &World, lines: &[&str]) -> PathBuf {
    let dir = w.project.join("probe");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        Path::new(strive_runtime::builtin::GUEST_DIR).join("probe.wasm"),
        dir.join("plugin.wasm"),
    )
    .unwrap();
    std::fs::write(
        dir.join("strive-plugin.toml"),
        include_str!("../../../plugins/testing/probe/strive-plugin.toml"),
    )
    .unwrap();
    std::fs::create_dir_all(w.project.join(".strive")).unwrap();
    ok(
        &w.run("strive plugin add probe/plugin.wasm --yes", &w.project),
        "plugin add",
    );
    let spec = w.project.join("loops/chatty.json");
    ok(
        &w.run(
            &format!(
                "strive init chatty --kind testing-probe --repo . --out {}",
                spec.display()
            ),
            &w.project,
        ),
        "init",
    );
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    assert_eq!(doc["kind"], "testing-probe");
    assert_eq!(
        doc["plugin"], "strive.testing.probe",
        "init names the installed plugin's id: {doc}"
    );
    doc["grants"] = serde_json::json!(["log"]);
    doc["config"] = serde_json::json!({"log": lines, "read_state": "cursor"});
    std::fs::write(&spec, doc.to_string()).unwrap();
    spec
}

#[test]
fn verbose_streams_plugin_log_lines_and_host_decisions_while_the_run_goes() {
    let w = World::new();
    w.commit("a.txt", "feat: one");
    let evil = "title \x1b]0;pwned\x07 \x1b[2J erased";
    chatty_loop(&w, &["first line from the plugin", evil]);

    // The scheduler's runs stream the same lines.
    let out = w.run("strive -v schedule loops/", &w.project);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("strive: chatty: plugin info: first line from the plugin")
            && err.contains("strive: chatty: host state.get(key=cursor): denied: state"),
        "{err}"
    );

    let out = w.run("strive -v run loops/chatty.json", &w.project);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let at = |needle: &str| {
        err.find(needle)
            .unwrap_or_else(|| panic!("-v lacks {needle:?}:\n{err}"))
    };
    let start = at("strive: chatty: host host.run.start(");
    let first = at("strive: chatty: plugin info: first line from the plugin");
    let escaped = at("strive: chatty: plugin info: title \\x1b]0;pwned\\x07 \\x1b[2J erased");
    let refused = at("strive: chatty: host state.get(key=cursor): denied: state");
    let finished = at("finished in");
    assert!(
        start < first && first < escaped && escaped < refused && refused < finished,
        "streamed in the order they happened, before the run ended:\n{err}"
    );
    assert!(!err.contains('\x1b'), "untrusted text escaped: {err:?}");
    assert!(
        !err.contains("host log.emit("),
        "plain allowed calls need -vv: {err}"
    );

    // -vv adds every allowed call.
    let out = w.run("strive -vv run loops/chatty.json", &w.project);
    let err = text(&out.stderr);
    assert!(
        err.contains("strive: chatty: host log.emit(") && err.contains("): allowed"),
        "{err}"
    );

    // Without -v: none of it; with -q: nothing on stderr at all.
    for (line, quiet) in [
        ("strive run loops/chatty.json", false),
        ("strive -q run loops/chatty.json", true),
    ] {
        let out = w.run(line, &w.project);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{line}: {err}");
        assert!(!err.contains("first line"), "{line}: {err}");
        assert!(!err.contains("denied"), "{line}: {err}");
        if quiet {
            assert_eq!(err, "", "{line}: -q silences stderr");
        }
        assert!(
            text(&out.stdout).contains("chatty"),
            "{line}: the result stays"
        );
    }
}

#[test]
fn validate_refuses_a_plugin_id_that_is_not_installed() {
    let w = World::new();
    w.commit("a.txt", "feat: one");
    let spec = chatty_loop(&w, &[]);
    ok(
        &w.run("strive validate loops/chatty.json", &w.project),
        "validate",
    );
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
    doc["plugin"] = Value::from("testing-probe");
    std::fs::write(&spec, doc.to_string()).unwrap();
    for line in [
        "strive validate loops/chatty.json",
        "strive run loops/chatty.json",
    ] {
        let out = w.run(line, &w.project);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(64), "{line}: {err}");
        assert!(
            err.contains("no installed plugin has the id \"testing-probe\"")
                && err.contains("set \"plugin\" to \"strive.testing.probe\""),
            "{line}: names the fix: {err}"
        );
    }
}

#[test]
fn progress_is_on_a_terminal_and_never_on_a_pipe() {
    let w = World::new();
    w.commit("a.txt", "feat: one");
    w.commit("b.txt", "fix: two");
    ok(
        &w.run("strive init t --repo . --out loop.json", &w.project),
        "init",
    );
    // A fresh cache: the run precompiles the component first.
    let mut tty = pty_support::spawn(w.sh("strive run loop.json", &w.project));
    tty.expect("running t (git-commit-triage)");
    tty.expect("t: loading the git-commit-triage component (precompiled on first use)");
    let (code, shown) = tty.finish();
    assert_eq!(code, Some(0), "{shown}");
    assert!(shown.contains(" t: "), "the result follows: {shown}");

    // The same run on a pipe (another fresh cache): no spinner, no stage text.
    std::fs::remove_dir_all(w.home.join("cache")).unwrap();
    let out = w.run("strive run loop.json", &w.project);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    for needle in [
        "running t",
        "loading the",
        "reading the commit window",
        "(0s)",
    ] {
        assert!(
            !err.contains(needle),
            "no progress on a pipe ({needle}): {err:?}"
        );
    }
    // With -q on a terminal: no spinner either.
    let (code, quiet) = pty_support::spawn(w.sh("strive -q run loop.json", &w.project)).finish();
    assert_eq!(code, Some(0), "{quiet}");
    assert!(
        !quiet.contains("running t ("),
        "-q silences progress: {quiet}"
    );
}

#[test]
fn unknown_loop_ids_and_missing_directories_are_usage_errors() {
    let w = World::new();
    w.commit("a.txt", "feat: one");
    let out = w.run("strive show nope", &w.project);
    assert_eq!(out.status.code(), Some(64), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("no loop \"nope\""),
        "{}",
        text(&out.stderr)
    );
    let out = w.run("strive show nope --json", &w.project);
    assert_eq!(out.status.code(), Some(64));
    assert!(out.stdout.is_empty(), "no `{{}}` for a typo");

    for line in [
        "timeout 10 strive daemon /nonexistent",
        "strive schedule /nonexistent",
    ] {
        let out = w.run(line, &w.project);
        assert_eq!(out.status.code(), Some(64), "{line}: {}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("/nonexistent"),
            "{line}: {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn help_examples_are_separate_lines_and_cost_reads_cron() {
    let w = World::new();
    for (verb, example) in [
        (
            "init",
            "\n  strive init nightly-triage --repo . --out loops/nightly-triage.json\n",
        ),
        ("validate", "\n  strive validate loops/*.json\n"),
        ("audit", "\n  strive audit loops/nightly-triage.json\n"),
        ("cost", "\n  strive cost loops/nightly-triage.json\n"),
    ] {
        let help = ok(&w.run(&format!("strive {verb} --help"), &w.project), verb);
        assert!(help.contains(example), "{verb} --help: {help}");
    }
    w.commit("a.txt", "feat: one");
    for cadence in ["0 3 * * 1-5", "@daily", "1d"] {
        let spec = w.project.join("c.json");
        ok(
            &w.run(
                &format!("strive init c --repo . --out {} --force", spec.display()),
                &w.project,
            ),
            "init",
        );
        let mut doc: Value =
            serde_json::from_str(&std::fs::read_to_string(&spec).unwrap()).unwrap();
        doc["cadence"] = Value::from(cadence);
        std::fs::write(&spec, doc.to_string()).unwrap();
        let out = w.run("strive cost --json c.json", &w.project);
        let est: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
        assert!(
            est["runs_per_day"].as_f64().is_some_and(|r| r > 0.0),
            "{cadence}: {est} {}",
            text(&out.stderr)
        );
    }
}

#[test]
fn man_pages_and_completions_install_under_home() {
    let w = World::new();
    let out = ok(
        &w.run("strive completions bash --install", &w.project),
        "bash",
    );
    let path = w
        .home
        .join(".local/share/bash-completion/completions/strive");
    assert!(out.contains(&path.display().to_string()), "{out}");
    assert!(std::fs::read_to_string(&path).unwrap().contains("strive"));
    let dir = w.home.join("man1");
    ok(
        &w.run(&format!("strive man --out {}", dir.display()), &w.project),
        "man",
    );
    assert!(dir.join("strive.1").is_file());
    assert!(dir.join("strive-run.1").is_file());
    let page = ok(&w.run("strive man", &w.project), "man to stdout");
    assert!(page.starts_with(".ie") || page.contains(".TH"), "{page}");
}
