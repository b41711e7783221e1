// Analysis of JavaScript and TypeScript test files through @typescript-eslint/typescript-estree.
// typescript-estree (and TypeScript under it) is loaded lazily (estree.ts): only a run that meets JS/TS files pays for it.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type * as TSESTreeModule from '@typescript-eslint/typescript-estree';
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import type { FileAnalysis, Hit, Owner, Runner, StaticFixture, StaticTest } from './file-analysis.ts';
import { argvWrites, shellWrites } from './bats-analyse.ts';
import { TEST_DIRS, toPosix } from './discover.ts';
import { loadEstree } from './estree.ts';
import { normalisePath } from './fixed-paths.ts';
import { joinTestName } from './names.ts';

type Node = TSESTree.Node;

export interface SourceFile {
  file: string;
  text: string;
  runner: Runner;
  jsx: boolean;
  /** Absolute path: helpers imported from the tests' other files are followed from it. */
  abs?: string;
}

/** What calling a helper does, wherever it is called from: a wait (of a literal, or of a parameter), a process, the network, a fixed path written. */
type Effect =
  | { rule: 'sleep'; call: string; seconds?: number; param?: number; fallback?: number }
  | { rule: 'subprocess' | 'real-network'; call: string }
  | { rule: 'parallel-unsafe'; path: string };

type FunctionLike = TSESTree.FunctionDeclaration | TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression;

const SUITES = new Set(['describe', 'suite', 'context', 'fdescribe', 'xdescribe']);
const TESTS = new Set(['test', 'it', 'specify', 'fit', 'xit', 'xtest']);
const BEFORE_EACH = new Set(['beforeEach', 'setup']);
const BEFORE_ALL = new Set(['beforeAll', 'before', 'suiteSetup']);
const AFTER_EACH = new Set(['afterEach', 'teardown']);
const AFTER = new Set(['afterAll', 'after', 'suiteTeardown']);
const MODIFIERS = new Set(['only', 'skip', 'todo', 'concurrent', 'sequential', 'fails', 'skipIf', 'runIf', 'each', 'for']);

const NETWORK = new Set([
  'fetch', 'http.get', 'http.request', 'https.get', 'https.request', 'http2.connect', 'net.connect', 'net.createConnection',
  'tls.connect', 'axios', 'axios.get', 'axios.post', 'axios.put', 'axios.patch', 'axios.delete', 'axios.head', 'axios.request',
  'undici.request', 'undici.fetch', 'undici.stream', 'got', 'got.get', 'got.post', 'got.put', 'got.patch', 'got.delete',
  'node-fetch', 'superagent.get', 'superagent.post', 'ky.get', 'ky.post', 'ky', 'WebSocket', 'ws',
]);
const NETWORK_INSTANCE_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'request', 'fetch']);
const NETWORK_CLIENTS = new Set(['axios.create()', 'got.extend()', 'undici.Client()', 'undici.Pool()']);
const DATABASE = new Set([
  'pg.Client', 'pg.Pool', 'pg', 'postgres', 'mysql.createConnection', 'mysql.createPool', 'mysql2.createConnection',
  'mysql2.createPool', 'mysql2/promise.createConnection', 'mysql2/promise.createPool', 'redis.createClient', 'ioredis',
  'ioredis.Redis', 'mongodb.MongoClient', 'mongodb.MongoClient.connect', 'mongoose.connect', 'mongoose.createConnection',
  'better-sqlite3', 'sqlite3.Database', 'sqlite.open', 'knex', '@prisma/client.PrismaClient', 'typeorm.DataSource',
  'sequelize.Sequelize', 'sequelize',
]);
const SUBPROCESS_MODULE_FUNCTIONS = new Set(['exec', 'execSync', 'execFile', 'execFileSync', 'spawn', 'spawnSync', 'fork']);
const SUBPROCESS = new Set(['execa.execa', 'execa.execaSync', 'execa.execaNode', 'execa.execaCommand', 'execa.execaCommandSync', 'execa.$', 'execa', 'zx.$', 'cross-spawn', 'cross-spawn.sync']);
const FS_WRITES_FIRST = new Set(['writeFileSync', 'writeFile', 'appendFileSync', 'appendFile', 'mkdirSync', 'mkdir', 'rmSync', 'rm', 'rmdirSync', 'rmdir', 'unlinkSync', 'unlink', 'createWriteStream', 'truncateSync', 'truncate', 'outputFile', 'outputFileSync', 'writeJson', 'writeJsonSync', 'ensureDir', 'ensureDirSync', 'emptyDir', 'emptyDirSync', 'remove', 'removeSync']);
const FS_WRITES_SECOND = new Set(['renameSync', 'rename', 'copyFileSync', 'copyFile', 'cpSync', 'cp', 'symlinkSync', 'symlink', 'linkSync', 'link']);
const FS_MODULES = new Set(['fs', 'fs/promises', 'fs.promises', 'fs-extra']);
// Packages that remove or make a directory named by their first argument.
const REMOVERS = new Set(['rimraf', 'rimraf.sync', 'rimraf.rimraf', 'rimraf.rimrafSync', 'rimraf.native', 'rimraf.nativeSync', 'del', 'del.sync', 'del.deleteAsync', 'del.deleteSync', 'mkdirp', 'mkdirp.sync', 'mkdirp.mkdirp', 'mkdirp.mkdirpSync', 'make-dir', 'make-dir.makeDirectory', 'make-dir.makeDirectorySync']);
// Calls that run a shell command line, and calls that run a program with its arguments.
const SHELL_CALLS = new Set(['child_process.exec', 'child_process.execSync', 'execa.execaCommand', 'execa.execaCommandSync']);
const ARGV_CALLS = new Set(['child_process.execFile', 'child_process.execFileSync', 'child_process.spawn', 'child_process.spawnSync', 'execa', 'execa.execa', 'execa.execaSync', 'cross-spawn', 'cross-spawn.sync']);
const MODULE_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.mts', '.cts', '.tsx', '.jsx'];
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'delete', 'clear', 'add']);

interface Binding {
  /** Qualified name of what the local name refers to (module, module.export, or module.Class() for instances). */
  qualified: string;
  imported: boolean;
  /** The module an imported name comes from. */
  module?: string;
}

interface Context {
  suite: string[];
  owner: Owner | null;
  restore: boolean;
}

/** Where a test's body takes its meaning from, beyond its own text: what its free names are bound to. */
interface Scope {
  /** name → where it is bound (a declaration's place, an import, a parameter of a generating helper). */
  names: Map<string, string>;
}

