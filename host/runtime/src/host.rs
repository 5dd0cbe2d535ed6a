//! The host side of every `strive:loops` interface, behind one gate.
//!
//! Guarantees: every host call goes through [`HostState::gate`], which (1) counts it against the
//! run's host-call cap — past the cap calls are refused with `budget-exceeded`, past twice the
//! cap the run traps as a flood; (2) asks the [`Policy`] (declared ∩ granted ∩ phase) and
//! refuses with `denied` otherwise; (3) records the call, its decision and duration for the
//! audit log. The L2/L3 interfaces (worktree, command, maker, merge) are gated the same way
//! and served by [`crate::caps`] when the run has a fix context, `failed` otherwise; `connector`
//! is served from the spec's `connectors` ([`crate::caps::connector`]). State writes and findings are staged here and committed by [`crate::run`] only for
//! an accepted run.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use git2::Repository;
use serde_json::Value;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::audit::AuditEvent;
use crate::bindings::v0_1::HostError;
use crate::bindings::v0_1::strive::loops as wit;
use crate::capability::{Capability, Policy};
use crate::caps;
use crate::citations;
use crate::gitread;
use crate::gitread::bounded::GitReader;
use crate::limits::{RunLimits, TotalMemoryLimiter};
use crate::state_keys::HostKey;

const MAX_LOG_LINE: usize = 4096;
const MAX_ARGS_SUMMARY: usize = 160;
/// A chat turn's audit row names every tool call the model asked for (and any withheld
/// result), so it may be longer.
const MAX_CHAT_SUMMARY: usize = 2048;
/// Per finding: at most this many cited SHAs, each at most [`MAX_CITE_BYTES`] (a SHA-256 in
/// hex is 64), and this many paths, each at most [`MAX_PATH_BYTES`].
pub const MAX_CITES_PER_FINDING: usize = 64;
pub const MAX_CITE_BYTES: usize = 64;
pub const MAX_PATHS_PER_FINDING: usize = 256;
pub const MAX_PATH_BYTES: usize = 4096;
/// Bytes of findings (title, detail, cites, paths) one run may report in all, so the host's
/// memory for a report is bounded whatever the guest's.
pub const MAX_REPORT_BYTES: u64 = 16 << 20;
/// Rows kept individually past the host-call cap before they are only counted.
const AUDIT_ROWS_PAST_CAP: u64 = 100;

/// A log line from the plugin (the `log` interface).
#[derive(Debug, Clone, serde::Serialize)]
pub struct LogLine {
    pub level: &'static str,
    pub message: String,
}

/// A finding as the plugin reported it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ReportedFinding {
    pub bucket: &'static str,
    pub title: String,
    pub detail: String,
    pub cites: Vec<String>,
    pub paths: Vec<String>,
}

/// Everything host calls read and stage during one run.
pub struct CallState {
    pub policy: Policy,
    pub limits: RunLimits,
    pub repo_path: Option<PathBuf>,
    git: Option<GitReader>,
    /// The loop's section as of the start of the run.
    section: serde_json::Map<String, Value>,
    pub staged: BTreeMap<String, Value>,
    staged_bytes: u64,
    pub notes_added: Vec<String>,
    pub findings: Vec<ReportedFinding>,
    /// Facts of the commits this run's `git.log`/`git.log-page` calls read with their changes,
    /// for the report document (at most [`MAX_KNOWN_COMMITS`]; the rest are read again).
    pub commit_facts: std::collections::HashMap<String, crate::commit_facts::CommitFacts>,
    pub escalation: Option<String>,
    pub log: Vec<LogLine>,
    log_bytes: u64,
    pub log_dropped: u64,
    pub host_calls: u64,
    output_bytes: u64,
    pub audit: Vec<AuditEvent>,
    pub audit_suppressed: u64,
    /// Why the host ended the run (a flood), if it did.
    pub trap_reason: Option<String>,
    /// The L2/L3 context (worktrees, maker, ledger, merge gate) of an assisted run.
    pub fix: Option<Box<caps::FixContext>>,
    /// When the run's wall clock ends (set from [`RunLimits::wall_ms`] when the run starts).
    /// Host calls are refused past it and long host work (git walks) checks it as it goes;
    /// a host call that ends past it stops the run with the wall-time reason.
    pub deadline: Instant,
    /// Bytes of high and watch findings reported so far (capped at [`MAX_REPORT_BYTES`]).
    pub report_bytes: u64,
    /// Noise findings kept, their bytes (capped apart, like the count), and how many past
    /// those caps were counted but not kept.
    pub noise_findings: u64,
    noise_report_bytes: u64,
    pub noise_dropped: u64,
    /// The spec's MCP connectors (opened on first use, closed when the run ends).
    pub connectors: caps::connector::Connectors,
    /// The plugin's working transcript (`context`), for this run only.
    pub transcript: caps::context::Transcript,
    /// Who watches the run live (the CLI's `-v` and progress); sees audit rows and log lines.
    pub observer: Option<crate::observe::Observer>,
}

