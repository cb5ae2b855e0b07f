/**
 * Rebuilding every projection from the event log with `voxanne.replay()`, on the server and on
 * PGlite. The log holds the native events of whole calls (started, [tool,] ended, report; ~1.9 KB
 * transcript; 3.2 events per call) over 100 organizations, written by SQL. Replay 1 starts from
 * empty projections; replay 2 runs on top of its result, as a real re-replay would. Baseline, in
 * the same run: copying the same rows with one `INSERT … SELECT` into a scratch table. Reports
 * events/s and the ratio, and checks that both replays leave identical scores (a checksum of
 * vendor call id, lead score and financial value over all calls).
 *
 * Size: BENCH_REPLAY_EVENTS, default 50,000 events (a few minutes per driver); the issue's
 * 1,000,000 is `BENCH_REPLAY_EVENTS=1000000 BENCH_DRIVERS=server pnpm bench pg-replay`, which at
 * the ~550 events/s measured on this 2-core box takes about an hour for its two replays.
 */
import { type CpuSplit, cores, cpuMeter } from "./postgres/cpu.ts";
import {
  type BenchDatabase,
  drivers,
  keepStatistics,
  openBenchDatabase,
  withBenchDatabase,
} from "./postgres/databases.ts";
import { checkEvents, logEvents } from "./postgres/events.ts";
import { countingDatabase, printCensus } from "./postgres/statements.ts";
import { envInt, ratio, round, timed, verdict } from "./postgres/stats.ts";
import { benchVoxanne, createOrganizations } from "./postgres/voxanne.ts";
import type { BenchOptions } from "./run.ts";

const START = new Date("2026-01-05T09:00:00Z");
const PREFIX = "replay";
const EVENTS_PER_CALL = 3.2;

const CHECKSUM = `select count(*)::int as calls, count(lead_score)::int as scored,
  md5(coalesce(string_agg(vendor_call_id || ':' || coalesce(lead_score::text, '-') || ':' || financial_value_cents, ','
    order by vendor_call_id), '')) as checksum
from calls`;

interface Checksum {
  calls: number;
  scored: number;
  checksum: string;
}

interface Measured {
  label: string;
  events: number;
  split: CpuSplit;
}

/** Fills a fresh database: organizations through the core, then the log by SQL. */
async function fill(db: BenchDatabase, calls: number, orgCount: number) {
  const voxanne = benchVoxanne(db.database);
  const orgIds = await createOrganizations(voxanne, orgCount);
  const logged = await timed(() => logEvents(db.raw, { orgIds, calls, prefix: PREFIX, start: START }));
  await checkEvents(db.raw, { calls, prefix: PREFIX, start: START });
  await db.raw("vacuum (analyze) event_log");
  return { voxanne, events: logged.value, logMs: logged.ms };
}

async function replayOnce(db: BenchDatabase, voxanne: ReturnType<typeof benchVoxanne>, label: string, events: number) {
  const meter = cpuMeter(db.driver === "server");
  const replayed = await voxanne.replay();
  const split = meter.stop();
  if (replayed !== events) throw new Error(`${label} replayed ${replayed} of ${events} events`);
  const [sum] = await db.raw<Checksum>(CHECKSUM);
  return { measured: { label, events, split }, sum: sum as Checksum };
}

async function onDriver(db: BenchDatabase, smoke: boolean) {
  const events = smoke ? 32 : envInt("BENCH_REPLAY_EVENTS", 50_000);
  const calls = Math.ceil(events / EVENTS_PER_CALL);
  const filled = await fill(db, calls, smoke ? 10 : 100);
  console.log(`${db.driver}: logged ${filled.events} events (${calls} calls) in ${(filled.logMs / 1000).toFixed(1)} s`);

  // Baseline: the same rows copied by the database alone.
  await db.raw("create table replay_copy (like event_log)");
  const copyMeter = cpuMeter(db.driver === "server");
  await db.raw("insert into replay_copy select * from event_log");
  const copy: Measured = { label: "INSERT … SELECT copy (baseline)", events: filled.events, split: copyMeter.stop() };

  const stopAnalyzing = await keepStatistics(db);
  const first = await replayOnce(db, filled.voxanne, "replay 1 (empty projections)", filled.events);
  const second = await replayOnce(db, filled.voxanne, "replay 2 (on top of replay 1)", filled.events);
  await stopAnalyzing();
  if (first.sum.calls !== calls) throw new Error(`replay built ${first.sum.calls} of ${calls} calls`);
  const same = JSON.stringify(first.sum) === JSON.stringify(second.sum);
  return { driver: db.driver, rows: [copy, first.measured, second.measured], sums: [first.sum, second.sum], same };
}

/** Statements per event of a replay from empty projections, on a small separate database (server only). */
async function census(calls: number): Promise<void> {
  const db = await openBenchDatabase("server");
  const counting = countingDatabase(db.url as string);
  try {
    const { events } = await fill(db, calls, 4);
    const voxanne = benchVoxanne(counting.database);
    counting.reset();
    await voxanne.replay();
    console.log(`server: statement census of a replay of ${events} events (${calls} calls) from empty projections:`);
    printCensus(counting.census, events, "event");
  } finally {
    await counting.database.close();
    await db.close();
  }
}

export async function run({ smoke }: BenchOptions): Promise<void> {
  const results = [];
  const chosen = await drivers();
  for (const driver of chosen) results.push(await withBenchDatabase(driver, (db) => onDriver(db, smoke)));
  console.table(
    results.flatMap(({ driver, rows }) =>
      rows.map((r) => ({
        driver,
        step: r.label,
        events: r.events,
        seconds: round(r.split.wallSeconds),
        "events/s": round(r.events / r.split.wallSeconds),
        cores: cores(r.split),
      })),
    ),
  );
  for (const { driver, rows, sums, same } of results) {
    const [copy, first, second] = rows as [Measured, Measured, Measured];
    const rate = (m: Measured) => m.events / m.split.wallSeconds;
    console.log(
      `${driver}: replay / copy = ${ratio(rate(first) / rate(copy))} (replay 1), ${ratio(rate(second) / rate(copy))} (replay 2); ` +
        `scores after both replays: ${sums[0]?.calls} calls, ${sums[0]?.scored} scored, checksum ${sums[0]?.checksum} ` +
        `vs ${sums[1]?.checksum}: ${same ? "identical" : "DIFFERENT"}`,
    );
    if (!same) {
      // A correctness failure, smoke or not.
      process.exitCode = 1;
      console.log(`${driver}: ${verdict(false, false)}: the two replays disagree`);
    }
  }
  const checksums = new Set(results.flatMap((r) => r.sums.map((sum) => sum.checksum)));
  if (results.length > 1) {
    console.log(`the drivers' replays ${checksums.size === 1 ? "agree" : "DISAGREE"} on every score`);
    if (checksums.size > 1) process.exitCode = 1;
  }
  if (chosen.includes("server")) await census(smoke ? 3 : 100);
}
