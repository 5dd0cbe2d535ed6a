//! The capability table: every authority a plugin can be given, the names a person may write
//! for it, the WIT interface it unlocks and the lowest phase it is allowed in.
//!
//! Spellings: the canonical name uses a dot (`git.read`, `connector.write`); the dash and
//! underscore forms (`git-read`, `git_read`) are aliases, accepted everywhere a name is read
//! (manifests, `plugins.lock`, a spec's `grants`, `--grant`). A grant may carry a scope after a
//! colon (`maker:anthropic`): the capability is granted, the scope narrows it for the
//! capability's own checks.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::Phase;

/// One authority a plugin can be given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    Log,
    State,
    GitRead,
    Verify,
    Report,
    Escalation,
    Worktree,
    Command,
    Maker,
    ConnectorRead,
    ConnectorWrite,
    Merge,
}

/// A row of the capability table.
#[derive(Debug)]
pub struct CapabilityRow {
    pub capability: Capability,
    /// The canonical name, used in manifests, `--grant`, lock files and audit rows.
    pub name: &'static str,
    /// Other accepted spellings.
    pub aliases: &'static [&'static str],
    /// The WIT interface (in `strive:loops`) it unlocks.
    pub interface: &'static str,
    /// The lowest phase it is allowed in.
    pub min_phase: Phase,
    /// One line for `--help`, prompts and docs.
    pub summary: &'static str,
}

/// The one table mapping capability names to WIT interfaces and minimum phases.
/// L0 (manual) and L1 share the report-only set: L0 differs in trigger, not authority.
pub const TABLE: &[CapabilityRow] = &[
    row(
        Capability::Log,
        "log",
        &[],
        "log",
        Phase::L0,
        "write log lines",
    ),
    row(
        Capability::State,
        "state",
        &[],
        "state",
        Phase::L0,
        "read and stage the loop's own state",
    ),
    row(
        Capability::GitRead,
        "git.read",
        &["git-read", "git_read"],
        "git",
        Phase::L0,
        "read the target repository's history",
    ),
    row(
        Capability::Verify,
        "verify",
        &[],
        "verify",
        Phase::L0,
        "ask the host to verify claims",
    ),
    row(
        Capability::Report,
        "report",
        &[],
        "report",
        Phase::L0,
        "report findings",
    ),
    row(
        Capability::Escalation,
        "escalation",
        &[],
        "escalation",
        Phase::L0,
        "hand the run to a person",
    ),
    row(
        Capability::Worktree,
        "worktree",
        &[],
        "worktree",
        Phase::L2,
        "edit files in a fresh git worktree",
    ),
    row(
        Capability::Command,
        "command",
        &[],
        "command",
        Phase::L2,
        "run guarded, sandboxed commands in the worktree",
    ),
    row(
        Capability::Maker,
        "maker",
        &[],
        "maker",
        Phase::L2,
        "ask the configured maker (LLM)",
    ),
    row(
        Capability::ConnectorRead,
        "connector.read",
        &["connector-read", "connector_read"],
        "connector",
        Phase::L2,
        "call read-only tools of configured MCP connectors",
    ),
    row(
        Capability::ConnectorWrite,
        "connector.write",
        &["connector-write", "connector_write"],
        "connector",
        Phase::L3,
        "call writing tools of configured MCP connectors",
    ),
    row(
        Capability::Merge,
        "merge",
        &[],
        "merge",
        Phase::L3,
        "ask the allowlist gate to merge a verified commit",
    ),
];

const fn row(
    capability: Capability,
    name: &'static str,
    aliases: &'static [&'static str],
    interface: &'static str,
    min_phase: Phase,
    summary: &'static str,
) -> CapabilityRow {
    CapabilityRow {
        capability,
        name,
        aliases,
        interface,
        min_phase,
        summary,
    }
}

impl Capability {
    /// Every capability, in table order.
    pub fn all() -> impl Iterator<Item = Capability> {
        TABLE.iter().map(|r| r.capability)
    }

