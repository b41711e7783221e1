// STYLE.md's layering: lib/ never imports a tool; tools never import each other (they exchange
// documents); and no module imports itself back through others, type imports included.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir, writeTree } from './helpers.ts';

/** Every relative import of every .ts file under lib/ and tools/, type-only ones included. */
async function importGraph(root: string): Promise<Map<string, string[]>> {
  const files = (await glob(['lib/**/*.ts', 'tools/**/*.ts'], { cwd: root, ignore: ['**/*.d.ts'] })).sort();
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(await readFile(path.join(root, file), 'utf8'), true, true);
    const targets = importedFiles
      .map(({ fileName }) => fileName)
      .filter((specifier) => specifier.startsWith('.') && !specifier.includes('?'))
      .map((specifier) => path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Imports that cross the layers: lib/ → a tool, a tool → another tool. */
function layerViolations(graph: Map<string, string[]>): string[] {
  const toolOf = (file: string) => (file.startsWith('tools/') ? file.split('/')[1] : undefined);
  const violations: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const crosses = file.startsWith('lib/') ? target.startsWith('tools/') : toolOf(target) !== undefined && toolOf(target) !== toolOf(file);
      if (crosses) violations.push(`${file} → ${target}`);
    }
  }
  return violations;
}

/** A real path of imports from the first of `members` back to it, within them (breadth first: the shortest). */
function shortestCycle(graph: Map<string, string[]>, members: string[]): string[] {
  const inside = new Set(members);
  const start = members[0]!;
  const cameFrom = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const next of graph.get(node) ?? []) {
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!);
        return [...path, start];
      }
      if (inside.has(next) && !cameFrom.has(next)) {
        cameFrom.set(next, node);
        queue.push(next);
      }
    }
  }
  return [...members, start];
}

/** The import cycles: one per strongly connected set of modules (Tarjan's algorithm), as a path "a → b → a". */
function importCycles(graph: Map<string, string[]>): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== node);
    members.sort();
    if (members.length > 1 || graph.get(node)!.includes(node)) cycles.push(shortestCycle(graph, members).join(' → '));
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles.sort();
}

describe('layering', () => {
  it('finds a planted cycle, type imports included, and a tool importing another', async () => {
    const root = await tempDir('testpace-layering-');
    await writeTree(root, {
      'tools/a/cli.ts': "import type { Options } from './run.ts';\nexport const x: Options | undefined = undefined;\n",
      'tools/a/run.ts': "import { x } from './cli.ts';\nexport type Options = typeof x;\n",
      'tools/a/ok.ts': "import { helper } from '../../lib/helper.ts';\nexport const y = helper;\n",
      'tools/b/cli.ts': "import { y } from '../a/ok.ts';\nexport const z = y;\n",
      'lib/helper.ts': 'export const helper = 1;\n',
    });
    const graph = await importGraph(root);
    expect(importCycles(graph)).toEqual(['tools/a/cli.ts → tools/a/run.ts → tools/a/cli.ts']);
    expect(layerViolations(graph)).toEqual(['tools/b/cli.ts → tools/a/ok.ts']);
  });

  it('keeps lib/ free of tool imports, tools free of each other, and every module free of cycles', async () => {
    const graph = await importGraph(repoRoot);
    expect(graph.size).toBeGreaterThan(100);
    expect(layerViolations(graph)).toEqual([]);
    expect(importCycles(graph)).toEqual([]);
  });
});
