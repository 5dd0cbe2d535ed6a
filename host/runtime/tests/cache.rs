//! The precompile cache: hit after miss, and a corrupted or forged entry is recompiled, never
//! executed.

use crate::common;

use common::*;
use serde_json::json;
use strive_runtime::cache::{CacheOutcome, ComponentCache};
use strive_runtime::{Capability, Manifest, Phase, Plugin, RunResult, execute};

fn load(cache: &ComponentCache) -> Plugin {
    let manifest = Manifest::parse(HOSTILE_MANIFEST, "hostile").unwrap();
    Plugin::load(&guest("hostile"), manifest, Some(cache)).unwrap()
}

fn runs(plugin: &Plugin) {
    let r = execute(
        plugin,
        &request(
            json!({"attack": "none"}),
            Phase::L1,
            Capability::allowed_in(Phase::L1),
            None,
        ),
    );
    assert_eq!(r.result, RunResult::Clean, "{}", r.note);
}

#[test]
fn miss_then_hit_then_corruption_is_recompiled() {
    let dir = tempfile::tempdir().unwrap();
    let cache = ComponentCache::new(dir.path());
    let first = load(&cache);
    assert_eq!(first.cache, CacheOutcome::Miss);
    runs(&first);
    let second = load(&cache);
    assert_eq!(second.cache, CacheOutcome::Hit);
    runs(&second);

    let (cwasm, mac) = cache.entry_paths(strive_runtime::engine::engine(), &first.sha256);
    // Flip one byte in the middle of the compiled code.
    let mut bytes = std::fs::read(&cwasm).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&cwasm, &bytes).unwrap();
    let third = load(&cache);
    assert_eq!(
        third.cache,
        CacheOutcome::Rejected,
        "a corrupted entry is not loaded"
    );
    runs(&third);
    assert_eq!(
        load(&cache).cache,
        CacheOutcome::Hit,
        "and it was rewritten"
    );

    // A forged entry with a MAC the attacker computed without the key is rejected too.
    std::fs::write(&mac, "00".repeat(32)).unwrap();
    assert_eq!(load(&cache).cache, CacheOutcome::Rejected);

    // An entry others may write is not trusted, whatever its MAC says.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(load(&cache).cache, CacheOutcome::Hit);
        std::fs::set_permissions(&cwasm, std::fs::Permissions::from_mode(0o664)).unwrap();
        assert_eq!(load(&cache).cache, CacheOutcome::Rejected);
        assert_eq!(load(&cache).cache, CacheOutcome::Hit, "rewritten private");
    }

    // The key file is private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("cache.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}
