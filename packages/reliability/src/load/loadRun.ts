/**
 * One load run against a stack: plan the calls, send their webhooks (with an optional fault in
 * the middle), wait for the background work to finish, then check the end state against the
 * generator's record.
 */
import type { Stack } from "../support/stack.ts";
import { planCalls } from "./callPlan.ts";
import type { DeliveryPlan } from "./deliveryPlan.ts";
import { planDeliveries } from "./deliveryPlan.ts";
import type { Expected } from "./expectations.ts";
import { expectedState } from "./expectations.ts";
import { knobs } from "./knobs.ts";
import { waitForQuiet } from "./quiet.ts";
import { seededRandom } from "./random.ts";
import type { SendReport } from "./sender.ts";
import { sendWebhooks } from "./sender.ts";
import { ms } from "./stats.ts";
import type { VerifyOptions } from "./verify.ts";
import { checkEndState } from "./verify.ts";

export interface LoadRunOptions {
  calls: number;
  /** Vendor call ids start with it. */
  prefix: string;
  /** Runs when this share of the deliveries has been accepted (0–1). */
  fault?: { atShare: number; run: () => Promise<void> };
  /** Runs after the sending and before waiting for quiet (e.g. fast-forwarding a dead process's leases). */
  beforeQuiet?: () => Promise<void>;
  verify?: VerifyOptions;
  /** How long the background work may take after the last webhook (default 60 s + 60 ms per call). */
  quietTimeoutMs?: number;
}

export interface LoadRun {
  plan: DeliveryPlan;
  expected: Expected;
  report: SendReport;
  /** From the last accepted webhook until nothing is left to project or send. */
  drainMs: number;
  problems: string[];
  /** See `VerifyOptions.sendsMayBeCut`. */
  unconfirmed: string[];
}

export async function runLoad(stack: Stack, options: LoadRunOptions): Promise<LoadRun> {
  const random = seededRandom(knobs.seed);
  const calls = planCalls({
    calls: options.calls,
    random,
    prefix: options.prefix,
    from: new Date(Date.now() - (options.calls + 60) * 60_000),
  });
  const plan = planDeliveries(calls, { random });
  const expected = expectedState(calls);
  const { fault } = options;
  const report = await sendWebhooks(plan.deliveries, {
    url: `${stack.server.url}/webhooks/vapi`,
    auth: stack.clinic.webhookAuth,
    concurrency: knobs.concurrency,
    ...(fault && { fault: { afterAccepted: Math.floor(plan.deliveries.length * fault.atShare), run: fault.run } }),
  });
  const death = stack.server.death();
  if (death) throw new Error(death);
  await options.beforeQuiet?.();
  const drainStarted = performance.now();
  await waitForQuiet(stack.database.sql, stack.clinic.orgId, options.quietTimeoutMs ?? 60_000 + 60 * options.calls);
  const drainMs = performance.now() - drainStarted;
  const { problems, unconfirmed } = await checkEndState(stack, expected, plan.webhooks, options.verify);
  const given = report.records
    .filter((r) => r.acceptedAt === null)
    .map((r) => `${r.webhook.call.vendorCallId} ${r.webhook.kind} (last ${r.status})`);
  if (given.length > 0)
    problems.unshift(`webhooks never accepted: ${given.length} (first: ${given.slice(0, 5).join(", ")})`);
  return { plan, expected, report, drainMs, problems, unconfirmed };
}

/** The figures of a run, one block for the test output and bench/RESULTS.md. */
export function describeRun(name: string, run: LoadRun): string {
  const { report, plan, expected } = run;
  return [
    `${name}: ${expected.vendorCallIds.size} calls, ${plan.webhooks.length} webhooks + ${plan.duplicates} duplicates, ${plan.reorderedCalls} calls reordered, ${expected.hotCallsByPhone.size} hot callers`,
    `  sent in ${(report.elapsedMs / 1000).toFixed(1)} s: ${report.throughput.toFixed(0)} webhooks/s accepted; latency p50 ${ms(report.latency.p50)}, p99 ${ms(report.latency.p99)}, max ${ms(report.latency.max)}`,
    `  answers ${JSON.stringify(report.outcomes)}; retries ${report.retries}; longest attempt ${ms(report.longestAttemptMs)}`,
    `  background work done ${(run.drainMs / 1000).toFixed(1)} s after the last webhook; problems: ${run.problems.length === 0 ? "none" : run.problems.length}`,
  ].join("\n");
}
