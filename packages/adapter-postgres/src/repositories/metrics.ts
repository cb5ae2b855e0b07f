/**
 * The dashboard pulse in ONE statement, without loading a call: the whole UTC hours of the range
 * are summed from `call_stats` (kept by a trigger on `calls`, see migration 0002), and only the
 * calls of the partial hours at its two ends are aggregated from `calls`; hot leads (distinct
 * contacts, which do not add up across hours) come from the hot calls' own index. So the pulse
 * costs about the same over a million calls as over a thousand. Only the final arithmetic (rate,
 * mean) happens here, with the same rounding rules as the memory adapter. The statement is
 * written once; row-level security applies to it like to any other.
 */
import type { MetricsRepository } from "@voxanne/core";
import { successRateOf } from "@voxanne/core";
import type { OrgScope } from "../scope.ts";
import { driverQuery } from "../scope.ts";

interface PulseRow {
  totalCalls: number;
  inboundCalls: number;
  bookedInbound: number;
  bookings: number;
  pipelineValueCents: number;
  durationSum: number;
  durationCount: number;
  hotLeads: number;
}

/**
 * $1 org id, $2 `from` and $3 `to` (±infinity for an open end); `from` ≤ created_at < `to`.
 * [wholeFrom, wholeTo) are the range's whole hours (none when wholeFrom ≥ wholeTo); the calls of
 * [from, headEnd) and [tailStart, to) are what they leave, two disjoint index ranges.
 */
const PULSE = `with range as (
    select $2::timestamptz as "from", $3::timestamptz as "to",
      date_trunc('hour', $2::timestamptz, 'UTC')
        + case when date_trunc('hour', $2::timestamptz, 'UTC') < $2::timestamptz then interval '1 hour' else interval '0' end
        as "wholeFrom",
      date_trunc('hour', $3::timestamptz, 'UTC') as "wholeTo"
  ), ends as (
    select *, least("wholeFrom", "to") as "headEnd", greatest("wholeTo", least("wholeFrom", "to")) as "tailStart" from range
  ), parts as (
    select total_calls, inbound_calls, booked_inbound, bookings, pipeline_value_cents, duration_sum, duration_count
    from call_stats, ends where org_id = $1 and hour >= "wholeFrom" and hour < "wholeTo"
    union all
    select count(*), count(*) filter (where direction = 'inbound'),
      count(*) filter (where direction = 'inbound' and booking_confirmed), count(*) filter (where booking_confirmed),
      coalesce(sum(financial_value_cents), 0), coalesce(sum(duration_seconds) filter (where status = 'completed'), 0),
      count(duration_seconds) filter (where status = 'completed')
    from calls, ends where org_id = $1 and deleted_at is null
      and ((created_at >= "from" and created_at < "headEnd") or (created_at >= "tailStart" and created_at < "to"))
  )
  select coalesce(sum(total_calls), 0)::int as "totalCalls", coalesce(sum(inbound_calls), 0)::int as "inboundCalls",
    coalesce(sum(booked_inbound), 0)::int as "bookedInbound", coalesce(sum(bookings), 0)::int as "bookings",
    coalesce(sum(pipeline_value_cents), 0)::float8 as "pipelineValueCents",
    coalesce(sum(duration_sum), 0)::float8 as "durationSum", coalesce(sum(duration_count), 0)::int as "durationCount",
    (select count(distinct contact_id) from calls, range
      where org_id = $1 and deleted_at is null and lead_score >= 70 and created_at >= "from" and created_at < "to")::int
      as "hotLeads"
  from parts`;

export function metricsRepository(scope: OrgScope): MetricsRepository {
  const { tx, orgId } = scope;

  return {
    async pulse(range) {
      scope.requireOrg();
      // Times as ISO text, as drizzle sends them (it turns the driver's own date handling off).
      const params = [orgId, range.from?.toISOString() ?? "-infinity", range.to?.toISOString() ?? "infinity"];
      const [n] = await driverQuery<PulseRow>(tx, PULSE, params);
      if (!n) throw new Error("an aggregate without a row");
      return {
        totalCalls: n.totalCalls,
        inboundCalls: n.inboundCalls,
        bookings: n.bookings,
        successRate: successRateOf(n.bookedInbound, n.inboundCalls),
        pipelineValueCents: n.pipelineValueCents,
        avgDurationSeconds: n.durationCount === 0 ? 0 : Math.round(n.durationSum / n.durationCount),
        hotLeads: n.hotLeads,
      };
    },
  };
}
