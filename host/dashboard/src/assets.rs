//! The dashboard page, embedded at build time from the repository's `dashboard/` directory.
//!
//! Guarantee: the page is static — it never interpolates data on the server. It fetches the
//! JSON routes and renders every value through `textContent` (see `dashboard/app.js`).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// `dashboard/index.html`.
pub const INDEX_HTML: &str = include_str!("../../../dashboard/index.html");
/// `dashboard/app.js`.
pub const APP_JS: &str = include_str!("../../../dashboard/app.js");
/// `dashboard/app.css`.
pub const APP_CSS: &str = include_str!("../../../dashboard/app.css");

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // Always revalidate: a new `strive` binary serves a new page.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

pub(crate) async fn index() -> Response {
    asset(INDEX_HTML, "text/html; charset=utf-8")
}

pub(crate) async fn script() -> Response {
    asset(APP_JS, "text/javascript; charset=utf-8")
}

pub(crate) async fn style() -> Response {
    asset(APP_CSS, "text/css; charset=utf-8")
}
