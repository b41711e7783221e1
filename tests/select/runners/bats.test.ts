// bats discovery and shell edges (tools/select/runners/bats.ts, scan-shell.ts) on real git repositories.
import { afterAll, describe, expect, it } from 'vitest';
import { change, gitRepo, removeRepos, select, selectJson } from '../select-helpers.ts';

afterAll(removeRepos);

describe('select: bats', () => {
  // bats-core's own layout: the tests run `bats` (libexec/bats-core/bats through PATH), which runs
  // its helpers by name and sources lib/ through variables set at run time.
  const files = {
    'package.json': JSON.stringify({ name: 'bats', scripts: { test: 'bin/bats test' } }),
    'bin/bats': '#!/usr/bin/env bash\nexec env BATS_ROOT="$BATS_ROOT" "$BATS_ROOT/libexec/bats-core/bats" "$@"\n',
    'libexec/bats-core/bats': '#!/usr/bin/env bash\nformatter=tap\nexport PATH="$BATS_LIBEXEC:$PATH"\nexec bats-exec-suite "$@" | "bats-format-${formatter}"\n',
    'libexec/bats-core/bats-exec-suite': '#!/usr/bin/env bash\n# shellcheck source=lib/bats-core/common.bash\nsource "$BATS_ROOT/$BATS_LIBDIR/bats-core/common.bash"\n',
    'libexec/bats-core/bats-format-tap': '#!/usr/bin/env bash\nsource "$BATS_ROOT/$BATS_LIBDIR/bats-core/formatter.bash"\n',
    'lib/bats-core/common.bash': 'bats_common() { :; }\n',
    'lib/bats-core/formatter.bash': 'bats_format() { :; }\n',
    'test/run.bats': '@test "runs" {\n  run bats "$FIXTURE_ROOT/passing.bats"\n}\n',
    'test/plain.bats': '@test "plain" {\n  true\n}\n',
    'test/fixtures/bats/passing.bats': '@test "pass" {\n  true\n}\n',
  };

  it('follows scripts run by name and libraries sourced behind run-time variables, and leaves fixtures out', async () => {
    const dir = await gitRepo(files);
    // Every test runs through bin/bats, which runs libexec/bats-core/bats, which runs the suite and the formatter.
    await change(dir, { 'lib/bats-core/common.bash': 'bats_common() { return 1; }\n' });
    const common = await selectJson(dir);
    expect(common.selected.map((s) => s.file)).toEqual(['test/plain.bats', 'test/run.bats']);
    expect(common.selected[0]!.reasons[0]!.chain).toEqual(['lib/bats-core/common.bash', 'libexec/bats-core/bats-exec-suite', 'libexec/bats-core/bats', 'bin/bats', 'test/plain.bats']);
    await change(dir, { 'lib/bats-core/common.bash': files['lib/bats-core/common.bash'], 'lib/bats-core/formatter.bash': 'bats_format() { return 1; }\n' });
    expect((await selectJson(dir)).selected.find((s) => s.file === 'test/run.bats')!.reasons[0]!.chain).toEqual([
      'lib/bats-core/formatter.bash',
      'libexec/bats-core/bats-format-tap',
      'libexec/bats-core/bats',
      'test/run.bats',
    ]);
    await change(dir, { 'lib/bats-core/formatter.bash': files['lib/bats-core/formatter.bash'], 'test/fixtures/bats/passing.bats': '@test "pass" {\n  false\n}\n' });
    expect((await select(dir)).list).toEqual(['test/run.bats']);
  });

  it('runs every test when the bats of the repository (the test command) changes', async () => {
    const dir = await gitRepo(files);
    await change(dir, { 'bin/bats': '#!/usr/bin/env bash\nexit 1\n' });
    expect((await select(dir)).list).toEqual(['test/plain.bats', 'test/run.bats']);
  });
});
