//! A unified diff (`git diff`, any context width) read into per-file added and removed lines.
//!
//! Guarantees:
//! - **Counted hunks.** Each hunk is read by the line counts in its `@@ -a,b +c,d @@` header, so
//!   a changed line whose text looks like a header (`diff --git …`, `+++ b/x`) is content, never
//!   a new file.
//! - **Fail closed.** A hunk that ends early, a count that does not parse or a content line
//!   outside any hunk is an [`Error`], never a partial "clean" read.
//! - Pure and total: any input returns `Ok` or `Err`, never panics.

use std::fmt;

/// One file of a diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileDiff {
    /// Path on the new side (old side for a deletion), without the `a/`/`b/` prefix.
    pub path: String,
    /// `--- /dev/null`: the file is new.
    pub added_file: bool,
    /// `+++ /dev/null`: the file is deleted.
    pub deleted_file: bool,
    /// `Binary files … differ` or a `GIT binary patch`.
    pub binary: bool,
    /// Added lines, without the leading `+`.
    pub added: Vec<String>,
    /// Removed lines, without the leading `-`.
    pub removed: Vec<String>,
}

/// Why a diff could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// 1-based line of the diff text.
    pub line: usize,
    pub what: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "diff line {}: {}", self.line, self.what)
    }
}

/// `@@ -a[,b] +c[,d] @@` → (b, d): lines on the old and the new side.
fn hunk_counts(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("@@ -")?;
    let end = rest.find(" @@")?;
    let mut sides = rest[..end].split(" +");
    let count = |s: &str| -> Option<usize> {
        let mut it = s.split(',');
        let start = it.next()?;
        start.parse::<usize>().ok()?;
        let n = match it.next() {
            Some(n) => n.parse().ok()?,
            None => 1,
        };
        it.next().is_none().then_some(n)
    };
    let old = count(sides.next()?)?;
    let new = count(sides.next()?)?;
    sides.next().is_none().then_some((old, new))
}

/// A header path: strip quotes (C-style escapes kept as written) and the `a/`/`b/` prefix.
fn header_path(raw: &str) -> Option<String> {
    let raw = raw.trim_end_matches('\t').trim_end();
    let raw = raw
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(raw);
    if raw == "/dev/null" {
        return None;
    }
    let p = raw
        .strip_prefix("a/")
        .or_else(|| raw.strip_prefix("b/"))
        .unwrap_or(raw);
    Some(p.to_string())
}

/// `diff --git a/X b/Y` → Y (best effort for paths with spaces: split at the last ` b/`).
fn git_header_path(rest: &str) -> String {
    match rest.rfind(" b/") {
        Some(i) => rest[i + 3..].trim_matches('"').to_string(),
        None => rest.to_string(),
    }
}

