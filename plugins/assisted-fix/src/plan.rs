//! The pure part of assisted-fix: reading the spec, writing the prompt, turning a test failure
//! into a reflection, reading the host's answer and comparing samples. No host calls, so it is
//! tested natively.

use serde_json::Value;

/// Lines of failing test output carried into the next attempt (the earlier tool's 8).
pub const REFLECTION_TAIL_LINES: usize = 8;
/// Characters of one reflection line kept (long lines are cut, so output cannot crowd out the task).
pub const REFLECTION_LINE_CHARS: usize = 400;

/// The loop.json fields this kind reads (the host validated the spec already).
#[derive(Debug, Clone, PartialEq)]
pub struct FixConfig {
    pub id: String,
    pub task: String,
    pub test_command: String,
    pub base_ref: String,
    /// Self-consistency: independent proposals per attempt; they must agree (1 = off).
    pub samples: u32,
    /// Timeout of one test run in milliseconds (0 = the host's default).
    pub test_timeout_ms: u32,
    /// `maker.mode` and the agent-mode settings.
    pub agent: crate::agent::AgentSettings,
}

/// Reads the spec. Errors say which field to fix.
pub fn config(config_json: &str) -> Result<FixConfig, String> {
    let spec: Value =
        serde_json::from_str(config_json).map_err(|e| format!("loop spec is not JSON: {e}"))?;
    let text = |key: &str| -> Result<String, String> {
        spec.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .ok_or_else(|| {
                format!("`{key}` is required for assisted-fix and must be a non-empty string")
            })
    };
    // Kind-specific settings may sit at the top level or under `config`.
    let setting = |key: &str| {
        spec.get(key)
            .or_else(|| spec.get("config").and_then(|c| c.get(key)))
    };
    let samples = match setting("consistency").and_then(|c| c.get("samples")) {
        None | Some(Value::Null) => 1,
        Some(v) => {
            v.as_u64()
                .filter(|n| (1..=16).contains(n))
                .ok_or("consistency.samples must be an integer from 1 to 16")? as u32
        }
    };
    let test_timeout_ms = match setting("test_timeout_secs") {
        None | Some(Value::Null) => 0,
        Some(v) => v
            .as_u64()
            .filter(|s| *s >= 1)
            .map(|s| s.saturating_mul(1000).min(u64::from(u32::MAX)) as u32)
            .ok_or("test_timeout_secs must be a positive integer")?,
    };
    Ok(FixConfig {
        id: spec
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("loop")
            .to_string(),
        task: text("task")?,
        test_command: text("test_command")?,
        base_ref: spec
            .get("target")
            .and_then(|t| t.get("base_ref"))
            .and_then(Value::as_str)
            .unwrap_or("main")
            .to_string(),
        samples,
        test_timeout_ms,
        agent: crate::agent::settings(&spec)?,
    })
}

/// The task, then what earlier attempts taught (Reflexion), oldest first.
pub fn prompt(task: &str, reflections: &[String]) -> String {
    let mut out = task.trim_end().to_string();
    if !reflections.is_empty() {
        out.push_str("\n\nPRIOR ATTEMPTS FAILED — reflections:\n");
        for r in reflections {
            out.push_str("- ");
            out.push_str(r.trim_end());
            out.push('\n');
        }
        out.push_str("Do not repeat a failed approach.");
    }
    out
}

/// `attempt N: tests failed (exit C): <last lines of output>`.
pub fn test_reflection(attempt: u32, exit: &str, stdout: &str, stderr: &str) -> String {
    let combined = format!("{stdout}\n{stderr}");
    let lines: Vec<&str> = combined.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail: Vec<String> = lines[lines.len().saturating_sub(REFLECTION_TAIL_LINES)..]
        .iter()
        .map(|l| cut(l.trim_end(), REFLECTION_LINE_CHARS))
        .collect();
    if tail.is_empty() {
        format!("attempt {attempt}: tests failed ({exit}) with no output")
    } else {
        format!(
            "attempt {attempt}: tests failed ({exit}):\n  {}",
            tail.join("\n  ")
        )
    }
}

fn cut(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// One file of a maker's answer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileEdit {
    pub path: String,
    pub content: String,
}

/// What the host's maker answered (its canonical JSON).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Proposal {
    /// Complete files to write through the worktree (sorted by path).
    Files(Vec<FileEdit>),
    /// The host already changed the worktree (a patch, or a command maker).
    EditedInPlace,
}

/// Reads the host's canonical answer; anything else is an error, never an empty proposal.
pub fn proposal(text: &str) -> Result<Proposal, String> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| format!("the host's maker answer is not JSON: {e}"))?;
    if value.get("edited_in_place").and_then(Value::as_bool) == Some(true) {
        return Ok(Proposal::EditedInPlace);
    }
    let files = value
        .get("files")
        .and_then(Value::as_array)
        .ok_or("the maker answer has neither `files` nor `edited_in_place`")?;
    let mut edits = Vec::with_capacity(files.len());
    for f in files {
        let path = f.get("path").and_then(Value::as_str);
        let content = f.get("content").and_then(Value::as_str);
        match (path, content) {
            (Some(p), Some(c)) => edits.push(FileEdit {
                path: p.to_string(),
                content: c.to_string(),
            }),
            _ => {
                return Err("a file in the maker answer lacks a string `path` or `content`".into());
            }
        }
    }
    edits.sort();
    Ok(Proposal::Files(edits))
}

