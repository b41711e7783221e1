// Regenerates the report's fixtures from real runs of the real tools (`make report-fixtures`):
//   pytest-base.json, pytest-new.json  the pytest example profiled 5 times (-n 2), then again with
//                                      the checkout test's sleep raised from 500 to 650 ms;
//   history.jsonl                      10 commits of a small project, each recorded twice: its suite
//                                      profiled 3 times, and its pytest-benchmark results, with a
//                                      test and a benchmark made slower from the 7th commit on;
//   bench-base.json, bench-new.json    the benchmark documents of the 6th and the 10th commit.
// The HTML tests render them, so the screenshots in docs/ show real measurements. Takes minutes.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const out = path.join(root, 'tests', 'fixtures', 'report');
const tool = (name: string) => path.join(root, 'dist', `testpace-${name}.cjs`);
mkdirSync(out, { recursive: true });

const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=testpace', '-c', 'user.email=testpace@localhost', ...args], { cwd, stdio: 'pipe' });
const run = (cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
  process.stderr.write(`$ ${[command, ...args].join(' ')}\n`);
  execFileSync(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
};

// The pytest example, measured as the docs describe it.
const example = path.join(mkdtempSync(path.join(os.tmpdir(), 'testpace-fixtures-')), 'pytest');
cpSync(path.join(root, 'examples', 'pytest'), example, { recursive: true, filter: (source) => !/(__pycache__|\.pytest_cache)$/.test(source) });
git(example, 'init', '-q', '-b', 'main');
git(example, 'add', '-A');
git(example, 'commit', '-qm', 'example');
const pytest = ['--', 'python3', '-m', 'pytest', '-q', '-n', '2', '-p', 'no:cacheprovider'];
run(example, process.execPath, [tool('profile'), '--runs', '5', '--quiet', '--out', path.join(out, 'pytest-base.json'), ...pytest]);
const checkout = path.join(example, 'tests', 'test_checkout.py');
writeFileSync(checkout, readFileSync(checkout, 'utf8').replace('time.sleep(0.5)', 'time.sleep(0.65)'));
git(example, 'commit', '-qam', 'slower checkout');
run(example, process.execPath, [tool('profile'), '--runs', '5', '--quiet', '--out', path.join(out, 'pytest-new.json'), ...pytest]);

// A small project with a history.
const project = path.join(path.dirname(example), 'project');
mkdirSync(path.join(project, 'tests'), { recursive: true });
mkdirSync(path.join(project, 'bench'), { recursive: true });
writeFileSync(
  path.join(project, 'tests', 'test_app.py'),
  [
    'import os, time',
    'SLOW = os.environ.get("SLOW") == "1"',
    '',
    'def test_login():',
    '    time.sleep(0.12)',
    '',
    'def test_search_ranks_results():',
    '    time.sleep(0.16 if SLOW else 0.08)',
    '',
    'def test_logout():',
    '    time.sleep(0.05)',
    '',
  ].join('\n'),
);
writeFileSync(
  path.join(project, 'bench', 'test_bench.py'),
  [
    'import os, time',
    'SLOW = os.environ.get("SLOW") == "1"',
    '',
    'def test_parse_document(benchmark):',
    '    benchmark(time.sleep, 0.025 if SLOW else 0.02)',
    '',
    'def test_render_page(benchmark):',
    '    benchmark(time.sleep, 0.01)',
    '',
  ].join('\n'),
);
git(project, 'init', '-q', '-b', 'main');
git(project, 'add', '-A');
const history = path.join(out, 'history.jsonl');
writeFileSync(history, '');
const bench = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'bench', '--benchmark-json=raw.json', '--benchmark-min-rounds=5', '--benchmark-max-time=0.000001', '--benchmark-min-time=0.000001', '--benchmark-warmup=off'];
for (let i = 0; i < 10; i++) {
  const env = { SLOW: i >= 6 ? '1' : '0' };
  git(project, 'commit', '-q', '--allow-empty', '-m', `change ${i + 1}`);
  run(project, process.execPath, [tool('profile'), '--runs', '3', '--quiet', '--out', 'profile.json', '--', 'python3', '-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests'], env);
  run(project, process.execPath, [tool('report'), 'profile.json', '--history', history, '--no-config', '--format', 'markdown', '--out', '/dev/null']);
  run(project, 'python3', bench, env);
  run(project, process.execPath, [tool('report'), 'import', 'raw.json', '--out', 'bench.json']);
  run(project, process.execPath, [tool('report'), 'bench.json', '--history', history, '--no-config', '--format', 'markdown', '--out', '/dev/null']);
  if (i === 5) cpSync(path.join(project, 'bench.json'), path.join(out, 'bench-base.json'));
  if (i === 9) cpSync(path.join(project, 'bench.json'), path.join(out, 'bench-new.json'));
}
process.stderr.write(`wrote ${out}\n`);
