//! Budgets: caps on what one run may consume, and the ledger that enforces them.
//!
//! Guarantees:
//! - **A refused spend records nothing.** [`Ledger::try_spend`] checks every axis first and only
//!   then adds the spend, so a refusal leaves the ledger exactly as it was; a sequence of spends
//!   can therefore never push any axis past its cap.
//! - **Refusals are typed values**, [`Refusal`] `{axis, cap, spent, requested}`, never a silent
//!   truncation, and they serialise for the audit log and for plugins (`budget-exceeded{..}`).
//! - **Integers only.** Cost is counted in whole micro-dollars ([`MicroUsd`]), never in floats,
//!   so sums are exact and a ledger reloaded from JSON compares equal to the one that was saved.
//!   Arithmetic that would overflow `u64` is a refusal, not a wrap-around.
//! - **No hidden clock.** Wall-clock time is passed in by the caller as the elapsed duration of
//!   the run, so the core stays deterministic and testable; the runtime owns the real clock.
//!
//! Mechanics: a [`Budget`] holds optional caps (absent = unlimited) on tokens, cost,
//! iterations, wall clock and host calls; its JSON keeps the earlier tool's shape
//! `{"max_tokens","max_iterations","wall_clock_secs"}` and adds `max_cost_usd` and
//! `max_host_calls`. A [`Ledger`] pairs a budget with the amounts [`Spent`] so far.
//! [`SharedLedger`] wraps one ledger for many threads (the runtime's host calls): its
//! check-and-record happens under one lock, so two concurrent spends cannot both slip under a cap.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An amount of money in whole micro-dollars (1 USD = 1,000,000). Parsed from and printed as
/// a decimal dollar amount with at most six decimal places, exactly, without floats; in JSON it
/// is the integer count of micro-dollars.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct MicroUsd(pub u64);

impl MicroUsd {
    /// Micro-dollars per dollar.
    pub const PER_USD: u64 = 1_000_000;
}

/// Why a text is not a dollar amount.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "invalid dollar amount '{input}': {why} (expected a non-negative decimal with at most 6 decimal places, e.g. 2.50)"
)]
pub struct AmountError {
    input: String,
    why: &'static str,
}

impl FromStr for MicroUsd {
    type Err = AmountError;

    /// Parse `"12"`, `"0.5"`, `"3.141592"`, `"$4.20"`. Rejects signs, exponents, more than six
    /// decimal places and values beyond `u64` micro-dollars.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |why| AmountError {
            input: input.chars().take(64).collect(),
            why,
        };
        let text = input.trim();
        let text = text.strip_prefix('$').unwrap_or(text);
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err(fail("no digits"));
        }
        if !whole
            .bytes()
            .chain(frac.bytes())
            .all(|b| b.is_ascii_digit())
        {
            return Err(fail("only digits and one decimal point are allowed"));
        }
        if frac.len() > 6 {
            return Err(fail(
                "more than 6 decimal places (the ledger counts micro-dollars)",
            ));
        }
        let digits_value = |s: &str| -> Result<u64, AmountError> {
            s.bytes().try_fold(0u64, |acc, b| {
                acc.checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(b - b'0')))
                    .ok_or_else(|| fail("too large"))
            })
        };
        let whole_value = digits_value(whole)?;
        // Pad the fraction to six digits: "5" -> 500000 micro-dollars.
        let frac_value = digits_value(frac)? * 10u64.pow(6 - frac.len() as u32);
        whole_value
            .checked_mul(Self::PER_USD)
            .and_then(|v| v.checked_add(frac_value))
            .map(MicroUsd)
            .ok_or_else(|| fail("too large"))
    }
}

impl fmt::Display for MicroUsd {
    /// The shortest exact decimal: `2500000` prints as `2.5`, `3000000` as `3`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / Self::PER_USD;
        let frac = self.0 % Self::PER_USD;
        if frac == 0 {
            write!(f, "{whole}")
        } else {
            let digits = format!("{frac:06}");
            write!(f, "{whole}.{}", digits.trim_end_matches('0'))
        }
    }
}

