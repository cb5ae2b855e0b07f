/**
 * The Vapi webhook handler, framework-agnostic: the HTTP adapter mounts it on a route and hands it
 * the headers and the raw body. It does the least that makes a delivery safe (DESIGN.md "Event
 * log first"): size and shape checks, the org from the agent ids, authentication, one append to
 * the event log; the projector does the rest. Tool calls are the exception: Vapi waits for their
 * answer, so they are answered inline.
 */
import { createHash } from "node:crypto";
import type { Organization, Voxanne } from "@voxanne/core";
import { isVoxanneError, ValidationFailed } from "@voxanne/core";
import type { VapiAuthResult, VapiRequest } from "./auth.ts";
import { verifyVapiRequest } from "./auth.ts";
import { callRefOf } from "./decoder.ts";
import type { VapiServerMessage, VapiToolCall } from "./messages.ts";
import {
  handOver,
  isPlainObject,
  parseVapiEnvelope,
  parseVapiMessage,
  toolCallsOf,
  VAPI_MESSAGE_INVALID,
} from "./messages.ts";
import { orgCache } from "./orgCache.ts";
import type { ToolCallContext, ToolCallRequest, ToolCallResult } from "./toolCalls.ts";
import { answerToolCalls } from "./tools.ts";

export type VapiWebhookLogLevel = "debug" | "info" | "warn" | "error";
/** Where the handler reports; fields never hold transcripts, phone numbers or secrets. */
export type VapiWebhookLog = (level: VapiWebhookLogLevel, message: string, fields: Record<string, unknown>) => void;

export interface VapiWebhookOptions {
  /** A Voxanne with `vapiDecoder` registered. */
  voxanne: Voxanne;
  /** For the HMAC timestamp's skew; defaults to the Voxanne's clock. */
  now?: () => Date;
  /** Larger bodies are refused with 413 (default 2 MiB; a long call's report is a few hundred KB). */
  maxBodyBytes?: number;
  /**
   * How long the org found for a message's agent ids is reused, in ms (default 5 s; 0: looked up
   * every time). A changed webhook secret is read again at once (a refusal by the remembered org
   * looks it up afresh); a secret withdrawn or an id moved to another org is seen within this time.
   */
  orgCacheMs?: number;
  log?: VapiWebhookLog;
}

export type VapiWebhookRequest = VapiRequest;
export interface VapiWebhookResponse {
  status: number;
  body: unknown;
  /**
   * What a stored delivery was (ids only), for the caller's own log line of the request: the
   * handler reports a stored delivery at `debug` only, so a server logs one line per webhook.
   */
  context?: { orgId: string; type: string; vendorCallId: string; inserted: boolean };
}

export const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;
export const DEFAULT_ORG_CACHE_MS = 5_000;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What the assistant hears when a tool could not run; it may read it out, so no internals. */
export const TOOL_FAILURES = {
  unreadableArguments: "I couldn't read the details for that. Please try again.",
  failed: "I couldn't do that right now. Please offer to have the clinic call back.",
} as const;

const reply = (status: number, body: unknown): VapiWebhookResponse => ({ status, body });
const failure = (status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  reply(status, { error: { code, message, ...extra } });
const invalid = (error: ValidationFailed) =>
  failure(400, error.code, error.message, { issues: error.issues.map(({ path, message }) => ({ path, message })) });

/**
 * The event key of a delivery: `{call.id}:{type}:{status}:{timestamp}` (status only on
 * `status-update`; timestamp in epoch ms). Every duplicate of one delivery carries the same
 * message, hence the same key, and is stored once. Without a timestamp the body's hash stands in.
 */
export function vapiEventKey(message: VapiServerMessage, rawBody: Uint8Array): string {
  const status = message.type === "status-update" ? message.status : "";
  const when =
    message.timestamp?.getTime() ?? `sha256-${createHash("sha256").update(rawBody).digest("hex").slice(0, 32)}`;
  return `${message.call.id}:${message.type}:${status}:${when}`;
}

/** The ids that name the org, most specific first: the call's assistant, the assistant, the number. */
function agentIdsOf(message: Record<string, unknown>): string[] {
  const at = (parent: unknown, key: string) => (isPlainObject(parent) ? parent[key] : undefined);
  const ids = [
    at(message.call, "assistantId"),
    at(message.assistant, "id"),
    at(message.phoneNumber, "id"),
    at(message.call, "phoneNumberId"),
  ];
  return [...new Set(ids.filter((id): id is string => typeof id === "string" && id.trim() !== ""))];
}

/** Runs a parse: its value, or the 400 that names the bad fields. Other errors are bugs and throw. */
function readOrRefuse<T>(parse: () => T): { ok: true; value: T } | { ok: false; response: VapiWebhookResponse } {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    if (error instanceof ValidationFailed) return { ok: false, response: invalid(error) };
    throw error;
  }
}

