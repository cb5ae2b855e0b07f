import type { Storage } from "@voxanne/core";
import { newContact } from "@voxanne/core";
import { appendFailureSwitch, memoryStorage, orgState, testVoxanne } from "@voxanne/core/testing";
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { twilioDecoder } from "./decoder.ts";
import type { TwilioWebhookKind } from "./messages.ts";
import type { SignOptions, TwilioWebhookFixture } from "./testing/webhookFixtures.ts";
import {
  FIXTURE_AUTH_TOKEN,
  FIXTURE_CLINIC_NUMBER,
  fixtureRequest,
  readTwilioFixture,
  signedRequest,
} from "./testing/webhookFixtures.ts";
import type { TwilioWebhookLogLevel, TwilioWebhookOptions, TwilioWebhookRequest } from "./webhooks.ts";
import { DEFAULT_MAX_BODY_BYTES, EMPTY_TWIML, twilioWebhookHandlers } from "./webhooks.ts";

const PUBLIC = "https://clinic.example.test";
const STATUS_URL = `${PUBLIC}/webhooks/twilio/sms-status`;
const INBOUND_URL = `${PUBLIC}/webhooks/twilio/sms-inbound`;
const ACCOUNT = "AC5555000000000000000000000000a001";
const LEAD = "+15555550123";

const FIXTURES: [string, TwilioWebhookKind][] = [
  ["status-callback.sent.json", "status"],
  ["status-callback.delivered.json", "status"],
  ["status-callback.undelivered-30003.json", "status"],
  ["inbound-sms.stop.json", "inbound"],
  ["inbound-sms.stop.advanced-opt-out.json", "inbound"],
  ["inbound-sms.reply.json", "inbound"],
];
const TWIML = { status: 200, body: EMPTY_TWIML, contentType: "text/xml" };
const OK = { status: 200, body: {} };
const answerOf = (kind: TwilioWebhookKind) => (kind === "inbound" ? TWIML : OK);

interface SetupOptions extends Partial<Omit<TwilioWebhookOptions, "voxanne">> {
  storage?: Storage;
  smsFrom?: string;
}

async function setup(options: SetupOptions = {}) {
  const { storage, smsFrom, ...handlerOptions } = options;
  const t = testVoxanne({ decoders: [twilioDecoder], ...(storage && { storage }) });
  const org = await t.voxanne.organizations.create({
    name: "Bright Aesthetics",
    agent: { smsFrom: smsFrom ?? FIXTURE_CLINIC_NUMBER },
  });
  const logs: { level: TwilioWebhookLogLevel; message: string; fields: Record<string, unknown> }[] = [];
  const hooks = twilioWebhookHandlers({
    voxanne: t.voxanne,
    authToken: FIXTURE_AUTH_TOKEN,
    log: (level, message, fields) => {
      logs.push({ level, message, fields });
    },
    ...handlerOptions,
  });
  const send = async (kind: TwilioWebhookKind, request: TwilioWebhookRequest) => {
    const reply = await hooks[kind](request);
    await t.voxanne.settle();
    return reply;
  };
  const postFixture = async (name: string, kind: TwilioWebhookKind) => send(kind, fixtureRequest(await fixture(name)));
  /** A status callback for `sid` as Twilio sends it, signed for `url`. */
  const postStatus = (sid: string, status: string, extra: Record<string, string> = {}, url = STATUS_URL) =>
    send(
      "status",
      signedRequest(url, {
        SmsSid: sid,
        SmsStatus: status,
        MessageStatus: status,
        To: LEAD,
        MessageSid: sid,
        AccountSid: ACCOUNT,
        From: FIXTURE_CLINIC_NUMBER,
        ApiVersion: "2010-04-01",
        ...extra,
      }),
    );
  let n = 0;
  /** An inbound SMS from `from`, signed, with a fresh MessageSid. */
  const postInbound = (from: string, body: string, extra: Record<string, string> = {}, sign: SignOptions = {}) =>
    send(
      "inbound",
      signedRequest(
        INBOUND_URL,
        {
          MessageSid: `SM5555${String(++n).padStart(28, "0")}`,
          AccountSid: ACCOUNT,
          From: from,
          To: FIXTURE_CLINIC_NUMBER,
          Body: body,
          NumMedia: "0",
          ...extra,
        },
        sign,
      ),
    );
  const logged = () => t.storage.eventLog.read({ afterSeq: 0, limit: 100 });
  const contactOf = async (phone: string) => (await t.voxanne.contacts.list(org.id, { q: phone.slice(-4) })).items[0];
  const messagesOf = (contactId: string) => t.storage.transaction(org.id, (tx) => tx.messages.listByContact(contactId));
  return { t, org, hooks, logs, send, postFixture, postStatus, postInbound, logged, contactOf, messagesOf };
}

