/**
 * The Twilio webhook handlers (status callbacks and inbound SMS), framework-agnostic: the HTTP
 * adapter mounts them on routes and hands them the headers, the raw body and the URL. They do the
 * least that makes a delivery safe (DESIGN.md "Event log first"): size check, signature, shape,
 * the org, one append to the event log; the projector does the rest.
 */
import type { Organization, Voxanne } from "@voxanne/core";
import { isVoxanneError, NotFound, ValidationFailed } from "@voxanne/core";
import type { ParsedTwilioPayload, TwilioLoggedPayload, TwilioParams, TwilioWebhookKind } from "./messages.ts";
import { parseTwilioForm, parseTwilioParams } from "./messages.ts";
import type { TwilioUrlOptions } from "./signature.ts";
import { normalisePublicUrl, verifyTwilioSignature } from "./signature.ts";

export type TwilioWebhookLogLevel = "debug" | "info" | "warn" | "error";
/** Where the handlers report; fields never hold phone numbers, message bodies or tokens. */
export type TwilioWebhookLog = (level: TwilioWebhookLogLevel, message: string, fields: Record<string, unknown>) => void;

export interface TwilioWebhookOptions extends TwilioUrlOptions {
  /** A Voxanne with `twilioDecoder` registered. */
  voxanne: Voxanne;
  /** The account's auth token, which signs every webhook. */
  authToken: string;
  /** Larger bodies are refused with 413 (default 64 KiB; an SMS webhook is well under 2 KB). */
  maxBodyBytes?: number;
  log?: TwilioWebhookLog;
}

export interface TwilioWebhookRequest {
  headers: Headers;
  /** The body exactly as received. */
  rawBody: Uint8Array;
  /** The URL the server saw (see `TwilioUrlOptions` for the one Twilio signed). */
  url: string;
}

export interface TwilioWebhookResponse {
  status: number;
  /** A JSON value, or a string of `contentType`. */
  body: unknown;
  /** Absent for JSON bodies. */
  contentType?: string;
}

export interface TwilioWebhookHandlers {
  /** The `StatusCallback` URL: delivery reports of the SMS Voxanne sent. */
  status(request: TwilioWebhookRequest): Promise<TwilioWebhookResponse>;
  /** The number's (or Messaging Service's) incoming-message URL: SMS sent to the clinic. */
  inbound(request: TwilioWebhookRequest): Promise<TwilioWebhookResponse>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The query parameter of a (signed) webhook URL that names the org, e.g. in a `StatusCallback`. */
export const TWILIO_ORG_PARAM = "org";
/** The query parameter of a status callback URL that names our message (closes the race with its vendor id). */
export const TWILIO_MESSAGE_PARAM = "message";

/** "Nothing to reply": Twilio expects TwiML from an incoming-message URL, and already answered STOP itself. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const failure = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) => ({
  status,
  body: { error: { code, message, ...extra } },
});
const invalid = (error: ValidationFailed) =>
  failure(400, error.code, error.message, { issues: error.issues.map(({ path, message }) => ({ path, message })) });
const acknowledged = (kind: TwilioWebhookKind): TwilioWebhookResponse =>
  kind === "inbound" ? { status: 200, body: EMPTY_TWIML, contentType: "text/xml" } : { status: 200, body: {} };

/**
 * The event key of a delivery: `{MessageSid}:{MessageStatus}` for a status callback (one per
 * status of a message: Twilio's duplicates are stored once), `{MessageSid}:inbound` for an SMS.
 */
export function twilioEventKey(webhook: ParsedTwilioPayload): string {
  const { MessageSid } = webhook.params;
  return webhook.kind === "status" ? `${MessageSid}:${webhook.params.MessageStatus}` : `${MessageSid}:inbound`;
}

/** The ways a webhook names its org, most specific first; each is tried until one is an org. */
type OrgHint = { by: "org"; id: string } | { by: "sender"; value: string };

function orgHintsOf(webhook: ParsedTwilioPayload, url: string): OrgHint[] {
  const { params } = webhook;
  const id = new URL(url, "http://localhost").searchParams.get(TWILIO_ORG_PARAM);
  const byId: OrgHint[] = id ? [{ by: "org", id }] : [];
  const senders = [webhook.kind === "inbound" ? webhook.params.To : webhook.params.From, params.MessagingServiceSid]
    .filter((value): value is string => typeof value === "string" && value !== "")
    .map((value): OrgHint => ({ by: "sender", value }));
  // An inbound SMS belongs to the clinic's number; a status callback's URL is ours, the org in it.
  return webhook.kind === "inbound" ? [...senders, ...byId] : [...byId, ...senders];
}

/** Runs a parse: its value, or the 400 that names the bad fields. Other errors are bugs and throw. */
function readOrRefuse<T>(parse: () => T): { ok: true; value: T } | { ok: false; response: TwilioWebhookResponse } {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof ValidationFailed) return { ok: false, response: invalid(error) };
    throw error;
  }
}

