// Expands the paths a bats test or shell script names: `$BATS_TEST_DIRNAME`, the script's own
// directory (`$(dirname "${BASH_SOURCE[0]}")`, `${BASH_SOURCE%/*}`, `$(dirname "$0")`), `$(cd X && pwd)`,
// and variables assigned in the file or in the helpers it loads. A path that still holds an
// unknown variable cannot be followed; for `load`/`source` that is a warning.
import path from 'node:path';

export interface ShellContext {
  /** Repo-relative directory of the file being read. */
  dir: string;
  /** Variables visible to it: NAME → { value, dir of the file that assigned it }. */
  vars: Map<string, { value: string; dir: string }>;
}

const SELF_DIR = [
  /\$\(\s*dirname\s+"?\$\{?BASH_SOURCE(\[0\])?\}?"?\s*\)/g,
  /\$\(\s*dirname\s+"?\$\{?0\}?"?\s*\)/g,
  /\$\{BASH_SOURCE(\[0\])?%\/\*\}/g,
  /\$\{0%\/\*\}/g,
  /\$\(\s*dirname\s+"?\$\{?BATS_TEST_FILENAME\}?"?\s*\)/g,
  /\$\{?BATS_TEST_DIRNAME\}?/g,
];
const MARK = '\u0001';

/** Expands `expression` to a repo-relative path, or null if a part of it is unknown. */
export function expandShellPath(expression: string, context: ShellContext, depth = 0): string | null {
  if (depth > 6) return null;
  let text = expression.replace(/["']/g, '');
  for (const pattern of SELF_DIR) text = text.replace(pattern, MARK + context.dir + MARK);
  // $(cd X && pwd) and $(cd X; pwd) are X.
  text = text.replace(/\$\(\s*cd\s+([^;&)]+?)\s*(?:&&|;)\s*pwd\s*\)/g, '$1');
  text = text.replace(/\$\{?([A-Za-z_]\w*)\}?/g, (whole, name: string) => {
    const variable = context.vars.get(name);
    if (!variable) return whole;
    const value = expandShellPath(variable.value, { dir: variable.dir, vars: context.vars }, depth + 1);
    return value === null ? whole : MARK + value + MARK;
  });
  if (text.includes('$') || text.includes('`')) return null;
  const anchored = text.startsWith(MARK);
  text = text.split(MARK).join('');
  if (text.startsWith('/') && !anchored) return null;
  const joined = anchored ? text : context.dir ? `${context.dir}/${text}` : text;
  const normal = path.posix.normalize(joined.replace(/^\/+/, ''));
  if (normal.startsWith('..')) return null;
  return normal === '.' ? '' : normal.replace(/\/$/, '');
}
