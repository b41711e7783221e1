// The real profile documents other tools' tests read (tests/fixtures/profile) stay valid.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateDocument } from '../../lib/read-document.ts';
import type { ProfileDocument } from '../../tools/profile/built-document.ts';
import { repoRoot } from '../helpers.ts';

describe('profile fixtures', () => {
  it.each([
    ['pytest-example.json', 'pytest', 20],
    ['vitest-example.json', 'vitest', 19],
  ])('%s is a valid profile of the %s example', async (file, runner, tests) => {
    const text = await readFile(path.join(repoRoot, 'tests', 'fixtures', 'profile', file), 'utf8');
    const document = validateDocument<ProfileDocument>(JSON.parse(text), file, ['profile']);
    expect(document.runner).toBe(runner);
    expect(document.cwd).toBe(`examples/${runner}`);
    expect(document.tests).toHaveLength(tests);
    expect(document.summary.runs).toBe(3);
  });
});
