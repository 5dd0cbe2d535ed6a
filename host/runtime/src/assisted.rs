//! Running an `assisted-fix` loop spec end to end: spec → fix context → sandboxed plugin →
//! judged run → state.
//!
//! Guarantees:
//! - The phase must be L2 or L3 (`error` otherwise); a paused loop is `clean` without running;
//!   a target that is not a readable git repository is `escalated` without running.
//! - The host owns everything that must hold (see [`crate::caps`]): the maker (built from the
//!   spec's `maker` or `maker_command`; keys only from the named environment variable), the
//!   run's budget (`budget.max_tokens`, `max_cost_usd`, `max_iterations` — default 3 —,
//!   `wall_clock_secs`), the test command, the allowlist, and the base commit recorded now.
//! - Results: `proposed` and `merged` are success (exit 0); `escalated` and `error` are not.
//! - Every run leaves one run-log row `{ts, loop, result, action, branch, attempts, note,
//!   run_id, …}` (`action`: `auto-merged`, `opened-branch`, `escalated-to-human` or `none`) and
//!   the loop's section `{phase, last_run, last_result, branch, commit, attempts,
//!   reflections[], note, tokens_spent, notes}`; `tokens_spent` accumulates across runs and notes
//!   are appended, never replaced. The audit rows are chained and appended first.

use std::time::Duration;

use serde_json::{Value, json};
use strive_core::allowlist::AllowPolicy;
use strive_core::budget::{Budget, MicroUsd};
use strive_makers::MakerSpec;
use strive_spec::LoadedSpec;
use strive_state::{Store, StoreError};

use crate::builtin;
use crate::cache::{self, ComponentCache};
use crate::capability::Phase;
use crate::caps::{self, FixContext, FixOutcome, FixSettings};
use crate::limits::RunLimits;
use crate::loops::{RunOptions, SpecRunError, effective_grants};
use crate::plugin::Plugin;
use crate::records::{chain_audit, new_run_id, object_section, utc_stamp, write_run};
use crate::run::{self, RunReport, RunRequest, RunResultKind};

/// Default attempt cap (the earlier tool's).
pub const DEFAULT_MAX_ITERATIONS: u64 = 3;
/// Slack between the run's wall-clock budget (enforced at every host call) and the sandbox's
/// epoch deadline (the backstop for a plugin that stops calling the host).
const WALL_SLACK_MS: u64 = 5_000;

/// A finished assisted run.
pub struct AssistedRun {
    pub report: RunReport,
    pub outcome: FixOutcome,
    pub runlog_row: Value,
}

fn phase_of(spec: &strive_spec::model::LoopSpec) -> Phase {
    match spec.phase {
        strive_spec::model::Phase::L0 => Phase::L0,
        strive_spec::model::Phase::L1 => Phase::L1,
        strive_spec::model::Phase::L2 => Phase::L2,
        strive_spec::model::Phase::L3 => Phase::L3,
    }
}

/// The run's budget from the spec's `budget` object.
pub fn budget_of(spec: &strive_spec::model::LoopSpec) -> Budget {
    let b = &spec.budget;
    Budget {
        max_tokens: b.max_tokens,
        max_iterations: Some(b.max_iterations.map_or(DEFAULT_MAX_ITERATIONS, u64::from)),
        wall_clock_secs: b.wall_clock_secs,
        max_cost_usd: b
            .max_cost_usd
            .map(|usd| MicroUsd((usd.max(0.0) * MicroUsd::PER_USD as f64).floor() as u64)),
        max_host_calls: None,
    }
}

/// Everything the host needs from the spec, or the reason the run cannot start (`error`).
fn settings(loaded: &LoadedSpec) -> Result<FixSettings, String> {
    let spec = &loaded.spec;
    let test_command = spec
        .test_command
        .clone()
        .filter(|c| !c.trim().is_empty())
        .ok_or("test_command is required for assisted-fix (the verifier, e.g. \"python3 -m pytest -q\")")?;
    let maker_spec =
        MakerSpec::from_loop_spec(&loaded.raw).map_err(|e| format!("infra error: maker: {e}"))?;
    let secret_env: Vec<String> = maker_spec
        .as_ref()
        .and_then(MakerSpec::key_env)
        .map(str::to_owned)
        .into_iter()
        .collect();
    let maker = maker_spec
        .map(|m| m.build())
        .transpose()
        .map_err(|e| format!("infra error: maker: {e}"))?;
    let allowlist = match loaded.raw.get("allowlist") {
        None | Some(Value::Null) => None,
        Some(v) => {
            Some(AllowPolicy::from_json(&v.to_string()).map_err(|e| format!("allowlist: {e}"))?)
        }
    };
    let command_timeout = spec
        .budget
        .wall_clock_secs
        .map_or(caps::DEFAULT_COMMAND_TIMEOUT, |s| {
            Duration::from_secs(s).min(caps::DEFAULT_COMMAND_TIMEOUT)
        });
    Ok(FixSettings {
        repo: loaded.repo_path(),
        loop_id: spec.id.clone(),
        base_ref: spec
            .target
            .base_ref
            .clone()
            .unwrap_or_else(|| strive_spec::model::defaults::BASE_REF.to_string()),
        test_command,
        maker,
        budget: budget_of(spec),
        allowlist,
        worktree_parent: None,
        snapshot_bytes: caps::DEFAULT_SNAPSHOT_BYTES,
        command_timeout,
        sandbox: crate::sandbox::policy_of(spec),
        secret_env,
    })
}

