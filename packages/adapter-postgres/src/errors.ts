/**
 * Database errors in the core's words: a driver's error never leaves the adapter. Unique keys name
 * what clashed; anything else the database refuses is bad input. Unexpected failures (connection
 * lost…) are rethrown as they are: they are not the caller's fault and must not look like it.
 */
import { Conflict, NotFound, ValidationFailed, VoxanneError } from "@voxanne/core";

/** The unique constraints a caller can run into, with the core's code for each. */
const UNIQUE: Record<string, [code: string, message: string]> = {
  contacts_org_phone_key: ["CONTACT_PHONE_TAKEN", "This phone number already belongs to a contact"],
  calls_org_vendor_call_id_key: ["CALL_VENDOR_ID_TAKEN", "This vendor call id is already used"],
  messages_org_vendor_message_id_key: ["MESSAGE_VENDOR_ID_TAKEN", "This vendor message id is already used"],
  appointments_org_slot_key: ["APPOINTMENT_SLOT_TAKEN", "This time slot is already booked"],
  appointments_org_tool_call_key: ["APPOINTMENT_TOOL_CALL_TAKEN", "This tool call already booked an appointment"],
  activity_org_key_key: ["ACTIVITY_KEY_TAKEN", "This activity key is already used"],
  outbox_org_key_key: ["OUTBOX_KEY_TAKEN", "This key is already used"],
};

/** Table → the entity name the core uses in codes (`CONTACT_EXISTS` for a reused contact id). */
const ENTITY: Record<string, string> = {
  organizations: "organization",
  contacts: "contact",
  calls: "call",
  services: "service",
  appointments: "appointment",
  messages: "message",
  activity: "activity",
  event_log: "event",
  outbox: "outbox item",
};

interface PgError {
  code: string;
  constraint?: string;
  constraint_name?: string;
  table?: string;
  table_name?: string;
}

/** The driver's error inside whatever wraps it (Drizzle wraps query errors in `cause`). */
function pgErrorOf(error: unknown): PgError | undefined {
  for (
    let e = error;
    e instanceof Error || (typeof e === "object" && e !== null);
    e = (e as { cause?: unknown }).cause
  ) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return e as PgError;
    if (!(e as { cause?: unknown }).cause) return undefined;
  }
  return undefined;
}

export function translateError(error: unknown): unknown {
  if (error instanceof VoxanneError) return error;
  const pg = pgErrorOf(error);
  if (!pg) return error;
  const constraint = pg.constraint ?? pg.constraint_name ?? "";
  const table = pg.table ?? pg.table_name ?? "record";
  const options = { cause: error };
  switch (pg.code) {
    case "23505": {
      const entity = ENTITY[table] ?? table;
      const [code, message] = UNIQUE[constraint] ?? [
        `${entity.toUpperCase().replaceAll(" ", "_")}_EXISTS`,
        `This ${entity} already exists`,
      ];
      return new Conflict(code, message, options);
    }
    case "23503":
      return new NotFound(constraint.includes("org_id") ? "organization" : "record", "referenced");
    case "22001":
      return new ValidationFailed([{ path: "", message: "a value is too long" }], "VALIDATION_FAILED", options);
    case "22003":
      return new ValidationFailed([{ path: "", message: "a number is out of range" }], "VALIDATION_FAILED", options);
    case "23514":
    case "23502":
    case "22P02":
    case "22007":
    case "22008":
      return new ValidationFailed([{ path: "", message: "a value is not valid" }], "VALIDATION_FAILED", options);
    case "42501":
      return new ValidationFailed(
        [{ path: "orgId", message: "belongs to another organization" }],
        "VALIDATION_FAILED",
        options,
      );
    default:
      return error;
  }
}
