//! `strive guard` (alias `check-command`): may an unattended loop run this shell command?
//!
//! Guarantees: prints one JSON decision per command; exit 0 only when every command is
//! allowed, 2 when any is blocked, 64 for usage errors, an unreadable or invalid policy file,
//! or unreadable standard input. In `--batch` mode every input line yields exactly one output
//! line, in order; a line that is not a JSON object with a string `command` (including invalid
//! UTF-8 and blank lines) yields a block with rule `input.invalid`, never a skip or an allow.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use strive_core::exit;
use strive_core::guard::{Decision, Guard, Policy};

use super::io::print_json;

/// Shown under `strive guard --help`: what is judged, the output, exit codes, examples.
const LONG_HELP: &str = "\
The command is parsed as shell and every command that could run is judged: after separators
and pipes, inside subshells and substitutions, inside `sh -c`, `eval`, `xargs`, `find -exec`,
`parallel`, wrappers such as `sudo`/`env`/`timeout`, and interpreter inline code
(`python -c`, `node -e`, ...). Anything the guard cannot fully read is blocked.

Output: {\"decision\":\"allow\"|\"block\",\"rule\":\"<id>\",\"reason\":\"...\",\"alternative\":\"...\"}
Exit codes: 0 allowed, 2 blocked, 64 usage error or unreadable input or policy.

Examples:
  strive guard 'git push --force origin main'      # exit 2, rule git.force-push
  strive guard --policy team.toml 'npm publish'
  printf '%s\\n' '{\"command\":\"ls\"}' '{\"command\":\"rm -rf /\"}' | strive guard --batch

Policy file (TOML), strictest decision wins:
  default = \"allow\"            # or \"block\": only [[allow]]ed commands may run
  [[deny]]
  id = \"team.no-publish\"
  program = \"npm\"              # glob over the program name
  args = [\"publish\"]           # globs, matched from the first argument
  reason = \"CI publishes\"
See docs/guard.md for every rule id and the policy format.";

#[derive(clap::Args, Debug)]
#[command(after_long_help = LONG_HELP)]
pub struct Args {
    /// A TOML policy file adding [[deny]] and [[allow]] rules (strictest decision wins).
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// Read JSONL `{"command": "..."}` from stdin; write one JSONL decision per line, in order.
    #[arg(long, conflicts_with = "command")]
    pub batch: bool,

    /// The command to judge. Quote it as one argument; several arguments are joined with
    /// spaces (which can only make the judgement stricter, never laxer).
    #[arg(value_name = "COMMAND", num_args = 0.., trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<String>,
}

pub fn run(args: Args) -> i32 {
    let policy = match &args.policy {
        None => Policy::default(),
        Some(path) => match Policy::load(path) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("error: {e}");
                eprintln!("hint: see docs/guard.md for the policy file format");
                return exit::USAGE;
            }
        },
    };
    let guard = Guard::with_policy(policy);
    if args.batch {
        return batch(&guard);
    }
    if args.command.is_empty() {
        eprintln!(
            "error: no command given; usage: strive guard [--policy FILE] COMMAND, or strive guard --batch < commands.jsonl"
        );
        return exit::USAGE;
    }
    let decision = guard.check(&args.command.join(" "));
    print_json(&decision);
    if decision.is_allowed() {
        exit::OK
    } else {
        exit::BLOCKED
    }
}

#[derive(serde::Deserialize)]
struct BatchLine {
    command: String,
}

/// Decide one batch input line.
fn decide_line(guard: &Guard, raw: &[u8], line_no: usize) -> Decision {
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    let Ok(text) = std::str::from_utf8(raw) else {
        return Decision::invalid_input(format!("line {line_no}: not valid UTF-8"));
    };
    match serde_json::from_str::<BatchLine>(text) {
        Ok(line) => guard.check(&line.command),
        Err(e) => Decision::invalid_input(format!(
            "line {line_no}: expected a JSON object like {{\"command\": \"...\"}} ({e})"
        )),
    }
}

fn batch(guard: &Guard) -> i32 {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut code = exit::OK;
    for (i, line) in stdin.lock().split(b'\n').enumerate() {
        let raw = match line {
            Ok(raw) => raw,
            Err(e) => {
                eprintln!("error: cannot read standard input at line {}: {e}", i + 1);
                return exit::USAGE;
            }
        };
        let decision = decide_line(guard, &raw, i + 1);
        if !decision.is_allowed() {
            code = exit::BLOCKED;
        }
        let _ = serde_json::to_writer(&mut out, &decision);
        let _ = out.write_all(b"\n");
        let _ = out.flush();
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_block_with_input_invalid() {
        let g = Guard::default();
        for raw in [
            &b"not json"[..],
            b"",
            b"{\"cmd\":\"ls\"}",
            b"{\"command\":5}",
            b"\xff\xfe",
        ] {
            let d = decide_line(&g, raw, 1);
            assert_eq!(d.rule, "input.invalid", "{raw:?}");
            assert!(!d.is_allowed());
        }
        assert!(decide_line(&g, b"{\"command\":\"ls\"}\r", 1).is_allowed());
    }
}
