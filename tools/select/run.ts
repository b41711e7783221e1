// testpace-select: the work itself. Not built yet.
import { TestpaceError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import type { SelectOptions } from './cli.ts';

export async function run(_options: SelectOptions, _io: Io): Promise<number> {
  throw new TestpaceError('not built yet');
}
