/** The org's append-only activity feed; a key is stored once (replays and duplicates add nothing). */
import type { ActivityRepository } from "@voxanne/core";
import { eq } from "drizzle-orm";
import { compile, everyColumn } from "../compiled.ts";
import { activityOf, newestFirst } from "../rows.ts";
import { activity } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

/** The projector's append, built once (see compiled.ts). */
const appendOnce = compile((db, value) =>
  db
    .insert(activity)
    .values(everyColumn(activity, value))
    .onConflictDoNothing({ target: [activity.orgId, activity.key] })
    .returning({ id: activity.id }),
);

export function activityRepository(scope: OrgScope): ActivityRepository {
  const { tx, orgId } = scope;

  return {
    async append(record) {
      scope.requireOrg();
      scope.own(record.orgId);
      const inserted = await appendOnce.run(tx, record);
      return { inserted: inserted.length > 0 };
    },

    /** Newest first by (occurredAt, id), from the (org, occurred_at desc, id desc) index. */
    async recent(limit) {
      scope.requireOrg();
      const query = tx
        .select()
        .from(activity)
        .where(eq(activity.orgId, orgId))
        .orderBy(...newestFirst(activity.occurredAt, activity.id));
      // Like the memory adapter: a fraction is truncated, a negative is none, a non-number is no limit.
      const rows = Number.isFinite(limit) ? await query.limit(Math.max(0, Math.trunc(limit))) : await query;
      return rows.map(activityOf);
    },
  };
}
