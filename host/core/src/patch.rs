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

/// Parse git-style diff text with libgit2 and copy it into the model. Line texts borrow from
/// `text` whenever libgit2's recorded offset points at the same bytes.
fn parse_git(text: &str) -> Result<Patch<'_>, PatchError> {
    // libgit2 requires every line, the last included, to end in a newline.
    let owned_with_newline;
    let buffer: &str = if text.ends_with('\n') {
        text
    } else {
        owned_with_newline = format!("{text}\n");
        &owned_with_newline
    };
    let diff = git2::Diff::from_buffer(buffer.as_bytes()).map_err(git_err)?;
    let borrowable = std::ptr::eq(buffer, text);
    let mut files = Vec::with_capacity(diff.deltas().len());
    for idx in 0..diff.deltas().len() {
        let Some(patch) = git2::Patch::from_diff(&diff, idx).map_err(git_err)? else {
            continue;
        };
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
        let mut hunks = Vec::with_capacity(patch.num_hunks());
        for h in 0..patch.num_hunks() {
            let (hunk, n_lines) = patch.hunk(h).map_err(git_err)?;
            let header = String::from_utf8_lossy(hunk.header());
            let section = header
                .trim_start_matches("@@")
                .split_once("@@")
                .map(|(_, s)| s.trim().to_string())
                .unwrap_or_default();
            let mut lines = Vec::with_capacity(n_lines);
            for l in 0..n_lines {
                let line = patch.line_in_hunk(h, l).map_err(git_err)?;
                let kind = match line.origin() {
                    '+' => LineKind::Added,
                    '-' => LineKind::Removed,
                    ' ' => LineKind::Context,
                    _ => continue, // "\ No newline at end of file" markers
                };
                let content = line.content();
                let body = content.strip_suffix(b"\n").unwrap_or(content);
                let body = body.strip_suffix(b"\r").unwrap_or(body);
                let text_cow = borrow_or_copy(text, borrowable, line.content_offset(), body);
                lines.push(Line {
                    kind,
                    old_lineno: line.old_lineno(),
                    new_lineno: line.new_lineno(),
                    text: text_cow,
                });
            }
            hunks.push(Hunk {
                old_start: hunk.old_start(),
                old_lines: hunk.old_lines(),
                new_start: hunk.new_start(),
                new_lines: hunk.new_lines(),
                section,
                lines,
            });
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

/// The file mode as libgit2 recorded it. `DiffFile::mode` panics on modes outside git's known
/// set, which a hand-written patch can contain, so the raw number is read instead.
fn raw_mode(file: &git2::DiffFile<'_>) -> u32 {
    use git2::Binding;
    // SAFETY: `file` borrows a live `git_diff_file` owned by the diff; `mode` is a plain
    // integer field of that struct.
    u32::from(unsafe { (*file.raw()).mode })
}

/// libgit2 copies each line; when its offset shows the same bytes sit in `text`, borrow them.
fn borrow_or_copy<'a>(text: &'a str, borrowable: bool, offset: i64, body: &[u8]) -> Cow<'a, str> {
    if borrowable && let Ok(start) = usize::try_from(offset) {
        // The offset may point at the line start (before the origin prefix) or past it.
        for s in [start + 1, start] {
            if let Some(slice) = text.get(s..s + body.len())
                && slice.as_bytes() == body
            {
                return Cow::Borrowed(slice);
            }
        }
    }
    Cow::Owned(String::from_utf8_lossy(body).into_owned())
}

/// Give plain `diff -u` / `diff -ruN` output the `diff --git` headers libgit2 needs. Hunk bodies
/// are skipped by their `@@` line counts so body lines are never read as headers.
fn plain_to_git(text: &str) -> Result<String, PatchError> {
    let mut out = String::with_capacity(text.len() + 256);
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.starts_with("Only in ") {
            return Err(PatchError::OneSideOnly {
                line: i + 1,
                text: line.trim_end().to_string(),
            });
        }
        if line.starts_with("Binary files ") || line.starts_with("Files ") {
            return Err(PatchError::PlainBinary {
                line: i + 1,
                text: line.trim_end().to_string(),
            });
        }
        if let (Some(old), Some(new)) = (
            line.strip_prefix("--- "),
            lines.get(i + 1).and_then(|l| l.strip_prefix("+++ ")),
        ) {
            let (old, new) = (plain_path(old), plain_path(new));
            let (a, b) = strip_common_prefix(&old, &new);
            let a_side = if old == "/dev/null" { b.clone() } else { a.clone() };
            let b_side = if new == "/dev/null" { a.clone() } else { b.clone() };
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
            i += 2;
            // Copy the hunks verbatim, walking each by its counts.
            while let Some(h) = lines.get(i).filter(|l| l.starts_with("@@ ")) {
                out.push_str(h);
                i += 1;
                let (mut old_left, mut new_left) = hunk_counts(h).ok_or_else(|| {
                    PatchError::Malformed(format!(
                        "line {i}: malformed hunk header `{}`",
                        h.trim_end()
                    ))
                })?;
                while (old_left > 0 || new_left > 0) && i < lines.len() {
                    let body = lines[i];
                    match body.as_bytes().first() {
                        Some(b'-') => old_left = old_left.saturating_sub(1),
                        Some(b'+') => new_left = new_left.saturating_sub(1),
                        Some(b'\\') => {}
                        _ => {
                            old_left = old_left.saturating_sub(1);
                            new_left = new_left.saturating_sub(1);
                        }
                    }
                    out.push_str(body);
                    i += 1;
                }
                if let Some(l) = lines.get(i).filter(|l| l.starts_with('\\')) {
                    out.push_str(l);
                    i += 1;
                }
            }
            continue;
        }
        // Anything else (`diff -u a b` command echoes, prose around the diff) is not copied.
        i += 1;
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

fn hunk_counts(header: &str) -> Option<(u32, u32)> {
    let rest = header.strip_prefix("@@ -")?;
    let (old, rest) = rest.split_once(" +")?;
    let (new, _) = rest.split_once(" @@")?;
    let count = |r: &str| match r.split_once(',') {
        Some((_, n)) => n.parse::<u32>().ok(),
        None => r.parse::<u32>().ok().map(|_| 1),
    };
    Some((count(old)?, count(new)?))
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
    fn hunk_counts_default_to_one() {
        assert_eq!(hunk_counts("@@ -3 +3,2 @@ fn x"), Some((1, 2)));
        assert_eq!(hunk_counts("@@ -0,0 +1 @@"), Some((0, 1)));
        assert_eq!(hunk_counts("@@ nonsense"), None);
    }

    #[test]
    fn quoting_round_trips() {
        let p = "a/dir with space/\"q\".md";
        assert_eq!(unquote(&quote(p)), p);
        assert_eq!(unquote("\"a/\\303\\244.md\""), "a/ä.md");
    }
}
