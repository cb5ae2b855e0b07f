/**
 * What a failed `messages.create` becomes: the core error the Sms port promises (vendors/twilio.md
 * §6), with Twilio's answer kept on `cause` and the credentials cut out of it.
 */
import type { VoxanneError } from "@voxanne/core";
import { OptedOut, ValidationFailed, VendorFailed } from "@voxanne/core";

/** Twilio's answer (or the lack of one), safe to log: no credentials, no request data. */
export class TwilioApiError extends Error {
  /** The HTTP status, or null when no answer came (time-out, connection refused). */
  readonly status: number | null;
  /** Twilio's error code (21211), or the network error's (`ECONNREFUSED`), or null. */
  readonly code: number | string | null;
  readonly moreInfo: string | null;
  constructor(message: string, details: { status?: number; code?: number | string; moreInfo?: string } = {}) {
    super(message);
    this.name = "TwilioApiError";
    this.status = details.status ?? null;
    this.code = details.code ?? null;
    this.moreInfo = details.moreInfo ?? null;
  }
}

/** Twilio codes that mean the recipient's number cannot get this text: the caller's input is at fault. */
const RECIPIENT_REFUSED: Readonly<Record<number, string>> = {
  21211: "is not a valid phone number",
  21408: "is in a region this account may not send text messages to",
  21612: "cannot be reached from this sender",
  21614: "is not a mobile number that can receive text messages",
};
/** Twilio's code when the recipient texted STOP: never retried, the contact is marked. */
const UNSUBSCRIBED = 21610;

const PREFIX = "The text message could not be sent";

/** Replaces every credential in vendor text with `[redacted]`. */
export const redactor =
  (secrets: readonly string[]) =>
  (text: string): string =>
    secrets.reduce((out, secret) => (secret ? out.replaceAll(secret, "[redacted]") : out), text);

/** The SDK's error for a non-2xx answer (`RestException`, `TwilioServiceException`): both carry `status` and `code`. */
function answerOf(error: unknown): { status: number; code: number | null; message: string; moreInfo: string } | null {
  if (!(error instanceof Error) || (error as { isAxiosError?: unknown }).isAxiosError === true) return null;
  const { status, code, moreInfo } = error as { status?: unknown; code?: unknown; moreInfo?: unknown };
  if (typeof status !== "number") return null;
  return {
    status,
    code: typeof code === "number" ? code : null,
    message: error.message,
    moreInfo: typeof moreInfo === "string" ? moreInfo : "",
  };
}

const unavailable = (cause: Error) =>
  new VendorFailed("SMS_UNAVAILABLE", `${PREFIX}: the SMS provider is busy or unreachable, try again later`, {
    retryable: true,
    cause,
  });
/** Twilio may have created the message before the answer was lost: retrying could text twice. */
const unconfirmed = (cause: Error) =>
  new VendorFailed("SMS_UNCONFIRMED", `${PREFIX}: the SMS provider did not confirm it, it may still arrive`, {
    retryable: false,
    cause,
  });
/** Network errors that mean the connection never opened, so Twilio surely got nothing. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"]);
const rejected = (why: string, cause: Error) =>
  new VendorFailed("SMS_REJECTED", `${PREFIX}: ${why}`, { retryable: false, cause });

/**
 * The core error for what `messages.create` threw. 21610 → `OptedOut`; 21211/21408/21612/21614 →
 * `ValidationFailed` on `to`; 429 and a connection that never opened → `SMS_UNAVAILABLE`
 * (retryable: Twilio surely sent nothing); 5xx, time-outs and broken connections →
 * `SMS_UNCONFIRMED` (not retryable: the text may have gone out); 401/403 and every other answer →
 * `SMS_REJECTED` (not retryable: fix the config).
 */
export function smsFailure(error: unknown, redact: (text: string) => string): VoxanneError {
  const answer = answerOf(error);
  if (!answer) {
    const code = networkCodeOf(error);
    const detail = error instanceof Error ? error.message : String(error);
    const cause = new TwilioApiError(redact(`Twilio gave no answer: ${detail}`).slice(0, 2_000), {
      ...(code !== undefined && { code }),
    });
    return code !== undefined && NEVER_CONNECTED.has(code) ? unavailable(cause) : unconfirmed(cause);
  }
  const { status, code, moreInfo } = answer;
  const cause = new TwilioApiError(
    redact(`Twilio answered ${status} (${code ?? "no code"}): ${answer.message}`).slice(0, 2_000),
    {
      status,
      ...(code !== null && { code }),
      ...(moreInfo && { moreInfo }),
    },
  );
  if (code === UNSUBSCRIBED) return new OptedOut({ cause });
  const refused = code === null ? undefined : RECIPIENT_REFUSED[code];
  if (refused) return new ValidationFailed([{ path: "to", message: refused }], "VALIDATION_FAILED", { cause });
  if (status === 429) return unavailable(cause);
  if (status >= 500) return unconfirmed(cause);
  if (status === 401 || status === 403) return rejected("the SMS provider refused our credentials", cause);
  return rejected("the SMS provider refused the message", cause);
}

/** The network error code (`ECONNREFUSED`…) anywhere in the error's cause chain. */
function networkCodeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}
