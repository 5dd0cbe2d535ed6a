//! `git-commit-triage`: report-only (L1) triage of the commits that landed on a repository's
//! refs since the last run.
//!
//! Guarantees: reads the repository only through the host's `git` interface; cites the full SHA
//! of every commit a finding is about (the host verifies each before it accepts the run); stages
//! the next cursors through `state`, which the host commits only for an accepted run, so a
//! rejected run leaves the prior cursors in place. A second run with no new commits and no
//! changed divergence is `clean`.
//!
//! This file is glue: [`plan`] decides what to read and what is new (per-ref cursors, the
//! first-run window, dedupe across refs, divergence once), [`classify`] decides the category
//! (severity order) and high / watch / noise from the change and its message, and the host calls
//! fill their inputs: each commit's diff against its first parent (skipped past
//! [`DIFF_LINES_CAP`] changed lines or [`DIFF_BYTES_CAP`] bytes, which the classifier reports
//! as not inspected), the commits a revert names (resolved, so a revert is verified), and for a
//! merge the commits it brings in (so a merge folds into its branch, or is judged by its own
//! changes). Findings go out in severity order; the same patch landing twice (a cherry-pick)
//! is one finding citing both commits. Each finding's `detail` is `<category>: <reasons>`.

pub mod classify;
pub mod content;
pub mod diff;
pub mod plan;
pub mod since;

use serde_json::{Value, json};
use strive_sdk::git::{self, ChangeKind, Commit, LogQuery, PageQuery};
use strive_sdk::report::{self, Finding};
use strive_sdk::{Error, KindInfo, LoopKind, Outcome, RunContext, RunResult, state};

use classify::{Bucket, ChangeStatus, CommitInfo, FileChange};
use plan::{AheadBehind, Backfill, LogRange, RefHead, RefLog, TriageState};

pub struct CommitTriage;

/// Commits changing more lines than this are classified without reading their diff.
pub const DIFF_LINES_CAP: u64 = 4000;
/// Diffs longer than this (bytes) are not read.
pub const DIFF_BYTES_CAP: usize = 48 * 1024;
/// Commits triaged per ref per run when `target.first_run_page` is not set: a window or range
/// larger than this is read newest first over several runs (see [`plan::Backfill`]).
pub const DEFAULT_PAGE_COMMITS: u32 = 5000;

/// At most this many commits a merge brings in are listed to fold it.
const MERGE_BRINGS_CAP: u32 = 2000;

/// The loop.json fields this kind reads (the host validated the spec already).
struct TriageConfig {
    refs: Vec<String>,
    window: plan::FirstRun,
    /// Report only the first-parent chain of each ref (merges stand for their branches).
    first_parent: bool,
    /// At most this many commits per ref and run (`target.first_run_page`).
    page: u32,
}

fn config(ctx: &RunContext) -> Result<TriageConfig, Error> {
    let spec: Value = serde_json::from_str(&ctx.config_json)
        .map_err(|e| Error::msg(format!("loop spec is not JSON: {e}")))?;
    let target = spec.get("target").unwrap_or(&Value::Null);
    let refs: Vec<String> = target
        .get("refs")
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .map(|r| r.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        })
        .unwrap_or(None)
        .ok_or_else(|| Error::msg("target.refs must be a list of ref names, e.g. [\"main\"]"))?;
    if refs.is_empty() {
        return Err(Error::msg("target.refs is empty: name at least one ref"));
    }
    let window = plan::FirstRun::from_spec(target.get("first_run"), target.get("first_run_since"))
        .map_err(Error::msg)?;
    let first_parent = target
        .get("first_parent")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let page = match target.get("first_run_page") {
        None | Some(Value::Null) => DEFAULT_PAGE_COMMITS,
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                Error::msg("target.first_run_page must be a whole number of commits, at least 1")
            })?,
    };
    Ok(TriageConfig {
        refs,
        window,
        first_parent,
        page,
    })
}

/// The triage memory in the loop's section (`cursors`, `divergence_reported`).
fn load_state() -> Result<TriageState, Error> {
    let read = |key: &str| -> Result<Option<Value>, Error> {
        match state::get(key)? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| Error::msg(format!("state key {key} is not JSON: {e}"))),
        }
    };
    let mut out = TriageState::default();
    if let Some(Value::Object(map)) = read("cursors")? {
        for (name, sha) in map {
            if let Value::String(sha) = sha {
                out.cursors.insert(name, sha);
            }
        }
    }
    if let Some(Value::String(sig)) = read("divergence_reported")? {
        out.divergence_reported = Some(sig);
    }
    if let Some(Value::Object(map)) = read("backfill")? {
        for (name, value) in map {
            let b = Backfill::from_json(&value).ok_or_else(|| {
                Error::msg(format!(
                    "state key backfill.{name} is malformed; `strive reset` the loop's section to read the window again"
                ))
            })?;
            out.backfill.insert(name, b);
        }
    }
    Ok(out)
}

