/** Vendors whose payloads Voxanne logs. `voxanne` carries core events as JSON (see `nativeDecoder`). */
export type Provider = "vapi" | "twilio" | "voxanne";

/** One vendor payload, stored verbatim and once per (org, provider, event key). */
export interface EventLogEntry {
  /** Monotonic within a store: the log's order. */
  seq: number;
  orgId: string;
  provider: Provider;
  /** The vendor's identity of this delivery, e.g. call id + message type + timestamp. */
  eventKey: string;
  payload: unknown;
  receivedAt: Date;
  projectedAt: Date | null;
  /** Failed projection attempts, and the last error's message (no payload data in it). */
  attempts: number;
  lastError: string | null;
}

export type EventLogAppend = Pick<EventLogEntry, "orgId" | "provider" | "eventKey" | "payload" | "receivedAt"> & {
  /** `payload` as the JSON text it was parsed from, when the caller holds it (a webhook's body): not serialised again. */
  payloadJson?: string;
};

/** The entry an append makes: what was given, at `seq` in the log, not projected yet. */
export function newEventLogEntry(append: EventLogAppend, seq: number): EventLogEntry {
  const { orgId, provider, eventKey, payload = null, receivedAt } = append;
  return { seq, orgId, provider, eventKey, payload, receivedAt, projectedAt: null, attempts: 0, lastError: null };
}

export const OUTBOX_STATUSES = ["pending", "sent", "dead"] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A side effect waiting to be delivered by the outbox worker. */
export interface OutboxItem {
  id: string;
  orgId: string;
  /** Which handler delivers it, e.g. `sms.hot_lead_alert`, `live.publish`. */
  kind: string;
  /** Unique per org: an item is enqueued at most once, ever (e.g. `hot-lead:<callId>:<number>`). */
  key: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  dueAt: Date;
  attempts: number;
  lastError: string | null;
  createdAt: Date;
}

export type OutboxEnqueue = Pick<OutboxItem, "kind" | "key" | "payload"> & { dueAt?: Date };