const fixture = (name: string): Promise<TwilioWebhookFixture> => readTwilioFixture(name);
const noPersonalData = (logs: unknown) => {
  const text = JSON.stringify(logs);
  expect(text).not.toMatch(/\+1555|Botox|STOP|Stop|test_auth_token/);
};

describe("twilioWebhookHandlers with the shared fixtures", () => {
  it("answers every fixture (TwiML to inbound SMS) and logs each once, duplicates included", async () => {
    const { postFixture, logged, org, logs } = await setup();
    for (const [name, kind] of FIXTURES) {
      expect(await postFixture(name, kind), name).toEqual(answerOf(kind));
      expect(await postFixture(name, kind), `${name} again`).toEqual(answerOf(kind));
    }
    const log = await logged();
    expect(log.map((e) => e.eventKey)).toEqual([
      "SM5555a1b2c3d4e5f6a7b8c9d0e1f2a3b4:sent",
      "SM5555a1b2c3d4e5f6a7b8c9d0e1f2a3b4:delivered",
      "SM5555b1b2c3d4e5f6a7b8c9d0e1f2a3b4:undelivered",
      "SM5555c1b2c3d4e5f6a7b8c9d0e1f2a3b4:inbound",
      "SM5555d1b2c3d4e5f6a7b8c9d0e1f2a3b4:inbound",
      "SM5555e1b2c3d4e5f6a7b8c9d0e1f2a3b4:inbound",
    ]);
    expect(log.every((e) => e.orgId === org.id && e.provider === "twilio")).toBe(true);
    // Stored verbatim: every param as Twilio sent it, with the webhook's kind.
    for (const [i, [name, kind]] of FIXTURES.entries()) {
      expect(log[i]?.payload).toEqual({ kind, params: (await fixture(name)).params });
    }
    expect(logs.filter((l) => l.message === "twilio webhook logged").map((l) => l.fields.inserted)).toEqual(
      FIXTURES.flatMap(() => [true, false]),
    );
    noPersonalData(logs);
  });

  it("accepts a fixture that reached the app through a proxy, with publicUrl or trusted forwarded headers", async () => {
    const delivered = await fixture("status-callback.delivered.json");
    const internal = delivered.url.replace(PUBLIC, "http://127.0.0.1:3000");

    const plain = await setup();
    expect(await plain.send("status", fixtureRequest(delivered, internal))).toMatchObject({ status: 403 });

    const behindProxy = await setup({ publicUrl: PUBLIC });
    expect(await behindProxy.send("status", fixtureRequest(delivered, internal))).toEqual(OK);

    const trusting = await setup({ trustProxy: true });
    const forwarded = fixtureRequest(delivered, internal);
    forwarded.headers.set("x-forwarded-proto", "https");
    forwarded.headers.set("x-forwarded-host", "clinic.example.test");
    expect(await trusting.send("status", forwarded)).toEqual(OK);
    expect(await plain.logged()).toHaveLength(0);
    expect(await behindProxy.logged()).toHaveLength(1);
    expect(await trusting.logged()).toHaveLength(1);
  });
});

