/**
 * The decoder for provider `vapi`: a logged Vapi server message → core call events. Registered
 * with the core (`createVoxanne({ decoders: [vapiDecoder] })`), it runs at projection time, so
 * `replay()` re-reads old payloads with the current rules. Pure: every time comes from the
 * payload or the log entry, never from the clock.
 */
import type { CallEvent, CallRef, EventDecoder, EventLogEntry } from "@voxanne/core";
import type { VapiServerMessage } from "./messages.ts";
import { parseVapiMessage, takeHandedOver, toolCallsOf } from "./messages.ts";
import { recordingUrlOf, toolOutcomes, transferOf, vendorAnalysisOf } from "./reportFacts.ts";
import { statusOfEndedReason, statusOfProgress } from "./statuses.ts";

const text = (x: string | null | undefined) => (typeof x === "string" && x.trim() !== "" ? x.trim() : null);
const bagText = (bag: Record<string, unknown> | null | undefined, key: string) => {
  const value = bag?.[key];
  return typeof value === "string" && value.trim() !== "" && value.length <= 100 ? value.trim() : null;
};

/** The message's reason, else the call's; kept as an open string, cut to what the call's column holds. */
const endedReasonOf = (own: string | null, ofCall: string | null) => text(own ?? ofCall)?.slice(0, 200) ?? null;

/**
 * Which call a message is about. `callId` is ours, set on outbound calls in
 * `assistantOverrides.metadata.callId` (or `variableValues.callId`), which Vapi echoes back.
 */
export function callRefOf(message: VapiServerMessage): CallRef {
  const { call } = message;
  const overrides = call.assistantOverrides;
  return {
    vendorCallId: call.id,
    callId: bagText(overrides?.metadata, "callId") ?? bagText(overrides?.variableValues, "callId"),
    direction: call.type === "outboundPhoneCall" ? "outbound" : call.type === "inboundPhoneCall" ? "inbound" : null,
    customerNumber: text(call.customer?.number) ?? text(message.customer?.number),
    customerName: text(call.customer?.name) ?? text(message.customer?.name),
    clinicNumber: text(message.phoneNumber?.number),
  };
}

/**
 * When the message says it happened: its `timestamp`, else the call's last change or creation,
 * else when it was logged (stored with the payload, so a replay reads the same time).
 */
export function occurredAtOf(message: VapiServerMessage, receivedAt: Date): Date {
  return message.timestamp ?? message.call.updatedAt ?? message.call.createdAt ?? receivedAt;
}

/** The events of one message: see each case. Types we do not act on (and `hang`) mean nothing to the core. */
function eventsOf(message: VapiServerMessage, receivedAt: Date): CallEvent[] {
  const base = { call: callRefOf(message), occurredAt: occurredAtOf(message, receivedAt) };
  const { call } = message;
  switch (message.type) {
    case "status-update": {
      if (message.status === "ended") {
        const endedReason = endedReasonOf(message.endedReason, call.endedReason);
        const status = statusOfEndedReason(endedReason);
        return [{ type: "CallEnded", ...base, status, endedReason, startedAt: call.startedAt, endedAt: call.endedAt }];
      }
      if (message.status === "forwarding") {
        const transfer = transferOf(message.destination, base.occurredAt);
        return transfer ? [{ type: "CallTransferred", ...base, transfer }] : [];
      }
      if (message.status === "in-progress") return [{ type: "CallStarted", ...base, startedAt: call.startedAt }];
      const status = statusOfProgress(message.status);
      return status ? [{ type: "CallStatusChanged", ...base, status }] : [];
    }
    case "end-of-call-report":
      return [reportOf(message, base)];
    case "tool-calls":
    case "function-call":
      return toolCallsOf(message).map((tc) => ({
        type: "ToolCalled",
        ...base,
        toolCallId: tc.id,
        name: tc.name,
        arguments: tc.arguments ?? {},
        succeeded: null,
      }));
    case "transfer-update": {
      const destination = message.destination ?? {
        number: null,
        sipUri: null,
        assistantName: message.toAssistant?.name ?? null,
        description: null,
      };
      const transfer = transferOf(destination, base.occurredAt);
      return transfer ? [{ type: "CallTransferred", ...base, transfer }] : [];
    }
    case "hang":
      return [];
  }
}

type Report = Extract<VapiServerMessage, { type: "end-of-call-report" }>;

/** Whole seconds between two times; a call that never connected lasted 0 s. */
function durationOf(report: Report, startedAt: Date | null, endedAt: Date | null, connected: boolean): number | null {
  if (startedAt && endedAt) return Math.max(0, Math.round((endedAt.getTime() - startedAt.getTime()) / 1000));
  const legacy = report.durationSeconds ?? (report.durationMs === null ? null : report.durationMs / 1000);
  if (legacy !== null) return Math.round(legacy);
  return connected ? null : 0;
}

/**
 * The end-of-call report: status from `endedReason`, times from the message (else the call),
 * duration computed from them (else the legacy `durationSeconds` / `durationMs`), transcript
 * and summary (current fields, then legacy ones), tool outcomes, recording, transfer, analysis.
 */
function reportOf(report: Report, base: { call: CallRef; occurredAt: Date }): CallEvent {
  const { call, artifact, analysis } = report;
  const endedReason = endedReasonOf(report.endedReason, call.endedReason);
  const status = statusOfEndedReason(endedReason);
  const startedAt = report.startedAt ?? call.startedAt;
  const endedAt = report.endedAt ?? call.endedAt;
  return {
    type: "CallReport",
    ...base,
    status,
    endedReason,
    startedAt,
    endedAt,
    durationSeconds: durationOf(report, startedAt, endedAt, startedAt !== null || status === "completed"),
    transcript: text(artifact?.transcript) ?? text(report.transcript),
    summary: text(analysis?.summary) ?? text(report.summary),
    analysis: vendorAnalysisOf(report),
    toolCalls: toolOutcomes(artifact?.messages ?? report.messages),
    recordingUrl: recordingUrlOf(report),
    // A transfer seen only in the report: its time is not known.
    transfer: transferOf(report.destination, null),
  };
}

export const vapiDecoder: EventDecoder = {
  provider: "vapi",
  decode(entry: EventLogEntry) {
    const handedOver = takeHandedOver(entry.payload);
    if (handedOver) return eventsOf(handedOver, entry.receivedAt);
    const parsed = parseVapiMessage(entry.payload);
    return parsed.known ? eventsOf(parsed.message, entry.receivedAt) : [];
  },
};
