/**
 * Writing whole calls through the core, on the server and on PGlite: per call, `receive` of its
 * events (started, [tool,] ended, report; ~1.9 KB transcript) then `process()` rounds until
 * projection and delivery are idle, one call at a time. The baseline, in the same run and
 * interleaved in blocks: raw single-row INSERTs of the same rows, one transaction per call, through
 * a separate postgres.js client (PGlite's own `query` in process), in two variants:
 * - raw 3: one call row (all its fields), one contact row (upsert on the phone), one activity row;
 * - raw + log: the same plus one event-log row per event with the same payload (the judged one:
 *   the core must store them too).
 * Target: the core writes at least half as many calls per second as "raw + log".
 */
import { randomUUID } from "node:crypto";
import type { Storage } from "@voxanne/core";
import type { LoggedEvent } from "@voxanne/core/testing";
import { callScript, eventsOf } from "./postgres/calls.ts";
import { type CpuSplit, cores, cpuMeter } from "./postgres/cpu.ts";
import { type BenchDatabase, drivers, type RawQuery, withBenchDatabase } from "./postgres/databases.ts";
import { CLINIC_NUMBER } from "./postgres/generate.ts";
import { countingDatabase, printCensus } from "./postgres/statements.ts";
import { envInt, ratio, round, verdict } from "./postgres/stats.ts";
import { benchVoxanne, createOrganizations } from "./postgres/voxanne.ts";
import type { BenchOptions } from "./run.ts";

const TARGET_RATIO = 0.5;
const START = new Date("2026-01-25T09:00:00Z");
const PATHS = ["core", "raw 3", "raw + log"] as const;
type Path = (typeof PATHS)[number];

// Marked projected: the raw path writes the projections itself, and the core's projector must not pick them up.
const INSERT_EVENT = `insert into event_log (org_id, provider, event_key, payload, received_at, projected_at)
  values ($1, 'voxanne', $2, $3, $4, $4)`;
const UPSERT_CONTACT = `insert into contacts (id, org_id, phone, lead_status, lead_score, lead_temperature, last_contacted_at, created_at)
  values ($1, $2, $3, 'new', 0, 'cold', $4, $5)
  on conflict (org_id, phone) do update set last_contacted_at = excluded.last_contacted_at returning id`;
const INSERT_CALL = `insert into calls (id, org_id, vendor_call_id, direction, status, from_number, to_number, contact_id,
    started_at, ended_at, duration_seconds, ended_reason, transcript, sentiment, tool_calls, booking_confirmed,
    financial_value_cents, priced_service_id, lead_score, lead_score_reasons, recording_status, metadata, created_at, updated_at)
  values ($1, $2, $3, 'inbound', 'completed', $4, $5, $6, $7, $8, $9, 'customer-ended-call', $10, $11, $12, $13,
    40000, null, 55, $14, 'pending', $15, $7, $16)`;
const INSERT_ACTIVITY = `insert into activity (id, org_id, type, key, occurred_at, contact_id, call_id, summary, data)
  values ($1, $2, 'call_ended', $3, $4, $5, $6, 'Call ended (completed)', $7)`;

/** One call's rows written by hand, in one transaction. */
async function rawCall(db: BenchDatabase, orgId: string, i: number, events: LoggedEvent[] | null): Promise<void> {
  const script = callScript("raw", i, START);
  const ended = new Date(script.startedAt.getTime() + script.durationSeconds * 1000);
  await db.rawTransaction(async (query: RawQuery) => {
    for (const e of events ?? []) await query(INSERT_EVENT, [orgId, `raw-${e.eventKey}`, e.payload, new Date()]);
    const [contact] = await query<{ id: string }>(UPSERT_CONTACT, [
      randomUUID(),
      orgId,
      script.customerNumber,
      ended,
      script.startedAt,
    ]);
    const callId = randomUUID();
    const tools = script.booked
      ? [{ toolCallId: `${script.vendorCallId}-tool-1`, name: "book_appointment", succeeded: true }]
      : [];
    await query(INSERT_CALL, [
      callId,
      orgId,
      `${script.vendorCallId}-${events ? "log" : "3"}`,
      script.customerNumber,
      CLINIC_NUMBER,
      contact?.id,
      script.startedAt,
      ended,
      script.durationSeconds,
      script.transcript,
      { label: "positive", score: 0.6, urgency: "low", summary: null, source: "analyser" },
      tools,
      script.booked === true,
      [{ reason: "booking confirmed", points: 40 }],
      { pricing: { source: "price_list", serviceName: "Botox" } },
      new Date(),
    ]);
    await query(INSERT_ACTIVITY, [
      randomUUID(),
      orgId,
      `call_ended:${callId}`,
      ended,
      contact?.id,
      callId,
      { status: "completed" },
    ]);
  });
}