describe("twilioWebhookHandlers: what it refuses with 403, storing nothing", () => {
  type Forge = (f: TwilioWebhookFixture) => TwilioWebhookRequest;
  const withHeaders = (f: TwilioWebhookFixture, headers: Record<string, string>) => {
    const request = fixtureRequest(f);
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    return request;
  };
  const forgeries: [string, string, Forge][] = [
    [
      "a forged signature",
      "WEBHOOK_SIGNATURE_INVALID",
      (f) => withHeaders(f, { "x-twilio-signature": "Zm9yZ2VkIHNpZ25hdHVyZQ==" }),
    ],
    [
      "an altered param",
      "WEBHOOK_SIGNATURE_INVALID",
      (f) => ({
        ...fixtureRequest(f),
        rawBody: new TextEncoder().encode(f.rawBody.replace("%2B15555550100", "%2B15555550199")),
      }),
    ],
    [
      "an added param",
      "WEBHOOK_SIGNATURE_INVALID",
      (f) => ({ ...fixtureRequest(f), rawBody: new TextEncoder().encode(`${f.rawBody}&OptOutType=START`) }),
    ],
    ["another URL", "WEBHOOK_SIGNATURE_INVALID", (f) => fixtureRequest(f, f.url.replace("tenant=", "tenant=x"))],
    [
      "another account's token",
      "WEBHOOK_SIGNATURE_INVALID",
      (f) =>
        withHeaders(f, { "x-twilio-signature": twilio.getExpectedTwilioSignature("other_token", f.url, f.params) }),
    ],
    [
      "no signature header",
      "WEBHOOK_SIGNATURE_MISSING",
      (f) => {
        const request = fixtureRequest(f);
        request.headers.delete("x-twilio-signature");
        return request;
      },
    ],
  ];

  it.each(forgeries)("%s", async (_, code, forge) => {
    const s = await setup();
    const before = await orgState(s.t.storage, s.org.id);
    for (const [name, kind] of [FIXTURES[1]!, FIXTURES[3]!, FIXTURES[5]!]) {
      const reply = await s.send(kind, forge(await fixture(name)));
      expect(reply, name).toEqual({ status: 403, body: { error: { code, message: expect.any(String) } } });
    }
    expect(await s.logged()).toEqual([]);
    expect(await orgState(s.t.storage, s.org.id)).toEqual(before);
    expect(s.logs.map((l) => [l.level, l.fields.code])).toEqual([
      ["warn", code],
      ["warn", code],
      ["warn", code],
    ]);
    noPersonalData(s.logs);
  });
});

