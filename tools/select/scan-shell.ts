// Extracts what a bats test or shell script pulls in: `load x` (bats), `source x` / `. x`, scripts it
// runs and files it reads by path (`run "$SRC/total.sh"`, `< "$BATS_TEST_DIRNAME/fixtures/x.tsv"`),
// and the variable assignments those paths are built from (`SRC="$(cd "$BATS_TEST_DIRNAME/../src" && pwd)"`).
// Paths stay unexpanded here; resolve-shell.ts expands them in the context of each file.
import type { Ref, ScanResult } from './scan-js.ts';

export interface ShellScan extends ScanResult {
  /** Variable assignments, raw: NAME → value as written (quotes kept off). */
  vars: Record<string, string>;
}

const unquote = (word: string): string => word.replace(/^(['"])(.*)\1$/, '$2');

// Splits a line into shell words, keeping quoted parts and $(…) together.
function words(line: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      current += c;
      if (c === '\\') current += line[++i] ?? '';
      else if (c === quote && depth === 0) quote = '';
      else if (c === '$' && line[i + 1] === '(') {
        depth++;
        current += line[++i];
      } else if (c === ')' && depth > 0) depth--;
      continue;
    }
    if (c === '#' && current === '') break;
    if (c === '"' || c === "'") {
      quote = c;
      current += c;
    } else if (c === '$' && line[i + 1] === '(') {
      depth++;
      current += '$(';
      i++;
    } else if (c === ')' && depth > 0) {
      depth--;
      current += c;
    } else if (depth === 0 && (c === ' ' || c === '\t' || c === ';' || c === '<' || c === '>' || c === '|' || c === '&' || c === '{' || c === '}' || c === '(' || c === ')')) {
      if (current) out.push(current);
      current = '';
      if (c === ';' || c === '|' || c === '&') out.push(c);
    } else current += c;
  }
  if (current) out.push(current);
  return out;
}

/** Scans one shell or bats file. */
export function scanShell(source: string): ShellScan {
  const refs: Ref[] = [];
  const vars: Record<string, string> = {};
  const lines = source.split('\n');
  lines.forEach((text, index) => {
    const line = index + 1;
    const ws = words(text.trim());
    let commandStart = true;
    for (let k = 0; k < ws.length; k++) {
      const word = ws[k]!;
      if (word === ';' || word === '|' || word === '&') {
        commandStart = true;
        continue;
      }
      const atStart = commandStart;
      commandStart = false;
      if (atStart && /^(export|local|readonly|declare)$/.test(word)) {
        commandStart = true;
        continue;
      }
      const assignment = /^([A-Za-z_]\w*)=(.*)$/.exec(word);
      if (atStart && assignment) {
        vars[assignment[1]!] = unquote(assignment[2]!);
        commandStart = true;
        continue;
      }
      if (atStart && (word === 'load' || word === 'source' || word === '.' || word === 'bats_load_library') && ws[k + 1]) {
        refs.push({ kind: 'bats-load', specifier: (word === 'load' ? 'load:' : '') + unquote(ws[k + 1]!), line });
        k++;
        continue;
      }
      if (atStart && (word === 'run' || word === 'bash' || word === 'sh' || word === 'exec')) {
        commandStart = true;
        continue;
      }
      const bare = unquote(word);
      if (bare.includes('/') && !/^[a-z]+:\/\//.test(bare) && bare.length < 240) {
        const executable = atStart && !/\.(json|tsv|csv|txt|ya?ml|xml|dat)$/i.test(bare);
        refs.push({ kind: executable ? 'exec' : 'data', specifier: bare, line });
      }
    }
  });
  return { refs, dynamic: [], unsure: false, vars };
}
