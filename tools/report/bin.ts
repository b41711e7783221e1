// Entry point of the testpace-report executable (bundled by scripts/build.mjs).
import { runEntry } from '../../lib/entry.ts';

void runEntry(() => import('./cli.ts'));