describe("twilioWebhookHandlers: what it refuses with 400", () => {
  const raw = (url: string, params: Record<string, string | string[]>, body: string): TwilioWebhookRequest => ({
    headers: new Headers({ "x-twilio-signature": twilio.getExpectedTwilioSignature(FIXTURE_AUTH_TOKEN, url, params) }),
    rawBody: new TextEncoder().encode(body),
    url,
  });

  it.each<[string, TwilioWebhookKind, Record<string, string>, string]>([
    ["a status without MessageSid", "status", { MessageStatus: "sent", From: FIXTURE_CLINIC_NUMBER }, "MessageSid"],
    ["a status without MessageStatus", "status", { MessageSid: "SM1", From: FIXTURE_CLINIC_NUMBER }, "MessageStatus"],
    ["an inbound SMS without From", "inbound", { MessageSid: "SM1", To: FIXTURE_CLINIC_NUMBER, Body: "hi" }, "From"],
    ["an inbound SMS with an empty To", "inbound", { MessageSid: "SM1", From: LEAD, To: "", Body: "hi" }, "To"],
    ["an empty body", "inbound", {}, "MessageSid"],
  ])("refuses %s (signed) naming the param", async (_, kind, params, path) => {
    const s = await setup();
    const url = kind === "status" ? STATUS_URL : INBOUND_URL;
    const reply = await s.send(kind, signedRequest(url, params));
    expect(reply).toMatchObject({ status: 400, body: { error: { code: "TWILIO_PARAMS_INVALID" } } });
    const { issues, message } = (reply.body as { error: { issues: { path: string }[]; message: string } }).error;
    expect(issues).toContainEqual({ path, message: "is required" });
    expect(message).toContain(`${path}: is required`);
    expect(await s.logged()).toEqual([]);
  });

  it("refuses a repeated MessageSid, signed over both values", async () => {
    const s = await setup();
    const params = { MessageSid: ["SM1", "SM2"], MessageStatus: "sent", From: FIXTURE_CLINIC_NUMBER };
    const reply = await s.send(
      "status",
      raw(STATUS_URL, params, `MessageSid=SM1&MessageSid=SM2&MessageStatus=sent&From=%2B15555550100`),
    );
    expect(reply).toMatchObject({ status: 400, body: { error: { issues: [{ path: "MessageSid" }] } } });
    expect(await s.logged()).toEqual([]);
  });

  it("refuses a body that is not UTF-8 before anything else", async () => {
    const s = await setup();
    const reply = await s.send("inbound", {
      headers: new Headers(),
      rawBody: new Uint8Array([0x42, 0x6f, 0x64, 0x79, 0x3d, 0xff]),
      url: INBOUND_URL,
    });
    expect(reply).toMatchObject({ status: 400, body: { error: { issues: [{ path: "body" }] } } });
  });

  it("refuses a body over the limit with 413", async () => {
    const small = await setup({ maxBodyBytes: 100 });
    expect(await small.postFixture(FIXTURES[5]![0], "inbound")).toMatchObject({
      status: 413,
      body: { error: { code: "PAYLOAD_TOO_LARGE" } },
    });
    const s = await setup();
    const huge = new Uint8Array(DEFAULT_MAX_BODY_BYTES + 1).fill(0x61);
    expect(await s.send("status", { headers: new Headers(), rawBody: huge, url: STATUS_URL })).toMatchObject({
      status: 413,
    });
    expect(await small.logged()).toEqual([]);
    expect(await s.logged()).toEqual([]);
  });
});

/** Every order of a list. */
const permutations = <T>(items: readonly T[]): T[][] =>
  items.length <= 1
    ? [[...items]]
    : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [item, ...p]));