// Calls that install fake timers: setTimeout and friends no longer wait after them.
const FAKE_TIMERS = /(^|\.)(useFakeTimers|install)$/;


type Parse = typeof TSESTreeModule.parse;

/**
 * Analyses JS/TS test files; a file that does not parse comes back with `error`. With `cwd` (the directory
 * paths are relative to), helpers the files import from the tests' other files are followed one level.
 */
export async function analyseJavaScript(files: readonly SourceFile[], cwd?: string): Promise<FileAnalysis[]> {
  if (files.length === 0) return [];
  const { parse } = await loadEstree();
  const modules = cwd === undefined ? undefined : new HelperModules(parse, cwd);
  return files.map((source) => analyseOne(parse, source, modules));
}

/**
 * The helpers that modules of the tests export, by module: only modules under a test directory or beside
 * the importing file, never the code under test (whose calls the tests often stub), and one level deep.
 */
class HelperModules {
  private readonly cache = new Map<string, Map<string, Effect[]>>();

  constructor(
    private readonly parse: Parse,
    private readonly cwd: string,
  ) {}

  exports(importer: string, specifier: string): Map<string, Effect[]> | undefined {
    if (!specifier.startsWith('.')) return undefined;
    const base = path.resolve(path.dirname(importer), specifier);
    const relative = path.relative(this.cwd, base).split(path.sep);
    const ofTests = path.dirname(base) === path.dirname(importer) || relative.some((dir) => TEST_DIRS.has(dir));
    if (!ofTests || relative.includes('node_modules')) return undefined;
    const abs = resolveModule(base);
    if (abs === undefined) return undefined;
    let found = this.cache.get(abs);
    if (found) return found;
    // Cached before it is read: a cycle of imports ends here.
    this.cache.set(abs, (found = new Map()));
    let program: TSESTree.Program;
    const source: SourceFile = { file: toPosix(this.cwd, abs), abs, text: '', runner: 'vitest', jsx: /x$/.test(abs) };
    try {
      source.text = readFileSync(abs, 'utf8');
      program = this.parse(source.text, { loc: true, range: true, comment: false, tokens: false, jsx: source.jsx, jsDocParsingMode: 'none' });
    } catch {
      return found;
    }
    const walker = new FileWalker(source, { file: source.file, language: 'javascript', runner: 'vitest', tests: [], fixtures: [], hits: [], imports: [] });
    for (const [name, effects] of walker.exportedHelpers(program)) found.set(name, effects);
    return found;
  }
}

/** The file an import specifier names: as written, with an extension, an index file, or a TypeScript source imported by its built name. */
function resolveModule(base: string): string | undefined {
  const candidates = [base, ...MODULE_EXTENSIONS.map((e) => base + e), ...MODULE_EXTENSIONS.map((e) => path.join(base, `index${e}`))];
  if (/\.[cm]?js$/.test(base)) candidates.push(base.replace(/js$/, 'ts'), base.replace(/\.js$/, '.tsx'));
  return candidates.find((candidate) => {
    try {
      return statSync(candidate).isFile();
    } catch {
      return false;
    }
  });
}

function analyseOne(parse: Parse, source: SourceFile, modules: HelperModules | undefined): FileAnalysis {
  const result: FileAnalysis = { file: source.file, language: 'javascript', runner: source.runner, tests: [], fixtures: [], hits: [], imports: [] };
  let program: TSESTree.Program;
  try {
    // JSDoc is never read here: skipping it halves typescript-estree's parse time. range stays on because
    // turning it off costs a second traversal that deletes a property from every node (and slows our walk).
    program = parse(source.text, { loc: true, range: true, comment: false, tokens: false, jsx: source.jsx, jsDocParsingMode: 'none' });
  } catch (error) {
    const parseError = error as { lineNumber?: number; message?: string };
    result.error = { line: parseError.lineNumber ?? 0, message: String(parseError.message ?? error).split('\n')[0]! };
    return result;
  }
  new FileWalker(source, result, modules).run(program);
  return result;
}

const moduleName = (specifier: string): string => specifier.replace(/^node:/, '');

function staticString(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis.map((q) => q.value.cooked).join('');
  return undefined;
}

/** Test titles: literal strings, or templates shown with their placeholders. */
function titleOf(node: Node | undefined): string | undefined {
  const plain = staticString(node);
  if (plain !== undefined) return plain;
  if (node?.type === 'TemplateLiteral') return node.quasis.map((q) => q.value.cooked).join('${…}');
  return undefined;
}

class FileWalker {
  private readonly bindings = new Map<string, Binding>();
  private readonly constants = new Map<string, number>();
  private readonly fixtureSuites: Array<{ fixture: StaticFixture; suite: string[] }> = [];
  /** Names each hook assigns (what it builds), and the roots of what each test mutates. */
  private readonly assigned = new Map<string, Set<string>>();
  private readonly mutatedRoots = new Map<string, Set<string>>();
  /** Lexical scopes from the file down to the function being walked, for the bindings of a test's free names. */
  private readonly scopes: Scope[] = [];
  /** Per test: its body's hash and the bindings of its free names; the final hash adds its hooks (run()). */
  private readonly bodies = new Map<StaticTest, { hash: string; bindings: string[] }>();
  /** Owners (tests, hooks) that install fake timers, and whether the whole file does at its top level. */
  private readonly fakeTimers = new Set<string>();
  private fakeTimersEverywhere = false;
  /** Source text of each hook, by name: a test's set-up is part of what the test is. */
  private readonly hookText = new Map<string, string>();

  /** Fixed paths held by names (`const TMP = path.join(__dirname, 'tmp')`), relative to the runner's directory. */
  private readonly paths = new Map<string, string>();
  /** The file's directory, relative to the runner's: what __dirname means in a fixed path. */
  private readonly dir: string;

  constructor(
    private readonly source: SourceFile,
    private readonly result: FileAnalysis,
    private readonly modules?: HelperModules,
  ) {
    this.dir = path.posix.dirname(source.file);
  }

  private prepare(program: TSESTree.Program): void {
    for (const statement of program.body) this.collectTopLevel(statement);
    for (const statement of program.body) this.collectHelper(statement);
  }

