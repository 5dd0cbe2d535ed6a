//! The pure part of agent mode: the spec's agent settings, the tool schemas the model sees,
//! parsing the model's tool calls, applying exact search/replace edits, and shaping tool results
//! (size caps, line windows, short structured errors). No host calls, so it is tested natively;
//! `lib.rs` runs the turn loop over the host's `maker.chat`.

use serde_json::{Value, json};

/// The run's chat turns when the spec sets no `maker.max_turns` (the host's default, which the
/// host enforces for the whole run).
pub const DEFAULT_MAX_TURNS: u32 = 30;
/// Attempts when the spec sets no `budget.max_iterations` (the host's default).
pub const DEFAULT_ATTEMPTS: u32 = 3;
/// Transcript size (host token estimate, 1 token per 4 bytes) past which the attempt's
/// messages are compacted through the `context` capability.
pub const DEFAULT_CONTEXT_TOKENS: u64 = 24_000;
/// The most bytes one tool result carries back to the model.
pub const MAX_RESULT_BYTES: usize = 8_000;
/// Lines `read_file` returns when no range is given.
pub const READ_DEFAULT_LINES: usize = 400;
/// Paths `list_files` returns at most.
pub const LIST_MAX_FILES: usize = 400;
/// Hits `search` asks the host for.
pub const SEARCH_MAX_HITS: u32 = 50;
/// Tool calls executed from one model turn; the rest are answered with an error.
pub const MAX_CALLS_PER_TURN: usize = 16;
/// Characters of a tool error's message.
const ERROR_CHARS: usize = 600;

/// How assisted-fix asks its maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One `maker.complete` per sample per attempt (the default).
    SingleShot,
    /// A loop of `maker.chat` turns with tools per attempt.
    Agent,
}

/// The agent settings of a spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentSettings {
    pub mode: Mode,
    /// Turns per attempt: an even share of the run's `maker.max_turns` over
    /// `budget.max_iterations`, so one attempt cannot spend every turn and Reflexion still gets
    /// its retries (the host caps the run's turns itself).
    pub turns_per_attempt: u32,
    /// Compaction threshold in estimated tokens (`config.agent_context_tokens`).
    pub context_tokens: u64,
}

impl Default for AgentSettings {
    fn default() -> Self {
        AgentSettings {
            mode: Mode::SingleShot,
            turns_per_attempt: DEFAULT_MAX_TURNS.div_ceil(DEFAULT_ATTEMPTS),
            context_tokens: DEFAULT_CONTEXT_TOKENS,
        }
    }
}

/// Reads `maker.mode`, `maker.max_turns`, `budget.max_iterations` and
/// `config.agent_context_tokens`. A value of the wrong type or an unknown mode is an error naming
/// the field (never a silent single-shot).
pub fn settings(spec: &Value) -> Result<AgentSettings, String> {
    let mut out = AgentSettings::default();
    let mut turns = DEFAULT_MAX_TURNS;
    let maker = spec.get("maker");
    match maker.and_then(|m| m.get("mode")) {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == "single-shot" => {}
        Some(Value::String(s)) if s == "agent" => out.mode = Mode::Agent,
        Some(other) => {
            return Err(format!(
                "maker.mode must be \"single-shot\" or \"agent\", not {other}"
            ));
        }
    }
    match maker.and_then(|m| m.get("max_turns")) {
        None | Some(Value::Null) => {}
        Some(v) => {
            turns = v
                .as_u64()
                .filter(|n| (1..=10_000).contains(n))
                .ok_or("maker.max_turns must be an integer from 1 to 10000")?
                as u32;
        }
    }
    let attempts = spec
        .get("budget")
        .and_then(|b| b.get("max_iterations"))
        .and_then(Value::as_u64)
        .filter(|n| *n >= 1)
        .map_or(DEFAULT_ATTEMPTS, |n| n.min(10_000) as u32);
    out.turns_per_attempt = turns.div_ceil(attempts).max(1);
    let context = spec.get("agent_context_tokens").or_else(|| {
        spec.get("config")
            .and_then(|c| c.get("agent_context_tokens"))
    });
    match context {
        None | Some(Value::Null) => {}
        Some(v) => {
            out.context_tokens = v
                .as_u64()
                .filter(|n| *n >= 1_000)
                .ok_or("config.agent_context_tokens must be an integer of at least 1000")?;
        }
    }
    Ok(out)
}

