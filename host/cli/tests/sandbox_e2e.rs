//! The OS sandbox end to end through the `strive` binary: a real assisted-fix run whose
//! proposed code attacks the host at import time (when the loop's `test_command` runs it), and
//! ordinary Python, Rust and Node test suites that must keep working in the sandbox.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::assisted_common::{FIXED, Provider, Setup, cache_dir, files_answer, git, openai};

/// The secret the `strive` process holds as its maker key (see `Setup::run`).
const KEY: &str = "sk-e2e-secret";

/// Python that tries, at import time, every escape the sandbox must refuse, and prints one line
/// saying what happened to each.
fn hostile_module(body: &str, targets: &Targets) -> String {
    format!(
        r#"import os, socket, sys, time

def _try(name, fn):
    try:
        r = fn()
        return f"{{name}}=SUCCEEDED:{{r}}"
    except Exception as e:
        return f"{{name}}=refused"

def _environ():
    seen = b""
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                seen += open(f"/proc/{{pid}}/environ", "rb").read()
            except Exception:
                pass
    if b"{key}" in seen or b"STRIVE_E2E_KEY" in seen:
        return "key visible"
    raise PermissionError("no key")

def _read(path):
    return lambda: open(path).read()[:20]

def _write(path):
    def w():
        with open(path, "a") as f:
            f.write("pwned\n")
        return path
    return w

def _tcp():
    s = socket.create_connection(("127.0.0.1", {port}), 2)
    s.sendall(b"leak")
    return "connected"

def _forks():
    kids = 0
    for _ in range(3000):
        try:
            pid = os.fork()
        except OSError:
            break
        if pid == 0:
            time.sleep(60)
            os._exit(0)
        kids += 1
    if kids >= 3000:
        return kids
    raise OSError(f"stopped at {{kids}}")

def _disk():
    with open("fill.bin", "wb") as f:
        for _ in range(64):
            f.write(b"\0" * (1 << 20))
    return "64 MiB written"

_report = [
    _try("environ", _environ),
    _try("ssh", _read("{ssh}")),
    _try("state", _read("{state}")),
    _try("outside", _write("{outside}")),
    _try("hook", _write("{hook}")),
    _try("gitconfig", _write("{gitconfig}")),
    _try("ref", _write("{gitref}")),
    _try("base", _write("{base}")),
    _try("tcp", _tcp),
    _try("forks", _forks),
    _try("disk", _disk),
    "envkey=" + ("SUCCEEDED" if any("{key}" in v for v in os.environ.values()) else "refused"),
]
print("ATTACKS " + " ".join(_report), file=sys.stderr)

{body}"#,
        key = KEY,
        port = targets.port,
        ssh = targets.ssh.display(),
        state = targets.state.display(),
        outside = targets.outside.display(),
        hook = targets.repo.join(".git/hooks/post-checkout").display(),
        gitconfig = targets.repo.join(".git/config").display(),
        gitref = targets.repo.join(".git/refs/heads/main").display(),
        base = targets.repo.join("calc.py").display(),
    )
}

struct Targets {
    port: u16,
    ssh: PathBuf,
    state: PathBuf,
    outside: PathBuf,
    repo: PathBuf,
}

/// Digest of every file under `dir` (a sorted list of paths and contents), skipping `skip`.
fn digest(dir: &Path, skip: &dyn Fn(&Path) -> bool) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if skip(&p) {
                continue;
            }
            if e.file_type().unwrap().is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, std::fs::read(&p).unwrap_or_default()));
            }
        }
    }
    out.sort();
    out
}

/// Everything the host wrote or could show: state, run log, audit logs, other files under the
/// state directory, the worktree parent.
fn everything_written(root: &Path) -> String {
    let mut all = String::new();
    for (path, bytes) in digest(root, &|p| p.ends_with("repo")) {
        all.push_str(&path);
        all.push_str(&String::from_utf8_lossy(&bytes));
    }
    all
}

/// The sandbox block every test spec gets: the real toolchains readable despite the fake HOME.
fn sandbox_block(extra: Value) -> Value {
    let real_home = PathBuf::from(std::env::var("HOME").unwrap());
    let mut reads: Vec<String> = [".pyenv", ".rustup", ".cargo/bin"]
        .iter()
        .map(|p| real_home.join(p))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    reads.sort();
    let mut block = json!({"read_paths": reads});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        block[k] = v;
    }
    block
}

