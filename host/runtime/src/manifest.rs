//! The plugin manifest: who a plugin is and what it may ask for.
//!
//! Guarantees: a manifest that does not parse, names an unknown capability, or targets an API
//! this host does not serve is refused with a message naming the field. Capabilities in a
//! manifest are a *declaration*, not a grant: the person running the loop grants them.
//!
//! Built-in plugins carry their manifest beside their source (`plugins/*/strive-plugin.toml`);
//! third-party plugins will be installed with one (a later `strive plugin add`).

use std::collections::BTreeSet;

use serde::Deserialize;

use crate::capability::Capability;

/// Limits a plugin asks for; the host clamps each to its own policy (see [`crate::limits`]).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RequestedLimits {
    pub memory_mib: Option<u64>,
    pub wall_ms: Option<u64>,
    pub fuel: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    id: String,
    version: String,
    kind: String,
    api: String,
    capabilities: Vec<String>,
    #[serde(default)]
    limits: RequestedLimits,
}

/// A parsed, checked manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub id: String,
    pub version: String,
    /// The loop.json `kind` this plugin implements.
    pub kind: String,
    /// The WIT package it targets, e.g. `strive:loops@0.1.0`.
    pub api: String,
    pub capabilities: BTreeSet<Capability>,
    pub limits: RequestedLimits,
}

/// The API versions this host serves (one bindgen module each; see docs/wit.md).
pub const SUPPORTED_APIS: &[&str] = &["strive:loops@0.1"];

impl Manifest {
    /// Parse `strive-plugin.toml` text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Manifest, String> {
        let raw: RawManifest = toml::from_str(text)
            .map_err(|e| format!("{origin}: not a valid plugin manifest: {e}"))?;
        let mut capabilities = BTreeSet::new();
        for name in &raw.capabilities {
            let cap = Capability::parse(name).ok_or_else(|| {
                let known: Vec<&str> = crate::capability::TABLE.iter().map(|r| r.name).collect();
                format!(
                    "{origin}: capabilities: unknown capability `{name}`; known: {}",
                    known.join(", ")
                )
            })?;
            capabilities.insert(cap);
        }
        if !api_supported(&raw.api) {
            return Err(format!(
                "{origin}: api: `{}` is not served by this host (serves {}); rebuild the plugin against a supported WIT",
                raw.api,
                SUPPORTED_APIS.join(", ")
            ));
        }
        for (field, value) in [
            ("id", &raw.id),
            ("version", &raw.version),
            ("kind", &raw.kind),
        ] {
            if value.trim().is_empty() {
                return Err(format!("{origin}: {field}: must not be empty"));
            }
        }
        Ok(Manifest {
            id: raw.id,
            version: raw.version,
            kind: raw.kind,
            api: raw.api,
            capabilities,
            limits: raw.limits,
        })
    }
}

/// `strive:loops@0.1.7` is served by the `strive:loops@0.1` bindings (semver-compatible in 0.x
/// means same minor).
pub fn api_supported(api: &str) -> bool {
    SUPPORTED_APIS.iter().any(|prefix| {
        api.strip_prefix(prefix).is_some_and(|rest| {
            rest.is_empty()
                || rest
                    .strip_prefix('.')
                    .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
id = "x"
version = "0.1.0"
kind = "git-commit-triage"
api = "strive:loops@0.1.0"
capabilities = ["log", "git.read"]
[limits]
memory_mib = 32
"#;

    #[test]
    fn parses_and_checks() {
        let m = Manifest::parse(GOOD, "t.toml").unwrap();
        assert!(m.capabilities.contains(&Capability::GitRead));
        assert_eq!(m.limits.memory_mib, Some(32));

        let bad = GOOD.replace("git.read", "git.write");
        let err = Manifest::parse(&bad, "t.toml").unwrap_err();
        assert!(err.contains("unknown capability `git.write`"), "{err}");

        let future = GOOD.replace("@0.1.0", "@0.2.0");
        assert!(
            Manifest::parse(&future, "t.toml")
                .unwrap_err()
                .contains("not served")
        );

        let extra = format!("{GOOD}\nfoo = 1\n");
        assert!(Manifest::parse(&extra, "t.toml").is_err());
    }

    #[test]
    fn api_versions() {
        assert!(api_supported("strive:loops@0.1.0"));
        assert!(api_supported("strive:loops@0.1.12"));
        assert!(!api_supported("strive:loops@0.10.0"));
        assert!(!api_supported("strive:loops@0.2.0"));
        assert!(!api_supported("strive:loops@0.1."));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in ".{0,400}") {
            let _ = Manifest::parse(&text, "fuzz");
        }
    }
}
