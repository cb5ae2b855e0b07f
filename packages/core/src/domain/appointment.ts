export const APPOINTMENT_STATUSES = ["booked", "canceled", "completed"] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export interface Appointment {
  id: string;
  orgId: string;
  contactId: string;
  callId: string | null;
  serviceId: string | null;
  startsAt: Date;
  status: AppointmentStatus;
  /** The tool call that booked it: a retried tool call finds it and books nothing twice. */
  toolCallId: string | null;
  createdAt: Date;
}
