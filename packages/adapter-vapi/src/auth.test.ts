import { createHmac } from "node:crypto";
import type { VapiWebhookAuth } from "@voxanne/core";
import { describe, expect, it } from "vitest";
import { safeEqual, timestampMs, VAPI_AUTH_ERRORS, verifyVapiRequest } from "./auth.ts";

const NOW = new Date("2025-11-20T15:02:11.480Z");
const SECRET = "s3cret-s3cret-s3cret";
/** Not re-serialised on purpose: spacing and key order as a sender wrote them. */
const RAW = '{"message": {"type":"status-update", "status":"ended",  "call":{"id":"c1"}}}';
const bytes = (text: string) => new TextEncoder().encode(text);
const request = (headers: Record<string, string>, rawBody = bytes(RAW)) => ({ headers: new Headers(headers), rawBody });

const hmac: Extract<VapiWebhookAuth, { type: "hmac" }> = {
  type: "hmac",
  secret: SECRET,
  algorithm: "sha256",
  signatureHeader: "x-signature",
  timestampHeader: "x-timestamp",
  maxSkewSeconds: 300,
};
const sign = (timestamp: string, body: string | Uint8Array = RAW, auth = hmac) =>
  createHmac(auth.algorithm, auth.secret).update(`${timestamp}.`).update(body).digest("hex");
const signed = (timestamp: string, signature = sign(timestamp)) =>
  request({ "x-signature": signature, "x-timestamp": timestamp });
const seconds = (d: Date) => String(Math.floor(d.getTime() / 1000));
const ms = (d: Date) => String(d.getTime());
const shifted = (s: number) => new Date(NOW.getTime() + s * 1000);

const refusal = (code: string) => ({ ok: false, code, reason: expect.any(String) });