describe("twilioWebhookHandlers: delivery status of a sent SMS", () => {
  /** A lead who texted the clinic, and an SMS sent back to them (vendor id `sim-sms-1`). */
  async function sentSms(options: SetupOptions = {}) {
    const s = await setup(options);
    await s.postInbound(LEAD, "Hello?");
    const contact = await s.contactOf(LEAD);
    const message = await s.t.voxanne.contacts.sendSms(s.org.id, contact!.id, "Hi, how can we help?");
    expect(message).toMatchObject({ vendorMessageId: "sim-sms-1", status: "queued" });
    await s.t.voxanne.settle();
    const outbound = async () => (await s.messagesOf(contact!.id)).find((m) => m.direction === "outbound");
    return { ...s, message, outbound };
  }

  /** Statuses in Twilio's words, the final status, and its error code (not checked where it is `undefined`). */
  const sequences: [string[], string, string | null | undefined][] = [
    ...permutations(["queued", "sent", "delivered"]).map((p): [string[], string, null] => [p, "delivered", null]),
    ...permutations(["sending", "sent", "undelivered"]).map((p): [string[], string, string] => [
      p,
      "undelivered",
      "30003",
    ]),
    ...permutations(["accepted", "sent", "failed"]).map((p): [string[], string, string] => [p, "failed", "30001"]),
    // A delivery receipt outranks a report of non-delivery, whichever came first. (The error code
    // then depends on the order: the core keeps an earlier undelivered's code.)
    ...permutations(["sent", "undelivered", "delivered"]).map((p): [string[], string, undefined] => [
      p,
      "delivered",
      undefined,
    ]),
    [["sent", "sent", "read", "delivered", "sent"], "delivered", null],
    [["scheduled", "canceled"], "failed", null],
  ];

  it.each(sequences)("%j ends %s", async (statuses, final, errorCode) => {
    const { postStatus, outbound, logged, message } = await sentSms();
    const codes: Record<string, string> = { undelivered: "30003", failed: "30001" };
    for (const status of statuses) {
      const code = codes[status];
      expect(await postStatus(message.vendorMessageId!, status, code ? { ErrorCode: code } : {})).toEqual(OK);
    }
    expect(await outbound()).toMatchObject({ status: final, ...(errorCode !== undefined && { errorCode }) });
    const keys = (await logged()).map((e) => e.eventKey).filter((k) => k.startsWith("sim-sms-1:"));
    expect(keys).toEqual([...new Set(statuses)].map((st) => `sim-sms-1:${st}`));
  });

  it("finds the org by the org param of the callback URL when the sender is not its number", async () => {
    const { postStatus, outbound, org, message, logs } = await sentSms();
    const fromService = { From: "+15555550999", MessagingServiceSid: "MG5555000000000000000000000000ffff" };
    expect(await postStatus(message.vendorMessageId!, "delivered", fromService, `${STATUS_URL}?org=${org.id}`)).toEqual(
      OK,
    );
    expect(await outbound()).toMatchObject({ status: "delivered" });
    expect(logs.at(-1)).toMatchObject({ message: "twilio webhook logged", fields: { orgId: org.id, orgBy: "org" } });
  });

  it("acknowledges a status for a message it does not know, logged and stored, changing nothing", async () => {
    const { postStatus, t, org, logged, logs } = await sentSms();
    const before = await orgState(t.storage, org.id);
    expect(await postStatus("SM5555000000000000000000000000dead", "delivered")).toEqual(OK);
    expect(await orgState(t.storage, org.id)).toEqual(before);
    expect((await logged()).at(-1)?.eventKey).toBe("SM5555000000000000000000000000dead:delivered");
    expect(logs.at(-1)).toMatchObject({
      level: "warn",
      message: "twilio status callback for an unknown message",
      fields: { orgId: org.id, messageSid: "SM5555000000000000000000000000dead", messageStatus: "delivered" },
    });
    noPersonalData(logs);
  });

  it("acknowledges a status of an unknown org (and an unknown org param) with 200, storing nothing", async () => {
    const { postStatus, logged, logs, message } = await sentSms();
    const count = (await logged()).length;
    const stranger = { From: "+15555550999" };
    expect(await postStatus(message.vendorMessageId!, "delivered", stranger)).toEqual(OK);
    expect(await postStatus(message.vendorMessageId!, "sent", stranger, `${STATUS_URL}?org=nobody`)).toEqual(OK);
    expect(await logged()).toHaveLength(count);
    expect(logs.slice(-2)).toMatchObject([
      { level: "warn", message: "twilio webhook for an unknown organization", fields: { kind: "status" } },
      { level: "warn", message: "twilio webhook for an unknown organization", fields: { kind: "status" } },
    ]);
    noPersonalData(logs);
  });
});

