/**
 * The outbox inside the org's transaction: side effects enqueued with the writes that cause them,
 * delivered by the outbox worker after commit. A key is enqueued once per org, ever.
 */
import type { TxOutbox } from "@voxanne/core";
import { and, asc, eq } from "drizzle-orm";
import { compile, everyColumn } from "../compiled.ts";
import { outboxItemOf } from "../rows.ts";
import { outbox } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

/** Built once (see compiled.ts): the projector enqueues with every event that has side effects. */
const enqueueOnce = compile((db, value) =>
  db
    .insert(outbox)
    .values(everyColumn(outbox, value))
    .onConflictDoNothing({ target: [outbox.orgId, outbox.key] })
    .returning({ id: outbox.id }),
);

export function txOutbox(scope: OrgScope): TxOutbox {
  const { tx, orgId } = scope;

  return {
    async enqueue(item, now) {
      scope.requireOrg();
      const inserted = await enqueueOnce.run(tx, {
        id: crypto.randomUUID(),
        orgId,
        kind: item.kind,
        key: item.key,
        payload: item.payload,
        status: "pending",
        dueAt: item.dueAt ?? now,
        attempts: 0,
        lastError: null,
        lockedUntil: null,
        createdAt: now,
      });
      return inserted.length > 0;
    },

    /** Oldest first by (createdAt, id), like the memory adapter. */
    async list(filter = {}) {
      scope.requireOrg();
      const rows = await tx
        .select()
        .from(outbox)
        .where(
          and(
            eq(outbox.orgId, orgId),
            filter.status === undefined ? undefined : eq(outbox.status, filter.status),
            filter.kind === undefined ? undefined : eq(outbox.kind, filter.kind),
          ),
        )
        .orderBy(asc(outbox.createdAt), asc(outbox.id));
      return rows.map(outboxItemOf);
    },
  };
}
