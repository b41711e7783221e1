const { invoiceTotal } = require('@lib/pricing');

test('total adds standard tax', () => {
  const lines = [{ cents: 2500, quantity: 2, band: 'standard' }, { cents: 199, quantity: 1, band: 'zero' }];
  expect(invoiceTotal(lines)).toBe(6199);
});

test('order total includes tax', () => {
  const lines = [{ cents: 2500, quantity: 2, band: 'standard' }, { cents: 199, quantity: 1, band: 'zero' }];
  expect(invoiceTotal(lines)).toBe(6199);
});
