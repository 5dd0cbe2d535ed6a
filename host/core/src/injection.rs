//! Prompt-injection scan: does this text try to instruct an AI reader?
//!
//! Guarantees:
//! - **Says why.** A [`Report`] carries a score in `0..=1`, the calibrated [`THRESHOLD`], and
//!   every contributing signal with its weight, its byte span in the *original* text and up to
//!   80 characters of evidence quoted from it (plus the decoded text when the evidence was
//!   encoded).
//! - **Normalises first.** NFKC, homoglyphs, invisible characters, leetspeak and spaced-out
//!   letters are folded before any rule runs ([`normalise`]); base64, hex, `\u`/`%` escapes,
//!   binary, Morse, Ascii85, ROT13 and reversed text are decoded and rescanned ([`decode`]),
//!   at most [`MAX_DECODE_DEPTH`] levels deep and with a decoded-size budget proportional to the
//!   input, so decoding always terminates.
//! - **Addressed instructions, not imperatives.** Signals fire on text that addresses an AI
//!   reader and tries to change its task, role or output or make it act (override earlier
//!   instructions, spoof roles or delimiters, switch persona, lift restrictions, reveal
//!   secrets, exfiltrate, call tools, hijack the answer, paste code into it). Imperative prose
//!   for people — commit messages, READMEs, contributor and agent docs, system prompts — is not
//!   evidence by itself ([`signals`]).
//! - **Embedded text counts.** Rules and the model look at sentence windows, so an injection
//!   inside a long e-mail, document or tool output scores like a standalone one, and a
//!   directive embedded in other content earns an extra `embedded-directive` signal.
//! - **Never model-only for the obvious.** A small learned model ([`model`]) adds a probability
//!   as one more signal; the well-known attack forms are rules that flag on their own.
//! - **Fast on ordinary text.** One Aho-Corasick pass finds trigger words; text without them is
//!   not examined further, and ASCII text is normalised in place.
//!
//! Scoring: each signal id contributes its strongest weight `w`; the score is the noisy-OR
//! `1 - Π(1 - w)`. `flagged` iff `score >= THRESHOLD`. `severity` keeps the earlier tool's
//! field: `high` iff flagged, `medium` from 0.3, `low` from 0.1, else `none`.

pub mod addressed;
pub mod cascade;
pub mod decode;
pub mod harmful;
pub mod learned;
pub mod model;
pub mod normalise;
pub mod signals;
pub mod spotlight;

use serde::Serialize;

/// Decision threshold on the combined score (calibrated on the labelled corpus; see
/// `docs/injection.md`).
pub const THRESHOLD: f64 = 0.5;
/// Decoded blobs are rescanned at most this many levels deep.
pub const MAX_DECODE_DEPTH: usize = 3;
/// Texts up to this size are examined as one window by the rules (windows only split longer
/// texts).
const WHOLE_TEXT_RULES: usize = 2048;
/// The model's probability is shrunk by this factor before it joins the score: below 0.5 it
/// never flags alone, only tips texts that carry rule evidence too. Chosen on the held-out
/// splits (docs/injection.md): 0.55 flagged BIPIA's benign e-mails from the model alone under
/// leave-one-source-out (88.0% / 2.9%); 0.45 gives 87.2% / 0.2% there and 87.4% / 0.2% on the
/// generator families; 0.35 loses recall (86.1%, 77.7%) for no fewer false flags. Since the
/// model also learns the held-back authors' sets (round 9) it is 0.4: at 0.45 that model tips
/// short role lines (*system: ok*) and URL-encoded queries over the threshold with a weak rule,
/// at 0.4 it tips none and leave-one-author-out recall is within a point.
pub const MODEL_WEIGHT: f64 = 0.4;
/// Evidence quotes are cut to this many characters.
const EVIDENCE_CHARS: usize = 80;

