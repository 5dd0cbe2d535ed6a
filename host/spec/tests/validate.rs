//! Loop-spec validation: the shipped examples, earlier specs, every conditional rule, and the
//! wording of errors (path, problem, fix).

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Value, json};
use strive_spec::{Checks, KIND_TRIAGE, Phase, load, parse, validate, validate_manifest};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn triage() -> Value {
    json!({
        "id": "t", "kind": "git-commit-triage", "phase": "L1",
        "target": {"repo": "/r", "refs": ["main"]},
        "budget": {"max_iterations": 1}
    })
}

fn assisted() -> Value {
    json!({
        "id": "a", "kind": "assisted-fix", "phase": "L2",
        "target": {"repo": "/r"},
        "task": "fix the test", "test_command": "cargo test",
        "maker": {"type": "nvidia"},
        "budget": {"max_iterations": 3}
    })
}

/// Problems as "pointer: message — fix" lines.
fn problems(v: &Value) -> Vec<String> {
    validate(v, &Checks::default())
        .err()
        .unwrap_or_default()
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn assert_problem(v: &Value, needle: &str) {
    let ps = problems(v);
    assert!(
        ps.iter().any(|p| p.contains(needle)),
        "no {needle:?} in {ps:#?}"
    );
}

#[test]
fn shipped_examples_are_valid() {
    let dir = root().join("loops");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("example-") && name.ends_with(".json") {
            let loaded = load(&path, &Checks::default())
                .unwrap_or_else(|e| panic!("{name} is invalid:\n{e}"));
            assert!(!loaded.spec.id.is_empty());
            n += 1;
        }
    }
    assert!(n >= 3, "expected the three example specs, found {n}");
}

#[test]
fn earlier_fields_and_defaults() {
    let spec = validate(&triage(), &Checks::default()).unwrap();
    assert_eq!(spec.kind, KIND_TRIAGE);
    assert_eq!(spec.phase, Phase::L1);
    assert_eq!(spec.state_file(), ".loop-state/state.json");
    assert_eq!(spec.first_run_since(), "7 days ago");
    assert_eq!(spec.priority(), 100);
    assert!(!spec.paused);
    let mut a = assisted();
    a["budget"] = json!({});
    let spec = validate(&a, &Checks::default()).unwrap();
    assert_eq!(spec.max_iterations(), 3);
    assert_eq!(spec.base_ref(), "main");
    assert_eq!(
        spec.maker.unwrap().model(),
        Some("meta/llama-3.3-70b-instruct")
    );
}

#[test]
fn new_fields_are_accepted() {
    let mut v = assisted();
    v["priority"] = json!(5);
    v["stop_after"] = json!("2026-12-31T00:00:00Z");
    v["notes"] = json!(["owned by the platform team"]);
    v["grants"] = json!(["git-read", "maker:anthropic"]);
    v["maker"] = json!({"type": "anthropic", "model": "claude-opus-4-8", "max_tokens": 8000,
                        "api_key_env": "ANTHROPIC_API_KEY"});
    v["budget"] = json!({"max_tokens": 1000, "max_cost_usd": 2.5, "max_host_calls": 500});
    let spec = validate(&v, &Checks::default()).unwrap();
    assert_eq!(spec.priority(), 5);
    assert_eq!(spec.budget.max_cost_usd, Some(2.5));
    assert_eq!(spec.grants, ["git-read", "maker:anthropic"]);

    let mut c = triage();
    c["capabilities"] = json!(["git-read"]);
    assert_eq!(
        validate(&c, &Checks::default()).unwrap().grants,
        ["git-read"]
    );
    c["grants"] = json!(["git-read"]);
    assert_problem(&c, "both \"grants\" and \"capabilities\"");
}

