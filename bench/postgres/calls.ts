/** Whole calls as the core receives them (native `voxanne` events), for the write and replay benches. */
import { type CallScript, callEvents, type LoggedEvent } from "@voxanne/core/testing";

/** About 1.9 KB of a clinic call that asks about two services, as in `ingest.bench.ts`. */
export const TRANSCRIPT =
  "AI: Thank you for calling Bright Aesthetics. User: Hi, I'd like to ask about Botox and maybe lip filler. " +
  "AI: Botox starts at $400 and fillers at $500. Would you like to book a consultation? User: Yes please, Tuesday works. ".repeat(
    8,
  );

/** A caller keen on the most expensive treatment, who books: with the vendor's sentiment, a hot lead. */
export const HOT_TRANSCRIPT =
  "AI: Thank you for calling Bright Aesthetics. User: Hi, I'm ready to go ahead with a facelift as soon as possible. " +
  "AI: Of course, our surgeon has an opening on Tuesday. Shall I book it? User: Yes please, book it. ".repeat(8);

/** What the vendor's analysis says about a hot call. */
export const HOT_SENTIMENT = { score: 0.8, label: "positive", urgency: "high" } as const;

/** 5,000 returning callers. */
export const customerNumber = (i: number) => `+1555${String(1_000_000 + (i % 5_000)).padStart(7, "0")}`;

/**
 * Call `i` of a run: one minute apart, 1–5 minutes long, every fifth booked, and every tenth a
 * hot lead (a booked facelift with the vendor's positive, urgent sentiment), which sends an alert.
 */
export function callScript(prefix: string, i: number, start: Date): CallScript {
  const hot = i % 10 === 0;
  return {
    vendorCallId: `${prefix}-${i}`,
    customerNumber: customerNumber(i),
    startedAt: new Date(start.getTime() + i * 60_000),
    durationSeconds: 60 + (i % 240),
    transcript: hot ? HOT_TRANSCRIPT : TRANSCRIPT,
    booked: i % 5 === 0,
    ...(hot && { vendorSentiment: HOT_SENTIMENT }),
  };
}

export const eventsOf = (prefix: string, i: number, start: Date): LoggedEvent[] =>
  callEvents(callScript(prefix, i, start));
