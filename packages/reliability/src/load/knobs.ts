/** The suite's knobs, from the environment (README "Knobs"); CI runs the defaults. */
const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
};

export const knobs = {
  /** Calls of the load test (full run: 10,000). */
  calls: int("RELIABILITY_CALLS", 600),
  /** Calls of each fault test's load. */
  faultCalls: int("RELIABILITY_FAULT_CALLS", 150),
  /** Concurrent connections of the generator. */
  concurrency: int("RELIABILITY_CONCURRENCY", 4),
  /** Seconds of sustained load in the memory test. */
  memorySeconds: int("RELIABILITY_MEMORY_SECONDS", 50),
  seed: int("RELIABILITY_SEED", 20_260_125),
};

/** A test's time limit for a load of `calls`: start-up, sending and the background work's drain. */
export const timeLimitFor = (calls: number) => 120_000 + 100 * calls;
