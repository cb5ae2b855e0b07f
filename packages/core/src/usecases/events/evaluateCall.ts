/**
 * The facts Voxanne derives from an ended call: booking, price, sentiment and lead score.
 * A pure function of the call, the org's settings and price list, and its appointments, so a
 * replay after a price or scoring change recomputes them.
 */
import type { Call } from "../../domain/call.ts";
import type { Organization } from "../../domain/organization.ts";
import type { OrgTx } from "../../ports/storage.ts";
import type { Deps } from "../context.ts";
import { detectIntent, scoreLead } from "../scoring/scoreLead.ts";

/** Most matches kept on the call to say where its price came from. */
const MAX_MATCHES_KEPT = 10;

/**
 * @param options.stored whether the call is already stored: one that is not (its first event is
 *   being projected) can have no appointment yet, so none is looked up.
 */
export async function evaluateCall(
  deps: Deps,
  tx: OrgTx,
  org: Organization,
  call: Call,
  { stored = true }: { stored?: boolean } = {},
): Promise<Call> {
  const transcript = call.transcript ?? "";
  const bookingTools = new Set(org.agent.bookingToolNames);
  const bookedByTool = call.toolCalls.some((t) => t.succeeded && bookingTools.has(t.name));
  // Asked together: a store that pipelines queries answers both in one round trip.
  const [appointments, services] = await Promise.all([
    bookedByTool || !stored ? [] : tx.appointments.listByCall(call.id),
    tx.services.list(),
  ]);
  const bookingConfirmed = bookedByTool || appointments.length > 0;

  const pricing = deps.prices.get(org.id, services).price(transcript);
  const sentiment =
    call.sentiment?.source === "vendor"
      ? call.sentiment
      : transcript
        ? { ...(await deps.sentiment.analyse(transcript)), source: "analyser" as const }
        : null;
  const intent = detectIntent(transcript);
  const { score, reasons } = scoreLead(
    {
      bookingConfirmed,
      bookingIntent: intent.bookingIntent,
      serviceName: pricing.serviceName,
      servicePriceCents: pricing.priceCents,
      sentiment: sentiment ? { label: sentiment.label, urgency: sentiment.urgency } : null,
      durationSeconds: call.durationSeconds,
      callbackRequested: intent.callbackRequested || call.metadata.callbackRequested === true,
    },
    deps.scoring,
  );

  return {
    ...call,
    bookingConfirmed,
    financialValueCents: pricing.priceCents,
    pricedServiceId: pricing.source === "price_list" ? pricing.serviceId : null,
    sentiment,
    leadScore: score,
    leadScoreReasons: reasons,
    metadata: {
      ...call.metadata,
      pricing: {
        source: pricing.source,
        serviceName: pricing.serviceName,
        matches: pricing.matches
          .slice(0, MAX_MATCHES_KEPT)
          .map((m) => ({ keyword: m.keyword, serviceName: m.serviceName, start: m.start, end: m.end })),
      },
    },
  };
}
