//! `strive guard` (alias `check-command`): may an unattended loop run this shell command?
//!
//! Guarantees: prints one JSON decision per command; exit 0 only when every command is
//! allowed, 2 when any is blocked, 64 for usage errors, an unreadable or invalid policy file,
//! or unreadable standard input. In `--batch` mode every input line yields exactly one output
//! line, in order; a line that is not a JSON object with a string `command` (including invalid
//! UTF-8 and blank lines) yields a block with rule `input.invalid`, never a skip or an allow.
//! The context (working directory, worktree) is the current directory and the git worktree
//! containing it unless `--cwd`/`--worktree` say otherwise; `--no-context` judges without one.
//! In `--hook` mode the verb speaks an agent's pre-tool-use protocol (see `hook`); input it
//! cannot read is denied, never allowed.

use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};

use strive_core::exit;
use strive_core::guard::{Context, Decision, Guard, Policy, Stage};

use super::io::print_json;

/// Shown under `strive guard --help`: what is judged, the output, exit codes, examples.
const LONG_HELP: &str = "\
The command is parsed as shell and every command that could run is judged: after separators
and pipes, inside subshells and substitutions, inside `sh -c`, `eval`, `xargs`, `find -exec`,
`parallel`, wrappers such as `sudo`/`env`/`timeout`, and interpreter inline code
(`python -c`, `node -e`, ...). Anything the guard cannot fully read is blocked.

Context: recursive deletion is allowed strictly inside the worktree and in temp directories.
The working directory is the current one (or --cwd DIR); the worktree is the git worktree
containing it (or --worktree DIR, or the working directory itself). --no-context judges with
no working directory: every relative path counts as outside.

Output: {\"decision\":\"allow\"|\"block\",\"rule\":\"<id>\",\"reason\":\"...\",\"alternative\":\"...\"}
Exit codes: 0 allowed, 2 blocked, 64 usage error or unreadable input or policy.

Examples:
  strive guard 'git push --force origin main'      # exit 2, rule git.force-push
  strive guard --cwd /work/app 'rm -rf dist'       # exit 0: inside the worktree
  strive guard --policy team.toml 'npm publish'
  printf '%s\\n' '{\"command\":\"ls\"}' '{\"command\":\"rm -rf build\",\"cwd\":\"/w/app\"}' | strive guard --batch

Agent hooks (--hook claude-code|codex|gemini): read the agent's pre-tool-use JSON on stdin,
judge shell commands in the agent's cwd, answer in its protocol (exit 0; a deny carries the
rule and reason; an allowed command gets no answer, so the agent's own permissions apply).
Under a Strive run the agent-cli maker sets STRIVE_HOOK_SPOOL: each decision (and each
non-shell tool call, not judged) is appended there as one JSON line and lands in the run's
audit log; a decision that cannot be recorded is a deny.

Policy file (TOML), strictest decision wins:
  default = \"allow\"            # or \"block\": only [[allow]]ed commands may run
  [[deny]]
  id = \"team.no-publish\"
  program = \"npm\"              # glob over the program name
  args = [\"publish\"]           # globs, matched from the first argument
  reason = \"CI publishes\"
See docs/guard.md for every rule id and the policy format.";

#[derive(clap::Args, Debug)]
#[command(after_long_help = LONG_HELP)]
pub struct Args {
    /// A TOML policy file adding [[deny]] and [[allow]] rules (strictest decision wins).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Read JSONL `{"command": "...", "cwd"?: "...", "worktree"?: "..."}` from stdin; write one
    /// JSONL decision per line, in order.
    #[arg(long, conflicts_with = "command")]
    pub batch: bool,

    /// The working directory the command runs in (default: the current directory).
    #[arg(long, value_name = "DIR", conflicts_with = "no_context")]
    pub cwd: Option<PathBuf>,

    /// The loop's worktree root; deletion must stay strictly inside it (default: the git
    /// worktree containing the working directory, else the working directory).
    #[arg(long, value_name = "DIR", conflicts_with = "no_context")]
    pub worktree: Option<PathBuf>,

    /// Judge with no working directory: every relative path counts as outside the worktree.
    #[arg(long)]
    pub no_context: bool,

    /// What the loop is doing: in `verify`, deleting inside the worktree is blocked too.
    /// (`--phase` is the earlier name of this flag.)
    #[arg(long, alias = "phase", value_enum, default_value_t = StageArg::Work)]
    pub stage: StageArg,

    /// Speak an agent's pre-tool-use hook protocol on stdin/stdout instead.
    #[arg(long, value_enum, conflicts_with_all = ["command", "batch"])]
    pub hook: Option<HookKind>,

    /// The command to judge. Quote it as one argument; several arguments are joined with
    /// spaces (which can only make the judgement stricter, never laxer).
    #[arg(value_name = "COMMAND", num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageArg {
    Work,
    Verify,
}

/// The agents whose hook protocol `--hook` speaks.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HookKind {
    /// Claude Code `PreToolUse` (tool `Bash`).
    ClaudeCode,
    /// Codex `PreToolUse` hooks (Claude-compatible; shell tools).
    Codex,
    /// Gemini CLI `BeforeTool` (tool `run_shell_command`).
    Gemini,
}

/// An absolute, lexically clean path string for `dir` (relative paths are taken from the
/// current directory).
fn absolute(dir: &Path) -> Option<String> {
    let abs = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir().ok()?.join(dir)
    };
    abs.to_str()
        .map(|s| s.trim_end_matches('/').to_string())
        .map(|s| if s.is_empty() { "/".to_string() } else { s })
}

