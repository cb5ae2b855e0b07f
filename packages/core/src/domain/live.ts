import type { Activity } from "./activity.ts";
import type { Appointment } from "./appointment.ts";
import type { Call } from "./call.ts";
import type { Contact } from "./contact.ts";
import type { Message } from "./message.ts";
import type { Serialized } from "./serialized.ts";

/**
 * What a dashboard hears live, per organization. Records travel in their JSON form, since live
 * events pass through the outbox (a jsonb column) and then a WebSocket.
 */
export type LiveEvent =
  | { type: "call.started" | "call.updated" | "call.ended" | "callback.placed"; orgId: string; call: Serialized<Call> }
  | { type: "contact.updated"; orgId: string; contact: Serialized<Contact> }
  | { type: "message.updated"; orgId: string; message: Serialized<Message> }
  | { type: "activity.created"; orgId: string; activity: Serialized<Activity> }
  | { type: "appointment.booked"; orgId: string; appointment: Serialized<Appointment> };

export type LiveEventType = LiveEvent["type"];
