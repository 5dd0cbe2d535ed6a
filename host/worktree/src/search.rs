//! Regex search over a worktree's text files (`worktree.search`).
//!
//! Guarantees:
//! - **Confined.** `dir` is checked like every worktree path ([`ConfinedDir::check_inside`]:
//!   no `..`, no absolute path, no symlink leading out); files are read through the worktree's
//!   cap-std directory, symlinks are never followed, and `.git` is never searched.
//! - **What git would show.** `.gitignore`, `.ignore` and `.git/info/exclude` are honoured (the
//!   `ignore` crate, ripgrep's walker); the host's global git excludes are not read, so the
//!   answer depends on the repository only. Hidden files that are not ignored are searched.
//! - **Bounded.** At most `limit` hits ([`MAX_HITS`] when 0 or larger); each hit's text is the
//!   line without its terminator, cut to [`MAX_HIT_BYTES`] on a character boundary; files
//!   larger than [`MAX_FILE_BYTES`] and binary files (a NUL byte) are skipped; past `deadline`
//!   the search stops with [`SearchError::Deadline`].
//! - **Deterministic.** Files are searched in sorted path order, lines in file order.
//!
//! Mechanics: `grep-regex` compiles the pattern (Rust `regex` syntax; a pattern that could match
//! a line terminator is refused), `grep-searcher` runs it line by line.

use std::path::Path;
use std::time::Instant;

use grep_regex::RegexMatcherBuilder;
use grep_searcher::sinks::Lossy;
use grep_searcher::{BinaryDetection, SearcherBuilder};
use thiserror::Error;

use crate::fs::ConfinedDir;
use crate::path::PathError;

/// The most hits one search returns.
pub const MAX_HITS: usize = 200;
/// The longest hit text, in bytes.
pub const MAX_HIT_BYTES: usize = 400;
/// Files larger than this are not searched.
pub const MAX_FILE_BYTES: u64 = 4 << 20;

/// One matching line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Relative, `/`-separated.
    pub path: String,
    /// 1-based.
    pub line: u32,
    pub text: String,
}

/// Why a search could not run.
#[derive(Debug, Error)]
pub enum SearchError {
    #[error("the pattern does not compile: {0}")]
    Pattern(String),
    #[error(transparent)]
    Path(#[from] PathError),
    #[error("the search ran past the run's wall clock after {files} file(s)")]
    Deadline { files: usize },
    #[error("walking the worktree failed: {0}")]
    Walk(String),
}

/// Lines matching `pattern` in the text files under `dir` of the worktree at `root` (see the
/// module docs). `files` is the worktree's confined directory on the same root.
pub fn search(
    root: &Path,
    files: &ConfinedDir,
    dir: &str,
    pattern: &str,
    limit: usize,
    deadline: Option<Instant>,
) -> Result<Vec<SearchHit>, SearchError> {
    let matcher = RegexMatcherBuilder::new()
        .line_terminator(Some(b'\n'))
        .build(pattern)
        .map_err(|e| SearchError::Pattern(e.to_string()))?;
    // A trailing `/` is a directory's spelling; a leading one is an absolute path (refused).
    let dir = dir.trim_end_matches('/');
    if !dir.is_empty() {
        files.check_inside(dir)?;
    }
    let limit = if limit == 0 {
        MAX_HITS
    } else {
        limit.min(MAX_HITS)
    };
    let paths = candidates(root, dir)?;
    let mut searcher = SearcherBuilder::new()
        .binary_detection(BinaryDetection::quit(b'\0'))
        .line_number(true)
        .build();
    let mut hits = Vec::new();
    for (n, path) in paths.iter().enumerate() {
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(SearchError::Deadline { files: n });
        }
        // Read through the confined directory: a file swapped for a symlink is refused.
        let Ok(size) = files.size(path) else { continue };
        if size > MAX_FILE_BYTES {
            continue;
        }
        let Ok(bytes) = files.read_bytes(path) else {
            continue;
        };
        let left = limit - hits.len();
        let mut found: Vec<SearchHit> = Vec::new();
        let sink = Lossy(|line_number, text| {
            found.push(SearchHit {
                path: path.clone(),
                line: u32::try_from(line_number).unwrap_or(u32::MAX),
                text: cut(text.trim_end_matches(['\n', '\r']), MAX_HIT_BYTES),
            });
            Ok(found.len() < left)
        });
        // A search error on one file (it cannot happen on a byte slice) skips that file.
        let _ = searcher.search_slice(&matcher, &bytes, sink);
        hits.extend(found);
        if hits.len() >= limit {
            break;
        }
    }
    Ok(hits)
}

