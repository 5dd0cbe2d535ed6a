//! Finding the answer in a model's text.
//!
//! Guarantees: never panics on any input; returns an [`Answer`] only when a JSON object with a
//! well-formed `files` array or `patch` string is found; an object that has one of those keys but
//! the wrong shape, or both keys, is an error — never a silently partial answer.
//!
//! Mechanics, in order of preference: `<think>…</think>` blocks are removed (an unclosed
//! `<think>` runs to the end; a stray `</think>` ends a block that began at the start); then
//! fenced blocks (```` ```json ```` or bare ```` ``` ````) are tried, then the whole text, then every
//! `{` from left to right is handed to serde_json, which reads one complete value (strings and
//! escapes included) and ignores what follows. Objects without `files` or `patch` are skipped.
//! If the text outside the reasoning holds no answer, the reasoning itself is searched last.

use serde_json::{Map, Value};
use strive_worktree::FileText;
use thiserror::Error;

/// What a maker proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Complete contents of files to write (the earlier tool's `{"files": [{path, content}]}`).
    Files(Vec<FileText>),
    /// A unified diff (`{"patch": "..."}`).
    Patch(String),
    /// The maker edited the worktree itself (command makers only); stage and diff to see what.
    EditedInPlace,
}

/// Why no answer could be taken from a text.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("the answer is empty")]
    Empty,
    #[error("no JSON object with `files` or `patch` found in the answer")]
    NoAnswerObject,
    #[error("the answer object is malformed: {0}")]
    Malformed(String),
    #[error("the answer object has both `files` and `patch`: give exactly one")]
    Ambiguous,
}

/// Extracts the maker's answer from free text.
pub fn extract_answer(text: &str) -> Result<Answer, ExtractError> {
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let (outside, reasoning) = split_think(text);
    match first_answer(&outside) {
        Err(ExtractError::NoAnswerObject) if !reasoning.is_empty() => first_answer(&reasoning),
        other => other,
    }
}

/// The first JSON object in `text` (same search order as [`extract_answer`], any keys).
pub fn extract_json_object(text: &str) -> Option<Map<String, Value>> {
    let (outside, reasoning) = split_think(text);
    objects(&outside).chain(objects(&reasoning)).next()
}

fn first_answer(text: &str) -> Result<Answer, ExtractError> {
    for object in objects(text) {
        if let Some(answer) = answer_of(&object) {
            return answer;
        }
    }
    Err(ExtractError::NoAnswerObject)
}

/// `None` when the object is not meant as an answer (neither key present).
fn answer_of(object: &Map<String, Value>) -> Option<Result<Answer, ExtractError>> {
    match (object.get("files"), object.get("patch")) {
        (None, None) => None,
        (Some(_), Some(_)) => Some(Err(ExtractError::Ambiguous)),
        (None, Some(Value::String(p))) => Some(Ok(Answer::Patch(p.clone()))),
        (None, Some(_)) => Some(Err(ExtractError::Malformed(
            "`patch` must be a string".into(),
        ))),
        (Some(files), None) => Some(files_of(files)),
    }
}

fn files_of(files: &Value) -> Result<Answer, ExtractError> {
    let Value::Array(items) = files else {
        return Err(ExtractError::Malformed("`files` must be an array".into()));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let field = |name: &str| {
            item.get(name).and_then(Value::as_str).ok_or_else(|| {
                ExtractError::Malformed(format!("files[{i}].{name} must be a string"))
            })
        };
        out.push(FileText {
            path: field("path")?.to_owned(),
            content: field("content")?.to_owned(),
        });
    }
    Ok(Answer::Files(out))
}

/// Splits `text` into what lies outside `<think>` blocks and what lies inside them.
fn split_think(text: &str) -> (String, String) {
    const OPEN: &str = "<think>";
    const CLOSE: &str = "</think>";
    let mut outside = String::new();
    let mut inside = String::new();
    let mut rest = text;
    // A reasoning model may omit the opening tag: everything before a leading `</think>` is
    // reasoning when no `<think>` precedes it.
    if let Some(close) = rest.find(CLOSE)
        && !rest[..close].contains(OPEN)
    {
        inside.push_str(&rest[..close]);
        rest = &rest[close + CLOSE.len()..];
    }
    while let Some(open) = rest.find(OPEN) {
        outside.push_str(&rest[..open]);
        let after = &rest[open + OPEN.len()..];
        match after.find(CLOSE) {
            Some(close) => {
                inside.push_str(&after[..close]);
                inside.push('\n');
                rest = &after[close + CLOSE.len()..];
            }
            None => {
                inside.push_str(after);
                rest = "";
            }
        }
    }
    outside.push_str(rest);
    (outside, inside)
}

/// JSON objects in preference order: fenced blocks, the whole text, then each `{` in turn.
fn objects(text: &str) -> impl Iterator<Item = Map<String, Value>> + '_ {
    let fenced: Vec<&str> = fences(text).collect();
    let fenced_objects = fenced
        .into_iter()
        .flat_map(|body| whole(body).into_iter().chain(scan(body)));
    fenced_objects.chain(whole(text)).chain(scan(text))
}

