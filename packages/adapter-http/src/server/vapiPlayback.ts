/**
 * The webhooks Vapi sends for one call that connects, talks and ends (vendors/vapi.md §2–3):
 * `status-update` in-progress, `status-update` ended, then the `end-of-call-report`. Built here in
 * code, shaped like the real payloads, so the simulator (and tests, and examples) go through the
 * real decoding path. Outbound calls carry our ids back in `assistantOverrides.metadata`.
 */
import type { OutboundCallRequest } from "@voxanne/core";

export interface PlaybackTimes {
  startedAt: Date;
  endedAt: Date;
}

/** Who took part: the org's agent ids as Vapi knows them, and the customer. */
export interface VapiCallParties {
  direction: "inbound" | "outbound";
  assistantId: string;
  phoneNumberId: string;
  customer: { number: string; name: string | null };
  /** Echoed in `call.assistantOverrides.metadata` (outbound: our call and org ids). */
  metadata?: Record<string, string>;
}

/** What was said and concluded: `[role, line]` pairs and the analysis summary. */
export interface VapiConversation {
  lines: readonly (readonly ["bot" | "user", string])[];
  summary: string;
}

const ENDED_REASON = "customer-ended-call";

/** A returned enquiry that ends with a consultation booked: what the simulator's callbacks say. */
export const CALLBACK_CONVERSATION: VapiConversation = {
  lines: [
    ["bot", "Hi, this is Ava from the clinic, returning your call. Is now a good time?"],
    ["user", "Yes, thanks for calling back. I wanted to ask about a consultation for Botox."],
    ["bot", "Of course. A consultation is free, and I can book one for you this week."],
    ["user", "Thursday afternoon would be great."],
    ["bot", "Done: Thursday at 3 PM. You'll get a text confirmation. Anything else?"],
    ["user", "No, that's all. Bye!"],
  ],
  summary: "Returned the caller's enquiry about Botox and booked a free consultation for Thursday at 3 PM.",
};

/** The parties of an outbound call Voxanne asked for. */
export const outboundParties = (request: OutboundCallRequest): VapiCallParties => ({
  direction: "outbound",
  assistantId: request.assistantId,
  phoneNumberId: request.phoneNumberId,
  customer: { number: request.customer.number, name: request.customer.name },
  metadata: { callId: request.callId, orgId: request.orgId },
});

/** The Call object as Vapi sends it in every message. */
function callObject(parties: VapiCallParties, vendorCallId: string, status: string, times: Partial<PlaybackTimes>) {
  return {
    id: vendorCallId,
    type: parties.direction === "outbound" ? "outboundPhoneCall" : "inboundPhoneCall",
    status,
    assistantId: parties.assistantId,
    phoneNumberId: parties.phoneNumberId,
    customer: parties.customer,
    ...(parties.metadata && { assistantOverrides: { metadata: parties.metadata } }),
    phoneCallProvider: "twilio",
    phoneCallTransport: "pstn",
    createdAt: times.startedAt?.toISOString(),
    updatedAt: (times.endedAt ?? times.startedAt)?.toISOString(),
    ...(times.startedAt && { startedAt: times.startedAt.toISOString() }),
    ...(status === "ended" && times.endedAt && { endedAt: times.endedAt.toISOString(), endedReason: ENDED_REASON }),
  };
}

const common = (parties: VapiCallParties, at: Date) => ({
  timestamp: at.getTime(),
  phoneNumber: { id: parties.phoneNumberId },
  assistant: { id: parties.assistantId },
  customer: parties.customer,
});

export function inProgressMessage(parties: VapiCallParties, vendorCallId: string, startedAt: Date) {
  return {
    message: {
      type: "status-update",
      status: "in-progress",
      ...common(parties, startedAt),
      call: callObject(parties, vendorCallId, "in-progress", { startedAt }),
    },
  };
}

export function endedMessage(parties: VapiCallParties, vendorCallId: string, times: PlaybackTimes) {
  return {
    message: {
      type: "status-update",
      status: "ended",
      endedReason: ENDED_REASON,
      ...common(parties, times.endedAt),
      call: callObject(parties, vendorCallId, "ended", times),
    },
  };
}

export function endOfCallReport(
  parties: VapiCallParties,
  vendorCallId: string,
  times: PlaybackTimes,
  conversation: VapiConversation = CALLBACK_CONVERSATION,
) {
  const start = times.startedAt.getTime();
  const { lines } = conversation;
  const step = Math.max(1, (times.endedAt.getTime() - start) / (lines.length + 1));
  const messages = lines.map(([role, message], i) => ({
    role,
    message,
    time: start + step * (i + 1),
    endTime: start + step * (i + 1.8),
    secondsFromStart: (step * (i + 1)) / 1000,
    duration: step * 0.8,
  }));
  const minutes = (times.endedAt.getTime() - start) / 60_000;
  const system = {
    role: "system",
    message: "You are Ava, the clinic's receptionist.",
    time: start,
    secondsFromStart: 0,
  };
  return {
    message: {
      type: "end-of-call-report",
      endedReason: ENDED_REASON,
      startedAt: times.startedAt.toISOString(),
      endedAt: times.endedAt.toISOString(),
      cost: Number((minutes * 0.11).toFixed(4)),
      costs: [{ type: "vapi", subType: "normal", minutes, cost: Number((minutes * 0.05).toFixed(4)) }],
      ...common(parties, new Date(times.endedAt.getTime() + 1)),
      call: callObject(parties, vendorCallId, "ended", times),
      artifact: {
        transcript: lines.map(([role, line]) => `${role === "bot" ? "AI" : "User"}: ${line}`).join("\n"),
        messages: [system, ...messages],
      },
      analysis: { summary: conversation.summary, successEvaluation: "true" },
    },
  };
}

/** The three messages of one whole call, in the order Vapi sends them. */
export function callMessages(
  parties: VapiCallParties,
  vendorCallId: string,
  times: PlaybackTimes,
  conversation?: VapiConversation,
) {
  return [
    inProgressMessage(parties, vendorCallId, times.startedAt),
    endedMessage(parties, vendorCallId, times),
    endOfCallReport(parties, vendorCallId, times, conversation),
  ];
}
