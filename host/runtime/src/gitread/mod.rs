//! Read-only git queries (libgit2) in the shapes of the WIT `git` interface.
//!
//! Guarantees: nothing here writes to the repository or its config. A revision that does not
//! resolve, a repository that cannot be read, or an object of the wrong kind is a typed error
//! naming the revision. Revisions starting with `-` are refused (never option-like), and so is
//! revision grep (`:/regex`, `rev^{/regex}`), which scans history with no bound. A log walk
//! with a deadline checks it between commits and stops with an error naming how far it got;
//! the host runs every read through [`bounded::GitReader`], so a read that libgit2 never
//! finishes (a corrupt object) still ends at the run's deadline.
//!
//! Speed: per-file line counts come from a diff of the two blobs' bytes (no attribute or config
//! lookups per file), and a long log's changes are computed on several threads (one repository
//! handle each). Objects are not re-hashed on read, as git itself does not.

pub mod bounded;

use git2::{Delta, DiffFindOptions, DiffOptions, Oid, Repository, Sort};

use crate::bindings::v0_1::HostError;
use crate::bindings::v0_1::strive::loops::git::{
    ChangeKind, Commit, FileChange, LogQuery, PageCommit, PageQuery, RefInfo,
};

fn failed(msg: String) -> HostError {
    HostError::Failed(msg)
}

/// Open `path` for read queries.
pub fn open(path: &std::path::Path) -> Result<Repository, git2::Error> {
    static READ_MODE: std::sync::Once = std::sync::Once::new();
    READ_MODE.call_once(|| {
        // libgit2 re-hashes every object it reads by default; git does not. Existence, type and
        // ancestry (all any caller here judges) do not depend on it. Process-wide.
        git2::opts::strict_hash_verification(false);
    });
    Repository::open(path)
}

/// Below this many commits a log's changes are computed on the calling thread.
const PARALLEL_CHANGES_FROM: usize = 256;

/// The commit `rev` peels to.
pub fn resolve(repo: &Repository, rev: &str) -> Result<Oid, HostError> {
    if rev.is_empty() || rev.starts_with('-') || rev.contains('\0') || rev.len() > 1024 {
        return Err(HostError::Invalid(format!(
            "{rev:?} is not a revision (empty, option-like or too long)"
        )));
    }
    if rev.contains(":/") || rev.contains("^{/") {
        return Err(HostError::Invalid(format!(
            "{rev:?}: revision grep (`:/regex`, `^{{/regex}}`) is refused — it scans the whole history with no bound; name a SHA, a ref or `ref~N` instead"
        )));
    }
    let object = repo.revparse_single(rev).map_err(|e| {
        failed(format!(
            "revision {rev:?} does not resolve: {}",
            e.message()
        ))
    })?;
    let commit = object
        .peel_to_commit()
        .map_err(|e| failed(format!("revision {rev:?} is not a commit: {}", e.message())))?;
    Ok(commit.id())
}

/// Commits per `query`, newest first, at most `cap` (the host's limit) or `query.limit`.
pub fn log(
    repo: &Repository,
    query: &LogQuery,
    cap: u64,
    deadline: Option<std::time::Instant>,
) -> Result<Vec<Commit>, HostError> {
    let walked = walk(repo, query, 0, cap, deadline)?;
    if !query.with_changes {
        return Ok(walked.into_iter().map(|(commit, _, _)| commit).collect());
    }
    let (mut page, trees) = into_page(walked);
    fill(repo, &mut page, &trees, 0, deadline)?;
    Ok(page.into_iter().map(|p| p.commit).collect())
}

/// One page of a window (see the WIT `log-page`): the walk of `log` past its first `skip`
/// commits, with changes and patches filled in one pass.
pub fn log_page(
    repo: &Repository,
    query: &PageQuery,
    cap: u64,
    deadline: Option<std::time::Instant>,
) -> Result<Vec<PageCommit>, HostError> {
    let walked = walk(repo, &query.log, u64::from(query.skip), cap, deadline)?;
    let (mut page, trees) = into_page(walked);
    if query.log.with_changes || query.patch_bytes > 0 {
        fill(repo, &mut page, &trees, query.patch_bytes, deadline)?;
    }
    if !query.log.with_changes {
        for p in &mut page {
            p.commit.changes.clear();
        }
    }
    Ok(page)
}