/** A Vapi answer is one line: its parser breaks on line breaks. */
const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();

function contextOf(message: VapiServerMessage, now: Date): ToolCallContext {
  const ref = callRefOf(message);
  return {
    vendorCallId: ref.vendorCallId,
    direction: ref.direction ?? "inbound",
    customerNumber: ref.customerNumber ?? null,
    customerName: ref.customerName ?? null,
    clinicNumber: ref.clinicNumber ?? null,
    at: message.timestamp ?? now,
  };
}

/**
 * Makes the handler. Answers, by case:
 * - 413 body over `maxBodyBytes`; 400 not JSON, not `{message: {type}}`, or a message we act on
 *   whose fields we read are missing or of the wrong type (`error.issues` names each field);
 * - 202 `{}` when no org has the message's assistant or phone number (logged; Vapi stops there);
 * - 401 `{error: {code, message}}` when the org's authentication refuses it;
 * - `tool-calls` / `function-call`: 200 `{results: [...]}` / `{result}` answered inline, the
 *   message logged too (a failed append is logged, the answer still goes out);
 * - `status-update`, `end-of-call-report`, `transfer-update`, `hang`: appended to the event log,
 *   then 200 `{}` with `context` (the org and call ids, for the caller's log line); 503 when the
 *   append fails, so a retrying Vapi retries;
 * - any other type: 200 `{}`, nothing stored;
 * - 503 when the org lookup fails, 500 `INTERNAL` (no details) for anything unexpected.
 * Nothing is written unless the request was authenticated and its message read.
 *
 * @example
 * const handle = vapiWebhookHandler({ voxanne, log: (level, msg, fields) => logger[level](fields, msg) });
 * app.post("/webhooks/vapi", async (c) => {
 *   const { status, body } = await handle({ headers: c.req.raw.headers, rawBody: new Uint8Array(await c.req.arrayBuffer()) });
 *   return c.json(body, status);
 * });
 */
