/**
 * Waiting for the server's background work to finish: every logged event projected and no
 * outbox item pending, seen twice in a row (one look can fall between an append and its
 * projection). On time-out it says what is stuck and why, from the rows' last errors.
 */
import type { SqlReader } from "../support/database.ts";
import { literal } from "../support/database.ts";

export interface Backlog {
  unprojected: number;
  pendingOutbox: number;
}

export async function backlogOf(sql: SqlReader, orgId: string): Promise<Backlog> {
  const org = literal(orgId);
  const [row] = await sql.rows<{ unprojected: string; pending: string }>(
    `select (select count(*) from event_log where org_id = ${org} and projected_at is null) as unprojected,
            (select count(*) from outbox where org_id = ${org} and status = 'pending') as pending`,
  );
  return { unprojected: Number(row?.unprojected ?? 0), pendingOutbox: Number(row?.pending ?? 0) };
}

export async function waitForQuiet(sql: SqlReader, orgId: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietLooks = 0;
  for (;;) {
    const backlog = await backlogOf(sql, orgId).catch(() => null);
    quietLooks = backlog && backlog.unprojected === 0 && backlog.pendingOutbox === 0 ? quietLooks + 1 : 0;
    if (quietLooks >= 2) return;
    if (Date.now() > deadline) {
      const org = literal(orgId);
      const errors = await sql.rows<{ what: string; last_error: string | null; n: string }>(
        `select 'event' as what, last_error, count(*) as n from event_log
           where org_id = ${org} and projected_at is null group by last_error
         union all
         select 'outbox ' || kind, last_error, count(*) from outbox
           where org_id = ${org} and status = 'pending' group by kind, last_error`,
      );
      throw new Error(
        `background work did not finish in ${timeoutMs} ms: ${JSON.stringify(backlog)}; stuck: ${JSON.stringify(errors)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
