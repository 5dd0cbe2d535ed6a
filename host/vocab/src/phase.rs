//! How far a loop may act: L0 manual, L1 report-only, L2 proposes a branch, L3 may merge.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A loop's phase. Ordered: `L0 < L1 < L2 < L3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Manual: the loop is described but not trusted to run unattended.
    L0,
    /// Report only: git read, state, report.
    L1,
    /// Proposes: a worktree, guarded commands and makers; leaves a branch for review.
    L2,
    /// Merges: as L2, plus auto-merge through the allowlist gate.
    L3,
}

impl Phase {
    pub const ALL: [Phase; 4] = [Phase::L0, Phase::L1, Phase::L2, Phase::L3];

    /// `"L1"` or `"l1"` → `Phase::L1`; anything else is `None`.
    pub fn parse(text: &str) -> Option<Phase> {
        match text.trim().to_ascii_uppercase().as_str() {
            "L0" => Some(Phase::L0),
            "L1" => Some(Phase::L1),
            "L2" => Some(Phase::L2),
            "L3" => Some(Phase::L3),
            _ => None,
        }
    }

    /// `"L0"`…`"L3"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::L0 => "L0",
            Phase::L1 => "L1",
            Phase::L2 => "L2",
            Phase::L3 => "L3",
        }
    }

    /// Whether a loop at this phase writes its target repository (L2 proposes, L3 merges).
    pub fn writes_target(self) -> bool {
        self >= Phase::L2
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Phase {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Phase::parse(s).ok_or_else(|| format!("`{s}` is not a phase (use L0, L1, L2 or L3)"))
    }
}

impl Serialize for Phase {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Phase {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
