// Money as integer cents, so that totals never drift through float rounding.

/** Parses a decimal string such as "12.5" into cents (1250). */
function toCents(amount) {
  const [units, fraction = ''] = amount.split('.');
  return Number(units) * 100 + Number((fraction + '00').slice(0, 2));
}

// Amounts are never negative here, so adding a half and flooring rounds half up.
function roundHalfUp(value) {
  return Math.floor(value + 0.5);
}

function formatCents(cents, symbol = '$') {
  return `${symbol}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

function currencyFromEnv() {
  return process.env.SHOP_CURRENCY ?? 'USD';
}

module.exports = { currencyFromEnv, formatCents, roundHalfUp, toCents };
