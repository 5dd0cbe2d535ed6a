// The part of expect.js (0.3) that the task's tests use — `to.be`, `to.eql`, `to.throwError`
// and their `not` forms — so the task needs no npm install. Written for the strive eval task set.
'use strict';
const assert = require('assert');

function expect(actual) {
  const make = (negate) => ({
    be(expected) {
      if (negate) assert.notStrictEqual(actual, expected);
      else assert.strictEqual(actual, expected);
    },
    eql(expected) {
      if (negate) assert.notDeepStrictEqual(actual, expected);
      else assert.deepStrictEqual(actual, expected);
    },
    throwError() {
      if (negate) assert.doesNotThrow(actual);
      else assert.throws(actual);
    },
  });
  const to = make(false);
  to.not = make(true);
  return { to };
}

module.exports = expect;
