import type { EventLogEntry } from "../../domain/eventLog.ts";
import type { Deps } from "../context.ts";
import { projectEntry } from "./projectEntry.ts";

const PAGE = 2_000;

/** A page's entries by organization, each org's in log order (orgs' projections never touch each other). */
function byOrg(entries: readonly EventLogEntry[]): Map<string, EventLogEntry[]> {
  const groups = new Map<string, EventLogEntry[]>();
  for (const entry of entries) {
    const group = groups.get(entry.orgId);
    if (group) group.push(entry);
    else groups.set(entry.orgId, [entry]);
  }
  return groups;
}

/**
 * Rebuilds the projections from the event log, in log order, with the current rules (prices,
 * scoring, decoders). Projections are idempotent, so replaying any number of times gives the
 * same state. Nothing is sent: no alerts, no live events. Each org's entries of a page are
 * projected in one transaction, in log order: a transaction per event would cost more than the
 * projection itself.
 * @returns the number of events replayed.
 */
export async function replay(deps: Deps, options: { orgId?: string } = {}): Promise<number> {
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const entries = await deps.storage.eventLog.read({ afterSeq, limit: PAGE, orgId: options.orgId });
    for (const [orgId, group] of byOrg(entries)) {
      await deps.storage.transaction(orgId, async (tx) => {
        for (const entry of group) await projectEntry(deps, entry, tx, "replay");
      });
      count += group.length;
    }
    afterSeq = entries.at(-1)?.seq ?? afterSeq;
    if (entries.length < PAGE) return count;
  }
}
