// Runs this directory's mocha-style test files (describe/it + assert) with Node's built-in
// test runner, so the task needs no npm install. Written for the strive eval task set.
'use strict';
const path = require('path');
const fs = require('fs');
const t = require('node:test');
global.describe = t.describe;
global.it = t.it;
global.before = t.before;
global.after = t.after;
global.beforeEach = t.beforeEach;
global.afterEach = t.afterEach;
for (const f of fs.readdirSync(__dirname).sort()) {
  if (f !== path.basename(__filename) && f.endsWith('.js')) require(path.join(__dirname, f));
}
