//! The on-disk cache of precompiled components.
//!
//! Guarantees: a cached `.cwasm` is executed only after it is authenticated: its MAC (keyed
//! BLAKE3 under a per-machine key, created once, mode 0600) must match the sidecar written after
//! the file. A missing, corrupted or forged entry is recompiled from the component and rewritten,
//! never loaded. Entries are keyed by the component's sha256 and the engine's precompile
//! compatibility hash, so a different wasmtime build or configuration never loads another's
//! artefact.
//!
//! What is loaded is what was checked: the entry is opened once, its bytes are read through that
//! handle and authenticated, and the code is then mapped from the same open file (on Linux via
//! `/proc/self/fd`, which names the open inode, not the path), so renaming another file over the
//! entry between check and load changes nothing. The entry must be a regular file owned by the
//! key's owner and writable by no one else; the only process that could still rewrite it in
//! place is one running as that owner, which can read the key and forge a MAC anyway. Where
//! `/proc` is unavailable the authenticated bytes themselves are deserialised (slower, a copy).
//!
//! Location: `$STRIVE_CACHE_DIR`, else `$XDG_CACHE_HOME/strive/components`, else
//! `~/.cache/strive/components`.

use std::fs;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

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
        if let Ok(entry) = fs::File::open(&cwasm_path) {
            outcome = CacheOutcome::Rejected;
            if let Some(component) = self.load_authentic(engine, &key, sha256_hex, entry, &mac_path)
            {
                return Ok((component, CacheOutcome::Hit));
            }
        }
        let cwasm = engine
            .precompile_component(wasm)
            .map_err(|e| format!("cannot compile the component: {e}"))?;
        // SAFETY: bytes just produced by this engine's `precompile_component`.
        let component = unsafe { wasmtime::component::Component::deserialize(engine, &cwasm) }
            .map_err(|e| format!("cannot load the freshly compiled component: {e}"))?;
        let mac = mac_of(&key, sha256_hex, &cwasm).to_hex();
        if write_atomic(&cwasm_path, &cwasm).is_err()
            || write_atomic(&mac_path, mac.as_bytes()).is_err()
        {
            return Ok((component, CacheOutcome::Uncached));
        }
        Ok((component, outcome))
    }

    /// The component in the open cache `entry`, if the entry is a private regular file whose
    /// bytes match the MAC in `mac_path`; `None` for anything else (the caller recompiles).
    fn load_authentic(
        &self,
        engine: &wasmtime::Engine,
        key: &[u8; 32],
        sha256_hex: &str,
        mut entry: fs::File,
        mac_path: &Path,
    ) -> Option<wasmtime::component::Component> {
        use std::io::Read;
        let meta = entry.metadata().ok()?;
        if !meta.is_file() || !self.private_to_key_owner(&meta) {
            return None;
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        entry.read_to_end(&mut bytes).ok()?;
        let stored = blake3::Hash::from_hex(fs::read_to_string(mac_path).ok()?.trim()).ok()?;
        // `blake3::Hash` compares in constant time.
        if mac_of(key, sha256_hex, &bytes) != stored {
            return None;
        }
        // SAFETY (both loads): these bytes were produced by `Engine::precompile_component` of
        // this engine configuration (the key includes its compatibility hash) and are
        // authenticated under a key only this user can read. The mapping below is of the same
        // open inode that was just read and checked (see the module docs).
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let same_inode = format!("/proc/self/fd/{}", entry.as_raw_fd());
            if let Ok(c) =
                unsafe { wasmtime::component::Component::deserialize_file(engine, &same_inode) }
            {
                return Some(c);
            }
        }
        unsafe { wasmtime::component::Component::deserialize(engine, &bytes) }.ok()
    }

    /// Whether a cache entry is owned by the key file's owner and writable by no one else.
    #[cfg(unix)]
    fn private_to_key_owner(&self, meta: &fs::Metadata) -> bool {
        use std::os::unix::fs::MetadataExt;
        let Ok(key_meta) = fs::metadata(self.dir.join("cache.key")) else {
            return false;
        };
        meta.uid() == key_meta.uid() && meta.mode() & 0o022 == 0
    }

    #[cfg(not(unix))]
    fn private_to_key_owner(&self, _meta: &fs::Metadata) -> bool {
        true
    }

    /// The per-machine MAC key, created (0600) on first use.
    fn machine_key(&self) -> std::io::Result<[u8; 32]> {
        fs::create_dir_all(&self.dir)?;
        let path = self.dir.join("cache.key");
        match fs::read(&path) {
            Ok(k) if k.len() == 32 => return Ok(k.try_into().expect("32 bytes")),
            Ok(_) => {
                return Err(std::io::Error::other(format!(
                    "{}: cache key has the wrong length; delete it to start a fresh cache",
                    path.display()
                )));
            }
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            Err(_) => {}
        }
        let mut key = [0u8; 32];
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
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => fs::read(&path)?
                .try_into()
                .map_err(|_| std::io::Error::other("cache key has the wrong length")),
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

fn mac_of(key: &[u8; 32], sha256_hex: &str, cwasm: &[u8]) -> blake3::Hash {
    let mut mac = blake3::Hasher::new_keyed(key);
    mac.update(b"strive-cwasm-v2\0");
    mac.update(sha256_hex.as_bytes());
    mac.update(b"\0");
    mac.update(cwasm);
    mac.finalize()
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
