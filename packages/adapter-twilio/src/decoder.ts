/**
 * The decoder for provider `twilio`: a logged webhook (`{ kind, params }`) → core SMS events.
 * Registered with the core (`createVoxanne({ decoders: [twilioDecoder] })`), it runs at projection
 * time, so `replay()` re-reads old payloads with the current rules. Pure: every time comes from the
 * params or the log entry, never from a clock.
 */
import type {
  EventDecoder,
  EventLogEntry,
  MessageEvent,
  MessageStatus,
  SmsOptOutType,
  SmsReceived,
  SmsStatusReported,
} from "@voxanne/core";
import { SMS_OPT_OUT_TYPES } from "@voxanne/core";
import type { TwilioInboundSms, TwilioStatusCallback } from "./messages.ts";
import { parseTwilioPayload } from "./messages.ts";

/**
 * Twilio's `MessageStatus` → the message's status. Statuses before sending all mean `queued`,
 * WhatsApp's `read` implies delivered, a cancelled scheduled message was never sent (`failed`).
 * Others (`partially_delivered`, the inbound `receiving` / `received`) change nothing.
 */
export const TWILIO_MESSAGE_STATUSES: ReadonlyMap<string, MessageStatus> = new Map<string, MessageStatus>([
  ["queued", "queued"],
  ["accepted", "queued"],
  ["scheduled", "queued"],
  ["sending", "sent"],
  ["sent", "sent"],
  ["delivered", "delivered"],
  ["read", "delivered"],
  ["undelivered", "undelivered"],
  ["failed", "failed"],
  ["canceled", "failed"],
]);

/**
 * `RawDlrDoneDate` (`YYMMDDhhmm`, the carrier's time of the final status) as a UTC instant, or
 * null when it is absent or not a real date and time.
 */
export function parseRawDlrDoneDate(raw: string | undefined): Date | null {
  const match = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(raw ?? "");
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(2000 + year, month - 1, day, hour, minute));
  const exact =
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute;
  return exact ? date : null;
}

/** Advanced Opt-Out's verdict, in any case; an unknown value counts as none. */
function optOutTypeOf(raw: string | undefined): SmsOptOutType | null {
  const type = raw?.toUpperCase();
  return SMS_OPT_OUT_TYPES.find((t) => t === type) ?? null;
}

function statusEvents(params: TwilioStatusCallback, messageId: string | null, receivedAt: Date): SmsStatusReported[] {
  const status = TWILIO_MESSAGE_STATUSES.get(params.MessageStatus.toLowerCase());
  if (!status) return [];
  return [
    {
      type: "SmsStatusReported",
      vendorMessageId: params.MessageSid,
      messageId,
      status,
      errorCode: params.ErrorCode || null,
      occurredAt: parseRawDlrDoneDate(params.RawDlrDoneDate) ?? receivedAt,
    },
  ];
}

function inboundEvent(params: TwilioInboundSms, receivedAt: Date): SmsReceived {
  return {
    type: "SmsReceived",
    vendorMessageId: params.MessageSid,
    from: params.From,
    to: params.To,
    body: params.Body,
    occurredAt: receivedAt,
    optOutType: optOutTypeOf(params.OptOutType),
  };
}

export const twilioDecoder: EventDecoder = {
  provider: "twilio",
  decode(entry: EventLogEntry): MessageEvent[] {
    const payload = parseTwilioPayload(entry.payload);
    return payload.kind === "status"
      ? statusEvents(payload.params, payload.messageId, entry.receivedAt)
      : [inboundEvent(payload.params, entry.receivedAt)];
  },
};
