//! `strive plugin`: install, inspect, upgrade, remove and scaffold loop-kind plugins.
//!
//! Guarantees: a plugin is recorded only after it passed every load check (component, manifest,
//! API version, imports ⊆ declared) and was precompiled; the install is transactional (see
//! `strive_runtime::registry`); grants come only from the person — `--yes`, `--grant`, or an
//! answer at the terminal — and an upgrade that requests a capability nobody granted is refused,
//! leaving the installed version as it was.

use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal, Write};

use clap::Subcommand;
use strive_core::exit;
use strive_runtime::Capability;
use strive_runtime::cache::{self, ComponentCache};
use strive_runtime::registry::{self, CapabilityDiff, LockEntry, Mode, Registry, RegistryError};

use crate::cmd::io::print_json;
use crate::ui::esc;

mod fetch;
mod new;

/// Manage loop-kind plugins (WebAssembly components).
///
/// Plugins are recorded in `plugins.lock` under `$STRIVE_HOME`, else the project's `.strive/`
/// (the nearest directory upward holding `.strive/` or `.loop-state/`; `-v` says which).
/// `strive run` runs a spec whose `kind` is an installed plugin's kind.
///
/// Examples:
///   strive plugin new --lang python my-kind && (cd my-kind && ./build.sh)
///   strive plugin new --lang rust --phase l2 my-fixer
///   strive plugin add my-kind/dist/my-kind.wasm --yes
///   strive plugin add https://example.com/acme-triage.wasm --grant git.read --grant report
///   strive plugin list
///   strive plugin grant acme.triage maker
///   strive plugin upgrade acme.triage ./acme-triage-2.0.wasm --grant maker
///   strive plugin remove acme.triage
#[derive(clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Install a plugin from a path or an https URL.
    ///
    /// The component must carry its manifest (custom section `strive-plugin`) or have
    /// `strive-plugin.toml` beside it (or pass --manifest). It is checked, shown with the
    /// capabilities it requests, granted by you, precompiled and recorded in plugins.lock.
    ///
    /// At the terminal prompt every requested capability must be granted: answering no to
    /// any (or Ctrl-D, which ends the questions) installs nothing (exit 2). To install with fewer grants on purpose, name them with
    /// --grant (the plugin's calls to the others are refused; widen later with
    /// `strive plugin grant ID CAP`).
    ///
    /// Exit codes: 0 installed, 2 refused by policy (undeclared imports, a capability not
    /// granted), 64 not a usable plugin (not a component, bad manifest, unsupported API) or usage.
    Add(AddArgs),
    /// Grant an installed plugin more of the capabilities it declares.
    ///
    /// Exit codes: 0 granted, 2 a capability the plugin does not declare, 64 not installed or
    /// an unknown capability name.
    Grant(GrantCapArgs),
    /// List installed plugins.
    List(ListArgs),
    /// Show one installed plugin (by id or loop kind).
    Info(InfoArgs),
    /// Uninstall a plugin (by id or loop kind).
    Remove(RemoveArgs),
    /// Re-check an installed plugin: its file still has the digest in plugins.lock and still
    /// passes the load checks (exit 5 when the file changed).
    Verify(RemoveArgs),
    /// Replace an installed plugin with a new version.
    ///
    /// Shows the capability diff (`+maker -git.read`). Capabilities kept keep their grant;
    /// each added one needs a grant (--yes, --grant, or at the prompt). Without it the upgrade
    /// is refused (exit 2) and the installed version stays as it was. A lower version than the
    /// installed one is refused (exit 2) unless --allow-downgrade is given.
    Upgrade(UpgradeArgs),
    /// Scaffold a working loop kind in Rust, Python or JavaScript.
    ///
    /// Writes the manifest, the source of an example loop kind, the WIT, a build script and a
    /// README into `--dir` (default: `./NAME`). `--phase l1` (default): a report-only kind that
    /// counts commits by conventional type and reports one finding citing the newest commit.
    /// `--phase l2`: a kind that changes its target at L2/L3 — appends the spec's
    /// `config.change.append` to `config.change.path` in a private worktree, runs the spec's
    /// `test_command`, commits on a `loop/...` branch (L2) and asks the merge gate (L3). Both
    /// get the same host checks as the built-in kinds.
    ///
    /// Examples:
    ///   strive plugin new --lang rust commit-types
    ///   strive plugin new --lang python --phase l2 bump-changelog
    ///   strive plugin new --lang js --phase l2 bump-changelog --dir plugins/bump
    #[command(verbatim_doc_comment)]
    New(new::Args),
}

