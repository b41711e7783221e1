// Symbol tables of JavaScript/TypeScript files, for select's symbol-level selection (issue 15): per
// file, its top-level definitions and the names each one's code references, what its module-level
// code runs at import, what it imports and exports under which names (ES modules and CommonJS),
// and a fingerprint of each function body and of everything else, so that two versions of a file
// can be compared part by part. A small tokenizer of its own (strings, templates, regular
// expressions, comments) and a reader of top-level statements: loading TypeScript's parser would
// cost every run that meets a changed script more than reading the few files the walk needs.
// Whatever the reader does not recognise stays module-level code, so doubt widens: a change
// there selects like a change of the whole file.
import { createHash } from 'node:crypto';

/** What one file defines, references, imports and exports. */
export interface JsSymbolTable {
  error?: string;
  /** Top-level definitions: the names each one's code references (`a`, `ns.member`), and a fingerprint of its function bodies ('' when it has none). */
  defs: Record<string, { refs: string[]; body: string; doubt: boolean }>;
  /** A fingerprint of everything outside function bodies (imports, statements, signatures, class fields). */
  module: string;
  /** [local name, specifier, imported name; null for the module as a whole (a namespace, a CommonJS require)] */
  imports: Array<[string, string, string | null]>;
  /** [exported name, local name] for local exports; [exported, null, specifier, imported] for re-exports ('*' imported: the namespace); ['*', null, specifier, null] for `export *`. */
  exports: Array<[string, string | null, string?, (string | null)?]>;
  /** CommonJS: the local definition `module.exports` is (a name, or 'module.exports' for an expression), and a module it re-exports whole. */
  cjsWhole: string | null;
  cjsReexport: string | null;
  /** Names the module-level code reads or runs at import. */
  executed: string[];
  /** eval, new Function, a computed require/import, exports[x]: any name may be used. */
  doubt: boolean;
}

const enum K {
  Ident,
  Punct,
  String,
  Template,
  Regex,
  Number,
}

interface Tokens {
  kind: K[];
  /** The token's text (strings: their value without quotes). */
  text: string[];
  /** Whether a line break precedes the token (for automatic semicolon insertion). */
  newline: boolean[];
}

const EXPRESSION_KEYWORDS = new Set(['return', 'typeof', 'case', 'do', 'else', 'in', 'of', 'new', 'delete', 'void', 'throw', 'instanceof', 'yield', 'await']);
const identStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 || c > 127;
const identPart = (c: number): boolean => identStart(c) || (c >= 48 && c <= 57);
const PUNCT3 = new Set(['...', '===', '!==', '**=', '<<=', '>>=', '>>>', '&&=', '||=', '??=']);
const PUNCT2 = new Set(['=>', '==', '!=', '<=', '>=', '&&', '||', '??', '?.', '++', '--', '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', '**', '<<']);

/** Tokens of a file; throws on text it cannot finish (an unterminated comment, string or template). */
function tokenize(source: string): Tokens {
  const kind: K[] = [];
  const text: string[] = [];
  const newline: boolean[] = [];
  let pendingNewline = false;
  const push = (k: K, t: string): void => {
    kind.push(k);
    text.push(t);
    newline.push(pendingNewline);
    pendingNewline = false;
  };
  const templates: number[] = []; // brace depth at each open substitution
  let depth = 0;
  let i = 0;
  const n = source.length;
  // The rest of a template from i (just after ` or the } closing a substitution).
  const templateRest = (): void => {
    let k = i;
    while (k < n) {
      const c = source.charCodeAt(k);
      if (c === 96) {
        push(K.Template, source.slice(i, k));
        i = k + 1;
        return;
      }
      if (c === 92) {
        k += 2;
        continue;
      }
      if (c === 36 && source.charCodeAt(k + 1) === 123) {
        push(K.Template, source.slice(i, k));
        templates.push(depth);
        i = k + 2;
        return;
      }
      k++;
    }
    throw new Error('unterminated template');
  };
  // Whether the last token ends an operand: then `/` divides and `<` compares or opens type arguments.
  const afterOperand = (): boolean => {
    const last = kind.length - 1;
    const prevKind = last >= 0 ? kind[last] : undefined;
    const prev = last >= 0 ? text[last]! : '';
    return (
      prevKind === K.Number ||
      prevKind === K.String ||
      prevKind === K.Template ||
      prevKind === K.Regex ||
      (prevKind === K.Ident && !EXPRESSION_KEYWORDS.has(prev)) ||
      (prevKind === K.Punct && (prev === ')' || prev === ']' || prev === '}'))
    );
  };
  while (i < n) {
    const c = source.charCodeAt(i);
    // A `<` where an expression starts is JSX (in a .js file too), a type assertion or a generic
    // arrow function: JSX text would be misread, so the file keeps the file rule.
    if (c === 60 && !afterOperand()) throw new Error('JSX or a type assertion');
    if (c === 10) {
      pendingNewline = true;
      i++;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff || c === 0xa0 || c === 0x2028 || c === 0x2029) {
      i++;
      continue;
    }
    if (c === 35 && i === 0 && source.charCodeAt(1) === 33) {
      // #! line
      const end = source.indexOf('\n');
      i = end === -1 ? n : end;
      continue;
    }
    if (c === 47) {
      const d = source.charCodeAt(i + 1);
      if (d === 47) {
        const end = source.indexOf('\n', i + 2);
        i = end === -1 ? n : end;
        continue;
      }
      if (d === 42) {
        const end = source.indexOf('*/', i + 2);
        if (end === -1) throw new Error('unterminated comment');
        if (source.slice(i, end).includes('\n')) pendingNewline = true;
        i = end + 2;
        continue;
      }
      if (!afterOperand()) {
        let k = i + 1;
        let inClass = false;
        for (; k < n; k++) {
          const e = source.charCodeAt(k);
          if (e === 10) throw new Error('unterminated regular expression');
          if (e === 92) k++;
          else if (e === 91) inClass = true;
          else if (e === 93) inClass = false;
          else if (e === 47 && !inClass) break;
        }
        k++;
        while (k < n && identPart(source.charCodeAt(k))) k++;
        push(K.Regex, source.slice(i, k));
        i = k;
        continue;
      }
    }
    if (c === 39 || c === 34) {
      let k = i + 1;
      for (; k < n; k++) {
        const e = source.charCodeAt(k);
        if (e === c) break;
        if (e === 92) k++;
        else if (e === 10) throw new Error('unterminated string');
      }
      if (k >= n) throw new Error('unterminated string');
      push(K.String, source.slice(i + 1, k));
      i = k + 1;
      continue;
    }
    if (c === 96) {
      i++;
      templateRest();
      continue;
    }
    if (c === 125 && templates.length > 0 && templates[templates.length - 1] === depth) {
      templates.pop();
      i++;
      templateRest();
      continue;
    }
    if (identStart(c) || c === 35 /* #private */ || c === 64 /* @decorator */) {
      let k = i + 1;
      while (k < n && identPart(source.charCodeAt(k))) k++;
      push(K.Ident, source.slice(i, k));
      i = k;
      continue;
    }
    if (c >= 48 && c <= 57) {
      let k = i + 1;
      while (k < n && (identPart(source.charCodeAt(k)) || source.charCodeAt(k) === 46)) k++;
      push(K.Number, source.slice(i, k));
      i = k;
      continue;
    }
    if (c === 46 && source.charCodeAt(i + 1) >= 48 && source.charCodeAt(i + 1) <= 57) {
      let k = i + 1;
      while (k < n && identPart(source.charCodeAt(k))) k++;
      push(K.Number, source.slice(i, k));
      i = k;
      continue;
    }
    const three = source.slice(i, i + 3);
    const two = source.slice(i, i + 2);
    const punct = PUNCT3.has(three) ? three : PUNCT2.has(two) && !(two === '?.' && /[0-9]/.test(source[i + 2] ?? '')) ? two : source[i]!;
    if (punct === '{') depth++;
    else if (punct === '}') depth--;
    push(K.Punct, punct);
    i += punct.length;
  }
  if (templates.length > 0) throw new Error('unterminated template');
  return { kind, text, newline };
}

