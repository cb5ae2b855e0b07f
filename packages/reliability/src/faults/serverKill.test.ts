/**
 * Fault: the server is killed with SIGKILL in the middle of the load (no drain, no clean-up) and
 * started again on the same port. Every webhook that was answered 2xx must be in the event log,
 * the ones cut off are retried by the generator, and the outbox finishes its work.
 *
 * What the core guarantees for an alert at the kill (and this test holds it to): never sent twice.
 * An alert the dead process had claimed but not started is sent by the new one; one whose send was
 * in flight (logged `queued`, the vendor's answer never recorded) is settled `SMS_UNCONFIRMED` and
 * not sent again, since the vendor may already have it: it may be missing, never doubled. The dead
 * process's outbox claims last OUTBOX_LEASE_MS (5 min); rather than wait that long, the test moves
 * the claims taken before the kill to now, as the passing of time would.
 */
import { expect, it } from "vitest";
import { knobs, timeLimitFor } from "../load/knobs.ts";
import { describeRun } from "../load/loadRun.ts";
import { stackPerFile } from "../support/stackPerFile.ts";
import { runThroughFault } from "./faultRun.ts";

const stackOf = stackPerFile();

it(
  "keeps every acknowledged webhook and finishes the outbox after a SIGKILL",
  async () => {
    const stack = stackOf();
    let killedAt = 0;
    const { run, faulted, expiredClaims } = await runThroughFault(stack, "sigkill", async () => {
      await stack.server.kill();
      killedAt = Date.now();
      await stack.restartServer();
      return killedAt;
    });
    const acknowledgedBeforeKill = run.report.records.filter((r) => r.acceptedAt !== null && r.acceptedAt <= killedAt);
    console.log(
      `${describeRun("SIGKILL", run)}\n  ${acknowledgedBeforeKill.length} webhooks acknowledged before the kill; ` +
        `${expiredClaims} outbox claims of the dead process moved to now; unconfirmed alerts: ${JSON.stringify(run.unconfirmed)}`,
    );

    expect(faulted, "the kill ran").toBe(true);
    expect(acknowledgedBeforeKill.length).toBeGreaterThan(0);
    // checkEndState holds every planned webhook (acknowledged before the kill or retried after) to the event log.
    expect(run.problems, run.problems.join("\n")).toEqual([]);
    expect(run.report.outcomes.network ?? 0, "requests were cut by the kill and retried").toBeGreaterThan(0);
    // One process sends one alert at a time: at most one can be in flight when it dies.
    expect(run.unconfirmed.length).toBeLessThanOrEqual(1);
  },
  timeLimitFor(knobs.faultCalls),
);
