//! Installed plugins: the lock file, the install transaction, and digest-checked loading.
//!
//! Guarantees:
//! - **Only what the lock file lists is installed.** `plugins.lock` (JSON) names each plugin's
//!   digest, source, API version, declared capabilities, the person's grants and its file. It is
//!   replaced atomically (temp file, fsync, rename, directory fsync) as the *last* step of an
//!   install, upgrade or removal, so a failure or a kill at any point leaves either the old or the
//!   new lock, never a half-installed plugin. Files under `plugins/` or `staging/` that the lock
//!   does not reference are leftovers and are swept by the next registry change.
//! - **A plugin is checked before it is recorded.** It must be a component (not a core module,
//!   not garbage), carry a manifest (embedded custom section `strive-plugin`, or given beside it),
//!   target an API this host serves, and import nothing its manifest does not declare — the same
//!   [`Plugin::load`] checks every run goes through. It is precompiled into the authenticated
//!   cache at install.
//! - **Every load re-checks the digest** of the installed file against the lock; a mismatch is
//!   refused ([`RegistryError::DigestMismatch`]) and nothing of the file runs.
//! - **Grants come from the person.** The registry records the grants it is given and refuses a
//!   grant the manifest does not declare; it never derives a grant from the plugin.
//!
//! Layout under the registry home (`$STRIVE_HOME`, else `.strive` in the current directory):
//! `plugins.lock`, `plugins/<id>/<sha256>.wasm` (the component with its manifest embedded, so the
//! digest covers both), `staging/` (in-flight installs), `.registry.lock` (the writers' lock).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Component as PathPart, Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::builtin;
use crate::cache::ComponentCache;
use crate::capability::{Capability, Phase};
use crate::manifest::{Manifest, negotiate_api};
use crate::plugin::{LoadError, Plugin};

/// Name of the custom section that carries a plugin's manifest (TOML text).
pub const MANIFEST_SECTION: &str = "strive-plugin";
/// Lock file format version this host reads and writes.
pub const LOCK_VERSION: u32 = 1;
/// Largest component accepted (Python/JS components are ~20 MB).
pub const MAX_COMPONENT_BYTES: usize = 256 << 20;

/// Why a registry operation was refused.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error(
        "{origin} is not a WebAssembly file (no `\\0asm` header); pass the `.wasm` component your build produced"
    )]
    NotWasm { origin: String },
    #[error(
        "{origin} is a core WebAssembly module, not a component; build for wasm32-wasip2 or wrap it with `wasm-tools component new`"
    )]
    CoreModule { origin: String },
    #[error("{origin} is not a valid component: {reason}")]
    Malformed { origin: String, reason: String },
    #[error(
        "{origin} has no manifest: embed one (custom section `strive-plugin`) or put `strive-plugin.toml` beside it (or pass --manifest)"
    )]
    NoManifest { origin: String },
    #[error(
        "{origin}: the component embeds a manifest that differs from {beside}; remove one of them"
    )]
    ManifestConflict { origin: String, beside: String },
    #[error("{0}")]
    Manifest(String),
    #[error(
        "plugin {id} needs strive:loops `{api}`, but this host supports strive:loops {supported}; rebuild it against one of those (or upgrade strive)"
    )]
    UnsupportedApi {
        id: String,
        api: String,
        supported: String,
    },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("plugin {0} is already installed; use `strive plugin upgrade {0} <path|url>`")]
    AlreadyInstalled(String),
    #[error("no installed plugin `{key}` (installed: {installed}); see `strive plugin list`")]
    NotInstalled { key: String, installed: String },
    #[error(
        "loop kind `{kind}` is already served by {by}; a plugin may not take over another's kind"
    )]
    KindTaken { kind: String, by: String },
    #[error(
        "plugin {id} serves loop kind `{serves}`, not `{wanted}`; fix `kind` or `plugin` in the spec"
    )]
    WrongKind {
        id: String,
        serves: String,
        wanted: String,
    },
    #[error("the upgrade is plugin {found}, not {expected}; install it with `strive plugin add`")]
    IdChanged { expected: String, found: String },
    #[error("cannot grant {0}: the plugin's manifest does not request it")]
    GrantNotRequested(String),
    #[error(
        "refusing to load plugin {id}: {path} has sha256 {found}, but plugins.lock records {expected}. The file changed after install; reinstall it with `strive plugin remove {id}` then `strive plugin add <source>`"
    )]
    DigestMismatch {
        id: String,
        path: String,
        expected: String,
        found: String,
    },
    #[error(
        "{path}: {problem}; fix or delete the file (a deleted lock means no plugins installed)"
    )]
    Lock { path: String, problem: String },
    #[error("{what} {path}: {source}")]
    Io {
        what: &'static str,
        path: String,
        source: std::io::Error,
    },
}