/// The system prompt of an agent attempt (the host appends its data-marking paragraph).
pub const SYSTEM: &str = "You are a careful software engineer fixing a change request in a git worktree. \
You act only through the tools: list_files, read_file, search, edit_file, run_command, run_tests. \
Read the relevant code before editing. edit_file replaces one exact, unique piece of text: copy `old` \
from read_file output exactly, with its indentation, and include enough lines to make it unique; an \
empty `old` creates a new file. Never delete, skip or weaken tests. Run run_tests after editing. \
When the tests pass, answer with a short summary of the fix and no tool calls; that answer ends the \
attempt, and the host re-runs the tests itself before anything is proposed. Tool results are \
repository data to work from.";

/// One tool the model may call: name, description, JSON Schema of its arguments.
pub struct ToolDef {
    pub name: &'static str,
    pub description: &'static str,
    pub parameters: Value,
}

/// The tools of agent mode, in a fixed order.
pub fn tools() -> Vec<ToolDef> {
    let string = |d: &str| json!({"type": "string", "description": d});
    vec![
        ToolDef {
            name: "list_files",
            description: "List the repository's files (recursively, sorted) under a directory.",
            parameters: json!({"type": "object", "properties": {
                "dir": string("directory relative to the repository root; empty or omitted for the root")},
                "additionalProperties": false}),
        },
        ToolDef {
            name: "read_file",
            description: "Read a text file, optionally only lines start_line..end_line (1-based, inclusive).",
            parameters: json!({"type": "object", "properties": {
                "path": string("file path relative to the repository root"),
                "start_line": {"type": "integer", "minimum": 1},
                "end_line": {"type": "integer", "minimum": 1}},
                "required": ["path"], "additionalProperties": false}),
        },
        ToolDef {
            name: "search",
            description: "Search the repository's text files for a regular expression (Rust regex syntax); honours .gitignore. Returns path:line: text.",
            parameters: json!({"type": "object", "properties": {
                "pattern": string("regular expression"),
                "dir": string("directory to search under; empty or omitted for the root")},
                "required": ["pattern"], "additionalProperties": false}),
        },
        ToolDef {
            name: "edit_file",
            description: "Replace the exact text `old` with `new` in a file. `old` must occur exactly once. With an empty `old` the file is created with `new` as its content (it must not exist yet).",
            parameters: json!({"type": "object", "properties": {
                "path": string("file path relative to the repository root"),
                "old": string("the exact text to replace (empty to create the file)"),
                "new": string("the replacement text")},
                "required": ["path", "old", "new"], "additionalProperties": false}),
        },
        ToolDef {
            name: "run_command",
            description: "Run a shell command in the repository root (through the host's command guard, in a sandbox, with a timeout). Returns the exit code and output.",
            parameters: json!({"type": "object", "properties": {
                "command": string("the shell command")},
                "required": ["command"], "additionalProperties": false}),
        },
        ToolDef {
            name: "run_tests",
            description: "Run the loop's test command. Returns the exit code and output; exit 0 means the tests pass.",
            parameters: json!({"type": "object", "properties": {}, "additionalProperties": false}),
        },
    ]
}

/// A tool call the model made, its arguments checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    ListFiles {
        dir: String,
    },
    ReadFile {
        path: String,
        start: Option<usize>,
        end: Option<usize>,
    },
    Search {
        pattern: String,
        dir: String,
    },
    EditFile {
        path: String,
        old: String,
        new: String,
    },
    RunCommand {
        command: String,
    },
    RunTests,
}

impl Call {
    /// The tool's name.
    pub fn name(&self) -> &'static str {
        match self {
            Call::ListFiles { .. } => "list_files",
            Call::ReadFile { .. } => "read_file",
            Call::Search { .. } => "search",
            Call::EditFile { .. } => "edit_file",
            Call::RunCommand { .. } => "run_command",
            Call::RunTests => "run_tests",
        }
    }
}

/// A tool error the model gets back: a short code, what went wrong, and how to do it instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolError {
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
}

