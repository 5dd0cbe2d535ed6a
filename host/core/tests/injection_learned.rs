//! The learned second stage (feature `learned`, model files from `scripts/install-deps.sh`):
//! rebuilds the committed head, and measures the whole cascade on what each head was not
//! trained on:
//! - **leave-one-source-out** over the development corpus: per source, the first-stage model is
//!   retrained on the other sources (as in `injection_generalisation`) and the head on the other
//!   sources plus the whole generated set;
//! - **held-out generator families**: per fold, both are trained on the development corpus plus
//!   the other folds.
//!
//! Embeddings are cached in `target/tmp/injection-embeddings.bin` (keyed by a hash of the
//! window text) so a rerun costs seconds; the first run embeds every window (~minutes on
//! 2 cores). Without the model files these tests print why and pass only if
//! `STRIVE_REQUIRE_INJECTION_MODEL` is unset (CI sets it where install-deps ran).

use std::collections::{BTreeMap, HashMap};
use std::io::{Read, Write};
use std::path::PathBuf;

use crate::injection_common::{self, FAMILY_FOLDS, Item, Rates, corpus, family_fold, generated};
use strive_core::injection::cascade::{self, Config, WithHead};
use strive_core::injection::learned::{self, DIM, Doc, Encoder, Head, HeadConfig};
use strive_core::injection::model;

fn key(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn cache_path() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("injection-embeddings.bin")
}

fn load_cache() -> HashMap<u64, Vec<f32>> {
    let mut map = HashMap::new();
    let Ok(mut f) = std::fs::File::open(cache_path()) else {
        return map;
    };
    let mut bytes = Vec::new();
    if f.read_to_end(&mut bytes).is_err() {
        return map;
    }
    for rec in bytes.chunks_exact(8 + 4 * DIM) {
        let k = u64::from_le_bytes(rec[..8].try_into().unwrap());
        let v = rec[8..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes(c.try_into().unwrap()))
            .collect();
        map.insert(k, v);
    }
    map
}

/// The encoder, or why not (and whether a missing model is an error here).
fn encoder() -> Option<Encoder> {
    match Encoder::load(&learned::model_dir()) {
        Ok(e) => Some(e),
        Err(why) => {
            assert!(
                std::env::var_os("STRIVE_REQUIRE_INJECTION_MODEL").is_none(),
                "{why}"
            );
            println!("skipping: {why}");
            None
        }
    }
}

/// Every item with its second-stage windows and their embeddings (cached).
struct Data {
    items: Vec<Item>,
    windows: Vec<Vec<(String, bool)>>,
    cache: HashMap<u64, Vec<f32>>,
}

impl Data {
    fn build(encoder: &Encoder) -> Data {
        let mut items = corpus();
        items.extend(generated());
        let windows: Vec<Vec<(String, bool)>> =
            items.iter().map(|i| cascade::windows(&i.text)).collect();
        let mut cache = load_cache();
        let missing: Vec<&str> = {
            let mut seen = std::collections::HashSet::new();
            windows
                .iter()
                .flatten()
                .map(|w| w.0.as_str())
                .filter(|t| !cache.contains_key(&key(t)) && seen.insert(key(t)))
                .collect()
        };
        if !missing.is_empty() {
            println!("embedding {} windows…", missing.len());
            let mut out = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(cache_path())
                .expect("open the embedding cache");
            for (n, t) in missing.iter().enumerate() {
                let e = encoder.embed(&[t]).expect("embed").remove(0);
                let mut rec = key(t).to_le_bytes().to_vec();
                for v in &e {
                    rec.extend_from_slice(&v.to_le_bytes());
                }
                out.write_all(&rec).expect("write the embedding cache");
                cache.insert(key(t), e);
                if n % 500 == 499 {
                    println!("  {} / {}", n + 1, missing.len());
                }
            }
        }
        Data {
            items,
            windows,
            cache,
        }
    }

    fn embedding(&self, text: &str) -> Option<Vec<f32>> {
        self.cache.get(&key(text)).cloned()
    }