/// Commits whose report facts one run keeps from its own git reads.
pub const MAX_KNOWN_COMMITS: usize = 100_000;

impl CallState {
    /// Keep the report facts of commits a git call just read with their changes.
    fn remember_facts<'a>(&mut self, commits: impl Iterator<Item = &'a wit::git::Commit>) {
        for commit in commits {
            if self.commit_facts.len() >= MAX_KNOWN_COMMITS {
                return;
            }
            self.commit_facts
                .entry(commit.sha.clone())
                .or_insert_with(|| crate::commit_facts::CommitFacts::of(commit));
        }
    }

    pub fn new(
        policy: Policy,
        limits: RunLimits,
        repo_path: Option<PathBuf>,
        section: Option<&Value>,
    ) -> Self {
        let section = match section {
            Some(Value::Object(map)) => map.clone(),
            _ => serde_json::Map::new(),
        };
        CallState {
            policy,
            repo_path,
            git: None,
            section,
            staged: BTreeMap::new(),
            staged_bytes: 0,
            notes_added: Vec::new(),
            findings: Vec::new(),
            commit_facts: std::collections::HashMap::new(),
            escalation: None,
            log: Vec::new(),
            log_bytes: 0,
            log_dropped: 0,
            host_calls: 0,
            output_bytes: 0,
            audit: Vec::new(),
            audit_suppressed: 0,
            trap_reason: None,
            fix: None,
            deadline: Instant::now() + std::time::Duration::from_millis(limits.wall_ms),
            report_bytes: 0,
            noise_findings: 0,
            noise_report_bytes: 0,
            noise_dropped: 0,
            connectors: caps::connector::Connectors::new(Vec::new(), Default::default()),
            transcript: Default::default(),
            observer: None,
            limits,
        }
    }

    /// Run a read of the target repository on the run's git reader, bounded by the run's
    /// deadline (see [`gitread::bounded`]).
    fn git<T: Send + 'static>(
        &mut self,
        read: impl FnOnce(&Repository) -> Result<T, HostError> + Send + 'static,
    ) -> Result<T, HostError> {
        let deadline = self.deadline;
        if self.git.is_none() {
            let path = self.repo_path.as_ref().ok_or_else(|| {
                HostError::Failed("this loop has no target repository (set target.repo)".into())
            })?;
            self.git = Some(GitReader::open(path, deadline)?);
        }
        self.git.as_mut().expect("just opened").read(deadline, read)
    }

    /// Every note of this loop, oldest first, including notes staged in this run.
    fn all_notes(&self) -> Vec<String> {
        let mut notes: Vec<String> = match self.section.get("notes") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        notes.extend(self.notes_added.iter().cloned());
        notes
    }

    fn charge_output(&mut self, bytes: u64) -> Result<(), HostError> {
        charge(
            "output-bytes",
            &mut self.output_bytes,
            self.limits.output_bytes,
            bytes,
        )
    }

    /// Appends the maker's own tool calls (an agent CLI's hook spool, already escaped and
    /// capped) to the audit log, one row each, after the maker call's own row.
    pub fn fold_maker_tool_calls(&mut self) {
        let Some(fix) = self.fix.as_mut() else { return };
        let rows = std::mem::take(&mut fix.tool_rows);
        for row in rows {
            crate::observe::emit(
                self.observer.as_ref(),
                &crate::observe::Event::Decision {
                    capability: Capability::Maker.name(),
                    function: "agent-cli.tool",
                    args: &row.args,
                    decision: &row.decision,
                },
            );
            self.audit.push(AuditEvent {
                ts_ms: AuditEvent::now_ms(),
                capability: Capability::Maker.name(),
                function: "agent-cli.tool",
                args: row.args,
                decision: row.decision,
                duration_ns: 0,
            });
        }
    }

    /// Record a host-level event (run start/end) in the audit log.
    pub fn audit_event(&mut self, function: &'static str, args: String, decision: String) {
        crate::observe::emit(
            self.observer.as_ref(),
            &crate::observe::Event::Decision {
                capability: "host",
                function,
                args: &args,
                decision: &decision,
            },
        );
        self.audit.push(AuditEvent {
            ts_ms: AuditEvent::now_ms(),
            capability: "host",
            function,
            args,
            decision,
            duration_ns: 0,
        });
    }
}

/// Add `amount` to `spent` unless that passes `cap` (then a budget refusal, nothing added).
/// What `add-finding` returns for a noise finding past its caps (counted, not kept).
const NOT_KEPT: u32 = u32::MAX;

fn charge(axis: &str, spent: &mut u64, cap: u64, amount: u64) -> Result<(), HostError> {
    if *spent + amount > cap {
        return Err(budget(axis, cap, *spent, amount));
    }
    *spent += amount;
    Ok(())
}

