import * as v from "valibot";
import type { EventLogEntry, Provider } from "../../domain/eventLog.ts";
import type { Deps } from "../context.ts";
import { Id } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";
import { decoderFor } from "./projectEntry.ts";

const ReceiveInput = v.object({
  provider: v.picklist(["vapi", "twilio", "voxanne"] satisfies Provider[]),
  orgId: Id,
  eventKey: v.pipe(v.string(), v.minLength(1, "is required"), v.maxLength(500, "is too long")),
});

/**
 * Logs a vendor payload once and returns at once; projection happens afterwards. A payload the
 * provider's decoder cannot read is refused (`ValidationFailed`) and nothing is stored. The
 * same (org, provider, event key) again stores nothing and answers `inserted: false`.
 * `payloadJson`, when given, is the text `payload` was parsed from (a webhook's body): the store
 * keeps it as is instead of serialising `payload` again.
 */
export async function receive(
  deps: Deps,
  provider: Provider,
  orgId: string,
  eventKey: string,
  payload: unknown,
  payloadJson?: string,
): Promise<{ inserted: boolean; seq: number }> {
  validate(ReceiveInput, { provider, orgId, eventKey });
  const receivedAt = deps.clock.now();
  const draft: EventLogEntry = {
    seq: 0,
    orgId,
    provider,
    eventKey,
    payload,
    receivedAt,
    projectedAt: null,
    attempts: 0,
    lastError: null,
  };
  decoderFor(deps, provider).decode(draft);
  const append = { orgId, provider, eventKey, payload, receivedAt, ...(payloadJson !== undefined && { payloadJson }) };
  const { inserted, entry } = await deps.storage.eventLog.append(append);
  return { inserted, seq: entry.seq };
}
