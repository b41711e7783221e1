// Module-level on purpose: the buffers outlive the test, so the worker's
// resident memory stays up for the rest of the run.
const held = [];

test('price history cache holds 64 MiB', () => {
  const block = Buffer.alloc(64 * 1024 * 1024, 0x5a);
  held.push(block);
  expect(block.at(-1)).toBe(0x5a);
});
