/** Cross-cutting behaviour of the app: limits, headers, CORS, health, errors and logs. */
import { Writable } from "node:stream";
import { pino } from "pino";
import { expect, test } from "vitest";
import { appFixture, jsonOf } from "./testKit.ts";

test("a body over the limit → 413", async () => {
  const { app, a, json } = await appFixture({ limits: { bodyBytes: 100 } });
  const res = await app.request(`/api/contacts/${a.contactId}/sms`, json(a, "POST", { body: "x".repeat(200) }));
  expect(res.status).toBe(413);
  expect((await jsonOf(res)).error.code).toBe("PAYLOAD_TOO_LARGE");
});

test("per-org rate limit → 429 with Retry-After; other orgs are not affected", async () => {
  const { app, a, b, as } = await appFixture({ limits: { perOrgPerMinute: 2 } });
  for (let i = 0; i < 2; i++) expect((await app.request("/api/services", as(a))).status).toBe(200);
  const limited = await app.request("/api/services", as(a));
  expect(limited.status).toBe(429);
  expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  expect((await jsonOf(limited)).error.code).toBe("RATE_LIMITED");
  expect((await app.request("/api/services", as(b))).status).toBe(200);
});

test("per-IP rate limit counts unauthenticated requests too", async () => {
  const ips = ["10.0.0.1", "10.0.0.1", "10.0.0.1", "10.0.0.2"];
  let next = 0;
  const { app, a, as } = await appFixture({ limits: { perIpPerMinute: 2, clientIp: () => ips[next++] ?? "?" } });
  expect((await app.request("/api/services")).status).toBe(401);
  expect((await app.request("/api/services", as(a))).status).toBe(200);
  const limited = await app.request("/api/services", as(a));
  expect(limited.status).toBe(429);
  expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
  expect((await app.request("/api/services", as(a))).status).toBe(200);
});

test("security headers are set", async () => {
  const { app } = await appFixture();
  const res = await app.request("/health");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
  expect(res.headers.get("strict-transport-security")).toMatch(/max-age/);
});

test("a webhook's answer, read by the vendor's server and never rendered, carries nosniff without the browser set", async () => {
  const { app } = await appFixture();
  const res = await app.request("/webhooks/vapi", { method: "POST", body: "{}" });
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBeNull();
  expect(res.headers.get("strict-transport-security")).toBeNull();
  expect(res.headers.get("x-request-id")).toMatch(/\S/);
});

test("CORS answers only the configured origins", async () => {
  const { app } = await appFixture({ cors: { origins: ["https://dashboard.example"] } });
  const preflight = (origin: string) =>
    app.request("/api/services", {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization" },
    });
  const ok = await preflight("https://dashboard.example");
  expect(ok.headers.get("access-control-allow-origin")).toBe("https://dashboard.example");
  expect(ok.headers.get("access-control-allow-headers")).toMatch(/authorization/i);
  expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
});

test("GET /health: 200 when the database answers, 503 when not (or when the check throws)", async () => {
  expect(await jsonOf(await (await appFixture()).app.request("/health"))).toEqual({ status: "ok" });
  for (const health of [async () => false, async () => Promise.reject(new Error("ECONNREFUSED 10.0.0.5"))]) {
    const res = await (await appFixture({ health })).app.request("/health");
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain("ECONNREFUSED");
  }
});

test("a retryable vendor failure → 503 with Retry-After; a final one → 502", async () => {
  const { app, a, as, t } = await appFixture();
  t.telephony.failNext("unavailable");
  const unavailable = await app.request(`/api/contacts/${a.contactId}/call-back`, as(a, { method: "POST" }));
  expect(unavailable.status).toBe(503);
  expect(unavailable.headers.get("retry-after")).toMatch(/^\d+$/);
  t.telephony.failNext("rejected", 1, "vendor says: account suspended");
  const rejected = await app.request(`/api/contacts/${a.contactId}/call-back`, as(a, { method: "POST" }));
  expect(rejected.status).toBe(502);
  expect(await rejected.text()).not.toContain("suspended");
});

test("an unknown route → 404 JSON; a bug → 500 INTERNAL without its message", async () => {
  const f = await appFixture();
  const missing = await f.app.request("/nope");
  expect(missing.status).toBe(404);
  expect((await jsonOf(missing)).error.code).toBe("ROUTE_NOT_FOUND");
  const voxanne = {
    ...f.t.voxanne,
    metrics: {
      ...f.t.voxanne.metrics,
      pulse: async () => Promise.reject(new Error('relation "calls" does not exist; phone +15555550111')),
    },
  };
  const { app, a, as } = await appFixture({ voxanne });
  const res = await app.request("/api/analytics/dashboard-pulse", as(a));
  expect(res.status).toBe(500);
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: expect.any(String) } });
  expect(text).not.toMatch(/relation|5555|at /);
});

/** A pino logger whose lines land, parsed, in `lines`. */
function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: pino(sink) };
}

test("one log line per request with id, org, method, path, status and duration; no token, query or body", async () => {
  const { lines, logger } = capturedLog();
  const { app, a, json } = await appFixture({ logger });
  await app.request(`/api/contacts/${a.contactId}/sms?q=%2B15555550111`, json(a, "POST", { body: "Secret words" }));
  const [line] = lines;
  expect(line).toMatchObject({
    requestId: expect.any(String),
    orgId: a.orgId,
    method: "POST",
    path: `/api/contacts/${a.contactId}/sms`,
    status: 202,
    durationMs: expect.any(Number),
  });
  const text = JSON.stringify(lines);
  for (const secret of [a.token, "Secret words", "5555550111"]) expect(text).not.toContain(secret);
});

test("a webhook handler's context (ids) joins the request's one log line", async () => {
  const { lines, logger } = capturedLog();
  const context = { orgId: "org-1", vendorCallId: "call-1", type: "end-of-call-report", inserted: true };
  const vapi = async () => ({ status: 200, body: {}, context });
  const { app } = await appFixture({ webhooks: { vapi }, logger });
  const res = await app.request("/webhooks/vapi", { method: "POST", body: "{}" });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({});
  expect(lines).toEqual([expect.objectContaining({ ...context, path: "/webhooks/vapi", status: 200 })]);
});
