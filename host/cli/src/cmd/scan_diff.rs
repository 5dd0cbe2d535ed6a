//! `strive scan-diff [FILE|-]`: the diff integrity scan.

use strive_core::{exit, integrity};

use super::io;

/// Scan a diff for changes that weaken its own verification (0 clean, 5 findings, 64 bad input).
///
/// Flags, per file and line with a rule id: deleted or skipped tests, focus/todo markers,
/// removed, commented-out, unreachable, tautological or weakened assertions (changed test code
/// in Python, Rust, TS/JS, Go, Java, Kotlin, C# and Ruby is parsed), broadened exception
/// checks, test code that no longer parses, edited expected outputs, retries and deselection in
/// test config, lowered coverage thresholds, CI exit-code masking, special-casing under test,
/// early exits in harness files.
///
/// Reads FILE, or standard input when FILE is `-` or absent. Accepts `git diff`, `git show`,
/// `git format-patch` and plain `diff -u` output. Prints one JSON object:
/// `{"clean", "findings": [{"rule", "issue", "file", "line", "side", "text", "message",
/// "before"?, "after"?}], "files_scanned"}` (`issue` keeps the earlier loopguard names;
/// `before`/`after` hold the check before and after the change where a finding is about one).
///
/// Exit codes: 0 clean (an empty diff is clean, with a `note`), 5 findings, 64 unreadable input,
/// invalid UTF-8 or text that is not a diff (never reported as clean). A diff holding non-UTF-8
/// bytes (e.g. a Latin-1 source file) is refused: regenerate it with `git diff --binary` or mark
/// such files binary in .gitattributes.
///
/// Examples:
///   git diff main... | strive scan-diff
///   strive scan-diff change.patch --pretty
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Diff file to scan; `-` or absent reads standard input.
    file: Option<String>,
    /// Indent the JSON output.
    #[arg(long)]
    pretty: bool,
}

pub fn run(args: Args) -> i32 {
    let text = match io::read_text(args.file.as_deref()) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let report = match integrity::scan_diff(&text) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.as_deref().unwrap_or("<stdin>"));
            return exit::USAGE;
        }
    };
    if args.pretty {
        io::print_json_pretty(&report);
    } else {
        io::print_json(&report);
    }
    if report.clean {
        exit::OK
    } else {
        exit::TAMPERING
    }
}
