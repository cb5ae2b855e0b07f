/** `/api/calls-dashboard` and `/api/calls/:id`: the call log, soft delete, and recording links. */
import type { Voxanne } from "@voxanne/core";
import { NotConfigured } from "@voxanne/core";
import { Hono } from "hono";
import type { AppEnv } from "../auth.ts";
import { documented } from "../openapi.ts";
import { CallsQuery, IdParam, input } from "../schemas.ts";

const tag = "Calls";

/** How long a recording link made for the dashboard stays playable. */
export const RECORDING_LINK_TTL_SECONDS = 15 * 60;

export const recordingsNotConfigured = () =>
  new NotConfigured("RECORDINGS_NOT_CONFIGURED", "This server does not serve call recordings");

export const callsRoutes = (voxanne: Voxanne, recordings: { linkSecret: string } | undefined): Hono<AppEnv> =>
  new Hono<AppEnv>()
    .get(
      "/calls-dashboard",
      documented({ tag, summary: "List calls, newest first", responses: { 200: "`{ items, nextCursor }`" } }),
      input("query", CallsQuery),
      async (c) => {
        const { from, to, ...filter } = c.req.valid("query");
        const range = from || to ? { range: { from, to } } : {};
        return c.json(await voxanne.calls.list(c.get("orgId"), { ...filter, ...range }));
      },
    )
    .get(
      "/calls/:id",
      documented({ tag, summary: "Read a call", responses: { 200: "The call" } }),
      input("param", IdParam),
      async (c) => c.json(await voxanne.calls.get(c.get("orgId"), c.req.valid("param").id)),
    )
    .delete(
      "/calls/:id",
      documented({ tag, summary: "Hide a call (soft delete)", responses: { 204: "Deleted" } }),
      input("param", IdParam),
      async (c) => {
        await voxanne.calls.delete(c.get("orgId"), c.req.valid("param").id);
        return c.body(null, 204);
      },
    )
    .get(
      "/calls/:id/recording",
      documented({
        tag,
        summary: "Redirect to a signed, expiring link to the call's recording",
        responses: { 302: "Location is the signed link" },
        errors: { 422: "This server does not serve recordings" },
      }),
      input("param", IdParam),
      async (c) => {
        if (!recordings) throw recordingsNotConfigured();
        const { path } = await voxanne.recordings.signLink(c.get("orgId"), c.req.valid("param").id, {
          secret: recordings.linkSecret,
          ttlSeconds: RECORDING_LINK_TTL_SECONDS,
        });
        c.header("Cache-Control", "no-store");
        return c.redirect(path, 302);
      },
    );
