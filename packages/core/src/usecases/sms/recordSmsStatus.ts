import type { SmsStatusReported } from "../../domain/events.ts";
import { advanceMessageStatus } from "../../domain/message.ts";
import { serialize } from "../../domain/serialized.ts";
import type { Effects } from "../shared/effects.ts";

/**
 * Applies a vendor's delivery report to the message it names. The status never moves backwards
 * (a late `sent` does not undo `delivered`); an unknown message id changes nothing.
 * @returns whether a message was found.
 */
export async function recordSmsStatus(fx: Effects, report: SmsStatusReported): Promise<boolean> {
  const { tx } = fx;
  const message =
    (await tx.messages.findByVendorMessageId(report.vendorMessageId)) ??
    (report.messageId ? await tx.messages.getById(report.messageId) : null);
  if (!message) return false;
  const status = advanceMessageStatus(message.status, report.status);
  // The error code belongs to the status that wins, so any order of reports ends the same.
  const errorCode = status !== message.status ? report.errorCode : message.errorCode;
  const vendorMessageId = message.vendorMessageId ?? report.vendorMessageId;
  if (status === message.status && errorCode === message.errorCode && vendorMessageId === message.vendorMessageId) {
    return true;
  }

  const saved = await tx.messages.update({
    ...message,
    status,
    errorCode,
    vendorMessageId,
    updatedAt: fx.deps.clock.now(),
  });
  fx.publish({ type: "message.updated", orgId: tx.orgId, message: serialize(saved) });
  if (status === "failed" || status === "undelivered") {
    await fx.activity("sms_failed", saved.id, {
      contactId: saved.contactId,
      occurredAt: report.occurredAt,
      summary: "Text message not delivered",
      data: { errorCode },
    });
  }
  return true;
}
