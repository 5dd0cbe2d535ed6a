#!/usr/bin/env bash
# Fresh machine → `strive` on your PATH and its main job: a report-only triage of this repository.
# Installs what is missing (the wasm32-wasip2 target for the built-in plugins), builds the release
# binary, links it into ~/.local/bin (or $STRIVE_BIN_DIR), installs shell completions and man
# pages for your user, then runs the self-triage loop twice: the first run reports, the second
# is `clean`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
cargo build --release --locked -p strive

# Install: a symbolic link, so every later `cargo build --release` is what `strive` runs.
BIN_DIR="${STRIVE_BIN_DIR:-$HOME/.local/bin}"
mkdir -p "$BIN_DIR"
ln -sfn "$PWD/target/release/strive" "$BIN_DIR/strive"
echo "== installed: $BIN_DIR/strive -> $PWD/target/release/strive"

# Completions and man pages for this user (strive completions --help, strive man --help).
"$BIN_DIR/strive" -q completions bash --install
"$BIN_DIR/strive" -q completions zsh --install
"$BIN_DIR/strive" -q completions fish --install
"$BIN_DIR/strive" -q man --out "${XDG_DATA_HOME:-$HOME/.local/share}/man/man1"

echo "== strive run loops/self-triage.json"
"$BIN_DIR/strive" run loops/self-triage.json
echo "== again (no new commits: expect clean)"
"$BIN_DIR/strive" run loops/self-triage.json
echo

case ":$PATH:" in
  *":$BIN_DIR:"*)
    echo "strive is on your PATH — try 'strive status', 'strive show self-triage', 'strive guard \"rm -rf /\"'."
    ;;
  *)
    echo "strive is installed in $BIN_DIR, which is not on your PATH yet. Add it (then open a new shell):"
    echo "  echo 'export PATH=\"$BIN_DIR:\$PATH\"' >> ~/.bashrc    # or ~/.zshrc, ~/.profile"
    echo "Until then: $BIN_DIR/strive status"
    ;;
esac
