/**
 * @voxanne/adapter-twilio: SMS through Twilio. The Sms port on the official SDK (`twilioSms`),
 * signed status callbacks and inbound SMS into the event log (`twilioWebhookHandlers`), their
 * decoding into core events (`twilioDecoder`), and the `X-Twilio-Signature` check behind a proxy
 * (`verifyTwilioSignature`).
 * @module
 */
export { parseRawDlrDoneDate, TWILIO_MESSAGE_STATUSES, twilioDecoder } from "./decoder.ts";
export type {
  ParsedTwilioPayload,
  TwilioInboundSms,
  TwilioLoggedPayload,
  TwilioParams,
  TwilioStatusCallback,
  TwilioWebhookKind,
} from "./messages.ts";
export {
  parseTwilioForm,
  parseTwilioParams,
  parseTwilioPayload,
  TWILIO_PARAMS_INVALID,
  TWILIO_WEBHOOK_KINDS,
} from "./messages.ts";
export type {
  TwilioSignatureErrorCode,
  TwilioSignatureResult,
  TwilioSignedRequest,
  TwilioUrlOptions,
} from "./signature.ts";
export { TWILIO_SIGNATURE_ERRORS, twilioRequestUrl, verifyTwilioSignature } from "./signature.ts";
export type { TwilioSmsOptions } from "./sms.ts";
export { twilioSms } from "./sms.ts";
export type {
  TwilioWebhookHandlers,
  TwilioWebhookLog,
  TwilioWebhookLogLevel,
  TwilioWebhookOptions,
  TwilioWebhookRequest,
  TwilioWebhookResponse,
} from "./webhooks.ts";
export {
  DEFAULT_MAX_BODY_BYTES,
  EMPTY_TWIML,
  TWILIO_ORG_PARAM,
  twilioEventKey,
  twilioWebhookHandlers,
} from "./webhooks.ts";
