//! The unified-diff model shared by the integrity scan and the merge gate: a diff is parsed
//! once, here, and both consumers read the same [`Patch`].
//!
//! Guarantees:
//! - **Fail closed.** Text that is not a diff, a hunk whose line counts do not add up, a header
//!   libgit2 rejects, or a plain `diff -r` listing with files present on one side only (`Only
//!   in …`) is a [`PatchError`], never an empty patch. Only input that is empty or whitespace is
//!   an empty patch (and [`Patch::is_empty`] says so).
//! - **Every changed path is visible.** Deletions (`+++ /dev/null`), new files, renames and
//!   copies (both sides), binary files (`Binary files … differ` and `GIT binary patch`), mode
//!   changes and header-only entries (no hunks) each produce a [`FilePatch`].
//! - **Line numbers are real.** Every hunk line carries its old and/or new line number.
//!
//! Mechanics: git-style diffs (`git diff`, `git show`, `git format-patch`) go straight to
//! libgit2's patch parser (`git_diff_from_buffer` via [`git2::Diff::from_buffer`]), which
//! handles quoted and escaped paths, rename/copy/mode headers and binary patches. libgit2 does
//! not accept plain `diff -u` output (no `diff --git` line), so such input is first given
//! equivalent git headers by [`plain_to_git`], which walks hunks by their line counts (a removed
//! line reading `--- x` is never mistaken for a header) and then goes through the same parser.

use std::borrow::Cow;

use thiserror::Error;

/// Why a text could not be read as a diff.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum PatchError {
    /// libgit2 rejected the input (malformed header or hunk).
    #[error(
        "not a valid unified diff: {0}. Produce it with `git diff`, `git show` or `diff -u`, unedited"
    )]
    Malformed(String),
    /// A plain `diff -r` listing names files it did not diff.
    #[error(
        "line {line}: `{text}`: the diff omits a file present on one side only; regenerate it with `diff -ruN` or `git diff`"
    )]
    OneSideOnly { line: usize, text: String },
    /// A plain-diff binary notice, which has no git header to attach to.
    #[error(
        "line {line}: `{text}`: binary change in a plain diff; regenerate it with `git diff --binary` so the file can be identified"
    )]
    PlainBinary { line: usize, text: String },
}

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    Added,
    Deleted,
    Modified,
    Renamed,
    Copied,
    /// File type changed (e.g. regular file to symlink).
    Typechange,
}

/// Kind of a hunk line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Context,
    Added,
    Removed,
}

/// One line of a hunk, without its `+`/`-`/space prefix and without the newline.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    pub kind: LineKind,
    pub old_lineno: Option<u32>,
    pub new_lineno: Option<u32>,
    pub text: Cow<'a, str>,
}

/// One `@@` hunk.
#[derive(Debug, Clone)]
pub struct Hunk<'a> {
    pub old_start: u32,
    pub old_lines: u32,
    pub new_start: u32,
    pub new_lines: u32,
    /// The text after the closing `@@` (git's function context), trimmed.
    pub section: String,
    pub lines: Vec<Line<'a>>,
    /// The hunk body exactly as it appears in the diff (prefixes included, header excluded),
    /// for whole-hunk prefilters.
    pub body: Cow<'a, str>,
}

/// One file entry of a diff.
#[derive(Debug, Clone)]
pub struct FilePatch<'a> {
    /// Path before the change; `None` for an added file.
    pub old_path: Option<String>,
    /// Path after the change; `None` for a deleted file.
    pub new_path: Option<String>,
    pub status: FileStatus,
    pub binary: bool,
    /// Git file modes (octal numbers such as `0o100644`), 0 where the diff does not say.
    pub old_mode: u32,
    pub new_mode: u32,
    pub hunks: Vec<Hunk<'a>>,
}

impl FilePatch<'_> {
    /// The path a reader should call this file by: the new path, else the old one.
    pub fn path(&self) -> &str {
        self.new_path
            .as_deref()
            .or(self.old_path.as_deref())
            .unwrap_or("")
    }

    /// Every distinct path this entry touches (both sides of a rename or copy).
    pub fn paths(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::with_capacity(2);
        for p in [self.old_path.as_deref(), self.new_path.as_deref()]
            .into_iter()
            .flatten()
        {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    /// Both sides have a known mode and they differ (e.g. the executable bit was set).
    pub fn mode_changed(&self) -> bool {
        self.old_mode != 0 && self.new_mode != 0 && self.old_mode != self.new_mode
    }

    /// Added plus removed lines.
    pub fn changed_lines(&self) -> usize {
        self.hunks
            .iter()
            .flat_map(|h| &h.lines)
            .filter(|l| l.kind != LineKind::Context)
            .count()
    }

    /// Lines of every hunk, in order.
    pub fn lines(&self) -> impl Iterator<Item = &Line<'_>> {
        self.hunks.iter().flat_map(|h| h.lines.iter())
    }
}

