/** The organization's own row, inside its transaction (row-level security keys it by `id`). */
import type { Organization, OrganizationRepository } from "@voxanne/core";
import { NotFound, ValidationFailed } from "@voxanne/core";
import { eq } from "drizzle-orm";
import { compile } from "../compiled.ts";
import { agentColumns, organizationOf } from "../rows.ts";
import { organizations } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

/** Read by every projector batch: built once (see compiled.ts). */
const byId = compile((db, value) =>
  db
    .select()
    .from(organizations)
    .where(eq(organizations.id, value("id"))),
);

export function organizationRepository(scope: OrgScope): OrganizationRepository {
  const { tx, orgId } = scope;
  const { cache } = scope;
  const get = async (): Promise<Organization> => {
    scope.requireOrg();
    if (!cache.organization) {
      const [row] = await byId.run(tx, { id: orgId });
      if (!row) throw new NotFound("organization", orgId);
      cache.organization = organizationOf(row);
    }
    return structuredClone(cache.organization);
  };

  return {
    // The one method that may run before the organization exists; a second create is a
    // primary-key clash, which the transaction turns into `Conflict`.
    async create(org) {
      if (org.id !== orgId) {
        throw new ValidationFailed([{ path: "id", message: "must be the transaction's organization id" }]);
      }
      const [row] = await tx
        .insert(organizations)
        .values({
          id: org.id,
          name: org.name,
          timezone: org.timezone,
          currency: org.currency,
          ...agentColumns(org.agent),
          createdAt: org.createdAt,
        })
        .returning();
      scope.orgCreated();
      cache.organization = organizationOf(row as typeof organizations.$inferSelect);
      return structuredClone(cache.organization);
    },

    get,

    /** Merges the patch like the memory adapter: `agent` is replaced whole; id and createdAt never change. */
    async update(patch) {
      scope.requireOrg();
      const set = {
        ...(patch.name !== undefined && { name: patch.name }),
        ...(patch.timezone !== undefined && { timezone: patch.timezone }),
        ...(patch.currency !== undefined && { currency: patch.currency }),
        ...(patch.agent !== undefined && agentColumns(patch.agent)),
      };
      if (Object.keys(set).length === 0) return get();
      const [row] = await tx.update(organizations).set(set).where(eq(organizations.id, orgId)).returning();
      if (!row) throw new NotFound("organization", orgId);
      cache.organization = organizationOf(row);
      return structuredClone(cache.organization);
    },
  };
}
