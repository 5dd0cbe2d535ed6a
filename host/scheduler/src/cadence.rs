//! Cadences: when a loop is due.
//!
//! Guarantees:
//! - Parsing never panics; anything that is neither an interval nor a cron expression is an
//!   error that names the accepted forms.
//! - Due-ness depends only on the scheduler's own clock (the injected `now`) and the time the
//!   scheduler itself recorded for the loop's previous run, never on timestamps written by a
//!   runtime.
//! - A loop that has never run is due at once.
//!
//! Accepted forms: intervals `<n>s|m|h|d|w` (`30s`, `30m`, `1h`, `1d`, `2w`), the words
//! `hourly`, `daily`, `weekly` (intervals of 1h, 1d, 7d), and cron expressions with five fields
//! (minute hour day-of-month month day-of-week, POSIX meaning: 0 or 7 is Sunday), six fields
//! (a leading seconds field), or the nicknames `@hourly`, `@daily`, `@weekly`, `@monthly`,
//! `@yearly`. Cron expressions are evaluated in UTC.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};
use croner::Cron;
use croner::parser::{CronParser, Seconds};

/// How often a loop runs.
#[derive(Clone, Debug)]
pub enum Cadence {
    /// Every `secs` seconds after the previous run.
    Interval { secs: i64, text: String },
    /// At every occurrence of a cron expression (UTC).
    Cron { cron: Box<Cron>, text: String },
}

/// A cadence string that is neither an interval nor a cron expression.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "cadence {text:?} is not understood ({why}); use an interval like \"30m\", \"1h\", \"1d\", \"weekly\", or a cron expression like \"0 3 * * *\""
)]
pub struct CadenceError {
    pub text: String,
    pub why: String,
}

impl FromStr for Cadence {
    type Err = CadenceError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let trimmed = text.trim();
        let error = |why: &str| CadenceError {
            text: text.to_string(),
            why: why.to_string(),
        };
        if trimmed.is_empty() {
            return Err(error("empty"));
        }
        if let Some(secs) = parse_interval(trimmed) {
            return match secs {
                Ok(secs) => Ok(Cadence::Interval {
                    secs,
                    text: trimmed.to_string(),
                }),
                Err(why) => Err(error(why)),
            };
        }
        let looks_like_cron = trimmed.starts_with('@') || trimmed.split_whitespace().count() >= 5;
        if !looks_like_cron {
            return Err(error(
                "not an interval and not a cron expression of 5 or 6 fields",
            ));
        }
        let cron = CronParser::builder()
            .seconds(Seconds::Optional)
            .build()
            .parse(trimmed)
            .map_err(|e| error(&format!("cron: {e}")))?;
        Ok(Cadence::Cron {
            cron: Box::new(cron),
            text: trimmed.to_string(),
        })
    }
}

/// `Some(Ok(secs))` for a well-formed interval, `Some(Err)` for an interval-shaped string that
/// is out of range, `None` when the text is not interval-shaped at all.
fn parse_interval(text: &str) -> Option<Result<i64, &'static str>> {
    match text.to_ascii_lowercase().as_str() {
        "hourly" => return Some(Ok(3_600)),
        "daily" => return Some(Ok(86_400)),
        "weekly" => return Some(Ok(7 * 86_400)),
        _ => {}
    }
    let unit = text.chars().last()?;
    let digits = text[..text.len() - unit.len_utf8()].trim_end();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let per_unit: i64 = match unit.to_ascii_lowercase() {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return None,
    };
    // Ten years is far beyond any useful loop cadence and keeps date arithmetic in range.
    const MAX_SECS: i64 = 10 * 366 * 86_400;
    Some(match digits.parse::<i64>() {
        Ok(0) => Err("an interval must be at least 1"),
        Ok(n) if n.checked_mul(per_unit).is_some_and(|s| s <= MAX_SECS) => Ok(n * per_unit),
        _ => Err("interval longer than ten years"),
    })
}

impl Cadence {
    /// The cadence as written.
    pub fn text(&self) -> &str {
        match self {
            Cadence::Interval { text, .. } | Cadence::Cron { text, .. } => text,
        }
    }

