/**
 * The order webhooks go out in, with what Vapi does on a bad day: a share of the calls have their
 * messages out of order (the report first, then the ended status, then in-progress), and a share
 * of the webhooks are delivered twice, the copy a little later (as a retry after a lost answer).
 */
import type { PlannedCall } from "./callPlan.ts";
import type { Random } from "./random.ts";
import type { PlannedWebhook } from "./vapiPayloads.ts";
import { webhooksOf } from "./vapiPayloads.ts";

export interface DeliveryPlan {
  /** In sending order; a duplicate is the same webhook object twice. */
  deliveries: PlannedWebhook[];
  /** Distinct webhooks (what the event log must hold once each). */
  webhooks: PlannedWebhook[];
  reorderedCalls: number;
  duplicates: number;
}

export interface DeliveryOptions {
  random: Random;
  /** Share of calls sent newest message first (default 0.1). */
  reordered?: number;
  /** Share of webhooks sent twice (default 0.1). */
  duplicated?: number;
  /** How far behind the original a duplicate may go, in deliveries (default 40). */
  duplicateLag?: number;
}

export function planDeliveries(calls: readonly PlannedCall[], options: DeliveryOptions): DeliveryPlan {
  const { random: r, reordered = 0.1, duplicated = 0.1, duplicateLag = 40 } = options;
  const webhooks: PlannedWebhook[] = [];
  const order: PlannedWebhook[] = [];
  let reorderedCalls = 0;
  for (const call of calls) {
    const own = webhooksOf(call);
    webhooks.push(...own);
    if (r.chance(reordered)) {
      reorderedCalls++;
      own.reverse();
    }
    order.push(...own);
  }
  // Duplicates are slotted in later: [position, webhook], merged after the originals' positions.
  const late = new Map<number, PlannedWebhook[]>();
  let duplicates = 0;
  order.forEach((webhook, i) => {
    if (!r.chance(duplicated)) return;
    duplicates++;
    const at = Math.min(order.length - 1, i + r.int(0, duplicateLag));
    late.set(at, [...(late.get(at) ?? []), webhook]);
  });
  const deliveries = order.flatMap((webhook, i) => [webhook, ...(late.get(i) ?? [])]);
  return { deliveries, webhooks, reorderedCalls, duplicates };
}
