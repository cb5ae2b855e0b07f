/** Timing, percentiles and verdicts shared by the Postgres benches. */

export interface Summary {
  runs: number;
  p50: number;
  p95: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error("percentile of no samples");
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    min: sorted[0] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

/** Milliseconds `fn` took, and what it returned. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

/** A number rounded for a table: 3 significant digits below 100, whole above. */
export const round = (x: number): number => (Math.abs(x) >= 100 ? Math.round(x) : Number(x.toPrecision(3)));

/** "1.53×"; tiny ratios keep two significant digits ("0.0011×") instead of rounding to zero. */
export const ratio = (x: number): string => `${x >= 0.1 ? x.toFixed(2) : x.toPrecision(2)}×`;

/** PASS/FAIL, except in smoke runs, whose figures mean nothing. Sets the exit code on a FAIL. */
export function verdict(pass: boolean, smoke: boolean): string {
  if (smoke) return "not judged (smoke)";
  if (!pass) process.exitCode = 1;
  return pass ? "PASS" : "FAIL";
}

/** A whole number from the environment (bench sizes), else `fallback`. */
export function envInt(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value.replaceAll("_", ""));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, not ${value}`);
  return n;
}
