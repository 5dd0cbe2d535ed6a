//! Generalisation, measured on what the model was not trained on. The shipped model is trained
//! on the development corpus, the generated set and the held-back authors' sets
//! ([`injection_common::training_set`]); each measurement below retrains without its part:
//! - **leave-one-source-out** over the development corpus (`source` before its first `:`): for
//!   each source, the model is trained on everything else and the scanner is measured on the
//!   left-out source;
//! - **held-out generator families**: the generated set's template families are split into
//!   [`FAMILY_FOLDS`] folds; for each fold the model is trained on everything but that fold and
//!   measured on the held-out families (attack skeletons and negative document kinds alike);
//! - **leave-one-author-out** over the held-back sets (`split`: each set was written by its own
//!   author): the model is trained on everything but that set.
//!
//! The rules were written before the generated set existed and were not changed to fit it, so
//! the family figures are held out for rules and model alike; the source figures are held out
//! for the model only (the rules were written reading the development corpus); the author
//! figures are held out for the rules too on the sets whose texts were never read (`fresh2`,
//! `fresh4`, `fresh8`'s attacks — see `injection_heldback.rs`).
//!
//! Run with `--nocapture` for the per-source and per-family tables; `INJECTION_SHOW_MISSES=1`
//! lists the misses.

use std::collections::BTreeMap;

use crate::injection_common;

use injection_common::{FAMILY_FOLDS, Item, Rates, corpus, family_fold, generated, heldback};
use strive_core::injection::{self, model, scan_with_model};

/// Floors at what this commit measures (main had none for these splits; its corpus floors of
/// 90% / 2% still hold in `injection_corpus`). They are below the goal of 90% / 1%:
/// see docs/injection.md.
/// Measured 87.6% / 0.0% since the model also learns the held-back sets (round 9; 87.2% / 0.2%
/// trained on the other sources only; before issue 13's second round: 88.0% / 2.9%).
const LOSO_TPR_FLOOR: f64 = 0.87;
const LOSO_FPR_CEILING: f64 = 0.01;
/// Measured 89.6% / 0.2% (model trained on everything but the fold, round 9; 87.4% / 0.2% trained
/// on the development corpus + the other folds; before that: 72.9% / 4.1%).
const FAMILY_TPR_FLOOR: f64 = 0.87;
const FAMILY_FPR_CEILING: f64 = 0.01;
/// The shipped model on the generated set, which it is trained on (a fit, not held out: a
/// regression check). It read 84.2% / 0.2% when the model was trained on the development
/// corpus only.
const SHIPPED_GENERATED_TPR_FLOOR: f64 = 0.84;
const SHIPPED_GENERATED_FPR_CEILING: f64 = 0.01;

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

#[cfg(test)]
impl Examples<'_> {
    /// Trains on the kept items, each weighted by [`train_weight`] (external rows count `ext`).
    fn train_weighted(&self, keep: impl Fn(&Item) -> bool, ext: f64) -> model::Model {
        let examples: Vec<(&[model::Window], bool, f64)> = self
            .items
            .iter()
            .zip(&self.windows)
            .filter(|(i, _)| keep(i))
            .map(|(i, w)| (w.as_slice(), i.injection, train_weight(i, ext)))
            .collect();
        use injection_common::train_weight;
        model::train_weighted(&examples, model::TrainConfig::default())
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
    let mut table: BTreeMap<String, Rates> = BTreeMap::new();
    for &(i, flagged) in verdicts {
        let r = table.entry(group(i)).or_default();
        r.count(i.injection, flagged);
    }
    table
}

fn print_table(title: &str, table: &BTreeMap<String, Rates>) -> Rates {
    println!("{title}");
    let mut total = Rates::default();
    for (name, r) in table {
        println!("  {name:<48} {r}");
        add(&mut total, r);
    }
    println!("  {:<48} {total}", "ALL");
    total
}

