/**
 * Writing calls on the server and on PGlite, one call at a time, against raw single-row INSERTs of
 * the same rows through a separate postgres.js client (PGlite's own `query` in process), each call
 * in one transaction, in the same run, interleaved in blocks.
 *
 * Judged (the "writing a full call report (call, contact, activity)", the adapter against
 * raw SQL, as the pulse bench compares the adapter's aggregate with a raw one):
 * - adapter: report — one org transaction through the Storage port (scope, row-level security,
 *   the org's lock), writing the call report's rows with the calls the projector makes for them:
 *   `contacts.getOrCreate`, `calls.insert` (every field, ~1.9 KB transcript), `activity.append`.
 * - raw: report — the same rows: a contact upsert on the phone, the call, the activity.
 *   Target: adapter ≥ 0.5× its calls/s.
 * Shown beside, not judged: the core's whole pipeline.
 * - pipeline: report — `receive` of the call's end-of-call report (the one event that carries the
 *   whole call), then projection until the projector is idle: call, contact, activity, price,
 *   sentiment, score, live events and alerts enqueued. Delivery of what it enqueued is timed apart,
 *   after the timed blocks, and checked. Against raw: the same rows plus the event-log row.
 * - pipeline: whole call + delivery — the whole call as the vendor sends it (started, [tool,]
 *   ended, report) with delivery, against raw rows plus one log row per event.
 */
import { randomUUID } from "node:crypto";
import { postgresStorage } from "@voxanne/adapter-postgres";
import type { Storage } from "@voxanne/core";
import type { LoggedEvent } from "@voxanne/core/testing";
import { callScript, eventsOf } from "./postgres/calls.ts";
import { type CpuSplit, cores, cpuMeter } from "./postgres/cpu.ts";
import { type BenchDatabase, drivers, keepStatistics, type RawQuery, withBenchDatabase } from "./postgres/databases.ts";
import { CLINIC_NUMBER } from "./postgres/generate.ts";
import { countingDatabase, printCensus } from "./postgres/statements.ts";
import { envInt, ratio, round, verdict } from "./postgres/stats.ts";
import { benchVoxanne, createOrganizations } from "./postgres/voxanne.ts";
import type { BenchOptions } from "./run.ts";

const TARGET_RATIO = 0.5;
const START = new Date("2026-01-25T09:00:00Z");
const PATHS = [
  "adapter: report",
  "raw: report",
  "pipeline: report",
  "raw: report + log row",
  "pipeline: whole call + delivery",
  "raw: whole call",
] as const;
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

