/**
 * Analytics over time: call volume per calendar bucket in the org's time zone, the lead funnel,
 * and value per service. The numbers follow the pulse's definitions (domain/metrics.ts).
 */
import { advanceLeadStatus, LEAD_STATUSES, type LeadStatus } from "./contact.ts";
import type { Pulse } from "./metrics.ts";

export const ANALYTICS_INTERVALS = ["day", "week", "month"] as const;
/** Calendar days, ISO weeks (Monday start) or months, in the org's time zone. */
export type AnalyticsInterval = (typeof ANALYTICS_INTERVALS)[number];

/** The pulse's volume numbers over a set of calls (same definitions, same rounding). */
export type CallVolume = Pick<Pulse, "totalCalls" | "inboundCalls" | "bookings" | "successRate" | "pipelineValueCents">;

/** One bucket of the time series: `start` is its local start date, `YYYY-MM-DD`. */
export interface TimeseriesPoint extends CallVolume {
  start: string;
}

export interface Timeseries {
  interval: AnalyticsInterval;
  /** The org's IANA time zone, in which the buckets are cut. */
  timeZone: string;
  /** Ascending by `start`; only buckets that have calls. */
  points: TimeseriesPoint[];
}

/** The funnel's stages, in the forward order of lead statuses. */
export const FUNNEL_STAGES = ["new", "contacted", "booked", "converted"] as const satisfies readonly LeadStatus[];
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface FunnelStageCount {
  stage: FunnelStage;
  /** Contacts whose status has reached at least this stage. */
  count: number;
}

export interface Funnel {
  /** Always the four stages of {@link FUNNEL_STAGES}, in that order. */
  stages: FunnelStageCount[];
}

/**
 * The statuses that have reached at least `stage` by the forward-only status rule: a status has
 * reached a stage when moving it to that stage would not move it (`qualified` and `lost` have
 * passed `contacted`; only `booked` and `converted` have reached `booked`).
 */
export const statusesReaching = (stage: FunnelStage): LeadStatus[] =>
  LEAD_STATUSES.filter((status) => advanceLeadStatus(status, stage) === status);

/**
 * One row of the per-service breakdown. A call counts for the one service that priced it
 * (`Call.pricedServiceId`, the dearest service its transcript matched), with its whole value;
 * calls priced by no service of the list (fallback table, no match, a deleted service) make one
 * row with `serviceId: null` named {@link UNATTRIBUTED_SERVICE_NAME}.
 */
export interface ServiceAnalytics {
  serviceId: string | null;
  name: string;
  /** Calls among `calls` with a confirmed booking. */
  bookings: number;
  calls: number;
  pipelineValueCents: number;
}

export interface ServiceBreakdown {
  /** Every service of the price list, plus the unattributed row when it has calls; see `services` in the Storage port for the order. */
  items: ServiceAnalytics[];
}

export const UNATTRIBUTED_SERVICE_NAME = "Other";

/**
 * The breakdown's order, the same in every adapter: value, bookings, calls (descending), then
 * name and id compared as strings (as `services.list` orders names), the null row last among equals.
 */
export function byServiceRank(a: ServiceAnalytics, b: ServiceAnalytics): number {
  const numbers = b.pipelineValueCents - a.pipelineValueCents || b.bookings - a.bookings || b.calls - a.calls;
  if (numbers !== 0) return numbers;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.serviceId === b.serviceId) return 0;
  if (a.serviceId === null || b.serviceId === null) return a.serviceId === null ? 1 : -1;
  return a.serviceId < b.serviceId ? -1 : 1;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date of `instant` in `timeZone`, as [year, month 1–12, day]. */
function localDate(instant: Date, timeZone: string): [number, number, number] {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [part("year"), part("month"), part("day")];
}

const isoDate = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);

/**
 * The local start date (`YYYY-MM-DD`) of the bucket that holds `instant`: its day, the Monday of
 * its ISO week, or the first of its month, in `timeZone`. What Postgres computes with
 * `date_trunc(interval, created_at AT TIME ZONE tz)`.
 *
 * @example
 * bucketStartOf(new Date("2026-11-01T23:30:00Z"), "week", "Asia/Tokyo"); // "2026-11-02" (a Monday)
 */
export function bucketStartOf(instant: Date, interval: AnalyticsInterval, timeZone: string): string {
  const [year, month, day] = localDate(instant, timeZone);
  if (interval === "month") return isoDate(Date.UTC(year, month - 1, 1));
  if (interval === "day") return isoDate(Date.UTC(year, month - 1, day));
  const daysSinceMonday = (new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 6) % 7;
  return isoDate(Date.UTC(year, month - 1, day - daysSinceMonday));
}