interface Totals {
  calls: number;
  events: number;
  ms: number;
  nodeCpu: number;
  serverCpu: number | undefined;
}

const addSplit = (t: Totals, s: CpuSplit) => {
  t.ms += s.wallSeconds * 1000;
  t.nodeCpu += s.nodeCores * s.wallSeconds;
  t.serverCpu = s.serverCores === undefined ? undefined : (t.serverCpu ?? 0) + s.serverCores * s.wallSeconds;
};

/** Time spent in each step of the core path, summed over the run. */
function phaseTimer(phases: Record<"project" | "deliver", number>) {
  const time =
    <A extends unknown[], R>(phase: keyof typeof phases, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        phases[phase] += performance.now() - started;
      }
    };
  return (s: Storage): Storage => ({
    ...s,
    eventLog: { ...s.eventLog, projectPending: time("project", s.eventLog.projectPending) },
    outbox: { ...s.outbox, deliverDue: time("deliver", s.outbox.deliverDue) },
  });
}

type CoreVoxanne = ReturnType<typeof benchVoxanne>;

/** Receives one call's events, then runs projection and delivery until both are idle. */
async function coreCall(voxanne: CoreVoxanne, orgId: string, events: LoggedEvent[]): Promise<number> {
  let receiveMs = 0;
  for (const e of events) {
    const started = performance.now();
    await voxanne.receive("voxanne", orgId, e.eventKey, e.payload);
    receiveMs += performance.now() - started;
  }
  for (;;) {
    const { projected, delivered } = await voxanne.process();
    if (projected.failed + delivered.failed > 0) throw new Error("projection or delivery failed during the bench");
    if (projected.done + delivered.done === 0) return receiveMs;
  }
}

