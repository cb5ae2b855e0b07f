import type { Call, Storage, VapiWebhookAuth } from "@voxanne/core";
import { newContact } from "@voxanne/core";
import { appendFailureSwitch, memoryStorage, orgState, testVoxanne } from "@voxanne/core/testing";
import { describe, expect, it, vi } from "vitest";
import { vapiDecoder } from "./decoder.ts";
import { readVapiFixture } from "./testing/vapiFixtures.ts";
import { webhookAuthHeaders } from "./testing/webhookSender.ts";
import type { VapiWebhookLogLevel } from "./webhooks.ts";
import { DEFAULT_MAX_BODY_BYTES, TOOL_FAILURES, vapiWebhookHandler } from "./webhooks.ts";

/** Lets a test make the booking tool throw, as a bug in it would. */
const tools = vi.hoisted(() => ({ fail: false }));
vi.mock("./tools.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("./tools.ts")>();
  return {
    ...real,
    answerToolCalls: (...args: Parameters<typeof real.answerToolCalls>) =>
      tools.fail ? Promise.reject(new Error("tool bug")) : real.answerToolCalls(...args),
  };
});

// The fixtures' setting (vendors/fixtures/README.md).
const ASSISTANT = "a1b2c3d4-5555-4e6f-8a9b-0000000000a1";
const PHONE_NUMBER = "9c8b7a6d-5555-4f3e-9d2c-0000000000b1";
const SECRET = "s3cret-s3cret-s3cret";
const callOf = (n: number) => `0b1c2d3e-5555-4a7b-8c9d-0000000000c${n}`;

const STORED = [
  "status-update.in-progress.json",
  "status-update.ended.json",
  "status-update.ended.customer-did-not-answer.json",
  "end-of-call-report.inbound-botox-booked.json",
  "end-of-call-report.inbound-rhinoplasty-no-booking.json",
  "end-of-call-report.outbound-callback.json",
  "end-of-call-report.outbound-no-answer.json",
  "end-of-call-report.outbound-voicemail.json",
];
const TOOL_CALLS = ["tool-calls.book-appointment.json", "tool-calls.book-appointment.string-arguments.json"];
const LEGACY_CALL = "function-call.book-appointment.legacy.json";

type AuthInput =
  | { type: "none" }
  | { type: "secretHeader"; headerName?: string; secret: string }
  | { type: "bearer"; token: string }
  | { type: "hmac"; secret: string; algorithm?: "sha256" | "sha512" | "sha1"; maxSkewSeconds?: number };

const SCHEMES: [string, AuthInput][] = [
  ["none", { type: "none" }],
  ["secretHeader", { type: "secretHeader", secret: SECRET }],
  ["bearer", { type: "bearer", token: SECRET }],
  ["hmac", { type: "hmac", secret: SECRET }],
];

// biome-ignore lint/suspicious/noExplicitAny: fixtures are edited freely in tests.
type Json = any;
const fixture = (name: string) => readVapiFixture<Json>(name);
const bytes = (text: string) => new TextEncoder().encode(text);

async function setup(
  auth: AuthInput = { type: "none" },
  options: { maxBodyBytes?: number; storage?: Storage; orgCacheMs?: number } = {},
) {
  const t = testVoxanne({ decoders: [vapiDecoder], ...(options.storage && { storage: options.storage }) });
  const org = await t.voxanne.organizations.create({
    name: "Bright Aesthetics",
    timezone: "America/New_York",
    agent: { assistantIds: [ASSISTANT], vapiWebhookAuth: auth },
  });
  const logs: { level: VapiWebhookLogLevel; message: string; fields: Record<string, unknown> }[] = [];
  const handle = vapiWebhookHandler({
    voxanne: t.voxanne,
    log: (level, message, fields) => logs.push({ level, message, fields }),
    ...(options.maxBodyBytes && { maxBodyBytes: options.maxBodyBytes }),
    ...(options.orgCacheMs !== undefined && { orgCacheMs: options.orgCacheMs }),
  });
  const vapiAuth: VapiWebhookAuth = org.agent.vapiWebhookAuth;
  /** POSTs like Vapi: the body as given (a string byte for byte), signed for the org unless told otherwise. */
  const post = (body: unknown, extra: { headers?: Record<string, string>; timestamp?: number | string } = {}) => {
    const raw = typeof body === "string" ? body : JSON.stringify(body);
    const signedHeaders = webhookAuthHeaders(raw, vapiAuth, extra.timestamp ?? t.clock.now().getTime());
    return handle({ headers: new Headers({ ...signedHeaders, ...extra.headers }), rawBody: bytes(raw) });
  };
  const logged = () => t.storage.eventLog.read({ afterSeq: 0, limit: 100 });
  return { t, org, handle, post, logged, logs };
}