    /// The first time after `last_run` at which the loop is due again. `None` when a cron
    /// expression has no further occurrence.
    pub fn next_after(&self, last_run: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Cadence::Interval { secs, .. } => last_run.checked_add_signed(Duration::seconds(*secs)),
            Cadence::Cron { cron, .. } => cron.find_next_occurrence(&last_run, false).ok(),
        }
    }

    /// Whether a loop whose previous scheduled run was at `last_run` (None: never) is due at
    /// `now`.
    pub fn is_due(&self, last_run: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        match last_run {
            None => true,
            Some(last) => self.next_after(last).is_some_and(|next| next <= now),
        }
    }

    /// The next slot on this cadence's grid strictly after `now`, counting from `anchor` (the
    /// slot that just ran). Intervals stay on the anchor's grid (`anchor + k·interval`), so a
    /// worker that was down does not run a backlog of missed slots; cron uses its next
    /// occurrence after `now`.
    pub fn next_slot(&self, anchor: DateTime<Utc>, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Cadence::Interval { secs, .. } => {
                let elapsed = (now - anchor).num_seconds().max(0);
                let steps = elapsed / secs + 1;
                anchor.checked_add_signed(Duration::seconds(steps.checked_mul(*secs)?))
            }
            Cadence::Cron { cron, .. } => cron.find_next_occurrence(&now, false).ok(),
        }
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn interval_secs(text: &str) -> Result<i64, CadenceError> {
        match text.parse::<Cadence>()? {
            Cadence::Interval { secs, .. } => Ok(secs),
            Cadence::Cron { .. } => panic!("{text} parsed as cron"),
        }
    }

    #[test]
    fn intervals_and_words() {
        for (text, secs) in [
            ("30s", 30),
            ("30m", 1_800),
            ("1h", 3_600),
            ("1d", 86_400),
            ("2w", 1_209_600),
            (" 5 m ", 300),
            ("hourly", 3_600),
            ("Daily", 86_400),
            ("weekly", 604_800),
        ] {
            assert_eq!(interval_secs(text), Ok(secs), "{text}");
        }
    }

    #[test]
    fn rejects_nonsense_with_a_helpful_message() {
        for text in [
            "",
            "0m",
            "soon",
            "1y",
            "-5m",
            "99999999999999999999d",
            "* * *",
        ] {
            let err = text.parse::<Cadence>().unwrap_err();
            assert!(err.to_string().contains("use an interval"), "{text}: {err}");
        }
    }

    #[test]
    fn cron_uses_posix_weekdays() {
        // 2026-11-23 is a Monday; "1" in the day-of-week field is Monday in POSIX cron.
        let c: Cadence = "0 9 * * 1".parse().unwrap();
        assert_eq!(
            c.next_after(at("2026-11-20T00:00:00Z")),
            Some(at("2026-11-23T09:00:00Z"))
        );
        let nick: Cadence = "@daily".parse().unwrap();
        assert_eq!(
            nick.next_after(at("2026-11-20T10:00:00Z")),
            Some(at("2026-11-21T00:00:00Z"))
        );
    }

    #[test]
    fn interval_due_ness() {
        let c: Cadence = "1h".parse().unwrap();
        let last = at("2026-01-01T10:00:00Z");
        assert!(c.is_due(None, last));
        assert!(!c.is_due(Some(last), at("2026-01-01T10:59:59Z")));
        assert!(c.is_due(Some(last), at("2026-01-01T11:00:00Z")));
    }

    #[test]
    fn next_slot_stays_on_grid_and_skips_backlog() {
        let c: Cadence = "1h".parse().unwrap();
        let anchor = at("2026-01-01T10:00:00Z");
        assert_eq!(
            c.next_slot(anchor, at("2026-01-01T10:00:05Z")),
            Some(at("2026-01-01T11:00:00Z"))
        );
        assert_eq!(
            c.next_slot(anchor, at("2026-01-03T07:30:00Z")),
            Some(at("2026-01-03T08:00:00Z"))
        );
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(text in "\\PC{0,40}") {
            let _ = text.parse::<Cadence>();
        }

        #[test]
        fn cron_shaped_never_panics(
            fields in proptest::collection::vec("[0-9*,/LW#?-]{1,6}", 5..=6),
        ) {
            if let Ok(c) = fields.join(" ").parse::<Cadence>() {
                let _ = c.next_after(at("2026-01-01T00:00:00Z"));
            }
        }
    }
}
