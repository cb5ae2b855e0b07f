/** `/api/contacts`: leads, the changes a person makes to them, and reaching out (call back, SMS). */
import type { Voxanne } from "@voxanne/core";
import { Hono } from "hono";
import type { AppEnv } from "../auth.ts";
import { documented } from "../openapi.ts";
import { ContactPatch, ContactsQuery, IdParam, input, SmsBody } from "../schemas.ts";

const tag = "Contacts";
const OUTREACH_ERRORS = {
  409: "The change clashes with the lead's state",
  422: "The organization is not configured for this, or the recipient opted out",
  502: "The vendor refused",
  503: "The vendor is unavailable; see Retry-After",
};

export const contactsRoutes = (voxanne: Voxanne): Hono<AppEnv> =>
  new Hono<AppEnv>()
    .get(
      "/",
      documented({ tag, summary: "List leads", responses: { 200: "`{ items, nextCursor }`" } }),
      input("query", ContactsQuery),
      async (c) => c.json(await voxanne.contacts.list(c.get("orgId"), c.req.valid("query"))),
    )
    .get(
      "/:id",
      documented({ tag, summary: "Read a lead", responses: { 200: "The contact" } }),
      input("param", IdParam),
      async (c) => c.json(await voxanne.contacts.get(c.get("orgId"), c.req.valid("param").id)),
    )
    .patch(
      "/:id",
      documented({
        tag,
        summary: "Change a lead's name, email or status",
        responses: { 200: "The updated contact" },
        errors: { 409: "The status would move backwards" },
      }),
      input("param", IdParam),
      input("json", ContactPatch),
      async (c) => c.json(await voxanne.contacts.update(c.get("orgId"), c.req.valid("param").id, c.req.valid("json"))),
    )
    .post(
      "/:id/call-back",
      documented({
        tag,
        summary: "Call the lead back",
        responses: { 202: "`{ call }`, placed" },
        errors: OUTREACH_ERRORS,
      }),
      input("param", IdParam),
      async (c) => c.json({ call: await voxanne.contacts.callBack(c.get("orgId"), c.req.valid("param").id) }, 202),
    )
    .post(
      "/:id/sms",
      documented({
        tag,
        summary: "Text the lead",
        responses: { 202: "`{ message }`, queued" },
        errors: OUTREACH_ERRORS,
      }),
      input("param", IdParam),
      input("json", SmsBody),
      async (c) => {
        const message = await voxanne.contacts.sendSms(
          c.get("orgId"),
          c.req.valid("param").id,
          c.req.valid("json").body,
        );
        return c.json({ message }, 202);
      },
    );
