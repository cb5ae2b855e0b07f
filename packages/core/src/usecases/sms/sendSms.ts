import * as v from "valibot";
import { advanceLeadStatus } from "../../domain/contact.ts";
import { NotFound, OptedOut } from "../../domain/errors.ts";
import type { Message } from "../../domain/message.ts";
import { serialize } from "../../domain/serialized.ts";
import type { Deps } from "../context.ts";
import { withEffects } from "../shared/effects.ts";
import { Id } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";
import { sendLoggedSms } from "./sendLoggedSms.ts";

const SendSmsInput = v.object({
  contactId: Id,
  body: v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(1600, "is too long")),
});

/**
 * Texts a contact from the org's sender. Refused with `OptedOut` (nothing logged or sent) when
 * the contact texted STOP; otherwise logged before sending, and the contact counts as contacted.
 */
export async function sendSms(deps: Deps, orgId: string, input: v.InferInput<typeof SendSmsInput>): Promise<Message> {
  const { contactId, body } = validate(SendSmsInput, input);
  const contact = await deps.storage.transaction(orgId, (tx) => tx.contacts.getById(contactId));
  if (!contact) throw new NotFound("contact", contactId);
  if (contact.smsOptedOutAt) throw new OptedOut();

  const message = await sendLoggedSms(deps, orgId, {
    id: deps.newId(),
    contactId,
    purpose: "conversation",
    to: contact.phone,
    body,
  });
  await withEffects(deps, orgId, async (fx) => {
    const { tx } = fx;
    const current = await tx.contacts.getById(contactId);
    if (!current) return;
    const saved = await tx.contacts.update(contactId, {
      leadStatus: advanceLeadStatus(current.leadStatus, "contacted"),
      lastContactedAt: deps.clock.now(),
    });
    fx.publish({ type: "contact.updated", orgId, contact: serialize(saved) });
  });
  return message;
}
