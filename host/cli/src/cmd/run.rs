//! `strive run SPEC`: run a loop once, judged by the host, and record it.
//!
//! Guarantees: the result printed and the exit code are the host's verdict, not the plugin's
//! claim. Exit 0 for success (`proposed`, `merged`), 1 for `error`/`escalated`, 64 for a spec
//! that cannot be read or is invalid, or an unknown `--grant`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use strive_core::exit;
use strive_runtime::Capability;

/// Run a loop spec once.
///
/// Kind `assisted-fix` (phase L2 or L3): a maker proposes a change in a private worktree, the
/// spec's `test_command` proves it, failures feed the next attempt; L2 leaves a branch
/// `loop/<id>/<stamp>` for review, L3 fast-forwards `target.base_ref` when the change passes the
/// allowlist gate and the base has not moved.
///
/// The state section and a run-log row are written to the state file (default: the spec's
/// `state_file`, else `.loop-state/state.json`, relative to the current directory). A relative
/// `target.repo` is resolved against the directory of the spec file.
///
/// Examples:
///   strive run loops/fix-parser.json
///   strive run loops/fix-parser.json --json
///   strive run fix.json --state /tmp/state.json --grant worktree --grant command --grant maker
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The loop spec (loop.json).
    spec: PathBuf,
    /// Print one JSON object instead of the human summary.
    #[arg(long)]
    json: bool,
    /// State file to read and write (overrides the spec's `state_file`).
    #[arg(long, value_name = "PATH")]
    state: Option<PathBuf>,
    /// Grant only these capabilities (repeatable; narrows the phase's defaults, never widens).
    /// Names: log, state, git.read, verify, report, escalation, worktree, command, maker,
    /// connector.read, connector.write, merge.
    #[arg(long = "grant", value_name = "CAP")]
    grants: Vec<String>,
}

pub fn run(args: Args) -> i32 {
    let loaded = match strive_spec::load(&args.spec, &strive_spec::Checks::default()) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return exit::USAGE;
        }
    };
    let grants = if args.grants.is_empty() {
        None
    } else {
        let mut set = BTreeSet::new();
        for g in &args.grants {
            match Capability::parse(g) {
                Some(c) => {
                    set.insert(c);
                }
                None => {
                    let known: Vec<&str> = strive_runtime::capability::TABLE
                        .iter()
                        .map(|r| r.name)
                        .collect();
                    eprintln!(
                        "error: --grant {g}: unknown capability; known: {}",
                        known.join(", ")
                    );
                    return exit::USAGE;
                }
            }
        }
        Some(set)
    };
    let state_path = args
        .state
        .clone()
        .unwrap_or_else(|| PathBuf::from(loaded.spec.state_file()));
    if loaded.spec.kind == strive_spec::model::KIND_ASSISTED_FIX {
        return super::run_assisted::run(&loaded, &args.spec, &state_path, grants, args.json);
    }
    eprintln!(
        "error: {}: kind `{}` is not run by this build's `strive run` yet",
        args.spec.display(),
        loaded.spec.kind
    );
    exit::USAGE
}
