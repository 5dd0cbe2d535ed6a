//! The on-disk cache of precompiled components.
//!
//! Guarantees: a cached `.cwasm` is executed only after it is authenticated: its HMAC-SHA256
//! under a per-machine key (created once, mode 0600) must match the sidecar written after the
//! file. A missing, corrupted or forged entry is recompiled from the component and rewritten,
//! never loaded. Entries are keyed by the component's sha256 and the engine's precompile
//! compatibility hash, so a different wasmtime build or configuration never loads another's
//! artefact. The authenticated bytes themselves are deserialised (not the file re-read), so the
//! file cannot be swapped between check and load.
//!
//! Location: `$STRIVE_CACHE_DIR`, else `$XDG_CACHE_HOME/strive/components`, else
//! `~/.cache/strive/components`.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// How a component was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheOutcome {
    /// Loaded from an authenticated cache entry.
    Hit,
    /// No entry: compiled and cached.
    Miss,
    /// An entry existed but failed authentication: recompiled and replaced.
    Rejected,
    /// The cache directory is unusable: compiled in memory only.
    Uncached,
}

/// The default cache directory (see the module docs).
pub fn default_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("STRIVE_CACHE_DIR") {
        return Some(PathBuf::from(dir));
    }
    if let Some(dir) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(dir).join("strive/components"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/strive/components"))
}

/// A precompile cache rooted at one directory.
pub struct ComponentCache {
    dir: PathBuf,
}

impl ComponentCache {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        ComponentCache { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The engine's compatibility hash as hex (part of every key).
    pub fn compatibility_key(engine: &wasmtime::Engine) -> String {
        let mut h = std::hash::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut h);
        format!("{:016x}", h.finish())
    }

    /// Paths of the entry for a component digest: (`.cwasm`, `.mac`).
    pub fn entry_paths(&self, engine: &wasmtime::Engine, sha256_hex: &str) -> (PathBuf, PathBuf) {
        let stem = format!("{sha256_hex}-{}", Self::compatibility_key(engine));
        (
            self.dir.join(format!("{stem}.cwasm")),
            self.dir.join(format!("{stem}.mac")),
        )
    }

    /// The component for `wasm` (digest `sha256_hex`): from the cache if authentic, else compiled
    /// (and cached when the directory is usable).
    pub fn load(
        &self,
        engine: &wasmtime::Engine,
        wasm: &[u8],
        sha256_hex: &str,
    ) -> Result<(wasmtime::component::Component, CacheOutcome), String> {
        let key = match self.machine_key() {
            Ok(k) => k,
            Err(_) => return compile(engine, wasm).map(|c| (c, CacheOutcome::Uncached)),
        };
        let (cwasm_path, mac_path) = self.entry_paths(engine, sha256_hex);
        let mut outcome = CacheOutcome::Miss;
        if let Ok(bytes) = fs::read(&cwasm_path) {
            let authentic = fs::read_to_string(&mac_path)
                .ok()
                .and_then(|m| hex::decode(m.trim()).ok())
                .is_some_and(|mac| mac_of(&key, sha256_hex, &bytes).verify_slice(&mac).is_ok());
            if authentic {
                // SAFETY: `bytes` were produced by `Engine::precompile_component` of this
                // engine configuration (the key includes its compatibility hash) and are
                // authenticated by an HMAC under a key only this user can read; they are the
                // bytes in memory that were checked, so they cannot change before loading.
                match unsafe { wasmtime::component::Component::deserialize(engine, &bytes) } {
                    Ok(c) => return Ok((c, CacheOutcome::Hit)),
                    Err(_) => outcome = CacheOutcome::Rejected,
                }
            } else {
                outcome = CacheOutcome::Rejected;
            }
        }
        let cwasm = engine
            .precompile_component(wasm)
            .map_err(|e| format!("cannot compile the component: {e}"))?;
        // SAFETY: bytes just produced by this engine's `precompile_component`.
        let component = unsafe { wasmtime::component::Component::deserialize(engine, &cwasm) }
            .map_err(|e| format!("cannot load the freshly compiled component: {e}"))?;
        let mac = hex::encode(mac_of(&key, sha256_hex, &cwasm).finalize().into_bytes());
        if write_atomic(&cwasm_path, &cwasm).is_err()
            || write_atomic(&mac_path, mac.as_bytes()).is_err()
        {
            return Ok((component, CacheOutcome::Uncached));
        }
        Ok((component, outcome))
    }

    /// The per-machine HMAC key, created (0600) on first use.
    fn machine_key(&self) -> std::io::Result<Vec<u8>> {
        fs::create_dir_all(&self.dir)?;
        let path = self.dir.join("cache.key");
        match fs::read(&path) {
            Ok(k) if k.len() == 32 => return Ok(k),
            Ok(_) => {
                return Err(std::io::Error::other(format!(
                    "{}: cache key has the wrong length; delete it to start a fresh cache",
                    path.display()
                )));
            }
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            Err(_) => {}
        }
        let mut key = vec![0u8; 32];
        getrandom::fill(&mut key).map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut opts = fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        match opts.open(&path) {
            Ok(mut f) => {
                f.write_all(&key)?;
                f.sync_all()?;
                Ok(key)
            }
            // Another process created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => fs::read(&path),
            Err(e) => Err(e),
        }
    }
}

fn compile(
    engine: &wasmtime::Engine,
    wasm: &[u8],
) -> Result<wasmtime::component::Component, String> {
    wasmtime::component::Component::new(engine, wasm)
        .map_err(|e| format!("cannot compile the component: {e}"))
}

fn mac_of(key: &[u8], sha256_hex: &str, cwasm: &[u8]) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"strive-cwasm-v1\0");
    mac.update(sha256_hex.as_bytes());
    mac.update(b"\0");
    mac.update(cwasm);
    mac
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
