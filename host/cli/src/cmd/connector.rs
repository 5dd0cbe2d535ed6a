//! `strive connector`: inspect and call a loop spec's MCP connectors from the terminal, under
//! the same rules a plugin's calls follow.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;
use strive_connectors::{Connection, ConnectorConfig, Limits, Transport};
use strive_core::exit;
use strive_core::text::escape_line;
use strive_runtime::bindings::v0_1::HostError;
use strive_runtime::caps::connector::{CallRecord, Connectors};
use strive_runtime::{Capability, Phase, Policy};

/// List, inspect and call the MCP connectors a loop spec configures.
///
/// A connector is an MCP server: a stdio server the host starts inside the loop's OS sandbox
/// (`command`), or a Streamable HTTP endpoint (`url`). `tools` connects, performs the MCP
/// handshake and lists the tools the spec lets the loop see, each classified `read` or `write`
/// (from the server's readOnlyHint/destructiveHint annotations and the spec's `read_tools` /
/// `write_tools`; an unannotated tool is `write`). `call` follows the plugin's rules: read tools
/// need phase L2 or higher; write tools need phase L3, a connector with `"scope": "write"`, and
/// `--grant connector.write` from you. Every result is injection-scanned before it is printed.
///
/// Exit codes: 0 ok; 2 refused (phase, scope or grant); 6 the result looks like a prompt
/// injection (not printed); 1 the server failed, timed out or the tool reported an error;
/// 64 usage (unreadable spec, unknown connector or tool, bad arguments).
///
/// Examples:
///   strive connector list loops/example-l3-autofix.json
///   strive connector tools loops/example-l3-autofix.json everything --json
///   strive connector call loops/example-l3-autofix.json everything echo '{"message": "hi"}'
///   strive connector call loops/fix.json tracker create-issue '{"title": "x"}' --grant connector.write
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// The spec's connectors: name, transport, scope and tool filter (does not connect).
    List(ListArgs),
    /// Connect, handshake and list the tools the loop may see, with their read/write class.
    Tools(ToolsArgs),
    /// Call one tool with JSON arguments, under the plugin's gates; print its scanned result.
    Call(CallArgs),
}

#[derive(clap::Args)]
struct ListArgs {
    /// The loop spec (JSON).
    spec: PathBuf,
    /// Print JSON [{name, transport, target, scope, allow, deny, read_tools, write_tools}].
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct ToolsArgs {
    /// The loop spec (JSON).
    spec: PathBuf,
    /// The connector's `name` in the spec.
    name: String,
    /// Seconds to wait for the server to start and answer.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Print JSON {server{name, version, protocol, transport}, tools[{name, class, why, description}]}.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct CallArgs {
    /// The loop spec (JSON).
    spec: PathBuf,
    /// The connector's `name` in the spec.
    name: String,
    /// The tool to call.
    tool: String,
    /// The tool's arguments as a JSON object (default: none).
    #[arg(default_value = "")]
    args: String,
    /// Grant `connector.write` for this call (needed for a write tool, with phase L3 and a
    /// write-scoped connector).
    #[arg(long = "grant", value_name = "CAP")]
    grants: Vec<String>,
    /// Seconds the whole call (start, handshake, call) may take.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Print JSON {connector, tool, class, ok, text, error{kind, message}}.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> i32 {
    match args.action {
        Action::List(a) => list(a),
        Action::Tools(a) => tools(a),
        Action::Call(a) => call(a),
    }
}

struct Loaded {
    phase: Phase,
    spec_grants: Vec<String>,
    configs: Vec<ConnectorConfig>,
}

fn load(path: &Path) -> Result<Loaded, i32> {
    let checked = crate::spec_check::load(
        path,
        &crate::project::Project::discover(Some(path)).registry().0,
    )
    .map_err(|e| {
        eprintln!("{e}");
        exit::USAGE
    })?;
    let loaded = checked.loaded;
    let sandbox = strive_runtime::sandbox::policy_of(&loaded.spec);
    let mut configs = Vec::new();
    for c in &loaded.spec.connectors {
        match ConnectorConfig::from_spec(c, &sandbox) {
            Ok(cfg) => configs.push(cfg),
            Err(e) => {
                eprintln!("error: {}: {e}", path.display());
                return Err(exit::USAGE);
            }
        }
    }
    let phase = Phase::parse(loaded.spec.phase.as_str()).ok_or_else(|| {
        eprintln!("error: {}: phase is not L0-L3", path.display());
        exit::USAGE
    })?;
    Ok(Loaded {
        phase,
        spec_grants: loaded.spec.grants.clone(),
        configs,
    })
}

fn transport(cfg: &ConnectorConfig) -> (&'static str, String) {
    match &cfg.transport {
        Transport::Stdio { argv, .. } => ("stdio", argv.join(" ")),
        Transport::Http { url } => ("streamable-http", url.clone()),
    }
}

fn list(args: ListArgs) -> i32 {
    let loaded = match load(&args.spec) {
        Ok(l) => l,
        Err(code) => return code,
    };
    if args.json {
        let rows: Vec<_> = loaded
            .configs
            .iter()
            .map(|c| {
                let (kind, target) = transport(c);
                json!({
                    "name": c.name, "transport": kind, "target": target, "scope": c.scope,
                    "allow": c.allow, "deny": c.deny,
                    "read_tools": c.read_tools, "write_tools": c.write_tools,
                })
            })
            .collect();
        super::io::print_json(&rows);
        return exit::OK;
    }
    if loaded.configs.is_empty() {
        println!("no connectors in {}", args.spec.display());
    }
    for c in &loaded.configs {
        let (kind, target) = transport(c);
        println!(
            "{}  {kind}  scope {}  {}",
            escape_line(&c.name),
            match c.scope {
                strive_connectors::Scope::Read => "read",
                strive_connectors::Scope::Write => "write",
            },
            escape_line(&target)
        );
    }
    exit::OK
}

fn find<'a>(loaded: &'a Loaded, name: &str) -> Result<&'a ConnectorConfig, i32> {
    loaded.configs.iter().find(|c| c.name == name).ok_or_else(|| {
        let names: Vec<&str> = loaded.configs.iter().map(|c| c.name.as_str()).collect();
        eprintln!(
            "error: no connector named {:?} in the spec (configured: {}); `strive connector list SPEC` shows them",
            escape_line(name),
            if names.is_empty() { "none".into() } else { names.join(", ") }
        );
        exit::USAGE
    })
}

