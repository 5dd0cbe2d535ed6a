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

/// Make untrusted text safe to print on a terminal as one line.
///
/// Guarantee: the result holds no C0 control (U+0000–U+001F, including newline and tab), no
/// DEL, no C1 control (U+0080–U+009F, which some terminals read as CSI/OSC), and no Unicode
/// bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069) — so commit messages,
/// plugin notes and other text from outside cannot move the cursor, erase the screen, set the
/// window title, open OSC 8 links or reorder what is shown. Each such character becomes a
/// visible escape (`\n`, `\t`, `\r`, `\x1b`, `\u{202e}`); a backslash stays a backslash. Text
/// with nothing to escape is returned borrowed.
pub fn escape_line(text: &str) -> std::borrow::Cow<'_, str> {
    escape(text, false)
}

/// Like [`escape_line`], but newlines stay line breaks (for multi-line bodies such as a
/// report's text); every other control character is escaped.
pub fn escape_text(text: &str) -> std::borrow::Cow<'_, str> {
    escape(text, true)
}

fn needs_escape(c: char, keep_newlines: bool) -> bool {
    (c.is_control() && !(keep_newlines && c == '\n'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escape(text: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    use std::fmt::Write;
    if !text.chars().any(|c| needs_escape(c, keep_newlines)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if !needs_escape(c, keep_newlines) {
            out.push(c);
            continue;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_become_visible_escapes() {
        assert_eq!(escape_line("plain text — ok"), "plain text — ok");
        assert!(matches!(
            escape_line("plain"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(escape_line("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(
            escape_line("\x1b]8;;http://evil\x07link\x1b]8;;\x07"),
            "\\x1b]8;;http://evil\\x07link\\x1b]8;;\\x07"
        );
        assert_eq!(escape_line("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
        assert_eq!(escape_line("one\ntwo\r\tx\x7f"), "one\\ntwo\\r\\tx\\x7f");
        assert_eq!(escape_line("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(escape_line("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(escape_text("one\ntwo\x1b"), "one\ntwo\\x1b");
    }

    proptest::proptest! {
        #[test]
        fn escaped_text_holds_no_control(s in "\\PC*|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}a-z]{0,40}") {
            let line = escape_line(&s);
            proptest::prop_assert!(!line.chars().any(|c| needs_escape(c, false)));
            let text = escape_text(&s);
            proptest::prop_assert!(!text.chars().any(|c| needs_escape(c, true)));
        }
    }
}
