/**
 * The calls of a load run and the generator's own record of them: who called, what about, how
 * long, whether it was booked and whether it is a hot lead. Each call is built from one of four
 * profiles whose lead scores sit far from the hot threshold (70), so the record knows which calls
 * are hot without running the scoring code under test: with the default scoring, a hot call is
 * booked (30) + a service of ≥ $5,000 (25) + positive (10) + high urgency (15) + ≥ 120 s (10) = 90,
 * and every other profile stays at or below 50 (see each). Sentiment and urgency come in the
 * report's `analysis.structuredData`, as an assistant's structured-data schema would send them.
 */
import type { ServiceDraft } from "@voxanne/core";
import { DEFAULT_PRICE_LIST } from "@voxanne/core";
import type { Random } from "./random.ts";

export interface PlannedCall {
  vendorCallId: string;
  phone: string;
  customerName: string;
  /** The priced service the caller names, or null. */
  service: ServiceDraft | null;
  /** The keyword the caller used for it. */
  keyword: string | null;
  booked: boolean;
  hot: boolean;
  sentiment: { label: "positive" | "neutral" | "negative"; urgency: "low" | "medium" | "high" };
  startedAt: Date;
  endedAt: Date;
  durationSeconds: number;
}

const PREMIUM = DEFAULT_PRICE_LIST.filter((s) => s.priceCents >= 500_000);
const MODEST = DEFAULT_PRICE_LIST.filter((s) => s.priceCents < 100_000);
const FIRST_NAMES = ["Maria", "James", "Aisha", "Chen", "Olivia", "Mateo", "Priya", "Noah", "Fatima", "Liam"];
const LAST_NAMES = ["Lopez", "Smith", "Khan", "Wei", "Brown", "Garcia", "Patel", "Müller", "O'Brien", "Nguyen"];

/** A valid US mobile-style number per index (exchanges 200+ in area 415, as libphonenumber accepts). */
export const phoneOf = (i: number) => `+1415${200 + Math.floor(i / 10_000)}${String(i % 10_000).padStart(4, "0")}`;

/** The caller says the service's first keyword (each keyword names one service only). */
const keywordOf = (service: ServiceDraft) => service.keywords[0] ?? service.name.toLowerCase();

type Profile = Omit<PlannedCall, "vendorCallId" | "phone" | "customerName" | "startedAt" | "endedAt" | "keyword">;

/** 10% hot: score 90 (above). */
const hot = (r: Random): Profile => ({
  service: r.pick(PREMIUM),
  booked: true,
  hot: true,
  sentiment: { label: "positive", urgency: "high" },
  durationSeconds: r.int(130, 420),
});
/** 25% booked a modest service: booked 30 + service 10 + neutral 0 + low 0 + duration ≤ 10 = ≤ 50. */
const bookedModest = (r: Random): Profile => ({
  service: r.chance(0.8) ? r.pick(MODEST) : null,
  booked: true,
  hot: false,
  sentiment: { label: "neutral", urgency: "low" },
  durationSeconds: r.int(40, 300),
});
/** 20% asked about a premium service, no booking words: service 25 + sentiment ≤ 10 + medium 5 + duration ≤ 5 = ≤ 45. */
const premiumEnquiry = (r: Random): Profile => ({
  service: r.pick(PREMIUM),
  booked: false,
  hot: false,
  sentiment: { label: r.pick(["positive", "neutral"] as const), urgency: "medium" },
  durationSeconds: r.int(20, 110),
});
/** 45% general questions: service ≤ 10 + sentiment ≤ 0 + low 0 + duration ≤ 10 = ≤ 20. */
const enquiry = (r: Random): Profile => ({
  service: r.chance(0.3) ? r.pick(MODEST) : null,
  booked: false,
  hot: false,
  sentiment: { label: r.pick(["neutral", "negative"] as const), urgency: "low" },
  durationSeconds: r.int(15, 400),
});

function profileOf(r: Random): Profile {
  const x = r.next();
  if (x < 0.1) return hot(r);
  if (x < 0.35) return bookedModest(r);
  if (x < 0.55) return premiumEnquiry(r);
  return enquiry(r);
}

export interface PlanOptions {
  calls: number;
  random: Random;
  /** Vendor call ids start with it (one run's calls never collide with another's). */
  prefix: string;
  /** The first call starts then; the next ones a minute apart. */
  from: Date;
  /** How many distinct callers (default 70% of the calls: some call more than once). */
  callers?: number;
}

export function planCalls(options: PlanOptions): PlannedCall[] {
  const { random: r, calls } = options;
  const callers = options.callers ?? Math.max(1, Math.ceil(calls * 0.7));
  return Array.from({ length: calls }, (_, i) => {
    const caller = r.int(0, callers - 1);
    const profile = profileOf(r);
    const startedAt = new Date(options.from.getTime() + i * 60_000);
    return {
      ...profile,
      vendorCallId: `${options.prefix}-${String(i).padStart(6, "0")}`,
      phone: phoneOf(caller),
      customerName: `${FIRST_NAMES[caller % FIRST_NAMES.length]} ${LAST_NAMES[Math.floor(caller / 10) % LAST_NAMES.length]}`,
      keyword: profile.service ? keywordOf(profile.service) : null,
      startedAt,
      endedAt: new Date(startedAt.getTime() + profile.durationSeconds * 1000),
    };
  });
}
