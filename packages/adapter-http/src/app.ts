/**
 * The HTTP app over the core's use cases: the API under `/api` (bearer JWT), the vendors' webhooks,
 * signed recording links, health and the OpenAPI document. No server here: `app.fetch` runs
 * anywhere, and tests call `app.request(...)` in process.
 */
import type { Voxanne } from "@voxanne/core";
import type { MiddlewareHandler } from "hono";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import type { Logger } from "pino";
import { pino } from "pino";
import type { AppEnv, AuthVerifier } from "./auth.ts";
import { requireAuth } from "./auth.ts";
import { errorBody, toHttpError } from "./httpErrors.ts";
import type { Limits } from "./limits.ts";
import { DEFAULT_LIMITS, limitBody, limitPerIp, limitPerOrg } from "./limits.ts";
import { requestLog } from "./requestLog.ts";
import { analyticsRoutes } from "./routes/analytics.ts";
import { callsRoutes } from "./routes/calls.ts";
import { contactsRoutes } from "./routes/contacts.ts";
import { docsRoutes, healthRoutes } from "./routes/health.ts";
import type { RecordingFiles } from "./routes/recordings.ts";
import { recordingFileRoutes } from "./routes/recordings.ts";
import { servicesRoutes } from "./routes/services.ts";
import type { WebhookHandlers } from "./routes/webhooks.ts";
import { webhookRoutes } from "./routes/webhooks.ts";

/**
 * Hono's browser protections on everything a browser may load (API, pages, docs). A webhook's
 * answer goes to Vapi's or Twilio's servers and is never rendered: it carries nosniff alone, as
 * a dozen more headers would be written and parsed on every delivery for nothing.
 */
function securityHeaders(): MiddlewareHandler {
  const browser = secureHeaders();
  const server = secureHeaders({
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
    crossOriginOpenerPolicy: false,
    originAgentCluster: false,
    referrerPolicy: false,
    strictTransportSecurity: false,
    xContentTypeOptions: true,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xFrameOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
  return (c, next) => (c.req.path.startsWith("/webhooks/") ? server(c, next) : browser(c, next));
}

export interface AppOptions {
  voxanne: Voxanne;
  auth: AuthVerifier;
  /** The vendors' webhook handlers; an absent one answers 404. */
  webhooks?: WebhookHandlers;
  /** Whether the database is reachable (default: always). */
  health?: () => Promise<boolean>;
  /** Serving stored recordings through signed links; without it the recording routes answer 422. */
  recordings?: RecordingFiles;
  /** Where request logs go (default: nowhere). */
  logger?: Logger;
  limits?: Limits;
  /** Origins allowed to call the API from a browser; no CORS headers without it. */
  cors?: { origins: string[] };
}

/**
 * @example
 * const app = createApp({ voxanne, auth: jwtAuth({ secret }), webhooks: { vapi: vapiWebhookHandler({ voxanne }) } });
 * serve({ fetch: app.fetch, port: 3000 });
 */
export function createApp(options: AppOptions): Hono {
  const { voxanne, limits = {} } = options;
  const logger = options.logger ?? pino({ enabled: false });
  const app = new Hono();

  app.use(requestId(), requestLog(logger), securityHeaders());
  if (options.cors) {
    app.use(
      cors({
        origin: options.cors.origins,
        allowHeaders: ["Authorization", "Content-Type"],
        allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
        exposeHeaders: ["Retry-After", "Location"],
        maxAge: 600,
      }),
    );
  }
  app.use(limitBody(limits.bodyBytes ?? DEFAULT_LIMITS.bodyBytes));

  app.onError((error, c) => {
    const { status, body, headers } = toHttpError(error);
    // The name and a driver's code only: an unknown error's message may quote SQL values or vendor text.
    if (status >= 500) {
      const code = (error as { code?: unknown }).code;
      logger.error({ requestId: c.get("requestId"), error: error.name, code: String(code ?? "") }, "unhandled error");
    }
    return c.json(body, status, headers);
  });
  app.notFound((c) => c.json(errorBody("ROUTE_NOT_FOUND", "No such route"), 404));

  app.route("/", healthRoutes(options.health ?? (async () => true)));
  app.route("/webhooks", webhookRoutes(options.webhooks ?? {}));

  // Per-IP first, so a flood of bad tokens is limited too. The signed recording file is mounted
  // before `requireAuth`: Hono runs handlers in the order they were added, so it never needs a JWT.
  app.use("/api/*", limitPerIp(limits.perIpPerMinute ?? DEFAULT_LIMITS.perIpPerMinute, limits.clientIp));
  app.route("/api", recordingFileRoutes(voxanne, options.recordings));
  const api = new Hono<AppEnv>();
  api.use(requireAuth(options.auth), limitPerOrg(limits.perOrgPerMinute ?? DEFAULT_LIMITS.perOrgPerMinute));
  api.route("/analytics", analyticsRoutes(voxanne));
  api.route("/", callsRoutes(voxanne, options.recordings));
  api.route("/contacts", contactsRoutes(voxanne));
  api.route("/services", servicesRoutes(voxanne));
  app.route("/api", api);

  app.route("/", docsRoutes(app));
  return app;
}
