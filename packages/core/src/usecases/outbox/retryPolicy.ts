import type { RetryPolicy } from "../context.ts";

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 5 * 60_000 };

/** When to try again after `attempts` failures (1, 2, 4 … seconds, capped), or null to give up. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, now: Date): Date | null {
  if (attempts >= policy.maxAttempts) return null;
  const delay = Math.min(policy.baseDelayMs * 2 ** (attempts - 1), policy.maxDelayMs);
  return new Date(now.getTime() + delay);
}
