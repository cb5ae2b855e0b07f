import twilio from "twilio";
import { describe, expect, it } from "vitest";
import { parseTwilioForm } from "./messages.ts";
import type { TwilioUrlOptions } from "./signature.ts";
import { TWILIO_SIGNATURE_ERRORS, twilioRequestUrl, verifyTwilioSignature } from "./signature.ts";
import type { TwilioWebhookFixture } from "./testing/webhookFixtures.ts";
import {
  FIXTURE_AUTH_TOKEN,
  readFixtureForm,
  readTwilioFixture,
  webhookFixtureNames,
} from "./testing/webhookFixtures.ts";

const TOKEN = FIXTURE_AUTH_TOKEN;
const PUBLIC = "https://clinic.example.test";
const STATUS_URL = `${PUBLIC}/webhooks/twilio/sms-status?tenant=demo`;
/** The URL the app sees behind a TLS-terminating proxy. */
const INTERNAL_URL = "http://10.0.0.7:3000/webhooks/twilio/sms-status?tenant=demo";
const PARAMS = { MessageSid: "SM5555", MessageStatus: "delivered", From: "+15555550100", To: "+15555550123" };

const sign = (url: string, params: Record<string, string | string[]>, token = TOKEN) =>
  twilio.getExpectedTwilioSignature(token, url, params);
const verify = (
  url: string,
  params: Record<string, string | string[]>,
  headers: Record<string, string>,
  options?: TwilioUrlOptions,
  token = TOKEN,
) => verifyTwilioSignature(token, { headers: new Headers(headers), url, params }, options);
const refused = (code: string = TWILIO_SIGNATURE_ERRORS.invalid) => ({ ok: false, code, reason: expect.any(String) });

const names = await webhookFixtureNames();
const fixtures = new Map<string, TwilioWebhookFixture>();
for (const name of names) fixtures.set(name, await readTwilioFixture(name));
const at = (name: string) => fixtures.get(name) as TwilioWebhookFixture;

describe("verifyTwilioSignature with the shared fixtures", () => {
  it("finds the six signed webhooks", () => {
    expect(names).toHaveLength(6);
  });

  it.each(names)("%s: the form body decodes to its params, and its signature is accepted", async (name) => {
    const fixture = at(name);
    const form = await readFixtureForm(name);
    expect(form).toBe(fixture.rawBody);
    const params = parseTwilioForm(new TextEncoder().encode(form));
    expect(params).toEqual(fixture.params);
    expect(verify(fixture.url, params, fixture.headers)).toEqual({ ok: true, url: fixture.url });
    // The header's name is case-insensitive.
    const upper = { "X-Twilio-Signature": fixture.headers["x-twilio-signature"] as string };
    expect(verify(fixture.url, params, upper).ok).toBe(true);
  });

  it.each(names)("%s: an altered, added or removed param is refused", (name) => {
    const { url, params, headers } = at(name);
    const [first, ...others] = Object.keys(params);
    expect(verify(url, { ...params, MessageSid: "SM5555000000000000000000000000ffff" }, headers)).toEqual(refused());
    expect(verify(url, { ...params, Body: "changed" }, headers)).toEqual(refused());
    expect(verify(url, { ...params, Extra: "1" }, headers)).toEqual(refused());
    expect(verify(url, Object.fromEntries(others.map((k) => [k, params[k] as string])), headers)).toEqual(refused());
    expect(first).toBeDefined();
  });

  it.each(names)("%s: another URL, token or no header is refused", (name) => {
    const { url, params, headers } = at(name);
    const others = [
      url.replace("https://", "http://"),
      url.replace("clinic.example.test", "other.example.test"),
      url.replace("/webhooks/", "/hooks/"),
      url.replace(/\?.*$/, ""),
      `${url}&org=someone-else`,
    ];
    for (const other of others) expect(verify(other, params, headers), other).toEqual(refused());
    expect(verify(url, params, headers, {}, "another_token_0123456789abcdef00")).toEqual(refused());
    expect(verify(url, params, {})).toEqual(refused(TWILIO_SIGNATURE_ERRORS.missing));
    expect(verify(url, params, { "x-twilio-signature": "" })).toEqual(refused(TWILIO_SIGNATURE_ERRORS.missing));
    expect(verify(url, params, { "x-twilio-signature": sign(url, params).replace(/^./, "A") })).toMatchObject({
      ok: false,
    });
  });
});