describe.each(SCHEMES)("vapiWebhookHandler, %s authentication", (_, auth) => {
  it("answers 200 to every message fixture and logs each once, duplicates included", async () => {
    const { post, logged, org } = await setup(auth);
    for (const name of STORED) {
      const payload = await fixture(name);
      expect(await post(payload), name).toMatchObject({ status: 200, body: {} });
      expect(await post(payload), `${name} again`).toMatchObject({ status: 200, body: {} });
    }
    const log = await logged();
    expect(log.map((e) => e.eventKey)).toEqual([
      `${callOf(1)}:status-update:in-progress:1763650931520`,
      `${callOf(1)}:status-update:ended:1763651022948`,
      `${callOf(4)}:status-update:ended:1763740834113`,
      `${callOf(1)}:end-of-call-report::1763651028998`,
      `${callOf(2)}:end-of-call-report::1763664124254`,
      `${callOf(3)}:end-of-call-report::1763735453293`,
      `${callOf(4)}:end-of-call-report::1763740835323`,
      `${callOf(5)}:end-of-call-report::1763741130042`,
    ]);
    expect(log.every((e) => e.orgId === org.id && e.provider === "vapi")).toBe(true);
    // Stored verbatim: the payload as Vapi sent it.
    expect(log[3]?.payload).toEqual(await fixture(STORED[3]!));
  });

  it("answers a tool call inline and logs it", async () => {
    const { post, logged } = await setup(auth);
    const reply = await post(await fixture(TOOL_CALLS[0]!));
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      results: [{ toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc", name: "book_appointment", result: expect.any(String) }],
    });
    expect((await logged()).map((e) => e.eventKey)).toEqual([`${callOf(1)}:tool-calls::1763650973415`]);
  });
});

describe("vapiWebhookHandler: tool calls", () => {
  const BOOKED = {
    toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc",
    name: "book_appointment",
    result: expect.stringMatching(/^Booked Botox\b[^\n]*$/),
  };

  it("answers arguments as an object or a JSON string, and a retried call the same way", async () => {
    const { post, logged } = await setup();
    const first = await post(await fixture(TOOL_CALLS[0]!));
    expect(first).toEqual({ status: 200, body: { results: [BOOKED] } });
    // The same tool call again (Vapi's retry, or the string form of it): the same answer, no second booking.
    expect(await post(await fixture(TOOL_CALLS[1]!))).toEqual(first);
    expect(await post(await fixture(TOOL_CALLS[0]!))).toEqual(first);
    // Both forms are one delivery of one message: one key, stored once.
    expect((await logged()).map((e) => e.eventKey)).toEqual([`${callOf(1)}:tool-calls::1763650973415`]);
  });

  it("answers the legacy function-call with {result} and logs it", async () => {
    const { post, logged } = await setup();
    const reply = await post(await fixture(LEGACY_CALL));
    expect(reply).toEqual({ status: 200, body: { result: expect.stringMatching(/^Booked Botox\b[^\n]*$/) } });
    expect((await logged()).map((e) => e.eventKey)).toEqual([`${callOf(1)}:function-call::1763650973415`]);
  });

  it("books once through the tool, and the report makes the call booked", async () => {
    const { post, t, org } = await setup({ type: "hmac", secret: SECRET });
    expect((await post(await fixture(STORED[0]!))).status).toBe(200);
    expect((await post(await fixture(TOOL_CALLS[0]!))).body).toEqual({ results: [BOOKED] });
    expect((await post(await fixture(STORED[3]!))).status).toBe(200);
    await t.voxanne.settle();
    const calls = (await t.voxanne.calls.list(org.id)).items;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      vendorCallId: callOf(1),
      status: "completed",
      bookingConfirmed: true,
      financialValueCents: 40_000,
      toolCalls: [{ toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc", name: "book_appointment", succeeded: true }],
    });
    const contacts = (await t.voxanne.contacts.list(org.id)).items;
    expect(contacts).toMatchObject([{ phone: "+15555550123", leadStatus: "booked" }]);
  });
});

