// Numbers for people: sizes, durations and the ASCII sparkline of the stderr summary.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB"; three significant figures are plenty for memory. */
export function formatBytes(bytes: number): string {
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 ? String(value) : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
  return `${bytes < 0 ? '-' : ''}${text} ${UNITS[unit]}`;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${Math.round(ms)} ms`;
}

/** ASCII, not block characters: CI logs are not always UTF-8. */
const RAMP = ' .:-=+*#%@';

/**
 * A one-line picture of a series: `width` columns, each the highest value of its slice of time, scaled
 * from 0 to the series' maximum (memory starts near zero; scaling from the minimum would exaggerate).
 */
export function sparkline(values: readonly number[], width: number): string {
  if (values.length === 0) return '';
  const columns = Math.min(width, values.length);
  const max = Math.max(...values);
  let line = '';
  for (let c = 0; c < columns; c++) {
    const from = Math.floor((c * values.length) / columns);
    const to = Math.max(from + 1, Math.floor(((c + 1) * values.length) / columns));
    let high = 0;
    for (let i = from; i < to; i++) high = Math.max(high, values[i]!);
    const level = max === 0 ? 0 : Math.round((high / max) * (RAMP.length - 1));
    line += RAMP[level];
  }
  return line;
}
