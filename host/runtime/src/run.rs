//! One run of a plugin, and the host's judgement of it.
//!
//! Guarantees:
//! - A run is bounded: total linear memory, wall time (epoch deadline), CPU (fuel), host calls,
//!   host output, log and stdio volume. Hitting a bound ends the run as `error` with a message
//!   naming the bound; the host process and later runs are unaffected (each run has its own
//!   store and instance).
//! - The plugin has no ambient authority: no preopened directories, empty environment and
//!   arguments, no sockets, stdio captured into the run (capped).
//! - The plugin never declares success. The host derives the result: a report whose citations
//!   include one fabricated SHA or one verification gap (annotated tag, ambiguous prefix,
//!   non-commit) is `error` ("invalid run: …"); citations that cannot be checked make it
//!   `escalated`; otherwise `found` if it has a high or watch finding, else `clean`. Staged state
//!   and findings are returned for commit only for an accepted (`clean`/`found`) run.
//! - Every host call and the run's start and end are in the audit log (see [`crate::audit`]).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use wasmtime::Store;
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

use crate::bindings::v0_1::{Outcome, WitPhase, strive::loops::types::RunContext};
use crate::capability::{Capability, Phase, Policy};
use crate::caps::{self, FixContext, FixOutcome};
use crate::citations::{self, Verdict};
use crate::engine::{engine, ticks_for};
use crate::host::{CallState, HostState, LogLine, ReportedFinding};
use crate::limits::{RunLimits, TotalMemoryLimiter};
use crate::plugin::{Plugin, error_chain};

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

/// The host's verdict on a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunResultKind {
    Clean,
    Found,
    /// assisted-fix: a verified commit on a fresh branch, left for review.
    Proposed,
    /// assisted-fix (L3): the base branch was fast-forwarded to a verified, gated commit.
    Merged,
    Escalated,
    Error,
}

impl RunResultKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RunResultKind::Clean => "clean",
            RunResultKind::Found => "found",
            RunResultKind::Proposed => "proposed",
            RunResultKind::Merged => "merged",
            RunResultKind::Escalated => "escalated",
            RunResultKind::Error => "error",
        }
    }
    /// Accepted runs commit their staged state and findings.
    pub fn accepted(self) -> bool {
        matches!(
            self,
            RunResultKind::Clean
                | RunResultKind::Found
                | RunResultKind::Proposed
                | RunResultKind::Merged
        )
    }
}

/// Everything a run produced, judged.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunReport {
    pub run_id: String,
    pub loop_id: String,
    pub result: RunResultKind,
    pub note: String,
    /// What the plugin claimed, if it returned at all.
    pub claimed: Option<&'static str>,
    /// `Some(reason)` if the run failed: a trap, a limit, a refused load.
    pub failure: Option<String>,
    pub findings: Vec<ReportedFinding>,
    pub citations: Vec<citations::Check>,
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
    pub fn skipped(run_id: &str, loop_id: &str, result: RunResultKind, note: String) -> RunReport {
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

fn wit_phase(p: Phase) -> WitPhase {
    match p {
        Phase::L0 => WitPhase::L0,
        Phase::L1 => WitPhase::L1,
        Phase::L2 => WitPhase::L2,
        Phase::L3 => WitPhase::L3,
    }
}

fn outcome_name(o: Outcome) -> &'static str {
    match o {
        Outcome::Clean => "clean",
        Outcome::Found => "found",
        Outcome::Proposed => "proposed",
        Outcome::Merged => "merged",
        Outcome::Escalated => "escalated",
        Outcome::Error => "error",
    }
}

/// Run `plugin` once under `req` and judge the outcome. Never panics on plugin behaviour.
pub fn execute(plugin: &Plugin, req: &RunRequest) -> RunReport {
    execute_with(plugin, req, None).0
}

