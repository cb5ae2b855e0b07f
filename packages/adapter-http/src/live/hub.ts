/**
 * The in-process fan-out of live events: whoever publishes (the outbox, or Postgres LISTEN when
 * several processes share a database) reaches the WebSocket connections of this process, per org.
 */
import type { LiveEvent, LiveEvents } from "@voxanne/core";

export type LiveHubListener = (event: LiveEvent) => void;

export interface LiveHub extends LiveEvents {
  /** Hears `orgId`'s events from now on; returns the unsubscribe (calling it twice is harmless). */
  subscribe(orgId: string, listener: LiveHubListener): () => void;
}

export interface LiveHubOptions {
  /** Told when a listener throws (or rejects); the others still hear the event. */
  onListenerError?: (error: unknown, orgId: string) => void;
}

/**
 * A hub whose memory is only its subscriptions (unlike the test hub, it keeps no history). An event
 * reaches its own org's listeners, synchronously and in publish order: events published from inside
 * a listener wait behind the current one. All listeners share the published object, so they must
 * not change it (the WebSocket side only serialises it).
 */
export function liveHub(options: LiveHubOptions = {}): LiveHub {
  const listeners = new Map<string, Set<{ listener: LiveHubListener }>>();
  const queue: LiveEvent[] = [];
  let delivering = false;

  const failed = (error: unknown, orgId: string) => options.onListenerError?.(error, orgId);

  const deliver = (event: LiveEvent) => {
    // A copy: (un)subscribing during delivery takes effect from the next event.
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
