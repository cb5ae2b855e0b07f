import { describe, expect, it } from "vitest";
import { bucketOf, chartWindow, fillGaps, localDate, nextBucket, startOfDay } from "../public/app/lib/series.js";

describe("time buckets", () => {
  it("starts weeks on Monday and months on the 1st, across year ends", () => {
    expect(bucketOf("2026-01-01", "week")).toBe("2025-12-29"); // a Thursday
    expect(bucketOf("2026-01-04", "week")).toBe("2025-12-29"); // a Sunday
    expect(bucketOf("2026-01-05", "week")).toBe("2026-01-05"); // a Monday
    expect(bucketOf("2026-02-17", "month")).toBe("2026-02-01");
    expect(nextBucket("2025-12-31", "day")).toBe("2026-01-01");
    expect(nextBucket("2025-12-29", "week")).toBe("2026-01-05");
    expect(nextBucket("2026-12-01", "month")).toBe("2027-01-01");
  });

  it("names the date of an instant in the org's zone, not the browser's", () => {
    const instant = new Date("2026-03-01T03:30:00Z");
    expect(localDate(instant, "UTC")).toBe("2026-03-01");
    expect(localDate(instant, "America/New_York")).toBe("2026-02-28");
    expect(localDate(instant, "Asia/Tokyo")).toBe("2026-03-01");
  });

  it("finds a day's local midnight as an instant, across daylight saving changes", () => {
    expect(startOfDay("2026-01-15", "America/New_York").toISOString()).toBe("2026-01-15T05:00:00.000Z");
    expect(startOfDay("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-08T05:00:00.000Z"); // springs forward at 2 AM
    expect(startOfDay("2026-03-09", "America/New_York").toISOString()).toBe("2026-03-09T04:00:00.000Z");
    expect(startOfDay("2026-11-01", "America/New_York").toISOString()).toBe("2026-11-01T04:00:00.000Z"); // falls back at 2 AM
    expect(startOfDay("2026-06-01", "Asia/Kolkata").toISOString()).toBe("2026-05-31T18:30:00.000Z");
    expect(startOfDay("2026-06-01", "UTC").toISOString()).toBe("2026-06-01T00:00:00.000Z");
  });
});

describe("fillGaps", () => {
  const point = (start, totalCalls) => ({
    start,
    totalCalls,
    inboundCalls: totalCalls,
    bookings: 0,
    successRate: 0,
    pipelineValueCents: 100 * totalCalls,
  });

  it("puts a zero bucket wherever the API left one out, and keeps the API's points as they are", () => {
    const filled = fillGaps([point("2026-01-03", 2), point("2026-01-06", 5)], {
      interval: "day",
      first: "2026-01-02",
      last: "2026-01-07",
    });
    expect(filled.map((p) => [p.start, p.totalCalls])).toEqual([
      ["2026-01-02", 0],
      ["2026-01-03", 2],
      ["2026-01-04", 0],
      ["2026-01-05", 0],
      ["2026-01-06", 5],
      ["2026-01-07", 0],
    ]);
    expect(filled[1]).toEqual(point("2026-01-03", 2));
    expect(filled[0]).toEqual({ ...point("2026-01-02", 0), pipelineValueCents: 0 });
  });

  it("widens the span to points the API gave outside it, and fills months", () => {
    const filled = fillGaps([point("2025-11-01", 1)], { interval: "month", first: "2026-01-01", last: "2026-02-01" });
    expect(filled.map((p) => p.start)).toEqual(["2025-11-01", "2025-12-01", "2026-01-01", "2026-02-01"]);
  });

  it("gives every bucket of an empty window", () => {
    const { first, last, query } = chartWindow("week", new Date("2026-03-11T12:00:00Z"), "UTC");
    expect(last).toBe("2026-03-09");
    expect(fillGaps([], { interval: "week", first, last })).toHaveLength(12);
    expect(query).toMatchObject({ interval: "week", to: "2026-03-11T12:00:00.000Z" });
    expect(query.from).toBe(`${first}T00:00:00.000Z`);
    expect(chartWindow("day", new Date("2026-03-11T02:00:00Z"), "America/New_York")).toMatchObject({
      last: "2026-03-10", // still the 10th in New York
      first: "2026-02-09",
      query: { from: "2026-02-09T05:00:00.000Z" },
    });
  });
});
