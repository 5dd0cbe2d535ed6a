#!/usr/bin/env python3
"""Make one `strive eval` task from a real upstream bug-fix commit.

The buggy files are taken from the fix's parent, the test files from the fix commit itself (the
test the fix added or changed is kept), and `fix_patch` is the upstream change to the buggy files.
The task is checked before it is written: its test command must fail on the buggy tree and pass
once `fix_patch` is applied. Nothing is written when either check fails.

Usage (GIT_DIR is a clone, bare or not, of the source repository):

  make-task.py --git-dir GIT_DIR --repo owner/name --license MIT --fix SHA \
      --id py-inflection-potato --language python \
      --buggy inflection.py --test test_inflection.py \
      --test-command "python3 -m pytest -q -p no:cacheprovider test_inflection.py" \
      --task "pluralize('potato') should be 'potatoes'; fix it without touching the tests." \
      [--support SRC[=DEST]] [--extra DEST=FILE] [--adapted "what was changed"] [--out eval/tasks]

A path may be given as SRC=DEST to place it elsewhere in the task's repo/.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def git(git_dir, *args):
    return subprocess.run(
        ["git", "--git-dir", git_dir, *args], check=True, capture_output=True
    ).stdout


def split(spec):
    src, _, dest = spec.partition("=")
    return src, dest or src


def write(root, rel, data):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path) or root, exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def md_sh(data):
    out, code = [], False
    for line in data.decode().split("\n"):
        if code and line != "```":
            out.append(line)
        if line == "```sh":
            code = True
        elif line == "```":
            code = False
    return ("\n".join(out) + "\n").encode()


def run_tests(repo, command):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "PYENV_ROOT")}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    out = subprocess.run(
        ["sh", "-c", command], cwd=repo, capture_output=True, timeout=120, env=env
    )
    return out.returncode, (out.stdout + out.stderr).decode(errors="replace")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--git-dir", required=True)
    p.add_argument("--repo", required=True)
    p.add_argument("--license", required=True)
    p.add_argument("--fix", required=True)
    p.add_argument("--id", required=True)
    p.add_argument("--language", required=True)
    p.add_argument("--buggy", action="append", required=True)
    p.add_argument("--test", action="append", default=[])
    p.add_argument("--support", action="append", default=[])
    p.add_argument("--extra", action="append", default=[])
    p.add_argument("--test-command", required=True)
    p.add_argument("--task", required=True)
    p.add_argument("--adapted", default="")
    p.add_argument("--md-sh", action="store_true",
                   help="buggy files are Markdown: keep only their ```sh code blocks (as the upstream test script does)")
    p.add_argument("--test-replace", action="append", default=[],
                   help="OLD::NEW, a literal replacement in the test files (say why in --adapted)")
    p.add_argument("--out", default="eval/tasks")
    a = p.parse_args()

    fix = git(a.git_dir, "rev-parse", a.fix).decode().strip()
    parent = git(a.git_dir, "rev-parse", fix + "^").decode().strip()
    subject = git(a.git_dir, "log", "-1", "--format=%s", fix).decode().strip()

    files = []
    with tempfile.TemporaryDirectory() as tmp:
        buggy_root = os.path.join(tmp, "buggy")
        fixed_root = os.path.join(tmp, "fixed")
        for role, specs, commit in (
            ("buggy", a.buggy, parent),
            ("test", a.test, fix),
            ("support", a.support, fix),
        ):
            for spec in specs:
                src, dest = split(spec)
                data = git(a.git_dir, "show", f"{commit}:{src}")
                if role == "buggy" and a.md_sh:
                    data = md_sh(data)
                if role == "test":
                    for rep in a.test_replace:
                        old, _, new = rep.partition("::")
                        if old.encode() not in data:
                            sys.exit(f"{a.id}: --test-replace {old!r} not found in {src}")
                        data = data.replace(old.encode(), new.encode())
                write(buggy_root, dest, data)
                files.append({"path": src, "task_path": dest, "role": role})
        for spec in a.extra:
            dest, _, local = spec.partition("=")
            with open(local, "rb") as f:
                write(buggy_root, dest, f.read())
            files.append({"path": "(written for this task)", "task_path": dest, "role": "support"})
        shutil.copytree(buggy_root, fixed_root)
        for spec in a.buggy:
            src, dest = split(spec)
            data = git(a.git_dir, "show", f"{fix}:{src}")
            write(fixed_root, dest, md_sh(data) if a.md_sh else data)

        # The fix patch, as git writes it, relative to repo/.
        work = os.path.join(tmp, "diff")
        shutil.copytree(buggy_root, work)
        subprocess.run(["git", "init", "-q", work], check=True)
        subprocess.run(["git", "-C", work, "add", "-A"], check=True)
        for spec in a.buggy:
            _, dest = split(spec)
            shutil.copy(os.path.join(fixed_root, dest), os.path.join(work, dest))
        patch = subprocess.run(
            ["git", "-C", work, "diff"], check=True, capture_output=True
        ).stdout.decode()
        if not patch.strip():
            sys.exit(f"{a.id}: the fix changes nothing in the buggy files")

        code, out = run_tests(buggy_root, a.test_command)
        if code == 0:
            sys.exit(f"{a.id}: the test command passes on the buggy tree:\n{out[-1500:]}")
        code, out2 = run_tests(fixed_root, a.test_command)
        if code != 0:
            sys.exit(f"{a.id}: the test command fails on the fixed tree:\n{out2[-3000:]}")

        dest_dir = os.path.join(a.out, a.id)
        if os.path.exists(dest_dir):
            shutil.rmtree(dest_dir)
        shutil.copytree(buggy_root, os.path.join(dest_dir, "repo"))
    task = {
        "id": a.id,
        "language": a.language,
        "task": a.task,
        "test_command": a.test_command,
        "source": {
            "repo": a.repo,
            "fix_commit": fix,
            "parent_commit": parent,
            "subject": subject,
            "files": files,
            "license": a.license,
            "adapted": a.adapted,
        },
        "fix_patch": patch,
    }
    with open(os.path.join(dest_dir, "task.json"), "w") as f:
        json.dump(task, f, indent=2)
        f.write("\n")
    print(f"{a.id}: ok (fails buggy, passes fixed)")


if __name__ == "__main__":
    main()
