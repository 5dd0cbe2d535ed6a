//! The read-only web dashboard that `strive serve` runs: an axum [`router`] over any
//! [`strive_state::Store`], with its page embedded in the binary (no build step, no CDN).
//!
//! Guarantees:
//! - **Read-only.** Only `GET` (and the `HEAD` axum derives from it) is routed; any other method
//!   on a known route is `405 Method Not Allowed` with an `Allow` header. No handler writes.
//! - **Fail closed.** A state file, run log or audit log that cannot be read or parsed is a
//!   `500` carrying the store's message (what, where, how to fix) — never an empty dashboard
//!   that looks healthy. Only a store that does not exist yet reads as empty, and then
//!   `/api/state` says so (`"store": {"exists": false}`) and the page shows a banner naming the
//!   path, so a mistyped `--state` never looks like a healthy empty project.
//! - **Bad input is the client's error.** A run id that is not a run id (`..`, `/`, a leading
//!   dot, over 128 characters) is `400`; a well-formed id with no audit log is `404`.
//! - **Bounded.** At most [`MAX_CONNECTIONS`] connections are served at once (more wait in the
//!   kernel's backlog); every request but the event stream is answered within
//!   [`REQUEST_TIMEOUT`] or gets `408`. Store reads are shared: the state view is read at most
//!   once per [`CACHE_TTL`] however many pages and streams are open.
//! - **Live.** `/api/events` is a server-sent-event stream that sends `change` (with a new
//!   `version`) within about a second of any change to the state or the run log, and a
//!   keep-alive comment otherwise.
//! - **Loopback by default.** Unless built with [`Options::allow_remote`], every request whose
//!   `Host` header is not a loopback name (`localhost`, `127.0.0.0/8`, `[::1]`) is refused with
//!   `403`, so a web page on another origin cannot read the dashboard through DNS rebinding.
//!   (Refusing a non-loopback *bind* is the CLI's job.)
//! - **Data stays data.** Every response carries a `Content-Security-Policy` of
//!   `default-src 'self'` (no inline script, no framing), `X-Content-Type-Options: nosniff`
//!   and `Referrer-Policy: no-referrer`; the page writes store data only through `textContent`.
//! - **Audit chains are checked** with [`strive_state::audit::verify_audit`], including a
//!   tail cut off after the run log recorded it.
//!
//! Routes (all JSON except the page and its assets; errors are `{"error": "<message>"}`):
//!
//! | route | answer |
//! |---|---|
//! | `/`, `/index.html`, `/app.js`, `/app.css` | the dashboard page and its assets |
//! | `/api/health` | `{"ok": true}` |
//! | `/api/state` | `{"version": 1, "loops": {<id>: section}, "store": {"describe", "exists"}}` (empty `loops` when no state yet) |
//! | `/api/events` | `text/event-stream`: `event: change` / `data: {"version": N}` on every change |
//! | `/api/runlog[?loop=ID&limit=N]` | run-log rows in append order (the last `N` when given) |
//! | `/api/loops/{id}` | one section (scheduler records are `{id}::sched`), else 404 |
//! | `/api/audit/{run_id}` | `{"run_id", "rows": [...], "chain": {ok, rows, head, first_bad_row, problem}}` |
//! | anything else | 404 `{"error": "not found"}` |

use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use strive_state::{Store, StoreError};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

pub mod assets;

/// The policy every response carries: only this origin's script, style and fetches; no
/// framing, plugins, `<base>` or form posts.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 64;
/// The longest a request (other than the event stream) may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one read of the state view is shared between requests.
pub const CACHE_TTL: Duration = Duration::from_millis(400);
/// How often the event stream looks for a change.
pub const EVENT_POLL: Duration = Duration::from_millis(500);

/// How the router treats requests beyond its routes.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Answer requests addressed to any host name. Off by default: only loopback names are
    /// answered (see the module guarantees).
    pub allow_remote: bool,
    /// The state file, when the store is a file: `/api/state` reports whether it exists.
    pub state_file: Option<PathBuf>,
}

#[derive(Clone)]
struct AppState {
    store: Arc<dyn Store>,
    state_file: Option<PathBuf>,
    cache: Arc<tokio::sync::Mutex<Option<View>>>,
}

