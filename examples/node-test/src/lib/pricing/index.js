// The pricing module's public face: callers import from here, not from the files.
export { invoiceTotal } from './invoice.js';
export { formatCents, toCents } from './money.js';
export { taxFor } from './tax.js';
