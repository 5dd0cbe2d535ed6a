//! The agent-cli maker: an external coding agent (Claude Code, Codex CLI, Gemini CLI, aider, or
//! any program) run once per attempt in the attempt's worktree, inside the OS sandbox.
//!
//! Guarantees:
//! - **Sandboxed and guarded.** The agent runs as a process of the worktree
//!   ([`Worktree::run_agent`]): the guard judges the program and its fixed arguments first; it
//!   runs inside the OS sandbox (writes only beneath the worktree and its private home, reads
//!   only the system and toolchain directories), with the worktree's scrubbed environment, a
//!   timeout that kills its process group, and its output redacted of every known secret.
//! - **The key only to that process.** The provider key (`api_key_env`, or the preset's) is read
//!   from the host when the maker is built and set in this one process's environment; no other
//!   process of the loop (tests, commands, hooks run by other makers) sees it.
//! - **Network only when asked.** The sandbox can give a process no network or the host's whole
//!   network (it has no per-host allowlist yet); the agent gets `"network": "full"` only when
//!   the maker object says so, else none — the same as every loop command.
//! - **Strive's guard as the agent's pre-tool hook.** For agents with hooks (Claude Code
//!   `PreToolUse`, Gemini CLI `BeforeTool`) the maker writes the agent's project settings file
//!   in the worktree, registering `strive guard --hook …` (this executable) for its shell
//!   tool; the file is bind-mounted read-only for the agent's run and removed (or the
//!   repository's own restored) afterwards, so it is never part of the proposal.
//! - **Judged like any answer.** The agent's answer is whatever it left in the worktree
//!   ([`Answer::EditedInPlace`]): the host stages it, integrity-scans it, runs the tests and
//!   commits only a verified tree. A non-zero exit or a timeout is an error, never an answer.
//! - **Its tool calls in the run's audit log.** The agent's process gets [`HOOK_SPOOL_ENV`]
//!   naming a spool file in the worktree's private directory (beside the worktree, writable by
//!   the agent only); `strive guard --hook` appends one [`HookRecord`] per decision. After the
//!   agent exits the spool is folded into rows ([`read_spool`]) that the host appends to the
//!   audit log: every line yields a row — an unreadable one says so — escaped and capped.
//! - **Metered where the agent reports usage.** A preset (or `maker.usage`) names the agent's
//!   JSON usage report ([`UsageStyle`]): before the agent starts the prompt's estimate must fit
//!   the budget; after it exits its reported tokens (and cost) are charged; a run past the cap
//!   ends `budget-exceeded`, and a metered agent whose output carries no readable usage is
//!   charged the rest of the token budget (the host cannot vouch for its spend). An
//!   unmetered agent (`aider`, `usage: none`) is charged zero; the run's wall clock and the
//!   maker's `timeout_secs` bound it.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use strive_worktree::{AgentGrant, Exit, Network, RunLimits, Worktree};

use crate::budget::{Estimate, MakerRefusal, Usage};
use crate::extract::Answer;
use crate::http::ApiKey;
use crate::request::{MakeContext, MakeRequest, MakeResponse};
use crate::{Maker, MakerError};

/// The placeholder in `args` replaced by the rendered task prompt.
pub const PROMPT_PLACEHOLDER: &str = "{prompt}";

/// How an agent takes Strive's guard as its pre-tool hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookStyle {
    /// No hook support (aider, a plain program): the sandbox alone confines it.
    None,
    /// Claude Code: `.claude/settings.json`, `hooks.PreToolUse`.
    Claude,
    /// Gemini CLI: `.gemini/settings.json`, `hooks.BeforeTool`.
    Gemini,
}

impl HookStyle {
    /// The settings file (relative to the worktree) and its content for hook command `hook`.
    pub fn settings(self, hook: &str) -> Option<(&'static str, serde_json::Value)> {
        let entry = |matcher: &str, kind: &str| {
            serde_json::json!([{"matcher": matcher, "hooks": [{"type": "command",
                "command": format!("{hook} guard --hook {kind}"), "timeout": 30}]}])
        };
        match self {
            HookStyle::None => None,
            HookStyle::Claude => Some((
                ".claude/settings.json",
                serde_json::json!({"hooks": {"PreToolUse": entry("Bash", "claude-code")}}),
            )),
            HookStyle::Gemini => Some((
                ".gemini/settings.json",
                serde_json::json!({"hooks": {"BeforeTool": entry("run_shell_command", "gemini")}}),
            )),
        }
    }
}

/// One preset: program, arguments, default key variable, hook style.
#[derive(Debug, Clone, Copy)]
pub struct Preset {
    pub name: &'static str,
    pub program: &'static str,
    pub args: &'static [&'static str],
    pub key_env: Option<&'static str>,
    pub hooks: HookStyle,
    pub usage: UsageStyle,
}

