import * as v from "valibot";
import type { Provider } from "../../domain/eventLog.ts";
import { newEventLogEntry } from "../../domain/eventLog.ts";
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
  const append = { orgId, provider, eventKey, payload, receivedAt: deps.clock.now() };
  decoderFor(deps, provider).decode(newEventLogEntry(append, 0));
  const given = payloadJson === undefined ? append : { ...append, payloadJson };
  const { inserted, entry } = await deps.storage.eventLog.append(given);
  return { inserted, seq: entry.seq };
}
