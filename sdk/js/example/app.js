// conventional-commits: a Strive loop kind in JavaScript.
//
// Counts the commits of the target repository by conventional-commit type (`feat`, `fix`, ...;
// `other` when the subject has no type) and reports one finding that cites the newest commit.
// The host checks the citation; the outcome returned here is a claim, not a verdict.
// A host refusal (denied, budget-exceeded, ...) is thrown as an error whose `payload` is the
// `host-error` value.

import { log as gitLog } from 'strive:loops/git@0.1.0';
import { emit } from 'strive:loops/log@0.1.0';
import { addFinding } from 'strive:loops/report@0.1.0';

const NAME = 'conventional-commits';
const VERSION = '0.1.0';

// `type(scope)!: subject` -> type. The same rule as the Rust and Python examples.
const CONVENTIONAL = /^([A-Za-z]+)(\([^()]*\))?!?: /;

export function conventionalType(subject) {
  const match = CONVENTIONAL.exec(subject);
  return match ? match[1].toLowerCase() : 'other';
}

export function summarize(commits) {
  const counts = new Map();
  for (const commit of commits) {
    const kind = conventionalType(commit.subject);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  // Sort by code unit, like Python's sorted() and Rust's BTreeMap for ASCII keys.
  const kinds = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = kinds.map((kind) => `${kind}=${counts.get(kind)}`).join(', ');
  return `${commits.length} commits by type: ${parts}`;
}

export function describe() {
  return { name: NAME, version: VERSION, summary: 'counts commits by conventional type' };
}

export function run(_ctx) {
  try {
    // The host chose the repository; HEAD is its checked-out tip.
    const commits = gitLog({
      tip: 'HEAD',
      sinceExclusive: undefined,
      sinceTime: undefined,
      limit: 0,
      withChanges: false,
    });
    if (commits.length === 0) {
      return { outcome: 'clean', note: 'no commits' };
    }
    const title = summarize(commits);
    const newest = commits[0];
    addFinding({
      bucket: 'watch',
      title,
      detail: `newest: ${newest.subject}`,
      cites: [newest.sha],
      paths: [],
    });
    emit('info', title);
    return { outcome: 'found', note: title };
  } catch (err) {
    const why = err && err.payload !== undefined ? JSON.stringify(err.payload) : String(err);
    return { outcome: 'error', note: `host refused: ${why}` };
  }
}