describe("twilioWebhookHandlers: inbound SMS and opt-out", () => {
  it("stores a reply from a new number on a new contact", async () => {
    const { postFixture, contactOf, messagesOf } = await setup();
    expect(await postFixture("inbound-sms.reply.json", "inbound")).toEqual(TWIML);
    const contact = await contactOf(LEAD);
    expect(contact).toMatchObject({ phone: LEAD, smsOptedOutAt: null });
    expect(await messagesOf(contact!.id)).toEqual([
      expect.objectContaining({
        direction: "inbound",
        status: "received",
        fromNumber: LEAD,
        toNumber: FIXTURE_CLINIC_NUMBER,
        body: "Can I move my Botox to Wednesday at 10 instead?",
        vendorMessageId: "SM5555e1b2c3d4e5f6a7b8c9d0e1f2a3b4",
      }),
    ]);
  });

  it.each([
    ["STOP to a plain number", "inbound-sms.stop.json", "+15555550168"],
    ["Stop through Advanced Opt-Out (OptOutType=STOP)", "inbound-sms.stop.advanced-opt-out.json", "+15555550195"],
  ])("%s opts out: a send is refused and nothing sent; START lifts it", async (_, name, phone) => {
    const { postFixture, postInbound, contactOf, t, org } = await setup();
    expect(await postFixture(name, "inbound")).toEqual(TWIML);
    const contact = await contactOf(phone);
    expect(contact?.smsOptedOutAt).not.toBeNull();
    await expect(t.voxanne.contacts.sendSms(org.id, contact!.id, "Hi")).rejects.toMatchObject({ kind: "OptedOut" });
    expect(t.sms.attempts).toHaveLength(0);

    expect(await postInbound(phone, "start")).toEqual(TWIML);
    await expect(t.voxanne.contacts.sendSms(org.id, contact!.id, "Welcome back")).resolves.toMatchObject({
      status: "queued",
    });
    expect(t.sms.sent).toMatchObject([{ to: phone, body: "Welcome back" }]);
  });

  it("follows Advanced Opt-Out's verdict on custom keywords, whatever the body says", async () => {
    const { postInbound, contactOf } = await setup();
    const service = { MessagingServiceSid: "MG5555d1b2c3d4e5f6a7b8c9d0e1f2a3b4" };
    const optedOut = async () => (await contactOf(LEAD))?.smsOptedOutAt !== null;
    await postInbound(LEAD, "Arrêt", { ...service, OptOutType: "STOP" });
    expect(await optedOut()).toBe(true);
    await postInbound(LEAD, "Reprendre", { ...service, OptOutType: "START" });
    expect(await optedOut()).toBe(false);
    await postInbound(LEAD, "Aide", { ...service, OptOutType: "HELP" });
    expect(await optedOut()).toBe(false);
  });

  it("finds the org by the Messaging Service when the number is not its sender", async () => {
    const { postFixture, logged, org } = await setup({ smsFrom: "MG5555d1b2c3d4e5f6a7b8c9d0e1f2a3b4" });
    expect(await postFixture("inbound-sms.stop.advanced-opt-out.json", "inbound")).toEqual(TWIML);
    expect(await postFixture("inbound-sms.stop.json", "inbound")).toEqual(TWIML);
    expect((await logged()).map((e) => [e.orgId, e.eventKey])).toEqual([
      [org.id, "SM5555d1b2c3d4e5f6a7b8c9d0e1f2a3b4:inbound"],
    ]);
  });

  it("finds the org by the org param when neither the number nor a service is known", async () => {
    const s = await setup({ smsFrom: "+15555550999" });
    const reply = await s.send(
      "inbound",
      signedRequest(`${INBOUND_URL}?org=${s.org.id}`, {
        MessageSid: "SM1",
        From: LEAD,
        To: FIXTURE_CLINIC_NUMBER,
        Body: "hi",
      }),
    );
    expect(reply).toEqual(TWIML);
    expect(await s.logged()).toMatchObject([{ orgId: s.org.id, eventKey: "SM1:inbound" }]);
  });

  it("answers an SMS to an unknown number with empty TwiML, storing nothing", async () => {
    const { postInbound, logged, logs } = await setup({ smsFrom: "+15555550999" });
    expect(await postInbound(LEAD, "Hello?")).toEqual(TWIML);
    expect(await logged()).toEqual([]);
    expect(logs).toMatchObject([{ level: "warn", fields: { kind: "inbound" } }]);
    noPersonalData(logs);
  });
});

