/**
 * The HTTP side of the composition root: the Hono app over a composed core, with the vendors'
 * webhook handlers (Twilio's only when its credentials are configured), health and recordings.
 */
import { twilioWebhookHandlers } from "@voxanne/adapter-twilio";
import { vapiWebhookHandler } from "@voxanne/adapter-vapi";
import { dashboardRoutes } from "@voxanne/dashboard";
import type { Hono } from "hono";
import type { Logger } from "pino";
import { createApp } from "../app.ts";
import type { AuthVerifier } from "../auth.ts";
import { jwtAuth } from "../auth.ts";
import type { Core } from "./compose.ts";
import type { ServerConfig } from "./config.ts";

/** A pino-shaped log for the vendor adapters' `(level, message, fields)` callbacks. */
const adapterLog =
  (logger: Logger) => (level: "debug" | "info" | "warn" | "error", message: string, fields: Record<string, unknown>) =>
    logger[level](fields, message);

/** The JWT verifier the config asks for (HS256 secret, or a JWKS URL). */
export const authOf = (config: ServerConfig): AuthVerifier => jwtAuth(config.jwt);

/** The Hono app over a composed core: the API, the vendors' webhooks, health and recordings. */
export function composeApp(config: ServerConfig, core: Core, logger: Logger, auth: AuthVerifier): Hono {
  const { voxanne, database, recordings } = core;
  const log = adapterLog(logger);
  const twilio =
    config.twilio &&
    twilioWebhookHandlers({ voxanne, authToken: config.twilio.authToken, publicUrl: config.publicUrl, log });
  const app = createApp({
    voxanne,
    auth,
    webhooks: {
      vapi: vapiWebhookHandler({ voxanne, log }),
      ...(twilio && { twilioStatus: twilio.status, twilioInbound: twilio.inbound }),
    },
    health: () =>
      database.db.execute("select 1").then(
        () => true,
        () => false,
      ),
    recordings: { linkSecret: config.recordingLinkSecret, fileOf: (location: string) => recordings.fileOf(location) },
    logger,
    ...(config.corsOrigins.length > 0 && { cors: { origins: config.corsOrigins } }),
  });
  return app.route("/", dashboardRoutes()); // the dashboard page at `/`, its assets under `/dashboard/`
}