#[test]
fn maker_mode_and_turn_cap() {
    let spec = validate(&assisted(), &Checks::default()).unwrap();
    let maker = spec.maker.as_ref().unwrap();
    assert_eq!(maker.mode(), Some(strive_vocab::MakerMode::SingleShot));
    assert_eq!(maker.max_turns(), strive_vocab::DEFAULT_MAX_TURNS);

    let mut v = assisted();
    v["maker"]["mode"] = json!("agent");
    v["maker"]["max_turns"] = json!(200);
    let spec = validate(&v, &Checks::default()).unwrap();
    let maker = spec.maker.as_ref().unwrap();
    assert_eq!(maker.mode(), Some(strive_vocab::MakerMode::Agent));
    assert_eq!(maker.max_turns(), 200);

    v["maker"]["mode"] = json!("autopilot");
    let ps = problems(&v);
    assert!(
        ps.iter()
            .any(|p| p.starts_with("/maker/mode: must be one of")
                && p.contains("\"autopilot\"")
                && p.contains("agent")),
        "{ps:#?}"
    );
    v["maker"]["mode"] = json!("agent");
    for bad in [0, 201] {
        v["maker"]["max_turns"] = json!(bad);
        assert_problem(&v, "/maker/max_turns: must be");
    }
    v["maker"]["max_turns"] = json!("many");
    assert_problem(&v, "/maker/max_turns: must be integer");

    let mut c = assisted();
    c["maker"] = json!({"type": "command", "command": "./fix.sh", "mode": "agent"});
    assert_problem(&c, "/maker/mode: maker type \"command\" runs a program");
    c["maker"]["mode"] = json!("single-shot");
    assert!(validate(&c, &Checks::default()).is_ok());
    // An agent CLI is already an agent: it has no chat turns for the host to drive.
    c["maker"] = json!({"type": "agent-cli", "preset": "claude", "mode": "agent"});
    assert_problem(&c, "/maker/mode: maker type \"agent-cli\" runs a program");
}

#[test]
fn error_names_path_problem_and_fix() {
    let mut v = triage();
    v["budget"]["max_iterations"] = json!(0);
    let err = parse(&v.to_string(), "loops/x.json", &Checks::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "error: loops/x.json: /budget/max_iterations: must be ≥ 1 (got 0) — set it to the number of attempts allowed"
    );
}

#[test]
fn conditional_rules() {
    let mut v = triage();
    v["target"].as_object_mut().unwrap().remove("refs");
    assert_problem(
        &v,
        "/target/refs: missing required field \"refs\" (kind git-commit-triage needs it)",
    );

    let mut v = triage();
    v["target"]["refs"] = json!([]);
    assert_problem(&v, "/target/refs: must list at least 1 item");

    let mut v = assisted();
    v.as_object_mut().unwrap().remove("test_command");
    assert_problem(
        &v,
        "/test_command: missing required field \"test_command\" (kind assisted-fix needs it)",
    );

    let mut v = assisted();
    v.as_object_mut().unwrap().remove("maker");
    assert_problem(&v, "needs a maker or a maker_command");
    v["maker_command"] = json!("./make-fix.sh");
    assert!(problems(&v).is_empty());

    let mut v = assisted();
    v["phase"] = json!("L3");
    assert_problem(
        &v,
        "/allowlist: missing required field \"allowlist\" (phase L3 auto-merges",
    );

    let mut v = assisted();
    v["maker"] = json!({"type": "openai"});
    assert_problem(&v, "/maker/base_url: missing required field");
    assert_problem(&v, "/maker/model: missing required field");
}

