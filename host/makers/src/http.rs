//! HTTP for makers: timeouts, retries with backoff that honour `Retry-After`, and secret-safe
//! errors.
//!
//! Guarantees:
//! - Every request has a connect timeout and a total timeout.
//! - 408, 429 and 5xx answers and connection failures are retried up to `max_attempts` in all,
//!   waiting `Retry-After` (delta-seconds or an HTTP date) when the server sends it, otherwise an
//!   exponential backoff with jitter. A `Retry-After` longer than `max_retry_after` ends the
//!   retries at once rather than stalling the loop.
//! - With a deadline (the run's wall clock), the whole call — every attempt, backoff and
//!   `Retry-After` wait — ends by it: each request's timeout is cut to the time left, no wait
//!   outlasts it, and running out is [`MakerError::DeadlineExceeded`] with the last failure.
//! - The API key travels only in the request header; it is never logged and is scrubbed from
//!   every error message (providers sometimes echo it back).
//!
//! Mechanics: reqwest's blocking client (rustls). Do not call from inside an async runtime's
//! worker thread; use a blocking thread there.

use std::time::{Duration, Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::blocking::Client;
use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::MakerError;

/// How often and how patiently to retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, including the first (at least 1).
    pub max_attempts: u32,
    /// First backoff delay; doubled per retry.
    pub base_delay: Duration,
    /// Ceiling of the backoff delay.
    pub max_delay: Duration,
    /// The longest `Retry-After` the caller is willing to wait.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Backoff before retry number `retry` (1 for the first retry): half fixed, half random.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.saturating_sub(1)))
            .min(self.max_delay);
        let half = exp / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// Connection settings of one maker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    /// Whole request, including reading the response.
    pub timeout: Duration,
    pub retry: RetryPolicy,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(120),
            retry: RetryPolicy::default(),
        }
    }
}

/// An API key read from the environment variable a spec names. Debug prints `[REDACTED]`.
#[derive(Debug, Clone)]
pub struct ApiKey {
    env: String,
    secret: SecretString,
}

impl ApiKey {
    /// Reads `env`; a missing or empty variable is an error that names the variable only.
    pub fn from_env(env: &str) -> Result<Self, MakerError> {
        match std::env::var(env) {
            Ok(v) if !v.trim().is_empty() => Ok(Self {
                env: env.to_owned(),
                secret: SecretString::from(v.trim().to_owned()),
            }),
            _ => Err(MakerError::MissingApiKey {
                env: env.to_owned(),
            }),
        }
    }

    /// The variable the key came from.
    pub fn env(&self) -> &str {
        &self.env
    }

    pub(crate) fn expose(&self) -> &str {
        self.secret.expose_secret()
    }

    /// `text` with every occurrence of the key replaced.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let key = self.expose();
        if key.is_empty() {
            text.to_owned()
        } else {
            text.replace(key, "[REDACTED]")
        }
    }
}

/// A provider's answer that was not retried away.
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: String,
}

impl Reply {
    pub fn json(&self, key: Option<&ApiKey>) -> Result<Value, MakerError> {
        serde_json::from_str(&self.body).map_err(|e| MakerError::BadResponse {
            reason: format!("body is not JSON ({e}): {}", snippet(&self.body, key)),
        })
    }

    /// An error for a non-success status, with a scrubbed excerpt of the body.
    pub fn error(&self, key: Option<&ApiKey>) -> MakerError {
        MakerError::Http {
            status: self.status.as_u16(),
            body: snippet(&self.body, key),
        }
    }
}

pub(crate) fn snippet(body: &str, key: Option<&ApiKey>) -> String {
    let cut: String = body.chars().take(500).collect();
    match key {
        Some(k) => k.scrub(&cut),
        None => cut,
    }
}

/// A blocking client with the settings' timeouts.
pub(crate) fn client(settings: &HttpSettings) -> Result<Client, MakerError> {
    Client::builder()
        .connect_timeout(settings.connect_timeout)
        .timeout(settings.timeout)
        .build()
        .map_err(|e| MakerError::Transport {
            reason: format!("cannot build the HTTP client: {e}"),
        })
}

fn retryable(status: StatusCode) -> bool {
    status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::REQUEST_TIMEOUT
        || status.is_server_error()
}

