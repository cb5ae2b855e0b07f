/**
 * Dashboard pulse of one organization (~10,000 calls of the generator's 1,000,000 over 100
 * organizations), on the server and on PGlite: the adapter's `metrics.pulse` in an org
 * transaction (begin, org scope and role, the aggregate, commit), against the same aggregate as
 * one raw SQL query (a separate postgres.js client on the server, PGlite's own `query` in
 * process), in the same run, runs interleaved. Target: p95 under 20 ms and within 1.5× of raw.
 */

import { postgresStorage } from "@voxanne/adapter-postgres";
import type { Pulse, TimeRange } from "@voxanne/core";
import { type BenchDatabase, drivers, withBenchDatabase } from "./postgres/databases.ts";
import { generate } from "./postgres/generate.ts";
import { envInt, ratio, round, type Summary, summarize, timed, verdict } from "./postgres/stats.ts";
import { benchVoxanne, createOrganizations } from "./postgres/voxanne.ts";
import type { BenchOptions } from "./run.ts";

const TARGET_P95_MS = 20;
const TARGET_RATIO = 1.5;
const ANCHOR = new Date("2026-06-01T00:00:00Z");
const DAY_MS = 86_400_000;

/** The whole Pulse in one statement, rounding as the core does (`successRateOf`, whole seconds). */
function rawPulseSql(range: TimeRange): string {
  const bounds = [range.from && "and created_at >= $2", range.to && `and created_at < $${range.from ? 3 : 2}`];
  return `select total::int as "totalCalls", inbound::int as "inboundCalls", bookings::int as bookings,
    (case when inbound = 0 then 0 else round(booked_inbound * 1000.0 / inbound) / 10 end)::float8 as "successRate",
    pipeline::float8 as "pipelineValueCents",
    (case when duration_count = 0 then 0 else round(duration_sum::numeric / duration_count) end)::float8 as "avgDurationSeconds",
    hot::int as "hotLeads"
  from (select count(*) as total,
      count(*) filter (where direction = 'inbound') as inbound,
      count(*) filter (where direction = 'inbound' and booking_confirmed) as booked_inbound,
      count(*) filter (where booking_confirmed) as bookings,
      coalesce(sum(financial_value_cents), 0) as pipeline,
      coalesce(sum(duration_seconds) filter (where status = 'completed'), 0) as duration_sum,
      count(duration_seconds) filter (where status = 'completed') as duration_count,
      count(distinct contact_id) filter (where lead_score >= 70) as hot
    from calls where org_id = $1 and deleted_at is null ${bounds.filter(Boolean).join(" ")}) n`;
}

interface Case {
  name: string;
  range: TimeRange;
}

const CASES: Case[] = [
  { name: "all time", range: {} },
  { name: "last 30 days", range: { from: new Date(ANCHOR.getTime() - 30 * DAY_MS), to: ANCHOR } },
];

const PATH_NAMES = {
  adapter: "adapter: pulse in an org transaction",
  raw: "raw: one query",
  empty: "adapter: org transaction alone",
} as const;

interface Row {
  driver: string;
  range: string;
  calls: number;
  scan: string;
  adapter: Summary;
  raw: Summary;
  /** An org transaction that runs no query: the adapter's fixed cost per transaction. */
  empty: Summary;
}

interface PlanNode {
  "Node Type": string;
  "Index Name"?: string;
  "Relation Name"?: string;
  Plans?: PlanNode[];
}

/** How the raw query reads the calls: the scan node of its plan, e.g. "Index Scan using idx_…". */
async function scanOf(db: BenchDatabase, text: string, params: unknown[]): Promise<string> {
  const [row] = await db.raw<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(`explain (format json) ${text}`, params);
  const find = (node: PlanNode | undefined): PlanNode | undefined =>
    node?.["Relation Name"] ? node : node?.Plans?.map(find).find(Boolean);
  const indexOf = (node: PlanNode): string | undefined => node["Index Name"] ?? node.Plans?.map(indexOf).find(Boolean);
  const scan = find(row?.["QUERY PLAN"][0].Plan);
  if (!scan) return "?";
  const index = indexOf(scan); // a bitmap heap scan names its index on the child node
  return `${scan["Node Type"]}${index ? ` using ${index}` : ""}`;
}