fn budget(axis: &str, cap: u64, spent: u64, requested: u64) -> HostError {
    HostError::BudgetExceeded(wit::types::BudgetRefusal {
        axis: axis.into(),
        cap,
        spent,
        requested,
    })
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// One-line description of a host error for audit rows and messages.
pub fn describe(e: &HostError) -> String {
    match e {
        HostError::Denied(d) => format!("denied: {}: {}", d.capability, d.reason),
        HostError::BudgetExceeded(b) => format!(
            "budget-exceeded: {} cap {} spent {} requested {}",
            b.axis, b.cap, b.spent, b.requested
        ),
        HostError::Blocked(g) => match &g.alternative {
            Some(alt) => format!("blocked: {}: {} (instead: {alt})", g.rule, g.reason),
            None => format!("blocked: {}: {}", g.rule, g.reason),
        },
        HostError::Invalid(m) => format!("invalid: {m}"),
        HostError::Failed(m) => format!("failed: {m}"),
    }
}

/// Stop the run: its wall clock ran out before or during a host call (epoch interruption only
/// stops wasm code, so the host checks its own work against the same deadline).
fn wall_time_trap(
    calls: &mut CallState,
    cap: Capability,
    function: &'static str,
    when: &str,
    detail: Option<&str>,
) -> wasmtime::Error {
    let mut reason = format!(
        "wall-time limit: the run's {} ms deadline passed {when} host call {}.{function}",
        calls.limits.wall_ms,
        cap.name()
    );
    if let Some(detail) = detail {
        reason = format!("{reason}: {detail}");
    }
    calls.trap_reason.get_or_insert_with(|| reason.clone());
    calls.audit.push(AuditEvent {
        ts_ms: AuditEvent::now_ms(),
        capability: cap.name(),
        function,
        args: String::new(),
        decision: format!("trap: {reason}"),
        duration_ns: 0,
    });
    wasmtime::Error::msg(reason)
}

/// The store data of one run.
pub struct HostState {
    pub wasi: WasiCtx,
    pub table: ResourceTable,
    pub limiter: TotalMemoryLimiter,
    pub calls: CallState,
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

type HostResult<T> = wasmtime::Result<Result<T, HostError>>;

impl HostState {
    /// The single gate every host call passes (see the module docs).
    fn gate<T>(
        &mut self,
        cap: Capability,
        function: &'static str,
        args: impl FnOnce() -> String,
        body: impl FnOnce(&mut CallState) -> Result<T, HostError>,
    ) -> HostResult<T> {
        self.gate_sized(cap, function, MAX_ARGS_SUMMARY, args, body)
    }

    /// [`HostState::gate`] with an audit summary of up to `max_args` bytes. `args` is read
    /// after `body` ran, so a call may describe what it did.
    fn gate_sized<T>(
        &mut self,
        cap: Capability,
        function: &'static str,
        max_args: usize,
        args: impl FnOnce() -> String,
        body: impl FnOnce(&mut CallState) -> Result<T, HostError>,
    ) -> HostResult<T> {
        let start = Instant::now();
        let calls = &mut self.calls;
        calls.host_calls += 1;
        let cap_calls = calls.limits.host_calls;
        if calls.host_calls > cap_calls.saturating_mul(2) {
            let reason = format!(
                "host-call flood: {} calls, past twice the cap of {cap_calls}; the run was stopped",
                calls.host_calls
            );
            calls.trap_reason = Some(reason.clone());
            calls.audit.push(AuditEvent {
                ts_ms: AuditEvent::now_ms(),
                capability: cap.name(),
                function,
                args: String::new(),
                decision: format!("trap: {reason}"),
                duration_ns: 0,
            });
            return Err(wasmtime::Error::msg(reason));
        }
        if Instant::now() >= calls.deadline {
            return Err(wall_time_trap(calls, cap, function, "before", None));
        }
        crate::observe::emit(
            calls.observer.as_ref(),
            &crate::observe::Event::Stage(crate::observe::Stage::Call {
                capability: cap.name(),
                function,
            }),
        );
        let result = if calls.host_calls > cap_calls {
            Err(budget("host-calls", cap_calls, calls.host_calls - 1, 1))
        } else {
            match calls.policy.check(cap) {
                Err(refusal) => Err(HostError::Denied(wit::types::Denial {
                    capability: refusal.capability.name().into(),
                    reason: refusal.reason,
                })),
                Ok(()) => body(calls),
            }
        };
        if calls.host_calls > cap_calls + AUDIT_ROWS_PAST_CAP {
            calls.audit_suppressed += 1;
        } else {
            let decision = match &result {
                Ok(_) => "allowed".to_string(),
                Err(e) => describe(e),
            };
            let args = truncate(&args(), max_args);
            crate::observe::emit(
                calls.observer.as_ref(),
                &crate::observe::Event::Decision {
                    capability: cap.name(),
                    function,
                    args: &args,
                    decision: &decision,
                },
            );
            calls.audit.push(AuditEvent {
                ts_ms: AuditEvent::now_ms(),
                capability: cap.name(),
                function,
                args,
                decision,
                duration_ns: start.elapsed().as_nanos() as u64,
            });
        }
        if Instant::now() >= calls.deadline {
            // Say what the call itself found, if anything (a hung git read names the repository).
            let detail = match &result {
                Err(HostError::Failed(why)) => Some(why.as_str()),
                _ => None,
            };
            return Err(wall_time_trap(calls, cap, function, "during", detail));
        }
        Ok(result)
    }
}

impl wit::types::Host for HostState {}

impl wit::log::Host for HostState {
    fn emit(&mut self, level: wit::log::Level, message: String) -> HostResult<()> {
        let len = message.len();
        self.gate(
            Capability::Log,
            "emit",
            || format!("{len} bytes"),
            |c| {
                let line = truncate(&message, MAX_LOG_LINE);
                if c.log.len() as u64 >= c.limits.log_lines
                    || c.log_bytes + line.len() as u64 > c.limits.log_bytes
                {
                    c.log_dropped += 1;
                    return Err(budget(
                        "log-bytes",
                        c.limits.log_bytes,
                        c.log_bytes,
                        line.len() as u64,
                    ));
                }
                c.log_bytes += line.len() as u64;
                let level = match level {
                    wit::log::Level::Trace => "trace",
                    wit::log::Level::Debug => "debug",
                    wit::log::Level::Info => "info",
                    wit::log::Level::Warn => "warn",
                    wit::log::Level::Error => "error",
                };
                crate::observe::emit(
                    c.observer.as_ref(),
                    &crate::observe::Event::Log {
                        level,
                        message: &line,
                    },
                );
                c.log.push(LogLine {
                    level,
                    message: line,
                });
                Ok(())
            },
        )
    }
}

impl wit::state::Host for HostState {
    fn get(&mut self, key: String) -> HostResult<Option<String>> {
        let summary = truncate(&key, 64);
        self.gate(
            Capability::State,
            "get",
            || format!("key={summary}"),
            |c| {
                if key == "notes" {
                    return Err(HostError::Invalid("read notes with state.notes()".into()));
                }
                let value = c.staged.get(&key).or_else(|| c.section.get(&key));
                let text = value.map(Value::to_string);
                c.charge_output(text.as_ref().map_or(0, |t| t.len() as u64))?;
                Ok(text)
            },
        )
    }

    fn set(&mut self, key: String, value_json: String) -> HostResult<()> {
        let summary = format!("key={} ({} bytes)", truncate(&key, 64), value_json.len());
        self.gate(
            Capability::State,
            "set",
            || summary,
            |c| {
                if HostKey::parse(&key).is_some() || key.is_empty() {
                    return Err(HostError::Invalid(format!(
                        "state key {key:?} is reserved for the host (reserved: {})",
                        HostKey::names()
                    )));
                }
                let value: Value = serde_json::from_str(&value_json).map_err(|e| {
                    HostError::Invalid(format!("value of {key:?} is not JSON: {e}"))
                })?;
                let size = (key.len() + value_json.len()) as u64;
                charge(
                    "state-bytes",
                    &mut c.staged_bytes,
                    c.limits.state_bytes,
                    size,
                )?;
                c.staged.insert(key, value);
                Ok(())
            },
        )
    }

    fn notes(&mut self) -> HostResult<Vec<String>> {
        self.gate(Capability::State, "notes", String::new, |c| {
            let notes = c.all_notes();
            c.charge_output(notes.iter().map(|n| n.len() as u64).sum())?;
            Ok(notes)
        })
    }

    fn add_note(&mut self, note: String) -> HostResult<()> {
        let len = note.len();
        self.gate(
            Capability::State,
            "add-note",
            || format!("{len} bytes"),
            |c| {
                let note = note.trim();
                if note.is_empty() {
                    return Ok(());
                }
                let size = note.len() as u64;
                charge(
                    "state-bytes",
                    &mut c.staged_bytes,
                    c.limits.state_bytes,
                    size,
                )?;
                c.notes_added.push(note.to_string());
                Ok(())
            },
        )
    }
}

fn commit_bytes<'a>(commits: impl IntoIterator<Item = &'a wit::git::Commit>) -> u64 {
    commits
        .into_iter()
        .map(|c| {
            (c.sha.len()
                + c.subject.len()
                + c.body.len()
                + c.author_name.len()
                + c.author_email.len()
                + 41 * c.parents.len()) as u64
                + c.changes
                    .iter()
                    .map(|f| f.path.len() as u64 + 16)
                    .sum::<u64>()
        })
        .sum()
}

impl wit::git::Host for HostState {
    fn resolve(&mut self, rev: String) -> HostResult<String> {
        let summary = truncate(&rev, 80);
        self.gate(
            Capability::GitRead,
            "resolve",
            || format!("rev={summary}"),
            |c| {
                let oid = c.git(move |repo| gitread::resolve(repo, &rev))?;
                c.charge_output(40)?;
                Ok(oid.to_string())
            },
        )
    }

    fn log(&mut self, query: wit::git::LogQuery) -> HostResult<Vec<wit::git::Commit>> {
        let summary = format!(
            "tip={} since={} since_time={} limit={} changes={}",
            truncate(&query.tip, 60),
            query
                .since_exclusive
                .as_deref()
                .map_or("-".to_string(), |s| truncate(s, 60)),
            query.since_time.map_or("-".to_string(), |t| t.to_string()),
            query.limit,
            query.with_changes
        );
        self.gate(
            Capability::GitRead,
            "log",
            || summary,
            |c| {
                let cap = c.limits.log_commits;
                let deadline = c.deadline;
                let with_changes = query.with_changes;
                let commits = c.git(move |repo| gitread::log(repo, &query, cap, Some(deadline)))?;
                c.charge_output(commit_bytes(&commits))?;
                if with_changes {
                    c.remember_facts(commits.iter());
                }
                Ok(commits)
            },
        )
    }

    fn log_page(&mut self, query: wit::git::PageQuery) -> HostResult<Vec<wit::git::PageCommit>> {
        let summary = format!(
            "tip={} since={} since_time={} limit={} skip={} changes={} patch_bytes={}",
            truncate(&query.log.tip, 60),
            query
                .log
                .since_exclusive
                .as_deref()
                .map_or("-".to_string(), |s| truncate(s, 60)),
            query
                .log
                .since_time
                .map_or("-".to_string(), |t| t.to_string()),
            query.log.limit,
            query.skip,
            query.log.with_changes,
            query.patch_bytes
        );
        self.gate(
            Capability::GitRead,
            "log-page",
            || summary,
            |c| {
                let cap = c.limits.log_commits;
                let deadline = c.deadline;
                let with_changes = query.log.with_changes;
                let page =
                    c.git(move |repo| gitread::log_page(repo, &query, cap, Some(deadline)))?;
                let patches: u64 = page
                    .iter()
                    .map(|p| p.patch.as_ref().map_or(0, |t| t.len() as u64))
                    .sum();
                c.charge_output(commit_bytes(page.iter().map(|p| &p.commit)) + patches)?;
                if with_changes {
                    c.remember_facts(page.iter().map(|p| &p.commit));
                }
                Ok(page)
            },
        )
    }

    fn changes(&mut self, sha: String) -> HostResult<Vec<wit::git::FileChange>> {
        let summary = truncate(&sha, 64);
        self.gate(
            Capability::GitRead,
            "changes",
            || format!("sha={summary}"),
            |c| {
                let changes = c.git(move |repo| gitread::changes(repo, &sha))?;
                c.charge_output(changes.iter().map(|f| f.path.len() as u64 + 16).sum())?;
                Ok(changes)
            },
        )
    }

    fn diff(&mut self, from: String, to: String) -> HostResult<String> {
        let summary = format!("{}..{}", truncate(&from, 60), truncate(&to, 60));
        self.gate(
            Capability::GitRead,
            "diff",
            || summary,
            |c| {
                let remaining = c.limits.output_bytes.saturating_sub(c.output_bytes);
                let text = c.git(move |repo| gitread::diff(repo, &from, &to, remaining))?;
                c.charge_output(text.len() as u64)?;
                Ok(text)
            },
        )
    }

    fn refs(&mut self) -> HostResult<Vec<wit::git::RefInfo>> {
        self.gate(Capability::GitRead, "refs", String::new, |c| {
            let refs = c.git(gitread::refs)?;
            c.charge_output(refs.iter().map(|r| r.name.len() as u64 + 40).sum())?;
            Ok(refs)
        })
    }

    fn ahead_behind(&mut self, base: String, tip: String) -> HostResult<(u32, u32)> {
        let summary = format!("base={} tip={}", truncate(&base, 60), truncate(&tip, 60));
        self.gate(
            Capability::GitRead,
            "ahead-behind",
            || summary,
            |c| c.git(move |repo| gitread::ahead_behind(repo, &base, &tip)),
        )
    }
}

impl wit::verify::Host for HostState {
    fn check_shas(&mut self, shas: Vec<String>) -> HostResult<Vec<wit::verify::ShaCheck>> {
        let n = shas.len();
        self.gate(
            Capability::Verify,
            "check-shas",
            || format!("{n} shas"),
            |c| {
                if n > 10_000 {
                    return Err(budget("shas-per-call", 10_000, 0, n as u64));
                }
                // A readable target, or the same `failed` as every git call; bounded likewise.
                let path = c.repo_path.clone();
                let checks = c.git(move |_| {
                    let path = path.expect("git() checked the target");
                    Ok(citations::check_at(&path, &shas))
                })?;
                Ok(checks
                    .into_iter()
                    .map(|ch| wit::verify::ShaCheck {
                        sha: ch.sha,
                        verdict: match ch.verdict {
                            citations::CitationVerdict::Grounded => wit::verify::Verdict::Grounded,
                            citations::CitationVerdict::Fabricated => {
                                wit::verify::Verdict::Fabricated
                            }
                            citations::CitationVerdict::Unverifiable => {
                                wit::verify::Verdict::Unverifiable
                            }
                            citations::CitationVerdict::Gap => wit::verify::Verdict::Gap,
                        },
                        detail: ch.detail,
                    })
                    .collect())
            },
        )
    }
}

/// A finding bucket's name, as reports and audit rows spell it.
fn bucket_name(bucket: &wit::report::Bucket) -> &'static str {
    match bucket {
        wit::report::Bucket::High => "high",
        wit::report::Bucket::Watch => "watch",
        wit::report::Bucket::Noise => "noise",
    }
}

