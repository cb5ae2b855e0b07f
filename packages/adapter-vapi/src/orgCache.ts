/**
 * Which organization a webhook's agent ids belong to, remembered for a few seconds: under load every
 * delivery of a clinic names the same assistant, and a database round trip per delivery would
 * cost more than the rest of the webhook. Entries are never refreshed by use, so a change made
 * elsewhere (another process, the CLI) is seen at most `ttlMs` later; only answers that
 * authenticated a delivery are stored, so unknown or forged ids never fill it.
 */
import type { Organization } from "@voxanne/core";

export interface OrgCache {
  /** The org stored under `key` less than `ttlMs` ago. */
  get(key: string): Organization | undefined;
  set(key: string, org: Organization): void;
  forget(key: string): void;
}

/** `now` in ms on a clock that only moves forward (performance.now by default). */
export function orgCache(ttlMs: number, maxEntries = 1_000, now: () => number = () => performance.now()): OrgCache {
  const entries = new Map<string, { org: Organization; until: number }>();
  if (ttlMs <= 0) return { get: () => undefined, set: () => {}, forget: () => {} };
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry && entry.until > now()) return entry.org;
      if (entry) entries.delete(key);
      return undefined;
    },
    set(key, org) {
      entries.delete(key);
      // Insertion order is age order: the oldest entry makes room.
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { org, until: now() + ttlMs });
    },
    forget(key) {
      entries.delete(key);
    },
  };
}
