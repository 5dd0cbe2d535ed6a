//! Loop specs (`loop.json`): the model, loading, and validation.
//!
//! Guarantees:
//! - **A spec is valid or it is refused.** [`load`] and [`parse`] return a [`LoopSpec`] only for
//!   a document that passes the JSON Schema (`schemas/loop.schema.json`, compiled into the
//!   binary) *and* the semantic checks the schema cannot express (phase vs kind, custom kinds,
//!   connector scopes, duplicates, cadence via a hook). Unreadable or non-JSON input is an error,
//!   never an empty spec.
//! - **Every problem is reported, each with where, what and how to fix it**:
//!   `error: loops/x.json: /budget/max_iterations: must be ≥ 1 (got 0) — set it to the number
//!   of attempts allowed`. Fix hints come from the schema's `description`s, so the schema and
//!   the messages cannot drift apart.
//! - **Earlier specs keep working**: every field of the earlier loopengine `loop.json` is
//!   accepted with its meaning and defaults ([`model::defaults`]).
//! - A relative `target.repo` resolves against the directory of the spec file
//!   ([`LoadedSpec::repo_path`]), not the current directory, so a spec means the same thing
//!   wherever `strive` is started.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

pub mod authoring;
pub mod model;

pub use model::{
    Allowlist, BUILTIN_KINDS, Budget, Connector, ConnectorScope, KIND_ASSISTED_FIX, KIND_TRIAGE,
    LoopSpec, Maker, Phase, Target, defaults,
};

/// The loop-spec JSON Schema (draft 2020-12), as shipped in `schemas/`.
pub const LOOP_SCHEMA: &str = include_str!("../../../schemas/loop.schema.json");
/// The plugin-manifest JSON Schema (draft 2020-12), as shipped in `schemas/`.
pub const PLUGIN_MANIFEST_SCHEMA: &str =
    include_str!("../../../schemas/plugin-manifest.schema.json");

/// One thing wrong with a spec.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// JSON pointer of the offending value (`""` is the whole document).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub fix: String,
}

impl Problem {
    /// The problem of text that is not JSON at all, with the line and column serde stopped at.
    pub fn json_syntax(e: &serde_json::Error) -> Problem {
        Problem {
            pointer: String::new(),
            message: format!(
                "not valid JSON (line {}, column {}: {e})",
                e.line(),
                e.column()
            ),
            fix: "fix the JSON syntax (a trailing comma or a missing quote is the usual cause)"
                .into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "(top level)"
        } else {
            &self.pointer
        };
        write!(f, "{at}: {} — {}", self.message, self.fix)
    }
}

/// Why a spec could not be loaded: unreadable, not JSON, or invalid (with every problem).
#[derive(Debug, Clone)]
pub struct SpecError {
    /// The file (or `<stdin>`, or a caller-chosen label).
    pub origin: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {}: {p}", self.origin)?;
        }
        Ok(())
    }
}

impl std::error::Error for SpecError {}

/// A parser supplied by another part of strive: `Ok` or what is wrong.
pub type ParseHook<'a> = &'a dyn Fn(&str) -> Result<(), String>;

/// Checks that need knowledge outside this crate. Each is optional; what is absent is noted
/// in the docs of the field.
#[derive(Default, Clone, Copy)]
pub struct Checks<'a> {
    /// Is a plugin serving this kind installed? Without it, a custom kind is accepted only
    /// when the spec names its `plugin` (the run then checks that the plugin is installed).
    pub kind_installed: Option<&'a dyn Fn(&str) -> bool>,
    /// Parse a cadence (`30m`, `weekly`, cron). The scheduler owns the grammar.
    // TODO(scheduler): wire the scheduler's cadence parser here from the CLI.
    pub cadence: Option<ParseHook<'a>>,
    /// Parse a `stop_after` deadline. The scheduler owns the grammar.
    pub stop_after: Option<ParseHook<'a>>,
}

/// A valid spec and where it came from.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    pub spec: LoopSpec,
    /// The spec file.
    pub path: PathBuf,
    /// The document as written (for tools that report on what the person wrote).
    pub raw: Value,
}

impl LoadedSpec {
    /// `target.repo`, resolved against the spec file's directory when relative.
    pub fn repo_path(&self) -> PathBuf {
        resolve_against(&self.path, &self.spec.target.repo)
    }
}

/// `relative` resolved against the directory holding `file` (absolute paths pass through).
pub fn resolve_against(file: &Path, relative: &str) -> PathBuf {
    let p = Path::new(relative);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(p),
        _ => p.to_path_buf(),
    }
}

