/**
 * The seed's scenarios 1 and 2 at the adapter's level, over real HTTP on 127.0.0.1: Vapi's
 * webhooks (from the shared fixtures) reach the handler behind a Node server, and a callback goes
 * out through `vapiTelephony` to the fake Vapi API, which then posts the call's webhooks back.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { VapiWebhookAuth } from "@voxanne/core";
import { testVoxanne } from "@voxanne/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { vapiDecoder } from "./decoder.ts";
import { vapiTelephony } from "./telephony.ts";
import { type FakeVapi, startFakeVapi } from "./testing/fakeVapi.ts";
import { readVapiFixture } from "./testing/vapiFixtures.ts";
import { sendWebhook } from "./testing/webhookSender.ts";
import { vapiWebhookHandler } from "./webhooks.ts";

const ASSISTANT = "a1b2c3d4-5555-4e6f-8a9b-0000000000a1";
const PHONE_NUMBER = "9c8b7a6d-5555-4f3e-9d2c-0000000000b1";
const AUTH: VapiWebhookAuth = { type: "bearer", token: "e2e-token-e2e-token-e2e" };
const INBOUND = [
  "status-update.in-progress.json",
  "tool-calls.book-appointment.json",
  "status-update.ended.json",
  "end-of-call-report.inbound-botox-booked.json",
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** The webhook handler behind a real Node HTTP server, as the HTTP adapter will mount it. */
async function serve(handler: ReturnType<typeof vapiWebhookHandler>): Promise<string> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
    const { status, body } = await handler({ headers, rawBody: new Uint8Array(Buffer.concat(chunks)) });
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/vapi`;
}

async function clinic() {
  const vapi: FakeVapi = await startFakeVapi({ apiKey: "vapi-test-key" });
  cleanups.push(() => vapi.close());
  const t = testVoxanne({
    decoders: [vapiDecoder],
    telephony: vapiTelephony({ ...vapi.config, timeoutMs: 2_000 }),
  });
  // The fixtures happen in November 2025: the clock sits just before the first of them.
  t.clock.set(new Date("2025-11-20T15:00:00.000Z"));
  const org = await t.voxanne.organizations.create({
    name: "Bright Aesthetics",
    timezone: "America/New_York",
    agent: {
      assistantIds: [ASSISTANT],
      phoneNumberId: PHONE_NUMBER,
      outboundAssistantId: ASSISTANT,
      vapiWebhookAuth: AUTH,
    },
  });
  const url = await serve(vapiWebhookHandler({ voxanne: t.voxanne, now: () => new Date() }));
  return { t, org, vapi, url };
}

describe("Vapi end to end", () => {
  it("scenario 1: an inbound call books Botox: call booked, contact booked, $400, success rate up", async () => {
    const { t, org, url } = await clinic();
    for (const name of INBOUND) {
      const reply = await sendWebhook(url, await readVapiFixture(name), AUTH);
      expect(reply.status, name).toBe(200);
      if (name.startsWith("tool-calls")) {
        expect(reply.body).toMatchObject({ results: [{ result: expect.stringMatching(/^Booked Botox/) }] });
      }
    }
    await t.voxanne.settle();

    const [call] = (await t.voxanne.calls.list(org.id)).items;
    expect(call).toMatchObject({
      direction: "inbound",
      status: "completed",
      bookingConfirmed: true,
      financialValueCents: 40_000,
    });
    expect(call?.durationSeconds).toBeGreaterThan(0);
    const contact = await t.voxanne.contacts.get(org.id, call!.contactId!);
    expect(contact.leadStatus).toBe("booked");
    expect(await t.voxanne.metrics.pulse(org.id)).toMatchObject({
      totalCalls: 1,
      successRate: 100,
      pipelineValueCents: 40_000,
    });
  });

  it("scenario 2: a callback goes out through Vapi's API, and its webhooks complete the same call", async () => {
    const { t, org, vapi, url } = await clinic();
    for (const name of INBOUND) await sendWebhook(url, await readVapiFixture(name), AUTH);
    await t.voxanne.settle();
    const [lead] = (await t.voxanne.contacts.list(org.id)).items;

    t.clock.advance({ hours: 1 });
    const call = await t.voxanne.contacts.callBack(org.id, lead!.id);
    expect(call).toMatchObject({ direction: "outbound", status: "initiated", contactId: lead!.id });
    const [request] = vapi.requests.filter((r) => r.path === "/call");
    expect(request?.body).toMatchObject({
      assistantId: ASSISTANT,
      phoneNumberId: PHONE_NUMBER,
      customer: { number: lead!.phone },
      assistantOverrides: { metadata: { callId: call.id } },
    });
    expect(call.vendorCallId).toBe(request?.vendorCallId);

    const replies = await vapi.playCall(call.vendorCallId!, { url, auth: AUTH, at: t.clock.now() });
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    await t.voxanne.settle();

    const outbound = (await t.voxanne.calls.list(org.id, { direction: "outbound" })).items;
    expect(outbound.map((c) => [c.id, c.status])).toEqual([[call.id, "completed"]]);
    const contact = await t.voxanne.contacts.get(org.id, lead!.id);
    expect(contact.lastContactedAt!.getTime()).toBeGreaterThanOrEqual(t.clock.now().getTime());
    expect(contact.leadStatus).toBe("booked");
  });
});
