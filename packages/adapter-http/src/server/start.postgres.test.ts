/**
 * The server on a PostgreSQL server: migrations, the demo org, and two server processes (two
 * containers here) on one database hearing each other's live events through LISTEN/NOTIFY. Needs
 * `DATABASE_ADMIN_URL` (CI starts a throwaway server) or a local server at 127.0.0.1:5432; a local
 * run without one skips, CI fails.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "./config.ts";
import { DEMO_AGENT, DEMO_ORG_ID } from "./demo.ts";
import type { RunningServer } from "./start.ts";
import { startServer } from "./start.ts";
import { ADMIN_URL, admin, postgresAvailable } from "./testPostgres.ts";
import { eventually, liveClient, postVapi } from "./testSupport.ts";
import { callMessages } from "./vapiPlayback.ts";

describe.skipIf(!postgresAvailable)("startServer on a PostgreSQL server", () => {
  const name = `voxanne_start_${randomBytes(6).toString("hex")}`;
  let dir: string;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    await admin(`create database ${name}`);
    dir = await mkdtemp(join(tmpdir(), "voxanne-start-pg-"));
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: url.toString(),
      RECORDINGS_DIR: join(dir, "recordings"),
      JWT_SECRET: "start-pg-test-secret-0123456789abcdefghij",
    });
    const quiet = { logger: pino({ level: "silent" }), print: () => {} };
    servers.push(await startServer(config, quiet)); // migrates, creates the demo org
    servers.push(await startServer(config, quiet)); // finds both done
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await admin(`drop database if exists ${name} with (force)`);
    await rm(dir, { recursive: true, force: true });
  });

  it("delivers one process's live events to the other's WebSocket clients", async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error("two servers expected");
    expect(a.demo?.orgId).toBe(DEMO_ORG_ID);
    expect((await fetch(`${b.url}/health`)).status).toBe(200);

    const live = await liveClient(b.url, b.demo?.token ?? "");
    const org = await a.voxanne.organizations.get(DEMO_ORG_ID);
    const parties = {
      direction: "inbound" as const,
      assistantId: DEMO_AGENT.assistantId,
      phoneNumberId: DEMO_AGENT.phoneNumberId,
      customer: { number: "+13125550123", name: "Maria Lopez" },
    };
    const startedAt = new Date(Date.now() - 60_000);
    const payloads = callMessages(parties, "vapi-pg-1", { startedAt, endedAt: new Date() });
    expect(await postVapi(a.url, org.agent.vapiWebhookAuth, payloads)).toEqual([200, 200, 200]);

    await eventually(async () => expect(live.events.map((e) => e.type)).toContain("call.ended"));
    await live.close();
  });
});