/// Read, parse and validate a spec file.
pub fn load(path: &Path, checks: &Checks) -> Result<LoadedSpec, SpecError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| SpecError {
        origin: origin.clone(),
        problems: vec![Problem {
            pointer: String::new(),
            message: format!("cannot read the file ({e})"),
            fix: "check the path and that it is readable UTF-8 text".into(),
        }],
    })?;
    let (spec, raw) = parse(&text, &origin, checks)?;
    Ok(LoadedSpec {
        spec,
        path: path.to_path_buf(),
        raw,
    })
}

/// Parse and validate spec text. `origin` names it in errors.
pub fn parse(text: &str, origin: &str, checks: &Checks) -> Result<(LoopSpec, Value), SpecError> {
    let fail = |problems| SpecError {
        origin: origin.to_string(),
        problems,
    };
    let raw: Value =
        serde_json::from_str(text).map_err(|e| fail(vec![Problem::json_syntax(&e)]))?;
    let spec = validate(&raw, checks).map_err(fail)?;
    Ok((spec, raw))
}

/// Validate a parsed document: the schema first, then (if it passes) the semantic checks.
/// Returns the typed spec, or every problem found.
pub fn validate(raw: &Value, checks: &Checks) -> Result<LoopSpec, Vec<Problem>> {
    let problems = schema_problems(raw);
    if !problems.is_empty() {
        return Err(problems);
    }
    if raw.get("grants").is_some() && raw.get("capabilities").is_some() {
        return Err(vec![problem(
            "/capabilities",
            "both \"grants\" and \"capabilities\" are set",
            "keep one list (\"grants\"); they mean the same",
        )]);
    }
    let spec: LoopSpec = serde_json::from_value(raw.clone()).map_err(|e| {
        vec![Problem {
            pointer: String::new(),
            message: format!("does not fit the loop-spec model ({e})"),
            fix: "check the field named in the message against docs/loop-spec.md".into(),
        }]
    })?;
    let problems = semantic_problems(&spec, checks);
    if problems.is_empty() {
        Ok(spec)
    } else {
        Err(problems)
    }
}

fn loop_schema() -> &'static (Value, jsonschema::Validator) {
    static SCHEMA: OnceLock<(Value, jsonschema::Validator)> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let schema: Value =
            serde_json::from_str(LOOP_SCHEMA).expect("schemas/loop.schema.json is valid JSON");
        let validator = jsonschema::validator_for(&schema)
            .expect("schemas/loop.schema.json is a valid JSON Schema");
        (schema, validator)
    })
}

/// Validate a plugin manifest against `schemas/plugin-manifest.schema.json`; the problems use
/// the same wording as loop-spec problems.
pub fn validate_manifest(raw: &Value) -> Vec<Problem> {
    static SCHEMA: OnceLock<(Value, jsonschema::Validator)> = OnceLock::new();
    let (schema, validator) = SCHEMA.get_or_init(|| {
        let schema: Value = serde_json::from_str(PLUGIN_MANIFEST_SCHEMA)
            .expect("schemas/plugin-manifest.schema.json is valid JSON");
        let validator = jsonschema::validator_for(&schema)
            .expect("schemas/plugin-manifest.schema.json is a valid JSON Schema");
        (schema, validator)
    });
    collect_schema_problems(schema, validator, raw)
}

fn schema_problems(raw: &Value) -> Vec<Problem> {
    let (schema, validator) = loop_schema();
    collect_schema_problems(schema, validator, raw)
}

fn collect_schema_problems(
    schema: &Value,
    validator: &jsonschema::Validator,
    raw: &Value,
) -> Vec<Problem> {
    let mut out: Vec<Problem> = Vec::new();
    for err in validator.iter_errors(raw) {
        for p in describe_error(schema, raw, &err) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// The schema node that describes the value at `pointer`, following `properties` and `items`.
fn schema_at<'s>(schema: &'s Value, pointer: &str) -> Option<&'s Value> {
    let mut node = schema;
    for seg in pointer.split('/').skip(1) {
        let seg = seg.replace("~1", "/").replace("~0", "~");
        node = match node.get("properties").and_then(|p| p.get(&seg)) {
            Some(n) => n,
            None if seg.parse::<usize>().is_ok() => node.get("items")?,
            None => return None,
        };
    }
    Some(node)
}

