// The projects of the conformance suite: one per runner, each as small as it can be while doing what a
// real suite does: a passing and a failing test, a test whose child process writes 50 MiB to the
// inherited stdout, a test that asks a child Python whether its stdout and stderr block, and the
// user's configuration writing a JUnit report.

/** 50 lines of `conformance:` and 1 MiB of x: 50 MiB from one child, through the runner's output. */
export const EMITTED = { lines: 50, lineBytes: 1024 * 1024 };
export const MARKER = 'conformance:';

// The child: a shell writing `lines` lines (prefix `# ` for bats, whose test output goes through fd 3 as TAP comments).
const emitScript = ({ lines, lineBytes }: typeof EMITTED) =>
  `x=$(head -c ${lineBytes} /dev/zero | tr '\\0' x); i=0; while [ $i -lt ${lines} ]; do printf '%s${MARKER}%s\\n' "$1" "$x"; i=$((i + 1)); done\n`;

// bats moves its test output through bash loops (its count validator, its formatters): bare, on a loaded
// 2-core machine, it passed 39.5 of 50 MB in 120 s, and with its JUnit report formatter (which the project
// configures) 1 MiB took 173 s. Its project writes 64 KiB in 1 KiB lines.
export const BATS_EMITTED = { lines: 64, lineBytes: 1024 };

// A child Python that inherits fds 1 and 2 and writes whether they block into $CONFORMANCE_DIR/blocking-<tag>.
const BLOCKING_PY = 'import os, sys\nopen(os.path.join(os.environ["CONFORMANCE_DIR"], "blocking-" + sys.argv[1]), "w").write("%s %s" % (os.get_blocking(1), os.get_blocking(2)))\n';

export interface RunnerProject {
  /** Files of the project (node_modules is linked in by the suite). */
  files: Record<string, string>;
  /** The command, from the project's directory. */
  command: (bin: (name: string) => string) => string[];
  /** The JUnit report the user's configuration writes. */
  junit: string;
  /** Whether mem-profile attributes memory to its tests (bats reports its tests only after the run). */
  memTests: boolean;
  /** What the output test's child writes. */
  emitted: typeof EMITTED;
}

const jsTests = (header: string, it: string) => `${header}
const { execFileSync } = require('node:child_process');
${it}('passes', () => {});
${it}('fails', () => { throw new Error('planted failure'); });
${it}('writes 50 MiB through a child process', () => { execFileSync('sh', ['emit.sh', ''], { stdio: 'inherit' }); });
${it}('has blocking stdout and stderr', () => { execFileSync('python3', ['blocking.py', 'node'], { stdio: 'inherit' }); });
`;

// reports/ is there before the run, as node:test's --test-reporter-destination and bats' --output need.
const common = { 'emit.sh': emitScript(EMITTED), 'blocking.py': BLOCKING_PY, 'package.json': '{ "name": "conformance", "private": true }\n', 'reports/.keep': '' };

const pytestProject: RunnerProject = {
  files: {
    ...common,
    // The user's configuration writes the JUnit report; -s lets the child write to the real stdout.
    'pytest.ini': '[pytest]\naddopts = -s -p no:cacheprovider --junitxml=reports/junit.xml\n',
    'tests/test_conformance.py': [
      'import os',
      'import subprocess',
      'import sys',
      '',
      'def test_passes():',
      '    pass',
      '',
      'def test_fails():',
      '    assert 1 + 1 == 3, "planted failure"',
      '',
      'def test_writes_50_mib_through_a_child_process():',
      "    # An xdist worker's stdout is execnet's channel; its stderr is the command's.",
      '    out = sys.stderr if os.environ.get("PYTEST_XDIST_WORKER") else None',
      '    subprocess.run(["sh", "emit.sh", ""], check=True, stdout=out)',
      '',
      'def test_has_blocking_stdout_and_stderr():',
      '    # Which xdist worker runs it varies from run to run: the tag says only whether one did.',
      '    tag = "worker" if os.environ.get("PYTEST_XDIST_WORKER") else "main"',
      '    with open(os.path.join(os.environ["CONFORMANCE_DIR"], "blocking-python-" + tag), "w") as out:',
      '        out.write("%s %s" % (os.get_blocking(1), os.get_blocking(2)))',
      '    subprocess.run(["python3", "blocking.py", "child-" + tag], check=True)',
      '',
    ].join('\n'),
  },
  command: () => ['python3', '-m', 'pytest', 'tests'],
  junit: 'reports/junit.xml',
  memTests: true,
  emitted: EMITTED,
};