const sha = (parts: string[]): string => createHash('sha1').update(parts.join('\u0001')).digest('base64').slice(0, 16);

// Tokens after which an expression goes on across a line break (no automatic semicolon).
const CONTINUES = new Set(['=', '(', '[', ',', ':', '?', '.', '?.', '+', '-', '*', '/', '%', '&', '|', '^', '!', '~', '<', '>', '=>', '&&', '||', '??', '==', '===', '!=', '!==', '<=', '>=', '+=', '-=', '*=', '/=', '**', '<<', '>>', '>>>', '...']);
const DOUBT_CALLS = new Set(['eval', 'Function']);
// Words that never name a binding: not kept as references.
const KEYWORDS = new Set(['break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'export', 'extends', 'finally', 'for', 'function', 'if', 'in', 'instanceof', 'let', 'new', 'return', 'static', 'super', 'switch', 'this', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'yield', 'async', 'await', 'of', 'get', 'set', 'as', 'from', 'type', 'interface', 'implements', 'private', 'public', 'protected', 'readonly', 'declare', 'abstract', 'enum', 'namespace', 'null', 'true', 'false', 'undefined', 'string', 'number', 'boolean', 'any', 'unknown', 'never', 'object', 'keyof', 'satisfies', 'is', 'infer', 'override', 'accessor']);

/** The table of a file that cannot be read by name: the file rule applies to it and its users. */
const unreadable = (error: string): JsSymbolTable => ({ error, defs: {}, module: '', imports: [], exports: [], cjsWhole: null, cjsReexport: null, executed: [], doubt: true });

/** The table of `file`: JSX text and the markup of .vue/.svelte/.astro files would be misread by the tokenizer, so those keep the file rule. */
export const analyseJsFile = (file: string, source: string): JsSymbolTable => (/\.[cm]?[jt]s$/.test(file) ? analyseJs(source) : unreadable('JSX or markup is not read by name'));

/** Reads a file into its symbol table; a file the tokenizer cannot finish gets `error` (the file rule applies). */
export function analyseJs(source: string): JsSymbolTable {
  let tokens: Tokens;
  try {
    tokens = tokenize(source);
  } catch (error) {
    return unreadable((error as Error).message);
  }
  const { kind, text, newline } = tokens;
  const n = kind.length;
  const isPunct = (k: number, value: string): boolean => k < n && kind[k] === K.Punct && text[k] === value;
  const isWord = (k: number, value: string): boolean => k < n && kind[k] === K.Ident && text[k] === value;
  // Matching closer of each bracket. Brackets that do not pair up mean the tokens were misread
  // (JSX text, a regular expression taken for a division): the whole file keeps the file rule.
  const closers = new Int32Array(n).fill(-1);
  {
    const stack: number[] = [];
    const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    for (let k = 0; k < n; k++) {
      if (kind[k] !== K.Punct) continue;
      const t = text[k]!;
      if (t === '(' || t === '[' || t === '{') stack.push(k);
      else if (t === ')' || t === ']' || t === '}') {
        const open = stack.pop();
        if (open === undefined || text[open] !== pairs[t]) return unreadable('unbalanced brackets');
        closers[open] = k;
      }
    }
    if (stack.length > 0) return unreadable('unbalanced brackets');
  }
  const close = (k: number): number => (closers[k]! >= 0 ? closers[k]! : n - 1);

  // owner[k]: the definition token k belongs to ('' for module-level code); body[k]: inside a function body.
  const owner: string[] = new Array<string>(n).fill('');
  const body = new Uint8Array(n);
  const imports: JsSymbolTable['imports'] = [];
  const exports: JsSymbolTable['exports'] = [];
  let cjsWhole: string | null = null;
  let cjsReexport: string | null = null;
  let doubt = false;
  const defNames = new Set<string>();
  // Parts of definitions that run at import (a declarator's value, a class's heritage and static
  // members): when one calls something, its references count as the module's import-time code.
  const evaluated: Array<[number, number]> = [];
  // Import and re-export statements and require bindings: what they name is in `imports`/`exports`, not a use.
  const quiet = new Uint8Array(n);
  const hush = (from: number, to: number): void => void quiet.fill(1, from, Math.min(to + 1, n));
  const own = (from: number, to: number, name: string): void => {
    defNames.add(name);
    for (let k = from; k <= to && k < n; k++) owner[k] = name;
  };

  // The `{` of a body after a parameter list closing at `k - 1` (a return type may come between), or -1.
  const bodyAfterParams = (k: number, arrow: boolean): number => {
    if (isPunct(k, ':')) {
      // Skip the return type: a `{` opens the body once the type is complete (after a name, `>`, `]`, `)`, `}` or a literal).
      k++;
      let angle = 0;
      for (; k < n; k++) {
        const t = text[k]!;
        if (kind[k] === K.Punct && (t === '(' || t === '[')) k = close(k);
        else if (t === '<' && kind[k] === K.Punct) angle++;
        else if (t === '>' && kind[k] === K.Punct) angle--;
        else if (arrow && t === '=>' && angle <= 0) break;
        else if (t === '{' && kind[k] === K.Punct) {
          const prev = text[k - 1]!;
          if (angle <= 0 && (kind[k - 1] !== K.Punct || prev === '>' || prev === ']' || prev === ')' || prev === '}')) break;
          k = close(k);
        } else if (t === ';' || t === '=') return -1;
      }
    }
    if (arrow) {
      if (!isPunct(k, '=>')) return -1;
      k++;
    }
    return isPunct(k, '{') ? k : -1;
  };
  // A function-like value starting at k: `function …(…) {…}`, `(…) => {…}`, `x => {…}`, `async …`; [body open, body close] or null.
  const functionValue = (k: number): [number, number] | null => {
    if (isWord(k, 'async') && !newline[k + 1]) k++;
    if (isWord(k, 'function')) {
      k++;
      if (isPunct(k, '*')) k++;
      if (kind[k] === K.Ident && !isPunct(k, '(')) k++;
      if (isPunct(k, '<')) while (k < n && !isPunct(k, '(')) k++;
      if (!isPunct(k, '(')) return null;
      const open = bodyAfterParams(close(k) + 1, false);
      return open === -1 ? null : [open, close(open)];
    }
    if (isPunct(k, '<')) while (k < n && !isPunct(k, '(')) k++;
    if (isPunct(k, '(')) {
      const open = bodyAfterParams(close(k) + 1, true);
      return open === -1 ? null : [open, close(open)];
    }
    if (kind[k] === K.Ident && isPunct(k + 1, '=>') && isPunct(k + 2, '{')) return [k + 2, close(k + 2)];
    return null;
  };
  // Whether the statement ends right after token k (so a function value there is only defined, not called or combined).
  const endsAfter = (k: number): boolean => {
    const next = k + 1;
    if (next >= n) return true;
    if (isPunct(next, ';') || isPunct(next, ',')) return true;
    return newline[next]! && (kind[next] === K.Ident || kind[next] === K.String) && !['in', 'instanceof', 'as', 'satisfies'].includes(text[next]!);
  };
  // The end of the statement starting at k: a `;` at depth 0, or a line break where the expression cannot go on.
  const statementEnd = (k: number): number => {
    for (let j = k; j < n; j++) {
      const t = text[j]!;
      if (kind[j] === K.Punct && (t === '(' || t === '[' || t === '{')) {
        j = close(j);
        if (j + 1 < n && newline[j + 1] && !CONTINUES.has(text[j + 1]!) && !(kind[j + 1] === K.Punct && CONTINUES.has(text[j + 1]!)) && text[j] === '}') return j;
        continue;
      }
      if (isPunct(j, ';')) return j;
      if (j + 1 < n && newline[j + 1]) {
        const next = text[j + 1]!;
        const nextContinues = kind[j + 1] === K.Punct && (CONTINUES.has(next) || next === ')' || next === ']' || next === '}');
        const thisContinues = kind[j] === K.Punct && CONTINUES.has(t);
        const keywordContinues = kind[j] === K.Ident && EXPRESSION_KEYWORDS.has(t);
        if (!nextContinues && !thisContinues && !keywordContinues && !['in', 'instanceof', 'as', 'satisfies'].includes(next)) return j;
      }
    }
    return n - 1;
  };
  // A class body from `{` at k: method bodies are bodies of `name`; fields, static blocks and the rest are module-level.
  const classBody = (openAt: number, name: string): void => {
    const end = close(openAt);
    for (let k = openAt + 1; k < end; k++) {
      if (isPunct(k, '(') && k > openAt + 1 && !isPunct(k - 1, '=') && (kind[k - 1] === K.Ident || kind[k - 1] === K.String || isPunct(k - 1, ']') || isPunct(k - 1, '>') || isPunct(k - 1, '?') || isPunct(k - 1, '!'))) {
        // A method: name (…) [: type] { body }. A `(` after `=` or inside a field value is skipped below.
        const open = bodyAfterParams(close(k) + 1, false);
        if (open !== -1) {
          for (let j = open; j <= close(open); j++) body[j] = 1;
          k = close(open);
          continue;
        }
        k = close(k);
        continue;
      }
      if (isPunct(k, '=')) {
        // A field's value: up to its end (arrow functions there stay module-level: conservative).
        let j = k + 1;
        for (; j < end; j++) {
          const t = text[j]!;
          if (kind[j] === K.Punct && (t === '(' || t === '[' || t === '{')) {
            j = close(j);
            continue;
          }
          if (isPunct(j, ';')) break;
          if (newline[j + 1] && !(kind[j] === K.Punct && CONTINUES.has(t)) && !(kind[j + 1] === K.Punct && CONTINUES.has(text[j + 1]!))) break;
        }
        k = j;
        continue;
      }
      if (kind[k] === K.Punct && (text[k] === '{' || text[k] === '[')) k = close(k); // static blocks, computed names
    }
    own(openAt, end, name);
  };

  let k = 0;
  let statementStart = true;
  while (k < n) {
    const start = k;
    if (!statementStart) {
      // Inside module-level code that is not a statement we read: skip to its end.
      if (kind[k] === K.Punct && (text[k] === '(' || text[k] === '[' || text[k] === '{')) k = close(k);
      statementStart = isPunct(k, ';') || isPunct(k, '}') || (k + 1 < n && newline[k + 1]! && !(kind[k] === K.Punct && CONTINUES.has(text[k]!)) && !(kind[k + 1] === K.Punct && CONTINUES.has(text[k + 1]!)));
      k++;
      continue;
    }
    statementStart = false;
    let j = k;
    let exported = false;
    let exportDefault = false;
    if (isWord(j, 'export')) {
      exported = true;
      j++;
      if (isWord(j, 'default')) {
        exportDefault = true;
        j++;
      }
    }
    while (isWord(j, 'declare') || isWord(j, 'abstract') || (kind[j] === K.Ident && text[j]!.startsWith('@'))) {
      if (text[j]!.startsWith('@') && isPunct(j + 1, '(')) j = close(j + 1);
      j++;
    }
    // import … from '…' / import '…' / import x = require('…')
    if (isWord(j, 'import') && !exported && !isPunct(j + 1, '(') && !isPunct(j + 1, '.')) {
      const end = statementEnd(j);
      let spec: string | null = null;
      for (let q = j + 1; q <= end; q++) if (kind[q] === K.String && (isWord(q - 1, 'from') || q === j + 1 || isPunct(q - 1, '('))) spec = text[q]!;
      if (spec !== null) {
        let q = j + 1;
        if (isWord(q, 'type') && !isPunct(q + 1, ',') && !isWord(q + 1, 'from')) q++;
        if (kind[q] === K.Ident && !isWord(q, 'from')) {
          // default import, or `import x = require('…')`
          imports.push([text[q]!, spec, isPunct(q + 1, '=') ? null : 'default']);
          q++;
          if (isPunct(q, ',')) q++;
        }
        if (isPunct(q, '*') && isWord(q + 1, 'as')) imports.push([text[q + 2]!, spec, null]);
        if (isPunct(q, '{')) {
          for (let r = q + 1; r < close(q); r++) {
            if (isWord(r, 'type') && kind[r + 1] === K.Ident && !isPunct(r + 1, ',')) r++;
            const name = text[r]!;
            if (isWord(r + 1, 'as')) {
              imports.push([text[r + 2]!, spec, name]);
              r += 2;
            } else if (kind[r] === K.Ident || kind[r] === K.String) imports.push([name, spec, name]);
            while (r + 1 < close(q) && !isPunct(r + 1, ',')) r++;
            r++;
          }
        }
        if (q === j + 1 && kind[q] === K.String) imports.push(['', spec, null]); // side effect: the module runs
        hush(start, end);
      }
      k = end + 1;
      statementStart = true;
      continue;
    }
    // export { a, b as c } [from '…'] / export * [as ns] from '…'
    if (exported && !exportDefault && (isPunct(j, '{') || isPunct(j, '*') || (isWord(j, 'type') && isPunct(j + 1, '{')))) {
      if (isWord(j, 'type')) j++;
      const end = statementEnd(j);
      const from = isWord(isPunct(j, '{') ? close(j) + 1 : isWord(j + 1, 'as') ? j + 3 : j + 1, 'from') ? text[(isPunct(j, '{') ? close(j) + 1 : isWord(j + 1, 'as') ? j + 3 : j + 1) + 1] : undefined;
      if (isPunct(j, '*')) {
        if (from !== undefined) exports.push(isWord(j + 1, 'as') ? [text[j + 2]!, null, from, '*'] : ['*', null, from, null]);
      } else {
        for (let r = j + 1; r < close(j); r++) {
          if (isWord(r, 'type') && kind[r + 1] === K.Ident && !isPunct(r + 1, ',')) r++;
          const name = text[r]!;
          let as = name;
          if (isWord(r + 1, 'as')) {
            as = text[r + 2]!;
            r += 2;
          }
          if (from !== undefined) exports.push([as, null, from, name]);
          else exports.push([as, name]);
          while (r + 1 < close(j) && !isPunct(r + 1, ',')) r++;
          r++;
        }
      }
      hush(start, end);
      k = end + 1;
      statementStart = true;
      continue;
    }
    // TS `export =` / `export as namespace`: the CommonJS form.
    if (exported && isPunct(j, '=')) {
      const end = statementEnd(j);
      if (kind[j + 1] === K.Ident && end === j + 1 + (isPunct(j + 2, ';') ? 1 : 0)) {
        cjsWhole = text[j + 1]!;
        hush(start, end);
      } else {
        cjsWhole = 'module.exports';
        own(start, end, 'module.exports');
        evaluated.push([start, end]);
      }
      k = end + 1;
      statementStart = true;
      continue;
    }
    // function declarations
    if (isWord(j, 'function') || (isWord(j, 'async') && isWord(j + 1, 'function'))) {
      let q = isWord(j, 'async') ? j + 2 : j + 1;
      if (isPunct(q, '*')) q++;
      const name = kind[q] === K.Ident && !isPunct(q, '(') ? text[q]! : 'default';
      const value = functionValue(j);
      const end = value ? value[1] : statementEnd(j);
      if (value) for (let r = value[0]; r <= value[1]; r++) body[r] = 1;
      own(start, end, name);
      if (exported) exports.push([exportDefault ? 'default' : name, name]);
      k = end + 1;
      statementStart = true;
      continue;
    }
    // class declarations
    if (isWord(j, 'class')) {
      const name = kind[j + 1] === K.Ident && !['extends', 'implements'].includes(text[j + 1]!) && !isPunct(j + 1, '{') ? text[j + 1]! : 'default';
      let q = j + 1;
      while (q < n && !isPunct(q, '{')) q = kind[q] === K.Punct && (text[q] === '(' || text[q] === '[') ? close(q) + 1 : q + 1;
      if (q >= n) break;
      // The heritage (`extends X`), decorators and the class fields run at import: module-level, and the class's references.
      classBody(q, name);
      own(start, q, name);
      evaluated.push([start, q]);
      // What of the body runs when the class is defined: decorators, computed member names, static
      // blocks and static field values. Method names and parameter lists are not calls: read as
      // such, every method name of a class with one static member became code run at import.
      for (let r = q + 1; r < close(q); r++) {
        if (body[r]) continue;
        if (kind[r] === K.Ident && text[r]!.startsWith('@')) {
          let e = r;
          while (isPunct(e + 1, '.') && kind[e + 2] === K.Ident) e += 2;
          if (isPunct(e + 1, '(')) e = close(e + 1);
          evaluated.push([r, e]);
          r = e;
        } else if (isPunct(r, '[')) {
          evaluated.push([r, close(r)]);
          r = close(r);
        } else if (isWord(r, 'static') && isPunct(r + 1, '{')) {
          evaluated.push([r, close(r + 1)]);
          r = close(r + 1);
        } else if (isWord(r, 'static')) {
          // A static field's value, up to its end; a static method's signature is skipped.
          let e = r + 1;
          while (e < close(q) && !isPunct(e, '=') && !isPunct(e, ';') && !isPunct(e, '(') && !isPunct(e, '{') && !(newline[e] && e > r + 2)) e++;
          if (!isPunct(e, '=')) continue;
          for (e++; e < close(q); e++) {
            if (kind[e] === K.Punct && (text[e] === '(' || text[e] === '[' || text[e] === '{')) {
              e = close(e);
              continue;
            }
            if (isPunct(e, ';')) break;
            if (newline[e + 1] && !(kind[e] === K.Punct && CONTINUES.has(text[e]!)) && !(kind[e + 1] === K.Punct && CONTINUES.has(text[e + 1]!))) break;
          }
          evaluated.push([r, Math.min(e, close(q) - 1)]);
          r = e;
        }
      }
      if (exported) exports.push([exportDefault ? 'default' : name, name]);
      k = close(q) + 1;
      statementStart = true;
      continue;
    }
    // const/let/var declarations (with `export`)
    if ((isWord(j, 'const') || isWord(j, 'let') || isWord(j, 'var')) && !isPunct(j + 1, '(')) {
      if (isWord(j, 'const') && isWord(j + 1, 'enum')) j++;
      const end = statementEnd(j);
      let q = j + 1;
      while (q <= end) {
        // One declarator: name [: type] = value, or a destructuring pattern.
        const pattern = isPunct(q, '{') || isPunct(q, '[') ? q : -1;
        const name = pattern === -1 ? text[q]! : '';
        let eq = pattern === -1 ? q + 1 : close(q) + 1;
        if (isPunct(eq, ':') || isPunct(eq, '!')) {
          // a type annotation: up to `=` or `,` at depth 0
          while (eq <= end && !isPunct(eq, '=') && !isPunct(eq, ',')) eq = kind[eq] === K.Punct && ['(', '[', '{'].includes(text[eq]!) ? close(eq) + 1 : eq + 1;
        }
        let valueEnd = eq;
        if (isPunct(eq, '=')) {
          valueEnd = eq + 1;
          while (valueEnd <= end && !isPunct(valueEnd, ',') && !isPunct(valueEnd, ';')) valueEnd = kind[valueEnd] === K.Punct && ['(', '[', '{'].includes(text[valueEnd]!) ? close(valueEnd) + 1 : valueEnd + 1;
          valueEnd--;
        }
        const v = eq + 1;
        // require('…') as a binding: x = require('m'), { a, b: c } = require('m'), x = require('m').y
        const required = isWord(v, 'require') && isPunct(v + 1, '(') && kind[v + 2] === K.String && isPunct(v + 3, ')') ? text[v + 2]! : null;
        if (required !== null && pattern === -1 && valueEnd === v + 3) {
          imports.push([name, required, null]);
          hush(q, valueEnd);
        } else if (required !== null && pattern === -1 && valueEnd === v + 5 && isPunct(v + 4, '.') && kind[v + 5] === K.Ident) {
          imports.push([name, required, text[v + 5]!]);
          hush(q, valueEnd);
        } else if (required !== null && pattern !== -1 && isPunct(pattern, '{') && valueEnd === v + 3) {
          hush(q, valueEnd);
          for (let r = pattern + 1; r < close(pattern); r++) {
            if (kind[r] !== K.Ident) continue;
            if (isPunct(r + 1, ':') && kind[r + 2] === K.Ident) {
              imports.push([text[r + 2]!, required, text[r]!]);
              r += 2;
            } else imports.push([text[r]!, required, text[r]!]);
            while (r + 1 < close(pattern) && !isPunct(r + 1, ',')) r = kind[r + 1] === K.Punct && ['(', '[', '{'].includes(text[r + 1]!) ? close(r + 1) : r + 1;
          }
        } else if (pattern !== -1) {
          // A destructuring of something else: each name is module-level data.
          for (let r = pattern + 1; r < close(pattern); r++) if (kind[r] === K.Ident && !isPunct(r + 1, ':')) own(r, r, text[r]!);
        } else {
          const fn = isPunct(eq, '=') ? functionValue(v) : null;
          if (fn && fn[1] === valueEnd && (endsAfter(fn[1]) || fn[1] === end)) for (let r = fn[0]; r <= fn[1]; r++) body[r] = 1;
          else evaluated.push([q, valueEnd]);
          own(q, valueEnd, name);
          // var app = exports = module.exports = {}: the module's exports are this definition.
          for (let r = v; r < valueEnd; r++) if ((isWord(r, 'module') && isPunct(r + 1, '.') && isWord(r + 2, 'exports') && isPunct(r + 3, '=')) || (isWord(r, 'exports') && isPunct(r + 1, '=') && !isPunct(r - 1, '.'))) cjsWhole = name;
          if (exported) exports.push([name, name]);
        }
        q = valueEnd + 1;
        if (isPunct(q, ',')) q++;
        else break;
      }
      // The declaration keyword and punctuation belong to the module; the declarators own their spans.
      k = end + 1;
      statementStart = true;
      continue;
    }
    // export default <expression>
    if (exportDefault) {
      const end = statementEnd(j);
      if (kind[j] === K.Ident && (end === j || (end === j + 1 && isPunct(j + 1, ';')))) {
        exports.push(['default', text[j]!]);
        hush(start, end);
      } else {
        const fn = functionValue(j);
        if (fn && fn[1] === end - (isPunct(end, ';') ? 1 : 0)) for (let r = fn[0]; r <= fn[1]; r++) body[r] = 1;
        else evaluated.push([j, end]);
        own(j, end, 'default');
        exports.push(['default', 'default']);
      }
      k = end + 1;
      statementStart = true;
      continue;
    }
    // TS enums, namespaces: definitions whose bodies run at import.
    if ((isWord(j, 'enum') || isWord(j, 'namespace') || isWord(j, 'module')) && kind[j + 1] === K.Ident && isPunct(j + 2, '{')) {
      own(start, close(j + 2), text[j + 1]!);
      evaluated.push([start, close(j + 2)]);
      if (exported) exports.push([text[j + 1]!, text[j + 1]!]);
      k = close(j + 2) + 1;
      statementStart = true;
      continue;
    }
    // Type-only declarations: no code.
    if ((isWord(j, 'interface') || isWord(j, 'type')) && kind[j + 1] === K.Ident && !isPunct(j + 1, '(') && !isPunct(j + 1, '.')) {
      const end = isWord(j, 'interface') ? (() => {
        let q = j + 1;
        while (q < n && !isPunct(q, '{')) q++;
        return close(q);
      })() : statementEnd(j);
      // A type has no code: a definition with no references and no body, so that importing it reaches nothing.
      defNames.add(text[j + 1]!);
      if (exported) exports.push([text[j + 1]!, text[j + 1]!]);
      k = end + 1;
      statementStart = true;
      continue;
    }
    // Assignments: module.exports = …, exports.x = …, X.y = function …, X.prototype.y = function …
    if (kind[j] === K.Ident && (isPunct(j + 1, '.') || isPunct(j + 1, '='))) {
      let q = j;
      const path: string[] = [text[q]!];
      while (isPunct(q + 1, '.') && kind[q + 2] === K.Ident) {
        path.push(text[q + 2]!);
        q += 2;
      }
      if (isPunct(q + 1, '=') && !exported) {
        const end = statementEnd(j);
        const target = path.join('.');
        let v = q + 2;
        // exports = module.exports = x: every target of the chain
        const targets = [target];
        while (kind[v] === K.Ident && (isPunct(v + 1, '=') || (isPunct(v + 1, '.') && isWord(v + 2, 'exports') && isPunct(v + 3, '=')))) {
          targets.push(isPunct(v + 1, '=') ? text[v]! : `${text[v]}.exports`);
          v += isPunct(v + 1, '=') ? 2 : 4;
        }
        const whole = targets.some((t) => t === 'module.exports' || t === 'exports');
        const named = targets.map((t) => /^(module\.)?exports\.(\w+)$/.exec(t)?.[2]).find((x) => x !== undefined);
        const valueEnd = isPunct(end, ';') ? end - 1 : end;
        const fn = functionValue(v);
        const defined = fn !== null && fn[1] === valueEnd;
        let name: string | null = null;
        if (whole) {
          if (kind[v] === K.Ident && valueEnd === v) {
            cjsWhole = text[v]!;
            hush(j, end);
          } else if (isWord(v, 'require') && isPunct(v + 1, '(') && kind[v + 2] === K.String && valueEnd === v + 3) {
            cjsReexport = text[v + 2]!;
            hush(j, end);
          }
          else {
            name = 'module.exports';
            cjsWhole = name;
            if (isPunct(v, '{') && close(v) === valueEnd) {
              // module.exports = { a, b: c, d() {} }: each key names a definition of its own
              for (let r = v + 1; r < valueEnd; r++) {
                if ((kind[r] === K.Ident || kind[r] === K.String) && (isPunct(r + 1, ',') || isPunct(r + 1, '}'))) exports.push([text[r]!, text[r]!]);
                else if ((kind[r] === K.Ident || kind[r] === K.String) && isPunct(r + 1, ':') && kind[r + 2] === K.Ident && (isPunct(r + 3, ',') || isPunct(r + 3, '}'))) exports.push([text[r]!, text[r + 2]!]);
                else if (kind[r] === K.Ident || kind[r] === K.String) exports.push([text[r]!, 'module.exports']);
                while (r < valueEnd && !isPunct(r + 1, ',')) r = kind[r + 1] === K.Punct && ['(', '[', '{'].includes(text[r + 1]!) ? close(r + 1) : r + 1;
                r++;
              }
            }
          }
        } else if (named !== undefined) {
          name = `exports.${named}`;
          exports.push([named, name]);
        } else if (path.length > 1 && defNames.has(path[0]!)) name = path[0]!; // app.init = function …: part of app
        else if (path.length > 1 && /^[A-Z]/.test(path[0]!) && path[1] === 'prototype') name = path[0]!;
        if (name !== null) {
          if (defined && fn) for (let r = fn[0]; r <= fn[1]; r++) body[r] = 1;
          else evaluated.push([j, end]);
          own(j, end, name);
        }
        k = end + 1;
        statementStart = true;
        continue;
      }
      if (isPunct(j + 1, '[') || path.slice(0, 2).join('.') === 'module.exports' || path[0] === 'exports') {
        // exports[name] = …: exports no list can name
        if (/^(module\.)?exports$/.test(path.slice(0, 2).join('.')) || path[0] === 'exports') doubt = true;
      }
    }
    // Anything else is module-level code.
    k = start;
  }

  // References: identifiers not read as a property, and `a.b` pairs; doubt where names are computed.
  const runs = new Uint8Array(n);
  for (const [from, to] of evaluated) {
    let calls = false;
    for (let q = from; q <= to && q < n && !calls; q++) {
      if (body[q]) continue;
      if (isPunct(q, '(') && ((kind[q - 1] === K.Ident && !['if', 'for', 'while', 'switch', 'catch', 'function', 'return'].includes(text[q - 1]!)) || isPunct(q - 1, ')') || isPunct(q - 1, ']'))) calls = true;
      else if (isWord(q, 'new') || (kind[q] === K.Template && kind[q - 1] === K.Ident)) calls = true;
    }
    if (calls) for (let q = from; q <= to && q < n; q++) runs[q] = 1;
  }
  const refs = new Map<string, Set<string>>();
  const bodies = new Map<string, string[]>();
  const defDoubt = new Set<string>();
  const skeleton: string[] = [];
  let alsoModule = false;
  const add = (name: string, ref: string): void => {
    // (a definition's own name, read where it is defined, runs nothing)
    for (const key of alsoModule && name !== '' && ref !== name && !ref.startsWith(`${name}.`) ? [name, ''] : [name]) {
      let set = refs.get(key);
      if (!set) refs.set(key, (set = new Set()));
      set.add(ref);
    }
  };
  for (let q = 0; q < n; q++) {
    const name = owner[q]!;
    const t = text[q]!;
    alsoModule = runs[q] === 1 && !body[q] && name !== '';
    if (body[q]) {
      let list = bodies.get(name);
      if (!list) bodies.set(name, (list = []));
      list.push(`${kind[q]}${t}`);
    } else skeleton.push(`${kind[q]}${t}`);
    if (quiet[q]) continue;
    if (kind[q] !== K.Ident) {
      // A string right after require( / import( is a module used as a whole.
      if (kind[q] === K.String && isPunct(q - 1, '(') && (isWord(q - 2, 'require') || isWord(q - 2, 'import')) && !isPunct(q - 3, '.')) {
        const member = isPunct(q + 1, ')') && isPunct(q + 2, '.') && kind[q + 3] === K.Ident ? `.${text[q + 3]}` : '';
        add(name, `require:${t}${member}`);
      }
      continue;
    }
    if (isPunct(q - 1, '.') || isPunct(q - 1, '?.') || KEYWORDS.has(t)) continue;
    if ((DOUBT_CALLS.has(t) && isPunct(q + 1, '(')) || t === 'with') {
      if (name === '') doubt = true;
      else defDoubt.add(name);
    }
    if ((t === 'require' || t === 'import') && isPunct(q + 1, '(') && kind[q + 2] !== K.String) {
      if (name === '') doubt = true;
      else defDoubt.add(name);
    }
    // A decorator `@deco` reads the name `deco`.
    const word = t.startsWith('@') ? t.slice(1) : t;
    // ns[x]: a module object read by a computed name
    if (isPunct(q + 1, '[')) add(name, `${word}.*`);
    add(name, isPunct(q + 1, '.') && kind[q + 2] === K.Ident ? `${word}.${text[q + 2]}` : word);
  }
  const defs: JsSymbolTable['defs'] = {};
  for (const name of defNames) {
    defs[name] = { refs: [...(refs.get(name) ?? [])].sort(), body: bodies.has(name) ? sha(bodies.get(name)!) : '', doubt: defDoubt.has(name) };
  }
  return {
    defs,
    module: sha(skeleton),
    imports,
    exports,
    cjsWhole,
    cjsReexport,
    executed: [...(refs.get('') ?? [])].sort(),
    doubt,
  };
}

/** A node of the symbol graph: `file::name`; `file::` is the code the module runs at import, `file::*` the module as a whole. */
const node = (file: string, name: string): string => `${file}::${name}`;

export interface JsSymbolGraphInput {
  tables: Map<string, JsSymbolTable>;
  /** The repository file a specifier names from `from`; null for a package outside it; undefined when it does not resolve. */
  resolve: (from: string, specifier: string) => string | null | undefined;
  tests: Set<string>;
}

export interface JsSymbolGraph {
  /** Users of each symbol: target node → the nodes whose code references it. */
  users: Map<string, Set<string>>;
  /** Files whose uses cannot all be named (an import that does not resolve, eval, a computed require): the file rule. */
  doubtful: Set<string>;
  /** Per file, the repository files its imports and requires were resolved to (a graph edge none of them explains is a use of the whole module). */
  explained: Map<string, Set<string>>;
}

/** Links each JS/TS file's definitions to the symbols of other files they reference, through imports and re-exports. */
export function buildJsSymbolGraph(input: JsSymbolGraphInput): JsSymbolGraph {
  const { tables, resolve, tests } = input;
  const users = new Map<string, Set<string>>();
  const doubtful = new Set<string>();
  const link = (target: string, user: string): void => {
    if (target === user) return;
    let set = users.get(target);
    if (!set) users.set(target, (set = new Set()));
    set.add(user);
  };
  const resolved = new Map<string, string | null | undefined>();
  const explained = new Map<string, Set<string>>();
  const target = (from: string, specifier: string): string | null | undefined => {
    const key = `${from}\0${specifier}`;
    if (!resolved.has(key)) {
      const file = resolve(from, specifier);
      resolved.set(key, file);
      if (file) {
        let set = explained.get(from);
        if (!set) explained.set(from, (set = new Set()));
        set.add(file);
      }
    }
    return resolved.get(key);
  };

  // The nodes that hold module `file` as a whole: the module itself and every module it re-exports.
  const wholeNodes = (file: string, seen = new Set<string>()): string[] => {
    if (seen.has(file)) return [];
    seen.add(file);
    const out = [node(file, '*')];
    const table = tables.get(file);
    if (!table || table.error) return out;
    const sources = [...table.exports.filter((e) => e[2] !== undefined).map((e) => e[2]!), ...(table.cjsReexport ? [table.cjsReexport] : [])];
    for (const source of sources) {
      const next = target(file, source);
      if (next) out.push(...wholeNodes(next, seen));
    }
    return out;
  };
  // The nodes export `name` of module `file` stands for; [] when the module's exports are known and lack it.
  const exportNodes = (file: string, name: string, depth: number): string[] => {
    const table = tables.get(file);
    if (!table || table.error || depth > 16) return [node(file, '*')];
    const out: string[] = [];
    let found = false;
    for (const [exported, local, source, imported] of table.exports) {
      if (exported !== name) continue;
      found = true;
      if (local !== null) out.push(...localNodes(file, local, depth + 1));
      else if (source !== undefined) {
        const next = target(file, source);
        if (next) out.push(...(imported === '*' ? wholeNodes(next) : exportNodes(next, imported ?? name, depth + 1)));
        else if (next === undefined) out.push(node(file, '*'));
      }
    }
    if (found) return out;
    if (name === 'default' && (table.cjsWhole || table.cjsReexport)) return wholeNodes(file);
    if (table.cjsWhole) return [node(file, table.cjsWhole)];
    if (table.cjsReexport) {
      const next = target(file, table.cjsReexport);
      return next ? exportNodes(next, name, depth + 1) : [node(file, '*')];
    }
    const stars = table.exports.filter(([exported, , source]) => exported === '*' && source !== undefined);
    for (const [, , source] of stars) {
      const next = target(file, source!);
      if (next) {
        // Only the star modules that define the name; a name none defines is made at run time.
        if (defines(next, name, depth + 1)) out.push(...exportNodes(next, name, depth + 1));
      } else if (next === undefined) out.push(node(file, '*'));
    }
    if (out.length > 0) return out;
    // A script, exports no statement names (Object.defineProperty(exports, …), Object.assign), or a
    // name made at run time: the module and all it re-exports, as a whole.
    return wholeNodes(file);
  };
  // Whether module `file` exports `name` by a statement select reads (directly, or through its re-exports).
  const defines = (file: string, name: string, depth: number): boolean => {
    const table = tables.get(file);
    if (!table || table.error || depth > 16) return true;
    if (table.exports.some(([exported]) => exported === name)) return true;
    if (table.cjsWhole || table.cjsReexport) return true;
    const stars = table.exports.filter(([exported, , source]) => exported === '*' && source !== undefined);
    if (table.exports.length === 0) return true;
    return stars.some(([, , source]) => {
      const next = target(file, source!);
      return next === undefined || (next !== null && defines(next, name, depth + 1));
    });
  };
  // What a top-level name of `file` stands for: its own definition, or what an import binds it to.
  const localNodes = (file: string, name: string, depth: number): string[] => {
    const table = tables.get(file)!;
    const bindings = table.imports.filter(([local]) => local === name);
    if (bindings.length === 0) return table.defs[name] ? [node(file, name)] : [node(file, '*')];
    return bindings.flatMap(([, specifier, imported]) => {
      const next = target(file, specifier);
      if (next === null) return [];
      if (next === undefined) return [node(file, '*')];
      return imported === null ? wholeNodes(next) : exportNodes(next, imported, depth + 1);
    });
  };
  // The nodes a reference read in `file` (`a`, `ns.member`, `require:./x.member`) stands for; [] for globals and locals.
  const refNodes = (file: string, ref: string): string[] => {
    const table = tables.get(file)!;
    if (ref.startsWith('require:')) {
      const rest = ref.slice('require:'.length);
      const dot = rest.lastIndexOf('.');
      const hasMember = dot > 0 && !rest.slice(dot).includes('/') && /^\.[A-Za-z_$][\w$]*$/.test(rest.slice(dot));
      const specifier = hasMember ? rest.slice(0, dot) : rest;
      const next = target(file, specifier);
      if (next === null) return [];
      if (next === undefined) {
        doubtful.add(file);
        return [];
      }
      return hasMember ? exportNodes(next, rest.slice(dot + 1), 0) : wholeNodes(next);
    }
    const dot = ref.indexOf('.');
    const head = dot === -1 ? ref : ref.slice(0, dot);
    const member = dot === -1 ? null : ref.slice(dot + 1);
    const bindings = table.imports.filter(([local]) => local === head);
    if (bindings.length === 0) return table.defs[head] ? [node(file, head)] : [];
    const out: string[] = [];
    for (const [, specifier, imported] of bindings) {
      const next = target(file, specifier);
      if (next === null) continue;
      if (next === undefined) {
        doubtful.add(file);
        continue;
      }
      if (imported !== null) out.push(...exportNodes(next, imported, 0));
      else if (member !== null && member !== '*') out.push(...exportNodes(next, member, 0));
      else out.push(...wholeNodes(next));
    }
    return out;
  };

  for (const [file, table] of tables) {
    if (table.error) {
      doubtful.add(file);
      continue;
    }
    for (const [, specifier] of table.imports) target(file, specifier);
    const asWhole = tests.has(file);
    const userOf = (name: string): string => node(file, asWhole ? '' : name);
    const everyImport = (): string[] => table.imports.flatMap(([, specifier]) => {
      const next = target(file, specifier);
      return next ? wholeNodes(next) : [];
    });
    for (const [name, entry] of Object.entries(table.defs)) {
      const user = userOf(name);
      for (const ref of entry.refs) for (const found of refNodes(file, ref)) link(found, user);
      if (entry.doubt) for (const found of everyImport()) link(found, user);
    }
    for (const ref of table.executed) for (const found of refNodes(file, ref)) link(found, node(file, ''));
    // A module imported for its effects runs its module-level code: that rule covers it (a module start).
    for (const [local, specifier] of table.imports) if (local === '' && target(file, specifier) === undefined) doubtful.add(file);
    if (table.doubt) {
      doubtful.add(file);
      for (const found of everyImport()) link(found, node(file, ''));
    }
  }
  return { users, doubtful, explained };
}

/** What changed between two versions of a file: its module-level code, or only the bodies of these definitions. */
export type JsChange = { kind: 'module'; why: string } | { kind: 'bodies'; names: string[] };

export function classifyJsChange(before: JsSymbolTable | undefined, after: JsSymbolTable | undefined): JsChange {
  if (!before || !after) return { kind: 'module', why: 'the file is new or gone' };
  if (before.error || after.error) return { kind: 'module', why: 'it cannot be read on one side' };
  if (before.module !== after.module) return { kind: 'module', why: 'its module-level code changed' };
  const names: string[] = [];
  for (const [name, entry] of Object.entries(after.defs)) {
    const old = before.defs[name];
    if (!old) return { kind: 'module', why: `${name} is new` };
    if (old.body !== entry.body) names.push(name);
  }
  if (names.length === 0) return { kind: 'module', why: 'no function body differs' };
  return { kind: 'bodies', names };
}
