import type * as v from "valibot";
import type { Activity } from "../../domain/activity.ts";
import type { Pulse } from "../../domain/metrics.ts";
import type { Deps } from "../context.ts";
import { READ_ONLY } from "../shared/readOnly.ts";
import { TimeRangeInput } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";

export const RECENT_ACTIVITY_LIMIT = 10;

/** The dashboard pulse, computed by the store (SQL on Postgres). */
export function dashboardPulse(
  deps: Deps,
  orgId: string,
  range: v.InferInput<typeof TimeRangeInput> = {},
): Promise<Pulse> {
  const valid = validate(TimeRangeInput, range);
  return deps.storage.transaction(orgId, (tx) => tx.metrics.pulse(valid), READ_ONLY);
}

/** The last 10 things that happened, newest first. */
export function recentActivity(deps: Deps, orgId: string): Promise<Activity[]> {
  return deps.storage.transaction(orgId, (tx) => tx.activity.recent(RECENT_ACTIVITY_LIMIT), READ_ONLY);
}
