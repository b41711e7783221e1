import { expect, test } from 'vitest';
import { formatCents, invoiceTotal } from '@lib/pricing';

test('checkout waits for the payment gateway', async () => {
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect(invoiceTotal([{ cents: 1000, quantity: 1, band: 'standard' }])).toBe(1200);
});

test('receipt prints after the printer warms up', async () => {
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(formatCents(invoiceTotal([{ cents: 450, quantity: 2, band: 'zero' }]))).toBe('$9.00');
});
