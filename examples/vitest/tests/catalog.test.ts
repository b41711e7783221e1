import { beforeEach, describe, expect, test } from 'vitest';
import { formatCents, invoiceTotal } from '@lib/pricing';

describe('catalog', () => {
  let catalog: Record<string, number>;

  beforeEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    catalog = { tea: 450, mug: 1200, spoon: 199 };
  });

  test('tea costs four fifty', () => {
    expect(formatCents(catalog.tea)).toBe('$4.50');
  });

  test('a mug and two spoons are taxed by band', () => {
    const lines = [
      { cents: catalog.mug, quantity: 1, band: 'standard' },
      { cents: catalog.spoon, quantity: 2, band: 'reduced' },
    ];
    expect(invoiceTotal(lines)).toBe(1200 + 240 + 398 + 20);
  });

  test('lists three products', () => {
    expect(Object.keys(catalog).sort()).toEqual(['mug', 'spoon', 'tea']);
  });
});