describe("vapiWebhookHandler: who is asking", () => {
  it("finds the org by its phone number id when the assistant is not its own", async () => {
    const t = testVoxanne({ decoders: [vapiDecoder] });
    const org = await t.voxanne.organizations.create({ name: "Clinic", agent: { phoneNumberId: PHONE_NUMBER } });
    const handle = vapiWebhookHandler({ voxanne: t.voxanne });
    const raw = JSON.stringify(await fixture(STORED[0]!));
    expect(await handle({ headers: new Headers(), rawBody: bytes(raw) })).toMatchObject({ status: 200, body: {} });
    expect(await t.storage.eventLog.read({ afterSeq: 0, limit: 10 })).toMatchObject([{ orgId: org.id }]);
  });

  it("answers a stored delivery with its ids for the caller's log line, and logs it itself at debug only", async () => {
    const { post, org, logs } = await setup();
    const payload = await fixture(STORED[3]!);
    const context = { orgId: org.id, type: "end-of-call-report", vendorCallId: callOf(1), inserted: true };
    expect(await post(payload)).toEqual({ status: 200, body: {}, context });
    expect(await post(payload)).toEqual({ status: 200, body: {}, context: { ...context, inserted: false } });
    expect(logs.map((l) => l.level)).toEqual(["debug", "debug"]);
  });

  it("acknowledges a message of an unknown org with 202, stores nothing and logs it without personal data", async () => {
    const { post, logged, logs } = await setup();
    const payload = await fixture("end-of-call-report.inbound-botox-booked.json");
    payload.message.call.assistantId = "a1b2c3d4-5555-4e6f-8a9b-00000000ffff";
    payload.message.call.phoneNumberId = "9c8b7a6d-5555-4f3e-9d2c-00000000ffff";
    payload.message.phoneNumber.id = "9c8b7a6d-5555-4f3e-9d2c-00000000ffff";
    expect(await post(payload)).toEqual({ status: 202, body: {} });
    expect(await post({ message: { type: "hang" } })).toEqual({ status: 202, body: {} });
    expect(await logged()).toEqual([]);
    expect(logs).toMatchObject([
      { level: "warn", fields: { type: "end-of-call-report" } },
      { level: "warn", fields: { type: "hang", agentIds: [] } },
    ]);
    expect(JSON.stringify(logs)).not.toMatch(/\+1555|Botox|Maria/);
  });

  describe.each([
    ["secretHeader", { type: "secretHeader", secret: SECRET } as AuthInput],
    ["bearer", { type: "bearer", token: SECRET } as AuthInput],
    ["hmac", { type: "hmac", secret: SECRET } as AuthInput],
  ])("refuses with 401 and stores nothing (%s)", (scheme, auth) => {
    const refusals: Record<string, [string, (p: Awaited<ReturnType<typeof setup>>, body: Json) => Promise<unknown>][]> =
      {
        secretHeader: [
          ["a wrong secret", (s, body) => s.post(body, { headers: { "x-vapi-secret": "wrong-wrong-wrong-wrong" } })],
          ["no secret", (s, body) => s.handle({ headers: new Headers(), rawBody: bytes(JSON.stringify(body)) })],
        ],
        bearer: [
          ["a wrong token", (s, body) => s.post(body, { headers: { authorization: "Bearer wrong-wrong-wrong" } })],
          ["no token", (s, body) => s.handle({ headers: new Headers(), rawBody: bytes(JSON.stringify(body)) })],
        ],
        hmac: [
          ["a bad signature", (s, body) => s.post(body, { headers: { "x-signature": "00".repeat(32) } })],
          [
            "a signature of other bytes",
            async (s, body) => {
              const headers = webhookAuthHeaders(
                JSON.stringify(body, null, 1),
                s.org.agent.vapiWebhookAuth,
                s.t.clock.now().getTime(),
              );
              return s.handle({ headers: new Headers(headers), rawBody: bytes(JSON.stringify(body)) });
            },
          ],
          ["a stale timestamp", (s, body) => s.post(body, { timestamp: s.t.clock.now().getTime() - 301_000 })],
          ["a future timestamp", (s, body) => s.post(body, { timestamp: s.t.clock.now().getTime() + 301_000 })],
          ["no timestamp header", (s, body) => s.post(body, { headers: { "x-timestamp": "" } })],
          [
            "no signature header",
            (s, body) => s.handle({ headers: new Headers(), rawBody: bytes(JSON.stringify(body)) }),
          ],
        ],
      };
    it.each(refusals[scheme] ?? [])("%s", async (_, send) => {
      const s = await setup(auth);
      const before = await orgState(s.t.storage, s.org.id);
      for (const name of ["end-of-call-report.inbound-botox-booked.json", TOOL_CALLS[0]!]) {
        const reply = await send(s, await fixture(name));
        expect(reply).toEqual({
          status: 401,
          body: { error: { code: expect.stringMatching(/^WEBHOOK_/), message: expect.any(String) } },
        });
      }
      await s.t.voxanne.settle();
      expect(await s.logged()).toEqual([]);
      expect(await orgState(s.t.storage, s.org.id)).toEqual(before);
      expect(s.logs.filter((l) => l.level === "warn")).toHaveLength(2);
      expect(JSON.stringify(s.logs)).not.toContain(SECRET);
    });
  });
});

