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

/// Scaffold, build, add and run the kit for `lang`; returns the run's JSON report.
fn build_and_run(lang: &str, tmp: &Path, repo: &Path) -> (Kit, Value) {
    let kit = Kit {
        home: tmp.join(format!("home-{lang}")),
        cache: kits_dir().join("cache"),
        dir: tmp.join(lang),
    };
    let dir = kit.dir.to_str().unwrap();
    ok(
        &kit.strive(&["plugin", "new", "--lang", lang, KIND, "--dir", dir]),
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
    ok(&build, &format!("{lang} build.sh"));
    eprintln!(
        "{lang}: kit built in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let wasm = kit.dir.join(format!("dist/{KIND}.wasm"));
    let started = std::time::Instant::now();
    ok(
        &kit.strive(&["plugin", "add", wasm.to_str().unwrap(), "--yes"]),
        "plugin add",
    );
    eprintln!(
        "{lang}: plugin add (checks + precompile) in {:.1} s",
        started.elapsed().as_secs_f64()
    );

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