describe("verifyTwilioSignature: the algorithm", () => {
  it("matches the worked example of vendors/twilio.md §5", () => {
    const sid = `SM${"1".repeat(32)}`;
    const params = {
      MessageSid: sid,
      MessageStatus: "delivered",
      To: "+15555550101",
      From: "+15555550100",
      AccountSid: `AC${"0".repeat(31)}1`,
      SmsSid: sid,
      SmsStatus: "delivered",
      ApiVersion: "2010-04-01",
    };
    const url = "https://clinic.example.test/webhooks/twilio/sms-status?tenant=demo";
    expect(sign(url, params)).toBe("ptAbKZo89hbmhZz3N8KNae+wV+Q=");
    expect(verify(url, params, { "x-twilio-signature": "ptAbKZo89hbmhZz3N8KNae+wV+Q=" }).ok).toBe(true);
  });

  it("covers every value of a repeated param", () => {
    const params = { ...PARAMS, MediaUrl: ["https://a.test/1", "https://a.test/2"] };
    const headers = { "x-twilio-signature": sign(STATUS_URL, params) };
    expect(verify(STATUS_URL, params, headers).ok).toBe(true);
    expect(verify(STATUS_URL, { ...params, MediaUrl: ["https://a.test/1"] }, headers)).toEqual(refused());
  });

  it("accepts the URL with or without the default port, as Twilio may sign either", () => {
    const withPort = STATUS_URL.replace(".test/", ".test:443/");
    expect(verify(withPort, PARAMS, { "x-twilio-signature": sign(STATUS_URL, PARAMS) }).ok).toBe(true);
    expect(verify(STATUS_URL, PARAMS, { "x-twilio-signature": sign(withPort, PARAMS) }).ok).toBe(true);
  });

  it("refuses when the token is empty, whatever the header", () => {
    expect(verify(STATUS_URL, PARAMS, { "x-twilio-signature": sign(STATUS_URL, PARAMS, "") }, {}, "")).toEqual(
      refused(),
    );
  });
});

