//! The capability table and the policy every host call passes.
//!
//! Guarantees: a capability is usable only if it is **declared** by the plugin's manifest,
//! **granted** by the person running it (CLI flags, spec, config — never the plugin), and
//! **allowed in the loop's phase**. [`Policy::check`] is the single decision point; it is pure,
//! so the table below is tested directly.
//!
//! Load-time: a component's imports must map to declared capabilities ([`interface_capabilities`]);
//! the WASI interfaces of a language runtime ([`RUNTIME_INTERFACES`]) carry no authority (no
//! preopens, no env, no sockets linked) and are allowed for every plugin.

use std::collections::BTreeSet;

pub use strive_vocab::{Capability, CapabilityRow, Grant, Phase, TABLE};

/// The WIT package every capability interface lives in (any 0.1.x version).
pub const PACKAGE: &str = "strive:loops";

/// WASI interfaces a language runtime imports. They carry no authority here: no directories are
/// preopened, the environment and arguments are empty, stdio is captured, clocks and randomness
/// only read. `wasi:sockets` and `wasi:http` are absent on purpose.
pub const RUNTIME_INTERFACES: &[&str] = &[
    "wasi:io/error",
    "wasi:io/poll",
    "wasi:io/streams",
    "wasi:cli/environment",
    "wasi:cli/exit",
    "wasi:cli/stdin",
    "wasi:cli/stdout",
    "wasi:cli/stderr",
    "wasi:cli/terminal-input",
    "wasi:cli/terminal-output",
    "wasi:cli/terminal-stdin",
    "wasi:cli/terminal-stdout",
    "wasi:cli/terminal-stderr",
    "wasi:clocks/wall-clock",
    "wasi:clocks/monotonic-clock",
    "wasi:random/random",
    "wasi:random/insecure",
    "wasi:random/insecure-seed",
    "wasi:filesystem/types",
    "wasi:filesystem/preopens",
];

/// Splits `strive:loops/git@0.1.0` into (`strive:loops/git`, `Some("0.1.0")`).
pub fn split_version(import: &str) -> (&str, Option<&str>) {
    match import.rsplit_once('@') {
        Some((name, version)) => (name, Some(version)),
        None => (import, None),
    }
}

/// What an import name needs: `Some(caps)` — one of these capabilities must be declared
/// (empty for the authority-free types/runtime interfaces); `None` — never allowed.
pub fn interface_capabilities(import: &str) -> Option<Vec<Capability>> {
    let (name, _) = split_version(import);
    if RUNTIME_INTERFACES.contains(&name) {
        return Some(Vec::new());
    }
    let interface = name
        .strip_prefix(PACKAGE)
        .and_then(|rest| rest.strip_prefix('/'))?;
    if interface == "types" {
        return Some(Vec::new());
    }
    let caps: Vec<Capability> = TABLE
        .iter()
        .filter(|r| r.interface == interface)
        .map(|r| r.capability)
        .collect();
    if caps.is_empty() { None } else { Some(caps) }
}

/// Why a capability was refused (becomes `host-error::denied`, WIT `denial`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denial {
    pub capability: Capability,
    pub reason: String,
}

/// Declared ∩ granted ∩ phase, fixed for one run.
#[derive(Debug, Clone)]
pub struct Policy {
    /// The plugin's id (its manifest's), named in a refusal's hint; empty when the caller is
    /// not a plugin (a CLI verb).
    pub plugin: String,
    pub phase: Phase,
    pub declared: BTreeSet<Capability>,
    pub granted: BTreeSet<Capability>,
}

impl Policy {
    /// The single decision: may this run use `cap`?
    pub fn check(&self, cap: Capability) -> Result<(), Denial> {
        let refuse = |reason: String| {
            Err(Denial {
                capability: cap,
                reason,
            })
        };
        if !self.declared.contains(&cap) {
            return refuse(format!(
                "the plugin's manifest does not declare `{cap}`; add it to `capabilities` and re-grant"
            ));
        }
        let min = cap.row().min_phase;
        if self.phase < min {
            return refuse(format!(
                "`{cap}` needs phase {min} or higher; this loop runs at {}",
                self.phase
            ));
        }
        if !self.granted.contains(&cap) {
            return refuse(if self.plugin.is_empty() {
                format!(
                    "`{cap}` was not granted for this run; list `{cap}` in the spec's `grants` (if it has any) and pass `--grant {cap}`"
                )
            } else {
                format!(
                    "`{cap}` was not granted for this run; grant it with `strive plugin grant {} {cap}` (for an installed plugin) and list `{cap}` in the spec's `grants`, if it has any",
                    self.plugin
                )
            });
        }
        Ok(())
    }

