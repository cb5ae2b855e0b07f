import { describe, expect, it } from "vitest";
import { callEvents } from "../../testing/callScript.ts";
import { testVoxanne } from "../../testing/testVoxanne.ts";

/** A Tokyo clinic with two projected calls: 23:30 UTC on Sunday 1 Nov is Monday 2 Nov in Tokyo. */
async function tokyoClinic() {
  const t = testVoxanne();
  const org = await t.voxanne.organizations.create({ name: "Ginza Clinic", timezone: "Asia/Tokyo" });
  const call = async (n: number, at: string, transcript: string, booked: boolean) => {
    t.clock.set(at);
    await t.feed(
      org.id,
      callEvents({
        vendorCallId: `v-${n}`,
        customerNumber: `+1555555810${n}`,
        startedAt: t.clock.now(),
        durationSeconds: 60,
        transcript,
        booked,
      }),
    );
  };
  await call(1, "2026-11-01T23:30:00Z", "I'd like botox and maybe a facelift", true);
  await call(2, "2026-11-02T10:00:00Z", "how much is botox", false);
  return { t, org };
}

describe("analytics use cases", () => {
  it("cut the time series in the org's own time zone, by day unless asked", async () => {
    const { t, org } = await tokyoClinic();
    expect(await t.voxanne.metrics.timeseries(org.id)).toEqual({
      interval: "day",
      timeZone: "Asia/Tokyo",
      points: [
        {
          start: "2026-11-02",
          totalCalls: 2,
          inboundCalls: 2,
          bookings: 1,
          successRate: 50,
          pipelineValueCents: 840_000,
        },
      ],
    });
    const weeks = await t.voxanne.metrics.timeseries(org.id, {
      interval: "week",
      to: new Date("2026-11-02T00:00:00Z"),
    });
    expect(weeks.points.map((p) => [p.start, p.totalCalls])).toEqual([["2026-11-02", 1]]);
  });

  it("attribute a call that matched two services to the dearest, which priced it, with its whole value", async () => {
    const { t, org } = await tokyoClinic();
    const { items } = await t.voxanne.metrics.services(org.id);
    const byName = Object.fromEntries(items.map(({ name, ...rest }) => [name, rest]));
    expect(byName.Facelift).toMatchObject({ calls: 1, bookings: 1, pipelineValueCents: 800_000 });
    expect(byName.Botox).toMatchObject({ calls: 1, bookings: 0, pipelineValueCents: 40_000 });
    expect(items.map((i) => i.name).slice(0, 2)).toEqual(["Facelift", "Botox"]);
    expect(items.every((i) => i.serviceId !== null)).toBe(true);
  });

  it("count the funnel of contacts: a booked lead and a lost one have both been contacted", async () => {
    const { t, org } = await tokyoClinic();
    expect(await t.voxanne.metrics.funnel(org.id)).toEqual({
      stages: [
        { stage: "new", count: 2 },
        { stage: "contacted", count: 2 },
        { stage: "booked", count: 1 },
        { stage: "converted", count: 0 },
      ],
    });
  });

  it("refuse an unknown interval or a backwards range, naming the field; another org's id is NotFound", async () => {
    const { t, org } = await tokyoClinic();
    const interval = "hour" as "day";
    await expect(t.voxanne.metrics.timeseries(org.id, { interval })).rejects.toMatchObject({
      kind: "ValidationFailed",
      issues: [{ path: "interval" }],
    });
    const backwards = { from: new Date("2026-11-03T00:00:00Z"), to: new Date("2026-11-02T00:00:00Z") };
    for (const run of [
      () => t.voxanne.metrics.timeseries(org.id, backwards),
      () => t.voxanne.metrics.funnel(org.id, backwards),
      () => t.voxanne.metrics.services(org.id, backwards),
    ]) {
      await expect(run()).rejects.toMatchObject({ kind: "ValidationFailed" });
    }
    await expect(t.voxanne.metrics.timeseries("no-such-org")).rejects.toMatchObject({ kind: "NotFound" });
  });
});
