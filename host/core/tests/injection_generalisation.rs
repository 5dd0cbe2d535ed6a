//! Generalisation, measured on what the model was not trained on:
//! - **leave-one-source-out** over the development corpus (`source` before its first `:`): for
//!   each source, the model is trained on every other source plus the whole generated set and
//!   the scanner is measured on the left-out source;
//! - **held-out generator families**: the generated set's template families are split into
//!   [`FAMILY_FOLDS`] folds; for each fold the model is trained on the development corpus plus
//!   the other folds and measured on the held-out families (attack skeletons and negative
//!   document kinds alike).
//!
//! The rules were written before the generated set existed and were not changed to fit it, so
//! the family figures are held out for rules and model alike; the source figures are held out
//! for the model only (the rules were written reading the development corpus).
//!
//! Run with `--nocapture` for the per-source and per-family tables; `INJECTION_SHOW_MISSES=1`
//! lists the misses.

use std::collections::BTreeMap;

use crate::injection_common;

use injection_common::{FAMILY_FOLDS, Item, Rates, corpus, family_fold, generated};
use strive_core::injection::{self, model, scan_with_model};

/// Floors at what this commit measures (main had none for these splits; its corpus floors of
/// 90% / 2% still hold in `injection_corpus`). They are below the goal of 90% / 1%:
/// see docs/injection.md.
/// Measured 87.2% / 0.2% (before issue 13's second round: 88.0% / 2.9%).
const LOSO_TPR_FLOOR: f64 = 0.87;
const LOSO_FPR_CEILING: f64 = 0.01;
/// Measured 87.4% / 0.2% (model trained on the development corpus + the other folds; before:
/// 72.9% / 4.1%).
const FAMILY_TPR_FLOOR: f64 = 0.87;
const FAMILY_FPR_CEILING: f64 = 0.01;
/// Measured 84.2% / 0.2% (the shipped model, trained on the development corpus only).
const SHIPPED_GENERATED_TPR_FLOOR: f64 = 0.84;
const SHIPPED_GENERATED_FPR_CEILING: f64 = 0.01;

fn empty() -> Rates {
    Rates {
        tp: 0,
        positives: 0,
        fp: 0,
        negatives: 0,
    }
}

fn add(total: &mut Rates, r: &Rates) {
    total.tp += r.tp;
    total.positives += r.positives;
    total.fp += r.fp;
    total.negatives += r.negatives;
}

/// Each item's scanner windows, computed once (training is the same as `model.bin`'s).
struct Examples<'a> {
    items: Vec<&'a Item>,
    windows: Vec<Vec<model::Window>>,
}

impl<'a> Examples<'a> {
    fn new(items: Vec<&'a Item>) -> Self {
        let windows = items
            .iter()
            .map(|i| injection::model_windows(&i.text))
            .collect();
        Examples { items, windows }
    }

    fn train(&self, keep: impl Fn(&Item) -> bool) -> model::Model {
        let examples: Vec<(Vec<model::Window>, bool)> = self
            .items
            .iter()
            .zip(&self.windows)
            .filter(|(i, _)| keep(i))
            .map(|(i, w)| (w.clone(), i.injection))
            .collect();
        model::train(&examples, model::TrainConfig::default())
    }
}

/// Scans `items` with `model`: each item with whether it was flagged.
fn verdicts<'a>(
    items: impl Iterator<Item = &'a Item>,
    model: &model::Model,
) -> Vec<(&'a Item, bool)> {
    let show = std::env::var_os("INJECTION_SHOW_MISSES").is_some();
    items
        .map(|i| {
            let report = scan_with_model(&i.text, model);
            if show && report.flagged != i.injection {
                let ids: Vec<_> = report.signals.iter().map(|s| s.id).collect();
                println!(
                    "MISS label={} score={:.2} {}|{}|{} [{}] {:?}",
                    i.injection as u8,
                    report.score,
                    i.source_name(),
                    i.family,
                    i.category,
                    ids.join(","),
                    i.text.chars().take(200).collect::<String>()
                );
            }
            (i, report.flagged)
        })
        .collect()
}

/// Rates per `group(item)`.
fn tabulate(
    verdicts: &[(&Item, bool)],
    group: impl Fn(&Item) -> String,
) -> BTreeMap<String, Rates> {
    let mut table = BTreeMap::new();
    for &(i, flagged) in verdicts {
        let r = table.entry(group(i)).or_insert_with(empty);
        if i.injection {
            r.positives += 1;
            r.tp += flagged as usize;
        } else {
            r.negatives += 1;
            r.fp += flagged as usize;
        }
    }
    table
}

