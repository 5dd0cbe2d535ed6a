#!/usr/bin/env python3
"""Rebuild the committed eval task set from clones of the source repositories.

  build-set.py MIRRORS [ID ...]
  build-set.py --manifest-only      (rewrite eval/manifest.json from the task.json files)

MIRRORS holds one clone per source repository named `owner+name` (bare or not; a clone's git
directory may also be `owner+name/repo`). Each entry below names the upstream fix commit, the
buggy files (taken from the fix's parent), the test files (from the fix commit) and the task text;
make-task.py checks that the tests fail before the fix and pass after it.
"""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PYT = "python3 -m pytest -q -p no:cacheprovider"
MOCHA = os.path.join(HERE, "mocha-run.js")
MOCHA_NOTE = "test/run.js added: runs the mocha-style tests with node:test (no npm install)"

TASKS = []


def task(repo, license, fix, id, language, buggy, test, command, text, support=(), extra=(), adapted="",
         flags=(), replace=()):
    TASKS.append(dict(repo=repo, license=license, fix=fix, id=id, language=language, buggy=buggy,
                      test=test, command=command, text=text, support=support, extra=extra,
                      adapted=adapted, flags=flags, replace=replace))


# --- Python: jpvanhal/inflection (MIT) ---
INF = dict(repo="jpvanhal/inflection", license="MIT", language="python", buggy=["inflection.py"],
           test=["test_inflection.py"], command=f"{PYT} test_inflection.py")
task(fix="e32443b", id="py-inflection-titleize", text="titleize() only capitalizes words that start with a letter a-z: words starting with other characters (digits, non-ASCII letters) are left lowercase. Make titleize capitalize every word, as the tests expect.", **INF)
task(fix="1969b3a", id="py-inflection-passerby", text="pluralize('passerby') gives 'passerbys' and singularize('passersby') is wrong too; the plural is 'passersby'. Fix the inflection rules.", **INF)
task(fix="03b137c", id="py-inflection-potato", text="pluralize('potato') should be 'potatoes' (like tomato and buffalo). Fix the plural rules.", **INF)
task(fix="d85ee5d", id="py-inflection-human", text="pluralize('human') gives 'humen' (the 'man' -> 'men' rule); it must be 'humans', and singularize('humans') must be 'human'.", **INF)

# --- JavaScript: visionmedia/bytes.js (MIT) ---
BYTES = dict(repo="visionmedia/bytes.js", license="MIT", language="javascript", buggy=["index.js"],
             test=["test/byte-format.js", "test/byte-parse.js", "test/bytes.js"],
             command="node test/run.js", extra=[f"test/run.js={MOCHA}"], adapted=MOCHA_NOTE)
task(fix="581b2b5", id="js-bytes-unparsable", text="bytes.parse('foobar') and bytes('foobar') return NaN for a string with no number in it; they must return null, like other invalid input.", **BYTES)
task(fix="db70acb", id="js-bytes-thousands-fraction", text="bytes.format with the thousandsSeparator option also puts separators into the fractional part (1005.1005 KB with 4 decimals and '_' gives '1_005.1_005KB'). Only the integer part may be grouped.", **BYTES)
task(fix="33cc74b", id="js-bytes-hex", text="bytes.parse('0x11') returns 17: a unitless string that looks like hexadecimal is parsed as hex. Unitless numbers are decimal, so it must give 0.", **BYTES)
task(fix="028f63e", id="js-bytes-nonfinite", text="bytes.format(NaN) and bytes.format(Infinity) return strings; non-finite numbers must return null like other invalid input.", **BYTES)

# --- JavaScript: vercel/ms (MIT) ---
MS = dict(repo="vercel/ms", license="MIT", language="javascript", buggy=["index.js"], test=["tests.js"],
          command="node run-tests.js",
          extra=[f"run-tests.js={MOCHA}", f"node_modules/expect.js/index.js={os.path.join(HERE, 'expect-shim.js')}"],
          adapted="run-tests.js (node:test runner) and a minimal expect.js shim added (no npm install)")
