//! What the host knows about a commit a report line cites, besides the plugin's words: its
//! author, the PR and issue numbers its message names, and its line counts.
//!
//! Guarantees: facts come from the host's own git reads (a `git.log`/`git.log-page` answer the
//! run already computed, or a fresh read), never from a plugin; both paths give equal facts
//! for the same commit (tested in `tests/gitread.rs`).

use crate::bindings::v0_1::strive::loops::git::Commit;

/// What a report line says about the commit it cites, besides the plugin's words: read by the
/// host from git, never taken from the plugin.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitFacts {
    pub author: String,
    /// PR and issue references of the message ([`message_refs`]).
    pub refs: Vec<(&'static str, u64)>,
    /// Lines added, lines deleted and files changed against the first parent, when known.
    pub lines: Option<(u64, u64, usize)>,
}

impl CommitFacts {
    /// From a commit the host already read (a `git.log`/`git.log-page` answer with changes).
    pub fn of(commit: &Commit) -> CommitFacts {
        let message = if commit.body.is_empty() {
            commit.subject.clone()
        } else {
            format!("{}\n\n{}", commit.subject, commit.body)
        };
        CommitFacts {
            author: commit.author_name.clone(),
            refs: message_refs(&message),
            lines: Some((
                commit.changes.iter().map(|c| u64::from(c.additions)).sum(),
                commit.changes.iter().map(|c| u64::from(c.deletions)).sum(),
                commit.changes.len(),
            )),
        }
    }

    /// From git, for a cited commit the run did not read with its changes.
    pub fn read(repo: &git2::Repository, sha: &str) -> Option<CommitFacts> {
        let oid = crate::gitread::resolve(repo, sha).ok()?;
        let commit = repo.find_commit(oid).ok()?;
        let encoding = commit.message_encoding().ok().flatten();
        let author = crate::gitread::decode(commit.author().name_bytes(), encoding);
        let message = crate::gitread::decoded_message(&commit);
        let lines = crate::gitread::changes(repo, &oid.to_string())
            .ok()
            .map(|changes| {
                (
                    changes.iter().map(|c| u64::from(c.additions)).sum(),
                    changes.iter().map(|c| u64::from(c.deletions)).sum(),
                    changes.len(),
                )
            });
        Some(CommitFacts {
            author,
            refs: message_refs(&message),
            lines,
        })
    }
}

/// `(#123)`, `Merge pull request #123`, `!123` (GitLab) → pull requests; `Fixes #12`,
/// `Closes #12`, `Refs #12` → issues. At most five, first seen first.
pub fn message_refs(message: &str) -> Vec<(&'static str, u64)> {
    let mut out: Vec<(&'static str, u64)> = Vec::new();
    let mut push = |kind: &'static str, n: u64| {
        if out.len() < 5 && !out.iter().any(|(_, m)| *m == n) {
            out.push((kind, n));
        }
    };
    let number = |s: &str| -> Option<u64> {
        let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
        (!digits.is_empty() && digits.len() <= 9)
            .then(|| digits.parse().ok())
            .flatten()
    };
    let subject = message.lines().next().unwrap_or("");
    let lower_subject = subject.to_lowercase();
    for (i, _) in subject.match_indices("(#") {
        if let Some(n) = number(&subject[i + 2..]) {
            push("pr", n);
        }
    }
    for p in ["merge pull request #", "auto merge of #"] {
        if let Some(i) = lower_subject.find(p)
            && let Some(n) = number(&lower_subject[i + p.len()..])
        {
            push("pr", n);
        }
    }
    for (i, _) in message.match_indices('!') {
        let before = message[..i].chars().last();
        if before.is_none_or(char::is_whitespace)
            && let Some(n) = number(&message[i + 1..])
        {
            push("pr", n);
        }
    }
    let lower = message.to_lowercase();
    for p in [
        "fixes #",
        "fixed #",
        "fix #",
        "closes #",
        "closed #",
        "close #",
        "resolves #",
        "resolved #",
        "refs #",
        "ref #",
        "see #",
    ] {
        // Offsets into the lowered text index the lowered text: lowering can change a
        // character's length, and digits read the same either way.
        for (i, _) in lower.match_indices(p) {
            if let Some(n) = number(&lower[i + p.len()..]) {
                push("issue", n);
            }
        }
    }
    out
}
