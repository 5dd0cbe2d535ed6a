#!/usr/bin/env bash
# Build this loop kind into dist/<kind>.wasm (+ its manifest) with componentize-py.
# Needs componentize-py 0.25.1 (`pip install componentize-py==0.25.1`).
set -euo pipefail
cd "$(dirname "$0")"
kind=$(sed -n 's/^kind = "\(.*\)"/\1/p' strive-plugin.toml)
mkdir -p dist
# --stub-wasi: the component imports no WASI at all (the Python runtime would otherwise import
# wasi:sockets, which the host never links). Use log.emit, not print(): print traps.
componentize-py -d wit -w loop-kind componentize --stub-wasi app -o "dist/$kind.wasm"
cp strive-plugin.toml dist/strive-plugin.toml
echo "built dist/$kind.wasm; install it with: strive plugin add dist/$kind.wasm"
