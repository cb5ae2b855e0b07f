import { expect, test } from "vitest";
import { appFixture, jsonOf } from "../testKit.ts";

test("GET /api/calls-dashboard filters and pages", async () => {
  const { app, b, as } = await appFixture();
  const first = await app.request("/api/calls-dashboard?limit=1&direction=inbound&status=completed", as(b));
  expect(first.status).toBe(200);
  const page = await jsonOf(first);
  expect(page.items).toHaveLength(1);
  expect(page.nextCursor).toEqual(expect.any(String));
  const next = await jsonOf(
    await app.request(`/api/calls-dashboard?limit=1&cursor=${encodeURIComponent(page.nextCursor)}`, as(b)),
  );
  expect(next.items).toHaveLength(1);
  expect(next.items[0].id).not.toBe(page.items[0].id);
  const none = await jsonOf(await app.request("/api/calls-dashboard?direction=outbound", as(b)));
  expect(none).toEqual({ items: [], nextCursor: null });
  const ranged = await jsonOf(await app.request("/api/calls-dashboard?from=2026-01-26T00:00:00Z", as(b)));
  expect(ranged.items).toEqual([]);
});

test.each([
  ["limit=0", "limit"],
  ["limit=abc", "limit"],
  ["limit=101", "limit"],
  ["direction=sideways", "direction"],
  ["status=whatever", "status"],
  ["recordingStatus=lost", "recordingStatus"],
  ["to=soon", "to"],
])("GET /api/calls-dashboard?%s → 400 naming %s", async (query, field) => {
  const { app, a, as } = await appFixture();
  const res = await app.request(`/api/calls-dashboard?${query}`, as(a));
  expect(res.status).toBe(400);
  expect((await jsonOf(res)).error.issues).toEqual([expect.objectContaining({ path: field })]);
});

test("GET then DELETE /api/calls/:id: the call is hidden afterwards", async () => {
  const { app, a, as } = await appFixture();
  const got = await app.request(`/api/calls/${a.callId}`, as(a));
  expect(got.status).toBe(200);
  expect(await jsonOf(got)).toMatchObject({ id: a.callId, direction: "inbound", status: "completed" });
  const deleted = await app.request(`/api/calls/${a.callId}`, as(a, { method: "DELETE" }));
  expect(deleted.status).toBe(204);
  expect(await deleted.text()).toBe("");
  expect((await app.request(`/api/calls/${a.callId}`, as(a))).status).toBe(404);
  expect((await app.request(`/api/calls/${a.callId}`, as(a, { method: "DELETE" }))).status).toBe(404);
});
