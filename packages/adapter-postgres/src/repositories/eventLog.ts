/**
 * The event log's append: one INSERT … ON CONFLICT DO NOTHING on (org, provider, event key), so a
 * vendor's duplicate stores nothing and gets the stored entry. The same statements serve inside an
 * org's transaction and on their own (the worker's append, which takes no org lock).
 */
import type { EventLogAppend, EventLogEntry, TxEventLog } from "@voxanne/core";
import { Conflict, ValidationFailed } from "@voxanne/core";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { eventLogEntryOf, eventLogFields } from "../rows.ts";
import { eventLog } from "../schema.ts";
import type { OrgScope, Tx } from "../scope.ts";

export function txEventLog(scope: OrgScope): TxEventLog {
  return {
    async append(append) {
      scope.requireOrg();
      scope.own(append.orgId);
      return appendEvent(scope.tx, append);
    },
  };
}

/** What an insert reads back: all but the payload, which is the one just given (a webhook's is KBs). */
const { payload: _payload, ...appendedFields } = eventLogFields;

/** The payload as jsonb text, serialised once (the jsonb column's own mapping would serialise it again). */
function payloadJson(payload: unknown): SQL {
  let text: string | undefined;
  try {
    text = JSON.stringify(payload ?? null);
  } catch (cause) {
    throw new ValidationFailed([{ path: "payload", message: `must be JSON (${(cause as Error).message})` }]);
  }
  return sql`${text ?? "null"}::jsonb`;
}

/**
 * Inserts once per key. When the key is taken, Postgres has waited for the inserting transaction
 * to finish before saying so, so the stored entry can be read back at once.
 */
export async function appendEvent(
  tx: Tx | Db,
  append: EventLogAppend,
): Promise<{ inserted: boolean; entry: EventLogEntry }> {
  const [row] = await tx
    .insert(eventLog)
    .values({
      orgId: append.orgId,
      provider: append.provider,
      eventKey: append.eventKey,
      payload: payloadJson(append.payload),
      receivedAt: append.receivedAt,
    })
    .onConflictDoNothing({ target: [eventLog.orgId, eventLog.provider, eventLog.eventKey] })
    .returning(appendedFields);
  if (row) return { inserted: true, entry: { ...row, payload: append.payload ?? null } };
  // Nothing inserted: the key is taken, and the org's lock means its holder has committed.
  const [stored] = await tx
    .select(eventLogFields)
    .from(eventLog)
    .where(
      and(
        eq(eventLog.orgId, append.orgId),
        eq(eventLog.provider, append.provider),
        eq(eventLog.eventKey, append.eventKey),
      ),
    );
  if (!stored) throw new Conflict("EVENT_KEY_TAKEN", "This event key is already used");
  const entry: EventLogEntry = eventLogEntryOf(stored);
  return { inserted: false, entry };
}
