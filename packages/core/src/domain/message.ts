import type { PhoneNumber } from "./phone.ts";

export const MESSAGE_STATUSES = ["queued", "sent", "delivered", "undelivered", "failed", "received"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export type MessageDirection = "inbound" | "outbound";
/** Why a message exists: a person wrote it, or it is a hot-lead alert to staff. */
export type MessagePurpose = "conversation" | "hot_lead_alert";

/** One SMS, kept forever as the audit trail. */
export interface Message {
  id: string;
  orgId: string;
  /** Null for alerts to staff numbers. */
  contactId: string | null;
  direction: MessageDirection;
  purpose: MessagePurpose;
  fromNumber: string | null;
  toNumber: PhoneNumber;
  body: string;
  status: MessageStatus;
  vendorMessageId: string | null;
  errorCode: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Stages of a message's life; terminal verdicts ranked so that any order of reports agrees. */
const STAGE: Record<MessageStatus, number> = {
  queued: 0,
  sent: 1,
  // Only inbound messages are received; ranked apart so that no two statuses tie.
  received: 2,
  failed: 3,
  undelivered: 4,
  delivered: 5,
};

/**
 * The status after a vendor report: never backwards (a late `sent` does not undo `delivered`).
 * It is a maximum, so every order of the same reports ends in the same status.
 */
export function advanceMessageStatus(current: MessageStatus, reported: MessageStatus): MessageStatus {
  return STAGE[reported] > STAGE[current] ? reported : current;
}
