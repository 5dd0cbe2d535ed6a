//! `strive verify` (alias `verify-sha`) and `strive verify-iso`: check cited commit ids against
//! a repository, in one batch, in-process. See `strive_core::verify` for the guarantees.

use std::path::PathBuf;

use strive_core::exit;
use strive_core::verify::Verifier;

use super::io;

/// Check that the commit ids an agent cites exist in a repository, as commits.
///
/// Each claim is `grounded`, `fabricated` (not hex, too short or long, no such object, an
/// ambiguous prefix, or an object that is not a commit such as an annotated tag) or
/// `unverifiable` (missing path, not a repository, unreadable objects, shallow clone). The
/// repository is opened once; references are never consulted. SHA-1 and SHA-256 repositories;
/// ids of 4 or more hex digits in any case. Repeated ids are reported once.
///
/// Output: `{"valid", "claims": [{"sha", "verdict": {"verdict", "detail"?}}], "grounded",
/// "fabricated", "unverifiable", "object_format"}`.
///
/// Exit: 0 all grounded; 4 any unverifiable; else 3 any fabricated; 64 usage or unreadable
/// input.
///
/// Examples:
///
///   strive verify . 3f2a9c1 e4b7d20
///
///   git log --format=%H -n 5000 | strive verify --stdin ~/src/project
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(flatten)]
    claims: ClaimArgs,
}

/// Check commit ids twice, by two independent predicates, and demand they agree.
///
/// The literal predicate asks whether the id, peeled like `<id>^{commit}`, reaches a commit;
/// the isomorphic one resolves the full object id, demands its type is commit and that the
/// claim is a true (case-insensitive) prefix of it. Per claim: `consistent` (both hold),
/// `fabricated` (neither), `gap` (they disagree, e.g. an annotated tag's id, or a reference
/// named like a short id; or the prefix is ambiguous), `unverifiable`.
///
/// Output: `{"consistent", "gap", "unverifiable", "fabricated", "claims": [{"sha", "oid"?,
/// "verdict": {"iso", "detail"?}}], "object_format"}`.
///
/// Exit (first that applies): 4 any unverifiable; 8 any gap; 3 any fabricated; 0 all
/// consistent; 64 usage or unreadable input.
///
/// Examples:
///
///   strive verify-iso . 3f2a9c1
///
///   strive verify-iso --stdin /srv/repo.git < cited-shas.txt
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct IsoArgs {
    #[command(flatten)]
    claims: ClaimArgs,
}

#[derive(clap::Args)]
struct ClaimArgs {
    /// The repository: a work tree root, its .git directory, or a bare repository. Parent
    /// directories are not searched.
    repo: PathBuf,
    /// Commit ids to check: full or abbreviated (at least 4 hex digits), any case.
    shas: Vec<String>,
    /// Also read ids from standard input, separated by whitespace (for lists longer than the
    /// command line allows). Input must be UTF-8.
    #[arg(long)]
    stdin: bool,
    /// Indent the JSON output.
    #[arg(long)]
    pretty: bool,
}

impl ClaimArgs {
    /// The ids from argv then stdin, or the exit code after reporting why there are none.
    fn collect(&self) -> Result<Vec<String>, i32> {
        let mut shas = self.shas.clone();
        if self.stdin {
            let text = io::read_text(None)?;
            shas.extend(text.split_whitespace().map(str::to_string));
        }
        if shas.is_empty() {
            eprintln!(
                "error: no commit ids to check; pass them after the repository path or use --stdin"
            );
            return Err(exit::USAGE);
        }
        Ok(shas)
    }

    fn print(&self, value: &impl serde::Serialize) {
        if self.pretty {
            io::print_json_pretty(value);
        } else {
            io::print_json(value);
        }
    }
}

pub fn run(args: Args) -> i32 {
    let shas = match args.claims.collect() {
        Ok(shas) => shas,
        Err(code) => return code,
    };
    let report = Verifier::open(&args.claims.repo).grounded(&shas);
    args.claims.print(&report);
    report.exit_code()
}

pub fn run_iso(args: IsoArgs) -> i32 {
    let shas = match args.claims.collect() {
        Ok(shas) => shas,
        Err(code) => return code,
    };
    let report = Verifier::open(&args.claims.repo).isomorphic(&shas);
    args.claims.print(&report);
    report.exit_code()
}