    fn docs(&self, keep: impl Fn(&Item) -> bool) -> Vec<Doc> {
        self.items
            .iter()
            .zip(&self.windows)
            .filter(|(i, _)| keep(i))
            .map(|(i, ws)| Doc {
                windows: ws
                    .iter()
                    .map(|(t, r)| (self.embedding(t).expect("cached"), *r))
                    .collect(),
                injection: i.injection,
            })
            .collect()
    }

    fn head(&self, keep: impl Fn(&Item) -> bool) -> Head {
        learned::train_head(&self.docs(keep), HeadConfig::default())
    }
}

/// The configurations printed side by side; the first is the shipped one.
fn configs() -> Vec<(&'static str, Config)> {
    let d = Config::default();
    let band = Config::decide_band;
    let add = |w| Config {
        add_weight: Some(w),
        ..d
    };
    vec![
        ("shipped: add 0.2 p", d),
        ("add 0.3 p", add(0.3)),
        ("decide [0.05,0.8) p>=0.5", band(0.05, 0.8, 0.5)),
        ("decide [0.3,0.8) p>=0.5", band(0.3, 0.8, 0.5)),
        ("decide [0.3,0.8) p>=0.8", band(0.3, 0.8, 0.8)),
        ("decide [0.3,0.8) p>=0.95", band(0.3, 0.8, 0.95)),
        ("decide [0.4,0.7) p>=0.9", band(0.4, 0.7, 0.9)),
        ("add 0.25 p", add(0.25)),
        ("add 0.45 p", add(0.45)),
    ]
}

struct Verdict<'a> {
    item: &'a Item,
    first: bool,
    cascade: Vec<bool>,
}

fn judge<'a>(
    data: &Data,
    items: impl Iterator<Item = &'a Item>,
    first_model: &model::Model,
    head: &Head,
) -> Vec<Verdict<'a>> {
    let stage = WithHead {
        head,
        embed: |t: &str| data.embedding(t),
    };
    let show = std::env::var_os("INJECTION_SHOW_MISSES").is_some();
    items
        .map(|i| {
            let first = strive_core::injection::scan_with_model(&i.text, first_model).flagged;
            let cascade: Vec<bool> = configs()
                .iter()
                .map(|(_, c)| cascade::scan_with(&i.text, first_model, &stage, *c).flagged)
                .collect();
            if show && cascade[0] != i.injection {
                let r = cascade::scan_with(&i.text, first_model, &stage, Config::default());
                println!(
                    "MISS label={} {}|{}|{} {} {:?}",
                    i.injection as u8,
                    i.source_name(),
                    i.family,
                    i.category,
                    r.cascade.why,
                    i.text.chars().take(160).collect::<String>()
                );
            }
            Verdict {
                item: i,
                first,
                cascade,
            }
        })
        .collect()
}

/// Prints per-group first-stage vs shipped-cascade rates and the pooled rates of every
/// configuration; returns (first stage pooled, per-config cascade pooled).
fn report(
    title: &str,
    verdicts: &[Verdict],
    group: impl Fn(&Item) -> String,
) -> (Rates, Vec<Rates>) {
    println!("{title}");
    let mut table: BTreeMap<String, (Rates, Rates)> = BTreeMap::new();
    let mut first = Rates::default();
    let mut all: Vec<Rates> = configs().iter().map(|_| Rates::default()).collect();
    for v in verdicts {
        let e = table
            .entry(group(v.item))
            .or_insert_with(|| (Rates::default(), Rates::default()));
        e.0.count(v.item.injection, v.first);
        e.1.count(v.item.injection, v.cascade[0]);
        first.count(v.item.injection, v.first);
        for (r, f) in all.iter_mut().zip(&v.cascade) {
            r.count(v.item.injection, *f);
        }
    }
    for (name, (f, c)) in &table {
        println!("  {name:<44} first {f} | cascade {c}");
    }
    println!("  {:<44} first stage alone: {first}", "ALL");
    for ((name, _), r) in configs().iter().zip(&all) {
        println!("  {:<44} cascade [{name}]: {r}", "ALL");
    }
    (first, all)
}

