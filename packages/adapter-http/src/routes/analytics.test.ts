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

test("GET /api/analytics/timeseries → buckets in the org's time zone; day unless asked", async () => {
  const { app, a, as, t } = await appFixture();
  // The fixture's call came in at 09:00 UTC on Sunday 25 Jan: 23:00 on Saturday the 24th in Honolulu.
  await t.voxanne.organizations.update(a.orgId, { timezone: "Pacific/Honolulu" });
  const res = await app.request("/api/analytics/timeseries", as(a));
  expect(res.status).toBe(200);
  expect(await jsonOf(res)).toEqual({
    interval: "day",
    timeZone: "Pacific/Honolulu",
    points: [
      { start: "2026-01-24", totalCalls: 1, inboundCalls: 1, bookings: 1, successRate: 100, pipelineValueCents: 40000 },
    ],
  });
  const weeks = await jsonOf(await app.request("/api/analytics/timeseries?interval=week", as(a)));
  expect(weeks).toMatchObject({ interval: "week", points: [{ start: "2026-01-19", totalCalls: 1 }] });
  const later = "/api/analytics/timeseries?interval=month&from=2026-01-25T09:00:01Z&to=2026-03-01T00:00:00Z";
  expect(await jsonOf(await app.request(later, as(a)))).toMatchObject({ interval: "month", points: [] });
});

test("GET /api/analytics/timeseries names a bad interval or range", async () => {
  const { app, a, as } = await appFixture();
  for (const [query, path] of [
    ["interval=hour", "interval"],
    ["from=yesterday", "from"],
    ["from=2026-01-27T00:00:00Z&to=2026-01-26T00:00:00Z", undefined],
  ] as const) {
    const res = await app.request(`/api/analytics/timeseries?${query}`, as(a));
    expect(res.status, query).toBe(400);
    const { error } = await jsonOf(res);
    expect(error.code).toBe("VALIDATION_FAILED");
    if (path) expect(error.issues).toEqual([expect.objectContaining({ path })]);
  }
});

test("GET /api/analytics/funnel → the four stages in order", async () => {
  const { app, a, as } = await appFixture();
  const res = await app.request("/api/analytics/funnel", as(a));
  expect(res.status).toBe(200);
  expect(await jsonOf(res)).toEqual({
    stages: [
      { stage: "new", count: 1 },
      { stage: "contacted", count: 1 },
      { stage: "booked", count: 1 },
      { stage: "converted", count: 0 },
    ],
  });
  const before = await app.request("/api/analytics/funnel?to=2026-01-01T00:00:00Z", as(a));
  expect((await jsonOf(before)).stages.map((s: { count: number }) => s.count)).toEqual([0, 0, 0, 0]);
  expect((await app.request("/api/analytics/funnel?to=soon", as(a))).status).toBe(400);
});

test("GET /api/analytics/services → every service of the price list, by value", async () => {
  const { app, a, as, t } = await appFixture();
  const res = await app.request("/api/analytics/services", as(a));
  expect(res.status).toBe(200);
  const { items } = await jsonOf(res);
  const botox = (await t.voxanne.services.list(a.orgId)).find((s) => s.name === "Botox");
  expect(items[0]).toEqual({ serviceId: botox?.id, name: "Botox", bookings: 1, calls: 1, pipelineValueCents: 40000 });
  expect(items.map((i: { name: string }) => i.name).sort()).toEqual(
    (await t.voxanne.services.list(a.orgId)).map((s) => s.name).sort(),
  );
  expect((await app.request("/api/analytics/services?from=2026-13-01T00:00:00Z", as(a))).status).toBe(400);
});

test("the OpenAPI document lists the analytics query parameters and says gaps are not filled", async () => {
  const { app } = await appFixture();
  const doc = await jsonOf(await app.request("/openapi.json"));
  const op = (path: string) => doc.paths[`/api/analytics/${path}`].get;
  const params = (path: string) =>
    op(path)
      .parameters.map((p: { name: string }) => p.name)
      .sort();
  expect(params("timeseries")).toEqual(["from", "interval", "to"]);
  expect(op("timeseries").parameters.find((p: { name: string }) => p.name === "interval").schema).toMatchObject({
    enum: ["day", "week", "month"],
  });
  expect(op("timeseries").responses[200].description).toMatch(/gaps are not filled/);
  expect(params("funnel")).toEqual(["from", "to"]);
  expect(params("services")).toEqual(["from", "to"]);
});
