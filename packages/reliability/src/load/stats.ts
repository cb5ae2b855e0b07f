/** Percentiles and the one-line summaries the tests print. */

/** The p-th percentile (0–100) of `values` by nearest rank; 0 for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? 0;
}

export const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;
export const ms = (millis: number) => `${millis.toFixed(1)} ms`;
