/**
 * What the crash child does, fixed in advance so that every run (killed or not) gets the same
 * input: one clinic, Vapi webhooks of a few inbound calls (two of them hot leads, each alerting
 * two staff numbers), then one callback to a caller.
 */
import type { VapiCallParties, VapiConversation } from "@voxanne/adapter-http/server";
import { callMessages } from "@voxanne/adapter-http/server";
import type { VapiWebhookAuth } from "@voxanne/core";

export const AGENT = {
  assistantIds: ["asst-crash-inbound"],
  outboundAssistantId: "asst-crash-outbound",
  phoneNumberId: "pn-crash",
  smsFrom: "+15555550100",
  hotLeadAlertNumbers: ["+15555550198", "+15555550199"],
  vapiWebhookAuth: {
    type: "secretHeader",
    headerName: "x-vapi-secret",
    secret: "crash-webhook-secret-0123456789",
  } satisfies VapiWebhookAuth,
};

/** One webhook as Vapi posts it: the exact body (its bytes name the event) and a stable label. */
export interface Webhook {
  label: string;
  body: string;
}

export interface Workload {
  webhooks: Webhook[];
  /** The caller the clinic calls back once the calls are in. */
  callbackPhone: string;
}

interface InboundCall {
  phone: string;
  name: string;
  minutes: number;
  lines: VapiConversation["lines"];
  /** A booking tool call during the call, for this procedure. */
  book?: string;
}

const CALLS: InboundCall[] = [
  {
    phone: "+13125550101",
    name: "Dana Hot",
    minutes: 5,
    lines: [
      ["user", "I want to book a facelift as soon as possible, this is wonderful, thank you so much!"],
      ["bot", "You're booked for a facelift consultation."],
    ],
    book: "facelift",
  },
  {
    phone: "+13125550102",
    name: "Remy Hot",
    minutes: 4,
    lines: [
      ["user", "I'd love to book rhinoplasty urgently, great, thank you!"],
      ["bot", "Booked, see you soon."],
    ],
    book: "rhinoplasty",
  },
  {
    phone: "+13125550103",
    name: "Sam Cold",
    minutes: 1,
    lines: [
      ["user", "Just asking about your opening hours."],
      ["bot", "We open at nine."],
    ],
  },
];

/** Far in the future and one per booking, so no slot is in the past or taken twice. */
const slot = (i: number) => new Date(Date.UTC(2031, 0, 6 + i, 15)).toISOString();

/** The webhooks of every call, in the order Vapi sends them (tool call between start and end). */
export function crashWorkload(): Workload {
  const start = Date.UTC(2030, 0, 6, 12);
  const webhooks: Webhook[] = [];
  CALLS.forEach((call, i) => {
    const vendorCallId = `vapi-crash-${i + 1}`;
    const parties: VapiCallParties = {
      direction: "inbound",
      assistantId: AGENT.assistantIds[0] as string,
      phoneNumberId: AGENT.phoneNumberId,
      customer: { number: call.phone, name: call.name },
    };
    const startedAt = new Date(start + i * 600_000);
    const endedAt = new Date(startedAt.getTime() + call.minutes * 60_000);
    const summary = call.lines.map(([, line]) => line).join(" ");
    const [inProgress, ended, report] = callMessages(
      parties,
      vendorCallId,
      { startedAt, endedAt },
      { lines: call.lines, summary },
    );
    const push = (label: string, payload: unknown) =>
      webhooks.push({ label: `${vendorCallId}:${label}`, body: JSON.stringify(payload) });
    push("in-progress", inProgress);
    if (call.book) {
      const toolCall = {
        message: {
          ...inProgress?.message,
          type: "tool-calls",
          timestamp: startedAt.getTime() + 30_000,
          toolCallList: [
            {
              id: `${vendorCallId}-tool`,
              type: "function",
              function: {
                name: "book_appointment",
                arguments: { patient_name: call.name, procedure: call.book, start_time: slot(i) },
              },
            },
          ],
        },
      };
      push("tool-calls", toolCall);
    }
    push("ended", ended);
    push("report", report);
  });
  return { webhooks, callbackPhone: CALLS[0]?.phone as string };
}
