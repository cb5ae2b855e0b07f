/**
 * The parameters of Twilio's webhooks, in the order and shape Twilio sends them
 * (fixtures/twilio/status-callback.*.json, inbound-sms.*.json).
 */
import type { MessageResource } from "./twilioResources.ts";
import { API_VERSION, rawDlrDoneDate } from "./twilioResources.ts";
import type { TwilioParams } from "./webhookSender.ts";

/** Statuses whose delivery reports carry the carrier's `RawDlrDoneDate`. */
const WITH_DLR_DATE = new Set(["delivered", "undelivered"]);

export interface StatusCallbackDetails {
  /** The sender reported when the message has none yet (a Messaging Service picked it). */
  from: string;
  /** `ErrorCode`, for `failed` / `undelivered` (e.g. "30003"). */
  errorCode?: string | number | undefined;
  at: Date;
}

/** A status callback for `message` moving to `status`. */
export function statusCallbackParams(
  message: MessageResource,
  status: string,
  { from, errorCode, at }: StatusCallbackDetails,
): TwilioParams {
  return {
    ...(errorCode !== undefined && { ErrorCode: String(errorCode) }),
    SmsSid: message.sid,
    SmsStatus: status,
    MessageStatus: status,
    To: message.to,
    MessageSid: message.sid,
    AccountSid: message.account_sid,
    From: message.from ?? from,
    ApiVersion: API_VERSION,
    ...(message.messaging_service_sid !== null && { MessagingServiceSid: message.messaging_service_sid }),
    ...(WITH_DLR_DATE.has(status) && { RawDlrDoneDate: rawDlrDoneDate(at) }),
  };
}

export interface InboundDetails {
  accountSid: string;
  messageSid: string;
  from: string;
  to: string;
  body: string;
}

/** An inbound SMS from a US number, without geographic detail (Twilio sends the fields empty then). */
export function inboundParams({ accountSid, messageSid, from, to, body }: InboundDetails): TwilioParams {
  return {
    ToCountry: "US",
    ToState: "CA",
    SmsMessageSid: messageSid,
    NumMedia: "0",
    ToCity: "",
    FromZip: "",
    SmsSid: messageSid,
    FromState: "CA",
    SmsStatus: "received",
    FromCity: "",
    Body: body,
    FromCountry: "US",
    To: to,
    ToZip: "",
    NumSegments: "1",
    MessageSid: messageSid,
    AccountSid: accountSid,
    From: from,
    ApiVersion: API_VERSION,
  };
}
