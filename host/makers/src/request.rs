//! What a maker is asked and what it answers.

use serde_json::{Value, json};
use strive_worktree::{FileText, PathError, Worktree, WorktreeError};

use crate::budget::{BudgetGate, Usage};
use crate::extract::Answer;

/// The instructions every LLM maker gets unless the caller gives its own.
pub const DEFAULT_SYSTEM_PROMPT: &str = "\
You are the implementer in an assisted-fix loop. A test command decides whether your change is \
accepted; you cannot argue with it. Make the smallest change that completes the task. Never \
delete or skip tests, weaken assertions, add skip markers, or edit the test harness, CI or \
build configuration to make tests pass. Reply with one JSON object only: either \
{\"files\": [{\"path\": \"<relative path>\", \"content\": \"<complete new file content>\"}]} \
(preferred; complete contents, not fragments) or {\"patch\": \"<unified diff>\"}.";

/// The JSON Schema of an answer: `files` (complete contents) or `patch` (a unified diff).
pub fn answer_schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "path": {"type": "string"},
                        "content": {"type": "string"}
                    },
                    "required": ["path", "content"],
                    "additionalProperties": false
                }
            },
            "patch": {"type": "string", "description": "a unified diff against the current files"}
        },
        "additionalProperties": false
    })
}

/// One request to a maker. The caller has already injection-scanned every untrusted part.
#[derive(Debug, Clone, PartialEq)]
pub struct MakeRequest {
    pub system: String,
    pub task: String,
    /// Current files (see `Worktree::snapshot`).
    pub files: Vec<FileText>,
    /// Why earlier attempts failed, oldest first (Reflexion).
    pub reflections: Vec<String>,
    /// JSON Schema the answer must match.
    pub output_schema: Value,
}

impl MakeRequest {
    /// A request with the default system prompt and answer schema.
    pub fn new(task: impl Into<String>) -> Self {
        Self {
            system: DEFAULT_SYSTEM_PROMPT.to_owned(),
            task: task.into(),
            files: Vec::new(),
            reflections: Vec::new(),
            output_schema: answer_schema(),
        }
    }

    pub fn with_files(mut self, files: Vec<FileText>) -> Self {
        self.files = files;
        self
    }

    pub fn with_reflections(mut self, reflections: Vec<String>) -> Self {
        self.reflections = reflections;
        self
    }

    /// The user message: `TASK:`, `CURRENT FILES:` as `--- path ---` blocks, the reflections
    /// when there are any, and the schema.
    pub fn user_prompt(&self) -> String {
        let mut out = format!("TASK:\n{}\n\nCURRENT FILES:\n", self.task.trim_end());
        if self.files.is_empty() {
            out.push_str("(none)\n");
        }
        for f in &self.files {
            out.push_str(&format!("--- {} ---\n{}", f.path, f.content));
            if !f.content.ends_with('\n') {
                out.push('\n');
            }
        }
        if !self.reflections.is_empty() {
            out.push_str("\nPRIOR ATTEMPTS FAILED — reflections:\n");
            for r in &self.reflections {
                out.push_str(&format!("- {}\n", r.trim_end()));
            }
        }
        out.push_str("\nRespond with one JSON object only, matching this JSON Schema:\n");
        out.push_str(&self.output_schema.to_string());
        out.push('\n');
        out
    }

    /// Characters of system prompt plus user message (the basis of the token estimate).
    pub fn prompt_chars(&self) -> usize {
        self.system.chars().count() + self.user_prompt().chars().count()
    }
}

/// A maker's answer and what it cost.
#[derive(Debug, Clone, PartialEq)]
pub struct MakeResponse {
    pub answer: Answer,
    pub usage: Usage,
    /// The model (or command) that answered.
    pub model: String,
}

impl Answer {
    /// Applies the answer to `worktree`: writes files (all paths checked before the first
    /// write), applies the patch, or does nothing for [`Answer::EditedInPlace`].
    pub fn apply(&self, worktree: &Worktree) -> Result<(), WorktreeError> {
        match self {
            Answer::Files(files) => worktree
                .write_files(files)
                .map_err(|e: PathError| WorktreeError::Path(e)),
            Answer::Patch(patch) => worktree.apply_patch(patch),
            Answer::EditedInPlace => Ok(()),
        }
    }
}

/// What a call may use: the budget always, the attempt's worktree for command makers.
#[derive(Clone, Copy)]
pub struct MakeContext<'a> {
    pub budget: &'a dyn BudgetGate,
    pub worktree: Option<&'a Worktree>,
    /// When the run's wall clock ends: a maker's whole call — every attempt, backoff and
    /// `Retry-After` wait — ends by then ([`MakerError::DeadlineExceeded`]). `None`: no cap
    /// beyond the maker's own timeouts.
    pub deadline: Option<std::time::Instant>,
}
