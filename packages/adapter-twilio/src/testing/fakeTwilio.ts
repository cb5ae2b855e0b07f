/**
 * A fake Twilio for tests: a real HTTP server on 127.0.0.1 that answers the Messages API like
 * Twilio (the created Message as JSON, error JSON with Twilio's codes), fails on demand, and posts
 * signed status callbacks and inbound messages back, as Twilio does.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type RequestClient from "twilio/lib/base/RequestClient.js";
import { RedirectingRequestClient } from "./redirectingRequestClient.ts";
import type { MessageResource, TwilioErrorBody } from "./twilioResources.ts";
import { errorBody, messageResource, newSid, rfc2822 } from "./twilioResources.ts";
import { inboundParams, statusCallbackParams } from "./webhookParams.ts";
import type { SendTwilioWebhookOptions, TwilioParams, TwilioWebhookReply } from "./webhookSender.ts";
import { sendTwilioWebhook } from "./webhookSender.ts";

/**
 * Trouble the fake can answer a request with (one Twilio error each): `opted_out` 400/21610,
 * `invalid_number` 400/21211, `rejected` 400/21606 (a sender not on the account), `unauthorized`
 * 401/20003, `rate_limited` 429/20429, `server_error` 500/20500, and `slow`: handled normally (the
 * message is created) but answered after `slowMs`, past the client's time-out.
 */
export type FakeTwilioFailure =
  | "opted_out"
  | "invalid_number"
  | "rejected"
  | "unauthorized"
  | "rate_limited"
  | "server_error"
  | "slow";

export interface FailNextOptions {
  /** How many requests fail this way (default 1). */
  times?: number;
  /** Stands for Twilio's own error text: it becomes the error body's `message`. */
  detail?: string;
  /** Another Twilio error code for the same kind, e.g. `invalid_number` as 21614 (not a mobile number). */
  code?: number;
  /** Another HTTP status for the same kind, e.g. `server_error` as 503. */
  status?: number;
}

/** One request that reached the fake, as received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The form body, decoded (the last value of a repeated name). */
  params: TwilioParams;
  /** The status answered (for `slow`, the one it answers late). */
  status: number;
  /** The sid of the message this request created, or null. */
  sid: string | null;
}

/** A message the fake created. */
export interface FakeMessage {
  /** The Message resource as the API returns it; status callbacks sent move its status on. */
  resource: MessageResource;
  /** The `StatusCallback` given at creation, or null (Twilio keeps it; the resource does not show it). */
  statusCallback: string | null;
}

export interface FakeTwilioOptions {
  /** The account (default: a random `AC…`). */
  accountSid?: string;
  /** The only auth token accepted (default: a random fake one). */
  authToken?: string;
  /** How long `slow` holds its answer (default 2 s). */
  slowMs?: number;
  /** The number a Messaging Service "picks" in status callbacks of messages sent through it. */
  serviceNumber?: string;
}

export interface StatusCallbackOptions extends SendTwilioWebhookOptions {
  /** Where to post (default: the message's `StatusCallback`). */
  url?: string | URL;
  /** `ErrorCode`, for `failed` / `undelivered`, e.g. 30003. */
  errorCode?: string | number;
  /** Parameters added to (or replacing) Twilio's, e.g. a new one Twilio starts sending. */
  params?: TwilioParams;
}

export interface InboundOptions extends SendTwilioWebhookOptions {
  /** The number's "a message comes in" webhook. */
  url: string | URL;
  from: string;
  /** The clinic's number. */
  to: string;
  body: string;
  /** Parameters added to (or replacing) Twilio's, e.g. `{ MessagingServiceSid, OptOutType: "STOP" }`. */
  params?: TwilioParams;
}

