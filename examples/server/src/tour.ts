/**
 * The full stack started in code: the server on a free port over PGlite in a temporary folder,
 * with the Vapi and SMS simulators. A call comes in as Vapi would post it, the dashboard shows it,
 * a callback is placed through the API and the simulator plays the call back until it completes.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StartOptions, VapiConversation } from "@voxanne/adapter-http/server";
import {
  callMessages,
  DEMO_AGENT,
  DEMO_ORG_ID,
  loadConfig,
  startServer,
  vapiWebhookHeaders,
} from "@voxanne/adapter-http/server";
import type { Pulse } from "@voxanne/core";

export interface TourResult {
  pulse: Pulse;
  calls: { direction: string; status: string; summary: string | null }[];
}

const CALLER = { number: "+13125550123", name: "Maria Lopez" };
const ENQUIRY: VapiConversation = {
  lines: [
    ["bot", "Bright Aesthetics, this is Ava. How can I help?"],
    ["user", "Hi, how much is Botox for forehead lines? Could someone call me back?"],
    ["bot", "Of course, Maria. Someone from the clinic will call you back today."],
  ],
  summary: "Maria asked about Botox for forehead lines and asked for a call back.",
};

/** Polls `read` until `done` holds of what it returned (projection runs in the background). */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function runTour(options: StartOptions = {}): Promise<TourResult> {
  const dir = await mkdtemp(join(tmpdir(), "voxanne-example-"));
  const config = loadConfig({
    PORT: "0",
    PGLITE_DIR: join(dir, "pgdata"),
    RECORDINGS_DIR: join(dir, "recordings"),
    LOG_LEVEL: "warn",
  });
  const server = await startServer(config, { simulator: { answerAfterMs: 200, talkForMs: 2_000 }, ...options });
  try {
    const api = async (path: string, init: RequestInit = {}) => {
      const headers = { authorization: `Bearer ${server.demo?.token}`, ...init.headers };
      return (await fetch(`${server.url}${path}`, { ...init, headers })).json() as Promise<Record<string, unknown>>;
    };

    // 1. Vapi reports an inbound call, signed with the demo org's webhook secret.
    const org = await server.voxanne.organizations.get(DEMO_ORG_ID);
    const startedAt = new Date(Date.now() - 120_000);
    const parties = {
      direction: "inbound" as const,
      assistantId: DEMO_AGENT.assistantId,
      phoneNumberId: DEMO_AGENT.phoneNumberId,
      customer: CALLER,
    };
    const times = { startedAt, endedAt: new Date(startedAt.getTime() + 110_000) };
    for (const payload of callMessages(parties, "vapi-call-1", times, ENQUIRY)) {
      const body = JSON.stringify(payload);
      await fetch(`${server.url}/webhooks/vapi`, {
        method: "POST",
        headers: vapiWebhookHeaders(org.agent.vapiWebhookAuth, body),
        body,
      });
    }
    const contacts = await until(
      () => api("/api/contacts") as Promise<{ items: { id: string }[] }>,
      (page) => page.items.length > 0,
    );

    // 2. The clinic calls the lead back from the dashboard; the simulator plays the call back.
    const contactId = contacts.items[0]?.id;
    await api(`/api/contacts/${contactId}/call-back`, { method: "POST" });
    const calls = await until(
      () => api("/api/calls-dashboard") as Promise<{ items: TourResult["calls"] }>,
      (page) => page.items.length === 2 && page.items.every((c) => c.status === "completed" && c.summary !== null),
    );
    const pulse = (await api("/api/analytics/dashboard-pulse")) as unknown as Pulse;
    return { pulse, calls: calls.items.map(({ direction, status, summary }) => ({ direction, status, summary })) };
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
