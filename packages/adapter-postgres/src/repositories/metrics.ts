/**
 * The dashboard pulse as ONE aggregate query over the org's live calls in the range: the database
 * counts and sums, no call row is loaded. Only the final arithmetic (rate, mean) happens here, with
 * the same rounding rules as the memory adapter. The statement is written once per range shape
 * (drizzle's builder would cost ~45 µs per call, a tenth of the query on a month of calls); row-level
 * security applies to it like to any other.
 */
import type { MetricsRepository, TimeRange } from "@voxanne/core";
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

/** $1 org id, then `from` and `to` where given; `from` ≤ created_at < `to` (the live-calls index). */
function pulseSql(range: TimeRange): string {
  let n = 1;
  const bounds = [
    range.from === undefined ? "" : ` and created_at >= $${++n}`,
    range.to === undefined ? "" : ` and created_at < $${++n}`,
  ].join("");
  return `select count(*)::int as "totalCalls",
    count(*) filter (where direction = 'inbound')::int as "inboundCalls",
    count(*) filter (where direction = 'inbound' and booking_confirmed)::int as "bookedInbound",
    count(*) filter (where booking_confirmed)::int as "bookings",
    coalesce(sum(financial_value_cents), 0)::float8 as "pipelineValueCents",
    coalesce(sum(duration_seconds) filter (where status = 'completed'), 0)::float8 as "durationSum",
    count(duration_seconds) filter (where status = 'completed')::int as "durationCount",
    count(distinct contact_id) filter (where lead_score >= 70)::int as "hotLeads"
  from calls where org_id = $1 and deleted_at is null${bounds}`;
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
