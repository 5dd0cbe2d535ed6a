//! The one spec check: every verb that reads a `loop.json` (`validate`, `audit`, `cost`, `run`,
//! `schedule`, `daemon`, `worker`, `sandbox`) calls [`check_document`] or [`load`], so what
//! `validate` accepts, `run` runs.
//!
//! Guarantees — a spec is refused (an *error*) when:
//! - it fails the schema or the semantic checks (`strive_spec::validate`), with the scheduler's
//!   own cadence and `stop_after` parsers and the plugin registry answering whether a custom
//!   kind is installed;
//! - its plugin (built in, or installed) does not accept the spec's phase (the manifest's
//!   `phases`);
//! - its `test_command` is blocked by the command guard (it would never be allowed to run).
//!
//! and *warned* about (the spec is valid; a run records what happens) when the environment is
//! not ready: the target repository does not open, a listed ref or the base ref does not
//! resolve, or the maker's key variable is unset. `run` ends such a run `escalated` (no
//! repository) or `error` (no key) with a run-log row; `audit` counts the warnings against
//! readiness.

use std::path::Path;

use serde_json::Value;
use strive_runtime::registry::Registry;
use strive_spec::{LoadedSpec, LoopSpec, Problem, SpecError};

/// A spec that passed the check, and what the environment lacks.
pub struct Checked {
    pub loaded: LoadedSpec,
    pub warnings: Vec<Problem>,
}

fn problem(pointer: &str, message: String, fix: impl Into<String>) -> Problem {
    Problem {
        pointer: pointer.into(),
        message,
        fix: fix.into(),
    }
}

/// Read and check the spec file at `path`. Errors carry the file as their origin.
pub fn load(path: &Path, registry_home: &Path) -> Result<Checked, SpecError> {
    let origin = path.display().to_string();
    let fail = |problems| SpecError {
        origin: origin.clone(),
        problems,
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        fail(vec![problem(
            "",
            format!("cannot read the file ({e})"),
            "check the path and that it is readable UTF-8 text",
        )])
    })?;
    let raw: Value = serde_json::from_str(&text)
        .map_err(|e| fail(vec![strive_spec::Problem::json_syntax(&e)]))?;
    check_document(raw, path, registry_home).map_err(fail)
}

