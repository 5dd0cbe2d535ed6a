//! The command guard: may an unattended loop run this shell command?
//!
//! Guarantees:
//! - **Judged on parsed argv, never on raw text.** The command is parsed with a real shell
//!   parser (brush-parser); every simple command that could run is judged — after `;`, `&&`,
//!   `||`, `|`, `&`, newlines, inside subshells, braces, loops, functions, `$(...)`, backticks,
//!   `<(...)`/`>(...)`, arithmetic, redirect targets; inside `sh|bash|zsh -c`, `eval`, `xargs`,
//!   `find -exec`, `parallel`, `ssh host ...`, `watch`, `su -c`, aliases; inside interpreter
//!   inline code (`python -c`, `node -e`, `ruby -e`, `perl -e`, here-documents fed to them).
//!   Wrappers (`sudo`, `doas`, `env`, `nohup`, `timeout`, `nice`, `command`, `builtin`, `exec`,
//!   `time`, `stdbuf`, `busybox`, ...), `VAR=x` prefixes, absolute paths and quoting of the
//!   program name (`\rm`, `"rm"`, `r''m`) are seen through.
//! - **Mentions are not executions.** Text given to `echo`, `grep`, commit messages and data
//!   here-documents is never judged as a command.
//! - **Fail closed.** Input that does not parse, a program name only known at run time
//!   (`$X`, `$(cmd)` with non-literal output, `${!x}`), code piped in from an unseen command,
//!   disguised spellings (hex escapes, look-alike Unicode) and nesting deeper than 12 levels
//!   all block with a reason. The one repair: an input that ends inside an open quote (which
//!   bash refuses to run) is judged as if the quote were closed.
//! - **Strictest decision wins.** A user [`Policy`] adds `[[deny]]` rules and allowlist mode;
//!   it cannot weaken the builtin rules except through the narrow, argv-exact
//!   `override_builtin` described in [`policy`](Policy).
//! - **Context decides deletion.** [`Guard::check_in`] takes a [`Context`] (working
//!   directory, worktree root, temp directories, phase): recursive deletion is allowed strictly
//!   inside the worktree and in temp directories, nowhere else. Without a context
//!   ([`Guard::check`]) relative paths are outside. The context is resolved lexically, never
//!   on the filesystem.
//! - **Fast.** Rules are compiled once per [`Guard`]; a check is a parse plus a walk
//!   (see `benches/guard.rs` for p50/p99).
//!
//! Every [`Decision`] carries a stable rule id (e.g. `git.force-push`, `fs.rm-recursive-force`,
//! `rce.download-exec`), a reason and, where useful, a safer alternative. `docs/guard.md`
//! lists the rule ids.

mod code;
mod context;
mod git;
mod opts;
mod paths;
mod policy;
mod rules;
mod walk;
mod words;
mod wrappers;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

pub use context::{Context, Stage};
pub use policy::{Policy, PolicyError};

/// The largest command the guard will read (bytes); longer input blocks with `input.too-long`.
pub const MAX_COMMAND_BYTES: usize = 256 * 1024;

/// Allow or block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Allow,
    Block,
}

/// The guard's answer for one command, serialised as
/// `{"decision": "allow"|"block", "rule": ..., "reason": ..., "alternative": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub decision: Verdict,
    /// Stable rule id: `allow` when nothing blocked, else e.g. `git.force-push`.
    pub rule: String,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative: Option<String>,
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        self.decision == Verdict::Allow
    }

    fn allow() -> Self {
        Decision {
            decision: Verdict::Allow,
            rule: "allow".into(),
            reason: "no rule blocks this command".into(),
            alternative: None,
        }
    }

    /// A block for input that could not be read (used by the CLI for malformed batch lines).
    pub fn invalid_input(reason: impl Into<String>) -> Self {
        Decision {
            decision: Verdict::Block,
            rule: "input.invalid".into(),
            reason: reason.into(),
            alternative: None,
        }
    }
}

/// Why a command is blocked (internal; becomes a [`Decision`]).
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub rule: Cow<'static, str>,
    pub reason: String,
    pub alternative: Option<String>,
}

impl Block {
    pub(crate) fn new(
        rule: impl Into<Cow<'static, str>>,
        reason: String,
        alternative: Option<String>,
    ) -> Self {
        Block {
            rule: rule.into(),
            reason,
            alternative,
        }
    }
}

impl From<Block> for Decision {
    fn from(b: Block) -> Self {
        Decision {
            decision: Verdict::Block,
            rule: b.rule.into_owned(),
            reason: b.reason,
            alternative: b.alternative,
        }
    }
}

/// The command guard. Build once, check many commands.
///
/// ```
/// use strive_core::guard::{Guard, Verdict};
/// let guard = Guard::default();
/// assert_eq!(guard.check("git push origin +main").decision, Verdict::Block);
/// assert_eq!(guard.check("grep -rn 'git rebase' docs/").decision, Verdict::Allow);
/// // deletion inside the worktree is fine, outside it is not
/// let ctx = strive_core::guard::Context::in_dir("/work/project");
/// assert_eq!(guard.check_in("rm -rf build", &ctx).decision, Verdict::Allow);
/// assert_eq!(guard.check_in("rm -rf ../other", &ctx).decision, Verdict::Block);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Guard {
    policy: Policy,
}

impl Guard {
    /// The builtin rules plus a user policy (strictest decision wins).
    pub fn with_policy(policy: Policy) -> Self {
        Guard { policy }
    }

    /// Judge one shell command line (may span several lines) with no context: relative
    /// paths count as outside the worktree.
    pub fn check(&self, command: &str) -> Decision {
        self.check_in(command, &Context::default())
    }

    /// Judge one shell command line run in `ctx` (working directory, worktree, phase).
    pub fn check_in(&self, command: &str, ctx: &Context) -> Decision {
        if command.len() > MAX_COMMAND_BYTES {
            return Decision {
                decision: Verdict::Block,
                rule: "input.too-long".into(),
                reason: format!(
                    "the command is {} bytes; the guard reads at most {MAX_COMMAND_BYTES}",
                    command.len()
                ),
                alternative: Some("put long scripts in a file and review it".into()),
            };
        }
        let mut walker = walk::Walker::new(&self.policy, ctx);
        match walker.check_script(command) {
            Ok(_) => Decision::allow(),
            Err(block) => block.into(),
        }
    }
}
