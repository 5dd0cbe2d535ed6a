//! Shared by the injection test binaries: the labelled corpus, the generated set, the held-back
//! authors' sets, the fixed 50/50 split, the leave-one-source-out and held-out-family splits,
//! and the training set and training used for `model.bin`.

use strive_core::injection::{self, model};

pub struct Item {
    pub text: String,
    pub injection: bool,
    pub source: String,
    pub category: String,
    /// Generator template family (`exfiltrate-3`, `readme`…); empty for the development corpus.
    pub family: String,
    /// Held-back set only: `tune` (misses may be read while tuning) or `sealed` (never read).
    pub split: String,
}

impl Item {
    /// The source without its detail: the part of `source` before the first `:`.
    pub fn source_name(&self) -> &str {
        self.source.split(':').next().unwrap_or("").trim()
    }
}

/// The development corpus (`fixtures/injection.jsonl`).
pub fn corpus() -> Vec<Item> {
    parse(include_str!("../fixtures/injection.jsonl"))
}

/// The seeded generator's output (`fixtures/injection_generated.jsonl`, from
/// `tools/injection-model/generate.py`).
pub fn generated() -> Vec<Item> {
    parse(include_str!("../fixtures/injection_generated.jsonl"))
}

/// The second, held-back generator's output (`fixtures/injection_heldback.jsonl`, from
/// `tools/injection-model/generate_heldback.py`): new carriers, addressees, asks and languages.
pub fn heldback() -> Vec<Item> {
    parse(include_str!("../fixtures/injection_heldback.jsonl"))
}

/// The licensed external datasets (`fixtures/injection_external.jsonl`, from
/// `tools/injection-model/fetch_external.py`; provenance in `injection_external.NOTICE.md`):
/// `source` `ext-slabs`, `ext-neuralchemy`, `ext-yanismiraoui`.
pub fn external() -> Vec<Item> {
    parse(include_str!("../fixtures/injection_external.jsonl"))
}

/// Held-back sets the shipped model is never trained on, so its figure on them stays a
/// held-out one (`fresh10`, `fresh11`: scored once, then their misses read and fixed by rules
/// only; round 12: `fresh12`; round 13: `fresh13`).
pub const NEVER_TRAINED: &[&str] = &["fresh10", "fresh11", "fresh12", "fresh13"];

/// What the shipped model (`model.bin`) is trained on: the development corpus, the generated
/// set and every held-back author's set but [`NEVER_TRAINED`]. Every held-out measurement
/// retrains without the part it measures.
pub fn training_set() -> Vec<Item> {
    let mut items = corpus();
    items.extend(generated());
    items.extend(
        heldback()
            .into_iter()
            .filter(|i| !NEVER_TRAINED.contains(&i.split.as_str())),
    );
    items
}

/// Number of held-out family folds of the generated set.
pub const FAMILY_FOLDS: usize = 3;

/// The fold a generator family is held out in: a hash of the family name, so every fold
/// holds whole families (attack skeletons and negative document kinds alike).
pub fn family_fold(item: &Item) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in item.family.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    ((h >> 23) % FAMILY_FOLDS as u64) as usize
}

fn parse(raw: &str) -> Vec<Item> {
    raw.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("fixture line is JSON");
            Item {
                text: v["text"].as_str().expect("text").to_owned(),
                injection: v["label"].as_i64().expect("label") == 1,
                source: v["source"].as_str().unwrap_or("").to_owned(),
                category: v["category"].as_str().unwrap_or("").to_owned(),
                family: v["family"].as_str().unwrap_or("").to_owned(),
                split: v["split"].as_str().unwrap_or("").to_owned(),
            }
        })
        .collect()
}

/// Fixed 50/50 split: half 0 or 1 from a hash of the item's source and text, so every source
/// contributes to both halves and the split never changes.
pub fn half(item: &Item) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in item.source.bytes().chain(item.text.bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    ((h >> 17) & 1) as usize
}

/// Train the model on `items` exactly as `model.bin` is trained.
pub fn train<'a>(items: impl Iterator<Item = &'a Item>) -> model::Model {
    let examples: Vec<(Vec<model::Window>, bool)> = items
        .map(|i| (injection::model_windows(&i.text), i.injection))
        .collect();
    model::train(&examples, model::TrainConfig::default())
}

/// Training weight of an item: rows of the external datasets (`source` `ext-…`) count `ext`
/// each, every other row 1.
pub fn train_weight(item: &Item, ext: f64) -> f64 {
    if item.source_name().starts_with("ext-") {
        ext
    } else {
        1.0
    }
}

#[derive(Clone, Copy, Default)]
pub struct Rates {
    pub tp: usize,
    pub positives: usize,
    pub fp: usize,
    pub negatives: usize,
}

impl Rates {
    /// Counts one scored text.
    pub fn count(&mut self, injection: bool, flagged: bool) {
        if injection {
            self.positives += 1;
            self.tp += flagged as usize;
        } else {
            self.negatives += 1;
            self.fp += flagged as usize;
        }
    }
    pub fn tpr(&self) -> f64 {
        self.tp as f64 / self.positives.max(1) as f64
    }
    pub fn fpr(&self) -> f64 {
        self.fp as f64 / self.negatives.max(1) as f64
    }
}

impl std::fmt::Display for Rates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "TPR {:.1}% ({}/{}), FPR {:.1}% ({}/{})",
            100.0 * self.tpr(),
            self.tp,
            self.positives,
            100.0 * self.fpr(),
            self.fp,
            self.negatives
        )
    }
}

pub fn rates<'a>(items: impl Iterator<Item = &'a Item>, flagged: impl Fn(&str) -> bool) -> Rates {
    let mut r = Rates::default();
    for i in items {
        r.count(i.injection, flagged(&i.text));
    }
    r
}
