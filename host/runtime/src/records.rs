//! Writing a judged run into external state, and reading its audit trail back.
//!
//! Guarantees: the loop's section is updated in one locked read-modify-write
//! ([`strive_state::Store::update_section`]) in the earlier loopengine layout
//! (`{phase, last_run, last_result, cursors, findings[{bucket, text, sha}], note, tokens_spent,
//! notes}`). Keys staged by the plugin and its findings are written only for an accepted run, so
//! an invalid run keeps the prior cursors; notes are appended, never replaced. A section that
//! is not a JSON object is refused (the run's records are not written), never replaced. The
//! audit rows, the section and the run-log row (which records the audit rows' count and head
//! hash) are written by one [`Store::commit_run`]: one transaction on PostgreSQL (fenced by the
//! lease for a worker), audit rows made durable first on files.

use serde_json::{Map, Value, json};
use strive_state::{Store, StoreError};

use crate::capability::Phase;
use crate::caps::FixOutcome;
use crate::report::RunReport;
use crate::state_keys::HostKey;
use strive_state::audit;

/// `YYYY-MM-DDTHH:MM:SSZ` for a unix time (the earlier layout's timestamp format).
pub fn utc_stamp(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// A fresh run id: UTC time plus random hex, safe as a file name.
pub fn new_run_id(now_unix: i64) -> String {
    let mut rand = [0u8; 4];
    let _ = getrandom::fill(&mut rand);
    let stamp = chrono::DateTime::from_timestamp(now_unix, 0)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ");
    format!("{stamp}-{}", hex::encode(rand))
}

/// Persist `report` (and what its fix context did, if it had one): audit rows, the loop's
/// section, one run-log row (returned). One writer for every loop kind.
///
/// Section: `{phase, last_run, last_result, note, last_run_id, tokens_spent, notes}` always;
/// `{branch, commit, attempts, reflections}` for a run with a fix context; `findings` for an
/// accepted run that reported (or had no fix context). Run-log row: `{ts, loop, result, action,
/// note, run_id, audit_rows, audit_head}` plus `{high, watch}` or, with a fix context,
/// `{branch, attempts, tokens}`.
pub fn commit(
    store: &dyn Store,
    report: &RunReport,
    fix: Option<&FixOutcome>,
    phase: Phase,
    now_unix: i64,
) -> Result<Value, StoreError> {
    commit_with_document(store, report, fix, phase, now_unix, None)
}

/// [`commit`], keeping `document` (the run's report, [`crate::triage_report::document`]) in
/// the run-log row as `report`, so every accepted run's report can be printed again
/// (`strive report`); the section's `last_report_run` names the newest run whose report had
/// entries.
pub fn commit_with_document(
    store: &dyn Store,
    report: &RunReport,
    fix: Option<&FixOutcome>,
    phase: Phase,
    now_unix: i64,
    document: Option<Value>,
) -> Result<Value, StoreError> {
    let (lines, head) = chain_audit(report);
    let accepted = report.result.accepted();
    let has_document = document.is_some();
    let stamp = utc_stamp(now_unix);
    let opt = |s: &Option<String>| s.as_ref().map_or(Value::Null, |v| json!(v));
    let mut update = |prev: Option<Value>| -> Result<Option<Value>, StoreError> {
        let mut section = object_section(store, &report.loop_id, prev)?;
        let tokens_before = section
            .get("tokens_spent")
            .and_then(Value::as_u64)
            .unwrap_or(0);
        section.insert(HostKey::Phase.into(), json!(phase.to_string()));
        section.insert(HostKey::LastRun.into(), json!(stamp));
        section.insert(HostKey::LastResult.into(), json!(report.result.as_str()));
        section.insert(HostKey::Note.into(), json!(report.note));
        section.insert(HostKey::LastRunId.into(), json!(report.run_id));
        let spent = fix.map_or(0, |f| f.tokens_spent);
        section.insert(
            HostKey::TokensSpent.into(),
            json!(tokens_before.saturating_add(spent)),
        );
        if let Some(fix) = fix {
            section.insert(HostKey::Branch.into(), opt(&fix.branch));
            section.insert(HostKey::Commit.into(), opt(&fix.commit));
            section.insert(HostKey::Attempts.into(), json!(fix.attempts));
            section.insert(HostKey::Reflections.into(), json!(fix.reflections));
        }
        let mut notes = match section.remove(HostKey::Notes.as_str()) {
            Some(Value::Array(n)) => Some(n),
            _ => None,
        };
        if accepted {
            for (key, value) in &report.staged {
                section.insert(key.clone(), value.clone());
            }
            if fix.is_none() || !report.findings.is_empty() {
                let findings: Vec<Value> = report
                    .findings
                    .iter()
                    .map(|f| json!({"bucket": f.bucket, "text": f.title, "sha": f.cites.first().cloned().unwrap_or_default()}))
                    .collect();
                section.insert(HostKey::Findings.into(), Value::Array(findings));
            }
            if has_document && !report.findings.is_empty() {
                section.insert(HostKey::LastReportRun.into(), json!(report.run_id));
            }
            if !report.notes_added.is_empty() {
                notes
                    .get_or_insert_with(Vec::new)
                    .extend(report.notes_added.iter().map(|n| json!(n)));
            }
        }
        // A fix run always shows its notes list (the earlier assisted layout).
        if notes.is_none() && fix.is_some() {
            notes = Some(Vec::new());
        }
        if let Some(notes) = notes {
            section.insert(HostKey::Notes.into(), Value::Array(notes));
        }
        Ok(Some(Value::Object(section)))
    };
    let mut row = json!({
        "ts": stamp,
        "loop": report.loop_id,
        "result": report.result.as_str(),
        "action": report.result.action(),
        "note": report.note,
        "run_id": report.run_id,
        "audit_rows": lines.len(),
        "audit_head": head,
    });
    let extra = match fix {
        Some(fix) => {
            json!({"branch": fix.branch, "attempts": fix.attempts, "tokens": fix.tokens_spent})
        }
        None => json!({"high": report.count("high"), "watch": report.count("watch")}),
    };
    if let (Some(row), Value::Object(extra)) = (row.as_object_mut(), extra) {
        row.extend(extra);
    }
    if let Some(doc) = document {
        row["report"] = doc;
    }
    write_run(store, report, &lines, &mut update, &row)?;
    Ok(row)
}

/// A loop's previous section as a map to update: absent is empty; anything but a JSON object
/// is refused with where it is and how to fix it.
pub fn object_section(
    store: &dyn Store,
    loop_id: &str,
    prev: Option<Value>,
) -> Result<Map<String, Value>, StoreError> {
    match prev {
        None => Ok(Map::new()),
        Some(Value::Object(map)) => Ok(map),
        Some(other) => Err(StoreError::Other(format!(
            "the section of loop {loop_id:?} in {} is not a JSON object (found {}); fix or delete it (`strive show {loop_id}`) — this run's records were not written",
            store.describe(),
            match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            }
        ))),
    }
}

/// Chain `report`'s audit events: (serialised lines, head hash).
pub fn chain_audit(report: &RunReport) -> (Vec<String>, String) {
    audit::chain(
        &report.run_id,
        &report.audit,
        audit::genesis(&report.run_id),
        0,
    )
}

/// Write a judged run's audit lines, section update and run-log row in one
/// [`Store::commit_run`].
pub fn write_run(
    store: &dyn Store,
    report: &RunReport,
    lines: &[String],
    update: &mut dyn FnMut(Option<Value>) -> Result<Option<Value>, StoreError>,
    row: &Value,
) -> Result<(), StoreError> {
    store
        .commit_run(&mut strive_state::RunCommit {
            loop_id: &report.loop_id,
            run_id: &report.run_id,
            audit: lines,
            update,
            runlog_row: row,
        })
        .map(|_| ())
}

pub use strive_state::audit::verify_audit;