impl wit::report::Host for HostState {
    fn add_finding(&mut self, finding: wit::report::Finding) -> HostResult<u32> {
        let shown: Vec<&str> = finding
            .cites
            .iter()
            .take(4)
            .map(|c| &c[..c.len().min(MAX_CITE_BYTES)])
            .collect();
        let summary = format!(
            "bucket={} title={} cites={}{}",
            bucket_name(&finding.bucket),
            serde_json::Value::from(truncate(&finding.title, 60)),
            shown.join(","),
            if finding.cites.len() > shown.len() {
                format!(",…({} in all)", finding.cites.len())
            } else {
                String::new()
            }
        );
        self.gate(
            Capability::Report,
            "add-finding",
            || summary,
            |c| {
                if finding.title.trim().is_empty() {
                    return Err(HostError::Invalid(
                        "a finding needs a non-empty title".into(),
                    ));
                }
                let noise = matches!(finding.bucket, wit::report::Bucket::Noise);
                // Noise has its own count and bytes: it never crowds out high or watch
                // findings, and past its caps it is counted, not kept, and not an error.
                let (kept, kept_bytes) = if noise {
                    (c.noise_findings, c.noise_report_bytes)
                } else {
                    (c.findings.len() as u64 - c.noise_findings, c.report_bytes)
                };
                if kept >= c.limits.findings {
                    if noise {
                        c.noise_dropped += 1;
                        return Ok(NOT_KEPT);
                    }
                    return Err(budget("findings", c.limits.findings, kept, 1));
                }
                if finding.cites.len() > MAX_CITES_PER_FINDING
                    || finding.cites.iter().any(|s| s.len() > MAX_CITE_BYTES)
                {
                    return Err(HostError::Invalid(format!(
                        "a finding may cite at most {MAX_CITES_PER_FINDING} SHAs of at most {MAX_CITE_BYTES} characters each ({} given)",
                        finding.cites.len()
                    )));
                }
                if finding.paths.len() > MAX_PATHS_PER_FINDING
                    || finding.paths.iter().any(|p| p.len() > MAX_PATH_BYTES)
                {
                    return Err(HostError::Invalid(format!(
                        "a finding may name at most {MAX_PATHS_PER_FINDING} paths of at most {MAX_PATH_BYTES} bytes each ({} given)",
                        finding.paths.len()
                    )));
                }
                let title = truncate(&finding.title, 1024);
                let detail = truncate(&finding.detail, 4096);
                let size = (title.len()
                    + detail.len()
                    + finding.cites.iter().map(String::len).sum::<usize>()
                    + finding.paths.iter().map(String::len).sum::<usize>())
                    as u64;
                if noise {
                    if kept_bytes + size > MAX_REPORT_BYTES {
                        c.noise_dropped += 1;
                        return Ok(NOT_KEPT);
                    }
                    c.noise_report_bytes += size;
                    c.noise_findings += 1;
                } else {
                    charge(
                        "report-bytes",
                        &mut c.report_bytes,
                        MAX_REPORT_BYTES,
                        size,
                    )?;
                }
                c.findings.push(ReportedFinding {
                    bucket: bucket_name(&finding.bucket),
                    title,
                    detail,
                    cites: finding.cites,
                    paths: finding.paths,
                });
                Ok((c.findings.len() - 1) as u32)
            },
        )
    }
}

