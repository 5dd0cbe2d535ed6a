//! Strive's worktree capability: where an assisted-fix attempt happens.
//!
//! Guarantees:
//! - **Isolation.** Each attempt gets a git worktree of its own in a private temporary directory,
//!   on a fresh branch `loop/<id>/<timestamp>` that never overwrites or deletes an existing
//!   branch, so an earlier proposal is never lost.
//! - **Confinement.** Files are listed, read, written and deleted only inside the worktree,
//!   through cap-std: `..`, absolute paths, `.git` and symlinks that lead out are refused with a
//!   typed [`PathError`]. [`search`] (regex over the text files, honouring `.gitignore`) reads
//!   through the same confinement.
//! - **Guarded, sandboxed commands.** A command runs only after the [`CommandGuard`] allows it,
//!   in the worktree, inside the OS sandbox ([`sandbox`]: writes only in the worktree and a
//!   private home, no host processes, no network unless the spec allows it, resource limits;
//!   fail closed), with a timeout that kills its whole process tree, a cap on captured output,
//!   a scrubbed environment, and known secrets redacted from the output. The test command is
//!   the verifier, under the same limits.
//! - **No lost commits.** [`fast_forward`] moves the base branch by compare-and-swap; if the base
//!   moved meanwhile it reports [`FastForward::BaseMoved`] and changes nothing.
//!
//! Mechanics: libgit2 (`git2`) for every git operation, cap-std for files, `sh -c` in a new
//! process group and the Linux sandbox (namespaces, Landlock, seccomp, rlimits, a pids cgroup) for
//! commands. Everything is synchronous; async callers use a blocking thread.

pub mod exec;
pub mod ff;
pub mod fs;
pub mod guard;
pub mod path;
pub mod sandbox;
pub mod search;
pub mod worktree;

pub use exec::{CommandOutput, EnvPolicy, Exit, RunError, RunLimits, Secrets};
pub use ff::{CheckoutSync, FastForward, FastForwardError, fast_forward};
pub use fs::{ConfinedDir, FileText};
pub use git2::Oid;
pub use guard::{Blocked, CommandGuard};
pub use path::{PathError, confine};
pub use sandbox::{Confinement, Network, SandboxError, SandboxLimits, SandboxMode, SandboxPolicy};
pub use search::{MAX_HIT_BYTES, MAX_HITS, SearchError, SearchHit};
pub use worktree::{
    AgentGrant, COMMIT_EMAIL, COMMIT_NAME, Snapshot, StagedDiff, TestOutcome, Worktree,
    WorktreeBuilder, WorktreeError,
};
