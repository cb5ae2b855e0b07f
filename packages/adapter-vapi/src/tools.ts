/**
 * The booking tool: answers the tool calls of Vapi's `tool-calls` (and legacy `function-call`)
 * messages by booking through core, in words the assistant can speak. Vapi waits for the answer
 * and ignores anything but a 200, so every failure becomes a tool `error`, never a throw.
 */
import type { Organization, Voxanne } from "@voxanne/core";
import { BOOKING_ERRORS, isVoxanneError, toE164, ValidationFailed } from "@voxanne/core";
import * as v from "valibot";
import { readSlot, spokenSlot } from "./slotTime.ts";
import type { ToolCallContext, ToolCallRequest, ToolCallResult } from "./toolCalls.ts";

/**
 * The argument names read for each booking detail, the first one given wins. The assistant's tool
 * schema is the clinic's to write, and models drift from it, so the usual spellings all work:
 * `start_time: "2025-11-25T14:00:00-05:00"` (the fixtures'), or `date: "2025-11-25"` with
 * `time: "2:00 PM"`; a date-time without an offset is the clinic's local time. Other arguments
 * (`notes`…) are accepted and not kept.
 */
export const BOOKING_ARGUMENT_ALIASES = {
  when: [
    "start_time",
    "startTime",
    "starts_at",
    "startsAt",
    "start",
    "datetime",
    "dateTime",
    "date_time",
    "appointment_time",
    "appointmentTime",
    "slot",
  ],
  date: ["date", "appointment_date", "appointmentDate", "day"],
  time: ["time"],
  service: ["procedure", "service", "service_name", "serviceName", "treatment", "appointment_type", "appointmentType"],
  name: ["patient_name", "patientName", "name", "customer_name", "customerName", "full_name", "fullName"],
  phone: ["phone", "phone_number", "phoneNumber", "customer_number", "customerNumber", "number"],
} as const satisfies Record<string, readonly string[]>;

/** What the assistant hears. No codes, no internals: it may read them out to the caller. */
export const TOOL_ANSWERS = {
  unknownTool: "Unknown tool",
  badArguments: "I couldn't read the booking details. Please try again.",
  missingSlot: "I need a date and time to book.",
  unreadableSlot: "I couldn't understand that date and time. Please ask for it again.",
  slotTaken: "That time is already taken. Please offer another time.",
  inPast: "That time has already passed. Please offer a time in the future.",
  needsContact: "I need a phone number to book. Please ask the caller for their number.",
  failed: "I couldn't book that right now. Please offer to have the clinic call back.",
} as const;

const given = (value: unknown) =>
  typeof value === "string" ? value.trim() !== "" : value !== undefined && value !== null;
const Detail = (max: number) => v.optional(v.pipe(v.string(), v.trim(), v.maxLength(max)));

const BookingArguments = v.pipe(
  v.record(v.string(), v.unknown()),
  v.transform((args) =>
    Object.fromEntries(
      Object.entries(BOOKING_ARGUMENT_ALIASES).map(([detail, names]) => [
        detail,
        names.map((name) => args[name]).find(given),
      ]),
    ),
  ),
  v.object({
    when: Detail(80),
    date: Detail(80),
    time: Detail(40),
    service: Detail(120),
    name: Detail(120),
    phone: Detail(40),
  }),
);

type Answer = { result: string } | { error: string };

/**
 * One answer per tool call, in order, each keeping its request's id and name. Calls named in the
 * org's `agent.bookingToolNames` book (idempotent on the tool call id: a retry answers the same
 * and books nothing twice); any other name is an unknown tool.
 */
export async function answerToolCalls(
  voxanne: Voxanne,
  orgId: string,
  calls: ToolCallRequest[],
  context: ToolCallContext,
): Promise<ToolCallResult[]> {
  let org: Organization;
  try {
    org = await voxanne.organizations.get(orgId);
  } catch (error) {
    voxanne.deps.onError(error, { what: "booking tool", orgId });
    return calls.map((call) => reply(call, { error: TOOL_ANSWERS.failed }));
  }
  const results: ToolCallResult[] = [];
  for (const call of calls) {
    if (!org.agent.bookingToolNames.includes(call.name)) {
      results.push(reply(call, { error: TOOL_ANSWERS.unknownTool }));
      continue;
    }
    const answer = await book(voxanne, org, call, context).catch((error: unknown) => ({
      error: spokenError(voxanne, orgId, error),
    }));
    results.push(reply(call, answer));
  }
  return results;
}

async function book(
  voxanne: Voxanne,
  org: Organization,
  call: ToolCallRequest,
  context: ToolCallContext,
): Promise<Answer> {
  const parsed = v.safeParse(BookingArguments, call.arguments);
  if (!parsed.success) return { error: TOOL_ANSWERS.badArguments };
  const args = parsed.output;
  const slot = readSlot(args, org.timezone);
  if (!slot.ok) return { error: slot.reason === "missing" ? TOOL_ANSWERS.missingSlot : TOOL_ANSWERS.unreadableSlot };

  const { appointment, service } = await voxanne.appointments.book(org.id, {
    toolCallId: call.id,
    vendorCallId: context.vendorCallId,
    direction: context.direction,
    // The line's own number first: the caller may give another, but the call is theirs.
    customerNumber: [context.customerNumber, args.phone].find((n) => n && toE164(n)) ?? null,
    customerName: args.name ?? context.customerName,
    clinicNumber: context.clinicNumber,
    startsAt: slot.startsAt,
    serviceName: args.service ?? null,
    at: context.at,
  });
  // Said from what was stored, so a retried tool call hears the same answer.
  return {
    result: `Booked ${service?.name ?? "an appointment"} for ${spokenSlot(appointment.startsAt, org.timezone)}.`,
  };
}

/** Core's refusals in the assistant's words; anything else is reported and answered vaguely. */
function spokenError(voxanne: Voxanne, orgId: string, error: unknown): string {
  if (isVoxanneError(error)) {
    if (error.code === BOOKING_ERRORS.slotTaken) return TOOL_ANSWERS.slotTaken;
    if (error.code === BOOKING_ERRORS.inPast) return TOOL_ANSWERS.inPast;
    if (error.code === BOOKING_ERRORS.needsContact) return TOOL_ANSWERS.needsContact;
    if (error instanceof ValidationFailed) {
      return error.issues.some((i) => i.path === "startsAt") ? TOOL_ANSWERS.unreadableSlot : TOOL_ANSWERS.badArguments;
    }
  }
  voxanne.deps.onError(error, { what: "booking tool", orgId });
  return TOOL_ANSWERS.failed;
}

/** Vapi's parser breaks on line breaks: every answer is one line. */
const oneLine = (text: string) => text.replace(/\s+/gu, " ").trim();

function reply(call: ToolCallRequest, answer: Answer): ToolCallResult {
  const base = { toolCallId: call.id, name: call.name };
  return "result" in answer ? { ...base, result: oneLine(answer.result) } : { ...base, error: oneLine(answer.error) };
}
