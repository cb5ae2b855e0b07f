/**
 * The event log's append: one INSERT … ON CONFLICT DO NOTHING on (org, provider, event key), so a
 * vendor's duplicate stores nothing and gets the stored entry. The same statements serve inside an
 * org's transaction and on their own (the worker's append, which takes no org lock).
 */
import type { EventLogAppend, EventLogEntry, TxEventLog } from "@voxanne/core";
import { Conflict, newEventLogEntry } from "@voxanne/core";
import { and, eq, sql } from "drizzle-orm";
import { compile } from "../compiled.ts";
import type { Db } from "../db.ts";
import { eventLogEntryOf, eventLogFields, jsonText } from "../rows.ts";
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

/** The payload's JSON text: as given, else serialised once (not by jsonValue then the jsonb column). */
function payloadText({ payload, payloadJson }: EventLogAppend): string {
  // A function or a symbol serialises to nothing: stored as JSON null, as `undefined` is.
  return payloadJson ?? jsonText(payload ?? null, "payload") ?? "null";
}

/** The INSERT of an append, built once: drizzle's builder costs more than the rest of a webhook's append. */
const insertOnce = compile((db, value) =>
  db
    .insert(eventLog)
    .values({
      orgId: value("orgId"),
      provider: value("provider"),
      eventKey: value("eventKey"),
      payload: sql`${value("payload")}::jsonb`,
      receivedAt: value("receivedAt"),
    })
    .onConflictDoNothing({ target: [eventLog.orgId, eventLog.provider, eventLog.eventKey] })
    .returning({ seq: eventLog.seq }),
);

/**
 * Inserts once per key. When the key is taken, Postgres has waited for the inserting transaction
 * to finish before saying so, so the stored entry can be read back at once.
 */
export async function appendEvent(
  tx: Tx | Db,
  append: EventLogAppend,
): Promise<{ inserted: boolean; entry: EventLogEntry }> {
  const { orgId, provider, eventKey, receivedAt } = append;
  const values = { orgId, provider, eventKey, payload: payloadText(append), receivedAt };
  const [row] = await insertOnce.run(tx, values);
  // A new entry is what was given, unprojected: only its seq is read back (a webhook's payload is KBs).
  if (row) return { inserted: true, entry: newEventLogEntry(append, row.seq) };
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