async function onDriver(db: BenchDatabase, smoke: boolean) {
  const calls = smoke ? 10 : envInt("BENCH_WRITE_CALLS", 1_000);
  const phases = { project: 0, deliver: 0 };
  let receiveMs = 0;
  const voxanne = benchVoxanne(db.database, { wrap: phaseTimer(phases) });
  const [coreOrg, rawOrg] = (await createOrganizations(voxanne, 2)) as [string, string];
  await voxanne.organizations.update(coreOrg, { agent: { hotLeadAlertNumbers: ["+15555550199"] } });

  const run: Record<Path, (i: number) => Promise<unknown>> = {
    core: async (i) => {
      receiveMs += await coreCall(voxanne, coreOrg, eventsOf("core", i, START));
    },
    "raw 3": (i) => rawCall(db, rawOrg, i, null),
    "raw + log": (i) => rawCall(db, rawOrg, i, eventsOf("raw", i, START)),
  };
  // Warm-up (JIT, caches, prepared statements), not counted.
  const warmUp = smoke ? 1 : 30;
  for (const path of PATHS) for (let i = 0; i < warmUp; i++) await run[path](-1 - i);
  Object.assign(phases, { project: 0, deliver: 0 });
  receiveMs = 0;

  const totals = Object.fromEntries(
    PATHS.map((p) => [p, { calls: 0, events: 0, ms: 0, nodeCpu: 0, serverCpu: undefined }]),
  ) as Record<Path, Totals>;
  const block = Math.max(1, Math.ceil(calls / 20));
  for (let first = 0, b = 0; first < calls; first += block, b++) {
    for (let k = 0; k < PATHS.length; k++) {
      const path = PATHS[(b + k) % PATHS.length] as Path;
      const meter = cpuMeter(db.driver === "server");
      let events = 0;
      for (let i = first; i < Math.min(first + block, calls); i++) {
        await run[path](i);
        events += eventsOf("x", i, START).length;
      }
      addSplit(totals[path], meter.stop());
      totals[path].calls += Math.min(block, calls - first);
      totals[path].events += events;
    }
  }

  const [check] = await db.raw<{ calls: number; pending: number; failed: number; outbox: number; alerts: number }>(
    `select (select count(*) from calls where org_id = $1)::int as calls,
      (select count(*) from messages where org_id = $1)::int as alerts,
      (select count(*) from event_log where projected_at is null)::int as pending,
      (select count(*) from event_log where attempts > 0)::int as failed,
      (select count(*) from outbox where status <> 'sent')::int as outbox`,
    [coreOrg],
  );
  if (check?.calls !== calls + warmUp || check.pending + check.failed + check.outbox > 0) {
    throw new Error(`the core's writes are incomplete: ${JSON.stringify(check)}`);
  }
  const perCall = (ms: number) => round(ms / calls);
  const phaseLine =
    `${db.driver}: core per call ${perCall(totals.core.ms)} ms = receive ${perCall(receiveMs)} + projection ` +
    `${perCall(phases.project)} + delivery ${perCall(phases.deliver)} ms (+ loop); ` +
    `${round(totals.core.events / calls)} events per call; ${check.alerts} hot-lead SMS sent in all`;
  return { driver: db.driver, totals, phaseLine, census: db.url ? await census(db.url, smoke ? 2 : 50) : undefined };
}

/** Statements per call on a counting client (server only), outside the timed run. */
async function census(url: string, calls: number) {
  const counting = countingDatabase(url);
  try {
    const voxanne = benchVoxanne(counting.database);
    const [orgId] = (await createOrganizations(voxanne, 1)) as [string];
    await coreCall(voxanne, orgId, eventsOf("census-warm", 0, START));
    counting.reset();
    let events = 0;
    for (let i = 0; i < calls; i++) {
      const logged = eventsOf("census", i, START);
      events += logged.length;
      await coreCall(voxanne, orgId, logged);
    }
    return { census: { ...counting.census, shapes: new Map(counting.census.shapes) }, calls, events };
  } finally {
    await counting.database.close();
  }
}

export async function run({ smoke }: BenchOptions): Promise<void> {
  const results = [];
  for (const driver of await drivers()) results.push(await withBenchDatabase(driver, (db) => onDriver(db, smoke)));
  console.table(
    results.flatMap(({ driver, totals }) =>
      PATHS.map((path) => {
        const t = totals[path];
        return {
          driver,
          path,
          calls: t.calls,
          "calls/s": round((t.calls * 1000) / t.ms),
          "events/s": path === "raw 3" ? "" : round((t.events * 1000) / t.ms),
          "ms/call": round(t.ms / t.calls),
          cores: cores({
            wallSeconds: t.ms / 1000,
            nodeCores: t.nodeCpu / (t.ms / 1000),
            serverCores: t.serverCpu === undefined ? undefined : t.serverCpu / (t.ms / 1000),
          }),
        };
      }),
    ),
  );
  for (const { driver, totals, phaseLine, census: c } of results) {
    const rate = (p: Path) => totals[p].calls / totals[p].ms;
    const judged = rate("core") / rate("raw + log");
    console.log(phaseLine);
    console.log(
      `${driver}: core / raw + log = ${ratio(judged)} (target ≥ ${TARGET_RATIO}×) ${verdict(judged >= TARGET_RATIO, smoke)}; ` +
        `core / raw 3 = ${ratio(rate("core") / rate("raw 3"))}`,
    );
    if (c) {
      console.log(`${driver}: statement census over ${c.calls} calls (${c.events} events):`);
      printCensus(c.census, c.calls, "call");
    }
  }
}
