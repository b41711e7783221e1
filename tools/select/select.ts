// From changed files to affected tests: a breadth-first walk over the reverse dependency graph
// from each changed file, so every selected test carries its shortest chain from that change.
import type { EdgeKind, Graph } from './graph.ts';

export interface Reason {
  changed: string;
  chain: string[];
  edges: EdgeKind[];
}

export interface Selected {
  file: string;
  reasons: Reason[];
  distance: number;
}

/** Reasons kept per test: the shortest chains, one per changed file, up to this many. */
const MAX_REASONS = 10;

export function selectTests(graph: Graph, starts: string[], isTest: (file: string) => boolean): Map<string, Selected> {
  const selected = new Map<string, Selected>();
  const record = (test: string, reason: Reason): void => {
    const distance = reason.edges.length;
    const known = selected.get(test);
    if (!known) {
      selected.set(test, { file: test, reasons: [reason], distance });
      return;
    }
    known.distance = Math.min(known.distance, distance);
    if (known.reasons.some((r) => r.changed === reason.changed)) return;
    known.reasons.push(reason);
    known.reasons.sort((a, b) => a.edges.length - b.edges.length || a.changed.localeCompare(b.changed));
    if (known.reasons.length > MAX_REASONS) known.reasons.length = MAX_REASONS;
  };
  for (const start of starts) {
    const parent = new Map<string, { from: string; kind: EdgeKind } | null>([[start, null]]);
    const queue = [start];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      if (isTest(node)) {
        const chain: string[] = [];
        const edges: EdgeKind[] = [];
        let at: string | undefined = node;
        while (at !== undefined) {
          chain.unshift(at);
          const link = parent.get(at);
          if (!link) break;
          edges.unshift(link.kind);
          at = link.from;
        }
        record(node, { changed: start, chain, edges });
      }
      for (const edge of graph.dependentsOf(node)) {
        if (parent.has(edge.file)) continue;
        parent.set(edge.file, { from: node, kind: edge.kind });
        queue.push(edge.file);
      }
    }
  }
  return selected;
}
