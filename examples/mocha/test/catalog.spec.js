const assert = require('node:assert/strict');
const { formatCents, invoiceTotal } = require('../src/pricing');

describe('catalog', function () {
  let catalog;

  beforeEach(async function () {
    await new Promise((resolve) => setTimeout(resolve, 100));
    catalog = { tea: 450, mug: 1200, spoon: 199 };
  });

  it('tea costs four fifty', function () {
    assert.equal(formatCents(catalog.tea), '$4.50');
  });

  it('a mug and two spoons are taxed by band', function () {
    const lines = [
      { cents: catalog.mug, quantity: 1, band: 'standard' },
      { cents: catalog.spoon, quantity: 2, band: 'reduced' },
    ];
    assert.equal(invoiceTotal(lines), 1200 + 240 + 398 + 20);
  });

  it('lists three products', function () {
    assert.deepEqual(Object.keys(catalog).sort(), ['mug', 'spoon', 'tea']);
  });
});
