/** The org's contacts (leads): unique phone per org, newest-first keyset lists with filters. */
import type { Contact, ContactFilter, ContactRepository } from "@voxanne/core";
import { Conflict, NotFound } from "@voxanne/core";
import { and, eq, ilike, or, type SQL } from "drizzle-orm";
import { compile, everyColumn, oneOfOrg } from "../compiled.ts";
import { contactOf, newestFirst, olderThan, pageLimit, pageOf, parseCursor } from "../rows.ts";
import { contacts } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

/** The fields a patch may change; `undefined` leaves a field as it is. */
const PATCHABLE = [
  "phone",
  "name",
  "email",
  "leadStatus",
  "leadScore",
  "leadTemperature",
  "lastContactedAt",
  "smsOptedOutAt",
] as const satisfies readonly (keyof Contact)[];

/** A LIKE pattern matching `text` anywhere, with its own `%`, `_` and `\` taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, "\\$&")}%`;

// The projector's statements, built once (see compiled.ts).
const byId = oneOfOrg(contacts, contacts.id);
const byPhone = oneOfOrg(contacts, contacts.phone);
const insertUnlessPhoneTaken = compile((db, value) =>
  db
    .insert(contacts)
    .values(everyColumn(contacts, value))
    .onConflictDoNothing({ target: [contacts.orgId, contacts.phone] })
    .returning(),
);
/** A patch of every patchable field (the projector's); other patches are built as they come. */
const updateAll = compile((db, value) =>
  db
    .update(contacts)
    .set(everyColumn(contacts, value, ["id", "orgId", "createdAt"]))
    .where(and(eq(contacts.orgId, value("orgId")), eq(contacts.id, value("id"))))
    .returning(),
);

function filterOf(filter: ContactFilter): (SQL | undefined)[] {
  const pattern = filter.q ? containing(filter.q) : undefined;
  return [
    filter.leadStatus === undefined ? undefined : eq(contacts.leadStatus, filter.leadStatus),
    filter.leadTemperature === undefined ? undefined : eq(contacts.leadTemperature, filter.leadTemperature),
    pattern === undefined
      ? undefined
      : or(ilike(contacts.name, pattern), ilike(contacts.email, pattern), ilike(contacts.phone, pattern)),
  ];
}

export function contactRepository(scope: OrgScope): ContactRepository {
  const { tx, orgId } = scope;
  const ofOrg = eq(contacts.orgId, orgId);

  const one = async (rows: PromiseLike<(typeof contacts.$inferSelect)[]>): Promise<Contact | null> => {
    const [row] = await rows;
    return row ? contactOf(row) : null;
  };

  return {
    async getById(id) {
      scope.requireOrg();
      return one(byId.run(tx, { orgId, key: id }));
    },

    async findByPhone(phone) {
      scope.requireOrg();
      return one(byPhone.run(tx, { orgId, key: phone }));
    },

    async create(contact) {
      scope.requireOrg();
      scope.own(contact.orgId);
      const [row] = await tx.insert(contacts).values(contact).returning();
      return contactOf(row as typeof contacts.$inferSelect);
    },

    /**
     * One statement decides: a concurrent creator of the same phone makes this insert a no-op.
     * The read of the phone's contact goes out with it (one round trip): it sees the row the
     * insert made, or the one that was there.
     */
    async getOrCreate(contact) {
      scope.requireOrg();
      scope.own(contact.orgId);
      const inserting = insertUnlessPhoneTaken.run(tx, contact);
      const reading = one(byPhone.run(tx, { orgId, key: contact.phone }));
      reading.catch(() => {}); // awaited below unless the insert answers first
      const [row] = await inserting;
      if (row) return { contact: contactOf(row), created: true };
      const existing = await reading;
      // Only a clash this transaction cannot see (never under the org's lock) gets here.
      if (!existing) throw new Conflict("CONTACT_PHONE_TAKEN", "This phone number already belongs to a contact");
      return { contact: existing, created: false };
    },

    async update(id, patch) {
      scope.requireOrg();
      const set = Object.fromEntries(
        PATCHABLE.filter((field) => patch[field] !== undefined).map((field) => [field, patch[field]]),
      ) as Partial<Pick<Contact, (typeof PATCHABLE)[number]>>;
      const fields = Object.keys(set).length;
      let rows: PromiseLike<(typeof contacts.$inferSelect)[]>;
      if (fields === 0)
        rows = byId.run(tx, { orgId, key: id }); // nothing to change: the contact as it is
      else if (fields === PATCHABLE.length) rows = updateAll.run(tx, { ...set, orgId, id });
      else
        rows = tx
          .update(contacts)
          .set(set)
          .where(and(ofOrg, eq(contacts.id, id)))
          .returning();
      const contact = await one(rows);
      if (!contact) throw new NotFound("contact", id);
      return contact;
    },

    async list(filter, page) {
      scope.requireOrg();
      const limit = pageLimit(page.limit);
      const cursor = parseCursor(page.cursor);
      const rows = await tx
        .select()
        .from(contacts)
        .where(and(ofOrg, ...filterOf(filter), cursor && olderThan(contacts.createdAt, contacts.id, cursor)))
        .orderBy(...newestFirst(contacts.createdAt, contacts.id))
        .limit(limit + 1);
      return pageOf(rows.map(contactOf), limit);
    },
  };
}
