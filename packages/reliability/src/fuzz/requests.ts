/**
 * Hostile requests, generated per documented operation: attack values in path params, query
 * params and every body field; malformed and oversized bodies; wrong content types; forged tokens.
 * The vendors' webhooks get their own shapes: Vapi messages under forged secrets, Twilio forms
 * under forged signatures. Each request says who it may legitimately write for or read as.
 */
import { twilioSignature } from "@voxanne/adapter-twilio/testing";
import fc from "fast-check";
import { attackSegment, attackString, attackValue, encodeSegment, malformedBody } from "./attacks.ts";
import type { Credential } from "./credentials.ts";
import type { Tenant } from "./fuzzServer.ts";
import type { Operation } from "./operations.ts";
import type { RawRequest } from "./rawRequest.ts";

type Schema = Record<string, unknown>;

export interface FuzzRequest {
  raw: RawRequest;
  /** Whose data the request is entitled to write and read: a tenant, any (a valid Twilio signature), or none. */
  entitled: "a" | "b" | "any" | "none";
  /** The JSON sent, when it was a JSON value: an accepted write must satisfy `schema`. */
  json?: unknown;
  schema: Schema | null;
  /** Larger than the body limit: the server may close before reading it (status 0). */
  oversize: boolean;
}

export interface FuzzContext {
  a: Tenant;
  b: Tenant;
  credentials: Credential[];
  publicUrl: string;
  twilioAuthToken: string;
}

/** Beyond the 2 MiB body limit. */
const OVERSIZE = `{"name":"${"x".repeat(2 * 1024 * 1024 + 16)}"}`;
const EXTRA_FIELDS = ["orgId", "org_id", "id", "__proto__", "createdAt", "deletedAt"];

const ids = (t: Tenant) => [...t.contactIds, ...t.callIds, ...t.serviceIds, t.id];

/** A body for `schema`: its fields (and some it does not know) filled with attack values. */
function jsonBody(schema: Schema | null, others: string[]) {
  const names = [...Object.keys((schema?.properties ?? {}) as Schema), ...EXTRA_FIELDS];
  return fc.dictionary(fc.constantFrom(...names), attackValue(others), { maxKeys: 5 });
}

type BodyChoice = { bytes?: Buffer | string; json?: unknown; chunked?: boolean; oversize?: boolean };

const bodyOf = (schema: Schema | null, others: string[]): fc.Arbitrary<BodyChoice> =>
  fc.oneof(
    { weight: 6, arbitrary: jsonBody(schema, others).map((json) => ({ bytes: JSON.stringify(json), json })) },
    { weight: 1, arbitrary: attackValue(others).map((json) => ({ bytes: JSON.stringify(json) ?? "", json })) },
    { weight: 3, arbitrary: malformedBody.map((bytes) => ({ bytes })) },
    { weight: 1, arbitrary: fc.boolean().map((chunked) => ({ bytes: OVERSIZE, chunked, oversize: true })) },
  );

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  undefined,
];

/** A request to a documented API operation. */
export function apiRequest(operation: Operation, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const others = [...ids(context.a), ...ids(context.b)];
  const segment = fc.oneof(attackSegment(others), fc.constantFrom(...others).map(encodeSegment));
  const queryName = fc.oneof(
    fc.constantFrom(...operation.query.map((q) => q.name), "orgId", "limit"),
    attackString([]),
  );
  const queryValue = fc.oneof(
    attackString(others),
    fc.constantFrom("inbound", "hot", "booked", "999", "0", "2024-01-01T00:00:00Z", "not-a-date"),
  );
  const hasBody = operation.body !== null;
  return fc
    .record({
      credential: fc.constantFrom(...context.credentials),
      segments: fc.tuple(...operation.pathParams.map(() => segment)),
      query: fc.array(fc.tuple(queryName, queryValue), { maxLength: 4 }),
      body: hasBody
        ? bodyOf(operation.body, others)
        : fc.option(bodyOf(null, others), { freq: 5, nil: {} as BodyChoice }),
      contentType: fc.constantFrom(...CONTENT_TYPES),
    })
    .map(({ credential, segments, query, body, contentType }) => {
      let i = 0;
      const path = operation.path.replace(/\{[^}]+\}/g, () => segments[i++] ?? "x");
      const search = query.map(([k, v]) => `${encodeSegment(k)}=${encodeSegment(v)}`).join("&");
      const headers: Record<string, string> = {};
      if (credential.header) headers.authorization = credential.header;
      if (contentType && body.bytes !== undefined) headers["content-type"] = contentType;
      return {
        raw: {
          method: operation.method,
          path: search ? `${path}?${search}` : path,
          headers,
          ...(body.bytes !== undefined && { body: body.bytes }),
          ...(body.chunked && { chunked: true }),
        },
        entitled: credential.kind === "a" || credential.kind === "b" ? credential.kind : "none",
        ...(body.json !== undefined && { json: body.json }),
        schema: operation.body,
        oversize: body.oversize === true,
      } satisfies FuzzRequest;
    });
}