#[derive(clap::Args)]
struct Source {
    /// A component file (`.wasm`) or an https URL.
    source: String,
    /// The manifest, when it is neither embedded nor `strive-plugin.toml` beside the component.
    #[arg(long, value_name = "FILE|URL")]
    manifest: Option<String>,
}

#[derive(clap::Args)]
struct GrantArgs {
    /// Grant every capability the plugin requests (for scripts).
    #[arg(long, short = 'y')]
    yes: bool,
    /// Grant only these capabilities (repeat or comma-separate: --grant git.read,report).
    #[arg(long = "grant", value_name = "CAP", value_delimiter = ',')]
    grant: Vec<String>,
}

#[derive(clap::Args)]
struct AddArgs {
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    grants: GrantArgs,
}

#[derive(clap::Args)]
struct UpgradeArgs {
    /// The installed plugin's id or loop kind.
    id: String,
    #[command(flatten)]
    source: Source,
    #[command(flatten)]
    grants: GrantArgs,
    /// Allow installing a lower version than the installed one.
    #[arg(long)]
    allow_downgrade: bool,
}

#[derive(clap::Args)]
struct GrantCapArgs {
    /// The installed plugin's id or loop kind.
    id: String,
    /// Capabilities to grant (repeat or comma-separate: git.read,report).
    #[arg(required = true, value_name = "CAP", value_delimiter = ',')]
    caps: Vec<String>,
}

#[derive(clap::Args)]
struct ListArgs {
    /// Print JSON (the lock entries).
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct InfoArgs {
    /// Plugin id or loop kind.
    id: String,
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct RemoveArgs {
    /// Plugin id or loop kind.
    id: String,
}

pub fn run(args: Args) -> i32 {
    let project = crate::project::Project::discover(None);
    project.announce(None, true);
    let registry = Registry::new(project.registry().0);
    let result = match args.action {
        Action::Add(a) => add(&registry, &a.source, &a.grants, None, false),
        Action::Upgrade(a) => add(
            &registry,
            &a.source,
            &a.grants,
            Some(&a.id),
            a.allow_downgrade,
        ),
        Action::Grant(a) => grant(&registry, &a.id, &a.caps),
        Action::List(a) => list(&registry, a.json),
        Action::Info(a) => info(&registry, &a.id, a.json),
        Action::Remove(a) => registry.remove(&a.id).map(|e| {
            outln!(
                "removed {} {} (kind {})",
                esc(&e.id),
                esc(&e.version),
                esc(&e.kind)
            );
            exit::OK
        }),
        Action::Verify(a) => verify(&registry, &a.id),
        Action::New(a) => return new::run(a),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {}", esc(&e.to_string()));
        exit_code(&e)
    })
}

/// Policy refusals are "blocked" (2), a changed file is "tampering" (5), the rest is input (64).
fn exit_code(e: &RegistryError) -> i32 {
    match e {
        RegistryError::Load(strive_runtime::LoadError::Imports { .. })
        | RegistryError::GrantNotRequested(_)
        | RegistryError::KindTaken { .. } => exit::BLOCKED,
        RegistryError::DigestMismatch { .. } => exit::TAMPERING,
        _ => exit::USAGE,
    }
}

fn cache() -> Option<ComponentCache> {
    cache::default_dir().map(ComponentCache::new)
}

/// `add` and `upgrade` (when `upgrading` names the installed plugin).
fn add(
    registry: &Registry,
    src: &Source,
    grant_args: &GrantArgs,
    upgrading: Option<&str>,
    allow_downgrade: bool,
) -> Result<i32, RegistryError> {
    let previous = match upgrading {
        Some(key) => Some(
            registry
                .find(key)?
                .ok_or_else(|| RegistryError::NotInstalled {
                    key: key.into(),
                    installed: "see `strive plugin list`".into(),
                })?,
        ),
        None => None,
    };
    let fetched = match fetch::fetch(&src.source, src.manifest.as_deref()) {
        Ok(f) => f,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(exit::USAGE);
        }
    };
    let beside = fetched
        .manifest
        .as_ref()
        .map(|(text, origin)| (text.as_str(), origin.as_str()));
    // The schema first (cheap, every problem at once), then the load checks and precompile.
    registry::check_component(&fetched.bytes, &fetched.origin)?;
    let text = registry::embedded_manifest(&fetched.bytes, &fetched.origin)?
        .or_else(|| beside.map(|(t, _)| t.to_string()));
    if let Some(problems) = text.as_deref().and_then(schema_problems) {
        eprintln!(
            "error: {}: the manifest does not match schemas/plugin-manifest.schema.json:",
            fetched.origin
        );
        for p in problems {
            eprintln!("  {p}");
        }
        return Ok(exit::USAGE);
    }
    let cache = cache();
    let progress = crate::ui::Progress::start("checking and precompiling the component");
    let candidate = registry::prepare(&fetched.bytes, &fetched.origin, beside, cache.as_ref());
    progress.done();
    let candidate = candidate?;
    let m = &candidate.manifest;
    if let Some(prev) = &previous
        && prev.id != m.id
    {
        return Err(RegistryError::IdChanged {
            expected: prev.id.clone(),
            found: m.id.clone(),
        });
    }
    if let Some(prev) = &previous
        && !allow_downgrade
        && is_downgrade(&prev.version, &m.version)
    {
        eprintln!(
            "error: {} {} is older than the installed {}; nothing was changed. Pass --allow-downgrade to install it anyway",
            esc(&m.id),
            esc(&m.version),
            esc(&prev.version)
        );
        return Ok(exit::BLOCKED);
    }