/// The presets `maker.preset` names (docs/agents.md documents each).
pub const PRESETS: &[Preset] = &[
    Preset {
        name: "claude",
        program: "claude",
        // Headless: edits accepted, shell calls allowed — after Strive's guard, the
        // `PreToolUse` hook, has judged each one (a hook deny wins over both).
        args: &[
            "-p",
            PROMPT_PLACEHOLDER,
            "--output-format",
            "json",
            "--permission-mode",
            "acceptEdits",
            "--allowedTools",
            "Bash",
        ],
        key_env: Some("ANTHROPIC_API_KEY"),
        hooks: HookStyle::Claude,
        usage: UsageStyle::Claude,
    },
    Preset {
        name: "codex",
        program: "codex",
        // `--json`: JSON-lines events on stdout, whose `turn.completed` carry usage.
        args: &["exec", "--full-auto", "--json", PROMPT_PLACEHOLDER],
        key_env: Some("OPENAI_API_KEY"),
        hooks: HookStyle::None,
        usage: UsageStyle::Codex,
    },
    Preset {
        name: "gemini",
        program: "gemini",
        args: &[
            "--yolo",
            "--output-format",
            "json",
            "-p",
            PROMPT_PLACEHOLDER,
        ],
        key_env: Some("GEMINI_API_KEY"),
        hooks: HookStyle::Gemini,
        usage: UsageStyle::Gemini,
    },
    Preset {
        name: "aider",
        program: "aider",
        args: &[
            "--yes-always",
            "--no-auto-commits",
            "--no-check-update",
            "--message",
            PROMPT_PLACEHOLDER,
        ],
        key_env: None,
        hooks: HookStyle::None,
        usage: UsageStyle::None,
    },
];

impl Preset {
    pub fn find(name: &str) -> Option<&'static Preset> {
        PRESETS.iter().find(|p| p.name == name.trim())
    }

    pub fn names() -> String {
        PRESETS
            .iter()
            .map(|p| p.name)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An external agent CLI as a maker.
#[derive(Debug, Clone)]
pub struct AgentCliMaker {
    pub program: String,
    pub args: Vec<String>,
    pub key: Option<ApiKey>,
    pub network: bool,
    pub hooks: HookStyle,
    /// The executable whose `guard --hook` the agent's settings call (this `strive`).
    pub hook_exe: Option<PathBuf>,
    pub limits: RunLimits,
    /// The usage report its output carries (what the host meters).
    pub usage: UsageStyle,
    /// Audit rows of the agent's own tool calls, folded from the hook spool after each run
    /// and taken by the host ([`Maker::take_tool_calls`]).
    pub tool_calls: Arc<Mutex<Vec<ToolCallRow>>>,
}

/// A shell-quoted word (for the settings file's hook command and the guard's view).
fn quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-+=:,@".contains(&b))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// The agent's prompt: the caller's system text with the data-marking paragraph, the task and
/// the reflections as marked blocks, and what the host expects of an agent. Files are not
/// included: the agent reads the worktree itself.
pub fn render_prompt(request: &MakeRequest) -> Result<String, MakerError> {
    let mut marks = request.spotlight.clone().ok_or_else(|| {
        strive_core::injection::spotlight::SpotlightError::NoRandomness(
            "the request was built without a data marker".into(),
        )
    })?;
    marks.fit(
        std::iter::once(request.task.as_str())
            .chain(request.reflections.iter().map(String::as_str)),
    )?;
    let mut text = format!(
        "{}\n\n{}\n\n",
        request.system.trim_end(),
        marks.instruction()
    );
    text.push_str("TASK (a marked `task` block; what to change):\n");
    text.push_str(&marks.mark("task", None, request.task.trim_end())?);
    if !request.reflections.is_empty() {
        text.push_str("\nPRIOR ATTEMPTS FAILED — reflections (a marked `test-output` block):\n");
        let mut body = String::new();
        for r in &request.reflections {
            body.push_str("- ");
            body.push_str(r.trim_end());
            body.push('\n');
        }
        text.push_str(&marks.mark("test-output", None, &body)?);
        text.push_str("Do not repeat a failed approach.\n");
    }
    text.push_str(
        "\nEdit the files in the current directory (a git worktree) to do the task. Do not \
         change, skip or delete tests. Do not commit: the host stages your changes, scans them, \
         runs the tests and decides.\n",
    );
    Ok(text)
}

/// Writes the hook settings file, remembering what was there, and puts it back on drop.
struct Settings {
    path: PathBuf,
    previous: Option<Vec<u8>>,
    created_dir: Option<PathBuf>,
}

impl Settings {
    fn install(root: &Path, rel: &str, content: &serde_json::Value) -> std::io::Result<Settings> {
        let path = root.join(rel);
        let dir = path.parent().unwrap_or(root).to_path_buf();
        let created_dir = if dir.exists() {
            None
        } else {
            std::fs::create_dir_all(&dir)?;
            Some(dir)
        };
        let previous = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_file() => Some(std::fs::read(&path)?),
            Ok(_) => {
                return Err(std::io::Error::other(format!(
                    "{rel} in the worktree is not a regular file; refusing to replace it"
                )));
            }
            Err(_) => None,
        };
        std::fs::write(
            &path,
            serde_json::to_vec_pretty(content).unwrap_or_default(),
        )?;
        Ok(Settings {
            path,
            previous,
            created_dir,
        })
    }
}

