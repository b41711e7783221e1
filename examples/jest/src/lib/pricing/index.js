// The pricing module's public face: callers require this, not the files.
const { invoiceTotal } = require('./invoice');
const { formatCents, toCents } = require('./money');
const { taxFor } = require('./tax');

module.exports = { formatCents, invoiceTotal, taxFor, toCents };
