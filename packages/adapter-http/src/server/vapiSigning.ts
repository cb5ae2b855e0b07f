/**
 * The headers Vapi would send for an org's webhook auth (vendors/vapi.md §4): what the simulator
 * and the tests need to get a webhook past `vapiWebhookHandler`'s check, exactly as a real one.
 */
import { createHmac } from "node:crypto";
import type { VapiWebhookAuth } from "@voxanne/core";

/** Headers for `rawBody` under `auth`; the HMAC signs `{timestamp}.{rawBody}` with a ms timestamp. */
export function vapiWebhookHeaders(auth: VapiWebhookAuth, rawBody: string, now = new Date()): Headers {
  const headers = new Headers({ "content-type": "application/json" });
  switch (auth.type) {
    case "none":
      break;
    case "secretHeader":
      headers.set(auth.headerName, auth.secret);
      break;
    case "bearer":
      headers.set("authorization", `Bearer ${auth.token}`);
      break;
    case "hmac": {
      const timestamp = String(now.getTime());
      const signature = createHmac(auth.algorithm, auth.secret).update(`${timestamp}.${rawBody}`).digest("hex");
      headers.set(auth.timestampHeader, timestamp);
      headers.set(auth.signatureHeader, signature);
      break;
    }
  }
  return headers;
}