/// One read of what the page shows: the sections and a fingerprint of them and the run log.
#[derive(Clone)]
struct View {
    at: Instant,
    sections: Arc<Value>,
    fingerprint: u64,
}

impl AppState {
    /// The state view, read from the store at most once per [`CACHE_TTL`].
    async fn view(&self) -> Result<View, ApiError> {
        let mut cached = self.cache.lock().await;
        if let Some(view) = cached.as_ref()
            && view.at.elapsed() < CACHE_TTL
        {
            return Ok(view.clone());
        }
        let view = read_store(self, |store| {
            let sections = store.all_sections()?;
            let runlog = store.read_runlog(None)?;
            let sections = serde_json::to_value(sections).unwrap_or_default();
            let fingerprint = fingerprint(&sections, &runlog);
            Ok(View {
                at: Instant::now(),
                sections: Arc::new(sections),
                fingerprint,
            })
        })
        .await?;
        *cached = Some(view.clone());
        Ok(view)
    }
}

fn fingerprint(sections: &Value, runlog: &[Value]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    sections.to_string().hash(&mut h);
    runlog.len().hash(&mut h);
    if let Some(last) = runlog.last() {
        last.to_string().hash(&mut h);
    }
    h.finish()
}

/// The dashboard's routes over `store`, with the security headers and host check applied.
pub fn router(store: Arc<dyn Store>, options: Options) -> Router {
    let state = AppState {
        store,
        state_file: options.state_file.clone(),
        cache: Arc::new(tokio::sync::Mutex::new(None)),
    };
    // The event stream lives as long as the page; everything else has a deadline.
    let live = Router::new()
        .route("/api/events", get(events))
        .with_state(state.clone());
    let app = Router::new()
        .route("/", get(assets::index))
        .route("/index.html", get(assets::index))
        .route("/app.js", get(assets::script))
        .route("/app.css", get(assets::style))
        .route("/api/health", get(health))
        .route("/api/state", get(state_document))
        .route("/api/runlog", get(runlog))
        .route("/api/loops/{id}", get(loop_section))
        .route("/api/audit/{run_id}", get(audit))
        .fallback(not_found)
        .with_state(state)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .merge(live)
        .layer(middleware::map_response(explain_method_not_allowed));
    let app = if options.allow_remote {
        app
    } else {
        app.layer(middleware::from_fn(require_loopback_host))
    };
    app.layer(SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    ))
    .layer(SetResponseHeaderLayer::overriding(
        header::X_FRAME_OPTIONS,
        HeaderValue::from_static("DENY"),
    ))
    .layer(SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    ))
}

/// Serve [`router`] over `store` on `listener` until `shutdown` resolves, then finish the
/// requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    store: Arc<dyn Store>,
    options: Options,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limited = Limited {
        inner: listener,
        permits: Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS)),
    };
    axum::serve(limited, router(store, options))
        .with_graceful_shutdown(shutdown)
        .await
}

/// A listener that accepts a connection only while fewer than [`MAX_CONNECTIONS`] are open.
struct Limited {
    inner: tokio::net::TcpListener,
    permits: Arc<tokio::sync::Semaphore>,
}

/// A connection holding its permit until it is dropped.
struct LimitedStream {
    stream: tokio::net::TcpStream,
    _permit: tokio::sync::OwnedSemaphorePermit,
}