  /** What the module's exported functions do (CommonJS and ES exports), for the tests that import them. */
  exportedHelpers(program: TSESTree.Program): Map<string, Effect[]> {
    this.prepare(program);
    const out = new Map<string, Effect[]>();
    const put = (name: string, value: Node | null | undefined) => {
      if (!value) return;
      const node = unwrap(value);
      const effects = node.type === 'Identifier' ? this.helpers.get(node.name) : isFunction(node) ? this.effectsOf(node) : undefined;
      if (effects?.length) out.set(name, effects);
    };
    const putObject = (object: TSESTree.ObjectExpression) => {
      for (const property of object.properties) {
        if (property.type === 'Property' && property.key.type === 'Identifier') put(property.key.name, property.value);
      }
    };
    for (const statement of program.body) {
      if (statement.type === 'ExportNamedDeclaration') {
        const declaration = statement.declaration;
        if (declaration?.type === 'FunctionDeclaration' && declaration.id) put(declaration.id.name, declaration.id);
        if (declaration?.type === 'VariableDeclaration') for (const d of declaration.declarations) if (d.id.type === 'Identifier') put(d.id.name, d.id);
        if (!statement.source) {
          for (const specifier of statement.specifiers) {
            if (specifier.local.type === 'Identifier') put(specifier.exported.type === 'Identifier' ? specifier.exported.name : String(specifier.exported.value), specifier.local);
          }
        }
      } else if (statement.type === 'ExportDefaultDeclaration') {
        const declaration = statement.declaration as Node;
        if (declaration.type === 'ObjectExpression') putObject(declaration);
        else put('default', declaration.type === 'FunctionDeclaration' && declaration.id ? declaration.id : declaration);
      } else if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
        // module.exports = { runCli }, module.exports = function, module.exports.x = ..., exports.x = ...
        const { left, right } = statement.expression;
        const target = this.qualify(left) ?? (left.type === 'MemberExpression' ? `${rootIdentifier(left) ?? ''}.?` : '');
        const value = unwrap(right);
        if (target === 'module.exports') {
          if (value.type === 'ObjectExpression') putObject(value);
          else put('default', value);
        } else if (/^(module\.)?exports\.[^.]+$/.test(target)) put(target.split('.').pop()!, value);
      }
    }
    return out;
  }

  run(program: TSESTree.Program): void {
    this.prepare(program);
    this.scopes.push(this.scopeOf(program.body, []));
    this.visit(program, { suite: [], owner: null, restore: false });
    for (const { fixture, suite } of this.fixtureSuites) {
      const users = this.result.tests.filter((test) => suite.length === 0 || isInside(this.source.runner, suite, test.name));
      fixture.users = users.map((test) => `${this.source.file}\u0000${test.name}`);
      const built = this.assigned.get(fixture.name) ?? new Set<string>();
      const mutating = users.filter((test) => [...(this.mutatedRoots.get(test.name) ?? [])].some((root) => built.has(root)));
      if (mutating.length) fixture.mutatedBy = mutating.map((test) => `${this.source.file}\u0000${test.name}`);
      for (const test of users) test.fixtures.push(fixture.name);
    }
    // Same body, same bindings of its free names, same hooks: only then the same test.
    for (const test of this.result.tests) {
      const body = this.bodies.get(test);
      if (!body) continue;
      const hooks = test.fixtures.map((name) => this.hookText.get(name) ?? name);
      test.hash = createHash('sha1').update([body.hash, ...body.bindings, ...hooks].join('\n')).digest('hex');
    }
    // Sleeps under fake timers do not wait: a test that installs them, or is run by a hook that does.
    const faked = (owner: Owner) =>
      this.fakeTimersEverywhere ||
      this.fakeTimers.has(owner.name) ||
      (owner.kind === 'test' && (this.result.tests.find((t) => t.name === owner.name)?.fixtures.some((f) => this.fakeTimers.has(f)) ?? false));
    this.result.hits = this.result.hits.filter((hit) => hit.rule !== 'sleep' || !hit.owner || !faked(hit.owner));
  }

  /** The names a block declares (and the parameters of its function), each with where it is bound. */
  private scopeOf(statements: readonly Node[], params: readonly Node[], owner?: Node): Scope {
    const names = new Map<string, string>();
    const at = (node: Node) => `${this.source.file}:${node.range[0]}`;
    for (const param of params) for (const name of patternNames(param)) names.set(name, `param ${owner ? at(owner) : ''}`);
    for (const statement of statements) {
      const declaration = statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement;
      if (declaration.type === 'VariableDeclaration') {
        for (const declarator of declaration.declarations) {
          const init = declarator.init ? unwrap(declarator.init) : undefined;
          const required = init && requireOf(init);
          for (const name of patternNames(declarator.id)) names.set(name, required ? `module ${moduleName(required.module)}.${required.path.join('.')}` : at(declarator));
        }
      } else if ((declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') && declaration.id) {
        names.set(declaration.id.name, at(declaration));
      } else if (declaration.type === 'ImportDeclaration') {
        for (const specifier of declaration.specifiers) {
          const imported = specifier.type === 'ImportSpecifier' ? (specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value)) : '*';
          names.set(specifier.local.name, `module ${moduleName(String(declaration.source.value))}.${imported}`);
        }
      }
    }
    return { names };
  }

  /** Where each free name of a test's callback is bound (by the innermost scope that binds it). */
  private bindingsOf(callback: TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression): string[] {
    const locals = new Set<string>();
    for (const param of callback.params) for (const name of patternNames(param)) locals.add(name);
    collectDeclared(callback.body, locals);
    const free = new Set<string>();
    const walk = (node: Node, parent: Node | undefined): void => {
      if (node.type === 'Identifier' && !locals.has(node.name)) {
        const isKey = parent && ((parent.type === 'MemberExpression' && parent.property === node && !parent.computed) || (parent.type === 'Property' && parent.key === node && !parent.computed));
        if (!isKey) free.add(node.name);
      }
      for (const child of children(node)) walk(child, node);
    };
    walk(callback.body, undefined);
    const out: string[] = [];
    for (const name of [...free].sort()) {
      for (let i = this.scopes.length - 1; i >= 0; i--) {
        const bound = this.scopes[i]!.names.get(name);
        if (bound !== undefined) {
          out.push(`${name}=${bound}`);
          break;
        }
      }
    }
    return out;
  }

  private collectTopLevel(statement: Node): void {
    if (statement.type === 'ImportDeclaration') {
      const module = moduleName(String(statement.source.value));
      this.result.imports.push(module);
      for (const specifier of statement.specifiers) {
        const qualified =
          specifier.type === 'ImportSpecifier'
            ? `${module}.${specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value)}`
            : module;
        this.bindings.set(specifier.local.name, { qualified, imported: true, module });
      }
    } else if (statement.type === 'VariableDeclaration') {
      for (const declarator of statement.declarations) this.declare(declarator, true);
    } else if (statement.type === 'ExportNamedDeclaration' && statement.declaration?.type === 'VariableDeclaration') {
      for (const declarator of statement.declaration.declarations) this.declare(declarator, true);
    }
  }

  /** Helpers of the file (top-level functions) and what calling each does. */
  private readonly helpers = new Map<string, Effect[]>();

  private collectHelper(statement: Node): void {
    const declaration = statement.type === 'ExportNamedDeclaration' && statement.declaration ? statement.declaration : statement;
    const candidates: Array<[string, FunctionLike]> = [];
    if (declaration.type === 'FunctionDeclaration' && declaration.id) candidates.push([declaration.id.name, declaration]);
    if (declaration.type === 'VariableDeclaration') {
      for (const d of declaration.declarations) {
        const init = d.init && unwrap(d.init);
        if (d.id.type === 'Identifier' && init && (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression')) candidates.push([d.id.name, init]);
      }
    }
    for (const [name, fn] of candidates) {
      const effects = this.effectsOf(fn);
      if (effects.length) this.helpers.set(name, effects);
    }
  }

  /**
   * What a helper does wherever it is called: `const sleep = (ms = 100) => new Promise((r) => setTimeout(r, ms))`
   * waits what the call passes (or its default), a literal wait waits that, and the first process or network
   * call it makes and the fixed paths it writes are the caller's.
   */
  private effectsOf(fn: FunctionLike): Effect[] {
    const params = fn.params.map((p) => (p.type === 'Identifier' ? p.name : p.type === 'AssignmentPattern' && p.left.type === 'Identifier' ? p.left.name : ''));
    const defaults = fn.params.map((p) => (p.type === 'AssignmentPattern' ? this.number(p.right) : undefined));
    const effects: Effect[] = [];
    const seen = new Set<string>();
    const add = (effect: Effect) => {
      const key = JSON.stringify(effect);
      if (!seen.has(key)) effects.push(effect);
      seen.add(key);
    };
    let outside = false;
    const walk = (node: Node): void => {
      if (node.type === 'CallExpression') {
        const callee = this.qualify(node.callee);
        const delay = callee === 'setTimeout' || callee === 'timers.setTimeout' || callee === 'globalThis.setTimeout' ? node.arguments[1] : callee === 'timers/promises.setTimeout' ? node.arguments[0] : undefined;
        if (delay) {
          const value = unwrap(delay as Node);
          const index = value.type === 'Identifier' ? params.indexOf(value.name) : -1;
          if (index >= 0) add({ rule: 'sleep', call: 'setTimeout', param: index, fallback: defaults[index] });
          else {
            const ms = this.number(value);
            if (ms !== undefined) add({ rule: 'sleep', call: 'setTimeout', seconds: ms / 1000 });
          }
        }
        for (const written of this.pathsWritten(node, callee)) add({ rule: 'parallel-unsafe', path: written });
      }
      if (!outside && (node.type === 'CallExpression' || node.type === 'NewExpression')) {
        const found = this.processOrNetwork(node);
        if (found) {
          add(found);
          outside = true;
        }
      }
      for (const child of children(node)) walk(child);
    };
    walk(fn.body);
    return effects;
  }

  private processOrNetwork(node: TSESTree.CallExpression | TSESTree.NewExpression): { rule: 'subprocess' | 'real-network'; call: string } | undefined {
    const name = this.qualify(node.callee);
    if (name === undefined) return undefined;
    const parts = name.split('.');
    const module = parts.slice(0, -1).join('.');
    if ((module === 'child_process' && SUBPROCESS_MODULE_FUNCTIONS.has(parts.at(-1)!)) || SUBPROCESS.has(name)) return { rule: 'subprocess', call: name };
    if (NETWORK.has(name)) return { rule: 'real-network', call: name };
    return undefined;
  }

  /** The helper a call reaches, of this file or imported from a module of the tests, and what it does. */
  private helperCall(callee: Node): { shown: string; effects: Effect[] } | undefined {
    if (callee.type === 'Identifier' && this.helpers.has(callee.name)) return { shown: callee.name, effects: this.helpers.get(callee.name)! };
    const root = rootIdentifier(callee);
    const binding = root === undefined ? undefined : this.bindings.get(root);
    if (!this.modules || !this.source.abs || !binding?.imported || !binding.module?.startsWith('.')) return undefined;
    const name = this.qualify(callee);
    if (name === undefined || !name.startsWith(binding.module)) return undefined;
    const rest = name.slice(binding.module.length);
    const exported = rest === '' ? 'default' : /^\.[^.]+$/.test(rest) ? rest.slice(1) : undefined;
    const effects = exported === undefined ? undefined : this.modules.exports(this.source.abs, binding.module)?.get(exported);
    if (!effects) return undefined;
    return { shown: callee.type === 'Identifier' ? callee.name : `${root}.${exported}`, effects };
  }

  /** A call of a helper: what the helper does, at the call, with the duration the call passes. */
  private helperHits(node: TSESTree.CallExpression, shown: string, effects: Effect[], context: Context): void {
    for (const effect of effects) {
      if (effect.rule === 'sleep') {
        let seconds: number | null = effect.seconds ?? null;
        if (effect.param !== undefined) {
          const argument = node.arguments[effect.param] as Node | undefined;
          // No argument: the parameter's default, else undefined, which setTimeout takes as 0.
          const delay = argument ? this.number(argument) : (effect.fallback ?? 0);
          seconds = delay === undefined ? null : delay / 1000;
        }
        this.hit('sleep', node, context, { call: effect.param !== undefined ? shown : `${shown} → ${effect.call}`, seconds });
      } else if (effect.rule === 'parallel-unsafe') this.hit('parallel-unsafe', node, context, { kind: 'fixed-path', name: effect.path });
      else this.hit(effect.rule, node, context, { call: `${shown} → ${effect.call}` });
    }
  }

  /** The fixed paths a call writes: fs writes, rimraf and its kind, and shell commands (`rm -rf test/tmp`). */
  private pathsWritten(node: TSESTree.CallExpression, name: string | undefined): string[] {
    if (name === undefined) return [];
    const parts = name.split('.');
    const last = parts.at(-1)!;
    const module = parts.slice(0, -1).join('.');
    const argument = (index: number) => node.arguments[index] as Node | undefined;
    const fixed = (index: number) => {
      const found = argument(index) && this.fixedPath(argument(index)!);
      return found === undefined ? [] : [found];
    };
    if (FS_MODULES.has(module) && FS_WRITES_FIRST.has(last)) return fixed(0);
    if (FS_MODULES.has(module) && FS_WRITES_SECOND.has(last)) return fixed(1);
    if (REMOVERS.has(name)) return fixed(0);
    const shell = SHELL_CALLS.has(name);
    if (!shell && !ARGV_CALLS.has(name)) return [];
    // Relative paths are relative to the command's cwd: the runner's, unless the call names another.
    const options = [...node.arguments].reverse().find((arg) => arg.type === 'ObjectExpression') as TSESTree.ObjectExpression | undefined;
    const cwdOption = options?.properties.find((p): p is TSESTree.Property => p.type === 'Property' && p.key.type === 'Identifier' && p.key.name === 'cwd');
    const cwd = cwdOption ? this.fixedPath(cwdOption.value as Node) : '.';
    let written: string[] = [];
    if (shell) {
      const line = argument(0) && this.fixedText(argument(0)!);
      if (line !== undefined) written = shellWrites(line);
    } else {
      const file = argument(0) && staticString(argument(0)!);
      const list = argument(1) && unwrap(argument(1)!);
      if (file !== undefined && list?.type === 'ArrayExpression') {
        const words = list.elements.map((e) => (e && e.type !== 'SpreadElement' ? this.fixedText(e) : undefined));
        if (words.every((w) => w !== undefined)) written = argvWrites([file, ...words]);
      }
    }
    return written.flatMap((p) => (p.startsWith('/') || p.startsWith('<tmp>') ? [p] : cwd === undefined ? [] : [normalisePath(path.posix.join(cwd, p))]));
  }

  /** Records what a declared name refers to: a require()d module, an instance, a numeric constant. */
  private declare(declarator: TSESTree.VariableDeclarator, topLevel: boolean): void {
    const init = declarator.init ? unwrap(declarator.init) : undefined;
    const required = init && requireOf(init);
    if (required !== undefined) {
      const module = moduleName(required.module);
      if (topLevel) this.result.imports.push(module);
      const base = required.path.length ? `${module}.${required.path.join('.')}` : module;
      if (declarator.id.type === 'Identifier') this.bindings.set(declarator.id.name, { qualified: base, imported: true, module });
      else if (declarator.id.type === 'ObjectPattern') {
        for (const property of declarator.id.properties) {
          if (property.type !== 'Property' || property.key.type !== 'Identifier') continue;
          const local = property.value.type === 'Identifier' ? property.value : property.value.type === 'AssignmentPattern' && property.value.left.type === 'Identifier' ? property.value.left : undefined;
          if (local) this.bindings.set(local.name, { qualified: `${base}.${property.key.name}`, imported: true, module });
        }
      }
      return;
    }
    if (declarator.id.type !== 'Identifier') {
      for (const name of patternNames(declarator.id)) this.bindings.set(name, { qualified: '', imported: false });
      return;
    }
    const name = declarator.id.name;
    if (topLevel && init) {
      const value = this.number(init);
      if (value !== undefined) this.constants.set(name, value);
    }
    const fixed = init && this.fixedPath(init);
    if (fixed !== undefined) this.paths.set(name, fixed);
    else this.paths.delete(name);
    const kind = init && (init.type === 'CallExpression' || init.type === 'NewExpression') ? this.qualify(init) : undefined;
    this.bindings.set(name, { qualified: kind ?? '', imported: false });
  }

  private number(node: Node): number | undefined {
    node = unwrap(node);
    if (node.type === 'Literal' && typeof node.value === 'number') return node.value;
    if (node.type === 'Identifier') return this.constants.get(node.name);
    if (node.type === 'UnaryExpression' && node.operator === '-') {
      const inner = this.number(node.argument);
      return inner === undefined ? undefined : -inner;
    }
    if (node.type === 'BinaryExpression' && node.left.type !== 'PrivateIdentifier') {
      const left = this.number(node.left);
      const right = this.number(node.right);
      if (left === undefined || right === undefined) return undefined;
      if (node.operator === '*') return left * right;
      if (node.operator === '+') return left + right;
      if (node.operator === '-') return left - right;
      if (node.operator === '/' && right !== 0) return left / right;
    }
    return undefined;
  }

  /** The qualified name an expression refers to (e.g. `child_process.execFileSync`, `pg.Client()`), if known. */
  private qualify(node: Node): string | undefined {
    node = unwrap(node);
    switch (node.type) {
      case 'Identifier': {
        const binding = this.bindings.get(node.name);
        if (binding) return binding.qualified || undefined;
        return node.name;
      }
      case 'MemberExpression': {
        const base = this.qualify(node.object);
        if (base === undefined) return undefined;
        const property = node.computed ? staticString(node.property) : node.property.type === 'Identifier' ? node.property.name : undefined;
        if (property === undefined) return undefined;
        // fs.promises.writeFile and require('fs').promises read like fs/promises.
        return base === 'fs' && property === 'promises' ? 'fs/promises' : `${base}.${property}`;
      }
      case 'CallExpression':
      case 'NewExpression': {
        const callee = this.qualify(node.callee);
        return callee === undefined ? undefined : `${callee}()`;
      }
      case 'AwaitExpression':
        return this.qualify(node.argument);
      default:
        return undefined;
    }
  }

  private rootImported(node: Node): { name: string; module: string } | undefined {
    let current = unwrap(node);
    while (current.type === 'MemberExpression') current = unwrap(current.object);
    if (current.type !== 'Identifier') return undefined;
    const binding = this.bindings.get(current.name);
    return binding?.imported ? { name: current.name, module: binding.module ?? binding.qualified } : undefined;
  }

  private hit(rule: Hit['rule'], node: Node, context: Context, detail: Hit['detail'], at?: Node): void {
    const loc = (at ?? node).loc.start;
    this.result.hits.push({ rule, line: loc.line, column: loc.column + 1, owner: context.owner, detail, restore: context.restore });
  }

  private visit(node: Node, context: Context): void {
    switch (node.type) {
      case 'CallExpression':
        if (this.structure(node, context)) return;
        this.call(node, context);
        if (context.owner && isScopedHelper(node.callee)) {
          // withDefaultZone('Asia/Tokyo', () => {...}): a helper that sets state for its callback and puts it back.
          this.visit(node.callee, context);
          for (const arg of node.arguments) this.visit(arg as Node, { ...context, restore: true });
          return;
        }
        break;
      case 'NewExpression':
        this.construct(node, context);
        break;
      case 'AssignmentExpression':
        this.write(node.left, node, context);
        break;
      case 'UpdateExpression':
        this.write(node.argument, node, context);
        break;
      case 'UnaryExpression':
        if (node.operator === 'delete') this.write(node.argument, node, context);
        break;
      case 'VariableDeclarator':
        if (context.owner || context.suite.length) this.declare(node, false);
        break;
      case 'TryStatement':
        this.visit(node.block, context);
        if (node.handler) this.visit(node.handler, context);
        if (node.finalizer) this.visit(node.finalizer, { ...context, restore: true });
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression': {
        // A helper that generates tests: its parameters make each call's tests different.
        const body = node.body.type === 'BlockStatement' ? node.body.body : [];
        this.scopes.push(this.scopeOf(body, node.params, node));
        for (const child of children(node)) this.visit(child, context);
        this.scopes.pop();
        return;
      }
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'ForStatement': {
        const declared = node.type === 'ForStatement' ? node.init : node.left;
        const names = new Map<string, string>();
        if (declared?.type === 'VariableDeclaration') for (const d of declared.declarations) for (const name of patternNames(d.id)) names.set(name, `loop ${this.source.file}:${node.range[0]}`);
        this.scopes.push({ names });
        for (const child of children(node)) this.visit(child, context);
        this.scopes.pop();
        return;
      }
      case 'BlockStatement':
        this.scopes.push(this.scopeOf(node.body, []));
        for (const child of children(node)) this.visit(child, context);
        this.scopes.pop();
        return;
      default:
        break;
    }
    for (const child of children(node)) this.visit(child, context);
  }

  /** describe/test/hook calls: returns true when the call was one (its callback is walked here). */
  private structure(node: TSESTree.CallExpression, context: Context): boolean {
    const callee = calleeBase(node.callee);
    if (!callee) return false;
    const { name } = callee;
    // A locally bound name (a helper called `test`) is not the runner's function, unless imported from the runner.
    const binding = this.bindings.get(name);
    if (binding && !binding.imported) return false;
    const callback = [...node.arguments].reverse().find((arg) => arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression');
    if (SUITES.has(name)) {
      const title = titleOf(node.arguments[0]) ?? '<dynamic>';
      if (callback) this.visit(callback, { suite: [...context.suite, title], owner: null, restore: false });
      return true;
    }
    if (TESTS.has(name) && context.owner?.kind !== 'test') {
      const title = titleOf(node.arguments[0]);
      if (title === undefined || !callback) return false;
      const fullName = joinTestName(this.source.runner, [...context.suite, title]);
      const hash = this.hash(callback);
      const test: StaticTest = { name: fullName, line: node.loc.start.line, endLine: node.loc.end.line, hash, fixtures: [] };
      if (hash) this.bodies.set(test, { hash, bindings: this.bindingsOf(callback) });
      this.result.tests.push(test);
      this.visit(callback, { suite: context.suite, owner: { kind: 'test', name: fullName }, restore: false });
      return true;
    }
    const hook = BEFORE_EACH.has(name) || AFTER_EACH.has(name) ? 'each' : BEFORE_ALL.has(name) || AFTER.has(name) ? 'all' : undefined;
    if (hook && callback) {
      const base = joinTestName(this.source.runner, [...context.suite, name]);
      let fixtureName = base;
      for (let n = 2; this.result.fixtures.some((f) => f.name === fixtureName); n++) fixtureName = `${base} #${n}`;
      // After-hooks put state back: their writes are restores.
      const restore = AFTER.has(name) || AFTER_EACH.has(name);
      const fixture: StaticFixture = { name: fixtureName, line: node.loc.start.line, scope: hook === 'each' ? 'function' : 'suite', kind: restore ? 'afterEach' : 'beforeEach', users: [] };
      this.result.fixtures.push(fixture);
      this.fixtureSuites.push({ fixture, suite: context.suite });
      this.hookText.set(fixtureName, `${name} ${this.source.text.slice(callback.range[0], callback.range[1])}`);
      this.visit(callback, { suite: context.suite, owner: { kind: 'fixture', name: fixtureName }, restore });
      return true;
    }
    return false;
  }

  private call(node: TSESTree.CallExpression, context: Context): void {
    const calleeName = this.qualify(node.callee);
    if (calleeName && FAKE_TIMERS.test(calleeName) && (calleeName.endsWith('useFakeTimers') || /fake-timers|FakeTimers|clock/i.test(calleeName))) {
      if (context.owner) this.fakeTimers.add(context.owner.name);
      else if (context.suite.length === 0) this.fakeTimersEverywhere = true;
    }
    if (!context.owner) return;
    const callee = unwrap(node.callee);

    const helper = this.helperCall(callee);
    if (helper) {
      this.helperHits(node, helper.shown, helper.effects, context);
      return;
    }
    if (context.owner.kind === 'test' && callee.type === 'MemberExpression' && callee.property.type === 'Identifier' && MUTATORS.has(callee.property.name)) {
      const root = rootIdentifier(callee.object);
      if (root) this.note(this.mutatedRoots, context.owner, root);
    }
    const name = this.qualify(node.callee);
    // Point at the called name itself: in a chain spread over lines (`http\n.get(...)`) that is the line of `.get`.
    const at = node.callee.type === 'MemberExpression' ? node.callee.property : node;
    if (name === undefined) return;
    for (const written of this.pathsWritten(node, name)) this.hit('parallel-unsafe', node, context, { kind: 'fixed-path', name: written }, at);
    const parts = name.split('.');
    const last = parts[parts.length - 1]!;
    const module = parts.slice(0, -1).join('.');
    if (name === 'setTimeout' || name === 'timers.setTimeout' || name === 'global.setTimeout' || name === 'globalThis.setTimeout') {
      const delay = node.arguments[1] ? this.number(node.arguments[1] as Node) : undefined;
      if (delay !== undefined) this.hit('sleep', node, context, { call: 'setTimeout', seconds: delay / 1000 }, at);
    } else if (name === 'timers/promises.setTimeout' || name === 'timers.promises.setTimeout' || name === 'timers/promises.scheduler.wait') {
      const delay = node.arguments[0] ? this.number(node.arguments[0] as Node) : undefined;
      this.hit('sleep', node, context, { call: 'timers/promises setTimeout', seconds: delay === undefined ? null : delay / 1000 }, at);
    } else if (name === 'Atomics.wait') {
      const delay = node.arguments[3] ? this.number(node.arguments[3] as Node) : undefined;
      if (delay !== undefined) this.hit('sleep', node, context, { call: 'Atomics.wait', seconds: delay / 1000 }, at);
    } else if (NETWORK.has(name) || (NETWORK_CLIENTS.has(module) && NETWORK_INSTANCE_METHODS.has(last))) {
      this.hit('real-network', node, context, { call: name }, at);
    } else if (DATABASE.has(name)) {
      this.database(node, name, context, at);
    } else if ((module === 'child_process' && SUBPROCESS_MODULE_FUNCTIONS.has(last)) || SUBPROCESS.has(name)) {
      this.hit('subprocess', node, context, { call: name }, at);
    } else if (name === 'process.chdir') {
      this.hit('parallel-unsafe', node, context, { kind: 'chdir', name: 'cwd' }, at);
    } else if (name === 'Object.assign' && node.arguments[0]) {
      const target = node.arguments[0] as Node;
      if (this.qualify(target) === 'process.env') this.hit('parallel-unsafe', node, context, { kind: 'env', name: '*' }, at);
      else this.globalMutation(target, node, context, at);
    } else if (FS_MODULES.has(module) || REMOVERS.has(name)) {
      // What they write is read above (pathsWritten).
    } else if (last === 'listen' && node.arguments[0]) {
      const port = this.number(node.arguments[0] as Node);
      if (port) this.hit('parallel-unsafe', node, context, { kind: 'fixed-port', name: String(port) }, at);
    } else if (MUTATORS.has(last) && node.callee.type === 'MemberExpression') {
      this.globalMutation(node.callee.object, node, context, at);
    }
  }

  private construct(node: TSESTree.NewExpression, context: Context): void {
    if (!context.owner) return;
    const name = this.qualify(node.callee);
    if (name === undefined) return;
    if (NETWORK.has(name)) this.hit('real-network', node, context, { call: `new ${name}` });
    else if (DATABASE.has(name)) this.database(node, name, context, node);
  }

  private database(node: TSESTree.CallExpression | TSESTree.NewExpression, name: string, context: Context, at: Node): void {
    const target = staticString(node.arguments[0] as Node | undefined);
    if ((name === 'better-sqlite3' || name === 'sqlite3.Database') && (target === ':memory:' || target === '')) return;
    this.hit('real-database', node, context, { call: name }, at);
  }

  /**
   * A path every run (and every worker) writes to, relative to the runner's directory: a literal, a name
   * holding one, __dirname and import.meta.dirname (this file's directory), process.cwd(), os.tmpdir()
   * (`<tmp>`), and path.join/resolve, templates and + of those.
   */
  private fixedPath(node: Node): string | undefined {
    const text = this.fixedText(node);
    return text === undefined ? undefined : normalisePath(text);
  }

  private fixedText(node: Node): string | undefined {
    node = unwrap(node);
    const literal = staticString(node);
    if (literal !== undefined) return literal;
    if (node.type === 'Identifier') {
      if (node.name === '__dirname') return this.dir;
      if (node.name === '__filename') return this.source.file;
      return this.paths.get(node.name);
    }
    if (node.type === 'MemberExpression' && node.object.type === 'MetaProperty' && node.property.type === 'Identifier') {
      return node.property.name === 'dirname' ? this.dir : node.property.name === 'filename' || node.property.name === 'url' ? this.source.file : undefined;
    }
    if (node.type === 'TemplateLiteral') {
      const parts = node.expressions.map((e) => this.fixedText(e as Node));
      if (parts.some((p) => p === undefined)) return undefined;
      return node.quasis.map((q, i) => q.value.cooked + (parts[i] ?? '')).join('');
    }
    if (node.type === 'BinaryExpression' && node.operator === '+') {
      const left = this.fixedText(node.left);
      const right = this.fixedText(node.right);
      return left === undefined || right === undefined ? undefined : left + right;
    }
    if (node.type === 'CallExpression' || node.type === 'NewExpression') {
      const name = this.qualify(node.callee);
      const args = node.arguments.map((arg) => this.fixedText(arg as Node));
      if (name === 'os.tmpdir') return '<tmp>';
      if (name === 'process.cwd') return '.';
      if (args.length === 0 || args.some((a) => a === undefined)) return undefined;
      const parts = args as string[];
      if (name === 'path.join' || name === 'path.posix.join') return path.posix.join(...parts);
      if (name === 'path.resolve' || name === 'path.posix.resolve') {
        const from = parts.findLastIndex((p) => p.startsWith('/') || p.startsWith('<tmp>'));
        return path.posix.join(...parts.slice(Math.max(0, from)));
      }
      if (name === 'path.dirname' || name === 'path.posix.dirname') return path.posix.dirname(parts[0]!);
      if (name === 'url.fileURLToPath' || name === 'String') return parts[0];
      // new URL('./tmp/', import.meta.url)
      if (name === 'URL' && parts.length === 2) return path.posix.join(path.posix.dirname(parts[1]!), parts[0]!);
    }
    return undefined;
  }

  private note(map: Map<string, Set<string>>, owner: Owner, name: string): void {
    const set = map.get(owner.name) ?? new Set<string>();
    set.add(name);
    map.set(owner.name, set);
  }

  private write(target: Node, node: Node, context: Context): void {
    if (!context.owner) return;
    target = unwrap(target);
    if (target.type === 'Identifier' && context.owner.kind === 'fixture') this.note(this.assigned, context.owner, target.name);
    const root = rootIdentifier(target);
    if (root && target.type === 'MemberExpression' && context.owner.kind === 'test') this.note(this.mutatedRoots, context.owner, root);
    if (target.type !== 'MemberExpression') return;
    const owner = this.qualify(target.object);
    if (owner === 'global' || owner === 'globalThis' || owner === 'window') {
      const key = target.computed ? staticString(target.property) : target.property.type === 'Identifier' ? target.property.name : undefined;
      this.hit('parallel-unsafe', node, context, { kind: 'global', name: key ?? '*', key: `global:${key ?? '*'}` });
      return;
    }
    if (owner === 'process.env') {
      const key = target.computed ? staticString(target.property) : target.property.type === 'Identifier' ? target.property.name : undefined;
      this.hit('parallel-unsafe', node, context, { kind: 'env', name: key ?? '*', key: `env:${key ?? '*'}` });
      return;
    }
    this.globalMutation(target.object, node, context, node, this.qualify(target));
  }

  /** A write to, or a mutating call on, state of an imported module; `key` names the state written. */
  private globalMutation(object: Node, node: Node, context: Context, at: Node, key?: string): void {
    const root = this.rootImported(object);
    if (!root) return;
    const bare = unwrap(object);
    // registry.set(object, ...) on the module itself is a call of its API, not a change of a shared object.
    if (key === undefined && bare.type === 'Identifier' && this.bindings.get(bare.name)?.qualified === root.module) return;
    const shown = bare.type === 'Identifier' ? root.name : (this.qualify(object) ?? root.name).split('.').pop()!;
    this.hit('parallel-unsafe', node, context, { kind: 'module-global', name: shown, module: root.module, key: `module:${key ?? this.qualify(object) ?? root.name}` }, at);
  }

  /** Hash of a test body with its own local names erased, so renamed copies compare equal. */
  private hash(callback: TSESTree.ArrowFunctionExpression | TSESTree.FunctionExpression): string | null {
    if (callback.body.type === 'BlockStatement' && callback.body.body.length === 0) return null;
    const locals = new Set<string>();
    for (const param of callback.params) for (const name of patternNames(param)) locals.add(name);
    collectDeclared(callback.body, locals);
    const renamed = new Map<string, string>();
    const parts: string[] = [callback.async ? 'async' : 'sync', String(callback.params.length)];
    const serialise = (node: Node): void => {
      parts.push(node.type);
      if (node.type === 'Identifier') {
        if (locals.has(node.name)) {
          if (!renamed.has(node.name)) renamed.set(node.name, `_v${renamed.size}`);
          parts.push(renamed.get(node.name)!);
        } else parts.push(node.name);
      } else if (node.type === 'Literal') parts.push(JSON.stringify(node.raw));
      else if (node.type === 'TemplateElement') parts.push(JSON.stringify(node.value.raw));
      else if ('operator' in node) parts.push(String(node.operator));
      for (const child of children(node)) serialise(child);
      parts.push(')');
    };
    serialise(callback.body);
    return createHash('sha1').update(parts.join(' ')).digest('hex');
  }
}

const isFunction = (node: Node): node is FunctionLike => node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';

function isScopedHelper(callee: Node): boolean {
  const last = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && callee.property.type === 'Identifier' ? callee.property.name : '';
  return /^with[A-Z]/.test(last);
}

function isInside(runner: Runner, suite: string[], testName: string): boolean {
  const prefix = joinTestName(runner, suite);
  return testName.startsWith(prefix) && testName.length > prefix.length;
}

function rootIdentifier(node: Node): string | undefined {
  let current = unwrap(node);
  while (current.type === 'MemberExpression') current = unwrap(current.object);
  return current.type === 'Identifier' ? current.name : undefined;
}

function unwrap(node: Node): Node {
  while (
    node.type === 'TSAsExpression' ||
    node.type === 'TSNonNullExpression' ||
    node.type === 'TSSatisfiesExpression' ||
    node.type === 'TSTypeAssertion' ||
    node.type === 'ChainExpression'
  ) {
    node = node.expression;
  }
  return node;
}

/** require('x'), require('x').a.b → module and property path. */
function requireOf(node: Node): { module: string; path: string[] } | undefined {
  const path: string[] = [];
  let current = node;
  while (current.type === 'MemberExpression' && !current.computed && current.property.type === 'Identifier') {
    path.unshift(current.property.name);
    current = unwrap(current.object);
  }
  if (current.type === 'AwaitExpression') current = unwrap(current.argument);
  if (current.type === 'ImportExpression') {
    const module = staticString(current.source);
    return module === undefined ? undefined : { module, path };
  }
  if (current.type !== 'CallExpression' || current.callee.type !== 'Identifier' || current.callee.name !== 'require') return undefined;
  const module = staticString(current.arguments[0] as Node | undefined);
  return module === undefined ? undefined : { module, path };
}

/** `describe.only.each` → describe; `test` → test. */
function calleeBase(callee: Node): { name: string } | undefined {
  let current = callee;
  // test.each(table)('name', fn): the callee is itself a call.
  if (current.type === 'CallExpression') current = current.callee;
  while (current.type === 'MemberExpression' && !current.computed && current.property.type === 'Identifier' && MODIFIERS.has(current.property.name)) {
    current = current.object;
  }
  return current.type === 'Identifier' ? { name: current.name } : undefined;
}

function patternNames(node: Node): string[] {
  switch (node.type) {
    case 'Identifier':
      return [node.name];
    case 'ObjectPattern':
      return node.properties.flatMap((p) => (p.type === 'RestElement' ? patternNames(p.argument) : patternNames(p.value)));
    case 'ArrayPattern':
      return node.elements.flatMap((e) => (e ? patternNames(e) : []));
    case 'AssignmentPattern':
      return patternNames(node.left);
    case 'RestElement':
      return patternNames(node.argument);
    case 'TSParameterProperty':
      return patternNames(node.parameter);
    default:
      return [];
  }
}

function collectDeclared(node: Node, into: Set<string>): void {
  if (node.type === 'VariableDeclarator') for (const name of patternNames(node.id)) into.add(name);
  if ((node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression')) {
    if (node.type !== 'ArrowFunctionExpression' && node.id) into.add(node.id.name);
    for (const param of node.params) for (const name of patternNames(param)) into.add(name);
  }
  if (node.type === 'CatchClause' && node.param) for (const name of patternNames(node.param)) into.add(name);
  for (const child of children(node)) collectDeclared(child, into);
}

const SKIPPED_KEYS = new Set(['parent', 'loc', 'range', 'typeAnnotation', 'returnType', 'typeArguments', 'typeParameters', 'decorators']);

// Per node type, the keys that can hold child nodes (keys seen with a string, number or boolean are dropped).
const childKeys = new Map<string, string[]>();

/** Child nodes in source order. */
function children(node: Node): Node[] {
  const record = node as unknown as Record<string, unknown>;
  let keys = childKeys.get(node.type);
  if (!keys) {
    keys = Object.keys(node).filter((key) => !SKIPPED_KEYS.has(key) && (record[key] === null || record[key] === undefined || typeof record[key] === 'object'));
    childKeys.set(node.type, keys);
  }
  const out: Node[] = [];
  for (const key of keys) {
    const value = record[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object' && typeof (item as Node).type === 'string') out.push(item as Node);
    } else if (value && typeof value === 'object' && typeof (value as Node).type === 'string') {
      out.push(value as Node);
    }
  }
  return out;
}
