import type { Deps } from "../context.ts";
import { projectEntry } from "./projectEntry.ts";

const PAGE = 500;

/**
 * Rebuilds the projections from the event log, in log order, with the current rules (prices,
 * scoring, decoders). Projections are idempotent, so replaying any number of times gives the
 * same state. Nothing is sent: no alerts, no live events.
 * @returns the number of events replayed.
 */
export async function replay(deps: Deps, options: { orgId?: string } = {}): Promise<number> {
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const entries = await deps.storage.eventLog.read({ afterSeq, limit: PAGE, orgId: options.orgId });
    for (const entry of entries) {
      await deps.storage.transaction(entry.orgId, (tx) => projectEntry(deps, entry, tx, "replay"));
      afterSeq = entry.seq;
      count++;
    }
    if (entries.length < PAGE) return count;
  }
}
