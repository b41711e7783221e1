// Numbers for people: durations, sizes, percentages and ratios, the same in every tool and output format.

// 3 significant digits without trailing zeros after the point: 412, 2.5, 40.1.
const threeDigits = (value: number) => {
  const text = value.toPrecision(3);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
};

/** 412 µs, 1.2 ms, 12 ms, 302 ms, 1.45 s, 2 min 5 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '–';
  const sign = ms < 0 ? '-' : '';
  const value = Math.abs(ms);
  // Micro-benchmarks run for microseconds: below a millisecond, µs and ns keep three digits.
  if (value > 0 && value < 0.0009995) return `${sign}${threeDigits(value * 1e6)} ns`;
  if (value > 0 && value < 0.9995) return `${sign}${threeDigits(value * 1000)} µs`;
  if (value < 10) return `${sign}${value.toFixed(1)} ms`;
  if (value < 1000) return `${sign}${Math.round(value)} ms`;
  if (value < 60_000) return `${sign}${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
  const minutes = Math.floor(value / 60_000);
  return `${sign}${minutes} min ${Math.round((value - minutes * 60_000) / 1000)} s`;
}

/** A signed change in ms: +98 ms, -1.20 s. */
export function formatDeltaMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  return (ms > 0 ? '+' : '') + formatMs(ms);
}

/** 12.0 MiB, 1.50 GiB. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '–';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${sign}${unit === 0 ? value : value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}

/** A share as a percentage: 0.213 → 21%. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '–';
  return `${Math.round(share * 100)}%`;
}

/** A ratio of medians as a signed percentage change: 1.32 → +32%. */
export function formatRatio(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '–';
  const change = (ratio - 1) * 100;
  const digits = Math.abs(change) < 10 ? 1 : 0;
  return `${change >= 0 ? '+' : ''}${change.toFixed(digits)}%`;
}

/** A p-value with sensible precision: p = 0.008, p < 0.001. */
export function formatP(p: number | null | undefined): string {
  if (p === null || p === undefined) return '–';
  if (p < 0.001) return 'p < 0.001';
  return `p = ${p < 0.01 ? p.toFixed(4) : p.toFixed(3)}`;
}

/** median (min–max) over n runs. */
export function formatSpread(stats: { median: number; min: number; max: number; runs: number }): string {
  return stats.runs > 1 ? `${formatMs(stats.min)}–${formatMs(stats.max)}` : '–';
}

/** The name people know a test by: file::name (pytest style), or the runner's id. */
export function testLabel(test: { file: string; name: string }): string {
  return `${test.file}::${test.name}`;
}

/** A sparkline of a few values (a trend), scaled from their minimum to their maximum, in block characters. */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const bars = '▁▂▃▄▅▆▇█';
  const low = Math.min(...values);
  const high = Math.max(...values);
  return values.map((v) => bars[high === low ? 3 : Math.round(((v - low) / (high - low)) * (bars.length - 1))]).join('');
}

/** ASCII, not block characters: CI logs are not always UTF-8. */
const RAMP = ' .:-=+*#%@';

/**
 * A one-line ASCII picture of a long series (a memory timeline): `width` columns, each the highest
 * value of its slice of time, scaled from 0 to the series' maximum (memory starts near zero; scaling
 * from the minimum would exaggerate).
 */
export function asciiSparkline(values: readonly number[], width: number): string {
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
