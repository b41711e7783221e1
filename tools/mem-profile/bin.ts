// Entry point of the testpace-mem-profile executable (bundled by scripts/build.mjs). The rusage
// wrapper (Python) starts first, while the rest of the tool loads (see spawn.ts).
import { runEntry } from '../../lib/entry.ts';
import { startEarlyWrapper } from './spawn.ts';

startEarlyWrapper(process.argv.slice(2), process.env);
void runEntry(() => import('./cli.ts'));
