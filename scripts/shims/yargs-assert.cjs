// Build-time stand-in for node:assert where yargs's platform shim imports it: yargs checks a few
// internal invariants with strictEqual and notStrictEqual, and loading node:assert (with its error
// formatting and colour support) took about 2.4 ms of a tool's start in one --cpu-prof run (50 µs
// interval). These two keep node:assert's meaning: Object.is, an Error given as the message is
// thrown as it is, and the error is an AssertionError by code.
'use strict';

function check(ok, message, fallback) {
  if (ok) return;
  if (message instanceof Error) throw message;
  const error = new Error(message ?? fallback);
  error.code = 'ERR_ASSERTION';
  throw error;
}

exports.strictEqual = (actual, expected, message) =>
  check(Object.is(actual, expected), message, `Expected values to be strictly equal: ${String(actual)} !== ${String(expected)}`);
exports.notStrictEqual = (actual, expected, message) =>
  check(!Object.is(actual, expected), message, `Expected "actual" to be strictly unequal to: ${String(expected)}`);
