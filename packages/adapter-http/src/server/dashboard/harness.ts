/**
 * A real server for the dashboard's browser tests: `startServer` as `pnpm start` composes it
 * (PGlite in a temporary folder, the Vapi and SMS simulators, the demo org and its dev token), on a
 * free port, with its log lines kept so a test can see what the simulators were asked to do.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Organization } from "@voxanne/core";
import { pino } from "pino";
import { loadConfig } from "../config.ts";
import { DEMO_ORG_ID } from "../demo.ts";
import { demoInboundCall } from "../demoInboundCall.ts";
import type { RunningServer } from "../start.ts";
import { startServer } from "../start.ts";
import { postVapi } from "../testSupport.ts";

export interface LogLine {
  msg: string;
  [field: string]: unknown;
}

export interface DashboardServer {
  url: string;
  token: string;
  org: Organization;
  /** Every log line so far (pino JSON, parsed). */
  logs: LogLine[];
  /**
   * Sends the three webhooks of an inbound call to the demo org whose caller says `said`; the
   * end-of-call report names `recordingUrl` when one is given.
   */
  inboundCall(
    vendorCallId: string,
    caller: { number: string; name: string },
    said: string,
    recordingUrl?: string,
  ): Promise<number[]>;
  /** A GET on the API with the demo token. */
  api<T>(path: string): Promise<T>;
  close(): Promise<void>;
}

export async function startDashboardServer(): Promise<DashboardServer> {
  const dir = await mkdtemp(join(tmpdir(), "voxanne-dashboard-"));
  const logs: LogLine[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });
  let server: RunningServer;
  try {
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      PGLITE_DIR: join(dir, "pgdata"),
      RECORDINGS_DIR: join(dir, "recordings"),
      JWT_SECRET: "dashboard-test-secret-0123456789abcdefgh",
    });
    server = await startServer(config, {
      logger,
      print: () => {},
      simulator: { answerAfterMs: 100, talkForMs: 1_100 },
    });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const org = await server.voxanne.organizations.get(DEMO_ORG_ID);
  const token = server.demo?.token ?? "";
  return {
    url: server.url,
    token,
    org,
    logs,
    inboundCall(vendorCallId, caller, said, recordingUrl) {
      const endedAt = new Date();
      const startedAt = new Date(endedAt.getTime() - 75_000);
      const messages = demoInboundCall(vendorCallId, caller, { startedAt, endedAt }, said);
      if (recordingUrl) Object.assign(messages[2]?.message ?? {}, { recordingUrl });
      return postVapi(server.url, org.agent.vapiWebhookAuth, messages);
    },
    async api<T>(path: string) {
      const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      if (!response.ok) throw new Error(`${path} answered ${response.status}`);
      return (await response.json()) as T;
    },
    async close() {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
