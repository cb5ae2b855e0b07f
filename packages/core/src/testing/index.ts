/**
 * @voxanne/core/testing: in-memory adapters of every port, a test harness, call scripts, and
 * one contract suite per port for adapters to run unchanged.
 * @module
 */
export * from "./callScript.ts";
export * from "./fixedClock.ts";
export * from "./memoryLiveEvents.ts";
export * from "./memoryStorage.ts";
export * from "./recordingSms.ts";
export * from "./recordingTelephony.ts";
export * from "./testVoxanne.ts";
export * from "./contracts/clockContract.ts";
export * from "./contracts/liveEventsContract.ts";
export * from "./contracts/sentimentContract.ts";
export * from "./contracts/smsContract.ts";
export * from "./contracts/storageContract.ts";
export * from "./contracts/telephonyContract.ts";
export * from "./contracts/seedScenarios.ts";
