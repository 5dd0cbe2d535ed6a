//! The command-guard seam: every command a worktree runs is checked first.
//!
//! The real guard lives in `strive-core`; the host implements [`CommandGuard`] with it. This crate
//! never decides on its own whether a command is safe.

use std::fmt;

/// A guard's refusal: the rule that matched and why. Shown to the plugin and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// Identifier of the rule that refused the command.
    pub rule: String,
    /// Human-readable reason.
    pub reason: String,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "blocked by guard [{}]: {}", self.rule, self.reason)
    }
}

impl std::error::Error for Blocked {}

/// Decides whether a shell command may run. Implementations must fail closed: a command they
/// cannot parse is [`Blocked`].
pub trait CommandGuard: Send + Sync {
    /// `Ok(())` lets `command` run; `Err` refuses it and it is never spawned.
    fn check(&self, command: &str) -> Result<(), Blocked>;
}

/// The constraint core's guard is the production [`CommandGuard`]: a block keeps its stable
/// rule id, and its safer alternative (when it has one) is appended to the reason.
impl CommandGuard for strive_core::guard::Guard {
    fn check(&self, command: &str) -> Result<(), Blocked> {
        let decision = strive_core::guard::Guard::check(self, command);
        if decision.is_allowed() {
            return Ok(());
        }
        let reason = match decision.alternative {
            Some(alt) => format!("{} (instead: {alt})", decision.reason),
            None => decision.reason,
        };
        Err(Blocked {
            rule: decision.rule,
            reason,
        })
    }
}
