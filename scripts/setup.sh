#!/usr/bin/env bash
# Fresh machine → a built `strive` and its main job: a report-only triage of this repository.
# Installs what is missing (the wasm32-wasip2 target for the built-in plugins), builds the release
# binary, then runs the self-triage loop twice: the first run reports, the second is `clean`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cargo build --release --locked -p strive
BIN=target/release/strive
echo "== strive run loops/self-triage.json"
"$BIN" run loops/self-triage.json
echo "== again (no new commits: expect clean)"
"$BIN" run loops/self-triage.json
echo
echo "strive is at $BIN — try '$BIN --help', '$BIN show self-triage', '$BIN guard \"rm -rf /\"'."
