/**
 * The pulse's definitions as SQL, shared by the pulse and the analytics: which calls count (the
 * org's live calls created in the range), and what counts as inbound, booked and pipeline value.
 * One aggregate per column, so a query can group them by anything (a bucket, a service).
 */
import type { CallVolume, TimeRange } from "@voxanne/core";
import { successRateOf } from "@voxanne/core";
import { and, eq, gte, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { calls } from "../schema.ts";

/** A count or sum as a JS number (Postgres returns bigint and numeric as strings). */
export const aggregate = (expression: SQL) => expression.mapWith(Number);

/** `column` in [from, to); no condition for an open end. */
export const within = (column: AnyPgColumn, range: TimeRange): SQL | undefined =>
  and(
    range.from === undefined ? undefined : gte(column, range.from),
    range.to === undefined ? undefined : lt(column, range.to),
  );

/** The org's calls that metrics count: not soft-deleted, created in [from, to). */
export const liveCallsIn = (orgId: string, range: TimeRange): SQL =>
  and(eq(calls.orgId, orgId), isNull(calls.deletedAt), within(calls.createdAt, range)) as SQL;

const inbound = sql`${calls.direction} = 'inbound'`;

/**
 * The volume aggregates. `count(calls.id)`, not `count(*)`, so that they also hold over an outer
 * join where a group has no call (all zeros).
 */
export const volumeColumns = () => ({
  totalCalls: aggregate(sql`count(${calls.id})`),
  inboundCalls: aggregate(sql`count(*) filter (where ${inbound})`),
  bookedInbound: aggregate(sql`count(*) filter (where ${inbound} and ${calls.bookingConfirmed})`),
  bookings: aggregate(sql`count(*) filter (where ${calls.bookingConfirmed})`),
  pipelineValueCents: aggregate(sql`coalesce(sum(${calls.financialValueCents}), 0)`),
});

export type VolumeRow = { [K in keyof ReturnType<typeof volumeColumns>]: number };

/** A row of {@link volumeColumns} as the core's `CallVolume` (the success rate rounded by core's rule). */
export const volumeOf = (row: VolumeRow): CallVolume => ({
  totalCalls: row.totalCalls,
  inboundCalls: row.inboundCalls,
  bookings: row.bookings,
  successRate: successRateOf(row.bookedInbound, row.inboundCalls),
  pipelineValueCents: row.pipelineValueCents,
});
