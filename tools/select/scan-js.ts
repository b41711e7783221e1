// Extracts the module references of a JavaScript/TypeScript file with a hand lexer: strings,
// comments, template literals and regular expressions are skipped correctly, and the few token
// patterns that name another file (import/export … from, import(), require(), require.resolve(),
// jest/vi mocks, new URL(…, import.meta.url), string paths for data files) are recognised on the
// fly. A full parse costs several times more (bench/RESULTS.md, select), and nothing here
// needs a syntax tree: the lexer only has to know what is code and what is text.

/** How a file refers to another. */
/** The argument of a call as written, up to the parenthesis that closes the call (for warnings). */
function callArgument(text: string): string {
  let depth = 0;
  for (let k = 0; k < text.length; k++) {
    if (text[k] === '(') depth++;
    else if (text[k] === ')' && depth-- === 0) return text.slice(0, k);
  }
  return text;
}

export type JsRefKind = 'import' | 'type-import' | 'dynamic-import' | 'require' | 'require-resolve' | 'mock' | 'url' | 'data';

export interface Ref {
  kind: JsRefKind | 'python-import' | 'bats-load' | 'exec';
  specifier: string;
  line: number;
  /** A template literal with substitutions, turned into a glob (`./locale/*.js`). */
  glob?: boolean;
  /** Python: the names of a `from X import a, b` (a may be a submodule). */
  names?: string[];
  /** Python: the number of leading dots of a relative import. */
  level?: number;
}

/** What the scanner found; `dynamic` lists calls whose argument is not a literal. */
export interface ScanResult {
  refs: Ref[];
  dynamic: Array<{ kind: JsRefKind; line: number; text: string }>;
  /** The lexer ended inside a comment, string or template: the caller should parse fully. */
  unsure: boolean;
}

const enum T {
  None,
  Ident,
  String,
  Template,
  Punct,
  Number,
}

interface Token {
  t: T;
  v: string;
  line: number;
}

const MOCK_METHODS = new Set(['mock', 'doMock', 'unmock', 'dontMock', 'requireActual', 'requireMock', 'importActual', 'importMock', 'createMockFromModule', 'setMock']);
const MOCK_OBJECTS = new Set(['jest', 'vi', 'vitest']);
// After these words an expression starts, so `/` opens a regular expression.
const EXPRESSION_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 || c > 127;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/**
 * A plausible file path in a string literal (for data-file edges): path characters only, and
 * either a file extension or an explicit ./ or ../ start. Routes, URLs and prose are not paths.
 */
export function looksLikePath(text: string): boolean {
  if (text.length < 3 || text.length > 240) return false;
  if (!/^[\w@+~.\-/]+$/.test(text)) return false;
  return /\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(text) || text.startsWith('./') || text.startsWith('../');
}

/**
 * A copy of a substring that does not keep its source alive: V8 represents `source.slice()` as a
 * view into the whole file, so a kept specifier would hold every scanned file in memory (at 50k
 * files the heap grew past 1 GB and the garbage collector made the cold run super-linear).
 */
export const detach = (text: string): string => (' ' + text).slice(1);

