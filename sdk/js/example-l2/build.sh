#!/usr/bin/env bash
# Build this loop kind into dist/<kind>.wasm (+ its manifest) with componentize-js.
# Needs node + npm; installs @bytecodealliance/componentize-js 0.23.0 into node_modules/ once.
# (`jco componentize` cannot read the WIT on some machines; the componentize-js CLI can.)
set -euo pipefail
cd "$(dirname "$0")"
kind=$(sed -n 's/^kind = "\(.*\)"/\1/p' strive-plugin.toml)
bin=${COMPONENTIZE_JS:-node_modules/.bin/componentize-js}
if [ ! -x "$bin" ]; then
  npm install --no-audit --no-fund --silent
fi
mkdir -p dist
# -d http fetch-event: no wasi:http import (plugins have no network; the host refuses it).
"$bin" --wit wit --world-name loop-kind -d http fetch-event -o "dist/$kind.wasm" app.js
cp strive-plugin.toml dist/strive-plugin.toml
echo "built dist/$kind.wasm; install it with: strive plugin add dist/$kind.wasm"