/// Tree ids of walked commits, by commit id: `fill` diffs a commit against its first parent
/// without reading either commit again.
type Trees = std::collections::HashMap<Oid, Oid>;

fn into_page(walked: Vec<(Commit, Oid, Oid)>) -> (Vec<PageCommit>, Trees) {
    let mut trees = Trees::with_capacity(walked.len());
    let page = walked
        .into_iter()
        .map(|(commit, id, tree)| {
            trees.insert(id, tree);
            PageCommit {
                commit,
                patch: None,
            }
        })
        .collect();
    (page, trees)
}

/// The history walk of `log` and `log-page`: time-sorted from `query.tip`, hiding
/// `since-exclusive`, stopping at the first commit older than `since-time` (as `git log --since`
/// does), skipping the first `skip` commits it yields. The order is a function of the commit
/// graph alone, so the same query with `skip` = what an earlier page read resumes exactly.
fn walk(
    repo: &Repository,
    query: &LogQuery,
    skip: u64,
    cap: u64,
    deadline: Option<std::time::Instant>,
) -> Result<Vec<(Commit, Oid, Oid)>, HostError> {
    let past = |read: u64, what: &str| -> Result<(), HostError> {
        match deadline {
            Some(d) if std::time::Instant::now() >= d => Err(failed(format!(
                "wall-time limit reached while {what} of {} (after {read} commit(s)); page with `limit` and `since-exclusive`",
                query.tip
            ))),
            _ => Ok(()),
        }
    };
    let tip = resolve(repo, &query.tip)?;
    let mut walk = repo
        .revwalk()
        .map_err(|e| failed(e.message().to_string()))?;
    walk.set_sorting(Sort::TIME)
        .map_err(|e| failed(e.message().to_string()))?;
    walk.push(tip)
        .map_err(|e| failed(e.message().to_string()))?;
    if let Some(since) = &query.since_exclusive {
        // A cursor that no longer exists (history rewritten) is an error, not "everything".
        let base = resolve(repo, since)?;
        walk.hide(base)
            .map_err(|e| failed(e.message().to_string()))?;
    }
    let limit = if query.limit == 0 {
        cap
    } else {
        u64::from(query.limit).min(cap)
    };
    let mut out: Vec<(Commit, Oid, Oid)> = Vec::new();
    let mut skipped = 0u64;
    for oid in walk {
        past(skipped + out.len() as u64, "walking the history")?;
        if out.len() as u64 >= limit {
            break;
        }
        let oid = oid.map_err(|e| failed(format!("walking {}: {}", query.tip, e.message())))?;
        let commit = repo
            .find_commit(oid)
            .map_err(|e| failed(format!("reading commit {oid}: {}", e.message())))?;
        if let Some(since) = query.since_time
            && commit.committer().when().seconds() < since
        {
            // Time-sorted walk: like `git log --since`, stop at the first older commit.
            break;
        }
        if skipped < skip {
            skipped += 1;
            continue;
        }
        out.push((to_wit(&commit, Vec::new()), oid, commit.tree_id()));
    }
    Ok(out)
}