/// Check a parsed spec document that came from `path` (empty for a stored spec).
pub fn check_document(
    raw: Value,
    path: &Path,
    registry_home: &Path,
) -> Result<Checked, Vec<Problem>> {
    let registry = Registry::new(registry_home.to_path_buf());
    let installed = |kind: &str| {
        registry
            .find(kind)
            .ok()
            .flatten()
            .is_some_and(|e| e.kind == kind)
    };
    let checks = strive_spec::Checks {
        kind_installed: Some(&installed),
        cadence: Some(&strive_scheduler::spec::check_cadence),
        stop_after: Some(&strive_scheduler::spec::check_stop_after),
    };
    let spec = strive_spec::validate(&raw, &checks)?;
    let mut errors = Vec::new();
    if let Some(p) = phase_problem(&spec, &registry) {
        errors.push(p);
    }
    if let Some(cmd) = spec.test_command.as_deref() {
        // Judged as the host judges it at run time: in the worktree (a checkout of the target).
        let repo = strive_spec::resolve_against(path, &spec.target.repo);
        let ctx = strive_core::guard::Context::in_dir(repo.display().to_string());
        let decision = strive_core::guard::Guard::default().check_in(cmd, &ctx);
        if !decision.is_allowed() {
            errors.push(problem(
                "/test_command",
                format!(
                    "the command guard blocks this test command ({}: {})",
                    decision.rule, decision.reason
                ),
                "use a test command that only runs the tests (e.g. \"cargo test\", \"python3 -m pytest -q\")",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let loaded = LoadedSpec {
        spec,
        path: path.to_path_buf(),
        raw,
    };
    let warnings = environment_warnings(&loaded);
    Ok(Checked { loaded, warnings })
}

/// The plugin serving the spec must accept its phase.
fn phase_problem(spec: &LoopSpec, registry: &Registry) -> Option<Problem> {
    // The lock records an installed plugin's phases, so nothing is read or hashed here (the
    // run re-checks the component's own manifest).
    let phases = match strive_runtime::builtin::for_kind(&spec.kind) {
        Some(b) => b.manifest().phases,
        None => match registry.for_spec(&spec.kind, spec.plugin.as_deref()) {
            Ok(Some(entry)) => entry.phases,
            // The kind is installed (checked before) but `plugin` names no installed plugin
            // or one of another kind: the run could not start, so the spec is refused now.
            Ok(None) => {
                let serving = registry
                    .find(&spec.kind)
                    .ok()
                    .flatten()
                    .filter(|e| e.kind == spec.kind)
                    .map(|e| e.id);
                return Some(problem(
                    "/plugin",
                    format!(
                        "no installed plugin has the id {:?}",
                        spec.plugin.as_deref().unwrap_or("")
                    ),
                    match serving {
                        Some(id) => format!(
                            "set \"plugin\" to {id:?} (it serves kind {:?}) or remove the field",
                            spec.kind
                        ),
                        None => "set \"plugin\" to an id `strive plugin list` shows".to_string(),
                    },
                ));
            }
            Err(e) => {
                return Some(problem(
                    "/plugin",
                    e.to_string(),
                    "set \"plugin\" to an id `strive plugin list` shows for this kind",
                ));
            }
        },
    };
    if phases.contains(&spec.phase) {
        return None;
    }
    let accepted: Vec<String> = phases.iter().map(|p| p.to_string()).collect();
    Some(problem(
        "/phase",
        format!(
            "{} runs at phase {}; this spec says {}",
            spec.kind,
            accepted.join(" or "),
            spec.phase
        ),
        format!("set \"phase\" to {}", accepted.join(" or ")),
    ))
}

/// What the machine lacks for this spec to run well (see the module docs).
fn environment_warnings(loaded: &LoadedSpec) -> Vec<Problem> {
    let spec = &loaded.spec;
    let mut out = Vec::new();
    let repo_path = loaded.repo_path();
    match git2::Repository::open(&repo_path) {
        Err(e) => out.push(problem(
            "/target/repo",
            format!(
                "the target repository {} does not open ({}); a run ends escalated",
                repo_path.display(),
                e.message()
            ),
            "point target.repo at a git repository (relative paths resolve against the spec file)",
        )),
        Ok(repo) => {
            let resolves = |r: &str| repo.revparse_single(r).is_ok();
            for (i, r) in spec.target.refs.iter().enumerate() {
                if !resolves(r) {
                    out.push(problem(
                        &format!("/target/refs/{i}"),
                        format!("ref \"{r}\" does not resolve in {}", repo_path.display()),
                        "name a branch or tag that exists (`git branch -a` lists them)",
                    ));
                }
            }
            if spec.phase.writes_target() {
                let base = spec
                    .target
                    .base_ref
                    .as_deref()
                    .unwrap_or(strive_spec::model::defaults::BASE_REF);
                if !resolves(base) {
                    out.push(problem(
                        "/target/base_ref",
                        format!(
                            "base ref \"{base}\" does not resolve in {}",
                            repo_path.display()
                        ),
                        "set target.base_ref to the branch fixes start from",
                    ));
                }
            }
        }
    }
    if let Some(var) = spec.maker.as_ref().and_then(|m| m.api_key_env())
        && std::env::var_os(var).is_none_or(|v| v.is_empty())
    {
        out.push(problem(
            "/maker",
            format!("the maker's key variable {var} is not set; a run ends in error"),
            format!("export {var}=… in the environment that runs the loop"),
        ));
    }
    out
}
