// Analysis of bats files, line by line: @test blocks, setup functions, and the commands on each line,
// read with a small shell tokenizer (quotes, $(...), redirections, heredocs) rather than patterns.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { normalisePath } from './fixed-paths.ts';
import type { FileAnalysis, Hit, Owner, StaticFixture, StaticTest } from './file-analysis.ts';

const NETWORK = new Set(['curl', 'wget', 'nc', 'ncat', 'netcat', 'telnet', 'ssh', 'scp', 'sftp', 'http', 'https', 'xh', 'dig', 'nslookup', 'ping', 'grpcurl']);
const DATABASE = new Set(['sqlite3', 'psql', 'pg_dump', 'pg_restore', 'mysql', 'mariadb', 'redis-cli', 'mongo', 'mongosh', 'cqlsh']);
const WRITES_ALL = new Set(['touch', 'mkdir', 'tee', 'rm', 'rmdir', 'truncate']);
const WRITES_LAST = new Set(['cp', 'mv', 'ln', 'install', 'rsync']);
const PREFIXES = new Set(['run', 'time', 'command', 'builtin', 'exec', 'nohup', 'timeout', '!']);
const SEPARATORS = new Set(['|', '||', '&&', ';', '&', '|&']);
const KEYWORDS = new Set(['if', 'elif', 'while', 'until', 'then', 'do', 'else', '!']);
const REDIRECTS = new Set(['>', '>>', '&>', '&>>', '>|', '1>', '2>', '1>>', '2>>']);
const SETUP_FUNCTIONS: Record<string, string> = { setup: 'function', setup_file: 'file' };
const TEARDOWN_FUNCTIONS: Record<string, string> = { teardown: 'function', teardown_file: 'file' };

interface Token {
  text: string;
  /** Operators (|, >, ;) are not words. */
  operator: boolean;
  /** The word had quotes or expansions: never a fixed literal when it holds a $. */
  quoted: boolean;
}

class UnclosedQuote extends Error {}

/** Splits one logical line into words and operators; `$(...)` bodies are returned for recursive reading. */
export function tokenize(line: string): { tokens: Token[]; substitutions: string[] } {
  const tokens: Token[] = [];
  const substitutions: string[] = [];
  let word = '';
  let quoted = false;
  let inWord = false;
  const flush = () => {
    if (inWord) tokens.push({ text: word, operator: false, quoted });
    word = '';
    quoted = false;
    inWord = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new UnclosedQuote();
      word += line.slice(i + 1, end);
      inWord = true;
      quoted = true;
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let text = '';
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) {
          text += line[j + 1];
          j += 2;
          continue;
        }
        if (line[j] === '$' && line[j + 1] === '(') {
          const end = matchingParen(line, j + 1);
          substitutions.push(line.slice(j + 2, end));
          text += line.slice(j, end + 1);
          j = end + 1;
          continue;
        }
        text += line[j];
        j++;
      }
      if (j >= line.length) throw new UnclosedQuote();
      word += text;
      inWord = true;
      quoted = true;
      i = j;
    } else if (c === '$' && line[i + 1] === '(') {
      const end = matchingParen(line, i + 1);
      substitutions.push(line.slice(i + 2, end));
      word += line.slice(i, end + 1);
      inWord = true;
      quoted = true;
      i = end;
    } else if (c === '#' && !inWord) {
      break;
    } else if (c === ' ' || c === '\t') {
      flush();
    } else if ('|&;<>'.includes(c)) {
      // A descriptor number glued to a redirection (2>) belongs to the operator.
      let op = /^\d$/.test(word) && (c === '>' || c === '<') ? word : '';
      if (op) {
        word = '';
        inWord = false;
      }
      flush();
      op += c;
      while (i + 1 < line.length && '|&<>'.includes(line[i + 1]!) && (op + line[i + 1]).length <= 3) op += line[++i];
      tokens.push({ text: op, operator: true, quoted: false });
    } else {
      word += c;
      inWord = true;
    }
  }
  flush();
  return { tokens, substitutions };
}

