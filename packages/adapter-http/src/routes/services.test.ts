import { expect, test } from "vitest";
import { appFixture, jsonOf } from "../testKit.ts";

test("the price list: list, create (201), read, change, delete (204)", async () => {
  const { app, a, as, json } = await appFixture();
  const before = (await jsonOf(await app.request("/api/services", as(a)))).items.length;
  const created = await app.request(
    "/api/services",
    json(a, "POST", { name: "Tummy Tuck", priceCents: 650000, keywords: ["tummy tuck", "abdominoplasty"] }),
  );
  expect(created.status).toBe(201);
  const service = await jsonOf(created);
  expect(service).toMatchObject({ name: "Tummy Tuck", priceCents: 650000, orgId: a.orgId });
  expect((await jsonOf(await app.request("/api/services", as(a)))).items).toHaveLength(before + 1);
  expect(await jsonOf(await app.request(`/api/services/${service.id}`, as(a)))).toMatchObject({ id: service.id });
  const changed = await app.request(`/api/services/${service.id}`, json(a, "PATCH", { priceCents: 700000 }));
  expect(await jsonOf(changed)).toMatchObject({ priceCents: 700000, name: "Tummy Tuck" });
  expect((await app.request(`/api/services/${service.id}`, as(a, { method: "DELETE" }))).status).toBe(204);
  expect((await app.request(`/api/services/${service.id}`, as(a))).status).toBe(404);
});

test.each([
  [{ name: "X", priceCents: -1, keywords: ["x"] }, "priceCents"],
  [{ name: "X", priceCents: 1.5, keywords: ["x"] }, "priceCents"],
  [{ name: "", priceCents: 1, keywords: ["x"] }, "name"],
  [{ name: "X", priceCents: 1, keywords: [] }, "keywords"],
  [{ name: "X", priceCents: 1, keywords: [""] }, "keywords.0"],
  [{ priceCents: 1, keywords: ["x"] }, "name"],
])("POST /api/services %j → 400 naming %s", async (body, field) => {
  const { app, a, json } = await appFixture();
  const res = await app.request("/api/services", json(a, "POST", body));
  expect(res.status).toBe(400);
  expect((await jsonOf(res)).error.issues.map((i: { path: string }) => i.path)).toContain(field);
});

test("an over-long id is refused before any use case runs", async () => {
  const { app, a, as } = await appFixture();
  const res = await app.request(`/api/services/${"x".repeat(101)}`, as(a));
  expect(res.status).toBe(400);
  expect((await jsonOf(res)).error.issues[0].path).toBe("id");
});