export interface FakeTwilio {
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Every request received, oldest first, failed ones included. */
  readonly requests: readonly RecordedRequest[];
  /** The messages created, oldest first. */
  readonly messages: readonly FakeMessage[];
  /**
   * What `twilioSms` needs to send through this fake: the credentials and the SDK's HTTP client
   * pointed here, built with the SDK's `options` (`timeout`...).
   */
  config(options?: RequestClient.RequestClientOptions): {
    accountSid: string;
    authToken: string;
    httpClient: RedirectingRequestClient;
  };
  /** Makes the next request(s) fail like `kind`, after any failures already planned. */
  failNext(kind: FakeTwilioFailure, options?: FailNextOptions): void;
  /** The recipient texted STOP: sends to `number` fail with 21610 until `optIn`. */
  optOut(number: string): void;
  optIn(number: string): void;
  /** Moves a message to `status` and posts its signed status callback; returns the receiver's answer. */
  sendStatusCallback(sid: string, status: string, options?: StatusCallbackOptions): Promise<TwilioWebhookReply>;
  /** Posts a signed inbound SMS (a new `SM…` sid) to `url`; returns the receiver's answer. */
  sendInbound(options: InboundOptions): Promise<TwilioWebhookReply>;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Planned = { kind: FakeTwilioFailure } & Pick<FailNextOptions, "detail" | "code" | "status">;

const MAX_BODY_BYTES = 1_000_000;
const MAX_BODY_CHARS = 1_600;
const E164 = /^\+[1-9]\d{1,14}$/;
const MESSAGES = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MESSAGE = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/;

/** Twilio's error per failure kind (the code and text Twilio uses). */
const FAILURES: Record<Exclude<FakeTwilioFailure, "slow">, TwilioErrorBody> = {
  opted_out: errorBody(400, 21610, "Attempt to send to unsubscribed recipient"),
  invalid_number: errorBody(400, 21211, "Invalid 'To' Phone Number"),
  rejected: errorBody(
    400,
    21606,
    "The 'From' phone number provided is not a valid message-capable Twilio phone number",
  ),
  unauthorized: errorBody(401, 20003, "Authenticate", "Your AccountSid or AuthToken was incorrect."),
  rate_limited: errorBody(429, 20429, "Too Many Requests"),
  server_error: errorBody(500, 20500, "An internal server error has occurred"),
};

const error = (body: TwilioErrorBody): Reply => ({
  status: body.status,
  body,
  ...(body.status === 401 && { headers: { "www-authenticate": 'Basic realm="Twilio API"' } }),
});
const notFound = (path: string) => error(errorBody(404, 20404, `The requested resource ${path} was not found`));

/**
 * Starts a fake Twilio on a free port of 127.0.0.1.
 *
 * @example
 * const fake = await startFakeTwilio();
 * const sms = twilioSms({ ...fake.config({ timeout: 300 }), statusCallbackUrl: () => `${server}/webhooks/twilio/status` });
 * const { vendorMessageId } = await sms.send(request);
 * await fake.sendStatusCallback(vendorMessageId, "delivered");
 * await fake.close();
 */
export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? newSid("AC");
  const authToken = options.authToken ?? `fake-twilio-token-${newSid("AC").slice(2)}`;
  const slowMs = options.slowMs ?? 2_000;
  const serviceNumber = options.serviceNumber ?? "+15555550100";
  const basicAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;

  const requests: RecordedRequest[] = [];
  const messages = new Map<string, FakeMessage>();
  const optedOut = new Set<string>();
  const planned: Planned[] = [];
  const lateReplies = new Set<NodeJS.Timeout>();

  /** Creates the message, or refuses it with the error Twilio would give. */
  function create(request: RecordedRequest): Reply {
    const {
      To: to,
      From: from,
      MessagingServiceSid: service,
      Body: body,
      StatusCallback: statusCallback,
    } = request.params;
    if (!to) return error(errorBody(400, 21604, "A 'To' phone number is required."));
    if (!E164.test(to)) return error(errorBody(400, 21211, `Invalid 'To' Phone Number: ${to}`));
    if (!from && !service) return error(errorBody(400, 21603, "A 'From' phone number is required."));
    if (!body) return error(errorBody(400, 21602, "Message body is required."));
    if ([...body].length > MAX_BODY_CHARS) {
      return error(errorBody(400, 21617, "The concatenated message body exceeds the 1600 character limit."));
    }
    if (optedOut.has(to)) return error(FAILURES.opted_out);
    const resource = messageResource({
      accountSid,
      to,
      from: from || null,
      body,
      messagingServiceSid: service || null,
      at: new Date(),
    });
    messages.set(resource.sid, { resource, statusCallback: statusCallback || null });
    request.sid = resource.sid;
    return { status: 201, body: resource };
  }

