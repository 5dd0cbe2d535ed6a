//! Loading a plugin: component + manifest → a checked, instantiable plugin.
//!
//! Guarantees: a plugin is refused before any of its code runs if (a) its manifest targets an
//! API this host does not serve, (b) it imports an interface no capability covers (e.g.
//! `wasi:sockets`, `wasi:http`) or (c) it imports a capability interface its manifest does not
//! declare — the error lists every offending import. Built-in plugins go through exactly the
//! same checks.

use std::sync::OnceLock;
use wasmtime_wasi::p2::bindings::clocks::monotonic_clock::Host as MonotonicClock;

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};

use crate::bindings::v0_1::{LoopKind, LoopKindPre};
use crate::cache::{CacheOutcome, ComponentCache};
use crate::capability::{self, Capability};
use crate::engine::engine;
use crate::host::HostState;
use crate::manifest::Manifest;

/// Why a plugin could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Compile(String),
    #[error(
        "plugin {id} imports interfaces it may not use: {}. Declare the capability in its manifest (capabilities = [...]) or rebuild it without them; network and file-system interfaces are never linked",
        .imports.join("; ")
    )]
    Imports { id: String, imports: Vec<String> },
    #[error(
        "plugin {id} targets {found}, but this host serves strive:loops@0.1.x; rebuild it against a supported WIT"
    )]
    ApiVersion { id: String, found: String },
    #[error("plugin {id} does not fit the loop-kind world: {reason}")]
    World { id: String, reason: String },
}

/// A loaded plugin, ready to run many times.
pub struct Plugin {
    pub manifest: Manifest,
    pub sha256: String,
    pub cache: CacheOutcome,
    pub(crate) pre: LoopKindPre<HostState>,
}

/// The linker for API 0.1: the strive:loops interfaces plus the authority-free WASI runtime
/// interfaces (no sockets, no http).
fn linker() -> &'static Linker<HostState> {
    static LINKER: OnceLock<Linker<HostState>> = OnceLock::new();
    LINKER.get_or_init(|| {
        let mut linker = Linker::new(engine());
        add_wasi_runtime(&mut linker).expect("link the WASI runtime interfaces");
        LoopKind::add_to_linker::<HostState, HasSelf<HostState>>(&mut linker, |s| s)
            .expect("link the strive:loops interfaces");
        linker
    })
}

/// What a language runtime needs, and nothing that reaches out: clocks, random, cli (env and
/// args are empty, stdio captured), io streams, and filesystem types with no preopened dirs.
fn add_wasi_runtime(l: &mut Linker<HostState>) -> wasmtime::Result<()> {
    use wasmtime_wasi::cli::WasiCli;
    use wasmtime_wasi::clocks::WasiClocks;
    use wasmtime_wasi::filesystem::WasiFilesystem;
    use wasmtime_wasi::p2::bindings::{cli, clocks, filesystem, random, sync};
    use wasmtime_wasi::random::WasiRandom;

    fn io_table(t: &mut HostState) -> &mut wasmtime::component::ResourceTable {
        &mut t.table
    }
    struct HasIo;
    impl wasmtime::component::HasData for HasIo {
        type Data<'a> = &'a mut wasmtime::component::ResourceTable;
    }

    clocks::wall_clock::add_to_linker::<HostState, WasiClocks>(l, |t| {
        wasmtime_wasi::clocks::WasiClocksView::clocks(t)
    })?;
    // Waits on the monotonic clock (sleep, poll timeouts) end by the run's deadline: the host
    // blocks in them, where epoch interruption cannot reach, so a longer wait is cut to the
    // time left and the run then stops on its wall clock.
    clocks::monotonic_clock::add_to_linker::<HostState, DeadlineClocks>(l, |t| {
        let left = t
            .calls
            .deadline
            .saturating_duration_since(std::time::Instant::now());
        DeadlineClock {
            inner: wasmtime_wasi::clocks::WasiClocksView::clocks(t),
            left_ns: u64::try_from(left.as_nanos()).unwrap_or(u64::MAX),
        }
    })?;
    random::random::add_to_linker::<HostState, WasiRandom>(l, |t| t.wasi.random())?;
    random::insecure::add_to_linker::<HostState, WasiRandom>(l, |t| t.wasi.random())?;
    random::insecure_seed::add_to_linker::<HostState, WasiRandom>(l, |t| t.wasi.random())?;
    fn cli_view(t: &mut HostState) -> wasmtime_wasi::cli::WasiCliCtxView<'_> {
        wasmtime_wasi::cli::WasiCliView::cli(t)
    }
    cli::exit::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::environment::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::stdin::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::stdout::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::stderr::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::terminal_input::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::terminal_output::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::terminal_stdin::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::terminal_stdout::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    cli::terminal_stderr::add_to_linker::<HostState, WasiCli>(l, cli_view)?;
    fn fs_view(t: &mut HostState) -> wasmtime_wasi::filesystem::WasiFilesystemCtxView<'_> {
        wasmtime_wasi::filesystem::WasiFilesystemView::filesystem(t)
    }
    filesystem::preopens::add_to_linker::<HostState, WasiFilesystem>(l, fs_view)?;
    sync::filesystem::types::add_to_linker::<HostState, WasiFilesystem>(l, fs_view)?;
    wasmtime_wasi_io::bindings::wasi::io::error::add_to_linker::<HostState, HasIo>(l, io_table)?;
    sync::io::poll::add_to_linker::<HostState, HasIo>(l, io_table)?;
    sync::io::streams::add_to_linker::<HostState, HasIo>(l, io_table)?;
    Ok(())
}

