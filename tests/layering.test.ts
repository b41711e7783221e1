// STYLE.md: lib/ never imports a tool; tools never import each other — they exchange documents.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './helpers.ts';

const importPattern = /(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g;

async function imports(): Promise<Array<{ file: string; target: string }>> {
  const files = await glob(['lib/**/*.ts', 'tools/**/*.ts'], { cwd: repoRoot });
  const edges: Array<{ file: string; target: string }> = [];
  for (const file of files) {
    const text = await readFile(path.join(repoRoot, file), 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[1]!;
      if (!specifier.startsWith('.')) continue;
      edges.push({ file, target: path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)) });
    }
  }
  return edges;
}

describe('layering', () => {
  it('keeps lib/ free of tool imports and tools free of each other', async () => {
    const violations = (await imports()).filter(({ file, target }) => {
      if (file.startsWith('lib/')) return target.startsWith('tools/');
      const tool = file.split('/')[1];
      return target.startsWith('tools/') && target.split('/')[1] !== tool;
    });
    expect(violations).toEqual([]);
  });
});
