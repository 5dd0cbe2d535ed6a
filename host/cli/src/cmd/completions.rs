//! `strive completions SHELL` and `strive man`: shell completion scripts and manual pages,
//! generated from the same verb table as `--help` (so they never drift from it).
//!
//! Guarantees: printing to a closed pipe is a quiet exit; `--install`/`--out` write files only
//! under the directory named (or the XDG user directory said in the help), and say each path.

use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;
use strive_core::exit;

/// Print (or install) a shell completion script: bash, zsh, fish, elvish, powershell.
///
/// `scripts/setup.sh` installs the bash, zsh and fish scripts for you. By hand:
///
/// Examples:
///   strive completions bash > ~/.local/share/bash-completion/completions/strive
///   strive completions zsh > ~/.zfunc/_strive      # with fpath+=(~/.zfunc) in ~/.zshrc
///   strive completions fish > ~/.config/fish/completions/strive.fish
///   strive completions bash --install              # writes the bash path above
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// Shell to generate for.
    shell: Shell,
    /// Write the script where the shell looks for user completions (bash:
    /// $XDG_DATA_HOME/bash-completion/completions/strive, zsh: ~/.zfunc/_strive, fish:
    /// ~/.config/fish/completions/strive.fish) instead of printing it.
    #[arg(long)]
    install: bool,
}

/// Print the `strive` manual page, or write one page per verb into a directory.
///
/// `scripts/setup.sh` installs the pages into ~/.local/share/man/man1 (read them with
/// `man strive`, `man strive-run`, …).
///
/// Examples:
///   strive man | man -l -
///   strive man --out ~/.local/share/man/man1
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct ManArgs {
    /// Write strive.1 and strive-VERB.1 for every verb into this directory (created if
    /// missing) instead of printing strive.1.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

fn xdg(var: &str, fallback: &str) -> Option<PathBuf> {
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => home().map(|h| h.join(fallback)),
    }
}

/// Where `--install` writes the script for `shell`.
fn install_path(shell: Shell) -> Option<PathBuf> {
    match shell {
        Shell::Bash => xdg("XDG_DATA_HOME", ".local/share")
            .map(|d| d.join("bash-completion/completions/strive")),
        Shell::Zsh => home().map(|h| h.join(".zfunc/_strive")),
        Shell::Fish => {
            xdg("XDG_CONFIG_HOME", ".config").map(|d| d.join("fish/completions/strive.fish"))
        }
        _ => None,
    }
}

pub fn run<C: CommandFactory>(args: Args) -> i32 {
    let mut cmd = C::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "strive", &mut script);
    if !args.install {
        crate::out!("{}", String::from_utf8_lossy(&script));
        return exit::OK;
    }
    let Some(path) = install_path(args.shell) else {
        eprintln!(
            "error: --install knows where bash, zsh and fish look (HOME must be set); for {} redirect the output: strive completions {} > FILE",
            args.shell, args.shell
        );
        return exit::USAGE;
    };
    match write_file(&path, &script) {
        Ok(()) => {
            crate::outln!("installed {} completions: {}", args.shell, path.display());
            if args.shell == Shell::Zsh {
                crate::ui::info(
                    "zsh: add `fpath+=(~/.zfunc); autoload -Uz compinit; compinit` to ~/.zshrc",
                );
            }
            exit::OK
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", path.display());
            exit::USAGE
        }
    }
}

fn write_file(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, bytes)
}

pub fn man<C: CommandFactory>(args: ManArgs) -> i32 {
    let cmd = C::command().name("strive");
    match args.out {
        None => {
            let mut page = Vec::new();
            if let Err(e) = clap_mangen::Man::new(cmd).render(&mut page) {
                eprintln!("error: cannot render the manual page: {e}");
                return exit::USAGE;
            }
            crate::out!("{}", String::from_utf8_lossy(&page));
            exit::OK
        }
        Some(dir) => {
            if let Err(e) =
                std::fs::create_dir_all(&dir).and_then(|()| clap_mangen::generate_to(cmd, &dir))
            {
                eprintln!(
                    "error: cannot write manual pages into {}: {e}",
                    dir.display()
                );
                return exit::USAGE;
            }
            let count = std::fs::read_dir(&dir)
                .map(|d| {
                    d.filter_map(Result::ok)
                        .filter(|e| {
                            let name = e.file_name();
                            let name = name.to_string_lossy();
                            name.starts_with("strive") && name.ends_with(".1")
                        })
                        .count()
                })
                .unwrap_or(0);
            crate::outln!("wrote {count} manual page(s) into {}", dir.display());
            exit::OK
        }
    }
}
