import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { advanceMessageStatus, MESSAGE_STATUSES, type MessageStatus } from "./message.ts";

describe("message status never moves backwards", () => {
  it.each<[MessageStatus, MessageStatus, MessageStatus]>([
    ["queued", "sent", "sent"],
    ["sent", "delivered", "delivered"],
    ["delivered", "sent", "delivered"],
    ["delivered", "queued", "delivered"],
    ["sent", "undelivered", "undelivered"],
    ["undelivered", "sent", "undelivered"],
    ["queued", "failed", "failed"],
  ])("%s then %s → %s", (current, reported, expected) => {
    expect(advanceMessageStatus(current, reported)).toBe(expected);
  });

  it("every order of the same reports ends in the same status", () => {
    const status = fc.constantFrom(...MESSAGE_STATUSES);
    fc.assert(
      fc.property(fc.array(status, { minLength: 1 }), fc.array(fc.nat()), (reports, keys) => {
        const shuffled = reports
          .map((r, i) => ({ r, k: keys[i] ?? i }))
          .sort((a, b) => a.k - b.k)
          .map(({ r }) => r);
        expect(shuffled.reduce(advanceMessageStatus, "queued")).toBe(reports.reduce(advanceMessageStatus, "queued"));
      }),
    );
  });
});
