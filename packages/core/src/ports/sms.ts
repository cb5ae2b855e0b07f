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
 * Guarantees: one `send` sends at most one message; on failure it throws `OptedOut` (the vendor
 * says the recipient unsubscribed), `ValidationFailed` (bad number), `NotConfigured` (no
 * sender) or `VendorFailed` (`SMS_UNAVAILABLE` with `retryable`, or another stable code), never a vendor's own error, and never logs credentials.
 */
export interface Sms {
  send(request: SmsRequest): Promise<{ vendorMessageId: string; status: "queued" | "sent" }>;
}