impl Drop for Settings {
    fn drop(&mut self) {
        match &self.previous {
            Some(bytes) => {
                let _ = std::fs::write(&self.path, bytes);
            }
            None => {
                let _ = std::fs::remove_file(&self.path);
            }
        }
        if let Some(dir) = &self.created_dir {
            // Only when the agent left nothing else there.
            let _ = std::fs::remove_dir(dir);
        }
    }
}

impl AgentCliMaker {
    /// The argv with the prompt substituted, and the guard's view of it (the placeholder left
    /// as is: the prompt is data for the agent, not a command).
    fn argv(&self, prompt: &str) -> (Vec<String>, String) {
        let mut argv = vec![self.program.clone()];
        argv.extend(
            self.args
                .iter()
                .map(|a| a.replace(PROMPT_PLACEHOLDER, prompt)),
        );
        let mut line = quote(&self.program);
        for a in &self.args {
            line.push(' ');
            line.push_str(&quote(a));
        }
        (argv, line)
    }

    /// Runs the agent once; the spool's rows are kept for the host whatever the outcome.
    fn run(
        &self,
        worktree: &Worktree,
        prompt: &str,
    ) -> Result<strive_worktree::CommandOutput, MakerError> {
        let (argv, guard_line) = self.argv(prompt);
        let mut grant = AgentGrant::default();
        if let Some(key) = &self.key {
            grant
                .env
                .push((key.env().to_owned(), key.expose().to_owned()));
        }
        if self.network {
            grant.network = Some(Network::Full {
                reason: "agent-cli maker: the agent calls its provider (maker.network = full)"
                    .into(),
            });
        }
        let _settings = match (self.hooks, &self.hook_exe) {
            (HookStyle::None, _) => None,
            (style, Some(exe)) => {
                let hook = quote(&exe.to_string_lossy());
                let (rel, content) = style.settings(&hook).expect("a hook style has settings");
                grant.read.push(exe.clone());
                grant.read_only_files.push(worktree.path().join(rel));
                Some(
                    Settings::install(worktree.path(), rel, &content).map_err(|e| {
                        MakerError::CommandFailed {
                            exit: "not started".into(),
                            tail: format!("writing the agent's hook settings {rel}: {e}"),
                        }
                    })?,
                )
            }
            (_, None) => {
                return Err(MakerError::CommandFailed {
                    exit: "not started".into(),
                    tail: "the agent's pre-tool hook needs the strive executable, which could not be found".into(),
                });
            }
        };
        // The hook spool: created empty by the host (so a missing file means it was removed),
        // in a private directory only the agent's process may write.
        // (Also without hooks of our own: a Codex user's own hook configuration that calls
        // `strive guard --hook codex` records into it the same way.)
        let spool = {
            let dir =
                worktree
                    .private_dir("agent-hooks")
                    .map_err(|e| MakerError::CommandFailed {
                        exit: "not started".into(),
                        tail: format!("creating the hook spool's directory: {e}"),
                    })?;
            let file = dir.join(format!(
                "spool-{}.jsonl",
                SPOOL_SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            ));
            std::fs::write(&file, b"").map_err(|e| MakerError::CommandFailed {
                exit: "not started".into(),
                tail: format!("creating the hook spool {}: {e}", file.display()),
            })?;
            grant.write.push(dir);
            grant.env.push((
                HOOK_SPOOL_ENV.to_owned(),
                file.to_string_lossy().into_owned(),
            ));
            file
        };
        let ran = worktree.run_agent(&guard_line, &argv, &grant, self.limits);
        let rows = read_spool(&spool);
        let _ = std::fs::remove_file(&spool);
        if let Ok(mut all) = self.tool_calls.lock() {
            all.extend(rows);
        }
        let out = ran?;
        match out.exit {
            Exit::Code(0) => Ok(out),
            Exit::TimedOut => Err(MakerError::CommandTimedOut(self.limits.timeout)),
            Exit::Code(c) => Err(MakerError::CommandFailed {
                exit: format!("exit code {c}"),
                tail: out.tail_lines(8),
            }),
            Exit::Signal(s) => Err(MakerError::CommandFailed {
                exit: format!("killed by signal {s}"),
                tail: out.tail_lines(8),
            }),
        }
    }
}

