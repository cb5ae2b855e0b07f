/**
 * One whole system under test: a fresh database (on the shared server, or on a throwaway
 * cluster of our own when the test stops PostgreSQL), fake Vapi and Twilio in this process, the
 * clinic, and the real server as a child process. `close()` stops all of it; so does process exit.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FakeTwilio } from "@voxanne/adapter-twilio/testing";
import { startFakeTwilio } from "@voxanne/adapter-twilio/testing";
import type { FakeVapi } from "@voxanne/adapter-vapi/testing";
import { startFakeVapi } from "@voxanne/adapter-vapi/testing";
import type { Clinic } from "./clinic.ts";
import { createClinic } from "./clinic.ts";
import type { FreshDatabase } from "./database.ts";
import { freshDatabase, requireSharedPostgres } from "./database.ts";
import { freePort } from "./freePort.ts";
import type { PgCluster } from "./pgCluster.ts";
import { startPgCluster } from "./pgCluster.ts";
import type { ServerProcess } from "./serverProcess.ts";
import { startServerProcess } from "./serverProcess.ts";

export interface StackOptions {
  /** A PostgreSQL cluster of the test's own (to stop and start it); default: the shared server. */
  ownCluster?: boolean;
  /** How long the fakes hold a `slow` answer (default 2 s; "never answers" is longer than any time-out). */
  vendorSlowMs?: number;
}

export interface Stack {
  readonly database: FreshDatabase;
  readonly cluster: PgCluster | undefined;
  readonly vapi: FakeVapi;
  readonly twilio: FakeTwilio;
  readonly clinic: Clinic;
  /** The running server; replaced by `restartServer`. */
  server: ServerProcess;
  /** Starts the server again on the same port (after a kill). */
  restartServer(): Promise<ServerProcess>;
  /** Authenticated API call. */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const cluster = options.ownCluster ? await startPgCluster() : undefined;
  const adminUrl = cluster?.adminUrl ?? (await requireSharedPostgres());
  const workDir = mkdtempSync(join(tmpdir(), "voxanne-reliability-"));
  const opened: (() => Promise<void>)[] = [];
  const closeOpened = async () => {
    for (const close of opened.splice(0).reverse()) await close().catch(() => {});
    rmSync(workDir, { recursive: true, force: true });
    cluster?.destroy();
  };
  try {
    const database = await freshDatabase(adminUrl);
    opened.push(() => database.drop());
    const slow = options.vendorSlowMs === undefined ? {} : { slowMs: options.vendorSlowMs };
    const vapi = await startFakeVapi(slow);
    opened.push(() => vapi.close());
    const twilio = await startFakeTwilio(slow);
    opened.push(() => twilio.close());

    const port = await freePort();
    const env: Record<string, string> = {
      DATABASE_URL: database.url,
      JWT_SECRET: randomBytes(32).toString("hex"),
      RECORDING_LINK_SECRET: randomBytes(32).toString("hex"),
      RECORDINGS_DIR: join(workDir, "recordings"),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      VAPI_API_KEY: vapi.apiKey,
      VAPI_BASE_URL: vapi.baseUrl,
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: "+12025550100",
      RELIABILITY_TWILIO_BASE_URL: twilio.baseUrl,
      NODE_ENV: "production",
    };
    const clinic = await createClinic(env, database.sql);
    let generation = 0;
    const launch = () => startServerProcess({ port, env, logFile: join(workDir, `server-${generation++}.log`) });
    const stack: Stack = {
      database,
      cluster,
      vapi,
      twilio,
      clinic,
      server: await launch(),
      async restartServer() {
        stack.server = await launch();
        return stack.server;
      },
      api: (path, init = {}) =>
        fetch(`${stack.server.url}${path}`, {
          ...init,
          headers: { authorization: `Bearer ${clinic.token}`, "content-type": "application/json", ...init.headers },
        }),
      async close() {
        await stack.server.stop().catch(() => {});
        await closeOpened();
      },
    };
    return stack;
  } catch (error) {
    await closeOpened();
    throw error;
  }
}
