import { NotConfigured } from "../../domain/errors.ts";
import type { EventLogEntry } from "../../domain/eventLog.ts";
import { isCallEvent } from "../../domain/events.ts";
import type { OrgTx } from "../../ports/storage.ts";
import type { Deps } from "../context.ts";
import type { Mode } from "../shared/effects.ts";
import { Effects } from "../shared/effects.ts";
import { receiveInboundSms } from "../sms/receiveInboundSms.ts";
import { recordSmsStatus } from "../sms/recordSmsStatus.ts";
import { projectCallEvent } from "./projectCallEvent.ts";

export function decoderFor(deps: Deps, provider: string) {
  const decoder = deps.decoders.get(provider as EventLogEntry["provider"]);
  if (!decoder) throw new NotConfigured("DECODER_MISSING", `No event decoder is registered for provider ${provider}`);
  return decoder;
}

/** Projects one logged payload inside its org's transaction: decode, then fold each event in. */
export async function projectEntry(deps: Deps, entry: EventLogEntry, tx: OrgTx, mode: Mode): Promise<void> {
  const events = decoderFor(deps, entry.provider).decode(entry);
  if (events.length === 0) return;
  const fx = new Effects(deps, tx, mode);
  // Read together, and with the first call event's look-up (projectCallEvent awaits the org beside
  // it): a store that pipelines queries answers them in one round trip. A call event that ends a
  // call prices it against the list.
  const org = Promise.all([tx.organization.get(), events.some(isCallEvent) ? tx.services.list() : null]).then(
    ([organization]) => organization,
  );
  org.catch(() => {}); // awaited below, whichever events came
  for (const event of events) {
    if (isCallEvent(event)) await projectCallEvent(fx, org, event);
    else if (event.type === "SmsStatusReported") await recordSmsStatus(fx, event);
    else await receiveInboundSms(fx, event);
  }
  await org;
  await fx.flush();
}
