import { pino } from "pino";
import { expect, it } from "vitest";
import { runTour } from "./tour.ts";

it("runs the full stack: a call in, a callback out, both on the dashboard", async () => {
  const { pulse, calls } = await runTour({ logger: pino({ level: "silent" }), print: () => {} });
  expect(calls.map((c) => `${c.direction} ${c.status}`).sort()).toEqual(["inbound completed", "outbound completed"]);
  expect(pulse.totalCalls).toBe(2);
  expect(pulse.inboundCalls).toBe(1);
});
