/** The call log: list with filters, read one, soft delete. */
import * as v from "valibot";
import type { Call } from "../../domain/call.ts";
import { CALL_DIRECTIONS, CALL_STATUSES, RECORDING_STATUSES } from "../../domain/call.ts";
import { NotFound } from "../../domain/errors.ts";
import type { Page } from "../../domain/page.ts";
import type { Deps } from "../context.ts";
import { Id, PageInput, TimeRangeInput } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";

const CallQuery = v.object({
  ...PageInput.entries,
  direction: v.optional(v.picklist(CALL_DIRECTIONS)),
  status: v.optional(v.picklist(CALL_STATUSES)),
  recordingStatus: v.optional(v.picklist(RECORDING_STATUSES)),
  contactId: v.optional(Id),
  range: v.optional(TimeRangeInput),
});

export function listCalls(deps: Deps, orgId: string, query: v.InferInput<typeof CallQuery> = {}): Promise<Page<Call>> {
  const { limit, cursor, ...filter } = validate(CallQuery, query);
  return deps.storage.transaction(orgId, (tx) => tx.calls.list(filter, { limit, cursor }));
}

/** A call by id; a soft-deleted call is not found. */
export async function getCall(deps: Deps, orgId: string, id: string): Promise<Call> {
  const call = await deps.storage.transaction(orgId, (tx) => tx.calls.getById(validate(Id, id)));
  if (!call || call.deletedAt) throw new NotFound("call", id);
  return call;
}

/** Hides a call from lists and metrics; the record and its events stay (audit). */
export async function deleteCall(deps: Deps, orgId: string, id: string): Promise<void> {
  await deps.storage.transaction(orgId, (tx) => tx.calls.softDelete(validate(Id, id), deps.clock.now()));
}
