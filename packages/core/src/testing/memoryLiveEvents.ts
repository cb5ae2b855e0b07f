/** An in-process LiveEvents hub: dashboards in the same process subscribe per organization. */
import type { LiveEvent } from "../domain/live.ts";
import { liveFanOut } from "../live/liveFanOut.ts";
import type { LiveEvents } from "../ports/liveEvents.ts";
import type { LiveListener } from "./contracts/liveEventsContract.ts";

/** A listener's failure, kept so tests (and the embedding app) can see it. */
export interface ListenerError {
  orgId: string;
  error: unknown;
}

export interface MemoryLiveEvents extends LiveEvents {
  /** Hears `orgId`'s events from now on; returns the unsubscribe (calling it twice is harmless). */
  subscribe(orgId: string, listener: LiveListener): () => void;
  /** Every event published, all orgs, in order: for tests. */
  readonly published: readonly LiveEvent[];
  /** What listeners threw (or their promises rejected with), in order. */
  readonly listenerErrors: readonly ListenerError[];
}

export interface MemoryLiveEventsOptions {
  /** Told of each listener failure as it happens, e.g. to log it. */
  onListenerError?: (failure: ListenerError) => void;
}

/**
 * A hub for one process: an event reaches only the listeners of its own org, in publish order
 * (events published from inside a listener are queued behind the current one).
 *
 * A listener that throws or rejects is isolated: the error is kept in `listenerErrors` (and
 * passed to `onListenerError`), the other listeners still hear the event, `publish` still
 * resolves, and the listener stays subscribed. Listeners are not awaited (a slow one delays
 * no one). Each event is copied once at publish, so a publisher changing it afterwards changes
 * nothing; all listeners share that copy. Weaker than a fan-out transport: it reaches only this
 * process, and `published` grows without bound (it is for tests and short demos).
 *
 * @example
 * const live = memoryLiveEvents();
 * const stop = live.subscribe("org-1", (event) => socket.send(JSON.stringify(event)));
 * await live.publish({ type: "call.updated", orgId: "org-1", call });
 * stop();
 */
export function memoryLiveEvents(options: MemoryLiveEventsOptions = {}): MemoryLiveEvents {
  const published: LiveEvent[] = [];
  const listenerErrors: ListenerError[] = [];
  const hub = liveFanOut({
    onListenerError: (error, orgId) => {
      const failure = { orgId, error };
      listenerErrors.push(failure);
      options.onListenerError?.(failure);
    },
  });

  return {
    published,
    listenerErrors,
    subscribe: hub.subscribe,
    async publish(event) {
      const copy = structuredClone(event);
      published.push(copy);
      await hub.publish(copy);
    },
  };
}
