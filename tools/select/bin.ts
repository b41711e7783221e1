// Entry point of the testpace-select executable (bundled by scripts/build.mjs). The git commands a
// run needs start first, while the rest of the tool loads (see git-process.ts).
import { runEntry } from '../../lib/entry.ts';
import { prefetchGit } from './git-process.ts';

prefetchGit(process.argv.slice(2), process.cwd());
void runEntry(() => import('./cli.ts'));
