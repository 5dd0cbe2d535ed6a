#!/usr/bin/env bash
# The eval bench: a real local model (Qwen2.5-Coder-1.5B-Instruct behind llama.cpp's
# OpenAI-compatible server, ../shared/tools/local-llm.sh) runs `strive eval` over the committed
# task set, single-shot and — when this build's assisted-fix has it — agent mode, and the bench
# prints solve rate, tokens and wall time per task for each.
#
#   scripts/bench-eval.sh [PORT] [-- extra strive eval arguments, e.g. --only py-inflection-potato]
#
# Not run in CI: the first start installs llama.cpp and the weights (~5 minutes, 1.2 GB).
# Environment: STRIVE (the binary; default target/debug/strive, built if missing), LLM_TOOL
# (default: a copy of ../shared/tools/local-llm.sh that builds llama.cpp for AVX2 instead of
# -march=native, which dies with "Illegal instruction" on some VMs), BENCH_OUT (default
# target/bench-eval), BENCH_ATTEMPTS (default 1), BENCH_MODES (default "single-shot agent"),
# LLM_CTX (the server's context, default 16384 here: a task's prompt carries up to 20 KB of files),
# BENCH_WALL_SECS (each task's wall clock, default 300; raise it on a busy machine, where a CPU
# model's turns slow down and the clock, not the model, would end the task), BENCH_TIMEOUT_SECS
# (per maker request, default 300).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=18080
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then PORT="$1"; shift; fi
[ "${1:-}" = "--" ] && shift
OUT="${BENCH_OUT:-target/bench-eval}"
SHARED_TOOL="$(cd .. && pwd)/shared/tools/local-llm.sh"
[ -x "$SHARED_TOOL" ] || SHARED_TOOL="$(cd ../.. && pwd)/shared/tools/local-llm.sh"
if [ -z "${LLM_TOOL:-}" ] && [ -x "$SHARED_TOOL" ]; then
  # llama.cpp built with GGML_NATIVE=ON (as the shared script does) dies with "Illegal
  # instruction" on VMs whose CPUID advertises more than they run; build for AVX2 instead, from a
  # copy beside its tool shim.
  mkdir -p "$OUT/llm-tool"
  cp "$(dirname "$SHARED_TOOL")/local-llm-toolshim.py" "$OUT/llm-tool/"
  sed 's/-DGGML_NATIVE=ON/-DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON/' \
    "$SHARED_TOOL" > "$OUT/llm-tool/local-llm.sh"
  chmod +x "$OUT/llm-tool/local-llm.sh"
  LLM_TOOL="$OUT/llm-tool/local-llm.sh"
fi
LLM_TOOL="${LLM_TOOL:-$SHARED_TOOL}"
STRIVE="${STRIVE:-target/debug/strive}"
ATTEMPTS="${BENCH_ATTEMPTS:-1}"
MODES="${BENCH_MODES:-single-shot agent}"
mkdir -p "$OUT"

[ -x "$LLM_TOOL" ] || { echo "bench-eval: no local-llm.sh (set LLM_TOOL)" >&2; exit 2; }
[ -x "$STRIVE" ] || CARGO_INCREMENTAL=0 cargo build -p strive --locked
command -v jq >/dev/null || { echo "bench-eval: needs jq" >&2; exit 2; }

export LLM_CTX="${LLM_CTX:-16384}"
base_url="$("$LLM_TOOL" "$PORT" | sed -n 's/^base_url=//p')"
[ -n "$base_url" ] || { echo "bench-eval: the local model did not start" >&2; exit 1; }
trap '"$LLM_TOOL" stop "$PORT"' EXIT
echo "bench-eval: model at $base_url" >&2

# Does this build's assisted-fix have an agent mode? (The docs section it would add.)
has_agent_mode() { grep -q '"mode": *"agent"' docs/assisted-fix.md docs/agents.md 2>/dev/null; }

WALL="${BENCH_WALL_SECS:-300}"
TIMEOUT="${BENCH_TIMEOUT_SECS:-300}"
spec="$OUT/eval-spec.json"
jq -n --arg u "$base_url" --argjson wall "$WALL" --argjson t "$TIMEOUT" '{
  maker: {type: "llamacpp", base_url: $u, model: "qwen2.5-coder-1.5b-instruct",
          max_tokens: 2048, temperature: 0.2, timeout_secs: $t},
  budget: {max_tokens: 200000, max_iterations: 2, wall_clock_secs: $wall}}' > "$spec"
for mode in $MODES; do
  args=(eval --spec "$spec" --attempts "$ATTEMPTS" --format json "$@")
  if [ "$mode" != single-shot ]; then
    has_agent_mode || { echo "bench-eval: $mode mode is not in this build; skipped" >&2; continue; }
    args+=(--mode "$mode")
  fi
  echo "bench-eval: $mode …" >&2
  "$STRIVE" "${args[@]}" > "$OUT/$mode.json"
  echo "== $mode"
  jq -r '.tasks[] | [.id, (if .solved then "solved" else "unsolved" end), .result, "\(.tokens) tok", "\(.wall_ms / 1000 | tostring | .[0:5]) s"] | @tsv' "$OUT/$mode.json" | column -t
  jq -r '.totals | "solve rate \(.solved)/\(.tasks) = \(.solve_rate * 1000 | round / 10)%  tokens \(.tokens)  wall \(.wall_ms / 1000 | round) s"' "$OUT/$mode.json"
done
echo "bench-eval: reports in $OUT/" >&2
