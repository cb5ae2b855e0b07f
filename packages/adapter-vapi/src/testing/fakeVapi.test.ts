import { createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { VapiWebhookAuth } from "@voxanne/core";
import { afterEach, describe, expect, it } from "vitest";
import type { FakeVapi } from "./fakeVapi.ts";
import { startFakeVapi } from "./fakeVapi.ts";
import type { VapiMessage } from "./vapiFixtures.ts";
import { readVapiFixture } from "./vapiFixtures.ts";

/** A webhook receiver on 127.0.0.1 that keeps what it got and answers 200 `{}`. */
async function startReceiver() {
  const received: { headers: IncomingHttpHeaders; rawBody: string }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
    received.push({ headers: req.headers, rawBody: Buffer.concat(chunks).toString("utf8") });
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/vapi`,
    received,
    messages: () => received.map((r) => (JSON.parse(r.rawBody) as { message: VapiMessage }).message),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const CALL_BODY = {
  assistantId: "assistant-1",
  phoneNumberId: "phone-1",
  customer: { number: "+15555550168", name: "Daniel Kim" },
  assistantOverrides: { metadata: { callId: "call-1", orgId: "org-1" }, variableValues: { callId: "call-1" } },
};

describe("startFakeVapi", () => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
  });
  async function fake(): Promise<FakeVapi> {
    const vapi = await startFakeVapi();
    open.push(vapi);
    return vapi;
  }
  const post = (vapi: FakeVapi, body: unknown, key = vapi.apiKey) =>
    fetch(`${vapi.baseUrl}/call`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  it("answers 201 with a queued Call shaped like create-call.response.json, echoing the overrides", async () => {
    const vapi = await fake();
    const response = await post(vapi, CALL_BODY);
    expect(response.status).toBe(201);
    const call = (await response.json()) as Record<string, unknown>;
    const template = await readVapiFixture<Record<string, unknown>>("create-call.response.json");
    expect(Object.keys(call).sort()).toEqual(
      Object.keys(template)
        .filter((k) => k !== "name")
        .sort(),
    );
    expect(call).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      type: "outboundPhoneCall",
      status: "queued",
      assistantId: "assistant-1",
      phoneNumberId: "phone-1",
      customer: CALL_BODY.customer,
      assistantOverrides: CALL_BODY.assistantOverrides,
    });
    expect(JSON.stringify(call)).not.toContain(template.id as string);
    const read = await fetch(`${vapi.baseUrl}/call/${call.id}`, {
      headers: { authorization: `Bearer ${vapi.apiKey}` },
    });
    expect(await read.json()).toMatchObject({ id: call.id, status: "queued" });
    expect(vapi.requests).toMatchObject([{ method: "POST", path: "/call", status: 201, vendorCallId: call.id }, {}]);
  });

  it("refuses a wrong key with 401 and a bad number with create-call.error-400.json's body", async () => {
    const vapi = await fake();
    const unauthorized = await post(vapi, CALL_BODY, "wrong");
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toMatchObject({ error: "Unauthorized", statusCode: 401 });

    const badNumber = await post(vapi, { ...CALL_BODY, customer: { number: "5555550168" } });
    expect(badNumber.status).toBe(400);
    expect(await badNumber.json()).toEqual(await readVapiFixture("create-call.error-400.json"));

    const longName = await post(vapi, { ...CALL_BODY, customer: { number: "+15555550168", name: "x".repeat(41) } });
    expect(longName.status).toBe(400);
    expect(vapi.calls).toEqual([]);
  });

  it("fails the next requests as planned, in order, then recovers", async () => {
    const vapi = await fake();
    await vapi.failNext("rate_limited", { times: 2, retryAfterSeconds: 3, detail: "slow down" });
    await vapi.failNext("server_error");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await post(vapi, CALL_BODY);
      statuses.push(response.status);
      if (i === 0) {
        expect(response.headers.get("retry-after")).toBe("3");
        expect(await response.json()).toEqual({ message: "slow down", error: "Too Many Requests", statusCode: 429 });
      }
    }
    expect(statuses).toEqual([429, 429, 500, 201]);
    expect(vapi.calls).toHaveLength(1);
  });

  it("refuse: connections are refused until resume()", async () => {
    const vapi = await fake();
    await vapi.failNext("refuse");
    const error = await post(vapi, CALL_BODY).then(
      () => expect.fail("expected a refused connection"),
      (e: Error) => e,
    );
    expect((error.cause as { code?: string }).code).toBe("ECONNREFUSED");
    await vapi.resume();
    expect((await post(vapi, CALL_BODY)).status).toBe(201);
  });

  it("signs webhooks like Vapi: bearer, secret header, HMAC over {timestamp}.{body}", async () => {
    const vapi = await fake();
    const receiver = await startReceiver();
    open.push(receiver);
    const hmac: VapiWebhookAuth = {
      type: "hmac",
      secret: "hmac-secret-0123456789",
      algorithm: "sha256",
      signatureHeader: "x-signature",
      timestampHeader: "x-timestamp",
      maxSkewSeconds: 300,
    };
    await vapi.sendWebhook(receiver.url, { message: { type: "hang" } }, { type: "bearer", token: "tok-123" });
    await vapi.sendWebhook(receiver.url, '{"message":{"type":"hang"}}', {
      type: "secretHeader",
      headerName: "x-vapi-secret",
      secret: "s3cret",
    });
    const reply = await vapi.sendWebhook(receiver.url, { message: { type: "hang" } }, hmac, {
      timestamp: 1763650931520,
    });
    expect(reply).toMatchObject({ status: 200, body: {} });

    const [bearer, secret, signed] = receiver.received;
    expect(bearer?.headers.authorization).toBe("Bearer tok-123");
    expect(secret?.headers["x-vapi-secret"]).toBe("s3cret");
    expect(secret?.rawBody).toBe('{"message":{"type":"hang"}}');
    const expected = createHmac("sha256", hmac.secret).update(`1763650931520.${signed?.rawBody}`).digest("hex");
    expect(signed?.headers).toMatchObject({ "x-signature": expected, "x-timestamp": "1763650931520" });
  });

  it("plays a placed call: in-progress, ended, end-of-call report, all about that call", async () => {
    const vapi = await fake();
    const receiver = await startReceiver();
    open.push(receiver);
    const { id } = (await (await post(vapi, CALL_BODY)).json()) as { id: string };
    const at = new Date("2026-01-25T09:00:00.000Z");
    const replies = await vapi.playCall(id, {
      url: receiver.url,
      auth: { type: "bearer", token: "tok" },
      at,
      recordingUrl: "http://127.0.0.1:1/rec.wav",
    });
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);

    const messages = receiver.messages();
    expect(messages.map((m) => [m.type, m.status ?? null])).toEqual([
      ["status-update", "in-progress"],
      ["status-update", "ended"],
      ["end-of-call-report", null],
    ]);
    for (const message of messages) {
      expect(message.call).toMatchObject({
        id,
        type: "outboundPhoneCall",
        assistantId: "assistant-1",
        phoneNumberId: "phone-1",
        customer: CALL_BODY.customer,
        assistantOverrides: CALL_BODY.assistantOverrides,
        createdAt: at.toISOString(),
      });
      expect(message.customer).toEqual(CALL_BODY.customer);
      expect(message.phoneNumber).toMatchObject({ id: "phone-1", assistantId: "assistant-1" });
    }
    const raw = receiver.received.map((r) => r.rawBody).join("\n");
    expect(raw).not.toMatch(/0000000000c[0-9]/); // no fixture call id left
    expect(raw).not.toContain("storage.vapi.ai");

    const [inProgress, ended, report] = messages;
    // The report's times keep the fixture's offsets from the call's creation (9.475 s to answer).
    expect(report).toMatchObject({
      startedAt: "2026-01-25T09:00:09.475Z",
      endedReason: "assistant-ended-call",
      artifact: { recording: { mono: { combinedUrl: "http://127.0.0.1:1/rec.wav" } } },
      recordingUrl: "http://127.0.0.1:1/rec.wav",
    });
    expect(inProgress?.call.startedAt).toBe(report?.startedAt);
    expect(ended).toMatchObject({ endedReason: "assistant-ended-call", call: { endedAt: report?.endedAt } });
    expect((inProgress?.timestamp ?? 0) < (ended?.timestamp ?? 0)).toBe(true);
  });

  it("plays an unanswered call without in-progress, and a call with no recording", async () => {
    const vapi = await fake();
    const receiver = await startReceiver();
    open.push(receiver);
    const { id } = (await (await post(vapi, CALL_BODY)).json()) as { id: string };
    await vapi.playCall(id, { url: receiver.url, auth: { type: "none" }, outcome: "no-answer" });
    expect(receiver.messages().map((m) => [m.type, m.endedReason, m.call.startedAt ?? null])).toEqual([
      ["status-update", "customer-did-not-answer", null],
      ["end-of-call-report", "customer-did-not-answer", null],
    ]);

    receiver.received.length = 0;
    await vapi.playCall(id, { url: receiver.url, auth: { type: "none" }, outcome: "voicemail", recordingUrl: null });
    const report = receiver.messages().at(-1);
    expect(report).toMatchObject({ type: "end-of-call-report", endedReason: "voicemail" });
    expect(JSON.stringify(report)).not.toMatch(/recording|RecordingUrl/);

    await expect(vapi.playCall("unknown", { url: receiver.url, auth: { type: "none" } })).rejects.toThrow(/no call/);
  });
});
