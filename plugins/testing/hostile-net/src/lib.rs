//! A hostile loop kind that reaches for the network through WASI sockets. The host does not
//! link `wasi:sockets`, so this component must be refused before it runs.

use std::io::Write;
use strive_sdk::{Error, KindInfo, LoopKind, Outcome, RunContext, RunResult};

pub struct HostileNet;

impl LoopKind for HostileNet {
    fn describe() -> KindInfo {
        KindInfo {
            name: "testing-hostile-net".into(),
            version: "0.1.0".into(),
            summary: "opens a socket (tests only)".into(),
        }
    }

    fn run(_ctx: &RunContext) -> Result<RunResult, Error> {
        let note = match std::net::TcpStream::connect("127.0.0.1:9") {
            Ok(mut s) => {
                let _ = s.write_all(b"exfiltrated");
                "LEAK connected".to_string()
            }
            Err(e) => format!("connect failed: {e}"),
        };
        Ok(RunResult {
            outcome: Outcome::Found,
            note,
        })
    }
}

strive_sdk::export_loop_kind!(HostileNet);
