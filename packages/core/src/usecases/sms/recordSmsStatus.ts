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
  const message = await tx.messages.findByVendorMessageId(report.vendorMessageId);
  if (!message) return false;
  const status = advanceMessageStatus(message.status, report.status);
  const errorCode = status === report.status ? (report.errorCode ?? message.errorCode) : message.errorCode;
  if (status === message.status && errorCode === message.errorCode) return true;

  const saved = await tx.messages.update({ ...message, status, errorCode, updatedAt: fx.deps.clock.now() });
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
