/**
 * `X-Twilio-Signature` checks (vendors/twilio.md §5), done by the twilio library's own validator.
 * The part it cannot know is the URL: Twilio signs the URL it requested, which behind a proxy or
 * TLS terminator is not the one the server sees (`http://localhost:3000/...`). So the URL is
 * rebuilt from the configured public base URL, or, when the proxy is trusted, from its
 * `X-Forwarded-Proto` / `X-Forwarded-Host` headers.
 */
import twilio from "twilio";
import type { TwilioParams } from "./messages.ts";

export interface TwilioUrlOptions {
  /**
   * The base URL Twilio calls, e.g. `https://clinic.example.test`: its scheme and host replace the
   * request's, and a path in it is a prefix the proxy strips (`https://x.test/voxanne`). Wins over
   * `trustProxy`.
   */
  publicUrl?: string | undefined;
  /**
   * Take the scheme and host from `X-Forwarded-Proto` / `X-Forwarded-Host` (the first, client-side
   * value of each). Only behind a proxy that sets them: anyone else could.
   */
  trustProxy?: boolean | undefined;
}

export const TWILIO_SIGNATURE_ERRORS = {
  missing: "WEBHOOK_SIGNATURE_MISSING",
  invalid: "WEBHOOK_SIGNATURE_INVALID",
} as const;
export type TwilioSignatureErrorCode = (typeof TWILIO_SIGNATURE_ERRORS)[keyof typeof TWILIO_SIGNATURE_ERRORS];

/** Accepted (with the URL that was checked), or refused with a code and a reason that names no secret. */
export type TwilioSignatureResult =
  | { ok: true; url: string }
  | { ok: false; code: TwilioSignatureErrorCode; reason: string };

export interface TwilioSignedRequest {
  headers: Headers;
  /** The URL the server saw: absolute, or only path and query when `publicUrl` is set. */
  url: string;
  /** Every param of the form body, as received: the signature covers all of them. */
  params: TwilioParams;
}

const ORIGIN = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i;
const HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/** Path and query exactly as received (no re-encoding: Twilio signed those characters), no fragment. */
function pathAndQuery(url: string): string {
  const rest = url.replace(ORIGIN, "").replace(/#.*$/s, "");
  return rest.startsWith("/") ? rest : `/${rest}`;
}

/** The first value of a proxy header (`a, b` lists each hop), trimmed; null when absent. */
const firstValue = (value: string | null) => value?.split(",")[0]?.trim() || null;

/**
 * Checks that `publicUrl` is a base URL (http or https, no query or fragment) and returns it
 * without a trailing slash. Throws at configuration time, so a typo fails fast.
 */
export function normalisePublicUrl(publicUrl: string): string {
  let parsed: URL;
  try {
    parsed = new URL(publicUrl);
  } catch {
    throw new Error("publicUrl must be an absolute URL such as https://clinic.example.test");
  }
  if (!["http:", "https:"].includes(parsed.protocol) || parsed.search || parsed.hash) {
    throw new Error("publicUrl must be an http(s) base URL without query or fragment");
  }
  return publicUrl.trim().replace(/\/+$/, "");
}

/**
 * The URL as Twilio requested it, by the options; null when it cannot be known (a path-only URL
 * without `publicUrl`, or forwarded headers that are not a scheme and a host).
 */
export function twilioRequestUrl(
  request: { headers: Headers; url: string },
  options: TwilioUrlOptions = {},
): string | null {
  const path = pathAndQuery(request.url);
  if (options.publicUrl) return normalisePublicUrl(options.publicUrl) + path;
  const seen = ORIGIN.exec(request.url);
  if (!options.trustProxy) return seen ? request.url.replace(/#.*$/s, "") : null;

  const proto = (firstValue(request.headers.get("x-forwarded-proto")) ?? seen?.[1])?.toLowerCase();
  const host = firstValue(request.headers.get("x-forwarded-host")) ?? seen?.[2] ?? request.headers.get("host");
  if ((proto !== "http" && proto !== "https") || !host || !HOST.test(host)) return null;
  return `${proto}://${host}${path}`;
}

/**
 * Verifies a Twilio webhook's `X-Twilio-Signature` over the URL Twilio requested (see
 * {@link twilioRequestUrl}) and all its params, with `twilio.validateRequest` (HMAC-SHA1, constant
 * time, with and without the default port). A missing header, another URL, a changed, added or
 * removed param, or another account's token: refused.
 *
 * @example
 * const result = verifyTwilioSignature(process.env.TWILIO_AUTH_TOKEN, { headers, url, params }, {
 *   publicUrl: "https://clinic.example.test",
 * });
 * if (!result.ok) return new Response(null, { status: 403 });
 */
export function verifyTwilioSignature(
  authToken: string,
  request: TwilioSignedRequest,
  options: TwilioUrlOptions = {},
): TwilioSignatureResult {
  const signature = request.headers.get("x-twilio-signature")?.trim();
  if (!signature) return { ok: false, code: TWILIO_SIGNATURE_ERRORS.missing, reason: "missing X-Twilio-Signature" };
  const url = twilioRequestUrl(request, options);
  if (!url) return { ok: false, code: TWILIO_SIGNATURE_ERRORS.invalid, reason: "the signed URL cannot be rebuilt" };
  if (!authToken) return { ok: false, code: TWILIO_SIGNATURE_ERRORS.invalid, reason: "no auth token configured" };
  let valid = false;
  try {
    valid = twilio.validateRequest(authToken, signature, url, request.params);
  } catch {
    // Its fallback parses the URL with `new URL()`, which throws on one that is not.
  }
  return valid
    ? { ok: true, url }
    : { ok: false, code: TWILIO_SIGNATURE_ERRORS.invalid, reason: "signature does not match" };
}
