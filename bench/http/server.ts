/**
 * The server under test, built in this process around the real server's pieces (composeCore,
 * createApp with the Vapi webhook handler, the demo org), plus a bare Hono app on the SAME port:
 * `POST /bench/bare` does one INSERT of the raw body into a scratch table and nothing else (no
 * middleware). A wrapper around both counts each route's 2xx on the server side. The API's rate
 * limits are raised: they would answer the load with 429s, and the bench measures the work.
 */
import { mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createApp, jwtAuth, mintToken } from "@voxanne/adapter-http";
import { composeCore, DEMO_ORG_ID, ensureDemoOrg, loadConfig } from "@voxanne/adapter-http/server";
import type { Database } from "@voxanne/adapter-postgres";
import { vapiWebhookHandler } from "@voxanne/adapter-vapi";
import type { VapiWebhookAuth } from "@voxanne/core";
import { TOKENS } from "@voxanne/core/container";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { pino } from "pino";

const SECRET = "bench-http-secret-0123456789abcdefghijkl";
const UNLIMITED = { perIpPerMinute: 1e9, perOrgPerMinute: 1e9 };

export interface BenchServer {
  url: string;
  token: string;
  webhookAuth: VapiWebhookAuth;
  /** Server-side 2xx per path since start. */
  ok: Map<string, number>;
  /** Waits until no request is in flight (autocannon stops with requests still running). */
  quiet(): Promise<void>;
  count(table: "bench_raw" | "event_log"): Promise<number>;
  /** Events not projected yet (the projection runs behind the ingest). */
  pending(): Promise<number>;
  /** Whether the background workers (projection) run. */
  workers: boolean;
  /** Truncates the scratch table and checkpoints, as the baselines did before each run. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

async function scalar(database: Database, query: ReturnType<typeof sql>): Promise<number> {
  // postgres.js returns the rows, PGlite a result holding them.
  const result: unknown = await database.db.execute(query);
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as { n: number }[];
  return Number(rows[0]?.n ?? 0);
}

/** `databaseUrl`: a fresh database on the server; absent: PGlite in a temporary folder. */
export async function startBenchServer(databaseUrl: string | undefined): Promise<BenchServer> {
  const dir = await mkdtemp(join(tmpdir(), "voxanne-bench-http-"));
  const config = loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    JWT_SECRET: SECRET,
    PGLITE_DIR: join(dir, "pgdata"),
    RECORDINGS_DIR: join(dir, "recordings"),
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  });
  // Logging on, as in production, but to nowhere: its cost counts, its lines would flood the table.
  const logger = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: false }));
  // BENCH_HTTP_WORKERS=0 leaves the projection off: no background rounds, and no round kicked by
  // each append either (the core's autoProcess), to tell the ingest's cost from the projection's.
  const workers = process.env.BENCH_HTTP_WORKERS !== "0";
  const core = await composeCore(config, {
    logger,
    configure: (container) => {
      if (workers) return;
      const options = container.resolve(TOKENS.Options);
      container.register(TOKENS.Options, { useValue: { ...options, autoProcess: false } });
    },
  });
  const { voxanne, database } = core;
  const { org } = await ensureDemoOrg(voxanne);
  await database.db.execute(sql`create table if not exists bench_raw (id bigserial primary key, body jsonb not null)`);
  // The bare table keeps PostgreSQL's defaults, as the baselines' raw_events did; the event log's
  // payload is lz4-compressed (migration 0003). BENCH_HTTP_BARE_LZ4=1 gives the bare table lz4 too,
  // to see how much of the ratio that choice makes (a server built with lz4 only).
  if (process.env.BENCH_HTTP_BARE_LZ4 === "1") {
    await database.db.execute(sql`alter table bench_raw alter column body set compression lz4`);
  }

  const log = (level: "debug" | "info" | "warn" | "error", message: string, fields: Record<string, unknown>) =>
    logger[level](fields, message);
  const app = createApp({
    voxanne,
    auth: jwtAuth(config.jwt),
    webhooks: { vapi: vapiWebhookHandler({ voxanne, log }) },
    logger,
    limits: UNLIMITED,
  });
  const bare = new Hono().post("/bench/bare", async (c) => {
    await database.db.execute(sql`insert into bench_raw (body) values (${await c.req.text()}::jsonb)`);
    return c.body(null, 200);
  });

  const ok = new Map<string, number>();
  let inFlight = 0;
  const fetch = async (request: Request) => {
    inFlight++;
    try {
      const path = new URL(request.url).pathname;
      const response = await (path === "/bench/bare" ? bare : app).fetch(request);
      if (response.ok) ok.set(path, (ok.get(path) ?? 0) + 1);
      return response;
    } finally {
      inFlight--;
    }
  };
  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s as Server)) as Server;
  });
  if (workers) voxanne.start();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const token = await mintToken({ ...config.jwt, secret: SECRET }, DEMO_ORG_ID, 3_600);

  return {
    url,
    token,
    webhookAuth: org.agent.vapiWebhookAuth,
    ok,
    workers,
    async quiet() {
      while (inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    },
    count: (table) => scalar(database, sql`select count(*)::int as n from ${sql.identifier(table)}`),
    pending: () => scalar(database, sql`select count(*)::int as n from event_log where projected_at is null`),
    async reset() {
      await database.db.execute(sql`truncate bench_raw`);
      await database.db.execute(sql`checkpoint`).catch(() => undefined);
    },
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      // The projection may be minutes behind: it is stopped without waiting for its backlog, and its
      // round in progress ends when the database closes (which is dropped next anyway).
      if (workers) void voxanne.stop();
      await core.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
