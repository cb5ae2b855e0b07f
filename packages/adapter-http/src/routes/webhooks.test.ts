import { expect, test, vi } from "vitest";
import { appFixture, jsonOf } from "../testKit.ts";
import type { WebhookRequest } from "./webhooks.ts";

const bytes = new Uint8Array([0x7b, 0x22, 0xe9, 0x00, 0xff, 0x7d]); // not even valid UTF-8: passed as is

test("POST /webhooks/vapi hands the raw bytes and headers over, and returns the handler's reply", async () => {
  const vapi = vi.fn(async (_: WebhookRequest) => ({ status: 200, body: { results: [{ toolCallId: "t1" }] } }));
  const { app } = await appFixture({ webhooks: { vapi } });
  const res = await app.request("/webhooks/vapi", {
    method: "POST",
    body: bytes,
    headers: { "content-type": "application/json", "x-vapi-secret": "s3cret" },
  });
  expect(res.status).toBe(200);
  expect(await jsonOf(res)).toEqual({ results: [{ toolCallId: "t1" }] });
  const [request] = vapi.mock.calls[0] ?? [];
  expect(request?.rawBody).toEqual(bytes);
  expect(request?.headers.get("x-vapi-secret")).toBe("s3cret");
});

test.each([
  ["/webhooks/twilio/status", "twilioStatus"],
  ["/webhooks/twilio/inbound", "twilioInbound"],
] as const)("POST %s gets the full URL and may answer TwiML", async (path, name) => {
  const handler = vi.fn(async (_: WebhookRequest & { url: string }) => ({
    status: 200,
    body: "<Response></Response>",
    contentType: "text/xml",
  }));
  const { app } = await appFixture({ webhooks: { [name]: handler } });
  const url = `http://clinic.example${path}?org=o1&message=m1`;
  const res = await app.request(url, {
    method: "POST",
    body: "MessageSid=SM1&MessageStatus=delivered",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": "sig" },
  });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/xml");
  expect(await res.text()).toBe("<Response></Response>");
  const [request] = handler.mock.calls[0] ?? [];
  expect(request?.url).toBe(url);
  expect(new TextDecoder().decode(request?.rawBody)).toBe("MessageSid=SM1&MessageStatus=delivered");
  expect(request?.headers.get("x-twilio-signature")).toBe("sig");
});

test("a handler's refusal passes through; an unconfigured webhook is 404", async () => {
  const vapi = async () => ({ status: 401, body: { error: { code: "WEBHOOK_SIGNATURE_INVALID", message: "no" } } });
  const { app } = await appFixture({ webhooks: { vapi } });
  expect((await app.request("/webhooks/vapi", { method: "POST", body: "{}" })).status).toBe(401);
  const missing = await app.request("/webhooks/twilio/status", { method: "POST", body: "" });
  expect(missing.status).toBe(404);
  expect((await jsonOf(missing)).error.code).toBe("WEBHOOK_NOT_CONFIGURED");
});
