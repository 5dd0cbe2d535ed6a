//! `git-commit-triage`: report-only (L1) triage of the commits that landed on a repository's
//! refs since the last run.
//!
//! Guarantees: reads the repository only through the host's `git` interface, cites the full
//! SHA of every commit a finding is about (the host verifies each before accepting the run),
//! and stages new cursors through `state` (committed by the host only if the run is accepted,
//! so a rejected run leaves the prior cursors in place). A second run with no new commits and no
//! changed divergence is `clean`.
//!
//! Mechanics: per ref, `git.log(tip, since = cursor)` (or the `first_run_since` window on the
//! first run) with per-file changes; commits seen through several refs are reported once;
//! divergence between the first and last ref is reported when it differs from the last one
//! reported. Classification is in [`minimal`].

pub mod minimal;

use serde_json::{Map, Value};
use strive_sdk::git::{self, LogQuery};
use strive_sdk::report::{self, Bucket, Finding};
use strive_sdk::{Error, KindInfo, LoopKind, Outcome, RunContext, RunResult, state};

pub struct CommitTriage;

/// The loop.json fields this kind reads (the host validated the spec already).
struct TriageConfig {
    refs: Vec<String>,
    first_run_since: String,
}

fn config(ctx: &RunContext) -> Result<TriageConfig, Error> {
    let spec: Value = serde_json::from_str(&ctx.config_json)
        .map_err(|e| Error::msg(format!("loop spec is not JSON: {e}")))?;
    let target = spec.get("target").cloned().unwrap_or(Value::Null);
    let refs: Vec<String> = match target.get("refs") {
        Some(Value::Array(items)) => items
            .iter()
            .map(|r| r.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| Error::msg("target.refs must be a list of strings"))?,
        _ => return Err(Error::msg("target.refs is required (e.g. [\"main\"])")),
    };
    if refs.is_empty() {
        return Err(Error::msg("target.refs is empty: name at least one ref"));
    }
    let first_run_since = target
        .get("first_run_since")
        .and_then(Value::as_str)
        .unwrap_or("7 days ago")
        .to_string();
    Ok(TriageConfig {
        refs,
        first_run_since,
    })
}

fn read_json(key: &str) -> Result<Option<Value>, Error> {
    match state::get(key)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| Error::msg(format!("state key {key} is not JSON: {e}"))),
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
        let cursors = match read_json("cursors")? {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let window_start = if cursors.is_empty() {
            Some(
                minimal::parse_since(&cfg.first_run_since, ctx.now_unix).ok_or_else(|| {
                    Error::msg(format!(
                        "target.first_run_since {:?} is not understood; use e.g. \"7 days ago\" or \"2024-05-01\"",
                        cfg.first_run_since
                    ))
                })?,
            )
        } else {
            None
        };

        let mut seen = std::collections::BTreeSet::new();
        let mut new_cursors = Map::new();
        let mut tips = Vec::new();
        let (mut high, mut watch) = (0u32, 0u32);
        for name in &cfg.refs {
            let tip = git::resolve(name)?;
            let since = cursors.get(name).and_then(Value::as_str).map(str::to_string);
            let commits = git::log(&LogQuery {
                tip: tip.clone(),
                since_time: if since.is_none() { window_start } else { None },
                since_exclusive: since,
                limit: 0,
                with_changes: true,
            })?;
            for commit in commits {
                if !seen.insert(commit.sha.clone()) {
                    continue;
                }
                let verdict = minimal::classify(&commit);
                match verdict.bucket {
                    Bucket::High => high += 1,
                    Bucket::Watch => watch += 1,
                    Bucket::Noise => {}
                }
                report::add_finding(&Finding {
                    bucket: verdict.bucket,
                    title: commit.subject.clone(),
                    detail: verdict.reason,
                    cites: vec![commit.sha.clone()],
                    paths: commit.changes.iter().map(|c| c.path.clone()).collect(),
                })?;
            }
            new_cursors.insert(name.clone(), Value::String(tip.clone()));
            tips.push((name.clone(), tip));
        }

        // Divergence between the first and the last ref, reported once per distinct state.
        if let (Some((head_ref, head_tip)), Some((base_ref, base_tip))) = (tips.first(), tips.last())
            && tips.len() >= 2
        {
            let (ahead, _behind) = git::ahead_behind(base_tip, head_tip)?;
            let key = format!("{head_ref}@{head_tip}..{base_ref}@{base_tip}:{ahead}");
            let last = read_json("divergence")?;
            if ahead > 0 && last.as_ref().and_then(Value::as_str) != Some(key.as_str()) {
                high += 1;
                report::add_finding(&Finding {
                    bucket: Bucket::High,
                    title: format!("{head_ref} is {ahead} commits ahead of {base_ref}"),
                    detail: format!("divergence: {head_ref} at {head_tip} vs {base_ref} at {base_tip}"),
                    cites: vec![head_tip.clone()],
                    paths: Vec::new(),
                })?;
            }
            state::set("divergence", &Value::String(key).to_string())?;
        }
        state::set("cursors", &Value::Object(new_cursors).to_string())?;

        Ok(if high + watch == 0 {
            RunResult {
                outcome: Outcome::Clean,
                note: "no new commits since cursors".into(),
            }
        } else {
            RunResult {
                outcome: Outcome::Found,
                note: format!("{high} high, {watch} watch"),
            }
        })
    }
}

strive_sdk::export_loop_kind!(CommitTriage);
