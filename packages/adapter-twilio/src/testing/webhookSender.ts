/** Posts form-encoded webhooks the way Twilio does, signed with `X-Twilio-Signature` (vendors/twilio.md §5). */
import twilio from "twilio";

/** A webhook's form parameters, decoded (the signature is computed over these). */
export type TwilioParams = Record<string, string>;

export interface SendTwilioWebhookOptions {
  /**
   * The URL Twilio signs: the public one configured at Twilio, when `url` reaches the receiver
   * another way (a proxy, a tunnel, a local port). Default: `url`.
   */
  signedUrl?: string | URL;
  /** Extra headers, applied last; `null` drops one (`{ "x-twilio-signature": null }`), to break the signature on purpose. */
  headers?: Record<string, string | null>;
}

/** What the receiver answered, and what was sent. */
export interface TwilioWebhookReply {
  status: number;
  headers: Headers;
  /** The answer's text (TwiML for inbound messages). */
  body: string;
  /** The parameters posted. */
  params: TwilioParams;
  /** The `X-Twilio-Signature` computed for them. */
  signature: string;
}

/** The `X-Twilio-Signature` of `params` posted to `url`, by the twilio library's own helper. */
export const twilioSignature = (authToken: string, url: string | URL, params: TwilioParams): string =>
  twilio.getExpectedTwilioSignature(authToken, String(url), params);

/**
 * POSTs `params` to `url` as Twilio would: `application/x-www-form-urlencoded`, signed with `authToken`.
 *
 * @example
 * await sendTwilioWebhook(`${server}/webhooks/twilio/status?org=${orgId}`, params, authToken);
 */
export async function sendTwilioWebhook(
  url: string | URL,
  params: TwilioParams,
  authToken: string,
  options: SendTwilioWebhookOptions = {},
): Promise<TwilioWebhookReply> {
  const signature = twilioSignature(authToken, options.signedUrl ?? url, params);
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    "user-agent": "TwilioProxy/1.1",
    "x-twilio-signature": signature,
  };
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value === null) delete headers[name.toLowerCase()];
    else headers[name.toLowerCase()] = value;
  }
  const response = await fetch(url, { method: "POST", headers, body: new URLSearchParams(params).toString() });
  return { status: response.status, headers: response.headers, body: await response.text(), params, signature };
}
