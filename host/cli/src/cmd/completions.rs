//! `strive completions SHELL`: print a completion script.

use clap::CommandFactory;
use clap_complete::Shell;

#[derive(clap::Args)]
pub struct Args {
    /// Shell to generate for.
    shell: Shell,
}

pub fn run<C: CommandFactory>(args: Args) -> i32 {
    let mut cmd = C::command();
    clap_complete::generate(args.shell, &mut cmd, "strive", &mut std::io::stdout());
    0
}
