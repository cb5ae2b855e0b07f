/**
 * @voxanne/adapter-vapi/testing: a fake Vapi (REST server and webhook sender) for tests of the
 * adapter and of apps built on it.
 * @module
 */
export * from "./callScenario.ts";
export * from "./fakeVapi.ts";
export type { VapiCall, VapiMessage } from "./vapiFixtures.ts";
export { readVapiFixture, VAPI_FIXTURES_DIR } from "./vapiFixtures.ts";
export * from "./webhookSender.ts";
