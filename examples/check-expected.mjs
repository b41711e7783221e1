#!/usr/bin/env node
// Checks every examples/<runner>/expected.json against the files it describes, so that
// planted line numbers, test names, duplicate bodies and the import map cannot drift.
// It reads the examples' own idioms only (not a general parser): test declarations,
// import/require/source lines, the aliases in tsconfig.json, jest.config.js and package.json.
//
// Usage: node examples/check-expected.mjs [runner...]   Exit 0 when all agree, 1 otherwise.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const examplesDir = import.meta.dirname;
const RUNNERS = ['pytest', 'vitest', 'jest', 'node-test', 'mocha', 'bats'];
const RULES = ['sleep', 'real-network', 'real-database', 'subprocess', 'costly-fixture', 'parallel-unsafe', 'duplicate-test', 'memory-growth'];

// What the planted line itself must look like, whatever `match` says.
const LINE_SHAPE = {
  sleep: /\bsleep\b|setTimeout/,
  'real-network': /create_connection|urlopen|fetch\(|\.get\(|net\.connect|\bcurl\b/,
  'real-database': /sqlite3/,
  subprocess: /subprocess\.|execFileSync|execFile\(|spawn/,
  'costly-fixture': /^\s*(def \w+\(|beforeEach\(|setup\(\) \{)/,
  'parallel-unsafe': /os\.environ|process\.env|\/tmp\/|=/,
  'duplicate-test': /^\s*(def test_\w+\(|(test|it)\(|@test ")/,
  'memory-growth': /bytearray|Buffer\.alloc|printf -v/,
};

// Calls a clean control file must not contain.
const SMELLS = /sleep|setTimeout|fetch\(|http|net\.|socket|sqlite|subprocess|child_process|execFile|environ|process\.env|writeFile|write_text|\/tmp\/|Buffer\.alloc|bytearray|printf -v|curl/;

const problems = [];
const runners = process.argv.slice(2).length ? process.argv.slice(2) : RUNNERS;
for (const runner of runners) checkExample(runner);

if (problems.length) {
  for (const problem of problems) process.stderr.write(`${problem}\n`);
  process.stderr.write(`check-expected: ${problems.length} problem(s)\n`);
  process.exitCode = 1;
} else {
  process.stderr.write(`check-expected: ${runners.join(', ')} agree with their expected.json\n`);
}

function checkExample(runner) {
  const root = path.join(examplesDir, runner);
  const where = (file, line) => `examples/${runner}/${file}${line ? `:${line}` : ''}`;
  const fail = (message) => problems.push(`examples/${runner}: ${message}`);
  const expected = JSON.parse(read(path.join(root, 'expected.json')));
  const language = runner === 'pytest' ? 'python' : runner === 'bats' ? 'bats' : 'js';
  const testFiles = listFiles(root)
    .filter((file) => !file.startsWith('node_modules/'))
    .filter((file) => (language === 'python' ? /(^|\/)test_\w+\.py$/ : language === 'bats' ? /\.bats$/ : /\.(test|spec)\.[cm]?[jt]s$/).test(file));
  const parsed = new Map(testFiles.map((file) => [file, parseDeclarations(read(path.join(root, file)), language)]));
  const helperFixtures = language === 'python' ? parseDeclarations(read(path.join(root, 'tests/conftest.py')), language).fixtures : [];

  if (expected.runner !== runner) fail(`runner is "${expected.runner}", expected "${runner}"`);
  const program = expected.command?.[0] ?? '';
  if (program.includes('/') && !fs.existsSync(path.join(root, program))) fail(`command ${program} does not exist`);

  const testCount = [...parsed.values()].reduce((sum, { tests }) => sum + tests.length, 0);
  if (expected.testCount !== testCount) fail(`testCount is ${expected.testCount}, the files declare ${testCount}`);

  for (const plant of expected.planted) {
    const at = where(plant.file, plant.line);
    if (!RULES.includes(plant.rule)) fail(`${at}: unknown rule "${plant.rule}"`);
    const lines = read(path.join(root, plant.file)).split('\n');
    const text = lines[plant.line - 1] ?? '';
    if (!plant.match || !text.includes(plant.match)) fail(`${at}: line does not contain ${JSON.stringify(plant.match)}: ${JSON.stringify(text.trim())}`);
    if (!LINE_SHAPE[plant.rule]?.test(text)) fail(`${at}: line does not look like ${plant.rule}: ${JSON.stringify(text.trim())}`);
    if (plant.rule === 'parallel-unsafe' && plant.detail.kind !== 'env' && !text.includes(plant.detail.name)) fail(`${at}: line does not name ${plant.detail.name}`);
    if (plant.rule === 'sleep') {
      const numbers = (text.match(/\d+(\.\d+)?/g) ?? []).map(Number);
      const seconds = plant.detail.sleepSeconds;
      if (!numbers.includes(seconds) && !numbers.includes(seconds * 1000)) fail(`${at}: sleep is not ${seconds} s`);
    }

    const declarations = parsed.get(plant.file) ?? (plant.file.endsWith('conftest.py') ? { tests: [], fixtures: helperFixtures } : undefined);
    if (!declarations) {
      fail(`${at}: not a test file of this example`);
      continue;
    }
    if (plant.test === null) {
      const fixture = declarations.fixtures.find((candidate) => candidate.name === plant.detail.fixture);
      if (!fixture || plant.line < fixture.start || plant.line > fixture.end) fail(`${at}: not inside fixture ${plant.detail.fixture}`);
      if (plant.rule === 'costly-fixture') checkFixtureUsers(plant, fixture, declarations, parsed, language, fail);
      continue;
    }
    const test = declarations.tests.find((candidate) => same(candidate.titlePath, plant.titlePath));
    if (!test) fail(`${at}: no test ${JSON.stringify(plant.titlePath)} in ${plant.file}`);
    else if (plant.line < test.start || plant.line > test.end) fail(`${at}: outside test "${plant.test}" (lines ${test.start}-${test.end})`);
    if (plant.test !== plant.titlePath.join(' ')) fail(`${at}: test "${plant.test}" is not its titlePath joined by spaces`);
  }

  checkDuplicates(expected, parsed, fail);
  checkRequiredPlants(expected, fail);

  for (const file of expected.clean) {
    if (!parsed.has(file)) fail(`clean file ${file} is not a test file`);
    if (expected.planted.some((plant) => plant.file === file)) fail(`clean file ${file} has planted problems`);
    read(path.join(root, file))
      .split('\n')
      .forEach((line, index) => SMELLS.test(line) && fail(`${where(file, index + 1)}: clean file calls ${JSON.stringify(line.trim())}`));
  }

  for (const [dataFile, readers] of Object.entries(expected.reads)) {
    if (!fs.existsSync(path.join(root, dataFile))) fail(`data file ${dataFile} does not exist`);
    for (const reader of readers) {
      const text = read(path.join(root, reader));
      if (!text.includes(path.basename(dataFile)) || !text.includes(path.basename(path.dirname(dataFile)))) fail(`${reader} does not name ${dataFile}`);
    }
  }

  checkImports(root, language, testFiles, expected.imports, fail);
}

/** The tests that get the fixture are exactly the ones listed in usedBy. */
function checkFixtureUsers(plant, fixture, declarations, parsed, language, fail) {
  const users =
    language === 'python'
      ? [...parsed.values()].flatMap(({ tests }) => tests.filter((test) => test.params.includes(fixture.name)))
      : declarations.tests.filter((test) => same(test.titlePath.slice(0, fixture.suitePath.length), fixture.suitePath));
  const names = users.map((test) => test.titlePath.join(' ')).sort();
  if (!same(names, [...plant.detail.usedBy].sort())) fail(`fixture ${fixture.name} is used by ${JSON.stringify(names)}, usedBy says ${JSON.stringify(plant.detail.usedBy)}`);
  if (names.length < 3) fail(`fixture ${fixture.name} is used by fewer than three tests`);
  if (plant.detail.suite !== undefined && plant.detail.suite !== fixture.suitePath.join(' ')) fail(`fixture ${fixture.name} is in suite "${fixture.suitePath.join(' ')}"`);
}

/** Identical test bodies are exactly the declared duplicate-test pairs. */
function checkDuplicates(expected, parsed, fail) {
  const byBody = new Map();
  for (const [file, { tests }] of parsed) {
    for (const test of tests) byBody.set(test.body, [...(byBody.get(test.body) ?? []), `${file}::${test.titlePath.join(' ')}`]);
  }
  const found = [...byBody.values()].filter((group) => group.length > 1).flat().sort();
  const declared = expected.planted.filter((plant) => plant.rule === 'duplicate-test').map((plant) => `${plant.file}::${plant.test}`).sort();
  if (!same(found, declared)) fail(`tests with identical bodies ${JSON.stringify(found)} are not the declared duplicates ${JSON.stringify(declared)}`);
  for (const plant of expected.planted.filter((candidate) => candidate.rule === 'duplicate-test')) {
    const partner = expected.planted.find((candidate) => candidate.rule === 'duplicate-test' && candidate.test === plant.detail.sameBodyAs);
    if (!partner || partner.detail.sameBodyAs !== plant.test) fail(`duplicate "${plant.test}" has no partner "${plant.detail.sameBodyAs}" pointing back`);
  }
}

/** Every example plants at least the problems the tools are demoed on. */
function checkRequiredPlants(expected, fail) {
  const count = (predicate) => expected.planted.filter(predicate).length;
  if (count((plant) => plant.rule === 'sleep' && plant.test !== null) < 2) fail('fewer than two slow tests');
  if (count((plant) => plant.rule === 'costly-fixture') < 1) fail('no costly fixture');
  if (count((plant) => plant.rule === 'real-network' || plant.rule === 'real-database') < 1) fail('no real network or database client');
  if (count((plant) => plant.rule === 'parallel-unsafe') < 1) fail('no parallel-unsafe test');
  if (count((plant) => plant.rule === 'duplicate-test') < 2) fail('no pair of duplicate tests');
  if (count((plant) => plant.rule === 'memory-growth' && plant.detail.bytes >= 50e6 && plant.detail.bytes <= 80e6) < 1) fail('no test holding 50-80 MB');
  if (expected.clean.length < 1) fail('no clean control file');
  if (Object.keys(expected.reads).length < 1) fail('no data file read by a test');
}

/**
 * The test files, their declared tests and fixtures. A declaration ends at the next
 * non-blank line indented no deeper than it (the closing `});` or `}`, or the next `def`).
 */
function parseDeclarations(text, language) {
  const lines = text.split('\n');
  const indent = (line) => line.length - line.trimStart().length;
  const endOf = (start) => {
    for (let index = start + 1; index < lines.length; index++) {
      if (lines[index].trim() && indent(lines[index]) <= indent(lines[start])) return language === 'python' ? lastCodeLine(index - 1) : index;
    }
    return lastCodeLine(lines.length - 1);
  };
  const lastCodeLine = (index) => {
    while (index > 0 && !lines[index].trim()) index--;
    return index;
  };
  const suites = [];
  const tests = [];
  const fixtures = [];
  lines.forEach((line, index) => {
    const span = () => ({ start: index + 1, end: endOf(index) + 1 });
    const suitePath = () => suites.filter((suite) => suite.start <= index + 1 && index + 1 <= suite.end).map((suite) => suite.title);
    let match;
    if (language === 'python') {
      if ((match = /^\s*def (test_\w+)\((.*)\)/.exec(line))) tests.push({ titlePath: [match[1]], params: match[2].split(',').map((param) => param.trim()), ...span() });
      else if ((match = /^\s*def (\w+)\(/.exec(line)) && /^\s*@pytest\.fixture/.test(lines[index - 1] ?? '')) fixtures.push({ name: match[1], suitePath: [], ...span() });
    } else if (language === 'bats') {
      if ((match = /^@test "(.*)" \{/.exec(line))) tests.push({ titlePath: [match[1]], ...span() });
      else if (/^setup\(\) \{/.test(line)) fixtures.push({ name: 'setup', suitePath: [], ...span() });
    } else if ((match = /^\s*describe\((['"`])(.*?)\1/.exec(line))) {
      suites.push({ title: match[2], ...span() });
    } else if ((match = /^\s*(?:test|it)\((['"`])(.*?)\1/.exec(line))) {
      tests.push({ titlePath: [...suitePath(), match[2]], ...span() });
    } else if (/^\s*beforeEach\(/.test(line)) {
      fixtures.push({ name: 'beforeEach', suitePath: suitePath(), ...span() });
    }
  });
  for (const test of tests) {
    const bodyEnd = language === 'python' ? test.end : test.end - 1;
    test.body = lines.slice(test.start, bodyEnd).join('\n');
  }
  return { tests, fixtures };
}

/** expected.imports must be exactly what the examples' import lines say, followed transitively. */
function checkImports(root, language, testFiles, imports, fail) {
  const resolveSpecifier = language === 'js' ? jsResolver(root) : null;
  const direct = (file) => {
    const text = read(path.join(root, file));
    const from = path.dirname(path.join(root, file));
    const found = [];
    if (language === 'python') found.push(...pythonImports(root, file, text));
    else if (language === 'bats') {
      for (const [, name] of text.matchAll(/^\s*load\s+(\S+)/gm)) found.push(path.join(from, name.endsWith('.bash') ? name : `${name}.bash`));
      for (const [, name] of text.matchAll(/\$SRC\/([\w./-]+)/g)) found.push(path.join(root, 'src', name));
      for (const [, name] of text.matchAll(/source "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)\/([^"]+)"/g)) found.push(path.join(from, name));
    } else {
      for (const [, , specifier] of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\s*\(\s*|^import\s+)(['"])([^'"]+)\1/gm)) {
        const resolved = resolveSpecifier(specifier, from);
        if (resolved) found.push(resolved);
      }
    }
    return found.map((absolute) => path.relative(root, absolute).split(path.sep).join('/'));
  };
  const closure = (file) => {
    const seen = new Set();
    const queue = [...direct(file)];
    if (language === 'python') queue.push(...conftestsAbove(root, file));
    while (queue.length) {
      const next = queue.pop();
      if (seen.has(next) || next === file) continue;
      if (!fs.existsSync(path.join(root, next))) {
        fail(`${file} depends on ${next}, which does not exist`);
        continue;
      }
      seen.add(next);
      queue.push(...direct(next));
    }
    return seen;
  };
  const actual = {};
  for (const testFile of testFiles) {
    for (const dependency of closure(testFile)) (actual[dependency] ??= []).push(testFile);
  }
  const sorted = (map) => Object.fromEntries(Object.entries(map).map(([key, files]) => [key, [...files].sort()]).sort(([a], [b]) => a.localeCompare(b)));
  const want = sorted(imports);
  const have = sorted(actual);
  for (const key of new Set([...Object.keys(want), ...Object.keys(have)])) {
    if (!same(want[key] ?? [], have[key] ?? [])) fail(`imports["${key}"] is ${JSON.stringify(want[key] ?? null)}, the import lines say ${JSON.stringify(have[key] ?? null)}`);
  }
  for (const source of listFiles(path.join(root, 'src'))) {
    if (!(`src/${source}` in imports)) fail(`src/${source} is missing from imports`);
  }
  const users = Object.values(imports).map((files) => files.length);
  if (!users.some((count) => count > 0 && count < testFiles.length / 2)) fail('no source file is used by only a few test files');
}

function pythonImports(root, file, text) {
  const sourceRoot = path.join(root, 'src');
  const found = [];
  const addModule = (base, parts) => {
    for (let depth = 1; depth <= parts.length; depth++) {
      const dir = path.join(base, ...parts.slice(0, depth));
      if (fs.existsSync(path.join(dir, '__init__.py'))) found.push(path.join(dir, '__init__.py'));
      else if (depth === parts.length && fs.existsSync(`${dir}.py`)) found.push(`${dir}.py`);
    }
  };
  for (const [, module] of text.matchAll(/^\s*import\s+([\w.]+)/gm)) addModule(sourceRoot, module.split('.'));
  for (const [, dots, module, names] of text.matchAll(/^\s*from\s+(\.*)([\w.]*)\s+import\s+(.+)$/gm)) {
    const base = dots ? path.resolve(path.dirname(path.join(root, file)), ...Array(dots.length - 1).fill('..')) : sourceRoot;
    const parts = module ? module.split('.') : [];
    if (dots) found.push(...[path.join(base, '__init__.py')].filter((init) => fs.existsSync(init)));
    addModule(base, parts);
    // `from package import submodule` imports the submodule too.
    for (const name of names.replace(/[()]/g, '').split(',').map((item) => item.trim().split(/\s+/)[0])) {
      if (name && fs.existsSync(path.join(base, ...parts, `${name}.py`))) addModule(base, [...parts, name]);
    }
  }
  return found;
}

function conftestsAbove(root, file) {
  const found = [];
  for (let dir = path.dirname(file); dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(root, dir, 'conftest.py'))) found.push(`${dir}/conftest.py`);
  }
  return found;
}

/** Resolves relative specifiers and the example's aliases; bare package names are not ours. */
function jsResolver(root) {
  const aliases = [];
  const tsconfigPath = path.join(root, 'tsconfig.json');
  if (fs.existsSync(tsconfigPath)) {
    const { baseUrl = '.', paths = {} } = JSON.parse(read(tsconfigPath)).compilerOptions ?? {};
    for (const [pattern, [target]] of Object.entries(paths)) aliases.push(starAlias(pattern, path.join(root, baseUrl, target)));
  }
  const packageImports = JSON.parse(read(path.join(root, 'package.json'))).imports ?? {};
  for (const [pattern, target] of Object.entries(packageImports)) aliases.push(starAlias(pattern, path.join(root, target)));
  const jestConfigPath = path.join(root, 'jest.config.js');
  if (fs.existsSync(jestConfigPath)) {
    const { moduleNameMapper = {} } = createRequire(import.meta.url)(jestConfigPath);
    for (const [pattern, target] of Object.entries(moduleNameMapper)) {
      aliases.push({ pattern: new RegExp(pattern), target: (match) => target.replace('<rootDir>', root).replace(/\$(\d)/g, (_, group) => match[group]) });
    }
  }
  return (specifier, fromDir) => {
    let base;
    if (specifier.startsWith('.')) base = path.resolve(fromDir, specifier);
    else {
      const alias = aliases.find(({ pattern }) => pattern.test(specifier));
      if (!alias) return null;
      base = alias.target(alias.pattern.exec(specifier));
    }
    const candidates = [base, ...['.ts', '.js', '.mjs', '.cjs'].map((ext) => base + ext), ...['index.ts', 'index.js'].map((name) => path.join(base, name))];
    return candidates.find((candidate) => fs.existsSync(candidate) && fs.statSync(candidate).isFile()) ?? base;
  };
}

function starAlias(pattern, target) {
  const [prefix] = pattern.split('*');
  return { pattern: new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(.*)$`), target: (match) => target.replace('*', match[1]) };
}

function listFiles(dir, prefix = '') {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name === '__pycache__' || entry.name.startsWith('.')) return [];
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listFiles(path.join(dir, entry.name), relative) : [relative];
  });
}

function read(file) {
  return fs.readFileSync(file, 'utf8');
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
