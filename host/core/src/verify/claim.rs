//! The syntax of a commit-id claim: 4 to `max_hex` hex digits, any case. Anything else is
//! malformed and reported with what is wrong, so the agent can be told how to cite.

/// Minimum hex digits git accepts for an abbreviated object id.
pub(super) const MIN_HEX: usize = 4;

/// The claim in lower case if well-formed, else a detail saying why not.
pub(super) fn parse(claim: &str, max_hex: usize) -> Result<String, String> {
    if claim.is_empty() {
        return Err("empty claim: expected a hexadecimal commit id".into());
    }
    if let Some((at, bad)) = claim.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(format!(
            "'{}' is not a hexadecimal object id ({bad:?} at byte {at})",
            shown(claim)
        ));
    }
    if claim.len() < MIN_HEX {
        return Err(format!(
            "'{claim}' has {} hex digits; an object id needs at least {MIN_HEX}",
            claim.len()
        ));
    }
    if claim.len() > max_hex {
        return Err(format!(
            "'{}' has {} hex digits; an object id in this repository has at most {max_hex}",
            shown(claim),
            claim.len()
        ));
    }
    Ok(claim.to_ascii_lowercase())
}

/// The claim as quoted in a detail: at most 80 characters, so a huge claim cannot blow up the
/// report.
pub(super) fn shown(claim: &str) -> String {
    const LIMIT: usize = 80;
    match claim.char_indices().nth(LIMIT) {
        None => claim.to_string(),
        Some((cut, _)) => format!("{}…", &claim[..cut]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_checked_for_shape() {
        assert_eq!(parse("ABCdef12", 40).as_deref(), Ok("abcdef12"));
        assert_eq!(parse(&"a".repeat(40), 40).as_deref(), Ok(&*"a".repeat(40)));
        assert!(
            parse(&"a".repeat(41), 40)
                .unwrap_err()
                .contains("at most 40")
        );
        assert!(parse(&"a".repeat(64), 64).is_ok());
        assert!(parse("", 40).unwrap_err().contains("empty"));
        assert!(parse("abc", 40).unwrap_err().contains("at least 4"));
        assert!(parse("abcg", 40).unwrap_err().contains("'g' at byte 3"));
        assert!(parse("HEAD~1", 40).is_err());
        assert!(parse(" abcd", 40).is_err());
        assert!(parse("abcdé", 40).is_err());
    }

    #[test]
    fn long_claims_are_truncated_in_details() {
        let detail = parse(&"z".repeat(10_000), 40).unwrap_err();
        assert!(detail.len() < 200, "{detail}");
    }
}
