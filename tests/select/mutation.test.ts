// The mutation check on real runs: pytest (imports, __init__ chains, conftest, a data file) and
// bats (load, source, scripts run through variables, a data file). bench/select-mutation.ts runs
// it over every example (`node scripts/run-ts.mjs bench/select-mutation.ts`).
import { describe, expect, it } from 'vitest';
import { mutationCheck } from './mutation.ts';

describe('select: mutation check over the examples', () => {
  for (const example of ['pytest', 'bats']) {
    it(`selects every test file that fails when a source file of examples/${example} is broken`, async () => {
      const report = await mutationCheck(example);
      expect(report.baselineFailing).toEqual([]);
      // Every mutation broke something, or the check proves nothing.
      expect(report.mutations.every((m) => m.failing.length > 0)).toBe(true);
      expect(report.mutations.filter((m) => m.missed.length > 0)).toEqual([]);
      expect(report.recall).toBe(1);
    }, 300_000);
  }
});