/// The git worktree containing `dir`: the nearest ancestor holding `.git` (a directory, or
/// the file a linked worktree has).
fn git_worktree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// The context for a command run in `cwd` (with an explicit worktree or the one found).
fn context_for(cwd: &Path, worktree: Option<&Path>, stage: StageArg) -> Context {
    let worktree = worktree
        .map(Path::to_path_buf)
        .or_else(|| git_worktree(cwd))
        .unwrap_or_else(|| cwd.to_path_buf());
    Context {
        cwd: absolute(cwd),
        worktree: absolute(&worktree),
        home: std::env::var("HOME").ok().filter(|h| h.starts_with('/')),
        temp_dirs: Vec::new(),
        stage: match stage {
            StageArg::Work => Stage::Work,
            StageArg::Verify => Stage::Verify,
        },
    }
}

fn base_context(args: &Args) -> Context {
    if args.no_context {
        return Context {
            stage: context_for(Path::new("/"), None, args.stage).stage,
            ..Context::default()
        };
    }
    let cwd = match &args.cwd {
        Some(d) => d.clone(),
        None => std::env::current_dir().unwrap_or_default(),
    };
    if cwd.as_os_str().is_empty() {
        return Context::default();
    }
    context_for(&cwd, args.worktree.as_deref(), args.stage)
}

pub fn run(args: Args) -> i32 {
    let policy = match &args.policy {
        None => Policy::default(),
        Some(path) => match Policy::load(path) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!("hint: see docs/guard.md for the policy file format");
                return exit::USAGE;
            }
        },
    };
    let guard = Guard::with_policy(policy);
    if let Some(kind) = args.hook {
        return hook(&guard, kind, &args);
    }
    let ctx = base_context(&args);
    if args.batch {
        return batch(&guard, &ctx, &args);
    }
    if args.command.is_empty() {
        eprintln!(
            "error: no command given; usage: strive guard [--policy FILE] COMMAND, or strive guard --batch < commands.jsonl"
        );
        return exit::USAGE;
    }
    let decision = guard.check_in(&args.command.join(" "), &ctx);
    print_json(&decision);
    if decision.is_allowed() {
        exit::OK
    } else {
        exit::BLOCKED
    }
}

#[derive(serde::Deserialize)]
struct BatchLine {
    command: String,
    #[serde(default)]
    cwd: Option<String>,
    #[serde(default)]
    worktree: Option<String>,
}

/// Decide one batch input line (a line's own `cwd`/`worktree` replace the verb's).
fn decide_line(
    guard: &Guard,
    ctx: &Context,
    phase: StageArg,
    raw: &[u8],
    line_no: usize,
) -> Decision {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let Ok(text) = std::str::from_utf8(raw) else {
        return Decision::invalid_input(format!("line {line_no}: not valid UTF-8"));
    };
    match serde_json::from_str::<BatchLine>(text) {
        Ok(line) => match (&line.cwd, &line.worktree) {
            (None, None) => guard.check_in(&line.command, ctx),
            (cwd, worktree) => {
                let cwd = cwd
                    .as_deref()
                    .map(PathBuf::from)
                    .or_else(|| ctx.cwd.as_deref().map(PathBuf::from));
                let line_ctx = match cwd {
                    Some(cwd) => context_for(&cwd, worktree.as_deref().map(Path::new), phase),
                    None => Context::default(),
                };
                guard.check_in(&line.command, &line_ctx)
            }
        },
        Err(e) => Decision::invalid_input(format!(
            "line {line_no}: expected a JSON object like {{\"command\": \"...\"}} ({e})"
        )),
    }
}