describe("verifyVapiRequest", () => {
  it("none accepts anything", () => {
    expect(verifyVapiRequest({ type: "none" }, request({}), NOW)).toEqual({ ok: true });
  });

  describe("secretHeader (the legacy X-Vapi-Secret)", () => {
    const auth: VapiWebhookAuth = { type: "secretHeader", headerName: "x-vapi-secret", secret: SECRET };
    it("accepts the secret, whatever the header's case", () => {
      expect(verifyVapiRequest(auth, request({ "X-Vapi-Secret": SECRET }), NOW)).toEqual({ ok: true });
    });
    it.each([
      ["a wrong secret", { "x-vapi-secret": "s3cret-s3cret-s3creT" }, VAPI_AUTH_ERRORS.invalid],
      ["a longer secret", { "x-vapi-secret": `${SECRET}x` }, VAPI_AUTH_ERRORS.invalid],
      ["an empty secret", { "x-vapi-secret": "" }, VAPI_AUTH_ERRORS.invalid],
      ["the secret as a bearer token", { authorization: `Bearer ${SECRET}` }, VAPI_AUTH_ERRORS.missing],
      ["no header", {}, VAPI_AUTH_ERRORS.missing],
    ])("refuses %s", (_, headers, code) => {
      expect(verifyVapiRequest(auth, request(headers), NOW)).toEqual(refusal(code));
    });
  });

  describe("bearer", () => {
    const auth: VapiWebhookAuth = { type: "bearer", token: SECRET };
    it.each([`Bearer ${SECRET}`, `bearer ${SECRET}`, `  Bearer   ${SECRET} `])("accepts %j", (header) => {
      expect(verifyVapiRequest(auth, request({ authorization: header }), NOW)).toEqual({ ok: true });
    });
    it.each([
      ["a wrong token", { authorization: "Bearer nope-nope-nope-nope" }, VAPI_AUTH_ERRORS.invalid],
      ["the token without Bearer", { authorization: SECRET }, VAPI_AUTH_ERRORS.invalid],
      ["another scheme", { authorization: `Basic ${SECRET}` }, VAPI_AUTH_ERRORS.invalid],
      ["the token in x-vapi-secret", { "x-vapi-secret": SECRET }, VAPI_AUTH_ERRORS.missing],
      ["no header", {}, VAPI_AUTH_ERRORS.missing],
    ])("refuses %s", (_, headers, code) => {
      expect(verifyVapiRequest(auth, request(headers), NOW)).toEqual(refusal(code));
    });
  });

  describe("hmac over {timestamp}.{rawBody}", () => {
    it.each([
      ["seconds", seconds(NOW)],
      ["milliseconds", ms(NOW)],
    ])("accepts a timestamp in %s", (_, timestamp) => {
      expect(verifyVapiRequest(hmac, signed(timestamp), NOW)).toEqual({ ok: true });
    });

    it("accepts a prefixed or upper-case hex signature", () => {
      const t = ms(NOW);
      expect(verifyVapiRequest(hmac, signed(t, `sha256=${sign(t)}`), NOW)).toEqual({ ok: true });
      expect(verifyVapiRequest(hmac, signed(t, sign(t).toUpperCase()), NOW)).toEqual({ ok: true });
    });

    it.each(["sha512", "sha1"] as const)("supports %s and custom header names", (algorithm) => {
      const auth = { ...hmac, algorithm, signatureHeader: "x-vapi-signature", timestampHeader: "x-vapi-timestamp" };
      const t = ms(NOW);
      const headers = { "x-vapi-signature": sign(t, RAW, auth), "x-vapi-timestamp": t };
      expect(verifyVapiRequest(auth, request(headers), NOW)).toEqual({ ok: true });
      expect(verifyVapiRequest(hmac, request(headers), NOW)).toEqual(refusal(VAPI_AUTH_ERRORS.missing));
    });

    it("signs the raw bytes: the same JSON re-serialised is refused", () => {
      const t = ms(NOW);
      const reserialised = JSON.stringify(JSON.parse(RAW));
      expect(reserialised).not.toBe(RAW);
      const headers = { "x-signature": sign(t, reserialised), "x-timestamp": t };
      expect(verifyVapiRequest(hmac, request(headers), NOW)).toEqual(refusal(VAPI_AUTH_ERRORS.signatureInvalid));
      expect(verifyVapiRequest(hmac, request(headers, bytes(reserialised)), NOW)).toEqual({ ok: true });
    });

    it("signs bytes, not text: a body that is not valid UTF-8 still verifies", () => {
      const body = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
      const t = ms(NOW);
      const headers = { "x-signature": sign(t, body), "x-timestamp": t };
      expect(verifyVapiRequest(hmac, request(headers, body), NOW)).toEqual({ ok: true });
    });

    it.each([
      [
        "a signature of another body",
        () => signed(ms(NOW), sign(ms(NOW), `${RAW} `)),
        VAPI_AUTH_ERRORS.signatureInvalid,
      ],
      [
        "another secret's signature",
        () => signed(ms(NOW), sign(ms(NOW), RAW, { ...hmac, secret: `${SECRET}!` })),
        VAPI_AUTH_ERRORS.signatureInvalid,
      ],
      [
        "a signature for another timestamp",
        () => signed(ms(NOW), sign(ms(shifted(-1)))),
        VAPI_AUTH_ERRORS.signatureInvalid,
      ],
      ["a truncated signature", () => signed(ms(NOW), sign(ms(NOW)).slice(0, 32)), VAPI_AUTH_ERRORS.signatureInvalid],
      ["a signature that is not hex", () => signed(ms(NOW), "zz"), VAPI_AUTH_ERRORS.signatureInvalid],
      ["an empty signature", () => signed(ms(NOW), ""), VAPI_AUTH_ERRORS.signatureInvalid],
      ["no signature", () => request({ "x-timestamp": ms(NOW) }), VAPI_AUTH_ERRORS.missing],
      ["no timestamp", () => request({ "x-signature": sign(ms(NOW)) }), VAPI_AUTH_ERRORS.missing],
      ["a timestamp that is not a number", () => signed("2025-11-20T15:02:11Z"), VAPI_AUTH_ERRORS.timestampInvalid],
      ["a negative timestamp", () => signed("-5"), VAPI_AUTH_ERRORS.timestampInvalid],
    ])("refuses %s", (_, make, code) => {
      expect(verifyVapiRequest(hmac, make(), NOW)).toEqual(refusal(code));
    });

    it.each([
      ["stale, in seconds", seconds(shifted(-301))],
      ["stale, in ms", ms(shifted(-301))],
      ["from the future, in seconds", seconds(shifted(302))],
      ["from the future, in ms", ms(shifted(301))],
      ["from 1970", "1"],
    ])("refuses a correctly signed timestamp %s beyond the skew", (_, timestamp) => {
      expect(verifyVapiRequest(hmac, signed(timestamp), NOW)).toEqual(refusal(VAPI_AUTH_ERRORS.timestampSkewed));
    });

    it("accepts timestamps just inside the skew, both ways", () => {
      expect(verifyVapiRequest(hmac, signed(ms(shifted(-300))), NOW)).toEqual({ ok: true });
      expect(verifyVapiRequest(hmac, signed(ms(shifted(300))), NOW)).toEqual({ ok: true });
    });

    it("names no secret in its reasons", () => {
      const result = verifyVapiRequest(hmac, signed(ms(NOW), sign(ms(NOW), "x")), NOW);
      expect(JSON.stringify(result)).not.toContain(SECRET);
      expect(JSON.stringify(result)).not.toContain(sign(ms(NOW)));
    });
  });
});

describe("safeEqual", () => {
  it("is true only for equal values, of any lengths", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "a")).toBe(false);
    expect(safeEqual(bytes("abc"), "abc")).toBe(true);
  });
});

describe("timestampMs", () => {
  it("reads seconds and milliseconds, and refuses what is not an epoch number", () => {
    expect(timestampMs("1763650931")).toBe(1763650931000);
    expect(timestampMs("1763650931.5")).toBe(1763650931500);
    expect(timestampMs("1763650931480")).toBe(1763650931480);
    expect(timestampMs("abc")).toBeNull();
    expect(timestampMs("")).toBeNull();
    expect(timestampMs("1e12")).toBeNull();
  });
});
