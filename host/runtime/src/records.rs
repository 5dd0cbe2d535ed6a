//! Writing a judged run into external state, and reading its audit trail back.
//!
//! Guarantees: the loop's section is updated in one locked read-modify-write
//! ([`strive_state::Store::update_section`]) in the earlier loopengine layout
//! (`{phase, last_run, last_result, cursors, findings[{bucket, text, sha}], note, tokens_spent,
//! notes}`). Keys staged by the plugin and its findings are written only for an accepted run, so
//! an invalid run keeps the prior cursors; notes are appended, never replaced. The audit rows are
//! chained and appended before the run-log row, which records their count and head hash.

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
    let (audit_rows, head) = append_audit(store, report)?;
    let accepted = report.result.accepted();
    let stamp = utc_stamp(now_unix);
    let mut update = |prev: Option<Value>| -> Result<Option<Value>, StoreError> {
        let mut section = match prev {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
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
    store.update_section(&report.loop_id, &mut update)?;
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
        "audit_rows": audit_rows,
        "audit_head": head,
    });
    store.append_runlog(&row)?;
    Ok(row)
}

/// Chain `report`'s audit events and append them to the store: (rows written, head hash). Runs
/// before the run-log row that records both.
pub fn append_audit(store: &dyn Store, report: &RunReport) -> Result<(usize, String), StoreError> {
    let (lines, head) = audit::chain(
        &report.run_id,
        &report.audit,
        audit::genesis(&report.run_id),
        0,
    );
    for line in &lines {
        store.append_audit(&report.run_id, line)?;
    }
    Ok((lines.len(), head))
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
