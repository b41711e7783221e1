const { formatCents, taxFor, toCents } = require('@lib/pricing');

test('toCents reads whole units', () => {
  expect(toCents('12')).toBe(1200);
});

test('toCents pads a single decimal', () => {
  expect(toCents('3.5')).toBe(350);
});

test('formatCents pads small amounts', () => {
  expect(formatCents(7)).toBe('$0.07');
});

test('tax rounds half a cent up', () => {
  expect(taxFor(10, 'reduced')).toBe(1);
});