impl Maker for AgentCliMaker {
    fn describe(&self) -> String {
        format!("agent-cli `{}`", self.program)
    }

    fn make(
        &self,
        request: &MakeRequest,
        ctx: &MakeContext<'_>,
    ) -> Result<MakeResponse, MakerError> {
        let worktree = ctx.worktree.ok_or(MakerError::NoWorktree)?;
        let prompt = render_prompt(request)?;
        let mut limits = self.limits;
        if let Some(deadline) = ctx.deadline {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            limits.timeout = limits
                .timeout
                .min(left.max(std::time::Duration::from_millis(1)));
        }
        let maker = AgentCliMaker {
            limits,
            ..self.clone()
        };
        if self.usage != UsageStyle::None {
            // The prompt is the least the agent will send: it must fit before anything starts.
            ctx.budget.reserve(&Estimate {
                tokens: (prompt.chars().count() as u64).div_ceil(4),
                cost_usd: None,
            })?;
        }
        let out = maker.run(worktree, &prompt)?;
        let usage = match self.usage.parse(&out.stdout) {
            Ok(usage) => usage.unwrap_or_default(),
            Err(why) => {
                let why = if out.truncated {
                    format!("{why} (its output passed the capture cap and was cut)")
                } else {
                    why
                };
                return Err(exhaust_budget(ctx.budget, &self.describe(), &why));
            }
        };
        if self.usage != UsageStyle::None {
            // Charged after the fact: a run past the cap fills the ledger and ends the run.
            let over = ctx.budget.reserve(&Estimate {
                tokens: usage.total_tokens(),
                cost_usd: usage.cost_usd,
            });
            ctx.budget.charge(&usage);
            if let Err(refusal) = over {
                return Err(MakerError::Budget(MakerRefusal {
                    requested_tokens: usage.total_tokens(),
                    reason: format!(
                        "{} used {} tokens, past the run's budget ({}); the budget is spent",
                        self.describe(),
                        usage.total_tokens(),
                        refusal.reason
                    ),
                }));
            }
        }
        Ok(MakeResponse {
            answer: Answer::EditedInPlace,
            usage,
            model: self.describe(),
        })
    }

    fn take_tool_calls(&self) -> Vec<ToolCallRow> {
        self.tool_calls
            .lock()
            .map(|mut rows| std::mem::take(&mut *rows))
            .unwrap_or_default()
    }
}

/// Numbers the spool files of one process (one per agent run).
static SPOOL_SEQ: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// A metered agent whose usage cannot be read: the host cannot vouch for what it spent, so the
/// rest of a capped token budget is charged (fail closed) and the call is refused.
fn exhaust_budget(gate: &dyn crate::budget::BudgetGate, who: &str, why: &str) -> MakerError {
    let all = Usage {
        input_tokens: u64::MAX / 4,
        ..Usage::default()
    };
    let capped = gate
        .reserve(&Estimate {
            tokens: all.input_tokens,
            cost_usd: None,
        })
        .is_err();
    if capped {
        gate.charge(&all);
    }
    MakerError::Budget(MakerRefusal {
        requested_tokens: 0,
        reason: format!(
            "{who} reported no readable token usage ({why}); the host cannot meter it, so the run's token budget is treated as spent — fix the agent's output format, or set \"usage\": \"none\" in the maker object to run it unmetered"
        ),
    })
}

// ---------------------------------------------------------------------------------------------
// The hook spool: the agent's own tool calls, as its pre-tool hook judged them.
// ---------------------------------------------------------------------------------------------

/// The variable naming the spool file `strive guard --hook` appends one JSON line per decision
/// to. The agent-cli maker sets it for the agent's process (and so for the hooks it starts).
pub const HOOK_SPOOL_ENV: &str = "STRIVE_HOOK_SPOOL";
/// The most spool bytes the host reads; the rest is reported as unread, never dropped silently.
pub const MAX_SPOOL_BYTES: usize = 1 << 20;
/// The most tool calls recorded one by one; the rest are counted in one row.
pub const MAX_SPOOL_ROWS: usize = 200;
/// The most bytes of one field (a command, a path, a reason) an audit row quotes.
pub const MAX_SPOOL_FIELD: usize = 240;

/// What the hook decided for one tool call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HookVerdict {
    /// A shell command the guard allowed (the agent's own permissions then apply).
    Allow,
    /// A shell command the guard refused; the agent was told the rule and the reason.
    Deny,
    /// Not a shell tool (an edit, a read): the guard does not judge it; the sandbox confines it.
    NotJudged,
}

