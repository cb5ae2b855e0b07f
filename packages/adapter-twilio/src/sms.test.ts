import { inspect } from "node:util";
import type { SmsRequest, VoxanneError } from "@voxanne/core";
import { NotConfigured, OptedOut, ValidationFailed, VendorFailed } from "@voxanne/core";
import { testVoxanne } from "@voxanne/core/testing";
import type { ReceivedSms, SmsFailureKind } from "@voxanne/core/testing/contracts";
import { SMS_UNAVAILABLE, sampleSmsRequest, smsContract } from "@voxanne/core/testing/contracts";

const SMS_UNCONFIRMED = { kind: "VendorFailed", code: "SMS_UNCONFIRMED", retryable: false };

import { afterEach, describe, expect, it } from "vitest";
import type { TwilioSmsOptions } from "./sms.ts";
import { twilioSendStatus, twilioSms } from "./sms.ts";
import { TwilioApiError } from "./smsErrors.ts";
import type { FakeTwilio, FakeTwilioFailure } from "./testing/fakeTwilio.ts";
import { startFakeTwilio } from "./testing/fakeTwilio.ts";

const TIMEOUT_MS = 300;
const PUBLIC_URL = "https://clinic.example.test";
const SERVICE = "MG5555000000000000000000000000b001";

/** The delivery-report URL the server would give: org and message ids ride in it, so `sent()` reads them back. */
const statusCallbackUrl = ({ orgId, messageId }: SmsRequest) =>
  `${PUBLIC_URL}/webhooks/twilio/status?org=${encodeURIComponent(orgId)}&message=${encodeURIComponent(messageId)}`;

/** The contract's outcomes, as Twilio produces them. */
const AS_TWILIO: Record<SmsFailureKind, FakeTwilioFailure> = {
  opted_out: "opted_out",
  invalid_number: "invalid_number",
  unavailable: "rate_limited",
};

/** The messages Twilio created, as the contract reads them: what reached the wire, not what the adapter says. */
function receivedBy(fake: FakeTwilio): ReceivedSms[] {
  return fake.messages.map(({ resource, statusCallback }) => {
    const query = statusCallback === null ? undefined : new URL(statusCallback).searchParams;
    return {
      to: resource.to,
      body: resource.body,
      ...(resource.from !== null && { from: resource.from }),
      ...(query?.has("org") && { orgId: query.get("org") ?? "" }),
      ...(query?.has("message") && { messageId: query.get("message") ?? "" }),
    };
  });
}

const basicAuth = (fake: FakeTwilio) => Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString("base64");

smsContract("twilioSms (the real SDK) against the fake Twilio", async () => {
  const fake = await startFakeTwilio({ slowMs: TIMEOUT_MS * 4 });
  return {
    adapter: twilioSms({ ...fake.config({ timeout: TIMEOUT_MS }), statusCallbackUrl }),
    sent: async () => receivedBy(fake),
    failNext: (kind, detail) => fake.failNext(AS_TWILIO[kind], { detail }),
    credentials: [fake.authToken, basicAuth(fake)],
    close: () => fake.close(),
  };
});