/** A Vapi webhook: a message naming A's, B's or an unknown assistant, under a right or forged secret. */
export function vapiRequest(context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const { a, b } = context;
  const others = [...ids(a), ...ids(b)];
  const message = fc.record(
    {
      type: fc.oneof(
        fc.constantFrom("status-update", "end-of-call-report", "tool-calls", "function-call", "hang", "transcript"),
        attackString(others),
      ),
      status: fc.oneof(fc.constantFrom("in-progress", "ended", "ringing"), attackValue(others)),
      timestamp: fc.oneof(fc.integer({ min: 0 }), attackValue(others)),
      assistant: fc.record({ id: fc.oneof(fc.constantFrom(a.assistantId, b.assistantId), attackString([])) }),
      call: fc.record(
        {
          id: attackValue(others),
          assistantId: fc.oneof(fc.constantFrom(a.assistantId, b.assistantId), attackValue([])),
          customer: fc.record({ number: attackValue([a.smsFrom]), name: attackValue(others) }, { requiredKeys: [] }),
          assistantOverrides: fc.record({
            metadata: fc.record({ callId: attackValue(others), orgId: attackValue(others) }),
          }),
        },
        { requiredKeys: ["assistantId"] },
      ),
      artifact: fc.record({ transcript: attackValue([]), messages: attackValue([]) }, { requiredKeys: [] }),
      toolCallList: fc.array(
        fc.record({
          id: attackValue([]),
          type: fc.constant("function"),
          function: fc.record({ name: attackValue(["book_appointment"]), arguments: attackValue([]) }),
        }),
        { maxLength: 2 },
      ),
    },
    { requiredKeys: ["type", "assistant", "call"] },
  );
  const secrets: [string, Record<string, string>][] = [
    ["a", { "x-vapi-secret": (a.vapiAuth as { secret: string }).secret }],
    ["b", { "x-vapi-secret": (b.vapiAuth as { secret: string }).secret }],
    ["none", { "x-vapi-secret": "wrong-secret" }],
    ["none", {}],
    ["none", { authorization: `Bearer ${(a.vapiAuth as { secret: string }).secret}` }],
  ];
  return fc
    .record({
      secret: fc.constantFrom(...secrets),
      body: fc.oneof(
        { weight: 6, arbitrary: message.map((m) => ({ json: { message: m } as unknown })) },
        { weight: 2, arbitrary: bodyOf(null, others) },
      ),
    })
    .map(({ secret: [owner, headers], body }) => {
      const json = body.json as
        | { message?: { call?: { assistantId?: unknown }; assistant?: { id?: unknown } } }
        | undefined;
      const bytes = "bytes" in body ? body.bytes : JSON.stringify(body.json);
      // The secret only entitles the org it belongs to, and only for messages naming that org.
      const named = [json?.message?.call?.assistantId, json?.message?.assistant?.id];
      const ownAssistant = owner === "a" ? a.assistantId : owner === "b" ? b.assistantId : null;
      const entitled = ownAssistant && named.includes(ownAssistant) ? (owner as "a" | "b") : "none";
      return {
        raw: {
          method: "POST",
          path: "/webhooks/vapi",
          headers: { "content-type": "application/json", ...headers },
          body: bytes ?? "",
        },
        entitled,
        schema: null,
        oversize: "oversize" in body && body.oversize === true,
      } satisfies FuzzRequest;
    });
}

/** A Twilio webhook form under a valid or forged `X-Twilio-Signature` (Twilio's token is the account's, for every org). */
export function twilioRequest(path: string, context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const { a, b } = context;
  const others = [...ids(a), ...ids(b)];
  const text = (known: string[]) => fc.oneof(fc.constantFrom(...known), attackString(others));
  const params = fc.record(
    {
      MessageSid: text(["SM0123456789abcdef0123456789abcdef"]),
      MessageStatus: text(["delivered", "failed", "sent", "undelivered"]),
      AccountSid: text([`AC${"f".repeat(32)}`]),
      From: text([a.smsFrom, b.smsFrom, "+13125550111"]),
      To: text([a.smsFrom, b.smsFrom]),
      Body: text(["STOP", "hello"]),
      ErrorCode: text(["30003"]),
    },
    { requiredKeys: [] },
  );
  const org = fc.oneof(fc.constantFrom(a.id, b.id), attackString([]));
  const signature = fc.constantFrom("valid", "wrong token", "other url", "random", "missing");
  return fc
    .record({ params, org, signature, raw: fc.option(malformedBody, { freq: 4 }) })
    .map(({ params, org, signature, raw }) => {
      const query = `?org=${encodeSegment(org)}`;
      const url = `${context.publicUrl}${path}${query}`;
      // What the server reads back from the form (a lone surrogate arrives as U+FFFD).
      const form = new URLSearchParams(params as Record<string, string>);
      const sent = Object.fromEntries(form);
      const signatures: Record<string, string | undefined> = {
        valid: twilioSignature(context.twilioAuthToken, url, sent),
        "wrong token": twilioSignature("not-the-auth-token-0123456789", url, sent),
        "other url": twilioSignature(context.twilioAuthToken, `${context.publicUrl}/elsewhere${query}`, sent),
        random: "dGhpcyBpcyBub3QgYSBzaWduYXR1cmU=",
        missing: undefined,
      };
      const header = signatures[signature];
      return {
        raw: {
          method: "POST",
          path: `${path}${query}`,
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            ...(header && { "x-twilio-signature": header }),
          },
          body: raw ?? form.toString(),
        },
        entitled: signature === "valid" && raw === null ? "any" : "none",
        schema: null,
        oversize: false,
      } satisfies FuzzRequest;
    });
}