#[test]
fn semantic_rules() {
    let mut v = assisted();
    v["phase"] = json!("L1");
    assert_problem(
        &v,
        "/phase: assisted-fix proposes changes, which phase L1 does not allow",
    );

    let mut v = triage();
    v["phase"] = json!("L2");
    assert_problem(&v, "/phase: git-commit-triage is report-only");

    let mut v = triage();
    v["target"]["refs"] = json!(["main", "main"]);
    assert_problem(&v, "/target/refs/1: ref \"main\" is listed twice");

    let mut v = triage();
    v["connectors"] =
        json!([{"name": "github", "scope": "write", "url": "https://mcp.example.com/mcp"}]);
    assert_problem(&v, "/connectors/0/scope: write scope needs phase L3");

    // Exactly one transport; the network needs a reason.
    let mut v = triage();
    v["connectors"] = json!([{"name": "x", "command": ["srv"], "url": "http://127.0.0.1:1/mcp"}]);
    assert_problem(
        &v,
        "needs exactly one of `command` (a stdio server) and `url`",
    );
    v["connectors"] = json!([{"name": "x"}]);
    assert_problem(
        &v,
        "needs exactly one of `command` (a stdio server) and `url`",
    );
    v["connectors"] = json!([{"name": "x", "command": ["srv"], "network": "full"}]);
    assert_problem(&v, "/connectors/0/network_reason");
    v["connectors"] = json!([{"name": "x", "command": ["srv"], "network": "full", "network_reason": "calls the tracker API"}]);
    assert!(problems(&v).is_empty(), "{:?}", problems(&v));
}

#[test]
fn custom_kinds_need_a_plugin() {
    let mut v = triage();
    v["kind"] = json!("flaky-test-triage");
    assert_problem(&v, "/kind: \"flaky-test-triage\" is not a built-in kind");
    v["plugin"] = json!("acme.flaky");
    assert!(problems(&v).is_empty(), "{:?}", problems(&v));

    let installed = |k: &str| k == "flaky-test-triage";
    let checks = Checks {
        kind_installed: Some(&installed),
        ..Checks::default()
    };
    assert!(validate(&v, &checks).is_ok());
    v["kind"] = json!("other-kind");
    let err = validate(&v, &checks).unwrap_err();
    assert!(
        err[0]
            .message
            .contains("no installed plugin serves kind \"other-kind\"")
    );

    let mut b = triage();
    b["plugin"] = json!("acme.flaky");
    assert_problem(&b, "/plugin: kind git-commit-triage is built in");
}

#[test]
fn cadence_hook_is_used() {
    let mut v = triage();
    v["cadence"] = json!("fortnightly-ish");
    let parse_cadence = |c: &str| {
        if c.ends_with('d') {
            Ok(())
        } else {
            Err("unknown unit".to_string())
        }
    };
    let checks = Checks {
        cadence: Some(&parse_cadence),
        ..Checks::default()
    };
    let err = validate(&v, &checks).unwrap_err();
    assert_eq!(err[0].pointer, "/cadence");
    v["cadence"] = json!("1d");
    assert!(validate(&v, &checks).is_ok());
}

#[test]
fn unknown_fields_and_types_are_explained() {
    let mut v = triage();
    v["priorty"] = json!(3);
    assert_problem(
        &v,
        "/priorty: unknown field \"priorty\" — remove it or fix its spelling; known fields here:",
    );
    let mut v = triage();
    v["paused"] = json!("no");
    assert_problem(&v, "/paused: must be boolean (got a string)");
    let mut v = triage();
    v["phase"] = json!("L4");
    assert_problem(
        &v,
        "/phase: must be one of [\"L0\",\"L1\",\"L2\",\"L3\"] (got \"L4\")",
    );
    assert_problem(&json!([]), "(top level): must be object (got an array)");
}

#[test]
fn unreadable_input_fails_closed() {
    let err = parse("{\"id\": ", "x.json", &Checks::default()).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("error: x.json: (top level): not valid JSON")
    );
    let err = load(Path::new("/nonexistent/spec.json"), &Checks::default()).unwrap_err();
    assert!(err.to_string().contains("cannot read the file"));
}

#[test]
fn relative_repo_resolves_against_the_spec_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = triage();
    v["target"]["repo"] = json!("../repo");
    let path = dir.path().join("loops/t.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, v.to_string()).unwrap();
    let loaded = load(&path, &Checks::default()).unwrap();
    assert_eq!(loaded.repo_path(), dir.path().join("loops/../repo"));
    v["target"]["repo"] = json!("/abs/repo");
    std::fs::write(&path, v.to_string()).unwrap();
    assert_eq!(
        load(&path, &Checks::default()).unwrap().repo_path(),
        Path::new("/abs/repo")
    );
}

