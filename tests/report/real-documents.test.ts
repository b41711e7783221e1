// The report on documents the other tools really wrote (committed by their engineers): every format
// renders them, the comparison of two real profiles validates, and real shard profiles merge.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { ProfileDocument } from '../../lib/profile-document.ts';
import { cli } from '../../tools/report/cli.ts';
import { memoryIo, repoRoot, tempDir } from '../helpers.ts';

const fixtures = path.join(repoRoot, 'tests', 'fixtures');

async function realProfiles(): Promise<string[]> {
  const found: string[] = [];
  for (const dir of ['profile', 'optimize']) {
    const names = await readdir(path.join(fixtures, dir)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.json'))) {
      const file = path.join(fixtures, dir, name);
      if (JSON.parse(await readFile(file, 'utf8')).kind === 'profile') found.push(file);
    }
  }
  return found;
}

async function report(args: string[], cwd = repoRoot) {
  const io = memoryIo({ cwd, env: { NO_COLOR: '1', COLUMNS: '100' } });
  const code = await cli(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('real documents from the other tools', () => {
  it('renders every committed real profile in every format', async () => {
    const profiles = await realProfiles();
    expect(profiles.length).toBeGreaterThan(0);
    const dir = await tempDir();
    for (const file of profiles) {
      const profile = JSON.parse(await readFile(file, 'utf8')) as ProfileDocument;
      const terminal = await report([file]);
      expect(terminal).toMatchObject({ code: 0, err: '' });
      const slowest = [...profile.tests].sort((a, b) => b.durationMs.median - a.durationMs.median)[0]!;
      expect(terminal.out).toContain(`${profile.summary.counts.total} tests: ${profile.summary.counts.passed} passed`);
      expect(terminal.out.replace(/[│\s]+/g, ' ')).toContain(`1 ${slowest.file}::${slowest.name}`.replace(/\s+/g, ' ').slice(0, 20));
      expect((await report([file, '--format', 'markdown'])).code).toBe(0);
      const html = path.join(dir, `${path.basename(file)}.html`);
      expect((await report([file, '--format', 'html', '--out', html])).code).toBe(0);
      const page = await readFile(html, 'utf8');
      const timed = profile.runs.filter((r) => !r.warmup).at(-1)!.tests.filter((t) => t.startMs !== undefined);
      const workers = new Set(timed.map((t) => t.worker ?? 'main'));
      expect(page.match(/<g class="lane" /g)?.length ?? 0).toBe(timed.length ? workers.size : 0);
    }
  });

  it('compares two real profiles of the same suite into a valid comparison document', async () => {
    const [first, second] = (await realProfiles()).filter((f) => /pytest/.test(path.basename(f)));
    const result = await report([first!, second!, '--format', 'json']);
    expect(result.code).toBe(0);
    const comparison = validateDocument<{ tests: { status: string }[] }>(JSON.parse(result.out), 'stdout', ['comparison']);
    expect(comparison.tests.length).toBeGreaterThan(0);
    expect(result.err).toMatch(/^testpace-report: verdict: /);
  });

  it('merges real profiles into a valid profile', async () => {
    const profiles = (await realProfiles()).slice(0, 2);
    const dir = await tempDir();
    const result = await report(['merge', ...profiles, '--out', 'merged.json'], dir);
    expect(result).toMatchObject({ code: 0, err: '' });
    const merged = validateDocument<ProfileDocument>(JSON.parse(await readFile(path.join(dir, 'merged.json'), 'utf8')), 'merged.json', ['profile']);
    expect(merged.shards?.map((s) => s.source)).toEqual(profiles);
    expect(merged.summary.counts.total).toBe(
      (await Promise.all(profiles.map(async (f) => (JSON.parse(await readFile(f, 'utf8')) as ProfileDocument).summary.counts.total))).reduce((a, b) => a + b, 0),
    );
  });
});
