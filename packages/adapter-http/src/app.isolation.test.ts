/**
 * The tenant-isolation matrix: every `/api` endpoint × (own org, another org's ids, no token, bad tokens).
 * The organization comes from the token only, so another org's ids are simply not found.
 */
import { beforeEach, describe, expect, test } from "vitest";
import type { OrgFixture } from "./testKit.ts";
import { appFixture, badTokens, jsonOf } from "./testKit.ts";

type Fixture = Awaited<ReturnType<typeof appFixture>>;

interface Endpoint {
  method: string;
  /** The path, with the ids of `target`'s records. */
  path: (target: OrgFixture) => string;
  body?: unknown;
  /** Status when the caller addresses its own records. */
  ok: number;
  /** Lists: with another org's data around, only the caller's comes back (else: 404 on its ids). */
  list?: true;
}

const ENDPOINTS: Endpoint[] = [
  { method: "GET", path: () => "/api/analytics/dashboard-pulse", ok: 200, list: true },
  { method: "GET", path: () => "/api/analytics/recent-activity", ok: 200, list: true },
  { method: "GET", path: () => "/api/analytics/timeseries", ok: 200, list: true },
  { method: "GET", path: () => "/api/analytics/funnel", ok: 200, list: true },
  { method: "GET", path: () => "/api/analytics/services", ok: 200, list: true },
  { method: "GET", path: () => "/api/calls-dashboard", ok: 200, list: true },
  { method: "GET", path: (o) => `/api/calls/${o.callId}`, ok: 200 },
  { method: "DELETE", path: (o) => `/api/calls/${o.callId}`, ok: 204 },
  { method: "GET", path: (o) => `/api/calls/${o.callId}/recording`, ok: 302 },
  { method: "GET", path: () => "/api/contacts", ok: 200, list: true },
  { method: "GET", path: (o) => `/api/contacts/${o.contactId}`, ok: 200 },
  { method: "PATCH", path: (o) => `/api/contacts/${o.contactId}`, body: { name: "Renamed" }, ok: 200 },
  { method: "POST", path: (o) => `/api/contacts/${o.contactId}/call-back`, ok: 202 },
  { method: "POST", path: (o) => `/api/contacts/${o.contactId}/sms`, body: { body: "Hello" }, ok: 202 },
  { method: "GET", path: () => "/api/services", ok: 200, list: true },
  {
    method: "POST",
    path: () => "/api/services",
    body: { name: "Peel", priceCents: 100, keywords: ["peel"] },
    ok: 201,
    list: true,
  },
  { method: "GET", path: (o) => `/api/services/${o.serviceId}`, ok: 200 },
  { method: "PATCH", path: (o) => `/api/services/${o.serviceId}`, body: { priceCents: 500 }, ok: 200 },
  { method: "DELETE", path: (o) => `/api/services/${o.serviceId}`, ok: 204 },
];

const name = (e: Endpoint) =>
  `${e.method} ${e.path({ callId: ":id", contactId: ":id", serviceId: ":id" } as OrgFixture)}`;

const send = (f: Fixture, e: Endpoint, target: OrgFixture, authorization?: string) =>
  f.app.request(e.path(target), {
    method: e.method,
    headers: {
      ...(authorization && { authorization }),
      ...(e.body !== undefined && { "content-type": "application/json" }),
    },
    ...(e.body !== undefined && { body: JSON.stringify(e.body) }),
  });

describe.each(ENDPOINTS.map((e) => [name(e), e] as const))("%s", (_, endpoint) => {
  let f: Fixture;
  beforeEach(async () => {
    f = await appFixture();
  });

  test("own org → 2xx", async () => {
    const res = await send(f, endpoint, f.a, `Bearer ${f.a.token}`);
    expect(res.status).toBe(endpoint.ok);
  });

  test("another org's records → 404, or the caller's data only", async () => {
    const res = await send(f, endpoint, f.b, `Bearer ${f.a.token}`);
    if (!endpoint.list) {
      expect(res.status).toBe(404);
      expect((await jsonOf(res)).error.code).toMatch(/_NOT_FOUND$/);
      return;
    }
    expect(res.status).toBe(endpoint.ok);
    const text = await res.text();
    for (const id of [f.b.orgId, f.b.callId, f.b.contactId, f.b.serviceId]) expect(text).not.toContain(id);
    if (endpoint.path(f.a) === "/api/analytics/dashboard-pulse") expect(JSON.parse(text).totalCalls).toBe(1);
    if (endpoint.path(f.a) === "/api/analytics/timeseries") expect(JSON.parse(text).points[0].totalCalls).toBe(1);
  });

  test("no token → 401 with WWW-Authenticate", async () => {
    const res = await send(f, endpoint, f.a);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await jsonOf(res)).error.code).toBe("UNAUTHORIZED");
  });

  test.each(["expired", "wrong key", "alg none", "garbage"])("bad token (%s) → 401", async (kind) => {
    const token = (await badTokens(f.a.orgId))[kind];
    const res = await send(f, endpoint, f.a, `Bearer ${token}`);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});

test("a body cannot pick the organization", async () => {
  const f = await appFixture();
  const res = await f.app.request(
    "/api/services",
    f.json(f.a, "POST", { name: "Peel", priceCents: 100, keywords: ["peel"], orgId: f.b.orgId }),
  );
  expect(res.status).toBe(400);
  expect((await jsonOf(res)).error.issues).toEqual([expect.objectContaining({ path: "orgId" })]);
});
