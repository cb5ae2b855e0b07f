import { describe, expect, it } from "vitest";
import { callEvents } from "../../testing/callScript.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";
import { OUTBOX_HOT_LEAD_ALERT } from "../shared/effects.ts";
import { nextAttemptAt } from "./retryPolicy.ts";

const hotCall = (now: Date) =>
  callEvents({
    vendorCallId: `v-${crypto.randomUUID()}`,
    customerNumber: "+15555559101",
    startedAt: now,
    durationSeconds: 300,
    transcript: "I want to book a facelift urgently, thank you so much, wonderful",
    booked: true,
  });

async function alertItems(t: ReturnType<typeof testVoxanne>, orgId: string) {
  return t.storage.transaction(orgId, (tx) => tx.outbox.list({ kind: OUTBOX_HOT_LEAD_ALERT }));
}

describe("outbox delivery", () => {
  it("backs off exponentially up to a cap, then gives up", () => {
    const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 5_000 };
    const now = new Date(0);
    expect([1, 2, 3, 4].map((n) => nextAttemptAt(policy, n, now)?.getTime())).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect(nextAttemptAt(policy, 5, now)).toBeNull();
  });

  it("retries a vendor outage with back-off and sends the alert once it recovers", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({
      name: "Clinic",
      agent: { hotLeadAlertNumbers: ["+15555550199"] },
    });
    t.sms.failNext("unavailable", 2);
    await t.feed(org.id, hotCall(t.clock.now()));

    let [item] = await alertItems(t, org.id);
    expect(item).toMatchObject({ status: "pending", attempts: 1 });
    expect(item!.dueAt.getTime() - t.clock.now().getTime()).toBe(1_000);
    expect(t.sms.sent).toHaveLength(0);

    t.clock.advance(1_000);
    await t.voxanne.process();
    [item] = await alertItems(t, org.id);
    expect(item).toMatchObject({ status: "pending", attempts: 2 });

    t.clock.advance(2_000);
    await t.voxanne.process();
    [item] = await alertItems(t, org.id);
    expect(item).toMatchObject({ status: "sent", attempts: 2 });
    expect(t.sms.sent.map((s) => s.to)).toEqual(["+15555550199"]);
    // Every attempt is kept on the one message the alert owns.
    expect(t.sms.attempts.map((a) => a.messageId)).toEqual([item!.id, item!.id, item!.id]);
  });

  it("moves an alert that cannot succeed (opted-out number) to dead at once", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({
      name: "Clinic",
      agent: { hotLeadAlertNumbers: ["+15555550199"] },
    });
    t.sms.failNext("opted_out");
    await t.feed(org.id, hotCall(t.clock.now()));
    expect(await alertItems(t, org.id)).toEqual([
      expect.objectContaining({ status: "dead", attempts: 1, lastError: expect.any(String) }),
    ]);
  });

  it("never re-sends an alert whose earlier attempt died mid-send: unconfirmed, failed, dead", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({
      name: "Clinic",
      agent: { hotLeadAlertNumbers: ["+15555550199"] },
    });
    // A first attempt that surely did not send leaves the item pending and its message logged.
    t.sms.failNext("unavailable");
    await t.feed(org.id, hotCall(t.clock.now()));
    const [item] = await alertItems(t, org.id);
    // What a process killed after the vendor accepted, before the answer was recorded, leaves behind.
    await t.storage.transaction(org.id, async (tx) => {
      const message = await tx.messages.getById(item!.id);
      await tx.messages.update({ ...message!, status: "queued", errorCode: null });
    });

    t.clock.advance(60_000);
    await t.voxanne.process();
    expect(t.sms.sent).toHaveLength(0);
    expect(await alertItems(t, org.id)).toEqual([expect.objectContaining({ status: "dead", attempts: 2 })]);
    const message = await t.storage.transaction(org.id, (tx) => tx.messages.getById(item!.id));
    expect(message).toMatchObject({ status: "failed", errorCode: "SMS_UNCONFIRMED", vendorMessageId: null });
  });

  it("goes dead after the last attempt of a lasting outage, and reports each failure", async () => {
    const errors: string[] = [];
    const t = testVoxanne({
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
      onError: (_, c) => void errors.push(c.what),
    });
    const org = await t.voxanne.organizations.create({
      name: "Clinic",
      agent: { hotLeadAlertNumbers: ["+15555550199"] },
    });
    t.sms.failAlways("unavailable");
    await t.feed(org.id, hotCall(t.clock.now()));
    for (let i = 0; i < 5; i++) {
      t.clock.advance(10);
      await t.voxanne.process();
    }
    expect(await alertItems(t, org.id)).toEqual([expect.objectContaining({ status: "dead", attempts: 3 })]);
    expect(errors.filter((w) => w === `outbox ${OUTBOX_HOT_LEAD_ALERT}`)).toHaveLength(3);
  });

  it("publishes live events after the transaction, to the org's subscribers only", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const other = await t.voxanne.organizations.create({ name: "Other" });
    const seen: string[] = [];
    const theirs: string[] = [];
    t.live.subscribe(org.id, (e) => void seen.push(e.type));
    t.live.subscribe(other.id, (e) => void theirs.push(e.type));
    await t.feed(org.id, hotCall(t.clock.now()));
    expect(seen).toEqual(expect.arrayContaining(["call.started", "call.ended", "contact.updated", "activity.created"]));
    expect(theirs).toEqual([]);
  });
});