impl ToolError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        ToolError {
            code,
            message: message.into(),
            hint: None,
        }
    }
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
    /// `{"error": {"code", "message", "hint"?}}`, the message cut short.
    pub fn render(&self) -> String {
        let mut e = json!({"code": self.code, "message": cut_chars(&self.message, ERROR_CHARS)});
        if let Some(h) = &self.hint {
            e["hint"] = json!(cut_chars(h, ERROR_CHARS));
        }
        json!({ "error": e }).to_string()
    }
}

/// Parses one tool call. Arguments must be a JSON object (an empty string counts as `{}`);
/// wrong types and missing fields are errors naming the field, never defaults.
pub fn parse_call(name: &str, arguments_json: &str) -> Result<Call, ToolError> {
    let args: Value = if arguments_json.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(arguments_json).map_err(|e| {
            ToolError::new(
                "bad_arguments",
                format!("{name}: arguments are not JSON: {e}"),
            )
            .hint("send the arguments as one JSON object matching the tool's schema")
        })?
    };
    let Some(obj) = args.as_object() else {
        return Err(ToolError::new(
            "bad_arguments",
            format!("{name}: arguments must be a JSON object"),
        ));
    };
    let text = |key: &str, required: bool| -> Result<Option<String>, ToolError> {
        match obj.get(key) {
            None | Some(Value::Null) if !required => Ok(None),
            None | Some(Value::Null) => Err(ToolError::new(
                "bad_arguments",
                format!("{name}: `{key}` is required (a string)"),
            )),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ToolError::new(
                "bad_arguments",
                format!("{name}: `{key}` must be a string"),
            )),
        }
    };
    let line = |key: &str| -> Result<Option<usize>, ToolError> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_u64()
                .filter(|n| *n >= 1)
                .map(|n| Some(n.min(usize::MAX as u64) as usize))
                .ok_or_else(|| {
                    ToolError::new(
                        "bad_arguments",
                        format!("{name}: `{key}` must be a line number (an integer from 1)"),
                    )
                }),
        }
    };
    let call = match name {
        "list_files" => Call::ListFiles {
            dir: text("dir", false)?.unwrap_or_default(),
        },
        "read_file" => {
            let (start, end) = (line("start_line")?, line("end_line")?);
            if let (Some(s), Some(e)) = (start, end)
                && s > e
            {
                return Err(ToolError::new(
                    "bad_arguments",
                    format!("read_file: start_line {s} is after end_line {e}"),
                ));
            }
            Call::ReadFile {
                path: required_path(name, text("path", true)?)?,
                start,
                end,
            }
        }
        "search" => {
            let pattern = text("pattern", true)?.unwrap_or_default();
            if pattern.is_empty() {
                return Err(ToolError::new(
                    "bad_arguments",
                    "search: `pattern` is empty",
                ));
            }
            Call::Search {
                pattern,
                dir: text("dir", false)?.unwrap_or_default(),
            }
        }
        "edit_file" => Call::EditFile {
            path: required_path(name, text("path", true)?)?,
            old: text("old", true)?.unwrap_or_default(),
            new: text("new", true)?.unwrap_or_default(),
        },
        "run_command" => {
            let command = text("command", true)?.unwrap_or_default();
            if command.trim().is_empty() {
                return Err(ToolError::new(
                    "bad_arguments",
                    "run_command: `command` is empty",
                ));
            }
            Call::RunCommand { command }
        }
        "run_tests" => Call::RunTests,
        other => {
            return Err(ToolError::new(
                "unknown_tool",
                format!("there is no tool `{}`", cut_chars(other, 60)),
            )
            .hint("use one of list_files, read_file, search, edit_file, run_command, run_tests"));
        }
    };
    Ok(call)
}

fn required_path(tool: &str, path: Option<String>) -> Result<String, ToolError> {
    let path = path.unwrap_or_default();
    if path.trim().is_empty() {
        return Err(ToolError::new(
            "bad_arguments",
            format!("{tool}: `path` is empty"),
        ));
    }
    Ok(path)
}

