const { taxFor } = require('./tax');

/** Total in cents: each line's price times quantity, plus the tax of its band. */
function invoiceTotal(lines) {
  return lines.reduce((sum, { cents, quantity, band }) => sum + cents * quantity + taxFor(cents * quantity, band), 0);
}

module.exports = { invoiceTotal };