fn hint(schema: &Value, pointer: &str) -> Option<String> {
    schema_at(schema, pointer)?
        .get("description")?
        .as_str()
        .map(str::to_owned)
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "an integer",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

fn describe_error(schema: &Value, raw: &Value, err: &jsonschema::ValidationError) -> Vec<Problem> {
    use jsonschema::error::ValidationErrorKind as K;
    let pointer = err.instance_path().as_str().to_string();
    let got = raw.pointer(&pointer).cloned().unwrap_or(Value::Null);
    let fix_here = || hint(schema, &pointer).unwrap_or_else(|| "see docs/loop-spec.md".into());
    let one = |message: String| {
        vec![Problem {
            pointer: pointer.clone(),
            message,
            fix: fix_here(),
        }]
    };
    match err.kind() {
        K::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            let child = format!("{pointer}/{name}");
            let why = conditional_reason(raw, err.schema_path().as_str());
            vec![Problem {
                fix: hint(schema, &child).map_or_else(
                    || format!("add \"{name}\" (see docs/loop-spec.md)"),
                    |h| format!("add it: {h}"),
                ),
                message: format!("missing required field \"{name}\"{why}"),
                pointer: child,
            }]
        }
        K::AdditionalProperties { unexpected } => {
            let known: Vec<String> = schema_at(schema, &pointer)
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|m| m.keys().filter(|k| *k != "$schema").cloned().collect())
                .unwrap_or_default();
            unexpected
                .iter()
                .map(|name| Problem {
                    pointer: format!("{pointer}/{name}"),
                    message: format!("unknown field \"{name}\""),
                    fix: format!(
                        "remove it or fix its spelling; known fields here: {}",
                        known.join(", ")
                    ),
                })
                .collect()
        }
        K::Minimum { limit } => one(format!("must be ≥ {limit} (got {})", short(&got))),
        K::Maximum { limit } => one(format!("must be ≤ {limit} (got {})", short(&got))),
        K::ExclusiveMinimum { limit } => one(format!("must be > {limit} (got {})", short(&got))),
        K::Type { .. } => {
            let want = schema_at(schema, &pointer)
                .and_then(|n| n.get("type"))
                .map(|t| t.to_string().replace('"', ""))
                .unwrap_or_else(|| "another type".into());
            one(format!("must be {want} (got {})", json_kind(&got)))
        }
        K::Enum { options } => one(format!(
            "must be one of {} (got {})",
            short(options),
            short(&got)
        )),
        K::Constant { expected_value } => one(format!(
            "must be {} (got {})",
            short(expected_value),
            short(&got)
        )),
        K::Pattern { .. } => one(format!("has an invalid form: {}", short(&got))),
        K::MinLength { .. } => one("must not be empty".into()),
        K::MaxLength { limit } => one(format!("is longer than {limit} characters")),
        K::MinItems { limit } => one(format!(
            "must list at least {limit} item{}",
            if *limit == 1 { "" } else { "s" }
        )),
        K::UniqueItems => one("lists the same item twice".into()),
        K::AnyOf { .. } if pointer.is_empty() => vec![Problem {
            pointer,
            message: "assisted-fix needs a maker or a maker_command".into(),
            fix: "add \"maker\": {\"type\": \"nvidia\"} (or anthropic/openai), or a \"maker_command\""
                .into(),
        }],
        _ => one(format!("{err}")),
    }
}

/// " (kind X needs it)" when a `required` came from a conditional rule on kind or phase.
fn conditional_reason(raw: &Value, schema_path: &str) -> String {
    if !schema_path.contains("/then/") {
        return String::new();
    }
    let kind = raw.get("kind").and_then(Value::as_str).unwrap_or("");
    let phase = raw.get("phase").and_then(Value::as_str).unwrap_or("");
    if schema_path.contains("/allOf/2/") {
        format!(" (phase {phase} auto-merges, so it needs an allowlist)")
    } else if schema_path.contains("/allOf/3/") || schema_path.contains("/allOf/4/") {
        " (this maker type needs it)".into()
    } else {
        format!(" (kind {kind} needs it)")
    }
}

fn problem(pointer: &str, message: impl Into<String>, fix: impl Into<String>) -> Problem {
    Problem {
        pointer: pointer.into(),
        message: message.into(),
        fix: fix.into(),
    }
}

