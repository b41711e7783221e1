// esbuild plugin: files of other languages imported as text (`import source from './plugin.py?raw'`),
// as Vite reads them under vitest. Used by the build and by scripts/run-ts.mjs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export const rawText = {
  name: 'raw-text',
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({ path: path.resolve(args.resolveDir, args.path.slice(0, -'?raw'.length)), namespace: 'raw-text' }));
    build.onLoad({ filter: /.*/, namespace: 'raw-text' }, async (args) => ({ contents: await readFile(args.path, 'utf8'), loader: 'text' }));
  },
};
