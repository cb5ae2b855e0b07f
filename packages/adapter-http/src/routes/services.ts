/** `/api/services`: the organization's price list. */
import type { Voxanne } from "@voxanne/core";
import { Hono } from "hono";
import type { AppEnv } from "../auth.ts";
import { documented } from "../openapi.ts";
import { IdParam, input, ServiceCreate, ServicePatch } from "../schemas.ts";

const tag = "Services";

export const servicesRoutes = (voxanne: Voxanne): Hono<AppEnv> =>
  new Hono<AppEnv>()
    .get("/", documented({ tag, summary: "List services", responses: { 200: "`{ items }`" } }), async (c) =>
      c.json({ items: await voxanne.services.list(c.get("orgId")) }),
    )
    .post(
      "/",
      documented({ tag, summary: "Create a service", responses: { 201: "The new service" } }),
      input("json", ServiceCreate),
      async (c) => c.json(await voxanne.services.create(c.get("orgId"), c.req.valid("json")), 201),
    )
    .get(
      "/:id",
      documented({ tag, summary: "Read a service", responses: { 200: "The service" } }),
      input("param", IdParam),
      async (c) => c.json(await voxanne.services.get(c.get("orgId"), c.req.valid("param").id)),
    )
    .patch(
      "/:id",
      documented({ tag, summary: "Change a service", responses: { 200: "The updated service" } }),
      input("param", IdParam),
      input("json", ServicePatch),
      async (c) => c.json(await voxanne.services.update(c.get("orgId"), c.req.valid("param").id, c.req.valid("json"))),
    )
    .delete(
      "/:id",
      documented({ tag, summary: "Delete a service", responses: { 204: "Deleted" } }),
      input("param", IdParam),
      async (c) => {
        await voxanne.services.delete(c.get("orgId"), c.req.valid("param").id);
        return c.body(null, 204);
      },
    );
