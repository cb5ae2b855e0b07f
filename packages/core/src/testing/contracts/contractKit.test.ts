import { describe, expect, it } from "vitest";
import { contractTests, requireHook } from "./contractKit.ts";

const NAMES = ["first", "second"] as const;

describe("contractTests", () => {
  it("refuses a skip without a reason", () => {
    expect(() => contractTests("suite", NAMES, [{ reason: " ", tests: ["first"] }])).toThrow(/needs a reason/);
    expect(() => contractTests("suite", NAMES, [{ tests: ["first"] } as never])).toThrow(/needs a reason/);
  });

  it("refuses a skip of a test the suite does not have", () => {
    expect(() => contractTests("suite", NAMES, [{ reason: "why", tests: ["third" as never] }])).toThrow(
      /unknown test "third"/,
    );
  });
});

describe("requireHook", () => {
  it("returns the hook bound to its fixture", () => {
    const fixture = {
      value: 42,
      read() {
        return this.value;
      },
    };
    expect(requireHook("suite", fixture, "read")()).toBe(42);
  });

  it("says how to fix a missing hook", () => {
    const fixture: { placed?: () => void } = {};
    expect(() => requireHook("suite", fixture, "placed")).toThrow(
      /`placed` hook; provide it, or list the test in `skip`/,
    );
  });
});
