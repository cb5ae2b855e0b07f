/**
 * @voxanne/core/testing/contracts: one vitest suite per port, for every adapter to run unchanged,
 * and the seed's scenarios as a suite over any Storage.
 * @module
 */
export * from "./analyticsContract.ts";
export * from "./clockContract.ts";
export type * from "./contractKit.ts";
export * from "./liveEventsContract.ts";
export * from "./seedScenarios.ts";
export * from "./sentimentContract.ts";
export * from "./smsContract.ts";
export * from "./storageContract.ts";
export * from "./telephonyContract.ts";
