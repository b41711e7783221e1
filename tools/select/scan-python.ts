// Extracts the imports of a Python file with a small lexer (strings, triple quotes, comments,
// bracket continuation): `import a.b`, `from .x import y`, `importlib.import_module('a.b')`,
// `__import__('a')`, and string literals that look like paths (joined across `/` and `,`, as in
// `Path(__file__).parent / "data" / "x.json"` or `os.path.join(HERE, "data", "x.json")`).
import { type Ref, type ScanResult, dedupe, looksLikePath } from './scan-js.ts';

interface Token {
  /** i: identifier, s: string, p: punctuation, n: end of a logical line. */
  t: 'i' | 's' | 'p' | 'n';
  v: string;
  line: number;
  /** An f-string: its `{…}` parts are computed. */
  f?: true;
}

function lex(source: string): { tokens: Token[]; unsure: boolean } {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  let line = 1;
  let depth = 0;
  let unsure = false;
  let fString = false;
  while (i < n) {
    const c = source[i]!;
    if (c === '\n') {
      if (depth === 0) tokens.push({ t: 'n', v: '', line });
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '\\' && source[i + 1] === '\n') {
      line++;
      i += 2;
      continue;
    }
    if (c === '#') {
      const end = source.indexOf('\n', i);
      i = end === -1 ? n : end;
      continue;
    }
    if (/[A-Za-z_\u0080-\uffff]/.test(c)) {
      let k = i + 1;
      while (k < n && /[\w\u0080-\uffff]/.test(source[k]!)) k++;
      const word = source.slice(i, k);
      const quote = source[k];
      if ((quote === '"' || quote === "'") && /^[rbuf]{1,2}$/i.test(word)) {
        fString = /f/i.test(word);
        i = k; // a string prefix: the string follows
        continue;
      }
      tokens.push({ t: 'i', v: word, line });
      i = k;
      continue;
    }
    if (c === '"' || c === "'") {
      const triple = source.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let k = i + close.length;
      const startLine = line;
      let value = '';
      while (k < n) {
        const e = source[k]!;
        if (e === '\\') {
          if (source[k + 1] === '\n') line++;
          value += source.slice(k, k + 2);
          k += 2;
          continue;
        }
        if (source.startsWith(close, k)) break;
        if (e === '\n') {
          if (!triple) break;
          line++;
        }
        value += e;
        k++;
      }
      if (k >= n && !source.startsWith(close, k)) unsure = unsure || triple;
      i = source.startsWith(close, k) ? k + close.length : k;
      tokens.push(fString ? { t: 's', v: value, line: startLine, f: true } : { t: 's', v: value, line: startLine });
      fString = false;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    tokens.push({ t: 'p', v: c, line });
    i++;
  }
  tokens.push({ t: 'n', v: '', line });
  return { tokens, unsure };
}


/** Scans one Python file. */
export function scanPython(source: string): ScanResult {
  const { tokens, unsure } = lex(source);
  const refs: Ref[] = [];
  const dynamic: ScanResult['dynamic'] = [];
  let statementStart = true;
  let group: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if (token.t === 'n' || (token.t === 'p' && (token.v === ';' || token.v === ':'))) {
      statementStart = true;
      continue;
    }
    const atStart = statementStart;
    statementStart = false;
    if (token.t === 'i' && atStart && token.v === 'import') {
      // import a.b.c [as x], d
      let j = k + 1;
      while (j < tokens.length && tokens[j]!.t !== 'n') {
        let name = '';
        while (j < tokens.length && (tokens[j]!.t === 'i' || tokens[j]!.v === '.') && tokens[j]!.v !== 'as') name += tokens[j++]!.v;
        if (name) refs.push({ kind: 'python-import', specifier: name, line: token.line, level: 0 });
        if (tokens[j]?.v === 'as') j += 2;
        if (tokens[j]?.v === ',') j++;
        else break;
      }
      k = j - 1;
      continue;
    }
    if (token.t === 'i' && atStart && token.v === 'from') {
      // from ..a.b import (x, y as z)
      let j = k + 1;
      let level = 0;
      while (tokens[j]?.v === '.') {
        level++;
        j++;
      }
      let module = '';
      while (j < tokens.length && (tokens[j]!.t === 'i' || tokens[j]!.v === '.') && tokens[j]!.v !== 'import') module += tokens[j++]!.v;
      if (tokens[j]?.v !== 'import') continue;
      j++;
      const names: string[] = [];
      while (j < tokens.length && tokens[j]!.t !== 'n') {
        const name = tokens[j]!;
        if (name.t === 'i' && name.v !== 'as' && tokens[j - 1]?.v !== 'as') names.push(name.v);
        else if (name.v === '*') names.push('*');
        j++;
      }
      refs.push({ kind: 'python-import', specifier: module, line: token.line, level, names });
      k = j - 1;
      continue;
    }
    if (token.t === 'i' && atStart && token.v === 'pytest_plugins' && tokens[k + 1]?.v === '=') {
      // pytest_plugins = ["app.fixtures", "pytest_mock"]: modules pytest imports for the tests below.
      let j = k + 2;
      for (; j < tokens.length && tokens[j]!.t !== 'n'; j++) {
        if (tokens[j]!.t === 's') refs.push({ kind: 'python-import', specifier: tokens[j]!.v, line: tokens[j]!.line, level: 0 });
      }
      k = j - 1;
      continue;
    }
    if (token.t === 's') {
      const previous = tokens[k - 1];
      const callee = tokens[k - 2];
      if (previous?.v === '(' && callee?.t === 'i' && (callee.v === 'import_module' || callee.v === '__import__')) {
        const relative = /^\.+/.exec(token.v)?.[0].length ?? 0;
        // import_module('.x', package=__name__) is relative to the importing package.
        if (token.f && token.v.includes('{')) {
          // import_module(f".{name}", __name__): any module the pattern can name.
          refs.push({ kind: 'python-import', specifier: token.v.slice(relative).replace(/\{[^}]*\}/g, '*'), line: token.line, level: relative, glob: true });
        } else refs.push({ kind: 'python-import', specifier: token.v.slice(relative), line: token.line, level: relative });
        continue;
      }
      const joined = (previous?.v === '/' || previous?.v === ',') && tokens[k - 2]?.t === 's' && group.length > 0;
      group = joined ? [...group, token.v] : [token.v];
      if (looksLikePath(token.v)) refs.push({ kind: 'data', specifier: token.v, line: token.line });
      if (group.length > 1 && looksLikePath(group.join('/'))) refs.push({ kind: 'data', specifier: group.join('/'), line: token.line });
      continue;
    }
    if (token.t === 'i' && (token.v === 'import_module' || token.v === '__import__') && tokens[k + 1]?.v === '(' && tokens[k + 2]?.t !== 's') {
      dynamic.push({ kind: 'dynamic-import', line: token.line, text: `${token.v}(${tokens[k + 2]?.v ?? ''}…)` });
    }
  }
  return { refs: dedupe(refs), dynamic, unsure };
}