/// Run the assisted-fix spec `loaded` once against `store`.
pub fn run_assisted(
    loaded: &LoadedSpec,
    store: &dyn Store,
    opts: &RunOptions,
) -> Result<AssistedRun, SpecRunError> {
    let spec = &loaded.spec;
    if spec.kind != strive_spec::model::KIND_ASSISTED_FIX {
        return Err(SpecRunError::UnknownKind(
            spec.kind.clone(),
            strive_spec::model::KIND_ASSISTED_FIX.into(),
        ));
    }
    let phase = phase_of(spec);
    let grants = effective_grants(phase, &spec.grants, opts.grants.as_ref())?;
    let now_unix = opts
        .now_unix
        .unwrap_or_else(|| chrono::Utc::now().timestamp());
    let run_id = new_run_id(now_unix);
    let repo = loaded.repo_path();
    let early =
        |result: RunResultKind, note: String| RunReport::skipped(&run_id, &spec.id, result, note);

    let (report, outcome) = if phase < Phase::L2 {
        let note = format!("assisted-fix requires phase L2 or L3 (this loop is {phase})");
        (early(RunResultKind::Error, note), FixOutcome::default())
    } else if spec.paused {
        (
            early(RunResultKind::Clean, "paused".into()),
            FixOutcome::default(),
        )
    } else if let Err(e) = git2::Repository::open(&repo) {
        let note = format!(
            "target not a readable git repo: {} ({})",
            repo.display(),
            e.message()
        );
        (early(RunResultKind::Escalated, note), FixOutcome::default())
    } else {
        match settings(loaded).and_then(FixContext::start) {
            Err(note) => (early(RunResultKind::Error, note), FixOutcome::default()),
            Ok(fix) => {
                let builtin =
                    builtin::for_kind(&spec.kind).expect("assisted-fix is a built-in loop kind");
                let cache = opts
                    .cache_dir
                    .clone()
                    .or_else(cache::default_dir)
                    .map(ComponentCache::new);
                let plugin = Plugin::load(builtin.wasm, builtin.manifest(), cache.as_ref())?;
                let mut limits = RunLimits::default();
                if let Some(secs) = spec.budget.wall_clock_secs {
                    limits.wall_ms = secs.saturating_mul(1000).saturating_add(WALL_SLACK_MS);
                } else {
                    limits.wall_ms = u64::MAX / 4;
                }
                if let Some(calls) = spec.budget.max_host_calls {
                    limits.host_calls = limits.host_calls.min(calls);
                }
                let req = RunRequest {
                    loop_id: spec.id.clone(),
                    run_id: run_id.clone(),
                    phase,
                    config_json: loaded.raw.to_string(),
                    now_unix,
                    repo: Some(repo.clone()),
                    grants,
                    limits,
                    section: store.read_section(&spec.id)?,
                };
                let (report, outcome) = run::execute_with(&plugin, &req, Some(fix));
                (report, outcome.unwrap_or_default())
            }
        }
    };
    let runlog_row = commit(store, &report, &outcome, phase, now_unix)?;
    Ok(AssistedRun {
        report,
        outcome,
        runlog_row,
    })
}

/// The run-log `action` of a result (the earlier tool's vocabulary).
pub fn action_of(result: RunResultKind) -> &'static str {
    match result {
        RunResultKind::Merged => "auto-merged",
        RunResultKind::Proposed => "opened-branch",
        RunResultKind::Escalated => "escalated-to-human",
        _ => "none",
    }
}

/// Persist an assisted run: audit rows, the loop's section, one run-log row (returned).
pub fn commit(
    store: &dyn Store,
    report: &RunReport,
    outcome: &FixOutcome,
    phase: Phase,
    now_unix: i64,
) -> Result<Value, StoreError> {
    let (lines, head) = chain_audit(report);
    let stamp = utc_stamp(now_unix);
    let opt = |s: &Option<String>| s.as_ref().map_or(Value::Null, |v| json!(v));
    let mut update = |prev: Option<Value>| -> Result<Option<Value>, StoreError> {
        let mut section = object_section(store, &report.loop_id, prev)?;
        let before = section
            .get("tokens_spent")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        section.insert("phase".into(), json!(phase.to_string()));
        section.insert("last_run".into(), json!(stamp));
        section.insert("last_result".into(), json!(report.result.as_str()));
        section.insert("branch".into(), opt(&outcome.branch));
        section.insert("commit".into(), opt(&outcome.commit));
        section.insert("attempts".into(), json!(outcome.attempts));
        section.insert("reflections".into(), json!(outcome.reflections));
        section.insert("note".into(), json!(report.note));
        section.insert("last_run_id".into(), json!(report.run_id));
        section.insert(
            "tokens_spent".into(),
            json!(before.saturating_add(outcome.tokens_spent)),
        );
        let mut notes = match section.remove("notes") {
            Some(Value::Array(n)) => n,
            _ => Vec::new(),
        };
        if report.result.accepted() {
            for (key, value) in &report.staged {
                section.insert(key.clone(), value.clone());
            }
            notes.extend(report.notes_added.iter().map(|n| json!(n)));
        }
        section.insert("notes".into(), Value::Array(notes));
        Ok(Some(Value::Object(section)))
    };
    let row = json!({
        "ts": stamp,
        "loop": report.loop_id,
        "result": report.result.as_str(),
        "action": action_of(report.result),
        "branch": outcome.branch,
        "attempts": outcome.attempts,
        "note": report.note,
        "run_id": report.run_id,
        "tokens": outcome.tokens_spent,
        "audit_rows": lines.len(),
        "audit_head": head,
    });
    write_run(store, report, &lines, &mut update, &row)?;
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_follow_results() {
        assert_eq!(action_of(RunResultKind::Merged), "auto-merged");
        assert_eq!(action_of(RunResultKind::Proposed), "opened-branch");
        assert_eq!(action_of(RunResultKind::Escalated), "escalated-to-human");
        assert_eq!(action_of(RunResultKind::Error), "none");
    }
}
