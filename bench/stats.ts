// Pure helpers for the figures the bench prints: medians with their spread, ratios, and the units.

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}

/** a / b, or undefined when either is missing or b is not positive (nothing to compare with). */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) {
    return undefined;
  }
  return a / b;
}

/** Two decimals, or n/a: the form of every ratio in the report and its last line. */
export function formatRatio(r: number | undefined): string {
  return r === undefined ? 'n/a' : r.toFixed(2);
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** "2.53 s (2.41–2.80, n=5)": the median first, then what the runs ranged over. */
export function formatSpread(s: Spread, unit: (v: number) => string = formatSeconds): string {
  if (s.n === 1) return `${unit(s.median)} (n=1)`;
  return `${unit(s.median)} (${unit(s.min).replace(/ .*/, '')}–${unit(s.max)}, n=${s.n})`;
}

export function formatMs(ms: number): string {
  return `${Math.round(ms)} ms`;
}

export function formatMb(kb: number): string {
  return `${Math.round(kb / 1024)} MB`;
}