    pub fn row(self) -> &'static CapabilityRow {
        TABLE
            .iter()
            .find(|r| r.capability == self)
            .expect("every capability has a table row")
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }

    pub fn min_phase(self) -> Phase {
        self.row().min_phase
    }

    /// `"git.read"`, `"git-read"` or `"git_read"` → `Capability::GitRead`. No scope allowed
    /// (see [`Grant::parse`] for `maker:anthropic`).
    pub fn parse(name: &str) -> Option<Capability> {
        let name = name.trim();
        TABLE
            .iter()
            .find(|r| r.name == name || r.aliases.contains(&name))
            .map(|r| r.capability)
    }

    /// Every capability allowed in `phase` (the default grant set of a built-in).
    pub fn allowed_in(phase: Phase) -> BTreeSet<Capability> {
        TABLE
            .iter()
            .filter(|r| r.min_phase <= phase)
            .map(|r| r.capability)
            .collect()
    }

    /// The capabilities that let a run change its target (a worktree, commands, a maker, a
    /// merge): a run whose effective set holds one of them gets the host's fix context.
    pub fn writes_target(self) -> bool {
        matches!(
            self,
            Capability::Worktree | Capability::Command | Capability::Maker | Capability::Merge
        )
    }

    /// Canonical names, comma-separated (for error messages).
    pub fn names() -> String {
        TABLE.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
    }
}

impl fmt::Display for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Capability {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Capability::parse(s)
            .ok_or_else(|| format!("`{s}` is not a capability (known: {})", Capability::names()))
    }
}

impl Serialize for Capability {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Capability {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// A capability as a person grants it: `git.read`, or `maker:anthropic` (capability + scope).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grant {
    pub capability: Capability,
    pub scope: Option<String>,
}

impl Grant {
    /// `"maker:anthropic"` → `Grant { Maker, Some("anthropic") }`. An empty scope or one with
    /// whitespace is refused.
    pub fn parse(text: &str) -> Option<Grant> {
        let text = text.trim();
        let (name, scope) = match text.split_once(':') {
            Some((name, scope)) => {
                if scope.is_empty() || scope.chars().any(char::is_whitespace) {
                    return None;
                }
                (name, Some(scope.to_string()))
            }
            None => (text, None),
        };
        Some(Grant {
            capability: Capability::parse(name)?,
            scope,
        })
    }
}

impl fmt::Display for Grant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.scope {
            Some(scope) => write!(f, "{}:{scope}", self.capability),
            None => write!(f, "{}", self.capability),
        }
    }
}

impl FromStr for Grant {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Grant::parse(s).ok_or_else(|| {
            format!(
                "`{s}` is not a grant (a capability, optionally with a scope such as `maker:anthropic`; known: {})",
                Capability::names()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn every_name_and_alias_parses_to_its_row() {
        for r in TABLE {
            assert_eq!(Capability::parse(r.name), Some(r.capability));
            for alias in r.aliases {
                assert_eq!(Capability::parse(alias), Some(r.capability), "{alias}");
            }
            let json = serde_json::to_string(&r.capability).unwrap();
            assert_eq!(json, format!("\"{}\"", r.name));
            assert_eq!(
                serde_json::from_str::<Capability>(&json).unwrap(),
                r.capability
            );
        }
        assert_eq!(Capability::parse("git"), None);
        assert_eq!(Capability::parse("GIT.READ"), None, "names are lower-case");
    }

    #[test]
    fn grants_carry_scopes() {
        let g = Grant::parse("maker:anthropic").unwrap();
        assert_eq!(g.capability, Capability::Maker);
        assert_eq!(g.scope.as_deref(), Some("anthropic"));
        assert_eq!(g.to_string(), "maker:anthropic");
        assert_eq!(Grant::parse("git-read").unwrap().to_string(), "git.read");
        assert!(Grant::parse("maker:").is_none());
        assert!(Grant::parse("teleport").is_none());
    }

    #[test]
    fn defaults_follow_phase() {
        let l1 = Capability::allowed_in(Phase::L1);
        assert!(l1.contains(&Capability::Report) && !l1.contains(&Capability::Command));
        assert!(Capability::allowed_in(Phase::L3).contains(&Capability::Merge));
        assert!(!Capability::allowed_in(Phase::L2).contains(&Capability::ConnectorWrite));
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_round_trips(text in "\\PC{0,24}") {
            if let Some(g) = Grant::parse(&text) {
                prop_assert_eq!(Grant::parse(&g.to_string()), Some(g));
            }
            if let Some(p) = Phase::parse(&text) {
                prop_assert_eq!(Phase::parse(p.as_str()), Some(p));
            }
        }
    }
}
