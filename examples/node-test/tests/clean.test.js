import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatCents, taxFor, toCents } from '#lib/pricing/index.js';

test('toCents reads whole units', () => {
  assert.equal(toCents('12'), 1200);
});

test('toCents pads a single decimal', () => {
  assert.equal(toCents('3.5'), 350);
});

test('formatCents pads small amounts', () => {
  assert.equal(formatCents(7), '$0.07');
});

test('tax rounds half a cent up', () => {
  assert.equal(taxFor(10, 'reduced'), 1);
});
