/**
 * The Telephony port on Vapi's REST API (`POST /call`, vendors/vapi.md §7), with the global
 * `fetch`: no SDK, because the SDK retries POST /call on 5xx and time-outs, which can ring a
 * patient twice.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { OutboundCallRequest, Telephony } from "@voxanne/core";
import { VendorFailed } from "@voxanne/core";
import { networkErrorCode, neverConnected, RequestTimedOut, withTimeout } from "./outboundHttp.ts";

export interface VapiTelephonyOptions {
  /** Vapi's private API key; sent only in the Authorization header, never logged or put in errors. */
  apiKey: string;
  /** Default `https://api.vapi.ai`; a fake server's URL in tests. */
  baseUrl?: string;
  /** Per attempt, from sending to the last byte of the answer. Default 15 s. */
  timeoutMs?: number;
  /** Extra attempts for answers that surely placed no call (429, refused connection). Default 2. */
  maxRetries?: number;
  fetch?: typeof fetch;
  /** Waits between attempts (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

/** Vapi's limit on `customer.name` (a label, `CreateCustomerDTO`). */
export const VAPI_NAME_MAX = 40;
/** A Retry-After longer than this is not waited for: the caller is told to try again later. */
export const MAX_RETRY_AFTER_MS = 10_000;
/** Back-off without Retry-After: 250 ms, 500 ms, 1 s… capped at 4 s. */
export const BACKOFF = { baseMs: 250, maxMs: 4_000 } as const;

/** Vapi's answer when it was not a call: the HTTP status and its body, with the API key removed. */
export class VapiApiError extends Error {
  readonly status: number | null;
  readonly body: string | null;
  constructor(message: string, details: { status?: number; body?: string } = {}) {
    super(message);
    this.name = "VapiApiError";
    this.status = details.status ?? null;
    this.body = details.body ?? null;
  }
}

const PREFIX = "The phone call could not be placed";
const failure = {
  rejected: (why: string, cause: Error) =>
    new VendorFailed("TELEPHONY_REJECTED", `${PREFIX}: ${why}`, { retryable: false, cause }),
  unavailable: (cause: Error) =>
    new VendorFailed("TELEPHONY_UNAVAILABLE", `${PREFIX}: the voice provider is busy or unreachable, try again later`, {
      retryable: true,
      cause,
    }),
  /** The outcome is unknown: the call may have been placed, so it must not be tried again. */
  unknown: (why: string, cause: Error) =>
    new VendorFailed("TELEPHONY_TIMEOUT", `${PREFIX}: ${why}; it may still have been placed`, {
      retryable: false,
      cause,
    }),
};

/** `text` cut to at most `max` UTF-16 units without splitting a character, trimmed. */
export function cutLabel(text: string, max = VAPI_NAME_MAX): string {
  let out = "";
  for (const char of text.trim()) {
    if (out.length + char.length > max) break;
    out += char;
  }
  return out.trim();
}

/**
 * The `POST /call` body (fixtures/vapi/create-call.request.json): a Call has no top-level
 * metadata, so our ids ride in `assistantOverrides`, which Vapi echoes in every webhook.
 */
export function createCallBody(request: OutboundCallRequest) {
  const name = request.customer.name === null ? "" : cutLabel(request.customer.name);
  return {
    assistantId: request.assistantId,
    phoneNumberId: request.phoneNumberId,
    customer: { number: request.customer.number, ...(name && { name }) },
    assistantOverrides: {
      metadata: { callId: request.callId, orgId: request.orgId },
      variableValues: { callId: request.callId },
    },
  };
}

/** Retry-After (seconds or an HTTP date) in ms, or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** One attempt's outcome: placed, a failure to throw, or (surely not placed) a wait before retrying. */
type Attempt =
  | { kind: "placed"; vendorCallId: string }
  | { kind: "failed"; error: VendorFailed }
  | { kind: "retry"; afterMs: number | undefined; cause: Error };

