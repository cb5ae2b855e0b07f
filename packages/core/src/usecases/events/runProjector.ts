import type { BatchResult } from "../../ports/storage.ts";
import type { Deps } from "../context.ts";
import { projectEntry } from "./projectEntry.ts";

/** Projects up to `limit` logged events that are not projected yet (any process may run this). */
export function runProjector(deps: Deps, limit = 100): Promise<BatchResult> {
  return deps.storage.eventLog.projectPending(
    { limit, now: deps.clock.now(), maxAttempts: deps.retry.maxAttempts },
    async (entry, tx) => {
      try {
        await projectEntry(deps, entry, tx, "live");
      } catch (error) {
        deps.onError(error, { what: `project ${entry.provider} event`, orgId: entry.orgId });
        throw error;
      }
    },
  );
}