describe("twilioWebhookHandlers: when things break", () => {
  it("answers 503 when the event log cannot take the webhook, so Twilio may retry", async () => {
    const { storage, state } = appendFailureSwitch(memoryStorage());
    const { postFixture, logged, logs } = await setup({ storage });
    state.fail = true;
    for (const [name, kind] of [FIXTURES[1]!, FIXTURES[5]!]) {
      expect(await postFixture(name, kind)).toEqual({
        status: 503,
        body: { error: { code: "EVENT_LOG_UNAVAILABLE", message: expect.any(String) } },
      });
    }
    expect(await logged()).toEqual([]);
    expect(logs.at(-1)).toMatchObject({ level: "error", fields: { error: { name: "Error" } } });
    expect(JSON.stringify(logs)).not.toContain("disk full");
    state.fail = false;
    expect(await postFixture(FIXTURES[1]![0], "status")).toEqual(OK);
    expect(await logged()).toHaveLength(1);
  });

  it("answers 503 when the org cannot be looked up", async () => {
    const base = memoryStorage();
    const storage: Storage = {
      ...base,
      organizations: { ...base.organizations, findBySmsNumber: () => Promise.reject(new Error("db down")) },
    };
    const { postFixture, logged } = await setup({ storage });
    expect(await postFixture(FIXTURES[5]![0], "inbound")).toMatchObject({
      status: 503,
      body: { error: { code: "STORAGE_UNAVAILABLE" } },
    });
    expect(await logged()).toEqual([]);
  });

  it("answers 500 without details on a bug", async () => {
    const s = await setup({ log: () => {} });
    const request = fixtureRequest(await fixture(FIXTURES[0]![0]));
    const broken = {
      ...request,
      get rawBody(): Uint8Array {
        throw new Error("bug");
      },
    };
    expect(await s.hooks.status(broken)).toEqual({
      status: 500,
      body: { error: { code: "INTERNAL", message: "Internal error" } },
    });
  });

  it("still answers when the logger throws", async () => {
    const s = await setup({
      log: () => {
        throw new Error("logger down");
      },
    });
    expect(await s.postFixture(FIXTURES[5]![0], "inbound")).toEqual(TWIML);
  });

  it("refuses to start without the decoder, the token, or with a publicUrl that is not one", () => {
    const t = testVoxanne({ decoders: [twilioDecoder] });
    expect(() => twilioWebhookHandlers({ voxanne: testVoxanne().voxanne, authToken: "x" })).toThrow(/twilioDecoder/);
    expect(() => twilioWebhookHandlers({ voxanne: t.voxanne, authToken: "" })).toThrow(/auth token/);
    expect(() =>
      twilioWebhookHandlers({ voxanne: t.voxanne, authToken: "x", publicUrl: "clinic.example.test" }),
    ).toThrow(/publicUrl/);
  });
});

describe("a status callback that beats the saved vendor id", () => {
  it("finds its message by our id in the signed callback URL", async () => {
    const t = testVoxanne({ decoders: [twilioDecoder], autoProcess: false });
    const org = await t.voxanne.organizations.create({ name: "Clinic", agent: { smsFrom: "+15555550100" } });
    const message = await t.storage.transaction(org.id, async (tx) => {
      const { contact } = await tx.contacts.getOrCreate(
        newContact({ id: crypto.randomUUID(), orgId: org.id, phone: "+15555550123", createdAt: t.clock.now() }),
      );
      return tx.messages.create({
        id: crypto.randomUUID(),
        orgId: org.id,
        contactId: contact.id,
        direction: "outbound",
        purpose: "conversation",
        fromNumber: "+15555550100",
        toNumber: contact.phone,
        body: "See you Tuesday",
        status: "queued",
        vendorMessageId: null,
        errorCode: null,
        createdAt: t.clock.now(),
        updatedAt: t.clock.now(),
      });
    });
    const handlers = twilioWebhookHandlers({
      voxanne: t.voxanne,
      authToken: FIXTURE_AUTH_TOKEN,
      publicUrl: "https://clinic.example.test",
    });
    const url = `https://clinic.example.test/webhooks/twilio/status?org=${org.id}&message=${message.id}`;
    const params = { MessageSid: "SM5555early", MessageStatus: "delivered", From: "+15555550100", To: "+15555550123" };
    const rawBody = new URLSearchParams(params).toString();
    const headers = new Headers({
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(FIXTURE_AUTH_TOKEN, url, params),
    });
    const reply = await handlers.status({ headers, rawBody: new TextEncoder().encode(rawBody), url });
    expect(reply.status).toBe(200);
    await t.voxanne.process();
    const [stored] = await t.storage.transaction(org.id, (tx) => tx.messages.listByContact(message.contactId!));
    expect(stored).toMatchObject({ status: "delivered", vendorMessageId: "SM5555early" });
  });
});
