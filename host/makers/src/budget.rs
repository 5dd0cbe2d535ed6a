//! Charging makers' token use to the loop's budget.
//!
//! Guarantees: a maker calls [`BudgetGate::reserve`] with a worst-case estimate before any
//! network I/O and sends nothing if it is refused; after a response it calls
//! [`BudgetGate::charge`] with the provider's reported usage — or, when the provider reports
//! none, with the estimate (fail closed: unknown use is never charged as zero). Tokens are
//! charged even when the answer turns out unusable: they were spent.
//!
//! The host implements [`BudgetGate`] over its budget ledger (`strive-core`).

use std::collections::BTreeMap;

use serde::Deserialize;
use thiserror::Error;

/// Worst-case use of one call, known before it is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Prompt characters / 4 (rounded up) + the response's `max_tokens`.
    pub tokens: u64,
    /// `tokens` priced as input and output at the model's price, when a price is configured.
    pub cost_usd: Option<f64>,
}

/// Tokens (and cost) a call actually used.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    pub input_tokens: u64,
    pub output_tokens: u64,
    /// From the price table, when the model has a price.
    pub cost_usd: Option<f64>,
    /// True when the provider reported no usage and the estimate was charged instead.
    pub estimated: bool,
}

impl Usage {
    /// Input plus output tokens.
    pub fn total_tokens(&self) -> u64 {
        self.input_tokens.saturating_add(self.output_tokens)
    }
}

/// The budget refused a call; nothing was sent.
#[derive(Debug, Clone, PartialEq, Error)]
#[error("budget refused a maker call of ~{requested_tokens} tokens: {reason}")]
pub struct MakerRefusal {
    pub requested_tokens: u64,
    /// What ran out, e.g. "12,000 of 200,000 tokens left".
    pub reason: String,
}

/// The loop's budget, as seen by makers.
pub trait BudgetGate: Send + Sync {
    /// Refuses a call the remaining budget cannot cover. Called before any network I/O.
    fn reserve(&self, estimate: &Estimate) -> Result<(), MakerRefusal>;
    /// Records what a call used.
    fn charge(&self, usage: &Usage);
}

/// USD per million tokens for one model.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Price {
    /// USD per 1M input (prompt) tokens.
    pub input: f64,
    /// USD per 1M output (completion) tokens.
    pub output: f64,
}

/// Prices by model name, from config (`"prices": {"<model>": {"input": 0.59, "output": 0.79}}`).
pub type PriceTable = BTreeMap<String, Price>;

impl Price {
    /// Cost of a call.
    pub fn cost(&self, input_tokens: u64, output_tokens: u64) -> f64 {
        (input_tokens as f64 * self.input + output_tokens as f64 * self.output) / 1_000_000.0
    }
}

/// The estimate for a prompt of `prompt_chars` characters and a response of up to `max_tokens`.
pub fn estimate(prompt_chars: usize, max_tokens: u32, price: Option<&Price>) -> Estimate {
    let input = (prompt_chars as u64).div_ceil(4);
    let output = u64::from(max_tokens);
    Estimate {
        tokens: input + output,
        cost_usd: price.map(|p| p.cost(input, output)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimate_is_chars_over_four_plus_max_tokens() {
        assert_eq!(estimate(0, 0, None).tokens, 0);
        assert_eq!(estimate(1, 0, None).tokens, 1);
        assert_eq!(estimate(4000, 1000, None).tokens, 2000);
        let p = Price {
            input: 1.0,
            output: 2.0,
        };
        let e = estimate(4_000_000, 1_000_000, Some(&p));
        assert_eq!(e.tokens, 2_000_000);
        assert!((e.cost_usd.unwrap() - 3.0).abs() < 1e-9);
    }
}
