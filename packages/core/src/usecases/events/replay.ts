import type { EventLogEntry } from "../../domain/eventLog.ts";
import type { Deps } from "../context.ts";
import { projectEntry } from "./projectEntry.ts";

const PAGE = 2_000;
/** Orgs projected at once: their projections never touch each other, and a server overlaps their round trips. */
const PARALLEL_ORGS = 4;

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
 * projected in one transaction, in log order (a transaction per event would cost more than the
 * projection itself), and a few orgs at a time. A failure stops the replay with that error.
 * @returns the number of events replayed.
 */
export async function replay(deps: Deps, options: { orgId?: string } = {}): Promise<number> {
  let afterSeq = 0;
  let count = 0;
  for (;;) {
    const entries = await deps.storage.eventLog.read({ afterSeq, limit: PAGE, orgId: options.orgId });
    const groups = [...byOrg(entries)];
    let failed = false;
    const worker = async () => {
      for (let next = groups.shift(); next && !failed; next = groups.shift()) {
        const [orgId, group] = next;
        try {
          await deps.storage.transaction(orgId, async (tx) => {
            for (const entry of group) await projectEntry(deps, entry, tx, "replay");
          });
        } catch (error) {
          failed = true; // the other workers stop after their current org
          throw error;
        }
        count += group.length;
      }
    };
    const outcomes = await Promise.allSettled(Array.from({ length: PARALLEL_ORGS }, worker));
    for (const outcome of outcomes) if (outcome.status === "rejected") throw outcome.reason;
    afterSeq = entries.at(-1)?.seq ?? afterSeq;
    if (entries.length < PAGE) return count;
  }
}
