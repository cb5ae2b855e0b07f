/** The contract every Clock passes: what the core assumes of "now". */
import { describe, expect } from "vitest";
import type { Clock } from "../../ports/clock.ts";
import type { Closable, ContractOptions, FixtureFactory } from "./contractKit.ts";
import { contractTests, fixturesOf } from "./contractKit.ts";

/** A clock under test. */
export interface ClockFixture extends Closable {
  adapter: Clock;
}

export const CLOCK_CONTRACT_TESTS = [
  "now() returns a valid Date",
  "now() never goes backwards",
  "each now() is a fresh Date the caller may change",
] as const;
export type ClockContractTest = (typeof CLOCK_CONTRACT_TESTS)[number];

/**
 * Declares the Clock contract suite for one clock. `makeFixture` runs once per test.
 *
 * @example
 * clockContract("system clock", () => ({ adapter: systemClock }));
 */
export function clockContract(
  name: string,
  makeFixture: FixtureFactory<ClockFixture>,
  options: ContractOptions<ClockContractTest> = {},
): void {
  const suite = `Clock contract: ${name}`;
  describe(suite, () => {
    const test = contractTests(suite, CLOCK_CONTRACT_TESTS, options.skip);
    const setup = fixturesOf(makeFixture);

    test("now() returns a valid Date", async () => {
      const { adapter } = await setup();
      const now = adapter.now();
      expect(now).toBeInstanceOf(Date);
      expect(Number.isNaN(now.getTime())).toBe(false);
    });

    test("now() never goes backwards", async () => {
      const { adapter } = await setup();
      let previous = adapter.now().getTime();
      for (let i = 0; i < 1000; i++) {
        const current = adapter.now().getTime();
        expect(current).toBeGreaterThanOrEqual(previous);
        previous = current;
      }
    });

    test("each now() is a fresh Date the caller may change", async () => {
      const { adapter } = await setup();
      const first = adapter.now();
      const before = first.getTime();
      first.setTime(0);
      const second = adapter.now();
      expect(second).not.toBe(first);
      expect(second.getTime()).toBeGreaterThanOrEqual(before);
    });
  });
}
