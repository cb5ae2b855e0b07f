/** The price list: create, read, update, delete, each change recorded in the activity feed. */
import type * as v from "valibot";
import { NotFound } from "../../domain/errors.ts";
import type { Service } from "../../domain/service.ts";
import type { OrgTx } from "../../ports/storage.ts";
import type { Deps } from "../context.ts";
import { type Effects, withEffects } from "../shared/effects.ts";
import { Id } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";
import { ServiceInput, ServicePatch } from "./serviceInput.ts";

export function listServices(deps: Deps, orgId: string): Promise<Service[]> {
  return deps.storage.transaction(orgId, (tx) => tx.services.list());
}

async function requireService(tx: OrgTx, id: string): Promise<Service> {
  const service = await tx.services.getById(validate(Id, id));
  if (!service) throw new NotFound("service", id);
  return service;
}

export function getService(deps: Deps, orgId: string, id: string): Promise<Service> {
  return deps.storage.transaction(orgId, (tx) => requireService(tx, id));
}

async function recordChange(fx: Effects, service: Service, change: "created" | "updated" | "deleted") {
  await fx.activity("service_changed", fx.deps.newId(), {
    occurredAt: fx.deps.clock.now(),
    summary: `Service ${service.name} ${change}`,
    data: { serviceId: service.id, change, priceCents: service.priceCents },
  });
}

export async function createService(
  deps: Deps,
  orgId: string,
  input: v.InferInput<typeof ServiceInput>,
): Promise<Service> {
  const fields = validate(ServiceInput, input);
  const now = deps.clock.now();
  return withEffects(deps, orgId, async (fx) => {
    const service = await fx.tx.services.create({ ...fields, id: deps.newId(), orgId, createdAt: now, updatedAt: now });
    await recordChange(fx, service, "created");
    return service;
  });
}

export async function updateService(
  deps: Deps,
  orgId: string,
  id: string,
  input: v.InferInput<typeof ServicePatch>,
): Promise<Service> {
  const patch = validate(ServicePatch, input);
  return withEffects(deps, orgId, async (fx) => {
    const current = await requireService(fx.tx, id);
    const service = await fx.tx.services.update({ ...current, ...patch, updatedAt: deps.clock.now() });
    await recordChange(fx, service, "updated");
    return service;
  });
}

export async function deleteService(deps: Deps, orgId: string, id: string): Promise<void> {
  await withEffects(deps, orgId, async (fx) => {
    const service = await requireService(fx.tx, id);
    await fx.tx.services.delete(service.id);
    await recordChange(fx, service, "deleted");
  });
}
