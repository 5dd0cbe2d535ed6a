//! From nothing to a running custom loop, in Rust, Python and JavaScript: scaffold with
//! `strive plugin new`, build with the kit's `build.sh`, `strive plugin add`, `strive run` a loop
//! against one fixture repository, `upgrade` to a version that requests a new capability
//! (blocked until granted), `remove`. The three languages must produce the same judged report.
//!
//! Needs the kit tools (componentize-py, componentize-js, the wasm32-wasip2 target, network
//! for the first install). The test runs when `STRIVE_KIT_TESTS=1`; it then calls
//! `scripts/build-kits.sh --install` itself (idempotent; tools go under the cargo target dir).
//! Without the variable it says so and checks nothing else.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

use crate::assisted_common::git;

const KIND: &str = "commit-types";

fn enabled() -> bool {
    if std::env::var("STRIVE_KIT_TESTS").is_ok_and(|v| v == "1") {
        return true;
    }
    eprintln!(
        "plugin kit tests skipped: set STRIVE_KIT_TESTS=1 to run them (they install their tools with scripts/build-kits.sh --install)"
    );
    false
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

fn kits_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("kits")
}

fn install_tools() {
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/build-kits.sh"))
        .arg("--install")
        .env("KITS_DIR", kits_dir())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "build-kits.sh --install failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A repository with one commit per kind of subject the classifier must tell apart.
fn fixture_repo(dir: &Path) -> String {
    let repo = git2::Repository::init(dir).unwrap();
    let subjects = [
        "initial commit",
        "feat: add parser",
        "fix(cli): handle empty input",
        "docs: explain flags",
        "feat!: drop the old api",
        "Update README",
        "chore(deps): bump serde",
        "FIX: uppercase types count as fix",
        "feat(scope(nested)): not conventional",
        "revert: undo the parser",
    ];
    let mut parent: Option<git2::Oid> = None;
    for (i, subject) in subjects.iter().enumerate() {
        std::fs::write(dir.join("file.txt"), format!("{i}\n")).unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new("file.txt")).unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let sig = git2::Signature::new(
            "Ada",
            "ada@example.com",
            &git2::Time::new(1_700_000_000 + i as i64 * 60, 0),
        )
        .unwrap();
        let parents: Vec<git2::Commit> = parent
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        parent = Some(
            repo.commit(Some("HEAD"), &sig, &sig, subject, &tree, &refs)
                .unwrap(),
        );
    }
    parent.unwrap().to_string()
}

struct Kit {
    home: PathBuf,
    cache: PathBuf,
    dir: PathBuf,
}

impl Kit {
    fn strive(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_strive"))
            .args(args)
            .env("STRIVE_HOME", &self.home)
            .env("STRIVE_CACHE_DIR", &self.cache)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap()
    }
}

