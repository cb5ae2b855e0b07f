/**
 * A fake Vapi for tests: a real HTTP server on 127.0.0.1 that speaks Vapi's REST format
 * (`POST /call`, `GET /call/:id`), fails on demand the way Vapi does, and posts webhooks back.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { VapiWebhookAuth } from "@voxanne/core";
import type { CallScenarioOptions } from "./callScenario.ts";
import { callMessages } from "./callScenario.ts";
import type { VapiCall } from "./vapiFixtures.ts";
import { readVapiFixture, rebrand } from "./vapiFixtures.ts";
import type { SendWebhookOptions, WebhookReply } from "./webhookSender.ts";
import { sendWebhook } from "./webhookSender.ts";

/**
 * Trouble the fake can answer with: `rejected` 400, `unauthorized` 401, `rate_limited` 429 with
 * Retry-After, `server_error` 500, `slow` (handled normally, answered after `slowMs`: past the
 * client's time-out), `refuse` (stops listening: connections are refused until `resume()`).
 */
export type FakeVapiFailure = "rejected" | "unauthorized" | "rate_limited" | "server_error" | "slow" | "refuse";

export interface FailNextOptions {
  /** How many requests fail this way (default 1). `refuse` ignores it: it lasts until `resume()`. */
  times?: number;
  /** Stands for Vapi's own error text: it goes in the error body's `message`. */
  detail?: string;
  /** `rate_limited`: the Retry-After header, in seconds (default 1); null sends none. */
  retryAfterSeconds?: number | null;
}

/** One request that reached the fake, as received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON, or undefined. */
  body: unknown;
  /** The status answered (for `slow`, the one it answers late). */
  status: number;
  /** The id of the call this request placed, or null. */
  vendorCallId: string | null;
}

export interface FakeVapiOptions {
  /** The only API key accepted (default: a random one). */
  apiKey?: string;
  /** How long `slow` holds its answer (default 2 s). */
  slowMs?: number;
}

export interface PlayCallOptions extends CallScenarioOptions {
  /** The org's webhook URL. */
  url: string | URL;
  auth: VapiWebhookAuth;
  webhook?: SendWebhookOptions;
}

export interface FakeVapi {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** What `vapiTelephony` needs to talk to this fake. */
  readonly config: { apiKey: string; baseUrl: string };
  /** Every request received, oldest first, failed ones included. */
  readonly requests: readonly RecordedRequest[];
  /** The calls placed, oldest first. */
  readonly calls: readonly VapiCall[];
  /** Makes the next request(s) fail like `kind`, after any failures already planned. */
  failNext(kind: FakeVapiFailure, options?: FailNextOptions): Promise<void>;
  /** Listens again (same port) after `refuse`. */
  resume(): Promise<void>;
  /** POSTs a webhook like Vapi, authenticated with `auth`. */
  sendWebhook(
    url: string | URL,
    body: unknown,
    auth: VapiWebhookAuth,
    options?: SendWebhookOptions,
  ): Promise<WebhookReply>;
  /** POSTs the status updates and end-of-call report of a call this fake placed, in order; returns the replies. */
  playCall(vendorCallId: string, options: PlayCallOptions): Promise<WebhookReply[]>;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  404: "Not Found",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
};
const MAX_BODY_BYTES = 1_000_000;
const E164 = /^\+[1-9]\d{1,14}$/;
const BAD_KEY = "Invalid Key. Hot tip, make sure you're using the private key.";

/** Vapi's error body, NestJS style (fixtures/vapi/create-call.error-400.json). */
const nestError = (status: number, message: string | string[]): Reply => ({
  status,
  body: { message, error: STATUS_TEXT[status] ?? "Error", statusCode: status },
});

/**
 * Starts a fake Vapi on a free port of 127.0.0.1.
 *
 * @example
 * const vapi = await startFakeVapi();
 * const telephony = vapiTelephony({ ...vapi.config, timeoutMs: 300 });
 * const { vendorCallId } = await telephony.createOutboundCall(request);
 * await vapi.playCall(vendorCallId, { url: `${server}/webhooks/vapi`, auth: org.agent.vapiWebhookAuth });
 * await vapi.close();
 */
