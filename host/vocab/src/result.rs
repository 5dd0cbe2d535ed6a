//! What the host concluded about a run (never what the plugin claimed).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The host's verdict on one run, as written to the run log's `result` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RunResult {
    /// Nothing to report (or the loop is paused).
    Clean,
    /// Verified findings were reported.
    Found,
    /// A verified commit on a fresh branch, left for review (L2+).
    Proposed,
    /// The base branch was fast-forwarded to a verified, gated commit (L3).
    Merged,
    /// A person must look: the host or the plugin handed the run off.
    Escalated,
    /// The run failed: a trap, a limit, a refused load, invalid output.
    Error,
}

impl RunResult {
    pub const ALL: [RunResult; 6] = [
        RunResult::Clean,
        RunResult::Found,
        RunResult::Proposed,
        RunResult::Merged,
        RunResult::Escalated,
        RunResult::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RunResult::Clean => "clean",
            RunResult::Found => "found",
            RunResult::Proposed => "proposed",
            RunResult::Merged => "merged",
            RunResult::Escalated => "escalated",
            RunResult::Error => "error",
        }
    }

    /// `"found"` → `Found`. `"failed"` (the scheduler's word for a run that never produced a
    /// result) reads as `Error`.
    pub fn parse(text: &str) -> Option<RunResult> {
        let text = text.trim();
        if text == "failed" {
            return Some(RunResult::Error);
        }
        RunResult::ALL.into_iter().find(|r| r.as_str() == text)
    }

    /// Accepted runs commit their staged state, findings and notes.
    pub fn accepted(self) -> bool {
        matches!(
            self,
            RunResult::Clean | RunResult::Found | RunResult::Proposed | RunResult::Merged
        )
    }

    /// Results a person is told about (the inbox): everything but `clean`.
    pub fn notifies(self) -> bool {
        self != RunResult::Clean
    }

    /// The run-log `action` of a result (the earlier tool's vocabulary); `wrote_state` is what
    /// an accepted report-only run did.
    pub fn action(self) -> &'static str {
        match self {
            RunResult::Merged => "auto-merged",
            RunResult::Proposed => "opened-branch",
            RunResult::Escalated => "escalated-to-human",
            RunResult::Clean | RunResult::Found => "wrote-state",
            RunResult::Error => "none",
        }
    }
}

impl fmt::Display for RunResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RunResult {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        RunResult::parse(s).ok_or_else(|| {
            format!("`{s}` is not a run result (clean, found, proposed, merged, escalated, error)")
        })
    }
}

impl Serialize for RunResult {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RunResult {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}
