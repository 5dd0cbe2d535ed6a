//! The triage inbox: notifications a person should look at, kept in the store (section
//! [`INBOX_KEY`]) so that every scheduler, daemon and worker sharing a store shares one inbox.
//!
//! Guarantees: a notification is appended under the store's lock (concurrent writers lose
//! nothing); each gets a sequence number that only grows; the inbox keeps the newest
//! [`INBOX_LIMIT`] entries.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use strive_state::{Store, StoreError};

/// Section key of the inbox (loop ids cannot contain `::`, so it never names a loop).
pub const INBOX_KEY: &str = "::inbox";
/// Entries kept.
pub const INBOX_LIMIT: usize = 1000;

/// Results that always notify.
pub const NOTIFY_RESULTS: &[&str] = &["found", "proposed", "merged", "escalated", "error"];

/// Whether a run result is worth a person's attention.
pub fn notifies(result: &str) -> bool {
    NOTIFY_RESULTS.contains(&result)
}

/// One notification.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Notification {
    pub seq: u64,
    pub at: String,
    #[serde(rename = "loop")]
    pub loop_id: String,
    /// `found`, `proposed`, `merged`, `escalated`, `error` or `halted`.
    pub kind: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Inbox {
    #[serde(default)]
    next_seq: u64,
    #[serde(default)]
    items: Vec<Notification>,
}

fn parse(section: Option<Value>) -> Result<Inbox, StoreError> {
    match section {
        None => Ok(Inbox::default()),
        Some(v) => serde_json::from_value(v).map_err(|e| {
            StoreError::Other(format!(
                "the inbox section {INBOX_KEY:?} is malformed ({e}); delete that section to start a new inbox"
            ))
        }),
    }
}

/// Append a notification; returns it with its sequence number.
pub fn notify(
    store: &dyn Store,
    at: DateTime<Utc>,
    loop_id: &str,
    kind: &str,
    note: &str,
) -> Result<Notification, StoreError> {
    let mut added = None;
    store.update_section(INBOX_KEY, &mut |section| {
        let mut inbox = parse(section)?;
        inbox.next_seq += 1;
        let n = Notification {
            seq: inbox.next_seq,
            at: at.to_rfc3339_opts(SecondsFormat::Secs, true),
            loop_id: loop_id.to_string(),
            kind: kind.to_string(),
            note: note.to_string(),
        };
        inbox.items.push(n.clone());
        let excess = inbox.items.len().saturating_sub(INBOX_LIMIT);
        inbox.items.drain(..excess);
        added = Some(n);
        serde_json::to_value(&inbox)
            .map(Some)
            .map_err(|e| StoreError::Other(format!("serialising the inbox: {e}")))
    })?;
    Ok(added.expect("update closure ran"))
}

/// Every kept notification, oldest first, optionally of one loop.
pub fn list(store: &dyn Store, loop_id: Option<&str>) -> Result<Vec<Notification>, StoreError> {
    let inbox = parse(store.read_section(INBOX_KEY)?)?;
    Ok(inbox
        .items
        .into_iter()
        .filter(|n| loop_id.is_none_or(|id| n.loop_id == id))
        .collect())
}
