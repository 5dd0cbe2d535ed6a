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

use crate::capability::{Capability, Phase};

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
    capabilities: Vec<RawCapability>,
    #[serde(default)]
    limits: RequestedLimits,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    license: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    phases: Option<Vec<String>>,
}

/// A capability request: `"git.read"` or `{ name = "maker", scopes = ["claude"], reason = "…" }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawCapability {
    Name(String),
    Detailed {
        name: String,
        #[serde(default)]
        scopes: Vec<String>,
        #[serde(default)]
        reason: Option<String>,
    },
}

/// Descriptive manifest fields: shown to the person installing the plugin, never trusted.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct About {
    pub description: Option<String>,
    pub license: Option<String>,
    pub source: Option<String>,
    pub authors: Vec<String>,
    pub language: Option<String>,
}

/// What a plugin says about one requested capability (shown when granting).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Request {
    /// Narrowing, e.g. maker names or path globs.
    pub scopes: Vec<String>,
    pub reason: Option<String>,
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
    /// The phases this loop kind can run at (`phases = ["L2", "L3"]`); absent = every phase.
    pub phases: BTreeSet<Phase>,
    pub limits: RequestedLimits,
    /// Scopes and reasons per requested capability (absent = unscoped, no reason given).
    pub requests: std::collections::BTreeMap<Capability, Request>,
    pub about: About,
}

/// The API versions this host serves (one bindgen module each; see docs/wit.md).
pub const SUPPORTED_APIS: &[&str] = &["strive:loops@0.1"];

impl Manifest {
    /// Parse `strive-plugin.toml` text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Manifest, String> {
        let raw: RawManifest = toml::from_str(text)
            .map_err(|e| format!("{origin}: not a valid plugin manifest: {e}"))?;
        let mut capabilities = BTreeSet::new();
        let mut requests = std::collections::BTreeMap::new();
        for requested in raw.capabilities {
            let (name, request) = match requested {
                RawCapability::Name(name) => (name, Request::default()),
                RawCapability::Detailed {
                    name,
                    scopes,
                    reason,
                } => (name, Request { scopes, reason }),
            };
            let cap = Capability::parse(&name).ok_or_else(|| {
                format!(
                    "{origin}: capabilities: unknown capability `{name}`; known: {}",
                    Capability::names()
                )
            })?;
            capabilities.insert(cap);
            requests.insert(cap, request);
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
        let phases = match raw.phases {
            None => Phase::ALL.into_iter().collect(),
            Some(names) => {
                let mut phases = BTreeSet::new();
                for name in names {
                    phases.insert(
                        name.parse::<Phase>()
                            .map_err(|e| format!("{origin}: phases: {e}"))?,
                    );
                }
                if phases.is_empty() {
                    return Err(format!(
                        "{origin}: phases: name at least one phase, or leave the field out"
                    ));
                }
                phases
            }
        };
        Ok(Manifest {
            phases,
            id: raw.id,
            version: raw.version,
            kind: raw.kind,
            api: raw.api,
            capabilities,
            limits: raw.limits,
            requests,
            about: About {
                description: raw.description,
                license: raw.license,
                source: raw.source,
                authors: raw.authors,
                language: raw.language,
            },
        })
    }
}

/// The WIT package versions this host has bindings for, newest first (see [`SUPPORTED_APIS`]).
pub const SUPPORTED_WIT_VERSIONS: &[&str] = &["0.1.2", "0.1.1", "0.1.0"];

/// `strive:loops@0.1.7` is served by the `strive:loops@0.1` bindings (semver-compatible in 0.x
/// means same minor). A semver range (`^0.1`, `>=0.1.0, <0.2.0`) is served when one of
/// [`SUPPORTED_WIT_VERSIONS`] satisfies it.
pub fn api_supported(api: &str) -> bool {
    negotiate_api(api).is_some()
}

/// The `strive:loops` version this host will serve a plugin declaring `api`, if any: the newest
/// supported version that satisfies it.
pub fn negotiate_api(api: &str) -> Option<&'static str> {
    let api = api.trim();
    if api.starts_with(crate::capability::PACKAGE) {
        let served = SUPPORTED_APIS
            .iter()
            .find(|prefix| exact_api_served(api, prefix))?;
        return SUPPORTED_WIT_VERSIONS
            .iter()
            .find(|v| format!("{}@{v}", crate::capability::PACKAGE).starts_with(*served))
            .copied();
    }
    let req = semver::VersionReq::parse(api).ok()?;
    SUPPORTED_WIT_VERSIONS
        .iter()
        .find(|v| semver::Version::parse(v).is_ok_and(|v| req.matches(&v)))
        .copied()
}

fn exact_api_served(api: &str, prefix: &str) -> bool {
    api.strip_prefix(prefix).is_some_and(|rest| {
        rest.is_empty()
            || rest
                .strip_prefix('.')
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
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

        let detailed = GOOD.replace(
            r#"capabilities = ["log", "git.read"]"#,
            r#"capabilities = ["log", { name = "git-read", reason = "reads commits" }]
license = "MIT"
source = "https://example.com/x""#,
        );
        let m = Manifest::parse(&detailed, "t.toml").unwrap();
        assert!(m.capabilities.contains(&Capability::GitRead));
        assert_eq!(
            m.requests[&Capability::GitRead].reason.as_deref(),
            Some("reads commits")
        );
        assert_eq!(m.about.license.as_deref(), Some("MIT"));

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
        assert_eq!(negotiate_api("^0.1"), Some("0.1.2"));
        assert_eq!(negotiate_api("=0.1.0"), Some("0.1.0"));
        assert_eq!(negotiate_api(">=0.1.0, <0.2.0"), Some("0.1.2"));
        assert_eq!(negotiate_api("strive:loops@0.1.3"), Some("0.1.2"));
        assert_eq!(negotiate_api("^0.2"), None);
        assert_eq!(negotiate_api("banana"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in ".{0,400}") {
            let _ = Manifest::parse(&text, "fuzz");
        }
    }
}
