//! Decoding untrusted input. Guarantee: bytes that are not valid UTF-8 are an error, never
//! silently replaced or truncated, so no scanner ever sees a partial text and calls it clean.

use thiserror::Error;

/// Why input could not be turned into text.
#[derive(Debug, Error)]
pub enum TextError {
    #[error(
        "{origin}: input is not valid UTF-8 (first invalid byte at offset {offset}); refusing to scan partial text"
    )]
    InvalidUtf8 { origin: String, offset: usize },
}

/// Decode `bytes` as UTF-8, naming `origin` (a path or `<stdin>`) in the error.
pub fn decode_utf8(bytes: Vec<u8>, origin: &str) -> Result<String, TextError> {
    String::from_utf8(bytes).map_err(|e| TextError::InvalidUtf8 {
        origin: origin.to_string(),
        offset: e.utf8_error().valid_up_to(),
    })
}