/// [`execute`] with an L2/L3 context serving `worktree`, `command`, `maker` and `merge`. The
/// context is finished (worktrees removed, proposal branches kept) before the run is judged,
/// and what it did is returned beside the report.
pub fn execute_with(
    plugin: &Plugin,
    req: &RunRequest,
    fix: Option<FixContext>,
) -> (RunReport, Option<FixOutcome>) {
    let started = Instant::now();
    let limits = req.limits.clamped(&plugin.manifest.limits);
    let policy = Policy {
        phase: req.phase,
        declared: plugin.manifest.capabilities.clone(),
        granted: req.grants.clone(),
    };
    let effective: Vec<&str> = policy.effective().iter().map(|c| c.name()).collect();
    let stdout = MemoryOutputPipe::new(limits.stdio_bytes);
    let stderr = MemoryOutputPipe::new(limits.stdio_bytes);
    let wasi = WasiCtxBuilder::new()
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .build();
    let mut calls = CallState::new(
        policy,
        limits.clone(),
        req.repo.clone(),
        req.section.as_ref(),
    );
    calls.fix = fix.map(Box::new);
    calls.connectors = caps::connector::Connectors::from_config_json(&req.config_json);
    calls.audit_event(
        "run.start",
        format!(
            "plugin={} sha256={} phase={} effective=[{}]",
            plugin.manifest.id,
            plugin.sha256,
            req.phase,
            effective.join(",")
        ),
        "allowed".into(),
    );
    let mut store = Store::new(
        engine(),
        HostState {
            wasi,
            table: wasmtime::component::ResourceTable::new(),
            limiter: TotalMemoryLimiter::new(limits.memory_bytes),
            calls,
        },
    );
    store.limiter(|s| &mut s.limiter);
    store.set_epoch_deadline(ticks_for(limits.wall_ms));
    store.epoch_deadline_trap();
    let _ = store.set_fuel(limits.fuel);

    let ctx = RunContext {
        loop_id: req.loop_id.clone(),
        phase: wit_phase(req.phase),
        config_json: req.config_json.clone(),
        now_unix: req.now_unix,
        run_id: req.run_id.clone(),
    };
    let returned = plugin
        .pre
        .instantiate(&mut store)
        .and_then(|bindings| bindings.call_run(&mut store, &ctx));
    let fuel_used = limits.fuel.saturating_sub(store.get_fuel().unwrap_or(0));
    let state = store.into_data();
    let mut calls = state.calls;
    let fix = calls.fix.take().map(|f| f.finish());
    // Epoch interruption has a tick's granularity and cannot see waits the host cut short: a
    // run that returned past its wall clock is still over it.
    let overran = started.elapsed() >= Duration::from_millis(limits.wall_ms);
    let failure = match &returned {
        Ok(_) if overran => Some(format!(
            "wall-time limit: the plugin ran past its {} deadline",
            humantime(Duration::from_millis(limits.wall_ms))
        )),
        Ok(_) => None,
        Err(e) => Some(explain_trap(
            e,
            &limits,
            &state.limiter,
            &calls,
            &stdout,
            &stderr,
        )),
    };

    let mut report = RunReport {
        run_id: req.run_id.clone(),
        loop_id: req.loop_id.clone(),
        result: RunResultKind::Error,
        note: String::new(),
        claimed: returned.as_ref().ok().map(|r| outcome_name(r.outcome)),
        failure: failure.clone(),
        findings: std::mem::take(&mut calls.findings),
        citations: Vec::new(),
        staged: std::mem::take(&mut calls.staged),
        notes_added: std::mem::take(&mut calls.notes_added),
        log: std::mem::take(&mut calls.log),
        stdout: String::from_utf8_lossy(&stdout.contents()).into_owned(),
        stderr: String::from_utf8_lossy(&stderr.contents()).into_owned(),
        host_calls: calls.host_calls,
        fuel_used,
        wall_ms: 0,
        audit: Vec::new(),
    };
    let (result, note) = match (&returned, failure, &fix) {
        (_, Some(reason), Some(fix)) => caps::judge_failed(fix, &reason),
        (_, Some(reason), None) => (RunResultKind::Error, format!("plugin failed: {reason}")),
        (Ok(claim), None, Some(fix)) => caps::judge(claim, calls.escalation.as_deref(), fix),
        (Ok(claim), None, None) => judge(claim, calls.escalation.as_deref(), req, &mut report),
        (Err(_), None, _) => unreachable!("an error always has a failure reason"),
    };
    report.result = result;
    report.note = cap_note(note);
    if calls.audit_suppressed > 0 {
        calls.audit_event(
            "host-calls.suppressed",
            format!(
                "{} refused calls past the cap not recorded individually",
                calls.audit_suppressed
            ),
            "budget-exceeded".into(),
        );
    }
    report.wall_ms = started.elapsed().as_millis() as u64;
    calls.audit_event(
        "run.end",
        format!(
            "claimed={} host_calls={} fuel={} wall_ms={}",
            report.claimed.unwrap_or("-"),
            report.host_calls,
            report.fuel_used,
            report.wall_ms
        ),
        format!("{}: {}", report.result.as_str(), report.note),
    );
    report.audit = std::mem::take(&mut calls.audit);
    if !report.result.accepted() {
        report.staged.clear();
        report.notes_added.clear();
    }
    (report, fix)
}

/// The most of a run's note the host keeps (it goes to the section, the run log and the audit
/// log); a longer note is cut at a character boundary and says so.
pub const MAX_NOTE_BYTES: usize = 4096;

fn cap_note(note: String) -> String {
    if note.len() <= MAX_NOTE_BYTES {
        return note;
    }
    let mut end = MAX_NOTE_BYTES;
    while !note.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… [note cut: {} bytes]", &note[..end], note.len())
}