fn whole(text: &str) -> Option<Map<String, Value>> {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// Every object that starts at a `{` of `text`, left to right.
fn scan(text: &str) -> impl Iterator<Item = Map<String, Value>> + '_ {
    text.match_indices('{').filter_map(move |(i, _)| {
        let mut values = serde_json::Deserializer::from_str(&text[i..]).into_iter::<Value>();
        match values.next() {
            Some(Ok(Value::Object(m))) => Some(m),
            _ => None,
        }
    })
}

/// Bodies of ``` fenced blocks; the info string (e.g. `json`) is skipped. An unclosed fence
/// runs to the end of the text.
fn fences(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let open = rest.find("```")?;
        let after = &rest[open + 3..];
        let body_start = after.find('\n').map_or(after.len(), |n| n + 1);
        let body = &after[body_start..];
        match body.find("```") {
            Some(close) => {
                rest = &body[close + 3..];
                Some(&body[..close])
            }
            None => {
                rest = "";
                Some(body)
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn files(pairs: &[(&str, &str)]) -> Answer {
        Answer::Files(
            pairs
                .iter()
                .map(|(p, c)| FileText {
                    path: (*p).into(),
                    content: (*c).into(),
                })
                .collect(),
        )
    }

    #[test]
    fn table() {
        let ok: &[(&str, Answer)] = &[
            (
                r#"{"files":[{"path":"a.py","content":"x = 1\n"}]}"#,
                files(&[("a.py", "x = 1\n")]),
            ),
            (
                "Here you go:\n```json\n{\"files\": [{\"path\": \"a\", \"content\": \"}{\\\"\"}]}\n```\nDone.",
                files(&[("a", "}{\"")]),
            ),
            (
                "<think>maybe {\"files\": []} or not</think>\n{\"patch\": \"--- a/x\\n+++ b/x\\n\"}",
                Answer::Patch("--- a/x\n+++ b/x\n".into()),
            ),
            (
                "reasoning without an opening tag {\"files\": 1}</think>{\"files\": []}",
                files(&[]),
            ),
            (
                "<think>only reasoning {\"patch\": \"p\"}",
                Answer::Patch("p".into()),
            ),
            (
                "Example: {\"note\": \"not it\"} then {\"files\": [{\"path\": \"b\", \"content\": \"\"}]} trailing }",
                files(&[("b", "")]),
            ),
            ("```\n{\"patch\": \"d\"}", Answer::Patch("d".into())),
            (
                "fn main() { } and {\"patch\": \"{ \\\"x\\\" }\"}",
                Answer::Patch("{ \"x\" }".into()),
            ),
        ];
        for (text, want) in ok {
            assert_eq!(&extract_answer(text).unwrap(), want, "{text}");
        }
        let bad: &[(&str, ExtractError)] = &[
            ("", ExtractError::Empty),
            ("  \n", ExtractError::Empty),
            ("I could not do it.", ExtractError::NoAnswerObject),
            ("{\"unrelated\": 1}", ExtractError::NoAnswerObject),
            (
                "{\"files\": [{\"path\": \"a\"}]}",
                ExtractError::Malformed("files[0].content must be a string".into()),
            ),
            (
                "{\"files\": \"a\"}",
                ExtractError::Malformed("`files` must be an array".into()),
            ),
            (
                "{\"patch\": 3}",
                ExtractError::Malformed("`patch` must be a string".into()),
            ),
            ("{\"files\": [], \"patch\": \"\"}", ExtractError::Ambiguous),
            (
                "{\"files\": [{\"path\": \"a\", \"content\": \"unterminated",
                ExtractError::NoAnswerObject,
            ),
        ];
        for (text, want) in bad {
            assert_eq!(&extract_answer(text).unwrap_err(), want, "{text}");
        }
    }

    #[test]
    fn first_object_of_any_shape() {
        let m = extract_json_object("x {\"verdict\": \"approve\"} y").unwrap();
        assert_eq!(m["verdict"], "approve");
        assert!(extract_json_object("no json").is_none());
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            let _ = extract_answer(&s);
            let _ = extract_json_object(&s);
        }

        #[test]
        fn never_panics_on_json_like_noise(s in "[{}\\[\\]\":,a-z\\\\` \n<>/]{0,200}") {
            let _ = extract_answer(&s);
        }

        #[test]
        fn recovers_an_answer_wrapped_in_prose_fences_and_reasoning(
            path in "[a-z/]{1,20}",
            content in "\\PC{0,80}",
            prose in "[A-Za-z .,\n]{0,80}",
            thought in "[A-Za-z {}\":,]{0,80}",
            fenced in any::<bool>(),
        ) {
            let object = serde_json::json!({"files": [{"path": path, "content": content}]}).to_string();
            let body = if fenced { format!("```json\n{object}\n```") } else { object };
            let text = format!("<think>{thought}</think>{prose}\n{body}\n{prose}");
            prop_assert_eq!(extract_answer(&text).unwrap(), Answer::Files(vec![FileText { path, content }]));
        }
    }
}