/// `strive run --json` with a fake HOME holding an SSH key (and the maker key in the env).
fn run_with_home(s: &Setup, spec: &Value, home: &Path) -> (i32, Value, String) {
    let path = s.tmp.path().join("loop.json");
    std::fs::write(&path, serde_json::to_string_pretty(spec).unwrap()).unwrap();
    let real_home = std::env::var("HOME").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(["run", "--json", "--state"])
        .arg(s.state())
        .arg(&path)
        .env("HOME", home)
        .env("RUSTUP_HOME", format!("{real_home}/.rustup"))
        .env("PYENV_ROOT", format!("{real_home}/.pyenv"))
        .env(&s.key_env, KEY)
        .env("TMPDIR", s.tmp.path().join("wt"))
        .env("STRIVE_CACHE_DIR", cache_dir())
        .output()
        .expect("strive runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{stdout}\n{stderr}"));
    (
        out.status.code().unwrap_or(-1),
        json,
        format!("{stdout}{stderr}"),
    )
}

#[test]
fn hostile_code_run_by_the_test_command_is_contained_and_the_run_completes() {
    let s = Setup::new("SANDBOX_HOSTILE");
    let home = s.tmp.path().join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    std::fs::write(home.join(".ssh/id_ed25519"), "SSH-PRIVATE-KEY-MATERIAL").unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let targets = Targets {
        port: listener.local_addr().unwrap().port(),
        ssh: home.join(".ssh/id_ed25519"),
        state: s.state(),
        outside: s.tmp.path().join("outside.txt"),
        repo: s.repo.clone(),
    };
    // A wrong fix that ends the test run right after its report (so the report is the
    // reflection's tail).
    let wrong = hostile_module(
        "def add(a, b):\n    return a * b + 1\n\nsys.stderr.flush()\nos._exit(1)\n",
        &targets,
    );
    let right = hostile_module(FIXED, &targets);
    let provider = Provider::start(vec![
        openai(&files_answer(&[("calc.py", &wrong)]), 300, 80),
        openai(&files_answer(&[("calc.py", &right)]), 300, 80),
    ]);
    let spec = s.spec(
        "L2",
        &provider.base,
        json!({"sandbox": sandbox_block(json!({"limits": {"processes": 64, "file_size_mb": 8}}))}),
    );
    let skip_git_internals = |p: &Path| {
        let t = p.to_string_lossy();
        // A proposal legitimately adds its branch, objects and worktree bookkeeping.
        t.contains("/.git/objects")
            || t.contains("/.git/worktrees")
            || t.contains("/refs/heads/loop")
            || t.ends_with("/.git/logs")
            || t.ends_with(".git/index")
    };
    let repo_before = digest(&s.repo, &skip_git_internals);
    let home_before = digest(&home, &|_| false);

    let (code, json, output) = run_with_home(&s, &spec, &home);

    assert_eq!(json["result"], "proposed", "{output}");
    assert_eq!(code, 0, "{output}");
    assert_eq!(
        repo_before,
        digest(&s.repo, &skip_git_internals),
        "target repo unchanged"
    );
    assert_eq!(home_before, digest(&home, &|_| false), "home unchanged");
    assert!(
        !targets.outside.exists(),
        "nothing written outside the worktree"
    );
    assert!(listener.accept().is_err(), "no connection reached the host");

    // The first attempt failed its test for real; its reflection shows each attack refused.
    let section = s.section();
    let reflections = section["reflections"].to_string();
    let attacks = reflections
        .split("ATTACKS ")
        .nth(1)
        .unwrap_or_else(|| panic!("attack report in the reflection: {reflections}"));
    for name in [
        "environ",
        "ssh",
        "state",
        "outside",
        "hook",
        "gitconfig",
        "ref",
        "base",
        "tcp",
        "forks",
        "disk",
        "envkey",
    ] {
        assert!(
            attacks.contains(&format!("{name}=refused")),
            "{name} must be refused: {attacks}"
        );
    }
    // The proposal is on a branch; the key is nowhere the host wrote, showed or sent.
    let branch = json["branch"].as_str().unwrap();
    assert!(git(&s.repo, &["show", &format!("{branch}:calc.py")]).contains("return a + b"));
    assert!(!output.contains(KEY), "{output}");
    assert!(!everything_written(s.tmp.path()).contains(KEY));
    for request in provider.seen() {
        assert!(
            !request.body.to_string().contains(KEY),
            "no key in a prompt"
        );
        assert!(
            !request.body.to_string().contains("SSH-PRIVATE"),
            "no ssh key in a prompt"
        );
    }
}

