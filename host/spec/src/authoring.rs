//! Authoring aids behind `strive init`, `strive cost` and `strive audit`.
//!
//! Guarantees:
//! - [`scaffold`] always returns a spec that passes [`crate::validate`] (tested for every kind).
//! - [`estimate_cost`] never guesses a price: USD figures appear only when a price per million
//!   tokens is supplied; otherwise they are `null` with a note.
//! - [`audit`] never reports a phase higher than the spec is structurally ready for; a check
//!   that could not run (no scanner supplied) is left out and said so, never counted as passed.

use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{KIND_ASSISTED_FIX, KIND_TRIAGE, LoopSpec, Phase, defaults};

/// Placeholder repository path written by `strive init` (kept from the earlier tool).
pub const REPO_PLACEHOLDER: &str = "/absolute/path/to/your/target/repo";

/// A starter spec for `kind`. Custom kinds name a plugin of the same name (edit it if the
/// plugin id differs).
pub fn scaffold(id: &str, kind: &str, repo: Option<&str>) -> Value {
    let repo = repo.unwrap_or(REPO_PLACEHOLDER);
    let state_file = defaults::STATE_FILE;
    match kind {
        KIND_TRIAGE => json!({
            "id": id,
            "kind": kind,
            "phase": "L1",
            "cadence": "1d",
            "paused": false,
            "state_file": state_file,
            "target": {"repo": repo, "refs": ["main"], "first_run_since": defaults::FIRST_RUN_SINCE},
            "budget": {"max_tokens": 50000, "max_iterations": 1, "wall_clock_secs": 300}
        }),
        KIND_ASSISTED_FIX => json!({
            "id": id,
            "kind": kind,
            "phase": "L2",
            "paused": false,
            "state_file": state_file,
            "target": {"repo": repo, "base_ref": defaults::BASE_REF},
            "task": "Describe the change the maker should make, e.g. fix the failing test in the parser module.",
            "test_command": "python -m pytest -q",
            "maker": {"type": "nvidia"},
            "budget": {"max_tokens": 200000, "max_iterations": 3, "wall_clock_secs": 600}
        }),
        other => json!({
            "id": id,
            "kind": other,
            "plugin": other,
            "phase": "L1",
            "cadence": "1d",
            "paused": false,
            "state_file": state_file,
            "target": {"repo": repo},
            "budget": {"max_tokens": 50000, "max_iterations": 1, "wall_clock_secs": 300},
            "config": {}
        }),
    }
}

/// Tokens one run is assumed to spend before any attempt multiplier (earlier tool's figures).
pub fn base_tokens(kind: &str) -> u64 {
    match kind {
        KIND_TRIAGE => 3_000,
        KIND_ASSISTED_FIX => 30_000,
        _ => 5_000,
    }
}

/// `strive cost` output: the earlier shape plus cost fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostEstimate {
    pub loop_id: String,
    pub per_run_tokens: u64,
    pub runs_per_day: Option<f64>,
    pub per_day_tokens: Option<u64>,
    pub budget_cap_tokens: Option<u64>,
    pub within_budget: Option<bool>,
    pub usd_per_mtok: Option<f64>,
    pub per_run_cost_usd: Option<f64>,
    pub per_day_cost_usd: Option<f64>,
    pub budget_cap_usd: Option<f64>,
    pub within_cost_budget: Option<bool>,
    pub notes: Vec<String>,
}