fn tools(args: ToolsArgs) -> i32 {
    let loaded = match load(&args.spec) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let cfg = match find(&loaded, &args.name) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let deadline = Instant::now() + Duration::from_secs(args.timeout.max(1));
    let conn = match Connection::connect(cfg, Limits::default(), deadline) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {}", escape_line(&e.to_string()));
            return 1;
        }
    };
    if args.json {
        super::io::print_json(&json!({"server": conn.server(), "tools": conn.tools()}));
        return exit::OK;
    }
    let s = conn.server();
    println!(
        "{} {} (MCP {}, {})",
        escape_line(&s.name),
        escape_line(&s.version),
        escape_line(&s.protocol),
        s.transport
    );
    for t in conn.tools() {
        println!(
            "  {:<5} {}  — {}",
            t.class.as_str(),
            escape_line(&t.name),
            t.why
        );
    }
    exit::OK
}

fn call(args: CallArgs) -> i32 {
    let loaded = match load(&args.spec) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let cfg = match find(&loaded, &args.name) {
        Ok(c) => c.clone(),
        Err(code) => return code,
    };
    let mut cli = BTreeSet::from([Capability::ConnectorRead]);
    for g in &args.grants {
        match Capability::parse(g) {
            Some(c @ (Capability::ConnectorRead | Capability::ConnectorWrite)) => {
                cli.insert(c);
            }
            _ => {
                eprintln!(
                    "error: --grant {}: `strive connector call` takes connector.read or connector.write",
                    escape_line(g)
                );
                return exit::USAGE;
            }
        }
    }
    let granted = match strive_runtime::pipeline::effective_grants(
        loaded.phase,
        &loaded.spec_grants,
        Some(&cli),
        None,
    ) {
        Ok(g) => g,
        Err(e) => {
            eprintln!("error: {e}");
            return exit::USAGE;
        }
    };
    let policy = Policy {
        plugin: String::new(),
        phase: loaded.phase,
        declared: BTreeSet::from([Capability::ConnectorRead, Capability::ConnectorWrite]),
        granted,
    };
    let mut record = CallRecord {
        class: None,
        bytes: 0,
    };
    let result = match policy.check(Capability::ConnectorRead) {
        Err(r) => Err(HostError::Denied(
            strive_runtime::bindings::v0_1::strive::loops::types::Denial {
                capability: r.capability.name().into(),
                reason: r.reason,
            },
        )),
        Ok(()) => {
            let deadline = Instant::now() + Duration::from_secs(args.timeout.max(1));
            let mut connectors = Connectors::new(vec![cfg], Limits::default());
            connectors.call(
                &policy,
                &args.name,
                &args.tool,
                &args.args,
                deadline,
                &mut record,
            )
        }
    };
    let class = record.class.map(|c| c.as_str());
    let (code, kind, message) = match &result {
        Ok(_) => (exit::OK, "ok", String::new()),
        Err(HostError::Denied(d)) => (exit::BLOCKED, "denied", d.reason.clone()),
        Err(HostError::Blocked(b)) => (exit::INJECTION, "blocked", b.reason.clone()),
        Err(HostError::Invalid(m)) => (exit::USAGE, "invalid", m.clone()),
        Err(HostError::BudgetExceeded(b)) => (
            1,
            "budget-exceeded",
            format!(
                "{} is {} bytes, past the cap of {}",
                b.axis, b.requested, b.cap
            ),
        ),
        Err(HostError::Failed(m)) => (1, "failed", m.clone()),
    };
    if args.json {
        super::io::print_json(&json!({
            "connector": args.name, "tool": args.tool, "class": class,
            "ok": result.is_ok(),
            "text": result.as_ref().ok(),
            "error": if result.is_ok() { serde_json::Value::Null } else { json!({"kind": kind, "message": message}) },
        }));
    } else {
        match &result {
            Ok(text) => println!("{}", strive_core::text::escape_text(text)),
            Err(_) => eprintln!("{kind}: {}", escape_line(&message)),
        }
    }
    code
}
