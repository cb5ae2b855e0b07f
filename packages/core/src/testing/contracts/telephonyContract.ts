/** The contract every Telephony adapter passes: the guarantees of `ports/telephony.ts`, as tests. */
import { describe, expect } from "vitest";
import { VendorFailed } from "../../domain/errors.ts";
import type { OutboundCallRequest, Telephony } from "../../ports/telephony.ts";
import type { Closable, ContractOptions, FixtureFactory } from "./contractKit.ts";
import { contractTests, fixturesOf, leakMarker, requireHook } from "./contractKit.ts";

/** The vendor outcomes a hook can provoke. */
export type TelephonyFailureKind = "rejected" | "unavailable" | "timeout";

/**
 * What each outcome must become: a stable code, and `retryable` only when the call surely was
 * not placed. A timeout may have placed the call, so it is not retryable.
 */
export const TELEPHONY_FAILURES: Readonly<Record<TelephonyFailureKind, { code: string; retryable: boolean }>> = {
  rejected: { code: "TELEPHONY_REJECTED", retryable: false },
  unavailable: { code: "TELEPHONY_UNAVAILABLE", retryable: true },
  timeout: { code: "TELEPHONY_TIMEOUT", retryable: false },
};

/** An adapter under test, with the hooks that let the suite see and steer its vendor. */
export interface TelephonyFixture extends Closable {
  adapter: Telephony;
  /**
   * The calls the vendor accepted, read through a second path (the fake vendor's log), oldest
   * first, each with every field of the request that placed it.
   */
  placed?(): Promise<OutboundCallRequest[]>;
  /**
   * Makes the vendor fail the adapter's next request like `kind`, with `vendorDetail` in the
   * vendor's own error text (the suite checks it never reaches the thrown message). An adapter that
   * retries `unavailable` by itself should fail every attempt of that request.
   */
  failNext?(kind: TelephonyFailureKind, vendorDetail: string): void | Promise<void>;
  /** Credentials the adapter holds (API keys): no error message may contain them. */
  credentials?: readonly string[];
}

export const TELEPHONY_CONTRACT_TESTS = [
  "returns a non-empty vendorCallId",
  "gives each call a distinct vendorCallId",
  "places exactly one call per request, as requested",
  "places one call per request when requests run concurrently",
  "rejected: throws VendorFailed TELEPHONY_REJECTED, not retryable, nothing placed",
  "unavailable: throws VendorFailed TELEPHONY_UNAVAILABLE, retryable, nothing placed",
  "timeout: throws VendorFailed TELEPHONY_TIMEOUT, not retryable, never retried",
  "failure messages carry no vendor text and no credentials",
  "places calls again after a failure",
] as const;
export type TelephonyContractTest = (typeof TELEPHONY_CONTRACT_TESTS)[number];

/** A request as a callback would make it; `n` varies our call id and the number called. */
export const sampleCallRequest = (n: number, orgId = "org-contract"): OutboundCallRequest => ({
  orgId,
  callId: `call-contract-${n}`,
  assistantId: "assistant-contract",
  phoneNumberId: "phone-number-contract",
  customer: { number: `+1555555${String(100 + n).padStart(4, "0")}`, name: n % 2 === 0 ? "Ada Contract" : null },
});

/**
 * Declares the Telephony contract suite for one adapter. `makeFixture` runs once per test.
 *
 * @example
 * telephonyContract("vapi against a fake server", async () => {
 *   const server = await startFakeVapi();
 *   return { adapter: vapiTelephony(server.config), placed: server.placed, failNext: server.failNext, close: server.close };
 * });
 */
