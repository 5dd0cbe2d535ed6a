"""propose-change: a Strive loop kind in Python that changes its target (phases L2 and L3).

Reads `config.change = {path, append}` from the loop spec, appends the text to the file in a
private worktree off `target.base_ref` (default `main`), runs the spec's `test_command` there,
and commits. At L2 the commit stays on its `loop/...` branch for review; at L3 the plugin asks
the host's merge gate, which fast-forwards the base only inside the spec's allowlist.

The host does the checking, not this code: it commits only a tree that passed the spec's own
`test_command`, scans every diff for verifier tampering, confines paths to the worktree, runs
the command in the OS sandbox, and merges only through the allowlist gate. The outcome
returned here is a claim; `proposed` and `merged` count only if the host's records agree.
"""

import json

from componentize_py_types import Err
from wit_world import WitWorld
from wit_world.imports import command, log, merge, types, worktree

NAME = "propose-change"
VERSION = "0.1.0"
# Lines of a failing test's output carried into the escalation note.
TAIL_LINES = 8


class ConfigError(Exception):
    pass


def _text(value):
    return value if isinstance(value, str) and value else None


def read_change(config_json: str) -> dict:
    """Reads the loop spec (JSON). Errors name the field to fix. The same rules as the Rust and
    JS examples."""
    try:
        spec = json.loads(config_json)
    except ValueError as e:
        raise ConfigError(f"loop spec is not JSON: {e}")
    if not isinstance(spec, dict):
        spec = {}
    config = spec.get("config")
    change = config.get("change") if isinstance(config, dict) else None
    change = change if isinstance(change, dict) else {}
    path = _text(change.get("path"))
    if path is None:
        raise ConfigError(
            "`config.change.path` is required: the file to append to, relative to the repository root"
        )
    append = _text(change.get("append"))
    if append is None:
        raise ConfigError("`config.change.append` is required: the text to append (non-empty)")
    test_command = _text(spec.get("test_command"))
    if test_command is None or not test_command.strip():
        raise ConfigError("`test_command` is required: the command whose exit 0 proves the change")
    target = spec.get("target")
    base_ref = _text(target.get("base_ref")) if isinstance(target, dict) else None
    return {
        "path": path,
        "append": append,
        "test_command": test_command,
        "base_ref": base_ref or "main",
    }


def output_tail(stdout: str, stderr: str) -> str:
    """The last TAIL_LINES non-empty lines of stdout then stderr."""
    lines = [line for line in stdout.split("\n") + stderr.split("\n") if line]
    return "\n".join(lines[-TAIL_LINES:])


def refusal_text(e) -> str:
    """A host refusal in words (the host's own reason, never a debug dump)."""
    v = e.value
    if isinstance(e, types.HostError_Denied):
        return f"`{v.capability}` denied: {v.reason}"
    if isinstance(e, types.HostError_BudgetExceeded):
        return f"budget {v.axis} exceeded (cap {v.cap}, spent {v.spent}, asked {v.requested})"
    if isinstance(e, types.HostError_Blocked):
        return f"blocked by {v.rule}: {v.reason}"
    if isinstance(e, types.HostError_Invalid):
        return f"invalid request: {v}"
    return f"host call failed: {v}"


def propose(ctx: types.RunContext, change: dict) -> types.RunResult:
    # A fresh branch off the base; the host picks its name (the handle).
    handle = worktree.create(change["base_ref"], "")
    path = change["path"]
    # A file that does not exist yet starts empty; any other read refusal ends the run.
    if path in worktree.list_files(handle, ""):
        contents = bytes(worktree.read_file(handle, path))
    else:
        contents = b""
    worktree.write_file(handle, path, contents + change["append"].encode("utf-8"))

    # The host marks the tree verified only when this is the spec's test_command and it exits 0.
    out = command.run(handle, change["test_command"], 0)
    if out.exit_code != 0 or out.timed_out:
        exit_ = "timed out" if out.timed_out else f"exit {out.exit_code}"
        return types.RunResult(
            outcome=types.Outcome.ESCALATED,
            note=f"test command `{change['test_command']}` failed ({exit_}) after appending to "
            f"{path}; output tail:\n{output_tail(out.stdout, out.stderr)}",
        )

    sha = worktree.commit(handle, f"{NAME}: append to {path}")
    short = sha[:12]
    log.emit(log.Level.INFO, f"committed {short} on {handle}")
    if ctx.phase != types.Phase.L3:
        return types.RunResult(
            outcome=types.Outcome.PROPOSED,
            note=f"tests pass; branch {handle} ({short}) appends to {path}, left for review",
        )
    decision = merge.request_merge(handle)
    if decision.merged:
        return types.RunResult(outcome=types.Outcome.MERGED, note=decision.reason)
    return types.RunResult(
        outcome=types.Outcome.PROPOSED,
        note=f"tests pass; branch {handle} ({short}) proposed: {decision.reason}",
    )


class WitWorld(WitWorld):
    def describe(self) -> types.KindInfo:
        return types.KindInfo(
            name=NAME,
            version=VERSION,
            summary="appends text to a file, proves it with the test command, proposes or merges",
        )

    def run(self, ctx: types.RunContext) -> types.RunResult:
        try:
            change = read_change(ctx.config_json)
        except ConfigError as e:
            return types.RunResult(outcome=types.Outcome.ERROR, note=str(e))
        try:
            return propose(ctx, change)
        except Err as refusal:
            # A host refusal (denied, blocked, invalid path, budget...) is a value: report it.
            return types.RunResult(
                outcome=types.Outcome.ERROR, note=f"host refused: {refusal_text(refusal.value)}"
            )
