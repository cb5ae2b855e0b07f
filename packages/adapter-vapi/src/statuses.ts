/**
 * Vapi's call statuses and ended reasons in Voxanne's words. `endedReason` has ≈600 values and
 * grows (vapi.md §3.3): it stays an open string on the call, and only its buckets map to a status.
 */
import type { CallStatus } from "@voxanne/core";

/** Reasons that name an outcome exactly. */
const EXACT: Record<string, CallStatus> = {
  "customer-did-not-answer": "no_answer",
  // Voicemail means the person was not reached: a callback to retry, not a conversation.
  voicemail: "no_answer",
  "customer-busy": "busy",
  "manually-canceled": "canceled",
  "scheduled-call-deleted": "canceled",
  "twilio-failed-to-connect-call": "failed",
  "twilio-reported-customer-misdialed": "failed",
  "assistant-not-found": "failed",
  "worker-shutdown": "failed",
  "phone-call-provider-closed-websocket": "failed",
};

/**
 * Setup errors, platform and provider faults: `call.start.error-*`, `*-vapifault-*`,
 * `*-providerfault-*`, `pipeline-error-*`, `*-llm-failed`, `assistant-request-returned-*`…
 */
const FAILURE = /error|fault|failed|assistant-request-returned/;

/**
 * The final status of a call that ended for `endedReason`: not reached → `no_answer` / `busy`,
 * cancelled → `canceled`, errors and faults → `failed`, anything else (the customer or the
 * assistant hung up, a time limit, a transfer, a reason we do not know yet) → `completed`.
 */
export function statusOfEndedReason(endedReason: string | null): CallStatus {
  if (!endedReason) return "completed";
  const reason = endedReason.trim().toLowerCase();
  return EXACT[reason] ?? (FAILURE.test(reason) ? "failed" : "completed");
}

/** A live `status-update` status before the end; `null` for those that change nothing (`not-found`…). */
export function statusOfProgress(status: string): CallStatus | null {
  switch (status) {
    case "scheduled":
    case "queued":
      return "initiated";
    case "ringing":
      return "ringing";
    case "in-progress":
      return "in_progress";
    default:
      return null;
  }
}
