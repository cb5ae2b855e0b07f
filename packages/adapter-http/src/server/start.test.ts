import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { DEMO_ORG_ID } from "./demo.ts";
import { demoInboundCall } from "./demoInboundCall.ts";
import type { RunningServer } from "./start.ts";
import { startServer } from "./start.ts";
import { eventually, liveClient, postVapi, sleep } from "./testSupport.ts";
import { vapiWebhookHeaders } from "./vapiSigning.ts";

const DEMO_CALLER = { customer: { number: "+13125550123", name: "Maria Lopez" } };

interface CallItem {
  id: string;
  vendorCallId: string | null;
  direction: string;
  status: string;
  durationSeconds: number | null;
  summary: string | null;
}

/** An inbound call to the demo org, as Vapi reports it. */
const inboundCall = (vendorCallId: string, startedAt: Date, endedAt: Date) =>
  demoInboundCall(
    vendorCallId,
    DEMO_CALLER.customer,
    { startedAt, endedAt },
    "I'd like a price for Botox, please, and a call back.",
    "Maria asked about Botox prices and wants a call back.",
  );

describe("startServer with PGlite and the simulators", () => {
  let dir: string;
  let server: RunningServer;
  let token: string;
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const calls = async () => ((await (await api("/api/calls-dashboard")).json()) as { items: CallItem[] }).items;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "voxanne-start-"));
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      PGLITE_DIR: join(dir, "pgdata"),
      RECORDINGS_DIR: join(dir, "recordings"),
      JWT_SECRET: "start-test-secret-0123456789abcdefghijkl",
    });
    server = await startServer(config, {
      logger: pino({ level: "silent" }),
      print: () => {},
      simulator: { answerAfterMs: 50, talkForMs: 1_100 },
    });
    token = server.demo?.token ?? "";
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("answers /health and has the demo org with its price list and a dev token", async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(server.demo?.orgId).toBe(DEMO_ORG_ID);
    const services = (await (await api("/api/services")).json()) as { items: unknown[] };
    expect(services.items.length).toBeGreaterThan(0);
    expect((await fetch(`${server.url}/api/services`)).status).toBe(401);
  });

  it("takes a signed Vapi webhook in and shows the call through the API", async () => {
    const org = await server.voxanne.organizations.get(DEMO_ORG_ID);
    const live = await liveClient(server.url, token);
    const started = new Date(Date.now() - 95_000);
    const payloads = inboundCall("vapi-inbound-1", started, new Date(started.getTime() + 90_000));
    expect(await postVapi(server.url, org.agent.vapiWebhookAuth, payloads)).toEqual([200, 200, 200]);
    const unsigned = await fetch(`${server.url}/webhooks/vapi`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(inboundCall("vapi-inbound-2", started, new Date())[0]),
    });
    expect(unsigned.status).toBe(401);

    const call = await eventually(async () => {
      const found = (await calls()).find((c) => c.vendorCallId === "vapi-inbound-1");
      expect(found).toMatchObject({ direction: "inbound", status: "completed", durationSeconds: 90 });
      return found;
    });
    expect(call?.summary).toMatch(/Botox/);
    await eventually(async () => expect(live.events.map((e) => e.type)).toContain("call.ended"));
    expect(new Set(live.events.map((e) => e.orgId))).toEqual(new Set([DEMO_ORG_ID]));
    await live.close();
  });

  it("places a callback through the simulator, which plays Vapi's webhooks back until the call completes", async () => {
    const contacts = (await (await api("/api/contacts")).json()) as { items: { id: string }[] };
    const contact = contacts.items[0];
    expect(contact).toBeDefined();
    const placed = await api(`/api/contacts/${contact?.id}/call-back`, { method: "POST" });
    expect(placed.status).toBe(202);
    const { call } = (await placed.json()) as { call: CallItem };

    const done = await eventually(async () => {
      const found = (await calls()).find((c) => c.id === call.id);
      expect(found).toMatchObject({ direction: "outbound", status: "completed" });
      expect(found?.vendorCallId).toMatch(/^sim-call-/);
      expect(found?.summary).toEqual(expect.any(String)); // the end-of-call report is in
      return found;
    });
    expect(done?.summary).toMatch(/consultation/);
    expect(done?.durationSeconds).toBeGreaterThanOrEqual(1);
  });

  it("closes: finishes the request in flight, then frees the port", async () => {
    const { port } = server;
    const org = await server.voxanne.organizations.get(DEMO_ORG_ID);
    const body = JSON.stringify(inboundCall("vapi-inbound-3", new Date(), new Date())[0]);
    // A body sent in two parts: the request is surely in flight when close() starts.
    let push: (chunk: string | null) => void = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (chunk) => (chunk === null ? controller.close() : controller.enqueue(new TextEncoder().encode(chunk)));
      },
    });
    const headers = vapiWebhookHeaders(org.agent.vapiWebhookAuth, body);
    const inFlight = fetch(`${server.url}/webhooks/vapi`, {
      method: "POST",
      headers,
      body: stream,
      duplex: "half",
    } as RequestInit);
    push(body.slice(0, 20));
    await sleep(100);
    const closing = server.close();
    await sleep(100);
    push(body.slice(20));
    push(null);
    expect((await inFlight).status).toBe(200);
    await closing;
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    await new Promise<void>((resolve, reject) => {
      const probe = createServer().once("error", reject);
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve()));
    });
    await server.close(); // a second close is harmless
  });
});