/// Fill in `changes` (and, when `patch_bytes > 0`, `patch`) of every commit: on the calling
/// thread for a short list, else split over the available cores, each worker with its own
/// repository handle (libgit2 handles are not shared across threads). The first error wins.
fn fill(
    repo: &Repository,
    page: &mut [PageCommit],
    trees: &Trees,
    patch_bytes: u32,
    deadline: Option<std::time::Instant>,
) -> Result<(), HostError> {
    let fill_part = |repo: &Repository, part: &mut [PageCommit]| -> Result<(), HostError> {
        for p in part {
            if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                return Err(failed(
                    "wall-time limit reached while computing a log's changes".into(),
                ));
            }
            let oid = Oid::from_str(&p.commit.sha).map_err(|e| failed(e.message().to_string()))?;
            let err = |e: git2::Error| failed(format!("diffing {oid}: {}", e.message()));
            // The walk read every page commit's tree id; a parent outside the page (or a
            // commit missing from `trees`) is read here. A missing parent (a shallow clone's
            // boundary) diffs against the empty tree, as `changes_of` does.
            let tree_of = |id: Oid| -> Result<Option<Oid>, HostError> {
                match trees.get(&id) {
                    Some(t) => Ok(Some(*t)),
                    None => Ok(repo.find_commit(id).ok().map(|c| c.tree_id())),
                }
            };
            let tree_id =
                tree_of(oid)?.ok_or_else(|| failed(format!("reading commit {oid}: not found")))?;
            let parent_tree_id = match p.commit.parents.first() {
                Some(parent) => {
                    let parent =
                        Oid::from_str(parent).map_err(|e| failed(e.message().to_string()))?;
                    tree_of(parent)?
                }
                None => None,
            };
            let tree = repo.find_tree(tree_id).map_err(err)?;
            let parent_tree = parent_tree_id
                .map(|t| repo.find_tree(t))
                .transpose()
                .map_err(err)?;
            let mut patch = (patch_bytes > 0).then(String::new);
            p.commit.changes =
                changes_between(repo, oid, &tree, parent_tree.as_ref(), patch.as_mut())?;
            p.patch = patch.filter(|t| t.len() <= patch_bytes as usize);
        }
        Ok(())
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if threads < 2 || page.len() < PARALLEL_CHANGES_FROM {
        return fill_part(repo, page);
    }
    let (first, rest) = page.split_at_mut(page.len().div_ceil(threads));
    let path = repo.path().to_path_buf();
    std::thread::scope(|scope| {
        let workers: Vec<_> = rest
            .chunks_mut(first.len())
            .map(|part| {
                let path = &path;
                scope.spawn(move || {
                    let repo = open(path).map_err(|e| {
                        failed(format!("reopening {}: {}", path.display(), e.message()))
                    })?;
                    fill_part(&repo, part)
                })
            })
            .collect();
        let mut result = fill_part(repo, first);
        for worker in workers {
            let done = worker
                .join()
                .unwrap_or_else(|_| Err(failed("a diff worker panicked".into())));
            result = result.and(done);
        }
        result
    })
}

