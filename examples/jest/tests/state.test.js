const { existsSync, writeFileSync } = require('node:fs');
const { rates, taxFor } = require('@lib/pricing/tax');
const { currencyFromEnv } = require('@lib/pricing/money');

test('region switches the currency', () => {
  process.env.SHOP_CURRENCY = 'EUR';
  expect(currencyFromEnv()).toBe('EUR');
});

test('promo band is tax free', () => {
  rates.promo = 0;
  expect(taxFor(1000, 'promo')).toBe(0);
});

test('daily report is written', () => {
  writeFileSync('/tmp/testpace-example-jest.txt', 'orders: 2\n');
  expect(existsSync('/tmp/testpace-example-jest.txt')).toBe(true);
});