    // Everything below comes from the plugin's manifest: escaped before it is shown.
    eprintln!(
        "plugin {} {} — loop kind `{}`, API {} (served as strive:loops@{})",
        esc(&m.id),
        esc(&m.version),
        esc(&m.kind),
        esc(&m.api),
        candidate.api_served
    );
    if let Some(d) = &m.about.description {
        eprintln!("  {}", esc(d));
    }
    eprintln!(
        "  license: {}  source: {}  sha256: {}",
        esc(m.about.license.as_deref().unwrap_or("(not given)")),
        esc(m.about.source.as_deref().unwrap_or(&fetched.origin)),
        candidate.sha256
    );
    // What needs a decision now: everything (add), or only what the upgrade adds.
    let (carried, to_decide): (BTreeSet<Capability>, BTreeSet<Capability>) = match &previous {
        None => (BTreeSet::new(), m.capabilities.clone()),
        Some(prev) => {
            let diff = CapabilityDiff::between(&prev.declared, &m.capabilities);
            eprintln!(
                "  upgrade {} → {}; capabilities: {}",
                prev.version,
                m.version,
                if diff.summary().is_empty() {
                    "unchanged".to_string()
                } else {
                    diff.summary()
                }
            );
            prev.upgrade_grants(&m.capabilities)
        }
    };
    eprintln!("  requests:");
    for cap in &m.capabilities {
        let request = m.requests.get(cap).cloned().unwrap_or_default();
        let scopes = if request.scopes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", esc(&request.scopes.join(", ")))
        };
        let why = request
            .reason
            .map(|r| format!(" — {}", esc(&r)))
            .unwrap_or_default();
        let state = if carried.contains(cap) {
            " (granted before)"
        } else {
            ""
        };
        eprintln!(
            "    {cap} (min phase {}){scopes}{why}{state}",
            cap.row().min_phase
        );
    }
    let decided = match decide(grant_args, &m.capabilities, &to_decide) {
        Ok(d) => d,
        Err(message) => {
            eprintln!("error: {message}");
            return Ok(exit::USAGE);
        }
    };
    let decided = match decided {
        Decision::Granted(set) => set,
        Decision::Declined(declined) => {
            eprintln!(
                "error: you declined {} which {} requests; nothing was {}. To install it with fewer capabilities on purpose, name them: `strive plugin {} --grant CAP,...` (its calls to the others will be refused)",
                names(&declined),
                esc(&m.id),
                if previous.is_some() {
                    "changed and the installed version keeps working"
                } else {
                    "installed"
                },
                if previous.is_some() {
                    "upgrade ID SOURCE"
                } else {
                    "add SOURCE"
                }
            );
            return Ok(exit::BLOCKED);
        }
        Decision::NobodyAsked => {
            eprintln!(
                "error: {} requests {} which nobody granted; nothing was changed{}. Grant with --grant CAP (or --yes for all requested)",
                esc(&m.id),
                to_decide
                    .iter()
                    .map(|c| c.name())
                    .collect::<Vec<_>>()
                    .join(", "),
                if previous.is_some() {
                    " and the installed version keeps working"
                } else {
                    ""
                }
            );
            return Ok(exit::BLOCKED);
        }
    };
    if previous.is_some() && !to_decide.is_subset(&decided) {
        let missing: BTreeSet<Capability> = to_decide.difference(&decided).copied().collect();
        eprintln!(
            "error: the upgrade of {} adds {} which was not granted; nothing was changed and the installed version keeps working. Grant with --grant CAP (or --yes)",
            esc(&m.id),
            names(&missing)
        );
        return Ok(exit::BLOCKED);
    }
    let grants: BTreeSet<Capability> = carried.union(&decided).copied().collect();
    let mode = if previous.is_some() {
        Mode::Upgrade
    } else {
        Mode::Add
    };
    let (entry, _) = registry.install(&candidate, &fetched.origin, &grants, mode)?;
    outln!(
        "{} {} {} (kind {}); granted: {}",
        if previous.is_some() {
            "upgraded"
        } else {
            "installed"
        },
        esc(&entry.id),
        esc(&entry.version),
        esc(&entry.kind),
        if entry.grants.is_empty() {
            "nothing".into()
        } else {
            LockEntry::names(&entry.grants)
        }
    );
    let ungranted: BTreeSet<Capability> = m.capabilities.difference(&grants).copied().collect();
    if !ungranted.is_empty() {
        eprintln!(
            "warning: {} requests {} which you did not grant: its calls to them will be refused. Grant later with `strive plugin grant {} {}`",
            esc(&entry.id),
            names(&ungranted),
            esc(&entry.id),
            names(&ungranted).replace(", ", ",")
        );
    }
    Ok(exit::OK)
}

