// Score guards on the labelled command corpus (host/core/tests/fixtures/commands.tsv).
// Run by scripts/bench-guard-compare.sh, which installs the public guards and produces the
// verdict files this reads. Usage:
//   node scripts/guard-compare.mjs CORPUS.tsv NAME=VERDICTS.jsonl ...
// A verdict file holds one line per corpus command, in corpus order:
//   {"blocked": true|false}   (a missing or unreadable answer counts as "allowed": a guard that
//                              cannot answer does not protect)
// Prints, per guard: dangerous blocked, safe wrongly blocked and ask blocked over the whole
// corpus, the same per source (worst and mean), and the same without the lines taken from that
// guard's own test suite (a guard scored on its own tests is scored on what it was tuned on).
import { readFileSync } from 'node:fs';

export function unescapeField(field) {
  let out = '';
  for (let i = 0; i < field.length; i++) {
    const c = field[i];
    if (c !== '\\') { out += c; continue; }
    const n = field[i + 1];
    if (n === undefined) { out += '\\'; continue; }
    i++;
    if (n === 'n') out += '\n';
    else if (n === 't') out += '\t';
    else if (n === 'r') out += '\r';
    else if (n === '\\') out += '\\';
    else out += '\\' + n;
  }
  return out;
}

export function readCorpus(text) {
  return text.split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#') && !l.startsWith('label\t'))
    .map((l) => {
      const [label, category, command, sources] = l.split('\t');
      return {
        label, category, command: unescapeField(command ?? ''),
        sources: (sources ?? '').split(',').map((s) => s.trim()).filter(Boolean),
      };
    });
}

// Which corpus source is a guard's own test suite (its figures there are not held out).
const OWN_SOURCE = {
  'cc-safety-net': 'kenryu42/claude-code-safety-net',
  dcg: 'Dicklesworthstone/destructive_command_guard',
};

function pct(a, b) { return b === 0 ? '-' : `${(100 * a / b).toFixed(1)}%`; }

function tally(rows, verdicts, keep) {
  const t = { dangerous: [0, 0], safe: [0, 0], ask: [0, 0] };
  rows.forEach((r, i) => {
    if (!keep(r) || !t[r.label]) return;
    t[r.label][1] += 1;
    t[r.label][0] += verdicts[i] ? 1 : 0;
  });
  return t;
}

function line(t) {
  return `dangerous blocked ${t.dangerous[0]}/${t.dangerous[1]} (${pct(...t.dangerous)}), ` +
    `safe wrongly blocked ${t.safe[0]}/${t.safe[1]} (${pct(...t.safe)}), ` +
    `ask blocked ${t.ask[0]}/${t.ask[1]} (${pct(...t.ask)})`;
}

function main() {
  const [corpusPath, ...guards] = process.argv.slice(2);
  if (!corpusPath || guards.length === 0) {
    console.error('usage: node scripts/guard-compare.mjs CORPUS.tsv NAME=VERDICTS.jsonl ...');
    process.exit(64);
  }
  const rows = readCorpus(readFileSync(corpusPath, 'utf8'));
  const sources = [...new Set(rows.flatMap((r) => r.sources))].sort();
  console.log(`corpus: ${rows.length} commands from ${sources.length} sources (${corpusPath})`);
  for (const spec of guards) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, eq);
    const lines = readFileSync(spec.slice(eq + 1), 'utf8').split('\n').filter((l) => l !== '');
    if (lines.length !== rows.length) {
      console.error(`${name}: ${lines.length} verdicts for ${rows.length} commands`);
      process.exit(1);
    }
    const verdicts = lines.map((l) => { try { return JSON.parse(l).blocked === true; } catch { return false; } });
    console.log(`\n${name}: whole corpus: ${line(tally(rows, verdicts, () => true))}`);
    const own = OWN_SOURCE[name];
    if (own) {
      console.log(`${name}: without its own test suite (${own}): ` +
        line(tally(rows, verdicts, (r) => !r.sources.includes(own))));
    }
    const dp = [], sp = [];
    for (const s of sources) {
      const t = tally(rows, verdicts, (r) => r.sources.includes(s));
      if (t.dangerous[1]) dp.push(100 * t.dangerous[0] / t.dangerous[1]);
      if (t.safe[1]) sp.push(100 * t.safe[0] / t.safe[1]);
      console.log(`  ${s}${s === own ? ' (own tests)' : ''}: ${line(t)}`);
    }
    const mean = (v) => (v.reduce((a, b) => a + b, 0) / Math.max(v.length, 1)).toFixed(1);
    console.log(`  per source: dangerous blocked worst ${Math.min(...dp).toFixed(1)}%, mean ${mean(dp)}%; ` +
      `safe wrongly blocked worst ${Math.max(...sp).toFixed(1)}%, mean ${mean(sp)}%`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
