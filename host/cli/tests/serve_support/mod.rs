//! Shared by the `serve_*` tests: start the real `strive serve` on an ephemeral loopback port
//! and talk to it over real HTTP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

pub fn strive() -> Command {
    Command::new(env!("CARGO_BIN_EXE_strive"))
}

/// A running `strive serve`, killed on drop.
pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub base: String,
    client: reqwest::blocking::Client,
}

impl Server {
    /// `strive serve --state <state> --port 0 <extra…>`, once it prints its URL.
    pub fn start(state: &Path, extra: &[&str]) -> Server {
        let mut child = strive()
            .args(["serve", "--port", "0", "--state"])
            .arg(state)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn strive serve");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("read the URL line");
        if line.is_empty() {
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("strive serve printed no URL; stderr: {err}");
        }
        let base = line.trim().trim_end_matches('/').to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "URL line: {line:?}");
        let client = reqwest::blocking::Client::builder()
            .no_proxy()
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap();
        Server {
            child,
            base,
            client,
        }
    }

    pub fn get(&self, path: &str) -> reqwest::blocking::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .expect("GET")
    }

    pub fn request(&self, method: &str, path: &str) -> reqwest::blocking::Response {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        self.client
            .request(method, format!("{}{path}", self.base))
            .send()
            .expect("request")
    }

    /// GET `path`, asserting the status and a JSON body.
    pub fn json(&self, path: &str, status: u16) -> Value {
        let response = self.get(path);
        assert_eq!(response.status().as_u16(), status, "GET {path}");
        let content_type = header(&response, "content-type");
        assert_eq!(content_type, "application/json", "GET {path}");
        serde_json::from_str(&response.text().expect("body")).expect("JSON body")
    }

    /// Send raw HTTP/1.1 bytes and return the whole response text (for headers reqwest
    /// would not send, such as a foreign Host).
    pub fn raw(&self, request: &str) -> String {
        let addr = self.base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn header(response: &reqwest::blocking::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}
