//! `strive`: the command-line front of the Strive runtime. Each verb lives in `cmd/<verb>.rs`;
//! this file only declares the verb table and maps results to exit codes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[macro_use]
mod ui;
mod cmd;
mod project;
mod spec_check;
mod wiring;

/// mimalloc for every allocation of the process, Rust's and the C libraries' (`override`): a
/// triage run builds and frees ~10^5 small strings, JSON nodes and libgit2 buffers, where glibc's
/// allocator was ~15% of the CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Strive runs unattended loops over your repositories — triage reports, verified fixes,
/// loop kinds of your own as sandboxed WebAssembly plugins — behind brakes that cannot be
/// talked past.
///
/// Exit codes: 0 ok, 2 blocked by guard, 3 fabricated claim, 4 unverifiable, 5 tampering found,
/// 6 injection found, 7 not auto-mergeable, 8 isomorphic gap, 64 usage or unreadable input.
#[derive(Parser)]
#[command(name = "strive", version, about, long_about, propagate_version = true)]
struct Cli {
    #[command(flatten)]
    global: ui::GlobalArgs,
    #[command(subcommand)]
    verb: Verb,
}

#[derive(Subcommand)]
enum Verb {
    // Loops: author, run, inspect.
    Run(cmd::run::Args),
    Show(cmd::show::Args),
    Report(cmd::report::Args),
    Status(cmd::status::Args),
    Init(cmd::init::Args),
    Validate(cmd::validate::Args),
    Audit(cmd::audit::Args),
    Cost(cmd::cost::Args),
    AuditLog(cmd::audit_log::Args),
    Eval(cmd::eval::Args),
    // Triggers and scale.
    Schedule(cmd::schedule::Args),
    Daemon(cmd::daemon::Args),
    Worker(cmd::worker::Args),
    Resume(cmd::resume::Args),
    Log(cmd::log::Args),
    State(cmd::state::Args),
    Serve(cmd::serve::Args),
    // Plugins.
    Plugin(cmd::plugin::Args),
    /// List, inspect and call a loop spec's MCP connectors (same gates as a plugin's calls).
    Connector(cmd::connector::Args),
    // The constraint core, one verb per check.
    /// Judge a shell command with the command guard (exit 0 allow, 2 block).
    #[command(alias = "check-command")]
    Guard(cmd::guard::Args),
    #[command(alias = "verify-sha")]
    Verify(cmd::verify::Args),
    VerifyIso(cmd::verify::IsoArgs),
    ScanDiff(cmd::scan_diff::Args),
    ScanInjection(cmd::scan_injection::Args),
    CheckAllowlist(cmd::check_allowlist::Args),
    Budget(cmd::budget::Args),
    /// Run a command in the OS sandbox that confines every loop command, or check it.
    Sandbox(cmd::sandbox::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(cmd::completions::Args),
    Man(cmd::completions::ManArgs),
}

fn main() -> ExitCode {
    ui::install_panic_hook();
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
    ui::init(&cli.global);
    let code = match cli.verb {
        Verb::Completions(args) => cmd::completions::run::<Cli>(args),
        Verb::Man(args) => cmd::completions::man::<Cli>(args),
        Verb::Status(args) => cmd::status::run(args),
        Verb::Schedule(args) => cmd::schedule::run(args),
        Verb::Daemon(args) => cmd::daemon::run(args),
        Verb::Worker(args) => cmd::worker::run(args),
        Verb::Resume(args) => cmd::resume::run(args),
        Verb::Log(args) => cmd::log::run(args),
        Verb::State(args) => cmd::state::run(args),
        Verb::Verify(args) => cmd::verify::run(args),
        Verb::VerifyIso(args) => cmd::verify::run_iso(args),
        Verb::Budget(args) => cmd::budget::run(args),
        Verb::ScanDiff(args) => cmd::scan_diff::run(args),
        Verb::CheckAllowlist(args) => cmd::check_allowlist::run(args),
        Verb::Validate(args) => cmd::validate::run(args),
        Verb::Init(args) => cmd::init::run(args),
        Verb::Cost(args) => cmd::cost::run(args),
        Verb::Audit(args) => cmd::audit::run(args),
        Verb::Guard(args) => cmd::guard::run(args),
        Verb::ScanInjection(args) => cmd::scan_injection::run(args),
        Verb::Run(args) => cmd::run::run(args),
        Verb::Eval(args) => cmd::eval::run(args),
        Verb::Show(args) => cmd::show::run(args),
        Verb::Report(args) => cmd::report::run(args),
        Verb::AuditLog(args) => cmd::audit_log::run(args),
        Verb::Serve(args) => cmd::serve::run(args),
        Verb::Plugin(args) => cmd::plugin::run(args),
        Verb::Connector(args) => cmd::connector::run(args),
        Verb::Sandbox(args) => cmd::sandbox::run(args),
    };
    ExitCode::from(code as u8)
}
