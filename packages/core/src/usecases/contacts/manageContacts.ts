/** Leads: list with filters, read one, and the changes a person makes (name, email, status). */
import * as v from "valibot";
import type { Contact } from "../../domain/contact.ts";
import { advanceLeadStatus, LEAD_STATUSES, LEAD_TEMPERATURES } from "../../domain/contact.ts";
import { Conflict, NotFound } from "../../domain/errors.ts";
import type { Page } from "../../domain/page.ts";
import { serialize } from "../../domain/serialized.ts";
import type { Deps } from "../context.ts";
import { withEffects } from "../shared/effects.ts";
import { Email, Id, Name, PageInput } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";

const ContactQuery = v.object({
  ...PageInput.entries,
  leadStatus: v.optional(v.picklist(LEAD_STATUSES)),
  leadTemperature: v.optional(v.picklist(LEAD_TEMPERATURES)),
  q: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100, "is too long"))),
});

const ContactPatch = v.pipe(
  v.partial(v.object({ name: v.nullable(Name), email: v.nullable(Email), leadStatus: v.picklist(LEAD_STATUSES) })),
  v.check((p) => Object.keys(p).length > 0, "must change at least one field"),
);

export function listContacts(
  deps: Deps,
  orgId: string,
  query: v.InferInput<typeof ContactQuery> = {},
): Promise<Page<Contact>> {
  const { limit, cursor, ...filter } = validate(ContactQuery, query);
  return deps.storage.transaction(orgId, (tx) => tx.contacts.list(filter, { limit, cursor }));
}

export async function getContact(deps: Deps, orgId: string, id: string): Promise<Contact> {
  const contact = await deps.storage.transaction(orgId, (tx) => tx.contacts.getById(validate(Id, id)));
  if (!contact) throw new NotFound("contact", id);
  return contact;
}

/**
 * A person's change to a lead. The status still only moves forward (a person is the only one who
 * can set `converted`); a backward move is a `Conflict` and changes nothing.
 */
export async function updateContact(
  deps: Deps,
  orgId: string,
  id: string,
  input: v.InferInput<typeof ContactPatch>,
): Promise<Contact> {
  const patch = validate(ContactPatch, input);
  return withEffects(deps, orgId, async (fx) => {
    const { tx } = fx;
    const contact = await tx.contacts.getById(validate(Id, id));
    if (!contact) throw new NotFound("contact", id);
    if (patch.leadStatus && advanceLeadStatus(contact.leadStatus, patch.leadStatus) !== patch.leadStatus) {
      throw new Conflict("LEAD_STATUS_BACKWARDS", `A ${contact.leadStatus} lead cannot go back to ${patch.leadStatus}`);
    }
    const saved = await tx.contacts.update(id, patch);
    fx.publish({ type: "contact.updated", orgId, contact: serialize(saved) });
    return saved;
  });
}
