#!/usr/bin/env bash
# Run every check and test Strive has: formatting, lints, and the unit, integration and property
# tests of the host workspace, against a throwaway PostgreSQL on loopback. Installs what it needs
# first (wasm32-wasip2 target, PostgreSQL). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "== PostgreSQL (loopback test server)"
STRIVE_TEST_PG_URL="$(bash scripts/pg-test-server.sh)"
export STRIVE_TEST_PG_URL
echo "== fmt";    cargo fmt --all --check
echo "== clippy"; cargo clippy --all-targets --locked -- -D warnings
echo "== tests";  cargo test --locked --workspace
echo "all checks passed"
