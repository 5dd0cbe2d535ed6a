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

use crate::audit::{self, ChainReport};
use crate::capability::Phase;
use crate::run::{RunReport, RunResultKind};

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

/// Persist `report`: audit rows, the loop's section, one run-log row (returned).
pub fn commit(
    store: &dyn Store,
    report: &RunReport,
    phase: Phase,
    now_unix: i64,
) -> Result<Value, StoreError> {
    commit_with_document(store, report, phase, now_unix, None)
}

/// [`commit`], keeping `document` (the run's report, [`crate::triage_report::document`]) in
/// the run-log row as `report`, so every accepted run's report can be printed again later
/// (`strive report`); the section's `last_report_run` names the newest run that had one.
pub fn commit_with_document(
    store: &dyn Store,
    report: &RunReport,
    phase: Phase,
    now_unix: i64,
    document: Option<&Value>,
) -> Result<Value, StoreError> {
    let (lines, head) = chain_audit(report);
    let accepted = report.result.accepted();
    let stamp = utc_stamp(now_unix);
    let mut update = |prev: Option<Value>| -> Result<Option<Value>, StoreError> {
        let mut section = object_section(store, &report.loop_id, prev)?;
        section.insert("phase".into(), json!(phase.to_string()));
        section.insert("last_run".into(), json!(stamp));
        section.insert("last_result".into(), json!(report.result.as_str()));
        section.insert("note".into(), json!(report.note));
        section.insert("last_run_id".into(), json!(report.run_id));
        section.entry("tokens_spent").or_insert(json!(0));
        if accepted {
            for (key, value) in &report.staged {
                section.insert(key.clone(), value.clone());
            }
            let findings: Vec<Value> = report
                .findings
                .iter()
                .map(|f| json!({"bucket": f.bucket, "text": f.title, "sha": f.cites.first().cloned().unwrap_or_default()}))
                .collect();
            section.insert("findings".into(), Value::Array(findings));
            if document.is_some() && !report.findings.is_empty() {
                section.insert("last_report_run".into(), json!(report.run_id));
            }
            if !report.notes_added.is_empty() {
                let mut notes = match section.remove("notes") {
                    Some(Value::Array(n)) => n,
                    _ => Vec::new(),
                };
                notes.extend(report.notes_added.iter().map(|n| json!(n)));
                section.insert("notes".into(), Value::Array(notes));
            }
        }
        Ok(Some(Value::Object(section)))
    };
    let action = match report.result {
        RunResultKind::Escalated => "escalated-to-human",
        _ => "wrote-state",
    };
    let row = json!({
        "ts": stamp,
        "loop": report.loop_id,
        "result": report.result.as_str(),
        "action": action,
        "high": report.count("high"),
        "watch": report.count("watch"),
        "note": report.note,
        "run_id": report.run_id,
        "audit_rows": lines.len(),
        "audit_head": head,
    });
    let mut row = row;
    if let Some(doc) = document {
        row["report"] = doc.clone();
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

/// Recompute the audit chain of `run_id`, checking its tail against the run-log row.
pub fn verify_audit(store: &dyn Store, run_id: &str) -> Result<ChainReport, StoreError> {
    let lines = store.read_audit(run_id)?;
    let rows = store.read_runlog(None)?;
    let expected = rows
        .iter()
        .rev()
        .find(|r| r.get("run_id").and_then(Value::as_str) == Some(run_id))
        .and_then(|r| {
            Some((
                r.get("audit_rows")?.as_u64()? as usize,
                r.get("audit_head")?.as_str()?.to_string(),
            ))
        });
    Ok(audit::verify_chain(
        run_id,
        &lines,
        expected.as_ref().map(|(n, h)| (*n, h.as_str())),
    ))
}