/// Read `text` into files. An empty text is an empty list.
pub fn parse(text: &str) -> Result<Vec<FileDiff>, Error> {
    let mut files: Vec<FileDiff> = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let n = i + 1;
        if let Some(rest) = line.strip_prefix("diff --git ") {
            files.push(FileDiff {
                path: git_header_path(rest),
                ..FileDiff::default()
            });
            continue;
        }
        if let Some(rest) = line.strip_prefix("--- ") {
            let Some(file) = files.last_mut() else {
                return Err(Error {
                    line: n,
                    what: "`---` before any `diff --git` header".into(),
                });
            };
            match header_path(rest) {
                None => file.added_file = true,
                Some(p) => file.path = p,
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("+++ ") {
            let Some(file) = files.last_mut() else {
                return Err(Error {
                    line: n,
                    what: "`+++` before any `diff --git` header".into(),
                });
            };
            match header_path(rest) {
                None => file.deleted_file = true,
                Some(p) => file.path = p,
            }
            continue;
        }
        if line.starts_with("@@ ") {
            let Some((mut old, mut new)) = hunk_counts(line) else {
                return Err(Error {
                    line: n,
                    what: format!("hunk header {line:?} does not parse"),
                });
            };
            let Some(file) = files.last_mut() else {
                return Err(Error {
                    line: n,
                    what: "hunk before any file header".into(),
                });
            };
            while old > 0 || new > 0 {
                let Some((j, body)) = lines.next() else {
                    return Err(Error {
                        line: n,
                        what: format!("hunk ends early ({old} old and {new} new line(s) missing)"),
                    });
                };
                let short = || Error {
                    line: j + 1,
                    what: "hunk has more lines than its header counts".into(),
                };
                match body.as_bytes().first() {
                    Some(b'+') => {
                        new = new.checked_sub(1).ok_or_else(short)?;
                        file.added.push(body[1..].to_string());
                    }
                    Some(b'-') => {
                        old = old.checked_sub(1).ok_or_else(short)?;
                        file.removed.push(body[1..].to_string());
                    }
                    Some(b' ') | None => {
                        old = old.checked_sub(1).ok_or_else(short)?;
                        new = new.checked_sub(1).ok_or_else(short)?;
                    }
                    Some(b'\\') => {}
                    Some(_) => {
                        return Err(Error {
                            line: j + 1,
                            what: format!("{body:?} is not a hunk line"),
                        });
                    }
                }
            }
            // "\ No newline at end of file" after the last counted line.
            while lines.peek().is_some_and(|(_, l)| l.starts_with('\\')) {
                lines.next();
            }
            continue;
        }
        if line.starts_with("Binary files ") || line == "GIT binary patch" {
            if let Some(f) = files.last_mut() {
                f.binary = true;
            }
            continue;
        }
        if line.starts_with('+') || line.starts_with('-') {
            return Err(Error {
                line: n,
                what: "changed line outside any hunk".into(),
            });
        }
        // Extended headers (index, mode, rename, similarity) and anything else between files.
        if files.is_empty() && !line.trim().is_empty() {
            return Err(Error {
                line: n,
                what: format!("{line:?} before any `diff --git` header"),
            });
        }
    }
    Ok(files)
}

/// A stable id of what a change does, like `git patch-id`: the changed paths and their
/// added/removed lines with whitespace removed, line numbers ignored. Two commits with the same
/// id are the same patch (a cherry-pick). `None` for a change with no lines.
pub fn patch_id(files: &[FileDiff]) -> Option<u64> {
    // FNV-1a, 64-bit: stable across builds and platforms.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    let mut any = false;
    let mut sorted: Vec<&FileDiff> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    for f in sorted {
        feed(f.path.as_bytes());
        feed(&[0]);
        for (sign, lines) in [(b'-', &f.removed), (b'+', &f.added)] {
            for l in lines {
                any = true;
                feed(&[sign]);
                let squashed: String = l.chars().filter(|c| !c.is_whitespace()).collect();
                feed(squashed.as_bytes());
                feed(b"\n");
            }
        }
    }
    any.then_some(h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str = "diff --git a/src/lib.rs b/src/lib.rs\nindex 1..2 100644\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -1,2 +1,3 @@\n fn a() {}\n-fn b() {}\n+fn b() -> u8 { 1 }\n+diff --git a/x b/x\n@@ -10 +11,0 @@\n-old\ndiff --git a/new.txt b/new.txt\nnew file mode 100644\n--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n++++ b/evil\n\\ No newline at end of file\ndiff --git a/blob.bin b/blob.bin\nBinary files a/blob.bin and b/blob.bin differ\n";

    #[test]
    fn reads_files_and_lines_by_count() {
        let files = parse(SAMPLE).unwrap();
        assert_eq!(files.len(), 3);
        assert_eq!(files[0].path, "src/lib.rs");
        assert_eq!(files[0].added, ["fn b() -> u8 { 1 }", "diff --git a/x b/x"]);
        assert_eq!(files[0].removed, ["fn b() {}", "old"]);
        assert_eq!(files[1].path, "new.txt");
        assert!(files[1].added_file);
        assert_eq!(files[1].added, ["+++ b/evil"]);
        assert!(files[2].binary);
    }

    #[test]
    fn malformed_diffs_are_errors() {
        for bad in [
            "@@ -1 +1 @@\n-a\n+b\n",
            "diff --git a/x b/x\n@@ -1,2 +1,2 @@\n-a\n+b\n",
            "diff --git a/x b/x\n@@ -1 +1 @@\n-a\n-b\n+c\n",
            "diff --git a/x b/x\n@@ -x +1 @@\n",
            "diff --git a/x b/x\n+stray\n",
            "garbage first\n",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse("").unwrap(), Vec::new());
    }

    #[test]
    fn patch_id_ignores_whitespace_and_position() {
        let a =
            parse("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -3 +3 @@\n-x = 1\n+x = 2\n").unwrap();
        let b =
            parse("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -90 +90 @@\n-x=1\n+x  =  2\n").unwrap();
        let c =
            parse("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -3 +3 @@\n-x = 1\n+x = 3\n").unwrap();
        assert_eq!(patch_id(&a), patch_id(&b));
        assert_ne!(patch_id(&a), patch_id(&c));
        assert_eq!(patch_id(&[]), None);
    }

    proptest! {
        #[test]
        fn never_panics(text in "(diff --git a/x b/x\n|@@ -1,2 \\+1 @@\n|[-+ \\\\]?[a-z@]{0,6}\n|--- a/y\n|\\+\\+\\+ /dev/null\n){0,12}") {
            let _ = parse(&text);
        }

        #[test]
        fn well_formed_diffs_round_trip(added in proptest::collection::vec("[a-z +-]{0,10}", 0..6),
                                         removed in proptest::collection::vec("[a-z +-]{0,10}", 0..6)) {
            let mut text = format!("diff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -1,{} +1,{} @@\n", removed.len(), added.len());
            for r in &removed { text.push_str(&format!("-{r}\n")); }
            for a in &added { text.push_str(&format!("+{a}\n")); }
            let files = parse(&text).unwrap();
            prop_assert_eq!(&files[0].added, &added);
            prop_assert_eq!(&files[0].removed, &removed);
        }
    }
}
