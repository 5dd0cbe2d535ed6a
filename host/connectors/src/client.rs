//! One live connection to an MCP server (see the crate docs for the guarantees).
//!
//! Mechanics: each [`Connection`] owns a small tokio runtime (one worker thread) that drives the
//! rmcp client; the host's calls are synchronous and block on it with a timeout. A stdio server
//! is spawned confined by `strive_worktree::exec::spawn_confined`; its pipes are handed to rmcp's
//! async read/write transport with a line cap. An HTTP server is reached with rmcp's Streamable
//! HTTP client over reqwest, with the body and SSE-event caps set to the same message cap.

use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rmcp::model::{CallToolRequestParams, ContentBlock, ResourceContents};
use rmcp::service::RunningService;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::transport::async_rw::AsyncRwTransport;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::{RoleClient, ServiceError, ServiceExt};
use serde::Serialize;
use strive_worktree::exec::{ConfinedChild, EnvPolicy, Secrets, spawn_confined};
use strive_worktree::sandbox::Confinement;

use crate::{
    CallError, CallOutput, ConnectorConfig, Hints, Limits, ToolClass, ToolFilter, ToolInfo,
    Transport, classify, globs, parse_args, scan_result,
};

/// Bytes of a stdio server's stderr kept for error messages.
const STDERR_TAIL: usize = 2048;

/// Who answered the handshake.
#[derive(Debug, Clone, Serialize)]
pub struct ServerSummary {
    pub name: String,
    pub version: String,
    pub protocol: String,
    pub transport: &'static str,
}

/// A connected, listed server. Dropping it closes the session and kills a stdio server.
pub struct Connection {
    name: String,
    timeout: Duration,
    limits: Limits,
    // Field order is drop order: the session first, then the child, then the runtime.
    service: Option<RunningService<RoleClient, ()>>,
    child: Option<ConfinedChild>,
    stderr: Arc<Mutex<Vec<u8>>>,
    _home: Option<tempfile::TempDir>,
    runtime: Option<tokio::runtime::Runtime>,
    server: ServerSummary,
    tools: Vec<ToolInfo>,
    /// Why the connection is unusable, once it is.
    dead: Option<String>,
}

fn left(deadline: Instant) -> Duration {
    deadline.saturating_duration_since(Instant::now())
}

