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
//! - The agent calls its provider itself: its tokens are not metered by the host's budget (they
//!   are charged as zero); the run's wall clock and the maker's `timeout_secs` bound it.

use std::path::{Path, PathBuf};

use strive_worktree::{AgentGrant, Exit, Network, RunLimits, Worktree};

use crate::budget::Usage;
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
    },
    Preset {
        name: "codex",
        program: "codex",
        args: &["exec", "--full-auto", PROMPT_PLACEHOLDER],
        key_env: Some("OPENAI_API_KEY"),
        hooks: HookStyle::None,
    },
    Preset {
        name: "gemini",
        program: "gemini",
        args: &["--yolo", "-p", PROMPT_PLACEHOLDER],
        key_env: Some("GEMINI_API_KEY"),
        hooks: HookStyle::Gemini,
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

    fn run(&self, worktree: &Worktree, prompt: &str) -> Result<(), MakerError> {
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
        let out = worktree.run_agent(&guard_line, &argv, &grant, self.limits)?;
        match out.exit {
            Exit::Code(0) => Ok(()),
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
        maker.run(worktree, &prompt)?;
        Ok(MakeResponse {
            answer: Answer::EditedInPlace,
            usage: Usage::default(),
            model: self.describe(),
        })
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

    proptest! {
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