/** One call's rows written by hand, in one transaction: a log row per event, then contact, call, activity. */
async function rawCall(db: BenchDatabase, orgId: string, prefix: string, i: number, events: LoggedEvent[]) {
  const script = callScript(prefix, i, START);
  const ended = new Date(script.startedAt.getTime() + script.durationSeconds * 1000);
  await db.rawTransaction(async (query: RawQuery) => {
    for (const e of events) await query(INSERT_EVENT, [orgId, e.eventKey, e.payload, new Date()]);
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
      script.vendorCallId,
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

/**
 * The report's rows through the Storage port, in one org transaction, with the calls the projector
 * makes for them (as `rawCall` writes them without the log rows).
 */
async function adapterCall(storage: Storage, orgId: string, prefix: string, i: number) {
  const script = callScript(prefix, i, START);
  const ended = new Date(script.startedAt.getTime() + script.durationSeconds * 1000);
  await storage.transaction(orgId, async (tx) => {
    const { contact } = await tx.contacts.getOrCreate({
      id: randomUUID(),
      orgId,
      phone: script.customerNumber,
      name: null,
      email: null,
      leadStatus: "new",
      leadScore: 0,
      leadTemperature: "cold",
      lastContactedAt: ended,
      smsOptedOutAt: null,
      createdAt: script.startedAt,
    });
    const callId = randomUUID();
    await tx.calls.insert({
      id: callId,
      orgId,
      vendorCallId: script.vendorCallId,
      direction: "inbound",
      status: "completed",
      fromNumber: script.customerNumber,
      toNumber: CLINIC_NUMBER,
      contactId: contact.id,
      startedAt: script.startedAt,
      endedAt: ended,
      durationSeconds: script.durationSeconds,
      endedReason: "customer-ended-call",
      transcript: script.transcript,
      summary: null,
      sentiment: { label: "positive", score: 0.6, urgency: "low", summary: null, source: "analyser" },
      toolCalls: script.booked
        ? [{ toolCallId: `${script.vendorCallId}-tool-1`, name: "book_appointment", succeeded: true }]
        : [],
      bookingConfirmed: script.booked === true,
      financialValueCents: 40_000,
      pricedServiceId: null,
      leadScore: 55,
      leadScoreReasons: [{ reason: "booking confirmed", points: 40 }],
      recordingStatus: "pending",
      recordingUrl: null,
      recordingLocation: null,
      transfer: null,
      deletedAt: null,
      metadata: { pricing: { source: "price_list", serviceName: "Botox" } },
      createdAt: script.startedAt,
      updatedAt: new Date(),
    });
    await tx.activity.append({
      id: randomUUID(),
      orgId,
      type: "call_ended",
      key: `call_ended:${callId}`,
      occurredAt: ended,
      contactId: contact.id,
      callId,
      summary: "Call ended (completed)",
      data: { status: "completed" },
    });
  });
}

/** The end-of-call report alone: the one event that carries the whole call. */
const reportOf = (prefix: string, i: number) =>
  eventsOf(prefix, i, START).filter((e) => e.payload.type === "CallReport");

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

type Phases = Record<"receive" | "project" | "deliver", number>;

/**
 * The storage with its projector and outbox timed into `phases`, and a switch that holds delivery
 * back (the report path measures the write alone; its side effects are delivered untimed).
 */
function instrumented(timing: { into: Phases }, delivery: { paused: boolean }) {
  const time =
    <A extends unknown[], R>(phase: keyof Phases, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      try {
        return await fn(...args);
      } finally {
        timing.into[phase] += performance.now() - started;
      }
    };
  return (s: Storage): Storage => ({
    ...s,
    eventLog: {
      ...s.eventLog,
      append: time("receive", s.eventLog.append),
      projectPending: time("project", s.eventLog.projectPending),
    },
    outbox: {
      deliverDue: (options, handler) =>
        delivery.paused
          ? Promise.resolve({ done: 0, failed: 0 })
          : time("deliver", s.outbox.deliverDue)(options, handler),
    },
  });
}

type CoreVoxanne = ReturnType<typeof benchVoxanne>;

/** Receives events, then runs rounds of projection (and delivery, unless paused) until idle. */
async function coreCall(voxanne: CoreVoxanne, orgId: string, events: LoggedEvent[]): Promise<void> {
  for (const e of events) await voxanne.receive("voxanne", orgId, e.eventKey, e.payload);
  for (;;) {
    const { projected, delivered } = await voxanne.process();
    if (projected.failed + delivered.failed > 0) throw new Error("projection or delivery failed during the bench");
    if (projected.done + delivered.done === 0) return;
  }
}

async function onDriver(db: BenchDatabase, smoke: boolean) {
  const calls = smoke ? 10 : envInt("BENCH_WRITE_CALLS", 1_000);
  const phases: Record<"report" | "whole", Phases> = {
    report: { receive: 0, project: 0, deliver: 0 },
    whole: { receive: 0, project: 0, deliver: 0 },
  };
  const delivery = { paused: false };
  const timing = { into: phases.whole };
  const voxanne = benchVoxanne(db.database, { wrap: instrumented(timing, delivery) });
  const storage = postgresStorage(db.database);
  const [coreOrg, rawOrg, adapterOrg] = (await createOrganizations(voxanne, 3)) as [string, string, string];
  await voxanne.organizations.update(coreOrg, { agent: { hotLeadAlertNumbers: ["+15555550199"] } });
  /** Delivers what the report path left, outside the timing. */
  const deliverLeftovers = async () => {
    delivery.paused = false;
    await coreCall(voxanne, coreOrg, []);
  };

  const run: Record<Path, (i: number) => Promise<unknown>> = {
    "adapter: report": (i) => adapterCall(storage, adapterOrg, "adapter", i),
    "raw: report": (i) => rawCall(db, rawOrg, "raw-rows", i, []),
    "pipeline: report": async (i) => {
      timing.into = phases.report;
      delivery.paused = true;
      await coreCall(voxanne, coreOrg, reportOf("report", i));
    },
    "raw: report + log row": (i) => rawCall(db, rawOrg, "raw-report", i, reportOf("raw-report", i)),
    "pipeline: whole call + delivery": async (i) => {
      timing.into = phases.whole;
      delivery.paused = false;
      await coreCall(voxanne, coreOrg, eventsOf("whole", i, START));
    },
    "raw: whole call": (i) => rawCall(db, rawOrg, "raw-whole", i, eventsOf("raw-whole", i, START)),
  };
  const eventsPerCall: Record<Path, (i: number) => number> = {
    "adapter: report": () => 0,
    "raw: report": () => 0,
    "pipeline: report": () => 1,
    "raw: report + log row": () => 1,
    "pipeline: whole call + delivery": (i) => eventsOf("x", i, START).length,
    "raw: whole call": (i) => eventsOf("x", i, START).length,
  };
  // Warm-up (JIT, caches, prepared statements), not counted.
  const warmUp = smoke ? 1 : 30;
  for (const path of PATHS) for (let i = 0; i < warmUp; i++) await run[path](-1 - i);
  await deliverLeftovers();
  for (const p of Object.values(phases)) Object.assign(p, { receive: 0, project: 0, deliver: 0 });
  const stopAnalyzing = await keepStatistics(db);

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
        events += eventsPerCall[path](i);
      }
      addSplit(totals[path], meter.stop());
      totals[path].calls += Math.min(block, calls - first);
      totals[path].events += events;
      if (path === "pipeline: report") await deliverLeftovers();
    }
  }

  await stopAnalyzing();
  const [check] = await db.raw<{ calls: number; pending: number; failed: number; outbox: number; alerts: number }>(
    `select (select count(*) from calls where org_id = $1)::int as calls,
      (select count(*) from messages where org_id = $1)::int as alerts,
      (select count(*) from event_log where projected_at is null)::int as pending,
      (select count(*) from event_log where attempts > 0)::int as failed,
      (select count(*) from outbox where status <> 'sent')::int as outbox`,
    [coreOrg],
  );
  if (check?.calls !== 2 * (calls + warmUp) || check.pending + check.failed + check.outbox > 0) {
    throw new Error(`the core's writes are incomplete: ${JSON.stringify(check)}`);
  }
  const perCall = (ms: number) => round(ms / calls);
  const phaseLine = (name: string, p: Phases, path: Path) =>
    `${db.driver}: ${name} per call ${perCall(totals[path].ms)} ms = receive ${perCall(p.receive)} + projection ` +
    `${perCall(p.project)} + delivery ${perCall(p.deliver)} ms (+ core and loop)`;
  const phaseLines = [
    phaseLine("pipeline: report", phases.report, "pipeline: report"),
    `${phaseLine("pipeline: whole call", phases.whole, "pipeline: whole call + delivery")}; ` +
      `${round(totals["pipeline: whole call + delivery"].events / calls)} events per call; ${check.alerts} hot-lead SMS sent in all`,
  ];
  return { driver: db.driver, totals, phaseLines, census: db.url ? await census(db.url, smoke ? 2 : 50) : undefined };
}

