/**
 * Twilio REST bodies as the fake Twilio answers them: the Message resource and the error body
 * (fixtures/twilio/messages-create.*.json), snake_case with RFC 2822 dates, like the wire.
 */
import { randomBytes } from "node:crypto";

export const API_VERSION = "2010-04-01";

/** Twilio's legacy error body: `{ code, message, more_info, status }` (the SDK throws `RestException`). */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
  /** Some errors (20003) add a longer explanation. */
  detail?: string;
}

/** The Message resource as `POST …/Messages.json` answers it (messages-create.response-201.json). */
export interface MessageResource {
  account_sid: string;
  api_version: string;
  body: string;
  date_created: string;
  date_sent: string | null;
  date_updated: string;
  direction: "outbound-api";
  error_code: number | null;
  error_message: string | null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: string | null;
  price_unit: string;
  sid: string;
  status: string;
  subresource_uris: { media: string };
  to: string;
  uri: string;
}

export const errorBody = (status: number, code: number, message: string, detail?: string): TwilioErrorBody => ({
  code,
  ...(detail !== undefined && { detail }),
  message,
  more_info: `https://www.twilio.com/docs/errors/${code}`,
  status,
});

/** A new 34-character SID such as `SM` + 32 hex digits. */
export const newSid = (prefix: "SM" | "AC" | "MG"): string => `${prefix}${randomBytes(16).toString("hex")}`;

/** `Thu, 20 Nov 2025 15:05:09 +0000`: Twilio's date format. */
export const rfc2822 = (date: Date): string => date.toUTCString().replace(/GMT$/, "+0000");

/** `YYMMDDhhmm` in UTC: the `RawDlrDoneDate` of delivery reports. */
export const rawDlrDoneDate = (date: Date): string =>
  date.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d).*$/, "$1$2$3$4$5");

export interface NewMessage {
  accountSid: string;
  to: string;
  from: string | null;
  body: string;
  messagingServiceSid: string | null;
  at: Date;
}

/**
 * A freshly created message: `queued` when sent from a number; `accepted` (with `num_segments` "0",
 * and no `from` until the service picks one) when sent through a Messaging Service, as Twilio does.
 */
export function messageResource({ accountSid, to, from, body, messagingServiceSid, at }: NewMessage): MessageResource {
  const sid = newSid("SM");
  const viaService = messagingServiceSid !== null;
  const path = `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}`;
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body,
    date_created: rfc2822(at),
    date_sent: null,
    date_updated: rfc2822(at),
    direction: "outbound-api",
    error_code: null,
    error_message: null,
    from,
    messaging_service_sid: messagingServiceSid,
    num_media: "0",
    num_segments: viaService ? "0" : "1",
    price: null,
    price_unit: "USD",
    sid,
    status: viaService ? "accepted" : "queued",
    subresource_uris: { media: `${path}/Media.json` },
    to,
    uri: `${path}.json`,
  };
}
