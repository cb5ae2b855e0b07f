import { describe, expect, it } from "vitest";
import { VendorFailed } from "../domain/errors.ts";
import { sampleCallRequest, telephonyContract } from "./contracts/telephonyContract.ts";
import { recordingTelephony } from "./recordingTelephony.ts";

telephonyContract("recordingTelephony", () => {
  const telephony = recordingTelephony();
  return {
    adapter: telephony,
    placed: async () => [...telephony.placed],
    failNext: (kind, vendorDetail) => telephony.failNext(kind, 1, vendorDetail),
  };
});

describe("recordingTelephony", () => {
  it("numbers vendor call ids sim-call-1, sim-call-2… and keeps every request", async () => {
    const telephony = recordingTelephony();
    telephony.failNext("rejected");
    await expect(telephony.createOutboundCall(sampleCallRequest(1))).rejects.toBeInstanceOf(VendorFailed);
    expect(await telephony.createOutboundCall(sampleCallRequest(2))).toEqual({ vendorCallId: "sim-call-1" });
    expect(await telephony.createOutboundCall(sampleCallRequest(3))).toEqual({ vendorCallId: "sim-call-2" });
    expect(telephony.requests.map((r) => r.callId)).toEqual(["call-contract-1", "call-contract-2", "call-contract-3"]);
    expect(telephony.placed.map((c) => [c.callId, c.vendorCallId])).toEqual([
      ["call-contract-2", "sim-call-1"],
      ["call-contract-3", "sim-call-2"],
    ]);
    expect(telephony.failures.map((f) => [f.request.callId, f.error.code])).toEqual([
      ["call-contract-1", "TELEPHONY_REJECTED"],
    ]);
  });

  it("fails the next `count` requests in the order planned, then recovers by itself", async () => {
    const telephony = recordingTelephony();
    telephony.failNext("timeout", 2);
    telephony.failNext("unavailable");
    const outcomes: string[] = [];
    for (const n of [1, 2, 3, 4]) {
      await telephony.createOutboundCall(sampleCallRequest(n)).then(
        ({ vendorCallId }) => outcomes.push(vendorCallId),
        (e: VendorFailed) => outcomes.push(e.code),
      );
    }
    expect(outcomes).toEqual(["TELEPHONY_TIMEOUT", "TELEPHONY_TIMEOUT", "TELEPHONY_UNAVAILABLE", "sim-call-1"]);
  });

  it("fails always until recover()", async () => {
    const telephony = recordingTelephony();
    telephony.failAlways("unavailable");
    for (const n of [1, 2, 3]) {
      await expect(telephony.createOutboundCall(sampleCallRequest(n))).rejects.toMatchObject({ retryable: true });
    }
    telephony.recover();
    await expect(telephony.createOutboundCall(sampleCallRequest(4))).resolves.toEqual({ vendorCallId: "sim-call-1" });
    expect(telephony.failures).toHaveLength(3);
  });

  it("keeps the vendor's text on cause, never in the message", async () => {
    const telephony = recordingTelephony();
    telephony.failNext("rejected", 1, "Vapi: assistant asst_123 not found (key sk_live_x)");
    const error: VendorFailed = await telephony.createOutboundCall(sampleCallRequest(1)).then(
      () => expect.fail("expected a failure"),
      (e: VendorFailed) => e,
    );
    expect(error.message).not.toContain("Vapi");
    expect((error.cause as Error).message).toContain("asst_123");
  });

  it("records a copy, unaffected by later changes to the request", async () => {
    const telephony = recordingTelephony();
    const request = sampleCallRequest(1);
    await telephony.createOutboundCall(request);
    request.customer.name = "changed";
    expect(telephony.requests[0]?.customer.name).not.toBe("changed");
  });

  it("refuses a count that is not a positive integer", () => {
    const telephony = recordingTelephony();
    expect(() => telephony.failNext("rejected", 0)).toThrow(RangeError);
    expect(() => telephony.failNext("rejected", 1.5)).toThrow(RangeError);
  });
});