impl CostEstimate {
    /// Over a token or cost cap (unknown is not "over").
    pub fn over_budget(&self) -> bool {
        self.within_budget == Some(false) || self.within_cost_budget == Some(false)
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Estimate per-run and per-day spend. `interval_secs` is the cadence as seconds (`None`
/// when there is no cadence or it could not be read — say which in `cadence_note`);
/// `usd_per_mtok` is a blended price per million tokens, if known.
pub fn estimate_cost(
    spec: &LoopSpec,
    interval_secs: Option<f64>,
    cadence_note: Option<String>,
    usd_per_mtok: Option<f64>,
) -> CostEstimate {
    let mut notes = Vec::new();
    let base = base_tokens(&spec.kind);
    if !spec.is_builtin_kind() {
        notes.push(format!(
            "kind {} is a plugin: assuming {base} tokens per run",
            spec.kind
        ));
    }
    let per_run_tokens = if spec.kind == KIND_ASSISTED_FIX {
        let n = spec.max_iterations();
        notes.push(format!(
            "assumes up to {n} maker/checker round(s) of ~{base} tokens each"
        ));
        base * u64::from(n)
    } else {
        base
    };
    let runs_per_day = match interval_secs {
        Some(secs) if secs > 0.0 => Some(round2(86_400.0 / secs)),
        _ => {
            notes.push(cadence_note.unwrap_or_else(|| {
                "no cadence: runs only when started by hand or by an event".into()
            }));
            None
        }
    };
    let per_day_tokens = runs_per_day.map(|r| (per_run_tokens as f64 * r) as u64);
    let budget_cap_tokens = spec.budget.max_tokens;
    let within_budget = budget_cap_tokens.map(|cap| per_run_tokens <= cap);
    if let Some(cap) = budget_cap_tokens
        && per_run_tokens > cap
    {
        notes.push(format!(
            "per-run estimate {per_run_tokens} exceeds budget.max_tokens {cap}: raise the cap or lower max_iterations"
        ));
    }
    if budget_cap_tokens.is_none() {
        notes.push("no budget.max_tokens: set a token cap per run".into());
    }

    let uses_llm = spec.maker.is_some();
    let price = if uses_llm || !spec.is_builtin_kind() {
        usd_per_mtok
    } else {
        Some(0.0)
    };
    if !uses_llm && spec.is_builtin_kind() {
        notes.push("no LLM maker: model cost is 0 (tokens are the host's own accounting)".into());
    } else if price.is_none() {
        notes.push("no price known: pass --usd-per-mtok to estimate cost in USD".into());
    }
    let per_run_cost_usd = price.map(|p| round2(per_run_tokens as f64 * p / 1e6));
    let per_day_cost_usd = match (price, per_day_tokens) {
        (Some(p), Some(t)) => Some(round2(t as f64 * p / 1e6)),
        _ => None,
    };
    let budget_cap_usd = spec.budget.max_cost_usd;
    let within_cost_budget = match (per_run_cost_usd, budget_cap_usd) {
        (Some(c), Some(cap)) => Some(c <= cap),
        _ => None,
    };
    if within_cost_budget == Some(false) {
        notes.push(format!(
            "per-run cost ${:.2} exceeds budget.max_cost_usd ${:.2}",
            per_run_cost_usd.unwrap_or_default(),
            budget_cap_usd.unwrap_or_default()
        ));
    }
    CostEstimate {
        loop_id: spec.id.clone(),
        per_run_tokens,
        runs_per_day,
        per_day_tokens,
        budget_cap_tokens,
        within_budget,
        usd_per_mtok: price,
        per_run_cost_usd,
        per_day_cost_usd,
        budget_cap_usd,
        within_cost_budget,
        notes,
    }
}

/// One audit check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub name: &'static str,
    pub ok: bool,
    pub detail: String,
}

/// `strive audit` output (the earlier shape).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Audit {
    pub loop_id: String,
    pub kind: String,
    pub declared_phase: Phase,
    pub ready_for: Phase,
    pub score: u32,
    pub checks: Vec<Check>,
    pub suggestions: Vec<String>,
}

impl Audit {
    /// The spec declares a higher phase than it is ready for.
    pub fn overclaims(&self) -> bool {
        self.ready_for < self.declared_phase
    }
}

/// Result of scanning a task brief for prompt injection.
pub enum TaskScan {
    Clean,
    /// Flagged, with the signals found.
    Flagged(Vec<String>),
}

/// Scans a text for prompt injection; `Err` when it could not be scanned.
pub type TaskScanner<'a> = &'a dyn Fn(&str) -> Result<TaskScan, String>;

/// What [`audit`] needs from outside the crate.
#[derive(Default)]
pub struct AuditInputs<'a> {
    /// Problems from [`crate::validate`] (empty when the spec is valid).
    pub problems: Vec<crate::Problem>,
    /// Injection scan of a text; `Err` when the text could not be scanned. `None`: no scanner.
    pub scan: Option<TaskScanner<'a>>,
    /// Is the cadence readable? `None`: no parser supplied (only presence is checked).
    pub cadence_ok: Option<Result<(), String>>,
}

