const assert = require('node:assert/strict');
const { formatCents, invoiceTotal } = require('../src/pricing');

describe('checkout', function () {
  it('waits for the payment gateway', async function () {
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(invoiceTotal([{ cents: 1000, quantity: 1, band: 'standard' }]), 1200);
  });

  it('prints the receipt after the printer warms up', async function () {
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(formatCents(invoiceTotal([{ cents: 450, quantity: 2, band: 'zero' }])), '$9.00');
  });
});