describe("twilioSms", () => {
  const open: FakeTwilio[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((fake) => fake.close()));
  });

  async function setup(options: Partial<TwilioSmsOptions> = {}) {
    const fake = await startFakeTwilio({ slowMs: TIMEOUT_MS * 4 });
    open.push(fake);
    const sms = twilioSms({ ...fake.config({ timeout: TIMEOUT_MS }), ...options });
    return { fake, sms };
  }

  /** The core error a send ended in. */
  const failureOf = (promise: Promise<unknown>): Promise<VoxanneError> =>
    promise.then(
      (result) => expect.fail(`expected a failure, got ${JSON.stringify(result)}`),
      (error: unknown) => error as VoxanneError,
    );

  it("POSTs To, Body and the org's From to the account's Messages.json with Basic auth; returns the SM sid, queued", async () => {
    const { fake, sms } = await setup({ statusCallbackUrl });
    const request = sampleSmsRequest(1, "org-1");
    const result = await sms.send(request);

    expect(result).toEqual({ vendorMessageId: fake.messages[0]?.resource.sid, status: "queued" });
    expect(result.vendorMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(fake.requests).toHaveLength(1);
    const [sent] = fake.requests;
    expect(sent).toMatchObject({ method: "POST", path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json` });
    expect(sent?.headers.authorization).toBe(`Basic ${basicAuth(fake)}`);
    expect(sent?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(sent?.params).toEqual({
      To: request.to,
      Body: request.body,
      From: "+15555550199",
      StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status?org=org-1&message=message-contract-1`,
    });
  });

  describe("chooses the sender", () => {
    const cases: [string, Partial<TwilioSmsOptions>, string | null, Record<string, string>][] = [
      [
        "the org's number over everything",
        { messagingServiceSid: SERVICE, defaultFrom: "+15555550177" },
        "+15555550100",
        { From: "+15555550100" },
      ],
      [
        "else the messaging service",
        { messagingServiceSid: SERVICE, defaultFrom: "+15555550177" },
        null,
        { MessagingServiceSid: SERVICE },
      ],
      ["else the default number", { defaultFrom: "+15555550177" }, null, { From: "+15555550177" }],
      ["a blank org number counts as none", { defaultFrom: "+15555550177" }, "  ", { From: "+15555550177" }],
    ];
    it.each(cases)("%s", async (_name, options, from, sender) => {
      const { fake, sms } = await setup(options);
      await sms.send({ ...sampleSmsRequest(1), from });
      const { To, Body, ...rest } = fake.requests[0]?.params ?? {};
      expect(rest).toEqual(sender);
    });

    it("a message through the messaging service is `accepted` at Twilio: queued for the core", async () => {
      const { fake, sms } = await setup({ messagingServiceSid: SERVICE });
      const result = await sms.send({ ...sampleSmsRequest(1), from: null });
      expect(fake.messages[0]?.resource).toMatchObject({ status: "accepted", messaging_service_sid: SERVICE });
      expect(result.status).toBe("queued");
    });

    it("no sender at all: NotConfigured SMS_SENDER_NOT_CONFIGURED, and nothing reached Twilio", async () => {
      const { fake, sms } = await setup();
      const error = await failureOf(sms.send({ ...sampleSmsRequest(1), from: null }));
      expect(error).toBeInstanceOf(NotConfigured);
      expect(error.code).toBe("SMS_SENDER_NOT_CONFIGURED");
      expect(fake.requests).toEqual([]);
    });
  });

  it("passes the status callback URL through as given, and leaves it out when there is none", async () => {
    const { fake, sms } = await setup({
      statusCallbackUrl: (r) =>
        r.orgId === "quiet" ? undefined : `${PUBLIC_URL}/webhooks/twilio/status?org=${r.orgId}`,
    });
    await sms.send(sampleSmsRequest(1, "org-7"));
    await sms.send(sampleSmsRequest(2, "quiet"));
    expect(fake.requests.map((r) => r.params.StatusCallback)).toEqual([
      `${PUBLIC_URL}/webhooks/twilio/status?org=org-7`,
      undefined,
    ]);
    expect(fake.messages[0]?.statusCallback).toBe(`${PUBLIC_URL}/webhooks/twilio/status?org=org-7`);
  });

  it("maps Twilio's status of a new message to the port's", () => {
    for (const s of ["queued", "accepted", "scheduled", "failed", "something-new", null])
      expect(twilioSendStatus(s)).toBe("queued");
    for (const s of ["sending", "sent"]) expect(twilioSendStatus(s)).toBe("sent");
  });

  describe("maps Twilio's errors", () => {
    it("500: SMS_UNCONFIRMED, not retryable (the text may have gone out), exactly one request (no SDK retry)", async () => {
      const { fake, sms } = await setup();
      fake.failNext("server_error");
      const error = await failureOf(sms.send(sampleSmsRequest(1)));
      expect(error).toBeInstanceOf(VendorFailed);
      expect(error).toMatchObject(SMS_UNCONFIRMED);
      expect(fake.requests.map((r) => r.status)).toEqual([500]);
      expect(error.cause).toMatchObject({ status: 500, code: 20500 });
    });

    it("429 (20429): SMS_UNAVAILABLE, retryable, one request", async () => {
      const { fake, sms } = await setup();
      fake.failNext("rate_limited");
      const error = await failureOf(sms.send(sampleSmsRequest(1)));
      expect(error).toMatchObject(SMS_UNAVAILABLE);
      expect(fake.requests.map((r) => r.status)).toEqual([429]);
    });

    it("the SDK's autoRetry retries 429 only: even with it on, a 500 is sent once", async () => {
      const fake = await startFakeTwilio();
      open.push(fake);
      const sms = twilioSms(fake.config({ autoRetry: true, maxRetries: 2, maxRetryDelay: 10 }));
      fake.failNext("server_error");
      await expect(sms.send(sampleSmsRequest(1))).rejects.toMatchObject(SMS_UNCONFIRMED);
      expect(fake.requests.map((r) => r.status)).toEqual([500]);
      fake.failNext("rate_limited");
      await sms.send(sampleSmsRequest(2));
      expect(fake.requests.map((r) => r.status)).toEqual([500, 429, 201]);
    });

    it("a slow answer: SMS_UNCONFIRMED at the time-out, one request, never re-sent", async () => {
      const { fake, sms } = await setup();
      fake.failNext("slow");
      const started = performance.now();
      const error = await failureOf(sms.send(sampleSmsRequest(1)));
      const elapsed = performance.now() - started;
      expect(error).toMatchObject(SMS_UNCONFIRMED);
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 500);
      expect(fake.requests).toHaveLength(1);
      expect(error.cause).toBeInstanceOf(TwilioApiError);
      expect(error.cause).toMatchObject({ status: null });
    });

    it("Twilio unreachable (connection refused): SMS_UNAVAILABLE, retryable", async () => {
      const { fake, sms } = await setup();
      await fake.close();
      const error = await failureOf(sms.send(sampleSmsRequest(1)));
      expect(error).toMatchObject(SMS_UNAVAILABLE);
      expect(error.cause).toMatchObject({ status: null, code: "ECONNREFUSED" });
    });

    it("21610 (the recipient texted STOP at Twilio): OptedOut; other numbers still get texts", async () => {
      const { fake, sms } = await setup();
      const request = sampleSmsRequest(1);
      fake.optOut(request.to);
      const error = await failureOf(sms.send(request));
      expect(error).toBeInstanceOf(OptedOut);
      expect(error.cause).toMatchObject({ status: 400, code: 21610 });
      await sms.send(sampleSmsRequest(2));
      fake.optIn(request.to);
      await sms.send(request);
      expect(fake.messages.map((m) => m.resource.to)).toEqual([sampleSmsRequest(2).to, request.to]);
    });

    it("21211 (Twilio finds the number invalid): ValidationFailed on `to`, Twilio's text on cause only", async () => {
      const { fake, sms } = await setup();
      const error = await failureOf(sms.send({ ...sampleSmsRequest(1), to: "555-0123" }));
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).issues).toEqual([{ path: "to", message: "is not a valid phone number" }]);
      expect(error.message).not.toContain("555-0123");
      expect(error.cause).toMatchObject({ status: 400, code: 21211 });
      expect((error.cause as Error).message).toContain("Invalid 'To' Phone Number: 555-0123");
      expect(fake.messages).toEqual([]);
    });

    it.each([21614, 21612, 21408])("%i (the number cannot get this text): ValidationFailed on `to`", async (code) => {
      const { fake, sms } = await setup();
      fake.failNext("invalid_number", { code });
      const error = await failureOf(sms.send(sampleSmsRequest(1)));
      expect(error).toBeInstanceOf(ValidationFailed);
      expect((error as ValidationFailed).issues.map((i) => i.path)).toEqual(["to"]);
    });

    it("a wrong auth token (401, 20003): SMS_REJECTED, not retryable, about credentials", async () => {
      const { fake, sms } = await setup({ authToken: "not-the-token-0123456789" });
      const error = await failureOf(sms.send(sampleSmsRequest(1)));
      expect(error).toMatchObject({ kind: "VendorFailed", code: "SMS_REJECTED", retryable: false });
      expect(error.message).toMatch(/credentials/);
      expect(fake.requests.map((r) => r.status)).toEqual([401]);
    });

    it.each([
      ["a sender not on the account (21606)", { kind: "rejected" as const }],
      ["an unknown resource (404, 20404)", { kind: "rejected" as const, status: 404, code: 20404 }],
      ["a forbidden request (403)", { kind: "rejected" as const, status: 403, code: 20403 }],
    ])("%s: SMS_REJECTED, not retryable", async (_name, { kind, ...options }) => {
      const { fake, sms } = await setup();
      fake.failNext(kind, options);
      const error = await failureOf(sms.send(sampleSmsRequest(1)));
      expect(error).toMatchObject({ kind: "VendorFailed", code: "SMS_REJECTED", retryable: false });
    });

    it("the auth token never appears in an error, its cause or anything inspect shows, even when Twilio echoes it", async () => {
      const { fake, sms } = await setup();
      const kinds: FakeTwilioFailure[] = [
        "opted_out",
        "invalid_number",
        "rejected",
        "unauthorized",
        "rate_limited",
        "server_error",
        "slow",
      ];
      const secrets = [fake.authToken, basicAuth(fake)];
      for (const kind of kinds) {
        fake.failNext(kind, { detail: `token ${fake.authToken} / ${basicAuth(fake)}` });
        const error = await failureOf(sms.send(sampleSmsRequest(1)));
        const everything = `${error.message} ${error.code} ${inspect(error, { depth: 10, showHidden: true })}`;
        for (const secret of secrets) expect(everything, kind).not.toContain(secret);
      }
      fake.failNext("rejected", { detail: `token ${fake.authToken}` });
      const error = await failureOf(sms.send(sampleSmsRequest(1)));
      expect((error.cause as Error).message).toContain("token [redacted]");
    });
  });

  it("refuses bad options at construction, before any request", () => {
    const valid = { accountSid: "AC5555000000000000000000000000a001", authToken: "fake-token-0123456789" };
    expect(() => twilioSms({ ...valid, accountSid: "SK123" })).toThrow(TypeError);
    expect(() => twilioSms({ ...valid, authToken: " " })).toThrow(TypeError);
    expect(() => twilioSms({ ...valid, messagingServiceSid: "PN123" })).toThrow(TypeError);
    expect(() => twilioSms({ ...valid, defaultFrom: "" })).toThrow(TypeError);
    expect(() => twilioSms({ ...valid, timeoutMs: 0 })).toThrow(RangeError);
    expect(() => twilioSms(valid)).not.toThrow();
  });
});

