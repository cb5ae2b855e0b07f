export const ACTIVITY_TYPES = [
  "call_started",
  "call_ended",
  "booked",
  "lost",
  "hot_lead",
  "callback_requested",
  "sms_sent",
  "sms_failed",
  "sms_received",
  "service_changed",
] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Something that happened, for the recent-activity feed. Append-only. */
export interface Activity {
  id: string;
  orgId: string;
  type: ActivityType;
  /** Unique per org: the same happening recorded twice is stored once (replays, duplicates). */
  key: string;
  occurredAt: Date;
  contactId: string | null;
  callId: string | null;
  /** A short human line for the feed, without phone numbers. */
  summary: string;
  data: Record<string, unknown>;
}
