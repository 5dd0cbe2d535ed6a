//! `strive check-allowlist POLICY [DIFF|-]`: the L3 auto-merge gate.

use strive_core::{allowlist, exit};

use super::io;

/// Decide whether a diff may be merged without review (0 yes, 7 no, 64 bad input).
///
/// POLICY is a JSON file: `allow_globs` (required), `max_files` and `max_lines` (required),
/// `deny_globs`, `use_default_deny` (default true: auth, payments, billing, secrets,
/// credentials, migrations, CI workflows, .env files, keys, Dockerfiles, terraform, k8s),
/// `allow_binary` and `allow_mode_change` (default false). Globs follow globset: `*` never
/// crosses `/`, `**/` spans directories, `{a,b}` alternates; deny globs ignore case.
///
/// Every changed path counts: additions, deletions, both sides of renames and copies, binary
/// files and mode changes. The integrity scan (see `strive scan-diff`) runs on the same diff.
/// Prints `{"auto_ok", "files_changed", "lines_changed", "reasons": [...],
/// "files": [{"path", "status", "verdict"}]}`.
///
/// Exit codes: 0 auto-mergeable, 7 not auto-mergeable (reasons say why; an empty diff is not
/// mergeable), 64 unreadable or invalid policy (the message names the field), or a diff that
/// cannot be read or parsed.
///
/// Examples:
///   echo '{"allow_globs": ["docs/**"], "max_files": 10, "max_lines": 200}' > gate.json
///   git diff main...fix | strive check-allowlist gate.json
///   strive check-allowlist gate.json change.patch --pretty
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Policy JSON file.
    policy: String,
    /// Diff file; `-` or absent reads standard input.
    diff: Option<String>,
    /// Indent the JSON output.
    #[arg(long)]
    pretty: bool,
}

pub fn run(args: Args) -> i32 {
    let policy_text = match io::read_text(Some(&args.policy)) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let policy = match allowlist::AllowPolicy::from_json(&policy_text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {}: {e}", args.policy);
            return exit::USAGE;
        }
    };
    let diff = match io::read_text(args.diff.as_deref()) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let verdict = match allowlist::evaluate_str(&diff, &policy) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: {}: {e}", args.diff.as_deref().unwrap_or("<stdin>"));
            return exit::USAGE;
        }
    };
    if args.pretty {
        io::print_json_pretty(&verdict);
    } else {
        io::print_json(&verdict);
    }
    if verdict.auto_ok {
        exit::OK
    } else {
        exit::NOT_AUTO_MERGEABLE
    }
}
