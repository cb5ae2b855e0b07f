/**
 * The webhooks Vapi sends for a planned call (status-update in-progress, status-update ended,
 * end-of-call report), built with the server's own Vapi playback shapes and completed with what a
 * real assistant adds: the booking tool's call and result in the transcript messages, and the
 * structured-data analysis (sentiment, urgency). Caller lines use booking words only in booked
 * calls and no callback phrases, and only the caller names a service, so the record's profile
 * decides the score (see callPlan.ts).
 */
import type { VapiCallParties, VapiConversation } from "@voxanne/adapter-http/server";
import { callMessages } from "@voxanne/adapter-http/server";
import { CLINIC_AGENT } from "../support/clinic.ts";
import type { PlannedCall } from "./callPlan.ts";

/** What the generator sent, named as the event log keys it: call, type and status. */
export type WebhookKind = "in-progress" | "ended" | "report";

export interface PlannedWebhook {
  call: PlannedCall;
  kind: WebhookKind;
  body: string;
}

const GREETING = "Thank you for calling Reliability Aesthetics, this is Ava. How can I help you today?";

function conversationOf(call: PlannedCall): VapiConversation {
  const asks = call.keyword
    ? call.booked
      ? `Hi, I'd like to book an appointment for a ${call.keyword}, please.`
      : `Hi, I have a few questions about ${call.keyword} and what it costs.`
    : "Hi, I have a question about your opening hours and parking.";
  const middle: ["bot" | "user", string][] = call.booked
    ? [
        ["bot", "Of course. Let me look at the calendar for you."],
        ["user", call.hot ? "As soon as possible please, it's for a wedding next month." : "Thursday afternoon works."],
        ["bot", "You're all set for Thursday at 3 PM. You'll get a text confirmation."],
      ]
    : [
        ["bot", "Happy to help. The doctor goes through the details and the price with every patient."],
        ["user", call.sentiment.label === "negative" ? "Hmm, that sounds expensive. Not great." : "Okay, thanks."],
      ];
  return {
    lines: [["bot", GREETING], ["user", asks], ...middle, ["user", "Thank you, bye!"]],
    summary: `${call.customerName} asked about ${call.keyword ?? "general questions"}${call.booked ? " and booked" : ""}.`,
  };
}

/** The booking tool's call and its result, as they appear in `artifact.messages`. */
function bookingToolMessages(call: PlannedCall) {
  const toolCallId = `call_${call.vendorCallId}`;
  const time = call.endedAt.getTime() - 5_000;
  const args = { service: call.service?.name ?? "Consultation", startsAt: "2026-01-29T15:00:00Z" };
  return [
    {
      role: "tool_calls",
      time,
      secondsFromStart: call.durationSeconds - 5,
      toolCalls: [
        { id: toolCallId, type: "function", function: { name: "book_appointment", arguments: JSON.stringify(args) } },
      ],
    },
    {
      role: "tool_call_result",
      time: time + 400,
      secondsFromStart: call.durationSeconds - 4.6,
      name: "book_appointment",
      toolCallId,
      result: JSON.stringify({ status: "booked", startsAt: args.startsAt }),
    },
  ];
}

export function webhooksOf(call: PlannedCall): PlannedWebhook[] {
  const parties: VapiCallParties = {
    direction: "inbound",
    assistantId: CLINIC_AGENT.assistantId,
    phoneNumberId: CLINIC_AGENT.phoneNumberId,
    customer: { number: call.phone, name: call.customerName },
  };
  const times = { startedAt: call.startedAt, endedAt: call.endedAt };
  const [inProgress, ended, report] = callMessages(parties, call.vendorCallId, times, conversationOf(call));
  if (!inProgress || !ended || !report) throw new Error("callMessages gave fewer than three messages");
  const { message } = report as unknown as {
    message: { artifact: { messages: unknown[] }; analysis: Record<string, unknown> };
  };
  if (call.booked) message.artifact.messages.push(...bookingToolMessages(call));
  message.analysis.structuredData = {
    sentiment: { label: call.sentiment.label },
    urgency: call.sentiment.urgency,
    appointment_booked: call.booked,
  };
  return [
    { call, kind: "in-progress", body: JSON.stringify(inProgress) },
    { call, kind: "ended", body: JSON.stringify(ended) },
    { call, kind: "report", body: JSON.stringify(report) },
  ];
}
