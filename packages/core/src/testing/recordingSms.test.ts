import { describe, expect, it } from "vitest";
import { OptedOut } from "../domain/errors.ts";
import { sampleSmsRequest, smsContract } from "./contracts/smsContract.ts";
import { recordingSms } from "./recordingSms.ts";

smsContract("recordingSms", () => {
  const sms = recordingSms();
  return {
    adapter: sms,
    sent: async () => [...sms.sent],
    failNext: (kind, vendorDetail) => sms.failNext(kind, 1, vendorDetail),
  };
});

describe("recordingSms", () => {
  it("numbers vendor message ids sim-sms-1, sim-sms-2… and keeps every attempt", async () => {
    const sms = recordingSms();
    sms.failNext("opted_out");
    await expect(sms.send(sampleSmsRequest(1))).rejects.toBeInstanceOf(OptedOut);
    expect(await sms.send(sampleSmsRequest(2))).toEqual({ vendorMessageId: "sim-sms-1", status: "queued" });
    expect(await sms.send(sampleSmsRequest(3))).toEqual({ vendorMessageId: "sim-sms-2", status: "queued" });
    expect(sms.attempts.map((r) => r.messageId)).toEqual([
      "message-contract-1",
      "message-contract-2",
      "message-contract-3",
    ]);
    expect(sms.sent.map((m) => [m.messageId, m.vendorMessageId])).toEqual([
      ["message-contract-2", "sim-sms-1"],
      ["message-contract-3", "sim-sms-2"],
    ]);
    expect(sms.failures.map((f) => [f.request.messageId, f.error.code])).toEqual([
      ["message-contract-1", "SMS_OPTED_OUT"],
    ]);
  });

  it("fails always until recover()", async () => {
    const sms = recordingSms();
    sms.failAlways("invalid_number");
    for (const n of [1, 2]) {
      await expect(sms.send(sampleSmsRequest(n))).rejects.toMatchObject({ issues: [{ path: "to" }] });
    }
    sms.recover();
    await expect(sms.send(sampleSmsRequest(3))).resolves.toMatchObject({ vendorMessageId: "sim-sms-1" });
  });

  it("forgets queued failures on recover()", async () => {
    const sms = recordingSms();
    sms.failNext("unavailable", 3);
    sms.recover();
    await expect(sms.send(sampleSmsRequest(1))).resolves.toMatchObject({ vendorMessageId: "sim-sms-1" });
  });
});