describe("twilioSms through the core", () => {
  const LEAD = "+15555559001";
  const CLINIC = "+15555550100";
  let fake: FakeTwilio | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  it("STOP (native SmsReceived) refuses the next send before Twilio; START lifts it; Twilio's own 21610 marks the contact", async () => {
    fake = await startFakeTwilio();
    const t = testVoxanne({
      sms: twilioSms({
        ...fake.config(),
        statusCallbackUrl: ({ orgId }) => `${PUBLIC_URL}/webhooks/twilio/status?org=${orgId}`,
      }),
    });
    const org = await t.voxanne.organizations.create({ name: "Clinic", agent: { smsFrom: CLINIC } });
    let n = 0;
    const inbound = (body: string) =>
      t.feed(org.id, [
        {
          eventKey: `SM-in-${++n}`,
          payload: {
            type: "SmsReceived",
            vendorMessageId: `SM-in-${n}`,
            from: LEAD,
            to: CLINIC,
            body,
            occurredAt: t.clock.now().toISOString(),
          },
        },
      ]);

    await inbound("Hi, can I book Botox?");
    const contact = (await t.voxanne.contacts.list(org.id)).items[0]!;
    const first = await t.voxanne.contacts.sendSms(org.id, contact.id, "Sure, when suits you?");
    expect(first).toMatchObject({ status: "queued", vendorMessageId: fake.messages[0]?.resource.sid });
    expect(fake.requests[0]?.params).toMatchObject({
      From: CLINIC,
      To: LEAD,
      StatusCallback: `${PUBLIC_URL}/webhooks/twilio/status?org=${org.id}`,
    });

    await inbound("STOP");
    await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "Still there?")).rejects.toBeInstanceOf(OptedOut);
    expect(fake.requests).toHaveLength(1);

    await inbound("start");
    await t.voxanne.contacts.sendSms(org.id, contact.id, "Welcome back");
    expect(fake.messages.map((m) => m.resource.body)).toEqual(["Sure, when suits you?", "Welcome back"]);

    // Twilio's block list knows of a STOP the core never saw: its 21610 opts the contact out too.
    fake.optOut(LEAD);
    await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "One more")).rejects.toBeInstanceOf(OptedOut);
    expect((await t.voxanne.contacts.get(org.id, contact.id)).smsOptedOutAt).not.toBeNull();
    await expect(t.voxanne.contacts.sendSms(org.id, contact.id, "And another")).rejects.toBeInstanceOf(OptedOut);
    expect(fake.requests.map((r) => r.status)).toEqual([201, 201, 400]);
  });
});
