//! [`BudgetGate`] over the constraint core's run ledger.
//!
//! Guarantees: `reserve` checks the estimate (tokens and cost, plus the run's wall clock)
//! against a snapshot of the ledger and records nothing; `charge` records the actual usage.
//! Actual use can exceed the estimate only through the prompt-size guess (chars / 4); if it then
//! passes a cap, the ledger (which refuses rather than overdraws) is filled to the cap on the
//! refusing axis, so the loop sees the budget exhausted and stops — the overrun is logged, never
//! forgiven.

use std::time::Instant;

use strive_core::budget::{MicroUsd, SharedLedger, Spend};

use crate::budget::{BudgetGate, Estimate, MakerRefusal, Usage};

/// The run's ledger and the instant the run started (for the wall-clock cap).
#[derive(Debug, Clone)]
pub struct LedgerGate {
    ledger: SharedLedger,
    started: Instant,
}

impl LedgerGate {
    pub fn new(ledger: SharedLedger, started: Instant) -> Self {
        Self { ledger, started }
    }

    pub fn ledger(&self) -> &SharedLedger {
        &self.ledger
    }
}

fn micro_usd(usd: Option<f64>) -> MicroUsd {
    // Rounded up: a fraction of a micro-dollar is still spent.
    MicroUsd(usd.map_or(0, |d| (d.max(0.0) * MicroUsd::PER_USD as f64).ceil() as u64))
}

impl BudgetGate for LedgerGate {
    fn reserve(&self, estimate: &Estimate) -> Result<(), MakerRefusal> {
        let mut trial = self.ledger.snapshot();
        trial
            .try_spend(
                Spend::maker(estimate.tokens, micro_usd(estimate.cost_usd)),
                self.started.elapsed(),
            )
            .map_err(|r| MakerRefusal {
                requested_tokens: estimate.tokens,
                reason: r.to_string(),
            })
    }

    fn charge(&self, usage: &Usage) {
        let spend = Spend::maker(usage.total_tokens(), micro_usd(usage.cost_usd));
        // Spent time is not a reason to forget spent tokens: judge the wall clock elsewhere.
        let Err(refusal) = self.ledger.try_spend(spend, std::time::Duration::ZERO) else {
            return;
        };
        tracing::warn!(%refusal, "maker usage passed the budget; filling the ledger to its cap");
        let now = self.ledger.snapshot();
        let room = |cap: Option<u64>, spent: u64, want: u64| {
            cap.map_or(want, |c| want.min(c.saturating_sub(spent)))
        };
        let capped = Spend::maker(
            room(now.budget.max_tokens, now.spent.tokens, spend.tokens),
            MicroUsd(room(
                now.budget.max_cost_usd.map(|c| c.0),
                now.spent.cost.0,
                spend.cost.0,
            )),
        );
        let _ = self.ledger.try_spend(capped, std::time::Duration::ZERO);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strive_core::budget::{Axis, Budget, Ledger};

    fn gate(max_tokens: u64, max_cost_usd: Option<u64>) -> LedgerGate {
        let budget = Budget {
            max_tokens: Some(max_tokens),
            max_cost_usd: max_cost_usd.map(|d| MicroUsd(d * MicroUsd::PER_USD)),
            ..Budget::default()
        };
        LedgerGate::new(SharedLedger::new(Ledger::new(budget)), Instant::now())
    }

    fn usage(input: u64, output: u64, cost: Option<f64>) -> Usage {
        Usage {
            input_tokens: input,
            output_tokens: output,
            cost_usd: cost,
            estimated: false,
        }
    }

    #[test]
    fn reserve_records_nothing_and_charge_records_usage() {
        let g = gate(1000, None);
        g.reserve(&Estimate {
            tokens: 900,
            cost_usd: None,
        })
        .unwrap();
        assert_eq!(g.ledger().snapshot().spent.tokens, 0);
        g.charge(&usage(300, 100, None));
        assert_eq!(g.ledger().snapshot().spent.tokens, 400);
        let refusal = g
            .reserve(&Estimate {
                tokens: 601,
                cost_usd: None,
            })
            .unwrap_err();
        assert_eq!(refusal.requested_tokens, 601);
        assert!(refusal.reason.contains("tokens"), "{}", refusal.reason);
    }

    #[test]
    fn cost_cap_refuses_and_cost_is_rounded_up() {
        let g = gate(1_000_000, Some(1));
        assert!(
            g.reserve(&Estimate {
                tokens: 10,
                cost_usd: Some(1.5)
            })
            .is_err()
        );
        g.charge(&usage(1, 1, Some(0.000_000_1)));
        assert_eq!(g.ledger().snapshot().spent.cost, MicroUsd(1));
    }

    #[test]
    fn an_overrun_fills_the_ledger_so_the_loop_stops() {
        let g = gate(1000, None);
        g.charge(&usage(900, 300, None));
        let ledger = g.ledger().snapshot();
        assert_eq!(ledger.spent.tokens, 1000);
        assert_eq!(
            ledger.exhausted(std::time::Duration::ZERO),
            Some(Axis::Tokens)
        );
        assert!(
            g.reserve(&Estimate {
                tokens: 1,
                cost_usd: None
            })
            .is_err()
        );
    }
}
