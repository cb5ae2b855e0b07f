/**
 * `@voxanne/adapter-http/server`: the runnable server and its composition root, for apps and
 * examples that start the full stack in code (`startServer(loadConfig())`) or swap a port through
 * the container (`configure`).
 * @module
 */
export type { CliIo } from "./cli.ts";
export { runCli } from "./cli.ts";
export type { ComposeOptions, Core } from "./compose.ts";
export { composeCore, openStore } from "./compose.ts";
export { authOf, composeApp } from "./composeApp.ts";
export type { JwtConfig, LogLevel, ServerConfig, TwilioConfig } from "./config.ts";
export { ConfigError, loadConfig } from "./config.ts";
export { DEMO_AGENT, DEMO_ORG_ID, ensureDemoOrg } from "./demo.ts";
export type { SimulatorLog, VapiSimulator, VapiSimulatorOptions } from "./simulators.ts";
export { smsSimulator, vapiSimulator } from "./simulators.ts";
export type { RunningServer, StartOptions } from "./start.ts";
export { closeOnSignals, runServer, startServer } from "./start.ts";
export type { PlaybackTimes, VapiCallParties, VapiConversation } from "./vapiPlayback.ts";
export { CALLBACK_CONVERSATION, callMessages } from "./vapiPlayback.ts";
export { vapiWebhookHeaders } from "./vapiSigning.ts";
