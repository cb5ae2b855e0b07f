/**
 * The dashboard pulse in ONE statement, without loading a call: the whole UTC days of the range
 * are summed from `call_stats` (kept by a trigger on `calls`, see migration 0002), and only the
 * calls of the partial days at its two ends are aggregated from `calls`; hot leads (distinct
 * contacts, which do not add up across days) come from the hot calls' own index. So the pulse
 * costs about the same over a million calls as over a thousand. Only the final arithmetic (rate,
 * mean) happens here, with the same rounding rules as the memory adapter. The statement is
 * written once per range shape; row-level security applies to it like to any other.
 */
import type { MetricsRepository, TimeRange } from "@voxanne/core";
import { successRateOf } from "@voxanne/core";
import type { OrgScope } from "../scope.ts";
import { driverQuery, setLocal } from "../scope.ts";

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
 * $1 org id, then `from` and `to` where given; `from` ≤ created_at < `to`. [wholeFrom, wholeTo)
 * are the range's whole days (none when wholeFrom ≥ wholeTo); the calls of [from, headEnd) and
 * [tailStart, to) are what they leave, two disjoint index ranges. An open end is ±infinity there,
 * and no condition at all for hot leads, so that an all-time pulse reads the hot-calls index alone
 * (a bound the planner cannot see would make it guess a narrow range and read the calls instead).
 */
function pulseSql(range: TimeRange): string {
  let n = 1;
  const from = range.from === undefined ? undefined : `$${++n}::timestamptz`;
  const to = range.to === undefined ? undefined : `$${++n}::timestamptz`;
  const hotBounds = [from && ` and created_at >= ${from}`, to && ` and created_at < ${to}`].join("");
  return `with range as (
    select ${from ?? "'-infinity'::timestamptz"} as "from", ${to ?? "'infinity'::timestamptz"} as "to"
  ), days as (
    select *, date_trunc('day', "from", 'UTC')
        + case when date_trunc('day', "from", 'UTC') < "from" then interval '1 day' else interval '0' end as "wholeFrom",
      date_trunc('day', "to", 'UTC') as "wholeTo"
    from range
  ), ends as (
    select *, least("wholeFrom", "to") as "headEnd", greatest("wholeTo", least("wholeFrom", "to")) as "tailStart" from days
  ), parts as (
    select total_calls, inbound_calls, booked_inbound, bookings, pipeline_value_cents, duration_sum, duration_count
    from call_stats, ends where org_id = $1 and day >= "wholeFrom" and day < "wholeTo"
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
    (select count(*) from (select contact_id from calls
      where org_id = $1 and deleted_at is null and lead_score >= 70 and contact_id is not null${hotBounds}
      group by contact_id) hot)::int as "hotLeads"
  from parts`;
}

/** The statement for a range's shape (bounds given or not), written once. */
const statements = new Map<string, string>();
function statementFor(range: TimeRange): string {
  const shape = `${range.from !== undefined}:${range.to !== undefined}`;
  const text = statements.get(shape) ?? pulseSql(range);
  statements.set(shape, text);
  return text;
}

export function metricsRepository(scope: OrgScope): MetricsRepository {
  const { tx, orgId } = scope;

  return {
    async pulse(range) {
      scope.requireOrg();
      // Times as ISO text, as drizzle sends them (it turns the driver's own date handling off).
      const params = [orgId, range.from?.toISOString(), range.to?.toISOString()].filter((p) => p !== undefined);
      // For this transaction only: the hot-calls index is read from memory, not sought on a disk as
      // PostgreSQL's default page cost (4) assumes; priced so, the planner reads it alone, in contact
      // order (no sort), not every call row of the org (3.6 against 7 ms over 22,000 hot calls).
      setLocal(tx, "random_page_cost", "1.1");
      const [n] = await driverQuery<PulseRow>(tx, statementFor(range), params);
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