task(fix="f0bc0a2", id="js-ms-negative", text="ms('-100ms') and other negative durations return undefined; parse must accept a leading minus sign (ms('-1.5h') is -5400000).", **MS)
task(fix="2669f23", id="js-ms-negative-decimal", text="ms('-10.5h') returns undefined: negative decimals whose integer part has two or more digits do not parse. It must give -37800000.", **MS)

# --- Python: mahmoud/boltons (BSD-3-Clause) ---
def bolt(module, test, extra_support=()):
    return dict(repo="mahmoud/boltons", license="BSD-3-Clause", language="python",
                buggy=[f"boltons/{module}.py"], test=[f"tests/{test}.py"],
                support=["boltons/__init__.py", "boltons/typeutils.py", *extra_support],
                command=f"{PYT} tests/{test}.py")
task(fix="1e61524", id="py-boltons-singularize-ss", text="strutils.singularize() strips the last 's' of singular words ending in 'ss': singularize('glass') gives 'glas'. Words ending in a double 's' are already singular and must come back unchanged.", **bolt("strutils", "test_strutils"))
task(fix="766b554", id="py-boltons-bytes2human", text="strutils.bytes2human(1024) gives '1024B' instead of '1K': the size does not roll over to the next unit at exact powers of 1024.", **bolt("strutils", "test_strutils"))
task(fix="ead236e", id="py-boltons-backoff-factor-one", text="iterutils.backoff_iter(start, stop, factor=1.0) without a count raises ZeroDivisionError. With factor 1.0 and start == stop it must yield one value; with start != stop it must raise ValueError explaining that factor must be > 1.0 when count is None.", **bolt("iterutils", "test_iterutils", ["boltons/dictutils.py", "boltons/namedutils.py"]))
task(fix="4aa77cd", id="py-boltons-split-maxsplit-zero", text="iterutils.split(src, sep, maxsplit=0) yields the source object itself instead of a list of its items, so split over a string or a generator with maxsplit=0 gives the wrong result. It must yield one list.", **bolt("iterutils", "test_iterutils", ["boltons/dictutils.py", "boltons/namedutils.py"]))
task(fix="c1c25da", id="py-boltons-bits-length", text="mathutils.Bits accepts a value that does not fit in the given length: Bits(4, 2) (binary 100 in 2 bits) is allowed. A value must be smaller than 2 ** len.", **bolt("mathutils", "test_mathutils"))
task(fix="ec1ff9f", id="py-boltons-complement-superset", text="Comparing complement sets from setutils with >= (superset) raises AttributeError: a method name is misspelled in _ComplementSet's comparisons.", **bolt("setutils", "test_setutils"))
task(fix="d0a284f", id="py-boltons-indexedset-negative", text="IndexedSet wraps around for out-of-range negative indexes: with n items, x[-n-1] and x.pop(-n-1) return an item instead of raising IndexError.", **bolt("setutils", "test_setutils"))
task(fix="6cac49c", id="py-boltons-onetoone-update", text="dictutils.OneToOne.update() misbehaves when given an empty iterable (or nothing): it must be a no-op that leaves the mapping and its inverse unchanged.", **bolt("dictutils", "test_dictutils"))
task(fix="93185b2", id="py-boltons-daterange-same", text="timeutils.daterange(start, stop) never ends when start equals stop and the step is positive; it must terminate (yield nothing for an exclusive stop, the date itself for inclusive).", **bolt("timeutils", "test_timeutils"))

# --- Shell (bash): dylanaraps/pure-bash-bible (MIT) ---
def bible(fn):
    return {**BIBLE, "command": f"bash test.sh {fn}"}


