// The pricing module's public face: callers import from here, not from the files.
export { invoiceTotal, type InvoiceLine } from './invoice';
export { formatCents, toCents } from './money';
export { taxFor } from './tax';
