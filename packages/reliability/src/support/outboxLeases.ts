/**
 * The outbox's claims (adapter-postgres: a claim holds an item for OUTBOX_LEASE_MS, 5 min, so a
 * crashed worker's items go back to the others only then). A worker that dies, or whose database
 * goes away mid-batch, leaves its claims for that long. Tests do not wait 5 minutes: they move
 * the claims taken before the fault to now, as the passing of time would, and count them.
 */
import { literal } from "./database.ts";
import type { Stack } from "./stack.ts";

/** adapter-postgres's OUTBOX_LEASE_MS. */
export const OUTBOX_LEASE_MS = 5 * 60_000;

/** Ends the claims taken before `faultAt` (ms since the epoch) that are still running; returns how many. */
export async function expireClaimsTakenBefore(stack: Stack, faultAt: number): Promise<number> {
  const rows = await stack.database.sql.rows<{ id: string }>(
    `update outbox set locked_until = now() - interval '1 second'
      where org_id = ${literal(stack.clinic.orgId)} and status = 'pending' and locked_until > now()
        and locked_until < ${literal(new Date(faultAt + OUTBOX_LEASE_MS).toISOString())}::timestamptz
      returning id`,
  );
  return rows.length;
}