impl wit::escalation::Host for HostState {
    fn escalate(&mut self, reason: String) -> HostResult<()> {
        let summary = truncate(&reason, 120);
        self.gate(
            Capability::Escalation,
            "escalate",
            || summary,
            |c| {
                c.escalation = Some(truncate(&reason, 2048));
                Ok(())
            },
        )
    }
}

impl wit::worktree::Host for HostState {
    fn create(&mut self, base: String, branch: String) -> HostResult<String> {
        let summary = format!(
            "base={} branch={}",
            truncate(&base, 60),
            truncate(&branch, 60)
        );
        self.gate(
            Capability::Worktree,
            "create",
            || summary,
            |c| with_fix(c, |fix| caps::worktree::create(fix, &base)),
        )
    }
    fn read_file(&mut self, handle: String, path: String) -> HostResult<Vec<u8>> {
        let summary = format!(
            "handle={} path={}",
            truncate(&handle, 60),
            truncate(&path, 100)
        );
        self.gate(
            Capability::Worktree,
            "read-file",
            || summary,
            |c| {
                let bytes = with_fix(c, |fix| caps::worktree::read_file(fix, &handle, &path))?;
                c.charge_output(bytes.len() as u64)?;
                Ok(bytes)
            },
        )
    }
    fn write_file(&mut self, handle: String, path: String, contents: Vec<u8>) -> HostResult<()> {
        let summary = format!(
            "handle={} path={} ({} bytes)",
            truncate(&handle, 60),
            truncate(&path, 100),
            contents.len()
        );
        self.gate(
            Capability::Worktree,
            "write-file",
            || summary,
            |c| {
                with_fix(c, |fix| {
                    caps::worktree::write_file(fix, &handle, &path, &contents)
                })
            },
        )
    }
    fn list_files(&mut self, handle: String, dir: String) -> HostResult<Vec<String>> {
        let summary = format!(
            "handle={} dir={}",
            truncate(&handle, 60),
            truncate(&dir, 100)
        );
        self.gate(
            Capability::Worktree,
            "list-files",
            || summary,
            |c| {
                let files = with_fix(c, |fix| caps::worktree::list_files(fix, &handle, &dir))?;
                c.charge_output(files.iter().map(|f| f.len() as u64 + 1).sum())?;
                Ok(files)
            },
        )
    }
    fn diff(&mut self, handle: String) -> HostResult<String> {
        let summary = format!("handle={}", truncate(&handle, 60));
        self.gate(
            Capability::Worktree,
            "diff",
            || summary,
            |c| {
                let text = with_fix(c, |fix| caps::worktree::diff(fix, &handle))?;
                c.charge_output(text.len() as u64)?;
                Ok(text)
            },
        )
    }
    fn commit(&mut self, handle: String, message: String) -> HostResult<String> {
        let summary = format!(
            "handle={} message={}",
            truncate(&handle, 60),
            truncate(&message, 80)
        );
        self.gate(
            Capability::Worktree,
            "commit",
            || summary,
            |c| with_fix(c, |fix| caps::worktree::commit(fix, &handle, &message)),
        )
    }
    fn search(
        &mut self,
        handle: String,
        dir: String,
        pattern: String,
        limit: u32,
    ) -> HostResult<Vec<wit::worktree::SearchHit>> {
        let summary = format!(
            "handle={} dir={} pattern={} limit={limit}",
            truncate(&handle, 60),
            truncate(&dir, 100),
            truncate(&pattern, 100)
        );
        self.gate(
            Capability::Worktree,
            "search",
            || summary,
            |c| {
                let hits = with_fix(c, |fix| {
                    caps::worktree::search(fix, &handle, &dir, &pattern, limit)
                })?;
                c.charge_output(
                    hits.iter()
                        .map(|h| (h.path.len() + h.text.len() + 8) as u64)
                        .sum(),
                )?;
                Ok(hits)
            },
        )
    }
}

