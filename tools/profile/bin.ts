// Entry point of the testpace-profile executable (bundled by scripts/build.mjs). A plain invocation's
// first run starts before the command line is loaded (see early.ts).
import { runEntry } from '../../lib/entry.ts';

const args = process.argv.slice(2);
const started = args.includes('--') ? import('./early.ts').then((early) => early.startEarly(args)) : undefined;
void runEntry(async () => {
  await started;
  return import('./cli.ts');
});
