import { inspect } from "node:util";
import type { OutboundCallRequest } from "@voxanne/core";
import { VendorFailed } from "@voxanne/core";
import type { TelephonyFailureKind } from "@voxanne/core/testing/contracts";
import { sampleCallRequest, telephonyContract } from "@voxanne/core/testing/contracts";
import { afterEach, describe, expect, it } from "vitest";
import {
  BACKOFF,
  type createCallBody,
  cutLabel,
  retryAfterMs,
  type VapiTelephonyOptions,
  vapiTelephony,
} from "./telephony.ts";
import type { FakeVapi, FakeVapiFailure } from "./testing/fakeVapi.ts";
import { startFakeVapi } from "./testing/fakeVapi.ts";

const MAX_RETRIES = 2;
const TIMEOUT_MS = 300;

/** The contract's outcomes, as Vapi produces them. */
const AS_VAPI: Record<TelephonyFailureKind, FakeVapiFailure> = {
  rejected: "rejected",
  unavailable: "rate_limited",
  timeout: "slow",
};

/** The request a call placed on the fake was made from: read back from what reached the wire. */
function requestOf(body: unknown): OutboundCallRequest {
  const { assistantId, phoneNumberId, customer, assistantOverrides } = body as ReturnType<typeof createCallBody>;
  const { callId, orgId } = assistantOverrides.metadata;
  return {
    orgId,
    callId,
    assistantId,
    phoneNumberId,
    customer: { number: customer.number, name: customer.name ?? null },
  };
}

const placedOn = (vapi: FakeVapi) => vapi.requests.filter((r) => r.vendorCallId !== null).map((r) => requestOf(r.body));

telephonyContract("vapiTelephony against the fake Vapi", async () => {
  const vapi = await startFakeVapi({ slowMs: TIMEOUT_MS * 4 });
  return {
    adapter: vapiTelephony({ ...vapi.config, timeoutMs: TIMEOUT_MS, maxRetries: MAX_RETRIES, sleep: async () => {} }),
    placed: async () => placedOn(vapi),
    // The adapter retries a 429 by itself: every attempt of the request must fail.
    failNext: (kind, detail) =>
      vapi.failNext(AS_VAPI[kind], { detail, times: kind === "unavailable" ? MAX_RETRIES + 1 : 1 }),
    credentials: [vapi.apiKey],
    close: () => vapi.close(),
  };
});

