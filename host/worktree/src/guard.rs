//! The command-guard seam: every command a worktree runs is checked first.
//!
//! The real guard lives in `strive-core`; the host implements [`CommandGuard`] with it. This crate
//! never decides on its own whether a command is safe.

use std::fmt;
use std::path::Path;

/// A guard's refusal: the rule that matched, why, and a safer alternative when the guard has
/// one. Shown to the plugin and the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    /// Identifier of the rule that refused the command.
    pub rule: String,
    /// Human-readable reason.
    pub reason: String,
    /// What to do instead, when the guard knows (e.g. `git push --force-with-lease`).
    pub alternative: Option<String>,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "blocked by guard [{}]: {}", self.rule, self.reason)?;
        match &self.alternative {
            Some(alt) => write!(f, " (instead: {alt})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for Blocked {}

/// Decides whether a shell command may run. Implementations must fail closed: a command they
/// cannot parse is [`Blocked`].
pub trait CommandGuard: Send + Sync {
    /// `Ok(())` lets `command` run; `Err` refuses it and it is never spawned.
    fn check(&self, command: &str) -> Result<(), Blocked>;

    /// Like [`check`](Self::check) for a command run in the worktree root `dir`; a guard may
    /// use the directory (the core guard allows deletion strictly inside it). The default
    /// ignores it.
    fn check_in(&self, command: &str, dir: &Path) -> Result<(), Blocked> {
        let _ = dir;
        self.check(command)
    }
}

/// The constraint core's guard is the production [`CommandGuard`]: a block keeps its stable
/// rule id and its safer alternative (when it has one).
impl CommandGuard for strive_core::guard::Guard {
    fn check(&self, command: &str) -> Result<(), Blocked> {
        to_result(strive_core::guard::Guard::check(self, command))
    }

    fn check_in(&self, command: &str, dir: &Path) -> Result<(), Blocked> {
        let Some(dir) = dir.to_str().filter(|d| d.starts_with('/')) else {
            return CommandGuard::check(self, command);
        };
        let mut ctx = strive_core::guard::Context::in_dir(dir);
        ctx.home = std::env::var("HOME").ok().filter(|h| h.starts_with('/'));
        to_result(strive_core::guard::Guard::check_in(self, command, &ctx))
    }
}

fn to_result(decision: strive_core::guard::Decision) -> Result<(), Blocked> {
    if decision.is_allowed() {
        return Ok(());
    }
    Err(Blocked {
        rule: decision.rule,
        reason: decision.reason,
        alternative: decision.alternative,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_core_guard_judges_deletion_against_the_worktree() {
        let g = strive_core::guard::Guard::default();
        let wt = Path::new("/work/loop-1");
        assert!(CommandGuard::check_in(&g, "rm -rf build", wt).is_ok());
        let outside = CommandGuard::check_in(&g, "rm -rf ../other", wt).unwrap_err();
        assert_eq!(outside.rule, "fs.rm-recursive-force");
        // without the directory, relative paths are outside
        assert!(CommandGuard::check(&g, "rm -rf build").is_err());
    }

    #[test]
    fn a_block_keeps_the_guards_alternative_apart_from_its_reason() {
        let g = strive_core::guard::Guard::default();
        let b = CommandGuard::check(&g, "git push --force origin main").unwrap_err();
        let alt = b
            .alternative
            .clone()
            .expect("force-push has a safer alternative");
        assert!(!b.reason.contains(&alt), "{b:?}");
        assert!(b.to_string().ends_with(&format!("(instead: {alt})")), "{b}");
    }
}
