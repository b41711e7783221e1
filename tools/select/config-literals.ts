// Reads literal values out of a JavaScript/TypeScript runner config (vitest.config.ts,
// jest.config.js, .mocharc.js) without executing it: executing a config runs the user's code,
// needs a TypeScript loader and can take seconds (presets, plugins), and select must stay fast.
// What cannot be read as a literal is reported so the caller can warn and fall back to defaults.

/** A literal value found in config text. */
export type Literal = string | Literal[] | LiteralObject | { expression: string; paths: string[] } | RegexLiteral;

/** An object literal's properties. */
export interface LiteralObject {
  [key: string]: Literal;
}

/** A regular expression literal (`/^pkg(.*)$/`), as written. */
export interface RegexLiteral {
  regex: string;
  flags: string;
}

export const isRegex = (value: Literal | undefined): value is RegexLiteral =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { regex?: unknown }).regex === 'string';

/** The value as a plain object literal (not an expression, a regex or an array), or null. */
export const asObject = (value: Literal | undefined): LiteralObject | null =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !isExpression(value) && !isRegex(value) ? (value as LiteralObject) : null;

/** Marks a value that is an expression (a call, a variable): `paths` are the string literals inside it. */
export const isExpression = (value: Literal | undefined): value is { expression: string; paths: string[] } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { expression?: unknown }).expression === 'string';

class Reader {
  i = 0;
  constructor(readonly text: string) {}
  skip(): void {
    for (;;) {
      const rest = this.text.slice(this.i);
      const ws = /^(\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(rest);
      if (!ws) return;
      this.i += ws[0].length;
    }
  }
  peek(): string {
    this.skip();
    return this.text[this.i] ?? '';
  }
  string(): string | undefined {
    const q = this.peek();
    if (q !== '"' && q !== "'" && q !== '`') return undefined;
    let k = this.i + 1;
    let out = '';
    while (k < this.text.length && this.text[k] !== q) {
      if (this.text[k] === '\\') {
        out += this.text[k + 1];
        k += 2;
        continue;
      }
      if (q === '`' && this.text[k] === '$' && this.text[k + 1] === '{') return undefined;
      out += this.text[k++];
    }
    this.i = k + 1;
    return out;
  }
  // Skips a balanced expression up to `,`, `}` or `]` at depth 0 and returns its text.
  expression(): string {
    const start = this.i;
    let depth = 0;
    while (this.i < this.text.length) {
      const c = this.text[this.i]!;
      if (c === '"' || c === "'" || c === '`') {
        if (this.string() === undefined) this.i++;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
      this.i++;
    }
    return this.text.slice(start, this.i).trim();
  }
  // A regular expression literal at the cursor (the caller knows a value starts here).
  regex(): RegexLiteral | undefined {
    let k = this.i + 1;
    let inClass = false;
    while (k < this.text.length) {
      const c = this.text[k]!;
      if (c === '\\') k++;
      else if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) break;
      else if (c === '\n') return undefined;
      k++;
    }
    if (k >= this.text.length) return undefined;
    const flags = /^[a-z]*/.exec(this.text.slice(k + 1))![0];
    const literal = { regex: this.text.slice(this.i + 1, k), flags };
    this.i = k + 1 + flags.length;
    return literal;
  }
  value(): Literal {
    const c = this.peek();
    if (c === '/') {
      const start = this.i;
      const literal = this.regex();
      if (literal && /^[\s,}\]]/.test(this.text.slice(this.i).trimStart().slice(0, 1) || ',')) return literal;
      this.i = start;
    }
    if (c === '"' || c === "'" || c === '`') {
      const start = this.i;
      const text = this.string();
      if (text !== undefined && /^[\s,}\]]/.test(this.text.slice(this.i).trimStart().slice(0, 1) || ',')) return text;
      this.i = start;
    }
    if (c === '[') {
      this.i++;
      const items: Literal[] = [];
      while (this.peek() && this.peek() !== ']') {
        items.push(this.value());
        if (this.peek() === ',') this.i++;
      }
      this.i++;
      return items;
    }
    if (c === '{') {
      this.i++;
      const object: Record<string, Literal> = {};
      while (this.peek() && this.peek() !== '}') {
        let key = this.string();
        if (key === undefined) {
          const word = /^[\w$]+/.exec(this.text.slice(this.i))?.[0];
          if (word === undefined) {
            this.expression(); // a spread or a computed key: not literal
            if (this.peek() === ',') this.i++;
            continue;
          }
          key = word;
          this.i += word.length;
        }
        if (this.peek() === ':') {
          this.i++;
          object[key] = this.value();
        } else if (this.peek() === '(') {
          object[key] = { expression: `${key}${this.expression()}`, paths: [] }; // a method: not a value
        } else object[key] = { expression: key, paths: [] }; // shorthand `{ alias }`
        if (this.peek() === ',') this.i++;
      }
      this.i++;
      return object;
    }
    const expression = this.expression();
    const paths = [...expression.matchAll(/(['"`])([^'"`]*)\1/g)].map((m) => m[2]!).filter((s) => s.length > 0);
    return { expression, paths };
  }
}

/**
 * The value of the first `key:` (or `"key":`) property in `text`, read as a literal; undefined when absent.
 * `within` narrows the search to the object after that key first (`test: { include: [...] }`).
 */
export function literalProperty(text: string, key: string, within?: string): Literal | undefined {
  let scope = text;
  if (within) {
    const outer = literalPropertyAt(text, within);
    if (outer === undefined) return undefined;
    scope = text.slice(outer);
  }
  const at = literalPropertyAt(scope, key);
  if (at === undefined) return undefined;
  const reader = new Reader(scope);
  reader.i = at;
  return reader.value();
}

function literalPropertyAt(text: string, key: string): number | undefined {
  const pattern = new RegExp(`(?:^|[\\s{,])(['"]?)${key.replace(/[$]/g, '\\$')}\\1\\s*:`, 'g');
  const match = pattern.exec(text);
  return match ? match.index + match[0].length : undefined;
}

/** Strings of a literal that is a string or an array of strings; null if it is not literal. */
export function stringList(value: Literal | undefined): string[] | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value as string[];
  return null;
}

/**
 * The path an expression builds from the config's directory, when it is a path call over string
 * literals: `resolve('./src')`, `path.resolve(__dirname, 'src/$1.ts')`, `fileURLToPath(new URL('./src', import.meta.url))`.
 * Relative to the config's directory ('' is that directory); undefined when it is not such a call.
 */
export function expressionPath(value: Literal | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (!isExpression(value) || value.paths.length === 0) return undefined;
  if (!/^(path\.)?(resolve|join)\(|^(fileURLToPath|new URL)\(|^`/.test(value.expression) && !/__dirname|import\.meta\.(url|dirname)|process\.cwd\(\)/.test(value.expression)) return undefined;
  const parts = value.paths.filter((p) => p !== 'url' && !/^[a-z]+:/.test(p));
  if (parts.length === 0) return undefined;
  let joined = '';
  for (const part of parts) joined = part.startsWith('/') ? part : joined ? `${joined}/${part}` : part;
  return joined.startsWith('/') ? joined : `./${joined.replace(/^\.\//, '')}`;
}
