// Run cc-safety-net's published library API (checkCommand) over every corpus command and
// write one {"blocked": bool, "rule": ...} line per command to stdout, in corpus order.
// Usage: node scripts/ccsn-verdicts.mjs PACKAGE_DIR CORPUS.tsv CWD
// (PACKAGE_DIR: where `npm install cc-safety-net` put node_modules). A thrown check counts as
// blocked, as the package's README asks of callers ("if checkCommand throws, do not run").
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { readCorpus } from './guard-compare.mjs';

const [pkgDir, corpusPath, cwd] = process.argv.slice(2);
const api = await import(pathToFileURL(`${pkgDir}/node_modules/cc-safety-net/dist/api.js`).href);
for (const row of readCorpus(readFileSync(corpusPath, 'utf8'))) {
  let out;
  try {
    const r = api.checkCommand({ command: row.command, cwd });
    out = { blocked: r.kind !== 'allow', rule: r.ruleId ?? null };
  } catch (e) {
    out = { blocked: true, rule: `threw: ${String(e).slice(0, 80)}` };
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
