import type { OutboxItem } from "../../domain/eventLog.ts";
import type { Deps } from "../context.ts";
import { sendLoggedSms } from "../sms/sendLoggedSms.ts";

const dollars = (cents: number) => `$${Math.round(cents / 100).toLocaleString("en-US")}`;

/** The alert text: who, how hot, what about. Staff need the caller's number to call back. */
export function hotLeadAlertText(lead: {
  name: string | null;
  phone: string | null;
  score: number;
  serviceName: string | null;
  valueCents: number;
}): string {
  const who = [lead.name, lead.phone].filter(Boolean).join(" ") || "A caller";
  const about = lead.serviceName ? ` about ${lead.serviceName} (${dollars(lead.valueCents)})` : "";
  return `Voxanne hot lead (score ${lead.score}): ${who} called${about}. Call back soon.`;
}

/** Delivers one hot-lead alert; the outbox item's id is the message id, so a retry never texts twice. */
export async function deliverHotLeadAlert(deps: Deps, item: OutboxItem): Promise<void> {
  const { callId, to } = item.payload as { callId: string; to: string };
  const text = await deps.storage.transaction(item.orgId, async (tx) => {
    const call = await tx.calls.getById(callId);
    const contact = call?.contactId ? await tx.contacts.getById(call.contactId) : null;
    const pricing = call?.metadata.pricing as { serviceName?: string | null } | undefined;
    return hotLeadAlertText({
      name: contact?.name ?? null,
      phone: contact?.phone ?? null,
      score: call?.leadScore ?? 0,
      serviceName: pricing?.serviceName ?? null,
      valueCents: call?.financialValueCents ?? 0,
    });
  });
  await sendLoggedSms(deps, item.orgId, { id: item.id, contactId: null, purpose: "hot_lead_alert", to, body: text });
}
