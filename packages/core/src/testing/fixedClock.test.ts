import { describe, expect, it } from "vitest";
import { systemClock } from "../ports/clock.ts";
import { clockContract } from "./contracts/clockContract.ts";
import { FIXED_CLOCK_START, fixedClock } from "./fixedClock.ts";

clockContract("fixedClock", () => ({ adapter: fixedClock() }));
clockContract("systemClock", () => ({ adapter: systemClock }));

describe("fixedClock", () => {
  it("starts at a fixed instant, or the one given", () => {
    expect(fixedClock().now().toISOString()).toBe(FIXED_CLOCK_START);
    expect(fixedClock("2025-06-01T12:00:00Z").now().toISOString()).toBe("2025-06-01T12:00:00.000Z");
    expect(fixedClock(new Date(0)).now().getTime()).toBe(0);
  });

  it("stands still until moved", () => {
    const clock = fixedClock();
    expect(clock.now().getTime()).toBe(clock.now().getTime());
  });

  it("advances by milliseconds or by a duration, and returns the new now", () => {
    const clock = fixedClock("2025-06-01T12:00:00Z");
    expect(clock.advance(500).toISOString()).toBe("2025-06-01T12:00:00.500Z");
    clock.advance({ days: 1, hours: 2, minutes: 3, seconds: 4, milliseconds: 500 });
    expect(clock.now().toISOString()).toBe("2025-06-02T14:03:05.000Z");
  });

  it("sets any instant, backwards included", () => {
    const clock = fixedClock("2025-06-01T12:00:00Z");
    clock.set("2024-01-01T00:00:00Z");
    expect(clock.now().toISOString()).toBe("2024-01-01T00:00:00.000Z");
    clock.set(new Date("2030-01-01T00:00:00Z"));
    expect(clock.now().getUTCFullYear()).toBe(2030);
  });

  it("refuses invalid dates and spans", () => {
    expect(() => fixedClock("not a date")).toThrow(RangeError);
    const clock = fixedClock();
    expect(() => clock.set("nope")).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
    expect(() => clock.advance({ minutes: -5 })).toThrow(RangeError);
    expect(() => clock.advance({ weeks: 1 } as never)).toThrow(RangeError);
    expect(clock.now().toISOString()).toBe(FIXED_CLOCK_START);
  });
});
