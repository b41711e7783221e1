// vitest bench's --outputJson: files → groups (describe blocks) → benchmarks, in milliseconds.
// vitest 4 writes `samples: []` whatever includeSamples says, so these are compared on their
// summary statistics unless a version that keeps the samples wrote the file.
import path from 'node:path';
import { toPosixRelative } from '../../../lib/test-id.ts';
import type { Benchmark } from '../benchmark-document.ts';
import { type HarnessResult, samplesMad, tidyMs, uniqueNames } from './convert.ts';
import { type Json, reader } from './read-json.ts';

export const isVitestBench = (value: Json): boolean =>
  Array.isArray(value.files) && value.files.every((f) => typeof f === 'object' && f !== null && 'groups' in f);

/** `root`: where relative paths start (the git root of the project, else the directory it was read from). */
export function readVitestBench(value: Json, file: string, root: string): HarnessResult {
  const read = reader(file, 'vitest bench JSON');
  const warnings: string[] = [];
  const benchmarks: Benchmark[] = [];
  read.array(value.files, '$.files').forEach((item, f) => {
    const at = `$.files[${f}]`;
    const entry = read.object(item, at);
    const filepath = read.string(entry.filepath, `${at}.filepath`);
    const relative = path.isAbsolute(filepath) ? toPosixRelative(root, filepath) : filepath;
    read.array(entry.groups, `${at}.groups`).forEach((groupItem, g) => {
      const groupAt = `${at}.groups[${g}]`;
      const group = read.object(groupItem, groupAt);
      const fullName = read.string(group.fullName, `${groupAt}.fullName`);
      // fullName is "<file relative to vitest's root> > describe > ...": the describe path names it.
      const describePath = fullName.split(' > ').slice(1).join(' > ');
      read.array(group.benchmarks, `${groupAt}.benchmarks`).forEach((benchItem, b) => {
        const benchAt = `${groupAt}.benchmarks[${b}]`;
        const bench = read.object(benchItem, benchAt);
        const ms = (key: string) => tidyMs(read.number(bench[key], `${benchAt}.${key}`));
        const optional = (key: string) => {
          const v = read.optionalNumber(bench[key], `${benchAt}.${key}`);
          return v === null ? null : tidyMs(v);
        };
        const samples = bench.samples === undefined ? [] : read.numbers(bench.samples, `${benchAt}.samples`).map(tidyMs);
        const name = read.string(bench.name, `${benchAt}.name`);
        const rounds = read.optionalNumber(bench.sampleCount, `${benchAt}.sampleCount`) ?? samples.length;
        benchmarks.push({
          file: relative,
          name: describePath ? `${describePath} > ${name}` : name,
          ...(typeof bench.id === 'string' ? { id: bench.id } : {}),
          group: fullName,
          harness: 'vitest-bench',
          stats: {
            rounds: Math.max(1, Math.round(rounds)),
            min: ms('min'),
            median: ms('median'),
            max: ms('max'),
            mean: ms('mean'),
            stddev: optional('sd'),
            q1: null,
            q3: optional('p75'),
            mad: samplesMad(samples.length ? samples : undefined),
          },
          ...(samples.length ? { samplesMs: samples } : {}),
        });
      });
    });
  });
  uniqueNames(benchmarks, warnings);
  const withoutSamples = benchmarks.filter((b) => !b.samplesMs).length;
  if (withoutSamples) warnings.push(`${file}: vitest bench's JSON kept no samples for ${withoutSamples} of ${benchmarks.length} benchmarks: they are compared on their summary statistics, a weaker test`);
  return { source: { harness: 'vitest-bench', file, benchmarks: benchmarks.length }, benchmarks, warnings };
}
