const assert = require('node:assert/strict');
const { existsSync, writeFileSync } = require('node:fs');
const { rates, taxFor } = require('../src/pricing/tax');
const { currencyFromEnv } = require('../src/pricing/money');

describe('shop state', function () {
  it('region switches the currency', function () {
    process.env.SHOP_CURRENCY = 'EUR';
    assert.equal(currencyFromEnv(), 'EUR');
  });

  it('promo band is tax free', function () {
    rates.promo = 0;
    assert.equal(taxFor(1000, 'promo'), 0);
  });

  it('daily report is written', function () {
    writeFileSync('/tmp/testpace-example-mocha.txt', 'orders: 2\n');
    assert.ok(existsSync('/tmp/testpace-example-mocha.txt'));
  });
});
