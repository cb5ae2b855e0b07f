import { readFile } from "node:fs/promises";
import type { IncomingHttpHeaders } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import twilio from "twilio";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeTwilio } from "./fakeTwilio.ts";
import { rawDlrDoneDate, rfc2822 } from "./twilioResources.ts";
import { TWILIO_FIXTURES_DIR } from "./webhookFixtures.ts";
import { twilioSignature } from "./webhookSender.ts";

/** A shared wire fixture, any of them (REST bodies too), to hold the fake to Twilio's shapes. */
const fixture = async <T = Record<string, unknown>>(name: string): Promise<T> =>
  JSON.parse(await readFile(new URL(name, TWILIO_FIXTURES_DIR), "utf8")) as T;
/** A fixture's wire keys (`_…` keys are annotations). */
const wireKeys = (body: object) => Object.keys(body).filter((k) => !k.startsWith("_"));

interface WebhookFixture {
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
}

/** A receiver of webhooks that records them and answers empty TwiML, as our server would. */
async function startReceiver() {
  const received: { url: string; headers: IncomingHttpHeaders; params: Record<string, string> }[] = [];
  const server = createServer(async (req, res) => {
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    received.push({ url: req.url ?? "", headers: req.headers, params: Object.fromEntries(new URLSearchParams(raw)) });
    res.writeHead(200, { "content-type": "text/xml" }).end('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("the fake Twilio", () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });

  async function setup() {
    const fake = await startFakeTwilio({ slowMs: 200 });
    open.push(fake);
    const messagesUrl = `${fake.baseUrl}/2010-04-01/Accounts/${fake.accountSid}/Messages.json`;
    const post = async (params: Record<string, string>, auth = `${fake.accountSid}:${fake.authToken}`) => {
      const response = await fetch(messagesUrl, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(auth).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(params),
      });
      return {
        status: response.status,
        headers: response.headers,
        body: (await response.json()) as Record<string, unknown>,
      };
    };
    return { fake, post };
  }

  const SEND = { To: "+15555550123", From: "+15555550100", Body: "See you Tuesday ✨" };

  it("answers a send with 201 and a Message shaped like Twilio's (messages-create.response-201.json)", async () => {
    const { fake, post } = await setup();
    const expected = await fixture("messages-create.response-201.json");
    const { status, body } = await post({ ...SEND, StatusCallback: "https://clinic.example.test/s?org=1" });

    expect(status).toBe(201);
    expect(Object.keys(body).sort()).toEqual(wireKeys(expected).sort());
    expect(body).toMatchObject({
      account_sid: fake.accountSid,
      to: SEND.To,
      from: SEND.From,
      body: SEND.Body,
      status: "queued",
      direction: "outbound-api",
      messaging_service_sid: null,
      error_code: null,
      num_segments: "1",
    });
    expect(body.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(body.date_created).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/);
    expect(body.uri).toBe(`/2010-04-01/Accounts/${fake.accountSid}/Messages/${body.sid}.json`);
    expect(fake.messages).toEqual([{ resource: body, statusCallback: "https://clinic.example.test/s?org=1" }]);
    expect(fake.requests[0]).toMatchObject({
      method: "POST",
      status: 201,
      sid: body.sid,
      params: expect.objectContaining(SEND),
    });
  });

  it("through a Messaging Service: accepted, no sender yet, 0 segments", async () => {
    const { post } = await setup();
    const service = "MG5555000000000000000000000000b001";
    const { body } = await post({ To: SEND.To, Body: "hi", MessagingServiceSid: service });
    expect(body).toMatchObject({ status: "accepted", from: null, messaging_service_sid: service, num_segments: "0" });
  });

  it("serves a created message at GET …/Messages/{sid}.json", async () => {
    const { fake, post } = await setup();
    const { body } = await post(SEND);
    const auth = `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString("base64")}`;
    const got = await fetch(`${fake.baseUrl}${body.uri}`, { headers: { authorization: auth } });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(body);
  });

  it("refuses like Twilio: invalid To 21211 and opted out 21610 (the fixtures' bodies), missing fields, bad auth, unknown account", async () => {
    const { fake, post } = await setup();
    const invalid = await fixture<{ _httpStatus: number; code: number }>("messages-create.error-21211.json");
    const bad = await post({ ...SEND, To: "+1555-012" });
    expect(bad.status).toBe(invalid._httpStatus);
    expect(Object.keys(bad.body).sort()).toEqual(wireKeys(invalid).sort());
    expect(bad.body).toMatchObject({ code: 21211, status: 400, message: "Invalid 'To' Phone Number: +1555-012" });

    const unsubscribed = await fixture<{ _httpStatus: number }>("messages-create.error-21610.json");
    fake.optOut(SEND.To);
    const stop = await post(SEND);
    expect(stop.status).toBe(unsubscribed._httpStatus);
    const { _httpStatus, _note, ...wire } = unsubscribed as Record<string, unknown>;
    expect(stop.body).toEqual(wire);
    fake.optIn(SEND.To);
    expect((await post(SEND)).status).toBe(201);

    expect((await post({ From: SEND.From, Body: "x" })).body.code).toBe(21604);
    expect((await post({ To: SEND.To, Body: "x" })).body.code).toBe(21603);
    expect((await post({ To: SEND.To, From: SEND.From })).body.code).toBe(21602);
    expect((await post({ ...SEND, Body: "x".repeat(1601) })).body.code).toBe(21617);

    const unauthorized = await post(SEND, `${fake.accountSid}:wrong`);
    expect(unauthorized).toMatchObject({ status: 401, body: { code: 20003, status: 401 } });
    expect(unauthorized.headers.get("www-authenticate")).toBe('Basic realm="Twilio API"');

    const other = await fetch(`${fake.baseUrl}/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${fake.accountSid}:${fake.authToken}`).toString("base64")}` },
    });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ code: 20404 });
    expect(fake.messages).toHaveLength(1);
  });

  it("failNext: the planned errors in order, with the given text, code and status, then back to normal", async () => {
    const { fake, post } = await setup();
    fake.failNext("rate_limited", { times: 2 });
    fake.failNext("server_error", { status: 503, detail: "maintenance" });
    fake.failNext("invalid_number", { code: 21614 });
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post(SEND));
    expect(answers.map((a) => [a.status, a.body.code])).toEqual([
      [429, 20429],
      [429, 20429],
      [503, 20500],
      [400, 21614],
      [201, undefined],
    ]);
    expect(answers[2]?.body.message).toBe("maintenance");
    expect(fake.messages).toHaveLength(1);
    expect(() => fake.failNext("slow", { times: 0 })).toThrow(RangeError);
  });

  it("slow: creates the message but answers only after slowMs", async () => {
    const { fake, post } = await setup();
    fake.failNext("slow");
    const started = performance.now();
    const { status } = await post(SEND);
    expect(status).toBe(201);
    expect(performance.now() - started).toBeGreaterThanOrEqual(195);
    expect(fake.messages).toHaveLength(1);
  });

  it("signs webhooks with the twilio library's algorithm: the fixtures' signatures come out", async () => {
    for (const name of [
      "status-callback.delivered.json",
      "status-callback.undelivered-30003.json",
      "inbound-sms.stop.json",
    ]) {
      const { url, headers, params } = await fixture<WebhookFixture>(name);
      expect(twilioSignature("test_auth_token_0123456789abcdef", url, params)).toBe(headers["x-twilio-signature"]);
    }
  });

  it("posts a status callback to the message's StatusCallback, shaped and signed like Twilio's, and moves the message on", async () => {
    const { fake, post } = await setup();
    const receiver = await startReceiver();
    open.push(receiver);
    const url = `${receiver.base}/webhooks/twilio/status?org=o1`;
    const { body } = await post({ ...SEND, StatusCallback: url });
    const sid = String(body.sid);

    const reply = await fake.sendStatusCallback(sid, "undelivered", { errorCode: 30003 });
    expect(reply.status).toBe(200);
    const expected = await fixture<WebhookFixture>("status-callback.undelivered-30003.json");
    const [got] = receiver.received;
    expect(got?.url).toBe("/webhooks/twilio/status?org=o1");
    expect(Object.keys(got?.params ?? {})).toEqual(Object.keys(expected.params));
    expect(got?.params).toMatchObject({
      MessageSid: sid,
      SmsSid: sid,
      MessageStatus: "undelivered",
      SmsStatus: "undelivered",
      ErrorCode: "30003",
      AccountSid: fake.accountSid,
      To: SEND.To,
      From: SEND.From,
      ApiVersion: "2010-04-01",
    });
    const signature = String(got?.headers["x-twilio-signature"]);
    expect(twilio.validateRequest(fake.authToken, signature, url, got?.params ?? {})).toBe(true);
    expect(twilio.validateRequest(fake.authToken, signature, url, { ...got?.params, ErrorCode: "30008" })).toBe(false);
    expect(fake.messages[0]?.resource).toMatchObject({ status: "undelivered", error_code: 30003 });

    await fake.sendStatusCallback(sid, "sent");
    expect(Object.keys(receiver.received[1]?.params ?? {})).toEqual(
      Object.keys((await fixture<WebhookFixture>("status-callback.sent.json")).params),
    );
    await expect(fake.sendStatusCallback("SM-unknown", "sent")).rejects.toThrow(/no message/);
  });

  it("posts an inbound SMS shaped like Twilio's; signs the public URL when told; can drop the signature", async () => {
    const { fake } = await setup();
    const receiver = await startReceiver();
    open.push(receiver);
    const publicUrl = "https://clinic.example.test/webhooks/twilio/inbound?org=o1";
    const reply = await fake.sendInbound({
      url: `${receiver.base}/webhooks/twilio/inbound?org=o1`,
      signedUrl: publicUrl,
      from: "+15555550168",
      to: "+15555550100",
      body: "Stop",
      params: { OptOutType: "STOP" },
    });
    expect(reply.body).toContain("<Response/>");
    const [got] = receiver.received;
    const expected = await fixture<WebhookFixture>("inbound-sms.stop.json");
    expect(Object.keys(got?.params ?? {})).toEqual([...Object.keys(expected.params), "OptOutType"]);
    expect(got?.params).toMatchObject({
      From: "+15555550168",
      To: "+15555550100",
      Body: "Stop",
      SmsStatus: "received",
    });
    expect(got?.params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    const signature = String(got?.headers["x-twilio-signature"]);
    expect(signature).toBe(reply.signature);
    expect(twilio.validateRequest(fake.authToken, signature, publicUrl, got?.params ?? {})).toBe(true);

    await fake.sendInbound({
      url: `${receiver.base}/in`,
      from: "+15555550168",
      to: "+15555550100",
      body: "hi",
      headers: { "x-twilio-signature": null },
    });
    expect(receiver.received[1]?.headers["x-twilio-signature"]).toBeUndefined();
  });

  it("formats Twilio's dates", () => {
    const at = new Date("2025-11-20T15:05:09Z");
    expect(rfc2822(at)).toBe("Thu, 20 Nov 2025 15:05:09 +0000");
    expect(rawDlrDoneDate(at)).toBe("2511201505");
  });
});
