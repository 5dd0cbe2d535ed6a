//! Output for people: the global `-v`/`-q`/`--color` flags, stdout that survives a closed pipe,
//! escaping of untrusted text, colour, and progress spinners.
//!
//! Guarantees:
//! - **A closed stdout is a quiet exit.** Everything a verb prints goes through [`outln!`] /
//!   [`out!`] (or `io::print_json`): a write to a closed pipe (`strive run … | head`) stops
//!   further output silently and the verb's own exit code stands. A stray `println!` that hits
//!   a closed pipe is caught by the panic hook [`install_panic_hook`] and exits 141 (as if by
//!   SIGPIPE) without a message — never a panic report or exit 101.
//! - **Untrusted text is escaped** ([`esc`], from `strive_core::text`) before it
//!   reaches the terminal: commit subjects, plugin notes, log lines, manifests, reasons.
//! - **Colour follows the terminal**: `--color auto` (the default) colours only when stdout is
//!   a terminal, `NO_COLOR` is unset or empty, and `TERM` is not `dumb`; `--color always|never`
//!   decide outright.
//! - **`-q` silences** informational stderr lines and progress (errors are always printed);
//!   **`-v`** adds which state store and plugin registry a verb uses and, as a run goes, each
//!   plugin `log.emit` line and each host decision other than a plain "allowed" (`-vv`: every
//!   one), on stderr (`cmd::run::watch`).
//! - **Progress** appears only on a terminal stderr, never with `-q`, and never on stdout; one
//!   [`Progress`] type, whose [`Spinner`] handle long work updates (a maker call, the test
//!   command, a precompile) so the elapsed time is that of the work under way.

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// When to colour output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    Always,
    Never,
}

/// Flags every verb accepts (before or after the verb name).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct GlobalArgs {
    /// Say more on stderr: the state store and plugin registry in use and, live during a run,
    /// each plugin log line and host refusal; -vv adds every allowed host call.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Only results and errors: no informational lines, no progress.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Colour: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t, global = true)]
    pub color: ColorChoice,
}

struct Settings {
    verbosity: i8,
    color: bool,
}

static SETTINGS: OnceLock<Settings> = OnceLock::new();
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Record the global flags; call once, before any verb runs.
pub fn init(args: &GlobalArgs) {
    let verbosity = if args.quiet {
        -1
    } else {
        args.verbose.min(9) as i8
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
        }
    };
    let _ = SETTINGS.set(Settings { verbosity, color });
}

fn settings() -> &'static Settings {
    SETTINGS.get_or_init(|| Settings {
        verbosity: 0,
        color: false,
    })
}

/// `-1` with `-q`, `0` by default, `n` with `-v` given `n` times.
pub fn verbosity() -> i8 {
    settings().verbosity
}

/// Whether human output on stdout is coloured.
pub fn color() -> bool {
    settings().color
}

/// Write to stdout; after the first failed write (a closed pipe) nothing more is written.
pub fn write_stdout(args: std::fmt::Arguments<'_>, newline: bool) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut out = std::io::stdout().lock();
    let written = out
        .write_fmt(args)
        .and_then(|()| {
            if newline {
                out.write_all(b"\n")
            } else {
                Ok(())
            }
        })
        .and_then(|()| out.flush());
    if written.is_err() {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
    }
}

/// Like `println!`, but a closed stdout is not a panic (see the module guarantees).
#[macro_export]
macro_rules! outln {
    () => { $crate::ui::write_stdout(format_args!(""), true) };
    ($($arg:tt)*) => { $crate::ui::write_stdout(format_args!($($arg)*), true) };
}

/// Like `print!`, but a closed stdout is not a panic.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => { $crate::ui::write_stdout(format_args!($($arg)*), false) };
}

/// An informational line on stderr (silenced by `-q`).
pub fn info(message: impl std::fmt::Display) {
    if verbosity() >= 0 {
        eprintln_quiet(format_args!("{message}"));
    }
}

/// A `-v` line on stderr, prefixed `strive: `.
pub fn verbose(message: impl std::fmt::Display) {
    if verbosity() >= 1 {
        eprintln_quiet(format_args!("strive: {message}"));
    }
}

