/**
 * Folds one call event into a call. Every field merges by a rule that ignores order and
 * repetition (earliest start, latest end, the furthest status, union of tool calls, the report's
 * content), so any duplication and any order of a call's events reach the same call.
 */
import type { Call, CallDirection, ToolInvocation, Transfer } from "../../domain/call.ts";
import { laterCallStatus } from "../../domain/call.ts";
import type { CallEvent, CallRef } from "../../domain/events.ts";
import { toE164 } from "../../domain/phone.ts";

const earliest = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a <= b ? a : b);
const latest = (a: Date | null, b: Date | null) => (!a ? b : !b ? a : a >= b ? a : b);

/** The numbers of a call seen from the clinic: inbound calls come from the customer. */
function numbers(ref: CallRef, direction: CallDirection) {
  const customer = ref.customerNumber ? (toE164(ref.customerNumber) ?? null) : null;
  const clinic = ref.clinicNumber ? (toE164(ref.clinicNumber) ?? null) : null;
  return direction === "inbound" ? { from: customer, to: clinic } : { from: clinic, to: customer };
}

/** The latest of two transfers (by time, then by content), so the order they arrive in does not matter. */
function laterTransfer(a: Transfer | null, b: Transfer | null): Transfer | null {
  if (!a || !b) return a ?? b;
  const [ta, tb] = [a.at?.getTime() ?? 0, b.at?.getTime() ?? 0];
  if (ta !== tb) return ta > tb ? a : b;
  return JSON.stringify(a) >= JSON.stringify(b) ? a : b;
}

function mergeToolCalls(known: ToolInvocation[], seen: ToolInvocation[]): ToolInvocation[] {
  const byId = new Map(known.map((t) => [t.toolCallId, t]));
  for (const t of seen) {
    const prior = byId.get(t.toolCallId);
    byId.set(t.toolCallId, { ...t, succeeded: t.succeeded || (prior?.succeeded ?? false) });
  }
  return [...byId.values()].sort((a, b) => (a.toolCallId < b.toolCallId ? -1 : 1));
}

export function applyCallEvent(call: Call, event: CallEvent): Call {
  const direction = event.call.direction ?? call.direction;
  const seen = numbers(event.call, direction);
  const next: Call = {
    ...call,
    vendorCallId: call.vendorCallId ?? event.call.vendorCallId,
    direction,
    fromNumber: call.fromNumber ?? seen.from,
    toNumber: call.toNumber ?? seen.to,
  };

  switch (event.type) {
    case "CallStarted":
      next.status = laterCallStatus(next.status, "in_progress");
      next.startedAt = earliest(next.startedAt, event.startedAt ?? event.occurredAt);
      break;
    case "CallStatusChanged":
      next.status = laterCallStatus(next.status, event.status);
      break;
    case "CallEnded":
      next.status = laterCallStatus(next.status, event.status);
      next.startedAt = earliest(next.startedAt, event.startedAt);
      next.endedAt = latest(next.endedAt, event.endedAt ?? event.occurredAt);
      // The report's reason is the authority; the status update's fills in until it comes.
      next.endedReason = next.endedReason ?? event.endedReason;
      break;
    case "CallReport":
      next.status = laterCallStatus(next.status, event.status);
      next.startedAt = earliest(next.startedAt, event.startedAt);
      next.endedAt = latest(next.endedAt, event.endedAt);
      next.endedReason = event.endedReason ?? next.endedReason;
      next.durationSeconds = event.durationSeconds ?? next.durationSeconds;
      next.transcript = event.transcript ?? next.transcript;
      next.summary = event.summary ?? next.summary;
      next.recordingUrl = event.recordingUrl ?? next.recordingUrl;
      next.transfer = laterTransfer(next.transfer, event.transfer);
      next.toolCalls = mergeToolCalls(next.toolCalls, event.toolCalls);
      if (event.analysis?.sentiment) next.sentiment = { ...event.analysis.sentiment, source: "vendor" };
      if (event.analysis?.callbackRequested) next.metadata = { ...next.metadata, callbackRequested: true };
      break;
    case "CallTransferred":
      next.transfer = laterTransfer(next.transfer, event.transfer);
      break;
    case "ToolCalled":
      next.toolCalls = mergeToolCalls(next.toolCalls, [
        { toolCallId: event.toolCallId, name: event.name, succeeded: event.succeeded === true },
      ]);
      break;
  }

  // Start and end are the authority on duration once both are known.
  if (next.startedAt && next.endedAt) {
    next.durationSeconds = Math.max(0, Math.round((next.endedAt.getTime() - next.startedAt.getTime()) / 1000));
  }
  return next;
}
