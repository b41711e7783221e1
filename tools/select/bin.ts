// Entry point of the testpace-select executable (bundled by scripts/build.mjs).
import { runEntry } from '../../lib/entry.ts';

void runEntry(() => import('./cli.ts'));
