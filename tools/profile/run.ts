// testpace-profile: the work itself. Not built yet.
import { TestpaceError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import type { ProfileOptions } from './cli.ts';

export async function run(_options: ProfileOptions, _io: Io): Promise<number> {
  throw new TestpaceError('not built yet');
}