fn ok(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed ({:?}):\n{}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Scaffold (`--phase phase`), build and `plugin add --yes` the kit for `lang` as loop kind
/// `kind`.
fn build_kit(lang: &str, kind: &str, phase: &str, tmp: &Path) -> Kit {
    let kit = Kit {
        home: tmp.join(format!("home-{lang}-{phase}")),
        cache: kits_dir().join("cache"),
        dir: tmp.join(format!("{lang}-{phase}")),
    };
    let dir = kit.dir.to_str().unwrap();
    ok(
        &kit.strive(&[
            "plugin", "new", "--lang", lang, "--phase", phase, kind, "--dir", dir,
        ]),
        "plugin new",
    );

    let started = std::time::Instant::now();
    let env_sh = kits_dir().join("env.sh");
    let build = Command::new("bash")
        .arg("-c")
        .arg(format!(". '{}' && ./build.sh", env_sh.display()))
        .current_dir(&kit.dir)
        .env("CARGO_TARGET_DIR", kits_dir().join("rust-target"))
        .output()
        .unwrap();
    ok(&build, &format!("{lang} {phase} build.sh"));
    eprintln!(
        "{lang} {phase}: kit built in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let wasm = kit.dir.join(format!("dist/{kind}.wasm"));
    let started = std::time::Instant::now();
    ok(
        &kit.strive(&["plugin", "add", wasm.to_str().unwrap(), "--yes"]),
        "plugin add",
    );
    eprintln!(
        "{lang} {phase}: plugin add (checks + precompile) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    kit
}

/// Scaffold, build, add and run the kit for `lang`; returns the run's JSON report.
fn build_and_run(lang: &str, tmp: &Path, repo: &Path) -> (Kit, Value) {
    let kit = build_kit(lang, KIND, "l1", tmp);
    let spec = serde_json::json!({
        "id": "types", "kind": KIND, "plugin": format!("local.{KIND}"), "phase": "L1",
        "target": {"repo": repo.display().to_string()},
        "budget": {"max_tokens": 0, "max_iterations": 1, "wall_clock_secs": 60}
    });
    let spec_path = tmp.join(format!("{lang}.loop.json"));
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let state = tmp.join(format!("{lang}.state.json"));
    let run = kit.strive(&[
        "run",
        spec_path.to_str().unwrap(),
        "--json",
        "--state",
        state.to_str().unwrap(),
    ]);
    ok(&run, &format!("{lang} run"));
    let report: Value = serde_json::from_slice(&run.stdout).unwrap();
    (kit, report)
}

/// Upgrade to 0.2.0 requesting `state` too: refused until granted; then remove.
fn upgrade_and_remove(kit: &Kit) {
    let dist = kit.dir.join("dist");
    let manifest = std::fs::read_to_string(dist.join("strive-plugin.toml")).unwrap();
    let v2 = manifest
        .replace("version = \"0.1.0\"", "version = \"0.2.0\"")
        .replace(
            "capabilities = [",
            "capabilities = [\n    { name = \"state\", reason = \"remembers the last count\" },",
        );
    assert_ne!(v2, manifest);
    std::fs::write(dist.join("strive-plugin.toml"), v2).unwrap();
    let wasm = dist.join(format!("{KIND}.wasm"));
    let wasm = wasm.to_str().unwrap();

    let refused = kit.strive(&["plugin", "upgrade", KIND, wasm]);
    assert_eq!(
        refused.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("+state"));
    let info: Value =
        serde_json::from_slice(&kit.strive(&["plugin", "info", KIND, "--json"]).stdout).unwrap();
    assert_eq!(info["version"], "0.1.0", "the old version stays installed");
    ok(
        &kit.strive(&["plugin", "verify", KIND]),
        "verify after a refused upgrade",
    );

    ok(
        &kit.strive(&["plugin", "upgrade", KIND, wasm, "--grant", "state"]),
        "granted upgrade",
    );
    let info: Value =
        serde_json::from_slice(&kit.strive(&["plugin", "info", KIND, "--json"]).stdout).unwrap();
    assert_eq!(info["version"], "0.2.0");
    assert!(
        info["grants"]
            .as_array()
            .unwrap()
            .contains(&Value::from("state"))
    );

    ok(&kit.strive(&["plugin", "remove", KIND]), "remove");
    let list: Value =
        serde_json::from_slice(&kit.strive(&["plugin", "list", "--json"]).stdout).unwrap();
    assert_eq!(list, serde_json::json!([]));
}

#[test]
fn three_languages_one_result() {
    if !enabled() {
        return;
    }
    install_tools();
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let newest = fixture_repo(&repo);

    let mut reports = Vec::new();
    for lang in ["rust", "python", "js"] {
        let (kit, report) = build_and_run(lang, tmp.path(), &repo);
        assert_eq!(report["result"], "found", "{lang}: {report}");
        let findings = report["findings"].clone();
        assert_eq!(
            findings.as_array().map(Vec::len),
            Some(1),
            "{lang}: {report}"
        );
        let title = findings[0]["title"].as_str().unwrap_or_default();
        assert_eq!(
            title, "10 commits by type: chore=1, docs=1, feat=2, fix=2, other=3, revert=1",
            "{lang}"
        );
        let cites = serde_json::to_string(&findings[0]).unwrap();
        assert!(
            cites.contains(&newest),
            "{lang}: cites the newest commit: {cites}"
        );
        upgrade_and_remove(&kit);
        reports.push((lang, findings, report["result"].clone()));
    }
    let (_, first_findings, first_result) = &reports[0];
    for (lang, findings, result) in &reports[1..] {
        assert_eq!(findings, first_findings, "{lang} differs from rust");
        assert_eq!(result, first_result, "{lang} differs from rust");
    }
}

/// The L2/L3 example's loop kind, as scaffolded by `strive plugin new --phase l2`.
const L2_KIND: &str = "changelog-entry";
const L2_LOOP: &str = "changelog";

/// A repository on `main` holding `CHANGES.md` and `src/lib.txt`.
fn l2_repo(dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    git(dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("CHANGES.md"), "# Changes\n").unwrap();
    std::fs::write(dir.join("src/lib.txt"), "code\n").unwrap();
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "init"]);
    dir.to_path_buf()
}

/// One `strive run --json` of the L2/L3 kind; the state lives in `tmp/<lang>-state/`.
struct L2Run {
    code: Option<i32>,
    json: Value,
    stderr: String,
}

impl L2Run {
    fn result(&self) -> &str {
        self.json["result"].as_str().unwrap_or("")
    }
    fn note(&self) -> &str {
        self.json["note"].as_str().unwrap_or("")
    }
    fn why(&self) -> String {
        format!("{}\n{}", self.json, self.stderr)
    }
}

fn l2_state(tmp: &Path, lang: &str) -> PathBuf {
    tmp.join(format!("{lang}-state/state.json"))
}

/// Runs the kind at `phase` appending `append` to `path`, proven by `test_command`, with
/// `allowlist` (if any).
#[allow(clippy::too_many_arguments)]
fn run_l2(
    kit: &Kit,
    tmp: &Path,
    lang: &str,
    repo: &Path,
    phase: &str,
    (path, append): (&str, &str),
    test_command: &str,
    allowlist: Option<Value>,
) -> L2Run {
    let mut spec = serde_json::json!({
        "id": L2_LOOP, "kind": L2_KIND, "plugin": format!("local.{L2_KIND}"), "phase": phase,
        "target": {"repo": repo.display().to_string(), "base_ref": "main"},
        "budget": {"max_tokens": 0, "max_iterations": 1, "wall_clock_secs": 120},
        "test_command": test_command,
        "config": {"change": {"path": path, "append": append}},
    });
    if let Some(allowlist) = allowlist {
        spec["allowlist"] = allowlist;
    }
    let spec_path = tmp.join(format!("{lang}-{phase}.loop.json"));
    std::fs::write(&spec_path, spec.to_string()).unwrap();
    let worktrees = tmp.join(format!("{lang}-wt"));
    std::fs::create_dir_all(&worktrees).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(["run", spec_path.to_str().unwrap(), "--json", "--state"])
        .arg(l2_state(tmp, lang))
        .env("STRIVE_HOME", &kit.home)
        .env("STRIVE_CACHE_DIR", &kit.cache)
        .env("TMPDIR", &worktrees)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    // A spec refused before running (exit 64) prints only to stderr.
    let json = if stdout.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(stdout.trim())
            .unwrap_or_else(|e| panic!("{lang} {phase}: no JSON report ({e}):\n{stdout}\n{stderr}"))
    };
    L2Run {
        code: out.status.code(),
        json,
        stderr,
    }
}

