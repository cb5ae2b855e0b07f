/**
 * Books an appointment for the caller of a live call: what the voice agent's booking tool does.
 * The vendor waits for the answer, so this runs inline (not through the event log) and is
 * idempotent on the tool call id instead.
 */
import * as v from "valibot";
import type { Appointment } from "../../domain/appointment.ts";
import { CALL_DIRECTIONS, isTerminal } from "../../domain/call.ts";
import { Conflict, ValidationFailed } from "../../domain/errors.ts";
import type { CallStatusChanged } from "../../domain/events.ts";
import { serialize } from "../../domain/serialized.ts";
import type { Service } from "../../domain/service.ts";
import type { OrgTx } from "../../ports/storage.ts";
import type { Deps } from "../context.ts";
import { projectCallEvent } from "../events/projectCallEvent.ts";
import type { Effects } from "../shared/effects.ts";
import { withEffects } from "../shared/effects.ts";
import { Id } from "../shared/schemas.ts";
import { validate } from "../shared/validate.ts";
import { serviceNamed } from "./serviceNamed.ts";

/** The codes of a refused booking, for adapters to answer in their own words. */
export const BOOKING_ERRORS = {
  slotTaken: "APPOINTMENT_SLOT_TAKEN",
  inPast: "APPOINTMENT_IN_PAST",
  needsContact: "BOOKING_NEEDS_CONTACT",
} as const;

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 date-time with its offset, on the calendar (no 30 February, which `Date` would roll on). */
function parseInstant(text: string): Date | undefined {
  const m = ISO_INSTANT.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const onCalendar = date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!onCalendar || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59) return undefined;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/** A point in time: a Date, or an ISO date-time with an offset (a local time would be ambiguous). */
const Instant = v.union(
  [
    v.date("must be a valid date"),
    v.pipe(
      v.string(),
      v.rawTransform<string, Date>(({ dataset, addIssue, NEVER }) => {
        const instant = parseInstant(dataset.value.trim());
        if (instant) return instant;
        addIssue({ message: "must be an ISO 8601 date-time with an offset, e.g. 2025-11-25T14:00:00-05:00" });
        return NEVER;
      }),
    ),
  ],
  "must be a date or an ISO 8601 date-time",
);

const Text = (max: number) => v.pipe(v.string(), v.trim(), v.maxLength(max, "is too long"));

const BookAppointmentInput = v.object({
  toolCallId: Id,
  vendorCallId: Id,
  direction: v.picklist(CALL_DIRECTIONS, "must be inbound or outbound"),
  /** The caller (inbound) or the person called (outbound); unusable numbers count as none. */
  customerNumber: v.nullable(Text(40)),
  customerName: v.nullable(Text(200)),
  clinicNumber: v.nullable(Text(40)),
  startsAt: Instant,
  /** Matched against the price list; unknown or missing books without a service. */
  serviceName: v.optional(v.nullable(Text(120)), null),
  /** When the vendor asked; the slot must be later. */
  at: v.date("must be a valid date"),
});

export type BookAppointmentInput = v.InferInput<typeof BookAppointmentInput>;

export interface Booking {
  appointment: Appointment;
  /** The price-list service booked, or null when the name matched none. */
  service: Service | null;
  /** True when this tool call had already booked it: nothing new was written. */
  alreadyBooked: boolean;
}

/**
 * Books `startsAt` for the call's contact, in one transaction:
 * - a tool call that already booked returns its appointment again (`alreadyBooked`), whatever else
 *   changed since; nothing is booked twice;
 * - the call is found by its vendor id or created, and its contact found or created by number,
 *   exactly as the projection would (the same code runs, on a `CallStatusChanged → in_progress`
 *   that the tool call implies); without a usable number there is nobody to book for
 *   (`ValidationFailed` BOOKING_NEEDS_CONTACT);
 * - a slot not after `at` is refused (`ValidationFailed` APPOINTMENT_IN_PAST), a slot already
 *   booked too (`Conflict` APPOINTMENT_SLOT_TAKEN); a refused booking writes nothing.
 *
 * The appointment makes the call booked: its projection checks appointments once the call has
 * ended, and a call already projected as ended is evaluated again here. So the `booked` activity
 * and the contact's `booked` status come from the projection, once, as for a booking seen in a
 * report; this use case only publishes `appointment.booked` for the dashboards.
 */
export async function bookAppointment(deps: Deps, orgId: string, input: BookAppointmentInput): Promise<Booking> {
  const booking = validate(BookAppointmentInput, input);
  try {
    return await withEffects(deps, orgId, (fx) => book(fx, booking));
  } catch (error) {
    // Said here, outside the transaction: an adapter may translate its errors only at its boundary.
    if (error instanceof Conflict && error.code === BOOKING_ERRORS.slotTaken) {
      throw new Conflict(BOOKING_ERRORS.slotTaken, "That time is already booked; choose another time", {
        cause: error,
      });
    }
    throw error;
  }
}

async function book(fx: Effects, booking: v.InferOutput<typeof BookAppointmentInput>): Promise<Booking> {
  const { tx, deps } = fx;
  const earlier = await tx.appointments.findByToolCallId(booking.toolCallId);
  if (earlier) return { appointment: earlier, service: await serviceById(tx, earlier.serviceId), alreadyBooked: true };
  if (booking.startsAt <= booking.at) {
    throw new ValidationFailed([{ path: "startsAt", message: "must be in the future" }], BOOKING_ERRORS.inPast);
  }

  const org = await tx.organization.get();
  const live: CallStatusChanged = {
    type: "CallStatusChanged",
    status: "in_progress",
    occurredAt: booking.at,
    call: {
      vendorCallId: booking.vendorCallId,
      direction: booking.direction,
      customerNumber: booking.customerNumber,
      customerName: booking.customerName,
      clinicNumber: booking.clinicNumber,
    },
  };
  await projectCallEvent(fx, org, live);
  const call = await tx.calls.findByVendorCallId(booking.vendorCallId);
  if (!call?.contactId) {
    throw new ValidationFailed(
      [{ path: "customerNumber", message: "is needed to book: the caller's number is unknown" }],
      BOOKING_ERRORS.needsContact,
    );
  }

  const services = await tx.services.list();
  const service = booking.serviceName
    ? serviceNamed(deps.prices.get(tx.orgId, services), services, booking.serviceName)
    : null;
  const appointment = await tx.appointments.create({
    id: deps.newId(),
    orgId: tx.orgId,
    contactId: call.contactId,
    callId: call.id,
    serviceId: service?.id ?? null,
    startsAt: booking.startsAt,
    status: "booked",
    toolCallId: booking.toolCallId,
    createdAt: deps.clock.now(),
  });
  fx.publish({ type: "appointment.booked", orgId: tx.orgId, appointment: serialize(appointment) });
  if (isTerminal(call.status)) await projectCallEvent(fx, org, live, { reevaluate: true });
  return { appointment, service, alreadyBooked: false };
}

const serviceById = async (tx: OrgTx, id: string | null) => (id ? await tx.services.getById(id) : null);