/**
 * Makes the two handlers. Answers, by case:
 * - 413 body over `maxBodyBytes`; 400 a body that is not UTF-8 form data;
 * - 403 `{error: {code}}` when `X-Twilio-Signature` is missing or does not match the URL Twilio
 *   requested and every param (nothing is read further, nothing stored);
 * - 400 when a param Voxanne reads is missing or repeated (`error.issues` names each one);
 * - 200 when no org has the number (or the `org` URL param): logged, nothing stored, Twilio stops;
 * - otherwise the webhook is appended to the event log as `{ kind, params }` under
 *   {@link twilioEventKey}, then 200: `{}` for a status callback, empty TwiML (`text/xml`) for an
 *   inbound SMS; 503 when the append (or the org lookup) fails; 500 `INTERNAL` for anything else.
 * The org: inbound by `To`, then `MessagingServiceSid`, then the URL's `org` param; a status
 * callback by the URL's `org` param, then `From` (the org's sender), then `MessagingServiceSid`.
 * A status for a message Voxanne does not know is acknowledged and stored (the core ignores it).
 *
 * @example
 * const twilioHooks = twilioWebhookHandlers({ voxanne, authToken, publicUrl: "https://clinic.example.test" });
 * app.post("/webhooks/twilio/sms-inbound", async (c) => {
 *   const reply = await twilioHooks.inbound({
 *     headers: c.req.raw.headers, rawBody: new Uint8Array(await c.req.arrayBuffer()), url: c.req.url,
 *   });
 *   return reply.contentType ? c.body(String(reply.body), reply.status, { "content-type": reply.contentType }) : c.json(reply.body, reply.status);
 * });
 */
