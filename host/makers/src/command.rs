//! The command maker: a configured shell command that proposes a change in the worktree.
//!
//! Guarantees: the command runs only through the worktree's guard, inside the worktree, with a
//! timeout (its process group is killed) and a scrubbed environment. It receives the request as
//! JSON on standard input (`system` with the data-marking paragraph, the raw `task`, `files`,
//! `reflections`, `output_schema`, the rendered `prompt` with its untrusted parts marked, and the
//! marker's `data_tag`). A non-zero exit or a timeout is an error, never an answer.
//!
//! Its standard output may hold a JSON answer (`{"files": …}` or `{"patch": …}`), which is
//! returned for the caller to apply; otherwise the command is taken to have edited the worktree
//! itself ([`Answer::EditedInPlace`]). An object that has `files` or `patch` but the wrong shape,
//! or output that mentions `"files"` / `"patch"` without a valid object, is an error. Command makers use no tokens: usage is zero and the budget is not consulted.

use serde_json::json;
use strive_worktree::{Exit, RunLimits};

use crate::budget::Usage;
use crate::extract::{Answer, ExtractError, extract_answer};
use crate::request::{MakeContext, MakeRequest, MakeResponse};
use crate::{Maker, MakerError};

/// A shell command as a maker.
#[derive(Debug, Clone)]
pub struct CommandMaker {
    command: String,
    limits: RunLimits,
}

impl CommandMaker {
    pub fn new(command: impl Into<String>, limits: RunLimits) -> Self {
        Self {
            command: command.into(),
            limits,
        }
    }

    pub fn command(&self) -> &str {
        &self.command
    }
}

impl Maker for CommandMaker {
    fn describe(&self) -> String {
        format!("command `{}`", self.command)
    }

    fn make(
        &self,
        request: &MakeRequest,
        ctx: &MakeContext<'_>,
    ) -> Result<MakeResponse, MakerError> {
        let worktree = ctx.worktree.ok_or(MakerError::NoWorktree)?;
        let prompt = request.render()?;
        let input = json!({
            "system": prompt.system,
            "task": request.task,
            "files": request.files.iter().map(|f| json!({"path": f.path, "content": f.content})).collect::<Vec<_>>(),
            "reflections": request.reflections,
            "output_schema": request.output_schema,
            "prompt": prompt.user,
            "data_tag": prompt.tag,
        })
        .to_string();
        let out = worktree.run_with(&self.command, self.limits, Some(input.as_bytes()))?;
        match out.exit {
            Exit::Code(0) => {}
            Exit::TimedOut => return Err(MakerError::CommandTimedOut(self.limits.timeout)),
            Exit::Code(c) => {
                return Err(MakerError::CommandFailed {
                    exit: format!("exit code {c}"),
                    tail: out.tail_lines(8),
                });
            }
            Exit::Signal(s) => {
                return Err(MakerError::CommandFailed {
                    exit: format!("killed by signal {s}"),
                    tail: out.tail_lines(8),
                });
            }
        }
        let answer = match extract_answer(&out.stdout) {
            Ok(answer) => answer,
            Err(ExtractError::Empty | ExtractError::NoAnswerObject)
                if !mentions_answer(&out.stdout) =>
            {
                Answer::EditedInPlace
            }
            Err(ExtractError::Empty | ExtractError::NoAnswerObject) => {
                return Err(MakerError::NoAnswer {
                    model: self.describe(),
                    usage: Usage::default(),
                    truncated: out.truncated,
                    source: ExtractError::Malformed(
                        "stdout mentions \"files\" or \"patch\" but holds no valid answer object"
                            .into(),
                    ),
                });
            }
            Err(source) => {
                return Err(MakerError::NoAnswer {
                    model: self.describe(),
                    usage: Usage::default(),
                    truncated: out.truncated,
                    source,
                });
            }
        };
        Ok(MakeResponse {
            answer,
            usage: Usage::default(),
            model: self.describe(),
        })
    }
}

/// Output that names an answer key was meant as an answer: broken JSON there is an error, not
/// "edited in place".
fn mentions_answer(stdout: &str) -> bool {
    stdout.contains("\"files\"") || stdout.contains("\"patch\"")
}
