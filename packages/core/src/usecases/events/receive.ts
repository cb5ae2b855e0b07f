import * as v from "valibot";
import type { Provider } from "../../domain/eventLog.ts";
import { newEventLogEntry } from "../../domain/eventLog.ts";
import type { Deps } from "../context.ts";
import { Id } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";
import { jsonMayHoldNul, withoutNul } from "./nulFree.ts";
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
 * keeps it as is instead of serialising `payload` again. NUL characters in the payload or event
 * key become U+FFFD (see `withoutNul`), so a storage that cannot hold them stores it all the same.
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
  const mayHoldNul = payloadJson === undefined || jsonMayHoldNul(payloadJson);
  const cleanPayload = mayHoldNul ? withoutNul(payload) : payload;
  const append = {
    orgId,
    provider,
    eventKey: withoutNul(eventKey),
    payload: cleanPayload,
    receivedAt: deps.clock.now(),
  };
  decoderFor(deps, provider).decode(newEventLogEntry(append, 0));
  // The body's own text is kept only when it is the payload stored (no NUL was replaced).
  const given = payloadJson === undefined || cleanPayload !== payload ? append : { ...append, payloadJson };
  const { inserted, entry } = await deps.storage.eventLog.append(given);
  return { inserted, seq: entry.seq };
}
