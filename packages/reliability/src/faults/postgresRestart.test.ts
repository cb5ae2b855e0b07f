/**
 * Fault: the PostgreSQL server (a throwaway cluster of this test's own) is stopped in the middle
 * of the load and started again a few seconds later. While it is down, webhooks must be answered
 * 503 (so Vapi retries), never another 5xx and never a 2xx for a webhook that was not logged;
 * once it is back, every retried webhook is accepted and the end state is exactly right.
 *
 * The outbox batch that was running when the database went away keeps its claim for
 * OUTBOX_LEASE_MS (5 min): those side effects wait that long. The test moves the claims taken
 * before the stop to now (support/outboxLeases.ts) and reports how many there were. An alert
 * whose send was cut (sent, its answer not recorded) is settled SMS_UNCONFIRMED, never re-sent.
 */
import { expect, it } from "vitest";
import { knobs, timeLimitFor } from "../load/knobs.ts";
import { describeRun } from "../load/loadRun.ts";
import { stackPerFile } from "../support/stackPerFile.ts";
import { runThroughFault } from "./faultRun.ts";

const DOWN_MS = 3_000;
const stackOf = stackPerFile({ ownCluster: true });

it(
  "answers 503 while PostgreSQL is down and loses nothing once it is back",
  async () => {
    const stack = stackOf();
    const cluster = stack.cluster;
    if (!cluster) throw new Error("this test needs its own cluster");
    let downFor = 0;
    const { run, faulted, expiredClaims } = await runThroughFault(stack, "pg-restart", async () => {
      const stoppedAt = Date.now();
      await cluster.stop();
      await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
      await cluster.start();
      downFor = Date.now() - stoppedAt;
      return stoppedAt;
    });
    console.log(
      `${describeRun("postgres restart", run)}\n  PostgreSQL was down for ${(downFor / 1000).toFixed(1)} s; ` +
        `${expiredClaims} outbox claims held over the outage moved to now; unconfirmed alerts: ${JSON.stringify(run.unconfirmed)}`,
    );

    expect(faulted && downFor > DOWN_MS, "the restart ran").toBe(true);
    expect(run.problems, run.problems.join("\n")).toEqual([]);
    const { outcomes } = run.report;
    expect(outcomes["503"] ?? 0, "webhooks were answered 503 while the database was down").toBeGreaterThan(0);
    const otherFailures = Object.keys(outcomes).filter((status) => status !== "200" && status !== "503");
    expect(otherFailures, `answers other than 200 and 503: ${JSON.stringify(outcomes)}`).toEqual([]);
    // One process sends one alert at a time: at most one can be in flight when the database goes.
    expect(run.unconfirmed.length).toBeLessThanOrEqual(1);
  },
  timeLimitFor(knobs.faultCalls),
);
