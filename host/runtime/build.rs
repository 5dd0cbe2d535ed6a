//! Builds the guest workspace (`plugins/`) for wasm32-wasip2 so the built-in loop kinds can be
//! embedded with `include_bytes!`. A nested cargo with its own target dir (`<target>/guest`).
//!
//! Set `STRIVE_GUEST_DIR` to a directory of prebuilt `.wasm` files to skip the nested build.

use std::path::{Path, PathBuf};
use std::process::Command;

const COMPONENTS: &[&str] = &[
    "commit_triage",
    "assisted_fix",
    "hostile",
    "hostile_net",
    "probe",
];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.join("../..").canonicalize().unwrap();
    for watched in ["plugins", "sdk/rust", "wit"] {
        println!("cargo:rerun-if-changed={}", root.join(watched).display());
    }
    println!("cargo:rerun-if-env-changed=STRIVE_GUEST_DIR");

    let guest_dir = match std::env::var_os("STRIVE_GUEST_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => build_guests(&root),
    };
    for name in COMPONENTS {
        let path = guest_dir.join(format!("{name}.wasm"));
        if !path.is_file() {
            panic!(
                "missing guest component {}: build the plugins workspace (cargo build --release --target wasm32-wasip2 in plugins/) or unset STRIVE_GUEST_DIR",
                path.display()
            );
        }
    }
    println!("cargo:rustc-env=STRIVE_GUEST_DIR={}", guest_dir.display());
}

fn target_dir(root: &Path) -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() {
            dir
        } else {
            root.join(dir)
        };
    }
    // OUT_DIR = <target>/<profile>/build/<pkg>/out (or <target>/<triple>/<profile>/...).
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    out.ancestors()
        .find(|p| p.file_name().is_some_and(|n| n == "build"))
        .and_then(|b| b.parent())
        .and_then(|profile| profile.parent())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| root.join("target"))
}

fn build_guests(root: &Path) -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let sysroot = Command::new(&rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()));
    if let Some(sysroot) = sysroot
        && !sysroot.join("lib/rustlib/wasm32-wasip2").is_dir()
    {
        panic!(
            "the wasm32-wasip2 target is not installed for {}; run `rustup target add wasm32-wasip2` (the built-in loop kinds are compiled for it)",
            sysroot.display()
        );
    }
    let guest_target = target_dir(root).join("guest");
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root.join("plugins"))
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-wasip2",
            "--target-dir",
        ])
        .arg(&guest_target);
    // The host build's flags, target, build and profile settings are not the guest's: the guest
    // workspace's own `[profile.release]` (size-optimised, `panic = "abort"`) must hold even when
    // the host is built with, say, `CARGO_PROFILE_RELEASE_DEBUG=true`.
    for var in [
        "CARGO_TARGET_DIR",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
    ] {
        cmd.env_remove(var);
    }
    for (var, _) in std::env::vars_os() {
        let name = var.to_string_lossy();
        if name.starts_with("CARGO_PROFILE_") || name.starts_with("CARGO_BUILD_") {
            cmd.env_remove(&var);
        }
    }
    let status = cmd
        .status()
        .unwrap_or_else(|e| panic!("cannot run cargo for the guest workspace: {e}"));
    if !status.success() {
        panic!(
            "building the guest workspace (plugins/) for wasm32-wasip2 failed; see the errors above. If the target is missing: rustup target add wasm32-wasip2"
        );
    }
    guest_target.join("wasm32-wasip2/release")
}
