import type { SmsReceived } from "../../domain/events.ts";
import { toE164 } from "../../domain/phone.ts";
import { newContact } from "../../domain/records.ts";
import { serialize } from "../../domain/serialized.ts";
import type { Effects } from "../shared/effects.ts";
import { optOutIntent } from "./optOutKeywords.ts";

/** The vendor's opt-out verdict (STOP / START) when it gave one, else the body's keywords. */
function intentOf(sms: SmsReceived): "opt_out" | "opt_in" | null {
  if (sms.optOutType === "STOP") return "opt_out";
  if (sms.optOutType === "START") return "opt_in";
  return optOutIntent(sms.body);
}

/**
 * Stores an inbound SMS on its sender's contact (created if new), once per vendor message id,
 * and applies STOP / START (the vendor's `optOutType`, else the body's keywords): an opted-out
 * contact gets no more texts until it opts back in.
 */
export async function receiveInboundSms(fx: Effects, sms: SmsReceived): Promise<void> {
  const { tx, deps } = fx;
  if (await tx.messages.findByVendorMessageId(sms.vendorMessageId)) return;
  const phone = toE164(sms.from);
  if (!phone) return; // Short codes and alphanumeric senders are not leads.

  const { contact } = await tx.contacts.getOrCreate(
    newContact({ id: deps.newId(), orgId: tx.orgId, phone, createdAt: sms.occurredAt }),
  );
  const message = await tx.messages.create({
    id: deps.newId(),
    orgId: tx.orgId,
    contactId: contact.id,
    direction: "inbound",
    purpose: "conversation",
    fromNumber: phone,
    toNumber: sms.to,
    body: sms.body,
    status: "received",
    vendorMessageId: sms.vendorMessageId,
    errorCode: null,
    createdAt: sms.occurredAt,
    updatedAt: sms.occurredAt,
  });
  fx.publish({ type: "message.updated", orgId: tx.orgId, message: serialize(message) });
  await fx.activity("sms_received", message.id, {
    contactId: contact.id,
    occurredAt: sms.occurredAt,
    summary: "Text message received",
  });

  const intent = intentOf(sms);
  const smsOptedOutAt = intent === "opt_out" ? sms.occurredAt : intent === "opt_in" ? null : contact.smsOptedOutAt;
  if (smsOptedOutAt !== contact.smsOptedOutAt) {
    const saved = await tx.contacts.update(contact.id, { smsOptedOutAt });
    fx.publish({ type: "contact.updated", orgId: tx.orgId, contact: serialize(saved) });
  }
}
