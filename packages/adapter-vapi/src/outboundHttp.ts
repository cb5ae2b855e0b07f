/**
 * What the adapter's outbound HTTP clients (calls, recordings) share: a time-out that aborts the
 * whole exchange, and telling a connection that never opened from one that failed midway.
 */

/** The exchange took longer than its time-out and was aborted. */
export class RequestTimedOut extends Error {
  constructor(timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = "RequestTimedOut";
  }
}

/**
 * Runs `work` with a signal that aborts after `timeoutMs` (the request, and reading its body);
 * a failure caused by that abort becomes `RequestTimedOut`.
 */
export async function withTimeout<T>(timeoutMs: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (controller.signal.aborted) throw new RequestTimedOut(timeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * System error codes that mean no connection was ever opened (refused, unreachable, name not
 * resolved), so not one byte of the request reached the server: safe to send again.
 * A reset or a closed socket is not here: the request may have arrived.
 */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);

/**
 * The system error code behind a failed `fetch` (`ECONNREFUSED`, `ENOTFOUND`…): fetch wraps it in
 * a `TypeError("fetch failed")`, sometimes in an `AggregateError` (one per address tried).
 */
export function networkErrorCode(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (!(current instanceof Error) || seen.has(current)) continue;
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
    if (current instanceof AggregateError) queue.push(...current.errors);
    queue.push(current.cause);
  }
  return undefined;
}

/** True when `error` (from fetch) surely happened before any byte of the request was sent. */
export const neverConnected = (error: unknown): boolean => NEVER_CONNECTED.has(networkErrorCode(error) ?? "");
