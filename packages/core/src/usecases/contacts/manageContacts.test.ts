import { describe, expect, it } from "vitest";
import { callEvents } from "../../testing/callScript.ts";
import { orgState } from "../../testing/orgState.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";

async function withLead() {
  const t = testVoxanne();
  const org = await t.voxanne.organizations.create({ name: "Clinic" });
  const other = await t.voxanne.organizations.create({ name: "Other" });
  const call = (customerNumber: string, transcript: string, booked = false) =>
    callEvents({
      vendorCallId: `v-${crypto.randomUUID()}`,
      customerNumber,
      startedAt: t.clock.now(),
      durationSeconds: 60,
      transcript,
      booked,
    });
  await t.feed(org.id, call("+15555557001", "I want to book botox", true));
  t.clock.advance({ minutes: 5 });
  await t.feed(org.id, call("+15555557002", "what are your hours"));
  await t.feed(other.id, call("+15555557003", "facelift please", true));
  return { t, org, other };
}

describe("contacts", () => {
  it("lists newest first with filters and pages", async () => {
    const { t, org } = await withLead();
    const all = await t.voxanne.contacts.list(org.id);
    expect(all.items.map((c) => c.phone)).toEqual(["+15555557002", "+15555557001"]);
    expect((await t.voxanne.contacts.list(org.id, { leadStatus: "booked" })).items.map((c) => c.phone)).toEqual([
      "+15555557001",
    ]);
    expect((await t.voxanne.contacts.list(org.id, { q: "7002" })).items).toHaveLength(1);
    const first = await t.voxanne.contacts.list(org.id, { limit: 1 });
    const second = await t.voxanne.contacts.list(org.id, { limit: 1, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((c) => c.phone)).toEqual(all.items.map((c) => c.phone));
    expect(second.nextCursor).toBeNull();
  });

  it("a person updates name and email and marks a lead converted", async () => {
    const { t, org } = await withLead();
    const booked = (await t.voxanne.contacts.list(org.id, { leadStatus: "booked" })).items[0]!;
    const updated = await t.voxanne.contacts.update(org.id, booked.id, {
      name: "Maria",
      email: "maria@example.test",
      leadStatus: "converted",
    });
    expect(updated).toMatchObject({ name: "Maria", email: "maria@example.test", leadStatus: "converted" });
    await t.voxanne.settle();
    expect(t.live.published.some((e) => e.type === "contact.updated" && e.contact.id === booked.id)).toBe(true);
  });

  it("refuses a backward status, bad fields, unknown and another org's ids, changing nothing", async () => {
    const { t, org, other } = await withLead();
    const booked = (await t.voxanne.contacts.list(org.id, { leadStatus: "booked" })).items[0]!;
    const theirs = (await t.voxanne.contacts.list(other.id)).items[0]!;
    const before = await orgState(t.storage, org.id);

    await expect(t.voxanne.contacts.update(org.id, booked.id, { leadStatus: "new" })).rejects.toMatchObject({
      kind: "Conflict",
      code: "LEAD_STATUS_BACKWARDS",
    });
    await expect(t.voxanne.contacts.update(org.id, booked.id, { email: "not-an-email" })).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
    await expect(t.voxanne.contacts.update(org.id, booked.id, { leadStatus: "vip" as never })).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
    await expect(t.voxanne.contacts.update(org.id, booked.id, {})).rejects.toMatchObject({ kind: "ValidationFailed" });
    await expect(t.voxanne.contacts.list(org.id, { limit: 0 })).rejects.toMatchObject({ kind: "ValidationFailed" });
    await expect(t.voxanne.contacts.list(org.id, { cursor: "garbage" })).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
    for (const id of [theirs.id, "nope"]) {
      await expect(t.voxanne.contacts.get(org.id, id)).rejects.toMatchObject({
        kind: "NotFound",
        code: "CONTACT_NOT_FOUND",
      });
      await expect(t.voxanne.contacts.update(org.id, id, { name: "x" })).rejects.toMatchObject({ kind: "NotFound" });
      await expect(t.voxanne.contacts.callBack(org.id, id)).rejects.toMatchObject({ kind: "NotFound" });
      await expect(t.voxanne.contacts.sendSms(org.id, id, "hi")).rejects.toMatchObject({ kind: "NotFound" });
    }
    expect(await orgState(t.storage, org.id)).toEqual(before);
    expect(t.telephony.requests).toHaveLength(0);
    expect(t.sms.attempts).toHaveLength(0);
  });
});