export function telephonyContract(
  name: string,
  makeFixture: FixtureFactory<TelephonyFixture>,
  options: ContractOptions<TelephonyContractTest> = {},
): void {
  const suite = `Telephony contract: ${name}`;
  describe(suite, () => {
    const test = contractTests(suite, TELEPHONY_CONTRACT_TESTS, options.skip);
    const setup = fixturesOf(makeFixture);

    /** The VendorFailed a request ends in after the hook made the vendor fail like `kind`. */
    async function failedCall(fixture: TelephonyFixture, kind: TelephonyFailureKind, request: OutboundCallRequest) {
      await requireHook(suite, fixture, "failNext")(kind, leakMarker(kind));
      const error = await fixture.adapter.createOutboundCall(request).then(
        (result) => expect.fail(`expected a ${kind} failure, got ${JSON.stringify(result)}`),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(VendorFailed);
      return error as VendorFailed;
    }

    test("returns a non-empty vendorCallId", async () => {
      const { adapter } = await setup();
      const { vendorCallId } = await adapter.createOutboundCall(sampleCallRequest(1));
      expect(typeof vendorCallId).toBe("string");
      expect(vendorCallId.trim()).not.toBe("");
    });

    test("gives each call a distinct vendorCallId", async () => {
      const { adapter } = await setup();
      const ids: string[] = [];
      for (const n of [1, 2, 3]) ids.push((await adapter.createOutboundCall(sampleCallRequest(n))).vendorCallId);
      expect(new Set(ids).size).toBe(3);
    });

    test("places exactly one call per request, as requested", async () => {
      const fixture = await setup();
      const placed = requireHook(suite, fixture, "placed");
      const request = sampleCallRequest(2);
      await fixture.adapter.createOutboundCall(request);
      expect(await placed()).toEqual([expect.objectContaining(request)]);
    });

    test("places one call per request when requests run concurrently", async () => {
      const fixture = await setup();
      const placed = requireHook(suite, fixture, "placed");
      const requests = [1, 2, 3, 4, 5].map((n) => sampleCallRequest(n));
      const results = await Promise.all(requests.map((r) => fixture.adapter.createOutboundCall(r)));
      expect(new Set(results.map((r) => r.vendorCallId)).size).toBe(requests.length);
      const calls = await placed();
      expect(calls).toHaveLength(requests.length);
      expect(calls).toEqual(expect.arrayContaining(requests.map((r) => expect.objectContaining(r))));
    });

    test("rejected: throws VendorFailed TELEPHONY_REJECTED, not retryable, nothing placed", async () => {
      const fixture = await setup();
      const placed = requireHook(suite, fixture, "placed");
      const error = await failedCall(fixture, "rejected", sampleCallRequest(1));
      expect({ code: error.code, retryable: error.retryable }).toEqual(TELEPHONY_FAILURES.rejected);
      expect(await placed()).toEqual([]);
    });

    test("unavailable: throws VendorFailed TELEPHONY_UNAVAILABLE, retryable, nothing placed", async () => {
      const fixture = await setup();
      const placed = requireHook(suite, fixture, "placed");
      const error = await failedCall(fixture, "unavailable", sampleCallRequest(1));
      expect({ code: error.code, retryable: error.retryable }).toEqual(TELEPHONY_FAILURES.unavailable);
      // retryable promises the call surely was not placed.
      expect(await placed()).toEqual([]);
    });

    test("timeout: throws VendorFailed TELEPHONY_TIMEOUT, not retryable, never retried", async () => {
      const fixture = await setup();
      const placed = requireHook(suite, fixture, "placed");
      const error = await failedCall(fixture, "timeout", sampleCallRequest(1));
      expect({ code: error.code, retryable: error.retryable }).toEqual(TELEPHONY_FAILURES.timeout);
      // The vendor may have placed the call before timing out; a retry would place a second one.
      expect((await placed()).length).toBeLessThanOrEqual(1);
    });

    test("failure messages carry no vendor text and no credentials", async () => {
      const fixture = await setup();
      const secrets = fixture.credentials ?? [];
      let n = 0;
      for (const kind of Object.keys(TELEPHONY_FAILURES) as TelephonyFailureKind[]) {
        const error = await failedCall(fixture, kind, sampleCallRequest(++n));
        expect(error.message.trim()).not.toBe("");
        for (const text of [error.message, error.code]) {
          expect(text).not.toContain(leakMarker(kind));
          for (const secret of secrets) expect(text).not.toContain(secret);
        }
      }
    });

    test("places calls again after a failure", async () => {
      const fixture = await setup();
      const placed = requireHook(suite, fixture, "placed");
      await failedCall(fixture, "unavailable", sampleCallRequest(1));
      const request = sampleCallRequest(2);
      const { vendorCallId } = await fixture.adapter.createOutboundCall(request);
      expect(vendorCallId).not.toBe("");
      expect(await placed()).toEqual([expect.objectContaining(request)]);
    });
  });
}
