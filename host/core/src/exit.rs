//! The exit-code contract, kept from the earlier loopguard so existing scripts keep working.

/// Everything checked out: allowed, grounded, clean, auto-mergeable.
pub const OK: i32 = 0;
/// The command guard blocked a command.
pub const BLOCKED: i32 = 2;
/// At least one claimed commit does not exist (and none was unverifiable).
pub const FABRICATED: i32 = 3;
/// A claim could not be checked (missing path, not a repository, unreadable objects).
pub const UNVERIFIABLE: i32 = 4;
/// The diff integrity scan found verifier tampering.
pub const TAMPERING: i32 = 5;
/// The injection scan flagged the text.
pub const INJECTION: i32 = 6;
/// The merge gate refused auto-merge.
pub const NOT_AUTO_MERGEABLE: i32 = 7;
/// The isomorphic check found a gap (ambiguous prefix, non-commit object, mismatch).
pub const ISOMORPHIC_GAP: i32 = 8;
/// Usage error or unreadable input (missing file, invalid UTF-8, bad JSON).
pub const USAGE: i32 = 64;
