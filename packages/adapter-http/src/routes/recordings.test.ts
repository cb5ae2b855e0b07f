import { expect, test } from "vitest";
import { AUDIO, appFixture, jsonOf } from "../testKit.ts";

/** The signed link the redirect points at. */
async function signedLink(f: Awaited<ReturnType<typeof appFixture>>) {
  const res = await f.app.request(`/api/calls/${f.a.callId}/recording`, f.as(f.a));
  expect(res.status).toBe(302);
  expect(res.headers.get("cache-control")).toBe("no-store");
  return new URL(res.headers.get("location") ?? "", "http://localhost");
}

test("the redirect's link streams the stored file, with no bearer token", async () => {
  const f = await appFixture();
  const link = await signedLink(f);
  expect(link.pathname).toBe(`/api/calls/${f.a.callId}/recording/file`);
  const file = await f.app.request(link.pathname + link.search);
  expect(file.status).toBe(200);
  expect(file.headers.get("content-type")).toBe("audio/mpeg");
  expect(new Uint8Array(await file.arrayBuffer())).toEqual(AUDIO);
});

test("a forged or altered link → 403", async () => {
  const f = await appFixture();
  const link = await signedLink(f);
  const sig = link.searchParams.get("sig") ?? "";
  const forged = new URLSearchParams(link.search);
  forged.set("sig", (sig[0] === "a" ? "b" : "a") + sig.slice(1));
  expect((await f.app.request(`${link.pathname}?${forged}`)).status).toBe(403);
  const otherCall = `/api/calls/${f.b.callId}/recording/file${link.search}`;
  expect((await f.app.request(otherCall)).status).toBe(403);
  const otherOrg = new URLSearchParams(link.search);
  otherOrg.set("org", f.b.orgId);
  expect((await f.app.request(`${link.pathname}?${otherOrg}`)).status).toBe(403);
  const res = await f.app.request(link.pathname);
  expect(res.status).toBe(403);
  expect((await jsonOf(res)).error.code).toBe("RECORDING_LINK_INVALID");
});

test("an expired link → 410", async () => {
  const f = await appFixture();
  const link = await signedLink(f);
  f.t.clock.advance({ hours: 2 });
  const res = await f.app.request(link.pathname + link.search);
  expect(res.status).toBe(410);
  expect((await jsonOf(res)).error.code).toBe("RECORDING_LINK_EXPIRED");
});

test("no recording → 404; a deleted call's link stops working", async () => {
  const f = await appFixture();
  const link = await signedLink(f);
  expect((await f.app.request(`/api/calls/${f.a.callId}`, f.as(f.a, { method: "DELETE" }))).status).toBe(204);
  expect((await f.app.request(`/api/calls/${f.a.callId}/recording`, f.as(f.a))).status).toBe(404);
  expect((await f.app.request(link.pathname + link.search)).status).toBe(404);
});

test("without recordings configured the routes answer 422", async () => {
  const f = await appFixture({ recordings: undefined });
  const res = await f.app.request(`/api/calls/${f.a.callId}/recording`, f.as(f.a));
  expect(res.status).toBe(422);
  expect((await jsonOf(res)).error.code).toBe("RECORDINGS_NOT_CONFIGURED");
});
