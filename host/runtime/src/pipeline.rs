//! The one run pipeline every loop kind goes through, built-in or installed:
//! resolve the plugin → effective grants → fix context (if the grants call for one) → limits →
//! execute → judge ([`crate::verdict`]) → records ([`crate::records::commit`]).
//!
//! Guarantees:
//! - **No kind is special.** The plugin is the built-in serving the spec's `kind`, else the
//!   installed plugin serving it (`plugin` picks one by id). What a run may do follows only from
//!   its phase, the plugin's manifest (declared capabilities and accepted `phases`), and the
//!   person's grants ([`effective_grants`]): phase defaults, narrowed — never widened — by the
//!   spec's `grants`, the CLI's `--grant` and, for an installed plugin, its `plugins.lock` grants.
//! - **The fix context follows the grants.** A run whose effective capabilities include one that
//!   writes the target (worktree, command, maker, merge) gets the host's fix context: the
//!   worktrees, the guarded test command, the maker, the budget ledger and the merge gate, all
//!   built from the spec. Such a run needs a `test_command` (the verifier).
//! - **Early ends.** A phase the manifest does not accept, or a fix context that cannot start
//!   (no `test_command`, a maker whose key is missing) ends as `error`; a paused loop is `clean`
//!   without running; a target that is not a readable git repository is `escalated` without
//!   running. Every run, whatever its result, leaves a run-log row and an audit log.
//! - **Bounded state.** A loop's section is capped at [`MAX_SECTION_BYTES`]: an accepted run whose
//!   staged state and notes would grow it past the cap ends as `error` with a refusal saying so,
//!   and writes none of them.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;
use strive_core::allowlist::AllowPolicy;
use strive_core::budget::{Budget, MicroUsd};
use strive_makers::MakerSpec;
use strive_spec::LoadedSpec;
use strive_state::Store;

use crate::cache::{self, ComponentCache};
use crate::capability::{Capability, Grant, Phase, Policy};
use crate::caps::{self, FixContext, FixOutcome, FixSettings};
use crate::limits::RunLimits;
use crate::manifest::Manifest;
use crate::plugin::Plugin;
use crate::records;
use crate::registry::{LockEntry, Registry};
use crate::run::{self, RunReport, RunRequest, RunResult};

/// The largest a loop's section may grow to (serialised JSON).
pub const MAX_SECTION_BYTES: usize = 16 << 20;
/// Default attempt cap of a run with a fix context (the earlier tool's).
pub const DEFAULT_MAX_ITERATIONS: u64 = 3;
/// Slack between a fix run's wall-clock budget (enforced at every host call) and the sandbox's
/// epoch deadline (the backstop for a plugin that stops calling the host).
const WALL_SLACK_MS: u64 = 5_000;

/// What the caller adds to a spec.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Grants from the person (CLI); `None` = the spec's/phase's defaults.
    pub grants: Option<BTreeSet<Capability>>,
    /// Precompile cache directory; `None` = [`cache::default_dir`].
    pub cache_dir: Option<PathBuf>,
    /// Override the clock (tests, replays).
    pub now_unix: Option<i64>,
    /// Installed-plugin registry for non-built-in kinds; `None` = [`Registry::default_home`].
    pub registry_home: Option<PathBuf>,
    /// Sees the run live: component loading, host calls, decisions, log lines
    /// ([`crate::observe`]); the CLI's `-v` and progress spinner.
    pub observer: Option<crate::observe::Observer>,
}