impl axum::serve::Listener for Limited {
    type Io = LimitedStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let permit = match Arc::clone(&self.permits).acquire_owned().await {
            Ok(p) => p,
            // The semaphore is never closed; wait forever rather than exceed the limit.
            Err(_) => std::future::pending().await,
        };
        let (stream, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        (
            LimitedStream {
                stream,
                _permit: permit,
            },
            addr,
        )
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

impl tokio::io::AsyncRead for LimitedStream {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl tokio::io::AsyncWrite for LimitedStream {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        std::pin::Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}

/// `/api/events`: a `change` event whenever the state view's fingerprint changes.
async fn events(State(state): State<AppState>) -> impl IntoResponse {
    let stream = futures_util::stream::unfold(
        (state, None::<u64>, 0u64),
        |(state, last, version)| async move {
            loop {
                match state.view().await {
                    Ok(view) if Some(view.fingerprint) != last => {
                        let version = version + 1;
                        let event = Event::default()
                            .event("change")
                            .data(json!({ "version": version }).to_string());
                        return Some((
                            Ok::<Event, std::convert::Infallible>(event),
                            (state, Some(view.fingerprint), version),
                        ));
                    }
                    Ok(_) => {}
                    Err(e) => {
                        // Say it once per failure; the page shows the error from /api/state.
                        let event = Event::default()
                            .event("error")
                            .data(json!({ "error": e.message() }).to_string());
                        tokio::time::sleep(EVENT_POLL * 4).await;
                        return Some((Ok(event), (state, None, version)));
                    }
                }
                tokio::time::sleep(EVENT_POLL).await;
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// An error answer: a status and a message that says what went wrong and how to fix it.
#[derive(Debug)]
enum ApiError {
    NotFound,
    BadRequest(String),
    Store(StoreError),
    Internal(String),
}

impl ApiError {
    fn message(&self) -> String {
        match self {
            ApiError::NotFound => "not found".into(),
            ApiError::BadRequest(m) | ApiError::Internal(m) => m.clone(),
            ApiError::Store(e) => format!("cannot read the state store: {e}"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::NotFound => (StatusCode::NOT_FOUND, "not found".to_string()),
            ApiError::BadRequest(m) => (StatusCode::BAD_REQUEST, m),
            ApiError::Store(e) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("cannot read the state store: {e}"),
            ),
            ApiError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, m),
        };
        json_response(status, &json!({ "error": message }))
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ApiError::Store(e)
    }
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    let mut response = (status, value.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// Run a store read on the blocking pool (file and database stores block).
async fn read_store<T: Send + 'static>(
    state: &AppState,
    read: impl FnOnce(&dyn Store) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let store = state.store.clone();
    tokio::task::spawn_blocking(move || read(store.as_ref()))
        .await
        .map_err(|e| ApiError::Internal(format!("store read did not finish: {e}")))?
}

async fn health() -> Response {
    json_response(StatusCode::OK, &json!({ "ok": true }))
}

async fn state_document(State(state): State<AppState>) -> Result<Response, ApiError> {
    let view = state.view().await?;
    let exists = state.state_file.as_ref().map(|p| p.exists());
    Ok(json_response(
        StatusCode::OK,
        &json!({
            "version": 1,
            "loops": *view.sections,
            "store": {
                "describe": state.store.describe(),
                "exists": exists.unwrap_or(true),
            },
        }),
    ))
}

/// `?loop=ID&limit=N` of `/api/runlog`.
#[derive(Debug, Deserialize)]
struct RunlogQuery {
    #[serde(rename = "loop")]
    loop_id: Option<String>,
    limit: Option<usize>,
}

async fn runlog(
    State(state): State<AppState>,
    query: Result<Query<RunlogQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| {
        ApiError::BadRequest(format!(
            "bad query for /api/runlog ({}); use ?loop=<loop id>&limit=<whole number>",
            e.body_text()
        ))
    })?;
    let rows = read_store(&state, move |store| {
        let rows = store.read_runlog(query.loop_id.as_deref())?;
        Ok(last_n(rows, query.limit))
    })
    .await?;
    Ok(json_response(StatusCode::OK, &Value::Array(rows)))
}

/// The last `limit` rows (all of them without a limit), still in append order.
fn last_n<T>(mut rows: Vec<T>, limit: Option<usize>) -> Vec<T> {
    if let Some(limit) = limit {
        let excess = rows.len().saturating_sub(limit);
        rows.drain(..excess);
    }
    rows
}

async fn loop_section(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let section = read_store(&state, move |store| Ok(store.read_section(&id)?)).await?;
    match section {
        Some(section) => Ok(json_response(StatusCode::OK, &section)),
        None => Err(ApiError::NotFound),
    }
}

/// Whether `id` has the shape of a run id: 1–128 of `[A-Za-z0-9._-]`, not starting with a dot.
pub fn is_run_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

async fn audit(
    State(state): State<AppState>,
    Path(run_id): Path<String>,
) -> Result<Response, ApiError> {
    if !is_run_id(&run_id) {
        return Err(ApiError::BadRequest(format!(
            "{:?} is not a run id (letters, digits, '.', '_', '-'; e.g. 20261124T214501Z-1a2b3c4d); copy it from the run log",
            run_id.chars().take(64).collect::<String>()
        )));
    }
    let body = read_store(&state, move |store| {
        let lines = store.read_audit(&run_id)?;
        let chain = strive_state::audit::verify_audit(store, &run_id)?;
        // No audit rows and nothing in the run log expecting any: there is no such run. A run
        // whose rows were deleted after the run log recorded them fails the chain check instead.
        if lines.is_empty() && chain.ok {
            return Err(ApiError::NotFound);
        }
        let rows: Vec<Value> = lines.iter().map(|line| audit_row(line)).collect();
        Ok(json!({ "run_id": run_id, "rows": rows, "chain": chain }))
    })
    .await?;
    Ok(json_response(StatusCode::OK, &body))
}

/// One audit line as JSON; a line that does not parse is passed on as the raw string (the
/// chain check names it as the first bad row).
fn audit_row(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|_| Value::String(line.to_string()))
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// Give axum's bare 405 (which already carries `Allow`) a body that says why.
async fn explain_method_not_allowed(response: Response) -> Response {
    if response.status() != StatusCode::METHOD_NOT_ALLOWED {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = json!({
        "error": "method not allowed: the dashboard is read-only; use GET"
    });
    Response::from_parts(parts, Body::from(body.to_string()))
}

/// Refuse requests addressed to a name that is not loopback (DNS-rebinding defence).
async fn require_loopback_host(request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok());
    match host {
        Some(host) if is_loopback_host(host) => next.run(request).await,
        _ => json_response(
            StatusCode::FORBIDDEN,
            &json!({
                "error": format!(
                    "refusing Host {:?}: this dashboard answers only loopback names \
                     (localhost, 127.0.0.1, [::1]); open it through one of those, or restart \
                     `strive serve` with --allow-remote",
                    host.unwrap_or("<none>")
                )
            }),
        ),
    }
}

/// Whether a `Host` header value (with or without a port) names this machine's loopback.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // `[v6]` or `[v6]:port`
        Some(rest) => match rest.split_once(']') {
            Some((inner, tail))
                if tail.is_empty() || tail.strip_prefix(':').is_some_and(is_port) =>
            {
                inner
            }
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A decimal port number (no sign, no spaces).
fn is_port(port: &str) -> bool {
    !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_host_names() {
        for ok in [
            "localhost",
            "LOCALHOST:8765",
            "127.0.0.1",
            "127.0.0.1:8765",
            "127.9.9.9:1",
            "[::1]",
            "[::1]:8765",
        ] {
            assert!(is_loopback_host(ok), "{ok} should be loopback");
        }
        for refused in [
            "",
            "example.com",
            "localhost.evil.com",
            "evil.localhost.com:80",
            "10.0.0.1:8765",
            "0.0.0.0:8765",
            "[::]:8765",
            "[::1]x",
            "127.0.0.1:notaport",
            "127.0.0.1:99999",
            "::1",
            "[::1]:",
            "127.0.0.1:+80",
        ] {
            assert!(!is_loopback_host(refused), "{refused:?} must be refused");
        }
    }

    #[test]
    fn run_id_shapes() {
        assert!(is_run_id("20261124T214501Z-1a2b3c4d"));
        for bad in ["", "..", "../x", ".hidden", "a/b", "a b", "a\u{0}"] {
            assert!(!is_run_id(bad), "{bad:?}");
        }
        assert!(!is_run_id(&"a".repeat(129)));
    }

    #[test]
    fn last_n_keeps_the_newest_rows_in_order() {
        assert_eq!(last_n(vec![1, 2, 3, 4], Some(2)), vec![3, 4]);
        assert_eq!(last_n(vec![1, 2], Some(5)), vec![1, 2]);
        assert_eq!(last_n(vec![1, 2], Some(0)), Vec::<i32>::new());
        assert_eq!(last_n(vec![1, 2], None), vec![1, 2]);
    }

    #[test]
    fn unparseable_audit_lines_are_kept_as_text() {
        assert_eq!(audit_row(r#"{"seq":0}"#), json!({"seq": 0}));
        assert_eq!(audit_row("{torn"), json!("{torn"));
    }

    proptest::proptest! {
        #[test]
        fn host_check_never_panics(host in ".{0,64}") {
            let _ = is_loopback_host(&host);
        }
    }
}
