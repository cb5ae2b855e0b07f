/**
 * Twilio's SMS webhooks as Voxanne reads them (vendors/twilio.md §3–§4): the form body decoded to
 * params, and valibot shapes of the status callback and the inbound SMS. Shapes are loose: Twilio
 * adds parameters without notice, so unknown ones pass and stay in the logged payload. Only what
 * breaks a parameter Voxanne reads is refused, each issue named as Twilio spells it (`MessageSid`).
 */
import { ValidationFailed, validate } from "@voxanne/core";
import * as v from "valibot";

/** Form params by name; a repeated name keeps all its values (the signature covers each one). */
export type TwilioParams = Record<string, string | string[]>;

export const TWILIO_WEBHOOK_KINDS = ["status", "inbound"] as const;
/** Which webhook a payload came from: a delivery status callback, or an SMS sent to the clinic. */
export type TwilioWebhookKind = (typeof TWILIO_WEBHOOK_KINDS)[number];

/** What the event log keeps of a Twilio webhook: its kind and every param, verbatim. */
export interface TwilioLoggedPayload {
  kind: TwilioWebhookKind;
  params: TwilioParams;
  /** Our message id from the status callback URL (`?message=`), when it names one. */
  messageId?: string | null;
}

/** The `ValidationFailed` code of a webhook (or logged payload) whose params Voxanne cannot read. */
export const TWILIO_PARAMS_INVALID = "TWILIO_PARAMS_INVALID";

/**
 * Decodes an `application/x-www-form-urlencoded` body into params.
 * @throws ValidationFailed (`body`) when the bytes are not UTF-8.
 */
export function parseTwilioForm(rawBody: Uint8Array): TwilioParams {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(rawBody);
  } catch {
    throw new ValidationFailed([{ path: "body", message: "must be UTF-8 form data" }], TWILIO_PARAMS_INVALID);
  }
  const params: TwilioParams = {};
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = params[name];
    params[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return params;
}

const SINGLE = "must be a single value";
/** Valibot reports a missing key with the object's message: params are always an object, so it means this. */
const REQUIRED = "is required";
const Key = (max: number) =>
  v.pipe(v.string(SINGLE), v.trim(), v.minLength(1, REQUIRED), v.maxLength(max, "is too long"));
const Optional = (max: number) => v.optional(v.pipe(v.string(SINGLE), v.trim(), v.maxLength(max, "is too long")));

/** A status callback: which message, its new status, and the carrier's error code and time when known. */
export const TwilioStatusCallback = v.looseObject(
  {
    MessageSid: Key(100),
    /** An open string: Twilio adds statuses (`read`, `partially_delivered`); the decoder maps what it knows. */
    MessageStatus: Key(40),
    ErrorCode: Optional(20),
    /** `YYMMDDhhmm`, when the carrier reported the final status. */
    RawDlrDoneDate: Optional(20),
    From: Optional(100),
    To: Optional(100),
    MessagingServiceSid: Optional(100),
  },
  REQUIRED,
);
export type TwilioStatusCallback = v.InferOutput<typeof TwilioStatusCallback>;

/** An SMS to the clinic. `Body` may be empty (a picture alone); `OptOutType` comes with Advanced Opt-Out. */
export const TwilioInboundSms = v.looseObject(
  {
    MessageSid: Key(100),
    From: Key(100),
    To: Key(100),
    Body: v.optional(v.pipe(v.string(SINGLE), v.maxLength(10_000, "is too long")), ""),
    OptOutType: Optional(20),
    MessagingServiceSid: Optional(100),
  },
  REQUIRED,
);
export type TwilioInboundSms = v.InferOutput<typeof TwilioInboundSms>;

const TwilioPayload = v.variant("kind", [
  v.object({
    kind: v.literal("status"),
    params: TwilioStatusCallback,
    messageId: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(100))), null),
  }),
  v.object({ kind: v.literal("inbound"), params: TwilioInboundSms }),
]);
export type ParsedTwilioPayload = v.InferOutput<typeof TwilioPayload>;

/** A logged payload (`{ kind, params }`), or `ValidationFailed` naming each bad field (`params.MessageSid`). */
export function parseTwilioPayload(payload: unknown): ParsedTwilioPayload {
  return validate(TwilioPayload, payload, TWILIO_PARAMS_INVALID);
}

/** A webhook's params read as its kind, or `ValidationFailed` naming each bad param (`MessageSid`). */
export function parseTwilioParams(kind: TwilioWebhookKind, params: unknown): ParsedTwilioPayload {
  return kind === "status"
    ? { kind, params: validate(TwilioStatusCallback, params, TWILIO_PARAMS_INVALID), messageId: null }
    : { kind, params: validate(TwilioInboundSms, params, TWILIO_PARAMS_INVALID) };
}