/// Leave-one-source-out over the development corpus: prints the per-source table and returns
/// the pooled rates. Each fold's model is trained on everything the shipped model is, less the
/// left-out source.
pub fn leave_one_source_out_report() -> Rates {
    let dev = corpus();
    let rest: Vec<Item> = generated().into_iter().chain(heldback()).collect();
    let all = Examples::new(dev.iter().chain(&rest).collect());
    let mut sources: Vec<&str> = dev.iter().map(Item::source_name).collect();
    sources.sort();
    sources.dedup();
    let mut seen = Vec::new();
    for source in &sources {
        let model = all.train(|i| !i.family.is_empty() || i.source_name() != *source);
        seen.extend(verdicts(
            dev.iter().filter(|i| i.source_name() == *source),
            &model,
        ));
    }
    print_table(
        "leave-one-source-out (model trained on everything else the shipped model learns):",
        &tabulate(&seen, |i| i.source_name().to_owned()),
    )
}

#[test]
fn leave_one_source_out() {
    let total = leave_one_source_out_report();
    assert!(total.tpr() >= LOSO_TPR_FLOOR, "LOSO: {total}");
    assert!(total.fpr() <= LOSO_FPR_CEILING, "LOSO: {total}");
}

/// Held-out generator families: prints per-family, per-disguise and per-carrier tables and
/// returns the pooled fold rates and the shipped model's rates on the whole generated set.
pub fn held_out_families_report() -> (Rates, Rates) {
    let dev = corpus();
    let generated = generated();
    let held = heldback();
    let all = Examples::new(dev.iter().chain(&generated).chain(&held).collect());
    let mut seen = Vec::new();
    for fold in 0..FAMILY_FOLDS {
        // Held-back rows have families too (`fresh8-…`): only generated rows are folded.
        let model =
            all.train(|i| !i.split.is_empty() || i.family.is_empty() || family_fold(i) != fold);
        seen.extend(verdicts(
            generated.iter().filter(|i| family_fold(i) == fold),
            &model,
        ));
    }
    let kind = |i: &Item| if i.injection { "attack" } else { "benign" };
    let total = print_table(
        "held-out generator families (model trained on everything but the fold):",
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
    // The shipped model is trained on the generated set: this is its fit, not a held-out figure.
    let shipped = verdicts(generated.iter(), model::shipped());
    let mut fit = Rates::default();
    for r in tabulate(&shipped, |_| String::new()).values() {
        add(&mut fit, r);
    }
    println!("whole generated set, shipped model (trained on it: a fit): {fit}");
    (total, fit)
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

/// Per held-back set, the floor on attacks flagged and the ceiling on hard negatives flagged
/// when the model is trained on everything but that set (measured figures in the comments;
/// `fresh2`, `fresh4` and `fresh8`'s attacks were never read, so theirs are held out for the
/// rules too). Shipped-model figures for the same sets are fits: `injection_heldback.rs`.
const AUTHOR_FLOORS: &[(&str, f64, f64)] = &[
    ("tune", 0.97, 0.01),   // 100% / 0.0%
    ("sealed", 0.97, 0.01), // 100% / 0.0%
    ("fresh", 0.95, 0.01),  // 99.2% / 0.0%
    ("fresh2", 0.53, 0.01), // 55.5% / 0.0% (the shipped model of round 8, dev-trained: 44.5%)
    ("fresh3", 0.97, 0.01), // 100% / 0.0%
    ("fresh4", 0.59, 0.01), // 61.7% / 0.0% (round 8: 61.7%)
    ("fresh5", 0.97, 0.01), // 100% / 0.0%
    ("fresh6", 0.93, 0.01), // 95.5% / 0.0%
    // 94.6% / 0.7% (round 8: 94.6% / 0.0%); 96.4% / 1.5% once fresh13 joined the other
    // authors' training data (two benign rows cross the threshold)
    ("fresh7", 0.92, 0.02),
    ("fresh8", 0.61, 0.01), // 63.4% / 0.6% (round 8: 57.1% / 0.6%)
    // Never read; its first score (injection_heldback.rs) is this same figure.
    ("fresh9", 0.57, 0.27), // 58.5% / 26.6%
    // Round 11 read fresh10's misses and fixed them by class (tuned): first 52.4% / 8.9%.
    // 77.6% / 8.9%; 78.2% / 9.5% once fresh12 joined the other authors' training data
    ("fresh10", 0.77, 0.10),
    // Round 12 read fresh11's misses and fixed them by class (tuned): first 55.4% / 5.1%.
    ("fresh11", 0.71, 0.06), // 71.8% / 5.1%
    // Never read; its first score: 33.3% (65/195) / 11.2% (25/223); 32.8% after the bench
    // found English "Merge … request" prose flagged as a foreign directive (fixed by class)
    ("fresh12", 0.32, 0.12), // 34.4% / 10.8% once fresh13 joined the other authors' data
    // Never read; scored once with the round-12 scanner (injection_heldback.rs: 41.4% /
    // 10.8%); trained on every other author: 46.2% (97/210) / 10.9% (25/230).
    ("fresh13", 0.46, 0.11),
];

/// Leave-one-author-out over the held-back sets: prints each set's rates (model trained on the
/// development corpus, the generated set and the other sets) and returns them by set.
pub fn held_back_authors_report() -> BTreeMap<String, Rates> {
    let dev = corpus();
    let generated = generated();
    let held = heldback();
    let all = Examples::new(dev.iter().chain(&generated).chain(&held).collect());
    let mut splits: Vec<&str> = held.iter().map(|i| i.split.as_str()).collect();
    splits.sort();
    splits.dedup();
    let mut by_split = BTreeMap::new();
    for split in splits {
        let model = all.train(|i| i.split != split);
        let seen = verdicts(held.iter().filter(|i| i.split == split), &model);
        let mut r = Rates::default();
        for (i, flagged) in seen {
            r.count(i.injection, flagged);
        }
        println!("held-back set {split:<7} (model trained without it): {r}");
        by_split.insert(split.to_owned(), r);
    }
    by_split
}

#[test]
fn held_back_leave_one_author_out() {
    let by_split = held_back_authors_report();
    for (name, tpr_floor, fpr_ceiling) in AUTHOR_FLOORS {
        let r = by_split
            .get(*name)
            .unwrap_or_else(|| panic!("held-back set {name} has no rows"));
        assert!(r.tpr() >= *tpr_floor, "{name}: {r}");
        assert!(r.fpr() <= *fpr_ceiling, "{name}: {r}");
    }
}

/// One scored item for the solo-cutoff grid: (injection, flagged without solo, model p).
#[cfg(test)]
type Scored = (bool, bool, f64);

#[cfg(test)]
fn score_all<'a>(items: impl Iterator<Item = &'a Item>, m: &model::Model) -> Vec<Scored> {
    items
        .map(|i| {
            let r = scan_with_model(&i.text, m);
            let p = r
                .signals
                .iter()
                .filter(|s| s.id == "model")
                .map(|s| s.weight / injection::MODEL_WEIGHT)
                .fold(0.0, f64::max);
            (i.injection, r.flagged, p)
        })
        .collect()
}

#[cfg(test)]
fn rates_at(v: &[Scored], solo: f64) -> Rates {
    let mut r = Rates::default();
    for &(pos, flagged, p) in v {
        r.count(pos, flagged || p >= solo);
    }
    r
}

/// External data and the model-solo cutoff, all held out (`INJECTION_EXPERIMENT=1`; external
/// weights from `INJECTION_EXT_WEIGHTS`, default `0.3`): dev leave-one-source-out, generator
/// family folds and external leave-one-source-out (trained on the development corpus and the
/// other two external sources), each at several solo cutoffs. Never reads a held-back split.
#[test]
fn external_solo_grid() {
    if std::env::var_os("INJECTION_EXPERIMENT").is_none() {
        return;
    }
    use injection_common::external;
    let weights: Vec<f64> = std::env::var("INJECTION_EXT_WEIGHTS")
        .unwrap_or_else(|_| "0.3".into())
        .split(',')
        .map(|w| w.parse().expect("weight"))
        .collect();
    let solos = [f64::INFINITY, 0.999, 0.995, 0.99, 0.98, 0.95];
    let dev = corpus();
    let generated = generated();
    let ext = external();
    let step: usize = std::env::var("INJECTION_EXT_STEP")
        .ok()
        .map_or(3, |v| v.parse().expect("step"));
    let all = Examples::new(dev.iter().chain(&generated).chain(&ext).collect());
    let names = |items: &[Item]| {
        let mut v: Vec<String> = items.iter().map(|i| i.source_name().to_owned()).collect();
        v.sort();
        v.dedup();
        v
    };
    let dev_sources = names(&dev);
    let ext_sources = names(&ext);
    for &w in &weights {
        let with_ext = |i: &Item| w > 0.0 || !i.source_name().starts_with("ext-");
        let mut loso = Vec::new();
        for src in &dev_sources {
            let m = all.train_weighted(
                |i| i.family.is_empty() && i.source_name() != src && with_ext(i),
                w,
            );
            loso.extend(score_all(dev.iter().filter(|i| i.source_name() == src), &m));
        }
        let mut fam = Vec::new();
        for fold in 0..FAMILY_FOLDS {
            let m = all.train_weighted(
                |i| (i.family.is_empty() || family_fold(i) != fold) && with_ext(i),
                w,
            );
            fam.extend(score_all(
                generated.iter().filter(|i| family_fold(i) == fold),
                &m,
            ));
        }
        let mut ext_seen = Vec::new();
        for src in &ext_sources {
            let m = all.train_weighted(
                |i| i.family.is_empty() && i.source_name() != src && with_ext(i),
                w,
            );
            let held = score_all(
                ext.iter().filter(|i| i.source_name() == src).step_by(step),
                &m,
            );
            for &solo in &solos {
                println!(
                    "  ext-loso w={w} solo={solo} {src}: {}",
                    rates_at(&held, solo)
                );
            }
            ext_seen.extend(held);
        }
        for &solo in &solos {
            println!(
                "grid w={w} solo={solo}: dev-loso {} | families {} | ext-loso {}",
                rates_at(&loso, solo),
                rates_at(&fam, solo),
                rates_at(&ext_seen, solo)
            );
        }
    }
}

/// Writes every held-out verdict as JSON lines to `$INJECTION_DUMP` (dev leave-one-source-out,
/// generator family folds, held-back leave-one-author-out): the set, label, score, signals and
/// the normalised-free text, for reading decision rules offline. Does nothing without the
/// variable.
#[test]
fn dump_held_out_verdicts() {
    let Some(path) = std::env::var_os("INJECTION_DUMP") else {
        return;
    };
    let dev = corpus();
    let generated = generated();
    let held = heldback();
    let all = Examples::new(dev.iter().chain(&generated).chain(&held).collect());
    let mut lines = Vec::new();
    let mut emit = |set: String, items: Vec<&Item>, m: &model::Model| {
        for i in items {
            let r = scan_with_model(&i.text, m);
            let signals: Vec<_> = r
                .signals
                .iter()
                .map(|s| serde_json::json!([s.id, s.weight, s.span]))
                .collect();
            lines.push(
                serde_json::json!({"set": set, "label": i.injection as u8, "score": r.score,
                    "flagged": r.flagged, "signals": signals, "family": i.family,
                    "source": i.source, "text": i.text})
                .to_string(),
            );
        }
    };
    let mut sources: Vec<&str> = dev.iter().map(Item::source_name).collect();
    sources.sort();
    sources.dedup();
    for source in &sources {
        let m = all.train(|i| !i.family.is_empty() || i.source_name() != *source);
        emit(
            format!("dev:{source}"),
            dev.iter().filter(|i| i.source_name() == *source).collect(),
            &m,
        );
    }
    for fold in 0..FAMILY_FOLDS {
        let m = all.train(|i| !i.split.is_empty() || i.family.is_empty() || family_fold(i) != fold);
        emit(
            format!("gen:{fold}"),
            generated
                .iter()
                .filter(|i| family_fold(i) == fold)
                .collect(),
            &m,
        );
    }
    let mut splits: Vec<&str> = held.iter().map(|i| i.split.as_str()).collect();
    splits.sort();
    splits.dedup();
    for split in splits {
        let m = all.train(|i| i.split != split);
        emit(
            format!("held:{split}"),
            held.iter().filter(|i| i.split == split).collect(),
            &m,
        );
    }
    std::fs::write(path, lines.join("\n") + "\n").expect("write dump");
}
