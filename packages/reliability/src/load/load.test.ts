/**
 * Load: the webhooks of N calls (10% duplicated, 10% reordered) sent to the real server as fast as
 * it answers; afterwards the database, the dashboard and the SMS vendor must show exactly what the
 * generator's record says. N is RELIABILITY_CALLS (default 600 in CI; the full run is 10,000).
 */
import { expect, it } from "vitest";
import { stackPerFile } from "../support/stackPerFile.ts";
import { knobs, timeLimitFor } from "./knobs.ts";
import { describeRun, runLoad } from "./loadRun.ts";

const stackOf = stackPerFile();

it(
  `keeps every one of ${knobs.calls} calls, counts them right and alerts each hot lead once`,
  async () => {
    const stack = stackOf();
    const run = await runLoad(stack, { calls: knobs.calls, prefix: "load" });
    console.log(describeRun("load", run));
    expect(run.problems, run.problems.join("\n")).toEqual([]);
    // No webhook of a healthy run may be refused or fail.
    expect(Object.keys(run.report.outcomes).filter((status) => status !== "200")).toEqual([]);
  },
  timeLimitFor(knobs.calls),
);