impl RegistryError {
    fn io(what: &'static str, path: &Path, source: std::io::Error) -> Self {
        RegistryError::Io {
            what,
            path: path.display().to_string(),
            source,
        }
    }
}

/// One installed plugin, as recorded in `plugins.lock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockEntry {
    pub id: String,
    pub version: String,
    pub kind: String,
    /// The `api` its manifest declares.
    pub api: String,
    /// The `strive:loops` version this host serves it.
    pub api_served: String,
    /// sha256 of the installed file (component + embedded manifest).
    pub sha256: String,
    /// Where it came from: a path or an https URL.
    pub source: String,
    /// The installed file, relative to the registry home.
    pub path: String,
    /// Capabilities its manifest declares (canonical names in the file; aliases read too; an
    /// unknown name makes the whole lock unreadable: fail closed).
    pub declared: BTreeSet<Capability>,
    /// Capabilities the person granted (⊆ declared).
    pub grants: BTreeSet<Capability>,
    /// The phases its manifest accepts (a lock written before this field: every phase). Lets
    /// the spec check answer without reading and hashing the component.
    #[serde(default = "every_phase")]
    pub phases: BTreeSet<Phase>,
    /// RFC 3339 time of the install or upgrade.
    pub installed_at: String,
}

fn every_phase() -> BTreeSet<Phase> {
    Phase::ALL.into_iter().collect()
}

impl LockEntry {
    /// The grants an upgrade to a plugin declaring `new` starts from, and what the person must
    /// decide: grants of capabilities the new version still declares carry over; capabilities
    /// it newly declares need a decision; nothing is ever granted silently.
    pub fn upgrade_grants(
        &self,
        new: &BTreeSet<Capability>,
    ) -> (BTreeSet<Capability>, BTreeSet<Capability>) {
        let carried = new.intersection(&self.grants).copied().collect();
        let to_decide = new.difference(&self.declared).copied().collect();
        (carried, to_decide)
    }

    /// Canonical names, comma-separated (for people).
    pub fn names(caps: &BTreeSet<Capability>) -> String {
        caps.iter().map(|c| c.name()).collect::<Vec<_>>().join(", ")
    }
}

/// The whole lock file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LockFile {
    pub lock_version: u32,
    /// By plugin id.
    pub plugins: BTreeMap<String, LockEntry>,
}

impl LockFile {
    /// The entry whose id or loop kind is `key`.
    pub fn find(&self, key: &str) -> Option<&LockEntry> {
        self.plugins
            .get(key)
            .or_else(|| self.plugins.values().find(|e| e.kind == key))
    }
}

/// A checked plugin ready to be installed: bytes with the manifest embedded, their digest, the
/// parsed manifest and the API version it will be served.
pub struct Candidate {
    pub bytes: Vec<u8>,
    pub sha256: String,
    pub manifest: Manifest,
    pub api_served: &'static str,
}

/// Capability differences between an installed plugin and its upgrade.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CapabilityDiff {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub kept: Vec<String>,
}

impl CapabilityDiff {
    pub fn between(old: &BTreeSet<Capability>, new: &BTreeSet<Capability>) -> CapabilityDiff {
        let new: BTreeSet<String> = new.iter().map(|c| c.name().to_string()).collect();
        let old: BTreeSet<String> = old.iter().map(|c| c.name().to_string()).collect();
        CapabilityDiff {
            added: new.difference(&old).cloned().collect(),
            removed: old.difference(&new).cloned().collect(),
            kept: new.intersection(&old).cloned().collect(),
        }
    }

    /// `+maker -git.read` (empty when nothing changed).
    pub fn summary(&self) -> String {
        let plus = self.added.iter().map(|c| format!("+{c}"));
        let minus = self.removed.iter().map(|c| format!("-{c}"));
        plus.chain(minus).collect::<Vec<_>>().join(" ")
    }
}