    /// Every capability this run can actually use.
    pub fn effective(&self) -> BTreeSet<Capability> {
        TABLE
            .iter()
            .map(|r| r.capability)
            .filter(|c| self.check(*c).is_ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(phase: Phase, declared: &[Capability], granted: &[Capability]) -> Policy {
        Policy {
            plugin: "acme.triage".into(),
            phase,
            declared: declared.iter().copied().collect(),
            granted: granted.iter().copied().collect(),
        }
    }

    #[test]
    fn a_grant_refusal_names_the_plugin_and_the_capability() {
        let reason = policy(Phase::L2, &[Capability::Maker], &[])
            .check(Capability::Maker)
            .unwrap_err()
            .reason;
        assert!(
            reason.contains("`strive plugin grant acme.triage maker`"),
            "{reason}"
        );
        assert!(!reason.contains("PLUGIN"), "{reason}");
        let mut p = policy(Phase::L2, &[Capability::Maker], &[]);
        p.plugin.clear();
        let reason = p.check(Capability::Maker).unwrap_err().reason;
        assert!(
            !reason.contains("plugin grant") && reason.contains("`maker`"),
            "{reason}"
        );
    }

    #[test]
    fn decision_table() {
        use Capability::*;
        let all: Vec<Capability> = TABLE.iter().map(|r| r.capability).collect();
        // (phase, declared, granted, asked, allowed, reason contains)
        type Case<'a> = (
            Phase,
            &'a [Capability],
            &'a [Capability],
            Capability,
            bool,
            &'a str,
        );
        let cases: &[Case] = &[
            (Phase::L1, &[GitRead], &[GitRead], GitRead, true, ""),
            (
                Phase::L1,
                &[],
                &[GitRead],
                GitRead,
                false,
                "does not declare",
            ),
            (Phase::L1, &[GitRead], &[], GitRead, false, "not granted"),
            (Phase::L1, &all, &all, Command, false, "needs phase L2"),
            (Phase::L1, &all, &all, Worktree, false, "needs phase L2"),
            (Phase::L2, &all, &all, Command, true, ""),
            (Phase::L2, &all, &all, Merge, false, "needs phase L3"),
            (
                Phase::L2,
                &all,
                &all,
                ConnectorWrite,
                false,
                "needs phase L3",
            ),
            (Phase::L3, &all, &all, Merge, true, ""),
            (Phase::L0, &[Report], &[Report], Report, true, ""),
        ];
        for (phase, declared, granted, cap, allowed, reason) in cases {
            let got = policy(*phase, declared, granted).check(*cap);
            assert_eq!(got.is_ok(), *allowed, "{phase} {cap}: {got:?}");
            if let Err(r) = got {
                assert!(r.reason.contains(reason), "{}", r.reason);
            }
        }
    }

    #[test]
    fn imports_map_to_capabilities() {
        assert_eq!(
            interface_capabilities("strive:loops/git@0.1.0"),
            Some(vec![Capability::GitRead])
        );
        assert_eq!(
            interface_capabilities("strive:loops/connector@0.1.3"),
            Some(vec![Capability::ConnectorRead, Capability::ConnectorWrite])
        );
        assert_eq!(
            interface_capabilities("strive:loops/types@0.1.0"),
            Some(vec![])
        );
        assert_eq!(
            interface_capabilities("wasi:cli/stdout@0.2.6"),
            Some(vec![])
        );
        assert_eq!(interface_capabilities("wasi:sockets/tcp@0.2.6"), None);
        assert_eq!(
            interface_capabilities("wasi:http/outgoing-handler@0.2.6"),
            None
        );
        assert_eq!(interface_capabilities("strive:loops/teleport@0.1.0"), None);
        assert_eq!(interface_capabilities("evil:loops/git@0.1.0"), None);
    }
}