/// Regular, non-ignored files under `dir`, sorted by path.
fn candidates(root: &Path, dir: &str) -> Result<Vec<String>, SearchError> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .parents(false)
        .git_global(false)
        .git_ignore(true)
        .git_exclude(true)
        .ignore(true)
        .require_git(false)
        .follow_links(false)
        .max_filesize(Some(MAX_FILE_BYTES))
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    let prefix = format!("{dir}/");
    let mut out = Vec::new();
    for entry in walker {
        let entry = entry.map_err(|e| SearchError::Walk(e.to_string()))?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(root) else {
            continue;
        };
        let Some(rel) = rel.to_str() else { continue };
        let rel = rel.replace(std::path::MAIN_SEPARATOR, "/");
        if dir.is_empty() || rel.starts_with(&prefix) || rel == dir {
            out.push(rel);
        }
    }
    out.sort();
    Ok(out)
}

/// `text` cut to at most `max` bytes on a character boundary.
fn cut(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, content) in files {
            let p = dir.path().join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, content).unwrap();
        }
        dir
    }

    fn run(dir: &Path, sub: &str, pattern: &str, limit: usize) -> Vec<(String, u32, String)> {
        let files = ConfinedDir::open(dir).unwrap();
        search(dir, &files, sub, pattern, limit, None)
            .unwrap()
            .into_iter()
            .map(|h| (h.path, h.line, h.text))
            .collect()
    }

    #[test]
    fn finds_lines_in_path_order_honouring_gitignore() {
        let long = format!("needle {}\n", "é".repeat(300));
        let t = tree(&[
            (".gitignore", b"build/\n*.log\n"),
            ("src/b.py", b"x = 1\ndef needle():\n    return needle\n"),
            ("src/a.py", b"needle = 2\n"),
            ("build/out.py", b"needle\n"),
            ("debug.log", b"needle\n"),
            ("bin.dat", b"needle\0\x01\x02"),
            (".github/ci.yml", b"run: needle\n"),
            ("long.txt", long.as_bytes()),
            (".git/config", b"needle\n"),
        ]);
        let hits = run(t.path(), "", "needle", 0);
        let where_: Vec<(&str, u32)> = hits.iter().map(|(p, l, _)| (p.as_str(), *l)).collect();
        assert_eq!(
            where_,
            [
                (".github/ci.yml", 1),
                ("long.txt", 1),
                ("src/a.py", 1),
                ("src/b.py", 2),
                ("src/b.py", 3)
            ]
        );
        let long_hit = &hits[1].2;
        assert!(long_hit.len() <= MAX_HIT_BYTES && long_hit.len() >= MAX_HIT_BYTES - 1);
        assert_eq!(hits[3].2, "def needle():");
        assert_eq!(run(t.path(), "src", "needle", 2).len(), 2);
        assert_eq!(run(t.path(), "src/", r"^\s+return", 0).len(), 1);
        assert!(run(t.path(), "srcx", "needle", 0).is_empty());
    }

    #[test]
    fn bad_patterns_and_escaping_dirs_are_refused() {
        let t = tree(&[("a.txt", b"x\n")]);
        let files = ConfinedDir::open(t.path()).unwrap();
        for pattern in ["(", "[a-", "a\nb"] {
            assert!(
                matches!(
                    search(t.path(), &files, "", pattern, 0, None),
                    Err(SearchError::Pattern(_))
                ),
                "{pattern:?}"
            );
        }
        for dir in ["..", "../x", "/etc", "a/../../x"] {
            assert!(
                matches!(
                    search(t.path(), &files, dir, "x", 0, None),
                    Err(SearchError::Path(_))
                ),
                "{dir}"
            );
        }
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x marks\n").unwrap();
        std::os::unix::fs::symlink(outside.path(), t.path().join("out")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), t.path().join("link.txt"))
            .unwrap();
        assert!(search(t.path(), &files, "out", "x", 0, None).is_err());
        let hits = search(t.path(), &files, "", "marks", 0, None).unwrap();
        assert!(hits.is_empty(), "followed a symlink out: {hits:?}");
        let past = Instant::now() - std::time::Duration::from_millis(1);
        assert!(matches!(
            search(t.path(), &files, "", "x", 0, Some(past)),
            Err(SearchError::Deadline { .. })
        ));
    }

    proptest! {
        /// Whatever the pattern, a search never panics, stays under its caps and reports only
        /// lines that exist.
        #[test]
        fn any_pattern_is_a_bounded_answer_or_a_refusal(
            pattern in "\\PC{0,12}",
            limit in 0usize..300,
        ) {
            let body: String = (0..250).map(|i| format!("line {i} ab(c) [x]\n")).collect();
            let t = tree(&[("f.txt", body.as_bytes())]);
            let files = ConfinedDir::open(t.path()).unwrap();
            if let Ok(hits) = search(t.path(), &files, "", &pattern, limit, None) {
                let cap = if limit == 0 { MAX_HITS } else { limit.min(MAX_HITS) };
                prop_assert!(hits.len() <= cap);
                for h in hits {
                    prop_assert!(h.line >= 1 && h.line <= 250);
                    prop_assert!(h.text.len() <= MAX_HIT_BYTES);
                    prop_assert!(body.contains(&h.text));
                }
            }
        }
    }
}
