//! The loop kinds compiled into `strive`. They are ordinary components with ordinary manifests
//! and go through exactly the same load-time and call-time checks as third-party plugins.

use crate::manifest::Manifest;

/// A component embedded in the binary, with its manifest text.
pub struct Builtin {
    pub kind: &'static str,
    pub wasm: &'static [u8],
    pub manifest_toml: &'static str,
    pub origin: &'static str,
}

impl Builtin {
    pub fn manifest(&self) -> Manifest {
        Manifest::parse(self.manifest_toml, self.origin)
            .unwrap_or_else(|e| panic!("built-in manifest is invalid (a build defect): {e}"))
    }
}

/// `git-commit-triage`: report-only triage of new commits.
pub const COMMIT_TRIAGE: Builtin = Builtin {
    kind: "git-commit-triage",
    wasm: include_bytes!(concat!(env!("STRIVE_GUEST_DIR"), "/commit_triage.wasm")),
    manifest_toml: include_str!("../../../plugins/commit-triage/strive-plugin.toml"),
    origin: "plugins/commit-triage/strive-plugin.toml",
};

/// `assisted-fix`: L2/L3 fixes proposed by a maker and proven by the test command.
pub const ASSISTED_FIX: Builtin = Builtin {
    kind: "assisted-fix",
    wasm: include_bytes!(concat!(env!("STRIVE_GUEST_DIR"), "/assisted_fix.wasm")),
    manifest_toml: include_str!("../../../plugins/assisted-fix/strive-plugin.toml"),
    origin: "plugins/assisted-fix/strive-plugin.toml",
};

/// Every built-in loop kind.
pub const ALL: &[Builtin] = &[COMMIT_TRIAGE, ASSISTED_FIX];

/// The built-in implementing loop.json `kind`, if any.
pub fn for_kind(kind: &str) -> Option<&'static Builtin> {
    ALL.iter().find(|b| b.kind == kind)
}

/// Where the build put the guest components (test-only plugins are read from here by tests).
pub const GUEST_DIR: &str = env!("STRIVE_GUEST_DIR");
