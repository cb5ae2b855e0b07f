import * as v from "valibot";
import type { Organization } from "../../domain/organization.ts";
import { newOrganization } from "../../domain/records.ts";
import { DEFAULT_PRICE_LIST } from "../../domain/service.ts";
import type { Deps } from "../context.ts";
import { Name } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";
import { AgentConfigInput, Currency, TimeZone } from "./organizationInput.ts";

const CreateOrganizationInput = v.object({
  id: v.optional(v.pipe(v.string(), v.uuid("must be a UUID"))),
  name: Name,
  timezone: v.optional(TimeZone, "UTC"),
  currency: v.optional(Currency, "USD"),
  agent: v.optional(AgentConfigInput, {}),
});

/** Creates an organization and, in the same transaction, its default price list. */
export async function createOrganization(
  deps: Deps,
  input: v.InferInput<typeof CreateOrganizationInput>,
): Promise<Organization> {
  const { id = deps.newId(), agent, ...fields } = validate(CreateOrganizationInput, input);
  const now = deps.clock.now();
  return deps.storage.transaction(id, async (tx) => {
    const org = await tx.organization.create(newOrganization({ id, ...fields, agent, createdAt: now }));
    for (const service of DEFAULT_PRICE_LIST) {
      await tx.services.create({
        ...service,
        keywords: [...service.keywords],
        id: deps.newId(),
        orgId: id,
        createdAt: now,
        updatedAt: now,
      });
    }
    return org;
  });
}