fn print_table(title: &str, table: &BTreeMap<String, Rates>) -> Rates {
    println!("{title}");
    let mut total = empty();
    for (name, r) in table {
        println!("  {name:<48} {r}");
        add(&mut total, r);
    }
    println!("  {:<48} {total}", "ALL");
    total
}

/// Leave-one-source-out over the development corpus: prints the per-source table and returns
/// the pooled rates. `with_generated` adds the generated set to every training run (the
/// shipped model is trained without it).
pub fn leave_one_source_out_report(with_generated: bool) -> Rates {
    let dev = corpus();
    let generated = generated();
    let all = Examples::new(dev.iter().chain(generated.iter()).collect());
    let mut sources: Vec<&str> = dev.iter().map(Item::source_name).collect();
    sources.sort();
    sources.dedup();
    let mut seen = Vec::new();
    for source in &sources {
        let model = all.train(|i| {
            (with_generated && !i.family.is_empty())
                || (i.family.is_empty() && i.source_name() != *source)
        });
        seen.extend(verdicts(
            dev.iter().filter(|i| i.source_name() == *source),
            &model,
        ));
    }
    print_table(
        if with_generated {
            "leave-one-source-out (model trained on the other sources + the generated set):"
        } else {
            "leave-one-source-out (model trained on the other sources, as the shipped model is):"
        },
        &tabulate(&seen, |i| i.source_name().to_owned()),
    )
}

#[test]
fn leave_one_source_out() {
    // `INJECTION_LOSO_WITH_GENERATED=1` shows the variant that also trains on the generated set.
    let with_generated = std::env::var_os("INJECTION_LOSO_WITH_GENERATED").is_some();
    let total = leave_one_source_out_report(with_generated);
    if !with_generated {
        assert!(total.tpr() >= LOSO_TPR_FLOOR, "LOSO: {total}");
        assert!(total.fpr() <= LOSO_FPR_CEILING, "LOSO: {total}");
    }
}

/// Held-out generator families: prints per-family, per-disguise and per-carrier tables and
/// returns the pooled fold rates and the shipped model's rates on the whole generated set.
pub fn held_out_families_report() -> (Rates, Rates) {
    let dev = corpus();
    let generated = generated();
    let all = Examples::new(dev.iter().chain(generated.iter()).collect());
    let mut seen = Vec::new();
    for fold in 0..FAMILY_FOLDS {
        let model = all.train(|i| i.family.is_empty() || family_fold(i) != fold);
        seen.extend(verdicts(
            generated.iter().filter(|i| family_fold(i) == fold),
            &model,
        ));
    }
    let kind = |i: &Item| if i.injection { "attack" } else { "benign" };
    let total = print_table(
        "held-out generator families (model trained on the development corpus + the other folds):",
        &tabulate(&seen, |i| {
            format!("fold {} {} {}", family_fold(i), kind(i), i.family)
        }),
    );
    print_table(
        "  … the same verdicts by disguise:",
        &tabulate(&seen, |i| {
            format!(
                "{} {}",
                kind(i),
                i.category.rsplit(':').next().unwrap_or("")
            )
        }),
    );
    print_table(
        "  … by carrier:",
        &tabulate(&seen, |i| {
            format!("{} {}", kind(i), i.category.split(':').nth(2).unwrap_or(""))
        }),
    );
    // The shipped model is trained on the development corpus only: the whole generated set is
    // held out for it.
    let shipped = verdicts(generated.iter(), model::shipped());
    let mut held_out = empty();
    for r in tabulate(&shipped, |_| String::new()).values() {
        add(&mut held_out, r);
    }
    println!("whole generated set, shipped model (never trained on it): {held_out}");
    (total, held_out)
}

#[test]
fn held_out_generator_families() {
    let (folds, shipped) = held_out_families_report();
    assert!(folds.tpr() >= FAMILY_TPR_FLOOR, "families: {folds}");
    assert!(folds.fpr() <= FAMILY_FPR_CEILING, "families: {folds}");
    assert!(
        shipped.tpr() >= SHIPPED_GENERATED_TPR_FLOOR,
        "shipped: {shipped}"
    );
    assert!(
        shipped.fpr() <= SHIPPED_GENERATED_FPR_CEILING,
        "shipped: {shipped}"
    );
}