fn stage_state(next: &TriageState) -> Result<(), Error> {
    state::set("cursors", &json!(next.cursors).to_string())?;
    state::set(
        "divergence_reported",
        &json!(next.divergence_reported).to_string(),
    )?;
    let backfill: serde_json::Map<String, Value> = next
        .backfill
        .iter()
        .map(|(name, b)| (name.clone(), b.to_json()))
        .collect();
    state::set("backfill", &Value::Object(backfill).to_string())?;
    Ok(())
}

fn message_of(commit: &Commit) -> String {
    if commit.body.is_empty() {
        commit.subject.clone()
    } else {
        format!("{}\n\n{}", commit.subject, commit.body)
    }
}

/// The commit's diff against its first parent as the page brought it, if it is small enough to
/// read (the classifier otherwise says the content was not inspected). A root commit's content
/// is not read (an initial import is not a change to judge line by line).
fn read_diff(commit: &Commit, patch: Option<String>) -> Option<String> {
    commit.parents.first()?;
    let lines: u64 = commit
        .changes
        .iter()
        .map(|c| u64::from(c.additions) + u64::from(c.deletions))
        .sum();
    if lines > DIFF_LINES_CAP {
        return None;
    }
    patch.filter(|d| d.len() <= DIFF_BYTES_CAP)
}

/// One page of commits with their changes and patches, in one host call.
fn read_page(query: LogQuery, skip: u32) -> Result<Vec<git::PageCommit>, Error> {
    Ok(git::log_page(&PageQuery {
        log: query,
        skip,
        patch_bytes: DIFF_BYTES_CAP as u32,
    })?)
}

/// Hex tokens of a revert's message that name commits here, with their subjects.
fn mentioned(message: &str) -> Vec<classify::Mentioned> {
    if !message.to_lowercase().contains("revert") {
        return Vec::new();
    }
    let mut out: Vec<classify::Mentioned> = Vec::new();
    let tokens = message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| (7..=40).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_hexdigit()));
    for token in tokens.take(8) {
        if out.iter().any(|m| m.token == token) {
            continue;
        }
        let Ok(sha) = git::resolve(token) else {
            continue;
        };
        let subject = git::log(&LogQuery {
            tip: sha.clone(),
            since_exclusive: None,
            since_time: None,
            limit: 1,
            with_changes: false,
        })
        .ok()
        .and_then(|l| l.into_iter().next())
        .map(|c| c.subject)
        .unwrap_or_default();
        out.push(classify::Mentioned {
            token: token.to_string(),
            sha,
            subject,
        });
    }
    out
}

/// For a merge: the commits it brings in, whether all of them are in this report, and the
/// paths it changes that none of them touched.
fn merge_facts(
    commit: &Commit,
    in_report: &std::collections::HashSet<String>,
    commits: &std::collections::HashMap<String, Commit>,
    first_parent: bool,
) -> Option<classify::MergeFacts> {
    if commit.parents.len() < 2 || first_parent {
        return (commit.parents.len() >= 2).then(classify::MergeFacts::default);
    }
    let brought = git::log(&LogQuery {
        tip: commit.parents[1].clone(),
        since_exclusive: Some(commit.parents[0].clone()),
        since_time: None,
        limit: MERGE_BRINGS_CAP,
        with_changes: false,
    })
    .ok()?;
    let branch_in_report = !brought.is_empty()
        && (brought.len() as u32) < MERGE_BRINGS_CAP
        && brought.iter().all(|b| in_report.contains(&b.sha));
    let mut touched = std::collections::HashSet::new();
    if branch_in_report {
        for b in &brought {
            if let Some(c) = commits.get(&b.sha) {
                touched.extend(c.changes.iter().map(|f| f.path.clone()));
            }
        }
    }
    Some(classify::MergeFacts {
        own_paths: commit
            .changes
            .iter()
            .map(|f| f.path.clone())
            .filter(|p| !touched.contains(p))
            .collect(),
        branch_in_report,
        brings: brought.len(),
    })
}