/// `wasi:clocks/monotonic-clock` with every wait capped at the run's remaining time.
struct DeadlineClock<'a> {
    inner: wasmtime_wasi::clocks::WasiClocksCtxView<'a>,
    left_ns: u64,
}

struct DeadlineClocks;

impl wasmtime::component::HasData for DeadlineClocks {
    type Data<'a> = DeadlineClock<'a>;
}

impl MonotonicClock for DeadlineClock<'_> {
    fn now(&mut self) -> wasmtime::Result<u64> {
        MonotonicClock::now(&mut self.inner)
    }

    fn resolution(&mut self) -> wasmtime::Result<u64> {
        MonotonicClock::resolution(&mut self.inner)
    }

    fn subscribe_instant(
        &mut self,
        when: u64,
    ) -> wasmtime::Result<wasmtime::component::Resource<wasmtime_wasi::p2::DynPollable>> {
        let now = MonotonicClock::now(&mut self.inner)?;
        let capped = when.min(now.saturating_add(self.left_ns));
        MonotonicClock::subscribe_instant(&mut self.inner, capped)
    }

    fn subscribe_duration(
        &mut self,
        duration: u64,
    ) -> wasmtime::Result<wasmtime::component::Resource<wasmtime_wasi::p2::DynPollable>> {
        MonotonicClock::subscribe_duration(&mut self.inner, duration.min(self.left_ns))
    }
}

impl Plugin {
    /// Load `wasm` under `manifest`, through `cache` when given.
    pub fn load(
        wasm: &[u8],
        manifest: Manifest,
        cache: Option<&ComponentCache>,
    ) -> Result<Plugin, LoadError> {
        let engine = engine();
        let sha256 = hex::encode(Sha256::digest(wasm));
        let (component, cache_outcome) = match cache {
            Some(cache) => cache
                .load(engine, wasm, &sha256)
                .map_err(LoadError::Compile)?,
            None => (
                Component::new(engine, wasm).map_err(|e| {
                    LoadError::Compile(format!("cannot compile plugin {}: {e}", manifest.id))
                })?,
                CacheOutcome::Uncached,
            ),
        };
        check_imports(&component, &manifest)?;
        let pre = linker()
            .instantiate_pre(&component)
            .map_err(|e| LoadError::World {
                id: manifest.id.clone(),
                reason: error_chain(&e),
            })?;
        let pre = LoopKindPre::new(pre).map_err(|e| LoadError::World {
            id: manifest.id.clone(),
            reason: error_chain(&e),
        })?;
        Ok(Plugin {
            manifest,
            sha256,
            cache: cache_outcome,
            pre,
        })
    }
}

/// Actual imports ⊆ declared capabilities (plus the authority-free runtime interfaces).
fn check_imports(component: &Component, manifest: &Manifest) -> Result<(), LoadError> {
    let engine = engine();
    let mut offending = Vec::new();
    for (name, _) in component.component_type().imports(engine) {
        let (base, version) = capability::split_version(name);
        if base.starts_with(capability::PACKAGE)
            && let Some(v) = version
            && !(v == "0.1" || v.starts_with("0.1."))
        {
            return Err(LoadError::ApiVersion {
                id: manifest.id.clone(),
                found: name.to_string(),
            });
        }
        match capability::interface_capabilities(name) {
            None => offending.push(format!("{name} (never granted to plugins)")),
            Some(caps) if caps.is_empty() => {}
            Some(caps) => {
                if !caps.iter().any(|c| manifest.capabilities.contains(c)) {
                    let names: Vec<&str> = caps.iter().map(|c| Capability::name(*c)).collect();
                    offending.push(format!(
                        "{name} (needs `{}`, not declared)",
                        names.join("` or `")
                    ));
                }
            }
        }
    }
    if offending.is_empty() {
        Ok(())
    } else {
        Err(LoadError::Imports {
            id: manifest.id.clone(),
            imports: offending,
        })
    }
}

/// An error and its causes on one line, without a backtrace.
pub fn error_chain(e: &wasmtime::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}