/// One line of the spool, as the hook writes it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookRecord {
    /// The hook protocol (`claude-code`, `codex`, `gemini`).
    pub hook: String,
    /// The agent's tool name (`Bash`, `run_shell_command`, `Edit`, …).
    pub tool: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    pub verdict: HookVerdict,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<String>,
}

/// One audit row for the run's log: what the agent asked for and what was decided. Both
/// fields are escaped (no control characters) and capped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolCallRow {
    pub args: String,
    pub decision: String,
}

/// `text` escaped for one line and cut to [`MAX_SPOOL_FIELD`] bytes (on a char boundary).
fn field(text: &str) -> String {
    let escaped = strive_core::text::escape_line(text);
    if escaped.len() <= MAX_SPOOL_FIELD {
        return escaped.into_owned();
    }
    let mut end = MAX_SPOOL_FIELD;
    while !escaped.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &escaped[..end])
}

fn unreadable(args: String, why: &str) -> ToolCallRow {
    ToolCallRow {
        args,
        decision: format!(
            "unreadable: {why}; this tool call's record is lost (the agent's run is not fully audited)"
        ),
    }
}

fn row(record: &HookRecord) -> ToolCallRow {
    let mut args = format!("{} tool {}", field(&record.hook), field(&record.tool));
    if let Some(c) = &record.command {
        args.push_str(&format!(" command `{}`", field(c)));
    }
    if let Some(p) = &record.path {
        args.push_str(&format!(" path `{}`", field(p)));
    }
    let decision = match record.verdict {
        HookVerdict::Allow => "allowed".to_owned(),
        HookVerdict::NotJudged => {
            "allowed: not a shell tool, not judged by the guard (the sandbox confines it)".into()
        }
        HookVerdict::Deny => {
            let mut d = format!(
                "blocked: {}: {}",
                field(record.rule.as_deref().unwrap_or("unknown")),
                field(record.reason.as_deref().unwrap_or("no reason recorded"))
            );
            if let Some(alt) = &record.alternative {
                d.push_str(&format!(" (instead: {})", field(alt)));
            }
            d
        }
    };
    ToolCallRow { args, decision }
}

/// The audit rows of one spool. Every non-blank line yields a row — a record it cannot read
/// yields an `unreadable` row, never a skip — up to [`MAX_SPOOL_ROWS`], after which one row
/// counts the rest by verdict. A spool past [`MAX_SPOOL_BYTES`] (`truncated`) ends with a row
/// saying the rest was not read.
pub fn fold_spool(bytes: &[u8], truncated: bool) -> Vec<ToolCallRow> {
    let mut rows = Vec::new();
    let (mut more, mut more_denied, mut more_unreadable) = (0usize, 0usize, 0usize);
    let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
    let last = lines.len().saturating_sub(1);
    for (i, raw) in lines.into_iter().enumerate() {
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let where_ = format!("hook spool line {}", i + 1);
        let parsed: Result<HookRecord, String> = if truncated && i == last {
            Err("cut off at the spool's size cap".into())
        } else {
            std::str::from_utf8(raw)
                .map_err(|_| "not UTF-8".to_string())
                .and_then(|text| {
                    serde_json::from_str::<HookRecord>(text)
                        .map_err(|e| format!("not a hook record ({e})"))
                })
        };
        if rows.len() >= MAX_SPOOL_ROWS {
            more += 1;
            match &parsed {
                Ok(r) if r.verdict == HookVerdict::Deny => more_denied += 1,
                Ok(_) => {}
                Err(_) => more_unreadable += 1,
            }
            continue;
        }
        rows.push(match parsed {
            Ok(record) => row(&record),
            Err(why) => unreadable(where_, &field(&why)),
        });
    }
    if more > 0 {
        rows.push(ToolCallRow {
            args: format!("{more} more hook spool records (past {MAX_SPOOL_ROWS} rows)"),
            decision: format!(
                "not recorded one by one: {more_denied} blocked, {more_unreadable} unreadable, {} allowed",
                more - more_denied - more_unreadable
            ),
        });
    }
    if truncated {
        rows.push(unreadable(
            "hook spool".into(),
            &format!("the spool is larger than {MAX_SPOOL_BYTES} bytes and the rest was not read"),
        ));
    }
    rows
}

