/**
 * The one way an SMS leaves Voxanne: logged as `queued` before the vendor is asked, then moved
 * to the vendor's answer, or to `failed` with the error code. Re-running it with the same message
 * id after it was sent sends nothing again (retries of an alert are safe). A message still `queued`
 * from an earlier run is an attempt that died between logging and recording the answer (a crash):
 * the vendor may have it, so it is not sent blindly again but settled `failed` as `SMS_UNCONFIRMED`,
 * like a send that timed out.
 */
import { OptedOut, VendorFailed, VoxanneError } from "../../domain/errors.ts";
import type { Message, MessagePurpose } from "../../domain/message.ts";
import { serialize } from "../../domain/serialized.ts";
import type { Deps } from "../context.ts";
import { withEffects } from "../shared/effects.ts";

/** The code of a send whose outcome is unknown (the port's time-out code, reused for a crash mid-send). */
const SMS_UNCONFIRMED = "SMS_UNCONFIRMED";

export interface SmsDraft {
  id: string;
  contactId: string | null;
  purpose: MessagePurpose;
  to: string;
  body: string;
}

export async function sendLoggedSms(deps: Deps, orgId: string, draft: SmsDraft): Promise<Message> {
  const logged = await deps.storage.transaction(orgId, async (tx) => {
    // No sender of its own: the SMS adapter's default sender applies (or it refuses).
    const org = await tx.organization.get();
    const existing = await tx.messages.getById(draft.id);
    if (existing) return { message: existing, from: org.agent.smsFrom, resumed: true };
    const now = deps.clock.now();
    const message = await tx.messages.create({
      ...draft,
      orgId,
      direction: "outbound",
      fromNumber: org.agent.smsFrom,
      toNumber: draft.to,
      status: "queued",
      vendorMessageId: null,
      errorCode: null,
      createdAt: now,
      updatedAt: now,
    });
    return { message, from: org.agent.smsFrom, resumed: false };
  });
  if (logged.message.vendorMessageId) return logged.message;
  if (logged.resumed && logged.message.status === "queued") {
    await settle(deps, orgId, logged.message, { status: "failed", errorCode: SMS_UNCONFIRMED });
    throw new VendorFailed(
      SMS_UNCONFIRMED,
      "An earlier attempt may have sent this text message; it is not sent again",
      {
        retryable: false,
      },
    );
  }

  try {
    const sent = await deps.sms.send({
      orgId,
      messageId: draft.id,
      from: logged.from,
      to: draft.to,
      body: draft.body,
    });
    return await settle(deps, orgId, logged.message, { status: sent.status, vendorMessageId: sent.vendorMessageId });
  } catch (error) {
    const code = error instanceof VoxanneError ? error.code : "SMS_FAILED";
    await settle(deps, orgId, logged.message, { status: "failed", errorCode: code }, error instanceof OptedOut);
    throw error;
  }
}

/** Records the vendor's answer; an opt-out reported by the vendor is remembered on the contact. */
async function settle(
  deps: Deps,
  orgId: string,
  message: Message,
  change: Partial<Pick<Message, "status" | "vendorMessageId" | "errorCode">>,
  optedOut = false,
): Promise<Message> {
  return withEffects(deps, orgId, async (fx) => {
    const { tx } = fx;
    const now = deps.clock.now();
    const saved = await tx.messages.update({ ...message, ...change, updatedAt: now });
    fx.publish({ type: "message.updated", orgId, message: serialize(saved) });
    const failed = saved.status === "failed";
    await fx.activity(failed ? "sms_failed" : "sms_sent", saved.id, {
      contactId: saved.contactId,
      occurredAt: now,
      summary: `${saved.purpose === "hot_lead_alert" ? "Hot-lead alert" : "Text message"} ${failed ? "could not be sent" : "sent"}`,
      data: { purpose: saved.purpose, errorCode: saved.errorCode },
    });
    if (optedOut && saved.contactId) {
      const contact = await tx.contacts.update(saved.contactId, { smsOptedOutAt: now });
      fx.publish({ type: "contact.updated", orgId, contact: serialize(contact) });
    }
    return saved;
  });
}
