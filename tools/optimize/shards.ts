// Balanced shards: items (test files, or tests where the runner can select them) assigned
// longest-first onto the least-loaded shard by measured duration; unknown items count at the median.
import { median } from '../../lib/stats.ts';

export interface ShardItem {
  item: string;
  /** Measured duration in ms; undefined when the item is not in the profile. */
  ms: number | undefined;
}

export interface ShardPlan {
  count: number;
  unit: 'file' | 'test';
  groups: Array<{ index: number; items: string[]; predictedMs: number }>;
  imbalance: number;
  unknownItems: number;
  basis: string;
}

const round = (value: number) => Math.round(value * 10) / 10;

/** max / mean of shard loads (1 is perfect balance). */
export function imbalanceOf(loads: readonly number[]): number {
  const mean = loads.reduce((sum, v) => sum + v, 0) / loads.length;
  return mean > 0 ? Math.round((Math.max(...loads) / mean) * 1000) / 1000 : 1;
}

export function planShards(items: readonly ShardItem[], count: number, unit: 'file' | 'test', basis: string): ShardPlan {
  const known = items.flatMap((i) => (i.ms === undefined ? [] : [i.ms]));
  const fallback = known.length ? median(known) : 0;
  const weighted = items.map((i) => ({ item: i.item, ms: i.ms ?? fallback }));
  // Longest first; ties by name so the plan is the same on every machine.
  weighted.sort((a, b) => b.ms - a.ms || (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  const groups = Array.from({ length: count }, (_, index) => ({ index: index + 1, items: [] as string[], predictedMs: 0 }));
  for (const entry of weighted) {
    let target = groups[0]!;
    for (const group of groups) if (group.predictedMs < target.predictedMs) target = group;
    target.items.push(entry.item);
    target.predictedMs += entry.ms;
  }
  for (const group of groups) {
    group.items.sort();
    group.predictedMs = round(group.predictedMs);
  }
  const unknownItems = items.length - known.length;
  return {
    count,
    unit,
    groups,
    imbalance: imbalanceOf(groups.map((g) => g.predictedMs)),
    unknownItems,
    basis: `${basis}${unknownItems ? `; ${unknownItems} item${unknownItems === 1 ? '' : 's'} not in the profile counted at the median (${round(fallback)} ms)` : ''}`,
  };
}

/** Splitting by count alone (what --shard does in most runners), for comparison in the bench. */
export function countShards(items: readonly ShardItem[], count: number): number[] {
  const sorted = [...items].sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
  const per = Math.ceil(sorted.length / count);
  return Array.from({ length: count }, (_, i) => sorted.slice(i * per, (i + 1) * per).reduce((sum, x) => sum + (x.ms ?? 0), 0));
}
