/**
 * Projects one call event: the call (created if unknown), its contact (created for an unknown
 * caller), the derived facts once the call has ended, the contact's status and score, activity,
 * live events and the hot-lead alert. Safe to run any number of times in any order: state merges
 * by order-free rules and every must-happen-once effect carries a unique key.
 */
import type { Call } from "../../domain/call.ts";
import { isTerminal } from "../../domain/call.ts";
import type { Contact } from "../../domain/contact.ts";
import { advanceLeadStatus, temperatureOf } from "../../domain/contact.ts";
import type { CallEvent, CallRef } from "../../domain/events.ts";
import type { Organization } from "../../domain/organization.ts";
import { toE164 } from "../../domain/phone.ts";
import { newCall, newContact } from "../../domain/records.ts";
import { serialize } from "../../domain/serialized.ts";
import type { OrgTx } from "../../ports/storage.ts";
import { OUTBOX_RECORDING_FETCH } from "../outbox/fetchRecording.ts";
import type { Effects } from "../shared/effects.ts";
import { OUTBOX_HOT_LEAD_ALERT } from "../shared/effects.ts";
import { applyCallEvent } from "./applyCallEvent.ts";
import { evaluateCall } from "./evaluateCall.ts";

export const HOT_LEAD_SCORE = 70;

async function findCall(tx: OrgTx, ref: CallRef): Promise<Call | null> {
  const byOurId = ref.callId ? await tx.calls.getById(ref.callId) : null;
  return byOurId ?? (await tx.calls.findByVendorCallId(ref.vendorCallId));
}

const customerNumberOf = (call: Call) => (call.direction === "inbound" ? call.fromNumber : call.toNumber);
/** The vendor's label for the customer, cut to what a contact name holds. */
const nameOf = (ref: CallRef) => ref.customerName?.trim().slice(0, 120) || null;
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const unstamped = (call: Call) => ({ ...call, updatedAt: 0 });

/**
 * @param options.reevaluate derive an ended call's facts again even when the event teaches nothing
 *   new: an appointment booked after the call was projected as ended changes them.
 */
export async function projectCallEvent(
  fx: Effects,
  orgOrItsRead: Organization | Promise<Organization>,
  event: CallEvent,
  options: { reevaluate?: boolean } = {},
): Promise<void> {
  const { tx, deps } = fx;
  // The org may still be on its way (see projectEntry): the call's look-up goes out beside it.
  const [found, org] = await Promise.all([findCall(tx, event.call), orgOrItsRead]);
  const base =
    found ??
    newCall({
      id: deps.newId(),
      orgId: tx.orgId,
      createdAt: event.occurredAt,
      direction: event.call.direction ?? "inbound",
      vendorCallId: event.call.vendorCallId,
    });
  let call = applyCallEvent(base, event);
  // A call dates from its earliest event, whichever arrived first.
  if (event.occurredAt < call.createdAt) call.createdAt = event.occurredAt;

  let contact = call.contactId ? await tx.contacts.getById(call.contactId) : null;
  const phone = customerNumberOf(call) ?? (event.call.customerNumber ? toE164(event.call.customerNumber) : undefined);
  if (!contact && phone) {
    const draft = newContact({ id: deps.newId(), orgId: tx.orgId, phone, createdAt: call.createdAt });
    contact = (await tx.contacts.getOrCreate({ ...draft, name: nameOf(event.call) })).contact;
    call.contactId = contact.id;
  }

  const ended = isTerminal(call.status);
  if (found && fx.mode === "live" && !options.reevaluate && sameJson(unstamped(found), unstamped(call))) {
    // A repeat that teaches nothing new: derive and save nothing, only make sure the effects that
    // must happen exist (a replay may have projected this call without sending them).
    if (ended && (found.leadScore ?? 0) >= HOT_LEAD_SCORE) await alertHotLead(fx, org, found);
    return;
  }
  if (ended) call = await evaluateCall(deps, tx, org, call, { stored: found !== null });
  if (call.recordingUrl && call.recordingStatus === "pending" && deps.keepsRecordings) {
    call.recordingStatus = "processing";
    await fx.once(OUTBOX_RECORDING_FETCH, `recording:${call.id}`, { callId: call.id, sourceUrl: call.recordingUrl });
  }

  // The writes below need no answer from each other, so they go out together, in this order (a
  // store that pipelines queries sends them in one round trip); only the contact's update waits,
  // for the contact's best score, which counts the call written just before it is asked.
  const writes: Promise<unknown>[] = [];
  if (!found) {
    call.updatedAt = deps.clock.now();
    writes.push(tx.calls.insert(call));
    fx.publish({ type: "call.started", orgId: tx.orgId, call: serialize(call) });
  } else if (!sameJson(unstamped(found), unstamped(call))) {
    call.updatedAt = deps.clock.now();
    writes.push(tx.calls.update(call));
    const type = ended && !isTerminal(found.status) ? "call.ended" : "call.updated";
    fx.publish({ type, orgId: tx.orgId, call: serialize(call) });
  }
  const maxScore = contact ? tx.calls.maxLeadScoreOfContact(contact.id) : null;
  maxScore?.catch(() => {}); // awaited in updateContact; not an unhandled rejection if a write fails first
  writes.push(recordCallActivity(fx, found, call));
  if (ended && (call.leadScore ?? 0) >= HOT_LEAD_SCORE) writes.push(alertHotLead(fx, org, call));
  await Promise.all(writes);
  if (contact && maxScore) await updateContact(fx, contact, call, event, maxScore);
}

