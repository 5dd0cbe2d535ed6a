//! Scoring the classifier on the committed labelled set
//! (`host/cli/tests/fixtures/triage-labels/`): per-commit metadata, numstat and capped diffs of
//! 345 real commits from three public repositories, with a person's labels. Shared by the
//! `labelled` test (which holds the thresholds) and the `labelled` bench (which prints the
//! table).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use commit_triage::classify::{
    self, Bucket, Category, ChangeStatus, CommitInfo, FileChange, Mentioned, MergeFacts,
};
use serde_json::Value;

/// Labels a person gave: these are HIGH-worthy.
pub const HIGH_LABELS: &[&str] = &["security", "revert", "breaking", "soundness", "fix"];
/// The classes whose recall the issue holds to 90%.
pub const CRITICAL_LABELS: &[&str] = &["security", "revert", "breaking", "soundness"];

pub struct Scored {
    pub source: String,
    pub sha: String,
    pub label: String,
    pub held_out: bool,
    pub reason: String,
    pub predicted: Category,
    pub bucket: Bucket,
    pub reasons: Vec<String>,
}

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../host/cli/tests/fixtures/triage-labels")
}

fn info(c: &Value, window: &HashSet<String>) -> CommitInfo {
    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let files = c["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| FileChange {
            path: s(&f["path"]),
            status: match f["status"].as_str() {
                Some("added") => ChangeStatus::Added,
                Some("deleted") => ChangeStatus::Deleted,
                _ => ChangeStatus::Modified,
            },
            added_lines: f["added"].as_u64().unwrap(),
            deleted_lines: f["deleted"].as_u64().unwrap(),
            binary: f["binary"].as_bool().unwrap(),
        })
        .collect();
    let parents = c["parents"].as_array().unwrap().len() as u32;
    // The plugin's rule: a merge folds when every commit it brings in is in the same report.
    let merge = (parents >= 2).then(|| {
        let brings: Vec<String> = c["merge_brings"]
            .as_array()
            .unwrap()
            .iter()
            .map(s)
            .collect();
        MergeFacts {
            own_paths: c["merge_own_paths"]
                .as_array()
                .unwrap()
                .iter()
                .map(s)
                .collect(),
            branch_in_report: !brings.is_empty() && brings.iter().all(|b| window.contains(b)),
            brings: brings.len(),
        }
    });
    let message = s(&c["message"]);
    // The plugin resolves hex tokens only in messages that mention a revert.
    let mentioned = if message.to_lowercase().contains("revert") {
        c["mentioned"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| Mentioned {
                token: s(&m["token"]),
                sha: s(&m["sha"]),
                subject: s(&m["subject"]),
            })
            .collect()
    } else {
        Vec::new()
    };
    // The plugin reads no diff past its caps; the fixture stored none past the same caps.
    let diff = c["diff"]
        .as_str()
        .map(str::to_string)
        .filter(|d| d.len() <= commit_triage::DIFF_BYTES_CAP);
    CommitInfo {
        message,
        author: s(&c["author"]),
        parent_count: parents,
        files,
        diff,
        mentioned,
        merge,
    }
}

/// Classify every labelled commit.
pub fn score() -> Vec<Scored> {
    let dir = fixtures();
    let labels = std::fs::read_to_string(dir.join("labels.tsv")).unwrap();
    let mut by_sha: HashMap<String, (String, String, bool, String)> = HashMap::new();
    for line in labels
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let cols: Vec<&str> = line.split('\t').collect();
        by_sha.insert(
            cols[1].to_string(),
            (
                cols[0].to_string(),
                cols[2].to_string(),
                cols[3] == "held-out",
                cols[4].to_string(),
            ),
        );
    }
    let mut out = Vec::new();
    for source in ["ripgrep", "smallvec", "yargs"] {
        let text = std::fs::read_to_string(dir.join(format!("{source}.json"))).unwrap();
        let commits: Vec<Value> = serde_json::from_str(&text).unwrap();
        let window: HashSet<String> = commits
            .iter()
            .map(|c| c["sha"].as_str().unwrap().to_string())
            .collect();
        for c in &commits {
            let sha = c["sha"].as_str().unwrap().to_string();
            let (src, label, held_out, reason) =
                by_sha.remove(&sha).expect("every commit is labelled");
            assert_eq!(src, source);
            let got = classify::classify(&info(c, &window));
            out.push(Scored {
                source: src,
                sha,
                label,
                held_out,
                reason,
                predicted: got.category,
                bucket: got.bucket,
                reasons: got.reasons,
            });
        }
    }
    assert!(
        by_sha.is_empty(),
        "labels without commits: {:?}",
        by_sha.keys()
    );
    out
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Metrics {
    pub commits: usize,
    pub predicted_high: usize,
    pub true_high: usize,
    pub labelled_high: usize,
    pub critical: usize,
    pub critical_found: usize,
    pub watch: usize,
    pub noise: usize,
}

impl Metrics {
    pub fn of<'a>(rows: impl Iterator<Item = &'a Scored>) -> Metrics {
        let mut m = Metrics::default();
        for r in rows {
            m.commits += 1;
            let labelled = HIGH_LABELS.contains(&r.label.as_str());
            let critical = CRITICAL_LABELS.contains(&r.label.as_str());
            let high = r.bucket == Bucket::High;
            m.predicted_high += usize::from(high);
            m.true_high += usize::from(high && labelled);
            m.labelled_high += usize::from(labelled);
            m.critical += usize::from(critical);
            m.critical_found += usize::from(critical && high);
            m.watch += usize::from(r.bucket == Bucket::Watch);
            m.noise += usize::from(r.bucket == Bucket::Noise);
        }
        m
    }
    pub fn precision(&self) -> f64 {
        ratio(self.true_high, self.predicted_high)
    }
    pub fn critical_recall(&self) -> f64 {
        ratio(self.critical_found, self.critical)
    }
    pub fn high_recall(&self) -> f64 {
        ratio(self.true_high, self.labelled_high)
    }
    pub fn line(&self, name: &str) -> String {
        format!(
            "{name:<22} {:>4} commits  HIGH precision {:>5.1}% ({}/{})  critical recall {:>5.1}% ({}/{})  all-HIGH recall {:>5.1}% ({}/{})  watch {:>4.1}%  noise {:>4.1}%",
            self.commits,
            100.0 * self.precision(),
            self.true_high,
            self.predicted_high,
            100.0 * self.critical_recall(),
            self.critical_found,
            self.critical,
            100.0 * self.high_recall(),
            self.true_high,
            self.labelled_high,
            100.0 * ratio(self.watch, self.commits),
            100.0 * ratio(self.noise, self.commits),
        )
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// The table the bench prints: development and held-out splits, then each source.
pub fn table(rows: &[Scored]) -> String {
    let mut out = String::new();
    out.push_str(&Metrics::of(rows.iter().filter(|r| !r.held_out)).line("development (tuned on)"));
    out.push('\n');
    out.push_str(&Metrics::of(rows.iter().filter(|r| r.held_out)).line("HELD-OUT (not tuned)"));
    out.push('\n');
    for source in ["ripgrep", "smallvec", "yargs"] {
        out.push_str(
            &Metrics::of(rows.iter().filter(|r| r.source == source))
                .line(&format!("  {source} (all)")),
        );
        out.push('\n');
    }
    out
}