describe("vapiTelephony", () => {
  const open: FakeVapi[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((vapi) => vapi.close()));
  });

  /** A fake Vapi and an adapter on it whose back-off waits are recorded, not slept. */
  async function setup(options: Partial<VapiTelephonyOptions> = {}) {
    const vapi = await startFakeVapi({ slowMs: TIMEOUT_MS * 4 });
    open.push(vapi);
    const waits: number[] = [];
    const telephony = vapiTelephony({
      ...vapi.config,
      timeoutMs: TIMEOUT_MS,
      maxRetries: MAX_RETRIES,
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...options,
    });
    return { vapi, telephony, waits };
  }

  const failureOf = (promise: Promise<unknown>): Promise<VendorFailed> =>
    promise.then(
      (result) => expect.fail(`expected a failure, got ${JSON.stringify(result)}`),
      (error: unknown) => {
        expect(error).toBeInstanceOf(VendorFailed);
        return error as VendorFailed;
      },
    );

  it("POSTs /call with the key, the org's assistant and number, and our ids in assistantOverrides", async () => {
    const { vapi, telephony } = await setup();
    const request = sampleCallRequest(2, "org-1");
    const { vendorCallId } = await telephony.createOutboundCall(request);

    expect(vapi.requests).toHaveLength(1);
    const [sent] = vapi.requests;
    expect(sent).toMatchObject({ method: "POST", path: "/call", status: 201, vendorCallId });
    expect(sent?.headers).toMatchObject({ authorization: `Bearer ${vapi.apiKey}`, "content-type": "application/json" });
    expect(sent?.body).toEqual({
      assistantId: "assistant-contract",
      phoneNumberId: "phone-number-contract",
      customer: { number: request.customer.number, name: "Ada Contract" },
      assistantOverrides: {
        metadata: { callId: request.callId, orgId: "org-1" },
        variableValues: { callId: request.callId },
      },
    });
    // Vapi echoes the overrides on the call, so the webhooks lead back to our call.
    expect(vapi.calls[0]?.assistantOverrides).toEqual({
      metadata: { callId: request.callId, orgId: "org-1" },
      variableValues: { callId: request.callId },
    });
  });

  it("cuts the customer's name to Vapi's 40 characters (never splitting one) and leaves out a missing name", async () => {
    const { vapi, telephony } = await setup();
    const long = `${"A".repeat(39)}😀 and more`;
    await telephony.createOutboundCall({ ...sampleCallRequest(1), customer: { number: "+15555550101", name: long } });
    await telephony.createOutboundCall({ ...sampleCallRequest(2), customer: { number: "+15555550102", name: null } });
    const [first, second] = vapi.requests.map((r) => r.body as ReturnType<typeof createCallBody>);
    expect(first?.customer.name).toBe("A".repeat(39));
    expect(second?.customer).toEqual({ number: "+15555550102" });
    expect(cutLabel(`  ${"b".repeat(50)}`)).toBe("b".repeat(40));
    expect(cutLabel("Daniel Kim")).toBe("Daniel Kim");
  });

  it("429 then success: waits Retry-After, and exactly one call is placed", async () => {
    const { vapi, telephony, waits } = await setup();
    await vapi.failNext("rate_limited", { retryAfterSeconds: 2 });
    const { vendorCallId } = await telephony.createOutboundCall(sampleCallRequest(1));
    expect(vapi.requests.map((r) => r.status)).toEqual([429, 201]);
    expect(vapi.calls.map((c) => c.id)).toEqual([vendorCallId]);
    expect(waits).toEqual([2_000]);
  });

  it("429 without Retry-After backs off exponentially, then gives up: TELEPHONY_UNAVAILABLE, retryable", async () => {
    const { vapi, telephony, waits } = await setup({ maxRetries: 3 });
    await vapi.failNext("rate_limited", { times: 4, retryAfterSeconds: null });
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    expect(error).toMatchObject({ code: "TELEPHONY_UNAVAILABLE", retryable: true });
    expect(vapi.requests).toHaveLength(4);
    expect(waits).toEqual([BACKOFF.baseMs, BACKOFF.baseMs * 2, BACKOFF.baseMs * 4]);
    expect(vapi.calls).toEqual([]);
  });

  it("a Retry-After too long to wait is not waited for: TELEPHONY_UNAVAILABLE at once", async () => {
    const { vapi, telephony, waits } = await setup();
    await vapi.failNext("rate_limited", { retryAfterSeconds: 120 });
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    expect(error).toMatchObject({ code: "TELEPHONY_UNAVAILABLE", retryable: true });
    expect(vapi.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("500: TELEPHONY_TIMEOUT, not retryable, and exactly one request reached Vapi (no retry)", async () => {
    const { vapi, telephony, waits } = await setup();
    await vapi.failNext("server_error");
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    expect(error).toMatchObject({ code: "TELEPHONY_TIMEOUT", retryable: false });
    expect(vapi.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("slow answer: TELEPHONY_TIMEOUT within the time-out, one request, never retried", async () => {
    const { vapi, telephony, waits } = await setup();
    await vapi.failNext("slow");
    const started = performance.now();
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    const elapsed = performance.now() - started;
    expect(error).toMatchObject({ code: "TELEPHONY_TIMEOUT", retryable: false });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 5);
    expect(elapsed).toBeLessThan(TIMEOUT_MS + 500);
    expect(vapi.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("connection refused: retried with back-off, then TELEPHONY_UNAVAILABLE; nothing reached Vapi", async () => {
    const { vapi, telephony, waits } = await setup();
    await vapi.failNext("refuse");
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    expect(error).toMatchObject({ code: "TELEPHONY_UNAVAILABLE", retryable: true });
    expect(waits).toEqual([BACKOFF.baseMs, BACKOFF.baseMs * 2]);
    expect(vapi.requests).toEqual([]);

    await vapi.resume();
    await expect(telephony.createOutboundCall(sampleCallRequest(2))).resolves.toMatchObject({
      vendorCallId: expect.any(String),
    });
  });

  it("connection refused, then Vapi is back during the back-off: one call placed", async () => {
    let vapi: FakeVapi | undefined;
    const { telephony, vapi: fake } = await setup({ sleep: () => vapi!.resume() });
    vapi = fake;
    await vapi.failNext("refuse");
    const { vendorCallId } = await telephony.createOutboundCall(sampleCallRequest(1));
    expect(vapi.calls.map((c) => c.id)).toEqual([vendorCallId]);
    expect(vapi.requests).toHaveLength(1);
  });

  it("401 (a wrong key): TELEPHONY_REJECTED, not retried", async () => {
    const { vapi, telephony, waits } = await setup({ apiKey: "not-the-key" });
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    expect(error).toMatchObject({ code: "TELEPHONY_REJECTED", retryable: false });
    expect(error.message).toMatch(/credentials/);
    expect(vapi.requests.map((r) => r.status)).toEqual([401]);
    expect(waits).toEqual([]);
  });

  it("400 (Vapi's validation error): TELEPHONY_REJECTED with Vapi's text on cause only", async () => {
    const { vapi, telephony } = await setup();
    await vapi.failNext("rejected", { detail: "assistant asst_123 not found" });
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    expect(error).toMatchObject({ code: "TELEPHONY_REJECTED", retryable: false });
    expect(error.message).not.toContain("asst_123");
    expect(error.cause).toMatchObject({ status: 400, body: expect.stringContaining("asst_123") });
  });

  it("the API key never appears in an error's message, code or cause, even when Vapi echoes it", async () => {
    const { vapi, telephony } = await setup();
    const kinds: FakeVapiFailure[] = ["rejected", "unauthorized", "rate_limited", "server_error", "slow", "refuse"];
    for (const kind of kinds) {
      await vapi.failNext(kind, { detail: `bad key ${vapi.apiKey}`, times: kind === "rate_limited" ? 3 : 1 });
      const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
      await vapi.resume();
      const everything = `${error.message} ${error.code} ${inspect(error, { depth: 10 })}`;
      expect(everything).not.toContain(vapi.apiKey);
    }
    // The vendor text is kept for debugging, with the key cut out.
    await vapi.failNext("rejected", { detail: `bad key ${vapi.apiKey}` });
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    expect((error.cause as Error).message).toContain("bad key [redacted]");
  });

  it("DNS failure is retried like a refused connection; a reset connection is not retried", async () => {
    const dnsFailure = Object.assign(new Error("getaddrinfo ENOTFOUND api.vapi.ai"), { code: "ENOTFOUND" });
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    for (const [cause, attempts, code] of [
      [dnsFailure, MAX_RETRIES + 1, "TELEPHONY_UNAVAILABLE"],
      [reset, 1, "TELEPHONY_TIMEOUT"],
    ] as const) {
      let calls = 0;
      const telephony = vapiTelephony({
        apiKey: "k",
        sleep: async () => {},
        fetch: async () => {
          calls++;
          throw new TypeError("fetch failed", { cause });
        },
      });
      const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
      expect({ code: error.code, calls }).toEqual({ code, calls: attempts });
    }
  });

  it("a 2xx without a call id: TELEPHONY_TIMEOUT (the call may be placed), not retried", async () => {
    let calls = 0;
    const telephony = vapiTelephony({
      apiKey: "k",
      fetch: async () => {
        calls++;
        return new Response(JSON.stringify({ status: "queued" }), { status: 201 });
      },
    });
    const error = await failureOf(telephony.createOutboundCall(sampleCallRequest(1)));
    expect(error).toMatchObject({ code: "TELEPHONY_TIMEOUT", retryable: false });
    expect(calls).toBe(1);
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-01-25T09:00:00Z");
    expect(retryAfterMs("3", now)).toBe(3_000);
    expect(retryAfterMs("Sun, 25 Jan 2026 09:00:05 GMT", now)).toBe(5_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("soon", now)).toBeUndefined();
  });

  it("refuses bad options at construction", () => {
    expect(() => vapiTelephony({ apiKey: " " })).toThrow(TypeError);
    expect(() => vapiTelephony({ apiKey: "k", maxRetries: -1 })).toThrow(RangeError);
    expect(() => vapiTelephony({ apiKey: "k", timeoutMs: 0 })).toThrow(RangeError);
  });
});
