// testpace-report: the work itself. So far it only reads and validates its documents.
import { readDocument } from '../../lib/documents.ts';
import { TestpaceError } from '../../lib/errors.ts';
import type { Io } from '../../lib/io.ts';
import type { ReportOptions } from './cli.ts';

export async function run(options: ReportOptions, io: Io): Promise<number> {
  for (const source of options.documents) await readDocument(source, io);
  throw new TestpaceError('rendering is not built yet');
}
