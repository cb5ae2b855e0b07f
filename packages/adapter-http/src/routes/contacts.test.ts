import { expect, test } from "vitest";
import { appFixture, jsonOf } from "../testKit.ts";

test("GET /api/contacts filters by status, temperature and text", async () => {
  const { app, a, as } = await appFixture();
  const all = await app.request("/api/contacts", as(a));
  expect(all.status).toBe(200);
  expect((await jsonOf(all)).items).toEqual([expect.objectContaining({ id: a.contactId, name: "Alpha Caller" })]);
  const booked = await jsonOf(await app.request("/api/contacts?leadStatus=booked&q=alpha", as(a)));
  expect(booked.items).toHaveLength(1);
  const lost = await jsonOf(await app.request("/api/contacts?leadStatus=lost", as(a)));
  expect(lost.items).toHaveLength(0);
  const bad = await app.request("/api/contacts?leadTemperature=boiling", as(a));
  expect(bad.status).toBe(400);
  expect((await jsonOf(bad)).error.issues[0].path).toBe("leadTemperature");
});

test("GET and PATCH /api/contacts/:id", async () => {
  const { app, a, as, json } = await appFixture();
  expect((await app.request(`/api/contacts/${a.contactId}`, as(a))).status).toBe(200);
  const patched = await app.request(
    `/api/contacts/${a.contactId}`,
    json(a, "PATCH", { name: "Dana", email: "dana@example.com", leadStatus: "converted" }),
  );
  expect(patched.status).toBe(200);
  expect(await jsonOf(patched)).toMatchObject({ name: "Dana", email: "dana@example.com", leadStatus: "converted" });
});

test("PATCH /api/contacts/:id refuses bad fields (400) and backward moves (409)", async () => {
  const { app, a, json } = await appFixture();
  const path = `/api/contacts/${a.contactId}`;
  const bad = await app.request(path, json(a, "PATCH", { email: "not-an-email" }));
  expect(bad.status).toBe(400);
  expect((await jsonOf(bad)).error.issues[0].path).toBe("email");
  expect((await app.request(path, json(a, "PATCH", {}))).status).toBe(400);
  const unknown = await app.request(path, json(a, "PATCH", { phone: "+15555550000" }));
  expect((await jsonOf(unknown)).error.issues[0].path).toBe("phone");
  const backwards = await app.request(path, json(a, "PATCH", { leadStatus: "new" }));
  expect(backwards.status).toBe(409);
  expect((await jsonOf(backwards)).error.code).toBe("LEAD_STATUS_BACKWARDS");
});

test("POST /api/contacts/:id/call-back → 202 { call }, placed with the vendor", async () => {
  const { app, a, as, t } = await appFixture();
  const res = await app.request(`/api/contacts/${a.contactId}/call-back`, as(a, { method: "POST" }));
  expect(res.status).toBe(202);
  expect((await jsonOf(res)).call).toMatchObject({
    direction: "outbound",
    status: "initiated",
    contactId: a.contactId,
  });
  expect(t.telephony.placed).toHaveLength(1);
});

test("POST /api/contacts/:id/sms → 202 { message }; an empty body names the field", async () => {
  const { app, a, json } = await appFixture();
  const res = await app.request(`/api/contacts/${a.contactId}/sms`, json(a, "POST", { body: "See you Tuesday" }));
  expect(res.status).toBe(202);
  expect((await jsonOf(res)).message).toMatchObject({ body: "See you Tuesday" });
  const empty = await app.request(`/api/contacts/${a.contactId}/sms`, json(a, "POST", { body: "  " }));
  expect(empty.status).toBe(400);
  expect((await jsonOf(empty)).error.issues[0].path).toBe("body");
});

test("malformed JSON is a 400 with a code, not a stack", async () => {
  const { app, a, as } = await appFixture();
  const res = await app.request(
    `/api/contacts/${a.contactId}/sms`,
    as(a, { method: "POST", body: "{nope", headers: { "content-type": "application/json" } }),
  );
  expect(res.status).toBe(400);
  expect(Object.keys((await jsonOf(res)).error)).toEqual(["code", "message"]);
});
