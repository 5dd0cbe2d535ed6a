//! `strive schedule DIR`: one scheduler tick (for cron and CI). Also home of the plumbing the
//! other scheduling verbs share (opening the backend, loading specs, the loop runner).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use strive_core::exit;
use strive_scheduler::lock::{FileLocks, PgLocks, WriterLocks};
use strive_scheduler::spec::{LoadedSpecs, parse_instant};
use strive_scheduler::tick::TickReport;
use strive_scheduler::{LoopRunner, RunContext, RunOutcome, ScheduledSpec, Scheduler};
use strive_state::Store;
use strive_state::file::FileStore;
use strive_state::postgres::{PgStore, is_postgres_url};

use super::io::print_json;
use crate::ui::{self, esc, paint};

/// Run one scheduler tick over the loop specs in DIR.
///
/// Every due loop runs once, in priority order; the others are listed with the reason they
/// did not run.
///
/// A loop runs when it is not paused, not halted, not past its `stop_after`, and its cadence
/// (`30m`, `1h`, `1d`, `weekly`, or a cron expression such as `0 3 * * 1-5`, UTC) makes it due
/// at NOW compared with the scheduler's own record of its previous run. Loops of phase L2/L3
/// take a writer lock on their target repository (one writer per repository, across
/// processes). A stall (the same error or escalation three times in a row) halts a loop and
/// notifies once; `strive resume LOOP` lifts the halt.
///
/// A malformed or invalid spec file is reported on stderr and skipped; a failing run is
/// recorded as `error`; the tick goes on either way.
///
/// Exit codes: 0 the tick completed (even if some loops failed or some specs were skipped —
/// read the report), 1 DIR holds no valid spec, 64 usage (unreadable DIR, bad --now, state
/// that cannot be opened).
///
/// Examples:
///   strive schedule loops/
///   strive schedule loops/ --now 2026-11-24T09:00:00Z --json
///   strive schedule loops/ --state postgres://strive@db.internal/strive
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Directory of loop specs (`*.json`), or a single spec file.
    pub dir: PathBuf,
    /// Scheduler state: a state.json path or a postgres:// URL (default: the project's
    /// `.loop-state/state.json`). Loops with their own `state_file` keep their section and run
    /// log there, relative to the project root (file backend only).
    #[arg(long, value_name = "PATH|URL")]
    pub state: Option<String>,
    /// The tick's clock (RFC 3339, e.g. 2026-11-24T09:00:00Z); default: now.
    #[arg(long)]
    pub now: Option<String>,
    /// Print the tick report as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: Args) -> i32 {
    let now = match args.now.as_deref().map(parse_instant).transpose() {
        Ok(now) => now.unwrap_or_else(Utc::now),
        Err(e) => {
            eprintln!("error: --now: {e}");
            return exit::USAGE;
        }
    };
    let (project, state) = crate::project::for_verb(args.state.as_deref(), Some(&args.dir), true);
    let backend = match Backend::open(&state.location, &project) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let loaded = match load_specs(&args.dir) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if loaded.specs.is_empty() {
        eprintln!("error: no valid loop spec in {}", args.dir.display());
        return 1;
    }
    let runner = loop_runner_for(&project);
    let report = backend.tick(runner.as_ref(), &loaded, now, &AtomicBool::new(false));
    if args.json {
        let mut value = serde_json::to_value(&report).unwrap_or_default();
        if let Some(map) = value.as_object_mut() {
            map.insert("project".into(), project.json(Some(&state), true));
        }
        print_json(&value);
    } else {
        print_report(&report);
    }
    exit::OK
}

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

/// Print a tick report for people.
pub(crate) fn print_report(report: &TickReport) {
    for item in &report.items {
        if item.ran {
            let result = item.result.as_deref().unwrap_or("?");
            let result = paint(ui::result_tone(result), &esc(result));
            let halted = if item.halted {
                " ⚠ halted (stall)"
            } else {
                ""
            };
            let bell = if item.notifications.is_empty() {
                ""
            } else {
                " 🔔"
            };
            let note = if item.reason.is_empty() {
                String::new()
            } else {
                format!(" — {}", esc(&item.reason))
            };
            outln!("  • {}: {result}{note}{halted}{bell}", esc(&item.loop_id));
        } else {
            outln!("  - {}: {}", esc(&item.loop_id), esc(&item.reason));
        }
    }
    let notes: Vec<_> = report.notifications().collect();
    outln!(
        "[tick {}] ran {} of {} loop(s), {} notification(s)",
        report.now,
        report.ran(),
        report.items.len(),
        notes.len()
    );
    for n in notes {
        outln!(
            "  🔔 #{} {} {}: {}",
            n.seq,
            esc(&n.kind),
            esc(&n.loop_id),
            esc(&n.note)
        );
    }
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