fn loso_report(data: &Data) -> (Rates, Vec<Rates>) {
    let dev: Vec<&Item> = data.items.iter().filter(|i| i.family.is_empty()).collect();
    let mut sources: Vec<&str> = dev.iter().map(|i| i.source_name()).collect();
    sources.sort();
    sources.dedup();
    let mut seen = Vec::new();
    for source in &sources {
        let first =
            injection_common::train(dev.iter().copied().filter(|i| i.source_name() != *source));
        let head = data.head(|i| !i.family.is_empty() || i.source_name() != *source);
        seen.extend(judge(
            data,
            dev.iter().copied().filter(|i| i.source_name() == *source),
            &first,
            &head,
        ));
    }
    report(
        "cascade, leave-one-source-out (both stages retrained without the source):",
        &seen,
        |i| i.source_name().to_owned(),
    )
}

fn families_report(data: &Data) -> (Rates, Vec<Rates>, Rates, Vec<Rates>) {
    let mut seen = Vec::new();
    let generated: Vec<&Item> = data.items.iter().filter(|i| !i.family.is_empty()).collect();
    for fold in 0..FAMILY_FOLDS {
        let keep = |i: &Item| i.family.is_empty() || family_fold(i) != fold;
        let first = injection_common::train(data.items.iter().filter(|i| keep(i)));
        let head = data.head(keep);
        seen.extend(judge(
            data,
            generated.iter().copied().filter(|i| family_fold(i) == fold),
            &first,
            &head,
        ));
    }
    let kind = |i: &Item| if i.injection { "attack" } else { "benign" };
    let (f, c) = report(
        "cascade, held-out generator families (both stages trained on dev + other folds):",
        &seen,
        |i| format!("fold {} {} {}", family_fold(i), kind(i), i.family),
    );
    report("  … by disguise:", &seen, |i| {
        format!(
            "{} {}",
            kind(i),
            i.category.rsplit(':').next().unwrap_or("")
        )
    });
    report("  … by carrier:", &seen, |i| {
        format!("{} {}", kind(i), i.category.split(':').nth(2).unwrap_or(""))
    });
    let fold2: Vec<Verdict> = seen
        .into_iter()
        .filter(|v| family_fold(v.item) == 2)
        .collect();
    let (f2, c2) = report("  … fold 2 only (never read):", &fold2, |i| {
        kind(i).into()
    });
    let _ = (&f, &c);
    (f, c, f2, c2)
}

fn head_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/injection/head.bin")
}

/// `head.bin` is what training on the development corpus + the generated set produces
/// (`STRIVE_WRITE_INJECTION_HEAD=1` rewrites it).
#[test]
fn committed_head_is_reproducible() {
    let Some(enc) = encoder() else { return };
    let data = Data::build(&enc);
    let head = data.head(|_| true);
    let bytes = head.to_bytes();
    if std::env::var_os("STRIVE_WRITE_INJECTION_HEAD").is_some() {
        std::fs::write(head_path(), &bytes).expect("write head.bin");
        println!("wrote {}", head_path().display());
        return;
    }
    // Embeddings (and so the head) vary in their last bits with the CPU's vector units, so
    // "the same head" means the same probabilities on every training window to within 0.01.
    let committed = std::fs::read(head_path()).expect("read head.bin");
    let committed = Head::from_bytes(&committed).expect("head.bin is well-formed");
    let mut worst = 0.0f64;
    for w in data.windows.iter().flatten() {
        let e = data.embedding(&w.0).expect("cached");
        worst = worst.max((committed.probability(&e) - head.probability(&e)).abs());
    }
    assert!(
        worst < 0.01,
        "head.bin differs from a fresh training run by {worst}: run tools/injection-model/train-head.sh"
    );
}

#[test]
fn cascade_held_out() {
    let Some(enc) = encoder() else { return };
    let data = Data::build(&enc);
    let (_, loso) = loso_report(&data);
    let (_, fams, _, _) = families_report(&data);
    let (loso, fams) = (&loso[0], &fams[0]);
    println!("shipped cascade: LOSO {loso}; families {fams}");
    // Floors at what this commit measures (docs/injection.md): above the first stage's recall
    // on both splits, with more false flags — the reason `learned` is off by default.
    assert!(loso.tpr() >= 0.88 && loso.fpr() <= 0.06, "LOSO: {loso}");
    assert!(
        fams.tpr() >= 0.825 && fams.fpr() <= 0.12,
        "families: {fams}"
    );
}