fn batch(guard: &Guard, ctx: &Context, args: &Args) -> i32 {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut code = exit::OK;
    for (i, line) in stdin.lock().split(b'\n').enumerate() {
        let raw = match line {
            Ok(raw) => raw,
            Err(e) => {
                eprintln!("error: cannot read standard input at line {}: {e}", i + 1);
                return exit::USAGE;
            }
        };
        let decision = decide_line(guard, ctx, args.stage, &raw, i + 1);
        if !decision.is_allowed() {
            code = exit::BLOCKED;
        }
        let _ = serde_json::to_writer(&mut out, &decision);
        let _ = out.write_all(b"\n");
        let _ = out.flush();
    }
    code
}

/// What an agent's hook input asks: the tool, the shell command (if the tool runs one), the
/// file it names (if any) and its cwd.
struct HookCall {
    tool: String,
    command: Option<String>,
    path: Option<String>,
    cwd: Option<String>,
}

/// Read an agent's pre-tool-use JSON. `Err` for input that is not the agent's JSON.
fn parse_hook(kind: HookKind, text: &str) -> Result<HookCall, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("hook input is not JSON ({e})"))?;
    let obj = v
        .as_object()
        .ok_or_else(|| "hook input is not a JSON object".to_string())?;
    let cwd = obj.get("cwd").and_then(|c| c.as_str()).map(str::to_string);
    let tool = obj.get("tool_name").and_then(|t| t.as_str()).unwrap_or("");
    let shell_tool = match kind {
        HookKind::ClaudeCode => tool == "Bash",
        HookKind::Codex => matches!(
            tool,
            "Bash" | "shell" | "local_shell" | "exec_command" | "container.exec"
        ),
        HookKind::Gemini => matches!(tool, "run_shell_command" | "shell"),
    };
    let input = obj.get("tool_input").and_then(|i| i.as_object());
    if !shell_tool {
        let path = input
            .and_then(|i| {
                ["file_path", "path", "absolute_path", "notebook_path"]
                    .iter()
                    .find_map(|k| i.get(*k).and_then(|p| p.as_str()))
            })
            .map(str::to_string);
        return Ok(HookCall {
            tool: tool.to_string(),
            command: None,
            path,
            cwd,
        });
    }
    let command = match input.and_then(|i| i.get("command")) {
        Some(serde_json::Value::String(s)) => s.clone(),
        // Codex's shell tool passes argv; a shell's `-c`/`-lc` script is the command, any other
        // argv is quoted back into one command line
        Some(serde_json::Value::Array(items)) => {
            let argv: Option<Vec<&str>> = items.iter().map(|i| i.as_str()).collect();
            let argv =
                argv.ok_or_else(|| "tool_input.command has a non-string item".to_string())?;
            argv_to_command(&argv)
        }
        _ => return Err(format!("tool {tool} without a string tool_input.command")),
    };
    Ok(HookCall {
        tool: tool.to_string(),
        command: Some(command),
        path: None,
        cwd,
    })
}

