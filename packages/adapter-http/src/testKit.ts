/**
 * A wired app over `testVoxanne()` with two organizations and data in each, for this package's
 * in-process tests (`app.request(...)`). Not exported from the package.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { callEvents, testVoxanne } from "@voxanne/core/testing";
import { SignJWT } from "jose";
import type { AppOptions } from "./app.ts";
import { createApp } from "./app.ts";
import { jwtAuth, mintToken } from "./auth.ts";

export const JWT_SECRET = "test-secret-that-is-at-least-32-characters";
export const LINK_SECRET = "recording-link-secret-of-32-characters!!";
export const AUDIO = new Uint8Array([0x49, 0x44, 0x33, 1, 2, 3, 4, 5]);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Tokens that must all be refused by a verifier over `secret`. */
export async function badTokens(orgId: string, key = JWT_SECRET): Promise<Record<string, string>> {
  const now = Math.floor(Date.now() / 1000);
  return {
    expired: await new SignJWT({ org_id: orgId })
      .setProtectedHeader({ alg: "HS256" })
      .setExpirationTime(now - 60)
      .sign(new TextEncoder().encode(key)),
    "wrong key": await mintToken({ secret: "another-secret-that-is-32-characters-long" }, orgId),
    "alg none": `${b64({ alg: "none", typ: "JWT" })}.${b64({ org_id: orgId, exp: now + 600 })}.`,
    garbage: "not.a.jwt",
  };
}

/** One organization's data: a call with a stored recording, its contact, a service. */
export interface OrgFixture {
  orgId: string;
  token: string;
  callId: string;
  contactId: string;
  serviceId: string;
}

async function seedOrg(
  t: ReturnType<typeof testVoxanne>,
  name: string,
  phone: string,
  calls: number,
): Promise<OrgFixture> {
  const org = await t.voxanne.organizations.create({
    name,
    agent: { outboundAssistantId: "asst-out", phoneNumberId: "pn-1", smsFrom: "+15555550100" },
  });
  for (let i = 1; i <= calls; i++) {
    await t.feed(
      org.id,
      callEvents({
        vendorCallId: `${name}-call-${i}`,
        customerNumber: phone,
        customerName: `${name} Caller`,
        startedAt: new Date("2026-01-25T08:00:00Z"),
        durationSeconds: 120,
        transcript: "I would like a botox consultation next week please",
        recordingUrl: "https://vendor.example/rec.mp3",
        booked: true,
      }),
    );
  }
  const [call] = (await t.voxanne.calls.list(org.id)).items;
  const [contact] = (await t.voxanne.contacts.list(org.id)).items;
  const [service] = await t.voxanne.services.list(org.id);
  if (!call || !contact || !service) throw new Error("fixture: the call did not project");
  return {
    orgId: org.id,
    token: await mintToken({ secret: JWT_SECRET }, org.id),
    callId: call.id,
    contactId: contact.id,
    serviceId: service.id,
  };
}

/** Two orgs (a, b) with data, the app, and a temp dir holding every stored recording. */
export async function appFixture(overrides: Partial<AppOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "voxanne-http-"));
  const t = testVoxanne({
    recordings: {
      save: async ({ orgId, callId }) => {
        writeFileSync(join(dir, `${orgId}-${callId}.mp3`), AUDIO);
        return { location: `${orgId}-${callId}.mp3` };
      },
    },
  });
  // Different call counts, so that one org's pulse cannot pass for the other's.
  const a = await seedOrg(t, "Alpha", "+15555550111", 1);
  const b = await seedOrg(t, "Beta", "+15555550122", 2);
  const app = createApp({
    voxanne: t.voxanne,
    auth: jwtAuth({ secret: JWT_SECRET }),
    recordings: { linkSecret: LINK_SECRET, fileOf: (location) => join(dir, location) },
    ...overrides,
  });
  const as = (org: OrgFixture, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { authorization: `Bearer ${org.token}`, ...(init.headers as Record<string, string>) },
  });
  /** JSON body with the org's token. */
  const json = (org: OrgFixture, method: string, body: unknown): RequestInit =>
    as(org, { method, body: JSON.stringify(body), headers: { "content-type": "application/json" } });
  return { t, app, a, b, dir, as, json };
}

/** A response's JSON, loosely typed: the tests check its shape with `expect`. */
// biome-ignore lint/suspicious/noExplicitAny: assertions do the typing here
export const jsonOf = (res: Response): Promise<any> => res.json();
