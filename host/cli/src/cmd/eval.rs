//! `strive eval`: run one maker configuration over a committed set of small bug-fix tasks and
//! report, per task and in total, what it solved and what it spent.
//!
//! Guarantees:
//! - **The run is `strive run`'s.** Each task becomes a fresh git repository and an assisted-fix
//!   spec (phase L2, the task's test command, the maker under test), checked by the one spec
//!   check and run by the one pipeline ([`strive_runtime::pipeline::run_spec`]): the same guard,
//!   sandbox, budget, injection scan, integrity scan and audit log as any loop.
//! - **Solved is judged again, by the host.** A task counts as solved only when the run ended
//!   `proposed` with a branch, the task's test command passes on that branch in a fresh worktree
//!   (inside the OS sandbox), and the integrity scan of the branch's diff against the base is
//!   clean. The maker's or the plugin's claim counts for nothing.
//! - **Fail closed.** A task directory that cannot be read or parsed stops the eval before any
//!   task runs (exit 64), naming the file and what to fix; it is never skipped silently.

pub mod tasks;

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use serde_json::{Value, json};
use strive_core::exit;
use strive_runtime::pipeline::{RunOptions, run_spec};
use strive_state::Store;
use strive_state::file::FileStore;

use self::tasks::Task;
use crate::ui::esc;

/// Run a maker configuration over a task set and report its solve rate and spend.
///
/// Each task (a directory holding `task.json` and `repo/`) becomes a fresh git repository and
/// an assisted-fix spec at phase L2 with the task's test command and the maker under test; the
/// run is exactly `strive run`'s pipeline. A task is solved when the run proposed a branch, the
/// test command passes on that branch (re-run by eval in a fresh sandboxed worktree) and the
/// integrity scan of its diff is clean. Reported per task: solved, result, attempts, maker
/// calls, tokens, cost, tool calls (worktree and command host calls), guard refusals, wall
/// time; then totals and the solve rate. Progress goes to stderr, the report to stdout.
///
/// The maker is a loop.json `maker` object (`--maker`) or the `maker` of a spec file
/// (`--spec`, whose `budget`, `consistency`, `sandbox` and `config` are used too). Any
/// OpenAI-compatible endpoint works: `{"type": "openai", "base_url": …, "model": …}`, or the
/// local presets `llamacpp`, `vllm`, `ollama`. Default budget per task: 200000 tokens, 2
/// attempts, 300 s.
///
/// Exit 0 when the report was produced (whatever the solve rate), 64 for a usage error or a
/// task set that cannot be read.
///
/// Examples:
///   strive eval --maker '{"type": "llamacpp", "base_url": "http://127.0.0.1:8080/v1"}'
///   strive eval --maker @maker.json --format markdown > eval.md
///   strive eval --spec loops/fix.json --only py-bytes-hex --only js-ms-negative --format json
///   strive eval --maker '{"type": "openai", "base_url": "https://api.groq.com/openai/v1", "model": "llama-3.3-70b-versatile", "api_key_env": "GROQ_API_KEY"}' --attempts 3
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The maker under test: a loop.json `maker` object as JSON, or @FILE holding one.
    #[arg(
        long,
        value_name = "JSON|@FILE",
        conflicts_with = "spec",
        required_unless_present = "spec"
    )]
    maker: Option<String>,
    /// A loop spec whose `maker` (and `budget`, `consistency`, `sandbox`, `config`) every task
    /// uses.
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// The task set: a directory of task directories (`<id>/task.json`, `<id>/repo/`).
    #[arg(long, value_name = "DIR", default_value = "eval/tasks")]
    tasks: PathBuf,
    /// Run only this task (repeatable).
    #[arg(long = "only", value_name = "ID")]
    only: Vec<String>,
    /// Attempts per task (`budget.max_iterations`); overrides the spec's.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=20))]
    attempts: Option<u32>,
    /// Set `maker.mode` for every task (e.g. `agent`, where this build's assisted-fix has it).
    #[arg(long, value_name = "MODE")]
    mode: Option<String>,
    /// How to print the report.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "text")]
    format: Format,
}

/// How the report is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal.
    Text,
    /// A Markdown table (paste into an issue or a model-choice note).
    Markdown,
    /// One JSON object (`schema: "strive-eval/1"`), for scripts.
    Json,
}

/// Default per-task budget (a spec's `budget` replaces it).
const DEFAULT_BUDGET: (u64, u32, u64) = (200_000, 2, 300);

