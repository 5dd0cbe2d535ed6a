#!/usr/bin/env bash
# Run every check and test Strive has: formatting, lints, and the unit, integration and property
# tests of the host workspace (against a throwaway PostgreSQL on loopback) and of the guest
# plugins, and the plugin kits in Rust, Python and JS. Installs what it needs first
# (wasm32-wasip2 target, PostgreSQL, componentize-py, componentize-js). Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "== PostgreSQL (loopback test server)"
STRIVE_TEST_PG_URL="$(bash scripts/pg-test-server.sh)"
export STRIVE_TEST_PG_URL
# The three-language plugin kit test (Rust, Python via componentize-py, JS via componentize-js)
# installs its tools itself (scripts/build-kits.sh --install) into target/tmp/kits; installing them
# here first, into the same place, fails early on a network or npm problem.
export STRIVE_KIT_TESTS=1
# A one-shot build gains nothing from incremental artifacts; they would double the disk it needs.
export CARGO_INCREMENTAL=0
echo "== plugin kit tools"; KITS_DIR=target/tmp/kits bash scripts/build-kits.sh --install
# The dashboard's headless-Chromium test (dashboard/tests/browser.mjs) drives Chromium with
# playwright-core, installed into target/browser.
echo "== browser test tools"
[ -d target/browser/node_modules/playwright-core ] ||
  npm install --no-audit --no-fund --prefix target/browser playwright-core@1.65.1
export STRIVE_BROWSER_TESTS=1
# The MCP connector tests (host/cli/tests/connectors_e2e.rs) also run against the reference
# server-everything from npm, installed into target/mcp.
echo "== MCP reference server"
[ -f target/mcp/node_modules/@modelcontextprotocol/server-everything/dist/index.js ] ||
  npm install --no-audit --no-fund --prefix target/mcp @modelcontextprotocol/server-everything@2026.1.26
export STRIVE_MCP_NPM_TESTS=1
# strive eval's end-to-end test (host/cli/tests/eval_e2e.rs) runs the committed task set: its
# Python tasks need pytest (install-deps.sh), its JavaScript tasks Node.js >= 18 (node:test).
node -e 'process.exit(+process.versions.node.split(".")[0] >= 18 ? 0 : 1)' ||
  { echo "test.sh: the eval task set needs Node.js >= 18" >&2; exit 1; }
echo "== fmt";    cargo fmt --all --check
echo "== clippy"; cargo clippy --all-targets --locked -- -D warnings
echo "== tests";  cargo test --locked --workspace
# The guest plugins are their own workspace (built for wasm32-wasip2 by the runtime's build
# script); their pure logic (classification, planning, reflection) is unit-tested natively.
echo "== plugins: fmt, clippy, unit tests"
cargo fmt --manifest-path plugins/Cargo.toml --all --check
cargo clippy --manifest-path plugins/Cargo.toml --workspace --all-targets --locked -- -D warnings
cargo test --manifest-path plugins/Cargo.toml --workspace --locked
echo "all checks passed"