/// How bad it is; `High` iff the text is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    None,
    Low,
    Medium,
    High,
}

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    /// Stable rule id, e.g. `instruction-override`, `output-hijack`, `model`.
    pub id: &'static str,
    /// Contribution to the noisy-OR score (`0..1`).
    pub weight: f64,
    /// Up to 80 characters of the original text at `span`.
    pub evidence: String,
    /// Byte range `[start, end)` in the original text.
    pub span: [usize; 2],
    /// When the evidence sits inside an encoded blob: its encoding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<&'static str>,
    /// When the evidence sits inside an encoded blob: the decoded text (up to 80 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decoded: Option<String>,
}

/// The verdict on one text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub flagged: bool,
    /// The deciding stage's score: the first stage's noisy-OR, or the second stage's highest
    /// window probability when it decided (see [`Cascade`]).
    pub score: f64,
    /// The deciding stage's threshold (`flagged` iff `score >= threshold`).
    pub threshold: f64,
    pub severity: Severity,
    pub signals: Vec<Signal>,
    /// Which stage decided and why.
    pub cascade: Cascade,
}

/// Which stage of the cascade decided a [`Report`], and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cascade {
    /// `first` (rules + linear model) or `second` (the learned encoder stage).
    pub decided_by: &'static str,
    /// What the second stage did: `off` (not asked for), `not-needed` (the first stage was
    /// decisive or found nothing suspicious), `decided`, or `unavailable` (model missing or
    /// failed; the first stage decided with its unsure band counted as flagged).
    pub second_stage: &'static str,
    /// The first stage's own score.
    pub first_score: f64,
    /// The second stage's highest window probability, when it ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Windows the second stage examined.
    pub windows: usize,
    /// One sentence: why this stage decided.
    pub why: String,
}

impl Cascade {
    fn first_only(first_score: f64) -> Cascade {
        Cascade {
            decided_by: "first",
            second_stage: "off",
            first_score,
            probability: None,
            windows: 0,
            why: "first stage only".into(),
        }
    }
}

/// A signal before evidence is quoted: spans in the coordinates of the scanned text.
#[derive(Debug, Clone)]
struct Hit {
    id: &'static str,
    weight: f64,
    start: usize,
    end: usize,
    encoding: Option<&'static str>,
    decoded: Option<String>,
}

/// Ids of signals that are instructions aimed at the reader (used for the embedding bonus).
const DIRECTIVE_IDS: &[&str] = &[
    "addressed-ask",
    "skip-confirmation",
    "mass-send",
    "instruction-override",
    "new-instructions",
    "output-hijack",
    "secret-request",
    "private-data-request",
    "tool-directive",
    "ai-addressed",
    "ai-vocative",
    "foreign-directive",
    "code-injection",
    "decode-and-follow",
    "exfiltration",
    "act-before-answering",
    "restriction-lift",
    "embedded-request",
];

/// Scan one text: the first stage (rules + linear model), then the learned second stage
/// where the first was not decisive (see [`cascade`]).
pub fn scan(text: &str) -> Report {
    cascade::scan(text)
}

/// The first stage alone (rules + the shipped linear model).
pub fn scan_first_stage(text: &str) -> Report {
    scan_with_model(text, model::shipped())
}

/// Scan one text with another model (used to measure held-out accuracy of retrained models).
pub fn scan_with_model(text: &str, model: &model::Model) -> Report {
    let hits = collect(text, 0, model);
    report(text, hits)
}

/// The windows (normalised text) the model sees for `text`, each with whether a rule fires in
/// it: used by training so that the model learns from exactly what the scanner examines.
pub fn model_windows(text: &str) -> Vec<model::Window> {
    let n = normalise::normalise(text);
    signals::windows(&n.text)
        .into_iter()
        .map(|(s, e)| {
            let mut hits = Vec::new();
            signals::rule_hits(&n.text, s, e, &mut hits);
            model::Window {
                text: n.text[s..e].to_owned(),
                rule_hit: !hits.is_empty(),
            }
        })
        .collect()
}

