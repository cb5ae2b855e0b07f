/** The body limit over a real port: a declared length is judged from the header, a chunked body as it arrives. */
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import type { WebhookRequest } from "./routes/webhooks.ts";
import { appFixture } from "./testKit.ts";

const LIMIT = 1_000;
const vapi = vi.fn(async (_: WebhookRequest) => ({ status: 200, body: {} }));
let url: URL;
let close: () => Promise<void>;

beforeAll(async () => {
  const { app } = await appFixture({ webhooks: { vapi }, limits: { bodyBytes: LIMIT } });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/vapi`);
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(() => close());

/** POSTs `chunks`, with a Content-Length unless `chunked` (then Transfer-Encoding: chunked). */
function post(chunks: string[], chunked: boolean): Promise<{ status: number; body: string }> {
  const length = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "POST",
        headers: { "content-type": "application/json", ...(chunked ? {} : { "content-length": String(length) }) },
      },
      (res) => {
        let body = "";
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const json = (size: number) => JSON.stringify({ pad: "x".repeat(size - 10) });

test.each([
  ["with a Content-Length", false],
  ["chunked", true],
])("a body within the limit reaches the handler byte for byte (%s)", async (_, chunked) => {
  vapi.mockClear();
  const body = json(LIMIT);
  expect(Buffer.byteLength(body)).toBe(LIMIT);
  expect(await post([body.slice(0, 300), body.slice(300)], chunked)).toMatchObject({ status: 200 });
  expect(new TextDecoder().decode(vapi.mock.calls[0]?.[0].rawBody)).toBe(body);
});

test.each([
  ["with a Content-Length", false],
  ["chunked", true],
])("a body over the limit → 413 and the handler never runs (%s)", async (_, chunked) => {
  vapi.mockClear();
  const body = json(LIMIT + 1);
  const res = await post([body.slice(0, 300), body.slice(300)], chunked);
  expect(res.status).toBe(413);
  expect(JSON.parse(res.body).error.code).toBe("PAYLOAD_TOO_LARGE");
  expect(vapi).not.toHaveBeenCalled();
});
