import type { Storage } from "../ports/storage.ts";

/**
 * Everything one organization holds that a use case can change, read through the Storage port:
 * compare it before and after a refused request to show that nothing changed.
 */
export async function orgState(storage: Storage, orgId: string) {
  return storage.transaction(orgId, async (tx) => {
    const contacts = (await tx.contacts.list({}, { limit: 100 })).items;
    const messages = await Promise.all(contacts.map((c) => tx.messages.listByContact(c.id)));
    return {
      organization: await tx.organization.get(),
      services: await tx.services.list(),
      contacts,
      calls: (await tx.calls.list({}, { limit: 100 })).items,
      messages: messages.flat(),
      activity: await tx.activity.recent(100),
      outbox: await tx.outbox.list(),
    };
  });
}