fn commit_info(commit: &Commit) -> CommitInfo {
    CommitInfo {
        message: message_of(commit),
        author: format!("{} <{}>", commit.author_name, commit.author_email),
        parent_count: commit.parents.len() as u32,
        diff: None,
        mentioned: Vec::new(),
        merge: None,
        files: commit
            .changes
            .iter()
            .map(|c| FileChange {
                path: c.path.clone(),
                status: match c.kind {
                    ChangeKind::Added | ChangeKind::Copied => ChangeStatus::Added,
                    ChangeKind::Deleted => ChangeStatus::Deleted,
                    ChangeKind::Renamed => ChangeStatus::Renamed,
                    _ => ChangeStatus::Modified,
                },
                added_lines: u64::from(c.additions),
                deleted_lines: u64::from(c.deletions),
                binary: c.binary,
            })
            .collect(),
    }
}

fn wit_bucket(b: Bucket) -> report::Bucket {
    match b {
        Bucket::High => report::Bucket::High,
        Bucket::Watch => report::Bucket::Watch,
        Bucket::Noise => report::Bucket::Noise,
    }
}

impl LoopKind for CommitTriage {
    fn describe() -> KindInfo {
        KindInfo {
            name: "git-commit-triage".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            summary: "Report-only triage of new commits: high / watch / noise, every finding cited"
                .into(),
        }
    }

