/** `/api/analytics/*`: the dashboard's pulse and its recent-activity feed. */
import type { Voxanne } from "@voxanne/core";
import { Hono } from "hono";
import type { AppEnv } from "../auth.ts";
import { documented } from "../openapi.ts";
import { input, PulseQuery } from "../schemas.ts";

const tag = "Analytics";

export const analyticsRoutes = (voxanne: Voxanne): Hono<AppEnv> =>
  new Hono<AppEnv>()
    .get(
      "/dashboard-pulse",
      documented({ tag, summary: "Headline numbers for a time range", responses: { 200: "The pulse" } }),
      input("query", PulseQuery),
      async (c) => c.json(await voxanne.metrics.pulse(c.get("orgId"), c.req.valid("query"))),
    )
    .get(
      "/recent-activity",
      documented({ tag, summary: "The last 10 events", responses: { 200: "`{ items }`, newest first" } }),
      async (c) => c.json({ items: await voxanne.metrics.recentActivity(c.get("orgId")) }),
    );