/// Budget caps are written in dollars (`"max_cost_usd": 2.5`); ledgers count integer
/// micro-dollars (`"cost_micro_usd": 2500000`). Reading dollars accepts a JSON number or string
/// and goes through the exact decimal parser, so `0.1` is exactly 100,000 micro-dollars.
/// (A JSON number has about 15 significant digits: caps above $999,999,999 lose the last
/// micro-dollars when written as a number; write them as a string.)
mod dollars {
    use super::MicroUsd;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(
        value: &Option<MicroUsd>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            None => serializer.serialize_none(),
            Some(amount) => {
                let number: serde_json::Number = amount
                    .to_string()
                    .parse()
                    .map_err(|_| serde::ser::Error::custom("dollar amount is not a JSON number"))?;
                number.serialize(serializer)
            }
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<MicroUsd>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Number(serde_json::Number),
            Text(String),
        }
        let text = match Option::<Written>::deserialize(deserializer)? {
            None => return Ok(None),
            Some(Written::Number(n)) => n.to_string(),
            Some(Written::Text(s)) => s,
        };
        text.parse().map(Some).map_err(serde::de::Error::custom)
    }
}

/// Caps for one run. `None` means no cap on that axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// Model tokens (prompt + completion) across all maker calls.
    #[serde(default)]
    pub max_tokens: Option<u64>,
    /// Iterations (ticks of the loop, attempts of a fix).
    #[serde(default)]
    pub max_iterations: Option<u64>,
    /// Wall-clock seconds since the run started.
    #[serde(default)]
    pub wall_clock_secs: Option<u64>,
    /// Money spent on maker calls, in dollars (exact to the micro-dollar).
    #[serde(default, with = "dollars")]
    pub max_cost_usd: Option<MicroUsd>,
    /// Host calls made by the plugin.
    #[serde(default)]
    pub max_host_calls: Option<u64>,
}

/// One dimension of a budget. Serialised in snake_case (`"wall_clock"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    Tokens,
    Cost,
    Iterations,
    WallClock,
    HostCalls,
}

impl Axis {
    /// The unit of `cap`, `spent` and `requested` in a [`Refusal`] on this axis.
    pub fn unit(self) -> &'static str {
        match self {
            Axis::Tokens => "tokens",
            Axis::Cost => "micro_usd",
            Axis::Iterations => "iterations",
            Axis::WallClock => "ms",
            Axis::HostCalls => "calls",
        }
    }
}

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Axis::Tokens => "tokens",
            Axis::Cost => "cost",
            Axis::Iterations => "iterations",
            Axis::WallClock => "wall clock",
            Axis::HostCalls => "host calls",
        })
    }
}

/// A spend the ledger would not record: granting it would take `axis` past `cap`.
/// Amounts are in [`Axis::unit`] (wall clock in milliseconds, cost in micro-dollars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Error)]
#[error("budget exceeded on {axis}: spent {spent} + requested {requested} would pass the cap of {cap} {unit}", unit = axis.unit())]
pub struct Refusal {
    pub axis: Axis,
    pub cap: u64,
    pub spent: u64,
    pub requested: u64,
}

/// What one step wants to consume. Fields left at zero are not charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Spend {
    pub tokens: u64,
    #[serde(rename = "cost_micro_usd")]
    pub cost: MicroUsd,
    pub iterations: u64,
    pub host_calls: u64,
}

impl Spend {
    /// One iteration (a loop tick or a fix attempt).
    pub fn iteration() -> Self {
        Spend {
            iterations: 1,
            ..Spend::default()
        }
    }

    /// One host call.
    pub fn host_call() -> Self {
        Spend {
            host_calls: 1,
            ..Spend::default()
        }
    }

    /// A maker call's usage.
    pub fn maker(tokens: u64, cost: MicroUsd) -> Self {
        Spend {
            tokens,
            cost,
            ..Spend::default()
        }
    }
}

/// Why a text is not a spend.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SpendParseError {
    #[error(
        "'{0}' is not KEY=VALUE; write e.g. tokens=1200,cost-usd=0.02,iterations=1,host-calls=3"
    )]
    NotKeyValue(String),
    #[error("unknown spend key '{0}'; known keys: tokens, cost-usd, iterations, host-calls")]
    UnknownKey(String),
    #[error("'{key}={value}': value is not a non-negative whole number")]
    BadCount { key: String, value: String },
    #[error(transparent)]
    BadAmount(#[from] AmountError),
}

impl FromStr for Spend {
    type Err = SpendParseError;