export async function startFakeVapi(options: FakeVapiOptions = {}): Promise<FakeVapi> {
  const apiKey = options.apiKey ?? `fake-vapi-key-${randomUUID()}`;
  const slowMs = options.slowMs ?? 2_000;
  const callTemplate = await readVapiFixture<VapiCall & { subscriptionLimits: unknown }>("create-call.response.json");
  const e164Message = (await readVapiFixture<{ message: string[] }>("create-call.error-400.json")).message[0] ?? "";

  const requests: RecordedRequest[] = [];
  const calls = new Map<string, VapiCall>();
  const planned: { kind: Exclude<FakeVapiFailure, "refuse">; detail: string | undefined; retryAfter: number | null }[] =
    [];
  const lateReplies = new Set<NodeJS.Timeout>();

  /** The problems class-validator would list for a create-call body; empty when it is fine. */
  function problems(body: unknown): string[] {
    if (typeof body !== "object" || body === null) return ["body must be a JSON object"];
    const { assistantId, phoneNumberId, customer, assistantOverrides } = body as Record<string, unknown>;
    const found: string[] = [];
    if (typeof assistantId !== "string") found.push("assistantId must be a string");
    if (typeof phoneNumberId !== "string") found.push("phoneNumberId must be a string");
    if (typeof customer !== "object" || customer === null) return [...found, "customer must be an object"];
    const { number, name } = customer as Record<string, unknown>;
    if (typeof number !== "string" || !E164.test(number)) found.push(e164Message);
    if (name !== undefined && (typeof name !== "string" || name.length > 40)) {
      found.push("customer.name must be shorter than or equal to 40 characters");
    }
    if (assistantOverrides !== undefined && (typeof assistantOverrides !== "object" || assistantOverrides === null)) {
      found.push("assistantOverrides must be an object");
    }
    return found;
  }

  /** Places the call (queued, echoing what was asked), like create-call.response.json. */
  function place(body: Record<string, unknown>): VapiCall & { subscriptionLimits: unknown } {
    const id = randomUUID();
    const now = new Date().toISOString();
    const {
      subscriptionLimits,
      name: _name,
      assistantOverrides: _overrides,
      ...template
    } = rebrand(callTemplate, callTemplate.id, id);
    const call: VapiCall = {
      ...template,
      id,
      createdAt: now,
      updatedAt: now,
      status: "queued",
      assistantId: body.assistantId as string,
      phoneNumberId: body.phoneNumberId as string,
      customer: body.customer as VapiCall["customer"],
      ...(body.assistantOverrides !== undefined && {
        assistantOverrides: body.assistantOverrides as Record<string, unknown>,
      }),
      ...(typeof body.name === "string" && { name: body.name }),
    };
    calls.set(id, call);
    return { ...call, subscriptionLimits };
  }

  function route(request: RecordedRequest): Reply {
    if (request.headers.authorization !== `Bearer ${apiKey}`) return nestError(401, BAD_KEY);
    if (request.method === "POST" && request.path === "/call") {
      const found = problems(request.body);
      if (found.length > 0) return nestError(400, found);
      const call = place(request.body as Record<string, unknown>);
      request.vendorCallId = call.id;
      return { status: 201, body: call };
    }
    const byId = /^\/call\/([^/]+)$/.exec(request.path);
    if (request.method === "GET" && byId) {
      const call = calls.get(decodeURIComponent(byId[1] ?? ""));
      return call ? { status: 200, body: call } : nestError(404, "Call not found");
    }
    return nestError(404, `Cannot ${request.method} ${request.path}`);
  }

  function failure(
    kind: "rejected" | "unauthorized" | "rate_limited" | "server_error",
    detail = "",
    retryAfter: number | null = 1,
  ): Reply {
    switch (kind) {
      case "rejected":
        return nestError(400, [detail || "Couldn't create the call"]);
      case "unauthorized":
        return nestError(401, detail || BAD_KEY);
      case "rate_limited":
        return {
          ...nestError(429, detail || "Too Many Requests"),
          ...(retryAfter !== null && { headers: { "retry-after": String(retryAfter) } }),
        };
      case "server_error":
        return { status: 500, body: { statusCode: 500, message: detail || "Internal server error" } };
    }
  }

  function send(res: ServerResponse, reply: Reply) {
    if (res.destroyed) return;
    // No keep-alive: every request opens its own connection, so `refuse` is seen at once.
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
    const url = new URL(req.url ?? "/", "http://fake-vapi");
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      headers: req.headers,
      rawBody,
      body: parseJson(rawBody),
      status: 0,
      vendorCallId: null,
    };
    requests.push(request);

    const next = planned.shift();
    let reply: Reply;
    if (size > MAX_BODY_BYTES) reply = nestError(413, "request entity too large");
    else if (next && next.kind !== "slow") reply = failure(next.kind, next.detail, next.retryAfter);
    else reply = route(request);
    request.status = reply.status;
    if (next?.kind !== "slow") return send(res, reply);
    const timer = setTimeout(() => {
      lateReplies.delete(timer);
      send(res, reply);
    }, slowMs);
    lateReplies.add(timer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, { status: 500, body: { statusCode: 500, message: "fake failed" } }));
  });
  await listen(server, 0);
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    apiKey,
    config: { apiKey, baseUrl },
    requests,
    get calls() {
      return [...calls.values()];
    },
    async failNext(kind, { times = 1, detail, retryAfterSeconds = 1 } = {}) {
      if (kind === "refuse") return stopListening(server);
      if (!Number.isInteger(times) || times < 1) throw new RangeError(`times must be a positive integer, got ${times}`);
      for (let i = 0; i < times; i++) planned.push({ kind, detail, retryAfter: retryAfterSeconds });
    },
    async resume() {
      if (!server.listening) await listen(server, port);
    },
    sendWebhook,
    async playCall(vendorCallId, { url, auth, webhook, ...scenario }) {
      const call = calls.get(vendorCallId);
      if (!call) throw new Error(`fake Vapi placed no call ${vendorCallId}`);
      const replies: WebhookReply[] = [];
      for (const message of await callMessages(call, scenario)) {
        replies.push(await sendWebhook(url, { message }, auth, webhook));
      }
      return replies;
    },
    async close() {
      for (const timer of lateReplies) clearTimeout(timer);
      lateReplies.clear();
      await stopListening(server);
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function listen(server: ReturnType<typeof createServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Stops accepting connections and drops the open ones: the next connection is refused. */
function stopListening(server: ReturnType<typeof createServer>): Promise<void> {
  server.closeAllConnections();
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => server.close(() => resolve()));
}