fn argv_to_command(argv: &[&str]) -> String {
    if let [shell, flag, script] = argv
        && matches!(
            *shell,
            "bash" | "sh" | "zsh" | "/bin/bash" | "/bin/sh" | "/bin/zsh"
        )
        && matches!(*flag, "-c" | "-lc")
    {
        return script.to_string();
    }
    argv.iter()
        .map(|a| {
            if !a.is_empty()
                && a.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_./=:@%+,".contains(c))
            {
                a.to_string()
            } else {
                format!("'{}'", a.replace('\'', "'\\''"))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The agent-protocol answer for a decision; `None` when the command is allowed (the agent's
/// own permission rules then apply: the guard never auto-approves).
fn hook_answer(kind: HookKind, decision: &Decision) -> Option<serde_json::Value> {
    if decision.is_allowed() {
        return None;
    }
    let mut reason = format!("strive guard [{}]: {}", decision.rule, decision.reason);
    if let Some(alt) = &decision.alternative {
        reason.push_str(&format!(" (instead: {alt})"));
    }
    Some(match kind {
        HookKind::ClaudeCode | HookKind::Codex => serde_json::json!({
            "hookSpecificOutput": {
                "hookEventName": "PreToolUse",
                "permissionDecision": "deny",
                "permissionDecisionReason": reason,
            }
        }),
        HookKind::Gemini => serde_json::json!({
            "decision": "deny",
            "reason": reason,
        }),
    })
}

/// `--hook KIND`: one pre-tool-use call on stdin, the answer on stdout, exit 0 (the protocol
/// carries the decision). Unreadable input is denied. Under a Strive run (`STRIVE_HOOK_SPOOL`
/// set) every decision is also appended to the run's spool as one JSON line; a decision that
/// cannot be recorded is a deny (an unaudited call does not run).
fn hook(guard: &Guard, kind: HookKind, args: &Args) -> i32 {
    let mut buf = Vec::new();
    let mut call = HookCall {
        tool: String::new(),
        command: None,
        path: None,
        cwd: None,
    };
    let decision = match std::io::stdin().lock().read_to_end(&mut buf) {
        Err(e) => Some(Decision::invalid_input(format!(
            "cannot read the hook input: {e}"
        ))),
        Ok(_) => match std::str::from_utf8(&buf) {
            Err(_) => Some(Decision::invalid_input("the hook input is not valid UTF-8")),
            Ok(text) => match parse_hook(kind, text) {
                Err(e) => Some(Decision::invalid_input(e)),
                Ok(parsed) => {
                    call = parsed;
                    call.command.as_ref().map(|command| {
                        let ctx = match (&call.cwd, args.no_context) {
                            (Some(cwd), false) if cwd.starts_with('/') => {
                                context_for(Path::new(cwd), args.worktree.as_deref(), args.stage)
                            }
                            (_, false) if args.cwd.is_some() => base_context(args),
                            _ => Context::default(),
                        };
                        guard.check_in(command, &ctx)
                    })
                }
            },
        },
    };
    let mut decision = decision;
    if let Some(spool) = std::env::var_os(strive_makers::agent_cli::HOOK_SPOOL_ENV) {
        let record = spool_record(kind, &call, decision.as_ref());
        if let Err(e) = append_record(Path::new(&spool), &record) {
            decision = Some(Decision::invalid_input(format!(
                "this tool call could not be recorded in the Strive run's audit spool ({e}); \
                 a call the run cannot audit is not allowed"
            )));
        }
    }
    if let Some(answer) = decision.as_ref().and_then(|d| hook_answer(kind, d)) {
        print_json(&answer);
    }
    exit::OK
}

/// The spool line for one hook call (`None`: not a shell tool, not judged).
fn spool_record(
    kind: HookKind,
    call: &HookCall,
    decision: Option<&Decision>,
) -> strive_makers::agent_cli::HookRecord {
    use strive_makers::agent_cli::{HookRecord, HookVerdict};
    let hook = match kind {
        HookKind::ClaudeCode => "claude-code",
        HookKind::Codex => "codex",
        HookKind::Gemini => "gemini",
    };
    let (verdict, rule, reason, alternative) = match decision {
        None => (HookVerdict::NotJudged, None, None, None),
        Some(d) if d.is_allowed() => (HookVerdict::Allow, None, None, None),
        Some(d) => (
            HookVerdict::Deny,
            Some(d.rule.clone()),
            Some(d.reason.clone()),
            d.alternative.clone(),
        ),
    };
    HookRecord {
        hook: hook.into(),
        tool: if call.tool.is_empty() {
            "(unreadable hook input)".into()
        } else {
            call.tool.clone()
        },
        command: call.command.clone(),
        path: call.path.clone(),
        verdict,
        rule,
        reason,
        alternative,
    }
}

/// Appends one JSON line in a single write (the file is opened for appending, so concurrent
/// hooks do not interleave within a line). Refuses anything but an existing regular file.
fn append_record(
    path: &Path,
    record: &strive_makers::agent_cli::HookRecord,
) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !file.metadata()?.file_type().is_file() {
        return Err(std::io::Error::other("the spool is not a regular file"));
    }
    file.write_all(&line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_block_with_input_invalid() {
        let g = Guard::default();
        for raw in [
            &b"not json"[..],
            b"",
            b"{\"cmd\":\"ls\"}",
            b"{\"command\":5}",
            b"\xff\xfe",
        ] {
            let d = decide_line(&g, &Context::default(), StageArg::Work, raw, 1);
            assert_eq!(d.rule, "input.invalid", "{raw:?}");
            assert!(!d.is_allowed());
        }
        assert!(
            decide_line(
                &g,
                &Context::default(),
                StageArg::Work,
                b"{\"command\":\"ls\"}\r",
                1
            )
            .is_allowed()
        );
    }
}
