//! The `first_run_since` window: git-style relative dates (`7 days ago`, `2 weeks`,
//! `36 hours ago`) and ISO dates (`2024-05-01`) to a unix time. Anything else is `None`, and
//! the run refuses the spec rather than guess a window.

/// `expr` relative to `now_unix`, in seconds since the epoch.
pub fn parse_since(expr: &str, now_unix: i64) -> Option<i64> {
    let expr = expr.trim().to_ascii_lowercase();
    if let Some(days) = days_from_iso_date(&expr) {
        return days.checked_mul(86_400);
    }
    let mut parts = expr.split_whitespace();
    let n: i64 = parts.next()?.parse().ok()?;
    let unit = parts.next()?;
    let unit = unit.strip_suffix('s').unwrap_or(unit);
    if !matches!(parts.next(), None | Some("ago")) || parts.next().is_some() || n < 0 {
        return None;
    }
    let secs = match unit {
        "second" | "sec" => 1,
        "minute" | "min" => 60,
        "hour" => 3_600,
        "day" => 86_400,
        "week" => 7 * 86_400,
        "month" => 30 * 86_400,
        "year" => 365 * 86_400,
        _ => return None,
    };
    now_unix.checked_sub(n.checked_mul(secs)?)
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
fn days_from_iso_date(s: &str) -> Option<i64> {
    let mut it = s.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if it.next().is_some()
        || !(1..=12).contains(&m)
        || !(1..=31).contains(&d)
        || !(0..=9999).contains(&y)
    {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        assert_eq!(
            parse_since("7 days ago", 1_000_000),
            Some(1_000_000 - 7 * 86_400)
        );
        assert_eq!(
            parse_since("2 weeks", 2_000_000),
            Some(2_000_000 - 14 * 86_400)
        );
        assert_eq!(parse_since("1 hour ago", 7_200), Some(3_600));
        assert_eq!(parse_since("1970-01-02", 0), Some(86_400));
        assert_eq!(parse_since("2024-02-29", 0), Some(1_709_164_800));
        for bad in [
            "soon",
            "7 days from now",
            "-3 days",
            "2024-13-01",
            "",
            "7 fortnights",
        ] {
            assert_eq!(parse_since(bad, 0), None, "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(expr in ".{0,40}", now in proptest::num::i64::ANY) {
            let _ = parse_since(&expr, now);
        }
    }
}
