//! `connector.call-tool`: the loop spec's MCP connectors, served to a plugin.
//!
//! Guarantees (on top of `strive_connectors`' own: sandboxed servers, caps, scan):
//! - The gate in [`crate::host`] has already required `connector.read` (L2+, declared,
//!   granted). A tool the host classifies as **write** additionally needs `connector.write`
//!   (L3, declared, granted) *and* a connector whose spec scope is `write`; otherwise the call
//!   is `denied` naming what is missing, and nothing reaches the server.
//! - A connection is opened on the first call to its connector (handshake and tool listing
//!   within the run's deadline) and lives until the run ends; a connector that failed to
//!   start stays failed for the run (no restart loops).
//! - Results are injection-scanned before the plugin sees them: a flagged result is a
//!   `blocked` refusal whose rule is `injection` and whose reason names the signals. Oversize
//!   arguments or results are `budget-exceeded`; a timeout, a dead server or a tool error is
//!   `failed`. Each outcome lands in the audit log with the tool's class and result size.
//! - Connectors are read from the run's spec (`config-json`); an unreadable `connectors` block
//!   fails every call closed.

use std::collections::BTreeMap;
use std::time::Instant;

use strive_connectors::{CallError, Connection, ConnectorConfig, Limits, ToolClass};

use crate::bindings::v0_1::HostError;
use crate::bindings::v0_1::strive::loops as wit;
use crate::capability::{Capability, Policy};

/// The connectors of one run.
pub struct Connectors {
    configs: Result<Vec<ConnectorConfig>, String>,
    limits: Limits,
    open: BTreeMap<String, Result<Connection, String>>,
}

/// What one call did, for the audit row.
pub struct CallRecord {
    pub class: Option<ToolClass>,
    pub bytes: usize,
}

impl Connectors {
    /// The connectors of the spec in `config_json` (none if it has no `connectors` block).
    pub fn from_config_json(config_json: &str) -> Connectors {
        Connectors {
            configs: parse(config_json),
            limits: Limits::default(),
            open: BTreeMap::new(),
        }
    }

    /// Connectors given directly (the CLI and tests).
    pub fn new(configs: Vec<ConnectorConfig>, limits: Limits) -> Connectors {
        Connectors {
            configs: Ok(configs),
            limits,
            open: BTreeMap::new(),
        }
    }

    /// Has this run any connector configured?
    pub fn is_empty(&self) -> bool {
        self.configs.as_ref().is_ok_and(Vec::is_empty)
    }

    fn connection(&mut self, name: &str, deadline: Instant) -> Result<&mut Connection, HostError> {
        let configs = self.configs.as_ref().map_err(|e| {
            HostError::Failed(format!("the spec's connectors block is unreadable: {e}"))
        })?;
        if !self.open.contains_key(name) {
            let cfg = configs.iter().find(|c| c.name == name).ok_or_else(|| {
                let names: Vec<&str> = configs.iter().map(|c| c.name.as_str()).collect();
                HostError::Invalid(format!(
                    "this loop's spec configures no connector named {name:?} (configured: {}); add it to `connectors`",
                    if names.is_empty() { "none".to_string() } else { names.join(", ") }
                ))
            })?;
            let opened = Connection::connect(cfg, self.limits, deadline).map_err(|e| e.to_string());
            self.open.insert(name.to_string(), opened);
        }
        match self.open.get_mut(name).expect("just inserted") {
            Ok(conn) => Ok(conn),
            Err(e) => Err(HostError::Failed(e.clone())),
        }
    }

    fn scope_allows_write(&self, name: &str) -> bool {
        self.configs.as_ref().is_ok_and(|c| {
            c.iter()
                .any(|c| c.name == name && c.scope == strive_connectors::Scope::Write)
        })
    }

    /// One gated call (the `connector.read` check has passed). See the module docs.
    pub fn call(
        &mut self,
        policy: &Policy,
        name: &str,
        tool: &str,
        args_json: &str,
        deadline: Instant,
        record: &mut CallRecord,
    ) -> Result<String, HostError> {
        let scope_write = self.scope_allows_write(name);
        let conn = self.connection(name, deadline)?;
        let class = conn.class_of(tool);
        record.class = class;
        if class == Some(ToolClass::Write) {
            let why = conn
                .tools()
                .iter()
                .find(|t| t.name == tool)
                .map_or("", |t| t.why);
            if let Err(refusal) = policy.check(Capability::ConnectorWrite) {
                return Err(HostError::Denied(wit::types::Denial {
                    capability: Capability::ConnectorWrite.name().into(),
                    reason: format!(
                        "{tool} of connector {name} is a write tool ({why}): {}",
                        refusal.reason
                    ),
                }));
            }
            if !scope_write {
                return Err(HostError::Denied(wit::types::Denial {
                    capability: Capability::ConnectorWrite.name().into(),
                    reason: format!(
                        "{tool} of connector {name} is a write tool ({why}) and the connector's scope is read; set \"scope\": \"write\" in the spec (phase L3) or list the tool in read_tools if it only reads"
                    ),
                }));
            }
        }
        let out = conn.call(tool, args_json, deadline).map_err(host_error)?;
        record.bytes = out.text.len();
        Ok(out.text)
    }
}

/// A connector error as the WIT refusal a plugin handles.
pub fn host_error(e: CallError) -> HostError {
    match &e {
        CallError::Injection { signals, .. } => HostError::Blocked(wit::types::GuardBlock {
            rule: "injection".into(),
            reason: format!("{e} [signals: {signals}]"),
            alternative: None,
        }),
        CallError::TooLarge { what, size, cap } => {
            HostError::BudgetExceeded(wit::types::BudgetRefusal {
                axis: (*what).into(),
                cap: *cap as u64,
                spent: 0,
                requested: *size as u64,
            })
        }
        CallError::InvalidArgs { .. } | CallError::UnknownTool { .. } => {
            HostError::Invalid(e.to_string())
        }
        _ => HostError::Failed(e.to_string()),
    }
}

fn parse(config_json: &str) -> Result<Vec<ConnectorConfig>, String> {
    let value: serde_json::Value = match serde_json::from_str(config_json) {
        Ok(v) => v,
        // Not a spec (a bare plugin config): no connectors.
        Err(_) => return Ok(Vec::new()),
    };
    let Some(block) = value.get("connectors") else {
        return Ok(Vec::new());
    };
    let specs: Vec<strive_spec::model::Connector> =
        serde_json::from_value(block.clone()).map_err(|e| e.to_string())?;
    let sandbox = match serde_json::from_value::<strive_spec::model::LoopSpec>(value.clone()) {
        Ok(spec) => crate::sandbox::policy_of(&spec),
        Err(_) => match value.get("sandbox") {
            None => strive_worktree::SandboxPolicy::default(),
            Some(block) => {
                let block: strive_spec::model::Sandbox =
                    serde_json::from_value(block.clone()).map_err(|e| format!("sandbox: {e}"))?;
                crate::sandbox::policy_of_block(&block)
            }
        },
    };
    specs
        .iter()
        .map(|s| ConnectorConfig::from_spec(s, &sandbox))
        .collect()
}