/// Text in the encoding a commit's `encoding` header names (git's `i18n.commitEncoding`):
/// UTF-8 when absent or unknown, Latin-1 and the other WHATWG encodings otherwise. Bytes that
/// do not decode become U+FFFD, never an error.
pub fn decode(bytes: &[u8], encoding: Option<&str>) -> String {
    let label = encoding.map(str::trim).unwrap_or("");
    let enc = if label.is_empty() {
        None
    } else {
        encoding_rs::Encoding::for_label(label.as_bytes())
    };
    match enc {
        // WHATWG maps ISO-8859-1 to windows-1252, a superset for text; so does git's iconv use.
        Some(enc) if enc != encoding_rs::UTF_8 => {
            enc.decode_without_bom_handling(bytes).0.into_owned()
        }
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// A commit's message decoded per its `encoding` header.
pub fn decoded_message(commit: &git2::Commit<'_>) -> String {
    decode(
        commit.message_bytes(),
        commit.message_encoding().ok().flatten(),
    )
}

fn to_wit(commit: &git2::Commit<'_>, changes: Vec<FileChange>) -> Commit {
    let message = decoded_message(commit);
    let encoding = commit.message_encoding().ok().flatten();
    let (subject, body) = match message.split_once('\n') {
        Some((s, b)) => (s.trim_end().to_string(), b.trim().to_string()),
        None => (message.trim_end().to_string(), String::new()),
    };
    let author = commit.author();
    Commit {
        sha: commit.id().to_string(),
        parents: commit.parent_ids().map(|p| p.to_string()).collect(),
        author_name: decode(author.name_bytes(), encoding),
        author_email: decode(author.email_bytes(), encoding),
        author_time: author.when().seconds(),
        committer_time: commit.committer().when().seconds(),
        subject,
        body,
        changes,
    }
}

/// Files `sha` changed against its first parent.
pub fn changes(repo: &Repository, sha: &str) -> Result<Vec<FileChange>, HostError> {
    let oid = resolve(repo, sha)?;
    let commit = repo
        .find_commit(oid)
        .map_err(|e| failed(e.message().to_string()))?;
    changes_of(repo, &commit, None)
}

/// One side of a changed file: its object and mode.
type Side = Option<(Oid, i32)>;

const MODE_TREE: i32 = 0o040000;
const MODE_GITLINK: i32 = 0o160000;

/// The files `commit` changed against its first parent; with `patch`, also its zero-context
/// unified diff, appended file by file from the same line diff that counts the lines.
fn changes_of(
    repo: &Repository,
    commit: &git2::Commit<'_>,
    patch: Option<&mut String>,
) -> Result<Vec<FileChange>, HostError> {
    let err = |e: git2::Error| failed(format!("diffing {}: {}", commit.id(), e.message()));
    let tree = commit.tree().map_err(err)?;
    let parent_tree = match commit.parent(0) {
        Ok(p) => Some(p.tree().map_err(err)?),
        Err(_) => None,
    };
    changes_between(repo, commit.id(), &tree, parent_tree.as_ref(), patch)
}

/// The files that differ from `parent_tree` (`None` = the empty tree) to `tree`, the trees of
/// commit `id` and its first parent; with `patch`, also the zero-context diff.
fn changes_between(
    repo: &Repository,
    id: Oid,
    tree: &git2::Tree<'_>,
    parent_tree: Option<&git2::Tree<'_>>,
    mut patch: Option<&mut String>,
) -> Result<Vec<FileChange>, HostError> {
    let err = |e: git2::Error| failed(format!("diffing {id}: {}", e.message()));
    let mut raw = Vec::new();
    tree_changes(repo, parent_tree, Some(tree), "", &mut raw).map_err(err)?;
    let added = raw.iter().any(|(_, old, _)| old.is_none());
    let deleted = raw.iter().any(|(_, _, new)| new.is_none());
    if added && deleted {
        // An added and a deleted file may pair up as a rename: libgit2's similarity detection,
        // the same as git's.
        return renamed_changes(repo, parent_tree, tree, patch).map_err(err);
    }
    raw.into_iter()
        .map(|(path, old, new)| {
            let kind = match (old, new) {
                (None, _) => ChangeKind::Added,
                (_, None) => ChangeKind::Deleted,
                (Some((_, a)), Some((_, b))) if file_type(a) != file_type(b) => {
                    ChangeKind::TypeChanged
                }
                _ => ChangeKind::Modified,
            };
            file_change(repo, path, None, kind, old, new, patch.as_deref_mut()).map_err(err)
        })
        .collect()
}

/// The kind of file a mode names (regular files of either permission are one kind).
fn file_type(mode: i32) -> i32 {
    mode & 0o170000
}

/// Files that differ between two trees (`None` = the empty tree), recursing into subtrees whose
/// ids differ, as (path, old side, new side). A name that is a tree on one side and a file on the
/// other is a deletion plus an addition, as in git.
fn tree_changes(
    repo: &Repository,
    old: Option<&git2::Tree<'_>>,
    new: Option<&git2::Tree<'_>>,
    prefix: &str,
    out: &mut Vec<(String, Side, Side)>,
) -> Result<(), git2::Error> {
    let mut olds = old.into_iter().flat_map(|t| t.iter()).peekable();
    let mut news = new.into_iter().flat_map(|t| t.iter()).peekable();
    loop {
        let order = match (olds.peek(), news.peek()) {
            (None, None) => return Ok(()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => tree_order(a, b),
        };
        let (a, b) = match order {
            std::cmp::Ordering::Less => (olds.next(), None),
            std::cmp::Ordering::Greater => (None, news.next()),
            std::cmp::Ordering::Equal => (olds.next(), news.next()),
        };
        let side = |e: &Option<git2::TreeEntry<'_>>| e.as_ref().map(|e| (e.id(), e.filemode()));
        let (old_side, new_side) = (side(&a), side(&b));
        if old_side == new_side {
            continue;
        }
        let entry = a.as_ref().or(b.as_ref()).expect("one side is present");
        let path = format!("{prefix}{}", String::from_utf8_lossy(entry.name_bytes()));
        if entry.filemode() == MODE_TREE {
            let subtree = |s: Side| s.map(|(id, _)| repo.find_tree(id)).transpose();
            let (old_tree, new_tree) = (subtree(old_side)?, subtree(new_side)?);
            tree_changes(
                repo,
                old_tree.as_ref(),
                new_tree.as_ref(),
                &format!("{path}/"),
                out,
            )?;
        } else {
            out.push((path, old_side, new_side));
        }
    }
}

/// Git's tree-entry order: bytewise by name, a tree's name compared as if it ended in `/`.
fn tree_order(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
    let (x, y) = (a.name_bytes(), b.name_bytes());
    let n = x.len().min(y.len());
    x[..n].cmp(&y[..n]).then_with(|| {
        let end = |name: &[u8], e: &git2::TreeEntry<'_>| {
            name.get(n)
                .copied()
                .unwrap_or(if e.filemode() == MODE_TREE { b'/' } else { 0 })
        };
        end(x, a).cmp(&end(y, b))
    })
}

/// Changes with rename detection (libgit2's tree diff and similarity search).
fn renamed_changes(
    repo: &Repository,
    old: Option<&git2::Tree<'_>>,
    new: &git2::Tree<'_>,
    mut patch: Option<&mut String>,
) -> Result<Vec<FileChange>, git2::Error> {
    let mut opts = DiffOptions::new();
    opts.skip_binary_check(true);
    let mut diff = repo.diff_tree_to_tree(old, Some(new), Some(&mut opts))?;
    diff.find_similar(Some(DiffFindOptions::new().renames(true)))?;
    diff.deltas()
        .map(|delta| {
            let side = |f: git2::DiffFile<'_>| f.exists().then(|| (f.id(), i32::from(f.mode())));
            let path = |f: git2::DiffFile<'_>| f.path().map(|p| p.to_string_lossy().into_owned());
            let kind = match delta.status() {
                Delta::Added => ChangeKind::Added,
                Delta::Deleted => ChangeKind::Deleted,
                Delta::Modified => ChangeKind::Modified,
                Delta::Renamed => ChangeKind::Renamed,
                Delta::Copied => ChangeKind::Copied,
                Delta::Typechange => ChangeKind::TypeChanged,
                _ => ChangeKind::Other,
            };
            let old_path = path(delta.old_file());
            let new_path = path(delta.new_file()).or_else(|| old_path.clone());
            let old_path = match kind {
                ChangeKind::Renamed | ChangeKind::Copied => old_path,
                _ => None,
            };
            file_change(
                repo,
                new_path.unwrap_or_default(),
                old_path,
                kind,
                side(delta.old_file()),
                side(delta.new_file()),
                patch.as_deref_mut(),
            )
        })
        .collect()
}

/// What one side of a changed file holds.
enum Content<'r> {
    Empty,
    Blob(git2::Blob<'r>),
    Text(String),
}

impl Content<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Content::Empty => &[],
            Content::Blob(b) => b.content(),
            Content::Text(t) => t.as_bytes(),
        }
    }
}