/** The first of each (kind, specifier), detached from the file's text: one edge is enough, and the cache stays small. */
export function dedupe(refs: Ref[]): Ref[] {
  const seen = new Set<string>();
  const out: Ref[] = [];
  for (const ref of refs) {
    const key = `${ref.kind}\0${ref.specifier}\0${ref.level ?? ''}\0${ref.names?.join(',') ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ref.specifier = detach(ref.specifier);
    out.push(ref);
  }
  return out;
}

/** Scans one file. */
export function scanJs(source: string): ScanResult {
  const refs: Ref[] = [];
  const dynamic: ScanResult['dynamic'] = [];
  const n = source.length;
  let i = 0;
  let line = 1;
  // The last four significant tokens, newest first.
  const back: Token[] = [
    { t: T.None, v: '', line: 0 },
    { t: T.None, v: '', line: 0 },
    { t: T.None, v: '', line: 0 },
    { t: T.None, v: '', line: 0 },
  ];
  // Brace depth per open template substitution: `}` at that depth resumes the template.
  const templateStack: number[] = [];
  let braceDepth = 0;
  // Statement state for `import type … from` / `export type … from`.
  let statementTypeOnly = false;
  let pendingType = false;
  // Consecutive string arguments of one call (`join(__dirname, 'fixtures', 'x.json')`).
  let group: string[] = [];
  let unsure = false;
  // A call whose argument we wait for: after `require(`, `import(`, `jest.mock(`, `new URL(`.
  let pendingCall: { kind: JsRefKind; line: number; glob?: boolean } | null = null;

  // The four token objects are reused in rotation: no allocation per token (the lexer sees
  // millions of tokens in a large repository, and the garbage collector would notice).
  const push = (t: T, v: string): void => {
    const recycled = back[3]!;
    back[3] = back[2]!;
    back[2] = back[1]!;
    back[1] = back[0]!;
    recycled.t = t;
    recycled.v = v;
    recycled.line = line;
    back[0] = recycled;
  };

  // Which reference a call opening with `(` (already pushed as back[0]) makes.
  const callKind = (): JsRefKind | null => {
    const callee = back[1]!;
    if (callee.t !== T.Ident) return null;
    const beforeCallee = back[2]!;
    const memberOf = beforeCallee.t === T.Punct && beforeCallee.v === '.';
    if (callee.v === 'require' && !memberOf) return 'require';
    if (callee.v === 'import' && !memberOf) return 'dynamic-import';
    if (callee.v === 'resolve' && memberOf && back[3]!.v === 'require') return 'require-resolve';
    if (MOCK_METHODS.has(callee.v) && memberOf && MOCK_OBJECTS.has(back[3]!.v)) return 'mock';
    if (callee.v === 'URL' && beforeCallee.v === 'new') return 'url';
    if (callee.v === 'glob' && memberOf && back[3]!.v === 'meta') return 'dynamic-import'; // Vite's import.meta.glob
    return null;
  };

  // The first token after `require(` (or another reference call) is not a literal.
  const nonLiteral = (text: string): void => {
    if (!pendingCall || back[0]!.v !== '(' || back[0]!.t !== T.Punct) return;
    if (pendingCall.kind === 'url' || pendingCall.kind === 'mock') {
      pendingCall = null;
      return;
    }
    dynamic.push({ kind: pendingCall.kind, line, text: callArgument(text + source.slice(i, i + 40).split('\n')[0]!) });
    pendingCall = null;
  };

  const onString = (value: string, template: boolean, hasSubstitution: boolean): void => {
    const previous = back[0]!;
    if (pendingCall && previous.t === T.Punct && previous.v === '(') {
      const { kind, line: at, glob } = pendingCall;
      pendingCall = null;
      if (hasSubstitution || glob) refs.push({ kind, specifier: value, line: at, glob: true });
      else refs.push({ kind, specifier: value, line: at });
      group = [];
      return;
    }
    if (!template && previous.t === T.Ident && previous.v === 'from' && back[1]!.v !== '.') {
      refs.push({ kind: statementTypeOnly ? 'type-import' : 'import', specifier: value, line });
      statementTypeOnly = false;
      return;
    }
    if (!template && previous.t === T.Ident && previous.v === 'import' && back[1]!.v !== '.') {
      refs.push({ kind: 'import', specifier: value, line });
      return;
    }
    if (hasSubstitution) {
      group = [];
      return;
    }
    // A string in a call's argument list, maybe one of several joined into a path.
    const joined = previous.t === T.Punct && previous.v === ',' && back[1]!.t === T.String && group.length > 0;
    group = joined ? [...group, value] : [value];
    if (looksLikePath(value)) refs.push({ kind: 'data', specifier: value, line });
    if (group.length > 1) {
      const path = group.join('/');
      if (looksLikePath(path)) refs.push({ kind: 'data', specifier: path, line });
    }
  };

  while (i < n) {
    const c = source.charCodeAt(i);
    // Whitespace.
    if (c === 10) {
      line++;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) {
      i++;
      continue;
    }
    // Comments.
    if (c === 47 /* / */) {
      const d = source.charCodeAt(i + 1);
      if (d === 47) {
        const end = source.indexOf('\n', i + 2);
        i = end === -1 ? n : end;
        continue;
      }
      if (d === 42) {
        const end = source.indexOf('*/', i + 2);
        if (end === -1) {
          unsure = true;
          break;
        }
        for (let k = i; k < end; k++) if (source.charCodeAt(k) === 10) line++;
        i = end + 2;
        continue;
      }
      // Division or regular expression?
      const previous = back[0]!;
      const division =
        previous.t === T.Number ||
        previous.t === T.String ||
        previous.t === T.Template ||
        (previous.t === T.Ident && !EXPRESSION_KEYWORDS.has(previous.v)) ||
        (previous.t === T.Punct && (previous.v === ')' || previous.v === ']'));
      if (!division) {
        // A regex ends on the same line; if it does not, it was a division after all.
        let k = i + 1;
        let inClass = false;
        let closed = false;
        while (k < n) {
          const e = source.charCodeAt(k);
          if (e === 10) break;
          if (e === 92) {
            k += 2;
            continue;
          }
          if (e === 91) inClass = true;
          else if (e === 93) inClass = false;
          else if (e === 47 && !inClass) {
            closed = true;
            break;
          }
          k++;
        }
        if (closed) {
          k++;
          while (k < n && isIdentPart(source.charCodeAt(k))) k++;
          i = k;
          push(T.String, '');
          group = [];
          continue;
        }
      }
      push(T.Punct, '/');
      i++;
      continue;
    }
    // Strings.
    if (c === 39 || c === 34) {
      let k = i + 1;
      let value = '';
      let start = k;
      let escaped = false;
      while (k < n) {
        const e = source.charCodeAt(k);
        if (e === c) break;
        if (e === 10) break; // unterminated: JSX text with an apostrophe, say; the damage ends here
        if (e === 92) {
          value += source.slice(start, k);
          escaped = true;
          const next = source.charCodeAt(k + 1);
          if (next === 10) line++;
          else value += source[k + 1] ?? '';
          k += 2;
          start = k;
          continue;
        }
        k++;
      }
      value = escaped ? value + source.slice(start, k) : source.slice(start, k);
      i = source.charCodeAt(k) === c ? k + 1 : k;
      onString(value, false, false);
      push(T.String, value);
      continue;
    }
    // Template literals (and the tail of one after a substitution's `}`).
    if (c === 96 || (c === 125 && templateStack.length > 0 && templateStack[templateStack.length - 1] === braceDepth)) {
      const resumed = c === 125;
      if (resumed) templateStack.pop();
      let k = i + 1;
      let ended = false;
      while (k < n) {
        const e = source.charCodeAt(k);
        if (e === 96) {
          ended = true;
          break;
        }
        if (e === 10) line++;
        if (e === 92) {
          if (source.charCodeAt(k + 1) === 10) line++;
          k += 2;
          continue;
        }
        if (e === 36 && source.charCodeAt(k + 1) === 123) break;
        k++;
      }
      if (k >= n) {
        unsure = true;
        break;
      }
      const head = source.slice(i + 1, k);
      if (resumed) {
        if (ended) push(T.Template, '');
      } else if (ended) {
        onString(head, true, false);
        push(T.String, head);
      } else if (pendingCall && back[0]!.v === '(') {
        // `import(`./locale/${name}.js`)`: every file the pattern can name. When the rest of the
        // template is plain (no nesting), keep its literal parts; otherwise everything under the head.
        const tail = source.indexOf('`', k);
        const whole = tail === -1 ? '' : source.slice(i + 1, tail);
        const plain = tail !== -1 && !/\$\{[^}]*[`{]/.test(whole) && !/\\/.test(whole);
        onString(plain ? whole.replace(/\$\{[^}]*\}/g, '*') : head + '*', true, true);
        push(T.Template, '');
      } else {
        group = [];
        push(T.Template, '');
      }
      if (ended) {
        i = k + 1;
      } else {
        templateStack.push(braceDepth);
        i = k + 2;
      }
      continue;
    }
    // Identifiers and keywords.
    if (isIdentStart(c)) {
      let k = i + 1;
      while (k < n && isIdentPart(source.charCodeAt(k))) k++;
      // Only short words matter (keywords, require, jest, vi…): longer ones are not kept.
      const word = k - i <= 24 ? source.slice(i, k) : '';
      i = k;
      nonLiteral(word);
      const memberAccess = back[0]!.t === T.Punct && back[0]!.v === '.';
      if (pendingType) {
        pendingType = false;
        if (word !== 'from') statementTypeOnly = true;
      }
      if (!memberAccess && (word === 'import' || word === 'export')) {
        statementTypeOnly = false;
      } else if (word === 'type' && (back[0]!.v === 'import' || back[0]!.v === 'export') && back[0]!.t === T.Ident) {
        pendingType = true;
      }
      push(T.Ident, word);
      continue;
    }
    // Numbers.
    if (c >= 48 && c <= 57) {
      let k = i + 1;
      while (k < n && (isIdentPart(source.charCodeAt(k)) || source.charCodeAt(k) === 46)) k++;
      nonLiteral(source.slice(i, k));
      i = k;
      push(T.Number, '');
      continue;
    }
    // Punctuation.
    const ch = source[i]!;
    i++;
    if (pendingType && (ch === ',' || ch === '=')) pendingType = false;
    else if (pendingType) {
      pendingType = false;
      statementTypeOnly = ch === '{' || ch === '*';
    }
    if (ch === '{') braceDepth++;
    else if (ch === '}') braceDepth--;
    else if (ch === ';') statementTypeOnly = false;
    if (ch !== ',' && ch !== '(') {
      if (ch !== ')') group = [];
    }
    if (ch === ')' && pendingCall) pendingCall = null;
    else nonLiteral(ch);
    push(T.Punct, ch);
    if (ch === '(') {
      const kind = callKind();
      if (kind) pendingCall = { kind, line, glob: back[1]!.v === 'glob' };
      group = [];
    }
  }
  if (templateStack.length > 0) unsure = true;
  return { refs: dedupe(refs), dynamic: dynamic.map((d) => ({ ...d, text: detach(d.text) })), unsure };
}
