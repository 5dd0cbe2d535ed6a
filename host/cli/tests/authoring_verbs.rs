//! End-to-end behaviour of `strive validate`, `init`, `cost` and `audit` (exit codes, files,
//! JSON shapes).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn strive(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strive"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../loops")
}

#[test]
fn validate_examples_and_reject_bad_specs() {
    let dir = tempfile::tempdir().unwrap();
    let ex = examples();
    let specs: Vec<String> = [
        "example-triage.json",
        "example-assisted-fix.json",
        "example-l3-autofix.json",
    ]
    .iter()
    .map(|f| ex.join(f).display().to_string())
    .collect();
    let args: Vec<&str> = std::iter::once("validate")
        .chain(specs.iter().map(String::as_str))
        .collect();
    let out = strive(&args, dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    std::fs::write(dir.path().join("bad.json"), r#"{"id":"x","kind":"git-commit-triage","phase":"L1","target":{"repo":"r","refs":[]},"budget":{}}"#).unwrap();
    let out = strive(&["validate", "bad.json"], dir.path());
    assert_eq!(out.status.code(), Some(64));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("error: bad.json: /target/refs: must list at least 1 item"),
        "{err}"
    );

    let out = strive(
        &["validate", "--json", "bad.json", "missing.json"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(64));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["specs"][0]["problems"][0]["pointer"], "/target/refs");
    assert_eq!(v["specs"][1]["valid"], false);

    std::fs::write(dir.path().join("notjson.json"), "{").unwrap();
    assert_eq!(
        strive(&["validate", "notjson.json"], dir.path())
            .status
            .code(),
        Some(64)
    );
}

#[test]
fn init_writes_valid_specs_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["git-commit-triage", "assisted-fix", "flaky-test-triage"] {
        let out_path = format!("loops/{kind}.json");
        let out = strive(
            &["init", "my-loop", "--kind", kind, "--out", &out_path],
            dir.path(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).starts_with("wrote loops/"));
        let out = strive(&["validate", &out_path], dir.path());
        let stderr = String::from_utf8_lossy(&out.stderr);
        if kind == "flaky-test-triage" {
            // A custom kind validates once a plugin serving it is installed, as `run` needs.
            assert_eq!(out.status.code(), Some(64), "{kind}: {stderr}");
            assert!(stderr.contains("strive plugin add"), "{stderr}");
        } else {
            assert_eq!(out.status.code(), Some(0), "{kind}: {stderr}");
        }
    }
    let again = strive(
        &["init", "my-loop", "--out", "loops/git-commit-triage.json"],
        dir.path(),
    );
    assert_eq!(again.status.code(), Some(1));
    let forced = strive(
        &[
            "init",
            "other",
            "--out",
            "loops/git-commit-triage.json",
            "--force",
            "--repo",
            ".",
        ],
        dir.path(),
    );
    assert_eq!(forced.status.code(), Some(0));
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("loops/git-commit-triage.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["id"], "other");
    assert!(Path::new(v["target"]["repo"].as_str().unwrap()).is_absolute());

    let printed = strive(&["init", "p"], dir.path());
    let v: Value = serde_json::from_slice(&printed.stdout).unwrap();
    assert_eq!(v["kind"], "git-commit-triage");
    assert_eq!(strive(&["init", ""], dir.path()).status.code(), Some(64));
    assert_eq!(
        strive(&["init", "x", "--kind", "Not A Kind"], dir.path())
            .status
            .code(),
        Some(64)
    );
}

#[test]
fn cost_exits_1_over_budget() {
    let dir = tempfile::tempdir().unwrap();
    let ok = strive(
        &[
            "cost",
            "--json",
            examples()
                .join("example-assisted-fix.json")
                .to_str()
                .unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(ok.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(v["per_run_tokens"], 90_000);
    assert_eq!(v["within_budget"], true);
    assert!(v["notes"].is_array());

    let mut spec: Value = serde_json::from_str(
        &std::fs::read_to_string(examples().join("example-assisted-fix.json")).unwrap(),
    )
    .unwrap();
    spec["budget"]["max_tokens"] = 10_000.into();
    spec["cadence"] = "6h".into();
    std::fs::write(dir.path().join("over.json"), spec.to_string()).unwrap();
    let over = strive(
        &["cost", "over.json", "--json", "--usd-per-mtok", "1"],
        dir.path(),
    );
    assert_eq!(over.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&over.stdout).unwrap();
    assert_eq!(v["runs_per_day"], 4.0);
    assert_eq!(v["per_day_tokens"], 360_000);
    assert_eq!(v["per_run_cost_usd"], 0.09);
    assert_eq!(v["within_budget"], false);
}

#[test]
fn audit_exits_1_when_spec_claims_more() {
    let dir = tempfile::tempdir().unwrap();
    // The example, pointed at a repository that exists (its placeholder path does not, and a
    // missing repository is not ready).
    let repo = dir.path().join("repo");
    let git = git2::Repository::init_opts(
        &repo,
        git2::RepositoryInitOptions::new().initial_head("main"),
    )
    .unwrap();
    let sig = git2::Signature::now("Ada", "ada@example.com").unwrap();
    let tree = git
        .find_tree(git.index().unwrap().write_tree().unwrap())
        .unwrap();
    git.commit(Some("HEAD"), &sig, &sig, "init", &tree, &[])
        .unwrap();
    let mut example: Value = serde_json::from_str(
        &std::fs::read_to_string(examples().join("example-triage.json")).unwrap(),
    )
    .unwrap();
    example["target"]["repo"] = repo.display().to_string().into();
    std::fs::write(dir.path().join("example.json"), example.to_string()).unwrap();
    let ok = strive(&["audit", "--json", "example.json"], dir.path());
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let v: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(v["ready_for"], "L1");
    assert_eq!(v["score"], 100);
    let placeholder = strive(
        &[
            "audit",
            "--json",
            examples().join("example-triage.json").to_str().unwrap(),
        ],
        dir.path(),
    );
    let v: Value = serde_json::from_slice(&placeholder.stdout).unwrap();
    assert_ne!(
        v["score"], 100,
        "a repository that does not exist counts: {v}"
    );

    std::fs::write(
        dir.path().join("claims.json"),
        r#"{"id":"x","kind":"assisted-fix","phase":"L3","target":{"repo":"r"},"task":"t","test_command":"make test","maker":{"type":"nvidia"},"budget":{"max_tokens":1}}"#,
    )
    .unwrap();
    let out = strive(&["audit", "claims.json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("declares L3, structurally ready for L0"),
        "{text}"
    );
    assert!(text.contains("[ ] l3_allowlist"), "{text}");
}
