// mocha: `spec`, `require`, `recursive`, `extension` and `ignore` from .mocharc.* or package.json
// "mocha", and the spec and options of the mocha command in the test script (`mocha --recursive
// "test/**/*-test.js"`), which replace the config's spec as on the command line.
import path from 'node:path';
import { literalProperty, stringList } from '../config-literals.ts';
import { type RunnerProject, asStrings, dirOf, emptyProject, join, parseArgs, readJson, readText } from './common.ts';

export const MOCHA_CONFIG = /^\.mocharc\.(json|jsonc|ya?ml|js|cjs)$/;

interface MochaSettings {
  spec?: string[];
  require: string[];
  ignore: string[];
  extension: string[];
  recursive: boolean;
}

function readSettings(root: string, file: string): MochaSettings {
  const base = path.posix.basename(file);
  const settings: MochaSettings = { require: [], ignore: [], extension: [], recursive: false };
  if (base === 'package.json' || base.endsWith('.json') || base.endsWith('.jsonc')) {
    const json = base === 'package.json' ? ((readJson(root, file)?.mocha as Record<string, unknown>) ?? {}) : (readJson(root, file) ?? {});
    if (json.spec !== undefined) settings.spec = asStrings(json.spec);
    settings.require = [...asStrings(json.require), ...asStrings(json.file)];
    settings.ignore = asStrings(json.ignore);
    settings.extension = asStrings(json.extension);
    settings.recursive = json.recursive === true;
  } else if (/\.ya?ml$/.test(base)) {
    const text = readText(root, file);
    const list = (key: string): string[] | undefined => {
      const block = new RegExp(`^${key}:\\s*(.*)$`, 'm').exec(text);
      if (!block) return undefined;
      if (block[1]!.trim()) return [block[1]!.trim().replace(/^['"]|['"]$/g, '')];
      const items: string[] = [];
      for (const line of text.slice(block.index + block[0].length + 1).split('\n')) {
        const item = /^\s+-\s*['"]?([^'"\n]+)/.exec(line);
        if (!item) break;
        items.push(item[1]!.trim());
      }
      return items;
    };
    settings.spec = list('spec');
    settings.require = [...(list('require') ?? []), ...(list('file') ?? [])];
    settings.ignore = list('ignore') ?? [];
    settings.extension = list('extension') ?? [];
    settings.recursive = /^recursive:\s*true/m.test(text);
  } else {
    const text = readText(root, file);
    settings.spec = stringList(literalProperty(text, 'spec')) ?? undefined;
    settings.require = stringList(literalProperty(text, 'require')) ?? [];
    settings.ignore = stringList(literalProperty(text, 'ignore')) ?? [];
  }
  return settings;
}

const MOCHA_VALUED = new Set(['--reporter', '-R', '--require', '-r', '--timeout', '-t', '--ui', '-u', '--grep', '-g', '--fgrep', '-f', '--file', '--config', '--package', '--extension', '--ignore', '--exclude', '--slow', '-s', '--reporter-option', '--reporter-options', '-O', '--spec', '--jobs', '-j', '--retries', '--node-option', '-n', '--watch-files', '--watch-ignore']);

/**
 * A mocha project from its config file (or package.json), with the test script's arguments when
 * mocha runs from one: its positional specs (and --spec) replace the config's, as on the command line.
 */
export function mochaProject(root: string, file: string, commandArgs: string[] | null = null): RunnerProject {
  const dir = dirOf(file);
  const project = emptyProject('mocha', dir, file);
  const settings = readSettings(root, file);
  let spec = settings.spec;
  if (commandArgs) {
    const { positionals, options } = parseArgs(commandArgs, MOCHA_VALUED);
    const given = [...positionals, ...(options.get('--spec') ?? [])];
    if (given.length > 0) spec = given;
    if (options.has('--recursive')) settings.recursive = true;
    settings.require.push(...(options.get('--require') ?? []), ...(options.get('-r') ?? []), ...(options.get('--file') ?? []));
    settings.ignore.push(...(options.get('--ignore') ?? []), ...(options.get('--exclude') ?? []));
    settings.extension.push(...(options.get('--extension') ?? []));
  }
  const extensions = settings.extension.length > 0 ? settings.extension.map((e) => e.replace(/^\./, '')) : ['js', 'cjs', 'mjs'];
  const extGlob = extensions.length === 1 ? extensions[0]! : `{${extensions.join(',')}}`;
  const specs = spec && spec.length > 0 ? spec : ['./test'];
  // A directory spec means the files directly in it (all below it with --recursive); a glob or a file is itself.
  project.include = specs.map((glob) => (/[*?{[]/.test(glob) || /\.[cm]?[jt]sx?$/.test(glob) ? join(dir, glob) : `${join(dir, glob.replace(/\/$/, ''))}/${settings.recursive ? '**/' : ''}*.${extGlob}`));
  for (const ignored of settings.ignore) project.ignore.push({ glob: join(dir, ignored), why: `mocha --ignore ${JSON.stringify(ignored)} (${file})` });
  // A --require of a local file runs before every test; a package name is not ours.
  project.setupFiles = settings.require.filter((r) => r.startsWith('.') || r.includes('/')).map((r) => join(dir, r));
  return project;
}