  function route(request: RecordedRequest): Reply {
    const list = MESSAGES.exec(request.path);
    const one = MESSAGE.exec(request.path);
    const account = list?.[1] ?? one?.[1];
    if (account !== accountSid) return notFound(request.path);
    if (list && request.method === "POST") return create(request);
    const found = one && request.method === "GET" ? messages.get(decodeURIComponent(one[2] ?? "")) : undefined;
    return found ? { status: 200, body: found.resource } : notFound(request.path);
  }

  function failure({ kind, detail, code, status }: Planned): Reply {
    const base = FAILURES[kind as Exclude<FakeTwilioFailure, "slow">];
    return error(errorBody(status ?? base.status, code ?? base.code, detail ?? base.message, base.detail));
  }

  function send(res: ServerResponse, reply: Reply) {
    if (res.destroyed) return;
    // No keep-alive: a reused socket the fake already closed would fail a send at random.
    res.writeHead(reply.status, {
      "content-type": "application/json; charset=utf-8",
      connection: "close",
      ...reply.headers,
    });
    res.end(JSON.stringify(reply.body));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    }
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: new URL(req.url ?? "/", "http://fake-twilio").pathname,
      headers: req.headers,
      rawBody,
      params: Object.fromEntries(new URLSearchParams(rawBody)),
      status: 0,
      sid: null,
    };
    requests.push(request);

    let reply: Reply;
    let late = false;
    if (size > MAX_BODY_BYTES) reply = { status: 413, body: { message: "Request Entity Too Large", status: 413 } };
    else if (req.headers.authorization !== basicAuth) reply = error(FAILURES.unauthorized);
    else {
      const next = planned.shift();
      late = next?.kind === "slow";
      reply = next && !late ? failure(next) : route(request);
    }
    request.status = reply.status;
    if (!late) return send(res, reply);
    const timer = setTimeout(() => {
      lateReplies.delete(timer);
      send(res, reply);
    }, slowMs);
    lateReplies.add(timer);
  }

  function messageOf(sid: string): FakeMessage {
    const message = messages.get(sid);
    if (!message) throw new Error(`fake Twilio created no message ${sid}`);
    return message;
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, error(FAILURES.server_error)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    accountSid,
    authToken,
    requests,
    get messages() {
      return [...messages.values()];
    },
    config: (clientOptions) => ({
      accountSid,
      authToken,
      httpClient: new RedirectingRequestClient(baseUrl, clientOptions),
    }),
    failNext(kind, { times = 1, ...rest } = {}) {
      if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
      for (let i = 0; i < times; i++) planned.push({ kind, ...rest });
    },
    optOut: (number) => optedOut.add(number),
    optIn: (number) => optedOut.delete(number),
    async sendStatusCallback(sid, status, { url, errorCode, params, ...webhook } = {}) {
      const { resource, statusCallback } = messageOf(sid);
      const target = url ?? statusCallback;
      if (target === null) throw new Error(`message ${sid} has no StatusCallback: pass a url`);
      const at = new Date();
      Object.assign(resource, {
        status,
        date_updated: rfc2822(at),
        error_code: errorCode === undefined ? null : Number(errorCode),
      });
      const sent = statusCallbackParams(resource, status, { from: serviceNumber, errorCode, at });
      return sendTwilioWebhook(target, { ...sent, ...params }, authToken, webhook);
    },
    sendInbound({ url, from, to, body, params, ...webhook }) {
      const sent = inboundParams({ accountSid, messageSid: newSid("SM"), from, to, body });
      return sendTwilioWebhook(url, { ...sent, ...params }, authToken, webhook);
    },
    async close() {
      for (const timer of lateReplies) clearTimeout(timer);
      lateReplies.clear();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