/// Reads the spool at `path` without following a symlink or blocking on a FIFO (the agent
/// could have replaced the file) and folds it ([`fold_spool`]). A missing or unreadable spool
/// is one `unreadable` row.
pub fn read_spool(path: &Path) -> Vec<ToolCallRow> {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let opened = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .and_then(|f| {
            if f.metadata()?.file_type().is_file() {
                Ok(f)
            } else {
                Err(std::io::Error::other("not a regular file"))
            }
        });
    let mut file = match opened {
        Ok(f) => f,
        Err(e) => {
            return vec![unreadable(
                "hook spool".into(),
                &format!(
                    "the spool could not be opened ({}) — removed or replaced during the agent's run",
                    field(&e.to_string())
                ),
            )];
        }
    };
    let mut bytes = Vec::new();
    if let Err(e) = (&mut file)
        .take(MAX_SPOOL_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
    {
        return vec![unreadable(
            "hook spool".into(),
            &format!("reading the spool failed ({})", field(&e.to_string())),
        )];
    }
    let truncated = bytes.len() > MAX_SPOOL_BYTES;
    bytes.truncate(MAX_SPOOL_BYTES);
    fold_spool(&bytes, truncated)
}

// ---------------------------------------------------------------------------------------------
// Token usage from the agent's JSON output.
// ---------------------------------------------------------------------------------------------

/// Which usage report an agent prints on stdout, so the host can charge its tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageStyle {
    /// It prints none the host can read (aider, a plain program): unmetered, charged as zero.
    None,
    /// Claude Code `--output-format json`: one object with `usage.input_tokens`,
    /// `cache_creation_input_tokens`, `cache_read_input_tokens`, `output_tokens` and
    /// `total_cost_usd`.
    Claude,
    /// Codex `exec --json`: JSON lines; every `turn.completed` event's `usage.input_tokens`
    /// and `output_tokens`, summed.
    Codex,
    /// Gemini CLI `--output-format json`: one object whose `stats.models.<model>.tokens` hold
    /// `prompt` and `total` (or `candidates` and `thoughts`), summed over models.
    Gemini,
}

fn count(v: &serde_json::Value, key: &str) -> Result<u64, String> {
    match v.get(key) {
        None | Some(serde_json::Value::Null) => Ok(0),
        Some(n) => n
            .as_u64()
            .ok_or_else(|| format!("`{key}` is not a non-negative integer")),
    }
}

/// The last line of `stdout` (or all of it) that is a JSON object holding `key`.
fn json_object_with(stdout: &str, key: &str) -> Option<serde_json::Value> {
    let whole = serde_json::from_str::<serde_json::Value>(stdout.trim())
        .ok()
        .filter(|v| v.get(key).is_some());
    whole.or_else(|| {
        stdout.lines().rev().find_map(|l| {
            serde_json::from_str::<serde_json::Value>(l.trim())
                .ok()
                .filter(|v| v.get(key).is_some())
        })
    })
}

