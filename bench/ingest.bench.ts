/**
 * In-memory ingest of whole calls (started → ended → report): events per second through
 * `receive` + projection + outbox, against the baseline of appending the same payloads to the
 * same in-memory event log without projecting them, in the same run. The ratio is what the
 * projection (pricing, sentiment, scoring, contact, activity, live events) costs.
 */
import { createVoxanne } from "@voxanne/core";
import type { LoggedEvent } from "@voxanne/core/testing";
import {
  callEvents,
  fixedClock,
  memoryLiveEvents,
  memoryStorage,
  recordingSms,
  recordingTelephony,
} from "@voxanne/core/testing";
import type { BenchOptions } from "./run.ts";

const TRANSCRIPT =
  "AI: Thank you for calling Bright Aesthetics. User: Hi, I'd like to ask about Botox and maybe lip filler. " +
  "AI: Botox starts at $400 and fillers at $500. Would you like to book a consultation? User: Yes please, Tuesday works. ".repeat(
    8,
  );

function makeCalls(count: number, start: Date): LoggedEvent[][] {
  return Array.from({ length: count }, (_, i) =>
    callEvents({
      vendorCallId: `bench-${i}`,
      customerNumber: `+1555${String(1_000_000 + (i % 5_000)).padStart(7, "0")}`,
      startedAt: new Date(start.getTime() + i * 60_000),
      durationSeconds: 60 + (i % 240),
      transcript: TRANSCRIPT,
      booked: i % 3 === 0,
    }),
  );
}

async function fullPipeline(calls: LoggedEvent[][]): Promise<number> {
  const clock = fixedClock();
  const voxanne = createVoxanne({
    storage: memoryStorage(),
    telephony: recordingTelephony(),
    sms: recordingSms(),
    live: memoryLiveEvents(),
    clock,
  });
  const org = await voxanne.organizations.create({ name: "Bench", agent: { hotLeadAlertNumbers: ["+15555550199"] } });
  const started = performance.now();
  for (const call of calls) {
    for (const { eventKey, payload } of call) await voxanne.receive("voxanne", org.id, eventKey, payload);
  }
  await voxanne.settle();
  const seconds = (performance.now() - started) / 1000;
  const pulse = await voxanne.metrics.pulse(org.id);
  if (pulse.totalCalls !== calls.length) throw new Error(`projected ${pulse.totalCalls} of ${calls.length} calls`);
  return seconds;
}

async function appendOnly(calls: LoggedEvent[][]): Promise<number> {
  const clock = fixedClock();
  const storage = memoryStorage();
  const voxanne = createVoxanne({
    storage,
    telephony: recordingTelephony(),
    sms: recordingSms(),
    live: memoryLiveEvents(),
    clock,
  });
  const org = await voxanne.organizations.create({ name: "Baseline" });
  const started = performance.now();
  for (const call of calls) {
    for (const { eventKey, payload } of call) {
      await storage.transaction(org.id, (tx) =>
        tx.eventLog.append({ orgId: org.id, provider: "voxanne", eventKey, payload, receivedAt: clock.now() }),
      );
    }
  }
  return (performance.now() - started) / 1000;
}

export async function run({ smoke }: BenchOptions): Promise<void> {
  const calls = makeCalls(smoke ? 30 : Number(process.env.BENCH_CALLS ?? 3_000), new Date("2026-01-25T09:00:00Z"));
  const events = calls.reduce((n, c) => n + c.length, 0);
  await fullPipeline(makeCalls(20, new Date(0))); // warm-up: JIT and caches
  const baseline = await appendOnly(calls);
  const pipeline = await fullPipeline(calls);
  const rate = (s: number) => Math.round(events / s);
  console.table({
    "append only (baseline)": { events, "events/s": rate(baseline) },
    "receive + project + deliver": {
      events,
      "events/s": rate(pipeline),
      "calls/s": Math.round(calls.length / pipeline),
    },
  });
  console.log(`full pipeline / append-only rate: ${(baseline / pipeline).toFixed(3)}×`);
}
