//! The per-run audit log: one JSONL row per host call, hash-chained.
//!
//! Guarantees: every host call of a run — allowed or refused — becomes a row with its
//! capability, function, an argument summary, the decision and its duration. Each row carries
//! `prev` (the previous row's hash; the first row's is [`genesis`] of the run id, so rows cannot
//! be moved between runs) and `hash` = sha256 of `prev` and the row's canonical JSON (keys
//! sorted, without `hash`). [`verify_chain`] recomputes the chain and names the first row that
//! does not match; the run-log row records the last hash and the row count, so truncating the
//! tail is detected too.
//!
//! Mechanics: rows are buffered in memory while the plugin runs (a host call costs no I/O) and
//! chained and appended through [`crate::Store::append_audit`] when the run ends —
//! including runs that trap.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// One host call as recorded before chaining.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub ts_ms: u128,
    pub capability: &'static str,
    pub function: &'static str,
    pub args: String,
    /// `allowed`, `denied: …`, `budget-exceeded: …`, `invalid: …`, `failed: …`, `trap: …`.
    pub decision: String,
    pub duration_ns: u64,
}

impl AuditEvent {
    pub fn now_ms() -> u128 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or(Duration::ZERO)
            .as_millis()
    }
}

/// The chain's starting `prev` for a run.
pub fn genesis(run_id: &str) -> String {
    hex::encode(Sha256::digest(format!("strive-audit-v1:{run_id}")))
}

fn row_hash(prev: &str, canonical: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    hex::encode(h.finalize())
}

/// Chain `events` after `prev`, returning the JSONL lines and the last hash.
pub fn chain(
    run_id: &str,
    events: &[AuditEvent],
    mut prev: String,
    first_seq: u64,
) -> (Vec<String>, String) {
    let mut lines = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        let mut row = Map::new();
        row.insert("seq".into(), Value::from(first_seq + i as u64));
        row.insert("ts_ms".into(), Value::from(e.ts_ms as u64));
        row.insert("run_id".into(), Value::from(run_id));
        row.insert("capability".into(), Value::from(e.capability));
        row.insert("function".into(), Value::from(e.function));
        row.insert("args".into(), Value::from(e.args.as_str()));
        row.insert("decision".into(), Value::from(e.decision.as_str()));
        row.insert("duration_ns".into(), Value::from(e.duration_ns));
        row.insert("prev".into(), Value::from(prev.as_str()));
        // serde_json's Map is ordered by key: this serialisation is canonical.
        let canonical = Value::Object(row.clone()).to_string();
        let hash = row_hash(&prev, &canonical);
        row.insert("hash".into(), Value::from(hash.as_str()));
        lines.push(Value::Object(row).to_string());
        prev = hash;
    }
    (lines, prev)
}

/// The result of checking a run's audit chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainReport {
    pub ok: bool,
    pub rows: usize,
    /// The last good hash (the head of the chain if `ok`).
    pub head: String,
    /// 1-based line number of the first row that does not verify.
    pub first_bad_row: Option<usize>,
    pub problem: Option<String>,
}

/// Recompute the chain of `lines`. `expected` = (row count, head hash) from the run log, when
/// known, detects a truncated tail.
pub fn verify_chain(
    run_id: &str,
    lines: &[String],
    expected: Option<(usize, &str)>,
) -> ChainReport {
    let mut prev = genesis(run_id);
    let bad = |row: usize, prev: &str, problem: String| ChainReport {
        ok: false,
        rows: lines.len(),
        head: prev.to_string(),
        first_bad_row: Some(row),
        problem: Some(problem),
    };
    for (i, line) in lines.iter().enumerate() {
        let row_no = i + 1;
        let mut row = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(map)) => map,
            _ => return bad(row_no, &prev, "not a JSON object".into()),
        };
        let Some(Value::String(hash)) = row.remove("hash") else {
            return bad(row_no, &prev, "no `hash` field".into());
        };
        if row.get("prev").and_then(Value::as_str) != Some(prev.as_str()) {
            return bad(row_no, &prev, "`prev` does not match the previous row's hash (row removed, reordered or inserted)".into());
        }
        if row.get("seq").and_then(Value::as_u64) != Some(i as u64) {
            return bad(row_no, &prev, "`seq` out of order".into());
        }
        let canonical = Value::Object(row).to_string();
        if row_hash(&prev, &canonical) != hash {
            return bad(
                row_no,
                &prev,
                "content does not match its hash (row edited)".into(),
            );
        }
        prev = hash;
    }
    if let Some((count, head)) = expected
        && (count != lines.len() || head != prev)
    {
        return ChainReport {
            ok: false,
            rows: lines.len(),
            head: prev,
            first_bad_row: Some(lines.len().min(count) + 1),
            problem: Some(format!(
                "the run log records {count} audit rows ending in {head}, the audit log has {} rows (tail removed or replaced)",
                lines.len()
            )),
        };
    }
    ChainReport {
        ok: true,
        rows: lines.len(),
        head: prev,
        first_bad_row: None,
        problem: None,
    }
}

/// Recompute the audit chain of `run_id`, checking its tail against the run-log row.
pub fn verify_audit(
    store: &dyn crate::Store,
    run_id: &str,
) -> Result<ChainReport, crate::StoreError> {
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
    Ok(verify_chain(
        run_id,
        &lines,
        expected.as_ref().map(|(n, h)| (*n, h.as_str())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(n: usize) -> Vec<AuditEvent> {
        (0..n)
            .map(|i| AuditEvent {
                ts_ms: 1_700_000_000_000 + i as u128,
                capability: "git.read",
                function: "resolve",
                args: format!("rev=main~{i}"),
                decision: "allowed".into(),
                duration_ns: 1000 + i as u64,
            })
            .collect()
    }

    #[test]
    fn intact_chain_verifies_and_edits_are_found() {
        let (lines, head) = chain("r1", &events(5), genesis("r1"), 0);
        let ok = verify_chain("r1", &lines, Some((5, &head)));
        assert!(ok.ok, "{ok:?}");
        assert_eq!(ok.head, head);

        let mut edited = lines.clone();
        edited[2] = edited[2].replace("main~2", "main~9");
        assert_eq!(verify_chain("r1", &edited, None).first_bad_row, Some(3));

        let mut removed = lines.clone();
        removed.remove(1);
        assert_eq!(verify_chain("r1", &removed, None).first_bad_row, Some(2));

        let truncated = &lines[..4];
        assert!(verify_chain("r1", truncated, None).ok);
        let r = verify_chain("r1", truncated, Some((5, &head)));
        assert!(!r.ok && r.problem.unwrap().contains("tail"));

        // Rows of one run do not verify as another run's.
        assert_eq!(verify_chain("r2", &lines, None).first_bad_row, Some(1));
    }

    proptest::proptest! {
        #[test]
        fn verify_never_panics(lines in proptest::collection::vec(".{0,200}", 0..5)) {
            let r = verify_chain("x", &lines, None);
            proptest::prop_assert!(lines.is_empty() || !r.ok);
        }
    }
}
