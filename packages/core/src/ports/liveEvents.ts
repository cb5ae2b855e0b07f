import type { LiveEvent } from "../domain/live.ts";

/**
 * Publishes live events to dashboards.
 *
 * Guarantees: an event reaches only subscribers of its own `orgId`; `publish` resolves once the
 * event is handed to the transport (delivery to each client is best effort: a slow client may be
 * dropped); a publish that throws is retried by the outbox.
 */
export interface LiveEvents {
  publish(event: LiveEvent): Promise<void>;
}