fn collect(text: &str, depth: usize, model: &model::Model) -> Vec<Hit> {
    let n = normalise::normalise(text);
    let triggers = signals::find_triggers(&n.text);
    let windows = triggers.windows;
    let mut hits = Vec::new();

    if !windows.is_empty() {
        let mut rule_hits = Vec::new();
        if n.text.len() <= WHOLE_TEXT_RULES {
            signals::rule_hits(&n.text, 0, n.text.len(), &mut rule_hits);
        } else {
            for &(s, e) in &windows {
                signals::rule_hits(&n.text, s, e, &mut rule_hits);
            }
        }
        for h in rule_hits {
            let (s, e) = n.origin_range(h.start, h.end);
            let (s, e) = snap(text, s, e);
            if depth == 0 && is_audience_line(&n.text[h.start..h.end], s) {
                continue;
            }
            if is_obfuscated(&text[s..e], &n.text[h.start..h.end]) {
                hits.push(hit("obfuscated-text", 0.35, s, e));
            }
            hits.push(hit(h.id, h.weight, s, e));
        }

        let best = windows
            .iter()
            .map(|&(s, e)| (model.probability(&n.text[s..e]), s, e))
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((p, s, e)) = best
            && p * MODEL_WEIGHT >= 0.05
        {
            let (s, e) = n.origin_range(s, e);
            let (s, e) = snap(text, s, e);
            let (s, e) = trim_span(text, s, e);
            hits.push(hit("model", round3(p * MODEL_WEIGHT), s, e));
        }
    }

    if n.hidden_chars > 0
        && let Some((at, c)) = text
            .char_indices()
            .find(|&(_, c)| normalise::is_hidden_char(c))
    {
        let weight = if n.hidden_chars >= 3 { 0.35 } else { 0.2 };
        hits.push(hit("hidden-text", weight, at, at + c.len_utf8()));
    }

    if depth < MAX_DECODE_DEPTH {
        let budget = text.len().max(4096);
        let mut blobs = decode::decode_blobs(text, budget);
        for mut d in decode::decode_encoded_lines(&n.text, &triggers.encoded, budget) {
            let (s, e) = n.origin_range(d.start, d.end);
            (d.start, d.end) = snap(text, s, e);
            blobs.push(d);
        }
        for blob in blobs {
            let inner: Vec<Hit> = collect(&blob.text, depth + 1, model)
                .into_iter()
                .filter(|h| h.weight >= 0.2)
                .collect();
            if inner.is_empty() {
                continue;
            }
            hits.push(Hit {
                encoding: Some(blob.kind),
                decoded: Some(excerpt(&blob.text)),
                ..hit("encoded-payload", 0.3, blob.start, blob.end)
            });
            for h in inner {
                let decoded = h.decoded.clone().unwrap_or_else(|| {
                    let (s, e) = snap(&blob.text, h.start, h.end);
                    excerpt(&blob.text[s..e])
                });
                hits.push(Hit {
                    encoding: Some(h.encoding.unwrap_or(blob.kind)),
                    decoded: Some(decoded),
                    ..hit(h.id, h.weight, blob.start, blob.end)
                });
            }
        }
    }

    if depth == 0 {
        add_request_lines(text, &n, &mut hits);
        add_embedding_bonus(text, &mut hits);
    }
    hits
}

/// How far into a document its audience line may sit ("# AGENTS.md\n\nInstructions for AI
/// coding agents working on …").
const AUDIENCE_HEAD_BYTES: usize = 300;

/// An `ai-addressed` match that declares a document's audience at its head — instructions,
/// guidelines or rules *for* AI agents — is what an agent-instruction file (AGENTS.md,
/// CLAUDE.md, contributor rules for bots) is, not data hailing its reader mid-way. Its
/// directives still count through every other rule.
fn is_audience_line(matched: &str, start: usize) -> bool {
    start < AUDIENCE_HEAD_BYTES
        && [
            "instructions for",
            "instruction for",
            "guidelines for",
            "rules for",
        ]
        .iter()
        .any(|p| matched.starts_with(p))
}

/// A self-contained request line ("Recommend a good book.") inside a document of other content
/// is a task injected into data; on its own it is an ordinary user request and not evidence.
fn add_request_lines(text: &str, n: &normalise::Normalised, hits: &mut Vec<Hit>) {
    if !text.trim().contains('\n') {
        return;
    }
    for (s, e) in signals::request_lines(&n.text) {
        let (s, e) = n.origin_range(s, e);
        let (s, e) = snap(text, s, e);
        let starts_sentence = text[s..].chars().next().is_some_and(char::is_uppercase);
        if starts_sentence && text.len() >= 3 * (e - s) + 150 {
            hits.push(hit("embedded-request", 0.3, s, e));
            return;
        }
    }
}

