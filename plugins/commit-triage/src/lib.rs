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
//! first-run window, dedupe across refs, divergence once), [`classify`] decides high / watch /
//! noise, and the host calls fill their inputs.

pub mod classify;
pub mod plan;
pub mod since;

use serde_json::{Value, json};
use strive_sdk::git::{self, ChangeKind, Commit, LogQuery};
use strive_sdk::report::{self, Finding};
use strive_sdk::{Error, KindInfo, LoopKind, Outcome, RunContext, RunResult, state};

use classify::{Bucket, ChangeStatus, CommitInfo, FileChange};
use plan::{AheadBehind, LogRange, RefHead, RefLog, TriageState};

pub struct CommitTriage;

/// The loop.json fields this kind reads (the host validated the spec already).
struct TriageConfig {
    refs: Vec<String>,
    first_run_since: Option<String>,
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
    let first_run_since = target
        .get("first_run_since")
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(TriageConfig {
        refs,
        first_run_since,
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
    Ok(out)
}

fn stage_state(next: &TriageState) -> Result<(), Error> {
    state::set("cursors", &json!(next.cursors).to_string())?;
    state::set(
        "divergence_reported",
        &json!(next.divergence_reported).to_string(),
    )?;
    Ok(())
}

fn commit_info(commit: &Commit) -> CommitInfo {
    let message = if commit.body.is_empty() {
        commit.subject.clone()
    } else {
        format!("{}\n\n{}", commit.subject, commit.body)
    };
    CommitInfo {
        message,
        author: format!("{} <{}>", commit.author_name, commit.author_email),
        parent_count: commit.parents.len() as u32,
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
                old_lines: None,
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
            heads.push(RefHead {
                name: name.clone(),
                head: git::resolve(name)?,
            });
        }

        let mut logs = Vec::new();
        let mut commits = std::collections::HashMap::new();
        for request in plan::log_requests(&prior, &heads, cfg.first_run_since.as_deref()) {
            let query = match &request.range {
                LogRange::UpToDate => continue,
                LogRange::Since { cursor, head } => LogQuery {
                    tip: head.clone(),
                    since_exclusive: Some(cursor.clone()),
                    since_time: None,
                    limit: 0,
                    with_changes: true,
                },
                LogRange::Window { head, since } => LogQuery {
                    tip: head.clone(),
                    since_exclusive: None,
                    since_time: Some(since::parse_since(since, ctx.now_unix).ok_or_else(|| {
                        Error::msg(format!(
                            "target.first_run_since {since:?} is not understood; use e.g. \"7 days ago\" or \"2024-05-01\""
                        ))
                    })?),
                    limit: 0,
                    with_changes: true,
                },
            };
            let listed = git::log(&query)?;
            logs.push(RefLog {
                ref_name: request.ref_name.clone(),
                commits: listed.iter().map(|c| c.sha.clone()).collect(),
            });
            for c in listed {
                commits.entry(c.sha.clone()).or_insert(c);
            }
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
        let planned = plan::plan(&prior, &heads, &logs, counts.as_ref());

        let (mut high, mut watch) = (0usize, 0usize);
        for sha in &planned.to_classify {
            let Some(commit) = commits.get(sha) else {
                continue;
            };
            let verdict = classify::classify(&commit_info(commit));
            match verdict.bucket {
                Bucket::High => high += 1,
                Bucket::Watch => watch += 1,
                Bucket::Noise => {}
            }
            report::add_finding(&Finding {
                bucket: wit_bucket(verdict.bucket),
                title: commit.subject.clone(),
                detail: verdict.reasons.join("; "),
                cites: vec![commit.sha.clone()],
                paths: commit.changes.iter().map(|c| c.path.clone()).collect(),
            })?;
        }
        if let Some(d) = &planned.divergence {
            high += 1;
            report::add_finding(&Finding {
                bucket: report::Bucket::High,
                title: d.text.clone(),
                detail: format!(
                    "{} at {} vs {} at {}",
                    d.base_ref, d.base_head, d.tip_ref, d.tip_head
                ),
                cites: vec![d.base_head.clone()],
                paths: Vec::new(),
            })?;
        }
        stage_state(&planned.next)?;

        Ok(if high + watch == 0 {
            RunResult {
                outcome: Outcome::Clean,
                note: "no new commits since cursors".into(),
            }
        } else {
            RunResult {
                outcome: Outcome::Found,
                note: format!(
                    "{} new commit(s) on {} ref(s){}",
                    planned.to_classify.len(),
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

strive_sdk::export_loop_kind!(CommitTriage);