function matchingParen(line: string, open: number): number {
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    if (line[i] === '(') depth++;
    else if (line[i] === ')' && --depth === 0) return i;
  }
  throw new UnclosedQuote();
}

/** One simple command of a line: its name (assignments and prefixes such as `run` skipped), operands and redirection targets. */
interface SimpleCommand {
  name: string;
  /** Operands, options (`-rf`) left out. */
  args: Token[];
  redirects: Token[];
}

/** The simple commands of a tokenized line, split at `|`, `&&`, `;`...; (( )) and [[ ]] compare, so they are none. */
function simpleCommands(tokens: Token[]): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  let start = 0;
  // Inside (( )) and [[ ]], && and || are the test's own operators, not command separators.
  let closing: string | undefined;
  for (let i = 0; i <= tokens.length; i++) {
    const token = tokens[i];
    if (token && !token.operator) {
      if (closing === undefined && (token.text.startsWith('((') || token.text === '[[')) closing = token.text === '[[' ? ']]' : '))';
      if (closing !== undefined && token.text.endsWith(closing)) closing = undefined;
    }
    if (closing !== undefined && i < tokens.length) continue;
    if (i < tokens.length && !(tokens[i]!.operator && SEPARATORS.has(tokens[i]!.text))) continue;
    const simple = simpleCommand(tokens.slice(start, i));
    if (simple) out.push(simple);
    start = i + 1;
  }
  return out;
}

function simpleCommand(tokens: Token[]): SimpleCommand | undefined {
  // In (( a > b )) and [[ a > b ]] a > compares; it redirects nothing.
  const lead = tokens.find((t) => t.operator || !KEYWORDS.has(t.text));
  if (lead && !lead.operator && (lead.text.startsWith('((') || lead.text === '[[')) return undefined;
  const words: Token[] = [];
  const redirects: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.operator && REDIRECTS.has(token.text)) {
      if (tokens[i + 1]) redirects.push(tokens[i + 1]!);
      i++;
    } else if (token.operator) {
      i++; // < file, << delimiter
    } else {
      words.push(token);
    }
  }
  let k = 0;
  while (k < words.length && (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k]!.text) || PREFIXES.has(words[k]!.text) || (words[k - 1]?.text === 'run' && words[k]!.text.startsWith('-')))) k++;
  return { name: words[k]?.text.split('/').pop() ?? '', args: words.slice(k + 1).filter((w) => !w.text.startsWith('-')), redirects };
}

/** What a command writes: every operand of rm, mkdir, touch...; the last of cp, mv... */
function writtenOperands(name: string, args: Token[]): Token[] {
  if (WRITES_ALL.has(name)) return args;
  if (WRITES_LAST.has(name) && args.length >= 2) return [args.at(-1)!];
  return [];
}

// $BATS_TEST_DIRNAME is the directory of the .bats file: the same for every test in it and every run.
const OWN_DIRECTORY = /^\$(\{BATS_TEST_DIRNAME\}|BATS_TEST_DIRNAME)(?=\/|$)/;

/**
 * The path a word names when every run writes the same one: a literal, or a path under the file's own
 * directory; relative to the directory the runner runs in. `cwdPrivate`: after a cd to a directory of the
 * test's own, relative paths are its own.
 */
function fixedPath(token: Token, file: string, cwdPrivate = false): string | undefined {
  const text = token.text;
  if (token.operator || text === '' || text.startsWith('/dev/')) return undefined;
  const own = OWN_DIRECTORY.exec(text);
  if (own) {
    const rest = text.slice(own[0].length);
    return rest.includes('$') ? undefined : normalisePath(path.posix.join(path.posix.dirname(file), rest));
  }
  if (text.includes('$') || (cwdPrivate && !text.startsWith('/'))) return undefined;
  return normalisePath(text);
}