/// sha256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Refuse anything that is not a WebAssembly component, with a message that says what it is.
pub fn check_component(bytes: &[u8], origin: &str) -> Result<(), RegistryError> {
    if !bytes.starts_with(b"\0asm") {
        return Err(RegistryError::NotWasm {
            origin: origin.into(),
        });
    }
    if wasmparser::Parser::is_core_wasm(bytes) {
        return Err(RegistryError::CoreModule {
            origin: origin.into(),
        });
    }
    if !wasmparser::Parser::is_component(bytes) {
        return Err(RegistryError::Malformed {
            origin: origin.into(),
            reason: "unknown WebAssembly version or layer".into(),
        });
    }
    Ok(())
}

/// The manifest text embedded in the component's top-level `strive-plugin` custom section.
/// `Ok(None)` when there is none; an unparseable component or two such sections is an error.
pub fn embedded_manifest(bytes: &[u8], origin: &str) -> Result<Option<String>, RegistryError> {
    let malformed = |reason: String| RegistryError::Malformed {
        origin: origin.into(),
        reason,
    };
    let mut depth = 0usize;
    let mut found: Option<String> = None;
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| malformed(e.to_string()))?;
        match payload {
            wasmparser::Payload::ModuleSection { .. }
            | wasmparser::Payload::ComponentSection { .. } => depth += 1,
            wasmparser::Payload::End(_) => depth = depth.saturating_sub(1),
            wasmparser::Payload::CustomSection(c) if depth == 0 && c.name() == MANIFEST_SECTION => {
                if found.is_some() {
                    return Err(malformed(format!(
                        "more than one `{MANIFEST_SECTION}` section"
                    )));
                }
                let text = std::str::from_utf8(c.data()).map_err(|_| {
                    malformed(format!("the `{MANIFEST_SECTION}` section is not UTF-8"))
                })?;
                found = Some(text.to_string());
            }
            _ => {}
        }
    }
    Ok(found)
}

/// `bytes` with `manifest_toml` appended as a top-level `strive-plugin` custom section.
pub fn embed_manifest(bytes: &[u8], manifest_toml: &str) -> Vec<u8> {
    use wasm_encoder::ComponentSection;
    let mut out = bytes.to_vec();
    wasm_encoder::CustomSection {
        name: MANIFEST_SECTION.into(),
        data: manifest_toml.as_bytes().into(),
    }
    .append_to_component(&mut out);
    out
}

/// Check `bytes` (from `origin`) as a plugin: component, manifest (embedded, or `beside` =
/// (text, origin) which is then embedded), API version, imports ⊆ declared; precompiles into
/// `cache` when given.
pub fn prepare(
    bytes: &[u8],
    origin: &str,
    beside: Option<(&str, &str)>,
    cache: Option<&ComponentCache>,
) -> Result<Candidate, RegistryError> {
    if bytes.len() > MAX_COMPONENT_BYTES {
        return Err(RegistryError::Malformed {
            origin: origin.into(),
            reason: format!(
                "{} bytes is over the {MAX_COMPONENT_BYTES}-byte limit",
                bytes.len()
            ),
        });
    }
    check_component(bytes, origin)?;
    let (text, manifest_origin, bytes) = match (embedded_manifest(bytes, origin)?, beside) {
        (Some(embedded), Some((text, beside_origin))) => {
            if embedded.trim() != text.trim() {
                return Err(RegistryError::ManifestConflict {
                    origin: origin.into(),
                    beside: beside_origin.into(),
                });
            }
            (
                embedded,
                format!("{origin} (embedded manifest)"),
                bytes.to_vec(),
            )
        }
        (Some(embedded), None) => (
            embedded,
            format!("{origin} (embedded manifest)"),
            bytes.to_vec(),
        ),
        (None, Some((text, beside_origin))) => (
            text.to_string(),
            beside_origin.to_string(),
            embed_manifest(bytes, text),
        ),
        (None, None) => {
            return Err(RegistryError::NoManifest {
                origin: origin.into(),
            });
        }
    };
    let manifest = parse_manifest(&text, &manifest_origin)?;
    let api_served = negotiate_api(&manifest.api).ok_or_else(|| unsupported(&manifest))?;
    let sha256 = sha256_hex(&bytes);
    Plugin::load(&bytes, manifest.clone(), cache)?;
    Ok(Candidate {
        bytes,
        sha256,
        manifest,
        api_served,
    })
}

