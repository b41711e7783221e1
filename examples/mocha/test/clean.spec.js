const assert = require('node:assert/strict');
const { formatCents, taxFor, toCents } = require('../src/pricing');

describe('money', function () {
  it('toCents reads whole units', function () {
    assert.equal(toCents('12'), 1200);
  });

  it('toCents pads a single decimal', function () {
    assert.equal(toCents('3.5'), 350);
  });

  it('formatCents pads small amounts', function () {
    assert.equal(formatCents(7), '$0.07');
  });

  it('tax rounds half a cent up', function () {
    assert.equal(taxFor(10, 'reduced'), 1);
  });
});
