/** The org's calls: unique vendor call id per org, soft delete, newest-first keyset lists. */
import type { Call, CallFilter, CallRepository } from "@voxanne/core";
import { NotFound } from "@voxanne/core";
import { and, eq, gte, isNull, lt, max, type SQL } from "drizzle-orm";
import { compile, everyColumn, oneOfOrg } from "../compiled.ts";
import { callColumns, callOf, newestFirst, olderThan, pageLimit, pageOf, parseCursor } from "../rows.ts";
import { calls } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

// The projector's statements, built once (see compiled.ts).
const byId = oneOfOrg(calls, calls.id);
const byVendorCallId = oneOfOrg(calls, calls.vendorCallId);
const insertCall = compile((db, value) => db.insert(calls).values(everyColumn(calls, value)).returning());
const updateCall = compile((db, value) =>
  db
    .update(calls)
    .set(everyColumn(calls, value, ["id", "orgId"]))
    .where(and(eq(calls.orgId, value("orgId")), eq(calls.id, value("id"))))
    .returning(),
);
const maxLeadScore = compile((db, value) =>
  db
    .select({ score: max(calls.leadScore) })
    .from(calls)
    .where(and(eq(calls.orgId, value("orgId")), eq(calls.contactId, value("contactId")), isNull(calls.deletedAt))),
);

/** A list's conditions: live calls only (the partial index), every given filter, `from` ≤ createdAt < `to`. */
function filterOf(filter: CallFilter): (SQL | undefined)[] {
  const { direction, status, recordingStatus, contactId, range } = filter;
  return [
    isNull(calls.deletedAt),
    direction === undefined ? undefined : eq(calls.direction, direction),
    status === undefined ? undefined : eq(calls.status, status),
    recordingStatus === undefined ? undefined : eq(calls.recordingStatus, recordingStatus),
    contactId === undefined ? undefined : eq(calls.contactId, contactId),
    range?.from === undefined ? undefined : gte(calls.createdAt, range.from),
    range?.to === undefined ? undefined : lt(calls.createdAt, range.to),
  ];
}

export function callRepository(scope: OrgScope): CallRepository {
  const { tx, orgId } = scope;
  const ofOrg = eq(calls.orgId, orgId);

  const one = async (rows: Promise<(typeof calls.$inferSelect)[]>): Promise<Call | null> => {
    const [row] = await rows;
    return row ? callOf(row) : null;
  };

  return {
    async getById(id) {
      scope.requireOrg();
      return one(byId.run(tx, { orgId, key: id }));
    },

    async findByVendorCallId(vendorCallId) {
      scope.requireOrg();
      return one(byVendorCallId.run(tx, { orgId, key: vendorCallId }));
    },

    async insert(call) {
      scope.requireOrg();
      scope.own(call.orgId);
      const [row] = await insertCall.run(tx, { id: call.id, orgId: call.orgId, ...callColumns(call) });
      return callOf(row as typeof calls.$inferSelect);
    },

    async update(call) {
      scope.requireOrg();
      scope.own(call.orgId);
      const [row] = await updateCall.run(tx, { id: call.id, orgId, ...callColumns(call) });
      if (!row) throw new NotFound("call", call.id);
      return callOf(row);
    },

    async list(filter, page) {
      scope.requireOrg();
      const limit = pageLimit(page.limit);
      const cursor = parseCursor(page.cursor);
      const rows = await tx
        .select()
        .from(calls)
        .where(and(ofOrg, ...filterOf(filter), cursor && olderThan(calls.createdAt, calls.id, cursor)))
        .orderBy(...newestFirst(calls.createdAt, calls.id))
        .limit(limit + 1);
      return pageOf(rows.map(callOf), limit);
    },

    async maxLeadScoreOfContact(contactId) {
      scope.requireOrg();
      const [row] = await maxLeadScore.run(tx, { orgId, contactId });
      return row?.score ?? null;
    },

    async softDelete(id, at) {
      scope.requireOrg();
      const [row] = await tx
        .update(calls)
        .set({ deletedAt: at })
        .where(and(ofOrg, eq(calls.id, id), isNull(calls.deletedAt)))
        .returning({ id: calls.id });
      if (!row) throw new NotFound("call", id);
    },
  };
}