fn eprintln_quiet(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args);
    let _ = err.write_all(b"\n");
}

/// Untrusted text as one safe line (controls, newlines and bidi overrides escaped).
pub fn esc(text: &str) -> Cow<'_, str> {
    strive_core::text::escape_line(text)
}

/// How a word is coloured on stdout.
#[derive(Clone, Copy, Debug)]
pub enum Tone {
    Good,
    Warn,
    Bad,
    Dim,
    Bold,
}

/// `text` in `tone` when colour is on (see [`color`]); the text unchanged otherwise.
pub fn paint(tone: Tone, text: &str) -> String {
    if !color() {
        return text.to_string();
    }
    let style = match tone {
        Tone::Good => anstyle::AnsiColor::Green.on_default(),
        Tone::Warn => anstyle::AnsiColor::Yellow.on_default(),
        Tone::Bad => anstyle::AnsiColor::Red.on_default().bold(),
        Tone::Dim => anstyle::Style::new().dimmed(),
        Tone::Bold => anstyle::Style::new().bold(),
    };
    format!("{style}{text}{style:#}")
}

/// The tone of a run result word (`clean`, `found`, `error`, …).
pub fn result_tone(result: &str) -> Tone {
    match result {
        "clean" | "merged" | "proposed" => Tone::Good,
        "found" | "escalated" => Tone::Warn,
        "error" => Tone::Bad,
        _ => Tone::Dim,
    }
}

/// A spinner with elapsed time on stderr while long work runs; hidden unless stderr is a
/// terminal and `-q` is off. Finish it with [`Progress::done`] (or drop it: it clears).
pub struct Progress(Spinner);

/// A handle on a [`Progress`] spinner that long work can update as it goes (from any thread);
/// every method does nothing when the spinner is hidden.
#[derive(Clone, Default)]
pub struct Spinner(Option<indicatif::ProgressBar>);

impl Progress {
    /// Start a spinner saying `message` (escaped by the caller if untrusted).
    pub fn start(message: impl Into<Cow<'static, str>>) -> Progress {
        if verbosity() < 0 || !std::io::stderr().is_terminal() {
            return Progress(Spinner(None));
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message);
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Spinner(Some(bar)))
    }

    /// A handle to update this spinner from inside long work.
    pub fn spinner(&self) -> Spinner {
        self.0.clone()
    }

    /// Stop and clear the spinner.
    pub fn done(self) {}
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0.0 {
            bar.finish_and_clear();
        }
    }
}

impl Spinner {
    /// Whether the spinner is shown (a terminal stderr and no `-q`).
    pub fn is_visible(&self) -> bool {
        self.0.is_some()
    }

    /// Say `message` from now on, keeping the elapsed time.
    pub fn set_message(&self, message: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.0 {
            bar.set_message(message);
        }
    }

    /// New work: say `message` and count the elapsed time from zero.
    pub fn restart(&self, message: impl Into<Cow<'static, str>>) {
        if let Some(bar) = &self.0 {
            bar.reset_elapsed();
            bar.set_message(message);
        }
    }

    /// Print a `-v` line (see [`verbose`]) without tearing the spinner.
    pub fn verbose(&self, message: impl std::fmt::Display) {
        match &self.0 {
            Some(bar) if verbosity() >= 1 => bar.suspend(|| verbose(message)),
            _ => verbose(message),
        }
    }
}

/// Make a `println!`/`print!` that hits a closed stdout (or stderr) exit 141 without a panic
/// message; every other panic is reported as usual.
pub fn install_panic_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if (message.starts_with("failed printing to stdout")
            || message.starts_with("failed printing to stderr"))
            && message.contains("Broken pipe")
        {
            std::process::exit(141);
        }
        default(info);
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_words_have_tones() {
        assert!(matches!(result_tone("clean"), Tone::Good));
        assert!(matches!(result_tone("error"), Tone::Bad));
        assert!(matches!(result_tone("found"), Tone::Warn));
    }

    #[test]
    fn paint_without_colour_is_the_text() {
        // SETTINGS default: no colour.
        assert_eq!(paint(Tone::Bad, "error"), "error");
    }
}
