import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SENTIMENT_LABELS } from "../../domain/call.ts";
import { temperatureOf } from "../../domain/contact.ts";
import { DEFAULT_SCORING, detectIntent, type LeadFacts, scoreLead } from "./scoreLead.ts";

const nothing: LeadFacts = {
  bookingConfirmed: false,
  bookingIntent: false,
  serviceName: null,
  servicePriceCents: 0,
  sentiment: null,
  durationSeconds: null,
  callbackRequested: false,
};

const reasonsOf = (facts: Partial<LeadFacts>) => scoreLead({ ...nothing, ...facts }).reasons;

describe("scoreLead", () => {
  it("scores a call with nothing to go on as 0, without reasons", () => {
    expect(scoreLead(nothing)).toEqual({ score: 0, reasons: [] });
  });

  it("counts a booking, and booking intent only without one", () => {
    expect(reasonsOf({ bookingConfirmed: true })).toEqual([{ reason: "booked", points: 30 }]);
    expect(reasonsOf({ bookingIntent: true })).toEqual([{ reason: "booking intent", points: 15 }]);
    expect(reasonsOf({ bookingConfirmed: true, bookingIntent: true })).toEqual([{ reason: "booked", points: 30 }]);
  });

  it("counts the service's value by tier", () => {
    const service = (cents: number) => reasonsOf({ serviceName: "X", servicePriceCents: cents });
    expect(service(800_000)).toEqual([{ reason: "service: X", points: 25 }]);
    expect(service(500_000)).toEqual([{ reason: "service: X", points: 25 }]);
    expect(service(499_999)).toEqual([{ reason: "service: X", points: 15 }]);
    expect(service(100_000)).toEqual([{ reason: "service: X", points: 15 }]);
    expect(service(1)).toEqual([{ reason: "service: X", points: 10 }]);
    expect(service(0)).toEqual([]);
  });

  it("counts sentiment and urgency", () => {
    expect(reasonsOf({ sentiment: { label: "positive", urgency: "high" } })).toEqual([
      { reason: "sentiment: positive", points: 10 },
      { reason: "urgency: high", points: 15 },
    ]);
    expect(reasonsOf({ sentiment: { label: "negative", urgency: "medium" } })).toEqual([
      { reason: "sentiment: negative", points: -10 },
      { reason: "urgency: medium", points: 5 },
    ]);
    expect(reasonsOf({ sentiment: { label: "neutral", urgency: "low" } })).toEqual([]);
  });

  it("counts the duration by tier", () => {
    expect(reasonsOf({ durationSeconds: 120 })).toEqual([{ reason: "duration: 120 s", points: 10 }]);
    expect(reasonsOf({ durationSeconds: 119.6 })).toEqual([{ reason: "duration: 119 s", points: 5 }]);
    expect(reasonsOf({ durationSeconds: 60 })).toEqual([{ reason: "duration: 60 s", points: 5 }]);
    expect(reasonsOf({ durationSeconds: 59 })).toEqual([]);
  });

  it("counts a callback request", () => {
    expect(reasonsOf({ callbackRequested: true })).toEqual([{ reason: "callback requested", points: 10 }]);
  });

  it("clamps to 0..100", () => {
    expect(scoreLead({ ...nothing, sentiment: { label: "negative", urgency: "low" } }).score).toBe(0);
    const everything: LeadFacts = {
      bookingConfirmed: true,
      bookingIntent: true,
      serviceName: "Facelift",
      servicePriceCents: 800_000,
      sentiment: { label: "positive", urgency: "high" },
      durationSeconds: 600,
      callbackRequested: true,
    };
    expect(scoreLead(everything).score).toBe(100); // 30 + 25 + 10 + 15 + 10 + 10 = 100
    expect(scoreLead(everything, { ...DEFAULT_SCORING, booked: 90 }).score).toBe(100);
  });

  it("takes overridden settings, in any tier order", () => {
    const settings = {
      ...DEFAULT_SCORING,
      booked: 50,
      duration: [
        { min: 10, points: 1 },
        { min: 30, points: 3 },
      ],
    };
    expect(scoreLead({ ...nothing, bookingConfirmed: true, durationSeconds: 45 }, settings)).toEqual({
      score: 53,
      reasons: [
        { reason: "booked", points: 50 },
        { reason: "duration: 45 s", points: 3 },
      ],
    });
  });

  it("scores the seed's booked Botox call at 55 (warm)", () => {
    const result = scoreLead({
      bookingConfirmed: true,
      bookingIntent: true,
      serviceName: "Botox",
      servicePriceCents: 40_000,
      sentiment: { label: "positive", urgency: "low" },
      durationSeconds: 91,
      callbackRequested: false,
    });
    expect(result).toEqual({
      score: 55,
      reasons: [
        { reason: "booked", points: 30 },
        { reason: "service: Botox", points: 10 },
        { reason: "sentiment: positive", points: 10 },
        { reason: "duration: 91 s", points: 5 },
      ],
    });
    expect(temperatureOf(result.score)).toBe("warm");
  });

  it("scores a Facelift enquiry that asks for a callback at 75 (hot)", () => {
    const result = scoreLead({
      bookingConfirmed: false,
      bookingIntent: true,
      serviceName: "Facelift",
      servicePriceCents: 800_000,
      sentiment: { label: "positive", urgency: "medium" },
      durationSeconds: 150,
      callbackRequested: true,
    });
    expect(result.reasons.map((r) => [r.reason, r.points])).toEqual([
      ["booking intent", 15],
      ["service: Facelift", 25],
      ["sentiment: positive", 10],
      ["urgency: medium", 5],
      ["duration: 150 s", 10],
      ["callback requested", 10],
    ]);
    expect(result.score).toBe(75);
    expect(temperatureOf(result.score)).toBe("hot");
  });

  const facts: fc.Arbitrary<LeadFacts> = fc.record({
    bookingConfirmed: fc.boolean(),
    bookingIntent: fc.boolean(),
    serviceName: fc.option(fc.string(), { nil: null }),
    servicePriceCents: fc.integer({ min: 0, max: 5_000_000 }),
    sentiment: fc.option(
      fc.record({
        label: fc.constantFrom(...SENTIMENT_LABELS),
        urgency: fc.constantFrom("low" as const, "medium" as const, "high" as const),
      }),
      { nil: null },
    ),
    durationSeconds: fc.option(fc.double({ min: 0, max: 7200, noNaN: true }), { nil: null }),
    callbackRequested: fc.boolean(),
  });

  it("gives the same result for the same facts", () => {
    fc.assert(
      fc.property(facts, (f) => {
        expect(scoreLead(structuredClone(f))).toEqual(scoreLead(f));
      }),
    );
  });

  it("always scores an integer in 0..100 whose reasons add up before clamping", () => {
    fc.assert(
      fc.property(facts, (f) => {
        const { score, reasons } = scoreLead(f);
        expect(Number.isInteger(score) && score >= 0 && score <= 100).toBe(true);
        const sum = reasons.reduce((s, r) => s + r.points, 0);
        expect(score).toBe(Math.min(100, Math.max(0, sum)));
        expect(reasons.every((r) => r.points !== 0)).toBe(true);
      }),
    );
  });

  it("never lowers a score when the call is booked", () => {
    fc.assert(
      fc.property(facts, (f) => {
        expect(scoreLead({ ...f, bookingConfirmed: true }).score).toBeGreaterThanOrEqual(
          scoreLead({ ...f, bookingConfirmed: false }).score,
        );
      }),
    );
  });
});

