import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { currencyFromEnv } from '#lib/pricing/money.js';
import { rates, taxFor } from '#lib/pricing/tax.js';

test('region switches the currency', () => {
  process.env.SHOP_CURRENCY = 'EUR';
  assert.equal(currencyFromEnv(), 'EUR');
});

test('promo band is tax free', () => {
  rates.promo = 0;
  assert.equal(taxFor(1000, 'promo'), 0);
});

test('daily report is written', () => {
  writeFileSync('/tmp/testpace-example-node-test.txt', 'orders: 2\n');
  assert.ok(existsSync('/tmp/testpace-example-node-test.txt'));
});
