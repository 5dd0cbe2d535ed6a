//! Getting a plugin's bytes (and a manifest beside it) from a path or an https URL.
//!
//! Guarantees: only `https://` URLs are fetched (plain http is refused: the digest recorded at
//! install would pin whatever a network attacker served); a non-success status, a body over
//! [`registry::MAX_COMPONENT_BYTES`] or an unreadable file is an error, never an empty plugin.

use std::io::Read;
use std::path::Path;

use strive_runtime::registry;

/// What was fetched: the bytes, a display origin, and a manifest found beside it (text, origin).
pub struct Fetched {
    pub bytes: Vec<u8>,
    pub origin: String,
    pub manifest: Option<(String, String)>,
}

/// Fetch `source` and the manifest: `manifest` if given, else `strive-plugin.toml` beside a
/// local component (a URL's component must embed its manifest or name one with `--manifest`).
pub fn fetch(source: &str, manifest: Option<&str>) -> Result<Fetched, String> {
    let bytes = read_source(source)?;
    let manifest = match manifest {
        Some(m) => Some((bytes_to_text(read_source(m)?, m)?, m.to_string())),
        None if !is_url(source) => {
            let beside = Path::new(source).with_file_name("strive-plugin.toml");
            match std::fs::read(&beside) {
                Ok(b) => Some((
                    bytes_to_text(b, &beside.display().to_string())?,
                    beside.display().to_string(),
                )),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(format!("cannot read {}: {e}", beside.display())),
            }
        }
        None => None,
    };
    Ok(Fetched {
        bytes,
        origin: source.to_string(),
        manifest,
    })
}

fn is_url(s: &str) -> bool {
    s.contains("://")
}

fn bytes_to_text(bytes: Vec<u8>, origin: &str) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| format!("{origin}: the manifest is not UTF-8 text"))
}

fn read_source(source: &str) -> Result<Vec<u8>, String> {
    if !is_url(source) {
        return std::fs::read(source).map_err(|e| format!("cannot read {source}: {e}"));
    }
    if !source.starts_with("https://") {
        return Err(format!(
            "{source}: only https:// URLs are fetched; download it yourself and pass the file"
        ));
    }
    let client = reqwest::blocking::Client::builder()
        .timeout(std::time::Duration::from_secs(120))
        .user_agent(concat!("strive/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| format!("cannot start an https client: {e}"))?;
    let response = client
        .get(source)
        .send()
        .map_err(|e| format!("cannot fetch {source}: {e}"))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!(
            "cannot fetch {source}: the server answered {status}"
        ));
    }
    let limit = registry::MAX_COMPONENT_BYTES as u64;
    let mut bytes = Vec::new();
    response
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot fetch {source}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("{source}: larger than {limit} bytes; refusing it"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_plain_http_and_missing_files() {
        assert!(
            read_source("http://example.com/x.wasm")
                .unwrap_err()
                .contains("only https://")
        );
        assert!(
            read_source("/nonexistent/x.wasm")
                .unwrap_err()
                .contains("cannot read")
        );
    }

    #[test]
    fn finds_the_manifest_beside_a_local_component() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = dir.path().join("x.wasm");
        std::fs::write(&wasm, b"\0asm").unwrap();
        let f = fetch(wasm.to_str().unwrap(), None).unwrap();
        assert!(f.manifest.is_none());
        std::fs::write(dir.path().join("strive-plugin.toml"), "id = \"x\"\n").unwrap();
        let f = fetch(wasm.to_str().unwrap(), None).unwrap();
        assert_eq!(f.manifest.unwrap().0, "id = \"x\"\n");
    }
}
