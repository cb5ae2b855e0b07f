import { describe, expect, it } from "vitest";
import { readSlot, spokenSlot } from "./slotTime.ts";

const NY = "America/New_York";

describe("readSlot", () => {
  it("keeps a date-time with an offset as given", () => {
    expect(readSlot({ when: "2025-11-25T14:00:00-05:00" }, NY)).toEqual({
      ok: true,
      startsAt: "2025-11-25T14:00:00-05:00",
    });
    expect(readSlot({ date: "2025-11-25T19:00:00Z" }, NY)).toEqual({ ok: true, startsAt: "2025-11-25T19:00:00Z" });
  });

  it("reads a local time in the clinic's zone, daylight saving included", () => {
    const cases: [string, string, string][] = [
      ["2025-07-01T10:00", NY, "2025-07-01T10:00:00-04:00"],
      ["2025-12-01 10:00:00", NY, "2025-12-01T10:00:00-05:00"],
      ["2026-03-08T03:30", NY, "2026-03-08T03:30:00-04:00"], // an hour after clocks went forward
      ["2025-11-02T01:30", NY, "2025-11-02T01:30:00-04:00"], // the repeated hour: the first one
      ["2025-11-25T14:00", "Asia/Kolkata", "2025-11-25T14:00:00+05:30"],
      ["2025-11-25T14:00", "UTC", "2025-11-25T14:00:00+00:00"],
    ];
    for (const [when, zone, startsAt] of cases) expect(readSlot({ when }, zone), when).toEqual({ ok: true, startsAt });
  });

  it("joins a date and a time, in 24-hour or AM/PM form", () => {
    const cases: [string, string][] = [
      ["14:00", "14:00"],
      ["14:00:00", "14:00"],
      ["2:00 PM", "14:00"],
      ["2 pm", "14:00"],
      ["2:30 p.m.", "14:30"],
      ["12 am", "00:00"],
      ["12pm", "12:00"],
      ["9:05am", "09:05"],
    ];
    for (const [time, wall] of cases) {
      expect(readSlot({ date: "2025-11-25", time }, NY), time).toEqual({
        ok: true,
        startsAt: `2025-11-25T${wall}:00-05:00`,
      });
    }
    // A time given where a date-time was expected is the date's time.
    expect(readSlot({ date: "2025-11-25", when: "3 PM" }, NY)).toEqual({
      ok: true,
      startsAt: "2025-11-25T15:00:00-05:00",
    });
  });

  it("says what is missing or unreadable", () => {
    expect(readSlot({}, NY)).toEqual({ ok: false, reason: "missing" });
    expect(readSlot({ date: "2025-11-25" }, NY)).toEqual({ ok: false, reason: "missing" });
    expect(readSlot({ time: "2 PM" }, NY)).toEqual({ ok: false, reason: "missing" });
    expect(readSlot({ when: "2 PM" }, NY)).toEqual({ ok: false, reason: "missing" });
    for (const words of [
      { when: "next Tuesday" },
      { date: "November 25", time: "2 PM" },
      { date: "2025-11-25", time: "14" },
      { date: "2025-11-25", time: "24:00" },
      { date: "2025-11-25", time: "0 am" },
      { date: "2025-11-25", time: "2:75" },
    ]) {
      expect(readSlot(words, NY), JSON.stringify(words)).toEqual({ ok: false, reason: "unreadable" });
    }
  });
});

describe("spokenSlot", () => {
  it("says the day and time in the clinic's zone, on one plain line", () => {
    expect(spokenSlot(new Date("2025-11-25T19:00:00Z"), NY)).toBe("Tuesday, November 25 at 2:00 PM");
    expect(spokenSlot(new Date("2025-11-25T19:00:00Z"), "Asia/Kolkata")).toBe("Wednesday, November 26 at 12:30 AM");
  });
});