/** 200 timed runs of each path after a warm-up, rotating which goes first. */
async function measure(db: BenchDatabase, orgId: string, c: Case, runs: number, warmUp: number): Promise<Row> {
  const storage = postgresStorage(db.database);
  const params = [orgId, c.range.from, c.range.to].filter((p) => p !== undefined);
  const text = rawPulseSql(c.range);
  const viaAdapter = () => storage.transaction(orgId, (tx) => tx.metrics.pulse(c.range));
  const viaRaw = async () => (await db.raw<Pulse>(text, params))[0];
  const emptyTransaction = () => storage.transaction(orgId, async () => undefined);

  const [ours, theirs] = [await viaAdapter(), await viaRaw()];
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    throw new Error(`pulse differs from the raw query: ${JSON.stringify(ours)} vs ${JSON.stringify(theirs)}`);
  }
  const paths = [viaAdapter, viaRaw, emptyTransaction];
  for (let i = 0; i < warmUp; i++) for (const path of paths) await path();
  const samples: number[][] = paths.map(() => []);
  for (let i = 0; i < runs; i++) {
    // Rotate the order, so drift and caching favour no path.
    for (let k = 0; k < paths.length; k++) {
      const p = (i + k) % paths.length;
      samples[p]?.push((await timed(paths[p] as () => Promise<unknown>)).ms);
    }
  }
  const [adapter, raw, empty] = samples.map(summarize) as [Summary, Summary, Summary];
  const scan = await scanOf(db, text, params);
  return { driver: db.driver, range: c.name, calls: ours.totalCalls, scan, adapter, raw, empty };
}

async function onDriver(db: BenchDatabase, smoke: boolean): Promise<Row[]> {
  const calls = smoke ? 2_000 : envInt("BENCH_PULSE_CALLS", 1_000_000);
  const orgCount = smoke ? 10 : 100;
  const voxanne = benchVoxanne(db.database);
  const orgs = await timed(() => createOrganizations(voxanne, orgCount));
  const generated = await generate(db, { orgIds: orgs.value, calls, anchor: ANCHOR });
  const steps = Object.entries(generated.steps).map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)} s`);
  console.log(
    `${db.driver}: ${orgCount} organizations through the core in ${(orgs.ms / 1000).toFixed(1)} s; generated ` +
      `${generated.calls} calls, ${generated.contacts} contacts, ${generated.activity} activity rows in ` +
      `${(generated.totalMs / 1000).toFixed(1)} s (${steps.join(", ")})`,
  );
  const orgId = orgs.value[0] as string;
  const rows: Row[] = [];
  for (const c of CASES) rows.push(await measure(db, orgId, c, smoke ? 10 : 200, smoke ? 2 : 20));
  return rows;
}

export async function run({ smoke }: BenchOptions): Promise<void> {
  const rows: Row[] = [];
  for (const driver of await drivers()) rows.push(...(await withBenchDatabase(driver, (db) => onDriver(db, smoke))));
  console.table(
    rows.flatMap((r) =>
      (["adapter", "raw", "empty"] as const).map((path) => ({
        driver: r.driver,
        range: r.range,
        "calls in range": r.calls,
        path: PATH_NAMES[path],
        runs: r[path].runs,
        "p50 ms": round(r[path].p50),
        "p95 ms": round(r[path].p95),
        "mean ms": round(r[path].mean),
      })),
    ),
  );
  for (const r of rows) console.log(`${r.driver}, ${r.range}: the raw query's plan reads calls by ${r.scan}`);
  for (const r of rows) {
    const p95Ratio = r.adapter.p95 / r.raw.p95;
    const pass = r.adapter.p95 < TARGET_P95_MS && p95Ratio <= TARGET_RATIO;
    console.log(
      `${r.driver}, ${r.range}: adapter p95 ${round(r.adapter.p95)} ms (target < ${TARGET_P95_MS}), ` +
        `p95 ${ratio(p95Ratio)} raw, p50 ${ratio(r.adapter.p50 / r.raw.p50)} raw (target ≤ ${TARGET_RATIO}×): ` +
        verdict(pass, smoke),
    );
  }
}
