/**
 * Vendors for running without credentials. They log what they would send (ids only: no phone
 * numbers or message text in logs) and the Vapi one plays a placed callback back as the webhooks
 * Vapi would send, into the server's own `/webhooks/vapi` with the org's own webhook auth, so a
 * callback on a laptop goes through the same decoding, projection and live updates as in production.
 */
import { randomUUID } from "node:crypto";
import type { OrganizationDirectory, OutboundCallRequest, Sms, Telephony } from "@voxanne/core";
import { endedMessage, endOfCallReport, inProgressMessage, outboundParties } from "./vapiPlayback.ts";
import { vapiWebhookHeaders } from "./vapiSigning.ts";

/** The part of a pino logger the simulators use. */
export interface SimulatorLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface VapiSimulatorOptions {
  log: SimulatorLog;
  /** To find the org's webhook auth by the assistant id, as Vapi's dashboard would be set up. */
  organizations: OrganizationDirectory;
  /** Ringing time before the call connects (default 1 s). */
  answerAfterMs?: number;
  /** How long the simulated conversation lasts (default 4 s). */
  talkForMs?: number;
  fetch?: typeof fetch;
}

export interface VapiSimulator extends Telephony {
  /** The server's `/webhooks/vapi` URL; until it is set, calls are logged but not played back. */
  deliverTo(url: string): void;
  /** Resolves once every playback started so far has finished. */
  idle(): Promise<void>;
  /** Cancels the playbacks still waiting and waits for the one in flight. */
  stop(): Promise<void>;
}

/**
 * A Telephony that places no call: vendor ids are `sim-call-<uuid>`, and each call is played back
 * (in-progress, ended, end-of-call report) in the background.
 */
export function vapiSimulator(options: VapiSimulatorOptions): VapiSimulator {
  const { log, organizations } = options;
  const fetchFn = options.fetch ?? globalThis.fetch;
  const answerAfterMs = options.answerAfterMs ?? 1_000;
  const talkForMs = options.talkForMs ?? 4_000;
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  let target: string | undefined;

  const wait = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      if (stopping.signal.aborted) return reject(stopping.signal.reason);
      const cancel = () => {
        clearTimeout(timer);
        reject(stopping.signal.reason);
      };
      const timer = setTimeout(() => {
        stopping.signal.removeEventListener("abort", cancel);
        resolve();
      }, ms);
      stopping.signal.addEventListener("abort", cancel, { once: true });
    });

  async function post(url: string, request: OutboundCallRequest, payload: { message: { type: string } }) {
    const org = await organizations.findByAgentId(request.assistantId);
    const body = JSON.stringify(payload);
    const headers = vapiWebhookHeaders(org?.agent.vapiWebhookAuth ?? { type: "none" }, body);
    const response = await fetchFn(url, { method: "POST", headers, body });
    await response.body?.cancel();
    const fields = {
      orgId: request.orgId,
      callId: request.callId,
      type: payload.message.type,
      status: response.status,
    };
    if (response.ok) log.info(fields, "Vapi simulator: webhook played back");
    else log.warn(fields, "Vapi simulator: webhook refused");
  }

  async function playBack(url: string, request: OutboundCallRequest, vendorCallId: string) {
    const parties = outboundParties(request);
    await wait(answerAfterMs);
    const startedAt = new Date();
    await post(url, request, inProgressMessage(parties, vendorCallId, startedAt));
    await wait(talkForMs);
    const times = { startedAt, endedAt: new Date() };
    await post(url, request, endedMessage(parties, vendorCallId, times));
    await post(url, request, endOfCallReport(parties, vendorCallId, times));
  }

  const track = (work: Promise<void>) => {
    const done = work.catch((error: unknown) => {
      if (!stopping.signal.aborted) log.warn({ error: String(error) }, "Vapi simulator: playback failed");
    });
    running.add(done);
    void done.finally(() => running.delete(done));
  };

  return {
    async createOutboundCall(request) {
      const vendorCallId = `sim-call-${randomUUID()}`;
      log.info(
        { orgId: request.orgId, callId: request.callId, assistantId: request.assistantId, vendorCallId },
        "Vapi simulator: would place an outbound call",
      );
      if (target && !stopping.signal.aborted) track(playBack(target, request, vendorCallId));
      return { vendorCallId };
    },
    deliverTo(url) {
      target = url;
    },
    async idle() {
      while (running.size > 0) await Promise.all(running);
    },
    async stop() {
      stopping.abort(new Error("the Vapi simulator stopped"));
      await Promise.all(running);
    },
  };
}

/** An Sms that sends nothing: vendor ids are `sim-sms-<uuid>`, status `queued`. */
export function smsSimulator(log: SimulatorLog): Sms {
  return {
    async send(request) {
      const vendorMessageId = `sim-sms-${randomUUID()}`;
      log.info(
        { orgId: request.orgId, messageId: request.messageId, vendorMessageId, chars: request.body.length },
        "SMS simulator: would send a text message",
      );
      return { vendorMessageId, status: "queued" };
    },
  };
}
