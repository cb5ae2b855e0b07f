/** Lead scoring: a deterministic 0–100 score with the named reasons that make it up. */
import type { ScoreReason, Sentiment, SentimentLabel, Urgency } from "../../domain/call.ts";
import { callerSpeech, PhraseTrie, tokenize } from "../transcript/words.ts";

/** What scoring knows about a call. */
export interface LeadFacts {
  bookingConfirmed: boolean;
  bookingIntent: boolean;
  serviceName: string | null;
  servicePriceCents: number;
  sentiment: Pick<Sentiment, "label" | "urgency"> | null;
  durationSeconds: number | null;
  callbackRequested: boolean;
}

/** Points for reaching a threshold; of several tiers, the highest threshold reached applies. */
export interface Tier {
  min: number;
  points: number;
}

/** The points of each rule. Keep `booked` ≥ `bookingIntent`, or a booking could lower a score. */
export interface ScoringSettings {
  booked: number;
  /** Only when the call was not booked (the booking supersedes the intent). */
  bookingIntent: number;
  /** Tiers on the priced service's `priceCents`. */
  serviceValue: readonly Tier[];
  sentiment: Readonly<Record<SentimentLabel, number>>;
  urgency: Readonly<Record<Urgency, number>>;
  /** Tiers on the call's duration in seconds. */
  duration: readonly Tier[];
  callbackRequested: number;
}

export const DEFAULT_SCORING: ScoringSettings = {
  booked: 30,
  bookingIntent: 15,
  serviceValue: [
    { min: 500_000, points: 25 },
    { min: 100_000, points: 15 },
    { min: 1, points: 10 },
  ],
  sentiment: { positive: 10, neutral: 0, negative: -10 },
  urgency: { high: 15, medium: 5, low: 0 },
  duration: [
    { min: 120, points: 10 },
    { min: 60, points: 5 },
  ],
  callbackRequested: 10,
};

const tierPoints = (tiers: readonly Tier[], value: number): number => {
  let reached: Tier | undefined;
  for (const tier of tiers) if (value >= tier.min && (reached === undefined || tier.min > reached.min)) reached = tier;
  return reached?.points ?? 0;
};

/**
 * Scores a lead from a call's facts: the sum of the reasons' points, rounded and clamped to 0–100.
 * Reasons come in a fixed order (booked, booking intent, service, sentiment, urgency, duration,
 * callback requested) and those worth 0 points are left out.
 *
 * With the default settings, a booked Botox call ($400), positive, low urgency, 91 s scores 55
 * (booked 30 + service 10 + sentiment 10 + duration 5): warm.
 *
 * @example
 * scoreLead({ bookingConfirmed: false, bookingIntent: true, serviceName: "Facelift", servicePriceCents: 800_000,
 *   sentiment: { label: "positive", urgency: "medium" }, durationSeconds: 150, callbackRequested: true });
 * // → score 75: booking intent 15, service: Facelift 25, sentiment 10, urgency 5, duration 10, callback 10
 */
export function scoreLead(
  facts: LeadFacts,
  settings: ScoringSettings = DEFAULT_SCORING,
): { score: number; reasons: ScoreReason[] } {
  const candidates: ScoreReason[] = [
    { reason: "booked", points: facts.bookingConfirmed ? settings.booked : 0 },
    { reason: "booking intent", points: !facts.bookingConfirmed && facts.bookingIntent ? settings.bookingIntent : 0 },
    {
      reason: `service: ${facts.serviceName ?? "unnamed"}`,
      points: tierPoints(settings.serviceValue, facts.servicePriceCents),
    },
    {
      reason: `sentiment: ${facts.sentiment?.label ?? "none"}`,
      points: facts.sentiment ? settings.sentiment[facts.sentiment.label] : 0,
    },
    {
      reason: `urgency: ${facts.sentiment?.urgency ?? "none"}`,
      points: facts.sentiment ? settings.urgency[facts.sentiment.urgency] : 0,
    },
    {
      reason: `duration: ${Math.floor(facts.durationSeconds ?? 0)} s`,
      points: facts.durationSeconds === null ? 0 : tierPoints(settings.duration, facts.durationSeconds),
    },
    { reason: "callback requested", points: facts.callbackRequested ? settings.callbackRequested : 0 },
  ];
  const reasons = candidates.filter((r) => r.points !== 0 && Number.isFinite(r.points));
  const total = reasons.reduce((sum, r) => sum + r.points, 0);
  return { score: Math.min(100, Math.max(0, Math.round(total))), reasons };
}

type Intent = "booking" | "callback";

const INTENT_PHRASES = new PhraseTrie<Intent>();
for (const p of ["book", "booking", "appointment", "schedule", "available", "availability"])
  INTENT_PHRASES.add(p, "booking");
// "I'll call back" is the caller promising to ring again, not asking us to: only phrases that ask.
for (const p of ["call me back", "callback", "give me a call", "call me"]) INTENT_PHRASES.add(p, "callback");

/**
 * What the caller asked for, from whole-word phrases in the caller's lines (see `callerSpeech`):
 * booking intent (book, booking, appointment, schedule, available, availability) and a callback
 * request (call me back, call me, callback, give me a call).
 */
export function detectIntent(transcript: string): { bookingIntent: boolean; callbackRequested: boolean } {
  const found = new Set(INTENT_PHRASES.scan(tokenize(callerSpeech(transcript))).map((hit) => hit.value));
  return { bookingIntent: found.has("booking"), callbackRequested: found.has("callback") };
}
