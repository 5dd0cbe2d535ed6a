"""conventional-commits: a Strive loop kind in Python.

Counts the commits of the target repository by conventional-commit type (`feat`, `fix`, ...;
`other` when the subject has no type) and reports one finding that cites the newest commit.
The host checks the citation; the outcome returned here is a claim, not a verdict.
"""

import re

from componentize_py_types import Err
from wit_world import WitWorld
from wit_world.imports import git, log, report, types

NAME = "conventional-commits"
VERSION = "0.1.0"

# `type(scope)!: subject` -> type. The same rule as the Rust and JS examples.
CONVENTIONAL = re.compile(r"^([A-Za-z]+)(\([^()]*\))?!?: ")


def conventional_type(subject: str) -> str:
    match = CONVENTIONAL.match(subject)
    return match.group(1).lower() if match else "other"


def summarize(commits) -> str:
    counts = {}
    for commit in commits:
        kind = conventional_type(commit.subject)
        counts[kind] = counts.get(kind, 0) + 1
    parts = ", ".join(f"{kind}={counts[kind]}" for kind in sorted(counts))
    return f"{len(commits)} commits by type: {parts}"


class WitWorld(WitWorld):
    def describe(self) -> types.KindInfo:
        return types.KindInfo(
            name=NAME, version=VERSION, summary="counts commits by conventional type"
        )

    def run(self, ctx: types.RunContext) -> types.RunResult:
        try:
            # The host chose the repository; HEAD is its checked-out tip.
            commits = git.log(
                git.LogQuery(
                    tip="HEAD",
                    since_exclusive=None,
                    since_time=None,
                    limit=0,
                    with_changes=False,
                )
            )
            if not commits:
                return types.RunResult(outcome=types.Outcome.CLEAN, note="no commits")
            title = summarize(commits)
            newest = commits[0]
            report.add_finding(
                report.Finding(
                    bucket=report.Bucket.WATCH,
                    title=title,
                    detail=f"newest: {newest.subject}",
                    cites=[newest.sha],
                    paths=[],
                )
            )
            log.emit(log.Level.INFO, title)
            return types.RunResult(outcome=types.Outcome.FOUND, note=title)
        except Err as refusal:
            # A host refusal (denied, budget-exceeded, ...) is a value: report it as the outcome.
            return types.RunResult(outcome=types.Outcome.ERROR, note=f"host refused: {refusal.value}")
