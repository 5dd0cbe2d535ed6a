//! The keys of a loop's section that the host writes. `state.set` refuses every one of them, and
//! [`crate::records::commit`] writes section keys only through [`HostKey`], so the reserved set
//! is the written set by construction (a test checks it against real sections).

macro_rules! host_keys {
    ($($variant:ident => $name:literal,)*) => {
        /// A section key owned by the host.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum HostKey { $($variant,)* }

        impl HostKey {
            /// Every host-owned key.
            pub const ALL: &[HostKey] = &[$(HostKey::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self { $(HostKey::$variant => $name,)* }
            }
        }
    };
}

host_keys! {
    Phase => "phase",
    LastRun => "last_run",
    LastResult => "last_result",
    LastRunId => "last_run_id",
    Note => "note",
    Notes => "notes",
    Findings => "findings",
    LastReportRun => "last_report_run",
    TokensSpent => "tokens_spent",
    Branch => "branch",
    Commit => "commit",
    Attempts => "attempts",
    Reflections => "reflections",
}

impl HostKey {
    /// `Some` when `key` is owned by the host.
    pub fn parse(key: &str) -> Option<HostKey> {
        HostKey::ALL.iter().copied().find(|k| k.as_str() == key)
    }

    /// The reserved names, comma-separated (for the refusal message).
    pub fn names() -> String {
        HostKey::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl From<HostKey> for String {
    fn from(key: HostKey) -> String {
        key.as_str().to_string()
    }
}
