/**
 * The HTTP server under load, on loopback: `POST /webhooks/vapi` (a full end-of-call report,
 * signed, a unique call id per request) against a bare Hono route on the same process and port
 * that does one INSERT of the raw body (`http/server.ts`), and `GET /api/analytics/dashboard-pulse`
 * over the calls just ingested. autocannon runs in a child process (`http/load.ts`). On the
 * PostgreSQL server (a fresh database) when reachable, else PGlite. Targets (issue 6): ingest
 * ≥ 0.7× the bare route's req/s with p99 ≤ 2× its p99; pulse p95 < 20 ms (one client at a time).
 * The two ingest routes take turns in BENCH_HTTP_ROUNDS rounds (default 3; figures pooled per
 * route), so that a shift in the shared machine's load weighs on both. BENCH_HTTP_SECONDS sets
 * each measured run (default 4: 12 s per route in all, about what one 10 s run was, so the pulse reads as many calls as before; each route warms up 3 s first); BENCH_HTTP_WORKERS=0
 * leaves the projection off, to measure the ingest path alone; BENCH_HTTP_BARE_LZ4=1 compresses the
 * bare table's body with lz4, as the event log's payload is (see `http/server.ts`).
 */
import { randomUUID } from "node:crypto";
import type { LoadJob, LoadResult } from "./http/load.ts";
import { runLoad } from "./http/load.ts";
import { reportTemplate } from "./http/payload.ts";
import type { BenchServer } from "./http/server.ts";
import { startBenchServer } from "./http/server.ts";
import { drivers, keepStatistics, withBenchDatabase } from "./postgres/databases.ts";
import { envInt, percentile, ratio, round, verdict } from "./postgres/stats.ts";
import type { BenchOptions } from "./run.ts";

const TARGET_RATE = 0.7;
const TARGET_P99 = 2;
const TARGET_PULSE_P95_MS = 20;
const PULSE = "/api/analytics/dashboard-pulse";

interface Row {
  route: string;
  connections: number;
  result: LoadResult;
  /** Server-side 2xx in the measured run, and the rows it stored (undefined: stores none). */
  serverOk: number;
  rows: number | undefined;
}

const pct = (r: LoadResult, p: number) =>
  r.latencies.length
    ? percentile(
        [...r.latencies].sort((a, b) => a - b),
        p,
      )
    : Number.NaN;
const rate = (r: LoadResult) => r.requests / r.seconds;

/** Reset, then the measured run; counts read once the last request has finished. */
async function measure(
  server: BenchServer,
  path: string,
  job: Omit<LoadJob, "url" | "seconds">,
  table: "bench_raw" | "event_log" | undefined,
  seconds: number,
): Promise<Row> {
  const url = `${server.url}${path}`;
  await server.quiet();
  await server.reset();
  const okBefore = server.ok.get(path) ?? 0;
  const rowsBefore = table ? await server.count(table) : 0;
  const result = await runLoad({ ...job, url, seconds });
  await server.quiet();
  const serverOk = (server.ok.get(path) ?? 0) - okBefore;
  const rows = table ? (await server.count(table)) - rowsBefore : undefined;
  return { route: path, connections: job.connections, result, serverOk, rows };
}

/** Several runs of one route as one: requests, seconds and counts added up, latencies pooled. */
function pooled(runs: Row[]): Row {
  const [first] = runs as [Row];
  const sum = (f: (r: Row) => number) => runs.reduce((n, r) => n + f(r), 0);
  const result: LoadResult = {
    requests: sum((r) => r.result.requests),
    seconds: sum((r) => r.result.seconds),
    ok: sum((r) => r.result.ok),
    non2xx: sum((r) => r.result.non2xx),
    errors: sum((r) => r.result.errors),
    timeouts: sum((r) => r.result.timeouts),
    latencies: runs.flatMap((r) => r.result.latencies),
  };
  const rows = first.rows === undefined ? undefined : sum((r) => r.rows ?? 0);
  return { ...first, result, serverOk: sum((r) => r.serverOk), rows };
}

/** Waits for the projection to catch up (at most `ms`); how long it took, or undefined when it did not. */
async function drain(server: BenchServer, ms: number): Promise<number | undefined> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    if ((await server.pending()) === 0) return Date.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