/// POSTs `body` as JSON with `headers`, retrying per the policy. Returns the first answer that
/// is not retryable (success or not); the caller interprets the status.
pub(crate) fn post_json(
    client: &Client,
    url: &str,
    headers: &HeaderMap,
    body: &Value,
    retry: &RetryPolicy,
    key: Option<&ApiKey>,
    deadline: Option<Instant>,
) -> Result<Reply, MakerError> {
    let attempts = retry.max_attempts.max(1);
    let payload = body.to_string();
    let mut last = String::new();
    let started = Instant::now();
    let out_of_time = |attempt: u32, last: &str| MakerError::DeadlineExceeded {
        attempts: attempt,
        spent: started.elapsed(),
        last: if last.is_empty() {
            "no answer yet".into()
        } else {
            last.to_string()
        },
    };
    let left = || deadline.map(|d| d.saturating_duration_since(Instant::now()));
    for attempt in 1..=attempts {
        let mut request = client
            .post(url)
            .headers(headers.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(payload.clone());
        if let Some(left) = left() {
            if left.is_zero() {
                return Err(out_of_time(attempt - 1, &last));
            }
            request = request.timeout(left);
        }
        let wait = match request.send() {
            Ok(resp) => {
                let status = resp.status();
                let retry_after = retry_after(resp.headers(), SystemTime::now());
                let text = read_capped(resp, key)?;
                if !retryable(status) {
                    return Ok(Reply { status, body: text });
                }
                last = format!("HTTP {}: {}", status.as_u16(), snippet(&text, key));
                match retry_after {
                    Some(d) if d > retry.max_retry_after => {
                        return Err(MakerError::RateLimited {
                            retry_after: d,
                            limit: retry.max_retry_after,
                        });
                    }
                    Some(d) => d,
                    None => retry.backoff(attempt),
                }
            }
            Err(e) if e.is_connect() || e.is_timeout() => {
                last = transport_reason(&e, key);
                if left().is_some_and(|l| l.is_zero()) {
                    return Err(out_of_time(attempt, &last));
                }
                retry.backoff(attempt)
            }
            Err(e) => return Err(transport(e, key)),
        };
        if let Some(left) = left()
            && wait >= left
        {
            return Err(out_of_time(attempt, &last));
        }
        if attempt < attempts {
            tracing::debug!(
                attempt,
                wait_ms = wait.as_millis() as u64,
                "maker request retried"
            );
            std::thread::sleep(wait);
        }
    }
    Err(MakerError::RetriesExhausted { attempts, last })
}

/// The largest provider response read (16 MiB); a larger one is an error, not a truncation.
pub const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

fn read_capped(
    resp: reqwest::blocking::Response,
    key: Option<&ApiKey>,
) -> Result<String, MakerError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    resp.take(MAX_RESPONSE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| MakerError::Transport {
            reason: match key {
                Some(k) => k.scrub(&format!("reading the response failed: {e}")),
                None => format!("reading the response failed: {e}"),
            },
        })?;
    if bytes.len() as u64 > MAX_RESPONSE_BYTES {
        return Err(MakerError::BadResponse {
            reason: format!("response larger than {MAX_RESPONSE_BYTES} bytes"),
        });
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn transport_reason(e: &reqwest::Error, key: Option<&ApiKey>) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    match key {
        Some(k) => k.scrub(&text),
        None => text,
    }
}

fn transport(e: reqwest::Error, key: Option<&ApiKey>) -> MakerError {
    MakerError::Transport {
        reason: transport_reason(&e, key),
    }
}

/// The wait a `Retry-After` header asks for: delta-seconds or an HTTP date (relative to `now`;
/// a date in the past means no wait). `None` when absent or unparseable.
pub fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, now)
}

/// Parses a `Retry-After` value (see [`retry_after`]).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        let cases: &[(&str, Option<u64>)] = &[
            ("0", Some(0)),
            ("7", Some(7)),
            (" 120 ", Some(120)),
            ("99999999999999999999999", Some(u64::MAX)),
            ("Wed, 21 Oct 2015 07:28:10 GMT", Some(10)),
            ("Wed, 21 Oct 2015 07:27:00 GMT", Some(0)),
            ("-1", None),
            ("1.5", None),
            ("soon", None),
            ("", None),
        ];
        for (value, want) in cases {
            assert_eq!(
                parse_retry_after(value, now).map(|d| d.as_secs()),
                *want,
                "{value:?}"
            );
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            max_retry_after: Duration::from_secs(1),
        };
        for _ in 0..50 {
            let first = p.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = p.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            let late = p.backoff(30);
            assert!(late >= Duration::from_millis(150) && late <= Duration::from_millis(300));
        }
    }

    #[test]
    fn api_key_debug_and_scrub_hide_the_secret() {
        // SAFETY: a variable name used by this test only.
        unsafe { std::env::set_var("STRIVE_UNIT_KEY_A", "sk-unit-123") };
        let key = ApiKey::from_env("STRIVE_UNIT_KEY_A").unwrap();
        assert!(!format!("{key:?}").contains("sk-unit-123"));
        assert_eq!(key.scrub("bad key sk-unit-123!"), "bad key [REDACTED]!");
        let err = ApiKey::from_env("STRIVE_UNIT_KEY_MISSING").unwrap_err();
        assert!(err.to_string().contains("STRIVE_UNIT_KEY_MISSING"));
    }

    proptest! {
        #[test]
        fn retry_after_never_panics(s in "\\PC{0,40}") {
            let _ = parse_retry_after(&s, SystemTime::now());
        }
    }
}