BIBLE = dict(repo="dylanaraps/pure-bash-bible", license="MIT", language="shell", buggy=["README.md=bible.sh"],
             test=["test.sh"], command="bash test.sh {fn}", flags=["--md-sh"],
             replace=["trap 'rm readme_code test_file' EXIT::trap 'rm -f test_file' EXIT",
                      "done < README.md > readme_code::done < /dev/null > /dev/null",
                      "shellcheck -s bash readme_code test.sh build.sh || exit 1::: shellcheck omitted",
                      "    . readme_code::    . ./bible.sh",
                      '[[ "$func" == test_* ]] && "$func";::[[ "$func" == test_${1:-*} ]] && "$func";'],
             adapted="bible.sh is README.md's ```sh code blocks (what upstream test.sh extracts and sources); test.sh sources bible.sh instead of extracting it, skips shellcheck, and runs only the test named on its command line (other tests depend on the bash version)")
task(fix="ea8fd23", id="sh-bible-dirname-trailing", text="The bash dirname function in bible.sh keeps the trailing slash: dirname '/home/black/Pictures/Wallpapers/1.jpg' prints '/home/black/Pictures/Wallpapers/' instead of '/home/black/Pictures/Wallpapers'. Fix it in pure bash (no external programs).", **bible("dirname"))
task(fix="49bd538", id="sh-bible-dirname-root", text="The bash dirname function in bible.sh is wrong for '/', '/foo' and '.': dirname '/' and dirname '/foo' must print '/', dirname '.' must print '.'. Fix it in pure bash.", **bible("dirname"))
task(fix="a2c0d36", id="sh-bible-dirname-nested", text="The bash dirname function in bible.sh prints 'something' for dirname 'something/'; like coreutils dirname it must print '.' (a relative name with only a trailing slash has no directory part). Fix it in pure bash.", **bible("dirname"))


def git_dir(mirrors, repo):
    base = os.path.join(mirrors, repo.replace("/", "+"))
    for cand in (os.path.join(base, "repo"), base):
        if os.path.exists(os.path.join(cand, "HEAD")) or os.path.isdir(os.path.join(cand, ".git")):
            return cand if os.path.exists(os.path.join(cand, "HEAD")) else os.path.join(cand, ".git")
    sys.exit(f"no clone of {repo} under {mirrors}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    mirrors, only = sys.argv[1], set(sys.argv[2:])
    out = os.path.join(HERE, "..", "tasks")
    if mirrors == "--manifest-only":
        write_manifest(out)
        return
    failed = []
    for t in TASKS:
        if only and t["id"] not in only:
            continue
        argv = [sys.executable, os.path.join(HERE, "make-task.py"), "--git-dir", git_dir(mirrors, t["repo"]),
                "--repo", t["repo"], "--license", t["license"], "--fix", t["fix"], "--id", t["id"],
                "--language", t["language"], "--test-command", t["command"], "--task", t["text"],
                "--adapted", t["adapted"], "--out", out]
        for b in t["buggy"]:
            argv += ["--buggy", b]
        for x in t["test"]:
            argv += ["--test", x]
        for s in t["support"]:
            argv += ["--support", s]
        for e in t["extra"]:
            argv += ["--extra", e]
        for r in t["replace"]:
            argv += ["--test-replace", r]
        argv += list(t["flags"])
        if subprocess.run(argv).returncode != 0:
            failed.append(t["id"])
    write_manifest(out)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


def write_manifest(tasks_dir):
    """eval/manifest.json: every task's provenance in one place (from the task.json files)."""
    import json
    rows = []
    for name in sorted(os.listdir(tasks_dir)):
        path = os.path.join(tasks_dir, name, "task.json")
        if not os.path.isfile(path):
            continue
        with open(path) as f:
            t = json.load(f)
        src = t["source"]
        rows.append({
            "id": t["id"], "language": t["language"], "repo": src["repo"],
            "url": f"https://github.com/{src['repo']}/commit/{src['fix_commit']}",
            "fix_commit": src["fix_commit"], "parent_commit": src["parent_commit"],
            "subject": src["subject"], "license": src["license"],
            "license_text": f"eval/licenses/{src['repo'].replace('/', '+')}.txt",
            "paths": [f["path"] for f in src["files"] if f["path"] != "(written for this task)"],
            "adapted": src["adapted"],
        })
    with open(os.path.join(tasks_dir, "..", "manifest.json"), "w") as f:
        json.dump({"tasks": rows}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