/// A parsed diff: one entry per file, in input order.
#[derive(Debug, Clone, Default)]
pub struct Patch<'a> {
    pub files: Vec<FilePatch<'a>>,
}

impl<'a> Patch<'a> {
    /// Parse a unified diff (git-style or plain `diff -u`).
    pub fn parse(text: &'a str) -> Result<Patch<'a>, PatchError> {
        if text.trim().is_empty() {
            return Ok(Patch::default());
        }
        if has_git_header(text) {
            return parse_git(text);
        }
        let converted = plain_to_git(text)?;
        Ok(parse_git(&converted)?.into_owned())
    }

    /// True when the diff changes nothing (empty input).
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total added plus removed lines.
    pub fn changed_lines(&self) -> usize {
        self.files.iter().map(FilePatch::changed_lines).sum()
    }

    fn into_owned(self) -> Patch<'static> {
        Patch {
            files: self
                .files
                .into_iter()
                .map(|f| FilePatch {
                    old_path: f.old_path,
                    new_path: f.new_path,
                    status: f.status,
                    binary: f.binary,
                    old_mode: f.old_mode,
                    new_mode: f.new_mode,
                    hunks: f
                        .hunks
                        .into_iter()
                        .map(|h| Hunk {
                            old_start: h.old_start,
                            old_lines: h.old_lines,
                            new_start: h.new_start,
                            new_lines: h.new_lines,
                            section: h.section,
                            body: Cow::Owned(h.body.into_owned()),
                            lines: h
                                .lines
                                .into_iter()
                                .map(|l| Line {
                                    kind: l.kind,
                                    old_lineno: l.old_lineno,
                                    new_lineno: l.new_lineno,
                                    text: Cow::Owned(l.text.into_owned()),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

fn has_git_header(text: &str) -> bool {
    text.starts_with("diff --git ") || text.contains("\ndiff --git ")
}

fn git_err(e: git2::Error) -> PatchError {
    PatchError::Malformed(e.message().to_string())
}

/// Parse git-style diff text. libgit2 parses a skeleton of the diff (every line outside hunk
/// bodies, each hunk reduced to a one-line stand-in), which settles paths, quoting,
/// statuses, modes and binary markers and rejects malformed headers; hunk bodies are walked
/// here by their counts with the same line rules libgit2 applies, borrowing every line from
/// `text`. (Handing libgit2 the bodies too costs one allocation per line and caps throughput
/// near 100 MB/s.) libgit2's hunk count per file must equal the walker's, or the diff is
/// refused.
fn parse_git(text: &str) -> Result<Patch<'_>, PatchError> {
    let mut skeleton = String::with_capacity(4096);
    let mut sections: Vec<Vec<Hunk<'_>>> = Vec::new();
    let mut pos = 0;
    let mut line_no = 0usize;
    while pos < text.len() {
        let (line, next) = line_at(text, pos);
        line_no += 1;
        if line.starts_with("diff --git ") {
            sections.push(Vec::new());
        } else if line.starts_with("@@ -")
            && let Some(section) = sections.last_mut()
        {
            let (hunk, after, lines_used) = walk_hunk(text, pos, line_no)?;
            section.push(hunk);
            skeleton.push_str("@@ -0,0 +1 @@\n+\n");
            pos = after;
            line_no += lines_used - 1;
            continue;
        }
        skeleton.push_str(line.strip_suffix('\n').unwrap_or(line));
        skeleton.push('\n');
        pos = next;
    }

    let diff = git2::Diff::from_buffer(skeleton.as_bytes()).map_err(git_err)?;
    let n = diff.deltas().len();
    if n != sections.len() {
        return Err(PatchError::Malformed(format!(
            "found {} `diff --git` entries but libgit2 read {n}",
            sections.len()
        )));
    }
    let mut files = Vec::with_capacity(n);
    for (idx, hunks) in sections.into_iter().enumerate() {
        let Some(patch) = git2::Patch::from_diff(&diff, idx).map_err(git_err)? else {
            return Err(PatchError::Malformed(format!(
                "file entry {} is empty",
                idx + 1
            )));
        };
        if patch.num_hunks() != hunks.len() {
            return Err(PatchError::Malformed(format!(
                "file entry {}: {} hunks found but libgit2 read {}",
                idx + 1,
                hunks.len(),
                patch.num_hunks()
            )));
        }
        let delta = patch.delta();
        let status = match delta.status() {
            git2::Delta::Added => FileStatus::Added,
            git2::Delta::Deleted => FileStatus::Deleted,
            git2::Delta::Renamed => FileStatus::Renamed,
            git2::Delta::Copied => FileStatus::Copied,
            git2::Delta::Typechange => FileStatus::Typechange,
            _ => FileStatus::Modified,
        };
        let path_of = |f: git2::DiffFile<'_>| {
            f.path_bytes()
                .map(|b| String::from_utf8_lossy(b).into_owned())
        };
        let old_path = (status != FileStatus::Added)
            .then(|| path_of(delta.old_file()))
            .flatten();
        let new_path = (status != FileStatus::Deleted)
            .then(|| path_of(delta.new_file()))
            .flatten();
        if old_path.is_none() && new_path.is_none() {
            return Err(PatchError::Malformed(format!(
                "file entry {} names no path",
                idx + 1
            )));
        }
        let binary = delta.flags().is_binary()
            || delta.old_file().is_binary()
            || delta.new_file().is_binary();
        files.push(FilePatch {
            old_path,
            new_path,
            status,
            binary,
            old_mode: raw_mode(&delta.old_file()),
            new_mode: raw_mode(&delta.new_file()),
            hunks,
        });
    }
    if files.is_empty() {
        return Err(PatchError::Malformed("no file entries found".into()));
    }
    Ok(Patch { files })
}

/// The line starting at `pos` (with its newline, if any) and the position after it.
fn line_at(text: &str, pos: usize) -> (&str, usize) {
    match memchr::memchr(b'\n', &text.as_bytes()[pos..]) {
        Some(i) => (&text[pos..pos + i + 1], pos + i + 1),
        None => (&text[pos..], text.len()),
    }
}

/// Walk the hunk whose `@@` header starts at `pos` (line `line_no` of the input). Returns the
/// hunk, the position after it and how many input lines it used. Body lines follow libgit2's
/// rules: ` ` or an empty line is context, `-` removed, `+` added, `\` the no-newline marker;
/// anything else, or a body shorter than its counts, is an error.
fn walk_hunk(
    text: &str,
    pos: usize,
    line_no: usize,
) -> Result<(Hunk<'_>, usize, usize), PatchError> {
    let (header, mut pos) = line_at(text, pos);
    let body_start = pos;
    let header = header.trim_end_matches(['\n', '\r']);
    let malformed =
        || PatchError::Malformed(format!("line {line_no}: malformed hunk header `{header}`"));
    let (old_start, old_lines, new_start, new_lines) = hunk_range(header)
        .filter(|r| r.1 > 0 || r.3 > 0)
        .ok_or_else(malformed)?;
    let section = header
        .trim_start_matches("@@")
        .split_once("@@")
        .map(|(_, s)| s.trim().to_string())
        .unwrap_or_default();
    let (mut old_left, mut new_left) = (old_lines, new_lines);
    let (mut old_no, mut new_no) = (old_start, new_start);
    let mut lines = Vec::with_capacity((old_lines + new_lines) as usize);
    let mut used = 1;
    while old_left > 0 || new_left > 0 {
        if pos >= text.len() {
            return Err(PatchError::Malformed(format!(
                "line {line_no}: hunk `{header}` ends early: {old_left} old and {new_left} new lines missing"
            )));
        }
        let (raw, next) = line_at(text, pos);
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        let body_no_cr = body.strip_suffix('\r').unwrap_or(body);
        let (kind, content) = match raw.as_bytes()[0] {
            b' ' => (LineKind::Context, &body_no_cr[1..]),
            b'\n' => (LineKind::Context, ""),
            b'-' => (LineKind::Removed, &body_no_cr[1..]),
            b'+' => (LineKind::Added, &body_no_cr[1..]),
            b'\\' if old_left == 0 => {
                pos = next;
                used += 1;
                continue;
            }
            _ => {
                return Err(PatchError::Malformed(format!(
                    "line {}: invalid line in hunk `{header}`: `{}` (expected ' ', '-' or '+'; {old_left} old and {new_left} new lines still due)",
                    line_no + used,
                    body_no_cr.chars().take(60).collect::<String>()
                )));
            }
        };
        let line = match kind {
            LineKind::Context => {
                if old_left == 0 || new_left == 0 {
                    return Err(PatchError::Malformed(format!(
                        "line {}: hunk `{header}` has more lines than its counts",
                        line_no + used
                    )));
                }
                old_left -= 1;
                new_left -= 1;
                old_no += 1;
                new_no += 1;
                Line {
                    kind,
                    old_lineno: Some(old_no - 1),
                    new_lineno: Some(new_no - 1),
                    text: Cow::Borrowed(content),
                }
            }
            LineKind::Removed => {
                if old_left == 0 {
                    return Err(PatchError::Malformed(format!(
                        "line {}: hunk `{header}` removes more lines than its counts",
                        line_no + used
                    )));
                }
                old_left -= 1;
                old_no += 1;
                Line {
                    kind,
                    old_lineno: Some(old_no - 1),
                    new_lineno: None,
                    text: Cow::Borrowed(content),
                }
            }
            LineKind::Added => {
                if new_left == 0 {
                    return Err(PatchError::Malformed(format!(
                        "line {}: hunk `{header}` adds more lines than its counts",
                        line_no + used
                    )));
                }
                new_left -= 1;
                new_no += 1;
                Line {
                    kind,
                    old_lineno: None,
                    new_lineno: Some(new_no - 1),
                    text: Cow::Borrowed(content),
                }
            }
        };
        lines.push(line);
        pos = next;
        used += 1;
    }
    if pos < text.len() && text[pos..].starts_with('\\') {
        let (_, next) = line_at(text, pos);
        pos = next;
        used += 1;
    }
    let body = Cow::Borrowed(&text[body_start..pos]);
    Ok((
        Hunk {
            old_start,
            old_lines,
            new_start,
            new_lines,
            section,
            lines,
            body,
        },
        pos,
        used,
    ))
}

/// The file mode as libgit2 recorded it. `DiffFile::mode` panics on modes outside git's known
/// set, which a hand-written patch can contain, so the raw number is read instead.
fn raw_mode(file: &git2::DiffFile<'_>) -> u32 {
    use git2::Binding;
    // SAFETY: `file` borrows a live `git_diff_file` owned by the diff; `mode` is a plain
    // integer field of that struct.
    u32::from(unsafe { (*file.raw()).mode })
}

/// Give plain `diff -u` / `diff -ruN` output the `diff --git` headers libgit2 needs. Hunk bodies
/// are walked by their `@@` counts ([`walk_hunk`]) so body lines are never read as headers.
fn plain_to_git(text: &str) -> Result<String, PatchError> {
    let mut out = String::with_capacity(text.len() + 256);
    let mut pos = 0;
    let mut line_no = 0usize;
    while pos < text.len() {
        let (line, next) = line_at(text, pos);
        line_no += 1;
        if line.starts_with("Only in ") {
            return Err(PatchError::OneSideOnly {
                line: line_no,
                text: line.trim_end().to_string(),
            });
        }
        if line.starts_with("Binary files ") || line.starts_with("Files ") {
            return Err(PatchError::PlainBinary {
                line: line_no,
                text: line.trim_end().to_string(),
            });
        }
        let plus = (next < text.len()).then(|| line_at(text, next));
        if let (Some(old), Some((plus_line, after_plus))) = (line.strip_prefix("--- "), plus)
            && let Some(new) = plus_line.strip_prefix("+++ ")
        {
            // `diff -N` writes an absent side as an epoch-dated real path; it is /dev/null.
            let epoch = |h: &str| {
                h.split_once('\t')
                    .is_some_and(|(_, t)| t.starts_with("1970-01-01"))
            };
            let absent = |h: &str| {
                if epoch(h) {
                    "/dev/null".to_string()
                } else {
                    plain_path(h)
                }
            };
            let (old, new) = (absent(old), absent(new));
            if old == "/dev/null" && new == "/dev/null" {
                return Err(PatchError::Malformed(format!(
                    "line {line_no}: both sides of a file are absent"
                )));
            }
            let (a, b) = strip_common_prefix(&old, &new);
            let a_side = if old == "/dev/null" {
                b.clone()
            } else {
                a.clone()
            };
            let b_side = if new == "/dev/null" {
                a.clone()
            } else {
                b.clone()
            };
            out.push_str(&format!(
                "diff --git {} {}\n",
                quote(&format!("a/{a_side}")),
                quote(&format!("b/{b_side}"))
            ));
            if old == "/dev/null" {
                out.push_str("new file mode 100644\n");
            } else if new == "/dev/null" {
                out.push_str("deleted file mode 100644\n");
            }
            let minus = if old == "/dev/null" {
                "/dev/null".to_string()
            } else {
                quote(&format!("a/{a}"))
            };
            let plus = if new == "/dev/null" {
                "/dev/null".to_string()
            } else {
                quote(&format!("b/{b}"))
            };
            out.push_str(&format!("--- {minus}\n+++ {plus}\n"));
            pos = after_plus;
            line_no += 1;
            // Copy the hunks verbatim.
            while pos < text.len() && text[pos..].starts_with("@@ -") {
                let (_, after, used) = walk_hunk(text, pos, line_no + 1)?;
                out.push_str(&text[pos..after]);
                if !out.ends_with('\n') {
                    out.push('\n');
                }
                pos = after;
                line_no += used;
            }
            continue;
        }
        // Anything else (`diff -u a b` command echoes, prose around the diff) is not copied.
        pos = next;
    }
    if out.is_empty() {
        return Err(PatchError::Malformed(
            "no `diff --git` header and no `---`/`+++` file header pair found".into(),
        ));
    }
    Ok(out)
}

/// `--- path\t2024-01-01 …` → `path` (timestamps dropped, git quoting removed).
fn plain_path(header: &str) -> String {
    let p = header.trim_end_matches(['\n', '\r']);
    let p = p.split('\t').next().unwrap_or(p);
    unquote(p)
}

/// `diff -u old/x new/x` names both trees; git paths are relative, so drop one leading
/// component when both sides have one (as `patch -p1` would).
fn strip_common_prefix(old: &str, new: &str) -> (String, String) {
    let strip = |p: &str| p.split_once('/').map(|(_, rest)| rest.to_string());
    let old_real = old != "/dev/null";
    let new_real = new != "/dev/null";
    let o = old_real.then(|| strip(old)).flatten();
    let n = new_real.then(|| strip(new)).flatten();
    match (old_real, new_real, o, n) {
        (true, true, Some(o), Some(n)) if !o.is_empty() && !n.is_empty() => (o, n),
        (true, false, Some(o), _) if !o.is_empty() => (o.clone(), o),
        (false, true, _, Some(n)) if !n.is_empty() => (n.clone(), n),
        _ => (old.to_string(), new.to_string()),
    }
}

/// `@@ -a,b +c,d @@` → (a, b, c, d); a missing count means 1.
fn hunk_range(header: &str) -> Option<(u32, u32, u32, u32)> {
    let rest = header.strip_prefix("@@ -")?;
    let (old, rest) = rest.split_once(" +")?;
    let (new, _) = rest.split_once(" @@")?;
    let range = |r: &str| -> Option<(u32, u32)> {
        match r.split_once(',') {
            Some((start, n)) => Some((start.parse().ok()?, n.parse().ok()?)),
            None => Some((r.parse().ok()?, 1)),
        }
    };
    let (a, b) = range(old)?;
    let (c, d) = range(new)?;
    Some((a, b, c, d))
}

/// C-style quoting as git writes paths that hold spaces, quotes, backslashes or control bytes.
fn quote(path: &str) -> String {
    if !path
        .chars()
        .any(|c| c == ' ' || c == '"' || c == '\\' || c.is_control())
    {
        return path.to_string();
    }
    let mut q = String::with_capacity(path.len() + 2);
    q.push('"');
    for c in path.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\t' => q.push_str("\\t"),
            '\n' => q.push_str("\\n"),
            c if c.is_control() => q.push_str(&format!("\\{:03o}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// Undo git's C-style path quoting (`"a b\303\244"`), for plain headers that carry it.
fn unquote(p: &str) -> String {
    let Some(inner) = p.strip_prefix('"').and_then(|s| s.strip_suffix('"')) else {
        return p.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push((v & 0xff) as u8);
            }
            Some(other) => bytes.push(other),
            None => bytes.push(b'\\'),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunk_range_defaults_count_to_one() {
        assert_eq!(hunk_range("@@ -3 +3,2 @@ fn x"), Some((3, 1, 3, 2)));
        assert_eq!(hunk_range("@@ -0,0 +1 @@"), Some((0, 0, 1, 1)));
        assert_eq!(hunk_range("@@ nonsense"), None);
    }

    #[test]
    fn quoting_round_trips() {
        let p = "a/dir with space/\"q\".md";
        assert_eq!(unquote(&quote(p)), p);
        assert_eq!(unquote("\"a/\\303\\244.md\""), "a/ä.md");
    }
}