/// Parse a manifest, turning an unsupported `api` into [`RegistryError::UnsupportedApi`] (which
/// names the versions this host supports).
pub fn parse_manifest(text: &str, origin: &str) -> Result<Manifest, RegistryError> {
    Manifest::parse(text, origin).map_err(|e| {
        #[derive(Deserialize)]
        struct Head {
            id: String,
            api: String,
        }
        match toml::from_str::<Head>(text) {
            Ok(h) if negotiate_api(&h.api).is_none() && e.contains("api:") => {
                RegistryError::UnsupportedApi {
                    id: h.id,
                    api: h.api,
                    supported: supported_apis(),
                }
            }
            _ => RegistryError::Manifest(e),
        }
    })
}

fn unsupported(m: &Manifest) -> RegistryError {
    RegistryError::UnsupportedApi {
        id: m.id.clone(),
        api: m.api.clone(),
        supported: supported_apis(),
    }
}

/// `0.1.x (0.1.0)`: what this host serves, for messages.
pub fn supported_apis() -> String {
    crate::manifest::SUPPORTED_WIT_VERSIONS
        .iter()
        .map(|v| {
            let minor: Vec<&str> = v.splitn(3, '.').take(2).collect();
            format!("{}.x", minor.join("."))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The installed-plugin registry rooted at one directory.
pub struct Registry {
    home: PathBuf,
}

/// Install or upgrade.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Add,
    Upgrade,
}

impl Registry {
    pub fn new(home: impl Into<PathBuf>) -> Registry {
        Registry { home: home.into() }
    }

    /// `$STRIVE_HOME`, else `.strive` in the current directory.
    pub fn default_home() -> PathBuf {
        std::env::var_os("STRIVE_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".strive"))
    }

    pub fn home(&self) -> &Path {
        &self.home
    }

    pub fn lock_path(&self) -> PathBuf {
        self.home.join("plugins.lock")
    }

    /// The lock file; a missing file is an empty registry, an unreadable one is an error.
    pub fn read(&self) -> Result<LockFile, RegistryError> {
        let path = self.lock_path();
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(LockFile {
                    lock_version: LOCK_VERSION,
                    plugins: BTreeMap::new(),
                });
            }
            Err(e) => return Err(RegistryError::io("cannot read", &path, e)),
        };
        let lock: LockFile = serde_json::from_str(&text).map_err(|e| RegistryError::Lock {
            path: path.display().to_string(),
            problem: format!("not a valid plugins.lock: {e}"),
        })?;
        if lock.lock_version != LOCK_VERSION {
            return Err(RegistryError::Lock {
                path: path.display().to_string(),
                problem: format!(
                    "lock_version {} is not supported (this strive reads {LOCK_VERSION})",
                    lock.lock_version
                ),
            });
        }
        Ok(lock)
    }

    /// Record `candidate` (from `source`) with `grants`. `Mode::Add` refuses an installed id;
    /// `Mode::Upgrade` requires one. Returns the new entry and the replaced one.
    pub fn install(
        &self,
        candidate: &Candidate,
        source: &str,
        grants: &BTreeSet<Capability>,
        mode: Mode,
    ) -> Result<(LockEntry, Option<LockEntry>), RegistryError> {
        let m = &candidate.manifest;
        if let Some(extra) = grants.difference(&m.capabilities).next() {
            return Err(RegistryError::GrantNotRequested(extra.name().into()));
        }
        let _writer = self.writer_lock()?;
        let mut lock = self.read()?;
        let previous = lock.plugins.get(&m.id).cloned();
        match (mode, &previous) {
            (Mode::Add, Some(_)) => return Err(RegistryError::AlreadyInstalled(m.id.clone())),
            (Mode::Upgrade, None) => {
                return Err(RegistryError::NotInstalled {
                    key: m.id.clone(),
                    installed: installed_ids(&lock),
                });
            }
            _ => {}
        }
        if builtin::for_kind(&m.kind).is_some() {
            return Err(RegistryError::KindTaken {
                kind: m.kind.clone(),
                by: "a built-in loop kind".into(),
            });
        }
        if let Some(other) = lock
            .plugins
            .values()
            .find(|e| e.kind == m.kind && e.id != m.id)
        {
            return Err(RegistryError::KindTaken {
                kind: m.kind.clone(),
                by: format!("plugin {}", other.id),
            });
        }

        // 1. Stage the file (fsynced) where a crash leaves only sweepable debris.
        let staging = self.home.join("staging");
        fs::create_dir_all(&staging)
            .map_err(|e| RegistryError::io("cannot create", &staging, e))?;
        let mut staged = tempfile::NamedTempFile::new_in(&staging)
            .map_err(|e| RegistryError::io("cannot stage in", &staging, e))?;
        staged
            .write_all(&candidate.bytes)
            .and_then(|_| staged.as_file().sync_all())
            .map_err(|e| RegistryError::io("cannot write", staged.path(), e))?;
        fault_point("staged");

        // 2. Move it into place (content-addressed, so an existing file is the same bytes).
        let rel = format!("plugins/{}/{}.wasm", m.id, candidate.sha256);
        let dest = self.home.join(&rel);
        let dest_dir = dest.parent().expect("has a parent");
        fs::create_dir_all(dest_dir)
            .map_err(|e| RegistryError::io("cannot create", dest_dir, e))?;
        staged
            .persist(&dest)
            .map_err(|e| RegistryError::io("cannot move into place", &dest, e.error))?;
        sync_dir(dest_dir);
        fault_point("placed");

        // 3. The lock, atomically, last.
        let entry = LockEntry {
            id: m.id.clone(),
            version: m.version.clone(),
            kind: m.kind.clone(),
            api: m.api.clone(),
            api_served: candidate.api_served.to_string(),
            sha256: candidate.sha256.clone(),
            source: source.to_string(),
            path: rel,
            declared: m.capabilities.clone(),
            grants: grants.clone(),
            phases: m.phases.clone(),
            installed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        lock.plugins.insert(entry.id.clone(), entry.clone());
        self.write_lock(&lock)?;
        fault_point("locked");
        self.sweep(&lock);
        Ok((entry, previous))
    }

    /// Add `caps` to the grants of installed plugin `key` (id or kind). Each must be one the
    /// plugin declares ([`RegistryError::GrantNotRequested`] otherwise); the lock is rewritten
    /// atomically and nothing else changes. Returns the updated entry.
    pub fn grant(
        &self,
        key: &str,
        caps: &BTreeSet<Capability>,
    ) -> Result<LockEntry, RegistryError> {
        let _writer = self.writer_lock()?;
        let mut lock = self.read()?;
        let mut entry = lock
            .find(key)
            .cloned()
            .ok_or_else(|| RegistryError::NotInstalled {
                key: key.into(),
                installed: installed_ids(&lock),
            })?;
        if let Some(extra) = caps.iter().find(|c| !entry.declared.contains(c)) {
            return Err(RegistryError::GrantNotRequested(extra.name().into()));
        }
        entry.grants.extend(caps.iter().copied());
        lock.plugins.insert(entry.id.clone(), entry.clone());
        self.write_lock(&lock)?;
        Ok(entry)
    }

    /// Remove plugin `key` (id or kind). Returns what was removed.
    pub fn remove(&self, key: &str) -> Result<LockEntry, RegistryError> {
        let _writer = self.writer_lock()?;
        let mut lock = self.read()?;
        let id =
            lock.find(key)
                .map(|e| e.id.clone())
                .ok_or_else(|| RegistryError::NotInstalled {
                    key: key.into(),
                    installed: installed_ids(&lock),
                })?;
        let entry = lock.plugins.remove(&id).expect("found above");
        self.write_lock(&lock)?;
        self.sweep(&lock);
        Ok(entry)
    }

    /// The installed plugin `key` (id or kind), if any.
    pub fn find(&self, key: &str) -> Result<Option<LockEntry>, RegistryError> {
        Ok(self.read()?.find(key).cloned())
    }

    /// The installed plugin a loop spec runs: the one named by `plugin` (an id), which must serve
    /// `kind`, else the one serving `kind`. `Ok(None)` when none is installed.
    pub fn for_spec(
        &self,
        kind: &str,
        plugin: Option<&str>,
    ) -> Result<Option<LockEntry>, RegistryError> {
        let lock = self.read()?;
        let Some(id) = plugin else {
            return Ok(lock.plugins.values().find(|e| e.kind == kind).cloned());
        };
        match lock.plugins.get(id) {
            Some(e) if e.kind == kind => Ok(Some(e.clone())),
            Some(e) => Err(RegistryError::WrongKind {
                id: id.into(),
                serves: e.kind.clone(),
                wanted: kind.into(),
            }),
            None => Ok(None),
        }
    }

    /// Load an installed plugin after re-checking its digest against the lock.
    pub fn load(
        &self,
        entry: &LockEntry,
        cache: Option<&ComponentCache>,
    ) -> Result<Plugin, RegistryError> {
        let (bytes, manifest) = self.open(entry)?;
        Ok(Plugin::load(&bytes, manifest, cache)?)
    }

    /// An installed plugin's bytes and embedded manifest, after re-checking its digest and
    /// identity against the lock (nothing is compiled).
    pub fn open(&self, entry: &LockEntry) -> Result<(Vec<u8>, Manifest), RegistryError> {
        let rel = Path::new(&entry.path);
        if rel.components().any(|p| !matches!(p, PathPart::Normal(_))) {
            return Err(RegistryError::Lock {
                path: self.lock_path().display().to_string(),
                problem: format!(
                    "plugin {}: path `{}` leaves the registry",
                    entry.id, entry.path
                ),
            });
        }
        let path = self.home.join(rel);
        let bytes = fs::read(&path)
            .map_err(|e| RegistryError::io("cannot read installed plugin", &path, e))?;
        let found = sha256_hex(&bytes);
        if found != entry.sha256 {
            return Err(RegistryError::DigestMismatch {
                id: entry.id.clone(),
                path: path.display().to_string(),
                expected: entry.sha256.clone(),
                found,
            });
        }
        let origin = path.display().to_string();
        let text = embedded_manifest(&bytes, &origin)?.ok_or(RegistryError::NoManifest {
            origin: origin.clone(),
        })?;
        let manifest = parse_manifest(&text, &origin)?;
        if manifest.id != entry.id || manifest.kind != entry.kind {
            return Err(RegistryError::Lock {
                path: self.lock_path().display().to_string(),
                problem: format!(
                    "plugin {}: the installed manifest is {} for kind {}",
                    entry.id, manifest.id, manifest.kind
                ),
            });
        }
        Ok((bytes, manifest))
    }

    /// Exclusive writers' lock (released on drop), after which leftovers are safe to sweep.
    fn writer_lock(&self) -> Result<fs::File, RegistryError> {
        fs::create_dir_all(&self.home)
            .map_err(|e| RegistryError::io("cannot create", &self.home, e))?;
        let path = self.home.join(".registry.lock");
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| RegistryError::io("cannot open", &path, e))?;
        file.lock()
            .map_err(|e| RegistryError::io("cannot lock", &path, e))?;
        if let Ok(lock) = self.read() {
            self.sweep(&lock);
        }
        Ok(file)
    }

    fn write_lock(&self, lock: &LockFile) -> Result<(), RegistryError> {
        let path = self.lock_path();
        let mut text = serde_json::to_string_pretty(lock).expect("a lock file serialises");
        text.push('\n');
        let mut tmp = tempfile::NamedTempFile::new_in(&self.home)
            .map_err(|e| RegistryError::io("cannot write beside", &path, e))?;
        tmp.write_all(text.as_bytes())
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| RegistryError::io("cannot write", tmp.path(), e))?;
        tmp.persist(&path)
            .map_err(|e| RegistryError::io("cannot replace", &path, e.error))?;
        sync_dir(&self.home);
        Ok(())
    }

    /// Delete staging debris and installed files the lock does not reference (best effort:
    /// leftovers are never loaded, only wasted space).
    fn sweep(&self, lock: &LockFile) {
        let _ = fs::remove_dir_all(self.home.join("staging"));
        let referenced: BTreeSet<PathBuf> = lock
            .plugins
            .values()
            .map(|e| self.home.join(&e.path))
            .collect();
        let Ok(ids) = fs::read_dir(self.home.join("plugins")) else {
            return;
        };
        for dir in ids.flatten() {
            let Ok(files) = fs::read_dir(dir.path()) else {
                continue;
            };
            for file in files.flatten() {
                if !referenced.contains(&file.path()) {
                    let _ = fs::remove_file(file.path());
                }
            }
            let _ = fs::remove_dir(dir.path()); // only succeeds when empty
        }
    }
}

