import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RunningServer } from "@voxanne/adapter-http/server";
import { callMessages, DEMO_AGENT, DEMO_ORG_ID, loadConfig, vapiWebhookHeaders } from "@voxanne/adapter-http/server";
import { pino } from "pino";
import { afterAll, beforeAll, expect, it } from "vitest";
import { acmeTelephony } from "./acmeTelephony.ts";
import { startWithTelephony } from "./swap.ts";

const acme = acmeTelephony();
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "voxanne-swap-"));
  const config = loadConfig({ PORT: "0", PGLITE_DIR: join(dir, "pgdata"), RECORDINGS_DIR: join(dir, "recordings") });
  server = await startWithTelephony(config, acme, { logger: pino({ level: "silent" }), print: () => {} });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

it("places the dashboard's callback through the swapped-in vendor", async () => {
  const api = async (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${server.demo?.token}` } });

  // A caller becomes a lead through a (Vapi) inbound call: webhooks are untouched by the swap.
  const org = await server.voxanne.organizations.get(DEMO_ORG_ID);
  const parties = {
    direction: "inbound" as const,
    assistantId: DEMO_AGENT.assistantId,
    phoneNumberId: DEMO_AGENT.phoneNumberId,
    customer: { number: "+13125550123", name: "Maria Lopez" },
  };
  const startedAt = new Date(Date.now() - 60_000);
  for (const payload of callMessages(parties, "vapi-call-1", { startedAt, endedAt: new Date() })) {
    const body = JSON.stringify(payload);
    const headers = vapiWebhookHeaders(org.agent.vapiWebhookAuth, body);
    expect((await fetch(`${server.url}/webhooks/vapi`, { method: "POST", headers, body })).status).toBe(200);
  }
  await server.voxanne.settle();
  const contacts = (await (await api("/api/contacts")).json()) as { items: { id: string }[] };
  const contactId = contacts.items[0]?.id;

  const response = await api(`/api/contacts/${contactId}/call-back`, { method: "POST" });
  expect(response.status).toBe(202);
  const { call } = (await response.json()) as { call: { id: string } };

  expect(acme.dialled).toMatchObject([
    { orgId: DEMO_ORG_ID, callId: call.id, customer: { number: "+13125550123" }, vendorCallId: "acme-1" },
  ]);
  const stored = (await (await api(`/api/calls/${call.id}`)).json()) as { vendorCallId: string };
  expect(stored.vendorCallId).toBe("acme-1");
});
