/**
 * `/webhooks/*`: the vendors' webhook handlers, mounted as given. The handlers check signatures
 * themselves, so they get the exact bytes, the headers and the full URL, untouched.
 */
import type { Context } from "hono";
import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorBody } from "../httpErrors.ts";
import { documented } from "../openapi.ts";
import { logWith } from "../requestLog.ts";

export interface WebhookRequest {
  headers: Headers;
  rawBody: Uint8Array;
}

export interface WebhookReply {
  status: number;
  body: unknown;
  contentType?: string;
  /** Ids for the request's log line (the org, the call): the handler need not log a line of its own. */
  context?: Record<string, unknown>;
}

/** The vendor adapters' handlers; a missing one answers 404 (that vendor is not used here). */
export interface WebhookHandlers {
  vapi?: (request: WebhookRequest) => Promise<Omit<WebhookReply, "contentType">>;
  twilioStatus?: (request: WebhookRequest & { url: string }) => Promise<WebhookReply>;
  twilioInbound?: (request: WebhookRequest & { url: string }) => Promise<WebhookReply>;
}

type Handler = (request: WebhookRequest & { url: string }) => Promise<WebhookReply>;

const described = (name: string) =>
  documented({ tag: "Webhooks", summary: `${name} webhook`, public: true, responses: { 200: "Acknowledged" } });

/** Hands one request to `handler` and writes its reply: a string body with its content type, else JSON. */
async function forward(c: Context, handler: Handler | undefined): Promise<Response> {
  if (!handler) return c.json(errorBody("WEBHOOK_NOT_CONFIGURED", "This webhook is not configured"), 404);
  const rawBody = new Uint8Array(await c.req.arrayBuffer());
  const reply = await handler({ headers: c.req.raw.headers, rawBody, url: c.req.url });
  if (reply.context) logWith(c, reply.context);
  const status = reply.status as ContentfulStatusCode;
  if (reply.status === 204 || reply.body === undefined || reply.body === null) return c.body(null, reply.status as 204);
  if (typeof reply.body === "string") {
    return c.body(reply.body, status, { "Content-Type": reply.contentType ?? "text/plain; charset=utf-8" });
  }
  return c.json(reply.body, status);
}

export const webhookRoutes = (handlers: WebhookHandlers): Hono =>
  new Hono()
    .post("/vapi", described("Vapi server"), (c) => forward(c, handlers.vapi))
    .post("/twilio/status", described("Twilio SMS status"), (c) => forward(c, handlers.twilioStatus))
    .post("/twilio/inbound", described("Twilio inbound SMS"), (c) => forward(c, handlers.twilioInbound));