export const projects: Record<string, RunnerProject> = {
  pytest: pytestProject,
  'pytest -n 2': { ...pytestProject, command: () => ['python3', '-m', 'pytest', '-n', '2', 'tests'] },
  vitest: {
    files: {
      ...common,
      'vitest.config.mjs': "export default { test: { reporters: ['default', 'junit'], outputFile: 'reports/junit.xml', testTimeout: 120000 } };\n",
      'conformance.test.js': jsTests("import { it } from 'vitest';\nimport { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);", 'it'),
    },
    command: (bin) => [bin('vitest'), 'run'],
    junit: 'reports/junit.xml',
    memTests: true,
    emitted: EMITTED,
  },
  jest: {
    files: {
      ...common,
      // A reporter of the user's, with its options, writing a JUnit report.
      'jest.config.js': "module.exports = { testTimeout: 120000, reporters: ['default', ['<rootDir>/junit-reporter.js', { outputFile: 'reports/junit.xml' }]] };\n",
      'junit-reporter.js': [
        "const fs = require('node:fs');",
        "const path = require('node:path');",
        'module.exports = class {',
        '  constructor(globalConfig, options) { this.outputFile = options.outputFile; }',
        '  onRunComplete(contexts, results) {',
        '    const cases = results.testResults.flatMap((file) => file.testResults.map((t) =>',
        "      `<testcase name=\"${t.title}\">${t.status === 'failed' ? '<failure/>' : ''}</testcase>`));",
        '    fs.mkdirSync(path.dirname(this.outputFile), { recursive: true });',
        "    fs.writeFileSync(this.outputFile, `<testsuites><testsuite>${cases.join('')}</testsuite></testsuites>\\n`);",
        '  }',
        '};',
        '',
      ].join('\n'),
      'conformance.test.js': jsTests('', 'test'),
    },
    command: (bin) => [bin('jest')],
    junit: 'reports/junit.xml',
    memTests: true,
    emitted: EMITTED,
  },
  'node:test': {
    files: { ...common, 'conformance.test.js': jsTests("const { it } = require('node:test');", 'it') },
    // The user names their reporters: spec on stdout and a JUnit report.
    command: () => ['node', '--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=junit', '--test-reporter-destination=reports/junit.xml'],
    junit: 'reports/junit.xml',
    memTests: true,
    emitted: EMITTED,
  },
  mocha: {
    files: {
      ...common,
      '.mocharc.json': JSON.stringify({ reporter: 'xunit', 'reporter-option': ['output=reports/junit.xml'], timeout: 120000 }),
      'test/conformance.spec.js': jsTests('', 'it'),
    },
    command: (bin) => [bin('mocha')],
    junit: 'reports/junit.xml',
    memTests: true,
    emitted: EMITTED,
  },
  bats: {
    files: {
      ...common,
      'emit.sh': emitScript(BATS_EMITTED),
      'test/conformance.bats': [
        '@test "passes" {',
        '  true',
        '}',
        '@test "fails" {',
        '  [ 1 -eq 2 ]',
        '}',
        '@test "writes 50 MiB through a child process" {',
        "  sh emit.sh '# ' >&3",
        '}',
        '@test "has blocking stdout and stderr" {',
        '  python3 blocking.py bats',
        '}',
        '',
      ].join('\n'),
    },
    // The user's own report formatter, which takes bats' one place for one.
    command: (bin) => [bin('bats'), '--report-formatter', 'junit', '--output', 'reports', 'test'],
    junit: 'reports/report.xml',
    memTests: false,
    emitted: BATS_EMITTED,
  },
};