/// Self-consistency: `Ok(first)` when every sample proposes the same change, else a note
/// saying how many distinct proposals there were.
pub fn agree(samples: Vec<Proposal>) -> Result<Proposal, String> {
    let n = samples.len();
    let mut distinct: Vec<&Proposal> = Vec::new();
    for s in &samples {
        if !distinct.contains(&s) {
            distinct.push(s);
        }
    }
    match (distinct.len(), samples.into_iter().next()) {
        (1, Some(first)) => Ok(first),
        (_, None) => Err("no samples".into()),
        (k, _) => Err(format!(
            "self-consistency: {n} independent proposals disagree ({k} distinct) — escalating to a human"
        )),
    }
}

/// The commit message of a proposal.
pub fn commit_message(id: &str, task: &str) -> String {
    let first = task.lines().find(|l| !l.trim().is_empty()).unwrap_or("fix");
    format!(
        "loop({id}): {}\n\nProposed by assisted-fix.",
        cut(first.trim(), 72)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_reads_earlier_fields_and_defaults() {
        let c = config(
            r#"{"id":"fix","task":"Fix add","test_command":"sh test.sh","target":{"repo":"."}}"#,
        )
        .unwrap();
        assert_eq!(
            (c.base_ref.as_str(), c.samples, c.test_timeout_ms),
            ("main", 1, 0)
        );
        let c = config(r#"{"task":"t","test_command":"x","consistency":{"samples":3},"test_timeout_secs":5,"target":{"base_ref":"dev"}}"#).unwrap();
        assert_eq!(
            (c.base_ref.as_str(), c.samples, c.test_timeout_ms),
            ("dev", 3, 5000)
        );
        let c = config(r#"{"task":"t","test_command":"x","config":{"consistency":{"samples":3},"test_timeout_secs":5},"target":{"base_ref":"dev"}}"#).unwrap();
        assert_eq!(
            (c.base_ref.as_str(), c.samples, c.test_timeout_ms),
            ("dev", 3, 5000)
        );
        assert!(
            config(r#"{"test_command":"x"}"#)
                .unwrap_err()
                .contains("`task`")
        );
        assert!(config(r#"{"task":"t","test_command":"x","consistency":{"samples":0}}"#).is_err());
        assert!(config("not json").is_err());
    }

    #[test]
    fn prompt_carries_reflections_oldest_first() {
        assert_eq!(prompt("Fix it.\n", &[]), "Fix it.");
        let p = prompt("Fix it.", &["attempt 1: a".into(), "attempt 2: b".into()]);
        let (one, two) = (p.find("attempt 1").unwrap(), p.find("attempt 2").unwrap());
        assert!(p.contains("PRIOR ATTEMPTS FAILED") && one < two);
    }

    #[test]
    fn reflections_keep_the_tail_of_the_output() {
        let out: String = (1..=20).map(|i| format!("line {i}\n")).collect();
        let r = test_reflection(2, "exit 1", &out, "E   assert 0 == 4\n");
        assert!(r.starts_with("attempt 2: tests failed (exit 1):"));
        assert!(
            r.contains("E   assert 0 == 4") && r.contains("line 20") && !r.contains("line 12\n")
        );
        assert_eq!(
            test_reflection(1, "timed out", "", ""),
            "attempt 1: tests failed (timed out) with no output"
        );
        let long = "x".repeat(5000);
        assert!(test_reflection(1, "exit 1", &long, "").len() < 600);
    }

    #[test]
    fn proposals_parse_strictly_and_compare_by_content() {
        let a = proposal(r#"{"files":[{"path":"b","content":"2"},{"path":"a","content":"1"}]}"#)
            .unwrap();
        let b = proposal(r#"{"files":[{"path":"a","content":"1"},{"path":"b","content":"2"}]}"#)
            .unwrap();
        assert_eq!(a, b);
        assert_eq!(
            proposal(r#"{"edited_in_place":true}"#).unwrap(),
            Proposal::EditedInPlace
        );
        assert!(proposal(r#"{"files":[{"path":"a"}]}"#).is_err());
        assert!(proposal(r#"{"answer":1}"#).is_err());
        assert!(proposal("").is_err());
        assert_eq!(agree(vec![a.clone(), b]).unwrap(), a);
        let c = proposal(r#"{"files":[{"path":"a","content":"other"}]}"#).unwrap();
        assert!(
            agree(vec![a.clone(), c, a])
                .unwrap_err()
                .contains("3 independent proposals disagree (2 distinct)")
        );
    }

    #[test]
    fn parsers_never_panic_on_arbitrary_text() {
        // Dependency-free property check: every prefix and byte-flip of a few seeds.
        let seeds = [
            r#"{"files":[{"path":"a","content":"1"}],"edited_in_place":false}"#,
            r#"{"id":"x","task":"t","test_command":"c","consistency":{"samples":2}}"#,
        ];
        for seed in seeds {
            for end in 0..=seed.len() {
                let s = &seed[..end];
                let _ = proposal(s);
                let _ = config(s);
            }
            for i in 0..seed.len() {
                let mut bytes = seed.as_bytes().to_vec();
                bytes[i] ^= 0x5a;
                let s = String::from_utf8_lossy(&bytes);
                let _ = proposal(&s);
                let _ = config(&s);
            }
        }
    }

    #[test]
    fn commit_messages_name_the_loop_and_task() {
        assert_eq!(
            commit_message("fix", "\nMake add add.\nMore."),
            "loop(fix): Make add add.\n\nProposed by assisted-fix."
        );
    }
}
