/**
 * Signed, expiring links to a call's stored recording. A browser's `<audio src>` sends no
 * Authorization header, so the link itself carries the proof: an HMAC-SHA256 (WebCrypto) over
 * (org, call, expiry), checked against the Clock.
 */
import type { Call } from "../../domain/call.ts";
import { NotConfigured, NotFound, ValidationFailed } from "../../domain/errors.ts";
import type { Deps } from "../context.ts";
import { Id } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";

export const DEFAULT_RECORDING_LINK_TTL_SECONDS = 3_600;
/** Longer-lived links are refused: a leaked link should not play for long. */
export const MAX_RECORDING_LINK_TTL_SECONDS = 7 * 86_400;
const MIN_SECRET_LENGTH = 32;

/** A link's parts as the HTTP route reads them from its path and query (untrusted). */
export interface RecordingLinkParts {
  orgId?: string | undefined;
  callId: string;
  expires: string | number;
  sig: string;
}

const invalid = () =>
  new ValidationFailed([{ path: "sig", message: "is not a valid link to this recording" }], "RECORDING_LINK_INVALID");

/** The HMAC key for `secret`; a short secret is a configuration error, not a caller's. */
function keyOf(secret: string) {
  if (typeof secret !== "string" || secret.length < MIN_SECRET_LENGTH) {
    throw new NotConfigured(
      "RECORDING_LINK_SECRET_WEAK",
      `The recording link secret must be at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
  const raw = new TextEncoder().encode(secret);
  return globalThis.crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

/** What is signed: JSON keeps the fields apart whatever characters the ids hold. */
const signedData = (orgId: string, callId: string, expires: number) =>
  new TextEncoder().encode(JSON.stringify(["voxanne.recording-link.v1", orgId, callId, expires]));

/** The call's stored recording location, or `NotFound` (no such call, deleted, or nothing stored yet). */
async function storedRecording(deps: Deps, orgId: string, callId: string): Promise<string> {
  const call: Call | null = await deps.storage.transaction(orgId, (tx) => tx.calls.getById(callId));
  if (!call || call.deletedAt || call.recordingStatus !== "completed" || !call.recordingLocation) {
    throw new NotFound("recording", callId);
  }
  return call.recordingLocation;
}

/**
 * A link to the call's stored recording that works until `expiresAt` (default one hour), for
 * anyone holding it: `/api/calls/<callId>/recording/file?org=<orgId>&expires=<unix s>&sig=<hex>`.
 * `NotFound` when the call has no stored recording.
 *
 * @example
 * const { path } = await signRecordingLink(voxanne.deps, orgId, callId, { secret: env.RECORDING_LINK_SECRET });
 */
export async function signRecordingLink(
  deps: Deps,
  orgId: string,
  callId: string,
  options: { secret: string; ttlSeconds?: number },
): Promise<{ path: string; expiresAt: Date }> {
  const ttl = options.ttlSeconds ?? DEFAULT_RECORDING_LINK_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_RECORDING_LINK_TTL_SECONDS) {
    throw new ValidationFailed([
      { path: "ttlSeconds", message: `must be a whole number of seconds from 1 to ${MAX_RECORDING_LINK_TTL_SECONDS}` },
    ]);
  }
  const key = await keyOf(options.secret);
  validate(Id, callId);
  await storedRecording(deps, orgId, callId);
  const expires = Math.ceil(deps.clock.now().getTime() / 1000) + ttl;
  const sig = await globalThis.crypto.subtle.sign("HMAC", key, signedData(orgId, callId, expires));
  const query = new URLSearchParams({ org: orgId, expires: String(expires), sig: toHex(new Uint8Array(sig)) });
  return {
    path: `/api/calls/${encodeURIComponent(callId)}/recording/file?${query}`,
    expiresAt: new Date(expires * 1000),
  };
}

/**
 * Checks a link made by `signRecordingLink` and returns where its recording is stored.
 * `RECORDING_LINK_INVALID` (a `ValidationFailed`) for a forged, altered or malformed link, checked
 * first and in constant time; `RECORDING_LINK_EXPIRED` for a genuine link past its expiry;
 * `NotFound` when the recording is gone since (call deleted).
 */
export async function verifyRecordingLink(
  deps: Deps,
  link: RecordingLinkParts,
  secret: string,
): Promise<{ orgId: string; location: string }> {
  const key = await keyOf(secret);
  const parts = parseLink(link);
  if (!parts) throw invalid();
  const { orgId, callId, expires, sig } = parts;
  if (!(await globalThis.crypto.subtle.verify("HMAC", key, sig, signedData(orgId, callId, expires)))) throw invalid();
  if (deps.clock.now().getTime() > expires * 1000) {
    throw new ValidationFailed([{ path: "expires", message: "the link has expired" }], "RECORDING_LINK_EXPIRED");
  }
  return { orgId, location: await storedRecording(deps, orgId, callId) };
}

/** The link's parts, typed, or undefined when any is missing or malformed. */
function parseLink(link: RecordingLinkParts) {
  const { orgId, callId } = link;
  const isId = (id: unknown): id is string => typeof id === "string" && id.length > 0 && id.length <= 100;
  const expires =
    typeof link.expires === "string" && /^\d{1,12}$/.test(link.expires) ? Number(link.expires) : link.expires;
  const sig = fromHex(link.sig);
  if (!isId(orgId) || !isId(callId) || typeof expires !== "number" || !Number.isSafeInteger(expires) || !sig) {
    return undefined;
  }
  return { orgId, callId, expires, sig };
}

const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

/** 32 bytes from 64 hex digits, or undefined. */
function fromHex(hex: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));
}