/// What the schema cannot say.
/// A first-run `since` window: `YYYY-MM-DD`, or `N unit [ago]` (second, minute, hour, day,
/// week, month, year; plural or not).
pub fn window_parses(expr: &str) -> bool {
    let e = expr.trim().to_ascii_lowercase();
    let date: Vec<&str> = e.split('-').collect();
    if date.len() == 3 {
        let num = |s: &str, r: std::ops::RangeInclusive<u32>| {
            s.parse::<u32>().is_ok_and(|n| r.contains(&n))
        };
        return num(date[0], 0..=9999) && num(date[1], 1..=12) && num(date[2], 1..=31);
    }
    let mut it = e.split_whitespace();
    let (Some(n), Some(unit)) = (it.next(), it.next()) else {
        return false;
    };
    let unit = unit.strip_suffix('s').unwrap_or(unit);
    n.parse::<u64>().is_ok()
        && [
            "second", "sec", "minute", "min", "hour", "day", "week", "month", "year",
        ]
        .contains(&unit)
        && matches!(it.next(), None | Some("ago"))
        && it.next().is_none()
}

fn semantic_problems(spec: &LoopSpec, checks: &Checks) -> Vec<Problem> {
    let mut out = Vec::new();
    match spec.kind.as_str() {
        KIND_ASSISTED_FIX if spec.phase < Phase::L2 => out.push(problem(
            "/phase",
            format!(
                "assisted-fix proposes changes, which phase {} does not allow",
                spec.phase
            ),
            "set it to L2 (branch for review) or L3 (auto-merge through the allowlist)",
        )),
        KIND_TRIAGE if spec.phase > Phase::L1 => out.push(problem(
            "/phase",
            format!(
                "git-commit-triage is report-only; phase {} claims more",
                spec.phase
            ),
            "set it to L1",
        )),
        _ => {}
    }
    if spec.is_builtin_kind() {
        if spec.plugin.is_some() {
            out.push(problem(
                "/plugin",
                format!(
                    "kind {} is built in; \"plugin\" applies only to custom kinds",
                    spec.kind
                ),
                "remove \"plugin\", or set \"kind\" to your plugin's kind name",
            ));
        }
    } else {
        match (checks.kind_installed, &spec.plugin) {
            (Some(installed), _) if !installed(&spec.kind) => out.push(problem(
                "/kind",
                format!("no installed plugin serves kind \"{}\"", spec.kind),
                format!(
                    "install one with `strive plugin add`, or use a built-in kind ({})",
                    BUILTIN_KINDS.join(", ")
                ),
            )),
            (None, None) => out.push(problem(
                "/kind",
                format!(
                    "\"{}\" is not a built-in kind and no \"plugin\" is named",
                    spec.kind
                ),
                format!(
                    "use {} or set \"plugin\" to the id of the installed plugin that serves it",
                    BUILTIN_KINDS.join(" or ")
                ),
            )),
            _ => {}
        }
    }
    for (i, r) in spec.target.refs.iter().enumerate() {
        if spec.target.refs[..i].contains(r) {
            out.push(problem(
                &format!("/target/refs/{i}"),
                format!("ref \"{r}\" is listed twice"),
                "list each ref once",
            ));
        }
        if r.trim() != r || r.starts_with('-') {
            out.push(problem(
                &format!("/target/refs/{i}"),
                format!("\"{r}\" is not a usable ref name"),
                "write a branch or tag name such as main, without spaces or a leading '-'",
            ));
        }
    }
    for (i, g) in spec.grants.iter().enumerate() {
        if let Err(e) = g.parse::<strive_vocab::Grant>() {
            out.push(problem(
                &format!("/grants/{i}"),
                e,
                "name a capability from docs/plugins.md (for example git.read or maker:anthropic)",
            ));
        }
    }
    if let Some(m) = &spec.maker
        && m.maker_type().is_none()
    {
        out.push(problem(
            "/maker/type",
            format!("maker type \"{}\" is unknown", m.kind),
            format!(
                "use one of {}",
                strive_vocab::MakerType::spellings()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
    if let Some(m) = &spec.maker {
        if m.mode().is_none() {
            out.push(problem(
                "/maker/mode",
                format!(
                    "maker mode \"{}\" is unknown",
                    m.mode.as_deref().unwrap_or_default()
                ),
                format!(
                    "use one of {} (docs/agents.md)",
                    strive_vocab::MakerMode::spellings()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if m.mode() == Some(strive_vocab::MakerMode::Agent)
            && m.maker_type().is_some_and(|t| {
                matches!(
                    t.protocol,
                    strive_vocab::MakerProtocol::Command | strive_vocab::MakerProtocol::AgentCli
                )
            })
        {
            out.push(problem(
                "/maker/mode",
                format!(
                    "maker type \"{}\" runs a program, which has no chat turns (an agent CLI is already an agent); agent mode needs an LLM maker",
                    m.kind
                ),
                "use an LLM maker type (anthropic, openai, nvidia, groq, openrouter, ollama, vllm, llamacpp), or drop \"mode\"",
            ));
        }
        if let Some(n) = m.max_turns
            && !(1..=u64::from(strive_vocab::MAX_TURNS_LIMIT)).contains(&n)
        {
            out.push(problem(
                "/maker/max_turns",
                format!(
                    "maker.max_turns must be 1..={} (got {n})",
                    strive_vocab::MAX_TURNS_LIMIT
                ),
                format!(
                    "set it to the most chat turns one run may take, or leave it out for {}",
                    strive_vocab::DEFAULT_MAX_TURNS
                ),
            ));
        }
    }
    let mut names: Vec<&str> = Vec::new();
    for (i, c) in spec.connectors.iter().enumerate() {
        if names.contains(&c.name.as_str()) {
            out.push(problem(
                &format!("/connectors/{i}/name"),
                format!("connector \"{}\" is listed twice", c.name),
                "give each connector a distinct name",
            ));
        }
        names.push(&c.name);
        match (&c.command, &c.url) {
            (Some(_), Some(_)) | (None, None) => out.push(problem(
                &format!("/connectors/{i}"),
                format!(
                    "connector \"{}\" needs exactly one of `command` (a stdio server) and `url` (a Streamable HTTP server)",
                    c.name
                ),
                "set `command` to the server's argv, e.g. [\"npx\", \"@modelcontextprotocol/server-everything\"], or `url` to its http(s) endpoint",
            )),
            (Some(argv), None) if argv.first().is_none_or(|p| p.trim().is_empty()) => {
                out.push(problem(
                    &format!("/connectors/{i}/command"),
                    format!("connector \"{}\" has an empty command", c.name),
                    "write the server's program and arguments as a list, program first",
                ))
            }
            _ => {}
        }
        if c.network == crate::model::SandboxNetwork::Full
            && c.network_reason
                .as_deref()
                .is_none_or(|r| r.trim().is_empty())
        {
            out.push(problem(
                &format!("/connectors/{i}/network_reason"),
                format!(
                    "connector \"{}\" asks for the network without a reason",
                    c.name
                ),
                "say why the server needs the network in network_reason (strive audit shows it)",
            ));
        }
        if c.scope == ConnectorScope::Write && spec.phase < Phase::L3 {
            out.push(problem(
                &format!("/connectors/{i}/scope"),
                format!(
                    "write scope needs phase L3 (the loop declares {})",
                    spec.phase
                ),
                "set scope to read, or raise the phase to L3 once the loop has earned it",
            ));
        }
    }
    // First-run windows: the same grammar the triage kind reads, so `validate` refuses what
    // `run` would.
    let windows = [
        (
            "/target/first_run_since",
            spec.target.first_run_since.clone(),
        ),
        (
            "/target/first_run",
            match &spec.target.first_run {
                Some(serde_json::Value::String(s)) if s.trim() != "all" => Some(s.clone()),
                Some(serde_json::Value::Object(m)) => {
                    m.get("since").and_then(|v| v.as_str()).map(str::to_string)
                }
                _ => None,
            },
        ),
    ];
    for (pointer, expr) in windows {
        if let Some(expr) = expr
            && !window_parses(&expr)
        {
            out.push(problem(
                pointer,
                format!("\"{expr}\" is not a window the triage kind reads"),
                "use \"7 days ago\", \"2 weeks\", \"2024-05-01\", {\"last\": 50}, {\"since_tag\": true} or \"all\"",
            ));
        }
    }
    if let (Some(cadence), Some(parse)) = (&spec.cadence, checks.cadence)
        && let Err(e) = parse(cadence)
    {
        out.push(problem(
            "/cadence",
            format!("cannot parse cadence \"{cadence}\": {e}"),
            "use an interval such as 30m, 6h, 1d, weekly, or a cron expression",
        ));
    }
    if let (Some(stop), Some(parse)) = (&spec.stop_after, checks.stop_after)
        && let Err(e) = parse(stop)
    {
        out.push(problem(
            "/stop_after",
            format!("cannot parse stop_after \"{stop}\": {e}"),
            "use a date-time such as 2026-12-31T00:00:00Z",
        ));
    }
    out
}
