#!/usr/bin/env bash
# Build this loop kind into dist/<kind>.wasm (+ its manifest).
# Needs the wasm32-wasip2 target (`rustup target add wasm32-wasip2`).
set -euo pipefail
cd "$(dirname "$0")"
kind=$(sed -n 's/^kind = "\(.*\)"/\1/p' strive-plugin.toml)
crate=$(sed -n 's/^name = "\(.*\)"/\1/p' Cargo.toml | head -1)
cargo build --release --target wasm32-wasip2 --target-dir "${CARGO_TARGET_DIR:-target}"
mkdir -p dist
cp "${CARGO_TARGET_DIR:-target}/wasm32-wasip2/release/${crate//-/_}.wasm" "dist/$kind.wasm"
cp strive-plugin.toml dist/strive-plugin.toml
echo "built dist/$kind.wasm; install it with: strive plugin add dist/$kind.wasm"
