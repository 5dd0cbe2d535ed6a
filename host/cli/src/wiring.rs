//! The composition root: the one place that wires the runtime, the scheduler and the state
//! crates together. Verbs parse arguments, call these and print; they do not assemble the
//! pieces themselves.
//!
//! - [`load_specs`]: a directory of specs through the one spec check ([`crate::spec_check`]).
//! - [`loop_runner`] / [`loop_runner_for`]: the scheduler's runner — exactly the pipeline
//!   `strive run` uses ([`strive_runtime::pipeline::run_spec`]).
//! - [`Backend`]: the state store, writer locks and scheduler tick for `--state`.
//! - [`writer_lock`]: the repository writer lock `strive run` takes (the scheduler's and
//!   workers' lock).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use strive_core::exit;
use strive_scheduler::lock::{FileLocks, PgLocks, WriterLocks};
use strive_scheduler::spec::LoadedSpecs;
use strive_scheduler::tick::TickReport;
use strive_scheduler::{LoopRunner, RunContext, RunOutcome, ScheduledSpec, Scheduler};
use strive_state::Store;
use strive_state::file::FileStore;
use strive_state::postgres::{PgStore, is_postgres_url};

use crate::ui::esc;

/// Load specs, validated like every other verb does (`strive validate`), reporting each
/// skipped file on stderr. `Err(64)` when DIR is unreadable.
pub(crate) fn load_specs(dir: &Path) -> Result<LoadedSpecs, i32> {
    let registry_home = crate::project::Project::discover(Some(dir)).registry().0;
    let validate = |doc: &serde_json::Value, path: &Path| -> Result<(), String> {
        crate::spec_check::check_document(doc.clone(), path, &registry_home)
            .map(|_| ())
            .map_err(|problems| {
                let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
                all.join("; ")
            })
    };
    let loaded = strive_scheduler::load_dir(dir, Some(&validate)).map_err(|e| {
        eprintln!("error: {e}");
        exit::USAGE
    })?;
    for p in &loaded.problems {
        eprintln!("skipping {}: {}", p.path.display(), p.error);
    }
    Ok(loaded)
}

/// The runner the scheduler, daemon and workers use: the same code path as `strive run`, with
/// the plugin registry of the project found from the current directory.
pub(crate) fn loop_runner() -> Box<dyn LoopRunner> {
    loop_runner_for(&crate::project::Project::discover(None))
}

/// [`loop_runner`] with `project`'s plugin registry.
pub(crate) fn loop_runner_for(project: &crate::project::Project) -> Box<dyn LoopRunner> {
    Box::new(RuntimeRunner {
        registry_home: project.registry().0,
    })
}

/// The scheduler's runner: exactly the code path of `strive run` (spec → built-in or installed
/// plugin → host-judged run → state section, run-log row, audit log), with the tick's clock and
/// the loop's own store.
///
/// It runs the spec document it is given — the file as loaded by the tick, or the document a
/// worker claimed from the queue (whose `target.repo` was made absolute at sync) — validated
/// again as `strive run` validates a file. A relative `target.repo` needs the spec's file.
struct RuntimeRunner {
    registry_home: PathBuf,
}

impl LoopRunner for RuntimeRunner {
    fn run(&self, spec: &ScheduledSpec, ctx: &RunContext<'_>) -> Result<RunOutcome, String> {
        let origin = if spec.path.as_os_str().is_empty() {
            format!("loop {} (stored spec)", spec.id)
        } else {
            spec.path.display().to_string()
        };
        let typed = crate::spec_check::check_document(
            spec.document.clone(),
            &spec.path,
            &self.registry_home,
        )
        .map_err(|problems| {
            let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!("{origin}: invalid loop spec: {}", all.join("; "))
        })?
        .loaded
        .spec;
        if spec.path.as_os_str().is_empty()
            && std::path::Path::new(&typed.target.repo).is_relative()
        {
            return Err(format!(
                "{origin}: target.repo {:?} is relative and there is no spec file to resolve it against; \
                 give an absolute path (or sync the spec again: sync stores it absolute)",
                typed.target.repo
            ));
        }
        let loaded = strive_spec::LoadedSpec {
            spec: typed,
            path: spec.path.clone(),
            raw: spec.document.clone(),
        };
        let opts = strive_runtime::pipeline::RunOptions {
            now_unix: Some(ctx.now.timestamp()),
            registry_home: Some(self.registry_home.clone()),
            observer: Some(crate::cmd::run::watch(
                &spec.id,
                crate::ui::Spinner::default(),
            )),
            ..Default::default()
        };
        crate::ui::verbose(format_args!(
            "running {} ({})",
            esc(&spec.id),
            esc(&spec.kind)
        ));
        let done = strive_runtime::pipeline::run_spec(&loaded, ctx.store, &opts)
            .map_err(|e| format!("{origin}: {e}"))?;
        Ok(RunOutcome::new(
            done.report.result.as_str(),
            done.report.note.clone(),
        ))
    }
}