    fn run(ctx: &RunContext) -> Result<RunResult, Error> {
        let cfg = config(ctx)?;
        let prior = load_state()?;
        let mut heads = Vec::with_capacity(cfg.refs.len());
        for name in &cfg.refs {
            match git::resolve(name) {
                Ok(head) => heads.push(RefHead {
                    name: name.clone(),
                    head,
                }),
                // An empty repository: no ref resolves and there are no branches at all.
                Err(e) => {
                    if git::refs().is_ok_and(|r| r.is_empty()) {
                        return Ok(RunResult {
                            outcome: Outcome::Clean,
                            note: "no commits yet: the repository is empty".into(),
                        });
                    }
                    return Err(e.into());
                }
            }
        }

        let mut logs = Vec::new();
        let mut commits = std::collections::HashMap::new();
        let mut patches: std::collections::HashMap<String, String> =
            std::collections::HashMap::new();
        let mut window_notes = Vec::new();
        let mut backfill_notes: Vec<String> = Vec::new();
        // Pages that did not reach the end of their window or range, and where first-parent
        // chains start (heads, and where a paged chain continues).
        let mut next_backfill = std::collections::BTreeMap::new();
        let mut chain_starts: Vec<String> = heads.iter().map(|h| h.head.clone()).collect();
        let mut paged: Vec<(String, Backfill, Vec<String>)> = Vec::new();
        for request in plan::log_requests(&prior, &heads, &cfg.window) {
            let (query, skip, remaining, note_of, chain_next) = match &request.range {
                LogRange::UpToDate => continue,
                LogRange::Since { cursor, head } => (
                    LogQuery {
                        tip: head.clone(),
                        since_exclusive: Some(cursor.clone()),
                        since_time: None,
                        limit: 0,
                        with_changes: true,
                    },
                    0,
                    None,
                    None,
                    None,
                ),
                LogRange::Window { head, window } => {
                    let (query, note) = window_query(head, window, ctx.now_unix)?;
                    let remaining = (query.limit > 0).then_some(query.limit);
                    (query, 0, remaining, Some((false, note)), None)
                }
                LogRange::Backfill(b) => {
                    if let Some(start) = &b.chain_next {
                        chain_starts.push(start.clone());
                    }
                    (
                        LogQuery {
                            tip: b.tip.clone(),
                            since_exclusive: b.since_exclusive.clone(),
                            since_time: b.since_time,
                            limit: 0,
                            with_changes: true,
                        },
                        b.read,
                        b.remaining,
                        Some((
                            true,
                            format!(
                                "an earlier window continued from its commit {}",
                                u64::from(b.read) + 1
                            ),
                        )),
                        b.chain_next.clone(),
                    )
                }
            };
            let limit = remaining.map_or(cfg.page, |r| r.min(cfg.page));
            let page = read_page(
                LogQuery {
                    limit,
                    ..query.clone()
                },
                skip,
            )?;
            let read = page.len() as u32;
            let left = remaining.map(|r| r - read.min(r));
            let more = read == limit && left != Some(0);
            if more {
                let b = Backfill {
                    tip: query.tip.clone(),
                    since_exclusive: query.since_exclusive.clone(),
                    since_time: query.since_time,
                    remaining: left,
                    read: skip.saturating_add(read),
                    chain_next,
                };
                paged.push((
                    request.ref_name.clone(),
                    b,
                    page.iter().map(|p| p.commit.sha.clone()).collect(),
                ));
            }
            if note_of.is_none() && more {
                backfill_notes.push(format!(
                    "{}: {read} new commit(s) read this run, newest first, the rest continue next run",
                    request.ref_name
                ));
            }
            if let Some((continued, note)) = note_of {
                let notes = if continued {
                    &mut backfill_notes
                } else {
                    &mut window_notes
                };
                notes.push(format!(
                    "{}: {note}{}",
                    request.ref_name,
                    if more {
                        format!(
                            "; {read} commit(s) read this run, newest first, the rest continue next run"
                        )
                    } else {
                        String::new()
                    }
                ));
            }
            logs.push(RefLog {
                ref_name: request.ref_name.clone(),
                commits: page.iter().map(|p| p.commit.sha.clone()).collect(),
            });
            for p in page {
                if let Some(text) = p.patch {
                    patches.insert(p.commit.sha.clone(), text);
                }
                commits.entry(p.commit.sha.clone()).or_insert(p.commit);
            }
        }
        // A paged first-parent chain continues from the first parent of the last chain commit
        // this page read.
        for (name, mut b, shas) in paged {
            if cfg.first_parent {
                let chain = plan::first_parent_only(&shas, &chain_starts, |sha| {
                    commits.get(sha).and_then(|c| c.parents.first().cloned())
                });
                b.chain_next = chain
                    .last()
                    .and_then(|sha| commits.get(sha))
                    .and_then(|c| c.parents.first().cloned())
                    .or(b.chain_next.clone());
            }
            next_backfill.insert(name, b);
        }

        // First ref against the last: plan's "ahead" = commits on the first ref the last lacks.
        let counts = match (heads.first(), heads.last()) {
            (Some(first), Some(last)) if heads.len() >= 2 => {
                let (ahead, behind) = git::ahead_behind(&last.head, &first.head)?;
                Some(AheadBehind {
                    ahead: u64::from(ahead),
                    behind: u64::from(behind),
                })
            }
            _ => None,
        };
        let mut planned = plan::plan(&prior, &heads, &logs, counts.as_ref());
        planned.next.backfill = next_backfill;
        let to_classify: Vec<String> = if cfg.first_parent {
            plan::first_parent_only(&planned.to_classify, &chain_starts, |sha| {
                commits.get(sha).and_then(|c| c.parents.first().cloned())
            })
        } else {
            planned.to_classify.clone()
        };
        let in_report: std::collections::HashSet<String> = to_classify.iter().cloned().collect();

        // Classify, then order by severity (stable: log order within a category).
        let mut judged = Vec::new();
        for sha in &to_classify {
            let Some(commit) = commits.get(sha) else {
                continue;
            };
            let mut info = commit_info(commit);
            // Each commit is classified once: its patch is moved out, not copied.
            info.diff = read_diff(commit, patches.remove(sha));
            info.mentioned = mentioned(&info.message);
            info.merge = merge_facts(commit, &in_report, &commits, cfg.first_parent);
            let parsed = info.diff.as_deref().map(diff::parse);
            let patch = parsed
                .as_ref()
                .and_then(|p| p.as_ref().ok())
                .and_then(|files| diff::patch_id(files))
                .filter(|_| commit.parents.len() < 2);
            let verdict = classify::classify_parsed(&info, parsed);
            judged.push((commit, verdict, patch));
        }
        judged.sort_by_key(|(_, v, _)| v.category);

        let (mut high, mut watch) = (0usize, 0usize);
        let mut seen_patches: std::collections::HashMap<u64, usize> =
            std::collections::HashMap::new();
        let mut findings: Vec<Finding> = Vec::new();
        for (commit, verdict, patch) in &judged {
            // The same patch twice (a cherry-pick): one finding citing both commits.
            if let Some(id) = patch
                && let Some(&at) = seen_patches.get(id)
            {
                let f = &mut findings[at];
                f.cites.push(commit.sha.clone());
                f.detail.push_str(&format!(
                    "; the same patch also landed as {}",
                    &commit.sha[..10]
                ));
                continue;
            }
            match verdict.bucket {
                Bucket::High => high += 1,
                Bucket::Watch => watch += 1,
                Bucket::Noise => {}
            }
            if let Some(id) = patch {
                seen_patches.insert(*id, findings.len());
            }
            findings.push(Finding {
                bucket: wit_bucket(verdict.bucket),
                title: commit.subject.clone(),
                detail: format!(
                    "{}: {}",
                    verdict.category.as_str(),
                    verdict.reasons.join("; ")
                ),
                cites: vec![commit.sha.clone()],
                paths: commit.changes.iter().map(|c| c.path.clone()).collect(),
            });
        }
        for f in &findings {
            report::add_finding(f)?;
        }
        if let Some(d) = &planned.divergence {
            high += 1;
            report::add_finding(&Finding {
                bucket: report::Bucket::High,
                title: d.text.clone(),
                detail: format!(
                    "divergence: {} at {} vs {} at {}",
                    d.base_ref, d.base_head, d.tip_ref, d.tip_head
                ),
                cites: vec![d.base_head.clone()],
                paths: Vec::new(),
            })?;
        }
        stage_state(&planned.next)?;

        let mut window = if window_notes.is_empty() {
            String::new()
        } else {
            format!(" (first run: {})", window_notes.join(", "))
        };
        if !backfill_notes.is_empty() {
            window.push_str(&format!(" (paging: {})", backfill_notes.join(", ")));
        }
        Ok(if findings.is_empty() && planned.divergence.is_none() {
            RunResult {
                outcome: Outcome::Clean,
                note: if window_notes.is_empty() {
                    format!("no new commits since the last run{window}")
                } else {
                    format!("no commits in the first-run window{window}")
                },
            }
        } else {
            RunResult {
                outcome: Outcome::Found,
                note: format!(
                    "{} new commit(s) on {} ref(s): {high} high, {watch} watch{}{window}",
                    to_classify.len(),
                    heads.len(),
                    if planned.divergence.is_some() {
                        ", refs diverged"
                    } else {
                        ""
                    }
                ),
            }
        })
    }
}