/** The fixed paths a shell command line writes (`rm -rf test/tmp && mkdir test/tmp`, `> out.txt`), as a test's exec() runs it. */
export function shellWrites(line: string): string[] {
  let tokens: Token[];
  try {
    tokens = tokenize(line).tokens;
  } catch {
    return [];
  }
  return argvWritesOf(simpleCommands(tokens));
}

/** The fixed paths a command given as words (`spawnSync('rm', ['-rf', 'test/tmp'])`) writes. */
export function argvWrites(words: readonly string[]): string[] {
  return argvWritesOf([simpleCommand(words.map((text) => ({ text, operator: false, quoted: true })))].filter((c) => c !== undefined));
}

function argvWritesOf(commands: SimpleCommand[]): string[] {
  return commands.flatMap(({ name, args, redirects }) => [...redirects, ...writtenOperands(name, args)].flatMap((token) => fixedPath(token, '.') ?? []));
}

function seconds(text: string): number | null {
  const unit = text.at(-1)!;
  const scale = unit === 'm' ? 60 : unit === 'h' ? 3600 : unit === 'd' ? 86400 : 1;
  const value = Number(/[smhd]$/.test(text) ? text.slice(0, -1) : text);
  return Number.isFinite(value) ? value * scale : null;
}

export function analyseBats(file: string, text: string): FileAnalysis {
  const result: FileAnalysis = { file, language: 'bats', runner: 'bats', tests: [], fixtures: [], hits: [], imports: [] };
  const lines = text.split('\n');
  // cwdPrivate: the block has changed into a directory of its own (a cd to a $variable such as $BATS_TEST_TMPDIR).
  let block: { owner: Owner | null; indent: number; start: number; body: string[]; restore: boolean; cwdPrivate: boolean } | undefined;
  let setupCdPrivate = false;
  let heredoc: string | undefined;
  const setups: StaticFixture[] = [];

  const hit = (rule: Hit['rule'], line: number, column: number, detail: Hit['detail']) => {
    if (block?.owner) result.hits.push({ rule, line, column, owner: block.owner, detail, restore: block.restore });
  };

  const command = ({ name, args, redirects }: SimpleCommand, line: number) => {
    const fixed = (token: Token) => fixedPath(token, file, block?.cwdPrivate);
    for (const target of [...redirects, ...writtenOperands(name, args)]) {
      const written = fixed(target);
      if (written !== undefined) hit('parallel-unsafe', line, 1, { kind: 'fixed-path', name: written });
    }
    if (name === 'cd' || name === 'pushd') {
      // cd "$BATS_TEST_TMPDIR": relative paths from here on are the test's own.
      const target = args[0];
      if (block) block.cwdPrivate = target !== undefined && target.text.includes('$') ? true : target === undefined ? false : block.cwdPrivate;
      return;
    }
    if (name === 'sleep') hit('sleep', line, 1, { call: 'sleep', seconds: args[0] ? seconds(args[0].text) : null });
    else if (NETWORK.has(name)) hit('real-network', line, 1, { call: name });
    else if (DATABASE.has(name)) {
      if (name === 'sqlite3' && (args.length === 0 || args[0]!.text === ':memory:')) return;
      hit('real-database', line, 1, { call: name });
    }
  };

  const read = (logical: string, line: number) => {
    const { tokens, substitutions } = tokenize(logical);
    for (const simple of simpleCommands(tokens)) command(simple, line);
    // $(( a > b )) is arithmetic, not a command.
    for (const inner of substitutions) if (!inner.startsWith('(')) read(inner, line);
    const here = tokens.findIndex((t) => t.operator && (t.text === '<<' || t.text === '<<-'));
    if (here >= 0 && tokens[here + 1]) heredoc = tokens[here + 1]!.text;
  };

  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    let logical = lines[index]!;
    const trimmed = logical.trim();
    if (heredoc !== undefined) {
      if (trimmed === heredoc) heredoc = undefined;
      if (block) block.body.push(trimmed);
      continue;
    }
    if (block && trimmed === '}' && logical.indexOf('}') <= block.indent) {
      if (block.owner?.kind === 'fixture' && block.owner.name === 'setup' && block.cwdPrivate) setupCdPrivate = true;
      if (block.owner?.kind === 'test') {
        const test = result.tests.find((t) => t.name === block!.owner!.name && t.line === block!.start)!;
        test.endLine = lineNumber;
        const body = block.body.filter((l) => l && !l.startsWith('#'));
        test.hash = body.length ? createHash('sha1').update(body.join('\n')).digest('hex') : null;
      }
      block = undefined;
      continue;
    }
    if (!block) {
      const opened = openBlock(trimmed);
      if (opened) {
        const indent = logical.length - logical.trimStart().length;
        if (opened.kind === 'test') {
          result.tests.push({ name: opened.name, line: lineNumber, endLine: lineNumber, hash: null, fixtures: [] } satisfies StaticTest);
          block = { owner: { kind: 'test', name: opened.name }, indent, start: lineNumber, body: [], restore: false, cwdPrivate: setupCdPrivate };
        } else if (SETUP_FUNCTIONS[opened.name] || TEARDOWN_FUNCTIONS[opened.name]) {
          const scope = SETUP_FUNCTIONS[opened.name] ?? TEARDOWN_FUNCTIONS[opened.name]!;
          const fixture: StaticFixture = { name: opened.name, line: lineNumber, scope, kind: TEARDOWN_FUNCTIONS[opened.name] ? 'bats-teardown' : 'bats-setup', users: [] };
          setups.push(fixture);
          result.fixtures.push(fixture);
          block = { owner: { kind: 'fixture', name: opened.name }, indent, start: lineNumber, body: [], restore: Boolean(TEARDOWN_FUNCTIONS[opened.name]), cwdPrivate: false };
        } else {
          // Helper functions: what they do is counted where they are called from, which is not followed here.
          block = { owner: null, indent, start: lineNumber, body: [], restore: false, cwdPrivate: false };
        }
        continue;
      }
    }
    if (block) block.body.push(trimmed);
    // Continuation lines and quotes spanning lines make one logical line, reported at its first line.
    for (;;) {
      while (logical.endsWith('\\') && index + 1 < lines.length) logical = logical.slice(0, -1) + ' ' + lines[++index]!;
      try {
        read(logical, lineNumber);
        break;
      } catch (error) {
        if (!(error instanceof UnclosedQuote)) throw error;
        if (index + 1 >= lines.length) {
          result.error = { line: lineNumber, message: 'unterminated quote or $( )' };
          return result;
        }
        logical += '\n' + lines[++index]!;
        if (block) block.body.push(lines[index]!.trim());
      }
    }
  }
  if (block) {
    result.error = { line: block.start, message: `block opened at line ${block.start} is never closed` };
    return result;
  }
  for (const fixture of setups) {
    fixture.users = result.tests.map((t) => `${file}\u0000${t.name}`);
    for (const test of result.tests) test.fixtures.push(fixture.name);
  }
  return result;
}

/** `@test "name" {`, `name() {`, `function name {`: the block a line opens, if any. */
function openBlock(trimmed: string): { kind: 'test' | 'function'; name: string } | undefined {
  if (!trimmed.endsWith('{')) return undefined;
  if (trimmed.startsWith('@test')) {
    let tokens: Token[];
    try {
      tokens = tokenize(trimmed.slice(5, -1)).tokens;
    } catch {
      return undefined;
    }
    return tokens.length ? { kind: 'test', name: tokens.map((t) => t.text).join(' ') } : undefined;
  }
  const words = trimmed.slice(0, -1).trim().split(/\s+/);
  if (words[0] === 'function' && words[1]) return { kind: 'function', name: words[1].replace(/\(\)$/, '') };
  if (words.length === 1 && words[0]!.endsWith('()')) return { kind: 'function', name: words[0]!.slice(0, -2) };
  if (words.length === 2 && words[1] === '()') return { kind: 'function', name: words[0]! };
  return undefined;
}