/// The state backend named by `--state`; with files, loops' own relative `state_file`s are
/// taken relative to the project root.
pub(crate) enum Backend {
    File(Arc<FileStore>, PathBuf),
    Postgres(Arc<PgStore>),
}

impl Backend {
    pub(crate) fn open(state: &str, project: &crate::project::Project) -> Result<Self, String> {
        if is_postgres_url(state) {
            PgStore::connect(state)
                .map(|s| Backend::Postgres(Arc::new(s)))
                .map_err(|e| e.to_string())
        } else {
            Ok(Backend::File(
                Arc::new(FileStore::new(state)),
                project.root.clone(),
            ))
        }
    }

    pub(crate) fn store(&self) -> Arc<dyn Store> {
        match self {
            Backend::File(s, _) => s.clone(),
            Backend::Postgres(s) => s.clone(),
        }
    }

    pub(crate) fn locks(&self) -> Box<dyn WriterLocks> {
        match self {
            Backend::File(..) => Box::new(FileLocks::new(FileLocks::default_dir())),
            Backend::Postgres(s) => Box::new(PgLocks::new(s.clone())),
        }
    }

    /// One tick. With the file backend each loop's own `state_file` is honoured; with
    /// PostgreSQL every loop keeps its state in the database.
    pub(crate) fn tick(
        &self,
        runner: &dyn LoopRunner,
        loaded: &LoadedSpecs,
        now: DateTime<Utc>,
        stop: &AtomicBool,
    ) -> TickReport {
        let store = self.store();
        let locks = self.locks();
        let opened: Mutex<HashMap<String, Arc<dyn Store>>> = Mutex::new(HashMap::new());
        let scheduler_store = Arc::clone(&store);
        let root = match self {
            Backend::File(_, root) => root.clone(),
            Backend::Postgres(_) => PathBuf::new(),
        };
        let resolve = move |spec: &ScheduledSpec| -> Result<Arc<dyn Store>, String> {
            let Some(path) = &spec.state_file else {
                return Ok(Arc::clone(&scheduler_store));
            };
            let path = if Path::new(path).is_absolute() {
                PathBuf::from(path)
            } else {
                root.join(path)
            };
            let mut opened = opened.lock().unwrap_or_else(|p| p.into_inner());
            Ok(Arc::clone(
                opened
                    .entry(path.display().to_string())
                    .or_insert_with(|| Arc::new(FileStore::new(&path))),
            ))
        };
        let scheduler = Scheduler {
            store,
            runner,
            locks: locks.as_ref(),
            loop_store: match self {
                Backend::File(..) => Some(&resolve),
                Backend::Postgres(_) => None,
            },
        };
        scheduler.tick(&loaded.specs, &loaded.problems, now, stop)
    }
}

/// For a loop that writes its target (phase L2/L3): the repository's writer
/// lock — the machine-wide file lock the scheduler takes, and with `--state postgres://…` the
/// database's advisory lock the workers take. `Err` says why the run must not start.
pub(crate) fn writer_lock(
    loaded: &strive_spec::LoadedSpec,
    state: &std::path::Path,
) -> Result<Vec<strive_scheduler::lock::WriterGuard>, String> {
    use strive_scheduler::lock::{FileLocks, PgLocks, WriterLocks};
    if !loaded.spec.phase.writes_target() {
        return Ok(Vec::new());
    }
    let repo = loaded.repo_path().display().to_string();
    let busy = |e: Option<String>| match e {
        Some(e) => format!("collision guard unavailable ({e})"),
        None => format!(
            "target {repo} is being written by another run (collision guard); try again when it finishes"
        ),
    };
    let mut guards = Vec::new();
    let file = FileLocks::new(FileLocks::default_dir());
    match file.try_lock(&repo) {
        Ok(Some(g)) => guards.push(g),
        Ok(None) => return Err(busy(None)),
        Err(e) => return Err(busy(Some(e))),
    }
    let state = state.to_string_lossy();
    if strive_state::postgres::is_postgres_url(&state) {
        let store = strive_state::postgres::PgStore::connect(&state)
            .map_err(|e| busy(Some(e.to_string())))?;
        match PgLocks::new(std::sync::Arc::new(store)).try_lock(&repo) {
            Ok(Some(g)) => guards.push(g),
            Ok(None) => return Err(busy(None)),
            Err(e) => return Err(busy(Some(e))),
        }
    }
    Ok(guards)
}