/** Statements per report on a counting client (server only), outside the timed run, delivery included. */
async function census(url: string, calls: number) {
  const counting = countingDatabase(url);
  try {
    const voxanne = benchVoxanne(counting.database);
    const [orgId] = (await createOrganizations(voxanne, 1)) as [string];
    await coreCall(voxanne, orgId, reportOf("census-warm", 0));
    counting.reset();
    for (let i = 0; i < calls; i++) await coreCall(voxanne, orgId, reportOf("census", i));
    return { census: { ...counting.census, shapes: new Map(counting.census.shapes) }, calls };
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
          "events/s": round((t.events * 1000) / t.ms),
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
  for (const { driver, totals, phaseLines, census: c } of results) {
    const rate = (p: Path) => totals[p].calls / totals[p].ms;
    const judged = rate("adapter: report") / rate("raw: report");
    for (const line of phaseLines) console.log(line);
    console.log(
      `${driver}: adapter / raw, report = ${ratio(judged)} (target ≥ ${TARGET_RATIO}×) ${verdict(judged >= TARGET_RATIO, smoke)}; ` +
        `pipeline report / raw report + log row = ${ratio(rate("pipeline: report") / rate("raw: report + log row"))}, ` +
        `whole call + delivery / raw whole call = ${ratio(rate("pipeline: whole call + delivery") / rate("raw: whole call"))} (not judged)`,
    );
    if (c) {
      console.log(`${driver}: statement census over ${c.calls} reports (projection and delivery):`);
      printCensus(c.census, c.calls, "report");
    }
  }
}
