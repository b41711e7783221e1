import { existsSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { rates, taxFor } from '@lib/pricing/tax';
import { currencyFromEnv } from '@lib/pricing/money';

test('region switches the currency', () => {
  process.env.SHOP_CURRENCY = 'EUR';
  expect(currencyFromEnv()).toBe('EUR');
});

test('promo band is tax free', () => {
  rates.promo = 0;
  expect(taxFor(1000, 'promo')).toBe(0);
});

test('daily report is written', () => {
  writeFileSync('/tmp/testpace-example-vitest.txt', 'orders: 2\n');
  expect(existsSync('/tmp/testpace-example-vitest.txt')).toBe(true);
});
