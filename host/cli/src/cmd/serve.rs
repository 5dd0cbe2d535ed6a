//! `strive serve`: the read-only web dashboard over a state store (see `strive_dashboard` for
//! the routes and their guarantees).
//!
//! Guarantees: binds to loopback unless `--allow-remote` is given; prints the bound URL as the
//! first line of stdout once it accepts connections; stops cleanly on Ctrl-C or SIGTERM.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use strive_core::exit;
use strive_state::Store;

/// Serve the read-only web dashboard for your loops.
///
/// One card per loop (result, phase, cursors, findings with SHAs, assisted-fix branch and
/// reflections, notes, tokens against the budget, scheduler history and halts), the inbox, a
/// run timeline, the run log with links to each run's audit log (its hash chain checked) and
/// report. The page updates live (server-sent events on /api/events) within about a second of
/// a change. A --state that does not exist is shown as a banner, not as an empty project.
///
/// Only GET is answered; nothing served changes a loop. The server listens on 127.0.0.1 and
/// answers only requests addressed to a loopback name: the dashboard has no login, and shows
/// findings, notes and audit logs to anyone who can reach it. To look from another machine,
/// prefer an SSH tunnel (ssh -L 8765:127.0.0.1:8765 host) over --allow-remote.
///
/// Routes: / (the page), /api/health, /api/state, /api/events, /api/runlog?loop=ID&limit=N,
/// /api/loops/ID, /api/audit/RUN_ID.
///
/// The first line on stdout is the URL it listens on (useful with --port 0).
///
/// Exit: 0 after Ctrl-C or SIGTERM; 64 usage error, a refused or failed bind, or a state
/// store that cannot be opened.
///
/// Examples:
///
///   strive serve
///
///   strive serve --state /srv/loops/.loop-state/state.json --port 9000
///
///   strive serve --port 0    # pick a free port, print http://127.0.0.1:<port>/
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The state to show: a state.json path (its run log and audit logs sit beside it) or a
    /// postgres:// URL (default: the project's `.loop-state/state.json`).
    #[arg(long, value_name = "PATH|URL")]
    state: Option<String>,
    /// TCP port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8765)]
    port: u16,
    /// Address to listen on. Anything but a loopback address needs --allow-remote.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1", value_parser = parse_bind)]
    bind: IpAddr,
    /// Allow a non-loopback --bind and answer any Host name. The dashboard has no
    /// authentication: everyone who can reach the port can read every loop's state.
    #[arg(long)]
    allow_remote: bool,
}

/// An IP address, or `localhost` for 127.0.0.1.
fn parse_bind(value: &str) -> Result<IpAddr, String> {
    if value.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    value.parse().map_err(|_| {
        format!("{value:?} is not an IP address; use e.g. 127.0.0.1, ::1 or localhost")
    })
}

/// Why a bind address is refused without `--allow-remote`, if it is.
fn refuse_remote_bind(bind: IpAddr, allow_remote: bool) -> Option<String> {
    if bind.is_loopback() || allow_remote {
        return None;
    }
    Some(format!(
        "refusing to listen on {bind}: that address is reachable from other machines and the \
         dashboard has no authentication (it shows every loop's findings, notes and audit log). \
         Use the default --bind 127.0.0.1 and an SSH tunnel, or pass --allow-remote if the \
         network is trusted"
    ))
}

pub fn run(args: Args) -> i32 {
    if let Some(reason) = refuse_remote_bind(args.bind, args.allow_remote) {
        eprintln!("error: {reason}");
        return exit::USAGE;
    }
    let (_, state) = crate::project::for_verb(args.state.as_deref(), None, false);
    // Opened before the async runtime starts: the PostgreSQL client blocks.
    let store: Arc<dyn Store> = match strive_state::open(&state.location) {
        Ok(store) => Arc::from(store),
        Err(e) => {
            // The store's message names the path or the URL without its password.
            eprintln!("error: cannot open --state: {e}");
            return exit::USAGE;
        }
    };
    // A broken store is served (the page shows the error until it is fixed), but say so now.
    if let Err(e) = store.all_sections() {
        eprintln!("warning: {e}");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return exit::USAGE;
        }
    };
    let state_file = (!strive_state::postgres::is_postgres_url(&state.location))
        .then(|| std::path::PathBuf::from(&state.location));
    if let Some(path) = state_file.as_ref().filter(|p| !p.exists()) {
        eprintln!(
            "warning: {} does not exist yet: the dashboard shows no loops until a run writes it (a typo in --state?)",
            crate::ui::esc(&path.display().to_string())
        );
    }
    let options = strive_dashboard::Options {
        allow_remote: args.allow_remote,
        state_file,
    };
    let addr = SocketAddr::new(args.bind, args.port);
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(addr).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!(
                    "error: cannot listen on {addr}: {e}; pick another --port (0 picks a free one)"
                );
                return exit::USAGE;
            }
        };
        let bound = listener.local_addr().unwrap_or(addr);
        // Not io::print_json: the URL line is for people and for `--port 0` scripts alike.
        outln!("http://{bound}/");
        crate::ui::info(format_args!(
            "strive serve: read-only dashboard for {} at http://{bound}/ (Ctrl-C to stop)",
            crate::ui::esc(&store.describe())
        ));
        match strive_dashboard::serve(listener, store, options, shutdown_signal()).await {
            Ok(()) => exit::OK,
            Err(e) => {
                eprintln!("error: the dashboard server stopped: {e}");
                exit::USAGE
            }
        }
    })
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_addresses() {
        assert_eq!(parse_bind("localhost"), Ok(IpAddr::V4(Ipv4Addr::LOCALHOST)));
        assert_eq!(parse_bind("::1"), Ok("::1".parse().unwrap()));
        assert!(parse_bind("example.com").is_err());
        assert!(parse_bind("").is_err());
    }

    #[test]
    fn only_loopback_binds_without_allow_remote() {
        let refused = |ip: &str| refuse_remote_bind(ip.parse().unwrap(), false).is_some();
        assert!(!refused("127.0.0.1"));
        assert!(!refused("127.0.0.2"));
        assert!(!refused("::1"));
        assert!(refused("0.0.0.0"));
        assert!(refused("::"));
        assert!(refused("192.168.1.10"));
        assert!(refuse_remote_bind("0.0.0.0".parse().unwrap(), true).is_none());
    }
}
