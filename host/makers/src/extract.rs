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
//!
//! An object with both `files` and `patch` (small models under plain JSON mode often send both)
//! is accepted only by [`extract_answer_in`], and only when the two agree: applying the patch to
//! the snapshot the model was shown gives exactly the listed files, and every file the patch
//! touches is listed. The answer is then the files. Anything else — a patch that does not apply,
//! touches a file outside the snapshot, deletes or renames a file, or disagrees by one byte — is
//! [`ExtractError::Ambiguous`], as is every such object without a snapshot.

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

/// Extracts the maker's answer from free text. An object with both `files` and `patch` is
/// [`ExtractError::Ambiguous`] (see [`extract_answer_in`]).
pub fn extract_answer(text: &str) -> Result<Answer, ExtractError> {
    extract(text, None)
}

/// Extracts the maker's answer from free text, given the files the model was shown: an object
/// with both `files` and `patch` is accepted (as the files) when the two agree (see the module
/// docs).
pub fn extract_answer_in(text: &str, snapshot: &[FileText]) -> Result<Answer, ExtractError> {
    extract(text, Some(snapshot))
}

fn extract(text: &str, snapshot: Option<&[FileText]>) -> Result<Answer, ExtractError> {
    if text.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let (outside, reasoning) = split_think(text);
    match first_answer(&outside, snapshot) {
        Err(ExtractError::NoAnswerObject) if !reasoning.is_empty() => {
            first_answer(&reasoning, snapshot)
        }
        other => other,
    }
}

/// The first JSON object in `text` (same search order as [`extract_answer`], any keys).
pub fn extract_json_object(text: &str) -> Option<Map<String, Value>> {
    let (outside, reasoning) = split_think(text);
    objects(&outside).chain(objects(&reasoning)).next()
}

fn first_answer(text: &str, snapshot: Option<&[FileText]>) -> Result<Answer, ExtractError> {
    for object in objects(text) {
        if let Some(answer) = answer_of(&object, snapshot) {
            return answer;
        }
    }
    Err(ExtractError::NoAnswerObject)
}

