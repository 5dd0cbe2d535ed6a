//! `validate` and `run` agree on every spec of the committed corpus
//! (`tests/fixtures/specs/{accept,refuse}`, see its README): what `validate` accepts, `run`
//! runs (exit 0 or 1, with a run-log row), and what `validate` refuses, `run` refuses with 64
//! before running anything.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn strive(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(args)
        .env("STRIVE_HOME", home.join("home"))
        .env("STRIVE_CACHE_DIR", home.join("cache"))
        .env_remove("STRIVE_AGREE_TEST_UNSET_KEY")
        .current_dir(home)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap()
}

fn repo(dir: &Path) {
    let repo =
        git2::Repository::init_opts(dir, git2::RepositoryInitOptions::new().initial_head("main"))
            .unwrap();
    std::fs::write(dir.join("README.md"), "hello\n").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(Path::new("README.md")).unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let sig = git2::Signature::now("Ada", "ada@example.com").unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "docs: readme", &tree, &[])
        .unwrap();
}

fn corpus(which: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/specs")
        .join(which);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn validate_and_run_agree_on_every_spec_of_the_corpus() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("target-repo");
    std::fs::create_dir(&target).unwrap();
    repo(&target);
    let mut checked = 0;
    for (which, accept) in [("accept", true), ("refuse", false)] {
        let files = corpus(which);
        assert!(files.len() >= 8, "{which}: {files:?}");
        for file in files {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&file)
                .unwrap()
                .replace("@REPO@", target.to_str().unwrap());
            let spec = tmp.path().join(&name);
            std::fs::write(&spec, text).unwrap();
            let spec = spec.to_str().unwrap();
            let state = tmp.path().join(format!("{name}.state.json"));
            let validated = strive(tmp.path(), &["validate", spec]);
            let ran = strive(
                tmp.path(),
                &["run", spec, "--json", "--state", state.to_str().unwrap()],
            );
            let show = |o: &Output| {
                format!(
                    "exit {:?}\n{}\n{}",
                    o.status.code(),
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                )
            };
            if accept {
                assert_eq!(
                    validated.status.code(),
                    Some(0),
                    "{name}: validate\n{}",
                    show(&validated)
                );
                assert!(
                    matches!(ran.status.code(), Some(0 | 1)),
                    "{name}: run must run what validate accepts\n{}",
                    show(&ran)
                );
                let runlog =
                    std::fs::read_to_string(tmp.path().join(format!("{name}.state.runlog.jsonl")))
                        .unwrap_or_default();
                assert_eq!(
                    runlog.lines().count(),
                    1,
                    "{name}: one run-log row\n{}",
                    show(&ran)
                );
            } else {
                assert_eq!(
                    validated.status.code(),
                    Some(64),
                    "{name}: validate\n{}",
                    show(&validated)
                );
                assert_eq!(
                    ran.status.code(),
                    Some(64),
                    "{name}: run must refuse what validate refuses\n{}",
                    show(&ran)
                );
                assert!(!state.exists(), "{name}: a refused spec writes no state");
            }
            checked += 1;
        }
    }
    assert!(checked >= 16);
}

#[test]
fn validate_warns_about_the_environment_and_audit_counts_it() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("l3.json");
    std::fs::write(
        &spec,
        serde_json::json!({
            "id": "gone", "kind": "assisted-fix", "phase": "L3", "cadence": "1d",
            "task": "fix the docs", "test_command": "true", "maker_command": "true",
            "target": {"repo": "no-such-repo", "refs": ["main"]},
            "budget": {"max_iterations": 2, "max_tokens": 1000, "wall_clock_secs": 60},
            "allowlist": {"allow_globs": ["docs/**"], "max_files": 3, "max_lines": 50}
        })
        .to_string(),
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let out = strive(tmp.path(), &["validate", "--json", spec]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = report["specs"][0]["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["pointer"] == "/target/repo"),
        "{report}"
    );
    let audit = strive(tmp.path(), &["audit", "--json", spec]);
    let audit: serde_json::Value = serde_json::from_slice(&audit.stdout).unwrap();
    assert_ne!(
        audit["ready_for"], "L3",
        "a missing repository is not ready: {audit}"
    );
}