/**
 * Activity for what this event changed. Transitions only: the row is written in the transaction
 * that made the change, and a replay on an empty store makes every change again.
 */
async function recordCallActivity(fx: Effects, before: Call | null, call: Call): Promise<void> {
  const refs = { callId: call.id, contactId: call.contactId };
  // Independent rows: appended together (in this order), not one round trip each.
  const appends: Promise<void>[] = [];
  if (!before) {
    appends.push(
      fx.activity("call_started", call.id, {
        ...refs,
        occurredAt: call.createdAt,
        summary: `${call.direction === "inbound" ? "Inbound" : "Outbound"} call started`,
      }),
    );
  }
  if (isTerminal(call.status) && !(before && isTerminal(before.status))) {
    appends.push(
      fx.activity("call_ended", call.id, {
        ...refs,
        occurredAt: call.endedAt ?? call.updatedAt,
        summary: `Call ended (${call.status.replace("_", " ")})`,
        data: { status: call.status, durationSeconds: call.durationSeconds },
      }),
    );
  }
  if (call.bookingConfirmed && !before?.bookingConfirmed) {
    appends.push(
      fx.activity("booked", call.id, {
        ...refs,
        occurredAt: call.endedAt ?? call.updatedAt,
        summary: "Appointment booked",
        data: { financialValueCents: call.financialValueCents },
      }),
    );
  }
  await Promise.all(appends);
}

/**
 * One SMS per alert number per call, ever: the outbox key says so. Checked on every projection of
 * a hot call (not only when it turns hot), since a replay sends nothing and a later live
 * projection must still send what the replay did not.
 */
async function alertHotLead(fx: Effects, org: Organization, call: Call): Promise<void> {
  await Promise.all([
    fx.activity("hot_lead", call.id, {
      callId: call.id,
      contactId: call.contactId,
      occurredAt: call.endedAt ?? call.updatedAt,
      summary: `Hot lead (score ${call.leadScore})`,
      data: { leadScore: call.leadScore },
    }),
    ...org.agent.hotLeadAlertNumbers.map((to) =>
      fx.once(OUTBOX_HOT_LEAD_ALERT, `hot-lead:${call.id}:${to}`, { callId: call.id, to }),
    ),
  ]);
}

async function updateContact(
  fx: Effects,
  contact: Contact,
  call: Call,
  event: CallEvent,
  maxScore: Promise<number | null>,
): Promise<void> {
  const { tx } = fx;
  const ended = isTerminal(call.status);
  let leadStatus = contact.leadStatus;
  if (call.bookingConfirmed) leadStatus = advanceLeadStatus(leadStatus, "booked");
  else if (ended && call.direction === "inbound") leadStatus = advanceLeadStatus(leadStatus, "lost");
  else if (call.direction === "outbound" && call.status !== "pending")
    leadStatus = advanceLeadStatus(leadStatus, "contacted");

  const leadScore = (await maxScore) ?? contact.leadScore;
  const touched = call.endedAt ?? call.startedAt;
  const next: Contact = {
    ...contact,
    name: contact.name ?? nameOf(event.call),
    leadStatus,
    leadScore,
    leadTemperature: temperatureOf(leadScore),
    lastContactedAt:
      touched && (!contact.lastContactedAt || touched > contact.lastContactedAt) ? touched : contact.lastContactedAt,
  };
  if (next.leadStatus === "lost" && contact.leadStatus !== "lost") {
    await fx.activity("lost", call.id, {
      callId: call.id,
      contactId: contact.id,
      occurredAt: call.endedAt ?? call.updatedAt,
      summary: "Lead lost: the call ended without a booking",
    });
  }
  if (sameJson(next, contact)) return;
  const { id: _id, orgId: _org, createdAt: _created, ...patch } = next;
  const saved = await tx.contacts.update(contact.id, patch);
  fx.publish({ type: "contact.updated", orgId: tx.orgId, contact: serialize(saved) });
}
