import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatCents, invoiceTotal } from '#lib/pricing/index.js';

describe('catalog', () => {
  let catalog;

  beforeEach(async () => {
    await sleep(100);
    catalog = { tea: 450, mug: 1200, spoon: 199 };
  });

  test('tea costs four fifty', () => {
    assert.equal(formatCents(catalog.tea), '$4.50');
  });

  test('a mug and two spoons are taxed by band', () => {
    const lines = [
      { cents: catalog.mug, quantity: 1, band: 'standard' },
      { cents: catalog.spoon, quantity: 2, band: 'reduced' },
    ];
    assert.equal(invoiceTotal(lines), 1200 + 240 + 398 + 20);
  });

  test('lists three products', () => {
    assert.deepEqual(Object.keys(catalog).sort(), ['mug', 'spoon', 'tea']);
  });
});
