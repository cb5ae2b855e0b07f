/** `/health` for load balancers, `/openapi.json` and `/docs` for people and code generators. */
import type { Hono } from "hono";
import { Hono as Router } from "hono";
import { errorBody } from "../httpErrors.ts";
import { apiReference, documented, openApiDocument } from "../openapi.ts";

/** `health` answers whether the database is reachable; a rejection counts as "no". */
export const healthRoutes = (health: () => Promise<boolean>): Hono =>
  new Router().get(
    "/health",
    documented({
      tag: "Operations",
      summary: "Is the server able to serve",
      public: true,
      responses: { 200: '`{ status: "ok" }`' },
      errors: { 503: "A dependency (the database) is unreachable" },
    }),
    async (c) =>
      (await health().catch(() => false))
        ? c.json({ status: "ok" })
        : c.json(errorBody("UNAVAILABLE", "The database is unreachable"), 503),
  );

/** The document is built from `app`'s routes at request time, so mount this last or first alike. */
export const docsRoutes = (app: Hono): Hono =>
  new Router().get("/openapi.json", openApiDocument(app)).get("/docs", apiReference());
