//! The `git` backend, used only for repositories libgit2 cannot open because their config
//! declares `extensions.*` it does not read (SHA-256 objects, reftable refs). One child process
//! per batch: `git cat-file --batch-check` answers for all claims. The object format and
//! shallowness come from the repository's files ([`Layout`]), without a process.
//!
//! `git` resolves a hex string through references before abbreviated ids, so a branch named
//! `deadbeef` would answer for the claim `deadbeef`; the verdict layer's prefix check turns
//! that into a gap instead of a grounded claim.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{ChildStdin, ChildStdout, Command, Stdio};

use super::layout::Layout;
use super::{Lookup, ObjectFormat, ObjectKind};

pub(super) struct GitCliStore {
    dir: PathBuf,
    format: ObjectFormat,
    shallow: bool,
}

/// Environment variables that would point `git` at another repository or object store.
const REDIRECTING_ENV: &[&str] = &[
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_INDEX_FILE",
    "GIT_NAMESPACE",
    "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT",
];

impl GitCliStore {
    /// Prepare to ask `git` about the repository at `path` (no process runs until a batch).
    pub(super) fn open(path: &Path, layout: &Layout) -> Result<Self, String> {
        let dir = path
            .canonicalize()
            .map_err(|e| format!("cannot resolve repository path '{}': {e}", path.display()))?;
        Ok(GitCliStore {
            dir,
            format: layout.object_format()?,
            shallow: layout.is_shallow(),
        })
    }

    pub(super) fn format(&self) -> ObjectFormat {
        self.format
    }

    pub(super) fn is_shallow(&self) -> bool {
        self.shallow
    }

    /// Ask one `git cat-file --batch-check` about every claim; with `peel`, ask the same
    /// process in a second round whether each tag found peels to a commit (`<oid>^{commit}`).
    pub(super) fn lookup_batch(&self, claims: &[&str], peel: bool) -> Vec<Lookup> {
        match self.run_batch(claims, peel) {
            Ok(lookups) => lookups,
            Err(why) => claims
                .iter()
                .map(|_| Lookup::Unreadable(why.clone()))
                .collect(),
        }
    }

    fn run_batch(&self, claims: &[&str], peel: bool) -> Result<Vec<Lookup>, String> {
        let mut child = git(&self.dir)
            .args(["cat-file", "--batch-check=%(objectname) %(objecttype)"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                format!("this repository needs the git command-line tool (libgit2 cannot read its extensions), and running git failed: {e}")
            })?;
        let mut stdin = child.stdin.take().ok_or("git cat-file has no stdin")?;
        let mut stdout = BufReader::new(child.stdout.take().ok_or("git cat-file has no stdout")?);
        let rounds = (|| {
            let answers = ask(&mut stdin, &mut stdout, claims.iter().copied())?;
            let mut lookups: Vec<Lookup> = answers
                .iter()
                .map(|line| parse_answer(line, self.format))
                .collect();
            if peel {
                let tags: Vec<usize> = (0..lookups.len())
                    .filter(|&i| {
                        matches!(
                            lookups[i],
                            Lookup::Found {
                                kind: ObjectKind::Tag,
                                ..
                            }
                        )
                    })
                    .collect();
                let questions: Vec<String> = tags
                    .iter()
                    .filter_map(|&i| match &lookups[i] {
                        Lookup::Found { oid, .. } => Some(format!("{oid}^{{commit}}")),
                        _ => None,
                    })
                    .collect();
                let peeled = ask(
                    &mut stdin,
                    &mut stdout,
                    questions.iter().map(String::as_str),
                )?;
                for (i, answer) in tags.into_iter().zip(peeled) {
                    if let Lookup::Found {
                        peels_to_commit, ..
                    } = &mut lookups[i]
                    {
                        *peels_to_commit = answer.ends_with(" commit");
                    }
                }
            }
            Ok::<_, String>(lookups)
        })();
        drop(stdin);
        let output = child
            .wait_with_output()
            .map_err(|e| format!("git cat-file failed: {e}"))?;
        match rounds {
            Ok(lookups) if output.status.success() => Ok(lookups),
            Ok(_) => Err(format!(
                "git cat-file failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )),
            Err(why) => Err(format!(
                "{why}: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )),
        }
    }
}

/// One round with a running `git cat-file --batch-check`: write the questions (from another
/// thread, since git answers while we write and both pipes are bounded) and read exactly one
/// answer line per question.
fn ask<'a>(
    stdin: &mut ChildStdin,
    stdout: &mut BufReader<ChildStdout>,
    questions: impl Iterator<Item = &'a str>,
) -> Result<Vec<String>, String> {
    let mut input = String::new();
    for question in questions {
        input.push_str(question);
        input.push('\n');
    }
    let expected = input.bytes().filter(|&b| b == b'\n').count();
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            stdin
                .write_all(input.as_bytes())
                .and_then(|()| stdin.flush())
        });
        let mut answers = Vec::with_capacity(expected);
        let mut line = String::new();
        while answers.len() < expected {
            line.clear();
            match stdout.read_line(&mut line) {
                Ok(0) => break,
                Ok(_) => answers.push(line.trim_end_matches('\n').to_string()),
                Err(e) => return Err(format!("cannot read git cat-file's answers: {e}")),
            }
        }
        match writer.join() {
            Ok(Ok(())) if answers.len() == expected => Ok(answers),
            Ok(Ok(())) => Err(format!(
                "git cat-file answered {} of {expected} questions",
                answers.len()
            )),
            Ok(Err(e)) => Err(format!("cannot write to git cat-file: {e}")),
            Err(_) => Err("the writer to git cat-file panicked".to_string()),
        }
    })
}