/// One task's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct TaskResult {
    pub id: String,
    pub language: String,
    pub solved: bool,
    /// The run's result as the host judged it (`proposed`, `escalated`, `error`).
    pub result: String,
    /// Why the task is not solved (empty when solved).
    pub why: String,
    pub attempts: u32,
    pub maker_calls: u32,
    pub tokens: u64,
    pub cost_usd: f64,
    pub tool_calls: u64,
    pub guard_refusals: u64,
    pub wall_ms: u64,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub tasks: usize,
    pub solved: usize,
    pub solve_rate: f64,
    pub tokens: u64,
    pub cost_usd: f64,
    pub tool_calls: u64,
    pub guard_refusals: u64,
    pub wall_ms: u64,
}

impl Totals {
    fn of(rows: &[TaskResult]) -> Totals {
        let solved = rows.iter().filter(|r| r.solved).count();
        Totals {
            tasks: rows.len(),
            solved,
            solve_rate: if rows.is_empty() {
                0.0
            } else {
                solved as f64 / rows.len() as f64
            },
            tokens: rows.iter().map(|r| r.tokens).sum(),
            cost_usd: rows.iter().map(|r| r.cost_usd).sum(),
            tool_calls: rows.iter().map(|r| r.tool_calls).sum(),
            guard_refusals: rows.iter().map(|r| r.guard_refusals).sum(),
            wall_ms: rows.iter().map(|r| r.wall_ms).sum(),
        }
    }
}

pub fn run(args: Args) -> i32 {
    let base = match base_spec(&args) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let set = match tasks::load_dir(&args.tasks) {
        Ok(set) => set,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let mut chosen: Vec<&Task> = set.iter().collect();
    if !args.only.is_empty() {
        for id in &args.only {
            if !set.iter().any(|t| &t.id == id) {
                let known: Vec<&str> = set.iter().map(|t| t.id.as_str()).collect();
                eprintln!(
                    "error: --only {}: no such task in {}; known: {}",
                    esc(id),
                    args.tasks.display(),
                    known.join(", ")
                );
                return exit::USAGE;
            }
        }
        chosen.retain(|t| args.only.contains(&t.id));
    }
    let registry_home = crate::project::Project::discover(None).registry().0;
    let total = chosen.len();
    let mut rows = Vec::with_capacity(total);
    for (i, task) in chosen.into_iter().enumerate() {
        crate::ui::info(format_args!("[{}/{total}] {} …", i + 1, esc(&task.id)));
        let row = run_task(task, &base, &registry_home);
        crate::ui::info(format_args!(
            "[{}/{total}] {}: {} ({}; {} tokens, {:.1}s){}",
            i + 1,
            esc(&task.id),
            if row.solved { "solved" } else { "unsolved" },
            row.result,
            row.tokens,
            row.wall_ms as f64 / 1000.0,
            if row.why.is_empty() {
                String::new()
            } else {
                format!(" — {}", esc(&row.why))
            }
        ));
        rows.push(row);
    }
    let totals = Totals::of(&rows);
    let maker = base.get("maker").cloned().unwrap_or(Value::Null);
    match args.format {
        Format::Json => super::io::print_json(&json!({
            "schema": "strive-eval/1",
            "tasks_dir": args.tasks.display().to_string(),
            "maker": maker,
            "mode": args.mode.as_deref().or_else(|| maker.get("mode").and_then(Value::as_str)).unwrap_or("single-shot"),
            "tasks": rows,
            "totals": totals,
        })),
        Format::Text => outln!("{}", render_text(&rows, &totals)),
        Format::Markdown => outln!("{}", render_markdown(&rows, &totals, &maker)),
    }
    exit::OK
}

/// The spec every task starts from: `--spec`'s document, or `{"maker": --maker}`; with
/// `--attempts` and `--mode` applied.
fn base_spec(args: &Args) -> Result<Value, String> {
    let mut base = match (&args.spec, &args.maker) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("--spec {}: cannot read it ({e})", path.display()))?;
            let doc: Value = serde_json::from_str(&text)
                .map_err(|e| format!("--spec {}: not valid JSON ({e})", path.display()))?;
            if !doc.get("maker").is_some_and(Value::is_object) {
                return Err(format!(
                    "--spec {}: it has no `maker` object; eval runs a maker configuration (add one, or use --maker)",
                    path.display()
                ));
            }
            let mut keep = serde_json::Map::new();
            for key in ["maker", "budget", "consistency", "sandbox", "config"] {
                if let Some(v) = doc.get(key) {
                    keep.insert(key.into(), v.clone());
                }
            }
            Value::Object(keep)
        }
        (None, Some(maker)) => {
            let text = match maker.strip_prefix('@') {
                Some(file) => std::fs::read_to_string(file)
                    .map_err(|e| format!("--maker @{file}: cannot read it ({e})"))?,
                None => maker.clone(),
            };
            let value: Value = serde_json::from_str(&text).map_err(|e| {
                format!(
                    "--maker: not valid JSON ({e}); give a loop.json maker object, e.g. '{{\"type\": \"llamacpp\"}}'"
                )
            })?;
            if !value.is_object() {
                return Err(
                    "--maker: expected a JSON object such as {\"type\": \"llamacpp\"}".into(),
                );
            }
            json!({ "maker": value })
        }
        (None, None) => return Err("give --maker JSON or --spec FILE".into()),
    };
    // The maker must build (a known type, its key set) before any task runs.
    if let Err(e) = maker_builds(&base) {
        return Err(format!("maker: {e}"));
    }
    if base.get("budget").is_none() {
        let (tokens, attempts, secs) = DEFAULT_BUDGET;
        base["budget"] =
            json!({"max_tokens": tokens, "max_iterations": attempts, "wall_clock_secs": secs});
    }
    if let Some(n) = args.attempts {
        base["budget"]["max_iterations"] = json!(n);
    }
    if let Some(mode) = &args.mode {
        base["maker"]["mode"] = json!(mode);
    }
    Ok(base)
}