/** A memory storage that counts org lookups by agent id. */
function countingLookups() {
  const base = memoryStorage();
  const counter = { lookups: 0 };
  const storage: Storage = {
    ...base,
    organizations: {
      ...base.organizations,
      findByAgentId: (id) => {
        counter.lookups++;
        return base.organizations.findByAgentId(id);
      },
    },
  };
  return { storage, counter };
}

describe("vapiWebhookHandler: the remembered organization", () => {
  const OLD: AuthInput = { type: "hmac", secret: SECRET };
  const NEW = { type: "hmac", secret: "n3w-s3cret-n3w-s3cret" } as const;

  /** A delivery of `name` signed with `secret` (the org's HMAC settings otherwise). */
  async function signedWith(s: Awaited<ReturnType<typeof setup>>, name: string, secret: string) {
    const raw = JSON.stringify(await fixture(name));
    const auth = { ...s.org.agent.vapiWebhookAuth, secret } as VapiWebhookAuth;
    const headers = new Headers(webhookAuthHeaders(raw, auth, s.t.clock.now().getTime()));
    return s.handle({ headers, rawBody: bytes(raw) });
  }
  const rotate = (s: Awaited<ReturnType<typeof setup>>) =>
    s.t.voxanne.organizations.update(s.org.id, { agent: { vapiWebhookAuth: NEW } });

  it("looks the org up once for a run of deliveries that name the same agent", async () => {
    const { storage, counter } = countingLookups();
    const { post, logged } = await setup(OLD, { storage });
    for (const name of STORED) expect(await post(await fixture(name))).toMatchObject({ status: 200, body: {} });
    expect(await logged()).toHaveLength(STORED.length);
    expect(counter.lookups).toBe(1);
  });

  it("accepts a rotated secret at once, reading the org afresh", async () => {
    const { storage, counter } = countingLookups();
    const s = await setup(OLD, { storage });
    expect(await s.post(await fixture(STORED[0]!))).toMatchObject({ status: 200, body: {} });
    await rotate(s);
    expect(await signedWith(s, STORED[1]!, NEW.secret)).toMatchObject({ status: 200, body: {} });
    expect(counter.lookups).toBe(2);
    expect(await s.logged()).toHaveLength(2);
  });

  it("still refuses forged deliveries, and stores nothing, once the org is remembered", async () => {
    const s = await setup(OLD);
    expect(await s.post(await fixture(STORED[0]!))).toMatchObject({ status: 200, body: {} });
    const forged = await signedWith(s, STORED[3]!, "not-the-s3cret-at-all");
    expect(forged).toMatchObject({ status: 401, body: { error: { code: "WEBHOOK_SIGNATURE_INVALID" } } });
    expect(await s.logged()).toHaveLength(1);
  });

  it("with orgCacheMs 0 refuses a withdrawn secret at once (by default, within orgCacheMs)", async () => {
    const s = await setup(OLD, { orgCacheMs: 0 });
    expect(await s.post(await fixture(STORED[0]!))).toMatchObject({ status: 200, body: {} });
    await rotate(s);
    expect(await signedWith(s, STORED[1]!, SECRET)).toMatchObject({ status: 401 });
    expect(await s.logged()).toHaveLength(1);
  });
});

