//! Running a loop spec end to end: spec → built-in plugin → judged run → state.
//!
//! Guarantees: the plugin is chosen by the spec's `kind` among the built-ins and goes through the
//! same checks as any plugin. Grants are the phase's defaults for a built-in, narrowed (never
//! widened) by the spec's `grants` and by the caller's grants (CLI `--grant`). The spec's
//! `budget.wall_clock_secs` and `budget.max_host_calls` narrow the host's limits. A paused loop
//! does not run. A target that is not a readable git repository ends the run `escalated`
//! without starting the plugin. Every run, whatever its result, leaves a run-log row and an
//! audit log. A loop's section is capped at [`MAX_SECTION_BYTES`]: an accepted run whose staged
//! state and notes would grow it past the cap ends as `error` with a refusal saying so, and
//! writes none of them.

use std::collections::BTreeSet;
use std::path::PathBuf;

use strive_spec::LoadedSpec;
use strive_state::Store;

use crate::cache::{self, ComponentCache};
use crate::capability::{Capability, Phase};
use crate::limits::RunLimits;
use crate::plugin::Plugin;
use crate::records;
use crate::registry::Registry;
use crate::run::{self, RunReport, RunRequest, RunResultKind};

/// The largest a loop's section may grow to (serialised JSON).
pub const MAX_SECTION_BYTES: usize = 16 << 20;

/// Refuse an accepted run whose staged state and notes would grow the loop's section past
/// [`MAX_SECTION_BYTES`]: it becomes `error` and commits none of them.
fn enforce_section_cap(report: &mut RunReport, prev: Option<&serde_json::Value>) {
    if !report.result.accepted() || (report.staged.is_empty() && report.notes_added.is_empty()) {
        return;
    }
    let mut section = match prev {
        Some(serde_json::Value::Object(m)) => m.clone(),
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
    report.result = RunResultKind::Error;
    report.note = note;
    report.staged.clear();
    report.notes_added.clear();
}

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
}

/// Why a spec could not be run at all (usage errors: exit 64).
#[derive(Debug, thiserror::Error)]
pub enum SpecRunError {
    #[error("no built-in loop kind `{0}` (built-ins: {1}); install a plugin for it or fix `kind`")]
    UnknownKind(String, String),
    #[error("phase: `{0}` is not a phase (use L0, L1, L2 or L3)")]
    Phase(String),
    #[error("grants: unknown capability `{0}`")]
    Grant(String),
    #[error("{0}")]
    Load(#[from] crate::plugin::LoadError),
    #[error("state: {0}")]
    Store(#[from] strive_state::StoreError),
    #[error("{0}")]
    Registry(#[from] crate::registry::RegistryError),
}

/// A finished loop run: the judged report and the run-log row written for it.
pub struct LoopRun {
    pub report: RunReport,
    pub runlog_row: serde_json::Value,
    pub cache: Option<cache::CacheOutcome>,
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The grant set for a run: phase defaults ∩ spec grants (if any) ∩ caller grants (if any).
pub fn effective_grants(
    phase: Phase,
    spec_grants: &[String],
    cli: Option<&BTreeSet<Capability>>,
) -> Result<BTreeSet<Capability>, SpecRunError> {
    let mut grants = Capability::allowed_in(phase);
    if !spec_grants.is_empty() {
        let mut named = BTreeSet::new();
        for g in spec_grants {
            named.insert(Capability::parse(g).ok_or_else(|| SpecRunError::Grant(g.clone()))?);
        }
        grants = grants.intersection(&named).copied().collect();
    }
    if let Some(cli) = cli {
        grants = grants.intersection(cli).copied().collect();
    }
    Ok(grants)
}

/// Run `loaded` once against `store`.
pub fn run_spec(
    loaded: &LoadedSpec,
    store: &dyn Store,
    opts: &RunOptions,
) -> Result<LoopRun, SpecRunError> {
    let spec = &loaded.spec;
    if spec.kind == strive_spec::model::KIND_ASSISTED_FIX {
        // The L2/L3 kind needs the host's fix context (worktrees, maker, ledger, merge gate).
        let done = crate::assisted::run_assisted(loaded, store, opts)?;
        return Ok(LoopRun {
            report: done.report,
            runlog_row: done.runlog_row,
            cache: None,
        });
    }
    // A built-in, else the installed plugin serving this kind (its grants narrow the run's).
    let registry = Registry::new(
        opts.registry_home
            .clone()
            .unwrap_or_else(Registry::default_home),
    );
    let (builtin, installed) = match crate::builtin::for_kind(&spec.kind) {
        Some(b) => (Some(b), None),
        None => match registry.for_spec(&spec.kind, spec.plugin.as_deref())? {
            Some(entry) => (None, Some(entry)),
            None => {
                let kinds: Vec<&str> = crate::builtin::ALL.iter().map(|b| b.kind).collect();
                return Err(SpecRunError::UnknownKind(
                    spec.kind.clone(),
                    kinds.join(", "),
                ));
            }
        },
    };
    let phase = Phase::parse(spec.phase.as_str())
        .ok_or_else(|| SpecRunError::Phase(spec.phase.as_str().into()))?;
    let mut grants = effective_grants(phase, &spec.grants, opts.grants.as_ref())?;
    if let Some(entry) = &installed {
        grants = grants.intersection(&entry.grant_set()?).copied().collect();
    }
    let mut limits = RunLimits::default();
    if let Some(secs) = spec.budget.wall_clock_secs {
        limits.wall_ms = limits.wall_ms.min(secs.saturating_mul(1000));
    }
    if let Some(calls) = spec.budget.max_host_calls {
        limits.host_calls = limits.host_calls.min(calls);
    }
    let now_unix = opts.now_unix.unwrap_or_else(now);
    let run_id = records::new_run_id(now_unix);
    let repo = loaded.repo_path();
    let section = store.read_section(&spec.id)?;
    let prev_section = section.clone();

    let early =
        |result: RunResultKind, note: String| RunReport::skipped(&run_id, &spec.id, result, note);
    let (report, cache_outcome) = if spec.paused {
        (early(RunResultKind::Clean, "paused".into()), None)
    } else if let Err(e) = git2::Repository::open(&repo) {
        (
            early(
                RunResultKind::Escalated,
                format!(
                    "target not a readable git repo: {} ({})",
                    repo.display(),
                    e.message()
                ),
            ),
            None,
        )
    } else {
        let cache_dir = opts.cache_dir.clone().or_else(cache::default_dir);
        let cache = cache_dir.map(ComponentCache::new);
        let plugin = match (builtin, &installed) {
            (_, Some(entry)) => registry.load(entry, cache.as_ref())?,
            (b, None) => {
                let b =
                    b.ok_or_else(|| SpecRunError::UnknownKind(spec.kind.clone(), String::new()))?;
                Plugin::load(b.wasm, b.manifest(), cache.as_ref())?
            }
        };
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
        (run::execute(&plugin, &req), Some(plugin.cache))
    };
    let mut report = report;
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
        )
    });
    let runlog_row =
        records::commit_with_document(store, &report, phase, now_unix, document.as_ref())?;
    Ok(LoopRun {
        report,
        runlog_row,
        cache: cache_outcome,
    })
}
