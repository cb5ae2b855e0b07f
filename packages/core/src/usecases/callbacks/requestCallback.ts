import type { Call } from "../../domain/call.ts";
import { laterCallStatus } from "../../domain/call.ts";
import { advanceLeadStatus } from "../../domain/contact.ts";
import { NotConfigured, NotFound, VendorFailed, VoxanneError } from "../../domain/errors.ts";
import { newCall } from "../../domain/records.ts";
import { serialize } from "../../domain/serialized.ts";
import type { Deps } from "../context.ts";
import { withEffects } from "../shared/effects.ts";
import { Id } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";

/**
 * Calls a lead back: the org's outbound agent must be configured; a `pending` call is recorded
 * before the vendor is asked; once the vendor accepts, the call is `initiated` with its vendor id
 * and the lead is `contacted`. A vendor failure marks the call `failed` and surfaces as
 * `VendorFailed` with a message fit for the user (no vendor detail).
 */
export async function requestCallback(deps: Deps, orgId: string, contactId: string): Promise<Call> {
  validate(Id, contactId);
  const { call, contact, agent } = await withEffects(deps, orgId, async (fx) => {
    const { tx } = fx;
    const contact = await tx.contacts.getById(contactId);
    if (!contact) throw new NotFound("contact", contactId);
    const { agent } = await tx.organization.get();
    if (!agent.outboundAssistantId || !agent.phoneNumberId) {
      throw new NotConfigured(
        "OUTBOUND_AGENT_NOT_CONFIGURED",
        "Set the organization's outbound assistant and phone number before calling back",
      );
    }
    const now = deps.clock.now();
    const call = await tx.calls.insert(
      newCall({ id: deps.newId(), orgId, createdAt: now, direction: "outbound", toNumber: contact.phone, contactId }),
    );
    await fx.activity("callback_requested", call.id, {
      callId: call.id,
      contactId,
      occurredAt: now,
      summary: "Callback requested",
    });
    return { call, contact, agent: { assistantId: agent.outboundAssistantId, phoneNumberId: agent.phoneNumberId } };
  });

  let vendorCallId: string;
  try {
    ({ vendorCallId } = await deps.telephony.createOutboundCall({
      orgId,
      callId: call.id,
      ...agent,
      customer: { number: contact.phone, name: contact.name },
    }));
  } catch (error) {
    await markFailed(deps, orgId, call.id, error);
    const retryable = error instanceof VendorFailed && error.retryable;
    throw new VendorFailed("CALLBACK_FAILED", "The call could not be placed. Please try again later.", {
      retryable,
      cause: error,
    });
  }

  return withEffects(deps, orgId, async (fx) => {
    const { tx } = fx;
    const now = deps.clock.now();
    // Webhooks may already have moved the call on; never move it back.
    const current = (await tx.calls.getById(call.id)) ?? call;
    const placed = await tx.calls.update({
      ...current,
      vendorCallId: current.vendorCallId ?? vendorCallId,
      status: laterCallStatus(current.status, "initiated"),
      updatedAt: now,
    });
    const latest = await tx.contacts.getById(contactId);
    if (latest) {
      const saved = await tx.contacts.update(contactId, {
        leadStatus: advanceLeadStatus(latest.leadStatus, "contacted"),
        lastContactedAt: now,
      });
      fx.publish({ type: "contact.updated", orgId, contact: serialize(saved) });
    }
    fx.publish({ type: "callback.placed", orgId, call: serialize(placed) });
    return placed;
  });
}

async function markFailed(deps: Deps, orgId: string, callId: string, error: unknown): Promise<void> {
  await withEffects(deps, orgId, async (fx) => {
    const call = await fx.tx.calls.getById(callId);
    if (!call) return;
    const code = error instanceof VoxanneError ? error.code : "TELEPHONY_FAILED";
    const failed = await fx.tx.calls.update({
      ...call,
      status: laterCallStatus(call.status, "failed"),
      endedReason: call.endedReason ?? "callback-failed",
      metadata: { ...call.metadata, errorCode: code },
      updatedAt: deps.clock.now(),
    });
    fx.publish({ type: "call.updated", orgId, call: serialize(failed) });
  });
}
