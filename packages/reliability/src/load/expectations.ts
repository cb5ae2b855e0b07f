/**
 * What the database and the vendors must show after a run, computed from the generator's own
 * record only (never from the code under test): the calls, the callers, the dashboard pulse and
 * the hot-lead alerts.
 */
import type { Pulse } from "@voxanne/core";
import type { PlannedCall } from "./callPlan.ts";

export interface Expected {
  vendorCallIds: Set<string>;
  phones: Set<string>;
  pulse: Pulse;
  /** Hot calls per caller phone: each is one alert to each alert number. */
  hotCallsByPhone: Map<string, number>;
  calls: Map<string, PlannedCall>;
}

export function expectedState(calls: readonly PlannedCall[]): Expected {
  const booked = calls.filter((c) => c.booked).length;
  const hot = calls.filter((c) => c.hot);
  const hotCallsByPhone = new Map<string, number>();
  for (const c of hot) hotCallsByPhone.set(c.phone, (hotCallsByPhone.get(c.phone) ?? 0) + 1);
  const totalDuration = calls.reduce((sum, c) => sum + c.durationSeconds, 0);
  return {
    vendorCallIds: new Set(calls.map((c) => c.vendorCallId)),
    phones: new Set(calls.map((c) => c.phone)),
    pulse: {
      totalCalls: calls.length,
      inboundCalls: calls.length,
      bookings: booked,
      // All calls are inbound: booked / inbound × 100, one decimal.
      successRate: calls.length === 0 ? 0 : Math.round((booked * 1000) / calls.length) / 10,
      pipelineValueCents: calls.reduce((sum, c) => sum + (c.service?.priceCents ?? 0), 0),
      // Every call ends "customer-ended-call", i.e. completed.
      avgDurationSeconds: calls.length === 0 ? 0 : Math.round(totalDuration / calls.length),
      hotLeads: hotCallsByPhone.size,
    },
    hotCallsByPhone,
    calls: new Map(calls.map((c) => [c.vendorCallId, c])),
  };
}
