/** The org's appointments: one booked per start time, one per booking tool call (unique indexes). */
import type { AppointmentRepository } from "@voxanne/core";
import { and, asc, eq, type SQL } from "drizzle-orm";
import { compile } from "../compiled.ts";
import { appointmentOf } from "../rows.ts";
import { appointments } from "../schema.ts";
import type { OrgScope } from "../scope.ts";

/** The projector asks for an ended call's appointments: built once (see compiled.ts). */
const byCall = compile((db, value) =>
  db
    .select()
    .from(appointments)
    .where(and(eq(appointments.orgId, value("orgId")), eq(appointments.callId, value("callId"))))
    .orderBy(asc(appointments.createdAt), asc(appointments.id)),
);

export function appointmentRepository(scope: OrgScope): AppointmentRepository {
  const { tx, orgId } = scope;
  const ofOrg = eq(appointments.orgId, orgId);

  const one = async (where: SQL) => {
    const [row] = await tx.select().from(appointments).where(and(ofOrg, where)).limit(1);
    return row ? appointmentOf(row) : null;
  };

  return {
    async getById(id) {
      scope.requireOrg();
      return one(eq(appointments.id, id));
    },

    async findByToolCallId(toolCallId) {
      scope.requireOrg();
      return one(eq(appointments.toolCallId, toolCallId));
    },

    /** Oldest first, like the memory adapter. */
    async listByCall(callId) {
      scope.requireOrg();
      const rows = await byCall.run(tx, { orgId, callId });
      return rows.map(appointmentOf);
    },

    async create(appointment) {
      scope.requireOrg();
      scope.own(appointment.orgId);
      const [row] = await tx.insert(appointments).values(appointment).returning();
      return appointmentOf(row as typeof appointments.$inferSelect);
    },
  };
}