/// The host's verdict on a returned claim (see the module docs).
fn judge(
    claim: &crate::bindings::v0_1::strive::loops::types::RunResult,
    escalation: Option<&str>,
    req: &RunRequest,
    report: &mut RunReport,
) -> (RunResultKind, String) {
    if let Some(reason) = escalation {
        return (RunResultKind::Escalated, reason.to_string());
    }
    match claim.outcome {
        Outcome::Error => return (RunResultKind::Error, claim.note.clone()),
        Outcome::Escalated => return (RunResultKind::Escalated, claim.note.clone()),
        Outcome::Proposed | Outcome::Merged => {
            return (
                RunResultKind::Error,
                format!(
                    "invalid run: the plugin claimed `{}` but made no proposal or merge through the host",
                    outcome_name(claim.outcome)
                ),
            );
        }
        Outcome::Clean | Outcome::Found => {}
    }
    // First-seen order, de-duplicated in linear time.
    let mut seen = std::collections::HashSet::new();
    let mut cited: Vec<String> = Vec::new();
    for f in &report.findings {
        for sha in &f.cites {
            if seen.insert(sha.as_str()) {
                cited.push(sha.clone());
            }
        }
    }
    if !cited.is_empty() {
        report.citations = match &req.repo {
            Some(path) => citations::check_at(path, &cited),
            None => cited
                .iter()
                .map(|s| citations::Check {
                    sha: s.clone(),
                    verdict: Verdict::Unverifiable,
                    detail: "the loop has no target repository to check citations against".into(),
                    commit: None,
                })
                .collect(),
        };
    }
    let with = |v: Verdict| -> Vec<&citations::Check> {
        report.citations.iter().filter(|c| c.verdict == v).collect()
    };
    let fabricated = with(Verdict::Fabricated);
    let gaps = with(Verdict::Gap);
    if !fabricated.is_empty() || !gaps.is_empty() {
        let mut parts = Vec::new();
        if !fabricated.is_empty() {
            let shas: Vec<&str> = fabricated.iter().map(|c| c.sha.as_str()).collect();
            parts.push(format!("fabricated SHAs [{}]", shas.join(", ")));
        }
        for g in gaps {
            parts.push(format!("verification gap: {}", g.detail));
        }
        return (
            RunResultKind::Error,
            format!("invalid run: {}", parts.join("; ")),
        );
    }
    let unverifiable = with(Verdict::Unverifiable);
    if let Some(first) = unverifiable.first() {
        return (
            RunResultKind::Escalated,
            format!(
                "could not verify {} cited SHA(s) — escalate, do not treat as clean: {}",
                unverifiable.len(),
                first.detail
            ),
        );
    }
    let actionable = report.count("high") + report.count("watch");
    let kind = if actionable > 0 {
        RunResultKind::Found
    } else {
        RunResultKind::Clean
    };
    let note = if claim.note.trim().is_empty() {
        if actionable > 0 {
            format!("{actionable} finding(s)")
        } else {
            "ok".into()
        }
    } else {
        claim.note.clone()
    };
    (kind, note)
}

/// A clear, bounded explanation of why the run stopped.
fn explain_trap(
    e: &wasmtime::Error,
    limits: &RunLimits,
    limiter: &TotalMemoryLimiter,
    calls: &CallState,
    stdout: &MemoryOutputPipe,
    stderr: &MemoryOutputPipe,
) -> String {
    if let Some(reason) = &calls.trap_reason {
        return reason.clone();
    }
    if let Some(total) = limiter.refused {
        return format!(
            "memory limit: the plugin tried to hold {total} bytes of linear memory (cap {} bytes)",
            limits.memory_bytes
        );
    }
    match e.downcast_ref::<wasmtime::Trap>() {
        Some(wasmtime::Trap::Interrupt) => {
            return format!(
                "wall-time limit: the plugin ran past its {} deadline",
                humantime(Duration::from_millis(limits.wall_ms))
            );
        }
        Some(wasmtime::Trap::OutOfFuel) => {
            return format!("CPU limit: the plugin used all of its {} fuel", limits.fuel);
        }
        Some(wasmtime::Trap::MemoryOutOfBounds) => {
            return "the plugin accessed memory out of bounds (a runaway recursion overflowing its shadow stack ends this way)".into();
        }
        Some(wasmtime::Trap::StackOverflow) => {
            return "stack limit: the plugin overflowed its 1 MiB wasm stack (runaway recursion)"
                .into();
        }
        _ => {}
    }
    let full = |p: &MemoryOutputPipe| p.contents().len() >= limits.stdio_bytes;
    if full(stdout) || full(stderr) {
        return format!(
            "output limit: the plugin wrote more than {} bytes to stdout/stderr and stopped when it was refused",
            limits.stdio_bytes
        );
    }
    let stderr_text = String::from_utf8_lossy(&stderr.contents()).into_owned();
    let panic_line = stderr_text
        .lines()
        .find(|l| l.contains("panicked"))
        .map(str::to_string);
    match panic_line {
        Some(line) => format!("the plugin panicked: {}", line.trim()),
        None => format!("the plugin trapped: {}", error_chain(e)),
    }
}

fn humantime(d: Duration) -> String {
    if d.as_millis().is_multiple_of(1000) {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}
