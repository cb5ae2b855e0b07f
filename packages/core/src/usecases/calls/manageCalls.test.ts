import { describe, expect, it } from "vitest";
import { callEvents } from "../../testing/callScript.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";

describe("calls", () => {
  it("soft delete hides a call from lists and metrics but keeps it for the record", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const other = await t.voxanne.organizations.create({ name: "Other" });
    for (const n of [1, 2]) {
      await t.feed(
        org.id,
        callEvents({
          vendorCallId: `v-${n}`,
          customerNumber: `+1555555800${n}`,
          startedAt: t.clock.now(),
          durationSeconds: 60,
          transcript: "botox",
          booked: true,
        }),
      );
    }
    const [newest, oldest] = (await t.voxanne.calls.list(org.id)).items;
    expect((await t.voxanne.metrics.pulse(org.id)).totalCalls).toBe(2);

    await expect(t.voxanne.calls.delete(other.id, newest!.id)).rejects.toMatchObject({ kind: "NotFound" });
    await t.voxanne.calls.delete(org.id, newest!.id);

    expect((await t.voxanne.calls.list(org.id)).items.map((c) => c.id)).toEqual([oldest!.id]);
    expect(await t.voxanne.metrics.pulse(org.id)).toMatchObject({
      totalCalls: 1,
      bookings: 1,
      pipelineValueCents: 40_000,
    });
    await expect(t.voxanne.calls.get(org.id, newest!.id)).rejects.toMatchObject({ kind: "NotFound" });
    await expect(t.voxanne.calls.delete(org.id, newest!.id)).rejects.toMatchObject({ kind: "NotFound" });
    const kept = await t.storage.transaction(org.id, (tx) => tx.calls.getById(newest!.id));
    expect(kept?.deletedAt).toEqual(t.clock.now());
  });

  it("filters by direction, status and time range, and refuses a backwards range", async () => {
    const t = testVoxanne();
    const org = await t.voxanne.organizations.create({ name: "Clinic" });
    const start = t.clock.now();
    await t.feed(
      org.id,
      callEvents({
        vendorCallId: "in-1",
        customerNumber: "+15555558101",
        startedAt: start,
        durationSeconds: 10,
        transcript: "",
      }),
    );
    await t.feed(
      org.id,
      callEvents({
        vendorCallId: "out-1",
        direction: "outbound",
        customerNumber: "+15555558102",
        startedAt: new Date(start.getTime() + 3_600_000),
        durationSeconds: 0,
        transcript: "",
        status: "no_answer",
        endedReason: "customer-did-not-answer",
      }),
    );
    const ids = async (q: Parameters<typeof t.voxanne.calls.list>[1]) =>
      (await t.voxanne.calls.list(org.id, q)).items.map((c) => c.vendorCallId);
    expect(await ids({ direction: "outbound" })).toEqual(["out-1"]);
    expect(await ids({ status: "completed" })).toEqual(["in-1"]);
    expect(await ids({ range: { from: new Date(start.getTime() + 60_000) } })).toEqual(["out-1"]);
    expect(await ids({ range: { to: new Date(start.getTime() + 60_000) } })).toEqual(["in-1"]);
    await expect(
      t.voxanne.calls.list(org.id, { range: { from: new Date(start.getTime() + 1), to: start } }),
    ).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
    await expect(
      t.voxanne.metrics.pulse(org.id, { from: new Date(start.getTime() + 1), to: start }),
    ).rejects.toMatchObject({
      kind: "ValidationFailed",
    });
  });
});