export function vapiWebhookHandler(
  options: VapiWebhookOptions,
): (request: VapiWebhookRequest) => Promise<VapiWebhookResponse> {
  const { voxanne } = options;
  if (!voxanne.deps.decoders.has("vapi")) {
    throw new Error("vapiWebhookHandler needs a Voxanne created with `decoders: [vapiDecoder]`");
  }
  const now = options.now ?? (() => voxanne.deps.clock.now());
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log: VapiWebhookLog = (level, message, fields) => {
    try {
      options.log?.(level, message, fields);
    } catch {
      // A broken logger must not turn an answer into a failure.
    }
  };

  const orgs = orgCache(options.orgCacheMs ?? DEFAULT_ORG_CACHE_MS);

  async function findOrg(agentIds: string[]): Promise<Organization | null> {
    for (const id of agentIds) {
      const org = await voxanne.deps.storage.organizations.findByAgentId(id);
      if (org) return org;
    }
    return null;
  }

  /**
   * The org the agent ids name and its verdict on the request: the remembered org when it accepts
   * the request, else the database's (a refusal may come from an old copy, e.g. a rotated secret).
   * Only an org that accepted a request is remembered.
   */
  async function authenticatedOrg(
    agentIds: string[],
    request: VapiRequest,
    type: string,
  ): Promise<{ org: Organization; auth: VapiAuthResult } | "unknown" | "unavailable"> {
    const key = agentIds.join("\n");
    const remembered = orgs.get(key);
    if (remembered) {
      const auth = verifyVapiRequest(remembered.agent.vapiWebhookAuth, request, now());
      if (auth.ok) return { org: remembered, auth };
    }
    let org: Organization | null;
    try {
      org = await findOrg(agentIds);
    } catch (error) {
      log("error", "vapi webhook: organization lookup failed", { type, error: describe(error) });
      return "unavailable";
    }
    if (!org) {
      orgs.forget(key);
      return "unknown";
    }
    const auth = verifyVapiRequest(org.agent.vapiWebhookAuth, request, now());
    if (auth.ok) orgs.set(key, org);
    else orgs.forget(key);
    return { org, auth };
  }

  async function answerTools(
    org: Organization,
    message: VapiServerMessage,
    eventKey: string,
    payload: unknown,
    text: string,
  ): Promise<VapiWebhookResponse> {
    const fields = { orgId: org.id, type: message.type, vendorCallId: message.call.id };
    const logged = voxanne.receive("vapi", org.id, eventKey, payload, text).then(
      () => {},
      (error: unknown) => log("error", "vapi tool call answered but not logged", { ...fields, error: describe(error) }),
    );
    const calls = toolCallsOf(message);
    const readable = calls.filter((c): c is VapiToolCall & ToolCallRequest => c.arguments !== null);
    let answers: ToolCallResult[] = [];
    try {
      answers = await answerToolCalls(voxanne, org.id, readable, contextOf(message, now()));
    } catch (error) {
      log("error", "vapi tool call failed", { ...fields, error: describe(error) });
    }
    const byId = new Map(answers.map((a) => [a.toolCallId, a]));
    const results = calls.map((call): ToolCallResult => {
      const answer = byId.get(call.id);
      const base = { toolCallId: call.id, name: call.name };
      if (call.arguments === null) return { ...base, error: TOOL_FAILURES.unreadableArguments };
      if (!answer) return { ...base, error: TOOL_FAILURES.failed };
      return "result" in answer
        ? { ...base, result: oneLine(answer.result) }
        : { ...base, error: oneLine(answer.error) };
    });
    await logged;
    log("info", "vapi tool calls answered", { ...fields, answered: results.length });
    if (message.type === "tool-calls") return reply(200, { results });
    // The legacy form has one answer and no error field: the assistant speaks whatever `result` says.
    const only = results[0];
    return reply(200, { result: only && ("result" in only ? only.result : only.error) });
  }

  async function handle({ headers, rawBody }: VapiWebhookRequest): Promise<VapiWebhookResponse> {
    if (rawBody.byteLength > maxBodyBytes) {
      return failure(413, "PAYLOAD_TOO_LARGE", `The body is over ${maxBodyBytes} bytes`);
    }
    let text: string;
    let payload: unknown;
    try {
      text = utf8.decode(rawBody);
      payload = JSON.parse(text);
    } catch {
      return invalid(new ValidationFailed([{ path: "body", message: "must be JSON" }], VAPI_MESSAGE_INVALID));
    }
    // The envelope first (400 before the org is looked up); the whole message once authenticated.
    const envelope = readOrRefuse(() => parseVapiEnvelope(payload));
    if (!envelope.ok) return envelope.response;
    const raw = envelope.value.message;
    const type = raw.type;

    const agentIds = agentIdsOf(raw);
    const found = await authenticatedOrg(agentIds, { headers, rawBody }, type);
    if (found === "unavailable") return failure(503, "STORAGE_UNAVAILABLE", "Try again later");
    if (found === "unknown") {
      log("warn", "vapi webhook for an unknown organization", { type, agentIds });
      return reply(202, {});
    }
    const { org, auth } = found;
    if (!auth.ok) {
      log("warn", "vapi webhook refused", { orgId: org.id, type, code: auth.code, reason: auth.reason });
      return failure(401, auth.code, "The webhook could not be authenticated");
    }
    const parsed = readOrRefuse(() => parseVapiMessage(payload));
    if (!parsed.ok) return parsed.response;
    if (!parsed.value.known) {
      log("debug", "vapi webhook ignored", { orgId: org.id, type });
      return reply(200, {});
    }

    const { message } = parsed.value;
    // `receive` decodes this payload next: it takes this parse rather than reading the body twice.
    handOver(payload as object, message);
    const eventKey = vapiEventKey(message, rawBody);
    if (message.type === "tool-calls" || message.type === "function-call") {
      return answerTools(org, message, eventKey, payload, text);
    }
    try {
      // The body's text goes along: the store keeps it as is rather than serialising `payload` again.
      const { inserted } = await voxanne.receive("vapi", org.id, eventKey, payload, text);
      const context = { orgId: org.id, type, vendorCallId: message.call.id, inserted };
      log("debug", "vapi webhook logged", context);
      return { ...reply(200, {}), context };
    } catch (error) {
      if (error instanceof ValidationFailed) return invalid(error);
      log("error", "vapi webhook not logged", { orgId: org.id, type, error: describe(error) });
      return failure(503, "EVENT_LOG_UNAVAILABLE", "The event could not be stored; try again later");
    }
  }

  return async (request) => {
    try {
      return await handle(request);
    } catch (error) {
      log("error", "vapi webhook failed", { error: describe(error) });
      return failure(500, "INTERNAL", "Internal error");
    }
  };
}

/** An error as logs may hold it: its kind and code, never its message (which may quote a payload). */
function describe(error: unknown): Record<string, unknown> {
  if (isVoxanneError(error)) return { name: error.name, code: error.code };
  return { name: error instanceof Error ? error.name : typeof error };
}
