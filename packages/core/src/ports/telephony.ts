import type { PhoneNumber } from "../domain/phone.ts";

export interface OutboundCallRequest {
  orgId: string;
  /** Our call id: the vendor echoes it back in its webhooks, so they find the call again. */
  callId: string;
  assistantId: string;
  phoneNumberId: string;
  customer: { number: PhoneNumber; name: string | null };
}

/**
 * Places phone calls through a voice vendor.
 *
 * Guarantees: `createOutboundCall` places at most one call per request (it never retries what may
 * already have reached the vendor); on failure it throws `VendorFailed` with a message free of
 * vendor text and credentials and one of the stable codes `TELEPHONY_REJECTED` (the vendor said
 * no), `TELEPHONY_UNAVAILABLE` (surely not placed: 429, connection refused; `retryable`) or
 * `TELEPHONY_TIMEOUT` (no answer, or a 5xx: the call may have been placed, so not retryable).
 */
export interface Telephony {
  createOutboundCall(request: OutboundCallRequest): Promise<{ vendorCallId: string }>;
}
