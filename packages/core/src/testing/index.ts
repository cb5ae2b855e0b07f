/**
 * @voxanne/core/testing: in-memory adapters of every port, a wired test harness, call scripts and
 * state snapshots. Safe to load outside a test runner (the server's simulators use it); the
 * contract suites, which need vitest, live in `@voxanne/core/testing/contracts`.
 * @module
 */

export * from "./appendFailureSwitch.ts";
export * from "./callScript.ts";
export type * from "./failureSwitch.ts";
export * from "./fixedClock.ts";
export * from "./memoryLiveEvents.ts";
export * from "./memoryStorage.ts";
export * from "./orgState.ts";
export * from "./recordingSms.ts";
export * from "./recordingTelephony.ts";
export * from "./testVoxanne.ts";
