/**
 * @voxanne/adapter-http: the Voxanne API on Hono. `createApp` gives a fetch handler over the core;
 * the server, composition root and live updates build on it.
 * @module
 */
export type { AppOptions } from "./app.ts";
export { createApp } from "./app.ts";
export type { AppEnv, AuthVerifier, JwtAuthConfig } from "./auth.ts";
export { DEFAULT_ORG_CLAIM, jwtAuth, mintToken, requireAuth, Unauthorized } from "./auth.ts";
export type { ErrorBody, HttpError } from "./httpErrors.ts";
export { errorBody, toHttpError } from "./httpErrors.ts";
export type { Limits } from "./limits.ts";
export { DEFAULT_LIMITS } from "./limits.ts";
export type { RecordingFiles } from "./routes/recordings.ts";
export type { WebhookHandlers, WebhookReply, WebhookRequest } from "./routes/webhooks.ts";