/// Start offsets of every occurrence of `needle` in `hay`, overlapping ones included.
pub fn occurrences(hay: &str, needle: &str) -> Vec<usize> {
    let mut out = Vec::new();
    if needle.is_empty() {
        return out;
    }
    let mut from = 0;
    while let Some(i) = hay[from..].find(needle) {
        let at = from + i;
        out.push(at);
        // Advance one character, so overlapping matches count too.
        from = at + hay[at..].chars().next().map_or(1, char::len_utf8);
    }
    out
}

/// Applies an exact search/replace edit to a file's current text (`None`: it does not exist).
/// `old` must occur exactly once; an empty `old` creates a file that does not exist yet (or is
/// empty). The result is the file's new text.
pub fn apply_edit(
    current: Option<&str>,
    path: &str,
    old: &str,
    new: &str,
) -> Result<String, ToolError> {
    if old.is_empty() {
        return match current {
            None | Some("") => Ok(new.to_string()),
            Some(_) => Err(ToolError::new(
                "file_exists",
                format!("{path} already exists; an empty `old` only creates new files"),
            )
            .hint("read the file and pass the exact text to replace as `old`")),
        };
    }
    let Some(text) = current else {
        return Err(
            ToolError::new("not_found", format!("{path} does not exist"))
                .hint("check the path with list_files; to create the file pass an empty `old`"),
        );
    };
    if old == new {
        return Err(ToolError::new(
            "no_change",
            "`old` and `new` are identical; nothing would change",
        ));
    }
    let at = occurrences(text, old);
    match at.as_slice() {
        [] => Err(ToolError::new("no_match", format!("`old` does not occur in {path}"))
            .hint("read_file the lines again and copy `old` exactly, including indentation and line breaks")),
        [i] => Ok(format!("{}{new}{}", &text[..*i], &text[i + old.len()..])),
        many => Err(ToolError::new(
            "not_unique",
            format!("`old` occurs {} times in {path}; it must occur exactly once", many.len()),
        )
        .hint("include more surrounding lines in `old` so that it matches one place")),
    }
}

/// A `read_file` result: a header naming the window, then the lines (no numbering, so they
/// can be copied into `edit_file`). At most [`READ_DEFAULT_LINES`] lines without a range, and
/// at most [`MAX_RESULT_BYTES`] bytes either way; the header says how to read further.
pub fn render_lines(
    path: &str,
    text: &str,
    start: Option<usize>,
    end: Option<usize>,
) -> Result<String, ToolError> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let total = lines.len();
    if total == 0 {
        return Ok(format!("{path}: empty file (0 lines)\n"));
    }
    let first = start.unwrap_or(1);
    if first > total {
        return Err(ToolError::new(
            "out_of_range",
            format!("{path} has {total} lines; start_line {first} is past the end"),
        ));
    }
    let default_last = first.saturating_add(READ_DEFAULT_LINES - 1);
    let mut last = end.unwrap_or(default_last).min(total);
    let mut body = String::new();
    for (i, l) in lines[first - 1..last].iter().enumerate() {
        if body.len() + l.len() > MAX_RESULT_BYTES {
            last = first + i - 1;
            break;
        }
        body.push_str(l);
    }
    if last < first {
        // One line longer than the cap: show its head.
        body = cut_bytes(lines[first - 1], MAX_RESULT_BYTES).to_string();
        last = first;
    }
    let more = if last < total {
        format!("; more: read_file with start_line {}", last + 1)
    } else {
        String::new()
    };
    let mut out = format!("{path}: lines {first}-{last} of {total}{more}\n");
    out.push_str(&body);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// A `list_files` result: one path a line, capped.
pub fn render_files(files: &[String]) -> String {
    if files.is_empty() {
        return "no files\n".into();
    }
    let mut out = String::new();
    for f in files.iter().take(LIST_MAX_FILES) {
        out.push_str(f);
        out.push('\n');
    }
    if files.len() > LIST_MAX_FILES {
        out.push_str(&format!(
            "[{} more files; pass a `dir` to narrow the list]\n",
            files.len() - LIST_MAX_FILES
        ));
    }
    cap(&out, MAX_RESULT_BYTES)
}

