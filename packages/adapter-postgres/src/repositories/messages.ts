/** The org's SMS audit trail: every message kept, unique vendor message id per org. */
import type { Message, MessageRepository } from "@voxanne/core";
import { NotFound } from "@voxanne/core";
import { and, asc, eq, type SQL } from "drizzle-orm";
import { messageOf } from "../rows.ts";
import { messages } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

/** The columns a message's update replaces (all but its id and org). */
const messageColumns = (message: Message) => ({
  contactId: message.contactId,
  direction: message.direction,
  purpose: message.purpose,
  fromNumber: message.fromNumber,
  toNumber: message.toNumber,
  body: message.body,
  status: message.status,
  vendorMessageId: message.vendorMessageId,
  errorCode: message.errorCode,
  createdAt: message.createdAt,
  updatedAt: message.updatedAt,
});

export function messageRepository(scope: OrgScope): MessageRepository {
  const { tx, orgId } = scope;
  const ofOrg = eq(messages.orgId, orgId);

  const one = async (where: SQL) => {
    const [row] = await tx.select().from(messages).where(and(ofOrg, where)).limit(1);
    return row ? messageOf(row) : null;
  };

  return {
    async getById(id) {
      scope.requireOrg();
      return one(eq(messages.id, id));
    },

    async findByVendorMessageId(vendorMessageId) {
      scope.requireOrg();
      return one(eq(messages.vendorMessageId, vendorMessageId));
    },

    async create(message) {
      scope.requireOrg();
      scope.own(message.orgId);
      const [row] = await tx
        .insert(messages)
        .values({ id: message.id, orgId: message.orgId, ...messageColumns(message) })
        .returning();
      return messageOf(row as typeof messages.$inferSelect);
    },

    async update(message) {
      scope.requireOrg();
      scope.own(message.orgId);
      const [row] = await tx
        .update(messages)
        .set(messageColumns(message))
        .where(and(ofOrg, eq(messages.id, message.id)))
        .returning();
      if (!row) throw new NotFound("message", message.id);
      return messageOf(row);
    },

    /** Oldest first: a conversation reads top to bottom. */
    async listByContact(contactId) {
      scope.requireOrg();
      const rows = await tx
        .select()
        .from(messages)
        .where(and(ofOrg, eq(messages.contactId, contactId)))
        .orderBy(asc(messages.createdAt), asc(messages.id));
      return rows.map(messageOf);
    },
  };
}
