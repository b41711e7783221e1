import assert from 'node:assert/strict';
import { test } from 'node:test';
import { invoiceTotal } from '#lib/pricing/index.js';

test('total adds standard tax', () => {
  const lines = [{ cents: 2500, quantity: 2, band: 'standard' }, { cents: 199, quantity: 1, band: 'zero' }];
  assert.equal(invoiceTotal(lines), 6199);
});

test('order total includes tax', () => {
  const lines = [{ cents: 2500, quantity: 2, band: 'standard' }, { cents: 199, quantity: 1, band: 'zero' }];
  assert.equal(invoiceTotal(lines), 6199);
});
