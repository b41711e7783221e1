// Bundles each tool into one self-contained executable, dist/testpace-<tool>.cjs: an esbuild bundle
// that starts with `#!/usr/bin/env node`. `node scripts/build.mjs [tool...]` builds some of them.
import { chmod, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { rawText } from './raw-text.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
export const tools = ['profile', 'mem-profile', 'optimize', 'select', 'report'];

// Programs in other languages (the pytest plugin, reporters run inside the user's runner) live in
// files of their own and are imported as text: `import source from './plugin.py?raw'`.
const only = process.argv.slice(2);
await mkdir(path.join(root, 'dist'), { recursive: true });
await Promise.all(
  tools
    .filter((tool) => only.length === 0 || only.includes(tool))
    .map(async (tool) => {
      const outfile = path.join(root, 'dist', `testpace-${tool}.cjs`);
      await build({
        entryPoints: [path.join(root, 'tools', tool, 'bin.ts')],
        outfile,
        bundle: true,
        platform: 'node',
        // CommonJS: the tools' ESM dependencies (yargs) bundle into it, and it runs on every Node >= 20.
        format: 'cjs',
        target: 'node20',
        // import.meta.url (yargs finds its locale files with it) as the executable's own URL.
        banner: { js: "#!/usr/bin/env node\nconst __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
        define: { TESTPACE_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__import_meta_url' },
        plugins: [rawText],
        legalComments: 'none',
        logLevel: 'warning',
      });
      await chmod(outfile, 0o755);
    }),
);