/// Why a spec could not be run at all (usage errors: exit 64).
#[derive(Debug, thiserror::Error)]
pub enum SpecRunError {
    #[error("no built-in loop kind `{0}` (built-ins: {1}); install a plugin for it or fix `kind`")]
    UnknownKind(String, String),
    #[error("grants: {0}")]
    Grant(String),
    #[error("{0}")]
    Load(#[from] crate::plugin::LoadError),
    #[error("state: {0}")]
    Store(#[from] strive_state::StoreError),
    #[error("{0}")]
    Registry(#[from] crate::registry::RegistryError),
}

/// A finished loop run: the judged report, what its fix context did (if it had one) and the
/// run-log row written for it.
pub struct LoopRun {
    pub report: RunReport,
    pub outcome: Option<FixOutcome>,
    pub runlog_row: Value,
    pub cache: Option<cache::CacheOutcome>,
}

/// The plugin a spec runs.
enum Source {
    Builtin(&'static crate::builtin::Builtin),
    Installed(Box<LockEntry>),
}

/// The grant set for a run: phase defaults ∩ spec grants (if any) ∩ caller grants (if any) ∩
/// the installed plugin's lock grants (if any). Pure; the table test lives in `tests`.
pub fn effective_grants(
    phase: Phase,
    spec_grants: &[String],
    cli: Option<&BTreeSet<Capability>>,
    lock: Option<&BTreeSet<Capability>>,
) -> Result<BTreeSet<Capability>, SpecRunError> {
    let mut grants = Capability::allowed_in(phase);
    if !spec_grants.is_empty() {
        let mut named = BTreeSet::new();
        for g in spec_grants {
            named.insert(g.parse::<Grant>().map_err(SpecRunError::Grant)?.capability);
        }
        grants = grants.intersection(&named).copied().collect();
    }
    for narrower in [cli, lock].into_iter().flatten() {
        grants = grants.intersection(narrower).copied().collect();
    }
    Ok(grants)
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

/// Everything the fix context needs from the spec, or the reason it cannot start (`error`).
pub fn fix_settings(loaded: &LoadedSpec) -> Result<FixSettings, String> {
    let spec = &loaded.spec;
    let test_command = spec
        .test_command
        .clone()
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| format!("test_command is required for a loop that changes its target (kind {}; the verifier, e.g. \"python3 -m pytest -q\")", spec.kind))?;
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
        max_turns: spec.maker.as_ref().map_or(
            strive_vocab::DEFAULT_MAX_TURNS,
            strive_spec::Maker::max_turns,
        ),
    })
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn resolve(
    spec: &strive_spec::model::LoopSpec,
    registry: &Registry,
) -> Result<Source, SpecRunError> {
    if let Some(b) = crate::builtin::for_kind(&spec.kind) {
        return Ok(Source::Builtin(b));
    }
    match registry.for_spec(&spec.kind, spec.plugin.as_deref())? {
        Some(entry) => Ok(Source::Installed(Box::new(entry))),
        None => {
            let kinds: Vec<&str> = crate::builtin::ALL.iter().map(|b| b.kind).collect();
            Err(SpecRunError::UnknownKind(
                spec.kind.clone(),
                kinds.join(", "),
            ))
        }
    }
}

/// Run `loaded` once against `store`.
pub fn run_spec(
    loaded: &LoadedSpec,
    store: &dyn Store,
    opts: &RunOptions,
) -> Result<LoopRun, SpecRunError> {
    let spec = &loaded.spec;
    let registry = Registry::new(
        opts.registry_home
            .clone()
            .unwrap_or_else(Registry::default_home),
    );
    let source = resolve(spec, &registry)?;
    let (installed_bytes, manifest): (Option<Vec<u8>>, Manifest) = match &source {
        Source::Builtin(b) => (None, b.manifest()),
        Source::Installed(entry) => {
            let (bytes, manifest) = registry.open(entry)?;
            (Some(bytes), manifest)
        }
    };
    let phase = spec.phase;
    let lock = match &source {
        Source::Installed(entry) => Some(entry.grants.clone()),
        Source::Builtin(_) => None,
    };
    let grants = effective_grants(phase, &spec.grants, opts.grants.as_ref(), lock.as_ref())?;
    let policy = Policy {
        plugin: manifest.id.clone(),
        phase,
        declared: manifest.capabilities.clone(),
        granted: grants.clone(),
    };
    let wants_fix = policy.effective().iter().any(|c| c.writes_target());

    let now_unix = opts.now_unix.unwrap_or_else(now);
    let run_id = records::new_run_id(now_unix);
    let repo = loaded.repo_path();
    let section = store.read_section(&spec.id)?;
    let prev_section = section.clone();
    let early =
        |result: RunResult, note: String| RunReport::skipped(&run_id, &spec.id, result, note);

    let (mut report, outcome, cache_outcome) = if !manifest.phases.contains(&phase) {
        let accepted: Vec<String> = manifest.phases.iter().map(|p| p.to_string()).collect();
        let note = format!(
            "{} runs at phase {} (this loop is {phase}); set \"phase\" to one of them",
            spec.kind,
            accepted.join(" or ")
        );
        (early(RunResult::Error, note), None, None)
    } else if spec.paused {
        (early(RunResult::Clean, "paused".into()), None, None)
    } else if let Err(e) = git2::Repository::open(&repo) {
        let note = format!(
            "target not a readable git repo: {} ({})",
            repo.display(),
            e.message()
        );
        (early(RunResult::Escalated, note), None, None)
    } else {
        // A fix context that cannot start (no test_command, a maker whose key is missing) ends
        // the run as `error`, recorded like any other early end.
        match wants_fix
            .then(|| fix_settings(loaded).and_then(FixContext::start))
            .transpose()
        {
            Err(note) => (early(RunResult::Error, note), None, None),
            Ok(fix) => {
                let cache = opts
                    .cache_dir
                    .clone()
                    .or_else(cache::default_dir)
                    .map(ComponentCache::new);
                let wasm = match (&source, &installed_bytes) {
                    (_, Some(bytes)) => bytes.as_slice(),
                    (Source::Builtin(b), None) => b.wasm,
                    (Source::Installed(_), None) => {
                        unreachable!("an installed plugin was read above")
                    }
                };
                crate::observe::emit(
                    opts.observer.as_ref(),
                    &crate::observe::Event::Stage(crate::observe::Stage::Load { kind: &spec.kind }),
                );
                let plugin = Plugin::load(wasm, manifest.clone(), cache.as_ref())?;
                let mut limits = RunLimits::default();
                match (spec.budget.wall_clock_secs, fix.is_some()) {
                    // The fix context enforces the wall clock at every host call; the epoch deadline is
                    // the backstop, and a fix run without a wall-clock budget gets the manifest's.
                    (Some(secs), true) => {
                        limits.wall_ms = secs.saturating_mul(1000).saturating_add(WALL_SLACK_MS)
                    }
                    (None, true) => limits.wall_ms = u64::MAX / 4,
                    (Some(secs), false) => {
                        limits.wall_ms = limits.wall_ms.min(secs.saturating_mul(1000))
                    }
                    (None, false) => {}
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
                    repo: Some(repo),
                    grants,
                    limits,
                    section,
                };
                let (report, outcome) =
                    run::execute_observed(&plugin, &req, fix, opts.observer.clone());
                (report, outcome, Some(plugin.cache))
            }
        }
    };
    enforce_section_cap(&mut report, prev_section.as_ref());
    // An accepted run's report, with the facts behind each line, is kept in its run-log row.
    let document = report.result.accepted().then(|| {
        let repo = loaded.repo_path();
        let ts = records::utc_stamp(now_unix);
        crate::triage_report::document(
            Some(&repo),
            &report.findings,
            &crate::triage_report::RunMeta {
                loop_id: &report.loop_id,
                run_id: &report.run_id,
                ts: &ts,
                result: report.result.as_str(),
                note: &report.note,
            },
            &report.commit_facts,
        )
    });
    let runlog_row =
        records::commit_with_document(store, &report, outcome.as_ref(), phase, now_unix, document)?;
    Ok(LoopRun {
        report,
        outcome,
        runlog_row,
        cache: cache_outcome,
    })
}

/// Refuse an accepted run whose staged state and notes would grow the loop's section past
/// [`MAX_SECTION_BYTES`]: it becomes `error` and commits none of them.
fn enforce_section_cap(report: &mut RunReport, prev: Option<&Value>) {
    if !report.result.accepted() || (report.staged.is_empty() && report.notes_added.is_empty()) {
        return;
    }
    let mut section = match prev {
        Some(Value::Object(m)) => m.clone(),
        _ => serde_json::Map::new(),
    };
    for (k, v) in &report.staged {
        section.insert(k.clone(), v.clone());
    }
    let notes_bytes: usize = report.notes_added.iter().map(|n| n.len() + 4).sum();
    let size = serde_json::to_vec(&section).map_or(usize::MAX, |b| b.len()) + notes_bytes;
    if size <= MAX_SECTION_BYTES {
        return;
    }
    let note = format!(
        "state cap: this run would grow the section of loop {} to about {size} bytes, past the {} MiB cap; its staged state and notes were not written — prune the section (`strive show {}` shows it; old `notes` are the usual culprit)",
        report.loop_id,
        MAX_SECTION_BYTES >> 20,
        report.loop_id
    );
    report.audit.push(crate::audit::AuditEvent {
        ts_ms: crate::audit::AuditEvent::now_ms(),
        capability: "host",
        function: "run.refuse",
        args: format!("section_bytes={size}"),
        decision: format!("error: {note}"),
        duration_ns: 0,
    });
    report.result = RunResult::Error;
    report.note = note;
    report.staged.clear();
    report.notes_added.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use Capability::*;

    fn set(caps: &[Capability]) -> BTreeSet<Capability> {
        caps.iter().copied().collect()
    }

    /// (phase, spec grants, CLI grants, lock grants) → the effective set.
    type Case = (
        Phase,
        Vec<&'static str>,
        Option<Vec<Capability>>,
        Option<Vec<Capability>>,
        BTreeSet<Capability>,
    );

    #[test]
    fn effective_grants_only_narrow() {
        let l2 = Capability::allowed_in(Phase::L2);
        // (phase, spec grants, cli, lock) → expected
        let cases: Vec<Case> = vec![
            (Phase::L2, vec![], None, None, l2.clone()),
            (
                Phase::L1,
                vec!["merge", "git.read"],
                None,
                None,
                set(&[GitRead]),
            ),
            (
                Phase::L2,
                vec!["git-read", "maker:anthropic"],
                None,
                None,
                set(&[GitRead, Maker]),
            ),
            (
                Phase::L3,
                vec![],
                Some(vec![Merge, Log]),
                None,
                set(&[Merge, Log]),
            ),
            (
                Phase::L3,
                vec![],
                None,
                Some(vec![Worktree]),
                set(&[Worktree]),
            ),
            (Phase::L2, vec!["merge"], None, None, set(&[])),
            (
                Phase::L2,
                vec![],
                Some(vec![Command]),
                Some(vec![Maker]),
                set(&[]),
            ),
        ];
        for (phase, spec, cli, lock, want) in cases {
            let spec: Vec<String> = spec.into_iter().map(String::from).collect();
            let got = effective_grants(
                phase,
                &spec,
                cli.map(|c| set(&c)).as_ref(),
                lock.map(|c| set(&c)).as_ref(),
            )
            .unwrap();
            assert_eq!(got, want, "{phase} {spec:?}");
        }
        let err = effective_grants(Phase::L2, &["teleport".into()], None, None).unwrap_err();
        assert!(err.to_string().contains("teleport"), "{err}");
    }
}
