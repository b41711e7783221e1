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

// Words that name no file of the repository: shell keywords, builtins and everyday commands. Any
// other bare command word is kept, so that a script of the repository run by name through PATH
// (`exec bats-exec-suite`, `run bats`) is followed.
const NOT_COMMANDS = new Set(
  ('if then else elif fi for while until do done case esac function in select time coproc return exit local export readonly declare typeset ' +
    'unset set shift eval exec source . echo printf read cd pushd popd pwd test [ [[ ]] true false : command builtin type hash trap wait kill ' +
    'let break continue getopts umask ulimit alias unalias shopt enable mapfile readarray compgen complete caller disown jobs fg bg ' +
    'cat grep egrep sed awk cut tr sort uniq head tail wc find xargs mkdir rm rmdir cp mv ln touch chmod chown ls env sleep date tee ' +
    'basename dirname realpath readlink mktemp printenv which git diff cmp sh bash zsh dash python python3 node npm npx perl ruby ' +
    'run skip load bats_load_library setup teardown assert refute fail stat tput stty nohup timeout seq expr bc od xxd tar gzip curl wget').split(' '),
);

/** Scans one shell or bats file. */
export function scanShell(source: string): ShellScan {
  const refs: Ref[] = [];
  const vars: Record<string, string> = {};
  const commands = new Set<string>();
  const lines = source.split('\n');
  lines.forEach((text, index) => {
    const line = index + 1;
    // `# shellcheck source=lib/x.bash` names what a computed `source` loads.
    const directive = /^\s*#\s*shellcheck\s.*\bsource=(\S+)/.exec(text);
    if (directive && directive[1] !== '/dev/null') refs.push({ kind: 'bats-load', specifier: `shellcheck:${directive[1]!}`, line });
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
      // A command named by a prefix and a variable (`bats-format-${formatter}`): any script of that prefix.
      const family = /^([A-Za-z_][\w.+-]*[-_.])\$\{?\w+\}?$/.exec(unquote(word.replace(/^[A-Za-z_]\w*=/, '')));
      if (family && !commands.has(`${family[1]!}*`)) {
        commands.add(`${family[1]!}*`);
        refs.push({ kind: 'exec', specifier: `cmd:${family[1]!}*`, line });
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
      if (atStart && (/run$/.test(word) || word === 'bash' || word === 'sh' || word === 'exec' || word === 'command' || word === 'env' || word === 'time')) {
        commandStart = true;
        continue;
      }
      const bare = unquote(word);
      if (atStart && /^[A-Za-z_][\w.+-]*$/.test(bare) && !NOT_COMMANDS.has(bare) && !commands.has(bare)) {
        commands.add(bare);
        refs.push({ kind: 'exec', specifier: `cmd:${bare}`, line });
      }
      if (bare.includes('/') && !/^[a-z]+:\/\//.test(bare) && bare.length < 240) {
        const executable = atStart && !/\.(json|tsv|csv|txt|ya?ml|xml|dat)$/i.test(bare);
        refs.push({ kind: executable ? 'exec' : 'data', specifier: bare, line });
      }
    }
  });
  return { refs, dynamic: [], unsure: false, vars };
}
