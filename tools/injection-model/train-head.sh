#!/usr/bin/env sh
# Rebuild host/core/src/injection/head.bin, the learned second stage's head: logistic regression
# over MiniLM-L6 embeddings of the cascade's windows, trained on the development corpus
# (host/core/tests/fixtures/injection.jsonl) and the seeded generator's output
# (injection_generated.jsonl, from generate.py). Deterministic: full-batch gradient descent
# from zero weights in a fixed order, so the same fixtures, encoder and code give the same
# bytes (the second command fails if they do not).
# Needs the encoder files: scripts/install-injection-model.sh. The first run embeds every
# window (cached in target/tmp/injection-embeddings.bin).
set -eu
cd "$(dirname "$0")/../.."
bash scripts/install-injection-model.sh
STRIVE_WRITE_INJECTION_HEAD=1 STRIVE_REQUIRE_INJECTION_MODEL=1 \
  cargo test -p strive-core --features learned --test integration -- injection_learned::committed_head_is_reproducible --nocapture
STRIVE_REQUIRE_INJECTION_MODEL=1 \
  cargo test -p strive-core --features learned --test integration -- injection_learned::committed_head_is_reproducible
git status --short host/core/src/injection/head.bin
