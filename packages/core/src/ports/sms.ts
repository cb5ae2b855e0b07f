import type { PhoneNumber } from "../domain/phone.ts";

export interface SmsRequest {
  orgId: string;
  /** Our message id, for the vendor's status callbacks. */
  messageId: string;
  /** The org's sender; null means the adapter's default sender (it refuses with `NotConfigured` if it has none). */
  from: string | null;
  to: PhoneNumber;
  body: string;
}

/**
 * Sends text messages through an SMS vendor.
 *
 * Guarantees: one `send` sends at most one message and is never retried by the adapter when the
 * message may already exist; on failure it throws `OptedOut` (the vendor says the recipient
 * unsubscribed), `ValidationFailed` (bad number), `NotConfigured` (no sender), or `VendorFailed`
 * with a stable code: `SMS_UNAVAILABLE` (surely not sent: 429, no connection; `retryable`),
 * `SMS_UNCONFIRMED` (a 5xx or time-out: it may have been sent; not retryable) or `SMS_REJECTED`;
 * never a vendor's own error, and it never logs credentials.
 */
export interface Sms {
  send(request: SmsRequest): Promise<{ vendorMessageId: string; status: "queued" | "sent" }>;
}
