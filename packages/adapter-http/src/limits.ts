/**
 * Request limits: body size (413) and per-IP / per-organization rate limits (429 with Retry-After).
 * The rate limits count in this process's memory: with several processes each one counts apart
 * (hono-rate-limiter takes a shared store, e.g. Redis, when that matters).
 */
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { rateLimiter } from "hono-rate-limiter";
import type { AppEnv } from "./auth.ts";
import { errorBody } from "./httpErrors.ts";

export interface Limits {
  /** Largest request body in bytes (default 2 MiB: a Vapi end-of-call report with its transcript). */
  bodyBytes?: number;
  /** Authenticated requests per organization per minute (default 600). */
  perOrgPerMinute?: number;
  /** `/api` requests per client address per minute, before authentication (default 300). */
  perIpPerMinute?: number;
  /** The client's address; defaults to the socket's peer. Behind a proxy, read its trusted header here. */
  clientIp?: (c: Context) => string;
}

export const DEFAULT_LIMITS = { bodyBytes: 2 * 1024 * 1024, perOrgPerMinute: 600, perIpPerMinute: 300 };
const MINUTE_MS = 60_000;

/** The socket peer's address; "unknown" when there is no socket (in-process `app.request`). */
const socketIp = (c: Context): string => {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
};

/**
 * 413 over `bytes`. A declared Content-Length is checked from the header alone (Node's parser never
 * reads past it) and a body-less GET/HEAD passes: Hono's `bodyLimit` reads `c.req.raw.body`, which
 * on @hono/node-server turns the light request into a full web Request with a stream over the
 * socket, the costliest part of a webhook. Only a chunked body is counted as it arrives, by Hono's.
 */
export const limitBody = (bytes: number): MiddlewareHandler => {
  const onError = (c: Context) =>
    c.json(errorBody("PAYLOAD_TOO_LARGE", `The request body is larger than ${bytes} bytes`), 413);
  const streamed = bodyLimit({ maxSize: bytes, onError });
  return async (c, next) => {
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && /^\d+$/.test(length) && c.req.header("transfer-encoding") === undefined) {
      return Number(length) > bytes ? onError(c) : next();
    }
    return streamed(c, next);
  };
};

const tooMany = { ...errorBody("RATE_LIMITED", "Too many requests; retry after the time in Retry-After") };

export const limitPerIp = (perMinute: number, clientIp: (c: Context) => string = socketIp): MiddlewareHandler =>
  rateLimiter({
    windowMs: MINUTE_MS,
    limit: perMinute,
    standardHeaders: "draft-6",
    keyGenerator: (c) => `ip:${clientIp(c)}`,
    message: tooMany,
  });

/** Runs after authentication: the key is the token's organization. */
export const limitPerOrg = (perMinute: number): MiddlewareHandler<AppEnv> =>
  rateLimiter<AppEnv>({
    windowMs: MINUTE_MS,
    limit: perMinute,
    standardHeaders: "draft-6",
    keyGenerator: (c) => `org:${c.get("orgId")}`,
    message: tooMany,
  });