#[test]
fn plugin_manifest_schema() {
    let good = json!({
        "id": "acme.flaky", "version": "1.2.0", "kind": "flaky-test-triage", "api": "^0.1",
        "capabilities": [{"name": "git-read"}, {"name": "maker", "scopes": ["anthropic"]}],
        "limits": {"memory_mib": 64}, "license": "MIT", "source": "https://example.com/acme"
    });
    assert!(
        validate_manifest(&good).is_empty(),
        "{:?}",
        validate_manifest(&good)
    );
    let mut bad = good.clone();
    bad["version"] = json!("one");
    bad["capabilities"] = json!([{"scopes": []}]);
    let ps: Vec<String> = validate_manifest(&bad)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(ps.iter().any(|p| p.starts_with("/version")), "{ps:?}");
    assert!(
        ps.iter().any(|p| p.starts_with("/capabilities/0/name")),
        "{ps:?}"
    );
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z0-9 ./:-]{0,10}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 32, 5, |inner| {
        let keys = prop_oneof![
            Just("id".to_string()),
            Just("kind".to_string()),
            Just("phase".to_string()),
            Just("target".to_string()),
            Just("budget".to_string()),
            Just("refs".to_string()),
            Just("repo".to_string()),
            Just("maker".to_string()),
            Just("type".to_string()),
            "[a-z_]{1,8}",
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = parse(&text, "p.json", &Checks::default());
    }

    #[test]
    fn arbitrary_documents_never_panic_and_errors_carry_fixes(v in arb_json()) {
        if let Err(ps) = validate(&v, &Checks::default()) {
            prop_assert!(!ps.is_empty());
            for p in ps {
                prop_assert!(!p.message.is_empty() && !p.fix.is_empty(), "{p:?}");
            }
        }
    }

    #[test]
    fn mutated_valid_specs_never_panic(field in "[a-z_]{1,12}", value in arb_json()) {
        let mut v = triage();
        v[field.as_str()] = value.clone();
        let _ = validate(&v, &Checks::default());
        let mut t = triage();
        t["target"][field.as_str()] = value;
        let _ = validate(&t, &Checks::default());
    }
}

#[test]
fn first_run_windows_are_checked_as_the_triage_kind_reads_them() {
    for ok in [
        json!({"first_run_since": "7 days ago"}),
        json!({"first_run": "2024-05-01"}),
        json!({"first_run": "all"}),
        json!({"first_run": {"last": 50}}),
        json!({"first_run": {"since_tag": true}}),
        json!({"first_run": {"since_tag": "v1.0"}}),
        json!({"first_run": {"since": "2 weeks", "from": "now"}}),
        json!({"first_parent": true}),
    ] {
        let mut v = triage();
        for (k, val) in ok.as_object().unwrap() {
            v["target"][k] = val.clone();
        }
        assert!(problems(&v).is_empty(), "{ok}: {:?}", problems(&v));
    }
    for (bad, needle) in [
        (
            json!({"first_run_since": "last tuesday"}),
            "/target/first_run_since",
        ),
        (json!({"first_run": "whenever"}), "/target/first_run"),
        (json!({"first_run": {"since": "soon"}}), "/target/first_run"),
        (json!({"first_run": {"last": 0}}), "/target/first_run"),
        (
            json!({"first_run": {"last": 5, "all": true}}),
            "/target/first_run",
        ),
    ] {
        let mut v = triage();
        for (k, val) in bad.as_object().unwrap() {
            v["target"][k] = val.clone();
        }
        assert_problem(&v, needle);
    }
    assert!(strive_spec::window_parses("3 months ago"));
    assert!(!strive_spec::window_parses("3 fortnights"));
}