fn maker_builds(base: &Value) -> Result<(), String> {
    match strive_makers::MakerSpec::from_loop_spec(base).map_err(|e| e.to_string())? {
        Some(spec) => spec.build().map(|_| ()).map_err(|e| e.to_string()),
        None => Err("no maker given".into()),
    }
}

/// The spec of one task: the base, plus the task's repository, request and verifier.
pub fn task_spec(task: &Task, base: &Value, repo: &Path, state: &Path) -> Value {
    let mut spec = base.clone();
    spec["id"] = json!(format!("eval-{}", task.id));
    spec["kind"] = json!("assisted-fix");
    spec["phase"] = json!("L2");
    spec["target"] = json!({"repo": repo.display().to_string(), "base_ref": "main"});
    spec["task"] = json!(task.task);
    spec["test_command"] = json!(task.test_command);
    spec["state_file"] = json!(state.display().to_string());
    spec
}

fn run_task(task: &Task, base: &Value, registry_home: &Path) -> TaskResult {
    let started = Instant::now();
    let mut row = TaskResult {
        id: task.id.clone(),
        language: task.language.clone(),
        solved: false,
        result: "error".into(),
        why: String::new(),
        attempts: 0,
        maker_calls: 0,
        tokens: 0,
        cost_usd: 0.0,
        tool_calls: 0,
        guard_refusals: 0,
        wall_ms: 0,
        note: String::new(),
    };
    if let Err(why) = run_task_into(task, base, registry_home, &mut row) {
        row.why = why;
    }
    row.wall_ms = started.elapsed().as_millis() as u64;
    row
}

fn run_task_into(
    task: &Task,
    base: &Value,
    registry_home: &Path,
    row: &mut TaskResult,
) -> Result<(), String> {
    let tmp = tempfile::Builder::new()
        .prefix("strive-eval-")
        .tempdir()
        .map_err(|e| format!("infra: a temporary directory: {e}"))?;
    let repo = tmp.path().join("repo");
    tasks::materialise(task, &repo)?;
    let state = tmp.path().join("state/state.json");
    let spec_path = tmp.path().join("loop.json");
    let doc = task_spec(task, base, &repo, &state);
    std::fs::write(
        &spec_path,
        serde_json::to_string_pretty(&doc).unwrap_or_default(),
    )
    .map_err(|e| format!("infra: writing {}: {e}", spec_path.display()))?;
    let checked =
        crate::spec_check::check_document(doc, &spec_path, registry_home).map_err(|problems| {
            let all: Vec<String> = problems.iter().map(ToString::to_string).collect();
            format!("the task's spec is invalid: {}", all.join("; "))
        })?;
    let store = FileStore::new(&state);
    let opts = RunOptions {
        registry_home: Some(registry_home.to_path_buf()),
        ..RunOptions::default()
    };
    let done = run_spec(&checked.loaded, &store, &opts).map_err(|e| format!("run: {e}"))?;
    let report = &done.report;
    row.result = report.result.as_str().to_string();
    row.note = report.note.clone();
    for event in &report.audit {
        if matches!(
            event.capability,
            "worktree" | "command" | "connector.read" | "connector.write"
        ) || event.function == "agent-cli.tool"
        {
            row.tool_calls += 1;
        }
        if event.decision.starts_with("blocked") {
            row.guard_refusals += 1;
        }
    }
    let Some(outcome) = &done.outcome else {
        return Err(format!("no fix context ran: {}", report.note));
    };
    row.attempts = outcome.attempts;
    row.maker_calls = outcome.maker_calls;
    row.tokens = outcome.tokens_spent;
    row.cost_usd = outcome.cost_micro_usd as f64 / 1e6;
    let Some(branch) = &outcome.branch else {
        // What the last attempt's own check found (tests failed, no usable answer, …): the
        // run's reflection, which the note does not repeat.
        let last_reflection = store
            .read_section(&checked.loaded.spec.id)
            .ok()
            .flatten()
            .and_then(|section| {
                section["reflections"]
                    .as_array()
                    .and_then(|r| r.last())
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            });
        return Err(match last_reflection {
            Some(r) => format!(
                "not proposed: {}; last attempt: {}",
                first_line(&report.note),
                first_line(&r)
            ),
            None => format!("not proposed: {}", first_line(&report.note)),
        });
    };
    let policy = strive_runtime::sandbox::policy_of(&checked.loaded.spec);
    tasks::judge(&repo, branch, &task.test_command, policy)?;
    row.solved = true;
    Ok(())
}

