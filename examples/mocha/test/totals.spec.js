const assert = require('node:assert/strict');
const { invoiceTotal } = require('../src/pricing');

describe('totals', function () {
  it('adds standard tax', function () {
    const lines = [{ cents: 2500, quantity: 2, band: 'standard' }, { cents: 199, quantity: 1, band: 'zero' }];
    assert.equal(invoiceTotal(lines), 6199);
  });

  it('include tax on the order', function () {
    const lines = [{ cents: 2500, quantity: 2, band: 'standard' }, { cents: 199, quantity: 1, band: 'zero' }];
    assert.equal(invoiceTotal(lines), 6199);
  });
});
