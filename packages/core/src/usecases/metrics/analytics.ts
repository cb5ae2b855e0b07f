/** The dashboard's analytics over time: time series, lead funnel and value per service. */
import * as v from "valibot";
import type { Funnel, ServiceBreakdown, Timeseries } from "../../domain/analytics.ts";
import { ANALYTICS_INTERVALS } from "../../domain/analytics.ts";
import type { TimeRange } from "../../domain/metrics.ts";
import type { OrgTx } from "../../ports/storage.ts";
import type { Deps } from "../context.ts";
import { READ_ONLY } from "../shared/readOnly.ts";
import { TimeRangeInput } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";

export const TimeseriesInput = v.intersect([
  TimeRangeInput,
  v.object({ interval: v.optional(v.picklist(ANALYTICS_INTERVALS, "must be day, week or month"), "day") }),
]);

/**
 * Calls, bookings, success rate and pipeline value per day, ISO week or month of the org's own
 * time zone (from the organization record), computed by the store. Only buckets with calls.
 *
 * @example
 * await callTimeseries(deps, orgId, { interval: "week", from: new Date("2026-11-01T00:00:00Z") });
 * // { interval: "week", timeZone: "Europe/London", points: [{ start: "2026-11-02", totalCalls: 3, ... }] }
 */
export function callTimeseries(
  deps: Deps,
  orgId: string,
  input: v.InferInput<typeof TimeseriesInput> = {},
): Promise<Timeseries> {
  const { interval, from, to } = validate(TimeseriesInput, input);
  return deps.storage.transaction(
    orgId,
    async (tx) => {
      const { timezone } = await tx.organization.get();
      const points = await tx.analytics.timeseries({ interval, timeZone: timezone, range: { from, to } });
      return { interval, timeZone: timezone, points };
    },
    READ_ONLY,
  );
}

/** A read of the org's records over a validated time range, in one transaction. */
const overRange =
  <T>(read: (tx: OrgTx, range: TimeRange) => Promise<T>) =>
  (deps: Deps, orgId: string, range: v.InferInput<typeof TimeRangeInput> = {}): Promise<T> => {
    const valid = validate(TimeRangeInput, range);
    return deps.storage.transaction(orgId, (tx) => read(tx, valid), READ_ONLY);
  };

/** Contacts created in the range that reached new → contacted → booked → converted. */
export const leadFunnel = overRange<Funnel>(async (tx, range) => ({ stages: await tx.analytics.funnel(range) }));

/** Calls, bookings and value per service of the price list over the range (see `ServiceAnalytics`). */
export const serviceBreakdown = overRange<ServiceBreakdown>(async (tx, range) => ({
  items: await tx.analytics.services(range),
}));