/// A `git` command confined to `dir`: no search above it, no environment redirection.
fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command.arg("-C").arg(dir);
    if let Some(parent) = dir.parent() {
        command.env("GIT_CEILING_DIRECTORIES", parent);
    }
    for var in REDIRECTING_ENV {
        command.env_remove(var);
    }
    command
}

/// One `--batch-check` answer: `<oid> <type>`, `<input> missing` or `<input> ambiguous`.
fn parse_answer(line: &str, format: ObjectFormat) -> Lookup {
    if line.ends_with(" missing") {
        return Lookup::Missing;
    }
    if line.ends_with(" ambiguous") {
        return Lookup::Ambiguous;
    }
    let Some((oid, kind)) = line.split_once(' ') else {
        return Lookup::Unreadable(format!("unexpected answer from git cat-file: {line:?}"));
    };
    let kind = match kind {
        "commit" => ObjectKind::Commit,
        "tree" => ObjectKind::Tree,
        "blob" => ObjectKind::Blob,
        "tag" => ObjectKind::Tag,
        _ => {
            return Lookup::Unreadable(format!(
                "unexpected object type from git cat-file: {line:?}"
            ));
        }
    };
    if oid.len() != format.hex_len() || !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Lookup::Unreadable(format!("unexpected object id from git cat-file: {line:?}"));
    }
    Lookup::Found {
        oid: oid.to_ascii_lowercase(),
        kind,
        // A commit peels to itself; tags are asked about in a second round.
        peels_to_commit: kind == ObjectKind::Commit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_check_answers_parse() {
        let oid = "a".repeat(64);
        assert!(matches!(
            parse_answer(&format!("{oid} commit"), ObjectFormat::Sha256),
            Lookup::Found {
                kind: ObjectKind::Commit,
                ..
            }
        ));
        assert_eq!(
            parse_answer("abcd missing", ObjectFormat::Sha256),
            Lookup::Missing
        );
        assert_eq!(
            parse_answer("abcd ambiguous", ObjectFormat::Sha256),
            Lookup::Ambiguous
        );
        assert!(matches!(
            parse_answer(&format!("{oid} commit"), ObjectFormat::Sha1),
            Lookup::Unreadable(_)
        ));
        assert!(matches!(
            parse_answer("garbage", ObjectFormat::Sha1),
            Lookup::Unreadable(_)
        ));
    }
}