impl wit::command::Host for HostState {
    fn run(
        &mut self,
        handle: String,
        command: String,
        timeout_ms: u32,
    ) -> HostResult<wit::command::CommandOutput> {
        let summary = format!(
            "handle={} command={} timeout_ms={timeout_ms}",
            truncate(&handle, 60),
            truncate(&command, 120)
        );
        self.gate(
            Capability::Command,
            "run",
            || summary,
            |c| {
                let out = with_fix(c, |fix| {
                    caps::command::run(fix, &handle, &command, timeout_ms)
                })?;
                c.charge_output((out.stdout.len() + out.stderr.len()) as u64)?;
                Ok(out)
            },
        )
    }
}

impl wit::maker::Host for HostState {
    fn complete(
        &mut self,
        request: wit::maker::MakerRequest,
    ) -> HostResult<wit::maker::MakerResponse> {
        let summary = format!(
            "prompt {} bytes, max_tokens {}",
            request.prompt.len(),
            request.max_tokens
        );
        let result = self.gate(
            Capability::Maker,
            "complete",
            || summary,
            |c| {
                let response = with_fix(c, |fix| caps::maker::complete(fix, request))?;
                c.charge_output(response.text.len() as u64)?;
                Ok(response)
            },
        );
        self.calls.fold_maker_tool_calls();
        result
    }
    fn chat(&mut self, request: wit::maker::ChatRequest) -> HostResult<wit::maker::ChatTurn> {
        // The turn fills in its own audit row: the tool calls the model asked for (names and
        // argument sizes) and any tool result withheld as an injection.
        let record = std::cell::RefCell::new(caps::chat::TurnRecord {
            summary: format!(
                "{} messages, {} tools, max_tokens {}",
                request.messages.len(),
                request.tools.len(),
                request.max_tokens
            ),
        });
        self.gate_sized(
            Capability::Maker,
            "chat",
            MAX_CHAT_SUMMARY,
            || record.borrow().summary.clone(),
            |c| {
                let turn = with_fix(c, |fix| {
                    caps::chat::chat(fix, request, &mut record.borrow_mut())
                })?;
                c.charge_output(
                    (turn.content.len()
                        + turn
                            .tool_calls
                            .iter()
                            .map(|t| t.name.len() + t.arguments_json.len() + t.id.len())
                            .sum::<usize>()) as u64,
                )?;
                Ok(turn)
            },
        )
    }
}