async function onServer(server: BenchServer, smoke: boolean): Promise<Row[]> {
  const seconds = smoke ? { warm: 0, run: 1 } : { warm: 3, run: envInt("BENCH_HTTP_SECONDS", 4) };
  const connections = 50;
  const template = reportTemplate();
  const prefix = `bench-${randomUUID()}`;
  const report = { template, auth: server.webhookAuth, prefix };
  // The bare route gets the same signed, unique bodies as the webhook. Both warm up first (so the
  // projection of the webhook's warm-up runs beside every measured run), then the two take turns
  // in rounds, so that a change in the machine's load (it is shared) weighs on both alike.
  const bare = { path: "/bench/bare", table: "bench_raw" as const, runs: [] as Row[] };
  const hook = { path: "/webhooks/vapi", table: "event_log" as const, runs: [] as Row[] };
  const job = { method: "POST" as const, report, connections };
  for (const { path } of [bare, hook]) {
    if (seconds.warm > 0) await runLoad({ ...job, url: `${server.url}${path}`, seconds: seconds.warm });
  }
  const rounds = smoke ? 1 : envInt("BENCH_HTTP_ROUNDS", 3);
  for (let round = 0; round < rounds; round++) {
    for (const route of [bare, hook]) route.runs.push(await measure(server, route.path, job, route.table, seconds.run));
  }
  const each = hook.runs.map((run, i) => ratio(rate(run.result) / rate((bare.runs[i] as Row).result)));
  console.log(`webhook ingest / bare route req/s, round by round: ${each.join(", ")}`);
  const rows: Row[] = [pooled(bare.runs), pooled(hook.runs)];
  const drained = server.workers ? await drain(server, smoke ? 30_000 : 180_000) : undefined;
  console.log(
    !server.workers
      ? "BENCH_HTTP_WORKERS=0: no projection ran (ingest alone; the pulse reads unprojected data)"
      : drained === undefined
        ? "projection still behind after the wait: the pulse runs beside it"
        : `projection caught up ${(drained / 1000).toFixed(1)} s after the ingest run`,
  );
  // The pulse's latency (judged) with one client at a time, then its throughput with ten.
  const headers = { authorization: `Bearer ${server.token}` };
  for (const connections of [1, 10]) {
    const pulse = { method: "GET" as const, headers, connections };
    if (seconds.warm > 0) await runLoad({ ...pulse, url: `${server.url}${PULSE}`, seconds: seconds.warm });
    rows.push(await measure(server, PULSE, pulse, undefined, seconds.run));
  }
  return rows;
}

export async function run({ smoke }: BenchOptions): Promise<void> {
  const [driver] = await drivers();
  const rows =
    driver === "server"
      ? await withBenchDatabase("server", async (db) => {
          const stopAnalyzing = await keepStatistics(db);
          try {
            return await withServer(db.url, smoke);
          } finally {
            await stopAnalyzing();
          }
        })
      : await withServer(undefined, smoke);
  console.log(`database: ${driver === "server" ? "PostgreSQL server (fresh database)" : "PGlite (temporary folder)"}`);
  if (process.env.BENCH_HTTP_BARE_LZ4 === "1")
    console.log("BENCH_HTTP_BARE_LZ4=1: the bare table compresses with lz4 too");
  console.table(
    rows.map((r) => ({
      route: r.route,
      c: r.connections,
      "req/s": Math.round(rate(r.result)),
      "p50 ms": round(pct(r.result, 50)),
      "p95 ms": round(pct(r.result, 95)),
      "p99 ms": round(pct(r.result, 99)),
      errors: r.result.errors + r.result.timeouts,
      "non-2xx": r.result.non2xx,
      "server 2xx": r.serverOk,
      "rows stored": r.rows ?? "-",
    })),
  );
  const [bare, hook, pulse] = rows as [Row, Row, Row, Row];
  const rateRatio = rate(hook.result) / rate(bare.result);
  const p99Ratio = pct(hook.result, 99) / pct(bare.result, 99);
  const clean = (r: Row) => r.result.errors + r.result.timeouts + r.result.non2xx === 0 && r.rows === r.serverOk;
  console.log(
    `webhook ingest: ${ratio(rateRatio)} the bare route's req/s (target ≥ ${TARGET_RATE}×), p99 ${ratio(p99Ratio)} ` +
      `its p99 (target ≤ ${TARGET_P99}×), rows = server 2xx and no errors: ${clean(hook) && clean(bare)}: ` +
      verdict(rateRatio >= TARGET_RATE && p99Ratio <= TARGET_P99 && clean(hook) && clean(bare), smoke),
  );
  const p95 = pct(pulse.result, 95);
  const pulseClean = pulse.result.errors + pulse.result.non2xx === 0;
  console.log(
    `dashboard pulse: p95 ${round(p95)} ms at c${pulse.connections} (target < ${TARGET_PULSE_P95_MS} ms), no errors: ` +
      `${pulseClean}: ${verdict(p95 < TARGET_PULSE_P95_MS && pulseClean, smoke)}`,
  );
}

async function withServer(databaseUrl: string | undefined, smoke: boolean): Promise<Row[]> {
  const server = await startBenchServer(databaseUrl);
  try {
    return await onServer(server, smoke);
  } finally {
    await server.close();
  }
}