describe("detectIntent", () => {
  it("finds booking intent from whole words", () => {
    for (const text of [
      "Can I book?",
      "I'd like an appointment",
      "What's your availability",
      "Are you available Friday?",
      "SCHEDULE me",
    ]) {
      expect(detectIntent(text)).toEqual({ bookingIntent: true, callbackRequested: false });
    }
    for (const text of ["my facebook page", "notebooks", "unavailable", "rescheduled"]) {
      expect(detectIntent(text).bookingIntent).toBe(false);
    }
  });

  it("finds a callback request", () => {
    for (const text of [
      "Please call me back",
      "a callback would be great",
      "can you call me later",
      "Give me a call tomorrow",
      "call-me-back",
    ]) {
      expect(detectIntent(text)).toEqual({ bookingIntent: false, callbackRequested: true });
    }
    expect(detectIntent("I'll call you back").callbackRequested).toBe(false);
    expect(detectIntent("Okay, I'll call back later").callbackRequested).toBe(false);
    expect(detectIntent("give me a calling card").callbackRequested).toBe(false);
  });

  it("reads only the caller's lines of a labelled transcript", () => {
    const transcript =
      "AI: How can I help you today? Would you like to book?\nUser: Not right now, I'm comparing clinics.";
    expect(detectIntent(transcript)).toEqual({ bookingIntent: false, callbackRequested: false });
    expect(detectIntent(`${transcript}\nUser: Actually, call me back\nabout an appointment.`)).toEqual({
      bookingIntent: true,
      callbackRequested: true,
    });
  });

  it("finds nothing in an empty transcript", () => {
    expect(detectIntent("")).toEqual({ bookingIntent: false, callbackRequested: false });
  });
});