impl Connection {
    /// Start or reach the server, complete the MCP handshake and list its tools, all before
    /// `deadline` (and within the connector's timeout).
    pub fn connect(
        cfg: &ConnectorConfig,
        limits: Limits,
        deadline: Instant,
    ) -> Result<Connection, CallError> {
        let start_err = |message: String| CallError::Start {
            connector: cfg.name.clone(),
            message,
        };
        let write_tools = globs(&cfg.write_tools).map_err(&start_err)?;
        let read_tools = globs(&cfg.read_tools).map_err(&start_err)?;
        let filter = ToolFilter::new(&cfg.allow, &cfg.deny).map_err(&start_err)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("strive-mcp")
            .enable_all()
            .build()
            .map_err(|e| start_err(format!("cannot start the client runtime: {e}")))?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let wait = left(deadline).min(cfg.timeout);
        let mut child = None;
        let mut home = None;
        let started = Instant::now();
        let service = match &cfg.transport {
            Transport::Stdio { argv, env } => {
                let dir = tempfile::Builder::new()
                    .prefix("strive-mcp-")
                    .tempdir()
                    .map_err(|e| start_err(format!("cannot make the server's home: {e}")))?;
                let env = EnvPolicy {
                    home: dir.path().to_path_buf(),
                    allow: env.clone(),
                    secrets: Secrets::default(),
                };
                let confinement =
                    Confinement::new(&cfg.sandbox, vec![dir.path().to_path_buf()], Vec::new());
                let mut spawned = spawn_confined(dir.path(), argv, &env, &confinement)
                    .map_err(|e| start_err(format!("cannot start {:?}: {e}", argv[0])))?;
                let (Some(out), Some(inp)) = (spawned.stdout.take(), spawned.stdin.take()) else {
                    return Err(start_err("the server's pipes are missing".into()));
                };
                if let Some(mut err) = spawned.stderr.take() {
                    let tail = Arc::clone(&stderr);
                    std::thread::spawn(move || {
                        let mut buf = [0u8; 4096];
                        while let Ok(n) = err.read(&mut buf) {
                            if n == 0 {
                                break;
                            }
                            if let Ok(mut t) = tail.lock() {
                                t.extend_from_slice(&buf[..n]);
                                let excess = t.len().saturating_sub(STDERR_TAIL);
                                t.drain(..excess);
                            }
                        }
                    });
                }
                child = Some(spawned);
                home = Some(dir);
                let max_line = limits.max_message_bytes;
                let result = runtime.block_on(async {
                    let out = LineCap::new(tokio::process::ChildStdout::from_std(out)?, max_line);
                    let inp = tokio::process::ChildStdin::from_std(inp)?;
                    let transport =
                        AsyncRwTransport::new_client(out, inp).with_max_line_length(max_line);
                    Ok::<_, std::io::Error>(tokio::time::timeout(wait, ().serve(transport)).await)
                });
                match result {
                    Err(e) => return Err(start_err(format!("cannot use the server's pipes: {e}"))),
                    Ok(r) => r,
                }
            }
            Transport::Http { url } => {
                let http = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .map_err(|e| start_err(format!("cannot build the HTTP client: {e}")))?;
                let mut config = StreamableHttpClientTransportConfig::with_uri(url.as_str());
                config.max_json_response_size = limits.max_message_bytes;
                config.max_sse_event_size = limits.max_message_bytes;
                config.reinit_on_expired_session = false;
                runtime.block_on(async {
                    let transport = StreamableHttpClientTransport::with_client(http, config);
                    tokio::time::timeout(wait, ().serve(transport)).await
                })
            }
        };
        let stderr_tail = |stderr: &Arc<Mutex<Vec<u8>>>| -> String {
            let t = stderr.lock().map(|t| t.clone()).unwrap_or_default();
            let text = String::from_utf8_lossy(&t).trim().to_string();
            if text.is_empty() {
                String::new()
            } else {
                format!(
                    "; its stderr ends: {}",
                    strive_core::text::escape_line(&text)
                )
            }
        };
        let service = match service {
            Err(_) => {
                return Err(start_err(format!(
                    "the MCP handshake did not finish within {} ms{}",
                    started.elapsed().as_millis(),
                    stderr_tail(&stderr)
                )));
            }
            Ok(Err(e)) => {
                return Err(start_err(format!(
                    "the MCP handshake failed: {e}{}",
                    stderr_tail(&stderr)
                )));
            }
            Ok(Ok(service)) => service,
        };
        let info = service.peer().peer_info();
        let server = ServerSummary {
            name: info
                .as_ref()
                .and_then(|i| i.server_info.as_ref())
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            version: info
                .as_ref()
                .and_then(|i| i.server_info.as_ref())
                .map(|s| s.version.clone())
                .unwrap_or_default(),
            protocol: info
                .as_ref()
                .map(|i| i.protocol_version.to_string())
                .unwrap_or_default(),
            transport: match cfg.transport {
                Transport::Stdio { .. } => "stdio",
                Transport::Http { .. } => "streamable-http",
            },
        };
        let wait = left(deadline).min(cfg.timeout);
        let listed = runtime
            .block_on(async { tokio::time::timeout(wait, service.peer().list_all_tools()).await });
        let listed = match listed {
            Err(_) => {
                return Err(start_err(format!(
                    "tools/list did not answer within {} ms",
                    wait.as_millis()
                )));
            }
            Ok(Err(e)) => {
                return Err(start_err(format!(
                    "tools/list failed: {e}{}",
                    stderr_tail(&stderr)
                )));
            }
            Ok(Ok(tools)) => tools,
        };
        let mut tools = Vec::new();
        for tool in listed.into_iter().take(limits.max_tools) {
            let name = tool.name.to_string();
            if !filter.visible(&name) {
                continue;
            }
            let hints = tool
                .annotations
                .as_ref()
                .map(|a| Hints {
                    read_only: a.read_only_hint,
                    destructive: a.destructive_hint,
                })
                .unwrap_or_default();
            let (class, why) = classify(&name, hints, &write_tools, &read_tools);
            let description: String = tool
                .description
                .as_deref()
                .unwrap_or_default()
                .chars()
                .take(300)
                .collect();
            tools.push(ToolInfo {
                name,
                description,
                class,
                why,
            });
        }
        tools.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Connection {
            name: cfg.name.clone(),
            timeout: cfg.timeout,
            limits,
            service: Some(service),
            child,
            stderr,
            _home: home,
            runtime: Some(runtime),
            server,
            tools,
            dead: None,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn server(&self) -> &ServerSummary {
        &self.server
    }

    /// The tools the loop may see, sorted by name, with their class.
    pub fn tools(&self) -> &[ToolInfo] {
        &self.tools
    }

    /// The class of a visible tool (`None` if the filter hides it or the server has none).
    pub fn class_of(&self, tool: &str) -> Option<ToolClass> {
        self.tools.iter().find(|t| t.name == tool).map(|t| t.class)
    }

    fn gone(&mut self, message: String) -> CallError {
        let tail = {
            let t = self.stderr.lock().map(|t| t.clone()).unwrap_or_default();
            String::from_utf8_lossy(&t).trim().to_string()
        };
        let message = if tail.is_empty() {
            message
        } else {
            format!(
                "{message}; its stderr ends: {}",
                strive_core::text::escape_line(&tail)
            )
        };
        self.dead = Some(message.clone());
        if let Some(child) = self.child.as_mut() {
            child.kill();
        }
        CallError::ServerGone {
            connector: self.name.clone(),
            message,
        }
    }

    /// Call `tool` with `args_json` (a JSON object, or empty) before `deadline`. The result's
    /// text is size-capped and injection-scanned before it is returned. The caller has already
    /// decided that the tool's class may be called.
    pub fn call(
        &mut self,
        tool: &str,
        args_json: &str,
        deadline: Instant,
    ) -> Result<CallOutput, CallError> {
        if let Some(why) = &self.dead {
            return Err(CallError::ServerGone {
                connector: self.name.clone(),
                message: why.clone(),
            });
        }
        let Some(class) = self.class_of(tool) else {
            let names: Vec<&str> = self.tools.iter().map(|t| t.name.as_str()).collect();
            return Err(CallError::UnknownTool {
                connector: self.name.clone(),
                tool: tool.to_string(),
                listed: if names.is_empty() {
                    "none".into()
                } else {
                    names.join(", ")
                },
            });
        };
        let args = parse_args(tool, args_json, self.limits.max_args_bytes)?;
        let run_left = left(deadline);
        let (wait, bound) = if run_left < self.timeout {
            (run_left, "the run's deadline")
        } else {
            (self.timeout, "the connector's timeout_secs")
        };
        let mut params = CallToolRequestParams::new(tool.to_string());
        if let Some(args) = args {
            params = params.with_arguments(args);
        }
        let (Some(service), Some(runtime)) = (self.service.as_ref(), self.runtime.as_ref()) else {
            return Err(self.gone("the connection was closed".into()));
        };
        let started = Instant::now();
        let answer = runtime
            .block_on(async { tokio::time::timeout(wait, service.peer().call_tool(params)).await });
        let result = match answer {
            Err(_) => {
                return Err(CallError::Timeout {
                    connector: self.name.clone(),
                    tool: tool.to_string(),
                    waited_ms: started.elapsed().as_millis() as u64,
                    bound,
                });
            }
            Ok(Err(ServiceError::McpError(e))) => {
                let message = truncate(&e.message, 1024);
                scan_result(&self.name, tool, &message)?;
                return Err(CallError::ToolError {
                    connector: self.name.clone(),
                    tool: tool.to_string(),
                    message: strive_core::text::escape_line(&message).into_owned(),
                });
            }
            Ok(Err(e)) => {
                let exited = self
                    .child
                    .as_mut()
                    .and_then(|c| c.try_exit())
                    .map(|x| format!("; the process ended: {x:?}"))
                    .unwrap_or_default();
                return Err(self.gone(format!("{e}{exited}")));
            }
            Ok(Ok(result)) => result,
        };
        let text = render(&result.content, result.structured_content.as_ref());
        if text.len() > self.limits.max_result_bytes {
            return Err(CallError::TooLarge {
                what: "connector-result-bytes",
                size: text.len(),
                cap: self.limits.max_result_bytes,
            });
        }
        let scan_score = scan_result(&self.name, tool, &text)?;
        if result.is_error == Some(true) {
            return Err(CallError::ToolError {
                connector: self.name.clone(),
                tool: tool.to_string(),
                message: strive_core::text::escape_line(&truncate(&text, 1024)).into_owned(),
            });
        }
        Ok(CallOutput {
            text,
            class,
            scan_score,
        })
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let (Some(service), Some(runtime)) = (self.service.take(), self.runtime.as_ref()) {
            let _ = runtime.block_on(async {
                tokio::time::timeout(Duration::from_millis(500), service.cancel()).await
            });
        }
        if let Some(mut child) = self.child.take() {
            child.kill();
        }
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A reader that fails once one line (one JSON-RPC message on stdio) passes `cap` bytes, so a
/// flooding server ends its connection at once instead of being skipped line by line.
struct LineCap<R> {
    inner: R,
    cap: usize,
    line: usize,
}

impl<R> LineCap<R> {
    fn new(inner: R, cap: usize) -> Self {
        LineCap {
            inner,
            cap,
            line: 0,
        }
    }
}

impl<R: tokio::io::AsyncRead + Unpin> tokio::io::AsyncRead for LineCap<R> {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = std::pin::Pin::new(&mut self.inner).poll_read(cx, buf);
        if let std::task::Poll::Ready(Ok(())) = &polled {
            let mut line = self.line;
            for &b in &buf.filled()[before..] {
                line = if b == b'\n' { 0 } else { line + 1 };
                if line > self.cap {
                    return std::task::Poll::Ready(Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        format!("the server sent a message longer than {} bytes", self.cap),
                    )));
                }
            }
            self.line = line;
        }
        polled
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// A tool result as text: text blocks and text resources verbatim, other blocks as one-line
/// placeholders, structured content as JSON when there is no text.
fn render(content: &[ContentBlock], structured: Option<&serde_json::Value>) -> String {
    let mut parts: Vec<String> = Vec::new();
    for block in content {
        match block {
            ContentBlock::Text(t) => parts.push(t.text.clone()),
            ContentBlock::Image(i) => parts.push(format!(
                "[image {} ({} base64 bytes) omitted]",
                i.mime_type,
                i.data.len()
            )),
            ContentBlock::Audio(a) => parts.push(format!(
                "[audio {} ({} base64 bytes) omitted]",
                a.mime_type,
                a.data.len()
            )),
            ContentBlock::Resource(r) => match &r.resource {
                ResourceContents::TextResourceContents { uri, text, .. } => {
                    parts.push(format!("[resource {uri}]\n{text}"))
                }
                ResourceContents::BlobResourceContents { uri, blob, .. } => parts.push(format!(
                    "[resource {uri}: binary, {} base64 bytes omitted]",
                    blob.len()
                )),
                _ => parts.push("[resource omitted]".into()),
            },
            #[allow(unreachable_patterns)]
            _ => parts.push("[resource link omitted]".into()),
        }
    }
    if parts.is_empty()
        && let Some(v) = structured
    {
        parts.push(v.to_string());
    }
    parts.join("\n")
}
