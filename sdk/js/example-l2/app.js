// propose-change: a Strive loop kind in JavaScript that changes its target (phases L2 and L3).
//
// Reads `config.change = {path, append}` from the loop spec, appends the text to the file in a
// private worktree off `target.base_ref` (default `main`), runs the spec's `test_command` there,
// and commits. At L2 the commit stays on its `loop/...` branch for review; at L3 the plugin asks
// the host's merge gate, which fast-forwards the base only inside the spec's allowlist.
//
// The host does the checking, not this code: it commits only a tree that passed the spec's own
// `test_command`, scans every diff for verifier tampering, confines paths to the worktree, runs
// the command in the OS sandbox, and merges only through the allowlist gate. The outcome
// returned here is a claim; `proposed` and `merged` count only if the host's records agree.
// A host refusal (denied, blocked, invalid path, budget...) is thrown as an error whose
// `payload` is the `host-error` value.

import { run as runCommand } from 'strive:loops/command@0.1.0';
import { emit } from 'strive:loops/log@0.1.0';
import { requestMerge } from 'strive:loops/merge@0.1.0';
import { commit, create, listFiles, readFile, writeFile } from 'strive:loops/worktree@0.1.0';

const NAME = 'propose-change';
const VERSION = '0.1.0';
// Lines of a failing test's output carried into the escalation note.
const TAIL_LINES = 8;

class ConfigError extends Error {}

function text(value) {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function object(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
}

// Reads the loop spec (JSON). Errors name the field to fix. The same rules as the Rust and
// Python examples.
export function readChange(configJson) {
  let spec;
  try {
    spec = object(JSON.parse(configJson));
  } catch (e) {
    throw new ConfigError(`loop spec is not JSON: ${e.message}`);
  }
  const change = object(object(spec.config).change);
  const path = text(change.path);
  if (path === undefined) {
    throw new ConfigError(
      '`config.change.path` is required: the file to append to, relative to the repository root',
    );
  }
  const append = text(change.append);
  if (append === undefined) {
    throw new ConfigError('`config.change.append` is required: the text to append (non-empty)');
  }
  const testCommand = text(spec.test_command);
  if (testCommand === undefined || testCommand.trim() === '') {
    throw new ConfigError('`test_command` is required: the command whose exit 0 proves the change');
  }
  const baseRef = text(object(spec.target).base_ref) ?? 'main';
  return { path, append, testCommand, baseRef };
}

// The last TAIL_LINES non-empty lines of stdout then stderr.
export function outputTail(stdout, stderr) {
  const lines = [...stdout.split('\n'), ...stderr.split('\n')].filter((l) => l.length > 0);
  return lines.slice(-TAIL_LINES).join('\n');
}

// A host refusal in words (the host's own reason, never a debug dump).
function refusalText(e) {
  const v = e.val;
  switch (e.tag) {
    case 'denied':
      return `\`${v.capability}\` denied: ${v.reason}`;
    case 'budget-exceeded':
      return `budget ${v.axis} exceeded (cap ${v.cap}, spent ${v.spent}, asked ${v.requested})`;
    case 'blocked':
      return `blocked by ${v.rule}: ${v.reason}`;
    case 'invalid':
      return `invalid request: ${v}`;
    default:
      return `host call failed: ${v}`;
  }
}

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function propose(ctx, change) {
  // A fresh branch off the base; the host picks its name (the handle).
  const handle = create(change.baseRef, '');
  const { path } = change;
  // A file that does not exist yet starts empty; any other read refusal ends the run.
  const contents = listFiles(handle, '').includes(path) ? readFile(handle, path) : new Uint8Array();
  writeFile(handle, path, concat(contents, new TextEncoder().encode(change.append)));

  // The host marks the tree verified only when this is the spec's test_command and it exits 0.
  const out = runCommand(handle, change.testCommand, 0);
  if (out.exitCode !== 0 || out.timedOut) {
    const exit = out.timedOut ? 'timed out' : `exit ${out.exitCode}`;
    return {
      outcome: 'escalated',
      note:
        `test command \`${change.testCommand}\` failed (${exit}) after appending to ${path}; ` +
        `output tail:\n${outputTail(out.stdout, out.stderr)}`,
    };
  }

  const sha = commit(handle, `${NAME}: append to ${path}`);
  const short = sha.slice(0, 12);
  emit('info', `committed ${short} on ${handle}`);
  if (ctx.phase !== 'l3') {
    return {
      outcome: 'proposed',
      note: `tests pass; branch ${handle} (${short}) appends to ${path}, left for review`,
    };
  }
  const decision = requestMerge(handle);
  if (decision.merged) {
    return { outcome: 'merged', note: decision.reason };
  }
  return {
    outcome: 'proposed',
    note: `tests pass; branch ${handle} (${short}) proposed: ${decision.reason}`,
  };
}

export function describe() {
  return {
    name: NAME,
    version: VERSION,
    summary: 'appends text to a file, proves it with the test command, proposes or merges',
  };
}

export function run(ctx) {
  let change;
  try {
    change = readChange(ctx.configJson);
  } catch (e) {
    return { outcome: 'error', note: e instanceof ConfigError ? e.message : String(e) };
  }
  try {
    return propose(ctx, change);
  } catch (err) {
    // A host refusal (denied, blocked, invalid path, budget...) is a value: report it.
    if (err && err.payload !== undefined && err.payload.tag !== undefined) {
      return { outcome: 'error', note: `host refused: ${refusalText(err.payload)}` };
    }
    return { outcome: 'error', note: `plugin failed: ${String(err)}` };
  }
}
