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

use std::time::{Duration, Instant};

use wasmtime::Store;
use wasmtime_wasi::WasiCtxBuilder;
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;

use crate::bindings::v0_1::{WitPhase, strive::loops::types::RunContext};
use crate::capability::{Phase, Policy};
use crate::caps::{FixContext, FixOutcome};
use crate::engine::{engine, ticks_for};
use crate::host::{CallState, HostState};
use crate::limits::{RunLimits, TotalMemoryLimiter};
use crate::plugin::{Plugin, error_chain};
use crate::verdict::{self, outcome_name};

pub use crate::report::{RunReport, RunRequest, RunResult};

fn wit_phase(p: Phase) -> WitPhase {
    match p {
        Phase::L0 => WitPhase::L0,
        Phase::L1 => WitPhase::L1,
        Phase::L2 => WitPhase::L2,
        Phase::L3 => WitPhase::L3,
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
    execute_observed(plugin, req, fix, None)
}

/// [`execute_with`], with `observer` seeing the run's host calls, decisions and log lines as
/// they happen ([`crate::observe`]). The observer changes nothing about the run.
pub fn execute_observed(
    plugin: &Plugin,
    req: &RunRequest,
    fix: Option<FixContext>,
    observer: Option<crate::observe::Observer>,
) -> (RunReport, Option<FixOutcome>) {
    let started = Instant::now();
    let limits = req.limits.clamped(&plugin.manifest.limits);
    let policy = Policy {
        plugin: plugin.manifest.id.clone(),
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
    calls.observer = observer;
    calls.connectors = crate::caps::connector::Connectors::from_config_json(&req.config_json);
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
        result: RunResult::Error,
        note: String::new(),
        claimed: returned.as_ref().ok().map(|r| outcome_name(r.outcome)),
        failure: failure.clone(),
        findings: std::mem::take(&mut calls.findings),
        citations: Vec::new(),
        commit_facts: std::mem::take(&mut calls.commit_facts),
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
    let (result, note) = match (&returned, failure) {
        (_, Some(reason)) => verdict::judge_failed(fix.as_ref(), &reason),
        (Ok(claim), None) => verdict::judge(
            claim,
            calls.escalation.as_deref(),
            fix.as_ref(),
            req.repo.as_deref(),
            &mut report,
        ),
        (Err(_), None) => unreachable!("an error always has a failure reason"),
    };
    report.result = result;
    let note = if calls.noise_dropped > 0 {
        format!(
            "{note} ({} noise finding(s) past the findings cap were counted, not kept)",
            calls.noise_dropped
        )
    } else {
        note
    };
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
