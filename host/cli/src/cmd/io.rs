//! Input and output plumbing shared by every verb.
//!
//! Guarantee: input that cannot be read or is not valid UTF-8 is reported on stderr and turns
//! into exit 64; it is never scanned as empty or partial text.

use std::io::{Read, Write};

use strive_core::exit;

/// Read a whole input named on the command line: a path, or `-`/absent for stdin.
/// On failure prints a clear message and returns the exit code to use.
pub fn read_text(source: Option<&str>) -> Result<String, i32> {
    let (bytes, origin) = match source {
        None | Some("-") => {
            let mut buf = Vec::new();
            if let Err(e) = std::io::stdin().lock().read_to_end(&mut buf) {
                eprintln!("error: cannot read standard input: {e}");
                return Err(exit::USAGE);
            }
            (buf, "<stdin>".to_string())
        }
        Some(path) => match std::fs::read(path) {
            Ok(b) => (b, path.to_string()),
            Err(e) => {
                eprintln!("error: cannot read {path}: {e}");
                return Err(exit::USAGE);
            }
        },
    };
    strive_core::text::decode_utf8(bytes, &origin).map_err(|e| {
        eprintln!("error: {e}");
        exit::USAGE
    })
}

/// Print one compact JSON value and a newline to stdout. A closed pipe (`| head`) is not a
/// crash: the write error is ignored and the verb's exit code stands.
pub fn print_json(value: &impl serde::Serialize) {
    // Buffered: stdout's own line buffer flushes a newline-free JSON text every 1 KiB.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let _ = serde_json::to_writer(&mut out, value);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// Print a value as indented JSON (for `--pretty` / human-facing JSON).
pub fn print_json_pretty(value: &impl serde::Serialize) {
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock());
    let _ = serde_json::to_writer_pretty(&mut out, value);
    let _ = out.write_all(b"\n");
    let _ = out.flush();
}

/// Open the store a `--state` argument names: a `state.json` path (the default file backend)
/// or a PostgreSQL URL (`postgres://…`). On failure prints a message (a URL's password is never
/// shown) and returns exit 64.
pub fn open_store(location: &std::path::Path) -> Result<Box<dyn strive_state::Store>, i32> {
    let location = location.to_string_lossy();
    // Connecting retries for a while and applies missing schema migrations: say so.
    let progress = strive_state::postgres::is_postgres_url(&location).then(|| {
        crate::ui::Progress::start("connecting to PostgreSQL, applying schema migrations")
    });
    let store = strive_state::open(&location);
    drop(progress);
    store.map_err(|e| {
        eprintln!("error: cannot open --state: {e}");
        exit::USAGE
    })
}
