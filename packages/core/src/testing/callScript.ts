/**
 * Builds the native (`voxanne` provider) events of whole calls, as a vendor decoder would
 * produce them: for tests, the embedded example and benchmarks. Each item is what
 * `voxanne.receive("voxanne", orgId, eventKey, payload)` takes.
 */
import type { CallDirection, CallStatus } from "../domain/call.ts";
import type { CallEvent, CallRef, VoxanneEvent } from "../domain/events.ts";
import type { Serialized } from "../domain/serialized.ts";
import { serialize } from "../domain/serialized.ts";

export interface LoggedEvent {
  eventKey: string;
  payload: Serialized<VoxanneEvent>;
}

export interface CallScript {
  vendorCallId: string;
  /** Our call id, for outbound calls we placed. */
  callId?: string;
  direction?: CallDirection;
  customerNumber: string;
  customerName?: string;
  clinicNumber?: string;
  startedAt: Date;
  durationSeconds: number;
  transcript: string;
  summary?: string;
  /** A `book_appointment` tool call that succeeded. */
  booked?: boolean;
  /** The final status; `completed` by default. */
  status?: CallStatus;
  endedReason?: string;
  vendorSentiment?: { score: number; label: "positive" | "neutral" | "negative"; urgency: "low" | "medium" | "high" };
  recordingUrl?: string;
}

/** The events of one call: started, (tool call), ended, report. */
export function callEvents(script: CallScript): LoggedEvent[] {
  const ref: CallRef = {
    vendorCallId: script.vendorCallId,
    callId: script.callId ?? null,
    direction: script.direction ?? "inbound",
    customerNumber: script.customerNumber,
    customerName: script.customerName ?? null,
    clinicNumber: script.clinicNumber ?? "+15555550100",
  };
  const started = script.startedAt;
  const ended = new Date(started.getTime() + script.durationSeconds * 1000);
  const status = script.status ?? "completed";
  const endedReason = script.endedReason ?? "customer-ended-call";
  const toolCallId = `${script.vendorCallId}-tool-1`;
  const events: { key: string; event: CallEvent }[] = [
    { key: "started", event: { type: "CallStarted", call: ref, occurredAt: started, startedAt: started } },
  ];
  if (script.booked) {
    events.push({
      key: "tool",
      event: {
        type: "ToolCalled",
        call: ref,
        occurredAt: new Date(started.getTime() + 1000),
        toolCallId,
        name: "book_appointment",
        arguments: { service: "consultation" },
        succeeded: true,
      },
    });
  }
  events.push(
    {
      key: "ended",
      event: {
        type: "CallEnded",
        call: ref,
        occurredAt: ended,
        status,
        endedReason,
        startedAt: started,
        endedAt: ended,
      },
    },
    {
      key: "report",
      event: {
        type: "CallReport",
        call: ref,
        occurredAt: new Date(ended.getTime() + 5000),
        status,
        endedReason,
        startedAt: started,
        endedAt: ended,
        durationSeconds: script.durationSeconds,
        transcript: script.transcript,
        summary: script.summary ?? null,
        analysis: script.vendorSentiment
          ? { sentiment: { ...script.vendorSentiment, summary: null }, bookingConfirmed: null, callbackRequested: null }
          : null,
        toolCalls: script.booked ? [{ toolCallId, name: "book_appointment", succeeded: true }] : [],
        recordingUrl: script.recordingUrl ?? null,
        transfer: null,
      },
    },
  );
  return events.map(({ key, event }) => ({ eventKey: `${script.vendorCallId}:${key}`, payload: serialize(event) }));
}
