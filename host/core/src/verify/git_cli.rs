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
use std::process::{Command, Stdio};

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

    /// Ask one `git cat-file --batch-check` about every claim: the object `<claim>` names, and
    /// with `peel` also `<claim>^{commit}`.
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
        let mut input = String::with_capacity(claims.len() * 80);
        for claim in claims {
            input.push_str(claim);
            input.push('\n');
            if peel {
                input.push_str(claim);
                input.push_str("^{commit}\n");
            }
        }
        let mut child = git(&self.dir)
            .args([
                "cat-file",
                "--batch-check=%(objectname) %(objecttype)",
                "--buffer",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                format!("this repository needs the git command-line tool (libgit2 cannot read its extensions), and running git failed: {e}")
            })?;
        let mut stdin = child.stdin.take().ok_or("git cat-file has no stdin")?;
        let stdout = child.stdout.take().ok_or("git cat-file has no stdout")?;
        // Write from another thread: git answers while we write, and both pipes are bounded.
        let answers = std::thread::scope(|scope| {
            let writer = scope.spawn(move || stdin.write_all(input.as_bytes()));
            let answers: Result<Vec<String>, _> = BufReader::new(stdout).lines().collect();
            (writer.join(), answers)
        });
        let output = child
            .wait_with_output()
            .map_err(|e| format!("git cat-file failed: {e}"))?;
        let failure = || {
            format!(
                "git cat-file failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )
        };
        let lines = match answers {
            (Ok(Ok(())), Ok(lines)) if output.status.success() => lines,
            _ => return Err(failure()),
        };
        let per_claim = if peel { 2 } else { 1 };
        if lines.len() != claims.len() * per_claim {
            return Err(format!(
                "git cat-file answered {} lines for {} questions",
                lines.len(),
                claims.len() * per_claim
            ));
        }
        Ok(lines
            .chunks(per_claim)
            .map(|answer| {
                let peels_to_commit = answer.get(1).is_some_and(|line| line.ends_with(" commit"));
                match parse_answer(&answer[0], self.format) {
                    Lookup::Found { oid, kind, .. } => Lookup::Found {
                        oid,
                        kind,
                        peels_to_commit: kind == ObjectKind::Commit || peels_to_commit,
                    },
                    other => other,
                }
            })
            .collect())
    }
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
        peels_to_commit: false,
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