    /// Parse `tokens=1200,cost-usd=0.02,iterations=1,host-calls=3` (any subset, any order;
    /// a repeated key adds up). `_` may replace `-` in keys.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut spend = Spend::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| SpendParseError::NotKeyValue(part.to_string()))?;
            let (key, value) = (key.trim(), value.trim());
            let count = || {
                value.parse::<u64>().map_err(|_| SpendParseError::BadCount {
                    key: key.to_string(),
                    value: value.to_string(),
                })
            };
            let too_large = || SpendParseError::BadCount {
                key: key.to_string(),
                value: value.to_string(),
            };
            let add = |slot: &mut u64, n: u64| -> Result<(), SpendParseError> {
                *slot = slot.checked_add(n).ok_or_else(too_large)?;
                Ok(())
            };
            match key.replace('_', "-").as_str() {
                "tokens" => add(&mut spend.tokens, count()?)?,
                "iterations" => add(&mut spend.iterations, count()?)?,
                "host-calls" => add(&mut spend.host_calls, count()?)?,
                "cost-usd" | "cost" => add(&mut spend.cost.0, value.parse::<MicroUsd>()?.0)?,
                _ => return Err(SpendParseError::UnknownKey(key.to_string())),
            }
        }
        Ok(spend)
    }
}

/// Amounts consumed so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Spent {
    pub tokens: u64,
    #[serde(rename = "cost_micro_usd")]
    pub cost: MicroUsd,
    pub iterations: u64,
    pub host_calls: u64,
}

/// A budget and what has been spent against it. Serialisable, so a run can persist it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ledger {
    pub budget: Budget,
    #[serde(default)]
    pub spent: Spent,
}

impl Ledger {
    /// A fresh ledger with nothing spent.
    pub fn new(budget: Budget) -> Self {
        Ledger {
            budget,
            spent: Spent::default(),
        }
    }

    /// Record `spend` if no axis would pass its cap and the run's `elapsed` time is within the
    /// wall-clock cap; otherwise refuse and record nothing. Reaching a cap exactly is allowed.
    /// The first refusing axis is reported, checked in the order wall clock, iterations,
    /// tokens, cost, host calls.
    pub fn try_spend(&mut self, spend: Spend, elapsed: Duration) -> Result<(), Refusal> {
        self.check_wall_clock(elapsed)?;
        let b = self.budget;
        let next = Spent {
            iterations: charge(
                Axis::Iterations,
                b.max_iterations,
                self.spent.iterations,
                spend.iterations,
            )?,
            tokens: charge(Axis::Tokens, b.max_tokens, self.spent.tokens, spend.tokens)?,
            cost: MicroUsd(charge(
                Axis::Cost,
                b.max_cost_usd.map(|c| c.0),
                self.spent.cost.0,
                spend.cost.0,
            )?),
            host_calls: charge(
                Axis::HostCalls,
                b.max_host_calls,
                self.spent.host_calls,
                spend.host_calls,
            )?,
        };
        self.spent = next;
        Ok(())
    }

    /// Give back part of an earlier grant: the unused rest of a reservation. Pair with
    /// [`Ledger::try_spend`] when the real usage is only known afterwards (a maker call):
    /// reserve the upper bound first, refund `reserved - actual` after. Never goes below zero.
    pub fn refund(&mut self, unused: Spend) {
        let s = &mut self.spent;
        s.tokens = s.tokens.saturating_sub(unused.tokens);
        s.cost.0 = s.cost.0.saturating_sub(unused.cost.0);
        s.iterations = s.iterations.saturating_sub(unused.iterations);
        s.host_calls = s.host_calls.saturating_sub(unused.host_calls);
    }

    /// Refuse if `elapsed` is past the wall-clock cap (in milliseconds: `spent` = elapsed,
    /// `requested` = 0).
    pub fn check_wall_clock(&self, elapsed: Duration) -> Result<(), Refusal> {
        let Some(cap_secs) = self.budget.wall_clock_secs else {
            return Ok(());
        };
        let cap = cap_secs.saturating_mul(1000);
        let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        if elapsed > Duration::from_secs(cap_secs) {
            return Err(Refusal {
                axis: Axis::WallClock,
                cap,
                spent: elapsed_ms,
                requested: 0,
            });
        }
        Ok(())
    }

