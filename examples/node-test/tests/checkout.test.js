import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatCents, invoiceTotal } from '#lib/pricing/index.js';

test('checkout waits for the payment gateway', async () => {
  await sleep(500);
  assert.equal(invoiceTotal([{ cents: 1000, quantity: 1, band: 'standard' }]), 1200);
});

test('receipt prints after the printer warms up', async () => {
  await sleep(300);
  assert.equal(formatCents(invoiceTotal([{ cents: 450, quantity: 2, band: 'zero' }])), '$9.00');
});
