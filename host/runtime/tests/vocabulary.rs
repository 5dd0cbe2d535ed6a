//! The shared vocabulary holds across every layer that reads it: each capability name and alias
//! passes the loop-spec schema and semantic check, serde, a plugin manifest and the runtime's
//! grant computation; every documented maker type validates; every section key the host writes
//! is reserved from plugins; the runtime has no module import cycles.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Value, json};
use strive_runtime::capability::{Capability, Phase, TABLE};
use strive_runtime::pipeline::effective_grants;
use strive_runtime::state_keys::HostKey;
use strive_vocab::{Grant, MAKER_TYPES, MakerType};

fn spec_with(extra: Value) -> Value {
    let mut spec = json!({
        "id": "vocab", "kind": "git-commit-triage", "phase": "L1",
        "target": {"repo": ".", "refs": ["main"]}, "budget": {}
    });
    if let (Some(s), Some(e)) = (spec.as_object_mut(), extra.as_object()) {
        s.extend(e.clone());
    }
    spec
}

fn repo_root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

#[test]
fn every_capability_name_and_alias_passes_every_layer() {
    for row in TABLE {
        for name in std::iter::once(&row.name).chain(row.aliases) {
            // loop.json grants: schema + semantic check
            let doc = spec_with(json!({"grants": [name]}));
            let spec = strive_spec::validate(&doc, &strive_spec::Checks::default())
                .unwrap_or_else(|p| panic!("grant {name}: {p:?}"));
            // serde and the vocabulary's own parsers
            let cap: Capability = serde_json::from_value(json!(name)).unwrap();
            assert_eq!(cap, row.capability, "{name}");
            assert_eq!(
                Grant::parse(&format!("{name}:scope")).unwrap().capability,
                cap
            );
            // the runtime's grant computation at a phase that allows it
            let got = effective_grants(Phase::L3, &spec.grants, None, None).unwrap();
            assert_eq!(got, BTreeSet::from([cap]), "{name}");
            // a plugin manifest naming it
            let manifest = format!(
                "id = \"t.vocab\"\nversion = \"0.1.0\"\nkind = \"vocab\"\napi = \"^0.1\"\ncapabilities = [\"{name}\"]\n"
            );
            let parsed = strive_runtime::Manifest::parse(&manifest, "test").unwrap();
            assert!(parsed.capabilities.contains(&cap), "{name}");
        }
    }
    let bad = spec_with(json!({"grants": ["teleport"]}));
    let problems = strive_spec::validate(&bad, &strive_spec::Checks::default()).unwrap_err();
    assert!(
        problems.iter().any(|p| p.pointer == "/grants/0"),
        "{problems:?}"
    );
}

#[test]
fn every_documented_maker_type_validates_and_the_schema_lists_exactly_the_table() {
    let docs = std::fs::read_to_string(repo_root().join("docs/makers.md")).unwrap();
    let documented: BTreeSet<String> = regex::Regex::new(r#""type":\s*"([A-Za-z0-9._-]+)""#)
        .unwrap()
        .captures_iter(&docs)
        .map(|c| c[1].to_string())
        .collect();
    assert!(documented.len() >= 8, "{documented:?}");
    for kind in &documented {
        assert!(
            MakerType::parse(kind).is_some(),
            "docs name unknown maker type {kind}"
        );
        let mut maker = json!({"type": kind, "model": "m", "base_url": "http://127.0.0.1:9/v1"});
        if kind == "command" {
            maker = json!({"type": "command", "command": "./fix.sh"});
        }
        if kind == "agent-cli" {
            maker = json!({"type": "agent-cli", "preset": "claude"});
        }
        let doc = spec_with(json!({
            "kind": "assisted-fix", "phase": "L2", "task": "t", "test_command": "true",
            "maker": maker
        }));
        strive_spec::validate(&doc, &strive_spec::Checks::default())
            .unwrap_or_else(|p| panic!("maker type {kind}: {p:?}"));
    }
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/loop.schema.json")).unwrap(),
    )
    .unwrap();
    let listed: BTreeSet<&str> = schema["properties"]["maker"]["properties"]["type"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let table: BTreeSet<&str> = MakerType::spellings().collect();
    assert_eq!(listed, table);
    let maker = &schema["properties"]["maker"]["properties"];
    let modes: BTreeSet<&str> = maker["mode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        modes,
        strive_vocab::MakerMode::spellings().collect::<BTreeSet<_>>()
    );
    assert_eq!(
        maker["max_turns"]["maximum"],
        json!(strive_vocab::MAX_TURNS_LIMIT)
    );
    assert!(MAKER_TYPES.iter().all(|t| documented.contains(t.name)));
}

#[test]
fn every_key_the_host_writes_is_reserved() {
    use strive_runtime::caps::FixOutcome;
    use strive_runtime::report::{RunReport, RunResult};
    let dir = tempfile::tempdir().unwrap();
    let store = strive_state::FileStore::new(dir.path().join("state.json"));
    let mut report = RunReport::skipped("r1", "l1", RunResult::Clean, "ok".into());
    report.notes_added.push("a note".into());
    let fix = FixOutcome {
        branch: Some("loop/l1/x".into()),
        commit: Some("0".repeat(40)),
        ..FixOutcome::default()
    };
    for outcome in [None, Some(&fix)] {
        strive_runtime::records::commit(&store, &report, outcome, Phase::L2, 0).unwrap();
    }
    use strive_state::Store;
    let section = store.read_section("l1").unwrap().unwrap();
    let written: BTreeMap<String, Value> =
        serde_json::from_value(section).expect("a section is an object");
    for key in written.keys() {
        assert!(
            HostKey::parse(key).is_some(),
            "host wrote unreserved key {key}"
        );
    }
    assert!(written.contains_key("last_run_id") && written.contains_key("branch"));
}

/// `crate::x` references between the runtime's top-level modules (comments and test modules
/// aside) form no cycle.
#[test]
fn the_runtime_has_no_module_import_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let refs = regex::Regex::new(r"crate::([a-z_]+)").unwrap();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let module = rel
                .trim_end_matches(".rs")
                .split('/')
                .next()
                .unwrap()
                .to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            let deps = graph.entry(module.clone()).or_default();
            for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
                for c in refs.captures_iter(line) {
                    if c[1] != *module {
                        deps.insert(c[1].to_string());
                    }
                }
            }
        }
    }
    fn reaches(
        graph: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        to: &str,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        graph
            .get(from)
            .into_iter()
            .flatten()
            .any(|next| next == to || (seen.insert(next.clone()) && reaches(graph, next, to, seen)))
    }
    for module in graph.keys() {
        assert!(
            !reaches(&graph, module, module, &mut BTreeSet::new()),
            "module {module} imports itself through others: {graph:?}"
        );
    }
    let dashboard = std::fs::read_to_string(repo_root().join("host/dashboard/Cargo.toml")).unwrap();
    assert!(
        !dashboard.contains("strive-runtime") && !dashboard.contains("wasmtime"),
        "the read-only dashboard must not link the wasm runtime"
    );
}