    /// The first axis that has no room left (spent at or past its cap, or wall clock past its
    /// cap), if any: the loop should stop or escalate instead of trying another step.
    pub fn exhausted(&self, elapsed: Duration) -> Option<Axis> {
        if self.check_wall_clock(elapsed).is_err() {
            return Some(Axis::WallClock);
        }
        let b = &self.budget;
        let s = &self.spent;
        [
            (Axis::Iterations, b.max_iterations, s.iterations),
            (Axis::Tokens, b.max_tokens, s.tokens),
            (Axis::Cost, b.max_cost_usd.map(|c| c.0), s.cost.0),
            (Axis::HostCalls, b.max_host_calls, s.host_calls),
        ]
        .into_iter()
        .find(|(_, cap, spent)| cap.is_some_and(|cap| *spent >= cap))
        .map(|(axis, _, _)| axis)
    }
}

/// The new total on one axis, or the refusal if it would pass `cap` (or overflow `u64`).
fn charge(axis: Axis, cap: Option<u64>, spent: u64, requested: u64) -> Result<u64, Refusal> {
    let refusal = || Refusal {
        axis,
        cap: cap.unwrap_or(u64::MAX),
        spent,
        requested,
    };
    let total = spent.checked_add(requested).ok_or_else(refusal)?;
    match cap {
        Some(cap) if total > cap => Err(refusal()),
        _ => Ok(total),
    }
}

/// One ledger shared by many threads (the runtime charges it from concurrent host calls).
/// Cloning shares the same ledger. Check and record happen under one lock.
#[derive(Debug, Clone, Default)]
pub struct SharedLedger(Arc<Mutex<Ledger>>);

impl SharedLedger {
    pub fn new(ledger: Ledger) -> Self {
        SharedLedger(Arc::new(Mutex::new(ledger)))
    }

    /// [`Ledger::try_spend`] under the lock.
    pub fn try_spend(&self, spend: Spend, elapsed: Duration) -> Result<(), Refusal> {
        self.with(|ledger| ledger.try_spend(spend, elapsed))
    }

    /// [`Ledger::refund`] under the lock.
    pub fn refund(&self, unused: Spend) {
        self.with(|ledger| ledger.refund(unused))
    }

    /// [`Ledger::exhausted`] under the lock.
    pub fn exhausted(&self, elapsed: Duration) -> Option<Axis> {
        self.with(|ledger| ledger.exhausted(elapsed))
    }

    /// A copy of the ledger as it is now (to persist or report).
    pub fn snapshot(&self) -> Ledger {
        self.with(|ledger| *ledger)
    }

    fn with<T>(&self, f: impl FnOnce(&mut Ledger) -> T) -> T {
        // The ledger is only mutated after all checks pass, by plain assignment, so a panic in
        // another holder cannot leave it half-updated: recovering from poison is sound.
        let mut guard = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_amounts_parse_exactly() {
        let cases = [
            ("0", 0),
            ("2", 2_000_000),
            ("2.5", 2_500_000),
            ("$0.10", 100_000),
            (".5", 500_000),
            ("3.", 3_000_000),
            ("0.000001", 1),
            ("18446744073709.551615", u64::MAX),
        ];
        for (text, micros) in cases {
            assert_eq!(text.parse::<MicroUsd>(), Ok(MicroUsd(micros)), "{text}");
        }
        for bad in [
            "",
            ".",
            "-1",
            "1e3",
            "0.0000001",
            "1.2.3",
            "abc",
            "NaN",
            "18446744073710",
        ] {
            assert!(bad.parse::<MicroUsd>().is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn dollar_amounts_print_shortest_exact() {
        for (micros, text) in [
            (0, "0"),
            (2_500_000, "2.5"),
            (100_000, "0.1"),
            (1, "0.000001"),
            (3_000_000, "3"),
        ] {
            assert_eq!(MicroUsd(micros).to_string(), text);
        }
    }

    #[test]
    fn spend_text_parses_keys_and_rejects_unknown() {
        let spend: Spend = "tokens=10, cost-usd=0.5,host_calls=2,iterations=1,tokens=5"
            .parse()
            .unwrap();
        assert_eq!(
            spend,
            Spend {
                tokens: 15,
                cost: MicroUsd(500_000),
                iterations: 1,
                host_calls: 2
            }
        );
        assert!(matches!(
            "bytes=3".parse::<Spend>(),
            Err(SpendParseError::UnknownKey(_))
        ));
        assert!(matches!(
            "tokens".parse::<Spend>(),
            Err(SpendParseError::NotKeyValue(_))
        ));
        assert!(matches!(
            "tokens=-1".parse::<Spend>(),
            Err(SpendParseError::BadCount { .. })
        ));
    }
}