impl UsageStyle {
    /// The usage the agent reported. `Ok(None)` for an unmetered style; `Err` when a metered
    /// agent's output carries no readable usage (the host then cannot vouch for its spend).
    pub fn parse(self, stdout: &str) -> Result<Option<Usage>, String> {
        match self {
            UsageStyle::None => Ok(None),
            UsageStyle::Claude => {
                let v = json_object_with(stdout, "usage")
                    .ok_or("no JSON object with `usage` in its output")?;
                let u = &v["usage"];
                if !u.is_object() {
                    return Err("`usage` is not an object".into());
                }
                let input = count(u, "input_tokens")?
                    .saturating_add(count(u, "cache_creation_input_tokens")?)
                    .saturating_add(count(u, "cache_read_input_tokens")?);
                let cost = match v.get("total_cost_usd") {
                    None | Some(serde_json::Value::Null) => None,
                    Some(c) => Some(
                        c.as_f64()
                            .filter(|c| c.is_finite() && *c >= 0.0)
                            .ok_or("`total_cost_usd` is not a non-negative number")?,
                    ),
                };
                Ok(Some(Usage {
                    input_tokens: input,
                    output_tokens: count(u, "output_tokens")?,
                    cost_usd: cost,
                    estimated: false,
                }))
            }
            UsageStyle::Codex => {
                let mut usage = Usage::default();
                let mut turns = 0;
                for line in stdout.lines() {
                    let Ok(v) = serde_json::from_str::<serde_json::Value>(line.trim()) else {
                        continue;
                    };
                    if v.get("type").and_then(|t| t.as_str()) != Some("turn.completed") {
                        continue;
                    }
                    let u = v
                        .get("usage")
                        .filter(|u| u.is_object())
                        .ok_or("a `turn.completed` event without a `usage` object")?;
                    usage.input_tokens =
                        usage.input_tokens.saturating_add(count(u, "input_tokens")?);
                    usage.output_tokens = usage
                        .output_tokens
                        .saturating_add(count(u, "output_tokens")?);
                    turns += 1;
                }
                if turns == 0 {
                    return Err("no `turn.completed` event with usage in its output".into());
                }
                Ok(Some(usage))
            }
            UsageStyle::Gemini => {
                let v = json_object_with(stdout, "stats")
                    .ok_or("no JSON object with `stats` in its output")?;
                let models = v["stats"]
                    .get("models")
                    .and_then(|m| m.as_object())
                    .ok_or("`stats.models` is not an object")?;
                let mut usage = Usage::default();
                for m in models.values() {
                    let t = m.get("tokens").ok_or("a model's stats without `tokens`")?;
                    let prompt = count(t, "prompt")?;
                    let total = count(t, "total")?;
                    let out = if total >= prompt && total > 0 {
                        total - prompt
                    } else {
                        count(t, "candidates")?.saturating_add(count(t, "thoughts")?)
                    };
                    usage.input_tokens = usage.input_tokens.saturating_add(prompt);
                    usage.output_tokens = usage.output_tokens.saturating_add(out);
                }
                if models.is_empty() {
                    return Err("`stats.models` is empty".into());
                }
                Ok(Some(usage))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn presets_have_the_prompt_and_hook_settings_name_this_executable() {
        for p in PRESETS {
            assert!(p.args.contains(&PROMPT_PLACEHOLDER), "{}", p.name);
        }
        let (path, doc) = HookStyle::Claude.settings("/opt/strive").unwrap();
        assert_eq!(path, ".claude/settings.json");
        assert_eq!(
            doc["hooks"]["PreToolUse"][0]["hooks"][0]["command"],
            "/opt/strive guard --hook claude-code"
        );
        let (path, doc) = HookStyle::Gemini.settings("s").unwrap();
        assert_eq!(path, ".gemini/settings.json");
        assert_eq!(
            doc["hooks"]["BeforeTool"][0]["hooks"][0]["command"],
            "s guard --hook gemini"
        );
        assert!(HookStyle::None.settings("s").is_none());
    }

    fn record(verdict: HookVerdict, command: &str) -> HookRecord {
        HookRecord {
            hook: "claude-code".into(),
            tool: "Bash".into(),
            command: Some(command.into()),
            path: None,
            verdict,
            rule: (verdict == HookVerdict::Deny).then(|| "fs.rm-home".into()),
            reason: (verdict == HookVerdict::Deny).then(|| "deletes the home directory".into()),
            alternative: (verdict == HookVerdict::Deny)
                .then(|| "delete inside the worktree".into()),
        }
    }

    #[test]
    fn the_spool_folds_into_one_row_per_call_and_unreadable_lines_say_so() {
        let mut spool = String::new();
        for r in [
            record(HookVerdict::Allow, "python3 -m unittest"),
            record(HookVerdict::Deny, "rm -rf ~"),
        ] {
            spool.push_str(&serde_json::to_string(&r).unwrap());
            spool.push('\n');
        }
        spool.push_str("{\"hook\": \"claude-code\", \"tool\": \"Bash\"}\n\n not json \x1b[2J\n");
        let rows = fold_spool(spool.as_bytes(), false);
        assert_eq!(rows.len(), 4, "{rows:?}");
        assert_eq!(rows[0].decision, "allowed");
        assert!(
            rows[0].args.contains("command `python3 -m unittest`"),
            "{:?}",
            rows[0]
        );
        assert_eq!(
            rows[1].decision,
            "blocked: fs.rm-home: deletes the home directory (instead: delete inside the worktree)"
        );
        assert!(
            rows[2]
                .decision
                .starts_with("unreadable: not a hook record"),
            "{:?}",
            rows[2]
        );
        assert_eq!(rows[3].args, "hook spool line 5");
        // The unreadable line's text is never quoted (it may be anything the agent wrote).
        assert!(!rows[3].decision.contains("not json"), "{:?}", rows[3]);
        // Escaped and capped.
        let long = record(
            HookVerdict::Allow,
            &format!("echo \x1b]0;{}", "x".repeat(5000)),
        );
        let rows = fold_spool(serde_json::to_string(&long).unwrap().as_bytes(), false);
        assert!(
            !rows[0].args.contains('\x1b') && rows[0].args.len() < 600,
            "{:?}",
            rows[0]
        );
        // Truncated: the cut line and the rest are reported, not dropped.
        let rows = fold_spool(b"{\"hook\":", true);
        assert!(
            rows.iter().all(|r| r.decision.starts_with("unreadable")),
            "{rows:?}"
        );
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn a_missing_or_replaced_spool_is_one_unreadable_row() {
        let dir = tempfile::tempdir().unwrap();
        let rows = read_spool(&dir.path().join("gone.jsonl"));
        assert_eq!(rows.len(), 1);
        assert!(rows[0].decision.starts_with("unreadable"), "{rows:?}");
        let secret = dir.path().join("secret");
        std::fs::write(
            &secret,
            "{\"hook\":\"x\",\"tool\":\"Bash\",\"verdict\":\"allow\"}\n",
        )
        .unwrap();
        let link = dir.path().join("spool.jsonl");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        let rows = read_spool(&link);
        assert_eq!(rows.len(), 1);
        assert!(
            rows[0].decision.starts_with("unreadable"),
            "a symlink is not followed: {rows:?}"
        );
        let ok = dir.path().join("ok.jsonl");
        std::fs::copy(&secret, &ok).unwrap();
        assert_eq!(read_spool(&ok)[0].decision, "allowed");
    }

    #[test]
    fn usage_is_read_from_each_agents_json_report() {
        let claude = r#"{"type":"result","subtype":"success","result":"done","total_cost_usd":0.0125,
            "usage":{"input_tokens":1200,"cache_creation_input_tokens":300,"cache_read_input_tokens":500,"output_tokens":400}}"#;
        let u = UsageStyle::Claude.parse(claude).unwrap().unwrap();
        assert_eq!((u.input_tokens, u.output_tokens), (2000, 400));
        assert_eq!(u.cost_usd, Some(0.0125));
        let codex = "{\"type\":\"thread.started\"}\n{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":100,\"cached_input_tokens\":50,\"output_tokens\":7}}\nnoise\n{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":20,\"output_tokens\":3}}\n";
        let u = UsageStyle::Codex.parse(codex).unwrap().unwrap();
        assert_eq!((u.input_tokens, u.output_tokens), (120, 10));
        let gemini = r#"{"response":"ok","stats":{"models":{"gemini-2.5-pro":{"tokens":{"prompt":900,"candidates":20,"total":1000,"cached":100,"thoughts":80}},
            "gemini-2.5-flash":{"tokens":{"prompt":10,"candidates":5,"thoughts":1}}}}}"#;
        let u = UsageStyle::Gemini.parse(gemini).unwrap().unwrap();
        assert_eq!((u.input_tokens, u.output_tokens), (910, 106));
        assert_eq!(UsageStyle::None.parse("anything").unwrap(), None);
        // No usage, or usage that is not numbers: an error (the host cannot vouch for it).
        for (style, text) in [
            (UsageStyle::Claude, "I fixed it."),
            (UsageStyle::Claude, r#"{"usage": {"input_tokens": -5}}"#),
            (UsageStyle::Claude, r#"{"usage": 7}"#),
            (UsageStyle::Codex, "{\"type\":\"turn.started\"}"),
            (UsageStyle::Gemini, r#"{"stats": {"models": {}}}"#),
        ] {
            assert!(style.parse(text).is_err(), "{style:?} {text}");
        }
    }

    proptest! {
        // Every non-blank line is exactly one row (under the row cap); nothing is dropped and
        // no row carries a control character.
        #[test]
        fn folding_keeps_one_row_per_line(lines in proptest::collection::vec(
            prop_oneof![
                "[ -~]{0,60}",
                Just("{\"hook\":\"codex\",\"tool\":\"shell\",\"command\":\"ls\\u001b\",\"verdict\":\"deny\",\"rule\":\"r\"}".to_string()),
                Just("{\"hook\":\"gemini\",\"tool\":\"write_file\",\"path\":\"a.py\",\"verdict\":\"not-judged\"}".to_string()),
            ], 0..40), truncated in proptest::bool::ANY) {
            let text = lines.join("\n");
            let rows = fold_spool(text.as_bytes(), truncated);
            let nonblank = text.split('\n').filter(|l| !l.trim().is_empty()).count();
            prop_assert_eq!(rows.len(), nonblank + usize::from(truncated));
            for r in &rows {
                prop_assert!(!r.args.chars().chain(r.decision.chars()).any(char::is_control));
            }
        }

        // The usage parsers never panic, and a Claude report round-trips.
        #[test]
        fn usage_parsers_are_total(text in "\\PC{0,200}", i in 0u64..1u64 << 40, o in 0u64..1u64 << 40) {
            for style in [UsageStyle::Claude, UsageStyle::Codex, UsageStyle::Gemini] {
                let _ = style.parse(&text);
            }
            let report = serde_json::json!({"result": text, "usage": {"input_tokens": i, "output_tokens": o}});
            let u = UsageStyle::Claude.parse(&report.to_string()).unwrap().unwrap();
            prop_assert_eq!((u.input_tokens, u.output_tokens), (i, o));
        }

        // Quoting is what `sh` reads back as the same single word.
        #[test]
        fn quote_round_trips_through_sh(word in "[ -~]{0,40}") {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf %s {}", quote(&word)))
                .output()
                .unwrap();
            prop_assert_eq!(String::from_utf8_lossy(&out.stdout).into_owned(), word);
        }
    }
}
