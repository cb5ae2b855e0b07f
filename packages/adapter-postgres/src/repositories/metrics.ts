/**
 * The dashboard pulse as ONE aggregate query over the org's live calls in the range: the database
 * counts and sums, no call row is loaded. Only the final arithmetic (rate, mean) happens here, with
 * the same rounding rules as the memory adapter.
 */
import type { MetricsRepository } from "@voxanne/core";
import { sql } from "drizzle-orm";
import { calls } from "../schema.ts";
import type { OrgScope } from "../scope.ts";
import { aggregate, liveCallsIn, volumeColumns, volumeOf } from "./callVolume.ts";

export function metricsRepository(scope: OrgScope): MetricsRepository {
  const { tx, orgId } = scope;

  return {
    async pulse(range) {
      scope.requireOrg();
      const completed = sql`${calls.status} = 'completed'`;
      const [row] = await tx
        .select({
          ...volumeColumns(),
          durationSum: aggregate(sql`coalesce(sum(${calls.durationSeconds}) filter (where ${completed}), 0)`),
          durationCount: aggregate(sql`count(${calls.durationSeconds}) filter (where ${completed})`),
          hotLeads: aggregate(sql`count(distinct ${calls.contactId}) filter (where ${calls.leadScore} >= 70)`),
        })
        .from(calls)
        .where(liveCallsIn(orgId, range));
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
        ...volumeOf(n),
        avgDurationSeconds: n.durationCount === 0 ? 0 : Math.round(n.durationSum / n.durationCount),
        hotLeads: n.hotLeads,
      };
    },
  };
}