describe("vapiWebhookHandler: what it refuses", () => {
  it.each([
    ["malformed JSON", '{"message": {"type": "status-update",', "body"],
    ["an empty body", "", "body"],
    ["bytes that are not UTF-8", new Uint8Array([0x7b, 0xff, 0x7d]), "body"],
    ["a JSON string", '"hello"', "body"],
    ["a JSON array", "[]", "message"],
    ["no message", { hello: "world" }, "message"],
    ["no message type", { message: { call: { id: "x", assistantId: ASSISTANT } } }, "message.type"],
    ["a message type that is a number", { message: { type: 3, call: { assistantId: ASSISTANT } } }, "message.type"],
  ])("refuses %s with 400 naming the field, before anything else", async (_, body, path) => {
    const { handle, logged } = await setup({ type: "bearer", token: SECRET });
    const rawBody = body instanceof Uint8Array ? body : bytes(typeof body === "string" ? body : JSON.stringify(body));
    const reply = await handle({ headers: new Headers(), rawBody });
    expect(reply).toMatchObject({ status: 400, body: { error: { code: "VAPI_MESSAGE_INVALID", issues: [{ path }] } } });
    expect((reply.body as Json).error.message).toContain(path);
    expect(await logged()).toEqual([]);
  });

  const broken: [string, string, (m: Json) => void, string][] = [
    [
      "an end-of-call report without call",
      STORED[3]!,
      (m) => {
        delete m.call;
        m.assistant.id = ASSISTANT;
      },
      "message.call",
    ],
    ["a call without id", STORED[3]!, (m) => delete m.call.id, "message.call.id"],
    ["a call id that is a number", STORED[0]!, (m) => (m.call.id = 42), "message.call.id"],
    ["a status update without status", STORED[1]!, (m) => delete m.status, "message.status"],
    ["a status that is an object", STORED[1]!, (m) => (m.status = { value: "ended" }), "message.status"],
    ["a start time that is not a time", STORED[3]!, (m) => (m.startedAt = "soon"), "message.startedAt"],
    ["a transcript that is a number", STORED[3]!, (m) => (m.artifact.transcript = 7), "message.artifact.transcript"],
    ["an artifact that is a string", STORED[3]!, (m) => (m.artifact = "none"), "message.artifact"],
    [
      "a customer number that is a number",
      STORED[0]!,
      (m) => (m.call.customer.number = 1555),
      "message.call.customer.number",
    ],
    ["tool calls without a list", TOOL_CALLS[0]!, (m) => delete m.toolCallList, "message.toolCallList"],
    ["a tool call without id", TOOL_CALLS[0]!, (m) => delete m.toolCallList[0].id, "message.toolCallList.0.id"],
    ["a legacy call without function", LEGACY_CALL, (m) => delete m.functionCall, "message.functionCall"],
  ];
  it.each(broken)("refuses %s with 400 naming the field, and stores nothing", async (_, name, breakIt, path) => {
    const { post, logged, t, org } = await setup({ type: "hmac", secret: SECRET });
    const payload = await fixture(name);
    breakIt(payload.message);
    const reply = await post(payload);
    expect(reply).toMatchObject({ status: 400, body: { error: { code: "VAPI_MESSAGE_INVALID" } } });
    expect((reply.body as Json).error.issues.map((i: Json) => i.path)).toContain(path);
    expect(await logged()).toEqual([]);
    await t.voxanne.settle();
    expect((await orgState(t.storage, org.id)).calls).toEqual([]);
  });

  it("keeps fields it does not know, and takes types it does not act on without storing them", async () => {
    const { post, logged } = await setup();
    const payload = await fixture(STORED[1]!);
    payload.message.someFieldVapiAddsNextWeek = { nested: [1, 2] };
    expect(await post(payload)).toMatchObject({ status: 200, body: {} });
    expect((await logged())[0]?.payload).toMatchObject({ message: { someFieldVapiAddsNextWeek: { nested: [1, 2] } } });
    const speech = {
      message: { type: "speech-update", status: "started", role: "user", call: { assistantId: ASSISTANT } },
    };
    expect(await post(speech)).toMatchObject({ status: 200, body: {} });
    expect(await post({ message: { type: "conversation-update", assistant: { id: ASSISTANT } } })).toEqual({
      status: 200,
      body: {},
    });
    expect(await logged()).toHaveLength(1);
  });

  it("logs a hang and a transfer", async () => {
    const { post, logged, t, org } = await setup();
    const base = (await fixture(STORED[0]!)).message;
    const destination = { type: "number", number: "+15555550111", description: "Asked for a nurse" };
    expect(await post({ message: { ...base, type: "hang", timestamp: base.timestamp + 1 } })).toMatchObject({
      status: 200,
      body: {},
    });
    expect(
      await post({ message: { ...base, type: "transfer-update", destination, timestamp: base.timestamp + 2 } }),
    ).toMatchObject({ status: 200, body: {} });
    expect((await logged()).map((e) => e.eventKey)).toEqual([
      `${callOf(1)}:hang::1763650931521`,
      `${callOf(1)}:transfer-update::1763650931522`,
    ]);
    await t.voxanne.settle();
    const [call] = (await t.voxanne.calls.list(org.id)).items;
    expect(call?.transfer).toEqual({ to: "+15555550111", at: new Date(1763650931522), reason: "Asked for a nurse" });
  });

  it("keys a message without timestamp by its body, so a duplicate is still stored once", async () => {
    const { post, logged } = await setup();
    const payload = await fixture(STORED[1]!);
    delete payload.message.timestamp;
    await post(payload);
    await post(payload);
    const log = await logged();
    expect(log).toHaveLength(1);
    expect(log[0]?.eventKey).toMatch(new RegExp(`^${callOf(1)}:status-update:ended:sha256-[0-9a-f]{32}$`));
  });

  it("refuses a body over the limit with 413", async () => {
    const small = await setup({ type: "none" }, { maxBodyBytes: 1_000 });
    expect(await small.post(await fixture(STORED[3]!))).toMatchObject({
      status: 413,
      body: { error: { code: "PAYLOAD_TOO_LARGE" } },
    });
    const { handle, logged } = await setup();
    const huge = new Uint8Array(DEFAULT_MAX_BODY_BYTES + 1).fill(0x20);
    expect(await handle({ headers: new Headers(), rawBody: huge })).toMatchObject({ status: 413 });
    expect(await small.logged()).toEqual([]);
    expect(await logged()).toEqual([]);
  });
});