/// Whether `new` is a lower version than `installed` (semver; versions that do not parse are
/// compared as text, so a change is never silently called an upgrade or a downgrade wrongly
/// — equal text is not a downgrade).
fn is_downgrade(installed: &str, new: &str) -> bool {
    match (
        semver::Version::parse(installed.trim()),
        semver::Version::parse(new.trim()),
    ) {
        (Ok(old), Ok(new)) => new < old,
        _ => false,
    }
}

/// `strive plugin grant ID CAP...`.
fn grant(registry: &Registry, key: &str, caps: &[String]) -> Result<i32, RegistryError> {
    let mut set = BTreeSet::new();
    for name in caps {
        match Capability::parse(name) {
            Some(c) => {
                set.insert(c);
            }
            None => {
                eprintln!(
                    "error: {}: unknown capability; known: {}",
                    esc(name),
                    known_caps()
                );
                return Ok(exit::USAGE);
            }
        }
    }
    let entry = registry.grant(key, &set)?;
    outln!(
        "granted {} to {} {}; granted now: {}",
        names(&set),
        esc(&entry.id),
        esc(&entry.version),
        LockEntry::names(&entry.grants)
    );
    Ok(exit::OK)
}

fn known_caps() -> String {
    strive_runtime::capability::TABLE
        .iter()
        .map(|r| r.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the person decided about the capabilities to decide.
enum Decision {
    /// These are granted (possibly fewer than requested, when named with --grant).
    Granted(BTreeSet<Capability>),
    /// At the prompt, the person said no to these.
    Declined(BTreeSet<Capability>),
    /// No --yes, no --grant, and no terminal to ask.
    NobodyAsked,
}

/// The grants for `to_decide`. `--grant` names must be requested by the manifest; at the
/// prompt every capability to decide must be granted (a "no" is [`Decision::Declined`]).
fn decide(
    args: &GrantArgs,
    requested: &BTreeSet<Capability>,
    to_decide: &BTreeSet<Capability>,
) -> Result<Decision, String> {
    if args.yes {
        return Ok(Decision::Granted(to_decide.clone()));
    }
    let mut named = BTreeSet::new();
    for name in &args.grant {
        let cap = Capability::parse(name).ok_or_else(|| {
            let known: Vec<&str> = strive_runtime::capability::TABLE
                .iter()
                .map(|r| r.name)
                .collect();
            format!(
                "--grant {name}: unknown capability; known: {}",
                known.join(", ")
            )
        })?;
        if !requested.contains(&cap) {
            return Err(format!(
                "--grant {name}: the plugin does not request it (it requests {})",
                names(requested)
            ));
        }
        named.insert(cap);
    }
    if !args.grant.is_empty() {
        // An explicit subset: the person decided. Left-out capabilities stay ungranted (an
        // upgrade then refuses: the new version may need what it added).
        return Ok(Decision::Granted(
            named.intersection(to_decide).copied().collect(),
        ));
    }
    if to_decide.is_empty() {
        return Ok(Decision::Granted(BTreeSet::new()));
    }
    if !std::io::stdin().is_terminal() {
        return Ok(Decision::NobodyAsked);
    }
    let mut declined = BTreeSet::new();
    let stdin = std::io::stdin();
    let mut ended = false;
    for cap in to_decide {
        if ended {
            declined.insert(*cap);
            continue;
        }
        eprint!("grant `{cap}`? [y/N] ");
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        match stdin.lock().read_line(&mut answer) {
            // End of input (Ctrl-D) or an unreadable answer is a "no" to this and every later
            // question: a terminal would otherwise go on asking after the person said stop.
            Ok(0) | Err(_) => {
                eprintln!();
                ended = true;
                declined.insert(*cap);
            }
            Ok(_) => {
                if !matches!(answer.trim(), "y" | "Y" | "yes") {
                    declined.insert(*cap);
                }
            }
        }
    }
    if declined.is_empty() {
        Ok(Decision::Granted(to_decide.clone()))
    } else {
        Ok(Decision::Declined(declined))
    }
}

fn names(caps: &BTreeSet<Capability>) -> String {
    caps.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
}

/// Schema problems of a manifest, if any (TOML that does not parse is left to the manifest
/// parser, whose message names the line).
fn schema_problems(text: &str) -> Option<Vec<String>> {
    let value: toml::Value = toml::from_str(text).ok()?;
    let json = serde_json::to_value(value).ok()?;
    let problems = strive_spec::validate_manifest(&json);
    if problems.is_empty() {
        None
    } else {
        Some(problems.iter().map(ToString::to_string).collect())
    }
}

fn list(registry: &Registry, json: bool) -> Result<i32, RegistryError> {
    let lock = registry.read()?;
    if json {
        let entries: Vec<&LockEntry> = lock.plugins.values().collect();
        print_json(&entries);
        return Ok(exit::OK);
    }
    if lock.plugins.is_empty() {
        outln!(
            "no plugins installed in {} (add one with `strive plugin add`)",
            registry.home().display()
        );
    }
    for e in lock.plugins.values() {
        outln!(
            "{}\t{}\tkind {}\tgrants: {}",
            esc(&e.id),
            esc(&e.version),
            esc(&e.kind),
            LockEntry::names(&e.grants)
        );
    }
    Ok(exit::OK)
}

fn verify(registry: &Registry, key: &str) -> Result<i32, RegistryError> {
    let entry = registry
        .find(key)?
        .ok_or_else(|| RegistryError::NotInstalled {
            key: key.into(),
            installed: "see `strive plugin list`".into(),
        })?;
    let cache = cache();
    registry.load(&entry, cache.as_ref())?;
    outln!(
        "{} {}: sha256 matches plugins.lock, load checks pass",
        esc(&entry.id),
        esc(&entry.version)
    );
    Ok(exit::OK)
}

fn info(registry: &Registry, key: &str, json: bool) -> Result<i32, RegistryError> {
    let lock = registry.read()?;
    let entry = lock.find(key).ok_or_else(|| RegistryError::NotInstalled {
        key: key.into(),
        installed: lock.plugins.keys().cloned().collect::<Vec<_>>().join(", "),
    })?;
    if json {
        print_json(entry);
        return Ok(exit::OK);
    }
    outln!("{} {}", esc(&entry.id), esc(&entry.version));
    outln!("  kind:       {}", esc(&entry.kind));
    outln!(
        "  api:        {} (served as strive:loops@{})",
        esc(&entry.api),
        esc(&entry.api_served)
    );
    outln!("  source:     {}", esc(&entry.source));
    outln!("  sha256:     {}", entry.sha256);
    outln!(
        "  file:       {}",
        registry.home().join(&entry.path).display()
    );
    outln!("  declared:   {}", esc(&LockEntry::names(&entry.declared)));
    outln!("  granted:    {}", esc(&LockEntry::names(&entry.grants)));
    outln!("  installed:  {}", esc(&entry.installed_at));
    Ok(exit::OK)
}
