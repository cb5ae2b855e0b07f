/** The org's price list. */
import type { Service, ServiceRepository } from "@voxanne/core";
import { NotFound } from "@voxanne/core";
import { and, eq, sql } from "drizzle-orm";
import { compile } from "../compiled.ts";
import { serviceOf } from "../rows.ts";
import { services } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

/** The price list, read by every projector batch: built once (see compiled.ts). */
const priceList = compile((db, value) =>
  db
    .select()
    .from(services)
    .where(eq(services.orgId, value("orgId")))
    .orderBy(sql`${services.name} collate "C"`, services.id),
);

/** The columns a service's update replaces (all but its id and org). */
const serviceColumns = (service: Service) => ({
  name: service.name,
  priceCents: service.priceCents,
  keywords: service.keywords,
  createdAt: service.createdAt,
  updatedAt: service.updatedAt,
});

export function serviceRepository(scope: OrgScope): ServiceRepository {
  const { tx, orgId } = scope;
  const ofOrg = eq(services.orgId, orgId);
  const { cache } = scope;

  return {
    /** By name then id, compared byte-wise like the memory adapter (a price list is short: no index needed). */
    async list() {
      scope.requireOrg();
      cache.services ??= (await priceList.run(tx, { orgId })).map(serviceOf);
      // Copies, so that a caller's change cannot reach the cache (structuredClone costs ten times more).
      return cache.services.map((service) => ({
        ...service,
        keywords: [...service.keywords],
        createdAt: new Date(service.createdAt),
        updatedAt: new Date(service.updatedAt),
      }));
    },

    async getById(id) {
      scope.requireOrg();
      const [row] = await tx
        .select()
        .from(services)
        .where(and(ofOrg, eq(services.id, id)));
      return row ? serviceOf(row) : null;
    },

    async create(service) {
      scope.requireOrg();
      scope.own(service.orgId);
      cache.services = undefined;
      const [row] = await tx
        .insert(services)
        .values({ id: service.id, orgId: service.orgId, ...serviceColumns(service) })
        .returning();
      return serviceOf(row as typeof services.$inferSelect);
    },

    async update(service) {
      scope.requireOrg();
      scope.own(service.orgId);
      cache.services = undefined;
      const [row] = await tx
        .update(services)
        .set(serviceColumns(service))
        .where(and(ofOrg, eq(services.id, service.id)))
        .returning();
      if (!row) throw new NotFound("service", service.id);
      return serviceOf(row);
    },

    async delete(id) {
      scope.requireOrg();
      cache.services = undefined;
      const [row] = await tx
        .delete(services)
        .where(and(ofOrg, eq(services.id, id)))
        .returning({ id: services.id });
      if (!row) throw new NotFound("service", id);
    },
  };
}
