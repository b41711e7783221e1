// Runner detection looks through the wrappers people put in front of their test commands.
import { describe, expect, it } from 'vitest';
import { locateRunner } from '../../lib/runners/detect.ts';

describe('detectRunner', () => {
  const cases: Array<[string, string | undefined, number | undefined]> = [
    ['pytest -q', 'pytest', 1],
    ['py.test tests', 'pytest', 1],
    ['python -m pytest -n 2', 'pytest', 3],
    ['python3.11 -X dev -m pytest', 'pytest', 5],
    ['.venv/bin/pytest', 'pytest', 1],
    ['uv run --with pytest-xdist pytest -n 2', 'pytest', 5],
    ['poetry run python -m pytest', 'pytest', 5],
    ['env CI=1 pytest', 'pytest', 3],
    ['CI=1 pytest', 'pytest', 2],
    ['python -m unittest', undefined, undefined],
    ['npx vitest run', 'vitest', 2],
    ['npx --yes vitest', 'vitest', 3],
    ['pnpm exec vitest run', 'vitest', 3],
    ['pnpm vitest', 'vitest', 2],
    ['yarn jest --ci', 'jest', 2],
    ['../../node_modules/.bin/jest', 'jest', 1],
    ['node node_modules/jest/bin/jest.js', 'jest', 2],
    ['node --test tests/', 'node-test', 1],
    ['node --import tsx --test', 'node-test', 1],
    ['npx mocha', 'mocha', 2],
    ['node_modules/.bin/_mocha', 'mocha', 1],
    ['bats -r test', 'bats', 1],
    ['npm test', undefined, undefined],
    ['make test', undefined, undefined],
    ['node script.js', undefined, undefined],
  ];
  it.each(cases)('%s → %s', (command, runner, insertAt) => {
    const located = locateRunner(command.split(' '));
    expect(located?.runner).toBe(runner);
    expect(located?.insertAt).toBe(insertAt);
  });
});