/// One changed file with its line counts and binary flag. A submodule's content is its
/// `Subproject commit <id>` line, as git counts it. With `patch`, the file's zero-context
/// unified diff is appended to it.
fn file_change(
    repo: &Repository,
    path: String,
    old_path: Option<String>,
    kind: ChangeKind,
    old: Side,
    new: Side,
    patch: Option<&mut String>,
) -> Result<FileChange, git2::Error> {
    let content = |side: Side| -> Result<Content<'_>, git2::Error> {
        Ok(match side {
            None => Content::Empty,
            Some((id, MODE_GITLINK)) => Content::Text(format!("Subproject commit {id}\n")),
            Some((id, _)) => Content::Blob(repo.find_blob(id)?),
        })
    };
    let (old_content, new_content) = (content(old)?, content(new)?);
    let (old_bytes, new_bytes) = (old_content.bytes(), new_content.bytes());
    let binary = looks_binary(old_bytes) || looks_binary(new_bytes);
    let (additions, deletions) = match patch {
        Some(text) => {
            let from = old_path.as_deref().unwrap_or(&path);
            write_file_header(text, from, &path, old.is_none(), new.is_none());
            if binary {
                text.push_str(&format!("Binary files a/{from} and b/{path} differ\n"));
                (0, 0)
            } else {
                line_patch(old_bytes, new_bytes, text)?
            }
        }
        None if binary => (0, 0),
        None => line_counts(old_bytes, new_bytes)?,
    };
    Ok(FileChange {
        path,
        old_path,
        kind,
        additions,
        deletions,
        binary,
    })
}

