#!/usr/bin/env bash
# Compare Strive's guard with public guards, each built from its published package, on the same
# labelled commands (host/core/tests/fixtures/commands.tsv), all judged in the same directory
# (a fresh git worktree that is not a temp directory). Prints each guard's dangerous blocked /
# safe wrongly blocked / ask blocked, per source, and without the guard's own test suite.
#
#   bash scripts/bench-guard-compare.sh            # Strive + cc-safety-net (npm), dcg if on PATH
#   STRIVE_BIN=target/release/strive bash scripts/bench-guard-compare.sh
#
# Guards:
#   strive         `strive guard --batch` (built with cargo if STRIVE_BIN is not set)
#   cc-safety-net  npm package cc-safety-net@2.4.5, its library API `checkCommand`
#                  (installed into target/guard-compare/ccsn)
#   dcg            destructive_command_guard from crates.io, in Claude Code hook mode, only when a
#                  `dcg` binary is on PATH (`cargo install destructive_command_guard --version
#                  0.16.0 --locked`; ~500 crates, not built here by default)
set -euo pipefail
cd "$(dirname "$0")/.."
CCSN_VERSION=2.4.5
CORPUS=host/core/tests/fixtures/commands.tsv
WORK=target/guard-compare
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
PROJECT="$WORK/project"
rm -rf "$PROJECT" && mkdir -p "$PROJECT" && git -C "$PROJECT" init -q
# guards read user configuration from $HOME: give them an empty one
export HOME="$WORK/home"
mkdir -p "$HOME"

if [ -z "${STRIVE_BIN:-}" ]; then
  cargo build --quiet --locked -p strive --bin strive
  STRIVE_BIN=target/debug/strive
fi
[ -d "$WORK/ccsn/node_modules/cc-safety-net" ] ||
  npm install --no-audit --no-fund --silent --prefix "$WORK/ccsn" "cc-safety-net@$CCSN_VERSION"

# strive: one JSONL request per corpus command, in corpus order
node --input-type=module -e "
import { readFileSync } from 'node:fs';
import { readCorpus } from './scripts/guard-compare.mjs';
for (const r of readCorpus(readFileSync('$CORPUS', 'utf8')))
  process.stdout.write(JSON.stringify({ command: r.command, cwd: '$PROJECT', worktree: '$PROJECT' }) + '\n');
" >"$WORK/requests.jsonl"
"$STRIVE_BIN" guard --batch <"$WORK/requests.jsonl" >"$WORK/strive.raw.jsonl" || [ $? -eq 2 ]
node -e "
const lines = require('fs').readFileSync('$WORK/strive.raw.jsonl', 'utf8').split('\n').filter(Boolean);
for (const l of lines) { const d = JSON.parse(l); console.log(JSON.stringify({ blocked: d.decision !== 'allow', rule: d.rule })); }
" >"$WORK/strive.jsonl"
guards=("strive=$WORK/strive.jsonl")

node scripts/ccsn-verdicts.mjs "$WORK/ccsn" "$CORPUS" "$PROJECT" >"$WORK/ccsn.jsonl"
guards+=("cc-safety-net=$WORK/ccsn.jsonl")

if command -v dcg >/dev/null; then
  node --input-type=module -e "
import { readFileSync } from 'node:fs';
import { readCorpus } from './scripts/guard-compare.mjs';
for (const r of readCorpus(readFileSync('$CORPUS', 'utf8')))
  process.stdout.write(JSON.stringify({ tool_name: 'Bash', tool_input: { command: r.command }, cwd: '$PROJECT' }) + '\n');
" | while IFS= read -r req; do
    # hook mode: a deny is a JSON answer on stdout; an allow prints nothing
    out=$(cd "$PROJECT" && printf '%s' "$req" | dcg 2>/dev/null || true)
    case "$out" in *'"deny"'*) echo '{"blocked":true}' ;; *) echo '{"blocked":false}' ;; esac
  done >"$WORK/dcg.jsonl"
  guards+=("dcg=$WORK/dcg.jsonl")
else
  echo "dcg: not on PATH, skipped (cargo install destructive_command_guard --version 0.16.0 --locked)"
fi
node scripts/guard-compare.mjs "$CORPUS" "${guards[@]}"
