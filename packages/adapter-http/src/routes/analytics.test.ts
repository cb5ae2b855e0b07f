import { expect, test } from "vitest";
import { appFixture, jsonOf } from "../testKit.ts";

test("GET /api/analytics/dashboard-pulse → the pulse, for a range when given", async () => {
  const { app, a, as } = await appFixture();
  const res = await app.request("/api/analytics/dashboard-pulse", as(a));
  expect(res.status).toBe(200);
  expect(await jsonOf(res)).toMatchObject({ totalCalls: 1, inboundCalls: 1, bookings: 1, pipelineValueCents: 40000 });
  const empty = await app.request(
    "/api/analytics/dashboard-pulse?from=2026-01-26T00:00:00Z&to=2026-01-27T00:00:00Z",
    as(a),
  );
  expect(await jsonOf(empty)).toMatchObject({ totalCalls: 0 });
});

test("GET /api/analytics/dashboard-pulse names a bad field", async () => {
  const { app, a, as } = await appFixture();
  const res = await app.request("/api/analytics/dashboard-pulse?from=yesterday", as(a));
  expect(res.status).toBe(400);
  expect((await jsonOf(res)).error).toMatchObject({ code: "VALIDATION_FAILED", issues: [{ path: "from" }] });
  const backwards = await app.request(
    "/api/analytics/dashboard-pulse?from=2026-01-27T00:00:00Z&to=2026-01-26T00:00:00Z",
    as(a),
  );
  expect(backwards.status).toBe(400);
});

test("GET /api/analytics/recent-activity → { items }, newest first", async () => {
  const { app, a, as } = await appFixture();
  const res = await app.request("/api/analytics/recent-activity", as(a));
  expect(res.status).toBe(200);
  const { items } = await jsonOf(res);
  expect(items.length).toBeGreaterThan(0);
  expect(items.length).toBeLessThanOrEqual(10);
});