describe("verifyTwilioSignature behind a proxy", () => {
  const headers = { "x-twilio-signature": sign(STATUS_URL, PARAMS) };

  it("refuses the internal URL as the server saw it", () => {
    expect(verify(INTERNAL_URL, PARAMS, headers)).toEqual(refused());
  });

  it.each([PUBLIC, `${PUBLIC}/`])(
    "rebuilds the URL from publicUrl %s and the request's path and query",
    (publicUrl) => {
      expect(verify(INTERNAL_URL, PARAMS, headers, { publicUrl })).toEqual({ ok: true, url: STATUS_URL });
      // A path-only URL (some frameworks give no more) works too.
      expect(verify("/webhooks/twilio/sms-status?tenant=demo", PARAMS, headers, { publicUrl }).ok).toBe(true);
      // The query is part of what Twilio signed.
      expect(verify(INTERNAL_URL.replace("demo", "other"), PARAMS, headers, { publicUrl })).toEqual(refused());
    },
  );

  it("puts a publicUrl's path in front, for a proxy that strips it", () => {
    const signed = `${PUBLIC}/voxanne/webhooks/twilio/sms-status?tenant=demo`;
    const prefixed = { "x-twilio-signature": sign(signed, PARAMS) };
    expect(verify(INTERNAL_URL, PARAMS, prefixed, { publicUrl: `${PUBLIC}/voxanne/` })).toEqual({
      ok: true,
      url: signed,
    });
    expect(verify(INTERNAL_URL, PARAMS, prefixed, { publicUrl: PUBLIC })).toEqual(refused());
  });

  it("keeps the path and query's characters as received (Twilio signed those)", () => {
    const odd = "/webhooks/twilio/sms-status?tenant=o'brien&x=a%20b";
    const signed = { "x-twilio-signature": sign(`${PUBLIC}${odd}`, PARAMS) };
    expect(twilioRequestUrl({ headers: new Headers(), url: `http://10.0.0.7:3000${odd}` }, { publicUrl: PUBLIC })).toBe(
      `${PUBLIC}${odd}`,
    );
    expect(verify(`http://10.0.0.7:3000${odd}`, PARAMS, signed, { publicUrl: PUBLIC }).ok).toBe(true);
  });

  it("with trustProxy, takes the scheme and host from X-Forwarded-Proto / X-Forwarded-Host", () => {
    const forwarded = { ...headers, "x-forwarded-proto": "https", "x-forwarded-host": "clinic.example.test" };
    expect(verify(INTERNAL_URL, PARAMS, forwarded, { trustProxy: true })).toEqual({ ok: true, url: STATUS_URL });
    // Each hop appends its value: the first is what Twilio asked for.
    const chained = { ...headers, "x-forwarded-proto": "https, http", "x-forwarded-host": "clinic.example.test, lb" };
    expect(verify(INTERNAL_URL, PARAMS, chained, { trustProxy: true }).ok).toBe(true);
    // Only the scheme forwarded: the host is the request's own.
    const local = `http://clinic.example.test/webhooks/twilio/sms-status?tenant=demo`;
    expect(verify(local, PARAMS, { ...headers, "x-forwarded-proto": "https" }, { trustProxy: true }).ok).toBe(true);
  });

  it("ignores forwarded headers unless trusted, and refuses ones that are not a scheme and a host", () => {
    const forwarded = { ...headers, "x-forwarded-proto": "https", "x-forwarded-host": "clinic.example.test" };
    expect(verify(INTERNAL_URL, PARAMS, forwarded)).toEqual(refused());
    expect(verify(INTERNAL_URL, PARAMS, forwarded, { trustProxy: false })).toEqual(refused());
    expect(verify(INTERNAL_URL, PARAMS, headers, { trustProxy: true })).toEqual(refused());
    for (const bad of [
      { "x-forwarded-proto": "javascript", "x-forwarded-host": "clinic.example.test" },
      { "x-forwarded-proto": "https", "x-forwarded-host": "clinic.example.test/evil?" },
      { "x-forwarded-proto": "https", "x-forwarded-host": "user@clinic.example.test" },
    ]) {
      expect(verify(INTERNAL_URL, PARAMS, { ...headers, ...bad }, { trustProxy: true })).toEqual(refused());
    }
  });

  it("prefers publicUrl to forwarded headers", () => {
    const spoofed = { ...headers, "x-forwarded-proto": "https", "x-forwarded-host": "attacker.example.test" };
    expect(verify(INTERNAL_URL, PARAMS, spoofed, { publicUrl: PUBLIC, trustProxy: true }).ok).toBe(true);
  });

  it("cannot rebuild a path-only URL without publicUrl", () => {
    expect(twilioRequestUrl({ headers: new Headers(), url: "/webhooks/twilio/sms-status" })).toBeNull();
    expect(verify("/webhooks/twilio/sms-status?tenant=demo", PARAMS, headers)).toEqual(refused());
  });

  it.each(["clinic.example.test", "ftp://clinic.example.test", `${PUBLIC}/?a=1`, `${PUBLIC}/#x`])(
    "refuses the publicUrl %s at once",
    (publicUrl) => {
      expect(() => twilioRequestUrl({ headers: new Headers(), url: INTERNAL_URL }, { publicUrl })).toThrow(/publicUrl/);
    },
  );
});
