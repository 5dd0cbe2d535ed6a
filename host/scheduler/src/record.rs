//! The scheduler's own record of each loop (section `<id>::sched`), and anomaly halting.
//!
//! Guarantees:
//! - The record holds only the scheduler's clock: `last_run` is the injected `now` of the tick
//!   (or the slot a worker ran), never a time written by a runtime.
//! - **Stall halting**: when the last [`STALL_RUNS`] results are the same `error` or
//!   `escalated` with the same note (digits and hex ids masked, so "after 31s" equals "after
//!   30s"), the loop is halted and the halt is reported exactly once. Any other pattern,
//!   including a `found`/`clean` flip-flop, never halts.
//! - A halted loop stays halted until [`resume`]; resuming also forgets the history, so the loop
//!   needs another full stall to halt again.
//! - Keys the scheduler does not know are kept (records written by the earlier loopengine,
//!   whose `history` is a list of result strings, read fine).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use strive_state::{Store, StoreError};

/// Identical error/escalated results in a row that halt a loop.
pub const STALL_RUNS: usize = 3;
/// Results remembered per loop.
pub const HISTORY_LEN: usize = 8;

/// The section key of a loop's scheduler record.
pub fn record_key(loop_id: &str) -> String {
    format!("{loop_id}::sched")
}

/// One remembered result.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum HistoryEntry {
    Run {
        at: String,
        result: String,
        #[serde(default)]
        note: String,
    },
    /// The earlier loopengine's form: just the result.
    Legacy(String),
}

impl HistoryEntry {
    fn result(&self) -> &str {
        match self {
            HistoryEntry::Run { result, .. } => result,
            HistoryEntry::Legacy(result) => result,
        }
    }
    fn note(&self) -> Option<&str> {
        match self {
            HistoryEntry::Run { note, .. } => Some(note),
            HistoryEntry::Legacy(_) => None,
        }
    }
}

/// Why a loop is halted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Halt {
    pub kind: String,
    pub detail: String,
    pub since: String,
}

/// The `<id>::sched` section.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SchedRecord {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_run: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_result: Option<String>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub halted: Option<Halt>,
    #[serde(default)]
    pub runs: u64,
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl SchedRecord {
    /// Parse a stored section; a section of the wrong shape is an error naming the loop.
    pub fn from_section(loop_id: &str, section: Option<&Value>) -> Result<Self, StoreError> {
        let Some(value) = section else {
            return Ok(Self::default());
        };
        let mut record = SchedRecord::deserialize(value).map_err(|e| {
            StoreError::Other(format!(
                "scheduler record {:?} is malformed ({e}); delete that section or run `strive resume {loop_id}`",
                record_key(loop_id)
            ))
        })?;
        // The earlier loopengine marked halts with `anomaly: "stall"`; honour those. Its
        // `oscillation` halts were a defect (they halted healthy found/clean loops): dropped.
        if record.halted.is_none()
            && record.other.get("anomaly").and_then(Value::as_str) == Some("stall")
        {
            let detail = record
                .other
                .get("anomaly_detail")
                .and_then(Value::as_str)
                .unwrap_or("stall recorded by loopengine")
                .to_string();
            record.halted = Some(Halt {
                kind: "stall".into(),
                detail,
                since: record.last_run.clone().unwrap_or_default(),
            });
        }
        record.other.remove("anomaly");
        record.other.remove("anomaly_detail");
        Ok(record)
    }

    /// When the scheduler last ran the loop.
    pub fn last_run_at(&self) -> Option<DateTime<Utc>> {
        self.last_run
            .as_deref()
            .and_then(|t| crate::spec::parse_instant(t).ok())
    }

    /// Record a finished run at `at`. Returns the new halt when this run completed a stall.
    pub fn push_result(&mut self, at: DateTime<Utc>, result: &str, note: &str) -> Option<Halt> {
        let at = at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.last_run = Some(at.clone());
        self.last_result = Some(result.to_string());
        self.runs += 1;
        self.history.push(HistoryEntry::Run {
            at: at.clone(),
            result: result.to_string(),
            note: note.to_string(),
        });
        let excess = self.history.len().saturating_sub(HISTORY_LEN);
        self.history.drain(..excess);
        if self.halted.is_some() {
            return None;
        }
        let detail = stall(&self.history)?;
        let halt = Halt {
            kind: "stall".into(),
            detail,
            since: at,
        };
        self.halted = Some(halt.clone());
        Some(halt)
    }
}

/// Mask what varies between otherwise identical messages: runs of digits and hex ids.
pub fn note_signature(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    for word in note.split_inclusive(|c: char| !c.is_ascii_alphanumeric()) {
        let (body, tail) = match word.char_indices().last() {
            Some((i, c)) if !c.is_ascii_alphanumeric() => word.split_at(i),
            _ => (word, ""),
        };
        let hex_id = body.len() >= 7 && body.bytes().all(|b| b.is_ascii_hexdigit());
        if hex_id {
            out.push('#');
        } else {
            let mut in_digits = false;
            for c in body.chars() {
                if c.is_ascii_digit() {
                    if !in_digits {
                        out.push('#');
                    }
                    in_digits = true;
                } else {
                    in_digits = false;
                    out.push(c);
                }
            }
        }
        out.push_str(tail);
    }
    out.trim().to_string()
}

/// A stall at the end of `history`: the last [`STALL_RUNS`] entries are the same `error` or
/// `escalated` result with the same note signature. Returns a description.
pub fn stall(history: &[HistoryEntry]) -> Option<String> {
    let tail = history.get(history.len().checked_sub(STALL_RUNS)?..)?;
    let first = tail.first()?;
    if !matches!(first.result(), "error" | "escalated") {
        return None;
    }
    let signature = first.note().map(note_signature);
    let same = tail
        .iter()
        .all(|e| e.result() == first.result() && e.note().map(note_signature) == signature);
    same.then(|| match first.note() {
        Some(note) if !note.is_empty() => {
            format!("{} {STALL_RUNS} times in a row: {note}", first.result())
        }
        _ => format!("{} {STALL_RUNS} times in a row", first.result()),
    })
}