/// `None` when the object is not meant as an answer (neither key present).
fn answer_of(
    object: &Map<String, Value>,
    snapshot: Option<&[FileText]>,
) -> Option<Result<Answer, ExtractError>> {
    match (object.get("files"), object.get("patch")) {
        (None, None) => None,
        (Some(files), Some(Value::String(patch))) => Some(match (snapshot, files_of(files)) {
            (Some(snapshot), Ok(Answer::Files(files))) if forms_agree(&files, patch, snapshot) => {
                Ok(Answer::Files(files))
            }
            _ => Err(ExtractError::Ambiguous),
        }),
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

/// True when applying `patch` to `snapshot` gives exactly `files` for every path either names.
fn forms_agree(files: &[FileText], patch: &str, snapshot: &[FileText]) -> bool {
    let Ok(parsed) = strive_core::patch::Patch::parse(patch) else {
        return false;
    };
    if parsed.is_empty() {
        return false;
    }
    let original = |path: &str| {
        snapshot
            .iter()
            .find(|f| f.path == path)
            .map(|f| f.content.as_str())
    };
    let mut patched: Vec<(String, String)> = Vec::new();
    for fp in &parsed.files {
        use strive_core::patch::FileStatus;
        let before = match (fp.status, fp.old_path.as_deref(), fp.new_path.as_deref()) {
            (FileStatus::Added, _, Some(new)) if original(new).is_none() => "",
            (FileStatus::Modified, Some(old), Some(new)) if old == new => match original(old) {
                Some(text) => text,
                None => return false,
            },
            // Deletions, renames, copies and type changes have no `files` form.
            _ => return false,
        };
        let path = fp.path().to_owned();
        if fp.binary || fp.mode_changed() || patched.iter().any(|(p, _)| *p == path) {
            return false;
        }
        match apply_hunks(before, &fp.hunks) {
            Some(after) => patched.push((path, after)),
            None => return false,
        }
    }
    // Every patched file is listed with the patched content; every other listed file is
    // unchanged from the snapshot.
    patched
        .iter()
        .all(|(p, after)| files.iter().any(|f| f.path == *p && f.content == *after))
        && files.iter().all(|f| {
            let listed_once = files.iter().filter(|g| g.path == f.path).count() == 1;
            listed_once
                && match patched.iter().find(|(p, _)| *p == f.path) {
                    Some((_, after)) => *after == f.content,
                    None => original(&f.path) == Some(f.content.as_str()),
                }
        })
}

/// `before` with `hunks` applied at their stated lines (context and removed lines must match
/// exactly); `None` when they do not apply. Added lines end with `\n`.
fn apply_hunks(before: &str, hunks: &[strive_core::patch::Hunk<'_>]) -> Option<String> {
    use strive_core::patch::LineKind;
    let lines: Vec<&str> = before.split_inclusive('\n').collect();
    let bare = |l: &str| {
        let l = l.strip_suffix('\n').unwrap_or(l);
        l.strip_suffix('\r').unwrap_or(l).to_owned()
    };
    let mut out = String::with_capacity(before.len());
    let mut next = 0usize; // index of the next original line to copy
    for h in hunks {
        // A hunk that removes nothing inserts after line `old_start`; otherwise it starts at it.
        let start = if h.old_lines == 0 {
            h.old_start as usize
        } else {
            (h.old_start as usize).checked_sub(1)?
        };
        if start < next || start > lines.len() {
            return None;
        }
        for l in &lines[next..start] {
            out.push_str(l);
        }
        next = start;
        for line in &h.lines {
            match line.kind {
                LineKind::Context | LineKind::Removed => {
                    let original = lines.get(next)?;
                    if bare(original) != line.text.as_ref() {
                        return None;
                    }
                    if line.kind == LineKind::Context {
                        out.push_str(original);
                    }
                    next += 1;
                }
                LineKind::Added => {
                    out.push_str(&line.text);
                    out.push('\n');
                }
            }
        }
    }
    for l in &lines[next..] {
        out.push_str(l);
    }
    Some(out)
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
    use serde_json::json;

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

    fn snap(pairs: &[(&str, &str)]) -> Vec<FileText> {
        pairs
            .iter()
            .map(|(p, c)| FileText {
                path: (*p).into(),
                content: (*c).into(),
            })
            .collect()
    }

    #[test]
    fn both_forms_are_accepted_only_when_they_agree() {
        let snapshot = snap(&[
            ("calc.py", "def add(a, b):\n    return a - b\n"),
            ("README.md", "calc\n"),
        ]);
        let patch = "--- a/calc.py\n+++ b/calc.py\n@@ -1,2 +1,2 @@\n def add(a, b):\n-    return a - b\n+    return a + b\n";
        let fixed = "def add(a, b):\n    return a + b\n";
        let both = |content: &str, extra: &[(&str, &str)]| {
            let mut files = vec![json!({"path": "calc.py", "content": content})];
            files.extend(extra.iter().map(|(p, c)| json!({"path": p, "content": c})));
            json!({"files": files, "patch": patch}).to_string()
        };
        assert_eq!(
            extract_answer_in(&both(fixed, &[]), &snapshot).unwrap(),
            files(&[("calc.py", fixed)])
        );
        // An unchanged file listed beside the patched one agrees too.
        assert_eq!(
            extract_answer_in(&both(fixed, &[("README.md", "calc\n")]), &snapshot).unwrap(),
            files(&[("calc.py", fixed), ("README.md", "calc\n")])
        );
        let refused: &[(String, &[FileText])] = &[
            // Without a snapshot nothing can be checked.
            (both(fixed, &[]), &[]),
            // One byte apart.
            (both("def add(a, b):\n    return a + b \n", &[]), &snapshot),
            // A listed file the patch does not explain.
            (both(fixed, &[("README.md", "changed\n")]), &snapshot),
            // The patch does not apply to what the model was shown.
            (
                both(fixed, &[]),
                &snap(&[("calc.py", "def add(a, b):\n    return b - a\n")]),
            ),
            // The patch touches a file that is not listed.
            (json!({"files": [], "patch": patch}).to_string(), &snapshot),
            // Not a diff.
            (
                json!({"files": [{"path": "calc.py", "content": fixed}], "patch": "nonsense"})
                    .to_string(),
                &snapshot,
            ),
        ];
        for (text, snapshot) in refused {
            assert_eq!(
                extract_answer_in(text, snapshot),
                Err(ExtractError::Ambiguous),
                "{text}"
            );
        }
        // A new file through both forms.
        let add = "--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+one\n+two\n";
        let text = json!({"files": [{"path": "new.txt", "content": "one\ntwo\n"}], "patch": add})
            .to_string();
        assert_eq!(
            extract_answer_in(&text, &snapshot).unwrap(),
            files(&[("new.txt", "one\ntwo\n")])
        );
        // A deletion has no `files` form.
        let del = "--- a/README.md\n+++ /dev/null\n@@ -1 +0,0 @@\n-calc\n";
        let text = json!({"files": [], "patch": del}).to_string();
        assert_eq!(
            extract_answer_in(&text, &snapshot),
            Err(ExtractError::Ambiguous)
        );
    }

    #[test]
    fn first_object_of_any_shape() {
        let m = extract_json_object("x {\"verdict\": \"approve\"} y").unwrap();
        assert_eq!(m["verdict"], "approve");
        assert!(extract_json_object("no json").is_none());
    }

    /// A one-hunk diff replacing line `at` (0-based) of `lines` with `new`.
    fn one_hunk(path: &str, lines: &[String], at: usize, new: &[String]) -> String {
        let mut d = format!(
            "--- a/{path}\n+++ b/{path}\n@@ -{},1 +{},{} @@\n",
            at + 1,
            at + 1,
            new.len()
        );
        d.push_str(&format!("-{}\n", lines[at]));
        for n in new {
            d.push_str(&format!("+{n}\n"));
        }
        d
    }

    proptest! {
        /// Whatever the file and the edit, agreeing forms are accepted as the files and a
        /// one-character disagreement is refused as ambiguous.
        #[test]
        fn agreeing_forms_are_accepted_and_disagreeing_ones_refused(
            lines in proptest::collection::vec("[a-z =()+]{0,12}", 1..12),
            at in 0usize..12,
            new in proptest::collection::vec("[a-z =()+]{0,12}", 0..3),
            flip in any::<bool>(),
        ) {
            let at = at % lines.len();
            let before: String = lines.iter().map(|l| format!("{l}\n")).collect();
            let mut after_lines = lines.clone();
            after_lines.splice(at..=at, new.iter().cloned());
            let after: String = after_lines.iter().map(|l| format!("{l}\n")).collect();
            let patch = one_hunk("m.py", &lines, at, &new);
            let snapshot = snap(&[("m.py", &before)]);
            let claimed = if flip { format!("{after}x") } else { after.clone() };
            let text = json!({"files": [{"path": "m.py", "content": claimed}], "patch": patch}).to_string();
            let got = extract_answer_in(&text, &snapshot);
            if flip {
                prop_assert_eq!(got, Err(ExtractError::Ambiguous));
            } else {
                prop_assert_eq!(got, Ok(files(&[("m.py", &after)])));
            }
            prop_assert_eq!(extract_answer(&text), Err(ExtractError::Ambiguous));
        }

        #[test]
        fn both_forms_of_any_shape_never_panic(
            patch in "(--- a/a\n\\+\\+\\+ b/a\n)?(@@ -[0-3](,[0-3])? \\+[0-3](,[0-3])? @@\n)?([-+ \\\\][a-z ]{0,6}\n){0,6}",
            content in "\\PC{0,40}",
            base in "\\PC{0,40}",
        ) {
            let text = json!({"files": [{"path": "a", "content": content}], "patch": patch}).to_string();
            let _ = extract_answer_in(&text, &snap(&[("a", &base)]));
        }

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
