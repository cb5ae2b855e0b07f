import type { Storage } from "../ports/storage.ts";

/**
 * A Storage whose event-log appends fail on demand (a full disk, a lost connection): both the
 * worker's append and the one inside a transaction. For testing how a webhook handler answers
 * when it cannot store what it was sent (it must make the vendor retry).
 *
 * @example
 * const { storage, state } = appendFailureSwitch(memoryStorage());
 * state.fail = true; // appends now reject
 */
export function appendFailureSwitch(base: Storage): { storage: Storage; state: { fail: boolean } } {
  const state = { fail: false };
  const refuse = () => Promise.reject(new Error("disk full"));
  const storage: Storage = {
    ...base,
    transaction: (orgId, fn) =>
      base.transaction(orgId, (tx) => fn(state.fail ? { ...tx, eventLog: { append: refuse } } : tx)),
    eventLog: { ...base.eventLog, append: (entry) => (state.fail ? refuse() : base.eventLog.append(entry)) },
  };
  return { storage, state };
}
