import { taxFor, type TaxBand } from './tax';

export type InvoiceLine = { cents: number; quantity: number; band: TaxBand };

/** Total in cents: each line's price times quantity, plus the tax of its band. */
export function invoiceTotal(lines: InvoiceLine[]): number {
  return lines.reduce((sum, { cents, quantity, band }) => sum + cents * quantity + taxFor(cents * quantity, band), 0);
}