impl wit::connector::Host for HostState {
    fn call_tool(
        &mut self,
        name: String,
        tool: String,
        arguments_json: String,
    ) -> HostResult<String> {
        let summary = format!(
            "connector={} tool={} ({} bytes)",
            truncate(&name, 60),
            truncate(&tool, 60),
            arguments_json.len()
        );
        let started = Instant::now();
        self.gate(
            Capability::ConnectorRead,
            "call-tool",
            || summary.clone(),
            |c| {
                let mut record = caps::connector::CallRecord {
                    class: None,
                    bytes: 0,
                };
                let deadline = c.deadline;
                let result = c.connectors.call(
                    &c.policy,
                    &name,
                    &tool,
                    &arguments_json,
                    deadline,
                    &mut record,
                );
                let decision = match &result {
                    Ok(_) => format!("ok: {} result bytes, scanned clean", record.bytes),
                    Err(e) => describe(e),
                };
                c.audit.push(AuditEvent {
                    ts_ms: AuditEvent::now_ms(),
                    capability: Capability::ConnectorRead.name(),
                    function: "call-tool.result",
                    args: format!(
                        "{summary} class={}",
                        record.class.map_or("unknown", |k| k.as_str())
                    ),
                    decision,
                    duration_ns: started.elapsed().as_nanos() as u64,
                });
                let text = result?;
                c.charge_output(text.len() as u64)?;
                Ok(text)
            },
        )
    }
}

