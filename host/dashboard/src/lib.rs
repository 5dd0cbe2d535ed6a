//! The read-only web dashboard that `strive serve` runs: an axum [`router`] over any
//! [`strive_state::Store`], with its page embedded in the binary (no build step, no CDN).
//!
//! Guarantees:
//! - **Read-only.** Only `GET` (and the `HEAD` axum derives from it) is routed; any other method
//!   on a known route is `405 Method Not Allowed` with an `Allow` header. No handler writes.
//! - **Fail closed.** A state file, run log or audit log that cannot be read or parsed is a
//!   `500` carrying the store's message (what, where, how to fix) — never an empty dashboard
//!   that looks healthy. Only a store that does not exist yet reads as empty.
//! - **Loopback by default.** Unless built with [`Options::allow_remote`], every request whose
//!   `Host` header is not a loopback name (`localhost`, `127.0.0.0/8`, `[::1]`) is refused with
//!   `403`, so a web page on another origin cannot read the dashboard through DNS rebinding.
//!   (Refusing a non-loopback *bind* is the CLI's job.)
//! - **Data stays data.** Every response carries a `Content-Security-Policy` of
//!   `default-src 'self'` (no inline script, no framing), `X-Content-Type-Options: nosniff`
//!   and `Referrer-Policy: no-referrer`; the page writes store data only through `textContent`.
//! - **Audit chains are checked** with [`strive_runtime::records::verify_audit`], including a
//!   tail cut off after the run log recorded it.
//!
//! Routes (all JSON except the page and its assets; errors are `{"error": "<message>"}`):
//!
//! | route | answer |
//! |---|---|
//! | `/`, `/index.html`, `/app.js`, `/app.css` | the dashboard page and its assets |
//! | `/api/health` | `{"ok": true}` |
//! | `/api/state` | `{"version": 1, "loops": {<id>: section}}` (empty `loops` when no state yet) |
//! | `/api/runlog[?loop=ID&limit=N]` | run-log rows in append order (the last `N` when given) |
//! | `/api/loops/{id}` | one section (scheduler records are `{id}::sched`), else 404 |
//! | `/api/audit/{run_id}` | `{"run_id", "rows": [...], "chain": {ok, rows, head, first_bad_row, problem}}` |
//! | anything else | 404 `{"error": "not found"}` |

use std::net::IpAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};
use strive_state::{Store, StoreError};
use tower_http::set_header::SetResponseHeaderLayer;

pub mod assets;

/// The policy every response carries: only this origin's script, style and fetches; no
/// framing, plugins, `<base>` or form posts.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// How the router treats requests beyond its routes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Answer requests addressed to any host name. Off by default: only loopback names are
    /// answered (see the module guarantees).
    pub allow_remote: bool,
}

#[derive(Clone)]
struct AppState {
    store: Arc<dyn Store>,
}

/// The dashboard's routes over `store`, with the security headers and host check applied.
pub fn router(store: Arc<dyn Store>, options: Options) -> Router {
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
        .with_state(AppState { store })
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
    axum::serve(listener, router(store, options))
        .with_graceful_shutdown(shutdown)
        .await
}

/// An error answer: a status and a message that says what went wrong and how to fix it.
#[derive(Debug)]
enum ApiError {
    NotFound,
    BadRequest(String),
    Store(StoreError),
    Internal(String),
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
    let sections = read_store(&state, |store| Ok(store.all_sections()?)).await?;
    Ok(json_response(
        StatusCode::OK,
        &json!({ "version": 1, "loops": sections }),
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

async fn audit(
    State(state): State<AppState>,
    Path(run_id): Path<String>,
) -> Result<Response, ApiError> {
    let body = read_store(&state, move |store| {
        let lines = store.read_audit(&run_id)?;
        let chain = strive_runtime::records::verify_audit(store, &run_id)?;
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
