/**
 * Finding the organization a webhook belongs to, before any org is known: it runs as the
 * connecting role (which bypasses row-level security), outside any org's transaction.
 */
import type { Organization, OrganizationDirectory } from "@voxanne/core";
import { arrayContains, asc, eq, or, type SQL } from "drizzle-orm";
import type { Db } from "./db.ts";
import { translateError } from "./errors.ts";
import { organizationOf } from "./rows.ts";
import { organizations } from "./schema.ts";

export function organizationDirectory(db: Db): OrganizationDirectory {
  /** The first matching org (oldest first, so the answer is stable when two claim one id). */
  const first = async (where: SQL | undefined): Promise<Organization | null> => {
    try {
      const [row] = await db
        .select()
        .from(organizations)
        .where(where)
        .orderBy(asc(organizations.createdAt), asc(organizations.id))
        .limit(1);
      return row ? organizationOf(row) : null;
    } catch (error) {
      throw translateError(error);
    }
  };

  return {
    // PostgreSQL text cannot hold NUL, so no org has an id with one: a miss, not a driver error.
    findByAgentId: async (agentId) =>
      agentId.includes("\u0000")
        ? null
        : first(
            or(
              arrayContains(organizations.assistantIds, [agentId]),
              eq(organizations.outboundAssistantId, agentId),
              eq(organizations.phoneNumberId, agentId),
            ),
          ),
    findBySmsNumber: async (phone) => (phone.includes("\u0000") ? null : first(eq(organizations.smsFrom, phone))),
  };
}
