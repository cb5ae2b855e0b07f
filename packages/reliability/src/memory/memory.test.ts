/**
 * Memory: the server's RSS under sustained load stays flat. The generator sends new calls'
 * webhooks for RELIABILITY_MEMORY_SECONDS (default 50) while /proc/<pid>/status is sampled each
 * second. The RSS is a saw under load (see `floorBetween`), so the test compares floors: after
 * warm-up (JIT, pools, caches: the first 20%) the floor of the last 40% may exceed the floor of
 * 20–60% by at most LEAK_BOUND_BYTES (each window spans at least one GC cycle). A server that keeps ~4 KB per webhook crosses it (README).
 */
import { expect, it } from "vitest";
import { planCalls } from "../load/callPlan.ts";
import { planDeliveries } from "../load/deliveryPlan.ts";
import { knobs } from "../load/knobs.ts";
import { seededRandom } from "../load/random.ts";
import { sendWebhooks } from "../load/sender.ts";
import { mb, ms } from "../load/stats.ts";
import { stackPerFile } from "../support/stackPerFile.ts";
import { floorBetween, sampleRss } from "./rssSampler.ts";

const LEAK_BOUND_BYTES = 64 * 1_048_576;

const stackOf = stackPerFile();

it(`keeps the server's RSS flat over ${knobs.memorySeconds} s of sustained load`, async () => {
  const stack = stackOf();
  const random = seededRandom(knobs.seed + 1);
  // More calls than the time allows: the run stops on time, not on running out.
  const callCount = knobs.memorySeconds * 250;
  const calls = planCalls({
    calls: callCount,
    random,
    prefix: "memory",
    from: new Date(Date.now() - 400 * 86_400_000),
  });
  const { deliveries } = planDeliveries(calls, { random });
  const until = performance.now() + knobs.memorySeconds * 1_000;

  const sampler = sampleRss(() => stack.server.rssBytes());
  const report = await sendWebhooks(deliveries, {
    url: `${stack.server.url}/webhooks/vapi`,
    auth: stack.clinic.webhookAuth,
    concurrency: knobs.concurrency,
    stopWhen: () => performance.now() > until,
  });
  const samples = sampler.stop();

  const start = samples[0]?.bytes ?? 0;
  const warm = floorBetween(samples, 0.2, 0.6);
  const end = floorBetween(samples, 0.6, 1);
  const peak = Math.max(...samples.map((s) => s.bytes));
  console.log(
    `memory: ${report.accepted} webhooks in ${(report.elapsedMs / 1000).toFixed(0)} s (${report.throughput.toFixed(0)}/s, p99 ${ms(report.latency.p99)}); ` +
      `RSS start ${mb(start)}, floor after warm-up ${mb(warm)}, floor at the end ${mb(end)}, peak ${mb(peak)}\n` +
      `  samples (MB): ${samples.map((s) => Math.round(s.bytes / 1_048_576)).join(" ")}`,
  );

  expect(stack.server.death()).toBeNull();
  expect(
    report.records.every((r) => r.acceptedAt !== null),
    "every webhook of the run was accepted",
  ).toBe(true);
  expect(
    end - warm,
    `RSS grew from ${mb(warm)} after warm-up to ${mb(end)} at the end (bound: +${mb(LEAK_BOUND_BYTES)})`,
  ).toBeLessThanOrEqual(LEAK_BOUND_BYTES);
});
