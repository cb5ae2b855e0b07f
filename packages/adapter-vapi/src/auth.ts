/**
 * Authenticates a Vapi webhook by the scheme its org configured (vendors/vapi.md §4): none, a
 * shared-secret header (the legacy `X-Vapi-Secret`), a bearer token, or an HMAC of
 * `{timestamp}.{rawBody}` over the raw bytes. Every secret comparison is constant-time.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { VapiWebhookAuth } from "@voxanne/core";
import { toInstant } from "./messages.ts";

/** Stable codes of a refusal; the HTTP adapter answers 401 with them. */
export const VAPI_AUTH_ERRORS = {
  missing: "WEBHOOK_AUTH_MISSING",
  invalid: "WEBHOOK_AUTH_INVALID",
  signatureInvalid: "WEBHOOK_SIGNATURE_INVALID",
  timestampInvalid: "WEBHOOK_TIMESTAMP_INVALID",
  timestampSkewed: "WEBHOOK_TIMESTAMP_SKEWED",
} as const;
export type VapiAuthErrorCode = (typeof VAPI_AUTH_ERRORS)[keyof typeof VAPI_AUTH_ERRORS];

/** Accepted, or refused with a code and a reason that names no secret. */
export type VapiAuthResult = { ok: true } | { ok: false; code: VapiAuthErrorCode; reason: string };

export interface VapiRequest {
  headers: Headers;
  /** The body exactly as received: the HMAC is over these bytes, never over re-serialised JSON. */
  rawBody: Uint8Array;
}

const refuse = (code: VapiAuthErrorCode, reason: string): VapiAuthResult => ({ ok: false, code, reason });
const OK: VapiAuthResult = { ok: true };

/**
 * Whether two secrets are equal, in time that depends on neither: both are hashed first, so the
 * compared buffers always have one length and a length difference leaks nothing either.
 */
export function safeEqual(given: string | Uint8Array, expected: string | Uint8Array): boolean {
  const digest = (x: string | Uint8Array) => createHash("sha256").update(x).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The HMAC timestamp header in ms: Vapi does not document its unit, so seconds and ms both work. */
export function timestampMs(header: string): number | null {
  if (!/^\d{1,16}(\.\d{1,6})?$/.test(header.trim())) return null;
  return toInstant(header)?.getTime() ?? null;
}

/** A hex signature, without any `sha256=`-style prefix and lower-cased; null when not hex. */
function hexSignature(header: string): string | null {
  const hex = header
    .trim()
    .replace(/^[a-z0-9-]+=/i, "")
    .toLowerCase();
  return /^(?:[0-9a-f]{2})+$/.test(hex) ? hex : null;
}

function verifyHmac(
  auth: Extract<VapiWebhookAuth, { type: "hmac" }>,
  { headers, rawBody }: VapiRequest,
  now: Date,
): VapiAuthResult {
  const signatureHeader = headers.get(auth.signatureHeader);
  const timestampHeader = headers.get(auth.timestampHeader);
  if (signatureHeader === null) return refuse(VAPI_AUTH_ERRORS.missing, `missing header ${auth.signatureHeader}`);
  if (timestampHeader === null) return refuse(VAPI_AUTH_ERRORS.missing, `missing header ${auth.timestampHeader}`);
  const sentAt = timestampMs(timestampHeader);
  if (sentAt === null) return refuse(VAPI_AUTH_ERRORS.timestampInvalid, `${auth.timestampHeader} is not an epoch time`);
  const skewMs = sentAt - now.getTime();
  if (Math.abs(skewMs) > auth.maxSkewSeconds * 1000) {
    const which = skewMs < 0 ? "too old" : "in the future";
    return refuse(
      VAPI_AUTH_ERRORS.timestampSkewed,
      `${auth.timestampHeader} is ${which} (over ${auth.maxSkewSeconds} s)`,
    );
  }
  const given = hexSignature(signatureHeader);
  // Signed bytes: the timestamp header exactly as sent, a dot, the raw body.
  const expected = createHmac(auth.algorithm, auth.secret).update(`${timestampHeader}.`).update(rawBody).digest("hex");
  if (given === null || !safeEqual(given, expected)) {
    return refuse(VAPI_AUTH_ERRORS.signatureInvalid, `${auth.signatureHeader} does not match the body`);
  }
  return OK;
}

/**
 * Checks `request` against the org's scheme. `now` bounds the HMAC timestamp's skew (both ways,
 * `maxSkewSeconds`), which stops replays of an old signed body.
 *
 * @example
 * const auth = verifyVapiRequest(org.agent.vapiWebhookAuth, { headers, rawBody }, new Date());
 * if (!auth.ok) return { status: 401, body: { error: { code: auth.code, message: auth.reason } } };
 */
export function verifyVapiRequest(auth: VapiWebhookAuth, request: VapiRequest, now: Date): VapiAuthResult {
  switch (auth.type) {
    case "none":
      return OK;
    case "secretHeader": {
      const given = request.headers.get(auth.headerName);
      if (given === null) return refuse(VAPI_AUTH_ERRORS.missing, `missing header ${auth.headerName}`);
      return safeEqual(given, auth.secret) ? OK : refuse(VAPI_AUTH_ERRORS.invalid, `wrong ${auth.headerName}`);
    }
    case "bearer": {
      const header = request.headers.get("authorization");
      if (header === null) return refuse(VAPI_AUTH_ERRORS.missing, "missing header authorization");
      const token = /^bearer\s+(.+)$/i.exec(header.trim())?.[1];
      if (token === undefined) return refuse(VAPI_AUTH_ERRORS.invalid, "authorization is not a Bearer token");
      return safeEqual(token, auth.token) ? OK : refuse(VAPI_AUTH_ERRORS.invalid, "wrong bearer token");
    }
    case "hmac":
      return verifyHmac(auth, request, now);
  }
}
