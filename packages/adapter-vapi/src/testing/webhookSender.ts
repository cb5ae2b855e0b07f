/** Posts webhooks the way Vapi does, authenticated by an org's configured scheme (vendors/vapi.md §4). */
import { createHmac } from "node:crypto";
import type { VapiWebhookAuth } from "@voxanne/core";

export interface SendWebhookOptions {
  /** The HMAC timestamp (default: now, in ms, like Vapi's message timestamps). */
  timestamp?: number | string;
  /** Extra headers, applied last: to break or replace the authentication on purpose. */
  headers?: Record<string, string>;
}

/** What the receiver answered. `body` is parsed JSON, or the text when it is not JSON. */
export interface WebhookReply {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * The headers Vapi sends with `rawBody` under `auth`: a bearer token, a secret header, or an HMAC
 * of `{timestamp}.{body}` (hex) in the signature header with the timestamp in its own header.
 */
export function webhookAuthHeaders(
  rawBody: string,
  auth: VapiWebhookAuth,
  timestamp: number | string = Date.now(),
): Record<string, string> {
  switch (auth.type) {
    case "none":
      return {};
    case "bearer":
      return { authorization: `Bearer ${auth.token}` };
    case "secretHeader":
      return { [auth.headerName]: auth.secret };
    case "hmac": {
      const signature = createHmac(auth.algorithm, auth.secret).update(`${timestamp}.${rawBody}`).digest("hex");
      return { [auth.signatureHeader]: signature, [auth.timestampHeader]: String(timestamp) };
    }
  }
}

/**
 * POSTs `body` to `url` as Vapi would: JSON (a string is sent byte for byte, for raw-body tests),
 * signed with `auth`.
 *
 * @example
 * await sendWebhook(`${server}/webhooks/vapi`, { message: { type: "hang" } }, org.agent.vapiWebhookAuth);
 */
export async function sendWebhook(
  url: string | URL,
  body: unknown,
  auth: VapiWebhookAuth,
  options: SendWebhookOptions = {},
): Promise<WebhookReply> {
  const rawBody = typeof body === "string" ? body : JSON.stringify(body);
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json; charset=utf-8",
      "user-agent": "fake-vapi",
      ...webhookAuthHeaders(rawBody, auth, options.timestamp),
      ...options.headers,
    },
    body: rawBody,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
