/**
 * One structured log line per request. Only the path (no query string: `q` may hold a phone
 * number), never headers or bodies, so tokens, transcripts and phone numbers stay out of logs.
 */
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "./auth.ts";

const extra = new WeakMap<Context, Record<string, unknown>>();

/**
 * Adds ids to this request's log line (never personal data), e.g. the org and the call a webhook
 * was about: one line per request, rather than a second line from the handler.
 */
export function logWith(c: Context, fields: Record<string, unknown>): void {
  extra.set(c, { ...extra.get(c), ...fields });
}

export const requestLog =
  (logger: Logger): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const fields = {
      requestId: c.get("requestId"),
      // Unset when the request was refused before authentication.
      orgId: c.var.orgId as string | undefined,
      method: c.req.method,
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...extra.get(c),
    };
    if (status >= 500) logger.error(fields, "request failed");
    else logger.info(fields, "request");
  };
