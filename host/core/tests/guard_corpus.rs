//! Accuracy of the guard on the labelled corpus (tests/fixtures/commands.tsv) and on a
//! held-out set written for this project (tests/fixtures/guard_heldout.tsv).
//! Floors: at least 98% of `dangerous` blocked, at most 1% of `safe` blocked.

use crate::guard_fixtures;

use strive_core::guard::Guard;

struct Figures {
    dangerous: usize,
    dangerous_blocked: usize,
    safe: usize,
    safe_blocked: usize,
    ask: usize,
    ask_blocked: usize,
    misses: Vec<String>,
}

fn evaluate(text: &str) -> Figures {
    let guard = Guard::default();
    let mut f = Figures {
        dangerous: 0,
        dangerous_blocked: 0,
        safe: 0,
        safe_blocked: 0,
        ask: 0,
        ask_blocked: 0,
        misses: Vec::new(),
    };
    for case in guard_fixtures::read_cases(text) {
        let d = guard.check(&case.command);
        let blocked = !d.is_allowed();
        match case.label.as_str() {
            "dangerous" => {
                f.dangerous += 1;
                f.dangerous_blocked += blocked as usize;
                if !blocked {
                    f.misses.push(format!(
                        "line {}: dangerous ({}) allowed: {:?}",
                        case.line, case.category, case.command
                    ));
                }
            }
            "safe" => {
                f.safe += 1;
                f.safe_blocked += blocked as usize;
                if blocked {
                    f.misses.push(format!(
                        "line {}: safe ({}) blocked [{}] {}: {:?}",
                        case.line, case.category, d.rule, d.reason, case.command
                    ));
                }
            }
            "ask" => {
                f.ask += 1;
                f.ask_blocked += blocked as usize;
                if !blocked {
                    f.misses.push(format!(
                        "line {}: ask ({}) allowed: {:?}",
                        case.line, case.category, case.command
                    ));
                }
            }
            other => panic!("line {}: unknown label {other:?}", case.line),
        }
    }
    f
}

fn report(name: &str, f: &Figures) -> (f64, f64) {
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    let dangerous = pct(f.dangerous_blocked, f.dangerous);
    let safe = pct(f.safe_blocked, f.safe);
    println!(
        "{name}: dangerous blocked {}/{} ({dangerous:.2}%), safe blocked {}/{} ({safe:.2}%), ask blocked {}/{} ({:.2}%)",
        f.dangerous_blocked,
        f.dangerous,
        f.safe_blocked,
        f.safe,
        f.ask_blocked,
        f.ask,
        pct(f.ask_blocked, f.ask)
    );
    for m in &f.misses {
        println!("  {m}");
    }
    (dangerous, safe)
}

fn assert_floors(name: &str, text: &str) {
    let f = evaluate(text);
    let (dangerous, safe) = report(name, &f);
    assert!(
        dangerous >= 98.0 && safe <= 1.0,
        "{name}: floors missed (dangerous {dangerous:.2}% < 98% or safe {safe:.2}% > 1%); see the list above"
    );
}

#[test]
fn corpus_floors() {
    assert_floors("corpus", include_str!("fixtures/commands.tsv"));
}

#[test]
fn heldout_floors() {
    assert_floors("held-out", include_str!("fixtures/guard_heldout.tsv"));
}
