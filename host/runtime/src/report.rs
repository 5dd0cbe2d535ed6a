//! What one run asks for ([`RunRequest`]) and what it produced, judged ([`RunReport`]).

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::capability::{Capability, Phase};
use crate::host::{LogLine, ReportedFinding};
use crate::limits::RunLimits;

/// What the person (CLI/spec) asks for one run.
#[derive(Debug, Clone)]
pub struct RunRequest {
    pub loop_id: String,
    pub run_id: String,
    pub phase: Phase,
    /// The loop spec (or plugin config) as JSON, handed to the plugin verbatim.
    pub config_json: String,
    pub now_unix: i64,
    /// The target repository, if the loop has one.
    pub repo: Option<PathBuf>,
    /// Capabilities the person granted (intersected with the manifest and the phase).
    pub grants: BTreeSet<Capability>,
    pub limits: RunLimits,
    /// The loop's state section as of now.
    pub section: Option<serde_json::Value>,
}

pub use strive_vocab::RunResult;

/// Everything a run produced, judged.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunReport {
    pub run_id: String,
    pub loop_id: String,
    pub result: RunResult,
    pub note: String,
    /// What the plugin claimed, if it returned at all.
    pub claimed: Option<&'static str>,
    /// `Some(reason)` if the run failed: a trap, a limit, a refused load.
    pub failure: Option<String>,
    pub findings: Vec<ReportedFinding>,
    pub citations: Vec<crate::citations::Check>,
    /// Facts of the commits the run read, for its report document (not serialised).
    #[serde(skip)]
    pub commit_facts: std::collections::HashMap<String, crate::commit_facts::CommitFacts>,
    #[serde(skip)]
    pub staged: std::collections::BTreeMap<String, serde_json::Value>,
    pub notes_added: Vec<String>,
    pub log: Vec<LogLine>,
    pub stdout: String,
    pub stderr: String,
    pub host_calls: u64,
    pub fuel_used: u64,
    pub wall_ms: u64,
    /// The audit events, unchained (see [`crate::audit::chain`]).
    #[serde(skip)]
    pub audit: Vec<crate::audit::AuditEvent>,
}

impl RunReport {
    /// The report of a run that ended before the plugin started (paused, unreadable target…):
    /// one audit row saying why, nothing else.
    pub fn skipped(run_id: &str, loop_id: &str, result: RunResult, note: String) -> RunReport {
        RunReport {
            audit: vec![crate::audit::AuditEvent {
                ts_ms: crate::audit::AuditEvent::now_ms(),
                capability: "host",
                function: "run.skip",
                args: format!("loop={loop_id}"),
                decision: format!("{}: {note}", result.as_str()),
                duration_ns: 0,
            }],
            run_id: run_id.to_string(),
            loop_id: loop_id.to_string(),
            result,
            note,
            claimed: None,
            failure: None,
            findings: Vec::new(),
            citations: Vec::new(),
            commit_facts: Default::default(),
            staged: Default::default(),
            notes_added: Vec::new(),
            log: Vec::new(),
            stdout: String::new(),
            stderr: String::new(),
            host_calls: 0,
            fuel_used: 0,
            wall_ms: 0,
        }
    }

    pub fn count(&self, bucket: &str) -> usize {
        self.findings.iter().filter(|f| f.bucket == bucket).count()
    }
}