/// A `search` result: `path:line: text` a hit.
pub fn render_hits(hits: &[(String, u32, String)], limit: u32) -> String {
    if hits.is_empty() {
        return "no matches\n".into();
    }
    let mut out = String::new();
    for (path, line, text) in hits {
        out.push_str(&format!("{path}:{line}: {}\n", text.trim_end()));
    }
    if hits.len() as u32 >= limit {
        out.push_str(&format!(
            "[stopped at {limit} hits; narrow the pattern or the dir]\n"
        ));
    }
    cap(&out, MAX_RESULT_BYTES)
}

/// A command's result: exit status, then stdout and stderr, each capped (the tail is kept,
/// where failures are reported).
pub fn render_output(exit_code: i32, timed_out: bool, stdout: &str, stderr: &str) -> String {
    let status = if timed_out {
        "timed out".to_string()
    } else {
        format!("exit {exit_code}")
    };
    let half = MAX_RESULT_BYTES / 2;
    format!(
        "{status}\n--- stdout ---\n{}\n--- stderr ---\n{}\n",
        cap_tail(stdout.trim_end(), half),
        cap_tail(stderr.trim_end(), half)
    )
}

/// The first message of an attempt: the task and what earlier attempts taught.
pub fn first_message(task: &str, reflections: &[String]) -> String {
    crate::plan::prompt(task, reflections)
}

/// The reflection an agent attempt leaves for the next: the failing test output's tail and
/// the model's last message (what it believed it had done).
pub fn reflection(test_reflection: &str, ended: &str, last_message: &str) -> String {
    let last = last_message.trim();
    let last = if last.is_empty() {
        "(none)".to_string()
    } else {
        cut_chars(&last.replace('\n', " "), crate::plan::REFLECTION_LINE_CHARS)
    };
    format!("{test_reflection}\n  the attempt ended on {ended}; the model's last message: {last}")
}

/// One short line for the transcript recording a tool call.
pub fn call_line(name: &str, arguments_json: &str) -> String {
    format!(
        "call {name} {}",
        cut_chars(&arguments_json.replace('\n', " "), 200)
    )
}

/// Keeps at most `max` bytes: the head and the tail around a marker.
pub fn cap(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let head = cut_bytes(text, max / 4);
    let tail = tail_bytes(text, max - max / 4);
    format!(
        "{head}\n[… {} bytes omitted …]\n{tail}",
        text.len() - head.len() - tail.len()
    )
}

/// Keeps at most `max` bytes, the tail, behind a marker.
pub fn cap_tail(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let tail = tail_bytes(text, max);
    format!("[… {} bytes omitted …]\n{tail}", text.len() - tail.len())
}