/// Git's rule for "binary": a NUL byte in the first 8,000 bytes (`.gitattributes` is not
/// consulted).
pub fn looks_binary(content: &[u8]) -> bool {
    content[..content.len().min(8000)].contains(&0)
}

/// (lines added, lines deleted) going from `old` to `new`, as `git diff --numstat` counts them
/// (libgit2's copy of git's xdiff, over the two buffers: no attribute or config lookups).
pub fn line_counts(old: &[u8], new: &[u8]) -> Result<(u32, u32), git2::Error> {
    if old == new {
        return Ok((0, 0));
    }
    let mut opts = DiffOptions::new();
    opts.context_lines(0).force_text(true);
    let patch = git2::Patch::from_buffers(old, None, new, None, Some(&mut opts))?;
    let (_, added, deleted) = patch.line_stats()?;
    Ok((added as u32, deleted as u32))
}

/// `diff --git`, `---` and `+++` lines for one file (`/dev/null` for a missing side).
fn write_file_header(text: &mut String, from: &str, to: &str, added: bool, deleted: bool) {
    use std::fmt::Write as _;
    let _ = writeln!(text, "diff --git a/{from} b/{to}");
    if added {
        text.push_str("--- /dev/null\n");
    } else {
        let _ = writeln!(text, "--- a/{from}");
    }
    if deleted {
        text.push_str("+++ /dev/null\n");
    } else {
        let _ = writeln!(text, "+++ b/{to}");
    }
}

/// [`line_counts`] that also appends the zero-context hunks to `text`.
fn line_patch(old: &[u8], new: &[u8], text: &mut String) -> Result<(u32, u32), git2::Error> {
    if old == new {
        return Ok((0, 0));
    }
    let mut opts = DiffOptions::new();
    opts.context_lines(0).force_text(true);
    let patch = git2::Patch::from_buffers(old, None, new, None, Some(&mut opts))?;
    let mut bytes: Vec<u8> = Vec::new();
    for h in 0..patch.num_hunks() {
        let (hunk, lines) = patch.hunk(h)?;
        bytes.extend_from_slice(hunk.header());
        for l in 0..lines {
            let line = patch.line_in_hunk(h, l)?;
            if matches!(line.origin(), '+' | '-' | ' ') {
                bytes.push(line.origin() as u8);
            }
            bytes.extend_from_slice(line.content());
        }
    }
    text.push_str(&String::from_utf8_lossy(&bytes));
    let (_, added, deleted) = patch.line_stats()?;
    Ok((added as u32, deleted as u32))
}

