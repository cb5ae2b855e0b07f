/**
 * @voxanne/adapter-twilio/testing: a fake Twilio (a Messages API server that fails on demand, and
 * signed status callbacks and inbound messages), and the SDK HTTP client that points the real
 * twilio SDK at it.
 * @module
 */
export * from "./fakeTwilio.ts";
export * from "./redirectingRequestClient.ts";
export * from "./twilioResources.ts";
export * from "./webhookParams.ts";
export * from "./webhookSender.ts";