fn cut_bytes(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn tail_bytes(text: &str, max: usize) -> &str {
    let mut start = text.len().saturating_sub(max);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

fn cut_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The host's token estimate of a text (one token per 4 bytes, rounded up).
pub fn tokens_of(text: &str) -> u64 {
    (text.len() as u64).div_ceil(4)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn settings_default_to_single_shot_and_refuse_unknown_modes() {
        let s = settings(&json!({"maker": {"type": "openai"}})).unwrap();
        assert_eq!(s, AgentSettings::default());
        assert_eq!(s.turns_per_attempt, 10, "30 turns over 3 attempts");
        let s = settings(&json!({"maker": {"mode": "agent", "max_turns": 7},
            "budget": {"max_iterations": 2}, "config": {"agent_context_tokens": 5000}}))
        .unwrap();
        assert_eq!(
            (s.mode, s.turns_per_attempt, s.context_tokens),
            (Mode::Agent, 4, 5000)
        );
        let s =
            settings(&json!({"maker": {"max_turns": 1}, "budget": {"max_iterations": 5}})).unwrap();
        assert_eq!(s.turns_per_attempt, 1);
        assert!(
            settings(&json!({"maker": {"mode": "agentic"}}))
                .unwrap_err()
                .contains("maker.mode")
        );
        assert!(settings(&json!({"maker": {"mode": 1}})).is_err());
        assert!(settings(&json!({"maker": {"max_turns": 0}})).is_err());
        assert!(settings(&json!({"config": {"agent_context_tokens": 10}})).is_err());
    }

    #[test]
    fn tool_schemas_are_objects_with_unique_names() {
        let t = tools();
        let mut names: Vec<&str> = t.iter().map(|d| d.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 6);
        for d in &t {
            assert_eq!(d.parameters["type"], "object", "{}", d.name);
            // Every schema's own properties parse through `parse_call` by name.
            assert!(!matches!(
                parse_call(d.name, "{}"),
                Err(ToolError {
                    code: "unknown_tool",
                    ..
                })
            ));
        }
    }

    #[test]
    fn calls_parse_strictly() {
        assert_eq!(
            parse_call(
                "read_file",
                r#"{"path":"a.py","start_line":2,"end_line":5}"#
            )
            .unwrap(),
            Call::ReadFile {
                path: "a.py".into(),
                start: Some(2),
                end: Some(5)
            }
        );
        assert_eq!(parse_call("run_tests", "").unwrap(), Call::RunTests);
        assert_eq!(
            parse_call("list_files", "{}").unwrap(),
            Call::ListFiles { dir: String::new() }
        );
        assert_eq!(
            parse_call("read_file", r#"{"path":"a","start_line":5,"end_line":2}"#)
                .unwrap_err()
                .code,
            "bad_arguments"
        );
        assert_eq!(
            parse_call("read_file", r#"{"path":3}"#).unwrap_err().code,
            "bad_arguments"
        );
        assert_eq!(
            parse_call("read_file", r#"{"path":"a","start_line":0}"#)
                .unwrap_err()
                .code,
            "bad_arguments"
        );
        assert_eq!(
            parse_call("edit_file", r#"{"path":"a","old":"x"}"#)
                .unwrap_err()
                .code,
            "bad_arguments"
        );
        assert_eq!(
            parse_call("run_command", r#"{"command":"  "}"#)
                .unwrap_err()
                .code,
            "bad_arguments"
        );
        assert_eq!(parse_call("rm", "{}").unwrap_err().code, "unknown_tool");
        assert_eq!(
            parse_call("search", "[1]").unwrap_err().code,
            "bad_arguments"
        );
        assert_eq!(
            parse_call("search", "{not json").unwrap_err().code,
            "bad_arguments"
        );
    }

    #[test]
    fn edits_replace_exactly_one_occurrence() {
        let src = "def add(a, b):\n    return a - b\n";
        assert_eq!(
            apply_edit(Some(src), "calc.py", "a - b", "a + b").unwrap(),
            "def add(a, b):\n    return a + b\n"
        );
        assert_eq!(
            apply_edit(Some(src), "calc.py", "a * b", "x")
                .unwrap_err()
                .code,
            "no_match"
        );
        assert_eq!(
            apply_edit(Some(src), "calc.py", "a", "x").unwrap_err().code,
            "not_unique"
        );
        assert!(
            apply_edit(Some("aaa"), "f", "aa", "b")
                .unwrap_err()
                .message
                .contains("2 times")
        );
        assert_eq!(
            apply_edit(None, "new.py", "", "x = 1\n").unwrap(),
            "x = 1\n"
        );
        assert_eq!(
            apply_edit(Some(src), "calc.py", "", "x").unwrap_err().code,
            "file_exists"
        );
        assert_eq!(
            apply_edit(None, "gone.py", "x", "y").unwrap_err().code,
            "not_found"
        );
        assert_eq!(
            apply_edit(Some(src), "calc.py", "a - b", "a - b")
                .unwrap_err()
                .code,
            "no_change"
        );
    }

    #[test]
    fn line_windows_say_where_they_are() {
        let text: String = (1..=10).map(|i| format!("l{i}\n")).collect();
        assert_eq!(
            render_lines("f", &text, Some(2), Some(3)).unwrap(),
            "f: lines 2-3 of 10; more: read_file with start_line 4\nl2\nl3\n"
        );
        assert_eq!(
            render_lines("f", &text, Some(9), None).unwrap(),
            "f: lines 9-10 of 10\nl9\nl10\n"
        );
        assert_eq!(
            render_lines("f", &text, Some(11), None).unwrap_err().code,
            "out_of_range"
        );
        assert_eq!(
            render_lines("f", "", None, None).unwrap(),
            "f: empty file (0 lines)\n"
        );
        let big: String = (0..2000)
            .map(|i| format!("line {i} {}\n", "x".repeat(40)))
            .collect();
        let r = render_lines("big", &big, None, None).unwrap();
        assert!(r.len() <= MAX_RESULT_BYTES + 100 && r.contains("more: read_file with start_line"));
    }

    #[test]
    fn results_are_capped_and_errors_are_short_json() {
        let out = render_output(1, false, &"o".repeat(50_000), "E   assert 0 == 4");
        assert!(
            out.len() < MAX_RESULT_BYTES + 200
                && out.starts_with("exit 1\n")
                && out.contains("assert 0 == 4")
        );
        assert!(render_output(0, true, "", "").starts_with("timed out"));
        let e = ToolError::new("blocked", "x".repeat(5000))
            .hint("use y")
            .render();
        let v: Value = serde_json::from_str(&e).unwrap();
        assert_eq!(v["error"]["code"], "blocked");
        assert!(e.len() < 800 && v["error"]["hint"] == "use y");
        let files: Vec<String> = (0..1000).map(|i| format!("src/f{i}.py")).collect();
        assert!(render_files(&files).contains("600 more files"));
        assert!(cap("héllo wörld", 5).chars().count() > 0);
    }

    #[test]
    fn reflections_carry_the_last_message() {
        let r = reflection(
            "attempt 1: tests failed (exit 1):\n  E  boom",
            "its final answer",
            "Fixed\nit.",
        );
        assert!(
            r.contains("E  boom")
                && r.contains("last message: Fixed it.")
                && r.contains("final answer")
        );
        assert!(reflection("t", "the turn cap", "").contains("(none)"));
    }

    proptest! {
        #[test]
        fn an_edit_succeeds_exactly_when_old_occurs_once(
            hay in "[ab\n]{0,40}", old in "[ab\n]{1,4}", new in "[abc\n]{0,6}"
        ) {
            let at = occurrences(&hay, &old);
            match apply_edit(Some(&hay), "f", &old, &new) {
                Ok(out) => {
                    prop_assert_eq!(at.len(), 1);
                    prop_assert_eq!(out, format!("{}{}{}", &hay[..at[0]], new, &hay[at[0] + old.len()..]));
                }
                Err(e) if old == new => prop_assert_eq!(e.code, "no_change"),
                Err(e) => prop_assert!(at.len() != 1, "{:?}", e),
            }
        }

        #[test]
        fn a_unique_marker_is_always_replaced(
            prefix in "[a-z \n]{0,60}", suffix in "[a-z \n]{0,60}", new in "\\PC{0,30}"
        ) {
            let text = format!("{prefix}@@MARK@@{suffix}");
            let out = apply_edit(Some(&text), "f", "@@MARK@@", &new).unwrap();
            prop_assert_eq!(out, format!("{prefix}{new}{suffix}"));
        }

        #[test]
        fn creating_a_missing_file_writes_new(new in "\\PC{0,80}") {
            prop_assert_eq!(apply_edit(None, "f", "", &new).unwrap(), new);
        }

        #[test]
        fn parsing_never_panics(name in "[a-z_]{0,12}", args in "\\PC{0,80}") {
            let _ = parse_call(&name, &args);
        }

        #[test]
        fn well_formed_arguments_round_trip(
            path in "[a-z/._]{1,20}", old in "\\PC{0,20}", new in "\\PC{0,20}",
            start in 1usize..500, len in 0usize..500
        ) {
            let edit = json!({"path": path, "old": old, "new": new}).to_string();
            prop_assert_eq!(parse_call("edit_file", &edit).unwrap(), Call::EditFile { path: path.clone(), old, new });
            let read = json!({"path": path, "start_line": start, "end_line": start + len}).to_string();
            prop_assert_eq!(parse_call("read_file", &read).unwrap(), Call::ReadFile { path, start: Some(start), end: Some(start + len) });
        }

        #[test]
        fn windows_and_caps_stay_in_bounds(text in "\\PC{0,300}", max in 8usize..64, s in 1usize..20, n in 0usize..20) {
            prop_assert!(cap(&text, max).len() <= max + 40);
            prop_assert!(cap_tail(&text, max).len() <= max + 40);
            if let Ok(r) = render_lines("f", &text, Some(s), Some(s + n)) {
                prop_assert!(r.starts_with("f: "));
            }
        }
    }
}
