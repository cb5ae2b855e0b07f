/**
 * The outbox worker: delivers side effects written by committed transactions, with retries,
 * exponential back-off and a dead-letter state. Delivery is at least once per attempt that
 * fails after sending; handlers make repeats harmless (alerts reuse their message id).
 */
import { VendorFailed, VoxanneError } from "../../domain/errors.ts";
import type { OutboxItem } from "../../domain/eventLog.ts";
import type { LiveEvent } from "../../domain/live.ts";
import type { BatchResult, DeliveryOutcome } from "../../ports/storage.ts";
import type { Deps } from "../context.ts";
import { OUTBOX_HOT_LEAD_ALERT, OUTBOX_LIVE } from "../shared/effects.ts";
import { deliverHotLeadAlert } from "./hotLeadAlert.ts";
import { nextAttemptAt } from "./retryPolicy.ts";

export type OutboxHandler = (deps: Deps, item: OutboxItem) => Promise<void>;

export const CORE_OUTBOX_HANDLERS: Readonly<Record<string, OutboxHandler>> = {
  [OUTBOX_LIVE]: async (deps, item) => {
    for (const event of item.payload.events as LiveEvent[]) await deps.live.publish(event);
  },
  [OUTBOX_HOT_LEAD_ALERT]: deliverHotLeadAlert,
};

/** Errors that another attempt cannot fix: an opted-out number, a bad number, missing config. */
const isPermanent = (error: unknown) =>
  error instanceof VoxanneError && !(error instanceof VendorFailed && error.retryable);

export async function deliverOutbox(
  deps: Deps,
  handlers: Readonly<Record<string, OutboxHandler>>,
  limit = 50,
): Promise<BatchResult> {
  return deps.storage.outbox.deliverDue({ limit, now: deps.clock.now() }, async (item): Promise<DeliveryOutcome> => {
    try {
      const handler = handlers[item.kind];
      if (!handler) throw new Error(`no outbox handler for ${item.kind}`);
      await handler(deps, item);
      return { ok: true };
    } catch (error) {
      deps.onError(error, { what: `outbox ${item.kind}`, orgId: item.orgId });
      const message = error instanceof Error ? error.message : String(error);
      const retryAt = isPermanent(error) ? null : nextAttemptAt(deps.retry, item.attempts + 1, deps.clock.now());
      return { ok: false, error: message, retryAt };
    }
  });
}
