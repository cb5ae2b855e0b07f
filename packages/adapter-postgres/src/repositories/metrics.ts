/**
 * The dashboard pulse as ONE aggregate query over the org's live calls in the range: the database
 * counts and sums, no call row is loaded. Only the final arithmetic (rate, mean) happens here, with
 * the same rounding rules as the memory adapter.
 */
import type { MetricsRepository } from "@voxanne/core";
import { successRateOf } from "@voxanne/core";
import { and, count, eq, gte, isNull, lt, sql } from "drizzle-orm";
import { calls } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

/** A count or sum as a JS number (Postgres returns bigint and numeric as strings). */
const aggregate = (expression: ReturnType<typeof sql>) => expression.mapWith(Number);

export function metricsRepository(scope: OrgScope): MetricsRepository {
  const { tx, orgId } = scope;

  return {
    async pulse(range) {
      scope.requireOrg();
      const completed = sql`${calls.status} = 'completed'`;
      const inbound = sql`${calls.direction} = 'inbound'`;
      const [row] = await tx
        .select({
          totalCalls: count(),
          inboundCalls: aggregate(sql`count(*) filter (where ${inbound})`),
          bookedInbound: aggregate(sql`count(*) filter (where ${inbound} and ${calls.bookingConfirmed})`),
          bookings: aggregate(sql`count(*) filter (where ${calls.bookingConfirmed})`),
          pipelineValueCents: aggregate(sql`coalesce(sum(${calls.financialValueCents}), 0)`),
          durationSum: aggregate(sql`coalesce(sum(${calls.durationSeconds}) filter (where ${completed}), 0)`),
          durationCount: aggregate(sql`count(${calls.durationSeconds}) filter (where ${completed})`),
          hotLeads: aggregate(sql`count(distinct ${calls.contactId}) filter (where ${calls.leadScore} >= 70)`),
        })
        .from(calls)
        .where(
          and(
            eq(calls.orgId, orgId),
            isNull(calls.deletedAt),
            range.from === undefined ? undefined : gte(calls.createdAt, range.from),
            range.to === undefined ? undefined : lt(calls.createdAt, range.to),
          ),
        );
      const n = row ?? {
        totalCalls: 0,
        inboundCalls: 0,
        bookedInbound: 0,
        bookings: 0,
        pipelineValueCents: 0,
        durationSum: 0,
        durationCount: 0,
        hotLeads: 0,
      };
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
