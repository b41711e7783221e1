// Options of testpace-optimize as the command line would build them, with overrides.
import type { OptimizeOptions } from '../../tools/optimize/options.ts';

export const options = (overrides: Partial<OptimizeOptions> = {}): OptimizeOptions => ({
  paths: ['.'],
  profile: undefined,
  workers: undefined,
  shards: undefined,
  shard: undefined,
  format: 'json',
  nul: false,
  dist: undefined,
  minSleepMs: 50,
  slowTestMs: 250,
  out: undefined,
  debug: false,
  ...overrides,
});
