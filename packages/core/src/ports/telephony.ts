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
 * already have reached the vendor); on failure it throws `VendorFailed` with a stable code and a
 * message with no vendor text or credentials; `retryable` is true only when the call surely was
 * not placed.
 */
export interface Telephony {
  createOutboundCall(request: OutboundCallRequest): Promise<{ vendorCallId: string }>;
}
