/** `/api/analytics/*`: the dashboard's pulse, its recent-activity feed, and analytics over time. */
import type { Voxanne } from "@voxanne/core";
import { Hono } from "hono";
import type { AppEnv } from "../auth.ts";
import { documented } from "../openapi.ts";
import { input, PulseQuery, TimeseriesQuery } from "../schemas.ts";

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
    )
    .get(
      "/timeseries",
      documented({
        tag,
        summary: "Calls, bookings, success rate and pipeline value per day, ISO week or month",
        responses: {
          200:
            "`{ interval, timeZone, points: [{ start, totalCalls, inboundCalls, bookings, successRate, pipelineValueCents }] }`: " +
            "buckets cut in the organization's time zone (weeks start on Monday), `start` the bucket's local date " +
            "(YYYY-MM-DD), ascending. Only buckets that have calls are listed: gaps are not filled.",
        },
      }),
      input("query", TimeseriesQuery),
      async (c) => c.json(await voxanne.metrics.timeseries(c.get("orgId"), c.req.valid("query"))),
    )
    .get(
      "/funnel",
      documented({
        tag,
        summary: "The lead funnel: contacts created in the range that reached each stage",
        responses: {
          200: "`{ stages: [{ stage, count }] }`: always new, contacted, booked, converted, in that order",
        },
      }),
      input("query", PulseQuery),
      async (c) => c.json(await voxanne.metrics.funnel(c.get("orgId"), c.req.valid("query"))),
    )
    .get(
      "/services",
      documented({
        tag,
        summary: "Calls, bookings and pipeline value per service of the price list",
        responses: {
          200:
            "`{ items: [{ serviceId, name, bookings, calls, pipelineValueCents }] }`, by value descending. A call " +
            "counts once, with its whole value, for the service that priced it (the dearest it matched); calls " +
            "priced by no service of the list make one row with `serviceId: null`.",
        },
      }),
      input("query", PulseQuery),
      async (c) => c.json(await voxanne.metrics.services(c.get("orgId"), c.req.valid("query"))),
    );
