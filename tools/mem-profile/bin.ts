// Entry point of the testpace-mem-profile executable (bundled by scripts/build.mjs).
import { runEntry } from '../../lib/entry.ts';

void runEntry(() => import('./cli.ts'));
