/**
 * The in-process fan-out of live events, per organization: the one delivery loop behind the
 * server's WebSocket hub and the in-memory test hub. No I/O and no history: it only holds the
 * subscriptions.
 */
import type { LiveEvent } from "../domain/live.ts";
import type { LiveEvents } from "../ports/liveEvents.ts";

/** May return a promise; it is not awaited (a slow listener delays no one). */
export type LiveListener = (event: LiveEvent) => void | Promise<void>;

export interface LiveFanOut extends LiveEvents {
  /** Hears `orgId`'s events from now on; returns the unsubscribe (calling it twice is harmless). */
  subscribe(orgId: string, listener: LiveListener): () => void;
}

export interface LiveFanOutOptions {
  /** Told when a listener throws (or rejects); the other listeners still hear the event. */
  onListenerError?: (error: unknown, orgId: string) => void;
}

/**
 * An event reaches only its own org's listeners, synchronously and in publish order: events
 * published from inside a listener wait behind the current one. All listeners share the published
 * object, so they must not change it. A listener that fails stays subscribed.
 */
export function liveFanOut(options: LiveFanOutOptions = {}): LiveFanOut {
  const listeners = new Map<string, Set<{ listener: LiveListener }>>();
  const queue: LiveEvent[] = [];
  let delivering = false;

  const failed = (error: unknown, orgId: string) => options.onListenerError?.(error, orgId);

  const deliver = (event: LiveEvent) => {
    // A copy of the set: (un)subscribing during delivery takes effect from the next event.
    for (const { listener } of [...(listeners.get(event.orgId) ?? [])]) {
      try {
        const result: unknown = listener(event);
        if (result instanceof Promise) result.catch((error: unknown) => failed(error, event.orgId));
      } catch (error) {
        failed(error, event.orgId);
      }
    }
  };

  return {
    subscribe(orgId, listener) {
      const subscription = { listener };
      const subscribers = listeners.get(orgId) ?? new Set();
      listeners.set(orgId, subscribers);
      subscribers.add(subscription);
      return () => {
        subscribers.delete(subscription);
        if (subscribers.size === 0 && listeners.get(orgId) === subscribers) listeners.delete(orgId);
      };
    },
    async publish(event) {
      queue.push(event);
      if (delivering) return;
      delivering = true;
      try {
        for (let next = queue.shift(); next; next = queue.shift()) deliver(next);
      } finally {
        delivering = false;
      }
    },
  };
}
