//! Shell words as the guard sees them: quote removal, known-variable substitution and a
//! record of everything that makes a word's runtime value unknowable.
//!
//! Guarantee: a word is `dynamic` whenever its value depends on something the guard cannot
//! see (an unknown variable, a command substitution whose output is not a literal), and
//! `obfuscated` whenever its spelling hides its value (ANSI-C hex/octal escapes that spell
//! letters, Unicode that folds to different ASCII under NFKC, brace expansion, globs in a
//! program name). Rules treat dynamic targets as "could be anything".

use unicode_normalization::UnicodeNormalization;

/// One resolved shell word.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Arg {
    /// The value after quote removal; unknown parameters are rendered as `${NAME}`.
    pub text: String,
    /// The value depends on something the guard cannot see.
    pub dynamic: bool,
    /// The value came (partly) from a command substitution the guard could not resolve.
    pub opaque: bool,
    /// The spelling hides the value (hex escapes, NFKC-folding characters, braces, globs).
    pub obfuscated: bool,
    /// The value came from a variable the command itself assigned (`X=rm; $X ...`).
    pub via_variable: bool,
    /// Unquoted glob characters (`*`, `?`, `[`) are present.
    pub glob: bool,
    /// Unquoted brace expansion (`{a,b}`): harmless in arguments, a disguise in a program name.
    pub brace: bool,
    /// The word is (or contains) a process substitution or command substitution whose
    /// output is downloaded or decoded content (`<(curl ...)`, `$(curl ...)`).
    pub remote_content: bool,
    /// The value is another program's output at run time: `xargs`/`parallel` input read from
    /// a pipe or file, or a command substitution the guard could not resolve. A deletion or
    /// a shell fed such a value acts on a list nobody has seen.
    pub listing: bool,
    /// `find -exec`'s `{}`: one path of find's own matches.
    pub placeholder: bool,
    /// Holds `"$@"` of known positional parameters: one field per parameter, even quoted.
    pub positional_list: bool,
}

impl Arg {
    /// A literal argument (used when the guard synthesises argv, e.g. from `xargs`).
    pub fn literal(text: impl Into<String>) -> Self {
        Arg {
            text: text.into(),
            ..Arg::default()
        }
    }

    /// A placeholder for a value supplied at run time (`{}` of `find -exec`, xargs input).
    pub fn runtime(text: impl Into<String>) -> Self {
        Arg {
            text: text.into(),
            dynamic: true,
            ..Arg::default()
        }
    }

    /// A value read from another program's output at run time (xargs/parallel input).
    pub fn listing(text: impl Into<String>) -> Self {
        Arg {
            listing: true,
            opaque: true,
            ..Arg::runtime(text)
        }
    }
}

/// Characters that change how text reads without showing: zero-width spaces and joiners,
/// word joiners, byte-order marks, soft hyphens, bidirectional overrides and isolates.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{17B4}'
            | '\u{17B5}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{3164}'
            | '\u{FEFF}'
            | '\u{FFA0}'
    )
}

/// Does the text hide characters? A zero-width joiner between two non-ASCII characters is an
/// emoji sequence (`👩‍💻`), not a disguise; next to ASCII it is.
pub(crate) fn hides_characters(text: &str) -> bool {
    if text.is_ascii() {
        return false;
    }
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        if c == '\u{200D}' {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            return before.is_none_or(|b| b.is_ascii()) || after.is_none_or(|a| a.is_ascii());
        }
        is_invisible(c)
    })
}

/// Decode the body of an ANSI-C quoted string (`$'...'`). Returns the text and whether an
/// escape spelled a printable ASCII letter, digit or punctuation (obfuscation).
pub(crate) fn decode_ansi_c(body: &str) -> (String, bool) {
    let mut out = String::with_capacity(body.len());
    let mut hidden = false;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let simple = match e {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            'a' => Some('\x07'),
            'b' => Some('\x08'),
            'e' | 'E' => Some('\x1b'),
            'f' => Some('\x0c'),
            'v' => Some('\x0b'),
            '\\' => Some('\\'),
            '\'' => Some('\''),
            '"' => Some('"'),
            '?' => Some('?'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let (radix, max) = match e {
            'x' => (16, 2),
            'u' => (16, 4),
            'U' => (16, 8),
            '0'..='7' => (8, 3),
            _ => {
                out.push('\\');
                out.push(e);
                continue;
            }
        };
        let mut digits = String::new();
        if radix == 8 {
            digits.push(e);
        }
        while digits.len() < max {
            match chars.peek() {
                Some(d) if d.is_digit(radix) => {
                    digits.push(*d);
                    chars.next();
                }
                _ => break,
            }
        }
        match u32::from_str_radix(&digits, radix)
            .ok()
            .and_then(char::from_u32)
        {
            Some(ch) => {
                if ch.is_ascii_graphic() {
                    hidden = true;
                }
                out.push(ch);
            }
            None => {
                out.push('\\');
                out.push(e);
                out.push_str(&digits);
            }
        }
    }
    (out, hidden)
}

/// Does NFKC change this text (full-width letters, ligatures, compatibility forms)?
pub(crate) fn folds_under_nfkc(text: &str) -> bool {
    !text.is_ascii() && text.nfkc().ne(text.chars())
}

/// Split a program word that came from a variable (`X='rm -rf'; $X /`) into argv pieces.
pub(crate) fn split_fields(arg: &Arg) -> Vec<Arg> {
    arg.text
        .split_whitespace()
        .map(|t| Arg {
            text: t.to_string(),
            via_variable: arg.via_variable,
            ..Arg::default()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_c_hex_spelling_letters_is_obfuscation() {
        assert_eq!(decode_ansi_c(r"\x6c\x73"), ("ls".to_string(), true));
        assert_eq!(
            decode_ansi_c(r"hello\nworld"),
            ("hello\nworld".into(), false)
        );
        assert_eq!(decode_ansi_c(r"\101"), ("A".into(), true));
    }

    #[test]
    fn invisible_characters_hide_but_emoji_joiners_do_not() {
        assert!(hides_characters("r\u{200B}m"));
        assert!(hides_characters("rm\u{202E}"));
        assert!(hides_characters("r\u{200D}m"));
        assert!(!hides_characters("\u{1F469}\u{200D}\u{1F4BB} done"));
        assert!(!hides_characters("plain"));
    }

    #[test]
    fn fullwidth_letters_fold() {
        assert!(folds_under_nfkc("ｒｍ"));
        assert!(!folds_under_nfkc("rm"));
        assert!(!folds_under_nfkc("你好"));
    }
}