/// The log query for a ref's first run, and a note saying what window was read.
fn window_query(
    head: &str,
    window: &plan::FirstRun,
    now_unix: i64,
) -> Result<(LogQuery, String), Error> {
    let mut q = LogQuery {
        tip: head.to_string(),
        since_exclusive: None,
        since_time: None,
        limit: 0,
        with_changes: true,
    };
    let note = match window {
        plan::FirstRun::All => "full history".to_string(),
        plan::FirstRun::Last(n) => {
            q.limit = *n;
            format!("last {n} commit(s)")
        }
        plan::FirstRun::Since { expr, from_newest } => {
            // Relative windows count back from the newest commit (an idle repository's first
            // run still reads its last active week), or from the clock when asked.
            let base = if *from_newest {
                git::log(&LogQuery {
                    tip: head.to_string(),
                    since_exclusive: None,
                    since_time: None,
                    limit: 1,
                    with_changes: false,
                })?
                .first()
                .map_or(now_unix, |c| c.committer_time)
            } else {
                now_unix
            };
            q.since_time = Some(since::parse_since(expr, base).ok_or_else(|| {
                Error::msg(format!(
                    "target.first_run {expr:?} is not understood; use e.g. \"7 days ago\", \"2024-05-01\", {{\"last\": 50}}, {{\"since_tag\": true}} or \"all\""
                ))
            })?);
            format!(
                "since {expr}{}",
                if *from_newest {
                    " before the newest commit"
                } else {
                    ""
                }
            )
        }
        plan::FirstRun::SinceTag(name) => {
            let tag = match name {
                Some(t) => t.clone(),
                None => newest_tag(head)?.ok_or_else(|| {
                    Error::msg("target.first_run {\"since_tag\": true}: no tag is reachable from the ref; name one, e.g. {\"since_tag\": \"v1.2.0\"}, or use {\"last\": 50}")
                })?,
            };
            q.since_exclusive = Some(git::resolve(&tag)?);
            format!("since tag {tag}")
        }
    };
    Ok((q, note))
}

/// The tag nearest `head` among the tags reachable from it (fewest commits between).
fn newest_tag(head: &str) -> Result<Option<String>, Error> {
    let mut best: Option<(u32, String)> = None;
    let tags = git::refs()?
        .into_iter()
        .filter(|r| r.name.starts_with("refs/tags/"))
        .take(200);
    for t in tags {
        // (ahead, behind) of head against the tag: behind 0 = the tag is an ancestor.
        let (ahead, behind) = git::ahead_behind(&t.target, head)?;
        if behind == 0 && best.as_ref().is_none_or(|(n, _)| ahead < *n) {
            best = Some((ahead, t.name.trim_start_matches("refs/tags/").to_string()));
        }
    }
    Ok(best.map(|(_, name)| name))
}

strive_sdk::export_loop_kind!(CommitTriage);
