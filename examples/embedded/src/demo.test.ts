import { describe, expect, it } from "vitest";
import { runDemo } from "./demo.ts";

describe("embedded example", () => {
  it("turns three calls into a booking, a lost lead and an alerted hot lead", async () => {
    const { pulse, contacts, activity, alerts, liveEvents } = await runDemo();
    expect(pulse).toMatchObject({ totalCalls: 3, inboundCalls: 3, bookings: 2, successRate: 66.7, hotLeads: 1 });
    expect(pulse.pipelineValueCents).toBe(40_000 + 600_000 + 800_000);
    const byPhone = Object.fromEntries(contacts.map((c) => [c.phone, c]));
    expect(byPhone["+15555551001"]).toMatchObject({ leadStatus: "booked", name: "Maria Lopez" });
    expect(byPhone["+15555551002"]).toMatchObject({ leadStatus: "lost" });
    expect(byPhone["+15555551003"]).toMatchObject({ leadStatus: "booked", leadTemperature: "hot" });
    expect(activity).toHaveLength(10);
    expect(alerts).toEqual([{ to: "+15555550199", body: expect.stringContaining("Dana Kim") }]);
    expect(liveEvents).toContain("call.ended");
  });
});