fn first_line(text: &str) -> &str {
    let line = text.lines().next().unwrap_or("");
    match line.char_indices().nth(200) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

fn render_text(rows: &[TaskResult], t: &Totals) -> String {
    let mut out = String::new();
    let width = rows.iter().map(|r| r.id.len()).max().unwrap_or(4).max(4);
    out.push_str(&format!(
        "{:<width$}  {:<10} {:<8} {:<9} {:>3} {:>8} {:>9} {:>5} {:>5} {:>7}\n",
        "task", "language", "solved", "result", "try", "tokens", "cost", "tools", "guard", "wall"
    ));
    for r in rows {
        out.push_str(&format!(
            "{:<width$}  {:<10} {:<8} {:<9} {:>3} {:>8} {:>9} {:>5} {:>5} {:>6.1}s\n",
            esc(&r.id),
            esc(&r.language),
            if r.solved { "yes" } else { "no" },
            r.result,
            r.attempts,
            r.tokens,
            format!("${:.4}", r.cost_usd),
            r.tool_calls,
            r.guard_refusals,
            r.wall_ms as f64 / 1000.0
        ));
        if !r.why.is_empty() {
            out.push_str(&format!("{:<width$}    {}\n", "", esc(first_line(&r.why))));
        }
    }
    out.push_str(&format!(
        "solved {}/{} ({:.1}%), {} tokens, ${:.4}, {} tool calls, {} guard refusals, {:.1}s",
        t.solved,
        t.tasks,
        t.solve_rate * 100.0,
        t.tokens,
        t.cost_usd,
        t.tool_calls,
        t.guard_refusals,
        t.wall_ms as f64 / 1000.0
    ));
    out
}

/// A Markdown table cell: one escaped line, pipes escaped.
fn cell(text: &str) -> String {
    esc(text).replace('|', "\\|")
}

fn render_markdown(rows: &[TaskResult], t: &Totals, maker: &Value) -> String {
    let mut out = String::from("## strive eval\n\n");
    out.push_str(&format!(
        "Maker: `{}` · solved **{}/{}** ({:.1}%) · {} tokens · ${:.4} · {:.1}s\n\n",
        cell(&maker.to_string()).replace('`', "'"),
        t.solved,
        t.tasks,
        t.solve_rate * 100.0,
        t.tokens,
        t.cost_usd,
        t.wall_ms as f64 / 1000.0
    ));
    out.push_str("| task | language | solved | result | attempts | tokens | cost (USD) | tool calls | guard refusals | wall (s) | why not |\n");
    out.push_str("|---|---|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {:.4} | {} | {} | {:.1} | {} |\n",
            cell(&r.id),
            cell(&r.language),
            if r.solved { "yes" } else { "no" },
            r.result,
            r.attempts,
            r.tokens,
            r.cost_usd,
            r.tool_calls,
            r.guard_refusals,
            r.wall_ms as f64 / 1000.0,
            cell(first_line(&r.why))
        ));
    }
    out.push_str(&format!(
        "| **total** | | **{}/{}** | | | {} | {:.4} | {} | {} | {:.1} | |",
        t.solved,
        t.tasks,
        t.tokens,
        t.cost_usd,
        t.tool_calls,
        t.guard_refusals,
        t.wall_ms as f64 / 1000.0
    ));
    out
}