fn context_error(e: caps::context::ContextError) -> HostError {
    use caps::context::ContextError;
    match e {
        ContextError::Empty => HostError::Invalid("a context entry needs some text".into()),
        ContextError::TooLarge {
            cap,
            spent,
            requested,
        } => budget("context-bytes", cap, spent, requested),
        ContextError::ViewTooSmall { needed, budget: b } => budget("context-tokens", b, 0, needed),
    }
}

impl wit::context::Host for HostState {
    fn append(&mut self, kind: wit::context::EntryKind, text: String) -> HostResult<u64> {
        use caps::context::Kind;
        let kind = match kind {
            wit::context::EntryKind::Instruction => Kind::Instruction,
            wit::context::EntryKind::Prompt => Kind::Prompt,
            wit::context::EntryKind::Answer => Kind::Answer,
            wit::context::EntryKind::ToolOutput => Kind::ToolOutput,
            wit::context::EntryKind::Summary => {
                return self.gate(Capability::Context, "append", String::new, |_| {
                    Err(HostError::Invalid(
                        "summary entries are written by the host's compaction; append the text as an answer or a prompt".into(),
                    ))
                });
            }
        };
        let len = text.len();
        self.gate(
            Capability::Context,
            "append",
            || format!("{kind:?} {len} bytes"),
            |c| c.transcript.append(kind, &text).map_err(context_error),
        )
    }

    fn tokens(&mut self) -> HostResult<u64> {
        self.gate(Capability::Context, "tokens", String::new, |c| {
            Ok(c.transcript.tokens())
        })
    }

    fn compact(
        &mut self,
        threshold: u64,
        keep_recent: u32,
    ) -> HostResult<wit::context::Compaction> {
        self.gate(
            Capability::Context,
            "compact",
            || format!("threshold={threshold} keep_recent={keep_recent}"),
            |c| {
                let done = c.transcript.compact(threshold, keep_recent as usize);
                Ok(wit::context::Compaction {
                    compacted: done.compacted,
                    tokens_before: done.tokens_before,
                    tokens_after: done.tokens_after,
                    entries_folded: done.entries_folded,
                    lines_kept: done.lines_kept,
                })
            },
        )
    }

    fn view(&mut self, token_budget: u64) -> HostResult<String> {
        self.gate(
            Capability::Context,
            "view",
            || format!("budget={token_budget}"),
            |c| {
                let notes = c.all_notes();
                let text = caps::context::view(&c.transcript, &notes, token_budget)
                    .map_err(context_error)?;
                c.charge_output(text.len() as u64)?;
                Ok(text)
            },
        )
    }
}

impl wit::merge::Host for HostState {
    fn request_merge(&mut self, handle: String) -> HostResult<wit::merge::MergeDecision> {
        let summary = format!("handle={}", truncate(&handle, 60));
        self.gate(
            Capability::Merge,
            "request-merge",
            || summary,
            |c| with_fix(c, |fix| caps::merge::request(fix, &handle)),
        )
    }
}

/// Runs `body` on the run's L2/L3 context, or refuses when this run has none.
fn with_fix<T>(
    calls: &mut CallState,
    body: impl FnOnce(&mut caps::FixContext) -> Result<T, HostError>,
) -> Result<T, HostError> {
    match calls.fix.as_deref_mut() {
        Some(fix) => body(fix),
        None => Err(HostError::Failed(
            "not available in this build to this run: worktrees, commands, makers and merges are served only to runs the host starts with a fix context (kind assisted-fix)".into(),
        )),
    }
}