fn installed_ids(lock: &LockFile) -> String {
    if lock.plugins.is_empty() {
        "none".into()
    } else {
        lock.plugins.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

fn sync_dir(dir: &Path) {
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Test builds only: `STRIVE_REGISTRY_FAULT=<point>` aborts the process there, as a kill would
/// (no destructors, no cleanup). Release builds ignore it.
fn fault_point(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var("STRIVE_REGISTRY_FAULT").is_ok_and(|p| p == point) {
        eprintln!("strive: injected fault at `{point}`");
        std::process::abort();
    }
    let _ = point;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_diff_summary() {
        let old: BTreeSet<Capability> =
            [Capability::GitRead, Capability::Log, Capability::Report].into();
        let new: BTreeSet<Capability> =
            [Capability::Log, Capability::Report, Capability::Maker].into();
        let d = CapabilityDiff::between(&old, &new);
        assert_eq!(d.summary(), "+maker -git.read");
        assert_eq!(d.kept, vec!["log", "report"]);
    }

    #[test]
    fn upgrades_carry_kept_grants_and_ask_about_new_ones() {
        let entry: LockEntry = serde_json::from_value(serde_json::json!({
            "id": "a.b", "version": "1.0.0", "kind": "k", "api": "^0.1", "api_served": "0.1.0",
            "sha256": "00", "source": "x", "path": "p",
            "declared": ["git-read", "log", "maker"], "grants": ["git.read"],
            "installed_at": "2026-01-01T00:00:00Z"
        }))
        .expect("aliases read as capabilities");
        let new: BTreeSet<Capability> =
            [Capability::GitRead, Capability::Log, Capability::Merge].into();
        let (carried, to_decide) = entry.upgrade_grants(&new);
        assert_eq!(carried, [Capability::GitRead].into());
        assert_eq!(
            to_decide,
            [Capability::Merge].into(),
            "log was declared and declined before"
        );
        let text = serde_json::to_string(&entry).unwrap();
        assert!(
            text.contains("\"git.read\"") && !text.contains("git-read"),
            "{text}"
        );
        let unknown = serde_json::json!({
            "id": "a.b", "version": "1.0.0", "kind": "k", "api": "^0.1", "api_served": "0.1.0",
            "sha256": "00", "source": "x", "path": "p", "declared": ["teleport"], "grants": [],
            "installed_at": "2026-01-01T00:00:00Z"
        });
        assert!(
            serde_json::from_value::<LockEntry>(unknown).is_err(),
            "fail closed"
        );
    }

    #[test]
    fn refuses_non_components() {
        assert!(matches!(
            check_component(b"hello", "x"),
            Err(RegistryError::NotWasm { .. })
        ));
        let core = b"\0asm\x01\0\0\0";
        assert!(matches!(
            check_component(core, "x"),
            Err(RegistryError::CoreModule { .. })
        ));
        let component = b"\0asm\x0d\0\x01\0";
        assert!(check_component(component, "x").is_ok());
    }

    #[test]
    fn manifest_section_round_trips() {
        let component = b"\0asm\x0d\0\x01\0".to_vec();
        assert_eq!(embedded_manifest(&component, "x").unwrap(), None);
        let with = embed_manifest(&component, "id = \"a\"\n");
        assert_eq!(
            embedded_manifest(&with, "x").unwrap().as_deref(),
            Some("id = \"a\"\n")
        );
        let twice = embed_manifest(&with, "id = \"b\"\n");
        assert!(embedded_manifest(&twice, "x").is_err());
    }

    #[test]
    fn unreadable_lock_fails_closed() {
        let dir = tempfile::tempdir().unwrap();
        let reg = Registry::new(dir.path());
        assert!(reg.read().unwrap().plugins.is_empty());
        fs::write(reg.lock_path(), "{ not json").unwrap();
        assert!(matches!(reg.read(), Err(RegistryError::Lock { .. })));
        assert!(matches!(reg.remove("x"), Err(RegistryError::Lock { .. })));
    }

    #[test]
    fn unsupported_api_names_supported_versions() {
        let text = "id = \"a\"\nversion = \"1.0.0\"\nkind = \"k\"\napi = \"strive:loops@0.2.0\"\ncapabilities = []\n";
        let err = parse_manifest(text, "m.toml").unwrap_err();
        assert!(matches!(err, RegistryError::UnsupportedApi { .. }), "{err}");
        assert!(
            err.to_string().contains("supports strive:loops 0.1.x"),
            "{err}"
        );
    }

    proptest::proptest! {
        #[test]
        fn section_walk_never_panics(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256)) {
            let mut input = b"\0asm\x0d\0\x01\0".to_vec();
            input.extend(bytes);
            let _ = embedded_manifest(&input, "fuzz");
            let _ = check_component(&input, "fuzz");
        }
    }
}