describe("vapiWebhookHandler: when things break", () => {
  it("answers 503 when the event log cannot take the message, so a retrying Vapi retries", async () => {
    const { storage, state } = appendFailureSwitch(memoryStorage());
    const { post, logged, logs } = await setup({ type: "none" }, { storage });
    const payload = await fixture(STORED[3]!);
    state.fail = true;
    expect(await post(payload)).toEqual({
      status: 503,
      body: { error: { code: "EVENT_LOG_UNAVAILABLE", message: expect.any(String) } },
    });
    expect(await logged()).toEqual([]);
    expect(logs.at(-1)).toMatchObject({ level: "error", fields: { error: { name: "Error" } } });
    expect(JSON.stringify(logs)).not.toContain("disk full");
    state.fail = false;
    expect(await post(payload)).toMatchObject({ status: 200, body: {} });
    expect(await logged()).toHaveLength(1);
  });

  it("still answers a tool call when it cannot be logged", async () => {
    const { storage, state } = appendFailureSwitch(memoryStorage());
    const { post, logged, logs } = await setup({ type: "none" }, { storage });
    state.fail = true;
    const reply = await post(await fixture(TOOL_CALLS[1]!));
    expect(reply).toMatchObject({ status: 200, body: { results: [{ toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc" }] } });
    expect(await logged()).toEqual([]);
    expect(logs.some((l) => l.level === "error" && l.message.includes("not logged"))).toBe(true);
  });

  it("answers 503 when the org cannot be looked up", async () => {
    const base = memoryStorage();
    const storage: Storage = {
      ...base,
      organizations: { ...base.organizations, findByAgentId: () => Promise.reject(new Error("connection reset")) },
    };
    const { post } = await setup({ type: "none" }, { storage });
    expect(await post(await fixture(STORED[0]!))).toMatchObject({
      status: 503,
      body: { error: { code: "STORAGE_UNAVAILABLE" } },
    });
  });

  it("answers 500 INTERNAL without details on a bug, and survives a broken logger", async () => {
    const t = testVoxanne({ decoders: [vapiDecoder] });
    await t.voxanne.organizations.create({ name: "Clinic", agent: { assistantIds: [ASSISTANT] } });
    const handle = vapiWebhookHandler({
      voxanne: t.voxanne,
      now: () => {
        throw new TypeError("secret internals");
      },
      log: () => {
        throw new Error("logger down");
      },
    });
    const reply = await handle({ headers: new Headers(), rawBody: bytes(JSON.stringify(await fixture(STORED[0]!))) });
    expect(reply).toEqual({ status: 500, body: { error: { code: "INTERNAL", message: "Internal error" } } });
  });

  it("answers every tool call as a tool error the assistant can speak when the tool fails", async () => {
    const { post } = await setup();
    const payload = await fixture(TOOL_CALLS[0]!);
    payload.message.toolCallList.push({
      id: "call_bad_args",
      function: { name: "book_appointment", arguments: "{not json" },
    });
    tools.fail = true;
    try {
      expect(await post(payload)).toEqual({
        status: 200,
        body: {
          results: [
            { toolCallId: "call_5x9QmWvN2rT7bK3pL8dF1aZc", name: "book_appointment", error: TOOL_FAILURES.failed },
            { toolCallId: "call_bad_args", name: "book_appointment", error: TOOL_FAILURES.unreadableArguments },
          ],
        },
      });
    } finally {
      tools.fail = false;
    }
  });

  it("needs the Vapi decoder registered", () => {
    const t = testVoxanne();
    expect(() => vapiWebhookHandler({ voxanne: t.voxanne })).toThrow(/vapiDecoder/);
  });
});

describe("vapiWebhookHandler into the core", () => {
  const byVendorId = (calls: Call[]) => new Map(calls.map((c) => [c.vendorCallId, c]));

  it("turns the fixtures into calls and contacts, in any order", async () => {
    const states = [];
    for (const order of [STORED, [...STORED].reverse()]) {
      const { post, t, org } = await setup({ type: "hmac", secret: SECRET });
      for (const name of order) expect((await post(await fixture(name))).status).toBe(200);
      await t.voxanne.settle();
      const calls = byVendorId((await t.voxanne.calls.list(org.id)).items);
      expect(calls.get(callOf(1))).toMatchObject({
        direction: "inbound",
        status: "completed",
        durationSeconds: 91,
        financialValueCents: 40_000,
        bookingConfirmed: true,
        fromNumber: "+15555550123",
        toNumber: "+15555550100",
        recordingUrl: `https://storage.vapi.ai/${callOf(1)}-stereo.wav`,
        endedReason: "customer-ended-call",
      });
      expect(calls.get(callOf(1))?.transcript).toContain("Botox");
      expect(calls.get(callOf(2))).toMatchObject({
        status: "completed",
        durationSeconds: 54,
        financialValueCents: 600_000,
        bookingConfirmed: false,
      });
      expect(calls.get(callOf(3))).toMatchObject({
        direction: "outbound",
        status: "completed",
        durationSeconds: 39,
        fromNumber: "+15555550100",
        toNumber: "+15555550168",
      });
      expect(calls.get(callOf(4))).toMatchObject({ direction: "outbound", status: "no_answer", durationSeconds: 0 });
      expect(calls.get(callOf(5))).toMatchObject({ direction: "outbound", status: "no_answer", durationSeconds: 13 });

      const contacts = new Map((await t.voxanne.contacts.list(org.id)).items.map((c) => [c.phone, c]));
      expect(contacts.get("+15555550123")).toMatchObject({ leadStatus: "booked" });
      expect(contacts.get("+15555550147")).toMatchObject({ leadStatus: "lost" });
      expect(contacts.get("+15555550168")).toMatchObject({ name: "Daniel Kim", leadStatus: "contacted" });
      expect(contacts.get("+15555550182")).toMatchObject({ name: "Priya Shah" });
      expect(contacts.get("+15555550195")).toMatchObject({ name: "Tom Becker" });
      states.push(
        [...calls.values()]
          // Ids differ between the two orgs; everything the messages decide must not.
          .map(
            ({ id: _i, orgId: _o, contactId: _c, pricedServiceId: _s, createdAt: _cr, updatedAt: _u, ...facts }) =>
              facts,
          )
          .sort((a, b) => String(a.vendorCallId).localeCompare(String(b.vendorCallId))),
      );
    }
    expect(states[1]).toEqual(states[0]);
  });

  it("finds an outbound call again by the call id it carries", async () => {
    const { post, t, org } = await setup();
    const contact = await t.storage.transaction(org.id, (tx) =>
      tx.contacts.getOrCreate(
        newContact({ id: "contact-1", orgId: org.id, phone: "+15555550168", createdAt: t.clock.now() }),
      ),
    );
    await t.voxanne.organizations.update(org.id, {
      agent: { outboundAssistantId: ASSISTANT, phoneNumberId: PHONE_NUMBER },
    });
    const placed = await t.voxanne.contacts.callBack(org.id, contact.contact.id);
    const payload = await fixture("end-of-call-report.outbound-callback.json");
    payload.message.call.assistantOverrides.metadata.callId = placed.id;
    expect((await post(payload)).status).toBe(200);
    await t.voxanne.settle();
    const calls = (await t.voxanne.calls.list(org.id)).items;
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ id: placed.id, status: "completed", vendorCallId: expect.any(String) });
  });

  it("logs no transcript, phone number or secret", async () => {
    const { post, logs } = await setup({ type: "bearer", token: SECRET });
    for (const name of [...STORED, ...TOOL_CALLS, LEGACY_CALL]) await post(await fixture(name));
    await post(await fixture(STORED[3]!), { headers: { authorization: "Bearer nope-nope-nope-nope" } });
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toMatch(/\+1555|Botox|Maria|Lopez|s3cret|nope-nope/);
  });
});
