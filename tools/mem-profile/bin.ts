// Entry point of the testpace-mem-profile executable (bundled by scripts/build.mjs). When the
// arguments ask for a run, the rusage wrapper (Python) starts first (see spawn.ts), then, for a plain
// invocation, the run itself (see early.ts), while the rest of the tool loads; --help and --version
// load none of that.
import { runEntry } from '../../lib/entry.ts';

const args = process.argv.slice(2);
const started = args.includes('--')
  ? import('./spawn.ts')
      .then((spawn) => {
        spawn.startEarlyWrapper(args, process.env);
        return import('./early.ts');
      })
      .then((early) => early.startEarly(args))
  : undefined;
void runEntry(async () => {
  await started;
  return import('./cli.ts');
});