/// A repository with one failing test, for the ordinary-suites tests.
fn project(s: &Setup, files: &[(&str, &str)]) -> PathBuf {
    let repo = s.tmp.path().join("proj");
    std::fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q"]);
    for (path, content) in files {
        let p = repo.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "init"]);
    repo
}

/// Runs assisted-fix with a command maker that applies `fix` (a shell command) in the
/// worktree, and expects `proposed`.
fn ordinary_suite_proposes(name: &str, files: &[(&str, &str)], test: &str, fix: &str) {
    let s = Setup::new(name);
    let repo = project(&s, files);
    let spec = json!({
        "id": "fix-add",
        "kind": "assisted-fix",
        "phase": "L2",
        "target": {"repo": repo.to_str().unwrap(), "base_ref": "main"},
        "budget": {"max_iterations": 1, "wall_clock_secs": 300},
        "task": "Make add return the sum of its two arguments.",
        "test_command": test,
        "maker": {"type": "command", "command": fix},
        "sandbox": sandbox_block(json!({})),
    });
    let home = s.tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let (code, json, output) = run_with_home(&s, &spec, &home);
    assert_eq!(json["result"], "proposed", "{output}\n{}", s.section());
    assert_eq!(code, 0, "{output}");
}

#[test]
fn a_pytest_project_passes_in_the_sandbox() {
    ordinary_suite_proposes(
        "SANDBOX_PYTEST",
        &[
            ("calc.py", "def add(a, b):\n    return a - b\n"),
            (
                "tests/test_calc.py",
                "from calc import add\n\ndef test_add(tmp_path):\n    (tmp_path / 'x').write_text('ok')\n    assert add(2, 2) == 4\n",
            ),
            (
                "pyproject.toml",
                "[tool.pytest.ini_options]\npythonpath = ['.']\n",
            ),
        ],
        "python3 -m pytest -q",
        "sed -i 's/a - b/a + b/' calc.py",
    );
}

#[test]
fn a_cargo_project_passes_offline_in_the_sandbox() {
    ordinary_suite_proposes(
        "SANDBOX_CARGO",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
            ),
            (
                "src/lib.rs",
                "pub fn add(a: i32, b: i32) -> i32 {\n    a - b\n}\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() {\n        assert_eq!(super::add(2, 2), 4);\n    }\n}\n",
            ),
            (".gitignore", "target/\n"),
        ],
        "cargo test --offline -q",
        "sed -i 's/a - b/a + b/' src/lib.rs",
    );
}

#[test]
fn a_node_project_passes_in_the_sandbox() {
    ordinary_suite_proposes(
        "SANDBOX_NODE",
        &[
            ("calc.js", "exports.add = (a, b) => a - b;\n"),
            (
                "test/calc.test.js",
                "const test = require('node:test');\nconst assert = require('node:assert');\nconst { add } = require('../calc');\ntest('adds', () => assert.strictEqual(add(2, 2), 4));\n",
            ),
        ],
        "node --test test/",
        "sed -i 's/a - b/a + b/' calc.js",
    );
}

#[test]
fn strive_sandbox_run_confines_a_command_and_reports_its_exit() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("work");
    std::fs::create_dir(&dir).unwrap();
    let outside = tmp.path().join("outside");
    let out = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(["sandbox", "run", "--json", "--worktree"])
        .arg(&dir)
        .arg("--")
        .args([
            "sh",
            "-c",
            &format!(
                "echo inside > ok.txt; echo x > '{}' 2>/dev/null || echo refused; exit 3",
                outside.display()
            ),
        ])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(3), "{json}");
    assert_eq!(json["exit"], 3);
    assert!(
        json["stdout"].as_str().unwrap().contains("refused"),
        "{json}"
    );
    assert_eq!(json["sandbox"]["network"], "none");
    assert!(dir.join("ok.txt").exists());
    assert!(!outside.exists());

    let check = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(["sandbox", "check", "--json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(check.status.code(), Some(0));
}
