import { taxFor } from './tax.js';

/** Total in cents: each line's price times quantity, plus the tax of its band. */
export function invoiceTotal(lines) {
  return lines.reduce((sum, { cents, quantity, band }) => sum + cents * quantity + taxFor(cents * quantity, band), 0);
}
