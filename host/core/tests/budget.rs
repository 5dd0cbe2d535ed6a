//! The budget ledger: refusals record nothing, caps are never crossed, JSON round-trips.

use std::time::Duration;

use proptest::prelude::*;
use strive_core::budget::{Axis, Budget, Ledger, MicroUsd, Refusal, SharedLedger, Spend, Spent};

const NOW: Duration = Duration::from_secs(1);

fn budget() -> Budget {
    Budget {
        max_tokens: Some(1_000),
        max_iterations: Some(3),
        wall_clock_secs: Some(60),
        max_cost_usd: Some("0.50".parse().unwrap()),
        max_host_calls: Some(10),
    }
}

#[test]
fn a_refused_spend_records_nothing() {
    let mut ledger = Ledger::new(budget());
    ledger
        .try_spend(Spend::maker(900, MicroUsd(100_000)), NOW)
        .unwrap();
    let before = ledger;
    // Tokens would cross the cap; the cost and host calls in the same spend must not be kept.
    let refusal = ledger
        .try_spend(
            Spend {
                tokens: 101,
                cost: MicroUsd(1),
                iterations: 1,
                host_calls: 1,
            },
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        refusal,
        Refusal {
            axis: Axis::Tokens,
            cap: 1_000,
            spent: 900,
            requested: 101
        }
    );
    assert_eq!(ledger, before);
    // Reaching the cap exactly is allowed.
    ledger
        .try_spend(Spend::maker(100, MicroUsd(0)), NOW)
        .unwrap();
    assert_eq!(ledger.spent.tokens, 1_000);
    assert_eq!(ledger.exhausted(NOW), Some(Axis::Tokens));
}

#[test]
fn a_reservation_is_refunded_down_to_actual_usage() {
    let mut ledger = Ledger::new(budget());
    let reserved = Spend::maker(800, MicroUsd(400_000));
    ledger.try_spend(reserved, NOW).unwrap();
    // A second reservation of the same size does not fit while the first is held...
    assert!(ledger.try_spend(reserved, NOW).is_err());
    // ...but does once the first call turns out to have used 150 tokens and $0.05.
    ledger.refund(Spend::maker(650, MicroUsd(350_000)));
    assert_eq!(ledger.spent.tokens, 150);
    assert_eq!(ledger.spent.cost, MicroUsd(50_000));
    ledger.try_spend(reserved, NOW).unwrap();
    // Refunds never go below zero.
    ledger.refund(Spend::maker(u64::MAX, MicroUsd(u64::MAX)));
    assert_eq!(ledger.spent, Spent::default());
}

#[test]
fn each_axis_refuses_at_its_cap() {
    let cases = [
        (Spend::iteration(), 3, Axis::Iterations),
        (Spend::host_call(), 10, Axis::HostCalls),
        (Spend::maker(0, MicroUsd(250_000)), 2, Axis::Cost),
    ];
    for (step, allowed, axis) in cases {
        let mut ledger = Ledger::new(budget());
        for _ in 0..allowed {
            ledger.try_spend(step, NOW).unwrap();
        }
        let refusal = ledger.try_spend(step, NOW).unwrap_err();
        assert_eq!(refusal.axis, axis);
        assert_eq!(ledger.exhausted(NOW), Some(axis));
    }
}

#[test]
fn wall_clock_is_injected_and_refuses_past_the_cap() {
    let mut ledger = Ledger::new(budget());
    ledger
        .try_spend(Spend::iteration(), Duration::from_secs(60))
        .unwrap();
    let refusal = ledger
        .try_spend(Spend::iteration(), Duration::from_millis(60_001))
        .unwrap_err();
    assert_eq!(
        refusal,
        Refusal {
            axis: Axis::WallClock,
            cap: 60_000,
            spent: 60_001,
            requested: 0
        }
    );
    assert_eq!(ledger.spent.iterations, 1);
    assert_eq!(
        ledger.exhausted(Duration::from_secs(61)),
        Some(Axis::WallClock)
    );
    assert_eq!(ledger.exhausted(Duration::from_secs(59)), None);
}

#[test]
fn no_caps_means_no_refusals_but_overflow_is_refused() {
    let mut ledger = Ledger::new(Budget::default());
    ledger
        .try_spend(Spend::maker(u64::MAX, MicroUsd(u64::MAX)), Duration::MAX)
        .unwrap();
    let refusal = ledger
        .try_spend(Spend::maker(1, MicroUsd(0)), NOW)
        .unwrap_err();
    assert_eq!(refusal.axis, Axis::Tokens);
    assert_eq!(ledger.spent.tokens, u64::MAX);
}

