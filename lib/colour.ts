// Colour for people, only on a terminal and never with NO_COLOR (https://no-color.org).
import type { Io } from './io.ts';

export interface Palette {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Whether a stream should get colour, given the environment. */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

const wrap = (on: boolean, open: number, close: number) => (text: string) =>
  on && text ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export function palette(enabled: boolean): Palette {
  return {
    enabled,
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    red: wrap(enabled, 31, 39),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

/** The palette for a tool's stderr. */
export function stderrPalette(io: Io): Palette {
  return palette(colourEnabled(io.stderr, io.env));
}
