//! `strive`: the command-line front of the Strive runtime. Each verb lives in `cmd/<verb>.rs`;
//! this file only declares the verb table and maps results to exit codes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// Strive runs unattended loops over your repositories — triage reports, verified fixes,
/// loop kinds of your own as sandboxed WebAssembly plugins — behind brakes that cannot be
/// talked past.
///
/// Exit codes: 0 ok, 2 blocked by guard, 3 fabricated claim, 4 unverifiable, 5 tampering found,
/// 6 injection found, 7 not auto-mergeable, 8 isomorphic gap, 64 usage or unreadable input.
#[derive(Parser)]
#[command(name = "strive", version, about, long_about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    verb: Verb,
}

#[derive(Subcommand)]
enum Verb {
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cmd::completions::Args),
    Run(cmd::run::Args),
    Show(cmd::show::Args),
    AuditLog(cmd::audit_log::Args),
    /// Install, list, upgrade, remove and scaffold loop-kind plugins.
    Plugin(cmd::plugin::Args),
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap's own help/version output is success; real usage errors use our contract.
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(strive_core::exit::USAGE as u8),
            };
        }
    };
    let code = match cli.verb {
        Verb::Completions(args) => cmd::completions::run::<Cli>(args),
        Verb::Run(args) => cmd::run::run(args),
        Verb::Show(args) => cmd::show::run(args),
        Verb::AuditLog(args) => cmd::audit_log::run(args),
        Verb::Plugin(args) => cmd::plugin::run(args),
    };
    ExitCode::from(code as u8)
}