#[test]
fn json_keeps_the_earlier_budget_shape_and_round_trips() {
    let earlier = r#"{"max_tokens":50000,"max_iterations":1,"wall_clock_secs":300}"#;
    let parsed: Budget = serde_json::from_str(earlier).unwrap();
    assert_eq!(parsed.max_tokens, Some(50_000));
    assert_eq!(parsed.max_cost_usd, None);
    let json = serde_json::to_value(budget()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "max_tokens": 1000, "max_iterations": 3, "wall_clock_secs": 60,
            "max_cost_usd": 0.5, "max_host_calls": 10
        })
    );
    // Dollars are read exactly, whether written as a number or a string.
    let exact: Budget = serde_json::from_str(r#"{"max_cost_usd": 0.1}"#).unwrap();
    assert_eq!(exact.max_cost_usd, Some(MicroUsd(100_000)));
    let text: Budget = serde_json::from_str(r#"{"max_cost_usd": "12.345678"}"#).unwrap();
    assert_eq!(text.max_cost_usd, Some(MicroUsd(12_345_678)));
    for bad in [
        r#"{"max_cost_usd": -1}"#,
        r#"{"max_cost_usd": 0.0000001}"#,
        r#"{"max_tokens": "lots"}"#,
        r#"{"max_tokenz": 5}"#,
    ] {
        assert!(serde_json::from_str::<Budget>(bad).is_err(), "{bad}");
    }

    let mut ledger = Ledger::new(budget());
    ledger
        .try_spend(Spend::maker(10, MicroUsd(123_457)), NOW)
        .unwrap();
    let saved = serde_json::to_string(&ledger).unwrap();
    assert!(saved.contains(r#""cost_micro_usd":123457"#), "{saved}");
    assert_eq!(serde_json::from_str::<Ledger>(&saved).unwrap(), ledger);
    let refusal = serde_json::to_value(Refusal {
        axis: Axis::WallClock,
        cap: 1,
        spent: 2,
        requested: 0,
    })
    .unwrap();
    assert_eq!(
        refusal,
        serde_json::json!({"axis": "wall_clock", "cap": 1, "spent": 2, "requested": 0})
    );
}

#[test]
fn shared_ledger_never_overspends_under_contention() {
    let shared = SharedLedger::new(Ledger::new(Budget {
        max_host_calls: Some(1_000),
        ..Budget::default()
    }));
    let granted: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let shared = shared.clone();
                scope.spawn(move || {
                    (0..500)
                        .filter(|_| shared.try_spend(Spend::host_call(), NOW).is_ok())
                        .count()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert_eq!(granted, 1_000);
    assert_eq!(shared.snapshot().spent.host_calls, 1_000);
    assert_eq!(shared.exhausted(NOW), Some(Axis::HostCalls));
}

fn arb_cap() -> impl Strategy<Value = Option<u64>> {
    prop_oneof![Just(None), (0u64..2_000).prop_map(Some)]
}

fn arb_budget() -> impl Strategy<Value = Budget> {
    (arb_cap(), arb_cap(), arb_cap(), arb_cap(), arb_cap()).prop_map(
        |(tokens, iterations, wall, cost, calls)| Budget {
            max_tokens: tokens,
            max_iterations: iterations,
            wall_clock_secs: wall,
            max_cost_usd: cost.map(MicroUsd),
            max_host_calls: calls,
        },
    )
}

fn arb_spend() -> impl Strategy<Value = (Spend, u64)> {
    (0u64..400, 0u64..400, 0u64..3, 0u64..5, 0u64..2_500).prop_map(
        |(tokens, cost, iterations, host_calls, elapsed)| {
            (
                Spend {
                    tokens,
                    cost: MicroUsd(cost),
                    iterations,
                    host_calls,
                },
                elapsed,
            )
        },
    )
}

fn within(cap: Option<u64>, spent: u64) -> bool {
    cap.is_none_or(|cap| spent <= cap)
}

proptest! {
    /// Whatever the order and size of spends, no axis ever passes its cap, a refusal leaves
    /// the ledger unchanged, and a grant adds exactly the spend.
    #[test]
    fn spends_never_exceed_caps(budget in arb_budget(), spends in prop::collection::vec(arb_spend(), 0..60)) {
        let mut ledger = Ledger::new(budget);
        for (spend, elapsed) in spends {
            let before = ledger;
            match ledger.try_spend(spend, Duration::from_secs(elapsed)) {
                Ok(()) => {
                    prop_assert_eq!(ledger.spent, Spent {
                        tokens: before.spent.tokens + spend.tokens,
                        cost: MicroUsd(before.spent.cost.0 + spend.cost.0),
                        iterations: before.spent.iterations + spend.iterations,
                        host_calls: before.spent.host_calls + spend.host_calls,
                    });
                }
                Err(refusal) => {
                    prop_assert_eq!(ledger, before);
                    prop_assert!(refusal.axis == Axis::WallClock
                        || refusal.spent.saturating_add(refusal.requested) > refusal.cap);
                }
            }
            let s = ledger.spent;
            prop_assert!(within(budget.max_tokens, s.tokens));
            prop_assert!(within(budget.max_iterations, s.iterations));
            prop_assert!(within(budget.max_cost_usd.map(|c| c.0), s.cost.0));
            prop_assert!(within(budget.max_host_calls, s.host_calls));
        }
    }

    #[test]
    fn spend_and_amount_parsers_never_panic(text in ".{0,64}") {
        let _ = text.parse::<Spend>();
        let _ = text.parse::<MicroUsd>();
    }

    #[test]
    fn dollar_amounts_round_trip_through_text(micros: u64) {
        let amount = MicroUsd(micros);
        prop_assert_eq!(amount.to_string().parse::<MicroUsd>(), Ok(amount));
    }
}
