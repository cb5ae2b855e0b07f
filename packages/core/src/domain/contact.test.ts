import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { advanceLeadStatus, LEAD_STATUSES, type LeadStatus, temperatureOf } from "./contact.ts";

describe("lead status only moves forward", () => {
  it.each<[LeadStatus, LeadStatus, LeadStatus]>([
    ["new", "contacted", "contacted"],
    ["contacted", "new", "contacted"],
    ["qualified", "booked", "booked"],
    ["booked", "contacted", "booked"],
    ["new", "lost", "lost"],
    ["qualified", "lost", "lost"],
    ["booked", "lost", "booked"],
    ["converted", "lost", "converted"],
    ["lost", "booked", "booked"],
    ["lost", "contacted", "lost"],
    ["lost", "converted", "converted"],
    ["booked", "converted", "converted"],
    ["converted", "booked", "converted"],
  ])("%s asked to become %s → %s", (current, next, expected) => {
    expect(advanceLeadStatus(current, next)).toBe(expected);
  });

  it("gives the same status for any order of the same requests", () => {
    const status = fc.constantFrom(...LEAD_STATUSES);
    fc.assert(
      fc.property(status, fc.array(status), fc.array(fc.nat()), (start, requests, keys) => {
        const shuffled = requests
          .map((r, i) => ({ r, k: keys[i] ?? i }))
          .sort((a, b) => a.k - b.k)
          .map(({ r }) => r);
        expect(shuffled.reduce(advanceLeadStatus, start)).toBe(requests.reduce(advanceLeadStatus, start));
      }),
    );
  });
});

describe("temperature", () => {
  it.each([
    [100, "hot"],
    [70, "hot"],
    [69, "warm"],
    [40, "warm"],
    [39, "cold"],
    [0, "cold"],
  ] as const)("score %i is %s", (score, temperature) => {
    expect(temperatureOf(score)).toBe(temperature);
  });
});
