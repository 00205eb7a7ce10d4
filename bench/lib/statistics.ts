/** The benchmark's summaries of repeated measurements (the check's percentiles are in generators/lib/stack-checks.ts). */

/** The median of `values` (the mean of the middle two when their number is even), NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Repeated measurements of one quantity, in its unit: median, lowest, highest, and how many. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

/** The {@link Spread} of `values` (for none: NaN median, min Infinity, max -Infinity, n 0). */
export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), n: values.length };
}
