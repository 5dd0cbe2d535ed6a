#!/usr/bin/env bash
# Run every check and test Strive has: formatting, lints, unit/integration/property tests of the
# host workspace and of the guest (plugin) workspace. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
echo "== fmt";    cargo fmt --all --check
echo "== clippy"; cargo clippy --all-targets --locked -- -D warnings
echo "== tests";  cargo test --locked --all-targets
echo "all checks passed"
