/**
 * A fault test's load: the fault runs at 40% of the deliveries; afterwards the outbox claims the
 * fault left behind (taken before `fault` returns its cut-off) are moved to now, and alerts whose
 * send the fault cut are allowed to be unconfirmed (see VerifyOptions.sendsMayBeCut).
 */
import { knobs } from "../load/knobs.ts";
import type { LoadRun } from "../load/loadRun.ts";
import { runLoad } from "../load/loadRun.ts";
import { expireClaimsTakenBefore } from "../support/outboxLeases.ts";
import type { Stack } from "../support/stack.ts";

export interface FaultRun {
  run: LoadRun;
  /** Whether the fault ran (the load reached 40%). */
  faulted: boolean;
  /** Outbox claims held over the fault, moved to now. */
  expiredClaims: number;
}

/** `fault` does its damage and resolves with the time (ms since the epoch) before which claims are stale. */
export async function runThroughFault(stack: Stack, prefix: string, fault: () => Promise<number>): Promise<FaultRun> {
  let cutOff: number | undefined;
  let expiredClaims = 0;
  const run = await runLoad(stack, {
    calls: knobs.faultCalls,
    prefix,
    fault: {
      atShare: 0.4,
      async run() {
        cutOff = await fault();
      },
    },
    async beforeQuiet() {
      if (cutOff !== undefined) expiredClaims = await expireClaimsTakenBefore(stack, cutOff);
    },
    verify: { sendsMayBeCut: true },
  });
  return { run, faulted: cutOff !== undefined, expiredClaims };
}
