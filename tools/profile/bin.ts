// Entry point of the testpace-profile executable (bundled by scripts/build.mjs).
import { runEntry } from '../../lib/entry.ts';

await runEntry(() => import('./cli.ts'));
