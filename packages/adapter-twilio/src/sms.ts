/**
 * The Sms port on Twilio's Messaging API, through the official SDK (`client.messages.create`,
 * vendors/twilio.md §1).
 */
import type { Sms, SmsRequest } from "@voxanne/core";
import { NotConfigured, VendorFailed } from "@voxanne/core";
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient.js";
import type { MessageListInstanceCreateOptions } from "twilio/lib/rest/api/v2010/account/message.js";
import { redactor, smsFailure, TwilioApiError } from "./smsErrors.ts";

export interface TwilioSmsOptions {
  accountSid: string;
  /** Sent only as HTTP Basic auth: never logged, cut out of every error. */
  authToken: string;
  /** The number to send from when the org has none (E.164). */
  defaultFrom?: string | undefined;
  /** A Messaging Service (`MG…`) to send through when the org has no number; preferred over `defaultFrom`. */
  messagingServiceSid?: string | undefined;
  /**
   * Where Twilio posts a message's delivery reports, e.g.
   * `(r) => `${publicUrl}/webhooks/twilio/status?org=${r.orgId}``; undefined asks for none.
   * The exact string is what Twilio signs the callbacks with.
   */
  statusCallbackUrl?: ((request: SmsRequest) => string | undefined) | undefined;
  /** Per request, for the HTTP client the adapter builds (default 15 s); a given `httpClient` keeps its own. */
  timeoutMs?: number | undefined;
  /** The SDK's HTTP client; tests pass one pointed at a fake Twilio. */
  httpClient?: RequestClient | undefined;
}

/** What Twilio calls a message on its way: the port's `queued` or `sent`. */
const SENT = new Set(["sending", "sent"]);

/**
 * The port's status for Twilio's status of a message it just created: `sending`/`sent` → `sent`;
 * `queued`, `accepted`, `scheduled` (and anything else) → `queued`, since the status callbacks
 * report what happens next.
 */
export const twilioSendStatus = (twilioStatus: string | null | undefined): "queued" | "sent" =>
  twilioStatus && SENT.has(twilioStatus) ? "sent" : "queued";

/**
 * An Sms sending through Twilio. The sender is the org's number (`request.from`), else the
 * Messaging Service, else `defaultFrom`; with none it throws `NotConfigured`
 * (`SMS_SENDER_NOT_CONFIGURED`) and calls nobody. One `send` is one request: the SDK retries only a
 * 429 and only with `autoRetry`, which the adapter's client has off, so a message that may have
 * been created (a 5xx, a time-out) is never sent again by the adapter; errors say whether the
 * caller may retry (see `smsFailure`). The twilio client is built once, on the first send.
 *
 * @example
 * const sms = twilioSms({
 *   accountSid: env.TWILIO_ACCOUNT_SID,
 *   authToken: env.TWILIO_AUTH_TOKEN,
 *   messagingServiceSid: env.TWILIO_MESSAGING_SERVICE_SID,
 *   // `message` lets a callback that beats the saved vendor id still find its message.
 *   statusCallbackUrl: ({ orgId, messageId }) => `${env.PUBLIC_URL}/webhooks/twilio/status?org=${orgId}&message=${messageId}`,
 * });
 */
export function twilioSms(options: TwilioSmsOptions): Sms {
  const { accountSid, authToken, defaultFrom, messagingServiceSid, timeoutMs = 15_000, httpClient } = options;
  if (!/^AC\w+$/.test(accountSid ?? "")) throw new TypeError("twilioSms: accountSid must be an account SID (AC…)");
  if (!authToken?.trim()) throw new TypeError("twilioSms: authToken is required");
  if (messagingServiceSid !== undefined && !/^MG\w+$/.test(messagingServiceSid)) {
    throw new TypeError("twilioSms: messagingServiceSid must be a Messaging Service SID (MG…)");
  }
  if (defaultFrom !== undefined && !defaultFrom.trim()) throw new TypeError("twilioSms: defaultFrom must not be blank");
  if (!(timeoutMs > 0)) throw new RangeError("twilioSms: timeoutMs must be positive");

  /** The Authorization header carries the token in base64: cut out both forms. */
  const redact = redactor([authToken, Buffer.from(`${accountSid}:${authToken}`).toString("base64")]);
  let client: twilio.Twilio | undefined;
  const clientOf = () => {
    client ??= twilio(accountSid, authToken, { autoRetry: false, timeout: timeoutMs, httpClient });
    return client;
  };

  function senderOf(request: SmsRequest): Pick<MessageListInstanceCreateOptions, "from" | "messagingServiceSid"> {
    const from = request.from?.trim();
    if (from) return { from };
    if (messagingServiceSid) return { messagingServiceSid };
    if (defaultFrom) return { from: defaultFrom };
    throw new NotConfigured(
      "SMS_SENDER_NOT_CONFIGURED",
      "No SMS sender is configured: set the organization's SMS number, or a Twilio messaging service or default number",
    );
  }

  return {
    async send(request) {
      const sender = senderOf(request);
      const statusCallback = options.statusCallbackUrl?.(request);
      let message: { sid?: string | null; status?: string | null };
      try {
        message = await clientOf().messages.create({
          to: request.to,
          body: request.body,
          ...sender,
          ...(statusCallback !== undefined && { statusCallback }),
        });
      } catch (error) {
        throw smsFailure(error, redact);
      }
      if (!message.sid) {
        // Twilio said yes without a message id: it may exist, so it must not be sent again.
        throw new VendorFailed(
          "SMS_UNCONFIRMED",
          "The text message may not have been sent: the SMS provider did not confirm it",
          {
            retryable: false,
            cause: new TwilioApiError("Twilio answered 2xx without a message sid"),
          },
        );
      }
      return { vendorMessageId: message.sid, status: twilioSendStatus(message.status) };
    },
  };
}