export function twilioWebhookHandlers(options: TwilioWebhookOptions): TwilioWebhookHandlers {
  const { voxanne, authToken } = options;
  if (!voxanne.deps.decoders.has("twilio")) {
    throw new Error("twilioWebhookHandlers needs a Voxanne created with `decoders: [twilioDecoder]`");
  }
  if (!authToken) throw new Error("twilioWebhookHandlers needs the Twilio auth token");
  const urlOptions: TwilioUrlOptions = {
    publicUrl: options.publicUrl ? normalisePublicUrl(options.publicUrl) : undefined,
    trustProxy: options.trustProxy ?? false,
  };
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { storage } = voxanne.deps;
  const log: TwilioWebhookLog = (level, message, fields) => {
    try {
      options.log?.(level, message, fields);
    } catch {
      // A broken logger must not turn an answer into a failure.
    }
  };

  async function orgById(id: string): Promise<Organization | null> {
    if (id.length > 100) return null;
    try {
      return await storage.transaction(id, (tx) => tx.organization.get());
    } catch (error) {
      if (error instanceof NotFound) return null;
      throw error;
    }
  }

  async function findOrg(hints: OrgHint[]): Promise<{ org: Organization; by: OrgHint["by"] } | null> {
    for (const hint of hints) {
      const org = hint.by === "org" ? await orgById(hint.id) : await storage.organizations.findBySmsNumber(hint.value);
      if (org) return { org, by: hint.by };
    }
    return null;
  }

  /** Best effort, after the append: says in the log when a status names no message of the org. */
  async function noteUnknownMessage(orgId: string, messageSid: string, fields: Record<string, unknown>) {
    try {
      const message = await storage.transaction(orgId, (tx) => tx.messages.findByVendorMessageId(messageSid));
      if (!message) log("warn", "twilio status callback for an unknown message", fields);
    } catch {
      // Only a log line depends on it.
    }
  }

  async function handle(kind: TwilioWebhookKind, request: TwilioWebhookRequest): Promise<TwilioWebhookResponse> {
    if (request.rawBody.byteLength > maxBodyBytes) {
      return failure(413, "PAYLOAD_TOO_LARGE", `The body is over ${maxBodyBytes} bytes`);
    }
    const form = readOrRefuse(() => parseTwilioForm(request.rawBody));
    if (!form.ok) return form.response;
    const params: TwilioParams = form.value;

    const signature = verifyTwilioSignature(
      authToken,
      { headers: request.headers, url: request.url, params },
      urlOptions,
    );
    if (!signature.ok) {
      log("warn", "twilio webhook refused", { kind, code: signature.code, reason: signature.reason });
      return failure(403, signature.code, "The webhook signature could not be verified");
    }
    const parsed = readOrRefuse(() => parseTwilioParams(kind, params));
    if (!parsed.ok) return parsed.response;
    const webhook = parsed.value;
    const fields: Record<string, unknown> = {
      kind,
      messageSid: webhook.params.MessageSid,
      ...(webhook.kind === "status" && { messageStatus: webhook.params.MessageStatus }),
    };

    let found: Awaited<ReturnType<typeof findOrg>>;
    try {
      found = await findOrg(orgHintsOf(webhook, request.url));
    } catch (error) {
      log("error", "twilio webhook: organization lookup failed", { ...fields, error: describe(error) });
      return failure(503, "STORAGE_UNAVAILABLE", "Try again later");
    }
    if (!found) {
      log("warn", "twilio webhook for an unknown organization", fields);
      return acknowledged(kind);
    }

    const orgId = found.org.id;
    const messageId = new URL(request.url, "http://localhost").searchParams.get(TWILIO_MESSAGE_PARAM);
    const payload: TwilioLoggedPayload = { kind, params, ...(kind === "status" && messageId && { messageId }) };
    try {
      const { inserted } = await voxanne.receive("twilio", orgId, twilioEventKey(webhook), payload);
      log("info", "twilio webhook logged", { ...fields, orgId, orgBy: found.by, inserted });
    } catch (error) {
      if (error instanceof ValidationFailed) return invalid(error);
      log("error", "twilio webhook not logged", { ...fields, orgId, error: describe(error) });
      return failure(503, "EVENT_LOG_UNAVAILABLE", "The event could not be stored; try again later");
    }
    if (kind === "status") await noteUnknownMessage(orgId, webhook.params.MessageSid, { ...fields, orgId });
    return acknowledged(kind);
  }

  const guarded = (kind: TwilioWebhookKind) => async (request: TwilioWebhookRequest) => {
    try {
      return await handle(kind, request);
    } catch (error) {
      log("error", "twilio webhook failed", { kind, error: describe(error) });
      return failure(500, "INTERNAL", "Internal error");
    }
  };
  return { status: guarded("status"), inbound: guarded("inbound") };
}

/** An error as logs may hold it: its kind and code, never its message (which may quote a payload). */
function describe(error: unknown): Record<string, unknown> {
  if (isVoxanneError(error)) return { name: error.name, code: error.code };
  return { name: error instanceof Error ? error.name : typeof error };
}