fn loop_branches(repo: &Path) -> Vec<String> {
    git(
        repo,
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

fn section(tmp: &Path, lang: &str) -> Value {
    let text = std::fs::read_to_string(l2_state(tmp, lang)).unwrap();
    let state: Value = serde_json::from_str(&text).unwrap();
    state.get("loops").unwrap_or(&state)[L2_LOOP].clone()
}

fn runlog(tmp: &Path, lang: &str) -> Vec<Value> {
    let dir = l2_state(tmp, lang).parent().unwrap().to_path_buf();
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

/// The L2/L3 kit in one language: L1 refused by the spec check (the manifest's phases); a missing setting and a
/// path outside the worktree end `error` with the plugin's and the host's reason; L2 proposes a branch and
/// leaves `main` alone; a failing test command escalates and leaves no branch; L3 outside the
/// allowlist proposes (creating a file that did not exist); L3 inside it fast-forwards `main`.
/// Returns the sequence of results.
fn l2_scenario(lang: &str, tmp: &Path) -> Vec<String> {
    let kit = build_kit(lang, L2_KIND, "l2", tmp);
    let info: Value =
        serde_json::from_slice(&kit.strive(&["plugin", "info", L2_KIND, "--json"]).stdout).unwrap();
    for cap in ["worktree", "command", "merge"] {
        assert!(
            info["grants"]
                .as_array()
                .is_some_and(|g| g.contains(&Value::from(cap))),
            "{lang}: {cap} granted: {info}"
        );
    }
    let repo = l2_repo(&tmp.join(format!("{lang}-repo")));
    let main0 = git(&repo, &["rev-parse", "main"]);
    let entry = format!("- entry from {lang}\n");
    let passes = "grep -q 'entry from' CHANGES.md";
    let mut results = Vec::new();

    // L1: the spec check refuses it before anything runs (exit 64), naming the manifest's
    // phases; `validate` says the same.
    let l1 = run_l2(
        &kit,
        tmp,
        lang,
        &repo,
        "L1",
        ("CHANGES.md", &entry),
        passes,
        None,
    );
    let phases = format!("{L2_KIND} runs at phase L2 or L3; this spec says L1");
    assert_eq!(l1.code, Some(64), "{lang} L1: {}", l1.why());
    assert!(l1.stderr.contains(&phases), "{lang} L1: {}", l1.why());
    let spec_path = tmp.join(format!("{lang}-L1.loop.json"));
    let validate = kit.strive(&["validate", spec_path.to_str().unwrap()]);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&validate.stdout),
        String::from_utf8_lossy(&validate.stderr)
    );
    assert!(
        !validate.status.success() && said.contains(&phases),
        "{lang}: validate agrees with run: {said}"
    );
    assert!(
        loop_branches(&repo).is_empty(),
        "{lang} L1 leaves no branch"
    );
    assert!(!l2_state(tmp, lang).exists(), "{lang} L1 writes no state");
    results.push("refused".to_string());

    // A spec without `config.change.path`: the plugin says which field to fix.
    let unset = run_l2(&kit, tmp, lang, &repo, "L2", ("", &entry), passes, None);
    assert_eq!(unset.result(), "error", "{lang}: {}", unset.why());
    assert!(
        unset.note().contains("`config.change.path` is required"),
        "{lang}: {}",
        unset.why()
    );
    results.push(unset.result().to_string());

    // A path that climbs out of the worktree: the host refuses the write; the plugin reports
    // the host's reason and nothing is committed.
    let escape = run_l2(
        &kit,
        tmp,
        lang,
        &repo,
        "L2",
        ("../escape.md", &entry),
        passes,
        None,
    );
    assert_eq!(escape.result(), "error", "{lang}: {}", escape.why());
    assert!(
        escape.note().starts_with("host refused: invalid request:")
            && escape.note().contains("`..` component"),
        "{lang}: the host's reason reaches the note: {}",
        escape.why()
    );
    assert!(loop_branches(&repo).is_empty(), "{lang}: no branch");
    results.push(escape.result().to_string());

    // L2: a proposal branch holding the change; main untouched.
    let l2 = run_l2(
        &kit,
        tmp,
        lang,
        &repo,
        "L2",
        ("CHANGES.md", &entry),
        passes,
        None,
    );
    assert_eq!(
        (l2.code, l2.result()),
        (Some(0), "proposed"),
        "{lang} L2: {}",
        l2.why()
    );
    let branch = l2.json["branch"].as_str().unwrap_or_default().to_string();
    assert!(
        branch.starts_with(&format!("loop/{L2_LOOP}/")),
        "{lang}: {}",
        l2.why()
    );
    assert!(
        l2.note().contains(&branch),
        "{lang}: the plugin's note names the branch"
    );
    assert_eq!(loop_branches(&repo), vec![branch.clone()]);
    assert_eq!(
        git(&repo, &["show", &format!("{branch}:CHANGES.md")]),
        format!("# Changes\n{entry}").trim_end()
    );
    assert_eq!(
        git(&repo, &["rev-parse", &format!("{branch}^")]),
        main0,
        "{lang}: the proposal sits on the base"
    );
    assert_eq!(
        git(&repo, &["rev-parse", "main"]),
        main0,
        "{lang}: L2 never merges"
    );
    assert_eq!(
        std::fs::read_to_string(repo.join("CHANGES.md")).unwrap(),
        "# Changes\n",
        "{lang}: the checkout is untouched"
    );
    let sec = section(tmp, lang);
    assert_eq!(sec["last_result"], "proposed", "{lang}: {sec}");
    assert_eq!(sec["branch"], branch.as_str(), "{lang}: {sec}");
    assert_eq!(sec["commit"], l2.json["commit"], "{lang}: {sec}");
    let rows = runlog(tmp, lang);
    let last = rows.last().unwrap();
    assert_eq!(last["action"], "opened-branch", "{lang}: {last}");
    assert_eq!(last["branch"], branch.as_str(), "{lang}: {last}");
    results.push(l2.result().to_string());

    // A failing test command: escalated with the output's tail, nothing committed.
    let failing = run_l2(
        &kit,
        tmp,
        lang,
        &repo,
        "L2",
        ("CHANGES.md", &entry),
        "ls no-such-file",
        None,
    );
    assert_eq!(failing.result(), "escalated", "{lang}: {}", failing.why());
    assert!(
        failing.note().contains("failed (exit ") && failing.note().contains("no-such-file"),
        "{lang}: the note carries the exit and the output tail: {}",
        failing.why()
    );
    assert_eq!(
        loop_branches(&repo),
        vec![branch.clone()],
        "{lang}: no new branch"
    );
    results.push(failing.result().to_string());

    // L3 outside the allowlist (a new file, so the read starts empty): proposed, main untouched.
    let allow_changes =
        serde_json::json!({"allow_globs": ["CHANGES.md"], "max_files": 1, "max_lines": 5});
    let outside = run_l2(
        &kit,
        tmp,
        lang,
        &repo,
        "L3",
        ("notes/NEW.md", &entry),
        "grep -q 'entry from' notes/NEW.md",
        Some(allow_changes.clone()),
    );
    assert_eq!(
        (outside.code, outside.result()),
        (Some(0), "proposed"),
        "{lang} L3 outside: {}",
        outside.why()
    );
    assert!(
        outside.note().contains("proposed:"),
        "{lang}: the gate's reason is in the note: {}",
        outside.why()
    );
    let outside_branch = outside.json["branch"].as_str().unwrap_or_default();
    assert_eq!(
        git(&repo, &["show", &format!("{outside_branch}:notes/NEW.md")]),
        entry.trim_end()
    );
    assert_eq!(
        git(&repo, &["rev-parse", "main"]),
        main0,
        "{lang}: the gate declined"
    );
    assert_eq!(loop_branches(&repo).len(), 2, "{lang}");
    results.push(outside.result().to_string());

    // L3 inside the allowlist: merged by fast-forward; the checkout follows.
    let inside = run_l2(
        &kit,
        tmp,
        lang,
        &repo,
        "L3",
        ("CHANGES.md", &entry),
        passes,
        Some(allow_changes),
    );
    assert_eq!(
        (inside.code, inside.result()),
        (Some(0), "merged"),
        "{lang} L3 inside: {}",
        inside.why()
    );
    let merged = inside.json["commit"].as_str().unwrap_or_default();
    assert_eq!(
        git(&repo, &["rev-parse", "main"]),
        merged,
        "{lang}: main advanced"
    );
    assert_eq!(
        git(&repo, &["rev-parse", "main^"]),
        main0,
        "{lang}: by one commit"
    );
    assert_eq!(
        git(&repo, &["show", "main:CHANGES.md"]),
        format!("# Changes\n{entry}").trim_end()
    );
    assert_eq!(section(tmp, lang)["last_result"], "merged", "{lang}");
    results.push(inside.result().to_string());
    results
}

#[test]
fn l2_l3_kinds_in_three_languages_propose_and_merge_through_the_host() {
    if !enabled() {
        return;
    }
    install_tools();
    let tmp = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for lang in ["rust", "python", "js"] {
        all.push((lang, l2_scenario(lang, tmp.path())));
    }
    for (lang, results) in &all {
        assert_eq!(
            results,
            &[
                "refused",
                "error",
                "error",
                "proposed",
                "escalated",
                "proposed",
                "merged"
            ],
            "{lang}"
        );
    }
}