/**
 * A Telephony placing calls through Vapi. Never places a call twice: only a 429 or a connection
 * that never opened (refused, DNS) is retried, with back-off, at most `maxRetries` times, then
 * `TELEPHONY_UNAVAILABLE` (retryable). A 5xx, a time-out, a broken connection or a 2xx without a
 * call id may have placed the call: `TELEPHONY_TIMEOUT`, not retryable, never retried. Any other
 * 4xx (401/403 included: a configuration problem) or a redirect is `TELEPHONY_REJECTED`.
 *
 * @example
 * const telephony = vapiTelephony({ apiKey: env.VAPI_API_KEY });
 * const voxanne = createVoxanne({ storage, telephony, sms, live });
 */
export function vapiTelephony(options: VapiTelephonyOptions): Telephony {
  const { apiKey, timeoutMs = 15_000, maxRetries = 2 } = options;
  if (!apiKey?.trim()) throw new TypeError("vapiTelephony: apiKey is required");
  if (!(timeoutMs > 0)) throw new RangeError("vapiTelephony: timeoutMs must be positive");
  if (!Number.isInteger(maxRetries) || maxRetries < 0) {
    throw new RangeError("vapiTelephony: maxRetries must be a non-negative integer");
  }
  const endpoint = new URL("call", `${(options.baseUrl ?? "https://api.vapi.ai").replace(/\/+$/, "")}/`);
  const fetchFn = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  /** Vendor text may echo what we sent; the key never leaves this closure. */
  const redact = (text: string) => text.replaceAll(apiKey, "[redacted]");

  async function attempt(body: string): Promise<Attempt> {
    let answer: { status: number; text: string; retryAfter: string | null };
    try {
      answer = await withTimeout(timeoutMs, async (signal) => {
        const response = await fetchFn(endpoint, {
          method: "POST",
          headers: {
            authorization: `Bearer ${apiKey}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body,
          signal,
          redirect: "manual",
        });
        return {
          status: response.status,
          text: await response.text(),
          retryAfter: response.headers.get("retry-after"),
        };
      });
    } catch (error) {
      const detail = redact(error instanceof Error ? `${error.message} (${networkErrorCode(error) ?? "no code"})` : "");
      const cause = new VapiApiError(`POST /call got no answer: ${detail}`);
      if (error instanceof RequestTimedOut) {
        return { kind: "failed", error: failure.unknown("the voice provider did not answer in time", cause) };
      }
      if (neverConnected(error)) return { kind: "retry", afterMs: undefined, cause };
      return { kind: "failed", error: failure.unknown("the connection to the voice provider broke", cause) };
    }

    const { status } = answer;
    const vendorText = redact(answer.text).slice(0, 2_000);
    const cause = new VapiApiError(`POST /call answered ${status}: ${vendorText}`, { status, body: vendorText });
    if (status >= 200 && status < 300) {
      const id = callIdOf(answer.text);
      if (id) return { kind: "placed", vendorCallId: id };
      return { kind: "failed", error: failure.unknown("the voice provider's answer had no call id", cause) };
    }
    if (status === 429) return { kind: "retry", afterMs: retryAfterMs(answer.retryAfter), cause };
    if (status === 401 || status === 403) {
      return { kind: "failed", error: failure.rejected("the voice provider refused our credentials", cause) };
    }
    if (status >= 500) {
      return { kind: "failed", error: failure.unknown("the voice provider failed while placing it", cause) };
    }
    return { kind: "failed", error: failure.rejected("the voice provider refused the request", cause) };
  }

  return {
    async createOutboundCall(request) {
      const body = JSON.stringify(createCallBody(request));
      for (let retries = 0; ; retries++) {
        const outcome = await attempt(body);
        if (outcome.kind === "placed") return { vendorCallId: outcome.vendorCallId };
        if (outcome.kind === "failed") throw outcome.error;
        const wait = outcome.afterMs ?? Math.min(BACKOFF.baseMs * 2 ** retries, BACKOFF.maxMs);
        if (retries >= maxRetries || wait > MAX_RETRY_AFTER_MS) throw failure.unavailable(outcome.cause);
        await sleep(wait);
      }
    },
  };
}

/** The `id` of the Call in a 2xx body, or undefined. */
function callIdOf(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : undefined;
    return typeof id === "string" && id.trim() !== "" ? id : undefined;
  } catch {
    return undefined;
  }
}