/// Unified diff between two revisions, refused past `cap` bytes.
pub fn diff(repo: &Repository, from: &str, to: &str, cap: u64) -> Result<String, HostError> {
    let a = repo
        .find_commit(resolve(repo, from)?)
        .and_then(|c| c.tree());
    let b = repo.find_commit(resolve(repo, to)?).and_then(|c| c.tree());
    let (a, b) = match (a, b) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return Err(failed(e.message().to_string())),
    };
    let diff = repo
        .diff_tree_to_tree(Some(&a), Some(&b), None)
        .map_err(|e| failed(e.message().to_string()))?;
    let mut out = Vec::new();
    let mut over = false;
    diff.print(git2::DiffFormat::Patch, |_, _, line| {
        if matches!(line.origin(), '+' | '-' | ' ') {
            out.push(line.origin() as u8);
        }
        out.extend_from_slice(line.content());
        over = out.len() as u64 > cap;
        !over
    })
    .or_else(|e| {
        if over {
            Ok(())
        } else {
            Err(failed(e.message().to_string()))
        }
    })?;
    if over {
        return Err(HostError::BudgetExceeded(
            crate::bindings::v0_1::strive::loops::types::BudgetRefusal {
                axis: "output-bytes".into(),
                cap,
                spent: 0,
                requested: out.len() as u64,
            },
        ));
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// Local branches and tags with the commit each peels to (refs that peel to no commit are skipped).
pub fn refs(repo: &Repository) -> Result<Vec<RefInfo>, HostError> {
    let mut out = Vec::new();
    let refs = repo
        .references()
        .map_err(|e| failed(e.message().to_string()))?;
    for r in refs.flatten() {
        let Ok(name) = r.name() else { continue };
        if !(name.starts_with("refs/heads/") || name.starts_with("refs/tags/")) {
            continue;
        }
        if let Ok(commit) = r.peel_to_commit() {
            out.push(RefInfo {
                name: name.to_string(),
                target: commit.id().to_string(),
            });
        }
    }
    Ok(out)
}

/// (ahead, behind): commits `tip` has that `base` lacks, and the reverse.
pub fn ahead_behind(repo: &Repository, base: &str, tip: &str) -> Result<(u32, u32), HostError> {
    let base = resolve(repo, base)?;
    let tip = resolve(repo, tip)?;
    let (ahead, behind) = repo
        .graph_ahead_behind(tip, base)
        .map_err(|e| failed(e.message().to_string()))?;
    Ok((ahead as u32, behind as u32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lines(b: &[u8]) -> u32 {
        b.split_inclusive(|&c| c == b'\n').count() as u32
    }

    /// (added, deleted) per `git diff --no-index --numstat`.
    fn git_counts(old: &[u8], new: &[u8]) -> (u32, u32) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a"), old).unwrap();
        std::fs::write(dir.path().join("b"), new).unwrap();
        let out = std::process::Command::new("git")
            .args(["diff", "--no-index", "--numstat", "a", "b"])
            .current_dir(dir.path())
            // git's defaults, whatever the developer's config says (e.g. diff.algorithm).
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let mut cols = text.split('\t');
        match (cols.next(), cols.next()) {
            (Some(a), Some(d)) if !a.is_empty() => (a.parse().unwrap(), d.parse().unwrap()),
            _ => (0, 0),
        }
    }

    fn text() -> impl Strategy<Value = Vec<u8>> {
        // Few distinct lines, so old and new share many; with and without a final newline.
        (prop::collection::vec(0u8..6, 0..40), any::<bool>()).prop_map(|(ids, eol)| {
            let mut out: Vec<u8> = ids
                .iter()
                .flat_map(|i| format!("line {i}\n").into_bytes())
                .collect();
            if !eol {
                out.pop();
            }
            out
        })
    }

    proptest! {
        #[test]
        fn line_counts_balance(old in text(), new in text()) {
            let (added, deleted) = line_counts(&old, &new).unwrap();
            prop_assert_eq!(i64::from(added) - i64::from(deleted), i64::from(lines(&new)) - i64::from(lines(&old)));
            prop_assert!(added <= lines(&new) && deleted <= lines(&old));
            if old == new {
                prop_assert_eq!((added, deleted), (0, 0));
            }
        }

        #[test]
        fn line_counts_agree_with_git(old in text(), new in text()) {
            prop_assert_eq!(line_counts(&old, &new).unwrap(), git_counts(&old, &new));
        }
    }

    #[test]
    fn messages_decode_per_their_encoding_header() {
        assert_eq!(decode(b"caf\xe9", Some("ISO-8859-1")), "café");
        assert_eq!(decode(b"caf\xe9", Some("latin1")), "café");
        assert_eq!(decode("café".as_bytes(), None), "café");
        assert_eq!(decode("café".as_bytes(), Some("UTF-8")), "café");
        assert_eq!(decode(b"\x82\xa0", Some("Shift_JIS")), "あ");
        assert_eq!(decode(b"caf\xe9", Some("no-such-encoding")), "caf\u{fffd}");
    }

    proptest! {
        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64), label in "[a-zA-Z0-9_-]{0,12}") {
            let _ = decode(&bytes, Some(&label));
        }
    }

    #[test]
    fn binary_is_a_nul_in_the_first_8000_bytes() {
        assert!(looks_binary(b"abc\0def"));
        assert!(!looks_binary(b"plain text\n"));
        let mut late = vec![b'a'; 8000];
        late.push(0);
        assert!(
            !looks_binary(&late),
            "git looks at the first 8000 bytes only"
        );
    }
}
