#!/usr/bin/env sh
# Regenerate host/core/src/injection/model.bin from host/core/tests/fixtures/injection.jsonl.
# Deterministic: the same fixtures and code give the same bytes (the test below fails if the
# committed file differs from a fresh training run).
set -eu
cd "$(dirname "$0")/../.."
STRIVE_WRITE_INJECTION_MODEL=1 cargo test -p strive-core --test integration injection_model
# Rebuild with the new weights and check they are what a fresh run produces.
cargo test -p strive-core --test integration injection_model
git status --short host/core/src/injection/model.bin