/// Read a loop's record.
pub fn read(store: &dyn Store, loop_id: &str) -> Result<SchedRecord, StoreError> {
    SchedRecord::from_section(loop_id, store.read_section(&record_key(loop_id))?.as_ref())
}

/// Update a loop's record under the store's lock; returns what `change` returned.
pub fn update<T>(
    store: &dyn Store,
    loop_id: &str,
    mut change: impl FnMut(&mut SchedRecord) -> T,
) -> Result<T, StoreError> {
    let mut out = None;
    store.update_section(&record_key(loop_id), &mut |section| {
        let mut record = SchedRecord::from_section(loop_id, section.as_ref())?;
        out = Some(change(&mut record));
        serde_json::to_value(&record)
            .map(Some)
            .map_err(|e| StoreError::Other(format!("serialising scheduler record: {e}")))
    })?;
    Ok(out.expect("update closure ran"))
}

/// What [`resume`] did.
#[derive(Clone, Debug, PartialEq)]
pub enum Resumed {
    /// The halt was lifted.
    Lifted(Halt),
    /// The loop was not halted (nothing changed).
    NotHalted,
    /// The store has no scheduler record of that loop.
    Unknown,
}

/// Lift a loop's halt and forget its history.
pub fn resume(store: &dyn Store, loop_id: &str) -> Result<Resumed, StoreError> {
    let key = record_key(loop_id);
    let mut outcome = Resumed::Unknown;
    store.update_section(&key, &mut |section| {
        let Some(value) = section else {
            outcome = Resumed::Unknown;
            return Ok(None);
        };
        let mut record = SchedRecord::from_section(loop_id, Some(&value))?;
        outcome = match record.halted.take() {
            Some(halt) => {
                record.history.clear();
                Resumed::Lifted(halt)
            }
            None => Resumed::NotHalted,
        };
        serde_json::to_value(&record)
            .map(Some)
            .map_err(|e| StoreError::Other(format!("serialising scheduler record: {e}")))
    })?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(i: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + i * 3600, 0).unwrap()
    }

    fn feed(results: &[(&str, &str)]) -> (SchedRecord, Vec<Halt>) {
        let mut record = SchedRecord::default();
        let halts = results
            .iter()
            .enumerate()
            .filter_map(|(i, (r, n))| record.push_result(at(i as i64), r, n))
            .collect();
        (record, halts)
    }

    #[test]
    fn same_error_three_times_halts_once() {
        let (record, halts) = feed(&[("error", "git timed out after 30s"); 5]);
        assert_eq!(halts.len(), 1);
        assert!(record.halted.is_some());
        let (_, halts) = feed(&[
            ("escalated", "verifier down (31s)"),
            ("escalated", "verifier down (29s)"),
            ("escalated", "verifier down (30s)"),
        ]);
        assert_eq!(halts.len(), 1);
    }

    #[test]
    fn flip_flops_and_varied_errors_never_halt() {
        let flip: Vec<_> = (0..12)
            .map(|i| {
                if i % 2 == 0 {
                    ("found", "")
                } else {
                    ("clean", "")
                }
            })
            .collect();
        assert!(feed(&flip).1.is_empty());
        assert!(feed(&[("found", "x"); 6]).1.is_empty());
        let varied = [
            ("error", "network down"),
            ("error", "disk full"),
            ("error", "network down"),
            ("escalated", "network down"),
        ];
        assert!(feed(&varied).1.is_empty());
        assert!(
            feed(&[
                ("error", "a"),
                ("error", "a"),
                ("clean", ""),
                ("error", "a")
            ])
            .1
            .is_empty()
        );
    }

    #[test]
    fn signatures_mask_numbers_and_ids() {
        assert_eq!(
            note_signature("fabricated SHA deadbeef12 after 3 tries"),
            note_signature("fabricated SHA 0123abcd99 after 4 tries")
        );
        assert_ne!(note_signature("disk full"), note_signature("network down"));
    }

    #[test]
    fn earlier_loopengine_records_read_and_oscillation_is_lifted() {
        let old = json!({"history": ["found", "clean", "found", "clean"], "anomaly": "oscillation",
                         "anomaly_detail": "alternating", "last_run": "2026-01-01T00:00:00Z"});
        let r = SchedRecord::from_section("a", Some(&old)).unwrap();
        assert!(r.halted.is_none());
        assert_eq!(r.history.len(), 4);
        let stalled = json!({"history": ["error", "error", "error"], "anomaly": "stall"});
        assert!(
            SchedRecord::from_section("a", Some(&stalled))
                .unwrap()
                .halted
                .is_some()
        );
        // Legacy entries carry no note, so they never combine with new ones into a stall.
        let mut r =
            SchedRecord::from_section("a", Some(&json!({"history": ["error", "error"]}))).unwrap();
        assert!(r.push_result(at(0), "error", "boom").is_none());
    }

    proptest::proptest! {
        #[test]
        fn signature_never_panics(note in "\\PC{0,80}") {
            let _ = note_signature(&note);
        }

        #[test]
        fn any_stored_section_parses_or_errors_without_panicking(text in "\\PC{0,200}") {
            if let Ok(value) = serde_json::from_str::<Value>(&text)
                && let Ok(mut record) = SchedRecord::from_section("a", Some(&value))
            {
                let _ = record.push_result(at(0), "error", &text);
            }
        }
    }
}
