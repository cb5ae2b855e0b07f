import * as v from "valibot";
import type { Organization } from "../../domain/organization.ts";
import type { Deps } from "../context.ts";
import { Name } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";
import { AgentConfigInput, Currency, TimeZone } from "./organizationInput.ts";

const UpdateOrganizationInput = v.partial(
  v.object({ name: Name, timezone: TimeZone, currency: Currency, agent: AgentConfigInput }),
);

export function getOrganization(deps: Deps, orgId: string): Promise<Organization> {
  return deps.storage.transaction(orgId, (tx) => tx.organization.get());
}

/** Changes an organization's settings; agent settings merge into the current ones. */
export async function updateOrganization(
  deps: Deps,
  orgId: string,
  input: v.InferInput<typeof UpdateOrganizationInput>,
): Promise<Organization> {
  const { agent, ...fields } = validate(UpdateOrganizationInput, input);
  return deps.storage.transaction(orgId, async (tx) => {
    const current = await tx.organization.get();
    return tx.organization.update({ ...fields, agent: { ...current.agent, ...agent } });
  });
}