/// Score a spec against what an unattended loop needs, and find the highest phase it is
/// structurally ready for.
pub fn audit(spec: &LoopSpec, inputs: &AuditInputs) -> Audit {
    let mut checks = Vec::new();
    let mut suggestions = Vec::new();
    let mut check = |name: &'static str, ok: bool, detail: String, fix: &str| {
        if !ok && !fix.is_empty() {
            suggestions.push(fix.to_string());
        }
        checks.push(Check { name, ok, detail });
    };

    check(
        "valid_spec",
        inputs.problems.is_empty(),
        match inputs.problems.first() {
            None => "passes the schema and semantic checks".into(),
            Some(p) => format!("{} problem(s), first: {p}", inputs.problems.len()),
        },
        "run `strive validate` and fix what it reports",
    );

    let trigger_ok = spec.cadence.is_some() && !matches!(inputs.cadence_ok, Some(Err(_)));
    check(
        "trigger",
        trigger_ok,
        match (&spec.cadence, &inputs.cadence_ok) {
            (None, _) => "no cadence: nothing starts the loop unattended".into(),
            (Some(c), Some(Err(e))) => format!("cadence \"{c}\" cannot be read: {e}"),
            (Some(c), _) => format!("cadence \"{c}\""),
        },
        "add a cadence (e.g. \"1d\") so the loop runs without a person",
    );

    let proposes = spec.kind == KIND_ASSISTED_FIX || spec.test_command.is_some();
    let (verifier_ok, verifier_detail) = if spec.kind == KIND_TRIAGE {
        (
            true,
            "host verifies every cited SHA (grounded + isomorphic)".to_string(),
        )
    } else if proposes {
        match &spec.test_command {
            Some(t) => (true, format!("test_command \"{t}\" is the ground truth")),
            None => (
                false,
                "no test_command: nothing checks a proposed change".into(),
            ),
        }
    } else {
        (
            true,
            "report-only plugin: host verifies every cited SHA before accepting a report".into(),
        )
    };
    check(
        "verifier",
        verifier_ok,
        verifier_detail,
        "add a test_command whose exit 0 means the change works",
    );

    check(
        "external_state",
        true,
        format!("state section \"{}\" in {}", spec.id, spec.state_file()),
        "",
    );

    let b = &spec.budget;
    let brake = b.max_tokens.is_some()
        || b.max_iterations.is_some()
        || b.wall_clock_secs.is_some()
        || b.max_cost_usd.is_some()
        || b.max_host_calls.is_some();
    check(
        "stop_escalate",
        brake,
        if brake {
            format!(
                "stops after {} attempt(s), escalates when the cap is reached",
                spec.max_iterations()
            )
        } else {
            "no budget caps: nothing makes the loop stop and hand off".into()
        },
        "set budget.max_iterations and budget.wall_clock_secs",
    );

    check(
        "budget_cap",
        b.max_tokens.is_some() || b.max_cost_usd.is_some(),
        match (b.max_tokens, b.max_cost_usd) {
            (Some(t), Some(c)) => format!("max_tokens {t}, max_cost_usd {c}"),
            (Some(t), None) => format!("max_tokens {t}"),
            (None, Some(c)) => format!("max_cost_usd {c}"),
            (None, None) => "no token or cost cap".into(),
        },
        "set budget.max_tokens (and budget.max_cost_usd for paid makers)",
    );

    let mut maker_ok = true;
    // assisted-fix asks a maker for the change; another kind that proposes may write it itself
    // (a maker is then needed only if the spec configures one, and then it must be named well).
    if spec.kind == KIND_ASSISTED_FIX || (proposes && spec.has_maker()) {
        maker_ok = spec.has_maker();
        check(
            "maker",
            maker_ok,
            match (&spec.maker, &spec.maker_command) {
                (Some(m), _) => format!(
                    "maker {:?}{}",
                    m.kind,
                    m.model().map(|x| format!(" ({x})")).unwrap_or_default()
                )
                .to_lowercase(),
                (None, Some(c)) => format!("maker_command \"{c}\""),
                (None, None) => "no maker and no maker_command: nothing proposes a change".into(),
            },
            "add a maker (e.g. {\"type\": \"nvidia\"}) or a maker_command",
        );
    }

    let mut task_clean = true;
    let mut unscanned = None;
    if let Some(task) = &spec.task {
        match inputs.scan {
            Some(scan) => {
                let (ok, detail) = match scan(task) {
                    Ok(TaskScan::Clean) => (true, "task brief scanned: clean".to_string()),
                    Ok(TaskScan::Flagged(signals)) => (
                        false,
                        format!(
                            "task brief looks like prompt injection: {}",
                            signals.join(", ")
                        ),
                    ),
                    Err(e) => (false, format!("task brief could not be scanned: {e}")),
                };
                task_clean = ok;
                check(
                    "task_injection",
                    ok,
                    detail,
                    "rewrite the task as a plain change request; never paste untrusted text into it",
                );
            }
            None => {
                unscanned = Some("task brief not scanned for injection (no scanner in this build)")
            }
        }
    }

    let write_connectors: Vec<&str> = spec
        .connectors
        .iter()
        .filter(|c| c.scope == crate::ConnectorScope::Write)
        .map(|c| c.name.as_str())
        .collect();
    if !spec.connectors.is_empty() {
        let ok = write_connectors.is_empty() || spec.phase == Phase::L3;
        check(
            "connector_scopes",
            ok,
            if write_connectors.is_empty() {
                format!("{} connector(s), all read-only", spec.connectors.len())
            } else {
                format!("write scope on: {}", write_connectors.join(", "))
            },
            "keep connectors read-only below L3",
        );
    }

    let allowlist_ok = spec
        .allowlist
        .as_ref()
        .is_some_and(|a| !a.allow_globs.is_empty() && a.max_files >= 1 && a.max_lines >= 1);
    if spec.phase == Phase::L3 || spec.allowlist.is_some() {
        check(
            "l3_allowlist",
            allowlist_ok,
            match &spec.allowlist {
                Some(a) => format!(
                    "auto-merge limited to {} glob(s), ≤{} files, ≤{} lines",
                    a.allow_globs.len(),
                    a.max_files,
                    a.max_lines
                ),
                None => "phase L3 without an allowlist: nothing bounds an auto-merge".into(),
            },
            "add an allowlist {allow_globs, max_files, max_lines} before declaring L3",
        );
    }

    // An external agent CLI as the maker: say what it gets (network, hooks) and what the host
    // does not meter, so the person sees it before a run.
    if let Some(m) = spec.maker.as_ref().filter(|m| {
        strive_vocab::MakerType::parse(&m.kind)
            .is_some_and(|t| t.protocol == strive_vocab::MakerProtocol::AgentCli)
    }) {
        let text = |key: &str| m.extra.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let who = text("program")
            .or_else(|| text("preset"))
            .unwrap_or_else(|| "?".into());
        let network = match text("network").as_deref() {
            Some("full") => "the host's whole network (maker.network = full)",
            _ => "no network",
        };
        let hooks = text("hooks")
            .or_else(|| {
                text("preset").map(|p| match p.as_str() {
                    "claude" => "claude".into(),
                    "gemini" => "gemini".into(),
                    _ => "none".into(),
                })
            })
            .unwrap_or_else(|| "none".into());
        let usage = text("usage")
            .or_else(|| {
                text("preset").map(|p| match p.as_str() {
                    "claude" | "codex" | "gemini" => p,
                    _ => "none".into(),
                })
            })
            .unwrap_or_else(|| "none".into());
        let hooked = if hooks == "none" {
            "no pre-tool hook: its own tool calls are confined by the sandbox but not judged by the guard or audited one by one".to_string()
        } else {
            format!(
                "Strive's guard as its pre-tool hook ({hooks}), each tool call in the run's audit log"
            )
        };
        let metered = if usage == "none" {
            "its tokens are not metered by the budget (the wall clock bounds it; set maker.usage if it prints a claude, codex or gemini usage report)".to_string()
        } else {
            format!("its tokens are charged to the budget from its {usage} usage report")
        };
        check(
            "agent_cli",
            true,
            format!(
                "maker is the agent CLI {who}: runs in the OS sandbox with {network}; {hooked}; {metered}"
            ),
            "",
        );
    }

    // The OS sandbox under the loop's commands: off is an explicit choice that keeps a loop
    // below L3; full network is allowed but its reason is shown.
    let sandbox = spec.sandbox.clone().unwrap_or_default();
    let sandbox_on = sandbox.mode == crate::model::SandboxMode::On;
    if proposes || spec.sandbox.is_some() {
        check(
            "sandbox",
            sandbox_on,
            match (sandbox.mode, sandbox.network) {
                (crate::model::SandboxMode::Off, _) => {
                    "sandbox.mode is \"off\": commands run unconfined as the host user (blocks L3)"
                        .to_string()
                }
                (_, crate::model::SandboxNetwork::None) => {
                    "commands run in the OS sandbox, network off".to_string()
                }
                (_, crate::model::SandboxNetwork::Full) => format!(
                    "commands run in the OS sandbox with the host's network (reason: {})",
                    sandbox.network_reason.as_deref().unwrap_or("none given")
                ),
            },
            "remove \"sandbox\": {\"mode\": \"off\"} (see docs/sandbox.md for read paths and network)",
        );
    }

    suggestions.extend(unscanned.map(String::from));
    // Readiness: each phase needs everything the one below needs.
    let valid = inputs.problems.is_empty();
    let mut ready = Phase::L0;
    if valid && verifier_ok && brake {
        ready = Phase::L1;
        if proposes && maker_ok && spec.test_command.is_some() && task_clean {
            ready = Phase::L2;
            if allowlist_ok && sandbox_on {
                ready = Phase::L3;
            }
        }
    }
    let declared = spec.phase;
    if ready < declared {
        suggestions.insert(
            0,
            format!(
                "declares {declared} but is only structurally ready for {ready} — close the gap before advancing"
            ),
        );
    }
    let passed = checks.iter().filter(|c| c.ok).count();
    let score = ((100 * passed) as f64 / checks.len() as f64).round() as u32;
    Audit {
        loop_id: spec.id.clone(),
        kind: spec.kind.clone(),
        declared_phase: declared,
        ready_for: ready,
        score,
        checks,
        suggestions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Checks, validate};

    fn spec(v: &Value) -> LoopSpec {
        serde_json::from_value(v.clone()).unwrap()
    }

    #[test]
    fn scaffolds_validate_for_every_kind() {
        for kind in [KIND_TRIAGE, KIND_ASSISTED_FIX, "flaky-test-triage"] {
            let v = scaffold("my-loop", kind, None);
            validate(&v, &Checks::default()).unwrap_or_else(|e| panic!("{kind}: {e:?}"));
            let v = scaffold("my-loop", kind, Some("/srv/repo"));
            assert_eq!(v["target"]["repo"], "/srv/repo");
        }
    }

    #[test]
    fn assisted_cost_multiplies_attempts() {
        let s = spec(&scaffold("a", KIND_ASSISTED_FIX, None));
        let c = estimate_cost(&s, Some(86_400.0), None, None);
        assert_eq!(c.per_run_tokens, 90_000);
        assert_eq!(c.runs_per_day, Some(1.0));
        assert_eq!(c.per_day_tokens, Some(90_000));
        assert_eq!(c.within_budget, Some(true));
        assert_eq!(c.per_run_cost_usd, None);
        assert!(c.notes.iter().any(|n| n.contains("--usd-per-mtok")));

        let priced = estimate_cost(&s, Some(3_600.0), None, Some(3.0));
        assert_eq!(priced.per_run_cost_usd, Some(0.27));
        assert_eq!(priced.per_day_cost_usd, Some(6.48));
    }

    #[test]
    fn over_budget_is_flagged() {
        let mut v = scaffold("a", KIND_ASSISTED_FIX, None);
        v["budget"] = json!({"max_tokens": 50_000, "max_iterations": 3, "max_cost_usd": 0.1});
        let c = estimate_cost(&spec(&v), None, None, Some(3.0));
        assert_eq!(c.within_budget, Some(false));
        assert_eq!(c.within_cost_budget, Some(false));
        assert!(c.over_budget());
        assert_eq!(c.runs_per_day, None);
    }

    #[test]
    fn triage_costs_no_money() {
        let s = spec(&scaffold("t", KIND_TRIAGE, None));
        let c = estimate_cost(&s, Some(86_400.0), None, None);
        assert_eq!(c.per_run_tokens, 3_000);
        assert_eq!(c.per_run_cost_usd, Some(0.0));
        assert!(!c.over_budget());
    }

    #[test]
    fn healthy_triage_scores_full_and_is_l1_ready() {
        let a = audit(
            &spec(&scaffold("t", KIND_TRIAGE, None)),
            &AuditInputs::default(),
        );
        assert_eq!(a.score, 100, "{a:?}");
        assert_eq!(a.ready_for, Phase::L1);
        assert!(!a.overclaims());
    }

    #[test]
    fn l3_without_allowlist_overclaims() {
        let mut v = scaffold("a", KIND_ASSISTED_FIX, None);
        v["phase"] = json!("L3");
        let problems = validate(&v, &Checks::default()).unwrap_err();
        let a = audit(
            &spec(&v),
            &AuditInputs {
                problems,
                ..AuditInputs::default()
            },
        );
        assert!(a.overclaims());
        assert!(a.suggestions[0].starts_with("declares L3 but is only structurally ready for"));
        assert!(a.checks.iter().any(|c| c.name == "l3_allowlist" && !c.ok));
    }

    #[test]
    fn an_agent_cli_maker_is_described_with_its_network_and_hooks() {
        let mut v = scaffold("a", KIND_ASSISTED_FIX, None);
        v["maker"] =
            serde_json::json!({"type": "agent-cli", "preset": "claude", "network": "full"});
        let a = audit(&spec(&v), &AuditInputs::default());
        let c = a
            .checks
            .iter()
            .find(|c| c.name == "agent_cli")
            .expect("an agent_cli check");
        assert!(c.ok);
        assert!(
            c.detail.contains("claude") && c.detail.contains("whole network"),
            "{}",
            c.detail
        );
        v["maker"] = serde_json::json!({"type": "agent-cli", "program": "./agent"});
        let a = audit(&spec(&v), &AuditInputs::default());
        let c = a.checks.iter().find(|c| c.name == "agent_cli").unwrap();
        assert!(
            c.detail.contains("no network") && c.detail.contains("no pre-tool hook"),
            "{}",
            c.detail
        );
        v["maker"] = serde_json::json!({"type": "nvidia"});
        let a = audit(&spec(&v), &AuditInputs::default());
        assert!(!a.checks.iter().any(|c| c.name == "agent_cli"));
    }

    #[test]
    fn assisted_without_maker_is_only_l1() {
        let mut v = scaffold("a", KIND_ASSISTED_FIX, None);
        v.as_object_mut().unwrap().remove("maker");
        let a = audit(&spec(&v), &AuditInputs::default());
        assert_eq!(a.ready_for, Phase::L1);
        assert!(a.overclaims());
    }

    #[test]
    fn injected_task_blocks_l2_and_unscannable_fails_closed() {
        let v = scaffold("a", KIND_ASSISTED_FIX, None);
        let flag = |_: &str| Ok(TaskScan::Flagged(vec!["ignore-previous".into()]));
        let a = audit(
            &spec(&v),
            &AuditInputs {
                scan: Some(&flag),
                ..AuditInputs::default()
            },
        );
        assert_eq!(a.ready_for, Phase::L1);
        let broken = |_: &str| Err("scanner crashed".to_string());
        let a = audit(
            &spec(&v),
            &AuditInputs {
                scan: Some(&broken),
                ..AuditInputs::default()
            },
        );
        assert_eq!(a.ready_for, Phase::L1);
        let clean = |_: &str| Ok(TaskScan::Clean);
        let a = audit(
            &spec(&v),
            &AuditInputs {
                scan: Some(&clean),
                ..AuditInputs::default()
            },
        );
        assert_eq!(a.ready_for, Phase::L2);
    }

    #[test]
    fn write_connector_below_l3_fails() {
        let mut v = scaffold("t", KIND_TRIAGE, None);
        v["connectors"] =
            json!([{"name": "github", "scope": "write", "url": "https://mcp.example.com/mcp"}]);
        let a = audit(&spec(&v), &AuditInputs::default());
        assert!(
            a.checks
                .iter()
                .any(|c| c.name == "connector_scopes" && !c.ok)
        );
    }
}