/// A directive that sits inside a larger document (an e-mail, a page, tool output) is more
/// suspicious than the same words on their own: text meant as data should not instruct.
fn add_embedding_bonus(text: &str, hits: &mut Vec<Hit>) {
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    if lines < 3 && text.len() < 300 {
        return;
    }
    let directive = hits
        .iter()
        .filter(|h| DIRECTIVE_IDS.contains(&h.id) && h.encoding.is_none())
        .max_by(|a, b| a.weight.total_cmp(&b.weight));
    if let Some(d) = directive
        && (d.end - d.start) * 3 < text.len()
    {
        let (s, e) = (d.start, d.end);
        hits.push(hit("embedded-directive", 0.3, s, e));
    }
}

fn hit(id: &'static str, weight: f64, start: usize, end: usize) -> Hit {
    Hit {
        id,
        weight,
        start,
        end,
        encoding: None,
        decoded: None,
    }
}

fn report(text: &str, hits: Vec<Hit>) -> Report {
    // Strongest hit per id, in order of first appearance.
    let mut best: Vec<Hit> = Vec::new();
    for h in hits {
        match best.iter_mut().find(|b| b.id == h.id) {
            Some(b) if h.weight > b.weight => *b = h,
            Some(_) => {}
            None => best.push(h),
        }
    }
    let score = round3(1.0 - best.iter().map(|h| 1.0 - h.weight).product::<f64>());
    let flagged = score >= THRESHOLD;
    let severity = if flagged {
        Severity::High
    } else if score >= 0.3 {
        Severity::Medium
    } else if score >= 0.1 {
        Severity::Low
    } else {
        Severity::None
    };
    best.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.start.cmp(&b.start)));
    let signals = best
        .into_iter()
        .map(|h| {
            let (s, e) = snap(text, h.start, h.end);
            Signal {
                id: h.id,
                weight: h.weight,
                evidence: excerpt(&text[s..e]),
                span: [s, e],
                encoding: h.encoding,
                decoded: h.decoded,
            }
        })
        .collect();
    Report {
        flagged,
        score,
        threshold: THRESHOLD,
        severity,
        signals,
        cascade: Cascade::first_only(score),
    }
}

fn severity_of(score: f64, flagged: bool) -> Severity {
    if flagged {
        Severity::High
    } else if score >= 0.3 {
        Severity::Medium
    } else if score >= 0.1 {
        Severity::Low
    } else {
        Severity::None
    }
}

/// Did normalisation change these words beyond case and spacing (leetspeak, homoglyphs,
/// spaced-out letters, invisible characters)?
fn is_obfuscated(original: &str, normalised: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    squash(original) != squash(normalised) || {
        // Letter-by-letter spacing keeps the letters but not the word shape.
        let words = |s: &str| s.split_whitespace().count();
        words(original) > words(normalised) + 2
    }
}

/// Clamp a byte range to `text` and widen it to character boundaries.
fn snap(text: &str, start: usize, end: usize) -> (usize, usize) {
    let mut s = start.min(text.len());
    let mut e = end.clamp(s, text.len());
    while !text.is_char_boundary(s) {
        s -= 1;
    }
    while !text.is_char_boundary(e) {
        e += 1;
    }
    (s, e)
}

/// Shrink a span to its non-whitespace content.
fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail >= slice.len() {
        return (start, end);
    }
    (start + lead, end - trail)
}

/// Up to [`EVIDENCE_CHARS`] characters, with runs of whitespace shown as one space.
fn excerpt(s: &str) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut last_space = false;
    for c in s.chars() {
        let c = if c.is_whitespace() { ' ' } else { c };
        if c == ' ' && last_space {
            continue;
        }
        last_space = c == ' ';
        out.push(c);
        count += 1;
        if count == EVIDENCE_CHARS {
            break;
        }
    }
    out.trim().to_owned()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
